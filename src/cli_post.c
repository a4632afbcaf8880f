/*
 * cli_post.c: `fascia post`, writing and publishing posts from the
 * command line.
 *
 * import reads Markdown files with front matter (frontmatter.c), checks
 * every field, renders the Markdown once with cmark (markdown.c) and
 * stores source and HTML.  A post is matched by its slug: importing a
 * file whose slug exists updates that post, tags included.  The files of
 * one run are checked first, all of them, and every problem is reported
 * as FILE:LINE: message; if any file has one, nothing is imported.
 * Otherwise all of them are written in one transaction, so a run imports
 * every file or none.
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

#include "cli_db.h"
#include "cli_post.h"
#include "frontmatter.h"
#include "markdown.h"
#include "pubdate.h"
#include "slug.h"

#define MAX_TAGS 32

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
	char *tag_text;		/* owned: a copy of "tags", cut in place */
	const char *tags[MAX_TAGS];
	size_t ntags;
	char *html;		/* owned */
	char author_id[24];
	char post_id[24];	/* "" for a new post */
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
field(const struct post_file *pf, const char *key, const char *def,
    int *line)
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
		    pf->slug, pf->slug[0] >= '0' && pf->slug[0] <= '9' ?
		    "it looks like a year, and /YYYY/ is the archive's URL" :
		    "the site uses that URL itself",
		    given ? "" : " (write a \"slug:\" line)");
		return 0;
	}
	return 1;
}

/* Split the "tags" value into pf->tags.  Returns 1, or 0 with e set. */
static int
parse_tags(struct post_file *pf, const char *value, int line,
    struct fm_err *e)
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
			continue;	/* "a, b," or an empty list */
		if (!slug_valid(t)) {
			fm_errf(e, line, "bad tag \"%.60s\": a tag is its slug "
			    "(lowercase letters, digits and single hyphens), "
			    "tags are separated by commas", t);
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
			fm_errf(e, pf->slug_line, "bad slug \"%.60s\": use "
			    "lowercase letters a-z, digits and single hyphens "
			    "(at most %d)", v, SLUG_MAX);
			return 0;
		}
		memcpy(pf->slug, v, strlen(v) + 1);
	} else {
		(void)field(pf, "title", NULL, &pf->slug_line);
		if (!slug_from_text(pf->title, pf->slug)) {
			fm_errf(e, pf->slug_line, "cannot make a slug from the "
			    "title: add a \"slug:\" line");
			return 0;
		}
	}
	if (!check_slug(pf, v != NULL, e))
		return 0;
	pf->author = field(pf, "author", "", &pf->author_line);
	if (pf->author[0] == '\0') {
		fm_errf(e, pf->author_line, "missing author: add an "
		    "\"author:\" line with an author's slug (see `fascia "
		    "author list`)");
		return 0;
	}
	pf->status = field(pf, "status", "draft", &line);
	if (strcmp(pf->status, "draft") != 0 &&
	    strcmp(pf->status, "published") != 0) {
		fm_errf(e, line, "bad status \"%.40s\": draft or published",
		    pf->status);
		return 0;
	}
	if ((v = field(pf, "date", NULL, &line)) != NULL) {
		if (!pubdate_parse(v, &pf->date)) {
			fm_errf(e, line, "bad date \"%.60s\": ISO 8601 such as "
			    "2026-03-14T09:30:00Z, 2026-03-14T10:30:00+01:00 "
			    "or 2026-03-14, or \"+N days\"", v);
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
		fm_errf(e, line, "bad comments \"%.40s\": open or closed", v);
		return 0;
	}
	pf->comments_open = strcmp(v, "open") == 0;
	if ((pf->html = markdown_to_html(pf->doc.body,
	    pf->doc.body_len)) == NULL) {
		fm_errf(e, pf->doc.end_line + 1, "cmark could not convert "
		    "the Markdown");
		return 0;
	}
	return 1;
}

enum check {
	CHECK_OK,
	CHECK_BAD,	/* the file is at fault: e says why */
	CHECK_DBERR	/* the database failed */
};

/* Check pf against the database: its author, and its slug's history. */
static enum check
post_lookup(PGconn *conn, struct post_file *pf, struct fm_err *e)
{
	const char *params[2] = { pf->author, pf->slug };
	PGresult *res;
	enum check rc = CHECK_BAD;

	if (!cli_db_exec(conn, "SELECT (SELECT id FROM authors WHERE slug = "
	    "$1), (SELECT id FROM posts WHERE slug = $2), (SELECT p.slug FROM "
	    "slug_redirects r JOIN posts p ON p.id = r.post_id WHERE "
	    "r.old_slug = $2)", 2, params, &res))
		return CHECK_DBERR;
	if (PQgetisnull(res, 0, 0))
		fm_errf(e, pf->author_line, "unknown author \"%.60s\" (see "
		    "`fascia author list`; add one with `fascia author add`)",
		    pf->author);
	else if (PQgetisnull(res, 0, 1) && !PQgetisnull(res, 0, 2))
		fm_errf(e, pf->slug_line, "the post \"%s\" was renamed to "
		    "\"%.60s\" and its old slug redirects there: write \"slug: "
		    "%.60s\" to update it", pf->slug, PQgetvalue(res, 0, 2),
		    PQgetvalue(res, 0, 2));
	else {
		(void)snprintf(pf->author_id, sizeof(pf->author_id), "%s",
		    PQgetvalue(res, 0, 0));
		(void)snprintf(pf->post_id, sizeof(pf->post_id), "%s",
		    PQgetvalue(res, 0, 1));
		rc = CHECK_OK;
	}
	PQclear(res);
	return rc;
}

/* The parts of the INSERT and UPDATE that say how a post came out. */
#define POST_RETURNING \
	" RETURNING id, CASE WHEN status = 'draft' THEN 'draft' " \
	"WHEN published_at > now() THEN 'scheduled' ELSE 'published' END, " \
	"coalesce(to_char(published_at, 'YYYY-MM-DD HH24:MI TZ'), '')"

static const char insert_sql[] =
    "INSERT INTO posts (slug, title, excerpt, body_source, body_html, "
    "author_id, status, comments_open, published_at) VALUES ($1, $2, $3, "
    "$4, $5, $6, $7::post_status, $8::boolean, coalesce($9::timestamptz, "
    "now() + make_interval(days => $10::int), CASE WHEN $7::post_status = "
    "'published' THEN now() END))" POST_RETURNING;

/* Without a date in the file, an update keeps the post's date. */
static const char update_sql[] =
    "UPDATE posts SET title = $2, excerpt = $3, body_source = $4, "
    "body_html = $5, author_id = $6, status = $7::post_status, "
    "comments_open = $8::boolean, published_at = coalesce($9::timestamptz, "
    "now() + make_interval(days => $10::int), published_at, CASE WHEN "
    "$7::post_status = 'published' THEN now() END), updated_at = now() "
    "WHERE id = $1" POST_RETURNING;

struct import_counts {
	int created, updated, new_tags;
};

/* Replace the tags of the post with id post_id by pf's. */
static int
post_write_tags(PGconn *conn, const struct post_file *pf,
    const char *post_id, struct import_counts *n)
{
	const char *params[2] = { post_id, NULL };
	char name[SLUG_MAX + 1];
	PGresult *res;
	size_t i;

	if (!cli_db_exec(conn, "DELETE FROM post_tags WHERE post_id = $1", 1,
	    params, NULL))
		return 0;
	for (i = 0; i < pf->ntags; i++) {
		slug_to_name(pf->tags[i], name, sizeof(name));
		params[0] = pf->tags[i];
		params[1] = name;
		if (!cli_db_exec(conn, "INSERT INTO tags (slug, name) VALUES "
		    "($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id", 2,
		    params, &res))
			return 0;
		n->new_tags += PQntuples(res);
		PQclear(res);
		params[0] = post_id;
		params[1] = pf->tags[i];
		if (!cli_db_exec(conn, "INSERT INTO post_tags (post_id, tag_id) "
		    "SELECT $1, id FROM tags WHERE slug = $2", 2, params, NULL))
			return 0;
	}
	return 1;
}

/* Insert or update the post of pf and its tags; print what happened. */
static int
post_write(PGconn *conn, const struct post_file *pf, struct import_counts *n)
{
	const char *params[10];
	char days[16];
	PGresult *res;
	int is_new = pf->post_id[0] == '\0', ok;

	(void)snprintf(days, sizeof(days), "%d", pf->date.days);
	params[0] = is_new ? pf->slug : pf->post_id;
	params[1] = pf->title;
	params[2] = pf->excerpt;
	params[3] = pf->doc.body;
	params[4] = pf->html;
	params[5] = pf->author_id;
	params[6] = pf->status;
	params[7] = pf->comments_open ? "true" : "false";
	params[8] = pf->has_date && pf->date.kind == PUBDATE_ABSOLUTE ?
	    pf->date.text : NULL;
	params[9] = pf->has_date && pf->date.kind == PUBDATE_RELATIVE ?
	    days : NULL;
	if (!cli_db_exec(conn, is_new ? insert_sql : update_sql, 10, params,
	    &res))
		return 0;
	ok = PQntuples(res) == 1 &&
	    post_write_tags(conn, pf, PQgetvalue(res, 0, 0), n);
	if (ok) {
		printf("%-8s %s (%s%s%s)\n", is_new ? "created" : "updated",
		    pf->slug, PQgetvalue(res, 0, 1),
		    PQgetlength(res, 0, 2) > 0 ? ", " : "",
		    PQgetvalue(res, 0, 2));
		if (is_new)
			n->created++;
		else
			n->updated++;
	}
	PQclear(res);
	return ok;
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
import_check(PGconn *conn, struct post_file *files, size_t nfiles)
{
	const struct post_file *other;
	struct fm_err e;
	size_t i;
	int bad = 0;
	enum check rc;

	for (i = 0; i < nfiles; i++) {
		if (!post_read(&files[i], &e)) {
			fm_report(files[i].path, &e);
			bad++;
			continue;
		}
		if ((other = same_slug(files, i)) != NULL) {
			fm_errf(&e, files[i].slug_line, "the slug \"%s\" is "
			    "also that of %s", files[i].slug, other->path);
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

static int
cmd_import(PGconn *conn, int argc, char **argv)
{
	struct post_file *files;
	struct import_counts n = { 0, 0, 0 };
	char what[300];
	size_t i;
	int bad, rc = 1;

	if (argc < 1) {
		fputs(cli_post_help, stderr);
		return 2;
	}
	if ((files = calloc((size_t)argc, sizeof(*files))) == NULL) {
		fprintf(stderr, "fascia post import: out of memory\n");
		return 1;
	}
	for (i = 0; i < (size_t)argc; i++)
		files[i].path = argv[i];
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL) ||
	    (bad = import_check(conn, files, (size_t)argc)) < 0) {
		rc = cli_db_fail(conn, "post import", "checking the files");
		goto out;
	}
	if (bad > 0) {
		fprintf(stderr, "fascia post import: %d of %d file%s %s bad: "
		    "nothing was imported\n", bad, argc, argc == 1 ? "" : "s",
		    bad == 1 ? "is" : "are");
		goto out;
	}
	for (i = 0; i < (size_t)argc; i++)
		if (!post_write(conn, &files[i], &n)) {
			(void)snprintf(what, sizeof(what), "%s: nothing was "
			    "imported", files[i].path);
			rc = cli_db_fail(conn, "post import", what);
			goto out;
		}
	if (!cli_db_exec(conn, "COMMIT", 0, NULL, NULL)) {
		rc = cli_db_fail(conn, "post import", "nothing was imported");
		goto out;
	}
	printf("post import: %d created, %d updated, %d new tag%s\n",
	    n.created, n.updated, n.new_tags, n.new_tags == 1 ? "" : "s");
	rc = 0;
out:
	if (rc != 0)
		(void)cli_db_rollback(conn);
	for (i = 0; i < (size_t)argc; i++)
		post_file_free(&files[i]);
	free(files);
	return rc;
}

static int
cmd_list(PGconn *conn, int argc)
{
	PGresult *res;
	int i;

	if (argc != 0) {
		fputs(cli_post_help, stderr);
		return 2;
	}
	if (!cli_db_exec(conn, "SELECT slug, CASE WHEN status = 'draft' THEN "
	    "'draft' WHEN published_at > now() THEN 'scheduled' ELSE "
	    "'published' END, coalesce(to_char(published_at, "
	    "'YYYY-MM-DD HH24:MI'), '-'), title FROM posts "
	    "ORDER BY published_at DESC NULLS FIRST, id DESC", 0, NULL, &res))
		return cli_db_fail(conn, "post list", "listing the posts");
	printf("%-40s %-9s %-16s %s\n", "SLUG", "STATUS", "DATE", "TITLE");
	for (i = 0; i < PQntuples(res); i++) {
		cli_print_cell(PQgetvalue(res, i, 0), 40);
		putchar(' ');
		cli_print_cell(PQgetvalue(res, i, 1), 9);
		putchar(' ');
		cli_print_cell(PQgetvalue(res, i, 2), 16);
		putchar(' ');
		cli_print_cell(PQgetvalue(res, i, 3), 0);
		putchar('\n');
	}
	PQclear(res);
	return 0;
}

/* publish, unpublish and delete: the statement, then what to print. */
static const struct {
	const char *verb;
	const char *sql;
} changes[] = {
	{ "publish", "UPDATE posts SET status = 'published', published_at = "
	    "coalesce(published_at, now()), updated_at = now() WHERE slug = $1 "
	    "RETURNING CASE WHEN published_at > now() THEN 'scheduled for ' "
	    "ELSE 'published, dated ' END || to_char(published_at, "
	    "'YYYY-MM-DD HH24:MI TZ')" },
	{ "unpublish", "UPDATE posts SET status = 'draft', updated_at = now() "
	    "WHERE slug = $1 RETURNING 'a draft now'" },
	{ "delete", "WITH p AS (SELECT id FROM posts WHERE slug = $1), "
	    "c AS (SELECT count(*) AS n FROM comments WHERE post_id IN "
	    "(SELECT id FROM p)), d AS (DELETE FROM posts WHERE id IN "
	    "(SELECT id FROM p) RETURNING id) SELECT 'deleted, with its ' || "
	    "(SELECT n FROM c) || ' comment(s)' FROM d" },
};

static int
cmd_change(PGconn *conn, const char *verb, int argc, char **argv)
{
	char what[40];
	const char *sql = NULL, *params[1];
	PGresult *res;
	size_t i;
	int j, found;

	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (strcmp(changes[i].verb, verb) == 0)
			sql = changes[i].sql;
	if (sql == NULL || argc < 1) {
		fputs(cli_post_help, stderr);
		return 2;
	}
	(void)snprintf(what, sizeof(what), "post %s", verb);
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL))
		return cli_db_fail(conn, what, "nothing was changed");
	for (j = 0; j < argc; j++) {
		params[0] = argv[j];
		if (!cli_db_exec(conn, sql, 1, params, &res)) {
			(void)cli_db_fail(conn, what, "nothing was changed");
			(void)cli_db_rollback(conn);
			return 1;
		}
		if ((found = PQntuples(res) == 1))
			printf("%s: %s\n", argv[j], PQgetvalue(res, 0, 0));
		PQclear(res);
		if (!found) {
			fprintf(stderr, "fascia %s: no post has the slug "
			    "\"%s\" (see `fascia post list`): nothing was "
			    "changed\n", what, argv[j]);
			(void)cli_db_rollback(conn);
			return 1;
		}
	}
	if (!cli_db_exec(conn, "COMMIT", 0, NULL, NULL)) {
		(void)cli_db_fail(conn, what, "nothing was changed");
		(void)cli_db_rollback(conn);
		return 1;
	}
	return 0;
}

/*
 * Run sql with params; put its first value in *value (malloc'd, the
 * caller frees it), or NULL when there is no row or it is NULL.  Returns
 * 1, or 0 when the statement failed.
 */
static int
query_value(PGconn *conn, const char *sql, int n, const char *const *params,
    char **value)
{
	PGresult *res;

	*value = NULL;
	if (!cli_db_exec(conn, sql, n, params, &res))
		return 0;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) &&
	    (*value = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	return 1;
}

/* The checks and writes of rename, in the caller's transaction. */
static int
rename_in(PGconn *conn, const char *from, const char *to, int *dberr)
{
	const char *params[2] = { from, to };
	char *id = NULL, *other = NULL;
	int rc = 0;

	*dberr = 1;
	if (!query_value(conn, "SELECT id FROM posts WHERE slug = $1 "
	    "FOR UPDATE", 1, params, &id))
		goto out;
	if (id == NULL) {
		if (!query_value(conn, "SELECT p.slug FROM slug_redirects r "
		    "JOIN posts p ON p.id = r.post_id WHERE r.old_slug = $1", 1,
		    params, &other))
			goto out;
		*dberr = 0;
		fprintf(stderr, "fascia post rename: no post has the slug "
		    "\"%s\"%s%s%s\n", from, other ? " (it is an old slug of \"" :
		    "", other ? other : "", other ? "\")" : "");
		goto out;
	}
	if (!query_value(conn, "SELECT 'a post' FROM posts WHERE slug = $2 "
	    "UNION ALL SELECT 'an old slug of \"' || p.slug || '\", which it "
	    "redirects to' FROM slug_redirects r JOIN posts p ON p.id = "
	    "r.post_id WHERE r.old_slug = $2 AND p.slug <> $1", 2, params,
	    &other))
		goto out;
	if (other != NULL) {
		*dberr = 0;
		fprintf(stderr, "fascia post rename: \"%s\" is taken: it is %s\n",
		    to, other);
		goto out;
	}
	/* Renaming back to an old slug of the same post drops that
	 * redirect: a slug is either a post's or a redirect, never both. */
	if (!cli_db_exec(conn, "DELETE FROM slug_redirects WHERE old_slug = $1",
	    1, params + 1, NULL))
		goto out;
	params[0] = id;
	if (!cli_db_exec(conn, "UPDATE posts SET slug = $2, updated_at = now() "
	    "WHERE id = $1", 2, params, NULL))
		goto out;
	params[0] = from;
	params[1] = id;
	if (!cli_db_exec(conn, "INSERT INTO slug_redirects (old_slug, post_id) "
	    "VALUES ($1, $2) ON CONFLICT (old_slug) DO UPDATE SET post_id = "
	    "excluded.post_id, created_at = now()", 2, params, NULL))
		goto out;
	rc = 1;
out:
	free(id);
	free(other);
	return rc;
}

static int
cmd_rename(PGconn *conn, int argc, char **argv)
{
	int dberr = 0;

	if (argc != 2) {
		fputs(cli_post_help, stderr);
		return 2;
	}
	if (!slug_valid(argv[1])) {
		fprintf(stderr, "fascia post rename: bad slug \"%s\": use "
		    "lowercase letters a-z, digits and single hyphens\n",
		    argv[1]);
		return 1;
	}
	if (slug_reserved(argv[1])) {
		fprintf(stderr, "fascia post rename: the slug \"%s\" is "
		    "reserved for the site's own URLs\n", argv[1]);
		return 1;
	}
	if (strcmp(argv[0], argv[1]) == 0) {
		fprintf(stderr, "fascia post rename: the slugs are the same\n");
		return 1;
	}
	if (!cli_db_exec(conn, "BEGIN", 0, NULL, NULL) ||
	    !rename_in(conn, argv[0], argv[1], &dberr) ||
	    !cli_db_exec(conn, "COMMIT", 0, NULL, NULL)) {
		if (dberr)
			(void)cli_db_fail(conn, "post rename", "nothing was "
			    "changed");
		(void)cli_db_rollback(conn);
		return 1;
	}
	printf("renamed %s to %s: /%s/ now redirects (301) to /%s/\n",
	    argv[0], argv[1], argv[0], argv[1]);
	return 0;
}

/*
 * Run `fascia post ARGS`.  Returns the process's exit status: 0, 1 when
 * something failed or a file is bad, 2 for a usage error.
 */
int
cli_post(const struct conf *c, int argc, char **argv)
{
	PGconn *conn;
	int rc;

	if (argc < 1 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0) {
		fputs(cli_post_help, argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	if (strcmp(argv[0], "import") != 0 && strcmp(argv[0], "list") != 0 &&
	    strcmp(argv[0], "publish") != 0 &&
	    strcmp(argv[0], "unpublish") != 0 &&
	    strcmp(argv[0], "delete") != 0 && strcmp(argv[0], "rename") != 0) {
		fprintf(stderr, "fascia post: unknown command \"%s\"\n%s",
		    argv[0], cli_post_help);
		return 2;
	}
	if ((conn = cli_db_open(c, "post")) == NULL)
		return 1;
	if (strcmp(argv[0], "import") == 0)
		rc = cmd_import(conn, argc - 1, argv + 1);
	else if (strcmp(argv[0], "list") == 0)
		rc = cmd_list(conn, argc - 1);
	else if (strcmp(argv[0], "rename") == 0)
		rc = cmd_rename(conn, argc - 1, argv + 1);
	else
		rc = cmd_change(conn, argv[0], argc - 1, argv + 1);
	PQfinish(conn);
	/* printf and putchar set stdout's error flag when a write fails. */
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0) {
		perror("fascia post: standard output");
		rc = 1;
	}
	return rc;
}
