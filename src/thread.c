/*
 * thread.c: the display order of threaded comments.
 *
 * Comments arrive oldest first, each with the id of the comment it
 * answers.  They are shown as threads, depth-first, each level oldest
 * first.  A reply deeper than the thread depth is shown at that depth; a
 * reply whose parent is not shown (pending, say) is shown at the top
 * level.  The walk is iterative, so a long chain of replies cannot exhaust
 * the stack, and ids forming a cycle are simply never reached.
 */
#include <stdlib.h>

#include "thread.h"

struct cnode {
	long id;
	int parent, first_child, last_child, next_sibling, depth;
};

static int
cnode_cmp(const void *a, const void *b)
{
	const struct cnode *const *x = a, *const *y = b;

	return ((*x)->id > (*y)->id) - ((*x)->id < (*y)->id);
}

/*
 * Order the n comments ids[] (parents[i] is 0 for a top-level comment).
 * Writes the display order as indexes into ids to order[] and each
 * shown comment's depth (1 = top level) to depth[]; both need room for
 * n + 1 entries, and the entry after the last shown comment is -1 in order
 * and 1 in depth.  Scratch memory comes from a.  Returns the number of
 * comments shown, or -1 out of memory.
 */
int
thread_order(struct arena *a, const long *ids, const long *parents, int n,
    int max_depth, int *order, int *depth)
{
	struct cnode *nodes, **byid, **hit, key, *keyp = &key;
	int i, p, o = 0, cur, first_root = -1, last_root = -1;

	nodes = arena_alloc(a, sizeof(*nodes) * (size_t)(n + 1));
	byid = arena_alloc(a, sizeof(*byid) * (size_t)(n + 1));
	if (nodes == NULL || byid == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		nodes[i].id = ids[i];
		nodes[i].parent = nodes[i].first_child = -1;
		nodes[i].last_child = nodes[i].next_sibling = -1;
		byid[i] = &nodes[i];
	}
	qsort(byid, (size_t)n, sizeof(*byid), cnode_cmp);
	for (i = 0; i < n; i++) {
		hit = NULL;
		if (parents[i] != 0) {
			key.id = parents[i];
			hit = bsearch(&keyp, byid, (size_t)n, sizeof(*byid),
			    cnode_cmp);
		}
		if (hit != NULL && *hit != &nodes[i]) {
			p = (int)(*hit - nodes);
			nodes[i].parent = p;
			if (nodes[p].last_child < 0)
				nodes[p].first_child = i;
			else
				nodes[nodes[p].last_child].next_sibling = i;
			nodes[p].last_child = i;
		} else {
			if (last_root < 0)
				first_root = i;
			else
				nodes[last_root].next_sibling = i;
			last_root = i;
		}
	}
	for (cur = first_root; cur >= 0 && o < n;) {
		p = nodes[cur].parent;
		if (p < 0)
			nodes[cur].depth = 1;
		else if (nodes[p].depth < max_depth)
			nodes[cur].depth = nodes[p].depth + 1;
		else
			nodes[cur].depth = max_depth;
		depth[o] = nodes[cur].depth;
		order[o++] = cur;
		if (nodes[cur].first_child >= 0) {
			cur = nodes[cur].first_child;
			continue;
		}
		while (cur >= 0 && nodes[cur].next_sibling < 0)
			cur = nodes[cur].parent;
		if (cur >= 0)
			cur = nodes[cur].next_sibling;
	}
	depth[o] = 1;
	order[o] = -1;
	return o;
}
