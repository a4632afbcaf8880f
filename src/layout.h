/*
 * layout.h: what every page has around its content: the site's header
 * and navigation, the month list, feed links, pagination, and the error
 * page.
 */
#ifndef FASCIA_LAYOUT_H
#define FASCIA_LAYOUT_H

#include "req.h"

void layout_page(struct req *r, const char *title, const char *description,
    const char *canonical_path);
void layout_page_offline(struct req *r, const char *title);
void layout_months(struct req *r, const char *current_path);
void layout_feed_links(struct req *r, const char *path, const char *title);
void layout_pagination(struct req *r, const char *base, const char *query,
    long page, int has_older);
void layout_error(struct req *r, int status);

#endif
