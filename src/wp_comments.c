/*
 * wp_comments.c: the comments of one WordPress post: which of them are
 * imported, the parent each gets, and the order they are written in.
 *
 * The caller has looked at each comment on its own (its id, whether it is
 * approved, whether its fields are usable).  What is left needs them all:
 *
 * - Two comments of a post with the same comment_id: the first wanted one
 *   in the file is imported, the others are bad.
 * - A reply to a comment that is left out, or bad, moves up to the nearest
 *   wanted comment above it (as `fascia comments delete` does to replies),
 *   or to the post itself; a parent that is not in the export is no parent.
 * - comment_parent chains can loop in a damaged export.  A loop among
 *   comments left out just ends the climb; a wanted comment whose chain of
 *   wanted parents loops is bad, and so is every reply below it.
 * - Each comment's row must find its parent's row, so comments are written
 *   parents first: by depth, then by comment_id.
 *
 * Every walk up the parents remembers what it found in the comments it
 * passed, so the whole plan takes time in proportion to the comments.
 */
#include <stdlib.h>

#include "wp_comments.h"

struct id_index {
	long long id;
	long i; /* index of the comment */
};

struct order_key {
	long depth;
	long long id;
	size_t i;
};

static int
id_cmp(const void *x, const void *y)
{
	const struct id_index *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

/* By id, then by place in the file: the first of two equal ids wins. */
static int
id_sort(const void *x, const void *y)
{
	const struct id_index *a = x, *b = y;
	int c = id_cmp(x, y);

	return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

static int
order_cmp(const void *x, const void *y)
{
	const struct order_key *a = x, *b = y;

	if (a->depth != b->depth)
		return (a->depth > b->depth) - (a->depth < b->depth);
	return (a->id > b->id) - (a->id < b->id);
}

/*
 * The nearest wanted comment at or above j, climbing the export's parents
 * past those not wanted, or WPC_NONE.
 */
static long
nearest_wanted(struct wpc *c, long j)
{
	long k, r;

	for (k = j; k != WPC_NONE && c[k].state != WPC_WANTED &&
	     c[k].near_mark == WPC_UNSEEN;
	     k = c[k].wp_parent)
		c[k].near_mark = WPC_ON_PATH;
	if (k == WPC_NONE)
		r = WPC_NONE;
	else if (c[k].state == WPC_WANTED)
		r = k;
	else if (c[k].near_mark == WPC_ON_PATH)
		r = WPC_NONE; /* a loop among comments not wanted */
	else
		r = c[k].near;
	for (k = j; k != WPC_NONE && c[k].state != WPC_WANTED &&
	     c[k].near_mark == WPC_ON_PATH;
	     k = c[k].wp_parent) {
		c[k].near_mark = WPC_DONE;
		c[k].near = r;
	}
	return r;
}

/*
 * Work out the depth of each wanted comment; one whose parents loop
 * becomes bad and WPC_LOOPS.  path has room for n indexes.
 */
static void
depths(struct wpc *c, size_t n, long *path)
{
	size_t i, np;
	long k, d;
	int loops;

	for (i = 0; i < n; i++) {
		if (c[i].state != WPC_WANTED || c[i].depth_mark != WPC_UNSEEN)
			continue;
		np = 0;
		for (k = (long)i;
		     k != WPC_NONE && c[k].depth_mark == WPC_UNSEEN;
		     k = c[k].reply_to) {
			c[k].depth_mark = WPC_ON_PATH;
			path[np++] = k;
		}
		/* The climb stopped at the post, at a comment whose depth is
		 * known, or at one it passed already or known to loop. */
		loops = k != WPC_NONE && c[k].depth_mark != WPC_DONE;
		d = k == WPC_NONE || loops ? -1 : c[k].depth;
		while (np > 0) {
			k = path[--np];
			if (loops) {
				c[k].depth_mark = WPC_LOOPS;
				c[k].state = WPC_BAD;
			} else {
				c[k].depth_mark = WPC_DONE;
				c[k].depth = ++d;
			}
		}
	}
}

/*
 * Plan the import of the n comments c of a post, whose id, parent and
 * state the caller has set.  Wanted comments found bad here are passed to
 * bad() with their index, those with a comment_id another has in the
 * order of their ids, then those in a loop in file order; they are then
 * WPC_BAD.  The indexes of the comments to import go to *order, parents
 * first, *norder of them; *order and the plan's memory come from a.
 * Returns 1, or 0 when a is out of memory.
 */
int
wpc_plan(struct wpc *c, size_t n, struct arena *a,
    void (*bad)(void *arg, size_t i, enum wpc_problem why), void *arg,
    size_t **order, size_t *norder)
{
	struct id_index *idx, key, *hit;
	struct order_key *keys;
	size_t i, k = 0, first, m = 0;
	long *path;
	int wanted_seen;

	*order = NULL;
	*norder = 0;
	if (n == 0)
		return 1;
	if ((idx = arena_alloc(a, n * sizeof(*idx))) == NULL ||
	    (path = arena_alloc(a, n * sizeof(*path))) == NULL ||
	    (keys = arena_alloc(a, n * sizeof(*keys))) == NULL ||
	    (*order = arena_alloc(a, n * sizeof(**order))) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		c[i].wp_parent = c[i].reply_to = c[i].near = WPC_NONE;
		c[i].depth = 0;
		c[i].near_mark = c[i].depth_mark = WPC_UNSEEN;
		if (c[i].id == 0)
			continue; /* no comment can name it its parent */
		idx[k].id = c[i].id;
		idx[k++].i = (long)i;
	}
	qsort(idx, k, sizeof(*idx), id_sort);
	for (i = 0, first = 0, wanted_seen = 0; i < k; i++) {
		if (idx[i].id != idx[first].id) {
			first = i;
			wanted_seen = 0;
		}
		if (c[idx[i].i].state != WPC_WANTED)
			continue;
		if (!wanted_seen) {
			wanted_seen = 1;
			continue;
		}
		c[idx[i].i].state = WPC_BAD;
		bad(arg, (size_t)idx[i].i, WPC_SAME_ID);
	}
	for (i = 0; i < n; i++) {
		if (c[i].parent == 0 || c[i].parent == c[i].id)
			continue;
		key.id = c[i].parent;
		if ((hit = bsearch(&key, idx, k, sizeof(*idx), id_cmp)) != NULL)
			c[i].wp_parent = hit->i;
	}
	for (i = 0; i < n; i++)
		if (c[i].state == WPC_WANTED && c[i].wp_parent != WPC_NONE)
			c[i].reply_to = nearest_wanted(c, c[i].wp_parent);
	depths(c, n, path);
	for (i = 0; i < n; i++) {
		if (c[i].depth_mark == WPC_LOOPS)
			bad(arg, i, WPC_LOOP);
		if (c[i].state != WPC_WANTED)
			continue;
		keys[m].depth = c[i].depth;
		keys[m].id = c[i].id;
		keys[m++].i = i;
	}
	qsort(keys, m, sizeof(*keys), order_cmp);
	for (i = 0; i < m; i++)
		(*order)[i] = keys[i].i;
	*norder = m;
	return 1;
}
