/*
 * worker.h: what a worker process owns and lends to each request it
 * answers.  The master sets it up in worker_main() (server.c).
 */
#ifndef FASCIA_WORKER_H
#define FASCIA_WORKER_H

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "ctemplate.h"
#include "db.h"

#define RESPONSE_MAX (8u << 20) /* cap on one rendered page */
#define SCRATCH_MAX (1u << 20)	/* cap on one piece of text built */

/* How long the rows of the page chrome are kept (layout.c). */
#define CHROME_TTL 60 /* seconds */

struct worker {
	const struct app *app; /* this generation's: read-only */
	struct db db;
	struct arena arena;	 /* the request's memory, reset after each */
	TMPL_arena *tmpl;	 /* the request's template variables */
	struct buf body;	 /* the response body being built */
	struct buf out;		 /* the response's header lines */
	struct buf scratch;	 /* text built before it goes to the arena */
	struct db_cache authors; /* the navigation's authors */
	struct db_cache months;	 /* the months with posts */
};

#endif
