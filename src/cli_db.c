/*
 * cli_db.c: the database connection of the commands that work on the
 * blog (`fascia post`, `author`, `comments`, `import-wordpress`).
 *
 * A command connects, checks that the schema is at least the one this
 * build knows (else: run `fascia migrate`), and sets the session's time
 * zone to the site's, so that a front-matter date without an offset and
 * the dates a listing prints are the site's local time.  Statements are
 * static SQL with parameters, never text pasted into SQL.  Their
 * listings print database text through cli_print_cell, so a stray
 * control character cannot drive the terminal.
 */
#include <stdio.h>
#include <string.h>

#include "cli_db.h"
#include "db.h"

/*
 * Print "fascia PROG: WHAT: <the connection's last error>" and return 1,
 * the exit status of a failed command.
 */
int
cli_db_fail(PGconn *conn, const char *prog, const char *what)
{
	const char *msg = PQerrorMessage(conn);
	size_t n = strlen(msg);

	fprintf(stderr, "fascia %s: %s: %.*s\n", prog, what,
	    (int)(n > 0 && msg[n - 1] == '\n' ? n - 1 : n), msg);
	return 1;
}

/*
 * Run sql with the n text parameters params.  Returns 1 when it worked,
 * with the result in *out when out is not NULL (the caller PQclears it),
 * else 0 (the error is in PQerrorMessage(conn)).
 */
int
cli_db_exec(PGconn *conn, const char *sql, int n, const char *const *params,
    PGresult **out)
{
	PGresult *res;
	ExecStatusType st;

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
 * Connect to c->database for the command prog and prepare the session.
 * Returns the connection (the caller PQfinishes it), or NULL after
 * printing why.
 */
PGconn *
cli_db_open(const struct conf *c, const char *prog)
{
	const char *params[1] = { c->timezone };
	PGconn *conn;
	int v;

	conn = PQconnectdb(c->database);
	if (PQstatus(conn) != CONNECTION_OK) {
		(void)cli_db_fail(conn, prog, "cannot connect to the database");
		PQfinish(conn);
		return NULL;
	}
	if ((v = db_schema_version(conn)) < DB_SCHEMA_VERSION) {
		if (v < 0)
			(void)cli_db_fail(conn, prog, "cannot read the schema "
			    "version");
		else
			fprintf(stderr, "fascia %s: the database schema is at "
			    "version %d, this fascia needs %d: run `fascia "
			    "migrate`\n", prog, v, DB_SCHEMA_VERSION);
		PQfinish(conn);
		return NULL;
	}
	if (!cli_db_exec(conn, "SELECT set_config('TimeZone', $1, false)", 1,
	    params, NULL)) {
		(void)cli_db_fail(conn, prog, "the config's timezone");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/*
 * Print s on standard output with control characters shown as '?',
 * padded with spaces to width characters (0: no padding); when max is
 * not 0, at most max characters, the last of a cut one being "...".
 */
void
cli_print_cell_max(const char *s, int width, int max)
{
	int n = 0;

	for (; *s != '\0' && *s != '\n' && *s != '\r'; s++) {
		/* UTF-8 continuation bytes do not start a character. */
		if (((unsigned char)*s & 0xc0) != 0x80) {
			if (max > 0 && n == max) {
				fputs("...", stdout);
				n += 3;
				break;
			}
			n++;
		}
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	}
	for (; n < width; n++)
		putchar(' ');
}

void
cli_print_cell(const char *s, int width)
{
	cli_print_cell_max(s, width, 0);
}
