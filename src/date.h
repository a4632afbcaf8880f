/*
 * date.h: dates for feeds (RFC 822, RFC 3339), HTTP headers and readers.
 */
#ifndef FASCIA_DATE_H
#define FASCIA_DATE_H

#include <stddef.h>
#include <time.h>

int date_digits(const char **s, int n, int *v);

#define DATE_MAX 40 /* room for any date written here */

const char *date_month_name(int m);
int date_rfc822(char *out, size_t n, time_t t);
int date_rfc3339(char *out, size_t n, time_t t);
int date_http(char *out, size_t n, time_t t);
int date_parse_http(const char *s, time_t *t);

#endif
