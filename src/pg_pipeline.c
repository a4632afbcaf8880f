/*
 * pg_pipeline.c: statements sent to PostgreSQL in a libpq pipeline.
 *
 * In pipeline mode libpq sends a statement without waiting for the one
 * before to finish, so a post with 50 comments costs one round trip, not
 * 50.  The statements go out as they come; after every PG_PIPELINE_CHUNK
 * of them, or when the caller asks (pg_pipeline_sync), a Sync is sent and
 * every result due is read and handed to the caller's callbacks.  When the
 * server refuses a statement it skips the rest up to the next Sync, and
 * this driver reads those answers and hands over nothing for them.
 *
 * Anything unexpected (a connection that breaks, an answer out of turn)
 * leaves the pipeline broken: it is said once on standard error and every
 * function then returns 0, so the caller only has to stop.
 */
#include <stdio.h>

#include "cli_db.h"
#include "pg_pipeline.h"

#define TEXT_OID 25 /* pg_type.h's TEXTOID: every parameter is text */

/*
 * Mark p broken, saying "fascia PROG: WHAT: <libpq's last error>" unless
 * it already was.  Returns 0, for the caller to return.
 */
static int
lost(struct pg_pipeline *p, const char *what)
{
	if (!p->broken)
		cli_db_fail(p->conn, p->prog, what);
	p->broken = 1;
	p->nsent = 0;
	return 0;
}

/*
 * Give up on p for a reason of the caller's own (out of memory, say):
 * "fascia PROG: WHY" is said unless p was broken already, and p is broken
 * from now on.  Returns 0, for the caller to return.
 */
int
pg_pipeline_stop(struct pg_pipeline *p, const char *why)
{
	if (!p->broken)
		fprintf(stderr, "fascia %s: %s\n", p->prog, why);
	p->broken = 1;
	return 0;
}

/*
 * Prepare the named statements of p->stmts and put p->conn in pipeline
 * mode.  Returns 1, or 0 after saying what failed.
 */
int
pg_pipeline_start(struct pg_pipeline *p)
{
	Oid types[PG_STMT_PARAMS_MAX];
	const struct pg_stmt *s;
	PGresult *res;
	size_t i;
	int ok = 1;

	for (i = 0; i < PG_STMT_PARAMS_MAX; i++)
		types[i] = TEXT_OID;
	for (i = 0; ok && i < p->nstmts; i++) {
		s = p->stmts[i];
		if (s->name == NULL)
			continue;
		if (s->nparams > PG_STMT_PARAMS_MAX) {
			fprintf(stderr,
			    "fascia %s: %s: more than %d "
			    "parameters\n",
			    p->prog, s->name, PG_STMT_PARAMS_MAX);
			return 0;
		}
		res = PQprepare(p->conn, s->name, s->sql, s->nparams, types);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
	}
	if (!ok) {
		cli_db_fail(p->conn, p->prog, "preparing the statements");
		return 0;
	}
	if (PQenterPipelineMode(p->conn) != 1) {
		cli_db_fail(p->conn, p->prog, "pipeline mode");
		return 0;
	}
	return 1;
}

/*
 * Send a Sync and read the results of every statement sent since the
 * last one, handing each to the callbacks.  Returns 1, or 0 when p is
 * broken.
 */
int
pg_pipeline_sync(struct pg_pipeline *p)
{
	PGresult *res;
	ExecStatusType st;
	size_t i;

	if (p->broken)
		return 0;
	if (PQpipelineSync(p->conn) != 1)
		return lost(p, "sending to the database");
	for (i = 0; i < p->nsent; i++) {
		if ((res = PQgetResult(p->conn)) == NULL)
			return lost(p, "reading from the database");
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			p->took(p->arg, p->sent[i], res);
		else if (st == PGRES_FATAL_ERROR)
			p->refused(p->arg, p->sent[i], res);
		else if (st != PGRES_PIPELINE_ABORTED) {
			PQclear(res);
			return lost(p, "unexpected answer from the database");
		}
		PQclear(res);
		/* Each statement's results end with a NULL. */
		if ((res = PQgetResult(p->conn)) != NULL) {
			PQclear(res);
			return lost(p, "unexpected answer from the database");
		}
	}
	p->nsent = 0;
	res = PQgetResult(p->conn);
	st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	PQclear(res);
	if (st != PGRES_PIPELINE_SYNC || PQstatus(p->conn) != CONNECTION_OK)
		return lost(p, "the database connection");
	return 1;
}

/*
 * Send the caller's statement stmt with the parameters v (stmt's
 * nparams of them; they need to live only during the call).  After every
 * PG_PIPELINE_CHUNK statements the results are read.  Returns 1, or 0
 * when p is broken.
 */
int
pg_pipeline_send(struct pg_pipeline *p, int stmt, const char *const *v)
{
	const struct pg_stmt *s = p->stmts[stmt];
	int ok;

	if (p->broken)
		return 0;
	if (s->name != NULL)
		ok = PQsendQueryPrepared(p->conn, s->name, s->nparams, v, NULL,
		    NULL, 0);
	else
		ok = PQsendQueryParams(p->conn, s->sql, s->nparams, NULL, v,
		    NULL, NULL, 0);
	if (!ok)
		return lost(p, "sending to the database");
	p->sent[p->nsent++] = stmt;
	if (p->nsent >= PG_PIPELINE_CHUNK)
		return pg_pipeline_sync(p);
	return 1;
}

/*
 * Roll back the transaction a failed batch left open, if there is one,
 * with the caller's statement rollback.  Returns 1, or 0 when p is broken.
 */
int
pg_pipeline_rollback(struct pg_pipeline *p, int rollback)
{
	if (p->broken)
		return 0;
	if (PQtransactionStatus(p->conn) == PQTRANS_IDLE)
		return 1;
	return pg_pipeline_send(p, rollback, NULL) && pg_pipeline_sync(p);
}

/*
 * Take p->conn out of pipeline mode, unless p is broken.  Returns 1, or 0
 * when p is (or now is) broken.
 */
int
pg_pipeline_end(struct pg_pipeline *p)
{
	if (p->broken)
		return 0;
	if (PQpipelineStatus(p->conn) == PQ_PIPELINE_ON &&
	    PQexitPipelineMode(p->conn) != 1)
		return lost(p, "leaving pipeline mode");
	return 1;
}
