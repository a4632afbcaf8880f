/*
 * resp.c: status lines, headers, conditional GET, and the one write that
 * sends a response.
 *
 * A page is rendered into the worker's body buffer first; only when it is
 * complete are the headers written in front of it and the whole response
 * handed to libfcgi in one call.  So a failure half-way through a page
 * becomes a clean 500, never a truncated 200.  The words of each status
 * (its reason, and the heading and message of its error page) are kept
 * here; layout.c dresses them as a page.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "date.h"
#include "fcgi_out.h"
#include "log.h"
#include "resp.h"

/*
 * The same on every response fascia writes.  Static files get the same
 * headers from nginx.
 */
#define SECURITY_HEADERS \
	"X-Content-Type-Options: nosniff\r\n" \
	"Referrer-Policy: strict-origin-when-cross-origin\r\n" \
	"Content-Security-Policy: default-src 'self'; img-src 'self' data:; " \
	"object-src 'none'; base-uri 'self'; form-action 'self'; " \
	"frame-ancestors 'none'\r\n"

#define HTML_TYPE "text/html; charset=utf-8"

static const struct {
	int status;
	const char *reason;
	const char *heading;
	const char *message;
} statuses[] = {
	{ 200, "OK", NULL, NULL },
	{ 301, "Moved Permanently", NULL, NULL },
	{ 303, "See Other", NULL, NULL },
	{ 304, "Not Modified", NULL, NULL },
	{ 400, "Bad Request", "Bad request",
	    "The address or the form could not be understood. Please check "
	    "it and try again." },
	{ 403, "Forbidden", "Forbidden", "This request is not allowed." },
	{ 404, "Not Found", "Page not found",
	    "Sorry, there is nothing at this address. It may have moved, or "
	    "the link may be mistyped." },
	{ 405, "Method Not Allowed", "Method not allowed",
	    "This address cannot be used that way." },
	{ 409, "Conflict", "Conflict",
	    "This request conflicts with something already saved." },
	{ 413, "Content Too Large", "Too large",
	    "What you sent is larger than this site accepts." },
	{ 414, "URI Too Long", "Address too long",
	    "The address is longer than this site accepts." },
	{ 415, "Unsupported Media Type", "Unsupported format",
	    "This site cannot read data sent in that format." },
	{ CLIENT_GONE, "Client Closed Request", NULL, NULL },
	{ 429, "Too Many Requests", "Too many requests",
	    "Please slow down and try again in a moment." },
	{ 500, "Internal Server Error", "Something went wrong",
	    "The page could not be shown because of an error on our side. "
	    "Please try again later." },
	{ 503, "Service Unavailable", "Temporarily unavailable",
	    "The site cannot reach its database right now. Please try again "
	    "in a moment." },
};

static int
status_index(int status)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].status == status)
			return (int)i;
	return status_index(500);
}

/*
 * Return the reason phrase, error-page heading and message of status (a
 * status this file does not know is answered as 500).
 */
void
resp_status_text(int status, const char **heading, const char **message)
{
	int i = status_index(status);

	*heading = statuses[i].heading;
	*message = statuses[i].message;
}

/* The status a reader gets when the database failed with res. */
int
resp_db_status(enum db_res res)
{
	return res == DB_UNAVAILABLE ? 503 : 500;
}

/*
 * Render which into the body buffer with the variables collected so far.
 * Returns status, or 500 when rendering failed (logged by view.c).
 */
int
resp_page(struct req *r, enum view which, int status)
{
	struct worker *w = r->w;

	if (resp_client_gone(r))
		return CLIENT_GONE;
	buf_reset(&w->body);
	if (!views_render(r->app->views, which, r->vars, &w->body))
		return 500;
	r->content_type = HTML_TYPE;
	return status;
}

/* Make the body the short plain text text.  Returns status. */
int
resp_text(struct req *r, int status, const char *text)
{
	buf_reset(&r->w->body);
	buf_puts(&r->w->body, text);
	r->content_type = "text/plain; charset=utf-8";
	return status;
}

/*
 * Does the If-None-Match header value match etag (a quoted tag, weak or
 * strong)?  Weak comparison, as RFC 9110 asks for If-None-Match: W/"x"
 * matches "x" (nginx makes a tag weak when it compresses the response).
 * "*" matches any tag.  A malformed list matches nothing.
 */
int
resp_etag_match(const char *header, const char *etag)
{
	const char *p = header, *end;
	size_t n;

	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	n = strlen(etag);

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
 * unknown)?  If-None-Match, when present, decides alone (RFC 9110 13.2.2);
 * an empty header is no header (nginx passes the client's headers that way).
 */
int
resp_not_modified(const char *if_none_match, const char *if_modified_since,
    const char *etag, time_t last_modified)
{
	time_t since;

	if (if_none_match != NULL && *if_none_match != '\0')
		return resp_etag_match(if_none_match, etag);
	if (if_modified_since == NULL || last_modified <= 0 ||
	    !date_parse_http(if_modified_since, &since))
		return 0;
	return last_modified <= since;
}

/* The validators and caching headers of a page that is the same for all. */
static void
shared_headers(struct req *r, struct buf *out, int status)
{
	char lm[DATE_MAX];

	/* X-Accel-Expires first: nginx takes it, and then looks no further
	 * (Cache-Control is for browsers, which must ask again each time). */
	if (r->conf->page_cache && r->cache_ttl > 0 && status == 200)
		buf_printf(out, "X-Accel-Expires: %ld\r\n", r->cache_ttl);
	buf_printf(out, "ETag: %s\r\n", r->etag);
	if (date_http(lm, sizeof(lm), r->last_modified))
		buf_printf(out, "Last-Modified: %s\r\n", lm);
	if (r->cache_control == NULL)
		r->cache_control = "no-cache";
}

/*
 * Send the response: status and headers, then the body (not for HEAD nor
 * 304), in one write (fcgi_out.c).  The headers are built on their own,
 * the body is sent from where it was rendered; headers that do not fit
 * make the answer an empty 500.  A client that has gone gets nothing.
 */
void
resp_finish(struct req *r, int status)
{
	struct worker *w = r->w;
	struct buf *out = &w->out;
	struct iovec parts[2];
	int i, body = r->method != METHOD_HEAD && status != 304;

	if (status == CLIENT_GONE)
		return;
	if (status == 503 && r->retry_after == 0)
		r->retry_after = RETRY_AFTER;
	i = status_index(status);
	buf_reset(out);
	buf_printf(out, "Status: %d %s\r\n", statuses[i].status,
	    statuses[i].reason);
	/* A 304 has no body, so no length or type of one (RFC 9110 15.4.5). */
	if (status != 304) {
		buf_printf(out, "Content-Type: %s\r\n",
		    r->content_type != NULL ? r->content_type : HTML_TYPE);
		buf_printf(out, "Content-Length: %zu\r\n", w->body.len);
	}
	if (r->etag != NULL && (status == 200 || status == 304))
		shared_headers(r, out, status);
	if (r->headers != NULL && status < 400)
		buf_puts(out, r->headers);
	if (r->location != NULL)
		buf_printf(out, "Location: %s\r\n", r->location);
	if (r->allow != NULL)
		buf_printf(out, "Allow: %s\r\n", r->allow);
	if (r->retry_after > 0)
		buf_printf(out, "Retry-After: %d\r\n", r->retry_after);
	if (r->cache_control != NULL)
		buf_printf(out, "Cache-Control: %s\r\n", r->cache_control);
	else if (status >= 500)
		buf_puts(out, "Cache-Control: no-store\r\n");
	buf_puts(out, SECURITY_HEADERS "\r\n");
	if (out->failed) {
		log_err("response headers too large or out of memory");
		buf_reset(out);
		buf_puts(out,
		    "Status: 500 Internal Server Error\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Length: 0\r\n" SECURITY_HEADERS "\r\n");
		body = 0;
	}
	parts[0].iov_base = out->data;
	parts[0].iov_len = out->len;
	parts[1].iov_base = w->body.data;
	parts[1].iov_len = body ? w->body.len : 0;
	if (!fcgi_out_send(r->fcgi, parts, 2))
		log_warn("client went away before the response was sent");
}

/*
 * Has the client gone (nginx closed the connection: the reader gave up)?
 * Then there is no point rendering anything for it.
 */
int
resp_client_gone(const struct req *r)
{
	char c;

	return recv(r->fcgi->ipcFd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}
