/*
 * comment.h: the rules of a comment: its fields, their limits and their
 * checks.
 */
#ifndef FASCIA_COMMENT_H
#define FASCIA_COMMENT_H

#include <stddef.h>

#include "text.h"

/* WordPress's limits, in bytes. */
#define AUTHOR_MAX 245
#define EMAIL_MAX 100
#define URL_MAX 200
#define COMMENT_MAX 65525

#define AUTHOR_MAX_TEXT LIMIT_TEXT(AUTHOR_MAX)
#define EMAIL_MAX_TEXT LIMIT_TEXT(EMAIL_MAX)
#define URL_MAX_TEXT LIMIT_TEXT(URL_MAX)
#define COMMENT_MAX_TEXT LIMIT_TEXT(COMMENT_MAX)

enum cfield { CF_COMMENT, CF_AUTHOR, CF_EMAIL, CF_URL, CF__MAX };

/* What a visitor sent; values are NUL-terminated, valid UTF-8. */
struct comment_input {
	const char *v[CF__MAX];
	int bad_encoding[CF__MAX];
	const char *err[CF__MAX]; /* set by comment_validate() */
};

int comment_validate(struct comment_input *in);
int email_normalize(const char *email, char *out, size_t outsz);
int comment_links(const char *body);
int comment_url_ok(const char *url);

#endif
