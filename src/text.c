/*
 * text.c: byte-level text handling shared by the request parser and the
 * views.
 *
 * Everything a visitor sends is checked here before it goes further:
 * percent-decoding refuses malformed escapes instead of passing them on,
 * and UTF-8 validation refuses overlong forms, surrogates and code points
 * past U+10FFFF, which PostgreSQL would otherwise reject with an error
 * deep inside a query.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/*
 * Return 1 when the n bytes at s are well-formed UTF-8 without NUL bytes
 * (RFC 3629), else 0.
 */
int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + n;
	unsigned char c;

	while (p < end) {
		c = *p;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			if (end - p < 2 || (p[1] & 0xc0) != 0x80)
				return 0;
			p += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			if (end - p < 3 || (p[1] & 0xc0) != 0x80 ||
			    (p[2] & 0xc0) != 0x80)
				return 0;
			if (c == 0xe0 && p[1] < 0xa0)
				return 0;	/* overlong */
			if (c == 0xed && p[1] > 0x9f)
				return 0;	/* surrogate */
			p += 3;
		} else if (c >= 0xf0 && c <= 0xf4) {
			if (end - p < 4 || (p[1] & 0xc0) != 0x80 ||
			    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
				return 0;
			if (c == 0xf0 && p[1] < 0x90)
				return 0;	/* overlong */
			if (c == 0xf4 && p[1] > 0x8f)
				return 0;	/* past U+10FFFF */
			p += 4;
		} else
			return 0;
	}
	return 1;
}

/* The value of the hex digit c, or -1. */
int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode n bytes of in into out, which must have room for n bytes;
 * with plus_space a '+' becomes a space (form encoding).  Returns 1, or 0
 * on a malformed escape such as "%zz" or a trailing "%4".  The output is
 * not NUL-terminated and may contain any byte: check it with utf8_valid().
 */
int
pct_decode(const char *in, size_t n, int plus_space, char *out,
    size_t *outlen)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (in[i] == '%') {
			if (n - i < 3 ||
			    (hi = hex_digit((unsigned char)in[i + 1])) < 0 ||
			    (lo = hex_digit((unsigned char)in[i + 2])) < 0)
				return 0;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (in[i] == '+' && plus_space)
			out[o++] = ' ';
		else
			out[o++] = in[i];
	}
	*outlen = o;
	return 1;
}

/*
 * Return s encoded for use as one path segment of a URL: unreserved
 * characters pass, every other byte becomes %XX.  NULL on exhausted memory.
 */
char *
url_encode_segment(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0, n = strlen(s);
	unsigned char c;
	char *out;

	if ((out = arena_alloc(a, n * 3 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* May this byte be part of an address we turn into a link? */
static int
url_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("<>\"'`\\{}|^", c) == NULL;
}

/*
 * Length of the http(s) address at s (at most n bytes), or 0 when there is
 * none.  Punctuation that ends a sentence is left out, and so is a closing
 * parenthesis that was not opened inside the address ("(see https://x)").
 */
static size_t
autolink_len(const char *s, size_t n)
{
	size_t len, i, scheme;
	int depth = 0;

	if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		scheme = 8;
	else if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		scheme = 7;
	else
		return 0;
	for (len = scheme; len < n && url_byte((unsigned char)s[len]); len++)
		;
	while (len > scheme && strchr(".,;:!?", s[len - 1]) != NULL)
		len--;
	for (i = scheme; i < len; i++)
		depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
	while (depth < 0 && len > scheme && s[len - 1] == ')') {
		len--;
		depth++;
		while (len > scheme && strchr(".,;:!?", s[len - 1]) != NULL)
			len--;
	}
	return len > scheme ? len : 0;
}

/* Append one line of comment text: escaped, its addresses as links. */
static void
line_to_html(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, start = 0, len;

	while (i < n) {
		if ((s[i] == 'h' || s[i] == 'H') &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (len = autolink_len(s + i, n - i)) > 0) {
			buf_html_escape(b, s + start, i - start);
			buf_puts(b, "<a href=\"");
			buf_html_escape(b, s + i, len);
			buf_puts(b, "\" rel=\"nofollow ugc noopener\">");
			buf_html_escape(b, s + i, len);
			buf_puts(b, "</a>");
			i += len;
			start = i;
		} else
			i++;
	}
	buf_html_escape(b, s + start, n - start);
}

/*
 * Append the plain text of a comment as HTML: escaped, a paragraph for
 * each run of lines separated by a blank line, <br> for the other line
 * breaks, and each http(s) address a link that passes no ranking
 * (rel="nofollow ugc noopener").  CR LF counts as one line break.
 */
void
text_to_html(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, start, end, blank;
	int open = 0;

	while (i < n) {
		start = i;
		while (i < n && s[i] != '\n')
			i++;
		end = i;
		if (end > start && s[end - 1] == '\r')
			end--;
		if (i < n)
			i++;
		for (blank = start; blank < end &&
		    (s[blank] == ' ' || s[blank] == '\t'); blank++)
			;
		if (blank == end) {
			if (open)
				buf_puts(b, "</p>\n");
			open = 0;
			continue;
		}
		buf_puts(b, open ? "<br>\n" : "<p>");
		open = 1;
		line_to_html(b, s + start, end - start);
	}
	if (open)
		buf_puts(b, "</p>");
}

/* Does u start with http:// or https:// followed by a host? */
int
url_has_http_scheme(const char *u)
{
	const char *host;

	if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else
		return 0;
	return *host != '\0' && *host != '/' && *host != '?' && *host != '#';
}

/*
 * Is u an http or https address fit for an href: a host, valid UTF-8, no
 * white space or control characters, no quotes or angle brackets?  Every
 * website address shown on a page passes this, whatever stored it.
 */
int
url_http_ok(const char *u)
{
	const char *p;

	if (!url_has_http_scheme(u))
		return 0;
	for (p = u; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' ||
		    *p == '<' || *p == '>' || *p == '\\' || *p == '`' ||
		    *p == '\'')
			return 0;
	return utf8_valid(u, strlen(u));
}
