/*
 * pg_literal.h: values written as the text PostgreSQL reads for a
 * parameter: array literals ({"a","b",NULL}) and bytea in hex (\x0aff).
 */
#ifndef FASCIA_PG_LITERAL_H
#define FASCIA_PG_LITERAL_H

#include <stddef.h>

#include "buf.h"

/* Bytes of the hex text of a bytea of n bytes: "\x", 2n digits, a NUL. */
#define PG_BYTEA_HEX_SIZE(n) (2 * (size_t)(n) + 3)

void pg_array_open(struct buf *b);
void pg_array_add(struct buf *b, const char *s);
int pg_array_close(struct buf *b);
int pg_array(struct buf *b, const char *const *s, size_t n);
void pg_bytea_hex(char *out, const unsigned char *bin, size_t n);

#endif
