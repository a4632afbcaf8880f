/*
 * req.c: a request's FastCGI parameters, decoded and checked, and the
 * template variables its response collects.
 *
 * The raw REQUEST_URI is split into path segments before decoding, so an
 * encoded "%2F" can never become a separator, and every segment and query
 * value must decode to valid UTF-8 without control characters.  Anything
 * else is a 400 here, long before a handler or the database sees it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "text.h"
#include "utf8.h"

/* Decode n bytes at s into the arena; NULL if malformed. */
static char *
decode(struct req *r, const char *s, size_t n, int plus_space, int *bad)
{
	char *out;
	size_t len;

	if ((out = arena_alloc(r->arena, n + 1)) == NULL) {
		*bad = 500;
		return NULL;
	}
	if (!pct_decode(s, n, plus_space, out, &len) ||
	    !utf8_valid(out, len) || text_has_control(out, len, 0)) {
		*bad = 400;
		return NULL;
	}
	out[len] = '\0';
	return out;
}

static int
parse_query(struct req *r, const char *q)
{
	const char *amp, *eq, *end;
	int bad = 0;

	for (; *q != '\0'; q = *end ? end + 1 : end) {
		end = (amp = strchr(q, '&')) != NULL ? amp : q + strlen(q);
		if (end == q)
			continue;
		if (r->nq == QUERY_PARAMS_MAX)
			return 400;
		eq = memchr(q, '=', (size_t)(end - q));
		if (eq == NULL)
			eq = end;
		if ((r->q[r->nq].name = decode(r, q, (size_t)(eq - q), 1,
		    &bad)) == NULL)
			return bad;
		r->q[r->nq].value = eq == end ? "" :
		    decode(r, eq + 1, (size_t)(end - eq - 1), 1, &bad);
		if (r->q[r->nq].value == NULL)
			return bad;
		r->nq++;
	}
	return 0;
}

/*
 * Fill r from the FastCGI parameters.  Returns 0, or the status to answer
 * with: 400 for a malformed path or query, 414 for an overlong URI, 404
 * for a path no route can match.
 */
int
req_parse(struct req *r)
{
	const char *m, *uri, *p, *q, *slash;
	char **envp = r->fcgi->envp;
	int bad = 0;

	m = FCGX_GetParam("REQUEST_METHOD", envp);
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

	if ((uri = FCGX_GetParam("REQUEST_URI", envp)) == NULL || *uri != '/')
		return 400;
	r->uri = uri;
	if (strlen(uri) > URI_MAX)
		return 414;
	q = strchr(uri, '?');
	if ((r->path = arena_strndup(r->arena, uri,
	    q ? (size_t)(q - uri) : strlen(uri))) == NULL)
		return 500;
	if (q != NULL && (bad = parse_query(r, q + 1)) != 0)
		return bad;

	for (p = r->path + 1; *p != '\0'; p = slash + 1) {
		if ((slash = strchr(p, '/')) == NULL)
			slash = p + strlen(p);
		if (slash == p || r->nseg == PATH_SEGMENTS_MAX)
			return 404;	/* "//" or too deep: no such page */
		if ((r->seg[r->nseg] = decode(r, p, (size_t)(slash - p), 0,
		    &bad)) == NULL)
			return bad;
		if (strchr(r->seg[r->nseg], '/') != NULL ||
		    strcmp(r->seg[r->nseg], ".") == 0 ||
		    strcmp(r->seg[r->nseg], "..") == 0)
			return 404;
		r->nseg++;
		if (*slash == '\0')
			break;
	}
	r->trailing_slash = r->path[strlen(r->path) - 1] == '/';
	return 0;
}

/*
 * Return the decoded value of the first query parameter called name, or
 * NULL.
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

/* Add a variable to the page's root list. */
void
req_var(struct req *r, const char *name, const char *value)
{
	r->vars = req_row(r, r->vars, name, value);
}

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

/* Format a string into the request's arena ("" if memory ran out). */
char *
req_url(struct req *r, const char *fmt, ...)
{
	va_list ap;
	char tmp[1];
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(r->arena, (size_t)n + 1)) == NULL)
		return (char *)"";
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
