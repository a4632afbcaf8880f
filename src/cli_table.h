/*
 * cli_table.h: the listings of the authoring commands, a header and a
 * line a row, laid out by column specs.
 */
#ifndef FASCIA_CLI_TABLE_H
#define FASCIA_CLI_TABLE_H

#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

enum cli_align { CLI_LEFT, CLI_RIGHT };

/* How one column of a result is shown. */
struct cli_column {
	const char *head; /* its header */
	int gap;	  /* spaces before it */
	int width;	  /* padded to this many characters (0: none) */
	int max;	  /* at most this many, "..." after a cut one
			   * (0: all of it) */
	enum cli_align align;
};

/* A listing: the statement that selects it, and how its columns look. */
struct cli_listing {
	const char *sql;
	const struct cli_column *cols; /* one a column of the result */
	int ncols;
	const char *prog, *what; /* "fascia PROG: WHAT: <error>" */
};

void cli_table_print(FILE *out, const PGresult *res,
    const struct cli_column *cols, int ncols);
int cli_table_list(PGconn *conn, const struct cli_listing *l, int nparams,
    const char *const *params);

#endif
