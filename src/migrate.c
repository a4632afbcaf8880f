/*
 * migrate.c: `fascia migrate`, the schema's history applied in order.
 *
 * Each file NNN_name.sql of the migrations directory runs once, in its own
 * transaction together with the row that records it in schema_migrations,
 * so a file is either wholly applied and recorded or not at all.  An
 * advisory lock makes two concurrent runs take turns.  This is the one
 * command that connects without checking the schema's version, since it
 * is what brings the schema up to date.
 *
 * With an owner_database in the config, migrate connects as that role,
 * the schema's owner, and then grants the role that `database` connects
 * as (the one that serves pages, takes comments and runs the other
 * commands) what those need and nothing more: reading and writing rows,
 * using the sequences.  That role owns nothing, so it can create, alter
 * or drop nothing, whatever a request makes of it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cli_db.h"
#include "migrate.h"

#define PROG "migrate"
#define MIGRATE_LOCK "7301923401" /* any constant shared by all runs */
#define SQL_SUFFIX ".sql"
#define SQL_SUFFIX_LEN (sizeof(SQL_SUFFIX) - 1)
#define NAME_MIN_LEN (2 + SQL_SUFFIX_LEN) /* "1_.sql" */
#define VERSION_MAX 999999
#define NAMEDATALEN_MAX 64 /* PostgreSQL's names, with their NUL */

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

	if (n < NAME_MIN_LEN ||
	    strcmp(name + n - SQL_SUFFIX_LEN, SQL_SUFFIX) != 0)
		return -1;
	for (i = 0; name[i] >= '0' && name[i] <= '9'; i++) {
		if (v > VERSION_MAX / 10)
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	if (i == 0 || name[i] != '_')
		return -1;
	for (; i < n - SQL_SUFFIX_LEN; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
			(name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
			name[i] == '-'))
			return -1;
	return v;
}

/* The contents of the file at path, malloc'd; NULL with errno set. */
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

/*
 * Run sql (cli_db_exec's way) and say "fascia migrate: WHAT: <error>"
 * when it fails.  Returns 1, or 0.
 */
static int
run(PGconn *conn, const char *sql, int n, const char *const *params,
    const char *what, PGresult **out)
{
	if (cli_db_exec(conn, sql, n, params, out))
		return 1;
	cli_db_fail(conn, PROG, what);
	return 0;
}

/*
 * The role the config's database connects as, into role (size n), and
 * whether it is a superuser.  Returns 1, or 0 after printing why not.
 */
static int
serving_role(const struct conf *c, char *role, size_t n, int *super)
{
	PGconn *conn;
	PGresult *res = NULL;
	int ok = 0;

	if ((conn = cli_db_connect(c->database, PROG,
		 "the serving role's connection (database)")) == NULL)
		return 0;
	if (run(conn,
		"SELECT current_user, rolsuper FROM pg_roles "
		"WHERE rolname = current_user",
		0, NULL, "the serving role", &res) &&
	    PQntuples(res) == 1 && strlen(PQgetvalue(res, 0, 0)) < n) {
		strcpy(role, PQgetvalue(res, 0, 0));
		*super = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		ok = 1;
	}
	PQclear(res);
	PQfinish(conn);
	return ok;
}

/*
 * Grant the serving role, on conn (the owner's), the rows of every table
 * and the sequences, unless it is the owner itself.  Returns 1, or 0.
 */
static int
grant_serving_role(PGconn *conn, const struct conf *c)
{
	static const char *const grants[] = {
		"GRANT USAGE ON SCHEMA public TO ",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
		"public TO ",
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ",
	};
	char role[NAMEDATALEN_MAX], sql[256];
	char *ident;
	size_t i;
	int super, ok = 1;

	if (!serving_role(c, role, sizeof(role), &super))
		return 0;
	if (strcmp(role, PQuser(conn)) == 0)
		return 1;
	if ((ident = PQescapeIdentifier(conn, role, strlen(role))) == NULL) {
		cli_db_fail(conn, PROG, "the serving role's name");
		return 0;
	}
	for (i = 0; ok && i < sizeof(grants) / sizeof(grants[0]); i++) {
		snprintf(sql, sizeof(sql), "%s%s", grants[i], ident);
		ok = run(conn, sql, 0, NULL, "grant", NULL);
	}
	PQfreemem(ident);
	if (ok && super)
		fprintf(stderr,
		    "fascia migrate: warning: the serving role %s is a "
		    "superuser: it can change the schema all the same\n",
		    role);
	else if (ok)
		printf(
		    "the serving role %s may read and write rows, and change "
		    "nothing else\n",
		    role);
	return ok;
}

/* Apply one migration unless it is recorded.  Returns 1, or 0 on error. */
static int
apply(PGconn *conn, const char *dir, const struct migration *m)
{
	char path[PATH_MAX], version[sizeof("-2147483648")];
	const char *params[2] = { version, m->name };
	PGresult *res;
	char *sql = NULL;
	int rc = 0, applied;

	snprintf(version, sizeof(version), "%d", m->version);
	if (!run(conn, "BEGIN", 0, NULL, "begin", NULL) ||
	    !run(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", 0,
		NULL, "lock", NULL) ||
	    !run(conn, "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
		params, NULL, &res))
		goto out;
	applied = PQntuples(res) > 0;
	PQclear(res);
	if (applied) {
		rc = run(conn, "COMMIT", 0, NULL, "commit", NULL);
		goto out;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, m->name) >=
		sizeof(path) ||
	    (sql = read_file(path)) == NULL) {
		fprintf(stderr, "fascia " PROG ": cannot read %s: %s\n", path,
		    strerror(errno));
		goto out;
	}
	if (!run(conn, sql, 0, NULL, m->name, NULL) ||
	    !run(conn,
		"INSERT INTO schema_migrations (version, name) "
		"VALUES ($1, $2)",
		2, params, NULL, NULL) ||
	    !run(conn, "COMMIT", 0, NULL, "commit", NULL))
		goto out;
	printf("applied %s\n", m->name);
	rc = 1;
out:
	if (!rc)
		(void)cli_db_rollback(conn);
	free(sql);
	return rc;
}

/*
 * Read the migrations of dir into *list, *n of them sorted by number
 * (malloc'd with their names: the caller frees them, whatever the
 * outcome).  Returns 1, or 0 after saying what failed.
 */
static int
read_dir(const char *dir, struct migration **list, size_t *n)
{
	struct migration *grown;
	struct dirent *e;
	size_t i;
	DIR *d;
	int v;

	*list = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "fascia " PROG ": %s: %s\n", dir,
		    strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if ((v = migration_version(e->d_name)) < 0)
			continue;
		if ((grown = realloc(*list, (*n + 1) * sizeof(**list))) == NULL)
			goto nomem;
		*list = grown;
		(*list)[*n].version = v;
		if (((*list)[*n].name = strdup(e->d_name)) == NULL)
			goto nomem;
		(*n)++;
	}
	closedir(d);
	qsort(*list, *n, sizeof(**list), migration_cmp);
	for (i = 1; i < *n; i++)
		if ((*list)[i].version == (*list)[i - 1].version) {
			fprintf(stderr,
			    "fascia " PROG ": %s and %s share a "
			    "number\n",
			    (*list)[i - 1].name, (*list)[i].name);
			return 0;
		}
	return 1;
nomem:
	closedir(d);
	fprintf(stderr, "fascia " PROG ": out of memory\n");
	return 0;
}

/*
 * Apply every migration of c->migrations that is not recorded yet.
 * Returns 1, or 0 after printing what failed; a failed file leaves
 * nothing of itself behind, and those before it stay applied.
 */
int
migrate_run(const struct conf *c)
{
	struct migration *list;
	PGconn *conn = NULL;
	size_t n, i;
	int ok = 0;

	if (!read_dir(c->migrations, &list, &n))
		goto out;
	if ((conn = cli_db_connect(
		 c->owner_database[0] != '\0' ? c->owner_database : c->database,
		 PROG, NULL)) == NULL)
		goto out;
	if (!run(conn, "SET client_min_messages = warning", 0, NULL, "settings",
		NULL) ||
	    !run(conn,
		"CREATE TABLE IF NOT EXISTS schema_migrations ("
		"version integer PRIMARY KEY, name text NOT NULL, "
		"applied_at timestamptz NOT NULL DEFAULT now())",
		0, NULL, "create table", NULL))
		goto out;
	for (i = 0; i < n; i++)
		if (!apply(conn, c->migrations, &list[i]))
			goto out;
	ok = c->owner_database[0] == '\0' || grant_serving_role(conn, c);
out:
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	if (conn != NULL)
		PQfinish(conn);
	return ok;
}
