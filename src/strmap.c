/*
 * strmap.c: a hash map from strings to strings, owning copies of both.
 *
 * Open addressing with linear probing, FNV-1a hashes, at most half full.
 * There is no removal: the importer only ever adds what it has seen
 * (logins, slugs) and drops the whole map at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

#define STRMAP_FIRST_CAP 64
#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t
hash_str(const char *s)
{
	uint64_t h = FNV_OFFSET;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

/* The slot of k: where it is, or the free slot where it would go. */
static size_t
slot(const struct strmap *m, const char *k)
{
	size_t i = (size_t)(hash_str(k) & (m->cap - 1));

	while (m->keys[i] != NULL && strcmp(m->keys[i], k) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/*
 * Return the value of k in m, or NULL when k is not set.  The value
 * belongs to m and lives until k is set again or m is freed.
 */
const char *
strmap_get(const struct strmap *m, const char *k)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = slot(m, k);
	return m->keys[i] != NULL ? m->vals[i] : NULL;
}

/* Double the slots.  Returns 1, or 0 (m unchanged) when out of memory. */
static int
grow(struct strmap *m)
{
	struct strmap bigger;
	size_t i, j;

	bigger.cap = m->cap ? m->cap * 2 : STRMAP_FIRST_CAP;
	bigger.n = m->n;
	if ((bigger.keys = calloc(bigger.cap, sizeof(char *))) == NULL)
		return 0;
	if ((bigger.vals = calloc(bigger.cap, sizeof(char *))) == NULL) {
		free(bigger.keys);
		return 0;
	}
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		j = slot(&bigger, m->keys[i]);
		bigger.keys[j] = m->keys[i];
		bigger.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = bigger;
	return 1;
}

/*
 * Set k to v in m; m keeps copies of both, the caller keeps its strings.
 * Returns 1, or 0 when out of memory (m is then as it was).
 */
int
strmap_put(struct strmap *m, const char *k, const char *v)
{
	char *kc, *vc;
	size_t i;

	if ((m->n + 1) * 2 > m->cap && !grow(m))
		return 0;
	i = slot(m, k);
	if ((vc = strdup(v)) == NULL)
		return 0;
	if (m->keys[i] != NULL) {
		free(m->vals[i]);
		m->vals[i] = vc;
		return 1;
	}
	if ((kc = strdup(k)) == NULL) {
		free(vc);
		return 0;
	}
	m->keys[i] = kc;
	m->vals[i] = vc;
	m->n++;
	return 1;
}

/*
 * Free everything m holds and leave it an empty map, ready for use again.
 */
void
strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
