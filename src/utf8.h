/*
 * utf8.h: UTF-8, checked, decoded and encoded.
 */
#ifndef FASCIA_UTF8_H
#define FASCIA_UTF8_H

#include <stddef.h>

#define UTF8_SEQ_MAX 4 /* bytes of the longest sequence */

int utf8_valid(const char *s, size_t n);
size_t utf8_decode(const char *s, size_t n, long *cp);
size_t utf8_encode(long cp, char out[UTF8_SEQ_MAX]);

#endif
