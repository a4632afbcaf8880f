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
 * Show s as a cell of at most max characters (0: no limit) on out, or
 * only count them when out is NULL.  Returns how many characters it
 * takes.
 */
static int
cell(FILE *out, const char *s, int max)
{
	int n = 0;

	for (; *s != '\0' && *s != '\n' && *s != '\r'; s++) {
		/* UTF-8 continuation bytes do not start a character. */
		if (((unsigned char)*s & 0xc0) != 0x80) {
			if (max > 0 && n == max) {
				if (out != NULL)
					fputs(ELLIPSIS, out);
				n += ELLIPSIS_LEN;
				break;
			}
			n++;
		}
		/* A control character could drive the terminal. */
		if (out != NULL)
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s,
			    out);
	}
	return n;
}

static void
spaces(FILE *out, int n)
{
	for (; n > 0; n--)
		fputc(' ', out);
}

/* The cell s in column c, with the gap before it. */
static void
column(FILE *out, const struct cli_column *c, const char *s)
{
	spaces(out, c->gap);
	if (c->align == CLI_RIGHT) {
		spaces(out, c->width - cell(NULL, s, c->max));
		(void)cell(out, s, c->max);
	} else
		spaces(out, c->width - cell(out, s, c->max));
}

/*
 * Print the rows of res on out under a header, column i of res as cols[i]
 * says, for the ncols columns.  A failed write is left in out's error
 * flag for the caller to find.
 */
void
cli_table_print(FILE *out, const PGresult *res, const struct cli_column *cols,
    int ncols)
{
	int i, j;

	for (j = 0; j < ncols; j++)
		column(out, &cols[j], cols[j].head);
	fputc('\n', out);
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < ncols; j++)
			column(out, &cols[j], PQgetvalue(res, i, j));
		fputc('\n', out);
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
	cli_table_print(stdout, res, l->cols, l->ncols);
	PQclear(res);
	return EXIT_SUCCESS;
}
