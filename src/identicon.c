/*
 * identicon.c: a commenter's picture drawn from the hash of their email
 * address, as inline SVG: the same picture for the same person, and no
 * request to any third party.
 */
#include "identicon.h"

#define GRID 5		      /* cells a side */
#define HALF ((GRID + 1) / 2) /* the columns drawn; the rest mirror them */

/*
 * Append to b a 5x5 mirrored identicon drawn from hash as inline SVG: the
 * hue from the first two bytes, the cells from the next fifteen bits.
 */
void
identicon_svg(struct buf *b, const unsigned char hash[HASH_BYTES])
{
	int x, y, bit = 0;
	unsigned hue = (unsigned)(hash[0] << 8 | hash[1]) % 360;

	buf_printf(b,
	    "<svg class=\"avatar\" viewBox=\"0 0 5 5\" width=\"40\" "
	    "height=\"40\" aria-hidden=\"true\" focusable=\"false\">"
	    "<rect width=\"5\" height=\"5\" fill=\"hsl(%u,45%%,92%%)\"/>"
	    "<path fill=\"hsl(%u,55%%,35%%)\" d=\"",
	    hue, hue);
	for (x = 0; x < HALF; x++)
		for (y = 0; y < GRID; y++, bit++) {
			if (!(hash[2 + bit / 8] >> (bit % 8) & 1))
				continue;
			buf_printf(b, "M%d %dh1v1h-1z", x, y);
			if (x < GRID / 2)
				buf_printf(b, "M%d %dh1v1h-1z", GRID - 1 - x,
				    y);
		}
	buf_puts(b, "\"/></svg>");
}
