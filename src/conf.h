/*
 * conf.h: fascia's configuration, read from an INI file and the environment.
 */
#ifndef FASCIA_CONF_H
#define FASCIA_CONF_H

struct conf {
	char *path; /* the file it came from */
	char *listen;
	int socket_mode;
	char *user; /* whom serve becomes when started as root ("": none) */
	int workers;
	char *database;
	char *owner_database; /* migrate's connection ("": database's) */
	char *templates;
	char *static_dir;
	char *migrations;
	char *secret_key_file;
	char *site_title;
	char *site_description;
	char *base_url; /* no trailing slash */
	char *language;
	char *timezone;
	int per_page;
	int thread_depth;
	char *moderation;     /* "all", "first-time" or "none" */
	int form_max_age;     /* seconds a comment form stays valid */
	int min_fill_time;    /* faster than this is a bot */
	int flood_interval;   /* seconds between two comments of one person */
	int page_cache;	      /* 1: nginx may keep pages (page_cache = on) */
	char *page_cache_dir; /* where the cache's generation link lives */
	int page_cache_ttl;   /* seconds nginx keeps a page at most */
};

const char *conf_default_path(void);
struct conf *conf_load(const char *path);
void conf_free(struct conf *c);

#endif
