/*
 * cache.h: the page cache's generation, a symbolic link nginx's cache key
 * follows.
 */
#ifndef FASCIA_CACHE_H
#define FASCIA_CACHE_H

#include <time.h>

#define CACHE_NAME_MAX 64

/* The generation the link points at now. */
struct cache_gen {
	char name[CACHE_NAME_MAX]; /* the link's target */
	int on;			   /* 0: "off", or no link at all */
	time_t began;		   /* when the blog last changed */
	time_t next;		   /* the next scheduled post, or 0 */
};

int cache_prepare(const char *dir);
int cache_read(const char *dir, struct cache_gen *g);
int cache_flip(const char *dir, time_t next);
int cache_off(const char *dir);
void cache_prune(const char *dir, time_t before);

#endif
