/*
 * pubdate.c: a post's publication date as written in its front matter.
 *
 * Two forms are read.  An ISO 8601 date and time, in the subset people
 * write by hand:
 *
 *	2026-03-14                   midnight, in the site's time zone
 *	2026-03-14T09:30             (or a space instead of the T)
 *	2026-03-14T09:30:00
 *	2026-03-14T09:30:00.250
 *	...Z, ...+02:00, ...-0500, ...+05   an explicit UTC offset
 *
 * and "+N days" (or "+1 day"), a date relative to the moment of import,
 * which the demo blog uses to keep one post scheduled whenever it is
 * loaded.  Every field is range-checked here, leap years included, so
 * that a bad date is reported with its file and line instead of as a
 * PostgreSQL error; the result is text PostgreSQL reads as timestamptz
 * (without an offset, in the session's time zone: the site's).
 */
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "pubdate.h"

#define MAX_RELATIVE_DAYS 36500 /* a hundred years */
#define RELATIVE_DIGITS_MAX 5	/* of MAX_RELATIVE_DAYS */
#define FRAC_DIGITS_MAX 6	/* microseconds, PostgreSQL's precision */
#define ZONE_HOURS_MAX 14	/* UTC+14, the farthest offset in use */
#define ZONE_MINUTES_MAX 59
#define ZONE_LEN 6 /* "+HH:MM" */

/* Write v, 0 <= v < 10^width, as width digits at p; return the end. */
static char *
put_digits(char *p, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "+N days": fill d and return 1, or return 0. */
static int
parse_relative(const char *s, struct pubdate *d)
{
	const char *p = s + 1;
	int n = 0, i;

	for (i = 0; p[i] >= '0' && p[i] <= '9'; i++) {
		if (i == RELATIVE_DIGITS_MAX)
			return 0;
		n = n * 10 + (p[i] - '0');
	}
	if (i == 0 || p[i] != ' ' || n > MAX_RELATIVE_DAYS)
		return 0;
	p += i + 1;
	if (strcmp(p, n == 1 ? "day" : "days") != 0 && strcmp(p, "days") != 0)
		return 0;
	d->kind = PUBDATE_RELATIVE;
	d->days = n;
	d->text[0] = '\0';
	return 1;
}

/*
 * Parse the UTC offset at p ("Z", "+HH:MM", "+HHMM", "+HH" or "") and
 * write it to out as "+HH:MM" or "".  Returns 1 or 0.
 */
static int
parse_zone(const char *p, char out[ZONE_LEN + 1])
{
	int hh = 0, mm = 0;
	char sign;

	out[0] = '\0';
	if (*p == '\0')
		return 1;
	if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0')
		p = "+00";
	if (*p != '+' && *p != '-')
		return 0;
	sign = *p++;
	if (!date_digits(&p, 2, &hh))
		return 0;
	if (*p == ':') {
		p++;
		if (!date_digits(&p, 2, &mm))
			return 0;
	} else if (*p != '\0' && !date_digits(&p, 2, &mm))
		return 0;
	if (*p != '\0' || hh > ZONE_HOURS_MAX || mm > ZONE_MINUTES_MAX)
		return 0;
	out[0] = sign;
	put_digits(out + 1, hh, 2)[0] = ':';
	put_digits(out + 4, mm, 2)[0] = '\0';
	return 1;
}

/*
 * Parse the front-matter date s into d.  Returns 1, or 0 when s is not a
 * date of one of the forms above or names a day or time that does not
 * exist (2026-02-29, 24:00).
 */
int
pubdate_parse(const char *s, struct pubdate *d)
{
	const char *p = s;
	char frac[FRAC_DIGITS_MAX + 2] = "", zone[ZONE_LEN + 1], *t;
	int y, mo, da, h = 0, mi = 0, se = 0, n;

	if (s[0] == '+')
		return parse_relative(s, d);
	if (!date_digits(&p, 4, &y) || *p++ != '-' ||
	    !date_digits(&p, 2, &mo) || *p++ != '-' ||
	    !date_digits(&p, 2, &da) || !calendar_date_ok(y, mo, da))
		return 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!date_digits(&p, 2, &h) || *p++ != ':' ||
		    !date_digits(&p, 2, &mi))
			return 0;
		if (*p == ':') {
			p++;
			if (!date_digits(&p, 2, &se))
				return 0;
			if (*p == '.' || *p == ',') {
				p++;
				for (n = 0; p[n] >= '0' && p[n] <= '9'; n++) {
					if (n == FRAC_DIGITS_MAX)
						return 0;
					frac[n + 1] = p[n];
				}
				if (n == 0)
					return 0;
				frac[0] = '.';
				frac[n + 1] = '\0';
				p += n;
			}
		}
		if (!calendar_time_ok(h, mi, se) || !parse_zone(p, zone))
			return 0;
	} else if (*p == '\0')
		zone[0] = '\0';
	else
		return 0;
	d->kind = PUBDATE_ABSOLUTE;
	d->days = 0;
	/* "YYYY-MM-DD HH:MM:SS" (19) + frac (7) + zone (6) fit in text:
	 * PUBDATE_TEXT_MAX says so. */
	t = put_digits(d->text, y, 4);
	*t++ = '-';
	t = put_digits(t, mo, 2);
	*t++ = '-';
	t = put_digits(t, da, 2);
	*t++ = ' ';
	t = put_digits(t, h, 2);
	*t++ = ':';
	t = put_digits(t, mi, 2);
	*t++ = ':';
	t = put_digits(t, se, 2);
	memcpy(t, frac, strlen(frac));
	t += strlen(frac);
	memcpy(t, zone, strlen(zone) + 1);
	return 1;
}
