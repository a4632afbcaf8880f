/*
 * h_post.h: a post's page, with its comments and the comment form.
 */
#ifndef FASCIA_H_POST_H
#define FASCIA_H_POST_H

#include "comment.h"
#include "db.h"
#include "req.h"

/* A comment form sent back to its visitor: what they typed, what is wrong. */
struct form_state {
	struct comment_input in;
	const char *parent; /* comment_parent as sent */
	const char *parent_err;
	const char *notice; /* a message above the form */
};

handler_fn h_post;
int post_page(struct req *r, const struct db_post *p,
    const struct form_state *fs, int status);

#endif
