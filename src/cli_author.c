/*
 * cli_author.c: `fascia author`, the blog's authors from the command line.
 *
 * An author is a Markdown file: front matter with the name and the slug
 * (the /author/<slug>/ URL and what a post's "author:" names), then the
 * bio, rendered once with cmark and stored with its source.  add creates
 * authors and refuses a slug that exists; edit updates the author with
 * the file's slug and refuses one that does not, so a typo never creates
 * a second author.  As with posts, every file of a run is checked first
 * and all are written in one transaction, or none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cli_author.h"
#include "cli_batch.h"
#include "cli_db.h"
#include "cli_dispatch.h"
#include "cli_table.h"
#include "frontmatter.h"
#include "markdown.h"
#include "slug.h"

const char cli_author_help[] =
    "usage: fascia [-c FILE] author add|edit FILE.md...\n"
    "       fascia [-c FILE] author list\n\n"
    "add   create authors from Markdown files (refused if the slug exists)\n"
    "edit  update the authors with the files' slugs: name and bio\n"
    "list  every author: slug, name, and published and total posts\n\n"
    "An author file:\n\n"
    "  ---\n"
    "  name: Maya Okafor, LMT        (required, as shown on the site)\n"
    "  slug: maya-okafor             (a-z, 0-9 and hyphens; default: made\n"
    "                                 from the name)\n"
    "  ---\n"
    "  The bio, in CommonMark.  Raw HTML is not kept.\n\n"
    "Every file is checked first; if any is bad, nothing is changed.\n";

static const char *const author_keys[] = { "name", "slug", NULL };

struct author_file {
	const char *path;
	struct fm_doc doc;
	const char *name;
	char slug[SLUG_MAX + 1];
	int slug_line;
	char *html; /* owned */
};

/* A run of `author add` or `author edit`. */
struct run {
	struct author_file *files;
	size_t nfiles;
	int add; /* else edit */
};

/* Read and check af->path.  Returns 1, or 0 with e set. */
static int
author_read(struct author_file *af, struct fm_err *e)
{
	const struct fm_field *f;

	if (!fm_load(&af->doc, af->path, author_keys, e))
		return 0;
	f = fm_get(&af->doc, "name");
	if (f == NULL || f->value[0] == '\0') {
		fm_errf(e, f != NULL ? f->line : af->doc.end_line,
		    "missing name: add a \"name:\" line");
		return 0;
	}
	af->name = f->value;
	af->slug_line = f->line;
	if ((f = fm_get(&af->doc, "slug")) != NULL) {
		af->slug_line = f->line;
		if (!slug_valid(f->value)) {
			fm_errf(e, f->line,
			    "bad slug \"%.*s\": use lowercase "
			    "letters a-z, digits and single hyphens (at most "
			    "%d)",
			    FM_QUOTE_MAX, f->value, SLUG_MAX);
			return 0;
		}
		memcpy(af->slug, f->value, strlen(f->value) + 1);
	} else if (!slug_from_text(af->name, af->slug)) {
		fm_errf(e, af->slug_line,
		    "cannot make a slug from the name: "
		    "add a \"slug:\" line");
		return 0;
	}
	if ((af->html = markdown_to_html(af->doc.body, af->doc.body_len)) ==
	    NULL) {
		fm_errf(e, af->doc.end_line + 1,
		    "cmark could not convert "
		    "the Markdown");
		return 0;
	}
	return 1;
}

/*
 * Check every file: readable, unique slugs, and (for add) not yet an
 * author or (for edit) already one.  Returns how many are bad, or -1 on a
 * database error.
 */
static int
author_check(PGconn *conn, void *arg)
{
	struct run *r = arg;
	struct author_file *files = r->files;
	const char *params[1];
	struct fm_err e;
	PGresult *res;
	size_t i, j;
	int bad = 0, exists, add = r->add;

	for (i = 0; i < r->nfiles; i++) {
		if (!author_read(&files[i], &e)) {
			fm_report(files[i].path, &e);
			bad++;
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(files[j].slug, files[i].slug) == 0)
				break;
		if (j < i) {
			fm_errf(&e, files[i].slug_line,
			    "the slug \"%s\" is "
			    "also that of %s",
			    files[i].slug, files[j].path);
			fm_report(files[i].path, &e);
			bad++;
			continue;
		}
		params[0] = files[i].slug;
		if (!cli_db_exec(conn, "SELECT 1 FROM authors WHERE slug = $1",
			1, params, &res))
			return -1;
		exists = PQntuples(res) > 0;
		PQclear(res);
		if (add && exists) {
			fm_errf(&e, files[i].slug_line,
			    "the author \"%s\" "
			    "exists: use `fascia author edit` to change it",
			    files[i].slug);
			fm_report(files[i].path, &e);
			bad++;
		} else if (!add && !exists) {
			fm_errf(&e, files[i].slug_line,
			    "no author has the "
			    "slug \"%s\": use `fascia author add` to create "
			    "one",
			    files[i].slug);
			fm_report(files[i].path, &e);
			bad++;
		}
	}
	return bad;
}

/* The parameters of the statements that write an author. */
enum author_param { AP_SLUG, AP_NAME, AP_BIO_SOURCE, AP_BIO_HTML, AP__MAX };

/* Insert or update the author of file i and say so. */
static enum cli_write
author_write(PGconn *conn, void *arg, size_t i)
{
	struct run *r = arg;
	const struct author_file *af = &r->files[i];
	const char *params[AP__MAX] = { [AP_SLUG] = af->slug,
		[AP_NAME] = af->name,
		[AP_BIO_SOURCE] = af->doc.body,
		[AP_BIO_HTML] = af->html };

	if (!cli_db_exec(conn,
		r->add ?
		    "INSERT INTO authors (slug, name, "
		    "bio_source, bio_html) VALUES ($1, $2, $3, $4)" :
		    "UPDATE authors SET name = $2, bio_source = $3, bio_html "
		    "= $4 "
		    "WHERE slug = $1",
		AP__MAX, params, NULL))
		return CLI_WRITE_DBERR;
	printf("%s %s (%s)\n", r->add ? "added" : "updated", af->slug,
	    af->name);
	return CLI_WRITTEN;
}

/* author add|edit FILE.md...: check every file, then write them all. */
static int
cmd_add_edit(const struct cli_call *x)
{
	struct run r;
	struct cli_batch b = { NULL, "nothing was changed", x->argv,
		(size_t)x->argc, author_check, author_write, &r };
	size_t i;
	int rc;

	r.add = strcmp(x->name, "add") == 0;
	b.prog = r.add ? "author add" : "author edit";
	r.nfiles = (size_t)x->argc;
	if ((r.files = calloc(r.nfiles, sizeof(*r.files))) == NULL) {
		fprintf(stderr, "fascia %s: out of memory\n", b.prog);
		return EXIT_FAILURE;
	}
	for (i = 0; i < r.nfiles; i++)
		r.files[i].path = x->argv[i];
	rc = cli_batch_run(x->conn, &b);
	for (i = 0; i < r.nfiles; i++) {
		fm_free(&r.files[i].doc);
		free(r.files[i].html);
	}
	free(r.files);
	return rc;
}

/* author list: its columns, and how they are shown. */
enum list_col { AL_SLUG, AL_PUBLISHED, AL_POSTS, AL_NAME, AL__MAX };

static const struct cli_column list_cols[AL__MAX] = {
	[AL_SLUG] = { "SLUG", 0, 30, 0, CLI_LEFT },
	[AL_PUBLISHED] = { "PUBLISHED", 1, 9, 0, CLI_RIGHT },
	[AL_POSTS] = { "POSTS", 1, 5, 0, CLI_RIGHT },
	[AL_NAME] = { "NAME", 2, 0, 0, CLI_LEFT },
};

static const struct cli_listing listing = {
	"SELECT a.slug, count(p.id) FILTER (WHERE p.status = 'published' "
	"AND p.published_at <= now()), count(p.id), a.name FROM authors a "
	"LEFT JOIN posts p ON p.author_id = a.id GROUP BY a.id ORDER BY a.slug",
	list_cols, AL__MAX, "author list", "listing the authors"
};

static int
cmd_list(const struct cli_call *x)
{
	return cli_table_list(x->conn, &listing, 0, NULL);
}

static const struct cli_sub subs[] = {
	{ "add", 1, CLI_ANY_ARGS, NULL, cmd_add_edit, CLI_WRITES },
	{ "edit", 1, CLI_ANY_ARGS, NULL, cmd_add_edit, CLI_WRITES },
	{ "list", 0, 0, NULL, cmd_list, CLI_READS },
};

static const struct cli_group author_command = { "author", cli_author_help,
	subs, sizeof(subs) / sizeof(subs[0]) };

/*
 * Run `fascia author ARGS`.  Returns the process's exit status:
 * EXIT_SUCCESS, EXIT_FAILURE when something failed or a file is bad,
 * EXIT_USAGE for a usage error.
 */
int
cli_author(const struct conf *c, int argc, char **argv)
{
	return cli_dispatch(&author_command, c, argc, argv);
}
