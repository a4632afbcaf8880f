/*
 * cli_dispatch.h: the subcommands of `fascia post`, `author` and
 * `comments`, found in a table, their arguments checked, then run on a
 * database connection.
 */
#ifndef FASCIA_CLI_DISPATCH_H
#define FASCIA_CLI_DISPATCH_H

#include <stddef.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "conf.h"

/* Exit statuses: EXIT_SUCCESS, EXIT_FAILURE, and this for a usage error. */
#define EXIT_USAGE 2

#define CLI_ANY_ARGS (-1) /* as max_args: no limit */

/* What a subcommand is run with. */
struct cli_call {
	PGconn *conn;
	const struct conf *conf;
	const char *name; /* the subcommand's */
	int argc;	  /* its arguments, after its name */
	char **argv;
};

struct cli_sub {
	const char *name;
	int min_args, max_args; /* how many arguments follow the name */
	/*
	 * NULL, or a closer look at the arguments, before connecting:
	 * returns EXIT_SUCCESS when they are right, else the exit status
	 * after saying why.
	 */
	int (*check)(const char *name, int argc, char **argv);
	/* Run it; returns the exit status. */
	int (*run)(const struct cli_call *x);
	int writes; /* CLI_WRITES: it may change what readers see */
};

enum { CLI_READS, CLI_WRITES };

struct cli_group {
	const char *prog; /* "post": messages say "fascia post: ..." */
	const char *help;
	const struct cli_sub *subs;
	size_t nsubs;
};

int cli_dispatch(const struct cli_group *g, const struct conf *c, int argc,
    char **argv);

#endif
