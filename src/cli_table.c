/*
 * cli_table.c: the listings of the authoring commands (`post list`,
 * `author list`, `comments list`).
 *
 * Each listing is a header and a line a row, its columns laid out by a
 * table of specs kept next to the SQL that selects them, so that a column
 * added to the SELECT is one line more in the table.  Cells are database
 * text, which may be anything: a cell shows its first line only, with
 * control characters as '?', so that no stray escape sequence reaches the
 * terminal; widths count characters, not bytes, so UTF-8 text lines up.
 */
#include <stdio.h>

#include "cli_db.h"
#include "cli_table.h"

#define ELLIPSIS "..."
#define ELLIPSIS_LEN 3

/*
 * Show s as a cell of at most max characters (0: no limit) on standard
 * output, or only count them when print is 0.  Returns how many
 * characters it takes.
 */
static int
cell(const char *s, int max, int print)
{
	int n = 0;

	for (; *s != '\0' && *s != '\n' && *s != '\r'; s++) {
		/* UTF-8 continuation bytes do not start a character. */
		if (((unsigned char)*s & 0xc0) != 0x80) {
			if (max > 0 && n == max) {
				if (print)
					fputs(ELLIPSIS, stdout);
				n += ELLIPSIS_LEN;
				break;
			}
			n++;
		}
		if (print)
			putchar((unsigned char)*s < 0x20 || *s == 0x7f ?
			    '?' : *s);
	}
	return n;
}

static void
spaces(int n)
{
	for (; n > 0; n--)
		putchar(' ');
}

/* The cell s in column c, with the gap before it. */
static void
column(const struct cli_column *c, const char *s)
{
	spaces(c->gap);
	if (c->align == CLI_RIGHT) {
		spaces(c->width - cell(s, c->max, 0));
		(void)cell(s, c->max, 1);
	} else
		spaces(c->width - cell(s, c->max, 1));
}

/*
 * Print the rows of res on standard output under a header, column i of
 * res as cols[i] says, for the ncols columns.  A failed write is left in
 * stdout's error flag for the caller to find.
 */
void
cli_table_print(const PGresult *res, const struct cli_column *cols,
    int ncols)
{
	int i, j;

	for (j = 0; j < ncols; j++)
		column(&cols[j], cols[j].head);
	putchar('\n');
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < ncols; j++)
			column(&cols[j], PQgetvalue(res, i, j));
		putchar('\n');
	}
}

/*
 * Run the listing l with its nparams text parameters params and print
 * it.  Returns the exit status of a listing command: EXIT_SUCCESS, or
 * EXIT_FAILURE after saying what failed.
 */
int
cli_table_list(PGconn *conn, const struct cli_listing *l, int nparams,
    const char *const *params)
{
	PGresult *res;

	if (!cli_db_exec(conn, l->sql, nparams, params, &res)) {
		cli_db_fail(conn, l->prog, l->what);
		return EXIT_FAILURE;
	}
	cli_table_print(res, l->cols, l->ncols);
	PQclear(res);
	return EXIT_SUCCESS;
}
