/*
 * route.c: which handler answers a path, after WordPress's permalinks.
 *
 * The table is matched segment by segment against the decoded path.  A
 * path that matches a route except for its missing trailing slash is
 * redirected there (301), as WordPress does; a path that matches with a
 * method the route does not take gets 405 and the Allow header; anything
 * else is a 404.
 */
#include <string.h>

#include "finding.h"
#include "http.h"

struct route {
	const char *pattern;	/* "/"-separated; ":s" a slug, ":n" a page,
				   ":y" a 4-digit year, ":m" a 2-digit month */
	unsigned methods;	/* GET implies HEAD */
	handler_fn *handler;
};

static const struct route routes[] = {
	{ "/", METHOD_GET, h_home },
	{ "/page/:n/", METHOD_GET, h_home },
	{ "/healthz", METHOD_GET, h_health },
	{ "/feed/", METHOD_GET, h_feed_rss },
	{ "/feed/rss2/", METHOD_GET, h_feed_rss },
	{ "/feed/atom/", METHOD_GET, h_feed_atom },
	{ "/sitemap.xml", METHOD_GET, h_sitemap },
	{ "/robots.txt", METHOD_GET, h_robots },
	{ "/search/:s/", METHOD_GET, h_search_path },
	{ "/:y/:m/", METHOD_GET, h_archive },
	{ "/:y/:m/page/:n/", METHOD_GET, h_archive },
	{ "/author/:s/feed/", METHOD_GET, h_author_feed_rss },
	{ "/author/:s/feed/atom/", METHOD_GET, h_author_feed_atom },
	{ "/tag/:s/feed/", METHOD_GET, h_tag_feed_rss },
	{ "/tag/:s/feed/atom/", METHOD_GET, h_tag_feed_atom },
	{ "/author/:s/", METHOD_GET, h_author },
	{ "/author/:s/page/:n/", METHOD_GET, h_author },
	{ "/tag/:s/", METHOD_GET, h_tag },
	{ "/tag/:s/page/:n/", METHOD_GET, h_tag },
	{ "/:s/", METHOD_GET, h_post },
	{ "/:s/comments", METHOD_POST, h_comment_post },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Slugs that name sections of the site, never a post (nor a 4-digit
 * year: those are archives). */
static const char *const reserved[] = { "author", "tag", "page", "healthz",
    "static", "feed", "search", "wp-admin", "wp-content", "wp-includes",
    "sitemap.xml", "robots.txt", NULL };

/* Is s exactly n ASCII digits? */
static int
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

static int
is_page_number(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 6 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
is_reserved(const char *s)
{
	int i;

	if (is_digits(s, 4))
		return 1;
	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(s, reserved[i]) == 0)
			return 1;
	return 0;
}

/* Does segment s, the path's segment number i, fit parameter kind k? */
static int
param_fits(char k, const char *s, int i)
{
	switch (k) {
	case 'n':
		return is_page_number(s);
	case 'y':
		return is_digits(s, 4);
	case 'm':
		return is_digits(s, 2);
	default:
		return !(i == 0 && is_reserved(s));
	}
}

enum match {
	MATCH_NONE,
	MATCH_SLASH,	/* only the trailing slash differs */
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

/*
 * Find the route for the parsed request r.  Returns 0 with the handler in
 * *h and its parameters in arg (ROUTE_ARGS_MAX + 1 slots), or the status
 * to answer with instead: 301 (r->location set), 404, or 405 (r->allow
 * set).
 */
int
route_resolve(struct req *r, handler_fn **h, char **arg)
{
	unsigned allowed = 0;
	size_t i;
	const char *q;

	for (i = 0; i < NROUTES; i++) {
		memset(arg, 0, sizeof(*arg) * (ROUTE_ARGS_MAX + 1));
		switch (route_match(r, routes[i].pattern, arg)) {
		case MATCH_NONE:
			continue;
		case MATCH_SLASH:
			if (!allows(routes[i].methods, r->method))
				continue;
			q = strchr(r->uri, '?');
			r->location = req_url(r, "%s%s/%s", r->conf->base_url,
			    r->path, q ? q : "");
			return 301;
		case MATCH_FULL:
			if (allows(routes[i].methods, r->method)) {
				*h = routes[i].handler;
				return 0;
			}
			allowed |= routes[i].methods;
			break;
		}
	}
	if (allowed != 0) {
		r->allow = allow_header(allowed);
		return 405;
	}
	return 404;
}

/* Parse, route and answer one request. */
void
route_dispatch(struct req *r)
{
	char *arg[ROUTE_ARGS_MAX + 1];
	handler_fn *h;
	int status;

	if ((status = req_parse(r)) == 0 &&
	    (status = route_resolve(r, &h, arg)) == 0)
		status = h(r, arg);
	resp_finish(r, status);
}
