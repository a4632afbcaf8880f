/*
 * test_pubdate.c: the publication dates a post's front matter may give,
 * and the text PostgreSQL is handed for them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pubdate.h"

static void
expect_abs(const char *in, const char *want)
{
	struct pubdate d;

	if (!pubdate_parse(in, &d))
		fail_msg("\"%s\" refused", in);
	assert_int_equal(d.kind, PUBDATE_ABSOLUTE);
	assert_string_equal(d.text, want);
}

static void
expect_bad(const char *in)
{
	struct pubdate d;

	if (pubdate_parse(in, &d))
		fail_msg("\"%s\" accepted as \"%s\"", in, d.text);
}

static void
test_iso(void **state)
{
	(void)state;
	expect_abs("2026-03-14T09:30:00Z", "2026-03-14 09:30:00+00:00");
	expect_abs("2026-03-14t09:30:00z", "2026-03-14 09:30:00+00:00");
	expect_abs("2026-03-14 09:30:00Z", "2026-03-14 09:30:00+00:00");
	expect_abs("2026-03-14T10:30:00+01:00", "2026-03-14 10:30:00+01:00");
	expect_abs("2026-03-14T04:30:00-0500", "2026-03-14 04:30:00-05:00");
	expect_abs("2026-03-14T15:00:00+05:30", "2026-03-14 15:00:00+05:30");
	expect_abs("2026-03-14T15:00+05", "2026-03-14 15:00:00+05:00");
	expect_abs("2026-03-14T09:30:00.25Z", "2026-03-14 09:30:00.25+00:00");
	expect_abs("2026-03-14T09:30:00,123456Z",
	    "2026-03-14 09:30:00.123456+00:00");
	/* Without an offset: the site's time zone (the session's). */
	expect_abs("2026-03-14T09:30", "2026-03-14 09:30:00");
	expect_abs("2026-03-14T09:30:59", "2026-03-14 09:30:59");
	expect_abs("2026-03-14", "2026-03-14 00:00:00");
	/* Calendar edges. */
	expect_abs("2024-02-29", "2024-02-29 00:00:00");
	expect_abs("2000-02-29", "2000-02-29 00:00:00");
	expect_abs("2026-12-31T23:59:59Z", "2026-12-31 23:59:59+00:00");
	expect_abs("2026-01-01T00:00:00-14:00", "2026-01-01 00:00:00-14:00");
}

static void
test_bad(void **state)
{
	(void)state;
	expect_bad("");
	expect_bad("yesterday");
	expect_bad("14/03/2026");
	expect_bad("2026-3-14");
	expect_bad("26-03-14");
	expect_bad("2026-03-14T");
	expect_bad("2026-03-14T9:30");
	expect_bad("2026-03-14T09");
	expect_bad("2026-03-14T09:30:00ZZ");
	expect_bad("2026-03-14T09:30:00 Z");
	expect_bad("2026-03-14T09:30:00+1");
	expect_bad("2026-03-14T09:30:00+01:0");
	expect_bad("2026-03-14T09:30:00+01:");
	expect_bad("2026-03-14T09:30:00+0100:");
	expect_bad("2026-03-14T09:30:00+15:00");
	expect_bad("2026-03-14T09:30:00+01:60");
	expect_bad("2026-03-14T09:30:00.Z");
	expect_bad("2026-03-14T09:30:00.1234567Z");
	expect_bad("2026-03-14T09:30.5Z");
	expect_bad("2026-02-29");
	expect_bad("1900-02-29");
	expect_bad("2026-04-31");
	expect_bad("2026-00-10");
	expect_bad("2026-13-01");
	expect_bad("2026-01-00");
	expect_bad("0000-01-01");
	expect_bad("2026-03-14T24:00:00Z");
	expect_bad("2026-03-14T23:60:00Z");
	expect_bad("2026-03-14T23:59:60Z");
	expect_bad("2026-03-14 extra");
	expect_bad("2026-03-14T09:30:00Z; DROP TABLE posts");
}

static void
test_relative(void **state)
{
	struct pubdate d;

	(void)state;
	assert_true(pubdate_parse("+30 days", &d));
	assert_int_equal(d.kind, PUBDATE_RELATIVE);
	assert_int_equal(d.days, 30);
	assert_true(pubdate_parse("+1 day", &d));
	assert_int_equal(d.days, 1);
	assert_true(pubdate_parse("+1 days", &d));
	assert_true(pubdate_parse("+0 days", &d));
	assert_int_equal(d.days, 0);
	assert_true(pubdate_parse("+36500 days", &d));
	expect_bad("+36501 days");
	expect_bad("+999999 days");
	expect_bad("+2 day");
	expect_bad("+30days");
	expect_bad("+30 weeks");
	expect_bad("+ 30 days");
	expect_bad("+days");
	expect_bad("-30 days");
	expect_bad("+30 days ago");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_relative),
	};

	return cmocka_run_group_tests_name("pubdate", tests, NULL, NULL);
}
