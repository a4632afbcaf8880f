/*
 * db.c: the worker's PostgreSQL connection and every statement it runs.
 *
 * Each worker owns one connection and prepares all statements once, when
 * it connects.  A PGresult never leaves this file: rows are copied into an
 * arena as the typed structs of db.h.  Each statement lists its columns by
 * the names of their fields, and the names PostgreSQL reports for the
 * prepared statement are checked against that list when it is prepared:
 * a SELECT whose columns were reordered, renamed or miscounted stops the
 * connection with a clear error instead of filling the wrong fields.
 *
 * A connection that broke (a restarted server reports nothing until a
 * query fails, and then without SQLSTATE) is dropped and made again, and
 * a read is retried once on the new one.  While the server is down,
 * connection attempts are spaced out so that each request is answered at
 * once with DB_UNAVAILABLE instead of waiting.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* The first chunk of a cache's arena: the rows of a typical list fit. */
#define CACHE_ARENA_CHUNK 2048

/* A post's dates: in UTC for machines, in the site's time zone for people. */
#define PUBLISHED_ISO \
	"to_char(p.published_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS date_iso "
#define PUBLISHED_DATE "to_char(p.published_at, 'FMMonth FMDD, YYYY') AS date "
#define PUBLISHED_DATES PUBLISHED_ISO ", " PUBLISHED_DATE
#define MODIFIED_ISO \
	"to_char(greatest(p.updated_at, p.published_at) AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS modified_iso "

#define LISTING_COLUMNS \
	"p.slug, p.title, p.excerpt, " PUBLISHED_DATES ", " \
	"a.slug AS author_slug, a.name AS author_name, " \
	"(SELECT count(*) FROM comments c WHERE c.post_id = p.id " \
	"AND c.status = 'approved') AS comments "

#define COMMENT_COLUMNS \
	"id, parent_id, author_name, url, body, " \
	"to_char(created_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS date_iso, " \
	"to_char(created_at, 'FMMonth FMDD, YYYY \"at\" FMHH12:MI am') " \
	"AS date, encode(email_hash, 'hex') AS email_hash, status "

#define VISIBLE "p.status = 'published' AND p.published_at <= now() "

/* Finding posts (see the statements at the end of the table). */
#define HEADLINE_MARKS "StartSel=" DB_MARK_START ", StopSel=" DB_MARK_STOP
#define MODIFIED_EPOCH \
	"extract(epoch FROM greatest(p.updated_at, p.published_at))::bigint "
#define FEED_ITEMS(from, where) \
	"SELECT p.id, p.slug, p.title, p.excerpt, p.body_html, " \
	"extract(epoch FROM p.published_at)::bigint " \
	"AS published, " MODIFIED_EPOCH "AS modified, " \
	"to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created, " \
	"a.slug AS author_slug, a.name AS author_name, " \
	"(SELECT string_agg(t.slug || E'\\x1f' || t.name, " \
	"E'\\x1e' ORDER BY t.name, t.id) FROM post_tags pt2 " \
	"JOIN tags t ON t.id = pt2.tag_id WHERE pt2.post_id = p.id) AS tags " \
	"FROM " from " JOIN authors a ON a.id = p.author_id " \
	"WHERE " where VISIBLE \
	"ORDER BY p.published_at DESC, p.id DESC LIMIT 20"

/* A column of a statement's rows: its name, and its field in the row. */
struct column {
	const char *name;
	size_t offset;
};

#define COL(type, field) \
	{ \
#field, offsetof(type, field) \
	}
#define NCOLS(list) (sizeof(list) / sizeof(list[0]))

static const struct column author_link_cols[] = {
	COL(struct db_author, slug),
	COL(struct db_author, name),
};
static const struct column author_cols[] = {
	COL(struct db_author, id),
	COL(struct db_author, slug),
	COL(struct db_author, name),
	COL(struct db_author, bio_html),
};
static const struct column listing_cols[] = {
	COL(struct db_listing, slug),
	COL(struct db_listing, title),
	COL(struct db_listing, excerpt),
	COL(struct db_listing, date_iso),
	COL(struct db_listing, date),
	COL(struct db_listing, author_slug),
	COL(struct db_listing, author_name),
	COL(struct db_listing, comments),
};
static const struct column tag_cols[] = {
	COL(struct db_tag, id),
	COL(struct db_tag, slug),
	COL(struct db_tag, name),
};
static const struct column tag_link_cols[] = {
	COL(struct db_tag, slug),
	COL(struct db_tag, name),
};
static const struct column post_cols[] = {
	COL(struct db_post, id),
	COL(struct db_post, slug),
	COL(struct db_post, title),
	COL(struct db_post, excerpt),
	COL(struct db_post, body_html),
	COL(struct db_post, date_iso),
	COL(struct db_post, date),
	COL(struct db_post, comments_open),
	COL(struct db_post, author_slug),
	COL(struct db_post, author_name),
	COL(struct db_post, author_bio),
	COL(struct db_post, modified_iso),
};
static const struct column post_slug_cols[] = {
	COL(struct db_post, slug),
};
static const struct column comment_cols[] = {
	COL(struct db_comment, id),
	COL(struct db_comment, parent_id),
	COL(struct db_comment, author_name),
	COL(struct db_comment, url),
	COL(struct db_comment, body),
	COL(struct db_comment, date_iso),
	COL(struct db_comment, date),
	COL(struct db_comment, email_hash),
	COL(struct db_comment, status),
};
static const struct column comment_state_cols[] = {
	COL(struct db_comment, id),
	COL(struct db_comment, status),
};
static const struct column hit_cols[] = {
	COL(struct db_search_hit, slug),
	COL(struct db_search_hit, title),
	COL(struct db_search_hit, snippet),
	COL(struct db_search_hit, date_iso),
	COL(struct db_search_hit, date),
	COL(struct db_search_hit, author_slug),
	COL(struct db_search_hit, author_name),
	COL(struct db_search_hit, total),
};
static const struct column month_cols[] = {
	COL(struct db_month, month),
	COL(struct db_month, posts),
};
static const struct column item_cols[] = {
	COL(struct db_feed_item, id),
	COL(struct db_feed_item, slug),
	COL(struct db_feed_item, title),
	COL(struct db_feed_item, excerpt),
	COL(struct db_feed_item, body_html),
	COL(struct db_feed_item, published),
	COL(struct db_feed_item, modified),
	COL(struct db_feed_item, created),
	COL(struct db_feed_item, author_slug),
	COL(struct db_feed_item, author_name),
	COL(struct db_feed_item, tags),
};
static const struct column url_cols[] = {
	COL(struct db_sitemap_url, slug),
	COL(struct db_sitemap_url, modified),
};

/* The rows of a statement: their struct and its columns, in order. */
#define ROWS(type, cols) sizeof(type), cols, NCOLS(cols)
#define NO_ROWS 0, NULL, 0

static const struct {
	const char *name;
	int nparams;
	const char *sql;
	size_t row_size;
	const struct column *cols;
	size_t ncols;
} stmts[STMT__MAX] = {
	[STMT_HEALTH] = { "health", 0, "SELECT 1", NO_ROWS },
	[STMT_NAV_AUTHORS] = { "nav_authors", 0,
	    "SELECT a.slug, a.name FROM authors a WHERE EXISTS "
	    "(SELECT 1 FROM posts p WHERE p.author_id = a.id AND " VISIBLE ") "
	    "ORDER BY a.name, a.id",
	    ROWS(struct db_author, author_link_cols) },
	[STMT_POSTS_PAGE] = { "posts_page", 2,
	    "SELECT " LISTING_COLUMNS
	    "FROM posts p JOIN authors a ON a.id = p.author_id "
	    "WHERE " VISIBLE
	    "ORDER BY p.published_at DESC, p.id DESC LIMIT $1 OFFSET $2",
	    ROWS(struct db_listing, listing_cols) },
	[STMT_AUTHOR_BY_SLUG] = { "author_by_slug", 1,
	    "SELECT id, slug, name, bio_html FROM authors WHERE slug = $1",
	    ROWS(struct db_author, author_cols) },
	[STMT_AUTHOR_POSTS] = { "author_posts", 3,
	    "SELECT " LISTING_COLUMNS
	    "FROM posts p JOIN authors a ON a.id = p.author_id "
	    "WHERE p.author_id = $1 AND " VISIBLE
	    "ORDER BY p.published_at DESC, p.id DESC LIMIT $2 OFFSET $3",
	    ROWS(struct db_listing, listing_cols) },
	[STMT_TAG_BY_SLUG] = { "tag_by_slug", 1,
	    "SELECT id, slug, name FROM tags WHERE slug = $1",
	    ROWS(struct db_tag, tag_cols) },
	[STMT_TAG_POSTS] = { "tag_posts", 3,
	    "SELECT " LISTING_COLUMNS
	    "FROM post_tags pt JOIN posts p ON p.id = pt.post_id "
	    "JOIN authors a ON a.id = p.author_id "
	    "WHERE pt.tag_id = $1 AND " VISIBLE
	    "ORDER BY p.published_at DESC, p.id DESC LIMIT $2 OFFSET $3",
	    ROWS(struct db_listing, listing_cols) },
	[STMT_POST_BY_SLUG] = { "post_by_slug", 1,
	    "SELECT p.id, p.slug, p.title, p.excerpt, "
	    "p.body_html, " PUBLISHED_DATES ", "
	    "p.comments_open, a.slug AS author_slug, a.name AS author_name, "
	    "a.bio_html AS author_bio, " MODIFIED_ISO
	    "FROM posts p JOIN authors a ON a.id = p.author_id "
	    "WHERE p.slug = $1 AND " VISIBLE,
	    ROWS(struct db_post, post_cols) },
	/*
	 * A post's tags and comments are found by its slug, so that a post
	 * page's three statements go in one round trip.
	 */
	[STMT_POST_TAGS] = { "post_tags", 1,
	    "SELECT t.slug, t.name FROM post_tags pt "
	    "JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = "
	    "(SELECT p.id FROM posts p WHERE p.slug = $1 AND " VISIBLE ") "
	    "ORDER BY t.name, t.id",
	    ROWS(struct db_tag, tag_link_cols) },
	[STMT_POST_COMMENTS] = { "post_comments", 1,
	    "SELECT " COMMENT_COLUMNS "FROM comments "
	    "WHERE post_id = (SELECT p.id FROM posts p WHERE p.slug = $1 "
	    "AND " VISIBLE ") AND status = 'approved' "
	    "ORDER BY created_at, id",
	    ROWS(struct db_comment, comment_cols) },
	[STMT_COMMENT_PENDING] = { "comment_pending", 2,
	    "SELECT " COMMENT_COLUMNS
	    "FROM comments WHERE id = $1 AND post_id = $2 "
	    "AND status = 'pending'",
	    ROWS(struct db_comment, comment_cols) },
	[STMT_COMMENT_BY_NONCE] = { "comment_by_nonce", 1,
	    "SELECT id, status FROM comments WHERE form_nonce = $1",
	    ROWS(struct db_comment, comment_state_cols) },
	[STMT_COMMENT_PARENT_OK] = { "comment_parent_ok", 2,
	    "SELECT 1 FROM comments WHERE id = $1 AND post_id = $2 "
	    "AND status = 'approved'",
	    NO_ROWS },
	[STMT_COMMENT_FLOOD] = { "comment_flood", 3,
	    "SELECT 1 FROM comments "
	    "WHERE (email_hash = $1 OR client_hash = $2) "
	    "AND created_at > now() - make_interval(secs => $3) LIMIT 1",
	    NO_ROWS },
	[STMT_COMMENT_DUPLICATE] = { "comment_duplicate", 5,
	    "SELECT 1 FROM comments WHERE post_id = $1 "
	    "AND parent_id IS NOT DISTINCT FROM $2 AND author_name = $3 "
	    "AND email_hash = $4 AND body = $5 AND status <> 'trash' LIMIT 1",
	    NO_ROWS },
	/*
	 * One statement, so one transaction: the comment is stored whole or
	 * not at all.  Its status: spam when the caller says so; otherwise
	 * approved at once under moderation "none", or under "first-time"
	 * when the same name and email already have an approved comment and
	 * the text has fewer than two links; else pending.
	 */
	[STMT_COMMENT_INSERT] = { "comment_insert", 11,
	    "INSERT INTO comments (post_id, parent_id, author_name, "
	    "email_hash, "
	    "url, body, client_hash, form_nonce, status) "
	    "SELECT $1, $2, $3, $4, $5, $6, $7, $8, CASE "
	    "WHEN $9 = 'spam' THEN 'spam' "
	    "WHEN $10 = 'none' THEN 'approved' "
	    "WHEN $10 = 'first-time' AND $11::int < 2 AND EXISTS "
	    "(SELECT 1 FROM comments c WHERE c.email_hash = $4 "
	    "AND c.author_name = $3 AND c.status = 'approved') THEN 'approved' "
	    "ELSE 'pending' END::comment_status "
	    "RETURNING id, status",
	    ROWS(struct db_comment, comment_state_cols) },
	/*
	 * Search: the page's rows are ranked and cut first, and only they
	 * get the costly headlines; count(*) OVER () is the number of all
	 * matches.  The snippet is cut from the excerpt and the start of the
	 * body with its tags stripped (snippet_source, migration 005;
	 * h_search.c decodes what entities remain).
	 */
	[STMT_SEARCH] = { "search", 3,
	    "SELECT s.slug, ts_headline('english', s.title, s.q, "
	    "'HighlightAll=true, " HEADLINE_MARKS "') AS title, "
	    "ts_headline('english', s.snippet_source, s.q, "
	    "'MaxFragments=2, MaxWords=30, MinWords=12, "
	    "FragmentDelimiter=\" \xe2\x80\xa6 \", " HEADLINE_MARKS "') "
	    "AS snippet, "
	    "s.date_iso, s.date, s.author_slug, s.author_name, s.total "
	    "FROM (SELECT p.id, p.slug, p.title, p.snippet_source, "
	    "p.published_at, q.q, "
	    "ts_rank_cd(p.search, q.q) AS rank, " PUBLISHED_DATES ", "
	    "a.slug AS author_slug, a.name AS author_name, "
	    "count(*) OVER () AS total "
	    "FROM websearch_to_tsquery('english', $1) q(q), "
	    "posts p JOIN authors a ON a.id = p.author_id "
	    "WHERE p.search @@ q.q AND " VISIBLE
	    "ORDER BY rank DESC, p.published_at DESC, p.id DESC "
	    "LIMIT $2 OFFSET $3) s "
	    "ORDER BY s.rank DESC, s.published_at DESC, s.id DESC",
	    ROWS(struct db_search_hit, hit_cols) },
	/*
	 * Months (of the site's time zone) with posts, newest first, and
	 * how many: a skip scan down posts_published_idx, one probe per
	 * month, then an index-only count of each month.
	 */
	[STMT_ARCHIVE_MONTHS] = { "archive_months", 0,
	    "WITH RECURSIVE m(month) AS ("
	    "SELECT date_trunc('month', max(p.published_at)) FROM posts p "
	    "WHERE " VISIBLE
	    "UNION ALL SELECT (SELECT date_trunc('month', max(p.published_at)) "
	    "FROM posts p WHERE " VISIBLE "AND p.published_at < m.month) "
	    "FROM m WHERE m.month IS NOT NULL) "
	    "SELECT to_char(m.month, 'YYYY/MM') AS month, "
	    "(SELECT count(*) FROM posts p "
	    "WHERE " VISIBLE "AND p.published_at >= m.month "
	    "AND p.published_at < m.month + interval '1 month') AS posts "
	    "FROM m WHERE m.month IS NOT NULL ORDER BY m.month DESC",
	    ROWS(struct db_month, month_cols) },
	[STMT_ARCHIVE_POSTS] = { "archive_posts", 3,
	    "SELECT " LISTING_COLUMNS
	    "FROM posts p JOIN authors a ON a.id = p.author_id "
	    "WHERE p.published_at >= $1::timestamptz "
	    "AND p.published_at < $1::timestamptz + interval '1 month' "
	    "AND " VISIBLE
	    "ORDER BY p.published_at DESC, p.id DESC LIMIT $2 OFFSET $3",
	    ROWS(struct db_listing, listing_cols) },
	[STMT_FEED] = { "feed", 0, FEED_ITEMS("posts p", ""),
	    ROWS(struct db_feed_item, item_cols) },
	[STMT_FEED_TAG] = { "feed_tag", 1,
	    FEED_ITEMS("post_tags pt JOIN posts p ON p.id = pt.post_id",
		"pt.tag_id = $1 AND "),
	    ROWS(struct db_feed_item, item_cols) },
	[STMT_FEED_AUTHOR] = { "feed_author", 1,
	    FEED_ITEMS("posts p", "p.author_id = $1 AND "),
	    ROWS(struct db_feed_item, item_cols) },
	[STMT_SITEMAP_POSTS] = { "sitemap_posts", 0,
	    "SELECT p.slug, " MODIFIED_EPOCH "AS modified "
	    "FROM posts p WHERE " VISIBLE
	    "ORDER BY p.published_at DESC, p.id DESC",
	    ROWS(struct db_sitemap_url, url_cols) },
	[STMT_SITEMAP_AUTHORS] = { "sitemap_authors", 0,
	    "SELECT a.slug, max(" MODIFIED_EPOCH ") AS modified "
	    "FROM authors a JOIN posts p ON p.author_id = a.id "
	    "WHERE " VISIBLE "GROUP BY a.id ORDER BY a.slug",
	    ROWS(struct db_sitemap_url, url_cols) },
	[STMT_SITEMAP_TAGS] = { "sitemap_tags", 0,
	    "SELECT t.slug, max(" MODIFIED_EPOCH ") AS modified "
	    "FROM tags t JOIN post_tags pt ON pt.tag_id = t.id "
	    "JOIN posts p ON p.id = pt.post_id "
	    "WHERE " VISIBLE "GROUP BY t.id ORDER BY t.slug",
	    ROWS(struct db_sitemap_url, url_cols) },
	[STMT_SLUG_REDIRECT] = { "slug_redirect", 1,
	    "SELECT p.slug FROM slug_redirects r "
	    "JOIN posts p ON p.id = r.post_id "
	    "WHERE r.old_slug = $1 AND " VISIBLE,
	    ROWS(struct db_post, post_slug_cols) },
};

/*
 * Set db up to connect to conninfo with the site's time zone, without
 * connecting yet.  The strings must outlive db.
 */
void
db_init(struct db *db, const char *conninfo, const char *timezone)
{
	db->conn = NULL;
	db->conninfo = conninfo;
	db->timezone = timezone;
	db->retry_at = 0;
}

/* Close the connection, if any; db can connect again. */
void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

/*
 * Return the version of the newest applied migration, 0 when there is
 * none, or -1 when it cannot be read.
 */
int
db_schema_version(PGconn *conn)
{
	PGresult *res;
	int v = -1;

	res = PQexec(conn,
	    "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = atoi(PQgetvalue(res, 0, 0));
	else if (PQresultStatus(res) == PGRES_FATAL_ERROR) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state != NULL && strcmp(state, "42P01") == 0)
			v = 0; /* no schema_migrations: nothing applied */
	}
	PQclear(res);
	return v;
}

/*
 * The schema's version when it is at least the one this build needs;
 * DB_SCHEMA_OLD after saying so on standard error as "fascia PROG: ..."
 * ("fascia: ..." when prog is NULL), with what to run; DB_SCHEMA_UNREAD
 * when it cannot be read, saying nothing (what that means is the
 * caller's).
 */
int
db_schema_check(PGconn *conn, const char *prog)
{
	int v = db_schema_version(conn);

	if (v < 0)
		return DB_SCHEMA_UNREAD;
	if (v >= DB_SCHEMA_VERSION)
		return v;
	fprintf(stderr,
	    "fascia%s%s: the database schema is at version %d but this "
	    "fascia needs %d: run `fascia migrate` first\n",
	    prog != NULL ? " " : "", prog != NULL ? prog : "", v,
	    DB_SCHEMA_VERSION);
	return DB_SCHEMA_OLD;
}

/*
 * Does prepared statement s return the columns its list names, in that
 * order?  Logs the first difference.
 */
static int
columns_match(PGconn *conn, enum stmt s)
{
	PGresult *res;
	int i, n, ok = 1;

	if (stmts[s].cols == NULL)
		return 1;
	res = PQdescribePrepared(conn, stmts[s].name);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_err("describe %s: %s", stmts[s].name, PQerrorMessage(conn));
		PQclear(res);
		return 0;
	}
	n = PQnfields(res);
	if ((size_t)n != stmts[s].ncols) {
		log_err("%s returns %d columns, its list has %zu",
		    stmts[s].name, n, stmts[s].ncols);
		ok = 0;
	}
	for (i = 0; ok && i < n; i++)
		if (strcmp(PQfname(res, i), stmts[s].cols[i].name) != 0) {
			log_err("%s: column %d is \"%s\", its list says \"%s\"",
			    stmts[s].name, i + 1, PQfname(res, i),
			    stmts[s].cols[i].name);
			ok = 0;
		}
	PQclear(res);
	return ok;
}

static int
db_setup(struct db *db)
{
	const char *params[1] = { db->timezone };
	PGresult *res;
	int i, version;

	res = PQexecParams(db->conn,
	    "SELECT set_config('TimeZone', $1, false), "
	    "set_config('statement_timeout', '5s', false), "
	    "set_config('lock_timeout', '2s', false), "
	    "set_config('client_min_messages', 'warning', false)",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_err("session settings: %s", PQerrorMessage(db->conn));
		PQclear(res);
		return 0;
	}
	PQclear(res);
	if ((version = db_schema_version(db->conn)) < DB_SCHEMA_VERSION) {
		log_err("database schema is at version %d, fascia needs %d: "
			"run `fascia migrate`",
		    version, DB_SCHEMA_VERSION);
		return 0;
	}
	for (i = 0; i < STMT__MAX; i++) {
		res = PQprepare(db->conn, stmts[i].name, stmts[i].sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_err("prepare %s: %s", stmts[i].name,
			    PQerrorMessage(db->conn));
			PQclear(res);
			return 0;
		}
		PQclear(res);
		if (!columns_match(db->conn, (enum stmt)i))
			return 0;
	}
	return 1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Connect and prepare every statement.  Returns 1, or 0 when the database
 * cannot be used now.  After a failure, requests for the next quarter of
 * a second are answered at once without a new attempt: short enough that
 * a database that is back is used almost at once, long enough that a
 * server that hangs on connect (a dead TCP peer) does not hold up every
 * request for connect_timeout.
 */
int
db_connect(struct db *db)
{
	static const char *const keys[] = { "connect_timeout",
		"application_name", "dbname", NULL };
	const char *values[4] = { "3", "fascia", db->conninfo, NULL };
	long long now = now_ms();

	db_close(db);
	if (now < db->retry_at)
		return 0;
	db->conn = PQconnectdbParams(keys, values, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_err("cannot connect to the database: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		goto fail;
	}
	if (!db_setup(db))
		goto fail;
	return 1;
fail:
	db_close(db);
	db->retry_at = now_ms() + DB_RETRY_MS;
	return 0;
}

/*
 * Copy the rows of res, a result of statement s, into out as s's structs,
 * allocated from a with their strings.  Returns 1, or 0 out of memory.
 */
static int
copy_rows(struct arena *a, PGresult *res, enum stmt s, struct db_rows *out)
{
	const struct column *cols = stmts[s].cols;
	size_t ncols = stmts[s].ncols, size = 0, len, j;
	char *row, *text;
	int i;

	out->n = PQntuples(res);
	out->any = NULL;
	if (cols == NULL || out->n == 0)
		return 1;
	/* One block for the structs and one for all their strings. */
	for (i = 0; i < out->n; i++)
		for (j = 0; j < ncols; j++)
			size += (size_t)PQgetlength(res, i, (int)j) + 1;
	if ((row = arena_alloc(a, stmts[s].row_size * (size_t)out->n)) ==
		NULL ||
	    (text = arena_alloc(a, size)) == NULL)
		return 0;
	memset(row, 0, stmts[s].row_size * (size_t)out->n);
	out->any = row;
	for (i = 0; i < out->n; i++, row += stmts[s].row_size)
		for (j = 0; j < ncols; j++) {
			if (PQgetisnull(res, i, (int)j))
				continue;
			len = (size_t)PQgetlength(res, i, (int)j);
			memcpy(text, PQgetvalue(res, i, (int)j), len);
			text[len] = '\0';
			memcpy(row + cols[j].offset, &text, sizeof(text));
			text += len + 1;
		}
	return 1;
}

/*
 * Does this failure mean the connection is gone (rather than that the
 * statement was wrong)?  Then a new connection may succeed.
 */
static int
connection_lost(PGconn *conn, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (PQstatus(conn) == CONNECTION_BAD || state == NULL)
		return 1;
	return strncmp(state, "08", 2) == 0 || /* connection exception */
	    strcmp(state, "57P01") == 0 ||     /* admin shutdown */
	    strcmp(state, "57P02") == 0 ||     /* crash shutdown */
	    strcmp(state, "57P03") == 0 ||     /* cannot connect now */
	    strcmp(state, "26000") == 0;       /* statement not prepared */
}

/*
 * What a failed statement means: DB_CONFLICT for a unique constraint,
 * DB_UNAVAILABLE when the server is too busy (out of time, locked out),
 * else DB_ERROR.  Logs it unless it is a conflict.
 */
static enum db_res
failure(enum stmt s, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (state != NULL && strcmp(state, "23505") == 0)
		return DB_CONFLICT;
	log_err("%s: %s", stmts[s].name, PQresultErrorMessage(res));
	if (state != NULL &&
	    (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0))
		return DB_UNAVAILABLE;
	return DB_ERROR;
}

/* Take in the result of call c.  Sets *lost when the connection went. */
static enum db_res
take(struct db *db, struct arena *a, const struct db_call *c, PGresult *res,
    int *lost)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		if (copy_rows(a, res, c->stmt, c->out))
			return DB_OK;
		log_err("%s: out of memory", stmts[c->stmt].name);
		return DB_ERROR;
	}
	if (st == PGRES_PIPELINE_ABORTED)
		return DB_ERROR; /* an earlier one failed, and said so */
	if (connection_lost(db->conn, res)) {
		*lost = 1;
		return DB_UNAVAILABLE;
	}
	return failure(c->stmt, res);
}

/*
 * Run the n calls once: one statement on its own, several in a libpq
 * pipeline, so that all of them cost one round trip.  The first failure
 * is what is returned; *lost says whether the connection went.
 */
static enum db_res
run_once(struct db *db, struct arena *a, const struct db_call *calls, int n,
    int *lost)
{
	PGconn *c = db->conn;
	enum db_res res = DB_OK, r;
	PGresult *pr;
	int i;

	*lost = 0;
	if (n == 1) {
		pr = PQexecPrepared(c, stmts[calls[0].stmt].name,
		    stmts[calls[0].stmt].nparams, calls[0].params, NULL, NULL,
		    0);
		res = take(db, a, &calls[0], pr, lost);
		PQclear(pr);
		return res;
	}
	if (PQenterPipelineMode(c) != 1)
		goto broke;
	for (i = 0; i < n; i++)
		if (!PQsendQueryPrepared(c, stmts[calls[i].stmt].name,
			stmts[calls[i].stmt].nparams, calls[i].params, NULL,
			NULL, 0))
			goto broke;
	if (PQpipelineSync(c) != 1)
		goto broke;
	for (i = 0; i < n; i++) {
		if ((pr = PQgetResult(c)) == NULL)
			goto broke;
		r = take(db, a, &calls[i], pr, lost);
		PQclear(pr);
		if (*lost)
			return DB_UNAVAILABLE;
		if (res == DB_OK)
			res = r;
		if ((pr = PQgetResult(c)) != NULL) { /* the end of this one */
			PQclear(pr);
			goto broke;
		}
	}
	pr = PQgetResult(c);
	if (PQresultStatus(pr) != PGRES_PIPELINE_SYNC) {
		PQclear(pr);
		goto broke;
	}
	PQclear(pr);
	if (PQexitPipelineMode(c) != 1)
		goto broke;
	return res;
broke:
	*lost = 1;
	return DB_UNAVAILABLE;
}

/*
 * Run the calls, and when the connection turns out to be lost, make it
 * again and, if retry, run them once more.
 */
static enum db_res
db_run(struct db *db, struct arena *a, const struct db_call *calls, int n,
    int retry)
{
	enum db_res res = DB_UNAVAILABLE;
	int attempt, lost;

	for (attempt = 0; attempt < 1 + retry; attempt++) {
		if ((db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) &&
		    !db_connect(db))
			return DB_UNAVAILABLE;
		res = run_once(db, a, calls, n, &lost);
		if (!lost)
			return res;
		log_warn("%s: connection lost, reconnecting: %s",
		    stmts[calls[0].stmt].name, PQerrorMessage(db->conn));
		db_close(db);
		db->retry_at = 0;
	}
	return res;
}

/*
 * Run statement s, a read, with its parameters (text, NULL for SQL NULL;
 * as many as the statement takes) and put its rows in out.  The rows and
 * their strings are allocated from a and live as long as a does; nothing
 * is freed by the caller.  After a lost connection the statement is run
 * once more on a new one.  Returns DB_OK, or why there are no rows:
 * DB_UNAVAILABLE (no database now: try later), DB_ERROR (the statement
 * failed, logged here) or DB_CONFLICT (a unique constraint).
 */
enum db_res
db_query(struct db *db, struct arena *a, enum stmt s, const char *const *params,
    struct db_rows *out)
{
	struct db_call c = { s, params, out };

	return db_run(db, a, &c, 1, 1);
}

/*
 * Run the n reads of calls in one round trip, each one's rows in its out
 * (as db_query() does).  Returns DB_OK when every one worked, else the
 * first failure; after a lost connection all are run once more.
 */
enum db_res
db_query_all(struct db *db, struct arena *a, const struct db_call *calls, int n)
{
	return db_run(db, a, calls, n, 1);
}

/*
 * Run a write.  A write lost with its connection may or may not have been
 * committed, so it is retried on a new connection only when the caller
 * says it is idempotent: when running it twice cannot store twice (the
 * comment insert, whose form nonce is unique, is).
 */
enum db_res
db_write(struct db *db, struct arena *a, enum stmt s, const char *const *params,
    struct db_rows *out, int idempotent)
{
	struct db_call c = { s, params, out };

	return db_run(db, a, &c, 1, idempotent);
}

/*
 * Return c's rows, fetched anew when older than c->ttl seconds.  When the
 * database cannot be asked, the rows of the last successful fetch stay
 * (empty if there was none) and it is asked again on the next call.  The
 * rows belong to c and live until its next successful fetch.
 */
const struct db_rows *
db_cached(struct db *db, struct db_cache *c)
{
	struct db_rows rows;
	struct arena a;
	time_t now = time(NULL);

	if (c->valid && now - c->fetched < c->ttl)
		return &c->rows;
	/* A fresh arena for the new rows: the old ones stay good until the
	 * new ones are in. */
	arena_init(&a, CACHE_ARENA_CHUNK);
	if (db_query(db, &a, c->stmt, NULL, &rows) != DB_OK) {
		arena_free(&a);
		return &c->rows;
	}
	arena_free(&c->arena);
	c->arena = a;
	c->rows = rows;
	c->fetched = now;
	c->valid = 1;
	return &c->rows;
}

/*
 * Return the rows c's last successful fetch brought, however old, without
 * asking the database: for pages that must not query it (an error page).
 */
const struct db_rows *
db_cached_last(const struct db_cache *c)
{
	return &c->rows;
}

/* Free what c holds; it can be used again. */
void
db_cache_free(struct db_cache *c)
{
	arena_free(&c->arena);
	memset(&c->rows, 0, sizeof(c->rows));
	c->valid = 0;
}
