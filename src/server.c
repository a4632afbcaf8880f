/*
 * server.c: `fascia serve`: a master that owns the listening socket and
 * keeps a pool of pre-forked, single-threaded workers alive.
 *
 * The master never talks FastCGI.  It binds the socket, compiles the
 * templates and loads the secret key, then forks the workers, which
 * inherit all of it read-only and each open their own database
 * connection.  It restarts a worker that dies (libfcgi trusts its peer,
 * so a crash must cost one request, not the site).  SIGTERM or SIGINT:
 * workers finish the request in hand and exit.  SIGHUP: the master loads
 * config and templates anew and, only if both are good, starts a new
 * generation of workers on the same socket before telling the old one to
 * finish, so no request is refused during a reload.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libpq-fe.h>
#include <libxml/parser.h>
#include <sodium.h>

#include "app.h"
#include "cache.h"
#include "keeper.h"
#include "log.h"
#include "privileges.h"
#include "req.h"
#include "route.h"
#include "server.h"
#include "worker.h"

#define WORKERS_MAX 256
#define STOP_GRACE 10 /* seconds a worker may take to finish */
#define DRAIN_MAX 2   /* seconds a stopping worker answers what waits */
#define REQUEST_ARENA_CHUNK (64 * 1024) /* a page view fits in one */
#define TMPL_ARENA_CHUNK (32 * 1024)
#define HEADERS_MAX (16 * 1024) /* a response's header lines */

struct child {
	pid_t pid;
	int gen;
	time_t started;
};

static struct child kids[WORKERS_MAX * 2];
static int listen_fd = -1;
static int devnull_fd = -1;
static volatile sig_atomic_t worker_stopping;
static volatile sig_atomic_t worker_draining;
static pid_t keeper_pid;
static time_t keeper_started;
static int keeper_told; /* it was told to stop */
static volatile sig_atomic_t keeper_stop;

/*
 * Open the socket named by listen: "stdin" (inherited on fd 0), a Unix
 * socket path, or host:port.  Returns the descriptor or -1.
 */
static int
open_listener(const struct conf *c, int *unix_created)
{
	struct sockaddr_un sun;
	struct addrinfo hints, *res, *ai;
	char host[256];
	const char *colon;
	int fd = -1, on = 1, accepting = 0, err;
	socklen_t len = sizeof(accepting);
	mode_t old;

	*unix_created = 0;
	if (strcmp(c->listen, "stdin") == 0) {
		if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &accepting,
			&len) == -1 ||
		    !accepting) {
			log_err("listen = stdin, but fd 0 is not a listening "
				"socket");
			return -1;
		}
		return 0;
	}
	if (strchr(c->listen, '/') != NULL) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(c->listen) >= sizeof(sun.sun_path)) {
			log_err("socket path too long: %s", c->listen);
			return -1;
		}
		strcpy(sun.sun_path, c->listen);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
			log_err("socket: %s", strerror(errno));
			return -1;
		}
		/* A socket left by a crash is stale; one that answers is not.
		 */
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			log_err("%s: another server is listening there",
			    c->listen);
			close(fd);
			return -1;
		}
		unlink(c->listen);
		old = umask(0777 & ~(mode_t)c->socket_mode);
		err = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
		umask(old);
		if (err == -1 ||
		    chmod(c->listen, (mode_t)c->socket_mode) == -1 ||
		    listen(fd, SOMAXCONN) == -1) {
			log_err("%s: %s", c->listen, strerror(errno));
			close(fd);
			return -1;
		}
		*unix_created = 1;
		return fd;
	}
	if ((colon = strrchr(c->listen, ':')) == NULL ||
	    (size_t)(colon - c->listen) >= sizeof(host)) {
		log_err("listen: expected a socket path, host:port or stdin");
		return -1;
	}
	memcpy(host, c->listen, (size_t)(colon - c->listen));
	host[colon - c->listen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((err = getaddrinfo(*host ? host : NULL, colon + 1, &hints, &res)) !=
	    0) {
		log_err("listen %s: %s", c->listen, gai_strerror(err));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
			 ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, SOMAXCONN) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		log_err("listen %s: %s", c->listen, strerror(errno));
	return fd;
}

/*
 * A worker told to stop may be blocked in accept(): the signal interrupts
 * it (FCGI_FAIL_ACCEPT_ON_INTR).  Should the signal land just before the
 * accept() call, replacing the listening descriptor with /dev/null makes
 * that accept() fail at once instead of waiting for one more request.
 */
static void
worker_on_term(int sig)
{
	(void)sig;
	worker_stopping = 1;
	if (devnull_fd != -1)
		dup2(devnull_fd, listen_fd);
}

/*
 * The last stop, on a socket fascia made itself (SIGUSR2 from the master,
 * which has already removed a Unix socket's name, so that nginx can make
 * no new connection): the connections nginx made before wait in the
 * socket's backlog, with their requests, and would be reset when the
 * socket closes.  The worker answers them first, not waiting for more:
 * the socket, fascia's own, becomes non-blocking, so that accept() fails
 * once none is left.  A socket systemd passed is never drained: systemd
 * keeps it, and what waits on it, for the next start.
 */
static void
worker_on_drain(int sig)
{
	(void)sig;
	worker_stopping = 1;
	worker_draining = 1;
	(void)fcntl(listen_fd, F_SETFL, O_NONBLOCK);
}

/* Answer one request with what w owns, then forget the request. */
static void
worker_request(struct worker *w, FCGX_Request *fr)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.w = w;
	r.app = w->app;
	r.conf = w->app->conf;
	r.arena = &w->arena;
	r.fcgi = fr;
	buf_reset(&w->body);
	route_dispatch(&r);
	arena_reset(&w->arena);
	TMPL_arena_reset(w->tmpl);
}

/*
 * Set up what a worker owns: its buffers, arenas, caches and database
 * connection (attempted now; a failure is retried by the first request).
 * Returns 1, or 0 out of memory.
 */
static int
worker_init(struct worker *w, const struct app *app)
{
	memset(w, 0, sizeof(*w));
	w->app = app;
	arena_init(&w->arena, REQUEST_ARENA_CHUNK);
	buf_init(&w->body, RESPONSE_MAX);
	buf_init(&w->out, HEADERS_MAX);
	buf_init(&w->scratch, SCRATCH_MAX);
	w->authors.stmt = STMT_NAV_AUTHORS;
	w->authors.ttl = CHROME_TTL;
	w->months.stmt = STMT_ARCHIVE_MONTHS;
	w->months.ttl = CHROME_TTL;
	if ((w->tmpl = TMPL_arena_new(TMPL_ARENA_CHUNK)) == NULL)
		return 0;
	db_init(&w->db, app->conf->database, app->conf->timezone);
	(void)db_connect(&w->db);
	return 1;
}

static void
worker_free(struct worker *w)
{
	db_close(&w->db);
	db_cache_free(&w->authors);
	db_cache_free(&w->months);
	TMPL_arena_free(w->tmpl);
	arena_free(&w->arena);
	buf_free(&w->body);
	buf_free(&w->out);
	buf_free(&w->scratch);
}

/*
 * A child's signals: SIGTERM and SIGINT to on_stop, without SA_RESTART so
 * that they interrupt a blocking accept() or poll(); SIGHUP is the
 * master's; nothing blocked, as the master blocks them for itself.
 */
static void
child_signals(void (*on_stop)(int))
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* A worker's life: accept, answer, until told to stop.  Never returns. */
static void
worker_main(const struct app *app)
{
	struct worker w;
	struct sigaction sa;
	FCGX_Request fr;
	time_t until;

	/* before child_signals() unblocks what the master blocked */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_drain;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	child_signals(worker_on_term);
	if (!worker_init(&w, app) ||
	    FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_err("out of memory");
		_exit(1);
	}

	while (!worker_stopping) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (!worker_stopping)
				log_err("accept failed: %s", strerror(errno));
			break;
		}
		worker_request(&w, &fr);
		FCGX_Finish_r(&fr);
	}
	/* a TCP socket keeps taking connections: the drain has a bound */
	for (until = time(NULL) + DRAIN_MAX; worker_draining &&
	     time(NULL) < until && FCGX_Accept_r(&fr) >= 0;) {
		worker_request(&w, &fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	worker_free(&w);
	_exit(worker_stopping ? 0 : 1);
}

static void
keeper_on_signal(int sig)
{
	(void)sig;
	keeper_stop = 1;
}

/* The cache keeper's life (keeper.c), in a child.  Never returns. */
static void
keeper_main(const struct app *app)
{
	close(listen_fd); /* it answers no request */
	(void)prctl(PR_SET_NAME, "fascia-keeper", 0, 0, 0); /* for ps(1) */
	child_signals(keeper_on_signal);
	keeper_run(app, &keeper_stop);
	_exit(0);
}

static void
spawn_keeper(const struct app *app)
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_err("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		keeper_main(app); /* does not return */
	keeper_pid = pid;
	keeper_told = 0;
	keeper_started = time(NULL);
}

/* Tell the keeper to stop (it turns the cache off first), if there is one. */
static void
stop_keeper(int sig)
{
	if (keeper_pid != 0 && kill(keeper_pid, sig) == 0)
		keeper_told = 1;
}

static int
spawn(const struct app *app, int gen)
{
	size_t i;
	pid_t pid;

	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i].pid == 0)
			break;
	if (i == sizeof(kids) / sizeof(kids[0]))
		return 0;
	if ((pid = fork()) == -1) {
		log_err("fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0)
		worker_main(app); /* does not return */
	kids[i].pid = pid;
	kids[i].gen = gen;
	kids[i].started = time(NULL);
	return 1;
}

static int
worker_count(const struct conf *c)
{
	long n = c->workers;

	if (n == 0 && (n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return n > WORKERS_MAX ? WORKERS_MAX : (int)n;
}

static int
live(int gen)
{
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i].pid != 0 && (gen < 0 || kids[i].gen == gen))
			n++;
	return n;
}

static void
signal_gen(int gen, int sig, int except)
{
	size_t i;

	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i].pid != 0 &&
		    (gen < 0 ? kids[i].gen != except : kids[i].gen == gen))
			kill(kids[i].pid, sig);
}

/* Collect dead workers; returns how many of generation gen died early. */
static int
reap(int gen, int *crashed_fast)
{
	int status, died = 0;
	size_t i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == keeper_pid) {
			if (!keeper_told &&
			    (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
				log_warn("the cache keeper %ld died; starting "
					 "another",
				    (long)pid);
			if (!keeper_told && time(NULL) - keeper_started < 1)
				(*crashed_fast)++;
			keeper_pid = 0;
			keeper_told = 0;
			continue;
		}
		for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
			if (kids[i].pid == pid)
				break;
		if (i == sizeof(kids) / sizeof(kids[0]))
			continue;
		if (kids[i].gen == gen) {
			if (WIFSIGNALED(status))
				log_warn("worker %ld killed by signal %d",
				    (long)pid, WTERMSIG(status));
			else if (WEXITSTATUS(status) != 0)
				log_warn("worker %ld exited with status %d",
				    (long)pid, WEXITSTATUS(status));
			if (time(NULL) - kids[i].started < 1)
				(*crashed_fast)++;
			died++;
		}
		kids[i].pid = 0;
	}
	return died;
}

/* Refuse an old schema; a database that is down now is not fatal. */
static int
schema_ok(const struct conf *c)
{
	PGconn *conn = PQconnectdb(c->database);
	int v;

	if (PQstatus(conn) != CONNECTION_OK) {
		log_warn("database not reachable at start: %s; pages answer "
			 "503 until it is",
		    PQerrorMessage(conn));
		PQfinish(conn);
		return 1;
	}
	v = db_schema_check(conn, NULL);
	PQfinish(conn);
	return v != DB_SCHEMA_OLD;
}

/*
 * Run the master until SIGTERM or SIGINT.  Returns the process's exit
 * status.
 */
int
server_run(const char *conf_path)
{
	struct app *app, *fresh;
	struct privileges who;
	struct timespec tick = { 1, 0 };
	struct sigaction sa;
	sigset_t set;
	time_t stop_deadline = 0, respawn_at = 0;
	int sig, gen = 0, unix_created = 0, crashed_fast, rc = 1;

	if (sodium_init() < 0) {
		fprintf(stderr, "fascia: libsodium failed to start\n");
		return 1;
	}
	xmlInitParser(); /* once, before the workers write feeds */
	if ((app = app_load(conf_path)) == NULL)
		return 1;
	if (!privileges_plan(app->conf, &who) || !schema_ok(app->conf))
		goto out;
	if ((devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1 ||
	    (listen_fd = open_listener(app->conf, &unix_created)) == -1 ||
	    !privileges_drop(&who, unix_created ? app->conf->listen : NULL))
		goto out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (FCGX_Init() != 0) {
		log_err("libfcgi failed to start");
		goto out;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR2); /* the workers', never the master's end */
	sigprocmask(SIG_BLOCK, &set, NULL);

	log_info("listening on %s with %d workers", app->conf->listen,
	    worker_count(app->conf));
	/* Nothing from the cache of an earlier run: the keeper begins a new
	 * generation once it hears about changes. */
	if (cache_prepare(app->conf->page_cache_dir))
		(void)cache_off(app->conf->page_cache_dir);
	spawn_keeper(app);
	while (live(gen) < worker_count(app->conf) && spawn(app, gen))
		;
	for (;;) {
		sig = sigtimedwait(&set, NULL, &tick);
		crashed_fast = 0;
		if (sig == SIGCHLD || sig == -1)
			reap(gen, &crashed_fast);
		if (stop_deadline != 0) {
			if (live(-1) == 0 && keeper_pid == 0)
				break;
			if (time(NULL) >= stop_deadline) {
				log_warn("workers still busy after %ds; "
					 "killing them",
				    STOP_GRACE);
				signal_gen(-1, SIGKILL, -1);
				stop_keeper(SIGKILL);
				stop_deadline = time(NULL) + STOP_GRACE;
			}
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT) {
			log_info("stopping: letting workers finish");
			/* no new connection to a Unix socket of ours; those
			 * made already are drained (worker_on_drain) */
			if (unix_created)
				(void)unlink(app->conf->listen);
			signal_gen(-1,
			    strcmp(app->conf->listen, "stdin") == 0 ? SIGTERM :
								      SIGUSR2,
			    -1);
			stop_keeper(SIGTERM);
			stop_deadline = time(NULL) + STOP_GRACE;
			continue;
		}
		if (sig == SIGHUP) {
			log_info("reloading %s", conf_path);
			if ((fresh = app_load(conf_path)) == NULL) {
				log_err("reload failed; still serving the "
					"previous configuration and templates");
			} else {
				if (strcmp(fresh->conf->listen,
					app->conf->listen) != 0)
					log_warn("a new listen address takes "
						 "a restart");
				/* Old and new workers answer side by side
				 * until the old ones are done: nothing may be
				 * cached meanwhile, or an old page would
				 * outlive the reload.  The new keeper starts
				 * once they are gone (below), with a new
				 * generation. */
				(void)cache_off(app->conf->page_cache_dir);
				if (cache_prepare(fresh->conf->page_cache_dir))
					(void)cache_off(
					    fresh->conf->page_cache_dir);
				stop_keeper(SIGTERM);
				app_free(app);
				app = fresh;
				gen++;
				while (live(gen) < worker_count(app->conf) &&
				    spawn(app, gen))
					;
				signal_gen(-1, SIGTERM, gen);
			}
		}
		if (crashed_fast > 0)
			respawn_at = time(NULL) + 1; /* don't fork-loop */
		if (time(NULL) >= respawn_at) {
			if (keeper_pid == 0 && live(-1) == live(gen))
				spawn_keeper(app);
			while (live(gen) < worker_count(app->conf) &&
			    spawn(app, gen))
				;
		}
	}
	log_info("stopped");
	rc = 0;
out:
	if (listen_fd > 0) {
		close(listen_fd);
		if (unix_created)
			unlink(app->conf->listen);
	}
	app_free(app);
	return rc;
}
