/*
 * wptext.h: WordPress's text conventions, as the importer needs them:
 * its HTML turned into plain text, excerpts, slugs and dates.
 */
#ifndef FASCIA_WPTEXT_H
#define FASCIA_WPTEXT_H

#include <stddef.h>

#include "buf.h"
#include "slug.h" /* SLUG_MAX: one slug length everywhere */

#define WPTEXT_DATE_LEN 22 /* "YYYY-MM-DD HH:MM:SS+00" */

enum wptext_mode {
	WPTEXT_LINES,  /* keep line breaks and paragraphs: comments, bios */
	WPTEXT_INLINE, /* one line, white space collapsed: titles, names */
	WPTEXT_EXCERPT /* as INLINE, and WordPress shortcodes removed */
};

int wptext_from_html(struct buf *out, const char *html, size_t n,
    enum wptext_mode mode);
int wptext_excerpt(struct buf *out, const char *html, size_t n, int words,
    size_t max_chars);
int wptext_slug_decode(const char *in, char out[SLUG_MAX + 1]);
int wptext_slugify(const char *text, char out[SLUG_MAX + 1]);
int wptext_slug_ok(const char *s);
int wptext_date(const char *in, char out[WPTEXT_DATE_LEN + 1]);
int wptext_id(const char *s, long long *out);

#endif
