/*
 * calendar.c: which dates and times of day exist, in the proleptic
 * Gregorian calendar that PostgreSQL uses, so that a date that does not
 * exist (2026-02-29, 24:00) is refused where it is read, with its file and
 * line, instead of as a database error.  Leap seconds are not times here,
 * as they are not in PostgreSQL.
 */
#include "calendar.h"

#define MONTHS 12
#define FEBRUARY 2
#define HOUR_MAX 23
#define MINUTE_MAX 59
#define SECOND_MAX 59

static int
leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/*
 * Return 1 when year-month-day is a day of the calendar (year 1 or
 * later), else 0.
 */
int
calendar_date_ok(int year, int month, int day)
{
	static const int days[MONTHS] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	int last;

	if (year < 1 || month < 1 || month > MONTHS || day < 1)
		return 0;
	last = days[month - 1] + (month == FEBRUARY && leap(year));
	return day <= last;
}

/*
 * Return 1 when hour:minute:second is a time of day (00:00:00 to
 * 23:59:59), else 0.
 */
int
calendar_time_ok(int hour, int minute, int second)
{
	return hour >= 0 && hour <= HOUR_MAX && minute >= 0 &&
	    minute <= MINUTE_MAX && second >= 0 && second <= SECOND_MAX;
}
