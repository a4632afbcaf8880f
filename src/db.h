/*
 * db.h: the worker's PostgreSQL connection and the statements it runs.
 */
#ifndef FASCIA_DB_H
#define FASCIA_DB_H

#include <time.h>

#include <libpq-fe.h>

#include "arena.h"

/* The newest migration this build knows; older schemas are refused. */
#define DB_SCHEMA_VERSION 3

/* After a failed connect, no new attempt for this many milliseconds. */
#define DB_RETRY_MS 250

enum stmt {
	STMT_HEALTH,
	STMT_NAV_AUTHORS,
	STMT_POSTS_PAGE,
	STMT_AUTHOR_BY_SLUG,
	STMT_AUTHOR_POSTS,
	STMT_TAG_BY_SLUG,
	STMT_TAG_POSTS,
	STMT_POST_BY_SLUG,
	STMT_POST_TAGS,
	STMT_POST_COMMENTS,
	STMT_COMMENT_PENDING,
	STMT_COMMENT_BY_NONCE,
	STMT_COMMENT_PARENT_OK,
	STMT_COMMENT_FLOOD,
	STMT_COMMENT_DUPLICATE,
	STMT_COMMENT_INSERT,
	/* Finding posts: search.c, archive.c, feed.c, redirect.c. */
	STMT_SEARCH,
	STMT_ARCHIVE_MONTHS,
	STMT_ARCHIVE_POSTS,
	STMT_FEED_STATE,
	STMT_FEED_STATE_TAG,
	STMT_FEED_STATE_AUTHOR,
	STMT_FEED,
	STMT_FEED_TAG,
	STMT_FEED_AUTHOR,
	STMT_SITEMAP_POSTS,
	STMT_SITEMAP_AUTHORS,
	STMT_SITEMAP_TAGS,
	STMT_SLUG_REDIRECT,
	STMT__MAX
};

/* Columns of every listing statement (POSTS_PAGE, AUTHOR_POSTS, TAG_POSTS). */
enum list_col {
	LC_SLUG, LC_TITLE, LC_EXCERPT, LC_DATE_ISO, LC_DATE, LC_AUTHOR_SLUG,
	LC_AUTHOR_NAME, LC_COMMENTS
};
enum post_col {
	PC_ID, PC_SLUG, PC_TITLE, PC_EXCERPT, PC_BODY, PC_DATE_ISO, PC_DATE,
	PC_COMMENTS_OPEN, PC_AUTHOR_SLUG, PC_AUTHOR_NAME, PC_AUTHOR_BIO,
	PC_MODIFIED_ISO
};
/* STMT_SEARCH: title and snippet come marked by ts_headline(). */
enum search_col {
	SC_SLUG, SC_TITLE, SC_SNIPPET, SC_DATE_ISO, SC_DATE, SC_AUTHOR_SLUG,
	SC_AUTHOR_NAME, SC_TOTAL
};
/* How ts_headline() marks a match: U+E000 and U+E001, private use. */
#define DB_MARK_START "\xee\x80\x80"
#define DB_MARK_STOP "\xee\x80\x81"
/* STMT_FEED, _TAG, _AUTHOR; times in seconds since the epoch. */
enum feed_col {
	FC_ID, FC_SLUG, FC_TITLE, FC_EXCERPT, FC_BODY, FC_PUBLISHED,
	FC_MODIFIED, FC_CREATED, FC_AUTHOR_SLUG, FC_AUTHOR_NAME, FC_TAGS
};
enum comment_col {
	CC_ID, CC_PARENT, CC_AUTHOR, CC_URL, CC_BODY, CC_DATE_ISO, CC_DATE,
	CC_EMAIL_HASH, CC_STATUS
};

enum db_res {
	DB_OK,
	DB_UNAVAILABLE,	/* no connection, or it broke: try again later */
	DB_ERROR,	/* the statement failed */
	DB_CONFLICT	/* a unique constraint refused the row */
};

struct db {
	PGconn *conn;
	const char *conninfo;
	const char *timezone;
	long long retry_at;	/* monotonic ms: no new connect before */
};

/* A result copied out of its PGresult into a request's arena. */
struct rows {
	int n;
	int ncols;
	char **v;	/* n * ncols values, NULL for SQL NULL */
};

#define ROW(r, i, c) ((r)->v[(size_t)(i) * (size_t)(r)->ncols + (size_t)(c)])

void db_init(struct db *db, const char *conninfo, const char *timezone);
int db_connect(struct db *db);
enum db_res db_query(struct db *db, struct arena *a, enum stmt s,
    const char *const *params, struct rows *out);
enum db_res db_write(struct db *db, struct arena *a, enum stmt s,
    const char *const *params, struct rows *out, int idempotent);
void db_close(struct db *db);

/*
 * The rows of a parameterless statement, kept by a worker for a while:
 * lists that change rarely and appear on many pages (the navigation's
 * authors, the archive's months).
 */
struct db_cache {
	enum stmt stmt;
	int ttl;		/* seconds */
	time_t fetched;
	int valid;
	struct arena arena;
	struct rows rows;
};

const struct rows *db_cached(struct db *db, struct db_cache *c);
int db_schema_version(PGconn *conn);

#endif
