/*
 * arena.c: the bump allocator of requests (and of the importer's items).
 *
 * Everything a request needs (decoded parameters, rows copied out of
 * PGresults, strings for the templates) comes from one arena, which the
 * worker resets after each response.  Handlers never free.  The chunks of
 * the standard size are kept across resets and used again in order, so
 * once a worker has served its biggest page it allocates nothing from the
 * system; an allocation bigger than a chunk gets a block of its own, on a
 * list of its own, given back at reset (kept among the chunks, it would
 * leave the chunks after it unused, and add new ones, on every request).
 * Every allocation is aligned for any type.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_ALIGN _Alignof(max_align_t)

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
	a->first = a->cur = a->last = a->big = NULL;
	a->chunk_size = chunk_size;
}

static struct arena_chunk *
new_chunk(size_t size)
{
	struct arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c) ||
	    (c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->size = size;
	c->used = 0;
	c->next = NULL;
	return c;
}

/*
 * Return n bytes aligned for any type, uninitialised, valid until the next
 * arena_reset() or arena_free() of a; the arena owns them.  NULL when
 * memory is exhausted.
 */
void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c;
	const size_t align = ARENA_ALIGN;
	void *p;

	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	if (n > a->chunk_size) {
		if ((c = new_chunk(n)) == NULL)
			return NULL;
		c->next = a->big;
		a->big = c;
		c->used = n;
		return c->data;
	}
	/* The chunks after cur are empty: the next one always has room. */
	if (a->cur != NULL && a->cur->size - a->cur->used < n)
		a->cur = a->cur->next;
	if ((c = a->cur) == NULL) {
		if ((c = new_chunk(a->chunk_size)) == NULL)
			return NULL;
		if (a->last != NULL)
			a->last->next = c;
		else
			a->first = c;
		a->last = a->cur = c;
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
	struct arena_chunk *c = a->cur;
	va_list again;
	size_t room = 0;
	char *p = NULL;
	int n;

	/* Most strings fit in what the current chunk has left: format them
	 * there at once, and only measure first when they do not. */
	va_copy(again, ap);
	if (c != NULL) {
		room = c->size - c->used;
		p = (char *)c->data + c->used;
	}
	n = vsnprintf(p, room, fmt, ap);
	if (n >= 0 && (size_t)n < room) {
		c->used += ((size_t)n + ARENA_ALIGN) & ~(ARENA_ALIGN - 1);
		va_end(again);
		return p;
	}
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
 * Forget everything allocated from a: every pointer the arena gave out is
 * invalid afterwards.  The chunks of the standard size stay for reuse; the
 * blocks of big allocations are given back.
 */
void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->big; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->big = NULL;
	for (c = a->first; c != NULL; c = c->next)
		c->used = 0;
	a->cur = a->first;
}

/* Give all of a's memory back to the system; a can be used again. */
void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	arena_reset(a);
	for (c = a->first; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->first = a->cur = a->last = NULL;
}
