/*
 * wp_report.h: what `fascia import-wordpress` did, counted, and the
 * report that says so.
 */
#ifndef FASCIA_WP_REPORT_H
#define FASCIA_WP_REPORT_H

#include <stdio.h>

#include "wp_skip.h"

/* What became of a row the export brings. */
enum wp_outcome { WP_NEW, WP_UPDATED, WP_UNCHANGED, WP_OUTCOME__MAX };

enum wp_kind { WP_AUTHORS, WP_POSTS, WP_COMMENTS, WP_TAGS, WP_KIND__MAX };

/* What could not be imported (each is named on standard error). */
enum wp_failure {
	WP_FAIL_AUTHOR,
	WP_FAIL_POST,
	WP_FAIL_COMMENT,
	WP_FAIL_TAG,
	WP_FAIL__MAX
};

/* The counts of a run; a zeroed one is a run that did nothing yet. */
struct wp_tally {
	long counts[WP_KIND__MAX][WP_OUTCOME__MAX];
	long skipped[WP_SKIP__MAX];
	long failed[WP_FAIL__MAX];
	long scheduled; /* of the posts: those dated in the future */
};

int wp_outcome_parse(const char *s, enum wp_outcome *o);
void wp_report_print(FILE *out, const struct wp_tally *t, const char *path,
    double secs, int stopped);
int wp_report_failed(const struct wp_tally *t);

#endif
