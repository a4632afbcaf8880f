/*
 * pages.c: the reader's pages: the home page and its pagination, a post
 * with its comments, an author's and a tag's archive, and /healthz.
 *
 * Each handler runs its prepared statements, hands the rows to the
 * template as variables (strings stay in the request arena; nothing is
 * copied twice) and returns the HTTP status.  URLs in pages are built here
 * from slugs, percent-encoded, and made absolute only from the configured
 * base URL, never from the Host header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "finding.h"
#include "http.h"
#include "log.h"
#include "text.h"
#include "thread.h"

/* Map a database failure to the status a reader sees. */
static int
db_status(enum db_res res)
{
	return res == DB_UNAVAILABLE ? 503 : 500;
}

static const char *
author_path(struct req *r, const char *slug)
{
	return req_url(r, "/author/%s/", url_encode_segment(r->arena, slug));
}

static const char *
post_path(struct req *r, const char *slug)
{
	return req_url(r, "/%s/", url_encode_segment(r->arena, slug));
}

/*
 * The navigation: Home, then each author with a published post.  The
 * author list changes rarely, so each worker keeps it for a minute
 * instead of asking the database on every page view.
 */
static struct db_cache nav = { .stmt = STMT_NAV_AUTHORS, .ttl = 60 };

static void
nav_vars(struct req *r, const char *current_path)
{
	const struct rows *authors = db_cached(&r->w->db, &nav);
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	const char *path;
	int i;

	row = req_row(r, NULL, "url", "/");
	row = req_row(r, row, "label", "Home");
	if (current_path != NULL && strcmp(current_path, "/") == 0)
		row = req_row(r, row, "current", "1");
	loop = req_loop_add(r, loop, row);
	for (i = 0; i < authors->n; i++) {
		path = author_path(r, ROW(authors, i, 0));
		row = req_row(r, NULL, "url", path);
		row = req_row(r, row, "label", ROW(authors, i, 1));
		if (current_path != NULL && strcmp(current_path, path) == 0)
			row = req_row(r, row, "current", "1");
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "nav", loop);
}

/*
 * Set the variables every page has.  title NULL means the site's own
 * title; canonical_path NULL means the page has no canonical address
 * (an error page).
 */
void
page_common(struct req *r, const char *title, const char *description,
    const char *canonical_path)
{
	const struct conf *c = r->conf;
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	req_var(r, "lang", c->language);
	req_var(r, "site_title", c->site_title);
	req_var(r, "site_description", c->site_description);
	req_var(r, "base_url", c->base_url);
	req_var(r, "og_title", title == NULL ? c->site_title : title);
	req_var(r, "page_title", title == NULL ? c->site_title :
	    req_url(r, "%s \xe2\x80\x93 %s", title, c->site_title));
	req_var(r, "meta_description", description != NULL &&
	    *description != '\0' ? description : c->site_description);
	if (canonical_path != NULL)
		req_var(r, "canonical_url", req_url(r, "%s%s", c->base_url,
		    canonical_path));
	req_var(r, "stylesheet_url", r->app->views->stylesheet_url);
	req_var(r, "year", req_url(r, "%d", tm.tm_year + 1900));
	nav_vars(r, canonical_path);
}

static const char *
comments_label(struct req *r, const char *count)
{
	if (strcmp(count, "0") == 0)
		return "No Comments";
	if (strcmp(count, "1") == 0)
		return "One Comment";
	return req_url(r, "%s Comments", count);
}

/* Add the posts of a listing result as the "posts" loop. */
static void
posts_loop(struct req *r, const struct rows *rows, int n)
{
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	const char *url;
	int i;

	for (i = 0; i < n; i++) {
		url = post_path(r, ROW(rows, i, LC_SLUG));
		row = req_row(r, NULL, "url", url);
		row = req_row(r, row, "title", ROW(rows, i, LC_TITLE));
		row = req_row(r, row, "excerpt", ROW(rows, i, LC_EXCERPT));
		row = req_row(r, row, "date_iso", ROW(rows, i, LC_DATE_ISO));
		row = req_row(r, row, "date", ROW(rows, i, LC_DATE));
		row = req_row(r, row, "author_name",
		    ROW(rows, i, LC_AUTHOR_NAME));
		row = req_row(r, row, "author_url",
		    author_path(r, ROW(rows, i, LC_AUTHOR_SLUG)));
		row = req_row(r, row, "comment_count",
		    ROW(rows, i, LC_COMMENTS));
		row = req_row(r, row, "comments_label",
		    comments_label(r, ROW(rows, i, LC_COMMENTS)));
		row = req_row(r, row, "comments_url",
		    req_url(r, "%s#comments", url));
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "posts", loop);
}

/*
 * The shared body of the listings: run statement s with the listing's own
 * parameter (if any) and the page's limit and offset, and render
 * index.html.  base is the listing's first page ("/", "/tag/x/").  A page
 * past the end is a 404, and so is a month's archive without posts.
 */
int
listing(struct req *r, enum stmt s, const char *id, const char *page_arg,
    const char *base, const char *title, const char *description)
{
	const int per_page = r->conf->per_page;
	const char *params[3];
	char limit[16], offset[24];
	struct rows rows;
	enum db_res res;
	const char *self;
	long page = page_arg ? strtol(page_arg, NULL, 10) : 1;
	int np = 0;

	if (page == 1 && page_arg != NULL) {
		r->location = req_url(r, "%s%s", r->conf->base_url, base);
		return 301;	/* /page/1/ is the first page itself */
	}
	snprintf(limit, sizeof(limit), "%d", per_page + 1);
	snprintf(offset, sizeof(offset), "%ld", (page - 1) * per_page);
	if (id != NULL)
		params[np++] = id;
	params[np++] = limit;
	params[np++] = offset;
	if ((res = db_query(&r->w->db, r->arena, s, params, &rows)) != DB_OK)
		return db_status(res);
	if (rows.n == 0 && (page > 1 || s == STMT_ARCHIVE_POSTS))
		return 404;
	self = page == 1 ? base : req_url(r, "%spage/%ld/", base, page);
	page_common(r, page == 1 ? title : req_url(r, "%s \xe2\x80\x93 Page %ld",
	    title ? title : "Posts", page), description, self);
	posts_loop(r, &rows, rows.n > per_page ? per_page : rows.n);
	if (rows.n > per_page)
		req_var(r, "older_url", req_url(r, "%spage/%ld/", base,
		    page + 1));
	if (page == 2)
		req_var(r, "newer_url", base);
	else if (page > 2)
		req_var(r, "newer_url", req_url(r, "%spage/%ld/", base,
		    page - 1));
	req_var(r, "page_number", req_url(r, "%ld", page));
	return resp_page(r, VIEW_INDEX, 200);
}

int
h_home(struct req *r, char **arg)
{
	if (req_query(r, "s") != NULL)
		return h_search(r, arg);	/* WordPress's /?s=words */
	req_var(r, "is_home", "1");
	req_var(r, "heading", "Latest posts");
	archive_vars(r, NULL);
	return listing(r, STMT_POSTS_PAGE, NULL, arg[0], "/", NULL, NULL);
}

int
h_author(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	struct rows a;
	enum db_res res;

	if ((res = db_query(&r->w->db, r->arena, STMT_AUTHOR_BY_SLUG, params,
	    &a)) != DB_OK)
		return db_status(res);
	if (a.n == 0)
		return 404;
	req_var(r, "is_author", "1");
	req_var(r, "heading", ROW(&a, 0, 2));
	req_var(r, "author_name", ROW(&a, 0, 2));
	req_var(r, "author_bio", ROW(&a, 0, 3));
	req_var(r, "author_url", author_path(r, ROW(&a, 0, 1)));
	feed_link_vars(r, author_path(r, ROW(&a, 0, 1)),
	    req_url(r, "Posts by %s", ROW(&a, 0, 2)));
	return listing(r, STMT_AUTHOR_POSTS, ROW(&a, 0, 0), arg[1],
	    author_path(r, ROW(&a, 0, 1)), ROW(&a, 0, 2),
	    req_url(r, "Posts by %s", ROW(&a, 0, 2)));
}

int
h_tag(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	struct rows t;
	enum db_res res;
	const char *base;

	if ((res = db_query(&r->w->db, r->arena, STMT_TAG_BY_SLUG, params,
	    &t)) != DB_OK)
		return db_status(res);
	if (t.n == 0)
		return 404;
	base = req_url(r, "/tag/%s/", url_encode_segment(r->arena,
	    ROW(&t, 0, 1)));
	req_var(r, "is_tag", "1");
	req_var(r, "tag_name", ROW(&t, 0, 2));
	feed_link_vars(r, base, req_url(r, "Posts tagged %s", ROW(&t, 0, 2)));
	req_var(r, "heading", req_url(r, "Posts tagged \xe2\x80\x9c%s\xe2\x80\x9d",
	    ROW(&t, 0, 2)));
	return listing(r, STMT_TAG_POSTS, ROW(&t, 0, 0), arg[1], base,
	    req_url(r, "Tag: %s", ROW(&t, 0, 2)),
	    req_url(r, "Posts tagged %s", ROW(&t, 0, 2)));
}

/* Add the approved comments as the threaded "comments" loop. */
static int
comments_loop(struct req *r, const struct rows *c)
{
	TMPL_loop *loop = NULL, *closers;
	TMPL_varlist *row;
	unsigned char hash[HASH_BYTES];
	struct buf body;
	long *ids, *parents;
	int *order, *depth, i, k, j;
	const char *url;

	if (c->n == 0)
		return 1;
	ids = arena_alloc(r->arena, sizeof(*ids) * (size_t)c->n);
	parents = arena_alloc(r->arena, sizeof(*parents) * (size_t)c->n);
	order = arena_alloc(r->arena, sizeof(*order) * (size_t)(c->n + 1));
	depth = arena_alloc(r->arena, sizeof(*depth) * (size_t)(c->n + 1));
	if (!ids || !parents || !order || !depth)
		return 0;
	for (i = 0; i < c->n; i++) {
		ids[i] = strtol(ROW(c, i, CC_ID), NULL, 10);
		parents[i] = ROW(c, i, CC_PARENT) ?
		    strtol(ROW(c, i, CC_PARENT), NULL, 10) : 0;
	}
	if (thread_order(r->arena, ids, parents, c->n,
	    r->conf->thread_depth, order, depth) < 0)
		return 0;
	buf_init(&body, 1u << 20);
	for (k = 0; order[k] >= 0; k++) {
		i = order[k];
		row = req_row(r, NULL, "id", ROW(c, i, CC_ID));
		row = req_row(r, row, "author_name", ROW(c, i, CC_AUTHOR));
		url = ROW(c, i, CC_URL);
		if (comment_url_ok(url))
			row = req_row(r, row, "author_link", url);
		row = req_row(r, row, "date_iso", ROW(c, i, CC_DATE_ISO));
		row = req_row(r, row, "date", ROW(c, i, CC_DATE));
		row = req_row(r, row, "depth", req_url(r, "%d", depth[k]));
		if (strcmp(ROW(c, i, CC_STATUS), "pending") == 0)
			row = req_row(r, row, "pending", "1");
		if (sodium_hex2bin(hash, sizeof(hash), ROW(c, i, CC_EMAIL_HASH),
		    strlen(ROW(c, i, CC_EMAIL_HASH)), NULL, NULL, NULL) == 0) {
			buf_reset(&body);
			identicon_svg(&body, hash);
			row = req_row(r, row, "avatar", body.failed ? "" :
			    arena_strndup(r->arena, body.data, body.len));
		}
		row = req_row(r, row, "reply_url", req_url(r,
		    "?replytocom=%s#respond", ROW(c, i, CC_ID)));
		buf_reset(&body);
		text_to_html(&body, ROW(c, i, CC_BODY),
		    strlen(ROW(c, i, CC_BODY)));
		row = req_row(r, row, "body", body.failed ? "" :
		    arena_strndup(r->arena, body.data, body.len));
		/* The next row is deeper: it opens this comment's replies. */
		row = req_row(r, row, "has_children",
		    depth[k + 1] > depth[k] ? "1" : "");
		closers = NULL;
		for (j = depth[k + 1]; j < depth[k]; j++)
			closers = req_loop_add(r, closers,
			    req_row(r, NULL, "close", "1"));
		req_loop(r, &row, "closers", closers);
		loop = req_loop_add(r, loop, row);
	}
	buf_free(&body);
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
	[CF_COMMENT] = "comment", [CF_AUTHOR] = "author",
	[CF_EMAIL] = "email", [CF_URL] = "url",
};
static const char *const field_vars[CF__MAX] = {
	[CF_COMMENT] = "f_comment", [CF_AUTHOR] = "f_author",
	[CF_EMAIL] = "f_email", [CF_URL] = "f_url",
};
static const char *const error_vars[CF__MAX] = {
	[CF_COMMENT] = "err_comment", [CF_AUTHOR] = "err_author",
	[CF_EMAIL] = "err_email", [CF_URL] = "err_url",
};

static void
comment_form_vars(struct req *r, const struct rows *p, const struct rows *c,
    const struct form_state *fs)
{
	const char *reply = req_query(r, "replytocom");
	char token[TOKEN_CHARS];
	TMPL_loop *errors = NULL;
	TMPL_varlist *row;
	int i;

	req_var(r, "form_action", req_url(r, "/%s/comments",
	    url_encode_segment(r->arena, ROW(p, 0, PC_SLUG))));
	form_token_issue(&r->app->keys, strtol(ROW(p, 0, PC_ID), NULL, 10),
	    time(NULL), token);
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
	} else if (reply != NULL)
		req_var(r, "noindex", "1");	/* a page per comment: not for robots */
	if (reply == NULL || *reply == '\0')
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(ROW(c, i, CC_ID), reply) == 0 &&
		    strcmp(ROW(c, i, CC_STATUS), "approved") == 0) {
			req_var(r, "comment_parent", ROW(c, i, CC_ID));
			req_var(r, "replying_to", ROW(c, i, CC_AUTHOR));
			req_var(r, "cancel_reply_url", req_url(r, "%s#respond",
			    post_path(r, ROW(p, 0, PC_SLUG))));
			break;
		}
}

/*
 * The visitor who just posted a comment held for moderation comes back
 * with ?unapproved=ID&moderation-hash=TOKEN: show them (and only them,
 * for a while) their own pending comment among the approved ones.
 */
static void
add_own_pending(struct req *r, const struct rows *p, struct rows *c)
{
	const char *id = req_query(r, "unapproved");
	const char *token = req_query(r, "moderation-hash");
	const char *params[2];
	struct rows pend;
	char **v;
	long cid;

	if (id == NULL || token == NULL ||
	    (cid = strtol(id, NULL, 10)) <= 0 ||
	    !view_token_check(&r->app->keys, cid, token, time(NULL)))
		return;
	req_var(r, "noindex", "1");
	params[0] = id;
	params[1] = ROW(p, 0, PC_ID);
	if (db_query(&r->w->db, r->arena, STMT_COMMENT_PENDING, params,
	    &pend) != DB_OK || pend.n != 1)
		return;
	v = arena_alloc(r->arena, sizeof(*v) * (size_t)(c->n + 1) *
	    (size_t)pend.ncols);
	if (v == NULL)
		return;
	if (c->n > 0)
		memcpy(v, c->v, sizeof(*v) * (size_t)c->n * (size_t)c->ncols);
	memcpy(v + (size_t)c->n * (size_t)pend.ncols, pend.v,
	    sizeof(*v) * (size_t)pend.ncols);
	c->v = v;
	c->ncols = pend.ncols;
	c->n++;
}

/*
 * Look up the published post with this slug into post.  Returns 200, 404
 * when there is none, or the status of a database failure.
 */
int
post_find(struct req *r, const char *slug, struct rows *post)
{
	const char *params[1] = { slug };
	enum db_res res;

	if ((res = db_query(&r->w->db, r->arena, STMT_POST_BY_SLUG, params,
	    post)) != DB_OK)
		return db_status(res);
	return post->n == 0 ? 404 : 200;
}

/*
 * Render the post page for the post row p, with the comment form as fs
 * left it (NULL: a fresh form), answering with status.
 */
int
post_page(struct req *r, const struct rows *p, const struct form_state *fs,
    int status)
{
	const char *params[1] = { ROW(p, 0, PC_ID) };
	struct rows tags, comments;
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	enum db_res res;
	const char *path;
	int i, approved;

	if ((res = db_query(&r->w->db, r->arena, STMT_POST_TAGS, params,
	    &tags)) != DB_OK ||
	    (res = db_query(&r->w->db, r->arena, STMT_POST_COMMENTS, params,
	    &comments)) != DB_OK)
		return db_status(res);
	approved = comments.n;
	if (fs == NULL)
		add_own_pending(r, p, &comments);

	path = post_path(r, ROW(p, 0, PC_SLUG));
	page_common(r, ROW(p, 0, PC_TITLE), ROW(p, 0, PC_EXCERPT), path);
	req_var(r, "title", ROW(p, 0, PC_TITLE));
	req_var(r, "url", req_url(r, "%s%s", r->conf->base_url, path));
	req_var(r, "date_iso", ROW(p, 0, PC_DATE_ISO));
	req_var(r, "date", ROW(p, 0, PC_DATE));
	req_var(r, "body", ROW(p, 0, PC_BODY));
	req_var(r, "author_name", ROW(p, 0, PC_AUTHOR_NAME));
	req_var(r, "author_url", author_path(r, ROW(p, 0, PC_AUTHOR_SLUG)));
	req_var(r, "author_bio", ROW(p, 0, PC_AUTHOR_BIO));
	for (i = 0; i < tags.n; i++) {
		row = req_row(r, NULL, "name", ROW(&tags, i, 1));
		row = req_row(r, row, "url", req_url(r, "/tag/%s/",
		    url_encode_segment(r->arena, ROW(&tags, i, 0))));
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "tags", loop);

	req_var(r, "comment_count", req_url(r, "%d", approved));
	req_var(r, "comments_heading", approved == 1 ?
	    "This Post Has One Comment" :
	    req_url(r, "This Post Has %d Comments", approved));
	if (!comments_loop(r, &comments))
		return 500;
	if (strcmp(ROW(p, 0, PC_COMMENTS_OPEN), "t") == 0) {
		req_var(r, "comments_open", "1");
		comment_form_vars(r, p, &comments, fs);
	}
	meta_post_vars(r, p, path);
	return resp_page(r, VIEW_POST, status);
}

int
h_post(struct req *r, char **arg)
{
	struct rows p;
	int status;

	if ((status = post_find(r, arg[0], &p)) != 200)
		return status == 404 ? slug_redirect(r, arg[0]) : status;
	return post_page(r, &p, NULL, 200);
}

/* GET /healthz: "ok" when the database answers. */
int
h_health(struct req *r, char **arg)
{
	struct rows rows;
	enum db_res res;

	(void)arg;
	r->cache_control = "no-store";
	if ((res = db_query(&r->w->db, r->arena, STMT_HEALTH, NULL,
	    &rows)) != DB_OK)
		return resp_text(r, db_status(res), "unavailable\n");
	return resp_text(r, 200, "ok\n");
}
