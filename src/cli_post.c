/*
 * cli_post.c: `fascia post`, writing and publishing posts from the
 * command line.
 *
 * import reads Markdown files with front matter (frontmatter.c), checks
 * every field, renders the Markdown once with cmark (markdown.c) and
 * stores source and HTML.  A post is matched by its slug: importing a
 * file whose slug exists updates that post, tags included (and a post
 * that came from WordPress keeps its import key).  Posts are written by
 * post_store.c, the same statements the WordPress importer sends.  The
 * files of one run are checked first, all of them, and every problem is
 * reported as FILE:LINE: message; if any file has one, nothing is
 * imported.  Otherwise all of them are written in one transaction, so a
 * run imports every file or none (cli_batch.c).
 *
 * A published post whose date is in the future is scheduled: the site
 * shows only posts with published_at <= now(), so it appears when due
 * without any job running.  rename changes a post's slug and records
 * the old one in slug_redirects, which the site answers with a 301 to
 * the new URL; a slug that redirects is taken, so importing a file that
 * still has the old slug is refused instead of creating a second post.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "arena.h"
#include "buf.h"
#include "cli_batch.h"
#include "cli_db.h"
#include "cli_dispatch.h"
#include "cli_post.h"
#include "cli_table.h"
#include "frontmatter.h"
#include "markdown.h"
#include "post_store.h"
#include "pubdate.h"
#include "slug.h"

#define MAX_TAGS 32
#define OUTCOME_WIDTH 8	       /* "created " and "updated " line up */
#define WRITE_ARENA_CHUNK 4096 /* a post's parameters fit in one chunk */
#define WHAT_MAX 40	       /* "post unpublish" */

const char cli_post_help[] =
    "usage: fascia [-c FILE] post import FILE.md...\n"
    "       fascia [-c FILE] post list\n"
    "       fascia [-c FILE] post publish|unpublish|delete SLUG...\n"
    "       fascia [-c FILE] post rename OLD-SLUG NEW-SLUG\n\n"
    "import     create or update posts from Markdown files; a file whose\n"
    "           slug exists updates that post (and its tags)\n"
    "list       every post: slug, status (draft, published or scheduled),\n"
    "           date and title, newest first\n"
    "publish    make posts published: dated as their file says, else now;\n"
    "           a future date schedules them\n"
    "unpublish  make posts drafts again\n"
    "delete     remove posts for good, with their comments\n"
    "rename     change a post's slug; /OLD-SLUG/ then redirects (301) to\n"
    "           /NEW-SLUG/ (write the new slug in the post's file too)\n\n"
    "A post file starts with its front matter:\n\n"
    "  ---\n"
    "  title: Deep Tissue vs. Swedish Massage  (required)\n"
    "  slug: deep-tissue-vs-swedish   (a-z, 0-9 and hyphens; default: made\n"
    "                                  from the title)\n"
    "  author: maya-okafor            (required: an author's slug)\n"
    "  date: 2026-03-14T09:30:00Z     (ISO 8601; without an offset, in the\n"
    "                                  site's time zone; \"+N days\": N days\n"
    "                                  after the import; default: when it\n"
    "                                  is first published)\n"
    "  status: published              (draft or published; default draft)\n"
    "  tags: massage-therapy, posture (tag slugs; new tags are created)\n"
    "  excerpt: One or two plain sentences for listings.\n"
    "  comments: open                 (open or closed; default open)\n"
    "  ---\n"
    "  The post, in CommonMark.  Raw HTML is not kept.\n\n"
    "A published post with a future date is scheduled: it appears when its\n"
    "date comes.  Slugs that name parts of the site (page, author, tag,\n"
    "feed, search, comments, ...) or look like a year are refused.\n"
    "import checks every file first and imports nothing if any is bad.\n";

static const char *const post_keys[] = { "title", "slug", "author", "date",
	"status", "tags", "excerpt", "comments", NULL };

/* One file of an import, from its text to its row. */
struct post_file {
	const char *path;
	struct fm_doc doc;
	const char *title, *excerpt, *author, *status;
	char slug[SLUG_MAX + 1];
	int slug_line, author_line;
	int comments_open;
	int has_date;
	struct pubdate date;
	char *tag_text; /* owned: a copy of "tags", cut in place */
	const char *tags[MAX_TAGS];
	size_t ntags;
	char *html; /* owned */
};

static void
post_file_free(struct post_file *pf)
{
	fm_free(&pf->doc);
	free(pf->tag_text);
	free(pf->html);
	pf->tag_text = pf->html = NULL;
}

/* The value of key in pf's front matter, or def; its line in *line. */
static const char *
field(const struct post_file *pf, const char *key, const char *def, int *line)
{
	const struct fm_field *f = fm_get(&pf->doc, key);

	if (line != NULL)
		*line = f != NULL ? f->line : pf->doc.end_line;
	return f != NULL ? f->value : def;
}

/*
 * Refuse pf->slug if it would shadow one of the site's URLs; given says
 * whether the file wrote it or it was made from the title.
 */
static int
check_slug(const struct post_file *pf, int given, struct fm_err *e)
{
	if (slug_reserved(pf->slug)) {
		fm_errf(e, pf->slug_line, "the slug \"%s\" is reserved: %s%s",
		    pf->slug,
		    pf->slug[0] >= '0' && pf->slug[0] <= '9' ?
			"it looks like a year, and /YYYY/ is the archive's "
			"URL" :
			"the site uses that URL itself",
		    given ? "" : " (write a \"slug:\" line)");
		return 0;
	}
	return 1;
}

/* Split the "tags" value into pf->tags.  Returns 1, or 0 with e set. */
static int
parse_tags(struct post_file *pf, const char *value, int line, struct fm_err *e)
{
	char *p, *t, *end;
	size_t i, n;

	if ((pf->tag_text = strdup(value)) == NULL) {
		fm_errf(e, line, "out of memory");
		return 0;
	}
	for (p = pf->tag_text; p != NULL; p = end) {
		if ((end = strchr(p, ',')) != NULL)
			*end++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		t = p;
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			t[--n] = '\0';
		if (n == 0)
			continue; /* "a, b," or an empty list */
		if (!slug_valid(t)) {
			fm_errf(e, line,
			    "bad tag \"%.*s\": a tag is its slug "
			    "(lowercase letters, digits and single hyphens), "
			    "tags are separated by commas",
			    FM_QUOTE_MAX, t);
			return 0;
		}
		for (i = 0; i < pf->ntags; i++)
			if (strcmp(pf->tags[i], t) == 0) {
				fm_errf(e, line, "tag \"%s\" is listed twice",
				    t);
				return 0;
			}
		if (pf->ntags == MAX_TAGS) {
			fm_errf(e, line, "more than %d tags", MAX_TAGS);
			return 0;
		}
		pf->tags[pf->ntags++] = t;
	}
	return 1;
}

/*
 * Read and check the file pf->path, everything that needs no database.
 * Returns 1, or 0 with e set.
 */
static int
post_read(struct post_file *pf, struct fm_err *e)
{
	const char *v;
	int line;

	if (!fm_load(&pf->doc, pf->path, post_keys, e))
		return 0;
	pf->title = field(pf, "title", "", &line);
	if (pf->title[0] == '\0') {
		fm_errf(e, line, "missing title: add a \"title:\" line");
		return 0;
	}
	v = field(pf, "slug", NULL, &pf->slug_line);
	if (v != NULL) {
		if (!slug_valid(v)) {
			fm_errf(e, pf->slug_line,
			    "bad slug \"%.*s\": use "
			    "lowercase letters a-z, digits and single hyphens "
			    "(at most %d)",
			    FM_QUOTE_MAX, v, SLUG_MAX);
			return 0;
		}
		memcpy(pf->slug, v, strlen(v) + 1);
	} else {
		(void)field(pf, "title", NULL, &pf->slug_line);
		if (!slug_from_text(pf->title, pf->slug)) {
			fm_errf(e, pf->slug_line,
			    "cannot make a slug from the "
			    "title: add a \"slug:\" line");
			return 0;
		}
	}
	if (!check_slug(pf, v != NULL, e))
		return 0;
	pf->author = field(pf, "author", "", &pf->author_line);
	if (pf->author[0] == '\0') {
		fm_errf(e, pf->author_line,
		    "missing author: add an "
		    "\"author:\" line with an author's slug (see `fascia "
		    "author list`)");
		return 0;
	}
	pf->status = field(pf, "status", "draft", &line);
	if (strcmp(pf->status, "draft") != 0 &&
	    strcmp(pf->status, "published") != 0) {
		fm_errf(e, line, "bad status \"%.*s\": draft or published",
		    FM_QUOTE_WORD_MAX, pf->status);
		return 0;
	}
	if ((v = field(pf, "date", NULL, &line)) != NULL) {
		if (!pubdate_parse(v, &pf->date)) {
			fm_errf(e, line,
			    "bad date \"%.*s\": ISO 8601 such as "
			    "2026-03-14T09:30:00Z, 2026-03-14T10:30:00+01:00 "
			    "or 2026-03-14, or \"+N days\"",
			    FM_QUOTE_MAX, v);
			return 0;
		}
		pf->has_date = 1;
	}
	v = field(pf, "tags", "", &line);
	if (!parse_tags(pf, v, line, e))
		return 0;
	pf->excerpt = field(pf, "excerpt", "", NULL);
	v = field(pf, "comments", "open", &line);
	if (strcmp(v, "open") != 0 && strcmp(v, "closed") != 0) {
		fm_errf(e, line, "bad comments \"%.*s\": open or closed",
		    FM_QUOTE_WORD_MAX, v);
		return 0;
	}
	pf->comments_open = strcmp(v, "open") == 0;
	if ((pf->html = markdown_to_html(pf->doc.body, pf->doc.body_len)) ==
	    NULL) {
		fm_errf(e, pf->doc.end_line + 1,
		    "cmark could not convert "
		    "the Markdown");
		return 0;
	}
	return 1;
}

enum check {
	CHECK_OK,
	CHECK_BAD,  /* the file is at fault: e says why */
	CHECK_DBERR /* the database failed */
};

/* What the database knows of a file's author and slug, by column. */
enum lookup_col { LK_AUTHOR, LK_POST, LK_RENAMED_TO };

static const char lookup_sql[] =
    "SELECT (SELECT id FROM authors WHERE slug = $1), "
    "(SELECT id FROM posts WHERE slug = $2), "
    "(SELECT p.slug FROM slug_redirects r JOIN posts p ON p.id = r.post_id "
    "WHERE r.old_slug = $2)";

/* Check pf against the database: its author, and its slug's history. */
static enum check
post_lookup(PGconn *conn, struct post_file *pf, struct fm_err *e)
{
	const char *params[2] = { pf->author, pf->slug };
	PGresult *res;
	enum check rc = CHECK_BAD;

	if (!cli_db_exec(conn, lookup_sql, 2, params, &res))
		return CHECK_DBERR;
	if (PQgetisnull(res, 0, LK_AUTHOR))
		fm_errf(e, pf->author_line,
		    "unknown author \"%.*s\" (see "
		    "`fascia author list`; add one with `fascia author add`)",
		    FM_QUOTE_MAX, pf->author);
	else if (PQgetisnull(res, 0, LK_POST) &&
	    !PQgetisnull(res, 0, LK_RENAMED_TO))
		fm_errf(e, pf->slug_line,
		    "the post \"%s\" was renamed to "
		    "\"%.*s\" and its old slug redirects there: write \"slug: "
		    "%.*s\" to update it",
		    pf->slug, FM_QUOTE_MAX, PQgetvalue(res, 0, LK_RENAMED_TO),
		    FM_QUOTE_MAX, PQgetvalue(res, 0, LK_RENAMED_TO));
	else
		rc = CHECK_OK;
	PQclear(res);
	return rc;
}

/* A run of `post import`. */
struct import {
	struct post_file *files;
	size_t nfiles;
	int created, updated, new_tags;
	struct arena a; /* a post's parameters... */
	struct buf tmp; /* ...and the scratch space to make them */
};

/*
 * Create or update the post of file i with its tags (post_store.c),
 * print what happened and count it.
 */
static enum cli_write
post_write(PGconn *conn, void *arg, size_t i)
{
	struct import *im = arg;
	const struct post_file *pf = &im->files[i];
	char names[MAX_TAGS][SLUG_MAX + 1];
	const char *new_names[MAX_TAGS];
	struct post_step steps[POST_STMT__MAX];
	const struct pg_stmt *st;
	struct post_result got;
	struct post_row row;
	PGresult *res, *written = NULL;
	size_t nsteps, k;
	enum cli_write rc = CLI_WRITE_DBERR;

	/* A tag a file names first is named after its slug. */
	for (k = 0; k < pf->ntags; k++) {
		slug_to_name(pf->tags[k], names[k], sizeof(names[k]));
		new_names[k] = names[k];
	}
	memset(&row, 0, sizeof(row));
	row.slug = pf->slug;
	row.title = pf->title;
	row.excerpt = pf->excerpt;
	row.body_source = pf->doc.body;
	row.body_html = pf->html;
	row.author = pf->author;
	row.published = strcmp(pf->status, "published") == 0;
	row.date = pf->has_date && pf->date.kind == PUBDATE_ABSOLUTE ?
	    pf->date.text :
	    NULL;
	row.has_days = pf->has_date && pf->date.kind == PUBDATE_RELATIVE;
	row.days = pf->date.days;
	row.comments_open = pf->comments_open;
	row.touch = 1; /* importing a file is an edit */
	row.tags = pf->tags;
	row.ntags = pf->ntags;
	row.new_tags = pf->tags;
	row.new_names = new_names;
	row.nnew = pf->ntags;
	arena_reset(&im->a);
	if (!post_store_plan(&row, &im->tmp, &im->a, steps, &nsteps))
		return CLI_WRITE_NOMEM;
	memset(&got, 0, sizeof(got));
	for (k = 0; k < nsteps; k++) {
		st = &post_stmts[steps[k].stmt];
		if (!cli_db_exec(conn, st->sql, st->nparams, steps[k].v, &res))
			goto out;
		post_store_took(&got, steps[k].stmt, res);
		if (steps[k].stmt == POST_UPSERT)
			written = res;
		else
			PQclear(res);
		if (!got.answered)
			goto out;
	}
	printf("%-*s %s (%s%s%s)\n", OUTCOME_WIDTH,
	    got.outcome == POST_NEW ? "created" : "updated", pf->slug,
	    PQgetvalue(written, 0, POST_COL_STATE),
	    PQgetlength(written, 0, POST_COL_DATE) > 0 ? ", " : "",
	    PQgetvalue(written, 0, POST_COL_DATE));
	if (got.outcome == POST_NEW)
		im->created++;
	else
		im->updated++;
	im->new_tags += (int)got.tags_new;
	rc = CLI_WRITTEN;
out:
	PQclear(written);
	return rc;
}

/* Find an earlier file of the batch with pf's slug. */
static const struct post_file *
same_slug(const struct post_file *files, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (files[j].slug[0] != '\0' &&
		    strcmp(files[j].slug, files[i].slug) == 0)
			return &files[j];
	return NULL;
}

/* Check every file; returns how many are bad, or -1 on a database error. */
static int
import_check(PGconn *conn, void *arg)
{
	struct import *im = arg;
	struct post_file *files = im->files;
	size_t nfiles = im->nfiles, i;
	const struct post_file *other;
	struct fm_err e;
	int bad = 0;
	enum check rc;

	for (i = 0; i < nfiles; i++) {
		if (!post_read(&files[i], &e)) {
			fm_report(files[i].path, &e);
			bad++;
			continue;
		}
		if ((other = same_slug(files, i)) != NULL) {
			fm_errf(&e, files[i].slug_line,
			    "the slug \"%s\" is "
			    "also that of %s",
			    files[i].slug, other->path);
			fm_report(files[i].path, &e);
			bad++;
			continue;
		}
		if ((rc = post_lookup(conn, &files[i], &e)) == CHECK_DBERR)
			return -1;
		if (rc == CHECK_BAD) {
			fm_report(files[i].path, &e);
			bad++;
		}
	}
	return bad;
}

/* post import FILE.md...: check every file, then write them all. */
static int
cmd_import(const struct cli_call *x)
{
	struct import im;
	struct cli_batch b = { "post import", "nothing was imported", x->argv,
		(size_t)x->argc, import_check, post_write, &im };
	size_t i;
	int rc;

	memset(&im, 0, sizeof(im));
	im.nfiles = (size_t)x->argc;
	if ((im.files = calloc(im.nfiles, sizeof(*im.files))) == NULL) {
		fprintf(stderr, "fascia post import: out of memory\n");
		return EXIT_FAILURE;
	}
	for (i = 0; i < im.nfiles; i++)
		im.files[i].path = x->argv[i];
	arena_init(&im.a, WRITE_ARENA_CHUNK);
	buf_init(&im.tmp, 0);
	if ((rc = cli_batch_run(x->conn, &b)) == EXIT_SUCCESS)
		printf("post import: %d created, %d updated, %d new tag%s\n",
		    im.created, im.updated, im.new_tags,
		    im.new_tags == 1 ? "" : "s");
	for (i = 0; i < im.nfiles; i++)
		post_file_free(&im.files[i]);
	free(im.files);
	arena_free(&im.a);
	buf_free(&im.tmp);
	return rc;
}

/* post list: its columns, and how they are shown. */
enum list_col { PL_SLUG, PL_STATUS, PL_DATE, PL_TITLE, PL__MAX };

static const struct cli_column list_cols[PL__MAX] = {
	[PL_SLUG] = { "SLUG", 0, 40, 0, CLI_LEFT },
	[PL_STATUS] = { "STATUS", 1, 9, 0, CLI_LEFT },
	[PL_DATE] = { "DATE", 1, 16, 0, CLI_LEFT },
	[PL_TITLE] = { "TITLE", 1, 0, 0, CLI_LEFT },
};

static const struct cli_listing listing = {
	"SELECT slug, CASE WHEN status = 'draft' THEN 'draft' "
	"WHEN published_at > now() THEN 'scheduled' ELSE 'published' END, "
	"coalesce(to_char(published_at, 'YYYY-MM-DD HH24:MI'), '-'), title "
	"FROM posts ORDER BY published_at DESC NULLS FIRST, id DESC",
	list_cols, PL__MAX, "post list", "listing the posts"
};

static int
cmd_list(const struct cli_call *x)
{
	return cli_table_list(x->conn, &listing, 0, NULL);
}

/*
 * publish, unpublish and delete: the statement, which returns a row with
 * what to say of the post (or none when no post has the slug).
 */
enum change_col { CHANGE_COL_SAID };

static const struct {
	const char *verb;
	const char *sql;
} changes[] = {
	{ "publish",
	    "UPDATE posts SET status = 'published', published_at = "
	    "coalesce(published_at, now()), updated_at = now() WHERE slug = $1 "
	    "RETURNING CASE WHEN published_at > now() THEN 'scheduled for ' "
	    "ELSE 'published, dated ' END || to_char(published_at, "
	    "'YYYY-MM-DD HH24:MI TZ')" },
	{ "unpublish",
	    "UPDATE posts SET status = 'draft', updated_at = now() "
	    "WHERE slug = $1 RETURNING 'a draft now'" },
	{ "delete",
	    "WITH p AS (SELECT id FROM posts WHERE slug = $1), "
	    "c AS (SELECT count(*) AS n FROM comments WHERE post_id IN "
	    "(SELECT id FROM p)), d AS (DELETE FROM posts WHERE id IN "
	    "(SELECT id FROM p) RETURNING id) SELECT 'deleted, with its ' || "
	    "(SELECT n FROM c) || ' comment(s)' FROM d" },
};

/* post publish|unpublish|delete SLUG...: all of them, or none. */
static int
cmd_change(const struct cli_call *x)
{
	PGconn *conn = x->conn;
	const char *verb = x->name, *sql = NULL, *params[1];
	char what[WHAT_MAX];
	PGresult *res;
	size_t i;
	int j, found;

	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (strcmp(changes[i].verb, verb) == 0)
			sql = changes[i].sql;
	(void)snprintf(what, sizeof(what), "post %s", verb);
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL)) {
		cli_db_fail(conn, what, "nothing was changed");
		return EXIT_FAILURE;
	}
	for (j = 0; j < x->argc; j++) {
		params[0] = x->argv[j];
		if (!cli_db_exec(conn, sql, 1, params, &res)) {
			cli_db_fail(conn, what, "nothing was changed");
			(void)cli_db_rollback(conn);
			return EXIT_FAILURE;
		}
		if ((found = PQntuples(res) == 1))
			printf("%s: %s\n", x->argv[j],
			    PQgetvalue(res, 0, CHANGE_COL_SAID));
		PQclear(res);
		if (!found) {
			fprintf(stderr,
			    "fascia %s: no post has the slug "
			    "\"%s\" (see `fascia post list`): nothing was "
			    "changed\n",
			    what, x->argv[j]);
			(void)cli_db_rollback(conn);
			return EXIT_FAILURE;
		}
	}
	if (!cli_db_exec(conn, "COMMIT", 0, NULL, NULL)) {
		cli_db_fail(conn, what, "nothing was changed");
		(void)cli_db_rollback(conn);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/* The one column of query_value()'s statements. */
#define VALUE_COL 0

/*
 * Run sql with params; put its first value in *value (malloc'd, the
 * caller frees it), or NULL when there is no row or it is NULL.  Returns
 * 1, or 0 when the statement failed or memory ran out.
 */
static int
query_value(PGconn *conn, const char *sql, int n, const char *const *params,
    char **value)
{
	PGresult *res;

	*value = NULL;
	if (!cli_db_exec(conn, sql, n, params, &res))
		return 0;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, VALUE_COL) &&
	    (*value = strdup(PQgetvalue(res, 0, VALUE_COL))) == NULL) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	return 1;
}

enum rename_res {
	RENAME_OK,
	RENAME_REFUSED, /* said why */
	RENAME_DBERR	/* the database failed */
};

/* The checks and writes of rename, in the caller's transaction. */
static enum rename_res
rename_in(PGconn *conn, const char *from, const char *to)
{
	const char *params[2] = { from, to };
	char *id = NULL, *other = NULL;
	enum rename_res rc = RENAME_DBERR;

	if (!query_value(conn,
		"SELECT id FROM posts WHERE slug = $1 "
		"FOR UPDATE",
		1, params, &id))
		goto out;
	if (id == NULL) {
		if (!query_value(conn,
			"SELECT p.slug FROM slug_redirects r "
			"JOIN posts p ON p.id = r.post_id WHERE r.old_slug = "
			"$1",
			1, params, &other))
			goto out;
		rc = RENAME_REFUSED;
		fprintf(stderr,
		    "fascia post rename: no post has the slug "
		    "\"%s\"%s%s%s\n",
		    from, other ? " (it is an old slug of \"" : "",
		    other ? other : "", other ? "\")" : "");
		goto out;
	}
	if (!query_value(conn,
		"SELECT 'a post' FROM posts WHERE slug = $2 "
		"UNION ALL SELECT 'an old slug of \"' || p.slug || '\", which "
		"it "
		"redirects to' FROM slug_redirects r JOIN posts p ON p.id = "
		"r.post_id WHERE r.old_slug = $2 AND p.slug <> $1",
		2, params, &other))
		goto out;
	if (other != NULL) {
		rc = RENAME_REFUSED;
		fprintf(stderr,
		    "fascia post rename: \"%s\" is taken: it is "
		    "%s\n",
		    to, other);
		goto out;
	}
	/* Renaming back to an old slug of the same post drops that
	 * redirect: a slug is either a post's or a redirect, never both. */
	if (!cli_db_exec(conn, "DELETE FROM slug_redirects WHERE old_slug = $1",
		1, params + 1, NULL))
		goto out;
	params[0] = id;
	if (!cli_db_exec(conn,
		"UPDATE posts SET slug = $2, updated_at = now() "
		"WHERE id = $1",
		2, params, NULL))
		goto out;
	params[0] = from;
	params[1] = id;
	if (!cli_db_exec(conn,
		"INSERT INTO slug_redirects (old_slug, post_id) "
		"VALUES ($1, $2) ON CONFLICT (old_slug) DO UPDATE SET post_id "
		"= "
		"excluded.post_id, created_at = now()",
		2, params, NULL))
		goto out;
	rc = RENAME_OK;
out:
	free(id);
	free(other);
	return rc;
}

/* post rename OLD-SLUG NEW-SLUG */
static int
cmd_rename(const struct cli_call *x)
{
	PGconn *conn = x->conn;
	const char *from = x->argv[0], *to = x->argv[1];
	enum rename_res rc = RENAME_DBERR;

	if (!slug_valid(to)) {
		fprintf(stderr,
		    "fascia post rename: bad slug \"%s\": use "
		    "lowercase letters a-z, digits and single hyphens\n",
		    to);
		return EXIT_FAILURE;
	}
	if (slug_reserved(to)) {
		fprintf(stderr,
		    "fascia post rename: the slug \"%s\" is "
		    "reserved for the site's own URLs\n",
		    to);
		return EXIT_FAILURE;
	}
	if (strcmp(from, to) == 0) {
		fprintf(stderr, "fascia post rename: the slugs are the same\n");
		return EXIT_FAILURE;
	}
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL) ||
	    (rc = rename_in(conn, from, to)) != RENAME_OK ||
	    !cli_db_exec(conn, "COMMIT", 0, NULL, NULL)) {
		if (rc != RENAME_REFUSED)
			cli_db_fail(conn, "post rename",
			    "nothing was "
			    "changed");
		(void)cli_db_rollback(conn);
		return EXIT_FAILURE;
	}
	printf("renamed %s to %s: /%s/ now redirects (301) to /%s/\n", from, to,
	    from, to);
	return EXIT_SUCCESS;
}

static const struct cli_sub subs[] = {
	{ "import", 1, CLI_ANY_ARGS, NULL, cmd_import, CLI_WRITES },
	{ "list", 0, 0, NULL, cmd_list, CLI_READS },
	{ "publish", 1, CLI_ANY_ARGS, NULL, cmd_change, CLI_WRITES },
	{ "unpublish", 1, CLI_ANY_ARGS, NULL, cmd_change, CLI_WRITES },
	{ "delete", 1, CLI_ANY_ARGS, NULL, cmd_change, CLI_WRITES },
	{ "rename", 2, 2, NULL, cmd_rename, CLI_WRITES },
};

static const struct cli_group post_command = { "post", cli_post_help, subs,
	sizeof(subs) / sizeof(subs[0]) };

/*
 * Run `fascia post ARGS`.  Returns the process's exit status:
 * EXIT_SUCCESS, EXIT_FAILURE when something failed or a file is bad,
 * EXIT_USAGE for a usage error.
 */
int
cli_post(const struct conf *c, int argc, char **argv)
{
	return cli_dispatch(&post_command, c, argc, argv);
}
