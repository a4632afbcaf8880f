/*
 * test_calendar.c: which dates and times of day exist (calendar.c):
 * month lengths, leap years and their century rules, and the day's
 * bounds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "calendar.h"

static void
test_dates(void **state)
{
	(void)state;
	assert_true(calendar_date_ok(2026, 1, 31));
	assert_false(calendar_date_ok(2026, 1, 32));
	assert_true(calendar_date_ok(2026, 4, 30));
	assert_false(calendar_date_ok(2026, 4, 31));
	assert_true(calendar_date_ok(2026, 12, 31));
	assert_false(calendar_date_ok(2026, 13, 1));
	assert_false(calendar_date_ok(2026, 0, 1));
	assert_false(calendar_date_ok(2026, 1, 0));
	assert_false(calendar_date_ok(0, 1, 1));
	assert_true(calendar_date_ok(1, 1, 1));
	assert_false(calendar_date_ok(2026, 2, 29));
	assert_true(calendar_date_ok(2024, 2, 29));
	assert_false(calendar_date_ok(1900, 2, 29));
	assert_true(calendar_date_ok(2000, 2, 29));
	assert_false(calendar_date_ok(2024, 2, 30));
}

static void
test_times(void **state)
{
	(void)state;
	assert_true(calendar_time_ok(0, 0, 0));
	assert_true(calendar_time_ok(23, 59, 59));
	assert_false(calendar_time_ok(24, 0, 0));
	assert_false(calendar_time_ok(23, 60, 0));
	assert_false(calendar_time_ok(23, 59, 60));
	assert_false(calendar_time_ok(-1, 0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
