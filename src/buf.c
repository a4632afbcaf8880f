/*
 * buf.c: growable byte buffer with a hard cap (after curl's dynbuf).
 *
 * A response is assembled in one buffer and sent with one write, so its
 * status can still change to 500 if rendering fails half-way.  The buffer
 * keeps its memory across requests (buf_reset) and refuses to grow past
 * its cap, so one odd request cannot make a worker balloon.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/*
 * Make b an empty buffer that never holds more than max bytes.  Nothing is
 * allocated until the first append.
 */
void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = 0;
}

static int
buf_reserve(struct buf *b, size_t n)
{
	size_t need, ncap;
	char *p;

	if (b->failed)
		return 0;
	if (n > b->max || b->len > b->max - n) {
		b->failed = 1;
		return 0;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 1;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < need)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	if ((p = realloc(b->data, ncap)) == NULL) {
		b->failed = 1;
		return 0;
	}
	b->data = p;
	b->cap = ncap;
	return 1;
}

/*
 * Append the n bytes at p.  Returns 1, or 0 (and marks the buffer failed)
 * when the cap or memory is exhausted or it had failed already.  The data
 * stays NUL-terminated, so b->data is a string whenever len > 0.
 */
int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (!buf_reserve(b, n))
		return 0;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 1;
}

/* Append the string s; returns as buf_append(). */
int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

/* Append formatted text, as printf(3); returns as buf_append(). */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (b->failed)
		return 0;
	/* Format into the room there is, and measure first only when the
	 * text does not fit. */
	room = b->data != NULL ? b->cap - b->len : 0;
	va_start(ap, fmt);
	n = vsnprintf(b->data != NULL ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return 1;
	}
	if (b->data != NULL)
		b->data[b->len] = '\0'; /* what did not fit is not kept */
	if (n < 0 || !buf_reserve(b, (size_t)n)) {
		b->failed = 1;
		return 0;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 1;
}

/*
 * Append s with the five HTML-significant characters as entities, the same
 * mapping the templates' default format uses.
 */
void
buf_html_escape(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

/* Empty b and clear its failure, keeping its memory for the next use. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Give b's memory back; b is empty (same cap) and can be used again. */
void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}
