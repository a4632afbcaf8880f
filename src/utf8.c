/*
 * utf8.c: UTF-8 as RFC 3629 defines it, and nothing looser.
 *
 * Everything a visitor sends is checked with utf8_valid() before it goes
 * further: overlong forms, surrogates and code points past U+10FFFF are
 * refused here, where a clear 400 is possible, instead of by PostgreSQL
 * deep inside a query.  The decoder and the encoder are the one pair
 * every module uses (search snippets, WordPress text, slugs, forms).
 */
#include "utf8.h"

/*
 * Return 1 when the n bytes at s are well-formed UTF-8 without NUL bytes,
 * else 0.
 */
int
utf8_valid(const char *s, size_t n)
{
	size_t i = 0, len;
	long cp;

	while (i < n) {
		if (s[i] == '\0')
			return 0;
		len = utf8_decode(s + i, n - i, &cp);
		if (cp < 0)
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Decode the sequence at s (n > 0 bytes available) into *cp.  Returns its
 * length; a byte that starts no well-formed sequence (a stray continuation
 * byte, an overlong form, a surrogate, a cut sequence) is one byte long
 * with *cp set to -1.
 */
size_t
utf8_decode(const char *s, size_t n, long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;
	long v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		v = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		v = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0; /* overlong below */
		else if (p[0] == 0xed)
			hi = 0x9f; /* surrogates above */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		v = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90; /* overlong below */
		else if (p[0] == 0xf4)
			hi = 0x8f; /* past U+10FFFF above */
	} else {
		*cp = -1;
		return 1;
	}
	if (len > n || p[1] < lo || p[1] > hi) {
		*cp = -1;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = v << 6 | (p[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/*
 * Write code point cp (0 to U+10FFFF, not a surrogate) as UTF-8 to out.
 * Returns the number of bytes written, 1 to 4.
 */
size_t
utf8_encode(long cp, char out[UTF8_SEQ_MAX])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
