/*
 * text.c: text checks and conversions shared by the request parser, the
 * views and the importers: control characters, digits, percent-decoding,
 * URL encoding, HTML character references, http(s) addresses and comment
 * text to HTML.
 *
 * Percent-decoding refuses malformed escapes instead of passing them on,
 * and every check here works on bytes, whatever the locale.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "utf8.h"

/*
 * Return 1 when the n bytes at s hold a control character (below U+0020,
 * or DEL), else 0.  With allow_breaks, tab, newline and carriage return
 * are allowed: they are part of a comment's text, not of a name's.
 */
int
text_has_control(const char *s, size_t n, int allow_breaks)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (allow_breaks && (c == '\t' || c == '\n' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}

/*
 * Return how many ASCII digits s consists of, or 0 when it is empty or
 * holds anything else.  (A page number, a year, an id: the caller checks
 * the count.)
 */
size_t
text_digits(const char *s)
{
	size_t n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		;
	return s[n] == '\0' ? n : 0;
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
 * Decode exactly 2 * n hex digits of hex (a string) into out's n bytes.
 * Returns 1, or 0 when hex is not that.  For public values, such as the
 * email hashes identicons are drawn from: sodium_hex2bin() takes constant
 * time, at twenty times the cost, which only secrets need.
 */
int
hex_decode(unsigned char *out, size_t n, const char *hex)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hex_digit(hex[2 * i])) < 0 ||
		    (lo = hex_digit(hex[2 * i + 1])) < 0)
			return 0;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return hex[2 * n] == '\0';
}

/*
 * Percent-decode n bytes of in into out, which must have room for n bytes;
 * with plus_space a '+' becomes a space (form encoding).  Returns 1, or 0
 * on a malformed escape such as "%zz" or a trailing "%4".  The output is
 * not NUL-terminated and may contain any byte: check it with utf8_valid().
 */
int
pct_decode(const char *in, size_t n, int plus_space, char *out, size_t *outlen)
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
		for (blank = start;
		     blank < end && (s[blank] == ' ' || s[blank] == '\t');
		     blank++)
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

/*
 * The named references post bodies and WordPress exports use (cmark writes
 * &amp;, &lt;, &gt; and &quot;; kses and editors the rest).
 */
static const struct {
	const char *name;
	long cp;
} named_refs[] = {
	{ "amp", '&' },
	{ "lt", '<' },
	{ "gt", '>' },
	{ "quot", '"' },
	{ "apos", '\'' },
	{ "nbsp", 0xa0 },
	{ "hellip", 0x2026 },
	{ "mdash", 0x2014 },
	{ "ndash", 0x2013 },
	{ "lsquo", 0x2018 },
	{ "rsquo", 0x2019 },
	{ "sbquo", 0x201a },
	{ "ldquo", 0x201c },
	{ "rdquo", 0x201d },
	{ "bdquo", 0x201e },
	{ "laquo", 0xab },
	{ "raquo", 0xbb },
	{ "copy", 0xa9 },
	{ "reg", 0xae },
	{ "trade", 0x2122 },
	{ "middot", 0xb7 },
	{ "bull", 0x2022 },
	{ "deg", 0xb0 },
	{ "euro", 0x20ac },
	{ "pound", 0xa3 },
	{ "times", 0xd7 },
	{ "frac12", 0xbd },
	{ "shy", 0xad },
	{ "iexcl", 0xa1 },
	{ "iquest", 0xbf },
	{ "prime", 0x2032 },
	{ "larr", 0x2190 },
	{ "rarr", 0x2192 },
	{ "hearts", 0x2665 },
};

#define REF_NAME_MAX 10	 /* longer than any name above */
#define REF_DIGITS_MAX 8 /* "&#x10FFFF;" with room for leading zeros */

/*
 * Read the HTML character reference at s (n bytes, s[0] == '&'): a named
 * one from the table above, "&#DDD;" or "&#xHHH;".  Returns its length,
 * with the code point in *cp, or -1 there when the number stands for no
 * character (0, a surrogate, past U+10FFFF); returns 0 when s starts no
 * reference it knows, so that the '&' is text.
 */
size_t
html_char_ref(const char *s, size_t n, long *cp)
{
	size_t i = 2, j, k;
	long v = 0;
	int d, base = 10;

	if (n >= 3 && s[1] == '#') {
		if (s[i] == 'x' || s[i] == 'X') {
			base = 16;
			i++;
		}
		for (j = i; j < n && j < i + REF_DIGITS_MAX; j++) {
			if ((d = hex_digit((unsigned char)s[j])) < 0 ||
			    d >= base)
				break;
			v = v * base + d;
		}
		if (j == i || j >= n || s[j] != ';')
			return 0;
		*cp = v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ?
		    -1 :
		    v;
		return j + 1;
	}
	for (j = 1; j < n && j < REF_NAME_MAX && isalnum((unsigned char)s[j]);
	     j++)
		;
	if (j == 1 || j >= n || s[j] != ';')
		return 0;
	for (k = 0; k < sizeof(named_refs) / sizeof(named_refs[0]); k++)
		if (strlen(named_refs[k].name) == j - 1 &&
		    memcmp(named_refs[k].name, s + 1, j - 1) == 0) {
			*cp = named_refs[k].cp;
			return j + 1;
		}
	return 0;
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
