/*
 * cli_batch.h: the commands that take files (`post import`, `author
 * add|edit`): every file checked first, then all of them written in one
 * transaction, or none.
 */
#ifndef FASCIA_CLI_BATCH_H
#define FASCIA_CLI_BATCH_H

#include <stddef.h>

#include <libpq-fe.h>

enum cli_write {
	CLI_WRITTEN,
	CLI_WRITE_DBERR, /* the database refused it */
	CLI_WRITE_NOMEM	 /* out of memory */
};

struct cli_batch {
	const char *prog;    /* messages say "fascia PROG: ..." */
	const char *nothing; /* "nothing was imported" */
	char **paths;	     /* the files, n of them */
	size_t n;
	/*
	 * Read and check every file, each bad one reported as it is
	 * found.  Returns how many are bad, or -1 when the database failed.
	 */
	int (*check)(PGconn *conn, void *arg);
	/* Write file i and say so. */
	enum cli_write (*write)(PGconn *conn, void *arg, size_t i);
	void *arg;
};

int cli_batch_run(PGconn *conn, const struct cli_batch *b);

#endif
