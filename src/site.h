/*
 * site.h: what the config says about the site, worked out once per
 * configuration: its host, origin and path, its robots.txt.
 */
#ifndef FASCIA_SITE_H
#define FASCIA_SITE_H

#include "conf.h"

struct site {
	char *host;   /* base_url's host, lower-cased, for tag: URIs */
	char *origin; /* scheme://host[:port], for same-origin checks */
	char *path;   /* base_url's path, "" at the root */
	char *robots; /* the text of /robots.txt */
};

int site_init(struct site *s, const struct conf *c);
void site_free(struct site *s);

#endif
