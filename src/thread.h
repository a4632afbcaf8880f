/*
 * thread.h: the display order of threaded comments.
 */
#ifndef FASCIA_THREAD_H
#define FASCIA_THREAD_H

#include "arena.h"

int thread_order(struct arena *a, const long *ids, const long *parents, int n,
    int max_depth, int *order, int *depth);

#endif
