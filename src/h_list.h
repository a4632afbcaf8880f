/*
 * h_list.h: the listings of posts: the home page, an author's, a tag's
 * and a month's.
 */
#ifndef FASCIA_H_LIST_H
#define FASCIA_H_LIST_H

#include "req.h"

handler_fn h_home, h_author, h_tag, h_month;

#endif
