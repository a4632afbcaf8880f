/*
 * migrate.c: `fascia migrate`, the schema's history applied in order.
 *
 * Each file NNN_name.sql of the migrations directory runs once, in its own
 * transaction together with the row that records it in schema_migrations,
 * so a file is either wholly applied and recorded or not at all.  An
 * advisory lock makes two concurrent runs take turns.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "migrate.h"

#define MIGRATE_LOCK "7301923401"	/* any constant shared by all runs */

struct migration {
	int version;
	char *name;
};

static int
migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Is name of the form NNN_word.sql?  Returns its number, or -1. */
static int
migration_version(const char *name)
{
	size_t n = strlen(name), i;
	int v = 0;

	if (n < 6 || strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (i = 0; name[i] >= '0' && name[i] <= '9'; i++) {
		if (v > 99999)
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	if (i == 0 || name[i] != '_')
		return -1;
	for (; i < n - 4; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
		    name[i] == '-'))
			return -1;
	return v;
}

static char *
read_file(const char *path)
{
	FILE *f;
	char *data = NULL;
	long size;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)size + 1)) != NULL) {
		if (fread(data, 1, (size_t)size, f) != (size_t)size) {
			free(data);
			data = NULL;
		} else
			data[size] = '\0';
	}
	fclose(f);
	return data;
}

static int
exec_ok(PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);

	PQclear(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 1;
	fprintf(stderr, "fascia migrate: %s: %s", what, PQerrorMessage(conn));
	return 0;
}

/* Apply one migration unless it is recorded.  Returns 1, or 0 on error. */
static int
apply(PGconn *conn, const char *dir, const struct migration *m)
{
	char path[4096], version[16];
	const char *params[2] = { version, m->name };
	PGresult *res;
	char *sql = NULL;
	int rc = 0, applied;

	snprintf(version, sizeof(version), "%d", m->version);
	if (!exec_ok(conn, "BEGIN", "begin") ||
	    !exec_ok(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
	    "lock"))
		goto out;
	res = PQexecParams(conn, "SELECT 1 FROM schema_migrations "
	    "WHERE version = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "fascia migrate: %s", PQerrorMessage(conn));
		PQclear(res);
		goto out;
	}
	applied = PQntuples(res) > 0;
	PQclear(res);
	if (applied) {
		rc = exec_ok(conn, "COMMIT", "commit");
		goto out;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, m->name) >=
	    sizeof(path) || (sql = read_file(path)) == NULL) {
		fprintf(stderr, "fascia migrate: cannot read %s: %s\n", path,
		    strerror(errno));
		goto out;
	}
	if (!exec_ok(conn, sql, m->name))
		goto out;
	res = PQexecParams(conn, "INSERT INTO schema_migrations (version, name) "
	    "VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "fascia migrate: %s", PQerrorMessage(conn));
		PQclear(res);
		goto out;
	}
	PQclear(res);
	if ((rc = exec_ok(conn, "COMMIT", "commit")))
		printf("applied %s\n", m->name);
out:
	if (!rc && PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
	free(sql);
	return rc;
}

/*
 * Apply every migration not yet recorded.  Returns 0 on success or 1 after
 * printing what failed; a failed file leaves nothing of itself behind.
 */
int
migrate_run(const struct conf *c)
{
	struct migration *list = NULL, *grown;
	size_t n = 0, i;
	struct dirent *e;
	PGconn *conn = NULL;
	DIR *d;
	int rc = 1, v;

	if ((d = opendir(c->migrations)) == NULL) {
		fprintf(stderr, "fascia migrate: %s: %s\n", c->migrations,
		    strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if ((v = migration_version(e->d_name)) < 0)
			continue;
		if ((grown = realloc(list, (n + 1) * sizeof(*list))) == NULL)
			goto out;
		list = grown;
		list[n].version = v;
		if ((list[n].name = strdup(e->d_name)) == NULL)
			goto out;
		n++;
	}
	qsort(list, n, sizeof(*list), migration_cmp);
	for (i = 1; i < n; i++)
		if (list[i].version == list[i - 1].version) {
			fprintf(stderr, "fascia migrate: %s and %s share a "
			    "number\n", list[i - 1].name, list[i].name);
			goto out;
		}
	conn = PQconnectdb(c->database);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "fascia migrate: %s", PQerrorMessage(conn));
		goto out;
	}
	if (!exec_ok(conn, "SET client_min_messages = warning", "settings") ||
	    !exec_ok(conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", "create table"))
		goto out;
	for (i = 0; i < n; i++)
		if (!apply(conn, c->migrations, &list[i]))
			goto out;
	rc = 0;
out:
	closedir(d);
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	if (conn != NULL)
		PQfinish(conn);
	return rc;
}
