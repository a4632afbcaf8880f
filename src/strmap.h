/*
 * strmap.h: a hash map from strings to strings, owning copies of both.
 */
#ifndef FASCIA_STRMAP_H
#define FASCIA_STRMAP_H

#include <stddef.h>

/* A zeroed struct strmap is an empty map. */
struct strmap {
	char **keys;
	char **vals;
	size_t cap; /* slots: 0 or a power of two */
	size_t n;   /* keys set */
};

const char *strmap_get(const struct strmap *m, const char *k);
int strmap_put(struct strmap *m, const char *k, const char *v);
void strmap_free(struct strmap *m);

#endif
