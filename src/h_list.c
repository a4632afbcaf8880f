/*
 * h_list.c: the listings of posts, newest first, per_page to a page: the
 * home page (/ and /page/N/), an author's (/author/<slug>/), a tag's
 * (/tag/<slug>/) and a month's (/YYYY/MM/), each with its pages.
 *
 * A month is a month of the site's time zone (the database session's, set
 * from the config), so a post dated 23:30 on 31 March in Berlin is in
 * March there even though it is April in Tokyo.  A page past the end is
 * a 404, and so is a month without posts; /page/1/ redirects to the
 * listing's first page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "h_list.h"
#include "layout.h"
#include "permalink.h"
#include "resp.h"
#include "text.h"

/* What a listing shows above and around its posts. */
struct listing {
	enum stmt stmt;	   /* its posts, $1 its id when it has one */
	const char *id;	   /* the author's, tag's or month's */
	const char *base;  /* its first page: "/", "/tag/x/" */
	const char *title; /* NULL: the site's */
	const char *description;
};

static const char *
comments_label(struct req *r, const char *count)
{
	if (strcmp(count, "0") == 0)
		return "No Comments";
	if (strcmp(count, "1") == 0)
		return "One Comment";
	return req_printf(r, "%s Comments", count);
}

/* Add the first n posts of rows as the "posts" loop. */
static void
posts_loop(struct req *r, const struct db_rows *rows, int n)
{
	const struct db_listing *p;
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	const char *url;
	int i;

	for (i = 0; i < n; i++) {
		p = &rows->listing[i];
		url = permalink_post(r, p->slug);
		row = req_row(r, NULL, "url", url);
		row = req_row(r, row, "title", p->title);
		row = req_row(r, row, "excerpt", p->excerpt);
		row = req_row(r, row, "date_iso", p->date_iso);
		row = req_row(r, row, "date", p->date);
		row = req_row(r, row, "author_name", p->author_name);
		row = req_row(r, row, "author_url",
		    permalink_author(r, p->author_slug));
		row = req_row(r, row, "comment_count", p->comments);
		row = req_row(r, row, "comments_label",
		    comments_label(r, p->comments));
		row = req_row(r, row, "comments_url",
		    req_printf(r, "%s#comments", url));
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "posts", loop);
}

/*
 * Render page page_arg (NULL: the first) of listing l with index.html.
 * One row more than a page is asked for, to know whether an older page
 * exists.
 */
static int
listing(struct req *r, const struct listing *l, const char *page_arg)
{
	const int per_page = r->conf->per_page;
	const char *params[3];
	char limit[16], offset[24];
	struct db_rows rows;
	enum db_res res;
	const char *self, *title;
	long page = page_arg != NULL ? strtol(page_arg, NULL, 10) : 1;
	int np = 0;

	if (page == 1 && page_arg != NULL) {
		r->location = permalink_abs(r, l->base);
		return 301; /* /page/1/ is the first page itself */
	}
	snprintf(limit, sizeof(limit), "%d", per_page + 1);
	snprintf(offset, sizeof(offset), "%ld", (page - 1) * per_page);
	if (l->id != NULL)
		params[np++] = l->id;
	params[np++] = limit;
	params[np++] = offset;
	if ((res = db_query(&r->w->db, r->arena, l->stmt, params, &rows)) !=
	    DB_OK)
		return resp_db_status(res);
	if (rows.n == 0 && (page > 1 || l->stmt == STMT_ARCHIVE_POSTS))
		return 404;
	if (page == 1) {
		self = l->base;
		title = l->title;
	} else {
		self = req_printf(r, "%spage/%ld/", l->base, page);
		title = req_printf(r, "%s " EN_DASH " Page %ld",
		    l->title != NULL ? l->title : "Posts", page);
	}
	layout_page(r, title, l->description, self);
	posts_loop(r, &rows, rows.n > per_page ? per_page : rows.n);
	layout_pagination(r, l->base, "", page, rows.n > per_page);
	req_var(r, "page_number", req_printf(r, "%ld", page));
	return resp_page(r, VIEW_INDEX, 200);
}

/* GET / and /page/N/ */
int
h_home(struct req *r, char **arg)
{
	struct listing l = { STMT_POSTS_PAGE, NULL, "/", NULL, NULL };

	req_var(r, "is_home", "1");
	req_var(r, "heading", "Latest posts");
	layout_months(r, NULL);
	return listing(r, &l, arg[0]);
}

/* GET /author/<slug>/ and its pages */
int
h_author(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	const struct db_author *a;
	struct db_rows rows;
	struct listing l;
	enum db_res res;

	if ((res = db_query(&r->w->db, r->arena, STMT_AUTHOR_BY_SLUG, params,
		 &rows)) != DB_OK)
		return resp_db_status(res);
	if (rows.n == 0)
		return 404;
	a = &rows.author[0];
	l.stmt = STMT_AUTHOR_POSTS;
	l.id = a->id;
	l.base = permalink_author(r, a->slug);
	l.title = a->name;
	l.description = req_printf(r, "Posts by %s", a->name);
	req_var(r, "is_author", "1");
	req_var(r, "heading", a->name);
	req_var(r, "author_name", a->name);
	req_var(r, "author_bio", a->bio_html);
	req_var(r, "author_url", l.base);
	layout_feed_links(r, l.base, l.description);
	return listing(r, &l, arg[1]);
}

/* GET /tag/<slug>/ and its pages */
int
h_tag(struct req *r, char **arg)
{
	const char *params[1] = { arg[0] };
	const struct db_tag *t;
	struct db_rows rows;
	struct listing l;
	enum db_res res;

	if ((res = db_query(&r->w->db, r->arena, STMT_TAG_BY_SLUG, params,
		 &rows)) != DB_OK)
		return resp_db_status(res);
	if (rows.n == 0)
		return 404;
	t = &rows.tag[0];
	l.stmt = STMT_TAG_POSTS;
	l.id = t->id;
	l.base = permalink_tag(r, t->slug);
	l.title = req_printf(r, "Tag: %s", t->name);
	l.description = req_printf(r, "Posts tagged %s", t->name);
	req_var(r, "is_tag", "1");
	req_var(r, "tag_name", t->name);
	layout_feed_links(r, l.base, l.description);
	req_var(r, "heading",
	    req_printf(r, "Posts tagged " LDQUO "%s" RDQUO, t->name));
	return listing(r, &l, arg[1]);
}

/* GET /YYYY/MM/ and its pages: 404 for an impossible month. */
int
h_month(struct req *r, char **arg)
{
	struct listing l;
	const char *label;
	int y, m;

	if (!permalink_month_parse(arg[0], arg[1], &y, &m))
		return 404;
	label = req_printf(r, "%s %d", date_month_name(m), y);
	l.stmt = STMT_ARCHIVE_POSTS;
	l.id = req_printf(r, "%04d-%02d-01", y, m);
	l.base = permalink_month(r, y, m);
	l.title = label;
	l.description = req_printf(r, "Posts published in %s", label);
	req_var(r, "is_archive", "1");
	req_var(r, "heading", req_printf(r, "Posts from %s", label));
	layout_months(r, l.base);
	return listing(r, &l, arg[2]);
}
