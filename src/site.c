/*
 * site.c: the facts about the site that pages, feeds and checks need on
 * every request, derived from the config once when it is loaded instead
 * of on each request: base_url's host (lower-cased, for the tag: URIs of
 * feed entries), its origin (for the same-origin check of a comment POST)
 * and its path; and the text of robots.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

/* Everything may be crawled; the sitemap says where the pages are. */
#define ROBOTS_TXT "User-agent: *\nDisallow:\n\nSitemap: %s/sitemap.xml\n"

/*
 * Fill s from c.  Returns 1, or 0 out of memory (s is then empty and
 * site_free() may still be called).
 */
int
site_init(struct site *s, const struct conf *c)
{
	const char *p, *end, *at, *colon;
	size_t n, i;
	int len;

	memset(s, 0, sizeof(*s));
	/* base_url is scheme://[user@]host[:port][/path], checked by conf.c. */
	p = strstr(c->base_url, "://");
	p = p != NULL ? p + 3 : c->base_url;
	end = p + strcspn(p, "/");
	if ((s->origin = strndup(c->base_url, (size_t)(end - c->base_url))) ==
		NULL ||
	    (s->path = strdup(end)) == NULL)
		goto fail;
	if ((at = memchr(p, '@', (size_t)(end - p))) != NULL)
		p = at + 1;
	if (*p == '[') /* an IPv6 literal: keep it whole, port or not */
		colon = memchr(p, ']', (size_t)(end - p));
	else
		colon = memchr(p, ':', (size_t)(end - p));
	n = (size_t)((colon != NULL ? colon + (*p == '[') : end) - p);
	if ((s->host = strndup(p, n)) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (s->host[i] >= 'A' && s->host[i] <= 'Z')
			s->host[i] = (char)(s->host[i] - 'A' + 'a');

	len = snprintf(NULL, 0, ROBOTS_TXT, c->base_url);
	if (len < 0 || (s->robots = malloc((size_t)len + 1)) == NULL)
		goto fail;
	snprintf(s->robots, (size_t)len + 1, ROBOTS_TXT, c->base_url);
	return 1;
fail:
	site_free(s);
	return 0;
}

/* Free what site_init() allocated. */
void
site_free(struct site *s)
{
	free(s->host);
	free(s->origin);
	free(s->path);
	free(s->robots);
	memset(s, 0, sizeof(*s));
}
