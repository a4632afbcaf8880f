/*
 * db.h: the worker's PostgreSQL connection, the statements it runs and
 * the rows they return, typed.
 */
#ifndef FASCIA_DB_H
#define FASCIA_DB_H

#include <time.h>

#include <libpq-fe.h>

#include "arena.h"

/* The newest migration this build knows; older schemas are refused. */
#define DB_SCHEMA_VERSION 5

/* After a failed connect, no new attempt for this many milliseconds. */
#define DB_RETRY_MS 250

/*
 * Every statement a worker runs, prepared when it connects.  Each says
 * which member of struct db_rows holds its rows; "none" means only the
 * number of rows is read.
 */
enum stmt {
	STMT_HEALTH,		/* none */
	STMT_NAV_AUTHORS,	/* author: slug, name */
	STMT_POSTS_PAGE,	/* listing */
	STMT_AUTHOR_BY_SLUG,	/* author */
	STMT_AUTHOR_POSTS,	/* listing */
	STMT_TAG_BY_SLUG,	/* tag */
	STMT_TAG_POSTS,		/* listing */
	STMT_POST_BY_SLUG,	/* post */
	STMT_POST_TAGS,		/* tag: slug, name */
	STMT_POST_COMMENTS,	/* comment */
	STMT_COMMENT_PENDING,	/* comment */
	STMT_COMMENT_BY_NONCE,	/* comment: id, status */
	STMT_COMMENT_PARENT_OK, /* none */
	STMT_COMMENT_FLOOD,	/* none */
	STMT_COMMENT_DUPLICATE, /* none */
	STMT_COMMENT_INSERT,	/* comment: id, status */
	STMT_SEARCH,		/* hit */
	STMT_ARCHIVE_MONTHS,	/* month */
	STMT_ARCHIVE_POSTS,	/* listing */
	STMT_FEED,		/* item */
	STMT_FEED_TAG,		/* item */
	STMT_FEED_AUTHOR,	/* item */
	STMT_SITEMAP_POSTS,	/* url */
	STMT_SITEMAP_AUTHORS,	/* url */
	STMT_SITEMAP_TAGS,	/* url */
	STMT_SLUG_REDIRECT,	/* post: slug */
	STMT__MAX
};

/*
 * The rows.  Every value is text as PostgreSQL sends it, NULL for SQL
 * NULL; a statement that selects fewer columns than its type has leaves
 * the others NULL.  Dates come twice: *_iso in UTC for machines, the
 * other in the site's time zone for readers.
 */
struct db_author {
	const char *id, *slug, *name, *bio_html;
};

/* A post in a listing: the home page, an author's, a tag's, a month's. */
struct db_listing {
	const char *slug, *title, *excerpt, *date_iso, *date;
	const char *author_slug, *author_name;
	const char *comments; /* approved comments */
};

struct db_tag {
	const char *id, *slug, *name;
};

struct db_post {
	const char *id, *slug, *title, *excerpt, *body_html;
	const char *date_iso, *date;
	const char *comments_open; /* "t" or "f" */
	const char *author_slug, *author_name, *author_bio;
	const char *modified_iso;
};

struct db_comment {
	const char *id, *parent_id, *author_name, *url, *body;
	const char *date_iso, *date;
	const char *email_hash; /* hex */
	const char *status;
};

/* How ts_headline() marks a match: U+E000 and U+E001, private use. */
#define DB_MARK_START "\xee\x80\x80"
#define DB_MARK_STOP "\xee\x80\x81"

/* A search result; title and snippet come marked by ts_headline(). */
struct db_search_hit {
	const char *slug, *title, *snippet, *date_iso, *date;
	const char *author_slug, *author_name;
	const char *total; /* matches in all, on every row */
};

/* A month of the site's time zone with published posts. */
struct db_month {
	const char *month; /* "2025/03" */
	const char *posts;
};

/* A feed entry; times in seconds since the epoch. */
struct db_feed_item {
	const char *id, *slug, *title, *excerpt, *body_html;
	const char *published, *modified;
	const char *created; /* "YYYY-MM-DD", UTC, for the entry's id */
	const char *author_slug, *author_name;
	const char *tags; /* "slug\x1fname" joined by \x1e, or NULL */
};

/* A page of the sitemap: its slug and newest change (epoch seconds). */
struct db_sitemap_url {
	const char *slug, *modified;
};

/*
 * A result, copied out of its PGresult into an arena.  n is the number of
 * rows; the member named next to the statement in enum stmt points at
 * them (any member may be read when n is 0: they are all NULL then).
 */
struct db_rows {
	int n;
	union {
		const void *any;
		const struct db_author *author;
		const struct db_listing *listing;
		const struct db_tag *tag;
		const struct db_post *post;
		const struct db_comment *comment;
		const struct db_search_hit *hit;
		const struct db_month *month;
		const struct db_feed_item *item;
		const struct db_sitemap_url *url;
	};
};

enum db_res {
	DB_OK,
	DB_UNAVAILABLE, /* no connection, or it broke: try again later */
	DB_ERROR,	/* the statement failed */
	DB_CONFLICT	/* a unique constraint refused the row */
};

struct db {
	PGconn *conn;
	const char *conninfo;
	const char *timezone;
	long long retry_at; /* monotonic ms: no new connect before */
};

/* One statement of db_query_all(): what to run, with what, rows where. */
struct db_call {
	enum stmt stmt;
	const char *const *params;
	struct db_rows *out;
};

void db_init(struct db *db, const char *conninfo, const char *timezone);
int db_connect(struct db *db);
enum db_res db_query(struct db *db, struct arena *a, enum stmt s,
    const char *const *params, struct db_rows *out);
enum db_res db_query_all(struct db *db, struct arena *a,
    const struct db_call *calls, int n);
enum db_res db_write(struct db *db, struct arena *a, enum stmt s,
    const char *const *params, struct db_rows *out, int idempotent);
void db_close(struct db *db);

/*
 * The rows of a parameterless statement, kept by a worker for a while:
 * lists that change rarely and appear on many pages (the navigation's
 * authors, the archive's months).  Set stmt and ttl, zero the rest.
 */
struct db_cache {
	enum stmt stmt;
	int ttl; /* seconds */
	time_t fetched;
	int valid; /* rows hold a successful fetch */
	struct arena arena;
	struct db_rows rows;
};

const struct db_rows *db_cached(struct db *db, struct db_cache *c);
const struct db_rows *db_cached_last(const struct db_cache *c);
void db_cache_free(struct db_cache *c);
int db_schema_version(PGconn *conn);
#define DB_SCHEMA_UNREAD (-1) /* db_schema_check(): no version to read */
#define DB_SCHEMA_OLD (-2)    /* older than this build's: run migrate */
int db_schema_check(PGconn *conn, const char *prog);

#endif
