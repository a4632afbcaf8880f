/*
 * h_comment.h: posting a comment.
 */
#ifndef FASCIA_H_COMMENT_H
#define FASCIA_H_COMMENT_H

#include "req.h"

handler_fn h_comment_post;

#endif
