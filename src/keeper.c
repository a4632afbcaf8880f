/*
 * keeper.c: the cache keeper, one process of `fascia serve` beside the
 * workers, that keeps the page cache true to the database.
 *
 * It holds a connection that LISTENs on fascia_changed, which the
 * database's triggers (migration 004) notify whenever a transaction
 * changes what a reader could see, whoever made it.  On every notice it
 * begins a new cache generation (cache.c), and so it does when the next
 * scheduled post is due, which no notice announces.  While it has no
 * connection it cannot hear about changes, so the cache is off until it
 * has one again, and then it begins a new generation: what changed
 * meanwhile is not served from the cache.  A writer that is part of
 * fascia (a worker storing an approved comment, a command) begins the new
 * generation itself as soon as it has committed, so that its own next
 * request already sees the change; the keeper's follows a moment later.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "keeper.h"
#include "log.h"

#define KEEPER_RETRY_MS 500 /* between two attempts to connect */
#define KEEPER_TICK_MS 1000 /* the longest it sleeps */
#define PRUNE_AFTER 300	    /* seconds an old generation's dir stays */
#define PRUNE_EVERY 30	    /* seconds between two prunings */

/* The next scheduled post (epoch seconds, 0: none), or -1 on failure. */
static long long
next_publication(PGconn *conn)
{
	PGresult *res = PQexec(conn, "SELECT fascia_next_publication()");
	long long next = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		next = PQgetisnull(res, 0, 0) ?
		    0 :
		    strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		log_err("next scheduled post: %s", PQerrorMessage(conn));
	PQclear(res);
	return next;
}

/*
 * The blog changed (the caller has committed, or heard of a commit): begin
 * a new generation in dir, with the next scheduled post read on conn.
 * Returns 1, or 0 when the database or the directory failed (logged).
 */
int
keeper_flip(PGconn *conn, const char *dir)
{
	long long next = next_publication(conn);

	return next >= 0 && cache_flip(dir, (time_t)next);
}

/*
 * A writer has committed a change to the blog on conn: when the page
 * cache is on (a keeper is listening), begin a new generation in dir at
 * once, so that the writer's next request already sees the change.
 * Returns 1, or 0 when it could not (the keeper's own follows anyway).
 */
int
keeper_changed(PGconn *conn, const char *dir)
{
	struct cache_gen g;

	return !cache_read(dir, &g) || keeper_flip(conn, dir);
}

static PGconn *
listen_on(const char *conninfo)
{
	static const char *const keys[] = { "connect_timeout",
		"application_name", "dbname", NULL };
	const char *values[] = { "3", "fascia keeper", conninfo, NULL };
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	PGresult *res;

	if (PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		return NULL;
	}
	res = PQexec(conn, "LISTEN fascia_changed");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_err("LISTEN: %s", PQerrorMessage(conn));
		PQclear(res);
		PQfinish(conn);
		return NULL;
	}
	PQclear(res);
	return conn;
}

/* Milliseconds to wait: a tick, or less when the next post is sooner. */
static int
wait_ms(time_t next)
{
	time_t now = time(NULL);

	if (next <= 0 || next - now > KEEPER_TICK_MS / 1000)
		return KEEPER_TICK_MS;
	return next <= now ? 0 : (int)(next - now) * 1000;
}

/* Take in what arrived on conn.  Returns -1 when it broke, else whether a
 * change was announced. */
static int
heard(PGconn *conn)
{
	PGnotify *n;
	int changed = 0;

	if (!PQconsumeInput(conn))
		return -1;
	while ((n = PQnotifies(conn)) != NULL) {
		changed = 1;
		PQfreemem(n);
	}
	return changed;
}

/*
 * The blog changed: begin a new generation at once, with the next
 * scheduled post as it was, and only then ask the database for the next
 * one (a round trip later), beginning yet another generation if the
 * change moved it.  What was cached in between is never asked for again.
 * Returns 1, or 0 when the database or the directory failed (logged).
 */
static int
reflip(PGconn *conn, const char *dir, const struct cache_gen *g)
{
	long long next;

	if (!cache_flip(dir, g->next) || (next = next_publication(conn)) < 0)
		return 0;
	return next == (long long)g->next || cache_flip(dir, (time_t)next);
}

/*
 * Keep the page cache of app true until *stop is set (by a signal), then
 * turn it off and return.  Never gives up: the database may come back.
 */
void
keeper_run(const struct app *app, volatile sig_atomic_t *stop)
{
	const char *dir = app->conf->page_cache_dir;
	PGconn *conn = NULL;
	struct cache_gen g;
	struct pollfd pfd;
	time_t pruned = 0;
	int changed, ready = 0;

	while (!*stop) {
		if (!ready && !cache_prepare(dir)) {
			poll(NULL, 0, KEEPER_RETRY_MS);
			continue;
		}
		ready = 1;
		if (conn == NULL) {
			if ((conn = listen_on(app->conf->database)) == NULL) {
				poll(NULL, 0, KEEPER_RETRY_MS);
				continue;
			}
			if (!keeper_flip(conn, dir)) {
				PQfinish(conn);
				conn = NULL;
				continue;
			}
			log_info("page cache: listening for changes");
		}
		(void)cache_read(dir, &g);
		pfd.fd = PQsocket(conn);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, wait_ms(g.next)) == -1 && errno != EINTR)
			break;
		if (*stop)
			break;
		changed = pfd.revents != 0 ? heard(conn) : 0;
		if (changed == 0 && g.next > 0 && time(NULL) >= g.next)
			changed = 1; /* a scheduled post is due */
		if (changed < 0 || (changed > 0 && !reflip(conn, dir, &g))) {
			log_warn("page cache: off until the database answers "
				 "again: %s",
			    PQerrorMessage(conn));
			(void)cache_off(dir);
			PQfinish(conn);
			conn = NULL;
			continue;
		}
		if (time(NULL) - pruned >= PRUNE_EVERY) {
			pruned = time(NULL);
			cache_prune(dir, pruned - PRUNE_AFTER);
		}
	}
	if (ready)
		(void)cache_off(dir);
	if (conn != NULL)
		PQfinish(conn);
}
