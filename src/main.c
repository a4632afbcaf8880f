/*
 * main.c: the `fascia` command: global options, then one subcommand.
 *
 * Every subcommand's entry point returns the process's exit status:
 * EXIT_SUCCESS, EXIT_FAILURE when something failed, EXIT_USAGE for a
 * usage error.  The functions they call return 1 when they worked and 0
 * when not (or an enum of outcomes), and main.c turns that into a status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_author.h"
#include "cli_comments.h"
#include "cli_dispatch.h"
#include "cli_post.h"
#include "cli_wordpress.h"
#include "conf.h"
#include "log.h"
#include "migrate.h"
#include "secret.h"
#include "serve_check.h"
#include "server.h"

/*
 * A subcommand either takes no arguments and is given the config's path
 * (serve, which loads and reloads the config itself), or is given the
 * loaded config and its own arguments.
 */
struct command {
	const char *name;
	const char *summary;
	const char *help;
	int (*run)(const char *conf_path, int argc, char **argv);
	int (*cli)(const struct conf *c, int argc, char **argv);
	int takes_args;
};

static const char serve_help[] =
    "usage: fascia [-c FILE] serve [-t]\n\n"
    "Run the FastCGI server in the foreground: a master process that\n"
    "listens where the config's `listen` key says and keeps `workers`\n"
    "worker processes.  SIGTERM or SIGINT stops it once requests in\n"
    "flight are answered; SIGHUP reloads the config and templates.\n\n"
    "  -t   check the config, the templates, the secret key file, the\n"
    "       database connection and the schema version, say what was\n"
    "       checked, and exit 0, or 1 with the reason, without serving\n";

/*
 * Run `fascia serve [-t]`.  Returns the process's exit status.
 */
static int
cmd_serve(const char *conf_path, int argc, char **argv)
{
	if (argc == 0)
		return server_run(conf_path);
	if (argc == 1 && strcmp(argv[0], "-t") == 0)
		return serve_check(conf_path);
	fprintf(stderr, "fascia serve: unexpected argument \"%s\"\n%s", argv[0],
	    serve_help);
	return EXIT_USAGE;
}

/*
 * Run `fascia migrate`.  Returns the process's exit status.
 */
static int
cmd_migrate(const struct conf *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return migrate_run(c) ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * Run `fascia keygen`.  Returns the process's exit status.
 */
static int
cmd_keygen(const struct conf *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return secret_create(c->secret_key_file) ? EXIT_SUCCESS : EXIT_FAILURE;
}

static const struct command commands[] = {
	{ "serve", "run the FastCGI server (-t: check, do not serve)",
	    serve_help, cmd_serve, NULL, 1 },
	{ "migrate", "bring the database schema up to date",
	    "usage: fascia [-c FILE] migrate\n\n"
	    "Apply, in order, each file of the migrations directory that the\n"
	    "database has not recorded yet, each in its own transaction.\n"
	    "Running it again does nothing.\n",
	    NULL, cmd_migrate, 0 },
	{ "keygen", "create the secret key file",
	    "usage: fascia [-c FILE] keygen\n\n"
	    "Create the secret key file named by `secret_key_file` (32 random\n"
	    "bytes, mode 0600) unless it exists.  The key keys the hashes of\n"
	    "commenters' email addresses: keep it, and back it up.\n",
	    NULL, cmd_keygen, 0 },
	{ "comments", "list and moderate comments", cli_comments_help, NULL,
	    cli_comments, 1 },
	{ "post", "import, list and publish posts", cli_post_help, NULL,
	    cli_post, 1 },
	{ "author", "add, edit and list authors", cli_author_help, NULL,
	    cli_author, 1 },
	{ "import-wordpress", "import a WordPress export (WXR)",
	    cli_wordpress_help, NULL, cli_wordpress, 1 },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))
#define NAME_WIDTH 17 /* the command names' column in the usage */

/* The list of commands and options, to out. */
static void
usage(FILE *out)
{
	size_t i;

	fprintf(out,
	    "usage: fascia [-c FILE] COMMAND [ARGS]\n\n"
	    "fascia serves a blog to nginx over FastCGI from PostgreSQL.\n\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-*s %s\n", NAME_WIDTH, commands[i].name,
		    commands[i].summary);
	fprintf(out,
	    "\nOptions:\n"
	    "  -c FILE    the config file (default: $FASCIA_CONFIG, else\n"
	    "             var/dev/fascia.conf when run in a source tree, else\n"
	    "             " SYSCONFDIR "/fascia/fascia.conf)\n"
	    "  -h, --help this help; `fascia COMMAND --help` for a "
	    "command's\n");
}

/*
 * Run the subcommand cmd with its arguments, loading the config at
 * conf_path for those that take it.  Returns the exit status.
 */
static int
run_command(const struct command *cmd, const char *conf_path, int argc,
    char **argv)
{
	struct conf *c;
	int j, rc;

	for (j = 0; j < argc; j++)
		if (strcmp(argv[j], "-h") == 0 ||
		    strcmp(argv[j], "--help") == 0) {
			fputs(cmd->help, stdout);
			return EXIT_SUCCESS;
		}
	if (argc > 0 && !cmd->takes_args) {
		fprintf(stderr, "fascia %s: unexpected argument \"%s\"\n%s",
		    cmd->name, argv[0], cmd->help);
		return EXIT_USAGE;
	}
	if (cmd->run != NULL)
		return cmd->run(conf_path, argc, argv);
	if ((c = conf_load(conf_path)) == NULL)
		return EXIT_FAILURE;
	rc = cmd->cli(c, argc, argv);
	conf_free(c);
	return rc;
}

/*
 * `fascia [-c FILE] COMMAND [ARGS]`: find the config and run the command.
 * Returns the process's exit status.
 */
int
main(int argc, char **argv)
{
	const char *conf_path = NULL;
	size_t i;
	int a = 1;

	log_setup("fascia");
	while (a < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "-c") == 0 && a + 1 < argc) {
			conf_path = argv[a + 1];
			a += 2;
		} else if (strcmp(argv[a], "-h") == 0 ||
		    strcmp(argv[a], "--help") == 0) {
			usage(stdout);
			return EXIT_SUCCESS;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (a >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (conf_path == NULL)
		conf_path = conf_default_path();
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[a], commands[i].name) == 0)
			return run_command(&commands[i], conf_path,
			    argc - a - 1, argv + a + 1);
	fprintf(stderr, "fascia: unknown command \"%s\"\n", argv[a]);
	usage(stderr);
	return EXIT_USAGE;
}
