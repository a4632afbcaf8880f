/*
 * cli_db.c: the database connection of the commands (`fascia migrate`,
 * `post`, `author`, `comments`, `import-wordpress`).
 *
 * A command that works on the blog connects with cli_db_open, which
 * checks that the schema is at least the one this build knows (else: run
 * `fascia migrate`) and sets the session's time zone to the site's, so
 * that a front-matter date without an offset and the dates a listing
 * prints are the site's local time.  `fascia migrate` itself connects
 * with cli_db_connect alone, since it is what brings the schema up to
 * date.  Statements are static SQL with parameters, never text pasted
 * into SQL; the listings print what they read through cli_table.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli_db.h"
#include "db.h"

/*
 * Print "fascia PROG: WHAT: <the connection's last error>" on standard
 * error, or "fascia PROG: <the error>" when what is NULL.
 */
void
cli_db_fail(PGconn *conn, const char *prog, const char *what)
{
	const char *msg = PQerrorMessage(conn);
	size_t n = strlen(msg);

	/* libpq's messages end with a newline, or several lines and one. */
	if (n > 0 && msg[n - 1] == '\n')
		n--;
	if (what != NULL)
		fprintf(stderr, "fascia %s: %s: %.*s\n", prog, what, (int)n,
		    msg);
	else
		fprintf(stderr, "fascia %s: %.*s\n", prog, (int)n, msg);
}

/*
 * Run sql with the n text parameters params; with none (n is 0 and
 * params NULL), sql may hold several statements, as a migration does.
 * Returns 1 when it worked, with the result in *out when out is not NULL
 * (the caller PQclears it; of several statements, the last one's), else
 * 0 (the error is in PQerrorMessage(conn)).
 */
int
cli_db_exec(PGconn *conn, const char *sql, int n, const char *const *params,
    PGresult **out)
{
	PGresult *res;
	ExecStatusType st;

	/* Only the simple protocol (PQexec) takes several statements. */
	if (n == 0 && params == NULL)
		res = PQexec(conn, sql);
	else
		res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return 1;
}

/*
 * Roll back the open transaction, if any.  Returns 1 when that worked.
 */
int
cli_db_rollback(PGconn *conn)
{
	if (PQtransactionStatus(conn) == PQTRANS_IDLE)
		return 1;
	return cli_db_exec(conn, "ROLLBACK", 0, NULL, NULL);
}

/*
 * Connect to conninfo (the config's database, or for `fascia migrate` its
 * owner_database) for the command prog.  Returns the connection (the
 * caller PQfinishes it), or NULL after printing "fascia PROG: WHAT:
 * <libpq's reason>" (what may be NULL, as for cli_db_fail).
 */
PGconn *
cli_db_connect(const char *conninfo, const char *prog, const char *what)
{
	PGconn *conn;

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		cli_db_fail(conn, prog, what);
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/*
 * Connect to c->database for the command prog, check the schema's
 * version and set the session's time zone.  Returns the connection (the
 * caller PQfinishes it), or NULL after printing why.
 */
PGconn *
cli_db_open(const struct conf *c, const char *prog)
{
	const char *params[1] = { c->timezone };
	PGconn *conn;
	int v;

	if ((conn = cli_db_connect(c->database, prog,
		 "cannot connect to the "
		 "database")) == NULL)
		return NULL;
	if ((v = db_schema_check(conn, prog)) < 0) {
		if (v == DB_SCHEMA_UNREAD)
			cli_db_fail(conn, prog,
			    "cannot read the schema "
			    "version");
		PQfinish(conn);
		return NULL;
	}
	if (!cli_db_exec(conn, "SELECT set_config('TimeZone', $1, false)", 1,
		params, NULL)) {
		cli_db_fail(conn, prog, "the config's timezone");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}
