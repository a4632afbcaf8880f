/*
 * cli_table.h: the listings of the authoring commands, a header and a
 * line a row, laid out by column specs.
 */
#ifndef FASCIA_CLI_TABLE_H
#define FASCIA_CLI_TABLE_H

#include <libpq-fe.h>

enum cli_align { CLI_LEFT, CLI_RIGHT };

/* How one column of a result is shown. */
struct cli_column {
	const char *head;	/* its header */
	int gap;		/* spaces before it */
	int width;		/* padded to this many characters (0: none) */
	int max;		/* at most this many, "..." after a cut one
				 * (0: all of it) */
	enum cli_align align;
};

void cli_table_print(const PGresult *res, const struct cli_column *cols,
    int ncols);

#endif
