/*
 * cli_comments.c: `fascia comments`, the site owner's moderation desk.
 *
 * list shows comments; approve, spam and trash change their status;
 * delete removes them for good; forget removes every comment made with an
 * email address, found through its keyed hash (the address itself was
 * never stored).  Replies to a removed comment are kept and move up to
 * the nearest comment that stays.  Each command is one transaction, and
 * the site shows the change on its next page view.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "buf.h"
#include "cli_comments.h"
#include "cli_db.h"
#include "cli_dispatch.h"
#include "cli_table.h"
#include "keys.h"
#include "pg_literal.h"
#include "secret.h"
#include "text.h"

const char cli_comments_help[] =
    "usage: fascia [-c FILE] comments list [--status pending|approved|spam|"
    "trash] [--post SLUG]\n"
    "       fascia [-c FILE] comments approve|spam|trash|delete ID...\n"
    "       fascia [-c FILE] comments forget EMAIL\n\n"
    "list     comments, newest first: id, post, name, date, status and the\n"
    "         first line of the text (default: all but spam and trash)\n"
    "approve  show the comments on the site\n"
    "spam     mark them as spam (hidden)\n"
    "trash    move them to the trash (hidden)\n"
    "delete   remove them for good; their replies stay\n"
    "forget   remove every comment made with EMAIL (the right to erasure)\n";

#define ID_DIGITS_MAX 18 /* a bigint, with room to spare */

/* Re-parent the replies of the comments in $1, then delete those. */
static const char reparent_sql[] =
    "WITH RECURSIVE gone AS (SELECT unnest($1::bigint[]) AS id), "
    "up(id, anc) AS ("
    " SELECT c.id, p.parent_id FROM comments c JOIN comments p"
    " ON p.id = c.parent_id WHERE p.id IN (SELECT id FROM gone)"
    " AND c.id NOT IN (SELECT id FROM gone)"
    " UNION ALL"
    " SELECT up.id, p.parent_id FROM up JOIN comments p ON p.id = up.anc"
    " WHERE p.id IN (SELECT id FROM gone)) "
    "UPDATE comments c SET parent_id = u.anc FROM up u WHERE c.id = u.id"
    " AND (u.anc IS NULL OR u.anc NOT IN (SELECT id FROM gone))";

/* comments list: its parameters, its columns, and how they are shown. */
enum list_param { LP_STATUS, LP_POST, LP__MAX };
enum list_col { CL_ID, CL_POST, CL_NAME, CL_DATE, CL_STATUS, CL_TEXT, CL__MAX };

static const struct cli_column list_cols[CL__MAX] = {
	[CL_ID] = { "ID", 0, 6, 0, CLI_LEFT },
	[CL_POST] = { "POST", 1, 28, 25, CLI_LEFT },
	[CL_NAME] = { "NAME", 1, 20, 17, CLI_LEFT },
	[CL_DATE] = { "DATE", 1, 16, 0, CLI_LEFT },
	[CL_STATUS] = { "STATUS", 1, 8, 0, CLI_LEFT },
	[CL_TEXT] = { "TEXT", 1, 0, 60, CLI_LEFT },
};

static const struct cli_listing listing = {
	"SELECT c.id, p.slug, c.author_name, "
	"to_char(c.created_at, 'YYYY-MM-DD HH24:MI'), c.status, c.body "
	"FROM comments c JOIN posts p ON p.id = c.post_id "
	"WHERE ($1::comment_status IS NULL AND c.status IN "
	"('pending', 'approved') OR c.status = $1::comment_status) "
	"AND ($2::text IS NULL OR p.slug = $2) "
	"ORDER BY c.created_at DESC, c.id DESC",
	list_cols, CL__MAX, "comments", "list"
};

static const char *const statuses[] = { "pending", "approved", "spam", "trash",
	NULL };

/*
 * Read the options of list into params.  Returns EXIT_SUCCESS, or
 * EXIT_USAGE after saying what is wrong.
 */
static int
list_args(int argc, char **argv, const char *params[LP__MAX])
{
	int i;

	params[LP_STATUS] = params[LP_POST] = NULL;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
			params[LP_STATUS] = argv[++i];
		else if (strcmp(argv[i], "--post") == 0 && i + 1 < argc)
			params[LP_POST] = argv[++i];
		else {
			fputs(cli_comments_help, stderr);
			return EXIT_USAGE;
		}
	}
	if (params[LP_STATUS] == NULL)
		return EXIT_SUCCESS;
	for (i = 0; statuses[i] != NULL; i++)
		if (strcmp(params[LP_STATUS], statuses[i]) == 0)
			return EXIT_SUCCESS;
	fprintf(stderr, "fascia comments: unknown status \"%s\"\n",
	    params[LP_STATUS]);
	return EXIT_USAGE;
}

static int
list_check(const char *name, int argc, char **argv)
{
	const char *params[LP__MAX];

	(void)name;
	return list_args(argc, argv, params);
}

/* comments list [--status STATUS] [--post SLUG] */
static int
cmd_list(const struct cli_call *x)
{
	const char *params[LP__MAX];
	int rc;

	if ((rc = list_args(x->argc, x->argv, params)) != EXIT_SUCCESS)
		return rc;
	return cli_table_list(x->conn, &listing, LP__MAX, params);
}

/* Are the arguments comment ids, one at least? */
static int
ids_check(const char *verb, int argc, char **argv)
{
	size_t n;
	int i;

	for (i = 0; i < argc; i++)
		if ((n = text_digits(argv[i])) == 0 || n > ID_DIGITS_MAX)
			break;
	if (argc > 0 && i == argc)
		return EXIT_SUCCESS;
	fprintf(stderr,
	    "fascia comments %s: expected one or more comment ids "
	    "(numbers)\n",
	    verb);
	return EXIT_USAGE;
}

/*
 * The array literal of the ID arguments (checked by ids_check), malloc'd
 * (the caller frees it), or NULL when out of memory.
 */
static char *
id_array(int argc, char **argv)
{
	struct buf b;

	buf_init(&b, SIZE_MAX / 2);
	if (!pg_array(&b, (const char *const *)argv, (size_t)argc)) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* Remove the comments in the id array ids, keeping their replies. */
static int
remove_ids(PGconn *conn, const char *ids, long *removed)
{
	const char *params[1] = { ids };
	PGresult *res;

	if (!cli_db_exec(conn, reparent_sql, 1, params, NULL) ||
	    !cli_db_exec(conn,
		"DELETE FROM comments "
		"WHERE id = ANY($1::bigint[])",
		1, params, &res))
		return 0;
	*removed = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 1;
}

/* comments approve|spam|trash|delete ID... */
static int
cmd_change(const struct cli_call *x)
{
	PGconn *conn = x->conn;
	const char *verb = x->name, *params[2];
	PGresult *res = NULL;
	char *ids;
	long n = 0;
	int argc = x->argc, rc = EXIT_FAILURE;

	if ((ids = id_array(argc, x->argv)) == NULL) {
		fprintf(stderr, "fascia comments %s: out of memory\n", verb);
		return EXIT_FAILURE;
	}
	params[0] = ids;
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL))
		goto out_fail;
	if (strcmp(verb, "delete") == 0) {
		if (!remove_ids(conn, ids, &n))
			goto out_fail;
	} else {
		params[1] = strcmp(verb, "approve") == 0 ? "approved" : verb;
		if (!cli_db_exec(conn,
			"UPDATE comments SET status = "
			"$2::comment_status WHERE id = ANY($1::bigint[])",
			2, params, &res))
			goto out_fail;
		n = strtol(PQcmdTuples(res), NULL, 10);
		PQclear(res);
	}
	if (!cli_db_exec(conn, "COMMIT", 0, NULL, NULL))
		goto out_fail;
	printf("%s: %ld of %d comment%s\n", verb, n, argc,
	    argc == 1 ? "" : "s");
	if (n != argc)
		fprintf(stderr, "fascia comments %s: %ld id%s not found\n",
		    verb, argc - n, argc - n == 1 ? "" : "s");
	rc = n == argc ? EXIT_SUCCESS : EXIT_FAILURE;
	goto out;
out_fail:
	cli_db_fail(conn, "comments", verb);
out:
	free(ids);
	return rc;
}

/* The ids of the comments made with an address, as an array literal. */
enum forget_col { FORGET_COL_IDS };

static const char forget_sql[] =
    "SELECT coalesce(array_agg(id), '{}')::text FROM comments "
    "WHERE email_hash = $1";

/*
 * An address to forget?  A blank one, or one too long to be anybody's,
 * would hash as the empty address and take every comment stored without
 * one (WordPress imports) with it.
 */
static int
forget_check(const char *verb, int argc, char **argv)
{
	(void)argc;
	if (email_hashable(argv[0]))
		return EXIT_SUCCESS;
	fprintf(stderr,
	    "fascia comments %s: expected the email address whose comments "
	    "to remove, not a blank or over-long one; nothing removed\n",
	    verb);
	return EXIT_USAGE;
}

/* comments forget EMAIL */
static int
cmd_forget(const struct cli_call *x)
{
	PGconn *conn = x->conn;
	unsigned char secret[SECRET_KEY_BYTES], hash[HASH_BYTES];
	char hex[PG_BYTEA_HEX_SIZE(HASH_BYTES)];
	const char *params[1] = { hex };
	struct keys keys;
	PGresult *res;
	long n = 0;
	int ok;

	if (sodium_init() < 0 || !secret_load(x->conf->secret_key_file, secret))
		return EXIT_FAILURE;
	ok = keys_derive(&keys, secret);
	sodium_memzero(secret, sizeof(secret));
	if (!ok)
		return EXIT_FAILURE;
	email_hash(&keys, x->argv[0], hash);
	keys_wipe(&keys);
	pg_bytea_hex(hex, hash, sizeof(hash));
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL) ||
	    !cli_db_exec(conn, forget_sql, 1, params, &res)) {
		cli_db_fail(conn, "comments", "forget");
		return EXIT_FAILURE;
	}
	params[0] = PQgetvalue(res, 0, FORGET_COL_IDS);
	ok = remove_ids(conn, params[0], &n) &&
	    cli_db_exec(conn, "COMMIT", 0, NULL, NULL);
	PQclear(res);
	if (!ok) {
		cli_db_fail(conn, "comments", "forget");
		return EXIT_FAILURE;
	}
	/* Say nothing of the address itself: it may be pasted from a ticket
	 * into a terminal that is logged. */
	printf("forget: %ld comment%s removed\n", n, n == 1 ? "" : "s");
	return EXIT_SUCCESS;
}

static const struct cli_sub subs[] = {
	{ "list", 0, CLI_ANY_ARGS, list_check, cmd_list, CLI_READS },
	{ "approve", 0, CLI_ANY_ARGS, ids_check, cmd_change, CLI_WRITES },
	{ "spam", 0, CLI_ANY_ARGS, ids_check, cmd_change, CLI_WRITES },
	{ "trash", 0, CLI_ANY_ARGS, ids_check, cmd_change, CLI_WRITES },
	{ "delete", 0, CLI_ANY_ARGS, ids_check, cmd_change, CLI_WRITES },
	{ "forget", 1, 1, forget_check, cmd_forget, CLI_WRITES },
};

static const struct cli_group comments_command = { "comments",
	cli_comments_help, subs, sizeof(subs) / sizeof(subs[0]) };

/*
 * Run `fascia comments ARGS`.  Returns the process's exit status:
 * EXIT_SUCCESS, EXIT_FAILURE when something failed or an id was not
 * found, EXIT_USAGE for a usage error.
 */
int
cli_comments(const struct conf *c, int argc, char **argv)
{
	return cli_dispatch(&comments_command, c, argc, argv);
}
