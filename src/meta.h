/*
 * meta.h: what a post page tells machines about itself: Open Graph and
 * Twitter card values, and a JSON-LD BlogPosting.
 */
#ifndef FASCIA_META_H
#define FASCIA_META_H

#include "buf.h"
#include "db.h"
#include "req.h"

/* The fields of a BlogPosting; NULL or "" leaves an optional one out. */
struct jsonld_post {
	const char *headline;
	const char *description;
	const char *url;
	const char *date_published;
	const char *date_modified;
	const char *language;
	const char *author_name;
	const char *author_url;
	const char *site_name;
	const char *site_url;
};

void json_string(struct buf *b, const char *s);
void jsonld_blogposting(struct buf *b, const struct jsonld_post *p);
void meta_post_vars(struct req *r, const struct db_post *p, const char *path);

#endif
