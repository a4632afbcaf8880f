/*
 * wp_report.c: the report `fascia import-wordpress` prints at the end.
 *
 *	Imported from export.xml in 1.25 s:
 *	  authors:   2 new, 0 updated, 0 unchanged
 *	  posts:     3 new, 0 updated, 0 unchanged (1 scheduled)
 *	  comments:  6 new, 0 updated, 0 unchanged
 *	  tags:      5 new, 0 updated, 0 unchanged
 *	  skipped:  1 draft, 1 page, 1 pingback
 *	  failed:   nothing
 *
 * A line for each kind of row, one for what was left out on purpose and
 * one for what could not be imported, whose reasons went to standard
 * error as they were found.  Scripts read it (the tests do), so its words
 * and its shape are part of the command's interface.
 */
#include <string.h>

#include "wp_report.h"

/* Where the counts start: "  authors:   2 new" and "  skipped:  1 page". */
#define COUNTS_LABEL_WIDTH 11
#define LIST_LABEL_WIDTH 10

/* How a count of something is written: "1 draft", "2 drafts". */
struct noun {
	const char *one, *many;
};

static const char *const outcome_names[WP_OUTCOME__MAX] = {
	[WP_NEW] = "new",
	[WP_UPDATED] = "updated",
	[WP_UNCHANGED] = "unchanged",
};

static const char *const kind_names[WP_KIND__MAX] = {
	[WP_AUTHORS] = "authors",
	[WP_POSTS] = "posts",
	[WP_COMMENTS] = "comments",
	[WP_TAGS] = "tags",
};

static const struct noun skip_names[WP_SKIP__MAX] = {
	[WP_SKIP_DRAFT] = { "draft", "drafts" },
	[WP_SKIP_PENDING] = { "post pending review", "posts pending review" },
	[WP_SKIP_PRIVATE] = { "private post", "private posts" },
	[WP_SKIP_PASSWORD] = { "password-protected post",
	    "password-protected posts" },
	[WP_SKIP_TRASH] = { "trashed post", "trashed posts" },
	[WP_SKIP_OTHER_STATUS] = { "post of another status",
	    "posts of other statuses" },
	[WP_SKIP_PAGE] = { "page", "pages" },
	[WP_SKIP_ATTACHMENT] = { "attachment", "attachments" },
	[WP_SKIP_MENU_ITEM] = { "menu item", "menu items" },
	[WP_SKIP_REVISION] = { "revision", "revisions" },
	[WP_SKIP_OTHER_TYPE] = { "item of another type",
	    "items of other types" },
	[WP_SKIP_UNAPPROVED] = { "unapproved comment", "unapproved comments" },
	[WP_SKIP_SPAM] = { "spam comment", "spam comments" },
	[WP_SKIP_TRASHED_COMMENT] = { "trashed comment", "trashed comments" },
	[WP_SKIP_PINGBACK] = { "pingback", "pingbacks" },
	[WP_SKIP_TRACKBACK] = { "trackback", "trackbacks" },
	[WP_SKIP_OTHER_COMMENT] = { "comment of another type",
	    "comments of other types" },
	[WP_SKIP_UNCATEGORIZED] = { "use of the default category "
				    "Uncategorized",
	    "uses of the default category Uncategorized" },
	[WP_SKIP_OTHER_TERM] = { "term of another taxonomy",
	    "terms of other taxonomies" },
};

static const struct noun failure_names[WP_FAIL__MAX] = {
	[WP_FAIL_AUTHOR] = { "author", "authors" },
	[WP_FAIL_POST] = { "post", "posts" },
	[WP_FAIL_COMMENT] = { "comment", "comments" },
	[WP_FAIL_TAG] = { "tag", "tags" },
};

/*
 * Read the outcome a statement returned ("new", "updated" or
 * "unchanged") into *o.  Returns 1, or 0 when s is none of those.
 */
int
wp_outcome_parse(const char *s, enum wp_outcome *o)
{
	int i;

	for (i = 0; i < WP_OUTCOME__MAX; i++)
		if (strcmp(s, outcome_names[i]) == 0) {
			*o = (enum wp_outcome)i;
			return 1;
		}
	return 0;
}

/* "  NAME:" and the spaces that make it width wide after the indent. */
static void
label(FILE *out, const char *name, int width)
{
	fprintf(out, "  %s:%*s", name, width - 1 - (int)strlen(name), "");
}

/*
 * The counts n of the count things named names, those that are not 0,
 * then after; "nothing" if all are 0.
 */
static void
list(FILE *out, const char *name, const long *n, const struct noun *names,
    int count, const char *after)
{
	int k, any = 0;

	label(out, name, LIST_LABEL_WIDTH);
	for (k = 0; k < count; k++) {
		if (n[k] == 0)
			continue;
		fprintf(out, "%s%ld %s", any ? ", " : "", n[k],
		    n[k] == 1 ? names[k].one : names[k].many);
		any = 1;
	}
	fprintf(out, "%s\n", any ? after : "nothing");
}

/*
 * Print the report of the run t, which read path in secs seconds, to
 * out.  stopped says that an error stopped the run before the end of the
 * file.
 */
void
wp_report_print(FILE *out, const struct wp_tally *t, const char *path,
    double secs, int stopped)
{
	int k, o;

	fprintf(out, "Imported from %s in %.2f s:\n", path, secs);
	for (k = 0; k < WP_KIND__MAX; k++) {
		label(out, kind_names[k], COUNTS_LABEL_WIDTH);
		for (o = 0; o < WP_OUTCOME__MAX; o++)
			fprintf(out, "%s%ld %s", o > 0 ? ", " : "",
			    t->counts[k][o], outcome_names[o]);
		if (k == WP_POSTS && t->scheduled > 0)
			fprintf(out, " (%ld scheduled)", t->scheduled);
		fputc('\n', out);
	}
	list(out, "skipped", t->skipped, skip_names, WP_SKIP__MAX, "");
	list(out, "failed", t->failed, failure_names, WP_FAIL__MAX,
	    " (the reasons are above)");
	if (stopped)
		fprintf(out,
		    "  stopped:  by the error above; the posts "
		    "counted here are imported, and running it again once "
		    "that is fixed is safe\n");
}

/*
 * Return 1 when something of the run t could not be imported, else 0.
 */
int
wp_report_failed(const struct wp_tally *t)
{
	int k;

	for (k = 0; k < WP_FAIL__MAX; k++)
		if (t->failed[k] > 0)
			return 1;
	return 0;
}
