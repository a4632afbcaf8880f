/*
 * wp_comments.h: the comments of one WordPress post: which of them are
 * imported, the parent each gets, and the order they are written in.
 */
#ifndef FASCIA_WP_COMMENTS_H
#define FASCIA_WP_COMMENTS_H

#include <stddef.h>

#include "arena.h"

#define WPC_NONE (-1L) /* an index that points to no comment */

enum wpc_state {
	WPC_WANTED,   /* to import */
	WPC_LEFT_OUT, /* left out on purpose: unapproved, a pingback... */
	WPC_BAD	      /* cannot be imported; its reason was given */
};

/* Why wpc_plan() turns a wanted comment into a bad one. */
enum wpc_problem {
	WPC_SAME_ID, /* an earlier comment of the post has its comment_id */
	WPC_LOOP     /* its comment_parent chain loops */
};

/* Where one of wpc_plan()'s walks up the parents is with a comment. */
enum wpc_mark { WPC_UNSEEN, WPC_ON_PATH, WPC_DONE, WPC_LOOPS };

struct wpc {
	/* Set by the caller. */
	long long id;	  /* comment_id, or 0 when it has none */
	long long parent; /* comment_parent, or 0 for none */
	enum wpc_state state;
	/* Worked out by wpc_plan(). */
	long wp_parent; /* its parent in the export, or WPC_NONE */
	long reply_to;	/* the parent it gets: a wanted comment, or
			 * WPC_NONE for a comment on the post itself */
	long depth;	/* 0 for a comment on the post, 1 a reply... */
	/* wpc_plan()'s memory. */
	enum wpc_mark near_mark, depth_mark;
	long near; /* the nearest wanted comment at or above */
};

int wpc_plan(struct wpc *c, size_t n, struct arena *a,
    void (*bad)(void *arg, size_t i, enum wpc_problem why), void *arg,
    size_t **order, size_t *norder);

#endif
