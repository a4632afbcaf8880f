/*
 * cli_dispatch.c: the subcommands of `fascia post`, `author` and
 * `comments`.
 *
 * Each command is a table of subcommands.  The dispatcher finds the one
 * named, checks its arguments (their number, then whatever its own check
 * looks at), and only then connects to the database, so that a usage
 * error is reported as one (exit 2) even when the database is down.  The
 * subcommand runs on the connection, which is closed after it; a listing
 * whose output could not be written (a full disk, a closed pipe) fails.
 * After a subcommand that writes, the page cache begins a new generation
 * at once (keeper.c), so that the site shows the change on the very next
 * request.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_db.h"
#include "cli_dispatch.h"
#include "keeper.h"

static const struct cli_sub *
find(const struct cli_group *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nsubs; i++)
		if (strcmp(g->subs[i].name, name) == 0)
			return &g->subs[i];
	return NULL;
}

/* Are the n arguments of s right?  EXIT_SUCCESS, else the exit status. */
static int
check_args(const struct cli_group *g, const struct cli_sub *s, int n,
    char **args)
{
	if (n < s->min_args ||
	    (s->max_args != CLI_ANY_ARGS && n > s->max_args)) {
		fputs(g->help, stderr);
		return EXIT_USAGE;
	}
	return s->check != NULL ? s->check(s->name, n, args) : EXIT_SUCCESS;
}

/*
 * Run `fascia PROG ARGS` for the command g: argv[0] names the
 * subcommand.  Returns the process's exit status: EXIT_SUCCESS,
 * EXIT_FAILURE when something failed, EXIT_USAGE for a usage error.
 */
int
cli_dispatch(const struct cli_group *g, const struct conf *c, int argc,
    char **argv)
{
	const struct cli_sub *s;
	struct cli_call x;
	int rc;

	if (argc < 1 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0) {
		fputs(g->help, argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_SUCCESS;
	}
	if ((s = find(g, argv[0])) == NULL) {
		fprintf(stderr, "fascia %s: unknown command \"%s\"\n%s",
		    g->prog, argv[0], g->help);
		return EXIT_USAGE;
	}
	if ((rc = check_args(g, s, argc - 1, argv + 1)) != EXIT_SUCCESS)
		return rc;
	if ((x.conn = cli_db_open(c, g->prog)) == NULL)
		return EXIT_FAILURE;
	x.conf = c;
	x.name = s->name;
	x.argc = argc - 1;
	x.argv = argv + 1;
	rc = s->run(&x);
	/* Even a failed run may have committed some of its work. */
	if (s->writes)
		(void)keeper_changed(x.conn, c->page_cache_dir);
	PQfinish(x.conn);
	/* printf and putchar set stdout's error flag when a write fails. */
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == EXIT_SUCCESS) {
		fprintf(stderr, "fascia %s: standard output: %s\n", g->prog,
		    strerror(errno));
		rc = EXIT_FAILURE;
	}
	return rc;
}
