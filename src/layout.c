/*
 * layout.c: the page chrome: the variables every page's templates share
 * (the site's title and description, the page's title, description and
 * canonical URL, the stylesheet, the year), the navigation (Home, then
 * each author with a published post), the list of months with posts, the
 * links to a listing's feeds, the links between the pages of a listing,
 * and the error page.
 *
 * The navigation's authors and the months change rarely, so each worker
 * keeps their rows for CHROME_TTL seconds instead of asking the database
 * on every page view.  A page answered because something failed (an error
 * page, a comment the database could not take) never asks the database:
 * it shows what the last successful fetch brought, or only Home.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "layout.h"
#include "permalink.h"
#include "resp.h"
#include "text.h"

/* Add the "nav" loop from the rows of authors, marking current_path. */
static void
nav_vars(struct req *r, const struct db_rows *authors, const char *current_path)
{
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
		path = permalink_author(r, authors->author[i].slug);
		row = req_row(r, NULL, "url", path);
		row = req_row(r, row, "label", authors->author[i].name);
		if (current_path != NULL && strcmp(current_path, path) == 0)
			row = req_row(r, row, "current", "1");
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "nav", loop);
}

/* The variables of every page; the navigation from authors. */
static void
chrome(struct req *r, const char *title, const char *description,
    const char *canonical_path, const struct db_rows *authors)
{
	const struct conf *c = r->conf;
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	req_var(r, "lang", c->language);
	req_var(r, "site_title", c->site_title);
	req_var(r, "site_description", c->site_description);
	req_var(r, "base_url", c->base_url);
	if (title == NULL) {
		req_var(r, "og_title", c->site_title);
		req_var(r, "page_title", c->site_title);
	} else {
		req_var(r, "og_title", title);
		req_var(r, "page_title",
		    req_printf(r, "%s " EN_DASH " %s", title, c->site_title));
	}
	if (description == NULL || *description == '\0')
		description = c->site_description;
	req_var(r, "meta_description", description);
	if (canonical_path != NULL)
		req_var(r, "canonical_url", permalink_abs(r, canonical_path));
	req_var(r, "stylesheet_url", r->app->views->stylesheet_url);
	req_var(r, "year", req_printf(r, "%d", tm.tm_year + 1900));
	nav_vars(r, authors, canonical_path);
}

/*
 * Set the variables every page has.  title NULL means the site's own
 * title; description NULL or "" the site's; canonical_path is the page's
 * own path ("/tag/x/"), which the navigation marks as current.  The
 * navigation's authors may be fetched anew.
 */
void
layout_page(struct req *r, const char *title, const char *description,
    const char *canonical_path)
{
	chrome(r, title, description, canonical_path,
	    db_cached(&r->w->db, &r->w->authors));
}

/*
 * Set the variables every page has, for a page answered because something
 * failed: no description, no canonical address, and a navigation that
 * asks nothing of the database.
 */
void
layout_page_offline(struct req *r, const char *title)
{
	chrome(r, title, NULL, NULL, db_cached_last(&r->w->authors));
}

/*
 * Add the "archives" loop: one row per month with published posts, newest
 * first (url, label, count, and current on the page at current_path).
 */
void
layout_months(struct req *r, const char *current_path)
{
	const struct db_rows *months = db_cached(&r->w->db, &r->w->months);
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	const char *path, *ym;
	int i, y, m;

	for (i = 0; i < months->n; i++) {
		ym = months->month[i].month; /* "2025/03" */
		if (strlen(ym) != 7)
			continue;
		y = atoi(ym);
		m = atoi(ym + 5);
		path = permalink_month(r, y, m);
		row = req_row(r, NULL, "url", path);
		row = req_row(r, row, "label",
		    req_printf(r, "%s %d", date_month_name(m), y));
		row = req_row(r, row, "count", months->month[i].posts);
		if (current_path != NULL && strcmp(path, current_path) == 0)
			row = req_row(r, row, "current", "1");
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "archives", loop);
}

/*
 * Set the variables that link a listing's own feeds from its head:
 * feed_title, feed_rss_url, feed_atom_url.  path is the listing's first
 * page ("/tag/x/").
 */
void
layout_feed_links(struct req *r, const char *path, const char *title)
{
	req_var(r, "feed_title", title);
	req_var(r, "feed_rss_url",
	    req_printf(r, "%s%sfeed/", r->conf->base_url, path));
	req_var(r, "feed_atom_url",
	    req_printf(r, "%s%sfeed/atom/", r->conf->base_url, path));
}

/*
 * Set the links between the pages of a listing: newer_url (unless this is
 * the first page) and older_url (when has_older).  base is the first
 * page's path ("/", "/tag/x/"), query what follows each page's path
 * ("" or "?s=words"), page this page's number.
 */
void
layout_pagination(struct req *r, const char *base, const char *query, long page,
    int has_older)
{
	if (has_older)
		req_var(r, "older_url",
		    req_printf(r, "%spage/%ld/%s", base, page + 1, query));
	if (page == 2)
		req_var(r, "newer_url", req_printf(r, "%s%s", base, query));
	else if (page > 2)
		req_var(r, "newer_url",
		    req_printf(r, "%spage/%ld/%s", base, page - 1, query));
}

/*
 * Make the body the error page for status, in the site's layout when the
 * templates allow, else as plain text.  What was set for the page that
 * failed is dropped, and the database is not asked.
 */
void
layout_error(struct req *r, int status)
{
	const char *heading, *message;

	resp_status_text(status, &heading, &message);
	req_vars_reset(r);
	chrome(r, heading, message, NULL, db_cached_last(&r->w->authors));
	req_var(r, "noindex", "1");
	req_var(r, "status", req_printf(r, "%d", status));
	req_var(r, "heading", heading);
	req_var(r, "message", message);
	if (resp_page(r, VIEW_ERROR, status) != status)
		resp_text(r, status, message);
}
