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

#include "http.h"
#include "log.h"
#include "text.h"

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
#define NAV_TTL 60

static struct {
	time_t fetched;
	struct arena arena;
	struct rows rows;
	int valid;
} nav;

static void
nav_vars(struct req *r, const char *current_path)
{
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	time_t now = time(NULL);
	struct rows rows;
	const char *path;
	int i;

	if (!nav.valid || now - nav.fetched >= NAV_TTL) {
		if (nav.arena.chunk_size == 0)
			arena_init(&nav.arena, 2048);
		arena_reset(&nav.arena);
		nav.valid = db_query(&r->w->db, &nav.arena, STMT_NAV_AUTHORS,
		    NULL, &rows) == DB_OK;
		nav.rows = rows;
		nav.fetched = now;
		if (!nav.valid)
			nav.rows.n = 0;
	}
	row = req_row(r, NULL, "url", "/");
	row = req_row(r, row, "label", "Home");
	if (current_path != NULL && strcmp(current_path, "/") == 0)
		row = req_row(r, row, "current", "1");
	loop = req_loop_add(r, loop, row);
	for (i = 0; i < nav.rows.n; i++) {
		path = author_path(r, ROW(&nav.rows, i, 0));
		row = req_row(r, NULL, "url", path);
		row = req_row(r, row, "label", ROW(&nav.rows, i, 1));
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
 * The shared body of the three listings: run statement s with the
 * listing's own parameter (if any) and the page's limit and offset, and
 * render index.html.  base is the listing's first page ("/", "/tag/x/").
 */
static int
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
	if (rows.n == 0 && page > 1)
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
	req_var(r, "is_home", "1");
	req_var(r, "heading", "Latest posts");
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
	req_var(r, "heading", req_url(r, "Posts tagged \xe2\x80\x9c%s\xe2\x80\x9d",
	    ROW(&t, 0, 2)));
	return listing(r, STMT_TAG_POSTS, ROW(&t, 0, 0), arg[1], base,
	    req_url(r, "Tag: %s", ROW(&t, 0, 2)),
	    req_url(r, "Posts tagged %s", ROW(&t, 0, 2)));
}

/*
 * Order comments for display: threads depth-first, each level oldest
 * first, as a flat list with depths.  A reply deeper than the thread
 * depth is shown at that depth; a comment whose parent is not shown
 * (pending, say) is shown at the top level.  The walk is iterative, so a
 * long chain of replies cannot exhaust the stack.  Returns the order as
 * indexes into c, with depths in *depth_out, or NULL out of memory.
 */
struct cnode {
	long id;
	int parent, first_child, last_child, next_sibling, depth;
};

static int
cnode_cmp(const void *a, const void *b)
{
	const struct cnode *const *x = a, *const *y = b;

	return ((*x)->id > (*y)->id) - ((*x)->id < (*y)->id);
}

static int *
thread_order(struct req *r, const struct rows *c, int max_depth,
    int **depth_out)
{
	struct cnode *nodes, **byid, **hit, key, *keyp = &key;
	int *order, *depth, i, p, n = c->n, o = 0, cur;
	int first_root = -1, last_root = -1;

	nodes = arena_alloc(r->arena, sizeof(*nodes) * (size_t)(n + 1));
	byid = arena_alloc(r->arena, sizeof(*byid) * (size_t)(n + 1));
	order = arena_alloc(r->arena, sizeof(*order) * (size_t)(n + 1));
	depth = arena_alloc(r->arena, sizeof(*depth) * (size_t)(n + 1));
	if (!nodes || !byid || !order || !depth)
		return NULL;
	for (i = 0; i < n; i++) {
		nodes[i].id = strtol(ROW(c, i, CC_ID), NULL, 10);
		nodes[i].parent = nodes[i].first_child = -1;
		nodes[i].last_child = nodes[i].next_sibling = -1;
		byid[i] = &nodes[i];
	}
	qsort(byid, (size_t)n, sizeof(*byid), cnode_cmp);
	for (i = 0; i < n; i++) {
		hit = NULL;
		if (ROW(c, i, CC_PARENT) != NULL) {
			key.id = strtol(ROW(c, i, CC_PARENT), NULL, 10);
			hit = bsearch(&keyp, byid, (size_t)n, sizeof(*byid),
			    cnode_cmp);
		}
		if (hit != NULL && *hit != &nodes[i]) {
			p = (int)(*hit - nodes);
			nodes[i].parent = p;
			if (nodes[p].last_child < 0)
				nodes[p].first_child = i;
			else
				nodes[nodes[p].last_child].next_sibling = i;
			nodes[p].last_child = i;
		} else {
			if (last_root < 0)
				first_root = i;
			else
				nodes[last_root].next_sibling = i;
			last_root = i;
		}
	}
	for (cur = first_root; cur >= 0 && o < n;) {
		p = nodes[cur].parent;
		nodes[cur].depth = p < 0 ? 1 : nodes[p].depth < max_depth ?
		    nodes[p].depth + 1 : max_depth;
		depth[o] = nodes[cur].depth;
		order[o++] = cur;
		if (nodes[cur].first_child >= 0) {
			cur = nodes[cur].first_child;
			continue;
		}
		while (cur >= 0 && nodes[cur].next_sibling < 0)
			cur = nodes[cur].parent;
		if (cur >= 0)
			cur = nodes[cur].next_sibling;
	}
	depth[o] = 1;	/* what follows the last comment: the top level */
	order[o] = -1;
	*depth_out = depth;
	return order;
}

/* Add the approved comments as the threaded "comments" loop. */
static int
comments_loop(struct req *r, const struct rows *c)
{
	TMPL_loop *loop = NULL, *closers;
	TMPL_varlist *row;
	struct buf body;
	int *order, *depth, i, k, j;
	const char *url;

	if (c->n == 0)
		return 1;
	if ((order = thread_order(r, c, r->conf->thread_depth, &depth)) == NULL)
		return 0;
	for (k = 0; order[k] >= 0; k++) {
		i = order[k];
		row = req_row(r, NULL, "id", ROW(c, i, CC_ID));
		row = req_row(r, row, "author_name", ROW(c, i, CC_AUTHOR));
		url = ROW(c, i, CC_URL);
		if (url != NULL && *url != '\0')
			row = req_row(r, row, "author_link", url);
		row = req_row(r, row, "date_iso", ROW(c, i, CC_DATE_ISO));
		row = req_row(r, row, "date", ROW(c, i, CC_DATE));
		row = req_row(r, row, "depth", req_url(r, "%d", depth[k]));
		row = req_row(r, row, "reply_url", req_url(r,
		    "?replytocom=%s#respond", ROW(c, i, CC_ID)));
		buf_init(&body, 1u << 20);
		text_to_html(&body, ROW(c, i, CC_BODY),
		    strlen(ROW(c, i, CC_BODY)));
		row = req_row(r, row, "body", body.failed ? "" :
		    arena_strndup(r->arena, body.data, body.len));
		buf_free(&body);
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
	req_loop(r, &r->vars, "comments", loop);
	return 1;
}

/*
 * Set the comment form's variables: where it posts, and, for a "Reply"
 * link (?replytocom=ID), which approved comment of this post it answers.
 */
static void
comment_form_vars(struct req *r, const char *slug, const struct rows *c)
{
	const char *reply = req_query(r, "replytocom");
	int i;

	req_var(r, "form_action", req_url(r, "/%s/comments",
	    url_encode_segment(r->arena, slug)));
	if (reply == NULL)
		return;
	req_var(r, "noindex", "1");	/* one page per comment: not for robots */
	for (i = 0; i < c->n; i++)
		if (strcmp(ROW(c, i, CC_ID), reply) == 0) {
			req_var(r, "comment_parent", ROW(c, i, CC_ID));
			req_var(r, "replying_to", ROW(c, i, CC_AUTHOR));
			req_var(r, "cancel_reply_url", "#respond");
			break;
		}
}

int
h_post(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	struct rows p, tags, comments;
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	enum db_res res;
	const char *path, *count;
	int i;

	if ((res = db_query(&r->w->db, r->arena, STMT_POST_BY_SLUG, params,
	    &p)) != DB_OK)
		return db_status(res);
	if (p.n == 0)
		return 404;
	params[0] = ROW(&p, 0, PC_ID);
	if ((res = db_query(&r->w->db, r->arena, STMT_POST_TAGS, params,
	    &tags)) != DB_OK ||
	    (res = db_query(&r->w->db, r->arena, STMT_POST_COMMENTS, params,
	    &comments)) != DB_OK)
		return db_status(res);

	path = post_path(r, ROW(&p, 0, PC_SLUG));
	page_common(r, ROW(&p, 0, PC_TITLE), ROW(&p, 0, PC_EXCERPT), path);
	req_var(r, "title", ROW(&p, 0, PC_TITLE));
	req_var(r, "url", req_url(r, "%s%s", r->conf->base_url, path));
	req_var(r, "date_iso", ROW(&p, 0, PC_DATE_ISO));
	req_var(r, "date", ROW(&p, 0, PC_DATE));
	req_var(r, "body", ROW(&p, 0, PC_BODY));
	req_var(r, "author_name", ROW(&p, 0, PC_AUTHOR_NAME));
	req_var(r, "author_url", author_path(r, ROW(&p, 0, PC_AUTHOR_SLUG)));
	req_var(r, "author_bio", ROW(&p, 0, PC_AUTHOR_BIO));
	for (i = 0; i < tags.n; i++) {
		row = req_row(r, NULL, "name", ROW(&tags, i, 1));
		row = req_row(r, row, "url", req_url(r, "/tag/%s/",
		    url_encode_segment(r->arena, ROW(&tags, i, 0))));
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "tags", loop);

	count = req_url(r, "%d", comments.n);
	req_var(r, "comment_count", count);
	req_var(r, "comments_heading", comments.n == 1 ?
	    "This Post Has One Comment" :
	    req_url(r, "This Post Has %d Comments", comments.n));
	if (!comments_loop(r, &comments))
		return 500;
	if (strcmp(ROW(&p, 0, PC_COMMENTS_OPEN), "t") == 0) {
		req_var(r, "comments_open", "1");
		comment_form_vars(r, ROW(&p, 0, PC_SLUG), &comments);
	}
	return resp_page(r, VIEW_POST, 200);
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
