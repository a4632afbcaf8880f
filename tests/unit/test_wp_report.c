/*
 * test_wp_report.c: the import's report (wp_report.c), word for word, and
 * what WordPress content is left out and why (wp_skip.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_report.h"
#include "wp_skip.h"
#include "wxr.h"

/* The report of t as text; the caller frees it. */
static char *
report(const struct wp_tally *t, int stopped)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(f = open_memstream(&text, &len));
	wp_report_print(f, t, "export.xml", 1.25, stopped);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
test_report_empty(void **state)
{
	struct wp_tally t;
	char *text;

	(void)state;
	memset(&t, 0, sizeof(t));
	text = report(&t, 0);
	assert_string_equal(text,
	    "Imported from export.xml in 1.25 s:\n"
	    "  authors:   0 new, 0 updated, 0 unchanged\n"
	    "  posts:     0 new, 0 updated, 0 unchanged\n"
	    "  comments:  0 new, 0 updated, 0 unchanged\n"
	    "  tags:      0 new, 0 updated, 0 unchanged\n"
	    "  skipped:  nothing\n"
	    "  failed:   nothing\n");
	free(text);
	assert_false(wp_report_failed(&t));
}

static void
test_report_counts(void **state)
{
	struct wp_tally t;
	char *text;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.counts[WP_AUTHORS][WP_NEW] = 2;
	t.counts[WP_POSTS][WP_UPDATED] = 3;
	t.counts[WP_POSTS][WP_UNCHANGED] = 1;
	t.scheduled = 1;
	t.counts[WP_COMMENTS][WP_UNCHANGED] = 12;
	t.skipped[WP_SKIP_DRAFT] = 1;
	t.skipped[WP_SKIP_PAGE] = 2;
	t.skipped[WP_SKIP_UNCATEGORIZED] = 3;
	t.failed[WP_FAIL_POST] = 2;
	t.failed[WP_FAIL_COMMENT] = 1;
	text = report(&t, 1);
	assert_string_equal(text,
	    "Imported from export.xml in 1.25 s:\n"
	    "  authors:   2 new, 0 updated, 0 unchanged\n"
	    "  posts:     0 new, 3 updated, 1 unchanged (1 scheduled)\n"
	    "  comments:  0 new, 0 updated, 12 unchanged\n"
	    "  tags:      0 new, 0 updated, 0 unchanged\n"
	    "  skipped:  1 draft, 2 pages, 3 uses of the default category "
	    "Uncategorized\n"
	    "  failed:   2 posts, 1 comment (the reasons are above)\n"
	    "  stopped:  by the error above; the posts counted here are "
	    "imported, and running it again once that is fixed is safe\n");
	free(text);
	assert_true(wp_report_failed(&t));
}

static void
test_outcome(void **state)
{
	enum wp_outcome o = WP_NEW;

	(void)state;
	assert_true(wp_outcome_parse("unchanged", &o));
	assert_int_equal(o, WP_UNCHANGED);
	assert_true(wp_outcome_parse("updated", &o));
	assert_int_equal(o, WP_UPDATED);
	assert_true(wp_outcome_parse("new", &o));
	assert_int_equal(o, WP_NEW);
	assert_false(wp_outcome_parse("", &o));
	assert_false(wp_outcome_parse("News", &o));
}

static void
expect_item(const char *type, const char *status, const char *password,
    int skipped, enum wp_skip want)
{
	struct wxr_item it;
	enum wp_skip why = WP_SKIP__MAX;

	memset(&it, 0, sizeof(it));
	it.f[WI_POST_TYPE] = type;
	it.f[WI_STATUS] = status;
	it.f[WI_POST_PASSWORD] = password;
	assert_int_equal(wp_skip_item(&it, &why), skipped);
	if (skipped)
		assert_int_equal(why, want);
}

static void
test_skip_item(void **state)
{
	(void)state;
	expect_item("post", "publish", NULL, 0, 0);
	expect_item("post", "future", "", 0, 0);
	expect_item("post", "publish", "secret", 1, WP_SKIP_PASSWORD);
	expect_item("page", "publish", NULL, 1, WP_SKIP_PAGE);
	expect_item("attachment", "inherit", NULL, 1, WP_SKIP_ATTACHMENT);
	expect_item("nav_menu_item", "publish", NULL, 1, WP_SKIP_MENU_ITEM);
	expect_item("revision", "inherit", NULL, 1, WP_SKIP_REVISION);
	expect_item("product", "publish", NULL, 1, WP_SKIP_OTHER_TYPE);
	expect_item(NULL, "publish", NULL, 1, WP_SKIP_OTHER_TYPE);
	expect_item("post", "draft", NULL, 1, WP_SKIP_DRAFT);
	expect_item("post", "auto-draft", NULL, 1, WP_SKIP_DRAFT);
	expect_item("post", "pending", NULL, 1, WP_SKIP_PENDING);
	expect_item("post", "private", NULL, 1, WP_SKIP_PRIVATE);
	expect_item("post", "trash", NULL, 1, WP_SKIP_TRASH);
	expect_item("post", "odd", NULL, 1, WP_SKIP_OTHER_STATUS);
	expect_item("post", NULL, NULL, 1, WP_SKIP_OTHER_STATUS);
}

static void
expect_comment(const char *type, const char *approved, int skipped,
    enum wp_skip want)
{
	struct wxr_comment c;
	enum wp_skip why = WP_SKIP__MAX;

	memset(&c, 0, sizeof(c));
	c.f[WC_TYPE] = type;
	c.f[WC_APPROVED] = approved;
	assert_int_equal(wp_skip_comment(&c, &why), skipped);
	if (skipped)
		assert_int_equal(why, want);
}

static void
test_skip_comment(void **state)
{
	(void)state;
	expect_comment(NULL, "1", 0, 0);
	expect_comment("comment", "1", 0, 0);
	expect_comment("", "1", 0, 0);
	expect_comment("pingback", "1", 1, WP_SKIP_PINGBACK);
	expect_comment("trackback", "1", 1, WP_SKIP_TRACKBACK);
	expect_comment("review", "1", 1, WP_SKIP_OTHER_COMMENT);
	expect_comment(NULL, "0", 1, WP_SKIP_UNAPPROVED);
	expect_comment(NULL, NULL, 1, WP_SKIP_UNAPPROVED);
	expect_comment(NULL, "spam", 1, WP_SKIP_SPAM);
	expect_comment(NULL, "trash", 1, WP_SKIP_TRASHED_COMMENT);
	expect_comment(NULL, "post-trashed", 1, WP_SKIP_TRASHED_COMMENT);
}

static void
test_skip_term(void **state)
{
	struct wxr_term t = { "category", "kiln", "Kiln" };
	enum wp_skip why = WP_SKIP__MAX;

	(void)state;
	assert_false(wp_skip_term(&t, &why));
	t.domain = "post_tag";
	t.nicename = "uncategorized";
	assert_false(wp_skip_term(&t, &why));
	t.domain = "category";
	assert_true(wp_skip_term(&t, &why));
	assert_int_equal(why, WP_SKIP_UNCATEGORIZED);
	t.domain = "post_format";
	assert_true(wp_skip_term(&t, &why));
	assert_int_equal(why, WP_SKIP_OTHER_TERM);
	t.domain = NULL;
	assert_true(wp_skip_term(&t, &why));
	assert_int_equal(why, WP_SKIP_OTHER_TERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_empty),
		cmocka_unit_test(test_report_counts),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_skip_item),
		cmocka_unit_test(test_skip_comment),
		cmocka_unit_test(test_skip_term),
	};

	return cmocka_run_group_tests_name("wp_report", tests, NULL, NULL);
}
