/*
 * permalink.h: the site's own addresses, made from slugs and dates.
 */
#ifndef FASCIA_PERMALINK_H
#define FASCIA_PERMALINK_H

#include "req.h"

const char *permalink_post(struct req *r, const char *slug);
const char *permalink_author(struct req *r, const char *slug);
const char *permalink_tag(struct req *r, const char *slug);
const char *permalink_month(struct req *r, int year, int month);
const char *permalink_abs(struct req *r, const char *path);
int permalink_month_parse(const char *year, const char *month, int *y, int *m);

#endif
