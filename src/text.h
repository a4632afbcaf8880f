/*
 * text.h: text checks and conversions: control characters, digits,
 * percent-decoding, URL encoding, HTML character references, http(s)
 * addresses and comment text to HTML.
 */
#ifndef FASCIA_TEXT_H
#define FASCIA_TEXT_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"

/* A limit as text, for messages: LIMIT_TEXT(245) is "245". */
#define LIMIT_TEXT(n) LIMIT_TEXT_(n)
#define LIMIT_TEXT_(n) #n

/* The typography of titles and messages, in UTF-8. */
#define EN_DASH "\xe2\x80\x93"
#define LDQUO "\xe2\x80\x9c" /* left double quotation mark */
#define RDQUO "\xe2\x80\x9d"
#define RSQUO "\xe2\x80\x99" /* the apostrophe of "you've" */

int text_has_control(const char *s, size_t n, int allow_breaks);
size_t text_digits(const char *s);
int hex_digit(int c);
int hex_decode(unsigned char *out, size_t n, const char *hex);
size_t html_char_ref(const char *s, size_t n, long *cp);
int url_has_http_scheme(const char *u);
int url_http_ok(const char *u);
int pct_decode(const char *in, size_t n, int plus_space, char *out,
    size_t *outlen);
char *url_encode_segment(struct arena *a, const char *s);
void text_to_html(struct buf *b, const char *s, size_t n);

#endif
