/*
 * main.c: the `fascia` command and its subcommands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_author.h"
#include "cli_comments.h"
#include "cli_post.h"
#include "cli_wordpress.h"
#include "conf.h"
#include "log.h"
#include "migrate.h"
#include "secret.h"
#include "server.h"

struct command {
	const char *name;
	const char *summary;
	const char *help;
	int (*run)(const char *conf_path, int argc, char **argv);
};

static int
cmd_serve(const char *conf_path, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return server_run(conf_path);
}

static int
cmd_migrate(const char *conf_path, int argc, char **argv)
{
	struct conf *c;
	int rc;

	(void)argc;
	(void)argv;
	if ((c = conf_load(conf_path)) == NULL)
		return 1;
	rc = migrate_run(c);
	conf_free(c);
	return rc;
}

static int
cmd_keygen(const char *conf_path, int argc, char **argv)
{
	struct conf *c;
	int rc;

	(void)argc;
	(void)argv;
	if ((c = conf_load(conf_path)) == NULL)
		return 1;
	rc = secret_create(c->secret_key_file);
	conf_free(c);
	return rc;
}

static int
cmd_comments(const char *conf_path, int argc, char **argv)
{
	struct conf *c;
	int rc;

	if ((c = conf_load(conf_path)) == NULL)
		return 1;
	rc = cli_comments(c, argc, argv);
	conf_free(c);
	return rc;
}

static int
cmd_post(const char *conf_path, int argc, char **argv)
{
	struct conf *c;
	int rc;

	if ((c = conf_load(conf_path)) == NULL)
		return 1;
	rc = cli_post(c, argc, argv);
	conf_free(c);
	return rc;
}

static int
cmd_author(const char *conf_path, int argc, char **argv)
{
	struct conf *c;
	int rc;

	if ((c = conf_load(conf_path)) == NULL)
		return 1;
	rc = cli_author(c, argc, argv);
	conf_free(c);
	return rc;
}

static int
cmd_import_wordpress(const char *conf_path, int argc, char **argv)
{
	struct conf *c;
	int rc;

	if ((c = conf_load(conf_path)) == NULL)
		return 1;
	rc = cli_wordpress(c, argc, argv);
	conf_free(c);
	return rc;
}

static const struct command commands[] = {
	{ "serve", "run the FastCGI server",
	    "usage: fascia [-c FILE] serve\n\n"
	    "Run the FastCGI server in the foreground: a master process that\n"
	    "listens where the config's `listen` key says and keeps `workers`\n"
	    "worker processes.  SIGTERM or SIGINT stops it once requests in\n"
	    "flight are answered; SIGHUP reloads the config and templates.\n",
	    cmd_serve },
	{ "migrate", "bring the database schema up to date",
	    "usage: fascia [-c FILE] migrate\n\n"
	    "Apply, in order, each file of the migrations directory that the\n"
	    "database has not recorded yet, each in its own transaction.\n"
	    "Running it again does nothing.\n",
	    cmd_migrate },
	{ "keygen", "create the secret key file",
	    "usage: fascia [-c FILE] keygen\n\n"
	    "Create the secret key file named by `secret_key_file` (32 random\n"
	    "bytes, mode 0600) unless it exists.  The key keys the hashes of\n"
	    "commenters' email addresses: keep it, and back it up.\n",
	    cmd_keygen },
	{ "comments", "list and moderate comments", cli_comments_help,
	    cmd_comments },
	{ "post", "import, list and publish posts", cli_post_help, cmd_post },
	{ "author", "add, edit and list authors", cli_author_help,
	    cmd_author },
	{ "import-wordpress", "import a WordPress export (WXR)",
	    cli_wordpress_help, cmd_import_wordpress },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: fascia [-c FILE] COMMAND [ARGS]\n\n"
	    "fascia serves a blog to nginx over FastCGI from PostgreSQL.\n\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(out, "\nOptions:\n"
	    "  -c FILE    the config file (default: $FASCIA_CONFIG, else\n"
	    "             var/dev/fascia.conf when run in a source tree, else\n"
	    "             " SYSCONFDIR "/fascia/fascia.conf)\n"
	    "  -h, --help this help; `fascia COMMAND --help` for a command's\n");
}

int
main(int argc, char **argv)
{
	const char *conf_path = NULL;
	size_t i;
	int a = 1, j;

	log_setup("fascia");
	while (a < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "-c") == 0 && a + 1 < argc) {
			conf_path = argv[a + 1];
			a += 2;
		} else if (strcmp(argv[a], "-h") == 0 ||
		    strcmp(argv[a], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (a >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[a], commands[i].name) != 0)
			continue;
		for (j = a + 1; j < argc && commands[i].run != cmd_comments &&
		    commands[i].run != cmd_post && commands[i].run != cmd_author &&
		    commands[i].run != cmd_import_wordpress;
		    j++) {
			if (strcmp(argv[j], "-h") == 0 ||
			    strcmp(argv[j], "--help") == 0) {
				fputs(commands[i].help, stdout);
				return 0;
			}
			if (strcmp(argv[j], "-c") == 0 && j + 1 < argc &&
			    conf_path == NULL) {
				conf_path = argv[j + 1];
				j++;
				continue;
			}
			fprintf(stderr, "fascia %s: unexpected argument "
			    "\"%s\"\n%s", commands[i].name, argv[j],
			    commands[i].help);
			return 2;
		}
		if (conf_path == NULL)
			conf_path = conf_default_path();
		return commands[i].run(conf_path, argc - a - 1, argv + a + 1);
	}
	fprintf(stderr, "fascia: unknown command \"%s\"\n", argv[a]);
	usage(stderr);
	return 2;
}
