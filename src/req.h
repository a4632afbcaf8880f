/*
 * req.h: one request as a worker sees it: its parameters decoded and
 * checked, and the response it collects (headers, template variables).
 */
#ifndef FASCIA_REQ_H
#define FASCIA_REQ_H

#include <time.h>

#include <fcgiapp.h>

#include "worker.h"

#define URI_MAX 2048 /* longer request URIs get 414 */
#define PATH_SEGMENTS_MAX 8
#define QUERY_PARAMS_MAX 16

enum method {
	METHOD_GET = 1,
	METHOD_HEAD = 2,
	METHOD_POST = 4,
	METHOD_OTHER = 8
};

struct qparam {
	const char *name;
	const char *value;
};

struct req {
	struct worker *w;
	const struct app *app;
	const struct conf *conf;
	struct arena *arena;
	FCGX_Request *fcgi;

	/* The request, decoded and checked by req_parse(). */
	enum method method;
	const char *uri;	      /* raw path and query, as sent */
	const char *path;	      /* raw path, without the query */
	char *seg[PATH_SEGMENTS_MAX]; /* decoded path segments */
	int nseg;
	int trailing_slash;
	struct qparam q[QUERY_PARAMS_MAX];
	int nq;

	/* The response being built. */
	TMPL_varlist *vars;
	const char *content_type; /* NULL until there is a body */
	const char *location;
	const char *allow;
	const char *cache_control;
	const char *headers; /* more header lines, each ending in CRLF */
	int retry_after;
	/*
	 * A page that is the same for everyone (route.c): its validators, and
	 * how long nginx may keep it (0: not at all).  etag is NULL for a page
	 * meant for one visitor, or when the cache cannot vouch for it.
	 */
	const char *etag;
	time_t last_modified;
	long cache_ttl;
};

/*
 * A handler answers one route.  It takes the route's parameters in order
 * (a slug, a page number; NULL when the route has none) and returns the
 * HTTP status of the response: a page it rendered, or a 4xx or 5xx that
 * gets the error page when it rendered none.
 */
typedef int handler_fn(struct req *r, char **arg);

enum req_res {
	REQ_OK,
	REQ_BAD,	  /* a malformed path or query: 400 */
	REQ_URI_TOO_LONG, /* 414 */
	REQ_NO_PAGE,	  /* a path no route can match: 404 */
	REQ_NOMEM	  /* 500 */
};

enum req_res req_parse(struct req *r);
const char *req_query(const struct req *r, const char *name);
const char *req_env(const struct req *r, const char *name);
char *req_printf(struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
struct buf *req_scratch(struct req *r);
char *req_scratch_copy(struct req *r, const struct buf *b);

void req_var(struct req *r, const char *name, const char *value);
TMPL_varlist *req_row(struct req *r, TMPL_varlist *row, const char *name,
    const char *value);
TMPL_loop *req_loop_add(struct req *r, TMPL_loop *loop, TMPL_varlist *row);
void req_loop(struct req *r, TMPL_varlist **to, const char *name,
    TMPL_loop *loop);
void req_vars_reset(struct req *r);

#endif
