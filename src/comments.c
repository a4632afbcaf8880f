/*
 * comments.c: POST /<slug>/comments, a visitor's reply to a post.
 *
 * Nothing a visitor typed is ever lost: whatever goes wrong, short of the
 * post not existing, the post page comes back with the right status, the
 * form refilled, a summary of the errors above it and each message next
 * to its field.  The checks run in WordPress's order.  The comment is
 * stored by one INSERT, so it is there whole or not at all, and the form
 * token's nonce makes a second submission of the same form find the
 * first comment instead of storing another.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "form.h"
#include "http.h"
#include "log.h"
#include "text.h"

/* nginx caps bodies at 256 KiB; a legal comment of 3-byte UTF-8 is
 * about 197 KB once percent-encoded. */
#define BODY_MAX (256u * 1024u)
#define VIEW_TOKEN_LIFETIME (30 * 60)

enum { FF_COMMENT, FF_AUTHOR, FF_EMAIL, FF_URL, FF_PARENT, FF_TOKEN,
    FF_HONEYPOT, FF__MAX };

static const char *const form_names[FF__MAX] = {
	"comment", "author", "email", "url", "comment_parent", "form_token",
	"website_confirm",
};

/* Is the request from a page of this site?  Origin and Sec-Fetch-Site. */
static int
same_site(struct req *r)
{
	const char *origin = FCGX_GetParam("HTTP_ORIGIN", r->fcgi->envp);
	const char *site = FCGX_GetParam("HTTP_SEC_FETCH_SITE", r->fcgi->envp);
	const char *base = r->conf->base_url, *slash;
	size_t n;

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return 0;
	if (origin == NULL)
		return 1;
	/* The origin of base_url: scheme://host[:port], without a path. */
	slash = strchr(strstr(base, "://") + 3, '/');
	n = slash ? (size_t)(slash - base) : strlen(base);
	return strlen(origin) == n && strncasecmp(origin, base, n) == 0;
}

static int
form_content_type(const char *ct)
{
	static const char want[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(want) - 1;

	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/*
 * Read the request body into the arena.  Returns 200, or 400 for a
 * malformed or short body, 411 when the length is missing, 413 when it is
 * too long.
 */
static int
read_body(struct req *r, char **body, size_t *len)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", r->fcgi->envp);
	unsigned long n = 0;
	const char *p;
	int got;

	if (cl == NULL || *cl == '\0')
		return 400;
	for (p = cl; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || p - cl > 9)
			return 400;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (n > BODY_MAX)
		return 413;
	if ((*body = arena_alloc(r->arena, n + 1)) == NULL)
		return 500;
	got = n == 0 ? 0 : FCGX_GetStr(*body, (int)n, r->fcgi->in);
	if (got < 0 || (unsigned long)got != n)
		return 400;
	(*body)[n] = '\0';
	*len = n;
	return 200;
}

static const char *
hexbytes(struct req *r, const unsigned char *b, size_t n)
{
	char *out = arena_alloc(r->arena, 2 * n + 3);

	if (out == NULL)
		return NULL;
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, 2 * n + 1, b, n);
	return out;
}

/* Send the visitor to their comment: 303 See Other. */
static int
see_comment(struct req *r, const struct rows *p, const char *id,
    const char *status)
{
	char token[TOKEN_CHARS];
	const char *slug = url_encode_segment(r->arena, ROW(p, 0, PC_SLUG));

	if (strcmp(status, "approved") == 0)
		r->location = req_url(r, "%s/%s/#comment-%s",
		    r->conf->base_url, slug, id);
	else {
		view_token_issue(&r->app->keys, strtol(id, NULL, 10),
		    time(NULL) + VIEW_TOKEN_LIFETIME, token);
		r->location = req_url(r, "%s/%s/?unapproved=%s&"
		    "moderation-hash=%s#comment-%s", r->conf->base_url, slug,
		    id, token, id);
	}
	r->cache_control = "no-store";
	return 303;
}

/*
 * The database is gone while a comment was being posted: answer 503 with
 * a page that needs no database and still holds the form as the visitor
 * filled it, with the token they sent, so that sending it again once the
 * database is back stores the comment once.
 */
static int
comment_fallback(struct req *r, const char *slug, struct form_state *fs,
    const char *token)
{
	static const char *const vars[CF__MAX] = { "f_comment", "f_author",
	    "f_email", "f_url" };
	int i;

	TMPL_arena_reset(r->w->tmpl);
	r->vars = NULL;
	r->retry_after = 5;
	page_common(r, "Comment not saved", NULL, NULL);
	req_var(r, "noindex", "1");
	req_var(r, "status", "503");
	req_var(r, "heading", "Your comment could not be saved");
	req_var(r, "message", "The site cannot reach its database right now. "
	    "Nothing you wrote is lost: it is all in the form below. Please "
	    "try again in a moment.");
	req_var(r, "comments_open", "1");
	req_var(r, "form_action", req_url(r, "/%s/comments",
	    url_encode_segment(r->arena, slug)));
	req_var(r, "form_token", token);
	req_var(r, "comment_parent", fs->parent);
	for (i = 0; i < CF__MAX; i++)
		req_var(r, vars[i], fs->in.v[i]);
	return resp_page(r, VIEW_ERROR, 503);
}

int
h_comment_post(struct req *r, char **arg)
{
	struct form_field f[FF__MAX];
	struct form_state fs;
	unsigned char nonce[NONCE_BYTES], ehash[HASH_BYTES], chash[HASH_BYTES];
	const char *params[11], *addr, *parent = NULL, *ehex, *chex, *nhex;
	char links[16], flood[16];
	struct rows p, rows;
	enum token_res tok;
	enum db_res res;
	char *body = NULL;
	size_t len = 0, i;
	int status, spam;
	long post_id;

	if (!same_site(r))
		return 403;
	if (!form_content_type(FCGX_GetParam("CONTENT_TYPE", r->fcgi->envp)))
		return 415;
	status = read_body(r, &body, &len);
	if (status != 200)
		return status;
	for (i = 0; i < FF__MAX; i++)
		f[i].name = form_names[i];
	if (form_parse(r->arena, body, len, f, FF__MAX) == FORM_NOMEM)
		return 500;
	memset(&fs, 0, sizeof(fs));
	for (i = 0; i < CF__MAX; i++) {
		fs.in.v[i] = f[i].value;
		fs.in.bad_encoding[i] = f[i].bad;
	}
	fs.parent = f[FF_PARENT].value;
	if ((status = post_find(r, arg[0], &p)) != 200) {
		if (status == 503)
			return comment_fallback(r, arg[0], &fs,
			    f[FF_TOKEN].value);
		return status;
	}
	post_id = strtol(ROW(&p, 0, PC_ID), NULL, 10);

	if (strcmp(ROW(&p, 0, PC_COMMENTS_OPEN), "t") != 0) {
		fs.notice = "Comments are closed on this post.";
		return post_page(r, &p, &fs, 403);
	}
	tok = form_token_check(&r->app->keys, post_id, f[FF_TOKEN].value,
	    time(NULL), r->conf->form_max_age, r->conf->min_fill_time, nonce);
	if (tok == TOKEN_INVALID || tok == TOKEN_EXPIRED) {
		fs.notice = tok == TOKEN_EXPIRED ?
		    "This form has expired. Your comment is still here: "
		    "please send it again." :
		    "This form could not be verified. Your comment is still "
		    "here: please send it again.";
		comment_validate(&fs.in);
		return post_page(r, &p, &fs, 403);
	}

	for (i = 0; i < FF__MAX; i++)
		if (f[i].repeated) {
			fs.notice = req_url(r, "The field \xe2\x80\x9c%s\xe2\x80"
			    "\x9d was sent more than once. Please check the "
			    "form and send it again.", f[i].name);
			comment_validate(&fs.in);
			return post_page(r, &p, &fs, 400);
		}
	if (f[FF_PARENT].bad || f[FF_TOKEN].bad)
		fs.notice = "The form contains invalid characters.";
	/* The error summary above the form says the rest. */
	if (comment_validate(&fs.in) > 0 || fs.notice != NULL)
		return post_page(r, &p, &fs, 400);
	if (fs.parent != NULL && *fs.parent != '\0') {
		params[0] = fs.parent;
		params[1] = ROW(&p, 0, PC_ID);
		for (i = 0; fs.parent[i] >= '0' && fs.parent[i] <= '9'; i++)
			;
		if (fs.parent[i] != '\0' || i == 0 || i > 18)
			res = DB_OK, rows.n = 0;
		else if ((res = db_query(&r->w->db, r->arena,
		    STMT_COMMENT_PARENT_OK, params, &rows)) != DB_OK)
			goto db_failed;
		if (rows.n == 0) {
			fs.parent_err = "The comment you are replying to is "
			    "no longer available. Your reply can be posted "
			    "as a new comment.";
			fs.parent = NULL;
			return post_page(r, &p, &fs, 400);
		}
		parent = fs.parent;
	}

	email_hash(&r->app->keys, fs.in.v[CF_EMAIL], ehash);
	addr = FCGX_GetParam("REMOTE_ADDR", r->fcgi->envp);
	client_hash(&r->app->keys, addr ? addr : "", chash);
	if ((ehex = hexbytes(r, ehash, sizeof(ehash))) == NULL ||
	    (chex = hexbytes(r, chash, sizeof(chash))) == NULL ||
	    (nhex = hexbytes(r, nonce, sizeof(nonce))) == NULL)
		return 500;

	/* The same form again (a double click, a retry): the same answer. */
	params[0] = nhex;
	if ((res = db_query(&r->w->db, r->arena, STMT_COMMENT_BY_NONCE,
	    params, &rows)) != DB_OK)
		goto db_failed;
	if (rows.n > 0)
		return see_comment(r, &p, ROW(&rows, 0, 0), ROW(&rows, 0, 1));

	spam = tok == TOKEN_TOO_FAST || (f[FF_HONEYPOT].value != NULL &&
	    *f[FF_HONEYPOT].value != '\0');
	if (!spam) {
		/* WordPress's order: a duplicate first, then a flood. */
		params[0] = ROW(&p, 0, PC_ID);
		params[1] = parent;
		params[2] = fs.in.v[CF_AUTHOR];
		params[3] = ehex;
		params[4] = fs.in.v[CF_COMMENT];
		if ((res = db_query(&r->w->db, r->arena,
		    STMT_COMMENT_DUPLICATE, params, &rows)) != DB_OK)
			goto db_failed;
		if (rows.n > 0) {
			fs.notice = "Duplicate comment detected; it looks as "
			    "though you\xe2\x80\x99ve already said that!";
			return post_page(r, &p, &fs, 409);
		}
		snprintf(flood, sizeof(flood), "%d", r->conf->flood_interval);
		params[0] = ehex;
		params[1] = chex;
		params[2] = flood;
		if ((res = db_query(&r->w->db, r->arena, STMT_COMMENT_FLOOD,
		    params, &rows)) != DB_OK)
			goto db_failed;
		if (rows.n > 0) {
			fs.notice = "You are posting comments too quickly. "
			    "Slow down.";
			r->retry_after = r->conf->flood_interval;
			return post_page(r, &p, &fs, 429);
		}
	}

	snprintf(links, sizeof(links), "%d",
	    comment_links(fs.in.v[CF_COMMENT]));
	params[0] = ROW(&p, 0, PC_ID);
	params[1] = parent;
	params[2] = fs.in.v[CF_AUTHOR];
	params[3] = ehex;
	params[4] = fs.in.v[CF_URL] != NULL ? fs.in.v[CF_URL] : "";
	params[5] = fs.in.v[CF_COMMENT];
	params[6] = chex;
	params[7] = nhex;
	params[8] = spam ? "spam" : "";
	params[9] = r->conf->moderation;
	params[10] = links;
	/* Idempotent: a second run meets the unique form nonce. */
	res = db_write(&r->w->db, r->arena, STMT_COMMENT_INSERT, params, &rows,
	    1);
	if (res == DB_CONFLICT) {
		/* The same form, sent twice at once: the other one won. */
		params[0] = nhex;
		if ((res = db_query(&r->w->db, r->arena,
		    STMT_COMMENT_BY_NONCE, params, &rows)) != DB_OK ||
		    rows.n == 0)
			goto db_failed;
		return see_comment(r, &p, ROW(&rows, 0, 0), ROW(&rows, 0, 1));
	}
	if (res != DB_OK || rows.n != 1)
		goto db_failed;
	log_info("comment %s on post %s: %s", ROW(&rows, 0, 0),
	    ROW(&p, 0, PC_ID), ROW(&rows, 0, 1));
	return see_comment(r, &p, ROW(&rows, 0, 0), ROW(&rows, 0, 1));

db_failed:
	if (res == DB_ERROR)
		return 500;
	return comment_fallback(r, arg[0], &fs, f[FF_TOKEN].value);
}
