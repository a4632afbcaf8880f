/*
 * identicon.c: a commenter's picture drawn from the hash of their email
 * address, as inline SVG: the same picture for the same person, and no
 * request to any third party.
 */
#include <string.h>

#include "identicon.h"

#define GRID 5		      /* cells a side */
#define HALF ((GRID + 1) / 2) /* the columns drawn; the rest mirror them */

/* Write the path of the cell at x, y (single digits) at p; return its end. */
static char *
cell(char *p, int x, int y)
{
	static const char shape[] = "h1v1h-1z";

	*p++ = 'M';
	*p++ = (char)('0' + x);
	*p++ = ' ';
	*p++ = (char)('0' + y);
	memcpy(p, shape, sizeof(shape) - 1);
	return p + sizeof(shape) - 1;
}

/*
 * Append to b a 5x5 mirrored identicon drawn from hash as inline SVG: the
 * hue from the first two bytes, the cells from the next fifteen bits.
 */
void
identicon_svg(struct buf *b, const unsigned char hash[HASH_BYTES])
{
	/* "M4 4h1v1h-1z" per cell, at most GRID * GRID of them. */
	char path[GRID * GRID * sizeof("M0 0h1v1h-1z")], *p = path;
	char hue[4];
	int x, y, bit = 0;
	unsigned h = (unsigned)(hash[0] << 8 | hash[1]) % 360;

	/* The cells are written byte by byte: this runs once per comment
	 * shown, and printf would cost more than the rest of the page. */
	for (x = 0; x < HALF; x++)
		for (y = 0; y < GRID; y++, bit++) {
			if (!(hash[2 + bit / 8] >> (bit % 8) & 1))
				continue;
			p = cell(p, x, y);
			if (x < GRID / 2)
				p = cell(p, GRID - 1 - x, y);
		}
	x = 0;
	if (h >= 100)
		hue[x++] = (char)('0' + h / 100);
	if (h >= 10)
		hue[x++] = (char)('0' + h / 10 % 10);
	hue[x++] = (char)('0' + h % 10);
	hue[x] = '\0';
	buf_puts(b,
	    "<svg class=\"avatar\" viewBox=\"0 0 5 5\" width=\"40\" "
	    "height=\"40\" aria-hidden=\"true\" focusable=\"false\">"
	    "<rect width=\"5\" height=\"5\" fill=\"hsl(");
	buf_puts(b, hue);
	buf_puts(b, ",45%,92%)\"/><path fill=\"hsl(");
	buf_puts(b, hue);
	buf_puts(b, ",55%,35%)\" d=\"");
	buf_append(b, path, (size_t)(p - path));
	buf_puts(b, "\"/></svg>");
}
