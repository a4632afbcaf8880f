/*
 * cli_wordpress.c: `fascia import-wordpress EXPORT.xml`, a WordPress blog
 * moved into fascia in one command.
 *
 * What comes in: the export's authors (login as the slug, so that
 * /author/<login>/ keeps working; display name; a bio when the export
 * carries <wp:author_description>), its published and scheduled posts
 * with their slugs, dates, HTML bodies, excerpts, categories and tags
 * (both as tags) and the old slugs WordPress kept (_wp_old_slug, which
 * become redirects), and their approved comments with their threading.
 * A commenter's email address is hashed with the site's key as it is
 * read; the address itself is never stored, logged or printed.
 *
 * Idempotence: a post is matched by its import key "wp:<post_id>", or
 * failing that by its slug when that post has no import key; a comment by
 * "wp:<post_id>:<comment_id>"; authors and tags by slug.  A row that
 * matches and differs is updated (the export wins over edits made in
 * fascia since, except a comment's moderation status, which stays as the
 * owner left it); one that matches and agrees is left alone, so a second
 * run changes nothing.
 *
 * Transactions: each post is one transaction, with its tags, redirects
 * and comments: a post is imported whole or not at all, and an error
 * half-way through a file leaves every post before it imported (running
 * again is safe).  Each author is one statement.  The statements of a
 * post go to the server in a libpq pipeline, so a post with 50 comments
 * costs one round trip, not 50, and the session commits without waiting
 * for the disk (synchronous_commit off): a crash can lose the last posts
 * of a run, never half of one, and the next run brings them in.
 *
 * This file is the command: it reads the export (wxr.c) a record at a
 * time, turns each into rows (wptext.c for WordPress's text), and sends
 * them.  Around it: what is left out and why (wp_skip.c), the planning of
 * a post's comments (wp_comments.c), the writing of a post and its tags,
 * shared with `fascia post import` (post_store.c), the pipeline
 * (pg_pipeline.c) and the report (wp_report.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <libxml/parser.h>
#include <sodium.h>

#include "arena.h"
#include "buf.h"
#include "cli_db.h"
#include "cli_dispatch.h"
#include "cli_wordpress.h"
#include "comment.h"
#include "keeper.h"
#include "keys.h"
#include "pg_literal.h"
#include "pg_pipeline.h"
#include "post_store.h"
#include "secret.h"
#include "slug.h"
#include "strmap.h"
#include "text.h"
#include "wp_comments.h"
#include "wp_report.h"
#include "wp_skip.h"
#include "wptext.h"
#include "wxr.h"

#define PROG "import-wordpress"
#define COMMENT_BATCH 256  /* comments written by one statement */
#define EXCERPT_WORDS 40   /* an excerpt made of a post's content... */
#define EXCERPT_CHARS 300  /* ...and its characters at most */
#define QUOTE_MAX 60	   /* of a title or a name, a message quotes */
#define QUOTE_SLUG_MAX 200 /* of a slug */
#define NAME_TEXT_MAX 1000 /* an author's or a tag's name as text */
#define AUTHOR_TEXT_MAX (4 * AUTHOR_MAX) /* before it is cut */
#define BIO_HTML_MAX (8 * WXR_LINE_MAX)	 /* escaped, with links */
#define MESSAGE_MAX 512			 /* a reason given on standard error */
#define ITEM_ARENA_CHUNK (64 * 1024)
#define NSEC_PER_SEC 1e9
#define POST_KEY_FMT "wp:%lld"	  /* a post's import key... */
#define COMMENT_KEY_FMT "%s:%lld" /* ...and its comments' */

const char cli_wordpress_help[] =
    "usage: fascia [-c FILE] import-wordpress EXPORT.xml\n\n"
    "Bring a WordPress export (Tools > Export > All content) into the\n"
    "blog: its authors, its published and scheduled posts with their\n"
    "slugs, dates, tags and categories (as tags), and their approved\n"
    "comments with their threading.  Commenters' email addresses are\n"
    "stored only as keyed hashes.  Post bodies keep their HTML.  Drafts,\n"
    "pages, attachments, private and password-protected posts, pingbacks\n"
    "and unapproved comments are left out and counted in the report.\n\n"
    "Each post is imported whole, with its comments, or not at all.\n"
    "Running it again with the same file changes nothing; with a newer\n"
    "export it updates what changed (a post edited in fascia since takes\n"
    "the export's version again; comments keep their moderation status).\n"
    "Exit status: 0 when everything usable was imported, 1 when the file\n"
    "or some of its items could not be (each is named, with the reason).\n";

/* The importer's statements: post_store.c's for posts, then its own. */
enum stmt {
	S_POST = POST_UPSERT,
	S_TAGS = POST_TAGS,
	S_POST_TAGS = POST_LINKS,
	S_AUTHOR = POST_STMT__MAX,
	S_REDIRECTS,
	S_COMMENTS,
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S__MAX
};

/* The parameters of S_AUTHOR; a NULL bio keeps the author's. */
enum author_param { AP_SLUG, AP_NAME, AP_BIO_SOURCE, AP_BIO_HTML, AP__MAX };
enum author_col { AUTHOR_COL_OUTCOME };

/* The parameters of S_REDIRECTS: the post's key and its old slugs. */
enum redirect_param { RP_KEY, RP_SLUGS, RP__MAX };

/* The parameters of S_COMMENTS: the post's key, then an array of each. */
enum cm_param {
	CP_POST,
	CP_KEY,
	CP_PARENT_KEY,
	CP_AUTHOR,
	CP_HASH,
	CP_URL,
	CP_BODY,
	CP_DATE,
	CP__MAX
};
enum cm_col { CM_COL_NEW, CM_COL_UPDATED, CM_COL_MATCHED };

/*
 * The importer's own statements (the first few entries are post_store's
 * and stay empty here).  Those with a name are prepared; every parameter
 * is text.
 */
static const struct pg_stmt own_stmts[S__MAX] = {
	[S_AUTHOR] = { "wp_author", AP__MAX,
	    "WITH v AS (SELECT $1::text AS slug, $2::text AS name, "
	    "$3::text AS bio_source, $4::text AS bio_html), "
	    "old AS (SELECT a.* FROM authors a, v WHERE a.slug = v.slug), "
	    "ins AS (INSERT INTO authors (slug, name, bio_source, bio_html) "
	    " SELECT v.slug, v.name, coalesce(v.bio_source, ''), "
	    " coalesce(v.bio_html, '') FROM v "
	    " WHERE NOT EXISTS (SELECT 1 FROM old) "
	    " ON CONFLICT (slug) DO NOTHING RETURNING 'new'::text AS outcome), "
	    "upd AS (UPDATE authors a SET name = v.name, "
	    " bio_source = coalesce(v.bio_source, a.bio_source), "
	    " bio_html = coalesce(v.bio_html, a.bio_html) FROM old, v "
	    " WHERE a.id = old.id AND (old.name <> v.name "
	    " OR old.bio_source <> coalesce(v.bio_source, old.bio_source) "
	    " OR old.bio_html <> coalesce(v.bio_html, old.bio_html)) "
	    " RETURNING 'updated'::text AS outcome) "
	    "SELECT outcome FROM ins UNION ALL SELECT outcome FROM upd "
	    "UNION ALL SELECT 'unchanged' FROM old "
	    "WHERE NOT EXISTS (SELECT 1 FROM upd)" },
	[S_REDIRECTS] = { "wp_redirects", RP__MAX,
	    "INSERT INTO slug_redirects (old_slug, post_id) "
	    "SELECT s, p.id FROM posts p, unnest($2::text::text[]) AS s "
	    "WHERE p.import_key = $1::text AND s <> p.slug "
	    "AND NOT EXISTS (SELECT 1 FROM posts q WHERE q.slug = s) "
	    "ON CONFLICT (old_slug) DO NOTHING" },
	[S_COMMENTS] = { "wp_comments", CP__MAX,
	    "WITH x AS (SELECT * FROM unnest($2::text::text[], "
	    "$3::text::text[], $4::text::text[], $5::text::text[], "
	    "$6::text::text[], $7::text::text[], $8::text::text[]) "
	    " AS x(key, parent_key, author, hash, url, body, at)), "
	    "v AS (SELECT x.key, "
	    " (SELECT id FROM posts WHERE import_key = $1::text) AS post_id, "
	    " par.id AS parent_id, x.author, x.hash::bytea AS hash, x.url, "
	    " x.body, x.at::timestamptz AS at FROM x "
	    " LEFT JOIN comments par ON par.import_key = x.parent_key), "
	    "cur AS (SELECT c.id, c.import_key, c.parent_id, c.author_name, "
	    " c.email_hash, c.url, c.body, c.created_at FROM comments c "
	    " JOIN v ON c.import_key = v.key), "
	    "upd AS (UPDATE comments c SET parent_id = v.parent_id, "
	    " author_name = v.author, email_hash = v.hash, url = v.url, "
	    " body = v.body, created_at = v.at "
	    " FROM cur JOIN v ON v.key = cur.import_key "
	    " WHERE c.id = cur.id AND (cur.parent_id IS DISTINCT FROM "
	    " v.parent_id OR cur.author_name <> v.author "
	    " OR cur.email_hash <> v.hash OR cur.url <> v.url "
	    " OR cur.body <> v.body OR cur.created_at <> v.at) RETURNING 1), "
	    "ins AS (INSERT INTO comments (post_id, parent_id, author_name, "
	    " email_hash, url, body, status, created_at, import_key) "
	    " SELECT v.post_id, v.parent_id, v.author, v.hash, v.url, v.body, "
	    " 'approved', v.at, v.key FROM v "
	    " WHERE NOT EXISTS (SELECT 1 FROM cur "
	    " WHERE cur.import_key = v.key) "
	    " RETURNING 1) "
	    "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd), "
	    "(SELECT count(*) FROM cur)" },
	[S_BEGIN] = { NULL, 0, "BEGIN" },
	[S_COMMIT] = { NULL, 0, "COMMIT" },
	[S_ROLLBACK] = { NULL, 0, "ROLLBACK" },
};

static const struct pg_stmt *const stmts[S__MAX] = {
	[S_POST] = &post_stmts[POST_UPSERT],
	[S_TAGS] = &post_stmts[POST_TAGS],
	[S_POST_TAGS] = &post_stmts[POST_LINKS],
	[S_AUTHOR] = &own_stmts[S_AUTHOR],
	[S_REDIRECTS] = &own_stmts[S_REDIRECTS],
	[S_COMMENTS] = &own_stmts[S_COMMENTS],
	[S_BEGIN] = &own_stmts[S_BEGIN],
	[S_COMMIT] = &own_stmts[S_COMMIT],
	[S_ROLLBACK] = &own_stmts[S_ROLLBACK],
};

/* How post_store.c's outcomes are counted. */
static const enum wp_outcome post_outcomes[] = {
	[POST_NEW] = WP_NEW,
	[POST_UPDATED] = WP_UPDATED,
	[POST_UNCHANGED] = WP_UNCHANGED,
};

/* A comment of the post being imported: its parameters once wanted. */
struct cm {
	const struct wxr_comment *src;
	const char *v[CP__MAX];
};

/* A run of the importer. */
struct import {
	PGconn *conn;
	struct keys keys;
	struct wp_tally tally;
	struct strmap authors;	    /* login -> slug, those imported */
	struct strmap author_slugs; /* slug -> login */
	struct strmap tags;	    /* slugs done in this run */
	struct arena a;		    /* the current item's work */
	struct buf tmp;		    /* scratch: one text at a time */
	struct pg_pipeline pl;	    /* broken: the connection or memory
				     * failed */
	/* What the current item's statements returned. */
	int sql_failed;
	char sql_err[MESSAGE_MAX];
	int answered; /* outcome is the author's */
	enum wp_outcome outcome;
	struct post_result post;
	long changes;			  /* redirects changed */
	long c_new, c_updated, c_matched; /* this post's comments */
	struct cm *cms;			  /* this post's comments... */
	struct wpc *plan;		  /* ...and what becomes of them */
};

/* --- messages ----------------------------------------------------------- */

/*
 * Where to cut s, longer than max bytes, to keep at most max bytes of
 * whole characters: back from max to the start of a character.
 */
static size_t
char_cut(const char *s, size_t max)
{
	/* UTF-8 continuation bytes are 10xxxxxx. */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* s for a terminal: controls as '?', at most max bytes, whole characters. */
static const char *
shown(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s), i;
	char *out;

	if (n > max)
		n = char_cut(s, max);
	if ((out = arena_strndup(a, s, n)) == NULL)
		return "?";
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	return out;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/* --- the statements' results ------------------------------------------ */

/* The first statement of the item that the server refused, and why. */
static void
refused(void *arg, int stmt, PGresult *res)
{
	struct import *im = arg;
	const char *msg, *constraint;

	if (im->sql_failed)
		return;
	im->sql_failed = 1;
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	if (constraint != NULL && strcmp(constraint, "posts_slug_key") == 0)
		snprintf(im->sql_err, sizeof(im->sql_err),
		    "its slug belongs "
		    "to another post already (one from elsewhere, or another "
		    "post of this export)");
	else if (stmt == S_COMMENTS)
		snprintf(im->sql_err, sizeof(im->sql_err),
		    "the database "
		    "refused its comments: %s",
		    msg != NULL ? msg : "unknown error");
	else
		snprintf(im->sql_err, sizeof(im->sql_err),
		    "the database "
		    "refused it: %s",
		    msg != NULL ? msg : "unknown error");
}

/* The outcome the author's statement returned, if it did. */
static void
outcome_of(struct import *im, const PGresult *res)
{
	im->answered = PQntuples(res) == 1 &&
	    wp_outcome_parse(PQgetvalue(res, 0, AUTHOR_COL_OUTCOME),
		&im->outcome);
}

static long
count(const PGresult *res, int col)
{
	return strtol(PQgetvalue(res, 0, col), NULL, 10);
}

/* Take in the result of one statement that worked. */
static void
took(void *arg, int stmt, PGresult *res)
{
	struct import *im = arg;

	switch (stmt) {
	case S_POST:
	case S_TAGS:
	case S_POST_TAGS:
		post_store_took(&im->post, (enum post_stmt)stmt, res);
		break;
	case S_AUTHOR:
		outcome_of(im, res);
		break;
	case S_REDIRECTS:
		im->changes += strtol(PQcmdTuples(res), NULL, 10);
		break;
	case S_COMMENTS:
		if (PQntuples(res) == 1) {
			im->c_new += count(res, CM_COL_NEW);
			im->c_updated += count(res, CM_COL_UPDATED);
			im->c_matched += count(res, CM_COL_MATCHED);
		}
		break;
	default:
		break;
	}
}

/* Stop the run: say so once.  Returns 0, for on_*() to return. */
static int
out_of_memory(struct import *im)
{
	return pg_pipeline_stop(&im->pl, "out of memory");
}

/* Forget the last record: its memory and what its statements returned. */
static void
item_reset(struct import *im)
{
	arena_reset(&im->a);
	im->sql_failed = 0;
	im->sql_err[0] = '\0';
	im->answered = 0;
	memset(&im->post, 0, sizeof(im->post));
	im->changes = 0;
	im->c_new = im->c_updated = im->c_matched = 0;
	im->cms = NULL;
	im->plan = NULL;
}

/*
 * The text of some HTML (NULL: none), at most max bytes, in the item's
 * arena; NULL when it is longer or memory ran out.
 */
static char *
text_of(struct import *im, const char *html, enum wptext_mode mode, size_t max)
{
	buf_reset(&im->tmp);
	im->tmp.max = max;
	if (!wptext_from_html(&im->tmp, str(html), strlen(str(html)), mode))
		return NULL;
	return arena_strndup(&im->a, im->tmp.data != NULL ? im->tmp.data : "",
	    im->tmp.len);
}

/* s cut to at most max bytes, at a character boundary. */
static void
cut_utf8(char *s, size_t max)
{
	if (strlen(s) > max)
		s[char_cut(s, max)] = '\0';
}

/* --- authors ------------------------------------------------------------ */

static void
author_failed(struct import *im, const struct wxr_author *a, const char *why)
{
	im->tally.failed[WP_FAIL_AUTHOR]++;
	fprintf(stderr,
	    "fascia " PROG ": line %ld: author \"%s\": not "
	    "imported: %s\n",
	    a->line, shown(&im->a, str(a->f[WA_LOGIN]), QUOTE_MAX), why);
}

/*
 * wxr_read()'s handler of an author: its row, created or updated.
 * Returns 1 to go on, 0 to stop (the connection or memory failed).
 */
static int
on_author(void *arg, const struct wxr_author *a)
{
	struct import *im = arg;
	char slug[SLUG_MAX + 1], *bio_html = NULL;
	const char *v[AP__MAX], *login, *name, *bio = NULL, *other;

	item_reset(im);
	login = str(a->f[WA_LOGIN]);
	if (*login == '\0') {
		author_failed(im, a, "it has no login");
		return 1;
	}
	if (!slug_from_text(login, slug) && !wptext_slugify(login, slug)) {
		author_failed(im, a, "no slug can be made of its login");
		return 1;
	}
	if ((other = strmap_get(&im->author_slugs, slug)) != NULL &&
	    strcmp(other, login) != 0) {
		author_failed(im, a,
		    "its login makes the same slug as "
		    "another author's");
		return 1;
	}
	if ((name = text_of(im, a->f[WA_DISPLAY_NAME], WPTEXT_INLINE,
		 NAME_TEXT_MAX)) == NULL)
		return out_of_memory(im);
	if (*name == '\0') {
		name = arena_printf(&im->a, "%s %s", str(a->f[WA_FIRST_NAME]),
		    str(a->f[WA_LAST_NAME]));
		if (name == NULL ||
		    (name = text_of(im, name, WPTEXT_INLINE, NAME_TEXT_MAX)) ==
			NULL)
			return out_of_memory(im);
	}
	if (*name == '\0' &&
	    (name = text_of(im, login, WPTEXT_INLINE, NAME_TEXT_MAX)) == NULL)
		return out_of_memory(im);
	if (a->f[WA_DESCRIPTION] != NULL) {
		if ((bio = text_of(im, a->f[WA_DESCRIPTION], WPTEXT_LINES,
			 WXR_LINE_MAX)) == NULL)
			return out_of_memory(im);
		buf_reset(&im->tmp);
		im->tmp.max = BIO_HTML_MAX;
		text_to_html(&im->tmp, bio, strlen(bio));
		if (im->tmp.failed ||
		    (bio_html = arena_strndup(&im->a,
			 im->tmp.data != NULL ? im->tmp.data : "",
			 im->tmp.len)) == NULL)
			return out_of_memory(im);
		if (*bio == '\0')
			bio = bio_html = NULL; /* empty: keep the bio */
	}
	v[AP_SLUG] = slug;
	v[AP_NAME] = *name != '\0' ? name : slug;
	v[AP_BIO_SOURCE] = bio;
	v[AP_BIO_HTML] = bio_html;
	if (!pg_pipeline_send(&im->pl, S_AUTHOR, v) ||
	    !pg_pipeline_sync(&im->pl))
		return 0;
	if (im->sql_failed || !im->answered) {
		author_failed(im, a,
		    im->sql_failed ?
			im->sql_err :
			"it was changed meanwhile; run the import again");
		return 1;
	}
	im->tally.counts[WP_AUTHORS][im->outcome]++;
	if (!strmap_put(&im->authors, login, slug) ||
	    !strmap_put(&im->author_slugs, slug, login))
		return out_of_memory(im);
	return 1;
}

/* --- posts -------------------------------------------------------------- */

/* The post's slug: WordPress's, decoded, else one made of its title. */
static const char *
post_slug(struct import *im, const struct wxr_item *it, const char *title,
    long long id, const char **why)
{
	char slug[SLUG_MAX + 1];
	const char *name = str(it->f[WI_POST_NAME]);

	*why = NULL;
	if (*name != '\0') {
		if (!wptext_slug_decode(name, slug) || !wptext_slug_ok(slug)) {
			*why = arena_printf(&im->a,
			    "its slug \"%s\" is not "
			    "one fascia can serve",
			    shown(&im->a, name, QUOTE_SLUG_MAX));
			return NULL;
		}
	} else if (!slug_from_text(title, slug) && !wptext_slugify(title, slug))
		snprintf(slug, sizeof(slug), "post-%lld", id);
	if (slug_reserved(slug)) {
		*why = arena_printf(&im->a,
		    "its slug \"%s\" is a section of "
		    "the site (/%s/)",
		    slug, slug);
		return NULL;
	}
	return arena_strdup(&im->a, slug);
}

/*
 * The array literal of the n strings s, in the item's arena, or NULL when
 * out of memory.
 */
static const char *
item_array(struct import *im, const char *const *s, size_t n)
{
	buf_reset(&im->tmp);
	im->tmp.max = SIZE_MAX / 2;
	if (!pg_array(&im->tmp, s, n))
		return NULL;
	return arena_strndup(&im->a, im->tmp.data, im->tmp.len);
}

/* The same of parameter k of the n comments of the post at order. */
static const char *
cm_array(struct import *im, const size_t *order, size_t n, enum cm_param k)
{
	size_t i;

	buf_reset(&im->tmp);
	im->tmp.max = SIZE_MAX / 2;
	pg_array_open(&im->tmp);
	for (i = 0; i < n; i++)
		pg_array_add(&im->tmp, im->cms[order[i]].v[k]);
	if (!pg_array_close(&im->tmp))
		return NULL;
	return arena_strndup(&im->a, im->tmp.data, im->tmp.len);
}

/* The post's tags, deduplicated by slug; some new to this run. */
struct tagset {
	const char **slugs, **names;
	size_t n;
	const char **new_slugs, **new_names;
	size_t nnew;
	long skipped[WP_SKIP__MAX];
	long failed;
};

/*
 * The item's categories and tags, as tags: into *ts, in the item's arena.
 * Returns 1, or 0 when out of memory.
 */
static int
post_tags(struct import *im, const struct wxr_item *it, const char *label,
    struct tagset *ts)
{
	char slug[SLUG_MAX + 1];
	const struct wxr_term *t;
	const char *name;
	size_t i, j, n = it->nterms;
	enum wp_skip sk;

	memset(ts, 0, sizeof(*ts));
	if (n == 0)
		return 1;
	/* Four arrays of n: slugs, names, and those of the new ones. */
	if ((ts->slugs = arena_alloc(&im->a, 4 * n * sizeof(char *))) == NULL)
		return 0;
	ts->names = ts->slugs + n;
	ts->new_slugs = ts->names + n;
	ts->new_names = ts->new_slugs + n;
	for (i = 0; i < n; i++) {
		t = &it->terms[i];
		if (wp_skip_term(t, &sk)) {
			ts->skipped[sk]++;
			continue;
		}
		if ((name = text_of(im, t->name, WPTEXT_INLINE,
			 NAME_TEXT_MAX)) == NULL)
			return 0;
		if (!(t->nicename != NULL &&
			wptext_slug_decode(t->nicename, slug) &&
			wptext_slug_ok(slug)) &&
		    !slug_from_text(name, slug) &&
		    !wptext_slugify(name, slug)) {
			ts->failed++;
			fprintf(stderr,
			    "fascia " PROG ": line %ld: a tag of "
			    "%s: not imported: no slug can be made of "
			    "\"%s\"\n",
			    it->line, label, shown(&im->a, name, QUOTE_MAX));
			continue;
		}
		for (j = 0; j < ts->n; j++)
			if (strcmp(ts->slugs[j], slug) == 0)
				break;
		if (j < ts->n)
			continue;
		if ((ts->slugs[ts->n] = arena_strdup(&im->a, slug)) == NULL)
			return 0;
		if (*name == '\0')
			name = ts->slugs[ts->n];
		ts->names[ts->n] = name;
		if (strmap_get(&im->tags, slug) == NULL) {
			ts->new_slugs[ts->nnew] = ts->slugs[ts->n];
			ts->new_names[ts->nnew++] = name;
		}
		ts->n++;
	}
	return 1;
}

/* --- comments ----------------------------------------------------------- */

/*
 * Fill in the parameters of the wanted comment c (WordPress's comment_id
 * id).  Returns "" when they are, the reason it cannot be imported, or
 * NULL when out of memory.
 */
static const char *
comment_params(struct import *im, struct cm *c, long long id,
    const char *post_key)
{
	unsigned char hash[HASH_BYTES];
	char date[WPTEXT_DATE_LEN + 1], *hex, *author, *url;
	const char *body;
	const char *const *f = c->src->f;

	if (!wptext_date(str(f[WC_DATE_GMT]), date) &&
	    !wptext_date(str(f[WC_DATE]), date))
		return "it has no valid date";
	if ((body = text_of(im, f[WC_CONTENT], WPTEXT_LINES, WXR_TEXT_MAX)) ==
	    NULL)
		return NULL;
	if (*body == '\0')
		return "it has no text";
	if (strlen(body) > COMMENT_MAX)
		return "its text is longer than " COMMENT_MAX_TEXT " bytes";
	if ((author = text_of(im, f[WC_AUTHOR], WPTEXT_INLINE,
		 AUTHOR_TEXT_MAX)) == NULL)
		return NULL;
	cut_utf8(author, AUTHOR_MAX);
	if ((url = arena_strdup(&im->a, str(f[WC_AUTHOR_URL]))) == NULL)
		return NULL;
	if (strlen(url) > URL_MAX || !url_http_ok(url))
		url[0] = '\0'; /* "http://", "javascript:": not a link */
	if ((hex = arena_alloc(&im->a, PG_BYTEA_HEX_SIZE(HASH_BYTES))) == NULL)
		return NULL;
	email_hash(&im->keys, str(f[WC_AUTHOR_EMAIL]), hash);
	pg_bytea_hex(hex, hash, sizeof(hash));
	sodium_memzero(hash, sizeof(hash));
	c->v[CP_POST] = post_key;
	c->v[CP_KEY] = arena_printf(&im->a, COMMENT_KEY_FMT, post_key, id);
	c->v[CP_AUTHOR] = *author != '\0' ? author : "Anonymous";
	c->v[CP_HASH] = hex;
	c->v[CP_URL] = url;
	c->v[CP_BODY] = body;
	c->v[CP_DATE] = arena_strdup(&im->a, date);
	if (c->v[CP_KEY] == NULL || c->v[CP_DATE] == NULL)
		return NULL;
	return "";
}

/* Where wpc_plan() says what it found wrong. */
struct plan_ctx {
	struct import *im;
	const char *label;
	long *failed;
};

static void
plan_bad(void *arg, size_t i, enum wpc_problem why)
{
	struct plan_ctx *x = arg;

	(*x->failed)++;
	fprintf(stderr,
	    "fascia " PROG ": line %ld: comment %lld on %s: not "
	    "imported: %s\n",
	    x->im->cms[i].src->line, x->im->plan[i].id, x->label,
	    why == WPC_SAME_ID ? "another comment of the post has "
				 "its comment_id" :
				 "its comment_parent chain loops");
}

/*
 * Sort out the item's comments: which are wanted, which are bad, who
 * answers whom, and the order to insert them in (parents first).  The
 * indexes of the comments to import go to *order.  Returns 1, or 0 on
 * exhausted memory.
 */
static int
plan_comments(struct import *im, const struct wxr_item *it,
    const char *post_key, const char *label, long skipped[WP_SKIP__MAX],
    long *failed, size_t **order, size_t *norder)
{
	struct plan_ctx x = { im, label, failed };
	struct cm *c;
	struct wpc *p;
	const char *why;
	size_t n = it->ncomments, i;
	enum wp_skip sk;

	*order = NULL;
	*norder = 0;
	if (n == 0)
		return 1;
	if ((im->cms = c = arena_alloc(&im->a, n * sizeof(*c))) == NULL ||
	    (im->plan = p = arena_alloc(&im->a, n * sizeof(*p))) == NULL)
		return 0;
	memset(c, 0, n * sizeof(*c));
	memset(p, 0, n * sizeof(*p));
	for (i = 0; i < n; i++) {
		c[i].src = &it->comments[i];
		if (!wptext_id(str(c[i].src->f[WC_ID]), &p[i].id)) {
			p[i].state = WPC_BAD;
			(*failed)++;
			fprintf(stderr,
			    "fascia " PROG ": line %ld: a comment "
			    "on %s: not imported: it has no valid comment_id\n",
			    c[i].src->line, label);
			continue;
		}
		if (!wptext_id(str(c[i].src->f[WC_PARENT]), &p[i].parent))
			p[i].parent = 0;
		if (wp_skip_comment(c[i].src, &sk)) {
			skipped[sk]++;
			p[i].state = WPC_LEFT_OUT;
			continue;
		}
		if ((why = comment_params(im, &c[i], p[i].id, post_key)) ==
		    NULL)
			return 0;
		if (*why != '\0') {
			p[i].state = WPC_BAD;
			(*failed)++;
			fprintf(stderr,
			    "fascia " PROG ": line %ld: comment "
			    "%lld on %s: not imported: %s\n",
			    c[i].src->line, p[i].id, label, why);
			continue;
		}
		p[i].state = WPC_WANTED;
	}
	if (!wpc_plan(p, n, &im->a, plan_bad, &x, order, norder))
		return 0;
	for (i = 0; i < *norder; i++) {
		c = &im->cms[(*order)[i]];
		p = &im->plan[(*order)[i]];
		c->v[CP_PARENT_KEY] = p->reply_to == WPC_NONE ?
		    NULL :
		    im->cms[p->reply_to].v[CP_KEY];
	}
	return 1;
}

/* --- one post ----------------------------------------------------------- */

/* Count the item as a post not imported and say why (NULL: no memory). */
static void
post_failed(struct import *im, const struct wxr_item *it, const char *label,
    const char *why)
{
	im->tally.failed[WP_FAIL_POST]++;
	fprintf(stderr, "fascia " PROG ": line %ld: %s: not imported: %s\n",
	    it->line, label, why != NULL ? why : "out of memory");
}

/*
 * Send a post's statements (row is the post, rv the parameters of its
 * redirects or NULL) and commit.  Returns 0 if the link broke.
 */
static int
send_post(struct import *im, const struct post_row *row, const char *const *rv,
    const size_t *order, size_t norder)
{
	struct post_step steps[POST_STMT__MAX];
	const char *cv[CP__MAX];
	size_t nsteps, i, j;
	int k;

	if (!post_store_plan(row, &im->tmp, &im->a, steps, &nsteps))
		return out_of_memory(im);
	if (!pg_pipeline_send(&im->pl, S_BEGIN, NULL) ||
	    !pg_pipeline_send(&im->pl, (int)steps[0].stmt, steps[0].v))
		return 0;
	/* Its old slugs right after its row, as they always came. */
	if (rv != NULL && !pg_pipeline_send(&im->pl, S_REDIRECTS, rv))
		return 0;
	for (i = 1; i < nsteps; i++)
		if (!pg_pipeline_send(&im->pl, (int)steps[i].stmt, steps[i].v))
			return 0;
	/* Comments go in a statement per level of replies, parents first,
	 * so that each finds its parent's row. */
	for (i = 0; i < norder && !im->sql_failed; i = j) {
		for (j = i + 1; j < norder && j - i < COMMENT_BATCH &&
		     im->plan[order[j]].depth == im->plan[order[i]].depth;
		     j++)
			;
		cv[CP_POST] = row->import_key;
		for (k = CP_KEY; k < CP__MAX; k++)
			if ((cv[k] = cm_array(im, order + i, j - i, k)) == NULL)
				return out_of_memory(im);
		if (!pg_pipeline_send(&im->pl, S_COMMENTS, cv))
			return 0;
	}
	if (!im->sql_failed && !pg_pipeline_send(&im->pl, S_COMMIT, NULL))
		return 0;
	if (!pg_pipeline_sync(&im->pl))
		return 0;
	if (im->sql_failed || !im->post.answered)
		return pg_pipeline_rollback(&im->pl, S_ROLLBACK);
	return 1;
}

/*
 * wxr_read()'s handler of an item: a post, with its tags, redirects and
 * comments, in one transaction; anything else counted as left out.
 * Returns 1 to go on, 0 to stop (the connection or memory failed).
 */
static int
on_item(void *arg, const struct wxr_item *it)
{
	struct import *im = arg;
	char date[WPTEXT_DATE_LEN + 1];
	const char *rv[RP__MAX], *label, *title, *slug, *author, *why;
	const char *excerpt = "", *key, **old;
	struct post_row row;
	struct tagset ts;
	size_t *order;
	long skipped[WP_SKIP__MAX], failed = 0;
	size_t norder, i, nold = 0;
	long long id;
	enum wp_outcome out;
	enum wp_skip sk;

	item_reset(im);
	if (wp_skip_item(it, &sk)) {
		im->tally.skipped[sk]++;
		return 1;
	}
	if (!wptext_id(str(it->f[WI_POST_ID]), &id)) {
		post_failed(im, it, "a post", "it has no valid wp:post_id");
		return 1;
	}
	if ((title = text_of(im, it->f[WI_TITLE], WPTEXT_INLINE,
		 WXR_LINE_MAX)) == NULL ||
	    (label = arena_printf(&im->a, "post %lld \"%s\"", id,
		 shown(&im->a, title, QUOTE_MAX))) == NULL)
		return out_of_memory(im);
	if (it->bad != NULL) {
		post_failed(im, it, label, it->bad);
		return 1;
	}
	if ((author = strmap_get(&im->authors, str(it->f[WI_CREATOR]))) ==
	    NULL) {
		post_failed(im, it, label,
		    arena_printf(&im->a,
			"its author "
			"\"%s\" is not among the export's authors, or was not "
			"imported",
			shown(&im->a, str(it->f[WI_CREATOR]), QUOTE_MAX)));
		return 1;
	}
	if (!wptext_date(str(it->f[WI_POST_DATE_GMT]), date) &&
	    !wptext_date(str(it->f[WI_POST_DATE]), date)) {
		post_failed(im, it, label, "it has no valid date");
		return 1;
	}
	if ((slug = post_slug(im, it, title, id, &why)) == NULL) {
		post_failed(im, it, label, why);
		return 1;
	}
	if (it->f[WI_EXCERPT] != NULL &&
	    (excerpt = text_of(im, it->f[WI_EXCERPT], WPTEXT_INLINE,
		 WXR_TEXT_MAX)) == NULL)
		return out_of_memory(im);
	if (it->f[WI_EXCERPT] == NULL || *excerpt == '\0') {
		buf_reset(&im->tmp);
		im->tmp.max = WXR_TEXT_MAX;
		if (!wptext_excerpt(&im->tmp, str(it->f[WI_CONTENT]),
			strlen(str(it->f[WI_CONTENT])), EXCERPT_WORDS,
			EXCERPT_CHARS) ||
		    (excerpt = arena_strndup(&im->a,
			 im->tmp.data != NULL ? im->tmp.data : "",
			 im->tmp.len)) == NULL)
			return out_of_memory(im);
	}
	if ((key = arena_printf(&im->a, POST_KEY_FMT, id)) == NULL)
		return out_of_memory(im);
	memset(&row, 0, sizeof(row));
	row.import_key = key;
	row.slug = slug;
	row.title = *title != '\0' ? title : "(no title)";
	row.excerpt = excerpt;
	row.body_source = ""; /* the export's HTML is the source */
	row.body_html = str(it->f[WI_CONTENT]);
	row.author = author;
	row.published = 1;
	row.date = date;
	row.comments_open =
	    strcmp(str(it->f[WI_COMMENT_STATUS]), "closed") != 0;

	/* _wp_old_slug: the URLs the post had before keep answering. */
	if (it->nold_slugs > 0) {
		char oslug[SLUG_MAX + 1];

		if ((old = arena_alloc(&im->a,
			 it->nold_slugs * sizeof(*old))) == NULL)
			return out_of_memory(im);
		for (i = 0; i < it->nold_slugs; i++)
			if (wptext_slug_decode(it->old_slugs[i], oslug) &&
			    wptext_slug_ok(oslug) && !slug_reserved(oslug) &&
			    strcmp(oslug, slug) != 0 &&
			    (old[nold++] = arena_strdup(&im->a, oslug)) == NULL)
				return out_of_memory(im);
		rv[RP_KEY] = key;
		if (nold > 0 &&
		    (rv[RP_SLUGS] = item_array(im, old, nold)) == NULL)
			return out_of_memory(im);
	}
	if (!post_tags(im, it, label, &ts))
		return out_of_memory(im);
	memset(skipped, 0, sizeof(skipped));
	if (!plan_comments(im, it, key, label, skipped, &failed, &order,
		&norder))
		return out_of_memory(im);

	row.tags = ts.slugs;
	row.ntags = ts.n;
	row.new_tags = ts.new_slugs;
	row.new_names = ts.new_names;
	row.nnew = ts.nnew;
	row.rename_tags = 1; /* the export's names win */
	if (!send_post(im, &row, nold > 0 ? rv : NULL, order, norder))
		return 0;
	if (im->sql_failed || !im->post.answered) {
		post_failed(im, it, label,
		    im->sql_failed ?
			im->sql_err :
			"it was changed meanwhile; run the import again");
		return 1;
	}

	/* Committed: count it all. */
	out = post_outcomes[im->post.outcome];
	if (out == WP_UNCHANGED && im->changes + im->post.links_changed > 0)
		out = WP_UPDATED;
	im->tally.counts[WP_POSTS][out]++;
	if (strcmp(str(it->f[WI_STATUS]), "future") == 0)
		im->tally.scheduled++;
	im->tally.counts[WP_TAGS][WP_NEW] += im->post.tags_new;
	im->tally.counts[WP_TAGS][WP_UPDATED] += im->post.tags_renamed;
	im->tally.counts[WP_TAGS][WP_UNCHANGED] +=
	    (long)ts.nnew - im->post.tags_new - im->post.tags_renamed;
	for (i = 0; i < ts.nnew; i++)
		if (!strmap_put(&im->tags, ts.new_slugs[i], "1"))
			return out_of_memory(im);
	im->tally.counts[WP_COMMENTS][WP_NEW] += im->c_new;
	im->tally.counts[WP_COMMENTS][WP_UPDATED] += im->c_updated;
	im->tally.counts[WP_COMMENTS][WP_UNCHANGED] +=
	    im->c_matched - im->c_updated;
	for (i = 0; i < WP_SKIP__MAX; i++)
		im->tally.skipped[i] += skipped[i] + ts.skipped[i];
	im->tally.failed[WP_FAIL_COMMENT] += failed;
	im->tally.failed[WP_FAIL_TAG] += ts.failed;
	return 1;
}

/* --- the command -------------------------------------------------------- */

/* A monotonic clock in seconds, for the report; 0 if there is none. */
static double
seconds(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
		return 0;
	return (double)t.tv_sec + (double)t.tv_nsec / NSEC_PER_SEC;
}

/*
 * Set up the session, prepare the statements and enter pipeline mode.
 * Returns 1, or 0 after saying what failed.
 */
static int
prepare(struct import *im)
{
	/* Every statement looks rows up by key: a generic plan is as good
	 * as a custom one, and planning each of 20,000 executions would
	 * take more time than running them. */
	if (!cli_db_exec(im->conn,
		"SET synchronous_commit = off; "
		"SET lock_timeout = '10s'; "
		"SET plan_cache_mode = force_generic_plan",
		0, NULL, NULL)) {
		cli_db_fail(im->conn, PROG, "preparing the statements");
		return 0;
	}
	im->pl.conn = im->conn;
	im->pl.prog = PROG;
	im->pl.stmts = stmts;
	im->pl.nstmts = S__MAX;
	im->pl.took = took;
	im->pl.refused = refused;
	im->pl.arg = im;
	return pg_pipeline_start(&im->pl);
}

/*
 * Run `fascia import-wordpress EXPORT.xml`.  Returns the process's exit
 * status: EXIT_SUCCESS when everything usable was imported, EXIT_FAILURE
 * when the file or some of its items could not be, EXIT_USAGE for a usage
 * error.
 */
int
cli_wordpress(const struct conf *c, int argc, char **argv)
{
	unsigned char secret[SECRET_KEY_BYTES];
	struct wxr_handler h = { on_author, on_item, NULL };
	struct import im;
	char err[MESSAGE_MAX];
	enum wxr_res res;
	double t0;
	int rc = EXIT_FAILURE, k;

	if (argc == 1 &&
	    (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
		fputs(cli_wordpress_help, stdout);
		return EXIT_SUCCESS;
	}
	if (argc != 1 || argv[0][0] == '-') {
		fputs(cli_wordpress_help, stderr);
		return EXIT_USAGE;
	}
	if (access(argv[0], R_OK) != 0) {
		fprintf(stderr, "fascia " PROG ": %s: %s\n", argv[0],
		    strerror(errno));
		return EXIT_FAILURE;
	}
	memset(&im, 0, sizeof(im));
	if (sodium_init() < 0) {
		fprintf(stderr, "fascia " PROG ": libsodium failed to start\n");
		return EXIT_FAILURE;
	}
	if (!secret_load(c->secret_key_file, secret))
		return EXIT_FAILURE;
	k = keys_derive(&im.keys, secret);
	sodium_memzero(secret, sizeof(secret));
	if (!k)
		return EXIT_FAILURE;
	t0 = seconds();
	if ((im.conn = cli_db_open(c, PROG)) == NULL) {
		keys_wipe(&im.keys);
		return EXIT_FAILURE;
	}
	arena_init(&im.a, ITEM_ARENA_CHUNK);
	buf_init(&im.tmp, WXR_TEXT_MAX);
	h.arg = &im;
	if (prepare(&im)) {
		res = wxr_read(argv[0], &h, err, sizeof(err));
		(void)pg_pipeline_end(&im.pl);
		if (res == WXR_ERROR)
			fprintf(stderr, "fascia " PROG ": %s: %s\n", argv[0],
			    err);
		wp_report_print(stdout, &im.tally, argv[0], seconds() - t0,
		    res == WXR_ERROR || im.pl.broken);
		rc = res == WXR_OK && !im.pl.broken &&
			!wp_report_failed(&im.tally) ?
		    EXIT_SUCCESS :
		    EXIT_FAILURE;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr,
			    "fascia " PROG ": cannot write the "
			    "report\n");
			rc = EXIT_FAILURE;
		}
	}
	/* Whatever was committed shows on the site's next request. */
	if (PQpipelineStatus(im.conn) == PQ_PIPELINE_OFF)
		(void)keeper_changed(im.conn, c->page_cache_dir);
	PQfinish(im.conn);
	keys_wipe(&im.keys);
	arena_free(&im.a);
	buf_free(&im.tmp);
	strmap_free(&im.authors);
	strmap_free(&im.author_slugs);
	strmap_free(&im.tags);
	xmlCleanupParser();
	return rc;
}
