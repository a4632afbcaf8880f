/*
 * arena.h: the bump allocator of requests and imports.
 *
 * Everything allocated from an arena lives until the next arena_reset()
 * or arena_free() of that arena, and is never freed one by one: a caller
 * that got memory from an arena owns none of it.
 */
#ifndef FASCIA_ARENA_H
#define FASCIA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *first; /* the standard chunks, in the order used */
	struct arena_chunk *cur;   /* the one allocations come from */
	struct arena_chunk *last;
	struct arena_chunk *big; /* allocations bigger than a chunk */
	size_t chunk_size;
};

void arena_init(struct arena *a, size_t chunk_size);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
