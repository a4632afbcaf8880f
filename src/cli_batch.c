/*
 * cli_batch.c: the commands that take files (`post import`, `author
 * add|edit`).
 *
 * A run is one transaction.  Every file is read and checked first, all
 * of them, so that one run reports every problem (as FILE:LINE: message)
 * instead of the first; if any file is bad, nothing is written.  Then each
 * file is written in turn, and the transaction commits only when all of
 * them were: a run imports every file or none, and an error part-way
 * leaves the blog as it was.  What a file holds and how it is checked and
 * written is the command's business, through the callbacks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli_batch.h"
#include "cli_db.h"
#include "cli_dispatch.h"

#define WHAT_MAX 4096 /* "FILE: nothing was imported" */

/*
 * Check and write the files of b in one transaction on conn.  Returns the
 * command's exit status: EXIT_SUCCESS when every file was written and the
 * transaction committed, else EXIT_FAILURE after saying why (the
 * transaction is then rolled back).
 */
int
cli_batch_run(PGconn *conn, const struct cli_batch *b)
{
	char what[WHAT_MAX];
	size_t i;
	int bad, rc = EXIT_FAILURE;
	enum cli_write w;

	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL) ||
	    (bad = b->check(conn, b->arg)) < 0) {
		cli_db_fail(conn, b->prog, "checking the files");
		goto out;
	}
	if (bad > 0) {
		fprintf(stderr, "fascia %s: %d of %zu file%s %s bad: %s\n",
		    b->prog, bad, b->n, b->n == 1 ? "" : "s",
		    bad == 1 ? "is" : "are", b->nothing);
		goto out;
	}
	for (i = 0; i < b->n; i++) {
		if ((w = b->write(conn, b->arg, i)) == CLI_WRITTEN)
			continue;
		if (w == CLI_WRITE_NOMEM)
			fprintf(stderr, "fascia %s: out of memory\n", b->prog);
		else {
			(void)snprintf(what, sizeof(what), "%s: %s",
			    b->paths[i], b->nothing);
			cli_db_fail(conn, b->prog, what);
		}
		goto out;
	}
	if (!cli_db_exec(conn, "COMMIT", 0, NULL, NULL)) {
		cli_db_fail(conn, b->prog, b->nothing);
		goto out;
	}
	rc = EXIT_SUCCESS;
out:
	if (rc != EXIT_SUCCESS)
		(void)cli_db_rollback(conn);
	return rc;
}
