/*
 * conf.c: the configuration file and its environment overrides.
 *
 * The file is INI, parsed by inih.  Keys are unique across sections, so
 * each key can be overridden by FASCIA_<KEY> in the environment without
 * naming its section.  Every key is declared once in conf_keys[] with its
 * type, default and bounds; an unknown key, a bad value or a missing file
 * is an error naming the file, the line and the key, and nothing starts.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "conf.h"
#include "text.h"

enum conf_type {
	CONF_STRING,
	CONF_INT,
	CONF_OCTAL,
	CONF_URL,
	CONF_TIMEZONE,
	CONF_CHOICE, /* one of the "|"-separated words in choices */
	CONF_SWITCH, /* on or off, kept as 1 or 0 */
};

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t offset;
	const char *def;
	long min, max;
	const char *choices;
};

#define KEY_STR(n, f, d) \
	{ \
		n, CONF_STRING, offsetof(struct conf, f), d, 0, 0, NULL \
	}
#define KEY_INT(n, f, d, lo, hi) \
	{ \
		n, CONF_INT, offsetof(struct conf, f), d, lo, hi, NULL \
	}

static const struct conf_key conf_keys[] = {
	KEY_STR("listen", listen, "/run/fascia/fascia.sock"),
	{ "socket_mode", CONF_OCTAL, offsetof(struct conf, socket_mode), "0660",
	    0, 0777, NULL },
	KEY_INT("workers", workers, "0", 0, 256),
	KEY_STR("user", user, ""),
	KEY_STR("database", database, "dbname=fascia"),
	KEY_STR("owner_database", owner_database, ""),
	KEY_STR("templates", templates, DATADIR "/templates"),
	KEY_STR("static", static_dir, DATADIR "/static"),
	KEY_STR("migrations", migrations, DATADIR "/migrations"),
	KEY_STR("secret_key_file", secret_key_file,
	    "/var/lib/fascia/secret.key"),
	KEY_STR("site_title", site_title, "fascia"),
	KEY_STR("site_description", site_description, ""),
	{ "base_url", CONF_URL, offsetof(struct conf, base_url),
	    "http://127.0.0.1:8080", 0, 0, NULL },
	KEY_STR("language", language, "en"),
	{ "timezone", CONF_TIMEZONE, offsetof(struct conf, timezone), "UTC", 0,
	    0, NULL },
	KEY_INT("per_page", per_page, "10", 1, 100),
	KEY_INT("thread_depth", thread_depth, "5", 1, 10),
	{ "moderation", CONF_CHOICE, offsetof(struct conf, moderation),
	    "first-time", 0, 0, "all|first-time|none" },
	KEY_INT("form_max_age", form_max_age, "86400", 60, 2592000),
	KEY_INT("min_fill_time", min_fill_time, "3", 0, 3600),
	KEY_INT("flood_interval", flood_interval, "15", 0, 86400),
	{ "page_cache", CONF_SWITCH, offsetof(struct conf, page_cache), "on", 0,
	    1, NULL },
	KEY_STR("page_cache_dir", page_cache_dir, "/var/cache/fascia"),
	KEY_INT("page_cache_ttl", page_cache_ttl, "3600", 1, 86400),
};

#define CONF_NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

#define CONF_ERROR_MAX 160
#define CONF_KEY_SHOWN 64 /* of an unknown key, in its error */

struct conf_parse {
	struct conf *conf;
	const char *key;	      /* the key of the first error, or NULL */
	char unknown[CONF_KEY_SHOWN]; /* inih's buffer does not outlive it */
	char error[CONF_ERROR_MAX];
};

/*
 * Return the config file to use when none was named: $FASCIA_CONFIG, the
 * development config of a source tree that `make run` set up, or the
 * installed one.
 */
const char *
conf_default_path(void)
{
	const char *env = getenv("FASCIA_CONFIG");

	if (env != NULL && *env != '\0')
		return env;
	if (access("var/dev/fascia.conf", R_OK) == 0)
		return "var/dev/fascia.conf";
	return SYSCONFDIR "/fascia/fascia.conf";
}

static const struct conf_key *
conf_find(const char *name)
{
	size_t i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	return NULL;
}

/* Where in c the value of key k is kept, by its type. */
static char **
str_slot(struct conf *c, const struct conf_key *k)
{
	return (char **)(void *)((char *)c + k->offset);
}

static int *
int_slot(struct conf *c, const struct conf_key *k)
{
	return (int *)(void *)((char *)c + k->offset);
}

/*
 * Store value for key k in c.  Returns 1, or 0 with a reason in err.
 */
static int
conf_set(struct conf *c, const struct conf_key *k, const char *value, char *err,
    size_t errsz)
{
	char *end, *copy, **slot;
	const char *q;
	long n;
	size_t len;
	const char *what;

	if (text_has_control(value, strlen(value), 0)) {
		snprintf(err, errsz, "control characters in the value");
		return 0;
	}
	switch (k->type) {
	case CONF_INT:
	case CONF_OCTAL:
		errno = 0;
		n = strtol(value, &end, k->type == CONF_OCTAL ? 8 : 10);
		if (errno != 0 || end == value || *end != '\0' || n < k->min ||
		    n > k->max) {
			what = "a number";
			if (k->type == CONF_OCTAL)
				what = "an octal mode";
			snprintf(err, errsz, "expected %s from %ld to %ld",
			    what, k->min, k->max);
			return 0;
		}
		*int_slot(c, k) = (int)n;
		return 1;
	case CONF_SWITCH:
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
			snprintf(err, errsz, "expected on or off");
			return 0;
		}
		*int_slot(c, k) = strcmp(value, "on") == 0;
		return 1;
	case CONF_URL:
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			snprintf(err, errsz,
			    "must start with http:// or https://");
			return 0;
		}
		if (strpbrk(value, " \"'<>\\") != NULL) {
			snprintf(err, errsz, "not a plain URL");
			return 0;
		}
		break;
	case CONF_TIMEZONE:
		for (q = value; *q != '\0'; q++)
			if (!isalnum((unsigned char)*q) &&
			    strchr("/_+-", *q) == NULL) {
				snprintf(err, errsz, "not a time zone name");
				return 0;
			}
		break;
	case CONF_CHOICE:
		len = strlen(value);
		for (q = k->choices; q != NULL; q = strchr(q, '|')) {
			if (*q == '|')
				q++;
			if (len > 0 && strncmp(q, value, len) == 0 &&
			    (q[len] == '|' || q[len] == '\0'))
				break;
		}
		if (q == NULL) {
			snprintf(err, errsz, "expected one of %s", k->choices);
			return 0;
		}
		break;
	case CONF_STRING:
		break;
	}
	if ((copy = strdup(value)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return 0;
	}
	len = strlen(copy);
	if (k->type == CONF_URL)
		while (len > 0 && copy[len - 1] == '/')
			copy[--len] = '\0';
	slot = str_slot(c, k);
	free(*slot);
	*slot = copy;
	return 1;
}

static int
conf_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct conf_parse *p = user;
	const struct conf_key *k;

	(void)section;
	if (p->key != NULL)
		return 1;
	if ((k = conf_find(name)) == NULL) {
		snprintf(p->unknown, sizeof(p->unknown), "%s", name);
		p->key = p->unknown;
		snprintf(p->error, sizeof(p->error), "unknown key");
		return 0;
	}
	if (!conf_set(p->conf, k, value, p->error, sizeof(p->error))) {
		p->key = k->name;
		return 0;
	}
	return 1;
}

/*
 * Read the config at path, then the FASCIA_<KEY> overrides.  Returns a
 * config the caller frees with conf_free(), or NULL after printing on
 * stderr what is wrong and where.
 */
struct conf *
conf_load(const char *path)
{
	struct conf_parse p;
	struct conf *c;
	char env[64], err[CONF_ERROR_MAX];
	const char *v;
	size_t i, j;
	int line;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->path = strdup(path)) == NULL) {
		free(c);
		fprintf(stderr, "fascia: out of memory\n");
		return NULL;
	}
	for (i = 0; i < CONF_NKEYS; i++)
		if (!conf_set(c, &conf_keys[i], conf_keys[i].def, err,
			sizeof(err)))
			goto fail;
	memset(&p, 0, sizeof(p));
	p.conf = c;
	if ((line = ini_parse(path, conf_handler, &p)) != 0) {
		if (line < 0)
			fprintf(stderr, "%s: cannot read config file: %s\n",
			    path,
			    line == -1 ? strerror(errno) : "out of memory");
		else if (p.key != NULL)
			fprintf(stderr, "%s:%d: %s: %s\n", path, line, p.key,
			    p.error);
		else
			fprintf(stderr, "%s:%d: syntax error\n", path, line);
		goto fail;
	}
	for (i = 0; i < CONF_NKEYS; i++) {
		snprintf(env, sizeof(env), "FASCIA_%s", conf_keys[i].name);
		for (j = 7; env[j] != '\0'; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) == NULL)
			continue;
		if (!conf_set(c, &conf_keys[i], v, err, sizeof(err))) {
			fprintf(stderr, "environment %s: %s: %s\n", env,
			    conf_keys[i].name, err);
			goto fail;
		}
	}
	return c;
fail:
	conf_free(c);
	return NULL;
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CONF_NKEYS; i++)
		if (conf_keys[i].type != CONF_INT &&
		    conf_keys[i].type != CONF_OCTAL &&
		    conf_keys[i].type != CONF_SWITCH)
			free(*str_slot(c, &conf_keys[i]));
	free(c->path);
	free(c);
}
