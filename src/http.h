/*
 * http.h: one request as a worker sees it, from parameters to response.
 */
#ifndef FASCIA_HTTP_H
#define FASCIA_HTTP_H

#include <fcgiapp.h>

#include "arena.h"
#include "buf.h"
#include "comment.h"
#include "identicon.h"
#include "keys.h"
#include "token.h"
#include "conf.h"
#include "ctemplate.h"
#include "db.h"
#include "secret.h"
#include "view.h"

#define URI_MAX 2048		/* longer request URIs get 414 */
#define PATH_SEGMENTS_MAX 8
#define QUERY_PARAMS_MAX 16
#define RESPONSE_MAX (8u << 20)	/* cap on one rendered page */

/* What every request of one configuration generation shares, read-only. */
struct app {
	struct conf *conf;
	struct views *views;
	struct keys keys;
};

/* A comment form sent back to its visitor: what they typed, what is wrong. */
struct form_state {
	struct comment_input in;
	const char *parent;	/* comment_parent as sent */
	const char *parent_err;
	const char *notice;	/* a message above the form */
};

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

/* Worker-lifetime state a request borrows. */
struct worker {
	const struct app *app;
	struct db db;
	struct arena arena;
	TMPL_arena *tmpl;
	struct buf body;
	struct buf out;
};

struct req {
	struct worker *w;
	const struct app *app;
	const struct conf *conf;
	struct arena *arena;
	FCGX_Request *fcgi;

	/* The request, decoded and checked by req_parse(). */
	enum method method;
	const char *uri;	/* raw path and query, as sent */
	const char *path;	/* raw path, without the query */
	char *seg[PATH_SEGMENTS_MAX];	/* decoded path segments */
	int nseg;
	int trailing_slash;
	struct qparam q[QUERY_PARAMS_MAX];
	int nq;

	/* The response being built. */
	TMPL_varlist *vars;
	const char *content_type;
	const char *location;
	const char *allow;
	const char *cache_control;
	const char *headers;	/* more header lines, each ending in CRLF */
	int retry_after;
};

/* req.c */
int req_parse(struct req *r);
const char *req_query(const struct req *r, const char *name);
void req_var(struct req *r, const char *name, const char *value);
TMPL_varlist *req_row(struct req *r, TMPL_varlist *row, const char *name,
    const char *value);
TMPL_loop *req_loop_add(struct req *r, TMPL_loop *loop, TMPL_varlist *row);
void req_loop(struct req *r, TMPL_varlist **to, const char *name,
    TMPL_loop *loop);
char *req_url(struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* resp.c */
int resp_page(struct req *r, enum view which, int status);
int resp_text(struct req *r, int status, const char *text);
void resp_finish(struct req *r, int status);


/*
 * The handlers take the route's parameters in order (a slug, a page
 * number; NULL when the route has none) and return the HTTP status of the
 * response they produced, or a 4xx/5xx status for resp_error() to answer.
 */
typedef int handler_fn(struct req *r, char **arg);

/* pages.c */
handler_fn h_home, h_author, h_tag, h_post, h_health;
int post_page(struct req *r, const struct rows *post,
    const struct form_state *fs, int status);
int post_find(struct req *r, const char *slug, struct rows *post);
int listing(struct req *r, enum stmt s, const char *id, const char *page_arg,
    const char *base, const char *title, const char *description);

/* comments.c */
handler_fn h_comment_post;

/* route.c */
#define ROUTE_ARGS_MAX 3
int route_resolve(struct req *r, handler_fn **h, char **arg);
void route_dispatch(struct req *r);
void page_common(struct req *r, const char *title, const char *description,
    const char *canonical_path);

#endif
