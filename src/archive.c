/*
 * archive.c: /YYYY/MM/ and /YYYY/MM/page/N/, a month's posts, and the
 * list of months that have posts.
 *
 * A month is a month of the site's time zone (the database session's, set
 * from the config), so a post dated 23:30 on 31 March in Berlin is in
 * March there even though it is April in Tokyo.  The list of months
 * changes at most when a post is published, so each worker keeps it for a
 * minute, as pages.c keeps the navigation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "finding.h"

#define ARCHIVE_TTL 60

static const char *const month_names[12] = { "January", "February",
    "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December" };

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Read the year and month segments of an archive path ("2025", "03")
 * into *y and *m.  Returns 1, or 0 for anything but four digits from
 * 1000 and two digits from 01 to 12.
 */
int
archive_parse(const char *year, const char *month, int *y, int *m)
{
	if (year == NULL || month == NULL || !all_digits(year, 4) ||
	    !all_digits(month, 2) || year[0] == '0')
		return 0;
	*y = atoi(year);
	*m = atoi(month);
	return *m >= 1 && *m <= 12;
}

/* Return the English name of month m (1 to 12). */
const char *
archive_month_name(int m)
{
	return m >= 1 && m <= 12 ? month_names[m - 1] : "";
}

static struct db_cache month_list = { .stmt = STMT_ARCHIVE_MONTHS,
    .ttl = ARCHIVE_TTL };

/*
 * Add the "archives" loop: one row per month with published posts, newest
 * first (url, label, count, and current on the page at current_path).
 */
void
archive_vars(struct req *r, const char *current_path)
{
	const struct rows *months = db_cached(&r->w->db, &month_list);
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	const char *path, *ym;
	int i, y, m;

	for (i = 0; i < months->n; i++) {
		ym = ROW(months, i, 0);	/* "2025/03" */
		if (strlen(ym) != 7)
			continue;
		y = atoi(ym);
		m = atoi(ym + 5);
		path = req_url(r, "/%s/", ym);
		row = req_row(r, NULL, "url", path);
		row = req_row(r, row, "label", req_url(r, "%s %d",
		    archive_month_name(m), y));
		row = req_row(r, row, "count", ROW(months, i, 1));
		if (current_path != NULL && strcmp(path, current_path) == 0)
			row = req_row(r, row, "current", "1");
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "archives", loop);
}

/*
 * GET /YYYY/MM/ and /YYYY/MM/page/N/: that month's posts, oldest page
 * last, as a listing.  404 for an impossible month or one without posts.
 */
int
h_archive(struct req *r, char **arg)
{
	const char *label, *base;
	int y, m;

	if (!archive_parse(arg[0], arg[1], &y, &m))
		return 404;
	label = req_url(r, "%s %d", archive_month_name(m), y);
	base = req_url(r, "/%04d/%02d/", y, m);
	req_var(r, "is_archive", "1");
	req_var(r, "heading", req_url(r, "Posts from %s", label));
	archive_vars(r, base);
	return listing(r, STMT_ARCHIVE_POSTS, req_url(r, "%04d-%02d-01", y, m),
	    arg[2], base, label, req_url(r, "Posts published in %s", label));
}
