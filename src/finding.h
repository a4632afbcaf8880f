/*
 * finding.h: how readers and machines find posts: search, monthly
 * archives, feeds, the sitemap, page metadata and old slugs.
 */
#ifndef FASCIA_FINDING_H
#define FASCIA_FINDING_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "http.h"
#include "text.h"

/* search.c */
handler_fn h_search, h_search_path;
void search_highlight(struct buf *b, const char *s, size_t n, int entities);
char *search_normalize(struct arena *a, const char *raw, size_t max,
    int *cut);

/* archive.c */
handler_fn h_archive;
int archive_parse(const char *year, const char *month, int *y, int *m);
const char *archive_month_name(int m);
void archive_vars(struct req *r, const char *current_path);

/* feed.c */
handler_fn h_feed_rss, h_feed_atom, h_tag_feed_rss, h_tag_feed_atom,
    h_author_feed_rss, h_author_feed_atom, h_sitemap, h_robots;
int etag_match(const char *header, const char *etag);
int not_modified(const char *if_none_match, const char *if_modified_since,
    const char *etag, time_t last_modified);
void feed_link_vars(struct req *r, const char *path, const char *title);

/* meta.c */
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
void meta_post_vars(struct req *r, const struct rows *p, const char *path);
struct buf *scratch_buf(void);
char *scratch_copy(struct req *r, const struct buf *b);

/* redirect.c */
int slug_redirect(struct req *r, const char *slug);

#endif
