/*
 * wptext.c: WordPress's text conventions, for the importer.
 *
 * WordPress keeps titles, term names and comments as HTML fragments
 * (kses turns a typed "&" into "&amp;", a comment may carry <a>, <em> or
 * <blockquote>), while fascia keeps them as plain text and escapes them
 * when it renders a page.  So what comes in is turned into text here:
 * tags removed, entities decoded, line breaks kept where they mean
 * something, and a link's address kept next to its text.  The result is
 * always valid UTF-8 without control characters other than a newline.
 *
 * Slugs arrive percent-encoded (WordPress stores "caf%c3%a9"), sometimes
 * cut at 200 bytes in the middle of a character; fascia stores them
 * decoded, as the schema's CHECK describes.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "date.h"
#include "text.h"
#include "utf8.h"
#include "wptext.h"

#define ADDR_MAX 4096		   /* a link's address, decoded */
#define TAG_NAME_MAX 16		   /* of the element names that matter here */
#define CLOSE_TAG_MAX 32	   /* "[/wp_caption]" */
#define ID_DIGITS_MAX 18	   /* a WordPress id fits in a bigint */
#define LIT_LEN(s) (sizeof(s) - 1) /* of a string literal */
#define WP_DATE_LEN LIT_LEN("YYYY-MM-DD HH:MM:SS")
#define UTC_OFFSET "+00"
#define WP_YEAR_MIN 1000       /* "0000-00-00 00:00:00" is no date */
#define PCT_LEN LIT_LEN("%XX") /* a percent-encoded byte */
#define TEXT_SLACK 64	       /* an excerpt's text over its HTML's length */

_Static_assert(WP_DATE_LEN + LIT_LEN(UTC_OFFSET) == WPTEXT_DATE_LEN,
    "WPTEXT_DATE_LEN holds a date and its offset");

/* Breaks in the text, as the newlines they are. */
enum brk { BRK_NONE, BRK_LINE, BRK_PARA };

/* The state of one HTML-to-text conversion. */
struct h2t {
	struct buf *b;
	enum wptext_mode mode;
	size_t base;	 /* b->len when the conversion began */
	int nl;		 /* newlines waiting, up to BRK_PARA */
	int space;	 /* a space waiting to be written */
	enum brk absorb; /* newlines after a tag that are its own:
			  * one after <br>, all after a block */
	int in_link;
	size_t link_at;	  /* where the link's text begins in b */
	const char *href; /* the link's address, entities not decoded */
	size_t href_n;
};

/* Is cp white space to the reader (a no-break space is)? */
static int
is_space(long cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f' || cp == '\v' || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0x85;
}

/* Write one character of text, with the white space waiting before it. */
static void
emit(struct h2t *h, long cp)
{
	char u[UTF8_SEQ_MAX];

	if (cp == '\r')
		return;
	if (cp == '\n' && h->mode == WPTEXT_LINES) {
		if (h->absorb == BRK_LINE)
			h->absorb = BRK_NONE;
		else if (h->absorb == BRK_NONE && h->nl < BRK_PARA)
			h->nl++;
		return;
	}
	if (is_space(cp)) {
		h->space = 1;
		return;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp == 0xfeff)
		return;
	if (h->b->len > h->base) {
		if (h->nl > 0)
			buf_append(h->b, "\n\n", (size_t)h->nl);
		else if (h->space)
			buf_append(h->b, " ", 1);
	}
	h->nl = h->space = 0;
	h->absorb = BRK_NONE;
	buf_append(h->b, u, utf8_encode(cp, u));
}

/*
 * A <br> adds a line break; the newline of the source right after it is
 * its own.
 */
static void
emit_br(struct h2t *h)
{
	if (h->mode != WPTEXT_LINES) {
		h->space = 1;
		return;
	}
	if (h->nl < BRK_PARA)
		h->nl++;
	if (h->absorb == BRK_NONE)
		h->absorb = BRK_LINE;
}

/*
 * A block element adds the break level (<li> a line, <p> a paragraph)
 * unless one is there; the newlines of the source right after it are its
 * own.
 */
static void
emit_block(struct h2t *h, enum brk level)
{
	if (h->mode != WPTEXT_LINES) {
		h->space = 1;
		return;
	}
	if (h->nl < (int)level)
		h->nl = (int)level;
	h->absorb = BRK_PARA;
}

/* Write n bytes of text, decoding entities; invalid bytes are dropped. */
static void
emit_text(struct h2t *h, const char *s, size_t n)
{
	size_t i = 0, len;
	long cp;

	while (i < n) {
		if (s[i] == '&' &&
		    (len = html_char_ref(s + i, n - i, &cp)) > 0) {
			if (cp >= 0)
				emit(h, cp);
			i += len;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (cp >= 0)
			emit(h, cp);
		i += len;
	}
}

/*
 * Return the index of the '>' that ends the tag starting at s[i] == '<',
 * quoted attribute values skipped, or n when there is none.
 */
static size_t
tag_end(const char *s, size_t i, size_t n)
{
	char q = 0;

	for (i++; i < n; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			return i;
	}
	return n;
}

/* Find needle in s[0..n) regardless of ASCII case. */
static const char *
find_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; m <= n && i <= n - m; i++)
		if (strncasecmp(s + i, needle, m) == 0)
			return s + i;
	return NULL;
}

/* The value of attribute name in the tag text t[0..n), entities kept. */
static int
attr_value(const char *t, size_t n, const char *name, const char **v,
    size_t *vn)
{
	size_t m = strlen(name), i, j;
	char q;

	for (i = 1; i + m < n; i++) {
		if (strncasecmp(t + i, name, m) != 0 ||
		    !is_space((unsigned char)t[i - 1]))
			continue;
		j = i + m;
		while (j < n && is_space((unsigned char)t[j]))
			j++;
		if (j >= n || t[j] != '=')
			continue;
		for (j++; j < n && is_space((unsigned char)t[j]); j++)
			;
		if (j < n && (t[j] == '"' || t[j] == '\'')) {
			q = t[j++];
			*v = t + j;
			while (j < n && t[j] != q)
				j++;
		} else {
			*v = t + j;
			while (j < n && !is_space((unsigned char)t[j]) &&
			    t[j] != '>')
				j++;
		}
		*vn = (size_t)(t + j - *v);
		return 1;
	}
	return 0;
}

/* Block elements: a paragraph break or a line break around them. */
static enum brk
block_level(const char *name)
{
	static const char *const para[] = { "p", "div", "blockquote", "pre",
		"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
		"hr", "figure", "section", "article", "header", "footer",
		"aside", "nav", "address", NULL };
	static const char *const line[] = { "li", "tr", "dt", "dd",
		"figcaption", "caption", NULL };
	int i;

	for (i = 0; para[i] != NULL; i++)
		if (strcmp(name, para[i]) == 0)
			return BRK_PARA;
	for (i = 0; line[i] != NULL; i++)
		if (strcmp(name, line[i]) == 0)
			return BRK_LINE;
	return BRK_NONE;
}

/* The end of a link: its address follows its text unless they agree. */
static void
link_close(struct h2t *h)
{
	struct buf addr;
	struct h2t sub;
	const char *text, *a;
	size_t i, tn;

	h->in_link = 0;
	buf_init(&addr, ADDR_MAX);
	memset(&sub, 0, sizeof(sub));
	sub.b = &addr;
	sub.mode = WPTEXT_INLINE;
	emit_text(&sub, h->href, h->href_n);
	if (addr.failed || addr.len == 0 || !url_http_ok(addr.data)) {
		buf_free(&addr);
		return;
	}
	text = h->b->len > h->link_at ? h->b->data + h->link_at : "";
	tn = h->b->len > h->link_at ? h->b->len - h->link_at : 0;
	a = strstr(addr.data, "://") + 3;
	if (tn == 0 || find_ci(text, tn, a) == NULL) {
		h->space = 1;
		emit(h, '(');
		for (i = 0; i < addr.len; i++)
			emit(h, (unsigned char)addr.data[i]);
		emit(h, ')');
	}
	buf_free(&addr);
}

/* Handle the tag t[0..n), '<' to '>' inclusive. */
static void
tag(struct h2t *h, const char *t, size_t n)
{
	char name[TAG_NAME_MAX];
	size_t i = 1, k = 0;
	int closing = 0;
	enum brk level;

	if (i < n && t[i] == '/') {
		closing = 1;
		i++;
	}
	for (; i < n && k < sizeof(name) - 1; i++) {
		if (t[i] >= 'A' && t[i] <= 'Z')
			name[k++] = (char)(t[i] - 'A' + 'a');
		else if ((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= '0' && t[i] <= '9'))
			name[k++] = t[i];
		else
			break;
	}
	name[k] = '\0';
	if (strcmp(name, "br") == 0)
		emit_br(h);
	else if ((level = block_level(name)) != BRK_NONE)
		emit_block(h, level);
	else if (strcmp(name, "a") == 0) {
		if (closing && h->in_link)
			link_close(h);
		else if (!closing && !h->in_link &&
		    attr_value(t, n, "href", &h->href, &h->href_n)) {
			h->in_link = 1;
			h->link_at = h->b->len;
		}
	} else if (strcmp(name, "img") == 0 && h->mode == WPTEXT_LINES) {
		const char *alt;
		size_t altn;

		if (attr_value(t, n, "alt", &alt, &altn) && altn > 0) {
			h->space = 1;
			emit_text(h, alt, altn);
			h->space = 1;
		}
	}
}

/* Shortcodes whose content goes with them ([caption]...[/caption]). */
static const char *const enclosing_codes[] = { "caption", "wp_caption", "embed",
	"video", "audio", NULL };
static const char *const single_codes[] = { "gallery", "playlist",
	"contact-form-7", "contact-form", "wpforms", NULL };

/*
 * At s[0] == '[': the length of a WordPress shortcode to remove from an
 * excerpt (with its content for [caption] and the like), or 0.
 */
static size_t
shortcode(const char *s, size_t n)
{
	char close[CLOSE_TAG_MAX];
	const char *end, *c;
	size_t i = 1, k;
	int j;

	if (i < n && s[i] == '/')
		i++;
	for (j = 0; enclosing_codes[j] != NULL; j++) {
		k = strlen(enclosing_codes[j]);
		if (n - i > k && strncmp(s + i, enclosing_codes[j], k) == 0 &&
		    (s[i + k] == ']' || s[i + k] == ' ')) {
			if ((end = memchr(s, ']', n)) == NULL)
				return 0;
			snprintf(close, sizeof(close), "[/%s]",
			    enclosing_codes[j]);
			if (s[1] != '/' && (c = find_ci(s, n, close)) != NULL)
				return (size_t)(c - s) + strlen(close);
			return (size_t)(end - s) + 1;
		}
	}
	for (j = 0; single_codes[j] != NULL; j++) {
		k = strlen(single_codes[j]);
		if (n - i > k && strncmp(s + i, single_codes[j], k) == 0 &&
		    (s[i + k] == ']' || s[i + k] == ' ' || s[i + k] == '/')) {
			if ((end = memchr(s, ']', n)) == NULL)
				return 0;
			return (size_t)(end - s) + 1;
		}
	}
	return 0;
}

/*
 * Append the text of n bytes of WordPress HTML to out: tags removed
 * (<script> and <style> with their content), entities decoded, a link's
 * address in brackets after its text, white space collapsed.  In
 * WPTEXT_LINES mode line breaks stay (a newline or <br>) and paragraphs
 * become a blank line; the other modes give one line.  Leading and
 * trailing white space is dropped.  Returns 1, or 0 when out's cap was
 * reached.
 */
int
wptext_from_html(struct buf *out, const char *html, size_t n,
    enum wptext_mode mode)
{
	struct h2t h;
	const char *p, *close;
	size_t i = 0, e, len;
	char c;

	memset(&h, 0, sizeof(h));
	h.b = out;
	h.mode = mode;
	h.base = out->len;
	while (i < n && !out->failed) {
		c = html[i];
		if (c == '<' && i + 1 < n && html[i + 1] == '!' &&
		    n - i >= LIT_LEN("<!--") &&
		    memcmp(html + i, "<!--", LIT_LEN("<!--")) == 0) {
			p = find_ci(html + i + LIT_LEN("<!--"),
			    n - i - LIT_LEN("<!--"), "-->");
			i = p == NULL ? n : (size_t)(p - html) + LIT_LEN("-->");
			continue;
		}
		if (c == '<' && i + 1 < n &&
		    (html[i + 1] == '/' || html[i + 1] == '!' ||
			html[i + 1] == '?' ||
			(html[i + 1] >= 'a' && html[i + 1] <= 'z') ||
			(html[i + 1] >= 'A' && html[i + 1] <= 'Z')) &&
		    (e = tag_end(html, i, n)) < n) {
			tag(&h, html + i, e - i + 1);
			close = NULL;
			if (e - i >= LIT_LEN("<script") &&
			    strncasecmp(html + i, "<script",
				LIT_LEN("<script")) == 0)
				close = "</script";
			else if (e - i >= LIT_LEN("<style") &&
			    strncasecmp(html + i, "<style",
				LIT_LEN("<style")) == 0)
				close = "</style";
			i = e + 1;
			if (close != NULL) {
				p = find_ci(html + i, n - i, close);
				i = p == NULL ?
				    n :
				    tag_end(html, (size_t)(p - html), n) + 1;
				if (i > n)
					i = n;
			}
			continue;
		}
		if (c == '[' && mode == WPTEXT_EXCERPT &&
		    (len = shortcode(html + i, n - i)) > 0) {
			h.space = 1;
			i += len;
			continue;
		}
		for (e = i + 1; e < n && html[e] != '<' && html[e] != '['; e++)
			;
		emit_text(&h, html + i, e - i);
		i = e;
	}
	if (h.in_link && !out->failed)
		link_close(&h);
	return !out->failed;
}

/*
 * Append an excerpt of the HTML to out: its text on one line, shortcodes
 * removed, cut after words words or max_chars characters, whichever comes
 * first, with an ellipsis when cut.  Returns 1, or 0 on exhausted memory.
 */
int
wptext_excerpt(struct buf *out, const char *html, size_t n, int words,
    size_t max_chars)
{
	struct buf text;
	size_t i = 0, len, cut = 0, chars = 0;
	int w = 0, in_word = 0, ok;
	long cp;

	buf_init(&text, n + TEXT_SLACK);
	if (!wptext_from_html(&text, html, n, WPTEXT_EXCERPT)) {
		buf_free(&text);
		return 0;
	}
	while (i < text.len) {
		len = utf8_decode(text.data + i, text.len - i, &cp);
		if (cp == ' ') {
			if (in_word)
				cut = i;
			in_word = 0;
		} else if (!in_word) {
			if (w == words)
				break;
			in_word = 1;
			w++;
		}
		if (chars == max_chars)
			break;
		chars++;
		i += len;
	}
	if (i >= text.len)
		ok = buf_append(out, text.data, text.len);
	else {
		if (cut == 0)
			cut = i; /* one long word: cut inside it */
		ok = buf_append(out, text.data, cut) &&
		    buf_puts(out, "\xe2\x80\xa6");
	}
	buf_free(&text);
	return ok;
}

/*
 * Percent-decode a WordPress slug (post_name, a term's nicename) into out.
 * WordPress cuts post_name at 200 bytes, which can leave a truncated
 * escape or half a character at the end: those are dropped.  Returns 1
 * when out holds valid UTF-8 that fits, else 0.  Whether it is a usable
 * slug is wptext_slug_ok()'s business.
 */
int
wptext_slug_decode(const char *in, char out[SLUG_MAX + 1])
{
	size_t n = strlen(in), i, o = 0, k, need;
	unsigned char c;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o == SLUG_MAX)
			return 0;
		if (in[i] != '%') {
			out[o++] = in[i];
			continue;
		}
		if (n - i < PCT_LEN) {
			/* "%" or "%e" at the very end: WordPress's cut */
			for (k = i + 1; k < n && hex_digit(in[k]) >= 0; k++)
				;
			if (k == n)
				break;
			return 0;
		}
		if ((hi = hex_digit(in[i + 1])) < 0 ||
		    (lo = hex_digit(in[i + 2])) < 0)
			return 0;
		out[o++] = (char)(hi << 4 | lo);
		i += PCT_LEN - 1;
	}
	/* Drop an incomplete last character. */
	for (k = o; k > 0 && o - k < UTF8_SEQ_MAX - 1 &&
	     ((unsigned char)out[k - 1] & 0xc0) == 0x80;
	     k--)
		;
	if (k > 0 && (c = (unsigned char)out[k - 1]) >= 0xc0) {
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (o - (k - 1) < need)
			o = k - 1;
	}
	out[o] = '\0';
	return utf8_valid(out, o);
}

/*
 * Is s a slug the schema accepts: 1 to SLUG_MAX bytes of UTF-8 without
 * '/', '?', '#', '%', white space or control characters?  Returns 1 or 0.
 */
int
wptext_slug_ok(const char *s)
{
	size_t n = strlen(s), i = 0, len;
	long cp;

	if (n == 0 || n > SLUG_MAX || !utf8_valid(s, n))
		return 0;
	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (cp < 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == '/' || cp == '?' || cp == '#' || cp == '%' ||
		    is_space(cp) || cp == 0x200b || cp == 0xfeff)
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Make a slug from text the way WordPress's sanitize_title() does, near
 * enough: ASCII letters lower-cased, dots and white space become '-',
 * other ASCII punctuation goes, letters of other scripts stay.  Returns 1,
 * or 0 when nothing usable is left.
 */
int
wptext_slugify(const char *text, char out[SLUG_MAX + 1])
{
	size_t n = strlen(text), i = 0, o = 0, len;
	int dash = 0;
	long cp;

	while (i < n) {
		len = utf8_decode(text + i, n - i, &cp);
		i += len;
		if (cp < 0)
			continue;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    cp == '_' || cp == 0xd7) {
			if (cp == 0xd7)
				cp = 'x';
		} else if (cp == '-' || cp == '.' || is_space(cp) ||
		    (cp >= 0x2010 && cp <= 0x2015)) {
			dash = 1;
			continue;
		} else if (cp < 0xc0 || (cp >= 0x2000 && cp <= 0x206f) ||
		    (cp >= 0x3000 && cp <= 0x303f) || cp == 0xfeff ||
		    (cp >= 0xff00 && cp <= 0xff0f))
			continue;
		if (dash && o > 0) {
			if (o + 1 > SLUG_MAX)
				break;
			out[o++] = '-';
		}
		dash = 0;
		if (o + len > SLUG_MAX)
			break;
		if (cp < 0x80)
			out[o++] = (char)cp;
		else {
			memcpy(out + o, text + i - len, len);
			o += len;
		}
	}
	out[o] = '\0';
	return o > 0 && wptext_slug_ok(out);
}

/* Skip the white space WordPress leaves around a date or an id. */
static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return s;
}

/*
 * Turn WordPress's "YYYY-MM-DD HH:MM:SS" (UTC here) into a timestamp
 * PostgreSQL reads without doubt, "YYYY-MM-DD HH:MM:SS+00", in out.
 * Returns 1, or 0 for anything else, "0000-00-00 00:00:00" (no date yet)
 * and days or times that do not exist included.
 */
int
wptext_date(const char *in, char out[WPTEXT_DATE_LEN + 1])
{
	const char *p;
	int y, mo, d, h, mi, s;

	in = skip_space(in);
	p = in;
	if (!date_digits(&p, 4, &y) || *p++ != '-' ||
	    !date_digits(&p, 2, &mo) || *p++ != '-' ||
	    !date_digits(&p, 2, &d) || *p++ != ' ' || !date_digits(&p, 2, &h) ||
	    *p++ != ':' || !date_digits(&p, 2, &mi) || *p++ != ':' ||
	    !date_digits(&p, 2, &s) || *skip_space(p) != '\0')
		return 0;
	if (y < WP_YEAR_MIN || !calendar_date_ok(y, mo, d) ||
	    !calendar_time_ok(h, mi, s))
		return 0;
	memcpy(out, in, WP_DATE_LEN);
	memcpy(out + WP_DATE_LEN, UTC_OFFSET, sizeof(UTC_OFFSET));
	return 1;
}

/*
 * Parse a WordPress id, a positive decimal number of up to ID_DIGITS_MAX
 * digits with white space around it, into *out.  Returns 1, or 0 (*out
 * untouched) for anything else.
 */
int
wptext_id(const char *s, long long *out)
{
	long long v = 0;
	size_t i;

	s = skip_space(s);
	if (*s < '1' || *s > '9')
		return 0;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == ID_DIGITS_MAX)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (*skip_space(s + i) != '\0')
		return 0;
	*out = v;
	return 1;
}
