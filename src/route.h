/*
 * route.h: which handler answers a request, after WordPress's permalinks.
 */
#ifndef FASCIA_ROUTE_H
#define FASCIA_ROUTE_H

#include "req.h"

#define ROUTE_ARGS_MAX 3

enum route_res {
	ROUTE_FOUND,
	ROUTE_REDIRECT,	   /* 301 to r->location: a missing slash */
	ROUTE_NO_PAGE,	   /* 404 */
	ROUTE_WRONG_METHOD /* 405, with r->allow */
};

enum route_res route_resolve(struct req *r, handler_fn **h, char **arg);
void route_dispatch(struct req *r);

#endif
