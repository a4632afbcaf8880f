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

#include "http.h"

struct route {
	const char *pattern;	/* "/"-separated; ":s" a slug, ":n" a page */
	unsigned methods;	/* GET implies HEAD */
	handler_fn *handler;
};

static const struct route routes[] = {
	{ "/", METHOD_GET, h_home },
	{ "/page/:n/", METHOD_GET, h_home },
	{ "/healthz", METHOD_GET, h_health },
	{ "/author/:s/", METHOD_GET, h_author },
	{ "/author/:s/page/:n/", METHOD_GET, h_author },
	{ "/tag/:s/", METHOD_GET, h_tag },
	{ "/tag/:s/page/:n/", METHOD_GET, h_tag },
	{ "/:s/", METHOD_GET, h_post },
	{ "/:s/comments", METHOD_POST, h_comment_post },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Slugs that name sections of the site, never a post. */
static const char *const reserved[] = { "author", "tag", "page", "healthz",
    "static", "feed", "wp-admin", "wp-content", "wp-includes",
    "sitemap.xml", "robots.txt", NULL };

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

	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(s, reserved[i]) == 0)
			return 1;
	return 0;
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
			if (p[1] == 'n' ? !is_page_number(r->seg[i]) :
			    (i == 0 && is_reserved(r->seg[i])))
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
