/*
 * h_comment.c: POST /<slug>/comments, a visitor's reply to a post.
 *
 * Nothing a visitor typed is ever lost: whatever goes wrong, short of the
 * post not existing, the post page comes back with the right status, the
 * form refilled, a summary of the errors above it and each message next
 * to its field.  The checks run in WordPress's order.  The comment is
 * stored by one INSERT, so it is there whole or not at all.
 *
 * A second submission of the same form (a double click, a retry) finds
 * the first comment instead of storing another: the comment's submission
 * key is a hash of its form token's nonce and of everything typed.  The
 * page cache sends one page, and so one token, to many readers: each of
 * them, typing their own comment, makes a key of their own.
 *
 * An approved comment changes the post's page for everyone: the worker
 * begins a new page cache generation as soon as it is stored, so that
 * the visitor, sent back to the page, finds it there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "cache.h"
#include "form.h"
#include "h_comment.h"
#include "h_post.h"
#include "keys.h"
#include "layout.h"
#include "log.h"
#include "permalink.h"
#include "resp.h"
#include "text.h"
#include "token.h"

/* nginx caps bodies at 256 KiB; a legal comment of 3-byte UTF-8 is
 * about 197 KB once percent-encoded. */
#define BODY_MAX (256u * 1024u)
#define CONTENT_LENGTH_DIGITS_MAX 10
#define VIEW_TOKEN_LIFETIME (30 * 60)
#define PARENT_DIGITS_MAX 18 /* a bigint */

enum {
	FF_COMMENT,
	FF_AUTHOR,
	FF_EMAIL,
	FF_URL,
	FF_PARENT,
	FF_TOKEN,
	FF_HONEYPOT,
	FF__MAX
};

static const char *const form_names[FF__MAX] = {
	"comment",
	"author",
	"email",
	"url",
	"comment_parent",
	"form_token",
	"website_confirm",
};

/* Is the request from a page of this site?  Origin and Sec-Fetch-Site. */
static int
same_site(struct req *r)
{
	const char *origin = req_env(r, "HTTP_ORIGIN");
	const char *site = req_env(r, "HTTP_SEC_FETCH_SITE");

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return 0;
	return origin == NULL || strcasecmp(origin, r->app->site.origin) == 0;
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
 * Read the request body into the arena.  Returns 1, or 0 with the status
 * to refuse the request with in *status: 400 for a missing length or a
 * malformed or short body, 413 when it is too long.
 */
static int
read_body(struct req *r, char **body, size_t *len, int *status)
{
	const char *cl = req_env(r, "CONTENT_LENGTH");
	unsigned long n;
	size_t digits;
	int got;

	*status = 400;
	if (cl == NULL || (digits = text_digits(cl)) == 0 ||
	    digits > CONTENT_LENGTH_DIGITS_MAX)
		return 0;
	n = strtoul(cl, NULL, 10);
	if (n > BODY_MAX) {
		*status = 413;
		return 0;
	}
	if ((*body = arena_alloc(r->arena, n + 1)) == NULL) {
		*status = 500;
		return 0;
	}
	got = n == 0 ? 0 : FCGX_GetStr(*body, (int)n, r->fcgi->in);
	if (got < 0 || (unsigned long)got != n)
		return 0;
	(*body)[n] = '\0';
	*len = n;
	return 1;
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

/* Send the visitor to their comment c (id, status): 303 See Other. */
static int
see_comment(struct req *r, const struct db_post *p, const struct db_comment *c)
{
	char token[TOKEN_CHARS];
	const char *url = permalink_abs(r, permalink_post(r, p->slug));

	if (strcmp(c->status, "approved") == 0)
		r->location = req_printf(r, "%s#comment-%s", url, c->id);
	else {
		view_token_issue(&r->app->keys, strtol(c->id, NULL, 10),
		    time(NULL) + VIEW_TOKEN_LIFETIME, token);
		r->location = req_printf(r,
		    "%s?unapproved=%s&"
		    "moderation-hash=%s#comment-%s",
		    url, c->id, token, c->id);
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

	req_vars_reset(r);
	r->retry_after = RETRY_AFTER;
	layout_page_offline(r, "Comment not saved");
	req_var(r, "noindex", "1");
	req_var(r, "status", "503");
	req_var(r, "heading", "Your comment could not be saved");
	req_var(r, "message",
	    "The site cannot reach its database right now. "
	    "Nothing you wrote is lost: it is all in the form below. Please "
	    "try again in a moment.");
	req_var(r, "comments_open", "1");
	req_var(r, "form_action",
	    req_printf(r, "%scomments", permalink_post(r, slug)));
	req_var(r, "form_token", token);
	req_var(r, "comment_parent", fs->parent);
	for (i = 0; i < CF__MAX; i++)
		req_var(r, vars[i], fs->in.v[i]);
	return resp_page(r, VIEW_ERROR, 503);
}

/* A comment being posted, from its form to its row. */
struct posting {
	struct form_field f[FF__MAX];
	struct form_state fs;
	const struct db_post *post;
	enum token_res tok;
	unsigned char nonce[NONCE_BYTES];
	const char *parent; /* an approved comment of the post, or NULL */
	/* bytea literals for the statements (nonce_hex: the submission key) */
	const char *email_hex, *client_hex, *nonce_hex;
};

/*
 * Read and decode the form into c.  Returns 1, or 0 with the status to
 * refuse the request with in *status.
 */
static int
read_form(struct req *r, struct posting *c, int *status)
{
	char *body = NULL;
	size_t len = 0, i;

	if (!read_body(r, &body, &len, status))
		return 0;
	for (i = 0; i < FF__MAX; i++)
		c->f[i].name = form_names[i];
	if (form_parse(r->arena, body, len, c->f, FF__MAX) == FORM_NOMEM) {
		*status = 500;
		return 0;
	}
	for (i = 0; i < CF__MAX; i++) {
		c->fs.in.v[i] = c->f[i].value;
		c->fs.in.bad_encoding[i] = c->f[i].bad;
	}
	c->fs.parent = c->f[FF_PARENT].value;
	return 1;
}

/*
 * Check the form against its post: open for comments, a good token, every
 * field as WordPress wants it.  Returns 1 when the comment may go on, or
 * 0 with *status the answer: the post page with the form refilled and
 * what is wrong above it.
 */
static int
form_ok(struct req *r, struct posting *c, int *status)
{
	struct form_state *fs = &c->fs;
	size_t i;

	if (strcmp(c->post->comments_open, "t") != 0) {
		fs->notice = "Comments are closed on this post.";
		*status = post_page(r, c->post, fs, 403);
		return 0;
	}
	c->tok = form_token_check(&r->app->keys, strtol(c->post->id, NULL, 10),
	    c->f[FF_TOKEN].value, time(NULL), r->conf->form_max_age,
	    r->conf->min_fill_time, c->nonce);
	if (c->tok == TOKEN_INVALID || c->tok == TOKEN_EXPIRED) {
		fs->notice = c->tok == TOKEN_EXPIRED ?
		    "This form has expired. Your comment is still here: "
		    "please send it again." :
		    "This form could not be verified. Your comment is still "
		    "here: please send it again.";
		comment_validate(&fs->in);
		*status = post_page(r, c->post, fs, 403);
		return 0;
	}
	for (i = 0; i < FF__MAX; i++)
		if (c->f[i].repeated) {
			fs->notice = req_printf(r,
			    "The field " LDQUO "%s" RDQUO
			    " was sent more than once. Please check the "
			    "form and send it again.",
			    c->f[i].name);
			comment_validate(&fs->in);
			*status = post_page(r, c->post, fs, 400);
			return 0;
		}
	if (c->f[FF_PARENT].bad || c->f[FF_TOKEN].bad)
		fs->notice = "The form contains invalid characters.";
	/* The error summary above the form says the rest. */
	if (comment_validate(&fs->in) > 0 || fs->notice != NULL) {
		*status = post_page(r, c->post, fs, 400);
		return 0;
	}
	return 1;
}

/*
 * Does comment_parent name an approved comment of the post (or nothing)?
 * Sets *ok, and c->parent when it does.
 */
static enum db_res
parent_ok(struct req *r, struct posting *c, int *ok)
{
	const char *params[2] = { c->fs.parent, c->post->id };
	struct db_rows rows;
	enum db_res res;
	size_t n;

	*ok = 1;
	if (c->fs.parent == NULL || *c->fs.parent == '\0')
		return DB_OK;
	*ok = 0;
	if ((n = text_digits(c->fs.parent)) == 0 || n > PARENT_DIGITS_MAX)
		return DB_OK;
	if ((res = db_query(&r->w->db, r->arena, STMT_COMMENT_PARENT_OK, params,
		 &rows)) != DB_OK)
		return res;
	if (rows.n > 0) {
		*ok = 1;
		c->parent = c->fs.parent;
	}
	return DB_OK;
}

/* Add s, and its length, to the hash h: no two lists of strings alike. */
static void
hash_field(crypto_generichash_state *h, const char *s)
{
	unsigned char len[8];
	size_t n = s != NULL ? strlen(s) + 1 : 0; /* 0: absent */
	int i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(h, len, sizeof(len));
	if (s != NULL)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* The submission key: the token's nonce and all that was typed, hashed. */
static void
submission_key(const struct req *r, const struct posting *c,
    unsigned char key[NONCE_BYTES])
{
	crypto_generichash_state h;
	int i;

	crypto_generichash_init(&h, r->app->keys.form,
	    sizeof(r->app->keys.form), NONCE_BYTES);
	crypto_generichash_update(&h, c->nonce, sizeof(c->nonce));
	for (i = 0; i < CF__MAX; i++)
		hash_field(&h, c->fs.in.v[i]);
	hash_field(&h, c->parent);
	crypto_generichash_final(&h, key, NONCE_BYTES);
}

/*
 * The keyed hashes and the submission key as bytea literals.  Returns 1
 * or 0.
 */
static int
hash_form(struct req *r, struct posting *c)
{
	unsigned char ehash[HASH_BYTES], chash[HASH_BYTES], key[NONCE_BYTES];
	const char *addr = req_env(r, "REMOTE_ADDR");

	email_hash(&r->app->keys, c->fs.in.v[CF_EMAIL], ehash);
	client_hash(&r->app->keys, addr != NULL ? addr : "", chash);
	submission_key(r, c, key);
	return (c->email_hex = hexbytes(r, ehash, sizeof(ehash))) != NULL &&
	    (c->client_hex = hexbytes(r, chash, sizeof(chash))) != NULL &&
	    (c->nonce_hex = hexbytes(r, key, sizeof(key))) != NULL;
}

/*
 * WordPress's checks on who is posting, in its order: the same comment
 * already there (409), then a comment from the same person or address
 * too recently (429).  Sets *status to the refusal, or to 0 when there
 * is none.
 */
static enum db_res
not_again(struct req *r, struct posting *c, int *status)
{
	const char *params[5];
	char flood[16];
	struct db_rows rows;
	enum db_res res;

	*status = 0;
	params[0] = c->post->id;
	params[1] = c->parent;
	params[2] = c->fs.in.v[CF_AUTHOR];
	params[3] = c->email_hex;
	params[4] = c->fs.in.v[CF_COMMENT];
	if ((res = db_query(&r->w->db, r->arena, STMT_COMMENT_DUPLICATE, params,
		 &rows)) != DB_OK)
		return res;
	if (rows.n > 0) {
		c->fs.notice = "Duplicate comment detected; it looks as "
			       "though you" RSQUO "ve already said that!";
		*status = post_page(r, c->post, &c->fs, 409);
		return DB_OK;
	}
	snprintf(flood, sizeof(flood), "%d", r->conf->flood_interval);
	params[0] = c->email_hex;
	params[1] = c->client_hex;
	params[2] = flood;
	if ((res = db_query(&r->w->db, r->arena, STMT_COMMENT_FLOOD, params,
		 &rows)) != DB_OK)
		return res;
	if (rows.n > 0) {
		c->fs.notice = "You are posting comments too quickly. Slow "
			       "down.";
		r->retry_after = r->conf->flood_interval;
		*status = post_page(r, c->post, &c->fs, 429);
	}
	return DB_OK;
}

/*
 * Store the comment (spam, pending or approved, as moderation says) into
 * *row.  Idempotent: a second run, or the same form sent twice at once,
 * meets the unique form nonce and finds the first one's row.
 */
static enum db_res
store(struct req *r, struct posting *c, int spam, struct db_rows *row)
{
	const char *params[11];
	char links[16];
	enum db_res res;

	snprintf(links, sizeof(links), "%d",
	    comment_links(c->fs.in.v[CF_COMMENT]));
	params[0] = c->post->id;
	params[1] = c->parent;
	params[2] = c->fs.in.v[CF_AUTHOR];
	params[3] = c->email_hex;
	params[4] = c->fs.in.v[CF_URL] != NULL ? c->fs.in.v[CF_URL] : "";
	params[5] = c->fs.in.v[CF_COMMENT];
	params[6] = c->client_hex;
	params[7] = c->nonce_hex;
	params[8] = spam ? "spam" : "";
	params[9] = r->conf->moderation;
	params[10] = links;
	res =
	    db_write(&r->w->db, r->arena, STMT_COMMENT_INSERT, params, row, 1);
	if (res == DB_CONFLICT) {
		/* The same form, sent twice at once: the other one won. */
		params[0] = c->nonce_hex;
		res = db_query(&r->w->db, r->arena, STMT_COMMENT_BY_NONCE,
		    params, row);
	}
	if (res == DB_OK && row->n != 1)
		res = DB_UNAVAILABLE; /* gone between the two: try again */
	return res;
}

/*
 * An approved comment is in: begin a new page cache generation now, with
 * the same next scheduled post, so that this visitor's next request finds
 * the pages changed (the keeper, told by the database, follows).  Nothing
 * to do while the cache is off.
 */
static void
page_changed(struct req *r)
{
	struct cache_gen g;

	if (cache_read(r->conf->page_cache_dir, &g))
		(void)cache_flip(r->conf->page_cache_dir, g.next);
}

/* POST /<slug>/comments */
int
h_comment_post(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	struct posting c;
	struct db_rows post, rows;
	enum db_res res;
	int status, ok, spam;

	if (!same_site(r))
		return 403;
	if (!form_content_type(req_env(r, "CONTENT_TYPE")))
		return 415;
	memset(&c, 0, sizeof(c));
	if (!read_form(r, &c, &status))
		return status;
	if ((res = db_query(&r->w->db, r->arena, STMT_POST_BY_SLUG, params,
		 &post)) != DB_OK)
		goto db_failed;
	if (post.n == 0)
		return 404;
	c.post = &post.post[0];
	if (!form_ok(r, &c, &status))
		return status;
	if ((res = parent_ok(r, &c, &ok)) != DB_OK)
		goto db_failed;
	if (!ok) {
		c.fs.parent_err =
		    "The comment you are replying to is no "
		    "longer available. Your reply can be posted as a new "
		    "comment.";
		c.fs.parent = NULL;
		return post_page(r, c.post, &c.fs, 400);
	}
	if (!hash_form(r, &c))
		return 500;

	/* The same form again (a double click, a retry): the same answer. */
	params[0] = c.nonce_hex;
	if ((res = db_query(&r->w->db, r->arena, STMT_COMMENT_BY_NONCE, params,
		 &rows)) != DB_OK)
		goto db_failed;
	if (rows.n > 0)
		return see_comment(r, c.post, &rows.comment[0]);

	spam = c.tok == TOKEN_TOO_FAST ||
	    (c.f[FF_HONEYPOT].value != NULL && *c.f[FF_HONEYPOT].value != '\0');
	if (!spam) {
		if ((res = not_again(r, &c, &status)) != DB_OK)
			goto db_failed;
		if (status != 0)
			return status;
	}
	if ((res = store(r, &c, spam, &rows)) != DB_OK)
		goto db_failed;
	log_info("comment %s on post %s: %s", rows.comment[0].id, c.post->id,
	    rows.comment[0].status);
	if (strcmp(rows.comment[0].status, "approved") == 0)
		page_changed(r);
	return see_comment(r, c.post, &rows.comment[0]);

db_failed:
	if (res == DB_ERROR)
		return 500;
	return comment_fallback(r, arg[0], &c.fs, c.f[FF_TOKEN].value);
}
