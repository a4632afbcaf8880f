/*
 * h_post.c: GET /<slug>/, a post's page: the post, its tags, its author's
 * bio, its approved comments threaded, and the comment form (refilled,
 * with its errors, when h_comment.c sends a form back).
 *
 * A slug that names no published post may be an old slug of a renamed
 * one: when a post's slug changes, the old one is kept in slug_redirects
 * (the post CLI and the WordPress importer fill it, as WordPress keeps
 * _wp_old_slug), and a request for it gets a permanent redirect to the
 * post's address now.  The table points at the post, not at a slug, so a
 * post renamed twice never makes a chain of redirects.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "h_post.h"
#include "identicon.h"
#include "layout.h"
#include "meta.h"
#include "permalink.h"
#include "resp.h"
#include "text.h"
#include "thread.h"
#include "token.h"

/* Text built in the scratch buffer, copied to the arena ("" if it failed). */
static const char *
scratch_text(struct req *r, const struct buf *b)
{
	const char *s = req_scratch_copy(r, b);

	return s != NULL ? s : "";
}

/* One comment's row of the "comments" loop, at depth, before next_depth. */
static TMPL_varlist *
comment_row(struct req *r, const struct db_comment *c, int depth,
    int next_depth)
{
	unsigned char hash[HASH_BYTES];
	TMPL_loop *closers = NULL;
	TMPL_varlist *row;
	struct buf *b;
	int j;

	row = req_row(r, NULL, "id", c->id);
	row = req_row(r, row, "author_name", c->author_name);
	if (comment_url_ok(c->url))
		row = req_row(r, row, "author_link", c->url);
	row = req_row(r, row, "date_iso", c->date_iso);
	row = req_row(r, row, "date", c->date);
	row = req_row(r, row, "depth", req_printf(r, "%d", depth));
	if (strcmp(c->status, "pending") == 0)
		row = req_row(r, row, "pending", "1");
	if (hex_decode(hash, sizeof(hash), c->email_hash)) {
		b = req_scratch(r);
		identicon_svg(b, hash);
		row = req_row(r, row, "avatar", scratch_text(r, b));
	}
	row = req_row(r, row, "reply_url",
	    req_printf(r, "?replytocom=%s#respond", c->id));
	b = req_scratch(r);
	text_to_html(b, c->body, strlen(c->body));
	row = req_row(r, row, "body", scratch_text(r, b));
	/* The next row is deeper: it opens this comment's replies. */
	row = req_row(r, row, "has_children", next_depth > depth ? "1" : "");
	for (j = next_depth; j < depth; j++)
		closers =
		    req_loop_add(r, closers, req_row(r, NULL, "close", "1"));
	req_loop(r, &row, "closers", closers);
	return row;
}

/* Add the comments c as the threaded "comments" loop.  Returns 1 or 0. */
static int
comments_loop(struct req *r, const struct db_rows *c)
{
	TMPL_loop *loop = NULL;
	long *ids, *parents;
	int *order, *depth, i, k;

	if (c->n == 0)
		return 1;
	ids = arena_alloc(r->arena, sizeof(*ids) * (size_t)c->n);
	parents = arena_alloc(r->arena, sizeof(*parents) * (size_t)c->n);
	order = arena_alloc(r->arena, sizeof(*order) * (size_t)(c->n + 1));
	depth = arena_alloc(r->arena, sizeof(*depth) * (size_t)(c->n + 1));
	if (!ids || !parents || !order || !depth)
		return 0;
	for (i = 0; i < c->n; i++) {
		ids[i] = strtol(c->comment[i].id, NULL, 10);
		parents[i] = c->comment[i].parent_id != NULL ?
		    strtol(c->comment[i].parent_id, NULL, 10) :
		    0;
	}
	if (thread_order(r->arena, ids, parents, c->n, r->conf->thread_depth,
		order, depth) < 0)
		return 0;
	for (k = 0; order[k] >= 0; k++)
		loop = req_loop_add(r, loop,
		    comment_row(r, &c->comment[order[k]], depth[k],
			depth[k + 1]));
	req_loop(r, &r->vars, "comments", loop);
	return 1;
}

/*
 * Add the comment form's variables: where it posts, a fresh token, and,
 * when the form comes back with errors, what the visitor typed and what
 * is wrong with it.  A "Reply" link (?replytocom=ID) or a sent
 * comment_parent names the approved comment of this post being answered.
 */
static const char *const field_ids[CF__MAX] = {
	[CF_COMMENT] = "comment",
	[CF_AUTHOR] = "author",
	[CF_EMAIL] = "email",
	[CF_URL] = "url",
};
static const char *const field_vars[CF__MAX] = {
	[CF_COMMENT] = "f_comment",
	[CF_AUTHOR] = "f_author",
	[CF_EMAIL] = "f_email",
	[CF_URL] = "f_url",
};
static const char *const error_vars[CF__MAX] = {
	[CF_COMMENT] = "err_comment",
	[CF_AUTHOR] = "err_author",
	[CF_EMAIL] = "err_email",
	[CF_URL] = "err_url",
};

static void
comment_form_vars(struct req *r, const struct db_post *p,
    const struct db_rows *c, const struct form_state *fs)
{
	const char *reply = req_query(r, "replytocom");
	char token[TOKEN_CHARS];
	TMPL_loop *errors = NULL;
	TMPL_varlist *row;
	int i;

	req_var(r, "form_action",
	    req_printf(r, "%scomments", permalink_post(r, p->slug)));
	form_token_issue(&r->app->keys, strtol(p->id, NULL, 10), time(NULL),
	    token);
	req_var(r, "form_token", arena_strdup(r->arena, token));
	if (fs != NULL) {
		reply = fs->parent;
		for (i = 0; i < CF__MAX; i++) {
			req_var(r, field_vars[i], fs->in.v[i]);
			if (fs->in.err[i] == NULL)
				continue;
			req_var(r, error_vars[i], fs->in.err[i]);
			row = req_row(r, NULL, "field", field_ids[i]);
			row = req_row(r, row, "message", fs->in.err[i]);
			errors = req_loop_add(r, errors, row);
		}
		if (fs->parent_err != NULL) {
			row = req_row(r, NULL, "field", "comment");
			row = req_row(r, row, "message", fs->parent_err);
			errors = req_loop_add(r, errors, row);
		}
		req_loop(r, &r->vars, "errors", errors);
		req_var(r, "form_notice", fs->notice);
	} else if (reply != NULL) {
		/* A page per comment: not for robots. */
		req_var(r, "noindex", "1");
	}
	if (reply == NULL || *reply == '\0')
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->comment[i].id, reply) == 0 &&
		    strcmp(c->comment[i].status, "approved") == 0) {
			req_var(r, "comment_parent", c->comment[i].id);
			req_var(r, "replying_to", c->comment[i].author_name);
			req_var(r, "cancel_reply_url",
			    req_printf(r, "%s#respond",
				permalink_post(r, p->slug)));
			break;
		}
}

/*
 * The visitor who just posted a comment held for moderation comes back
 * with ?unapproved=ID&moderation-hash=TOKEN: show them (and only them,
 * for a while) their own pending comment among the approved ones.
 */
static void
add_own_pending(struct req *r, const struct db_post *p, struct db_rows *c)
{
	const char *id = req_query(r, "unapproved");
	const char *token = req_query(r, "moderation-hash");
	const char *params[2];
	struct db_comment *all;
	struct db_rows pend;
	long cid;

	if (id == NULL || token == NULL || (cid = strtol(id, NULL, 10)) <= 0 ||
	    !view_token_check(&r->app->keys, cid, token, time(NULL)))
		return;
	req_var(r, "noindex", "1");
	params[0] = id;
	params[1] = p->id;
	if (db_query(&r->w->db, r->arena, STMT_COMMENT_PENDING, params,
		&pend) != DB_OK ||
	    pend.n != 1)
		return;
	if ((all = arena_alloc(r->arena, sizeof(*all) * (size_t)(c->n + 1))) ==
	    NULL)
		return;
	if (c->n > 0)
		memcpy(all, c->comment, sizeof(*all) * (size_t)c->n);
	all[c->n] = pend.comment[0];
	c->comment = all;
	c->n++;
}

/* Add the post's tags as the "tags" loop. */
static void
tags_loop(struct req *r, const struct db_rows *tags)
{
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	int i;

	for (i = 0; i < tags->n; i++) {
		row = req_row(r, NULL, "name", tags->tag[i].name);
		row =
		    req_row(r, row, "url", permalink_tag(r, tags->tag[i].slug));
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "tags", loop);
}

/* Render the page of post p with its tags and comments (see post_page). */
static int
render(struct req *r, const struct db_post *p, const struct db_rows *tags,
    struct db_rows *comments, const struct form_state *fs, int status)
{
	const char *path;
	int approved = comments->n;

	if (fs == NULL)
		add_own_pending(r, p, comments);
	path = permalink_post(r, p->slug);
	layout_page(r, p->title, p->excerpt, path);
	req_var(r, "title", p->title);
	req_var(r, "url", permalink_abs(r, path));
	req_var(r, "date_iso", p->date_iso);
	req_var(r, "date", p->date);
	req_var(r, "body", p->body_html);
	req_var(r, "author_name", p->author_name);
	req_var(r, "author_url", permalink_author(r, p->author_slug));
	req_var(r, "author_bio", p->author_bio);
	tags_loop(r, tags);

	req_var(r, "comment_count", req_printf(r, "%d", approved));
	if (approved == 1)
		req_var(r, "comments_heading", "This Post Has One Comment");
	else
		req_var(r, "comments_heading",
		    req_printf(r, "This Post Has %d Comments", approved));
	if (!comments_loop(r, comments))
		return 500;
	if (strcmp(p->comments_open, "t") == 0) {
		req_var(r, "comments_open", "1");
		comment_form_vars(r, p, comments, fs);
		/* A kept page hands out its form's token: keep it for less
		 * than the token is valid, so that a visitor has time. */
		if (r->cache_ttl > r->conf->form_max_age / 2)
			r->cache_ttl = r->conf->form_max_age / 2;
	}
	meta_post_vars(r, p, path);
	return resp_page(r, VIEW_POST, status);
}

/*
 * Render the page of post p, with the comment form as fs left it (NULL:
 * a fresh form), answering with status.  Its tags and comments are read
 * in one round trip.  Returns the status of the response (a database
 * failure's when they cannot be read).
 */
int
post_page(struct req *r, const struct db_post *p, const struct form_state *fs,
    int status)
{
	const char *params[1] = { p->slug };
	struct db_rows tags, comments;
	const struct db_call calls[] = {
		{ STMT_POST_TAGS, params, &tags },
		{ STMT_POST_COMMENTS, params, &comments },
	};
	enum db_res res;

	if ((res = db_query_all(&r->w->db, r->arena, calls, 2)) != DB_OK)
		return resp_db_status(res);
	return render(r, p, &tags, &comments, fs, status);
}

/*
 * Answer a request for /<slug>/, which names no published post: 301 to
 * the post that used to have that slug, if it is published, else 404.
 */
static int
old_slug(struct req *r, const char *slug)
{
	const char *params[1] = { slug };
	struct db_rows p;
	enum db_res res;

	if ((res = db_query(&r->w->db, r->arena, STMT_SLUG_REDIRECT, params,
		 &p)) != DB_OK)
		return resp_db_status(res);
	if (p.n == 0)
		return 404;
	r->location = permalink_abs(r, permalink_post(r, p.post[0].slug));
	return 301;
}

/* GET /<slug>/: the post, its tags and its comments in one round trip. */
int
h_post(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	struct db_rows post, tags, comments;
	const struct db_call calls[] = {
		{ STMT_POST_BY_SLUG, params, &post },
		{ STMT_POST_TAGS, params, &tags },
		{ STMT_POST_COMMENTS, params, &comments },
	};
	enum db_res res;

	if ((res = db_query_all(&r->w->db, r->arena, calls, 3)) != DB_OK)
		return resp_db_status(res);
	if (post.n == 0)
		return old_slug(r, arg[0]);
	return render(r, &post.post[0], &tags, &comments, NULL, 200);
}
