/*
 * h_search.h: full-text search, and the pure helpers its pages use.
 */
#ifndef FASCIA_H_SEARCH_H
#define FASCIA_H_SEARCH_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "req.h"

handler_fn h_search, h_search_path;
void search_highlight(struct buf *b, const char *s, size_t n, int entities);
char *search_normalize(struct arena *a, const char *raw, size_t max, int *cut);

#endif
