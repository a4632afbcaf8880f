/*
 * text.h: byte-level text handling: percent-decoding, UTF-8, URL encoding
 * and comment text to HTML.
 */
#ifndef FASCIA_TEXT_H
#define FASCIA_TEXT_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"

int utf8_valid(const char *s, size_t n);
int hex_digit(int c);
int url_has_http_scheme(const char *u);
int url_http_ok(const char *u);
int pct_decode(const char *in, size_t n, int plus_space, char *out,
    size_t *outlen);
char *url_encode_segment(struct arena *a, const char *s);
void text_to_html(struct buf *b, const char *s, size_t n);

#endif
