/*
 * arena.c: the bump allocator of requests (and of the importer's items).
 *
 * Everything a request needs (decoded parameters, rows copied out of
 * PGresults, strings for the templates) comes from one arena, which the
 * worker resets after each response.  Handlers never free.  The oldest
 * chunk is kept across resets, so a typical page view allocates nothing
 * from the system; bigger requests grow the arena chunk by chunk and give
 * the extra chunks back at reset.  Every allocation is aligned for any
 * type.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

/*
 * Make a an empty arena that takes memory from the system chunk_size
 * bytes at a time (more for a bigger allocation).  Nothing is allocated
 * until the first arena_alloc().
 */
void
arena_init(struct arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_size = chunk_size;
}

/*
 * Return n bytes aligned for any type, uninitialised, valid until the next
 * arena_reset() or arena_free() of a; the arena owns them.  NULL when
 * memory is exhausted.
 */
void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	const size_t align = sizeof(max_align_t);
	size_t size;
	void *p;

	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	if (c == NULL || c->size - c->used < n) {
		size = n > a->chunk_size ? n : a->chunk_size;
		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

/*
 * Copy the n bytes at s into a, NUL-terminated (s need not be).  Returns
 * the copy, owned by the arena, or NULL on exhausted memory.
 */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Copy the string s into a; see arena_strndup(). */
char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/*
 * Format into the arena, as vprintf(3) does.  Returns the string, which
 * lives until the next arena_reset(), or NULL on exhausted memory.
 */
char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list again;
	char *p;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL) {
		va_end(again);
		return NULL;
	}
	vsnprintf(p, (size_t)n + 1, fmt, again);
	va_end(again);
	return p;
}

/* Format into the arena, as printf(3) does; see arena_vprintf(). */
char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * Forget everything allocated from a, keeping its oldest chunk for reuse:
 * every pointer the arena gave out is invalid afterwards.
 */
void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a->head == NULL)
		return;
	for (c = a->head; c->next != NULL; c = next) {
		next = c->next;
		free(c);
	}
	c->used = 0;
	a->head = c;
}

/* Give all of a's memory back to the system; a can be used again. */
void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}
