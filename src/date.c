/*
 * date.c: the date formats of feeds, sitemaps and HTTP.
 *
 * Everything here works on UTC seconds since the epoch and writes English
 * names from fixed tables, never through strftime(), whose output follows
 * the process's locale.  Parsing accepts the three forms RFC 9110 says a
 * recipient must read (IMF-fixdate, RFC 850 and asctime) and nothing
 * else: an If-Modified-Since that is not one of them is ignored, as the
 * RFC asks.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

static const char *const wdays[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
	"Sat" };
static const char *const long_wdays[7] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const month_names[12] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static int
utc(time_t t, struct tm *tm)
{
	return gmtime_r(&t, tm) != NULL && tm->tm_year + 1900 >= 0 &&
	    tm->tm_year + 1900 <= 9999;
}

/* Return the English name of month m (1 to 12), or "". */
const char *
date_month_name(int m)
{
	return m >= 1 && m <= 12 ? month_names[m - 1] : "";
}

/* "Tue, 14 Jan 2025 10:00:00" and then zone, in UTC. */
static int
date_mail(char *out, size_t n, time_t t, const char *zone)
{
	struct tm tm;
	int len;

	if (!utc(t, &tm))
		return 0;
	len = snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %s",
	    wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
	return len > 0 && (size_t)len < n;
}

/*
 * Write t as RFC 822 (with a four-digit year, as RSS 2.0 wants):
 * "Tue, 14 Jan 2025 10:00:00 +0000".  Returns 1, or 0 when t is out of
 * range (years 0 to 9999) or the date does not fit in n bytes.
 */
int
date_rfc822(char *out, size_t n, time_t t)
{
	return date_mail(out, n, t, "+0000");
}

/*
 * Write t as RFC 3339 in UTC, as Atom and sitemaps want:
 * "2025-01-14T10:00:00Z".  Returns 1, or 0 as date_rfc822().
 */
int
date_rfc3339(char *out, size_t n, time_t t)
{
	struct tm tm;
	int len;

	if (!utc(t, &tm))
		return 0;
	len = snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	return len > 0 && (size_t)len < n;
}

/*
 * Write t as an HTTP date (IMF-fixdate): "Tue, 14 Jan 2025 10:00:00 GMT".
 * Returns 1, or 0 as date_rfc822().
 */
int
date_http(char *out, size_t n, time_t t)
{
	return date_mail(out, n, t, "GMT");
}

/*
 * Read exactly n digits at *s into *v and move past them.  Returns 1, or 0
 * when fewer than n digits are there.
 */
int
date_digits(const char **s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return 0;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return 1;
}

static int
literal(const char **s, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*s, lit, n) != 0)
		return 0;
	*s += n;
	return 1;
}

static int
month(const char **s, int *mon)
{
	int i;

	for (i = 0; i < 12; i++)
		if (strncmp(*s, months[i], 3) == 0) {
			*mon = i;
			*s += 3;
			return 1;
		}
	return 0;
}

static int
weekday(const char **s, const char *const *names)
{
	int i;

	for (i = 0; i < 7; i++)
		if (literal(s, names[i]))
			return 1;
	return 0;
}

/* "08:49:37" */
static int
clock_time(const char **s, struct tm *tm)
{
	return date_digits(s, 2, &tm->tm_hour) && literal(s, ":") &&
	    date_digits(s, 2, &tm->tm_min) && literal(s, ":") &&
	    date_digits(s, 2, &tm->tm_sec);
}

/*
 * Parse an HTTP date in any of its three forms:
 *   Sun, 06 Nov 1994 08:49:37 GMT    (IMF-fixdate)
 *   Sunday, 06-Nov-94 08:49:37 GMT   (RFC 850; 70-99 are 1970-1999)
 *   Sun Nov  6 08:49:37 1994         (asctime)
 * into *t.  Returns 1, or 0 (and *t untouched) for anything else,
 * including an impossible date such as 31 Feb.
 */
int
date_parse_http(const char *s, time_t *t)
{
	struct tm tm;
	const char *p = s;
	int ok, yy, mday;
	time_t v;

	memset(&tm, 0, sizeof(tm));
	if (weekday(&p, wdays) && literal(&p, ", ")) {
		ok = date_digits(&p, 2, &tm.tm_mday) && literal(&p, " ") &&
		    month(&p, &tm.tm_mon) && literal(&p, " ") &&
		    date_digits(&p, 4, &tm.tm_year) && literal(&p, " ") &&
		    clock_time(&p, &tm) && literal(&p, " GMT");
		tm.tm_year -= 1900;
	} else if ((p = s, weekday(&p, long_wdays)) && literal(&p, ", ")) {
		ok = date_digits(&p, 2, &tm.tm_mday) && literal(&p, "-") &&
		    month(&p, &tm.tm_mon) && literal(&p, "-") &&
		    date_digits(&p, 2, &yy) && literal(&p, " ") &&
		    clock_time(&p, &tm) && literal(&p, " GMT");
		tm.tm_year = yy < 70 ? yy + 100 : yy;
	} else if ((p = s, weekday(&p, wdays)) && literal(&p, " ")) {
		ok = month(&p, &tm.tm_mon) && literal(&p, " ");
		if (ok && *p == ' ') {
			p++;
			ok = date_digits(&p, 1, &tm.tm_mday);
		} else if (ok)
			ok = date_digits(&p, 2, &tm.tm_mday);
		ok = ok && literal(&p, " ") && clock_time(&p, &tm) &&
		    literal(&p, " ") && date_digits(&p, 4, &tm.tm_year);
		tm.tm_year -= 1900;
	} else
		return 0;
	if (!ok || *p != '\0' || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60 || tm.tm_mday < 1)
		return 0;
	mday = tm.tm_mday;
	if ((v = timegm(&tm)) == (time_t)-1 || tm.tm_mday != mday)
		return 0; /* timegm() normalised 31 Feb into March */
	*t = v;
	return 1;
}
