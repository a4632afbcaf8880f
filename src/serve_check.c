/*
 * serve_check.c: `fascia serve -t`, what `serve` would load, checked
 * without serving: the config, whom it would run as, the secret key, the
 * templates, the database and its schema.
 *
 * Like `nginx -t`, it says each thing it checked on standard error and
 * exits 0 when all of it is right, 1 with the reason otherwise, so that a
 * reload or an upgrade can refuse a broken configuration before the
 * running server is told to load it (a reload that fails keeps the old
 * one, but only a log line says so).  Unlike `serve` at start-up, a
 * database that cannot be reached is a failure here: the check is asked
 * for by someone who wants to know.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "conf.h"
#include "db.h"
#include "privileges.h"
#include "secret.h"
#include "serve_check.h"
#include "site.h"
#include "view.h"

#define CONNECT_TIMEOUT "5" /* seconds: a check must not hang */

/* Connect to the config's database, or NULL after saying why not. */
static PGconn *
connect_db(const struct conf *c)
{
	static const char *const keys[] = { "dbname", "connect_timeout", NULL };
	const char *values[] = { c->database, CONNECT_TIMEOUT, NULL };
	PGconn *conn = PQconnectdbParams(keys, values, 1);

	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "fascia: database: %s",
		    conn != NULL ? PQerrorMessage(conn) : "out of memory\n");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* The schema is the one this build needs?  Says which it is. */
static int
schema_ok(PGconn *conn)
{
	int v = db_schema_check(conn, NULL);

	if (v == DB_SCHEMA_UNREAD)
		fprintf(stderr, "fascia: cannot read the schema version: %s",
		    PQerrorMessage(conn));
	if (v < 0)
		return 0;
	fprintf(stderr, "fascia: database schema at version %d (needs %d)\n", v,
	    DB_SCHEMA_VERSION);
	return 1;
}

/* Each check in turn; the first that fails has said why. */
static int
check_all(const char *conf_path)
{
	unsigned char secret[SECRET_KEY_BYTES];
	struct privileges who;
	struct conf *c;
	struct views *v = NULL;
	struct site s = { 0 };
	PGconn *conn = NULL;
	int ok = 0;

	if ((c = conf_load(conf_path)) == NULL)
		return 0;
	fprintf(stderr, "fascia: configuration file %s: syntax is ok\n",
	    conf_path);
	if (!privileges_plan(c, &who))
		goto out;
	if (who.drop)
		fprintf(stderr, "fascia: started as root, serves as %s\n",
		    who.name);
	if (!secret_load(c->secret_key_file, secret))
		goto out;
	sodium_memzero(secret, sizeof(secret));
	fprintf(stderr, "fascia: secret key file %s: ok\n", c->secret_key_file);
	if ((v = views_load(c)) == NULL || !site_init(&s, c))
		goto out;
	fprintf(stderr, "fascia: templates in %s: ok\n", c->templates);
	if ((conn = connect_db(c)) == NULL)
		goto out;
	/* where, not the connection string: it may hold a password */
	fprintf(stderr, "fascia: database %s on %s port %s as %s: connected\n",
	    PQdb(conn), PQhost(conn), PQport(conn), PQuser(conn));
	ok = schema_ok(conn);
out:
	PQfinish(conn);
	site_free(&s);
	views_free(v);
	conf_free(c);
	return ok;
}

/*
 * Check what serving the config at conf_path would load.  Returns the
 * process's exit status.
 */
int
serve_check(const char *conf_path)
{
	int ok = sodium_init() >= 0 && check_all(conf_path);

	fprintf(stderr, "fascia: configuration file %s test %s\n", conf_path,
	    ok ? "is successful" : "failed");
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
