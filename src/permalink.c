/*
 * permalink.c: the site's own addresses, after WordPress's permalinks:
 * /<slug>/ for a post, /author/<slug>/, /tag/<slug>/ and /YYYY/MM/.
 *
 * Every path a page links to is made here, each slug percent-encoded as
 * one path segment, and an absolute URL is made only from the configured
 * base URL, never from the Host header a client sent.  The strings live
 * in the request's arena.
 */
#include <stdlib.h>

#include "permalink.h"
#include "text.h"

#define YEAR_DIGITS 4
#define MONTH_DIGITS 2
#define YEAR_MIN 1000

/* slug as one path segment; "" out of memory (the link then fails). */
static const char *
segment(struct req *r, const char *slug)
{
	const char *enc = url_encode_segment(r->arena, slug);

	return enc != NULL ? enc : "";
}

/* "/<slug>/": a published post. */
const char *
permalink_post(struct req *r, const char *slug)
{
	return req_printf(r, "/%s/", segment(r, slug));
}

/* "/author/<slug>/": an author's posts. */
const char *
permalink_author(struct req *r, const char *slug)
{
	return req_printf(r, "/author/%s/", segment(r, slug));
}

/* "/tag/<slug>/": a tag's posts. */
const char *
permalink_tag(struct req *r, const char *slug)
{
	return req_printf(r, "/tag/%s/", segment(r, slug));
}

/* "/YYYY/MM/": a month's posts. */
const char *
permalink_month(struct req *r, int year, int month)
{
	return req_printf(r, "/%04d/%02d/", year, month);
}

/* The absolute URL of path (which starts with "/"). */
const char *
permalink_abs(struct req *r, const char *path)
{
	return req_printf(r, "%s%s", r->conf->base_url, path);
}

/*
 * Read the year and month segments of a month's path ("2025", "03") into
 * *y and *m.  Returns 1, or 0 for anything but four digits from 1000 and
 * two digits from 01 to 12.
 */
int
permalink_month_parse(const char *year, const char *month, int *y, int *m)
{
	if (year == NULL || month == NULL || text_digits(year) != YEAR_DIGITS ||
	    text_digits(month) != MONTH_DIGITS)
		return 0;
	*y = atoi(year);
	*m = atoi(month);
	return *y >= YEAR_MIN && *m >= 1 && *m <= 12;
}
