/*
 * pg_pipeline.h: statements sent to PostgreSQL in a libpq pipeline, their
 * results read back in batches and handed to the caller.
 */
#ifndef FASCIA_PG_PIPELINE_H
#define FASCIA_PG_PIPELINE_H

#include <stddef.h>

#include <libpq-fe.h>

#define PG_PIPELINE_CHUNK 64  /* statements sent before results are read */
#define PG_STMT_PARAMS_MAX 16 /* parameters of a prepared statement */

/*
 * A statement.  One with a name is prepared once under that name, each of
 * its nparams parameters typed text (the SQL casts them); one without is
 * sent as it is each time.
 */
struct pg_stmt {
	const char *name;
	int nparams;
	const char *sql;
};

/*
 * A pipeline on conn.  The caller zeroes it and fills in its first
 * fields; stmts[i] is the statement the caller calls i.  took() is given
 * the result of each statement that worked, refused() that of each one
 * the server refused, in the order they were sent; the results of those
 * the server skipped after a refusal are not handed over.  The results
 * belong to the pipeline: copy what is needed.
 */
struct pg_pipeline {
	/* The caller's. */
	PGconn *conn;
	const char *prog; /* messages say "fascia PROG: ..." */
	const struct pg_stmt *const *stmts;
	size_t nstmts;
	void (*took)(void *arg, int stmt, PGresult *res);
	void (*refused)(void *arg, int stmt, PGresult *res);
	void *arg;
	/* The pipeline's; the caller may read broken. */
	int broken;		     /* the connection failed, or the caller
				      * gave up */
	int sent[PG_PIPELINE_CHUNK]; /* statements whose results are due */
	size_t nsent;
};

int pg_pipeline_start(struct pg_pipeline *p);
int pg_pipeline_send(struct pg_pipeline *p, int stmt, const char *const *v);
int pg_pipeline_sync(struct pg_pipeline *p);
int pg_pipeline_rollback(struct pg_pipeline *p, int rollback);
int pg_pipeline_end(struct pg_pipeline *p);
int pg_pipeline_stop(struct pg_pipeline *p, const char *why);

#endif
