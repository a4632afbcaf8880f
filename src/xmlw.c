/*
 * xmlw.c: an XML document (a feed, the sitemap) written with libxml2's
 * xmlTextWriter straight into a buffer, so that the structure, names and
 * attributes are the library's.  Text that XML 1.0 cannot carry at all
 * (control characters a WordPress import may bring, U+FFFE and U+FFFF) is
 * dropped, so that the document is always well-formed.
 *
 * Element text is escaped here, in one pass that also drops what XML
 * cannot carry, straight into the buffer: libxml2 copies every text into
 * a string of its own, grown byte by byte, which was half of the cost of
 * a feed of twenty whole posts.
 *
 * A failure anywhere (the buffer's cap, memory) is remembered and reported
 * once, by xmlw_close(): the writing functions return nothing to check.
 */
#include <stdint.h>
#include <string.h>

#include "log.h"
#include "xmlw.h"

#define XC(s) ((const xmlChar *)(s))

/* Does p start a character XML 1.0 cannot carry?  Its length, or 0. */
static size_t
not_xml(const unsigned char *p)
{
	if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
		return 1;
	if (p[0] == 0xef && p[1] == 0xbf && (p[2] & 0xfe) == 0xbe)
		return 3; /* U+FFFE, U+FFFF */
	return 0;
}

/*
 * Return s without the characters XML 1.0 cannot carry: s itself when it
 * has none, else a copy in x's arena ("" for NULL or out of memory).
 * For attributes, which the writer escapes itself.
 */
static const char *
xml_text(struct xmlw *x, const char *s)
{
	const unsigned char *p;
	char *out, *o;
	size_t n;

	if (s == NULL)
		return "";
	for (p = (const unsigned char *)s; *p != '\0' && not_xml(p) == 0; p++)
		;
	if (*p == '\0')
		return s;
	if ((out = arena_alloc(x->arena, strlen(s) + 1)) == NULL)
		return "";
	for (o = out, p = (const unsigned char *)s; *p != '\0';) {
		if ((n = not_xml(p)) > 0)
			p += n;
		else
			*o++ = (char)*p++;
	}
	*o = '\0';
	return out;
}

/* The escape of the character c in element text, or NULL: the writer's. */
static const char *
text_escape(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\r':
		return "&#13;";
	default:
		return NULL;
	}
}

/*
 * Append s to out as element text: escaped, without what XML cannot
 * carry.  Runs of ordinary bytes are copied whole.
 */
static void
append_escaped(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const char *e;
	size_t k;

	for (;;) {
		if (*p >= 0x20 && *p != '&' && *p != '<' && *p != '>' &&
		    *p != 0xef) {
			p++;
			continue;
		}
		buf_append(out, run, (size_t)(p - run));
		if (*p == '\0')
			return;
		if ((e = text_escape(*p)) != NULL) {
			buf_puts(out, e);
			p++;
		} else if ((k = not_xml(p)) > 0)
			p += k;
		else
			buf_append(out, p++,
			    1); /* a tab, a line break, U+Fxxx */
		run = p;
	}
}

static int
to_buf(void *ctx, const char *p, int len)
{
	return buf_append(ctx, p, (size_t)len) ? len : -1;
}

static int
no_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/*
 * Start a document (UTF-8, indented with tabs) in out, emptied first;
 * cleaned text is allocated from a.  Returns 1, or 0 when libxml2 could
 * not start (out of memory).
 */
int
xmlw_open(struct xmlw *x, struct buf *out, struct arena *a)
{
	xmlOutputBufferPtr ob;

	x->out = out;
	x->arena = a;
	x->err = 0;
	buf_reset(out);
	if ((ob = xmlOutputBufferCreateIO(to_buf, no_close, out, NULL)) == NULL)
		return 0;
	if ((x->w = xmlNewTextWriter(ob)) == NULL) {
		xmlOutputBufferClose(ob);
		return 0;
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, XC("\t")) < 0 ||
	    xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
		x->err = 1;
	return 1;
}

/* Open the element name. */
void
xmlw_start(struct xmlw *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, XC(name)) < 0)
		x->err = 1;
}

/* Add an attribute to the element just opened. */
void
xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(x->w, XC(name),
		XC(xml_text(x, value))) < 0)
		x->err = 1;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Has the word w a zero byte?  (The classic test: exact for any w.) */
static int
zero_byte(uint64_t w)
{
	return ((w - ONES) & ~w & HIGHS) != 0;
}

/*
 * Might one of the eight bytes of w need a look in a CDATA section: below
 * 0x20, ']' or 0xEF?  May say yes for a byte that is ordinary (above 0x7F,
 * say), never no for one that is not.
 */
static int
special8(uint64_t w)
{
	return ((w - ONES * 0x20) & HIGHS) != 0 ||
	    zero_byte(w ^ (ONES * ']')) || zero_byte(w ^ (ONES * 0xef));
}

/*
 * Append s to out as the inside of a CDATA section: as it is, but for what
 * XML cannot carry, and with each "]]>" split across two sections.
 */
static void
append_cdata(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *end = p + strlen(s);
	uint64_t w;
	size_t k;

	for (;;) {
		/* Eight ordinary bytes at a time (a post is mostly those). */
		while (end - p >= 8 && (memcpy(&w, p, 8), !special8(w)))
			p += 8;
		if (p < end && *p >= 0x20 && *p != ']' && *p != 0xef) {
			p++;
			continue;
		}
		buf_append(out, run, (size_t)(p - run));
		if (p == end)
			return;
		if (strncmp((const char *)p, "]]>", 3) == 0) {
			buf_puts(out, "]]]]><![CDATA[>");
			p += 3;
		} else if ((k = not_xml(p)) > 0)
			p += k;
		else
			buf_append(out, p++, 1);
		run = p;
	}
}

/* Let the writer close the start tag and hand over all it holds, so that
 * what follows can go straight into the buffer.  Returns 1 or 0. */
static int
hand_over(struct xmlw *x)
{
	if (xmlTextWriterWriteRawLen(x->w, XC(""), 0) < 0 ||
	    xmlTextWriterFlush(x->w) < 0) {
		x->err = 1;
		return 0;
	}
	return 1;
}

/*
 * Write text inside the open element: the writer closes the start tag
 * and hands over what it holds, then the text goes straight into the
 * buffer after it.
 */
void
xmlw_text(struct xmlw *x, const char *text)
{
	if (text != NULL && *text != '\0' && hand_over(x))
		append_escaped(x->out, text);
}

/*
 * Write markup (a post's HTML) inside the open element as a CDATA
 * section: the same text to a reader, without an escape for every tag.
 */
void
xmlw_cdata(struct xmlw *x, const char *markup)
{
	if (markup == NULL || *markup == '\0' || !hand_over(x))
		return;
	buf_puts(x->out, "<![CDATA[");
	append_cdata(x->out, markup);
	buf_puts(x->out, "]]>");
}

/* Close the innermost open element. */
void
xmlw_end(struct xmlw *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->err = 1;
}

/* <name>text</name> */
void
xmlw_elem(struct xmlw *x, const char *name, const char *text)
{
	xmlw_start(x, name);
	xmlw_text(x, text);
	xmlw_end(x);
}

/* <name attr="value">text</name>, or <name attr="value"/> when text is NULL */
void
xmlw_elem_attr(struct xmlw *x, const char *name, const char *attr,
    const char *value, const char *text)
{
	xmlw_start(x, name);
	xmlw_attr(x, attr, value);
	if (text != NULL)
		xmlw_text(x, text);
	xmlw_end(x);
}

/*
 * Finish the document and free the writer.  Returns 1, or 0 when anything
 * failed (the buffer is full, memory ran out), after logging it.
 */
int
xmlw_close(struct xmlw *x)
{
	if (xmlTextWriterEndDocument(x->w) < 0)
		x->err = 1;
	xmlFreeTextWriter(x->w); /* flushes into the buffer */
	x->w = NULL;
	if (x->err || x->out->failed) {
		log_err("writing the XML failed (too large, or out of memory)");
		return 0;
	}
	return 1;
}
