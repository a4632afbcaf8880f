/*
 * h_feed.h: feeds, the sitemap and robots.txt.
 */
#ifndef FASCIA_H_FEED_H
#define FASCIA_H_FEED_H

#include "req.h"

handler_fn h_feed_rss, h_feed_atom, h_tag_feed_rss, h_tag_feed_atom,
    h_author_feed_rss, h_author_feed_atom, h_sitemap, h_robots;

#endif
