/*
 * test_cli_table.c: the listings' layout (cli_table.c) on results made
 * without a database: widths in characters, right-aligned columns, cells
 * cut with "...", control characters shown as '?' and only a cell's first
 * line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "cli_table.h"

#define NCOLS 3
#define TEXT_OID 25

/* A result of rows of NCOLS text columns (the caller PQclears it). */
static PGresult *
result(const char *const rows[][NCOLS], int nrows)
{
	PGresAttDesc attrs[NCOLS];
	static char *const names[NCOLS] = { "a", "b", "c" };
	PGresult *res;
	int i, j;

	memset(attrs, 0, sizeof(attrs));
	for (j = 0; j < NCOLS; j++) {
		attrs[j].name = names[j];
		attrs[j].typid = TEXT_OID;
		attrs[j].typlen = -1;
		attrs[j].atttypmod = -1;
	}
	assert_non_null(res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK));
	assert_true(PQsetResultAttrs(res, NCOLS, attrs));
	for (i = 0; i < nrows; i++)
		for (j = 0; j < NCOLS; j++)
			assert_true(
			    PQsetvalue(res, i, j, (char *)(uintptr_t)rows[i][j],
				(int)strlen(rows[i][j])));
	return res;
}

/* The listing of res as text (the caller frees it). */
static char *
listing(const PGresult *res, const struct cli_column *cols)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(f = open_memstream(&text, &len));
	cli_table_print(f, res, cols, NCOLS);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
test_layout(void **state)
{
	static const struct cli_column cols[NCOLS] = {
		{ "SLUG", 0, 8, 0, CLI_LEFT },
		{ "N", 1, 4, 0, CLI_RIGHT },
		{ "NAME", 2, 0, 0, CLI_LEFT },
	};
	static const char *const rows[][NCOLS] = {
		{ "a", "12", "Ann" },
		{ "caf\xc3\xa9", "3", "Zo\xc3\xab" },
		{ "much-too-long", "12345", "x" },
	};
	PGresult *res = result(rows, 3);
	char *text = listing(res, cols);

	(void)state;
	assert_string_equal(text,
	    "SLUG        N  NAME\n"
	    "a          12  Ann\n"
	    "caf\xc3\xa9        3  Zo\xc3\xab\n"
	    "much-too-long 12345  x\n");
	free(text);
	PQclear(res);
}

static void
test_cells(void **state)
{
	static const struct cli_column cols[NCOLS] = {
		{ "ID", 0, 3, 0, CLI_LEFT },
		{ "WHO", 1, 6, 3, CLI_LEFT },
		{ "TEXT", 1, 0, 5, CLI_LEFT },
	};
	static const char *const rows[][NCOLS] = {
		{ "1", "abcdef", "first line\nsecond" },
		{ "2", "a\x1b[2Jb", "tab\there" },
		{ "3", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "12345" },
	};
	PGresult *res = result(rows, 3);
	char *text = listing(res, cols);

	(void)state;
	assert_string_equal(text,
	    "ID  WHO    TEXT\n"
	    "1   abc... first...\n"
	    "2   a?[... tab?h...\n"
	    "3   \xc3\xa9\xc3\xa9\xc3\xa9... 12345\n");
	free(text);
	PQclear(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_cells),
	};

	return cmocka_run_group_tests_name("cli_table", tests, NULL, NULL);
}
