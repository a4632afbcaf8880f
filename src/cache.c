/*
 * cache.c: the page cache's generation.
 *
 * nginx keeps fascia's pages under a key that holds the real path of
 * page_cache_dir/current, a symbolic link ($realpath_root in the site
 * file).  The link points at an empty directory, one per generation:
 * "g<seconds>.<microseconds>.<pid>.<next>", where the first two say when
 * the generation began (when the blog last changed) and the last when the
 * next scheduled post appears (0: none).  Pointing the link at a new
 * directory (cache_flip) makes nginx find nothing of what it kept: every
 * page is asked of fascia again, on the very next request, on every nginx
 * worker.  The link is replaced by rename(2), so a request sees either
 * generation, never none.  "off" means that nothing may come from the
 * cache: fascia cannot hear about changes now.
 *
 * The workers read the link on every page view (one readlink(2)): its
 * name gives them the ETag, Last-Modified and longest lifetime of what
 * they answer, with no query.  Old generations' directories are removed
 * some minutes after they were left (cache_prune), never at once: an
 * nginx worker may still be resolving the link it read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "cache.h"
#include "log.h"

#define CACHE_OFF "off"
#define CACHE_LINK "current"
#define DIR_MODE 0755
#define PATH_MAX_LEN 4096

static int
path(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX_LEN, "%s/%s", dir, name);

	return n > 0 && n < PATH_MAX_LEN;
}

/*
 * Make a directory nginx can read, whatever the umask (systemd's unit sets
 * 0077); one that exists is left as it is.  Returns 1, or 0 after logging
 * why not.
 */
static int
make_dir(const char *p)
{
	if (mkdir(p, DIR_MODE) == 0 ? chmod(p, DIR_MODE) == 0 : errno == EEXIST)
		return 1;
	log_err("%s: %s", p, strerror(errno));
	return 0;
}

/* Point dir's link at target (a name in dir), atomically. */
static int
point(const char *dir, const char *target)
{
	char tmp[PATH_MAX_LEN], link[PATH_MAX_LEN], name[CACHE_NAME_MAX + 16];

	snprintf(name, sizeof(name), ".%s.%ld", CACHE_LINK, (long)getpid());
	if (!path(tmp, dir, name) || !path(link, dir, CACHE_LINK))
		return 0;
	(void)unlink(tmp);
	if (symlink(target, tmp) == -1 || rename(tmp, link) == -1) {
		log_err("%s: %s", link, strerror(errno));
		(void)unlink(tmp);
		return 0;
	}
	return 1;
}

/*
 * Make dir ready: the directory itself, "off", and the link, pointing at
 * "off" when there is none yet.  Returns 1, or 0 after logging why not.
 */
int
cache_prepare(const char *dir)
{
	char off[PATH_MAX_LEN], link[PATH_MAX_LEN];
	struct stat st;

	if (!path(off, dir, CACHE_OFF) || !path(link, dir, CACHE_LINK))
		return 0;
	if (!make_dir(dir) || !make_dir(off))
		return 0;
	if (lstat(link, &st) == -1)
		return point(dir, CACHE_OFF);
	return 1;
}

/* Read "g<s>.<us>.<pid>.<next>" into g.  Returns 1, or 0 for another name. */
static int
parse(const char *name, struct cache_gen *g)
{
	long long began, usec, pid, next;
	char end;

	if (sscanf(name, "g%lld.%lld.%lld.%lld%c", &began, &usec, &pid, &next,
		&end) != 4 ||
	    began <= 0 || next < 0)
		return 0;
	g->began = (time_t)began;
	g->next = (time_t)next;
	return 1;
}

/*
 * Read the generation dir's link points at into g.  Returns 1 when there
 * is one (g->on), 0 when the cache is off or the link is missing or
 * unreadable (g->on is 0 then).
 */
int
cache_read(const char *dir, struct cache_gen *g)
{
	char link[PATH_MAX_LEN];
	ssize_t n;

	memset(g, 0, sizeof(*g));
	if (!path(link, dir, CACHE_LINK) ||
	    (n = readlink(link, g->name, sizeof(g->name) - 1)) <= 0)
		return 0;
	g->name[n] = '\0';
	g->on = parse(g->name, g);
	return g->on;
}

/*
 * Begin a new generation, now, whose next scheduled post appears at next
 * (0: none): a new empty directory, and the link pointed at it.  Returns
 * 1, or 0 after logging why not.
 */
int
cache_flip(const char *dir, time_t next)
{
	char name[CACHE_NAME_MAX], full[PATH_MAX_LEN];
	struct timeval now;

	if (gettimeofday(&now, NULL) == -1)
		return 0;
	snprintf(name, sizeof(name), "g%lld.%06ld.%ld.%lld",
	    (long long)now.tv_sec, (long)now.tv_usec, (long)getpid(),
	    (long long)(next > 0 ? next : 0));
	if (!path(full, dir, name))
		return 0;
	return make_dir(full) && point(dir, name);
}

/* Let nothing come from the cache.  Returns 1, or 0 after logging. */
int
cache_off(const char *dir)
{
	return point(dir, CACHE_OFF);
}

/*
 * Remove the directories of generations that began before before, but
 * the one the link points at.  Whatever cannot be removed stays, quietly:
 * it is empty.
 */
void
cache_prune(const char *dir, time_t before)
{
	struct cache_gen cur, g;
	char full[PATH_MAX_LEN];
	struct dirent *e;
	DIR *d;

	(void)cache_read(dir, &cur);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != 'g' || strcmp(e->d_name, cur.name) == 0 ||
		    !parse(e->d_name, &g) || g.began >= before)
			continue;
		if (path(full, dir, e->d_name))
			(void)rmdir(full);
	}
	closedir(d);
}
