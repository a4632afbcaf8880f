/*
 * req.c: a request's FastCGI parameters, decoded and checked, and the
 * template variables its response collects.
 *
 * The raw REQUEST_URI is split into path segments before decoding, so an
 * encoded "%2F" can never become a separator, and every segment and query
 * value must decode to valid UTF-8 without control characters.  Anything
 * else is refused here (400), long before a handler or the database sees
 * it.  Every string a request makes lives in its arena; template variables
 * live in the worker's template arena; both are reset after the response.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "req.h"
#include "text.h"
#include "utf8.h"

/* Decode n bytes at s into the arena; NULL (and why in *bad) if not. */
static char *
decode(struct req *r, const char *s, size_t n, int plus_space,
    enum req_res *bad)
{
	char *out;
	size_t len;

	if ((out = arena_alloc(r->arena, n + 1)) == NULL) {
		*bad = REQ_NOMEM;
		return NULL;
	}
	if (!pct_decode(s, n, plus_space, out, &len) || !utf8_valid(out, len) ||
	    text_has_control(out, len, 0)) {
		*bad = REQ_BAD;
		return NULL;
	}
	out[len] = '\0';
	return out;
}

static enum req_res
parse_query(struct req *r, const char *q)
{
	const char *amp, *eq, *end;
	enum req_res bad = REQ_OK;

	for (; *q != '\0'; q = *end ? end + 1 : end) {
		end = (amp = strchr(q, '&')) != NULL ? amp : q + strlen(q);
		if (end == q)
			continue;
		if (r->nq == QUERY_PARAMS_MAX)
			return REQ_BAD;
		eq = memchr(q, '=', (size_t)(end - q));
		if (eq == NULL)
			eq = end;
		if ((r->q[r->nq].name =
			    decode(r, q, (size_t)(eq - q), 1, &bad)) == NULL)
			return bad;
		r->q[r->nq].value = eq == end ?
		    "" :
		    decode(r, eq + 1, (size_t)(end - eq - 1), 1, &bad);
		if (r->q[r->nq].value == NULL)
			return bad;
		r->nq++;
	}
	return REQ_OK;
}

/*
 * Fill r from the FastCGI parameters: the method, the path's decoded
 * segments and the query's decoded parameters.  Returns REQ_OK, or why
 * the request cannot go on (see enum req_res).
 */
enum req_res
req_parse(struct req *r)
{
	const char *m, *uri, *p, *q, *slash;
	enum req_res bad;

	m = req_env(r, "REQUEST_METHOD");
	if (m == NULL)
		m = "";
	if (strcmp(m, "GET") == 0)
		r->method = METHOD_GET;
	else if (strcmp(m, "HEAD") == 0)
		r->method = METHOD_HEAD;
	else if (strcmp(m, "POST") == 0)
		r->method = METHOD_POST;
	else
		r->method = METHOD_OTHER;

	if ((uri = req_env(r, "REQUEST_URI")) == NULL || *uri != '/')
		return REQ_BAD;
	r->uri = uri;
	if (strlen(uri) > URI_MAX)
		return REQ_URI_TOO_LONG;
	q = strchr(uri, '?');
	if ((r->path = arena_strndup(r->arena, uri,
		 q ? (size_t)(q - uri) : strlen(uri))) == NULL)
		return REQ_NOMEM;
	if (q != NULL && (bad = parse_query(r, q + 1)) != REQ_OK)
		return bad;

	for (p = r->path + 1; *p != '\0'; p = slash + 1) {
		if ((slash = strchr(p, '/')) == NULL)
			slash = p + strlen(p);
		if (slash == p || r->nseg == PATH_SEGMENTS_MAX)
			return REQ_NO_PAGE; /* "//" or too deep */
		if ((r->seg[r->nseg] =
			    decode(r, p, (size_t)(slash - p), 0, &bad)) == NULL)
			return bad;
		if (strchr(r->seg[r->nseg], '/') != NULL ||
		    strcmp(r->seg[r->nseg], ".") == 0 ||
		    strcmp(r->seg[r->nseg], "..") == 0)
			return REQ_NO_PAGE;
		r->nseg++;
		if (*slash == '\0')
			break;
	}
	r->trailing_slash = r->path[strlen(r->path) - 1] == '/';
	return REQ_OK;
}

/*
 * Return the decoded value of the first query parameter called name, or
 * NULL.  The value lives as long as the request.
 */
const char *
req_query(const struct req *r, const char *name)
{
	int i;

	for (i = 0; i < r->nq; i++)
		if (strcmp(r->q[i].name, name) == 0)
			return r->q[i].value;
	return NULL;
}

/*
 * Return the FastCGI parameter name ("HTTP_ORIGIN", "CONTENT_LENGTH"), as
 * nginx sent it, or NULL.
 */
const char *
req_env(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

/*
 * Add name=value to row (a new row when row is NULL) and return the row.
 * The strings are not copied: they must live as long as the request.  A
 * NULL value adds nothing.
 */
TMPL_varlist *
req_row(struct req *r, TMPL_varlist *row, const char *name, const char *value)
{
	TMPL_varlist *vl;

	if (value == NULL)
		return row;
	if ((vl = TMPL_arena_add_var(r->w->tmpl, row, name, value)) == NULL) {
		log_err("out of memory");
		return row;
	}
	return vl;
}

/* Add a variable to the page's root list (value as in req_row()). */
void
req_var(struct req *r, const char *name, const char *value)
{
	r->vars = req_row(r, r->vars, name, value);
}

/* Append row to loop (a new loop when loop is NULL); return the loop. */
TMPL_loop *
req_loop_add(struct req *r, TMPL_loop *loop, TMPL_varlist *row)
{
	TMPL_loop *l;

	if (row == NULL)
		return loop;
	if ((l = TMPL_arena_add_varlist(r->w->tmpl, loop, row)) == NULL)
		log_err("out of memory");
	return l != NULL ? l : loop;
}

/* Attach loop under name to *to (the root list when to is &r->vars). */
void
req_loop(struct req *r, TMPL_varlist **to, const char *name, TMPL_loop *loop)
{
	TMPL_varlist *vl;

	if (loop == NULL)
		return;
	if ((vl = TMPL_arena_add_loop(r->w->tmpl, *to, name, loop)) == NULL)
		log_err("out of memory");
	else
		*to = vl;
}

/* Forget every template variable set so far: a page starts again. */
void
req_vars_reset(struct req *r)
{
	TMPL_arena_reset(r->w->tmpl);
	r->vars = NULL;
}

/*
 * Format a string into the request's arena.  Returns it, or "" when
 * memory ran out (the page then shows less, and the worker goes on).
 */
char *
req_printf(struct req *r, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	return p != NULL ? p : (char *)"";
}

/*
 * Return the worker's scratch buffer, emptied: text is built there and
 * copied into the request's arena with req_scratch_copy(), so that a
 * request allocates nothing from the system for it once the buffer has
 * grown to fit.
 */
struct buf *
req_scratch(struct req *r)
{
	buf_reset(&r->w->scratch);
	return &r->w->scratch;
}

/* Copy what b holds into the request's arena; NULL when b failed. */
char *
req_scratch_copy(struct req *r, const struct buf *b)
{
	if (b->failed)
		return NULL;
	return arena_strndup(r->arena, b->data != NULL ? b->data : "", b->len);
}
