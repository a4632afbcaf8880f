/*
 * route.c: which handler answers a request, after WordPress's permalinks,
 * and the dispatch of one request: parse, route, handle, answer.
 *
 * The table is matched segment by segment against the decoded path.  A
 * path that matches a route except for its missing trailing slash is
 * redirected there (301), as WordPress does; a path that matches with a
 * method the route does not take gets 405 and the Allow header; anything
 * else is a 404.  A route may also want a query parameter: /?s=words is
 * a search, / without it the home page.  Every failure a handler does not
 * render itself gets the error page here.
 *
 * A route's pages may be the same for everyone (shared): then, unless the
 * query holds a parameter that makes the page one visitor's (a reply form,
 * a pending comment), the page gets the page cache's validators before the
 * handler runs, and a client that has the current version is answered 304
 * at once.  Parameters that change nothing (a campaign's tags) are
 * ignored, as nginx ignores them for its cache key.
 */
#include <string.h>
#include <time.h>

#include "cache.h"
#include "h_comment.h"
#include "h_feed.h"
#include "h_health.h"
#include "h_list.h"
#include "h_post.h"
#include "h_search.h"
#include "layout.h"
#include "resp.h"
#include "route.h"
#include "slug.h"
#include "text.h"

#define YEAR_DIGITS 4
#define MONTH_DIGITS 2
#define PAGE_DIGITS_MAX 6

/*
 * A route: its pattern ("/"-separated segments; ":s" is a slug, ":n" a
 * page number, ":y" a 4-digit year, ":m" a 2-digit month), a query
 * parameter it needs (or NULL), the methods it takes and its handler.
 */
struct route {
	const char *pattern;
	const char *query;
	unsigned methods; /* GET implies HEAD */
	handler_fn *handler;
	int shared; /* its pages are the same for everyone */
};

#define SHARED 1

static const struct route routes[] = {
	{ "/", "s", METHOD_GET, h_search, SHARED }, /* WordPress's /?s= */
	{ "/page/:n/", "s", METHOD_GET, h_search, SHARED },
	{ "/", NULL, METHOD_GET, h_home, SHARED },
	{ "/page/:n/", NULL, METHOD_GET, h_home, SHARED },
	{ "/healthz", NULL, METHOD_GET, h_health, 0 },
	{ "/feed/", NULL, METHOD_GET, h_feed_rss, SHARED },
	{ "/feed/rss2/", NULL, METHOD_GET, h_feed_rss, SHARED },
	{ "/feed/atom/", NULL, METHOD_GET, h_feed_atom, SHARED },
	{ "/sitemap.xml", NULL, METHOD_GET, h_sitemap, SHARED },
	{ "/robots.txt", NULL, METHOD_GET, h_robots, SHARED },
	{ "/search/:s/", NULL, METHOD_GET, h_search_path, 0 },
	{ "/:y/:m/", NULL, METHOD_GET, h_month, SHARED },
	{ "/:y/:m/page/:n/", NULL, METHOD_GET, h_month, SHARED },
	{ "/author/:s/feed/", NULL, METHOD_GET, h_author_feed_rss, SHARED },
	{ "/author/:s/feed/atom/", NULL, METHOD_GET, h_author_feed_atom,
	    SHARED },
	{ "/tag/:s/feed/", NULL, METHOD_GET, h_tag_feed_rss, SHARED },
	{ "/tag/:s/feed/atom/", NULL, METHOD_GET, h_tag_feed_atom, SHARED },
	{ "/author/:s/", NULL, METHOD_GET, h_author, SHARED },
	{ "/author/:s/page/:n/", NULL, METHOD_GET, h_author, SHARED },
	{ "/tag/:s/", NULL, METHOD_GET, h_tag, SHARED },
	{ "/tag/:s/page/:n/", NULL, METHOD_GET, h_tag, SHARED },
	{ "/:s/", NULL, METHOD_GET, h_post, SHARED },
	{ "/:s/comments", NULL, METHOD_POST, h_comment_post, 0 },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* A page number: 1 to 999999, without leading zeros. */
static int
is_page_number(const char *s)
{
	size_t n = text_digits(s);

	return n > 0 && n <= PAGE_DIGITS_MAX && s[0] != '0';
}

/*
 * Does segment s, the path's segment number i, fit parameter kind k?  A
 * first segment that names a part of the site (or looks like a year) is
 * never a post's slug.
 */
static int
param_fits(char k, const char *s, int i)
{
	switch (k) {
	case 'n':
		return is_page_number(s);
	case 'y':
		return text_digits(s) == YEAR_DIGITS;
	case 'm':
		return text_digits(s) == MONTH_DIGITS;
	default:
		return !(i == 0 && slug_reserved(s));
	}
}

enum match {
	MATCH_NONE,
	MATCH_SLASH, /* only the trailing slash differs */
	MATCH_FULL
};

/* Match r's path against pattern, collecting parameters into arg. */
static enum match
route_match(const struct req *r, const char *pattern, char **arg)
{
	const char *p = pattern + 1, *end;
	int i = 0, nargs = 0, want_slash;
	size_t len;

	while (*p != '\0') {
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (i >= r->nseg)
			return MATCH_NONE;
		if (len == 2 && p[0] == ':') {
			if (!param_fits(p[1], r->seg[i], i))
				return MATCH_NONE;
			arg[nargs++] = r->seg[i];
		} else if (strlen(r->seg[i]) != len ||
		    memcmp(r->seg[i], p, len) != 0)
			return MATCH_NONE;
		i++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (i != r->nseg)
		return MATCH_NONE;
	want_slash = pattern[strlen(pattern) - 1] == '/';
	if (r->nseg == 0 || want_slash == r->trailing_slash)
		return MATCH_FULL;
	return want_slash ? MATCH_SLASH : MATCH_NONE;
}

static int
allows(unsigned methods, enum method m)
{
	if (methods & METHOD_GET)
		methods |= METHOD_HEAD;
	return (methods & m) != 0;
}

static const char *
allow_header(unsigned methods)
{
	if ((methods & METHOD_GET) && (methods & METHOD_POST))
		return "GET, HEAD, POST";
	if (methods & METHOD_GET)
		return "GET, HEAD";
	return "POST";
}

/* The route that takes r, in *rt; see route_resolve(). */
static enum route_res
find_route(struct req *r, const struct route **rt, char **arg)
{
	unsigned allowed = 0;
	size_t i;
	const char *q;

	for (i = 0; i < NROUTES; i++) {
		if (routes[i].query != NULL &&
		    req_query(r, routes[i].query) == NULL)
			continue;
		memset(arg, 0, sizeof(*arg) * (ROUTE_ARGS_MAX + 1));
		switch (route_match(r, routes[i].pattern, arg)) {
		case MATCH_NONE:
			continue;
		case MATCH_SLASH:
			if (!allows(routes[i].methods, r->method))
				continue;
			q = strchr(r->uri, '?');
			r->location = req_printf(r, "%s%s/%s",
			    r->conf->base_url, r->path, q ? q : "");
			return ROUTE_REDIRECT;
		case MATCH_FULL:
			if (allows(routes[i].methods, r->method)) {
				*rt = &routes[i];
				return ROUTE_FOUND;
			}
			allowed |= routes[i].methods;
			break;
		}
	}
	if (allowed != 0) {
		r->allow = allow_header(allowed);
		return ROUTE_WRONG_METHOD;
	}
	return ROUTE_NO_PAGE;
}

/*
 * Find the route for the parsed request r.  Returns ROUTE_FOUND with the
 * handler in *h and its parameters in arg (ROUTE_ARGS_MAX + 1 slots, the
 * unused ones NULL), or why there is none: ROUTE_REDIRECT (r->location
 * set), ROUTE_NO_PAGE or ROUTE_WRONG_METHOD (r->allow set).
 */
enum route_res
route_resolve(struct req *r, handler_fn **h, char **arg)
{
	const struct route *rt;
	enum route_res res;

	if ((res = find_route(r, &rt, arg)) == ROUTE_FOUND)
		*h = rt->handler;
	return res;
}

/* Query parameters that change no page: a campaign's tags, click ids. */
static int
ignored_param(const char *name)
{
	static const char *const names[] = { "fbclid", "gclid", "dclid",
		"msclkid", "mc_cid", "mc_eid", NULL };
	int i;

	if (strncmp(name, "utm_", 4) == 0)
		return 1;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * Is the page r asks for of route rt the same for everyone?  Its route
 * says so, and its query holds nothing but the route's own parameter and
 * parameters that change nothing.
 */
static int
shared(const struct req *r, const struct route *rt)
{
	int i;

	if (!rt->shared)
		return 0;
	for (i = 0; i < r->nq; i++)
		if (!ignored_param(r->q[i].name) &&
		    (rt->query == NULL || strcmp(r->q[i].name, rt->query) != 0))
			return 0;
	return 1;
}

/* The first second of the next year, UTC: the footer's year changes. */
static time_t
next_year(time_t now)
{
	struct tm tm;

	gmtime_r(&now, &tm);
	tm.tm_sec = tm.tm_min = tm.tm_hour = 0;
	tm.tm_mday = 1;
	tm.tm_mon = 0;
	tm.tm_year++;
	return timegm(&tm);
}

/*
 * Give r, a shared page, the page cache's validators: the ETag names the
 * generation (which changes with every change to the blog), the year
 * (the footer's) and this load of the config and templates; Last-Modified
 * is when the generation began.  Nothing when the cache cannot vouch for
 * the page: it is off, or the page may change any moment now without a
 * new generation (below).
 *
 * The page stays as it is until `until`: the first second of the next
 * year, or the second before the next scheduled post's (the generation
 * names the whole second it rounded the post's time up to, and the post
 * may appear anywhere in the second before).  nginx may date the entry a
 * second after fascia's clock, and serves it through its last second, so
 * its lifetime ends two seconds early: no page is served from the cache
 * once it could be different.
 */
static void
validate(struct req *r)
{
	struct cache_gen g;
	struct tm tm;
	time_t now = time(NULL), until = next_year(now);

	if (!cache_read(r->conf->page_cache_dir, &g))
		return;
	if (g.next != 0 && g.next - 1 < until)
		until = g.next - 1;
	if (now >= until)
		return;
	gmtime_r(&now, &tm);
	r->etag = req_printf(r, "W/\"%s-%d-%s\"", g.name + 1, tm.tm_year + 1900,
	    r->app->tag);
	r->last_modified = g.began;
	r->cache_ttl = until - now - 2;
	if (r->cache_ttl > r->conf->page_cache_ttl)
		r->cache_ttl = r->conf->page_cache_ttl;
}

/*
 * A conditional header as the client sent it.  Where nginx's page cache is
 * on, it replaces HTTP_IF_* with its own entry's validators (empty on a
 * miss), so the site file passes the client's as CLIENT_IF_* too.
 */
static const char *
conditional(const struct req *r, const char *client, const char *http)
{
	const char *v = req_env(r, client);

	return v != NULL ? v : req_env(r, http);
}

/* The status a request that req_parse() refused is answered with. */
static int
refused(enum req_res res)
{
	switch (res) {
	case REQ_URI_TOO_LONG:
		return 414;
	case REQ_NO_PAGE:
		return 404;
	case REQ_NOMEM:
		return 500;
	default:
		return 400;
	}
}

/* The status of a request that no handler takes. */
static int
unrouted(enum route_res res)
{
	switch (res) {
	case ROUTE_REDIRECT:
		return 301;
	case ROUTE_WRONG_METHOD:
		return 405;
	default:
		return 404;
	}
}

/*
 * Does the response need the error page?  A failure without a body of its
 * own does, and a 500 replaces whatever page had been rendered before it.
 */
static int
needs_error_page(const struct req *r, int status)
{
	if (status < 400 || status == CLIENT_GONE)
		return 0;
	return r->content_type == NULL ||
	    (status == 500 && strncmp(r->content_type, "text/html", 9) == 0);
}

/* Parse, route and answer one request. */
void
route_dispatch(struct req *r)
{
	char *arg[ROUTE_ARGS_MAX + 1];
	const struct route *rt;
	enum route_res routed;
	enum req_res parsed;
	int status;

	if ((parsed = req_parse(r)) != REQ_OK)
		status = refused(parsed);
	else if ((routed = find_route(r, &rt, arg)) != ROUTE_FOUND)
		status = unrouted(routed);
	else {
		if (shared(r, rt))
			validate(r);
		if (r->etag != NULL &&
		    resp_not_modified(conditional(r, "CLIENT_IF_NONE_MATCH",
					  "HTTP_IF_NONE_MATCH"),
			conditional(r, "CLIENT_IF_MODIFIED_SINCE",
			    "HTTP_IF_MODIFIED_SINCE"),
			r->etag, r->last_modified))
			status = 304;
		else
			status = rt->handler(r, arg);
	}
	if (needs_error_page(r, status))
		layout_error(r, status);
	resp_finish(r, status);
}
