/*
 * feed.c: the machine-readable side of the site: RSS 2.0 and Atom 1.0
 * feeds (the site's, a tag's, an author's), /sitemap.xml and /robots.txt.
 *
 * The XML is written with libxml2's xmlTextWriter straight into the
 * response buffer, so every name, attribute and text is escaped by the
 * library; text that XML 1.0 cannot carry at all (control characters a
 * WordPress import may bring) is dropped first, so that a feed is always
 * well-formed.  Every URL is absolute, made from the configured base URL.
 *
 * A feed is polled, so it answers conditional requests: a cheap first
 * query reads what the feed's 20 posts are and when they last changed;
 * its hash is the ETag and its newest date the Last-Modified, and a
 * client that already has that version gets 304 without the posts ever
 * being read.  Entry ids are tag: URIs (RFC 4151) made of the site's host,
 * the post's creation date and its id, so they survive a change of slug
 * or title.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <sodium.h>

#include "date.h"
#include "finding.h"
#include "log.h"

#define FEED_CACHE_CONTROL "max-age=300"
#define XC(s) ((const xmlChar *)(s))
#define ETAG_BYTES 16

enum feed_kind {
	FEED_RSS,
	FEED_ATOM
};

/* Which posts a feed carries: the site's, a tag's or an author's. */
struct scope {
	const char *id;		/* the tag's or author's id; NULL: the site */
	const char *title;	/* the feed's title */
	const char *description;
	const char *path;	/* the HTML page the feed follows: "/tag/x/" */
	enum stmt state;	/* the validator query */
	enum stmt items;	/* the posts */
};

/*
 * What the feeds need from the config, worked out once per worker: the
 * host for tag: URIs, the path under it, and a hash of every setting that
 * shows in a feed, so that a changed title changes the ETags.
 */
static struct {
	const struct conf *conf;
	char host[256];
	char path[512];
	unsigned char salt[ETAG_BYTES];
	char robots[1024];
} site;

static void
site_init(const struct conf *c)
{
	crypto_generichash_state h;
	const char *p, *end, *at, *colon;
	size_t n, i;

	if (site.conf == c)
		return;
	site.conf = c;
	/* base_url is scheme://[user@]host[:port][/path], checked by conf.c. */
	p = strstr(c->base_url, "://");
	p = p != NULL ? p + 3 : c->base_url;
	end = p + strcspn(p, "/");
	if ((at = memchr(p, '@', (size_t)(end - p))) != NULL)
		p = at + 1;
	if (*p == '[')	/* an IPv6 literal: keep it whole, port or not */
		colon = memchr(p, ']', (size_t)(end - p));
	else
		colon = memchr(p, ':', (size_t)(end - p));
	n = (size_t)((colon != NULL ? colon + (*p == '[') : end) - p);
	if (n >= sizeof(site.host))
		n = sizeof(site.host) - 1;
	for (i = 0; i < n; i++)
		site.host[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ?
		    p[i] - 'A' + 'a' : p[i]);
	site.host[n] = '\0';
	snprintf(site.path, sizeof(site.path), "%s", end);

	crypto_generichash_init(&h, NULL, 0, sizeof(site.salt));
	crypto_generichash_update(&h, (const unsigned char *)c->base_url,
	    strlen(c->base_url) + 1);
	crypto_generichash_update(&h, (const unsigned char *)c->site_title,
	    strlen(c->site_title) + 1);
	crypto_generichash_update(&h,
	    (const unsigned char *)c->site_description,
	    strlen(c->site_description) + 1);
	crypto_generichash_update(&h, (const unsigned char *)c->language,
	    strlen(c->language) + 1);
	crypto_generichash_final(&h, site.salt, sizeof(site.salt));

	snprintf(site.robots, sizeof(site.robots),
	    "User-agent: *\nDisallow:\n\nSitemap: %s/sitemap.xml\n",
	    c->base_url);
}

/*
 * Does the If-None-Match header value match etag (a quoted strong tag)?
 * Weak comparison, as RFC 9110 asks for If-None-Match: W/"x" matches "x"
 * (nginx makes a tag weak when it compresses the response).  "*" matches
 * any tag.  A malformed list matches nothing.
 */
int
etag_match(const char *header, const char *etag)
{
	const char *p = header, *end;
	size_t n = strlen(etag);

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return 0;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"' || (end = strchr(p + 1, '"')) == NULL)
			return 0;
		end++;
		if ((size_t)(end - p) == n && memcmp(p, etag, n) == 0)
			return 1;
		p = end;
	}
}

/*
 * Should a GET with these conditional headers (NULL when absent) get 304
 * for a representation with this etag and last modification time (0:
 * unknown)?  If-None-Match, when present, decides alone (RFC 9110 13.2.2).
 */
int
not_modified(const char *if_none_match, const char *if_modified_since,
    const char *etag, time_t last_modified)
{
	time_t since;

	if (if_none_match != NULL)
		return etag_match(if_none_match, etag);
	if (if_modified_since == NULL || last_modified <= 0 ||
	    !date_parse_http(if_modified_since, &since))
		return 0;
	return last_modified <= since;
}

/*
 * Return s without the characters XML 1.0 cannot carry (controls other
 * than tab, newline and CR; U+FFFE and U+FFFF): s itself when it has
 * none, else a copy in the arena.
 */
static const char *
xml_text(struct req *r, const char *s)
{
	const unsigned char *p;
	char *out, *o;

	if (s == NULL)
		return "";
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
		    (p[0] == 0xef && p[1] == 0xbf && (p[2] & 0xfe) == 0xbe))
			break;
	if (*p == '\0')
		return s;
	if ((out = arena_alloc(r->arena, strlen(s) + 1)) == NULL)
		return "";
	for (o = out, p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			continue;
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] & 0xfe) == 0xbe) {
			p += 2;
			continue;
		}
		*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

/* A document being written into the response body. */
struct xw {
	xmlTextWriterPtr w;
	struct req *r;
	int err;
};

static int
xw_write(void *ctx, const char *p, int len)
{
	return buf_append(ctx, p, (size_t)len) ? len : -1;
}

static int
xw_noclose(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Start an XML document in r's response body.  Returns 1 or 0. */
static int
xw_open(struct xw *x, struct req *r)
{
	xmlOutputBufferPtr out;

	x->r = r;
	x->err = 0;
	buf_reset(&r->w->body);
	if ((out = xmlOutputBufferCreateIO(xw_write, xw_noclose,
	    &r->w->body, NULL)) == NULL)
		return 0;
	if ((x->w = xmlNewTextWriter(out)) == NULL) {
		xmlOutputBufferClose(out);
		return 0;
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, XC("\t")) < 0 ||
	    xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
		x->err = 1;
	return 1;
}

static void
xw_start(struct xw *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, XC(name)) < 0)
		x->err = 1;
}

static void
xw_attr(struct xw *x, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(x->w, XC(name),
	    XC(xml_text(x->r, value))) < 0)
		x->err = 1;
}

static void
xw_end(struct xw *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->err = 1;
}

/* <name>text</name> */
static void
xw_elem(struct xw *x, const char *name, const char *text)
{
	if (xmlTextWriterWriteElement(x->w, XC(name),
	    XC(xml_text(x->r, text))) < 0)
		x->err = 1;
}

/* <name attr="value">text</name>, or <name attr="value"/> when text is NULL */
static void
xw_elem_attr(struct xw *x, const char *name, const char *attr,
    const char *value, const char *text)
{
	xw_start(x, name);
	xw_attr(x, attr, value);
	if (text != NULL && xmlTextWriterWriteString(x->w,
	    XC(xml_text(x->r, text))) < 0)
		x->err = 1;
	xw_end(x);
}

/*
 * Finish the document.  Returns 1, or 0 when anything failed (the
 * response buffer is full, memory ran out), after logging it.
 */
static int
xw_close(struct xw *x)
{
	if (xmlTextWriterEndDocument(x->w) < 0)
		x->err = 1;
	xmlFreeTextWriter(x->w);	/* flushes into the body */
	if (x->err || x->r->w->body.failed) {
		log_err("writing the XML failed (too large, or out of memory)");
		return 0;
	}
	return 1;
}

static const char *
date_str(struct req *r, int (*fmt)(char *, size_t, time_t), const char *epoch)
{
	char d[DATE_MAX];

	if (epoch == NULL || !fmt(d, sizeof(d), (time_t)strtoll(epoch, NULL,
	    10)))
		return NULL;
	return arena_strdup(r->arena, d);
}

static const char *
abs_url(struct req *r, const char *prefix, const char *slug)
{
	return req_url(r, "%s%s%s/", r->conf->base_url, prefix,
	    url_encode_segment(r->arena, slug));
}

/* The entry's id: tag:host,YYYY-MM-DD:/path/post-ID */
static const char *
entry_id(struct req *r, const struct rows *p, int i)
{
	return req_url(r, "tag:%s,%s:%s/post-%s", site.host,
	    ROW(p, i, FC_CREATED), site.path, ROW(p, i, FC_ID));
}

/*
 * Write the categories of a feed row from its tags column: "slug\x1fname"
 * entries joined by \x1e, NULL when the post has no tags.  RSS takes the
 * name, Atom the slug as the term and the name as the label.
 */
static void
each_tag(struct xw *x, struct req *r, const char *tags, enum feed_kind kind)
{
	const char *p = tags, *sep, *end;
	char *slug, *name;

	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, "\x1e");
		if ((sep = memchr(p, '\x1f', (size_t)(end - p))) != NULL) {
			slug = arena_strndup(r->arena, p, (size_t)(sep - p));
			name = arena_strndup(r->arena, sep + 1,
			    (size_t)(end - sep - 1));
			if (slug != NULL && name != NULL && kind == FEED_RSS)
				xw_elem(x, "category", name);
			else if (slug != NULL && name != NULL) {
				xw_start(x, "category");
				xw_attr(x, "term", slug);
				xw_attr(x, "label", name);
				xw_attr(x, "scheme", req_url(r, "%s/tag/",
				    r->conf->base_url));
				xw_end(x);
			}
		}
		p = *end != '\0' ? end + 1 : end;
	}
}

static void
rss(struct xw *x, struct req *r, const struct scope *sc, const struct rows *p,
    const char *self, const char *updated)
{
	const char *url;
	int i;

	xw_start(x, "rss");
	xw_attr(x, "version", "2.0");
	xw_attr(x, "xmlns:content", "http://purl.org/rss/1.0/modules/content/");
	xw_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	xw_attr(x, "xmlns:atom", "http://www.w3.org/2005/Atom");
	xw_start(x, "channel");
	xw_elem(x, "title", sc->title);
	xw_start(x, "atom:link");
	xw_attr(x, "href", self);
	xw_attr(x, "rel", "self");
	xw_attr(x, "type", "application/rss+xml");
	xw_end(x);
	xw_elem(x, "link", req_url(r, "%s%s", r->conf->base_url, sc->path));
	xw_elem(x, "description", sc->description);
	xw_elem(x, "language", r->conf->language);
	if (updated != NULL)
		xw_elem(x, "lastBuildDate", updated);
	xw_elem(x, "generator", "fascia");
	for (i = 0; i < p->n; i++) {
		url = abs_url(r, "/", ROW(p, i, FC_SLUG));
		xw_start(x, "item");
		xw_elem(x, "title", ROW(p, i, FC_TITLE));
		xw_elem(x, "link", url);
		xw_elem(x, "dc:creator", ROW(p, i, FC_AUTHOR_NAME));
		xw_elem(x, "pubDate", date_str(r, date_rfc822,
		    ROW(p, i, FC_PUBLISHED)));
		each_tag(x, r, ROW(p, i, FC_TAGS), FEED_RSS);
		xw_elem_attr(x, "guid", "isPermaLink", "false",
		    entry_id(r, p, i));
		if (*ROW(p, i, FC_EXCERPT) != '\0')
			xw_elem(x, "description", ROW(p, i, FC_EXCERPT));
		xw_elem(x, "content:encoded", ROW(p, i, FC_BODY));
		xw_end(x);
	}
	xw_end(x);
	xw_end(x);
}

static void
xw_link(struct xw *x, const char *rel, const char *type, const char *href)
{
	xw_start(x, "link");
	xw_attr(x, "rel", rel);
	xw_attr(x, "type", type);
	xw_attr(x, "href", href);
	xw_end(x);
}

static void
atom(struct xw *x, struct req *r, const struct scope *sc, const struct rows *p,
    const char *self, const char *updated)
{
	const char *url;
	int i;

	xw_start(x, "feed");
	xw_attr(x, "xmlns", "http://www.w3.org/2005/Atom");
	xw_attr(x, "xml:lang", r->conf->language);
	xw_elem(x, "id", self);
	xw_elem(x, "title", sc->title);
	xw_elem(x, "subtitle", sc->description);
	xw_link(x, "self", "application/atom+xml", self);
	xw_link(x, "alternate", "text/html", req_url(r, "%s%s",
	    r->conf->base_url, sc->path));
	/* An empty feed has changed never: the epoch, not "now". */
	xw_elem(x, "updated", updated != NULL ? updated :
	    "1970-01-01T00:00:00Z");
	xw_elem(x, "generator", "fascia");
	for (i = 0; i < p->n; i++) {
		url = abs_url(r, "/", ROW(p, i, FC_SLUG));
		xw_start(x, "entry");
		xw_elem(x, "id", entry_id(r, p, i));
		xw_elem_attr(x, "title", "type", "text", ROW(p, i, FC_TITLE));
		xw_link(x, "alternate", "text/html", url);
		xw_elem(x, "published", date_str(r, date_rfc3339,
		    ROW(p, i, FC_PUBLISHED)));
		xw_elem(x, "updated", date_str(r, date_rfc3339,
		    ROW(p, i, FC_MODIFIED)));
		xw_start(x, "author");
		xw_elem(x, "name", ROW(p, i, FC_AUTHOR_NAME));
		xw_elem(x, "uri", abs_url(r, "/author/",
		    ROW(p, i, FC_AUTHOR_SLUG)));
		xw_end(x);
		each_tag(x, r, ROW(p, i, FC_TAGS), FEED_ATOM);
		if (*ROW(p, i, FC_EXCERPT) != '\0')
			xw_elem_attr(x, "summary", "type", "text",
			    ROW(p, i, FC_EXCERPT));
		/* Relative links in the body resolve against the post. */
		xw_start(x, "content");
		xw_attr(x, "type", "html");
		xw_attr(x, "xml:base", url);
		if (xmlTextWriterWriteString(x->w,
		    XC(xml_text(r, ROW(p, i, FC_BODY)))) < 0)
			x->err = 1;
		xw_end(x);
		xw_end(x);
	}
	xw_end(x);
}

/*
 * Answer the feed of kind for scope sc: 304 when the client has this
 * version, else the document.
 */
static int
feed(struct req *r, enum feed_kind kind, const struct scope *sc)
{
	const char *params[1] = { sc->id };
	crypto_generichash_state h;
	unsigned char hash[ETAG_BYTES];
	char etag[2 * ETAG_BYTES + 3], lm[DATE_MAX];
	struct rows state, items;
	enum db_res res;
	const char *self, *updated, *keys, *when;
	time_t last = 0;
	struct xw x;

	site_init(r->conf);
	if ((res = db_query(&r->w->db, r->arena, sc->state, params,
	    &state)) != DB_OK)
		return res == DB_UNAVAILABLE ? 503 : 500;
	when = state.n == 1 ? ROW(&state, 0, 1) : NULL;
	keys = state.n == 1 ? ROW(&state, 0, 2) : NULL;
	if (when != NULL)
		last = (time_t)strtoll(when, NULL, 10);

	crypto_generichash_init(&h, NULL, 0, sizeof(hash));
	crypto_generichash_update(&h, site.salt, sizeof(site.salt));
	crypto_generichash_update(&h, (const unsigned char *)(kind == FEED_RSS ?
	    "rss" : "atom"), kind == FEED_RSS ? 4 : 5);
	crypto_generichash_update(&h, (const unsigned char *)sc->title,
	    strlen(sc->title) + 1);
	crypto_generichash_update(&h, (const unsigned char *)sc->description,
	    strlen(sc->description) + 1);
	if (keys != NULL)
		crypto_generichash_update(&h, (const unsigned char *)keys,
		    strlen(keys));
	crypto_generichash_final(&h, hash, sizeof(hash));
	etag[0] = '"';
	sodium_bin2hex(etag + 1, sizeof(etag) - 2, hash, sizeof(hash));
	etag[sizeof(etag) - 2] = '"';
	etag[sizeof(etag) - 1] = '\0';

	r->cache_control = FEED_CACHE_CONTROL;
	if (last > 0 && date_http(lm, sizeof(lm), last))
		r->headers = req_url(r, "ETag: %s\r\nLast-Modified: %s\r\n",
		    etag, lm);
	else
		r->headers = req_url(r, "ETag: %s\r\n", etag);
	if (not_modified(FCGX_GetParam("HTTP_IF_NONE_MATCH", r->fcgi->envp),
	    FCGX_GetParam("HTTP_IF_MODIFIED_SINCE", r->fcgi->envp), etag,
	    last)) {
		buf_reset(&r->w->body);
		return 304;
	}

	if ((res = db_query(&r->w->db, r->arena, sc->items, params,
	    &items)) != DB_OK)
		return res == DB_UNAVAILABLE ? 503 : 500;
	self = req_url(r, "%s%sfeed/%s", r->conf->base_url, sc->path,
	    kind == FEED_ATOM ? "atom/" : "");
	if (!xw_open(&x, r))
		return 500;
	if (kind == FEED_RSS) {
		updated = last > 0 ? date_str(r, date_rfc822, when) : NULL;
		rss(&x, r, sc, &items, self, updated);
	} else {
		updated = last > 0 ? date_str(r, date_rfc3339, when) : NULL;
		atom(&x, r, sc, &items, self, updated);
	}
	if (!xw_close(&x))
		return 500;
	r->content_type = kind == FEED_RSS ?
	    "application/rss+xml; charset=utf-8" :
	    "application/atom+xml; charset=utf-8";
	return 200;
}

static int
site_feed(struct req *r, enum feed_kind kind)
{
	struct scope sc = { NULL, r->conf->site_title,
	    r->conf->site_description, "/", STMT_FEED_STATE, STMT_FEED };

	return feed(r, kind, &sc);
}

static int
tag_feed(struct req *r, const char *slug, enum feed_kind kind)
{
	const char *params[1] = { slug };
	struct rows t;
	enum db_res res;
	struct scope sc;

	if ((res = db_query(&r->w->db, r->arena, STMT_TAG_BY_SLUG, params,
	    &t)) != DB_OK)
		return res == DB_UNAVAILABLE ? 503 : 500;
	if (t.n == 0)
		return 404;
	sc.id = ROW(&t, 0, 0);
	sc.title = req_url(r, "%s \xe2\x80\x93 %s", r->conf->site_title,
	    ROW(&t, 0, 2));
	sc.description = req_url(r, "Posts tagged %s", ROW(&t, 0, 2));
	sc.path = req_url(r, "/tag/%s/", url_encode_segment(r->arena,
	    ROW(&t, 0, 1)));
	sc.state = STMT_FEED_STATE_TAG;
	sc.items = STMT_FEED_TAG;
	return feed(r, kind, &sc);
}

static int
author_feed(struct req *r, const char *slug, enum feed_kind kind)
{
	const char *params[1] = { slug };
	struct rows a;
	enum db_res res;
	struct scope sc;

	if ((res = db_query(&r->w->db, r->arena, STMT_AUTHOR_BY_SLUG, params,
	    &a)) != DB_OK)
		return res == DB_UNAVAILABLE ? 503 : 500;
	if (a.n == 0)
		return 404;
	sc.id = ROW(&a, 0, 0);
	sc.title = req_url(r, "%s \xe2\x80\x93 %s", r->conf->site_title,
	    ROW(&a, 0, 2));
	sc.description = req_url(r, "Posts by %s", ROW(&a, 0, 2));
	sc.path = req_url(r, "/author/%s/", url_encode_segment(r->arena,
	    ROW(&a, 0, 1)));
	sc.state = STMT_FEED_STATE_AUTHOR;
	sc.items = STMT_FEED_AUTHOR;
	return feed(r, kind, &sc);
}

/* GET /feed/ (and /feed/rss2/, WordPress's other name for it). */
int
h_feed_rss(struct req *r, char **arg)
{
	(void)arg;
	return site_feed(r, FEED_RSS);
}

/* GET /feed/atom/ */
int
h_feed_atom(struct req *r, char **arg)
{
	(void)arg;
	return site_feed(r, FEED_ATOM);
}

/* GET /tag/<slug>/feed/ */
int
h_tag_feed_rss(struct req *r, char **arg)
{
	return tag_feed(r, arg[0], FEED_RSS);
}

/* GET /tag/<slug>/feed/atom/ */
int
h_tag_feed_atom(struct req *r, char **arg)
{
	return tag_feed(r, arg[0], FEED_ATOM);
}

/* GET /author/<slug>/feed/ */
int
h_author_feed_rss(struct req *r, char **arg)
{
	return author_feed(r, arg[0], FEED_RSS);
}

/* GET /author/<slug>/feed/atom/ */
int
h_author_feed_atom(struct req *r, char **arg)
{
	return author_feed(r, arg[0], FEED_ATOM);
}

/*
 * Set the variables that link a listing's own feeds from its head:
 * feed_title, feed_rss_url, feed_atom_url.  path is the listing's first
 * page ("/tag/x/").
 */
void
feed_link_vars(struct req *r, const char *path, const char *title)
{
	req_var(r, "feed_title", title);
	req_var(r, "feed_rss_url", req_url(r, "%s%sfeed/", r->conf->base_url,
	    path));
	req_var(r, "feed_atom_url", req_url(r, "%s%sfeed/atom/",
	    r->conf->base_url, path));
}

static void
sitemap_urls(struct xw *x, struct req *r, const struct rows *rows,
    const char *prefix)
{
	int i;

	for (i = 0; i < rows->n; i++) {
		xw_start(x, "url");
		xw_elem(x, "loc", abs_url(r, prefix, ROW(rows, i, 0)));
		xw_elem(x, "lastmod", date_str(r, date_rfc3339,
		    ROW(rows, i, 1)));
		xw_end(x);
	}
}

/*
 * GET /sitemap.xml: the home page, every published post, and the pages
 * of the authors and tags that have one, each with the time of its
 * newest change.
 */
int
h_sitemap(struct req *r, char **arg)
{
	struct rows posts, authors, tags;
	enum db_res res;
	const char *newest = NULL;
	struct xw x;
	int i;

	(void)arg;
	if ((res = db_query(&r->w->db, r->arena, STMT_SITEMAP_POSTS, NULL,
	    &posts)) != DB_OK ||
	    (res = db_query(&r->w->db, r->arena, STMT_SITEMAP_AUTHORS, NULL,
	    &authors)) != DB_OK ||
	    (res = db_query(&r->w->db, r->arena, STMT_SITEMAP_TAGS, NULL,
	    &tags)) != DB_OK)
		return res == DB_UNAVAILABLE ? 503 : 500;
	for (i = 0; i < posts.n; i++)
		if (newest == NULL || strtoll(ROW(&posts, i, 1), NULL, 10) >
		    strtoll(newest, NULL, 10))
			newest = ROW(&posts, i, 1);
	if (!xw_open(&x, r))
		return 500;
	xw_start(&x, "urlset");
	xw_attr(&x, "xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");
	xw_start(&x, "url");
	xw_elem(&x, "loc", req_url(r, "%s/", r->conf->base_url));
	if (newest != NULL)
		xw_elem(&x, "lastmod", date_str(r, date_rfc3339, newest));
	xw_end(&x);
	sitemap_urls(&x, r, &posts, "/");
	sitemap_urls(&x, r, &authors, "/author/");
	sitemap_urls(&x, r, &tags, "/tag/");
	xw_end(&x);
	if (!xw_close(&x))
		return 500;
	r->content_type = "application/xml; charset=utf-8";
	r->cache_control = FEED_CACHE_CONTROL;
	return 200;
}

/* GET /robots.txt: everything may be crawled; where the sitemap is. */
int
h_robots(struct req *r, char **arg)
{
	(void)arg;
	site_init(r->conf);
	r->cache_control = "max-age=3600";
	return resp_text(r, 200, site.robots);
}
