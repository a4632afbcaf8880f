/*
 * buf.h: growable byte buffer with a hard cap.
 *
 * The buffer owns its data (freed by buf_free()).  An append that does not
 * fit marks the buffer failed, and every later append fails too until
 * buf_reset(): a caller appends freely and checks once, at the end.
 */
#ifndef FASCIA_BUF_H
#define FASCIA_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* never grow beyond this many bytes */
	int failed; /* set once an append did not fit; sticky */
};

void buf_init(struct buf *b, size_t max);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_html_escape(struct buf *b, const char *s, size_t n);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
