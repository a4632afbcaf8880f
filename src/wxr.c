/*
 * wxr.c: a WordPress export (WXR), read as a stream with libxml2's
 * xmlTextReader.
 *
 * An export is RSS 2.0 with WordPress's namespaces: the channel lists the
 * authors (<wp:author>), then one <item> per post, page, attachment or
 * menu item, each with its terms (<category>), post meta and comments.
 * The reader walks the file once and hands over one author or one item at
 * a time, its strings in an arena that is reset after the handler
 * returns, so memory stays flat however big the file.  Elements are
 * matched on namespace URI and local name, never on prefixes.
 *
 * The file is untrusted input.  libxml2 runs with XML_PARSE_NONET, without
 * XML_PARSE_NOENT, DTD loading or XML_PARSE_HUGE (so a text node is capped
 * at 10,000,000 bytes), with an entity loader that refuses everything,
 * and a document with a DOCTYPE is refused: a WordPress export has none,
 * and nothing then can declare an entity.  Every field has a cap of its
 * own, and an item over its cap is handed over marked bad, not read.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "arena.h"
#include "buf.h"
#include "comment.h"
#include "wxr.h"

#define WP_NS "http://wordpress.org/export/"
#define WP_NS_LEN (sizeof(WP_NS) - 1)
#define ARENA_CHUNK (64 * 1024) /* a record's strings, a chunk at a time */
#define FIRST_CAP 16		/* terms, comments, old slugs of an item */
#define QUOTE_MAX_VERSION 20	/* of a wxr_version an error quotes */
#define QUOTE_MAX_NAME 40	/* of an element's name */

enum ns { NS_NONE, NS_WP, NS_CONTENT, NS_EXCERPT, NS_DC, NS_OTHER };

struct field {
	enum ns ns;
	const char *name;
	int index;
	size_t cap;
};

static const struct field author_fields[] = { { NS_WP, "author_id", WA_ID,
						  WXR_LINE_MAX },
	{ NS_WP, "author_login", WA_LOGIN, WXR_LINE_MAX },
	{ NS_WP, "author_email", WA_EMAIL, WXR_LINE_MAX },
	{ NS_WP, "author_display_name", WA_DISPLAY_NAME, WXR_LINE_MAX },
	{ NS_WP, "author_first_name", WA_FIRST_NAME, WXR_LINE_MAX },
	{ NS_WP, "author_last_name", WA_LAST_NAME, WXR_LINE_MAX },
	{ NS_WP, "author_description", WA_DESCRIPTION, WXR_LINE_MAX },
	{ NS_NONE, NULL, 0, 0 } };

static const struct field item_fields[] = { { NS_NONE, "title", WI_TITLE,
						WXR_LINE_MAX },
	{ NS_DC, "creator", WI_CREATOR, WXR_LINE_MAX },
	{ NS_CONTENT, "encoded", WI_CONTENT, WXR_TEXT_MAX },
	{ NS_EXCERPT, "encoded", WI_EXCERPT, WXR_TEXT_MAX },
	{ NS_WP, "post_id", WI_POST_ID, WXR_LINE_MAX },
	{ NS_WP, "post_date", WI_POST_DATE, WXR_LINE_MAX },
	{ NS_WP, "post_date_gmt", WI_POST_DATE_GMT, WXR_LINE_MAX },
	{ NS_WP, "comment_status", WI_COMMENT_STATUS, WXR_LINE_MAX },
	{ NS_WP, "post_name", WI_POST_NAME, WXR_LINE_MAX },
	{ NS_WP, "status", WI_STATUS, WXR_LINE_MAX },
	{ NS_WP, "post_type", WI_POST_TYPE, WXR_LINE_MAX },
	{ NS_WP, "post_password", WI_POST_PASSWORD, WXR_LINE_MAX },
	{ NS_NONE, NULL, 0, 0 } };

static const struct field comment_fields[] = { { NS_WP, "comment_id", WC_ID,
						   WXR_LINE_MAX },
	{ NS_WP, "comment_author", WC_AUTHOR, WXR_LINE_MAX },
	{ NS_WP, "comment_author_email", WC_AUTHOR_EMAIL, WXR_LINE_MAX },
	{ NS_WP, "comment_author_url", WC_AUTHOR_URL, WXR_LINE_MAX },
	{ NS_WP, "comment_date", WC_DATE, WXR_LINE_MAX },
	{ NS_WP, "comment_date_gmt", WC_DATE_GMT, WXR_LINE_MAX },
	{ NS_WP, "comment_content", WC_CONTENT, WXR_TEXT_MAX },
	{ NS_WP, "comment_approved", WC_APPROVED, WXR_LINE_MAX },
	{ NS_WP, "comment_type", WC_TYPE, WXR_LINE_MAX },
	{ NS_WP, "comment_parent", WC_PARENT, WXR_LINE_MAX },
	{ NS_NONE, NULL, 0, 0 } };

enum { META_KEY, META_VALUE, META__MAX };

static const struct field meta_fields[] = { { NS_WP, "meta_key", META_KEY,
						WXR_LINE_MAX },
	{ NS_WP, "meta_value", META_VALUE, WXR_LINE_MAX },
	{ NS_NONE, NULL, 0, 0 } };

struct wxr {
	xmlTextReaderPtr r;
	const struct wxr_handler *h;
	char *err;
	size_t errsz;
	int failed; /* err holds the reason */
	int version_seen;
	struct arena arena; /* the current record's strings */
	size_t used;	    /* bytes of the current record */
	struct buf text;    /* one field's text as it is read */
	const char *bad;
	struct wxr_term *terms;
	size_t nterms, capterms;
	struct wxr_comment *comments;
	size_t ncomments, capcomments;
	const char **old;
	size_t nold, capold;
};

static void fail(struct wxr *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Keep the first error, with the line the reader is on. */
static void
fail(struct wxr *w, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int line;

	if (w->failed)
		return;
	w->failed = 1;
	line = w->r != NULL ? xmlTextReaderGetParserLineNumber(w->r) : 0;
	if (line > 0)
		snprintf(w->err, w->errsz, "line %d: ", line);
	else
		w->err[0] = '\0';
	n = strlen(w->err);
	va_start(ap, fmt);
	vsnprintf(w->err + n, w->errsz - n, fmt, ap);
	va_end(ap);
}

/* libxml2's errors: keep the first real one, with its line. */
#if LIBXML_VERSION >= 21200
static void
on_xml_error(void *arg, const xmlError *e)
#else
static void
on_xml_error(void *arg, xmlErrorPtr e)
#endif
{
	struct wxr *w = arg;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || w->failed)
		return;
	w->failed = 1;
	snprintf(w->err, w->errsz, "line %d: %s", e->line,
	    e->message != NULL ? e->message : "malformed XML");
	n = strlen(w->err);
	while (n > 0 && (w->err[n - 1] == '\n' || w->err[n - 1] == ' '))
		w->err[--n] = '\0';
}

static xmlParserInputPtr
deny_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static enum ns
ns_of(const xmlChar *uri)
{
	const char *u = (const char *)uri;

	if (u == NULL || *u == '\0')
		return NS_NONE;
	/* http://wordpress.org/export/1.2/ and .../1.2/excerpt/ */
	if (strncmp(u, WP_NS, WP_NS_LEN) == 0 &&
	    strstr(u + WP_NS_LEN, "excerpt") != NULL)
		return NS_EXCERPT;
	if (strncmp(u, WP_NS, WP_NS_LEN) == 0)
		return NS_WP;
	if (strcmp(u, "http://purl.org/rss/1.0/modules/content/") == 0)
		return NS_CONTENT;
	if (strcmp(u, "http://purl.org/dc/elements/1.1/") == 0)
		return NS_DC;
	return NS_OTHER;
}

/* Is the reader on the element ns:name? */
static int
is(struct wxr *w, enum ns ns, const char *name)
{
	const xmlChar *local = xmlTextReaderConstLocalName(w->r);

	return local != NULL && strcmp((const char *)local, name) == 0 &&
	    ns_of(xmlTextReaderConstNamespaceUri(w->r)) == ns;
}

/* Move to the next node: 1, or 0 at the end of the file or on an error. */
static int
next(struct wxr *w)
{
	int rc = xmlTextReaderRead(w->r);

	if (rc == 1 &&
	    xmlTextReaderNodeType(w->r) == XML_READER_TYPE_DOCUMENT_TYPE) {
		fail(w, "%s",
		    "the file has a DOCTYPE: a WordPress export has "
		    "none, and fascia reads no DTD");
		return 0;
	}
	if (rc == 1 &&
	    xmlTextReaderNodeType(w->r) == XML_READER_TYPE_ENTITY_REFERENCE) {
		fail(w, "%s",
		    "an entity reference: a WordPress export has "
		    "none");
		return 0;
	}
	if (rc == -1)
		fail(w, "%s", "malformed XML");
	return rc == 1 && !w->failed;
}

/* Copy n bytes into the record's arena.  NULL when out of memory. */
static const char *
keep(struct wxr *w, const char *s, size_t n)
{
	char *p;

	if (n > WXR_ITEM_MAX || w->used > WXR_ITEM_MAX - n) {
		if (w->bad == NULL)
			w->bad = "it is larger than " WXR_ITEM_MIB_TEXT " MiB";
		return "";
	}
	if ((p = arena_strndup(&w->arena, s, n)) == NULL) {
		fail(w, "%s", "out of memory");
		return NULL;
	}
	w->used += n + 1;
	return p;
}

/* Where inside() is in the element it walks. */
enum step {
	STEP_IN,   /* on a node inside the element */
	STEP_END,  /* on its end tag */
	STEP_ERROR /* the file is broken or ends first (said) */
};

/*
 * Move to the next node of the element that starts at depth, which is
 * not an empty one (<a/>).
 */
static enum step
inside(struct wxr *w, int depth)
{
	if (!next(w)) {
		fail(w, "%s", "the file ends inside an element");
		return STEP_ERROR;
	}
	if (xmlTextReaderNodeType(w->r) == XML_READER_TYPE_END_ELEMENT &&
	    xmlTextReaderDepth(w->r) == depth)
		return STEP_END;
	return STEP_IN;
}

/* Is the reader on a node of text (CDATA and white space included)? */
static int
on_text(struct wxr *w)
{
	int type = xmlTextReaderNodeType(w->r);

	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	    type == XML_READER_TYPE_WHITESPACE ||
	    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/*
 * Read the text of the element the reader is on, to its end tag, into
 * *out (the record's arena).  Text longer than cap marks the record bad.
 * Returns 1, or 0 on an error.
 */
static int
read_text(struct wxr *w, size_t cap, const char *what, const char **out)
{
	int depth = xmlTextReaderDepth(w->r);
	const xmlChar *v;
	size_t total = 0;
	enum step st;

	buf_reset(&w->text);
	w->text.max = cap;
	if (!xmlTextReaderIsEmptyElement(w->r)) {
		while ((st = inside(w, depth)) == STEP_IN)
			if (on_text(w) &&
			    (v = xmlTextReaderConstValue(w->r)) != NULL) {
				total += strlen((const char *)v);
				buf_puts(&w->text, (const char *)v);
			}
		if (st == STEP_ERROR)
			return 0;
	}
	if (w->text.failed) {
		if (total <= cap) {
			fail(w, "%s", "out of memory");
			return 0;
		}
		if (w->bad == NULL &&
		    (w->bad = arena_printf(&w->arena,
			 "its %s is longer than %zu bytes", what, cap)) ==
			NULL) {
			fail(w, "%s", "out of memory");
			return 0;
		}
		*out = "";
		return 1;
	}
	*out = keep(w, w->text.data != NULL ? w->text.data : "", w->text.len);
	return *out != NULL;
}

/* Skip the element the reader is on, with everything inside it. */
static int
skip(struct wxr *w)
{
	int depth = xmlTextReaderDepth(w->r);
	enum step st;

	if (xmlTextReaderIsEmptyElement(w->r))
		return 1;
	while ((st = inside(w, depth)) == STEP_IN)
		;
	return st == STEP_END;
}

/* What a record's reader of other children did with one. */
enum child {
	CHILD_READ,  /* it was one of them, and is read */
	CHILD_ERROR, /* it was, and could not be read (said) */
	CHILD_OTHER  /* it is not one of them */
};

/*
 * Read the children of the element the reader is on.  Those named in
 * fields go to f[]; any other is handed to other() when given, and
 * skipped unless that reads it.  Returns 1, or 0 on an error.
 */
static int
read_record(struct wxr *w, const struct field *fields, const char **f,
    enum child (*other)(struct wxr *))
{
	int depth = xmlTextReaderDepth(w->r), i;
	enum child rc;
	enum step st;

	if (xmlTextReaderIsEmptyElement(w->r))
		return 1;
	while ((st = inside(w, depth)) == STEP_IN) {
		if (xmlTextReaderNodeType(w->r) != XML_READER_TYPE_ELEMENT)
			continue;
		for (i = 0; fields[i].name != NULL; i++)
			if (is(w, fields[i].ns, fields[i].name))
				break;
		if (fields[i].name != NULL) {
			if (!read_text(w, fields[i].cap, fields[i].name,
				&f[fields[i].index]))
				return 0;
			continue;
		}
		rc = other != NULL ? other(w) : CHILD_OTHER;
		if (rc == CHILD_ERROR || (rc == CHILD_OTHER && !skip(w)))
			return 0;
	}
	return st == STEP_END;
}

/*
 * Make room for element n of the array arr of *cap elements.  Returns the
 * array, moved perhaps, or NULL when out of memory (arr is kept).
 */
static void *
grow(struct wxr *w, void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : FIRST_CAP;
	if (ncap > WXR_ITEM_MAX / size ||
	    (p = realloc(arr, ncap * size)) == NULL) {
		fail(w, "%s", "out of memory");
		return NULL;
	}
	*cap = ncap;
	return p;
}

/* An attribute's value, kept in the record's arena; NULL when absent. */
static int
attr(struct wxr *w, const char *name, const char **out)
{
	xmlChar *v = xmlTextReaderGetAttribute(w->r, (const xmlChar *)name);

	*out = NULL;
	if (v == NULL)
		return 1;
	*out = keep(w, (const char *)v, strlen((const char *)v));
	xmlFree(v);
	return *out != NULL;
}

/* <category domain="post_tag" nicename="kiln">Kiln</category> */
static int
read_term(struct wxr *w)
{
	struct wxr_term *t;

	if ((t = grow(w, w->terms, &w->capterms, w->nterms,
		 sizeof(*w->terms))) == NULL)
		return 0;
	w->terms = t;
	t = &w->terms[w->nterms];
	if (!attr(w, "domain", &t->domain) ||
	    !attr(w, "nicename", &t->nicename) ||
	    !read_text(w, WXR_LINE_MAX, "a category", &t->name))
		return 0;
	w->nterms++;
	return 1;
}

static int
read_comment(struct wxr *w)
{
	struct wxr_comment *c;

	if ((c = grow(w, w->comments, &w->capcomments, w->ncomments,
		 sizeof(*w->comments))) == NULL)
		return 0;
	w->comments = c;
	c = &w->comments[w->ncomments];
	memset(c, 0, sizeof(*c));
	c->line = xmlTextReaderGetParserLineNumber(w->r);
	if (!read_record(w, comment_fields, c->f, NULL))
		return 0;
	w->ncomments++;
	return 1;
}

/* <wp:postmeta>: only _wp_old_slug, a slug the post had before, is kept. */
static int
read_meta(struct wxr *w)
{
	const char *meta[META__MAX] = { NULL, NULL };
	const char **o;

	if (!read_record(w, meta_fields, meta, NULL))
		return 0;
	if (meta[META_KEY] == NULL || meta[META_VALUE] == NULL ||
	    strcmp(meta[META_KEY], "_wp_old_slug") != 0)
		return 1;
	if ((o = grow(w, w->old, &w->capold, w->nold, sizeof(*w->old))) == NULL)
		return 0;
	w->old = o;
	w->old[w->nold++] = meta[META_VALUE];
	return 1;
}

/* The children of an item that are records of their own. */
static enum child
item_child(struct wxr *w)
{
	int ok;

	if (is(w, NS_NONE, "category"))
		ok = read_term(w);
	else if (is(w, NS_WP, "comment"))
		ok = read_comment(w);
	else if (is(w, NS_WP, "postmeta"))
		ok = read_meta(w);
	else
		return CHILD_OTHER;
	return ok ? CHILD_READ : CHILD_ERROR;
}

static void
record_reset(struct wxr *w)
{
	arena_reset(&w->arena);
	w->used = 0;
	w->bad = NULL;
	w->nterms = w->ncomments = w->nold = 0;
}

/* What became of a record: read and handed over, or not. */
enum record {
	RECORD_OK,
	RECORD_ERROR,  /* the file is broken (said) */
	RECORD_STOPPED /* the handler asked to stop */
};

static enum record
read_author(struct wxr *w)
{
	struct wxr_author a;

	memset(&a, 0, sizeof(a));
	a.line = xmlTextReaderGetParserLineNumber(w->r);
	record_reset(w);
	if (!read_record(w, author_fields, a.f, NULL))
		return RECORD_ERROR;
	return w->h->author == NULL || w->h->author(w->h->arg, &a) ?
	    RECORD_OK :
	    RECORD_STOPPED;
}

static enum record
read_item(struct wxr *w)
{
	struct wxr_item it;
	enum record rc;

	memset(&it, 0, sizeof(it));
	it.line = xmlTextReaderGetParserLineNumber(w->r);
	record_reset(w);
	if (!read_record(w, item_fields, it.f, item_child))
		return RECORD_ERROR;
	it.terms = w->terms;
	it.nterms = w->nterms;
	it.comments = w->comments;
	it.ncomments = w->ncomments;
	it.old_slugs = w->old;
	it.nold_slugs = w->nold;
	it.bad = w->bad;
	rc = RECORD_OK;
	if (w->h->item != NULL && !w->h->item(w->h->arg, &it))
		rc = RECORD_STOPPED;
	record_reset(w);
	return rc;
}

/* The channel's children: the authors and the items. */
static enum record
read_channel_child(struct wxr *w)
{
	const char *version;

	if (is(w, NS_WP, "wxr_version")) {
		record_reset(w);
		if (!read_text(w, WXR_LINE_MAX, "wxr_version", &version))
			return RECORD_ERROR;
		if (version[0] != '1' || version[1] != '.') {
			fail(w,
			    "WXR version \"%.*s\" is not one fascia reads "
			    "(1.0 to 1.2)",
			    QUOTE_MAX_VERSION, version);
			return RECORD_ERROR;
		}
		w->version_seen = 1;
		return RECORD_OK;
	}
	if (!is(w, NS_WP, "author") && !is(w, NS_NONE, "item"))
		return skip(w) ? RECORD_OK : RECORD_ERROR;
	if (!w->version_seen) {
		fail(w, "%s",
		    "not a WordPress export: no <wp:wxr_version> "
		    "before the first author or item");
		return RECORD_ERROR;
	}
	return is(w, NS_WP, "author") ? read_author(w) : read_item(w);
}

static enum wxr_res
read_doc(struct wxr *w)
{
	const xmlChar *name;
	enum record rc;

	while (next(w)) {
		if (xmlTextReaderNodeType(w->r) != XML_READER_TYPE_ELEMENT)
			continue;
		switch (xmlTextReaderDepth(w->r)) {
		case 0:
			if (!is(w, NS_NONE, "rss")) {
				name = xmlTextReaderConstName(w->r);
				fail(w,
				    "not a WordPress export: the root "
				    "element is <%.*s>, not <rss>",
				    QUOTE_MAX_NAME,
				    name != NULL ? (const char *)name : "?");
				return WXR_ERROR;
			}
			break;
		case 1:
			if (!is(w, NS_NONE, "channel") && !skip(w))
				return WXR_ERROR;
			break;
		default:
			if ((rc = read_channel_child(w)) == RECORD_STOPPED)
				return WXR_STOPPED;
			if (rc == RECORD_ERROR)
				return WXR_ERROR;
			break;
		}
	}
	if (w->failed)
		return WXR_ERROR;
	if (!w->version_seen) {
		fail(w, "%s", "not a WordPress export: no <wp:wxr_version>");
		return WXR_ERROR;
	}
	return WXR_OK;
}

/*
 * Read the export at path, calling h's functions for each author and each
 * item.  Returns WXR_OK when the whole file was read; WXR_STOPPED when a
 * handler asked to stop; WXR_ERROR with the reason, and its line when
 * there is one, in err.  What the handlers were given before an error
 * stands: the caller decides what to do with it.
 */
enum wxr_res
wxr_read(const char *path, const struct wxr_handler *h, char *err, size_t errsz)
{
	xmlExternalEntityLoader old_loader;
	struct wxr w;
	enum wxr_res res;
	int fd;

	memset(&w, 0, sizeof(w));
	w.h = h;
	w.err = err;
	w.errsz = errsz;
	err[0] = '\0';
	arena_init(&w.arena, ARENA_CHUNK);
	buf_init(&w.text, WXR_LINE_MAX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s", strerror(errno));
		return WXR_ERROR;
	}
	LIBXML_TEST_VERSION
	old_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(deny_entity);
	w.r = xmlReaderForFd(fd, NULL, NULL, XML_PARSE_NONET);
	if (w.r == NULL) {
		snprintf(err, errsz, "%s", "cannot start the XML reader");
		res = WXR_ERROR;
	} else {
		xmlTextReaderSetStructuredErrorHandler(w.r, on_xml_error, &w);
		res = read_doc(&w);
		xmlFreeTextReader(w.r);
	}
	xmlSetExternalEntityLoader(old_loader);
	close(fd);
	arena_free(&w.arena);
	buf_free(&w.text);
	free(w.terms);
	free(w.comments);
	free(w.old);
	return res;
}
