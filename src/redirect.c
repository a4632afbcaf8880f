/*
 * redirect.c: old post addresses that still work.
 *
 * When a post's slug changes, the old one is kept in slug_redirects (the
 * post CLI and the WordPress importer fill it, as WordPress keeps
 * _wp_old_slug), and a request for it gets a permanent redirect to the
 * post's address now, so links and search results from before keep
 * working.  The table points at the post, not at a slug, so a post
 * renamed twice never makes a chain of redirects.
 */
#include "finding.h"

/*
 * Answer a request for /<slug>/, which names no published post: 301 to
 * the post that used to have that slug, if it is published, else 404.
 */
int
slug_redirect(struct req *r, const char *slug)
{
	const char *params[1] = { slug };
	struct rows p;
	enum db_res res;

	if ((res = db_query(&r->w->db, r->arena, STMT_SLUG_REDIRECT, params,
	    &p)) != DB_OK)
		return res == DB_UNAVAILABLE ? 503 : 500;
	if (p.n == 0)
		return 404;
	r->location = req_url(r, "%s/%s/", r->conf->base_url,
	    url_encode_segment(r->arena, ROW(&p, 0, 0)));
	return 301;
}
