/*
 * h_feed.c: the machine-readable side of the site: RSS 2.0 and Atom 1.0
 * feeds (the site's, a tag's, an author's), /sitemap.xml and /robots.txt.
 *
 * The XML is written by xmlw.c, always well-formed.  Every URL is
 * absolute, made from the configured base URL.
 *
 * A feed is polled, so it answers conditional requests; like every page
 * that is the same for everyone, its ETag and Last-Modified are the page
 * cache's (route.c), known before anything is read: a client that has the
 * current version gets 304 without a query.  Entry ids are tag: URIs (RFC
 * 4151) made of the site's host, the post's creation date and its id, so
 * they survive a change of slug or title.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "h_feed.h"
#include "permalink.h"
#include "resp.h"
#include "text.h"
#include "xmlw.h"

enum feed_kind { FEED_RSS, FEED_ATOM };

/* Which posts a feed carries: the site's, a tag's or an author's. */
struct scope {
	const char *id;	   /* the tag's or author's id; NULL: the site */
	const char *title; /* the feed's title */
	const char *description;
	const char *path; /* the HTML page the feed follows: "/tag/x/" */
	enum stmt items;  /* the posts */
};

/* The date epoch (seconds, as text) formatted by fmt, or NULL. */
static const char *
date_str(struct req *r, int (*fmt)(char *, size_t, time_t), const char *epoch)
{
	char d[DATE_MAX];

	if (epoch == NULL ||
	    !fmt(d, sizeof(d), (time_t)strtoll(epoch, NULL, 10)))
		return NULL;
	return arena_strdup(r->arena, d);
}

/* The entry's id: tag:host,YYYY-MM-DD:/path/post-ID */
static const char *
entry_id(struct req *r, const struct db_feed_item *p)
{
	return req_printf(r, "tag:%s,%s:%s/post-%s", r->app->site.host,
	    p->created, r->app->site.path, p->id);
}

/*
 * Write the categories of a feed entry from its tags column: "slug\x1fname"
 * entries joined by \x1e, NULL when the post has no tags.  RSS takes the
 * name, Atom the slug as the term and the name as the label.
 */
static void
each_tag(struct xmlw *x, struct req *r, const char *tags, enum feed_kind kind)
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
				xmlw_elem(x, "category", name);
			else if (slug != NULL && name != NULL) {
				xmlw_start(x, "category");
				xmlw_attr(x, "term", slug);
				xmlw_attr(x, "label", name);
				xmlw_attr(x, "scheme",
				    permalink_abs(r, "/tag/"));
				xmlw_end(x);
			}
		}
		p = *end != '\0' ? end + 1 : end;
	}
}

static void
rss(struct xmlw *x, struct req *r, const struct scope *sc,
    const struct db_rows *items, const char *self, const char *updated)
{
	const struct db_feed_item *p;
	const char *url;
	int i;

	xmlw_start(x, "rss");
	xmlw_attr(x, "version", "2.0");
	xmlw_attr(x, "xmlns:content",
	    "http://purl.org/rss/1.0/modules/content/");
	xmlw_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	xmlw_attr(x, "xmlns:atom", "http://www.w3.org/2005/Atom");
	xmlw_start(x, "channel");
	xmlw_elem(x, "title", sc->title);
	xmlw_start(x, "atom:link");
	xmlw_attr(x, "href", self);
	xmlw_attr(x, "rel", "self");
	xmlw_attr(x, "type", "application/rss+xml");
	xmlw_end(x);
	xmlw_elem(x, "link", permalink_abs(r, sc->path));
	xmlw_elem(x, "description", sc->description);
	xmlw_elem(x, "language", r->conf->language);
	if (updated != NULL)
		xmlw_elem(x, "lastBuildDate", updated);
	xmlw_elem(x, "generator", "fascia");
	for (i = 0; i < items->n; i++) {
		p = &items->item[i];
		url = permalink_abs(r, permalink_post(r, p->slug));
		xmlw_start(x, "item");
		xmlw_elem(x, "title", p->title);
		xmlw_elem(x, "link", url);
		xmlw_elem(x, "dc:creator", p->author_name);
		xmlw_elem(x, "pubDate", date_str(r, date_rfc822, p->published));
		each_tag(x, r, p->tags, FEED_RSS);
		xmlw_elem_attr(x, "guid", "isPermaLink", "false",
		    entry_id(r, p));
		if (*p->excerpt != '\0')
			xmlw_elem(x, "description", p->excerpt);
		xmlw_start(x, "content:encoded");
		xmlw_cdata(x, p->body_html);
		xmlw_end(x);
		xmlw_end(x);
	}
	xmlw_end(x);
	xmlw_end(x);
}

static void
atom_link(struct xmlw *x, const char *rel, const char *type, const char *href)
{
	xmlw_start(x, "link");
	xmlw_attr(x, "rel", rel);
	xmlw_attr(x, "type", type);
	xmlw_attr(x, "href", href);
	xmlw_end(x);
}

static void
atom(struct xmlw *x, struct req *r, const struct scope *sc,
    const struct db_rows *items, const char *self, const char *updated)
{
	const struct db_feed_item *p;
	const char *url;
	int i;

	xmlw_start(x, "feed");
	xmlw_attr(x, "xmlns", "http://www.w3.org/2005/Atom");
	xmlw_attr(x, "xml:lang", r->conf->language);
	xmlw_elem(x, "id", self);
	xmlw_elem(x, "title", sc->title);
	xmlw_elem(x, "subtitle", sc->description);
	atom_link(x, "self", "application/atom+xml", self);
	atom_link(x, "alternate", "text/html", permalink_abs(r, sc->path));
	/* An empty feed has changed never: the epoch, not "now". */
	xmlw_elem(x, "updated",
	    updated != NULL ? updated : "1970-01-01T00:00:00Z");
	xmlw_elem(x, "generator", "fascia");
	for (i = 0; i < items->n; i++) {
		p = &items->item[i];
		url = permalink_abs(r, permalink_post(r, p->slug));
		xmlw_start(x, "entry");
		xmlw_elem(x, "id", entry_id(r, p));
		xmlw_elem_attr(x, "title", "type", "text", p->title);
		atom_link(x, "alternate", "text/html", url);
		xmlw_elem(x, "published",
		    date_str(r, date_rfc3339, p->published));
		xmlw_elem(x, "updated", date_str(r, date_rfc3339, p->modified));
		xmlw_start(x, "author");
		xmlw_elem(x, "name", p->author_name);
		xmlw_elem(x, "uri",
		    permalink_abs(r, permalink_author(r, p->author_slug)));
		xmlw_end(x);
		each_tag(x, r, p->tags, FEED_ATOM);
		if (*p->excerpt != '\0')
			xmlw_elem_attr(x, "summary", "type", "text",
			    p->excerpt);
		/* Relative links in the body resolve against the post. */
		xmlw_start(x, "content");
		xmlw_attr(x, "type", "html");
		xmlw_attr(x, "xml:base", url);
		xmlw_cdata(x, p->body_html);
		xmlw_end(x);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/*
 * Answer the feed of kind for scope sc.  Its validators are the page
 * cache's (route.c): a client that has this version never gets here.
 */
static int
feed(struct req *r, enum feed_kind kind, const struct scope *sc)
{
	const char *params[1] = { sc->id };
	struct db_rows items;
	enum db_res res;
	const char *self, *updated = NULL, *when = NULL;
	struct xmlw x;
	int i;

	if ((res = db_query(&r->w->db, r->arena, sc->items, params, &items)) !=
	    DB_OK)
		return resp_db_status(res);
	/* The feed changed when the last of its posts did. */
	for (i = 0; i < items.n; i++)
		if (when == NULL ||
		    strtoll(items.item[i].modified, NULL, 10) >
			strtoll(when, NULL, 10))
			when = items.item[i].modified;
	self = permalink_abs(r,
	    req_printf(r, "%sfeed/%s", sc->path,
		kind == FEED_ATOM ? "atom/" : ""));
	if (!xmlw_open(&x, &r->w->body, r->arena))
		return 500;
	if (kind == FEED_RSS) {
		if (when != NULL)
			updated = date_str(r, date_rfc822, when);
		rss(&x, r, sc, &items, self, updated);
	} else {
		if (when != NULL)
			updated = date_str(r, date_rfc3339, when);
		atom(&x, r, sc, &items, self, updated);
	}
	if (!xmlw_close(&x))
		return 500;
	if (kind == FEED_RSS)
		r->content_type = "application/rss+xml; charset=utf-8";
	else
		r->content_type = "application/atom+xml; charset=utf-8";
	return 200;
}

static int
site_feed(struct req *r, enum feed_kind kind)
{
	struct scope sc = { NULL, r->conf->site_title,
		r->conf->site_description, "/", STMT_FEED };

	return feed(r, kind, &sc);
}

/* The feed of the tag (is_tag) or author with this slug; 404 if none. */
static int
scoped_feed(struct req *r, const char *slug, enum feed_kind kind, int is_tag)
{
	const char *params[1] = { slug }, *name;
	struct db_rows rows;
	enum db_res res;
	struct scope sc;

	if ((res = db_query(&r->w->db, r->arena,
		 is_tag ? STMT_TAG_BY_SLUG : STMT_AUTHOR_BY_SLUG, params,
		 &rows)) != DB_OK)
		return resp_db_status(res);
	if (rows.n == 0)
		return 404;
	if (is_tag) {
		sc.id = rows.tag[0].id;
		name = rows.tag[0].name;
		sc.description = req_printf(r, "Posts tagged %s", name);
		sc.path = permalink_tag(r, rows.tag[0].slug);
		sc.items = STMT_FEED_TAG;
	} else {
		sc.id = rows.author[0].id;
		name = rows.author[0].name;
		sc.description = req_printf(r, "Posts by %s", name);
		sc.path = permalink_author(r, rows.author[0].slug);
		sc.items = STMT_FEED_AUTHOR;
	}
	sc.title =
	    req_printf(r, "%s " EN_DASH " %s", r->conf->site_title, name);
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
	return scoped_feed(r, arg[0], FEED_RSS, 1);
}

/* GET /tag/<slug>/feed/atom/ */
int
h_tag_feed_atom(struct req *r, char **arg)
{
	return scoped_feed(r, arg[0], FEED_ATOM, 1);
}

/* GET /author/<slug>/feed/ */
int
h_author_feed_rss(struct req *r, char **arg)
{
	return scoped_feed(r, arg[0], FEED_RSS, 0);
}

/* GET /author/<slug>/feed/atom/ */
int
h_author_feed_atom(struct req *r, char **arg)
{
	return scoped_feed(r, arg[0], FEED_ATOM, 0);
}

/* A <url> of the sitemap for each of rows, whose paths path() makes. */
static void
sitemap_urls(struct xmlw *x, struct req *r, const struct db_rows *rows,
    const char *(*path)(struct req *, const char *))
{
	int i;

	for (i = 0; i < rows->n; i++) {
		xmlw_start(x, "url");
		xmlw_elem(x, "loc",
		    permalink_abs(r, path(r, rows->url[i].slug)));
		xmlw_elem(x, "lastmod",
		    date_str(r, date_rfc3339, rows->url[i].modified));
		xmlw_end(x);
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
	struct db_rows posts, authors, tags;
	enum db_res res;
	const char *newest = NULL;
	struct xmlw x;
	int i;

	(void)arg;
	if ((res = db_query(&r->w->db, r->arena, STMT_SITEMAP_POSTS, NULL,
		 &posts)) != DB_OK ||
	    (res = db_query(&r->w->db, r->arena, STMT_SITEMAP_AUTHORS, NULL,
		 &authors)) != DB_OK ||
	    (res = db_query(&r->w->db, r->arena, STMT_SITEMAP_TAGS, NULL,
		 &tags)) != DB_OK)
		return resp_db_status(res);
	for (i = 0; i < posts.n; i++)
		if (newest == NULL ||
		    strtoll(posts.url[i].modified, NULL, 10) >
			strtoll(newest, NULL, 10))
			newest = posts.url[i].modified;
	if (!xmlw_open(&x, &r->w->body, r->arena))
		return 500;
	xmlw_start(&x, "urlset");
	xmlw_attr(&x, "xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");
	xmlw_start(&x, "url");
	xmlw_elem(&x, "loc", permalink_abs(r, "/"));
	if (newest != NULL)
		xmlw_elem(&x, "lastmod", date_str(r, date_rfc3339, newest));
	xmlw_end(&x);
	sitemap_urls(&x, r, &posts, permalink_post);
	sitemap_urls(&x, r, &authors, permalink_author);
	sitemap_urls(&x, r, &tags, permalink_tag);
	xmlw_end(&x);
	if (!xmlw_close(&x))
		return 500;
	r->content_type = "application/xml; charset=utf-8";
	return 200;
}

/* GET /robots.txt: everything may be crawled; where the sitemap is. */
int
h_robots(struct req *r, char **arg)
{
	(void)arg;
	return resp_text(r, 200, r->app->site.robots);
}
