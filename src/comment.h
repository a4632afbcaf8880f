/*
 * comment.h: the rules of a comment: its fields, their limits and their
 * checks.
 */
#ifndef FASCIA_COMMENT_H
#define FASCIA_COMMENT_H

#include <stddef.h>

/* WordPress's limits, in bytes. */
#define AUTHOR_MAX 245
#define EMAIL_MAX 100
#define URL_MAX 200
#define COMMENT_MAX 65525

/* A limit as text, for messages: LIMIT_TEXT(AUTHOR_MAX) is "245". */
#define LIMIT_TEXT(n) LIMIT_TEXT_(n)
#define LIMIT_TEXT_(n) #n

enum cfield { CF_COMMENT, CF_AUTHOR, CF_EMAIL, CF_URL, CF__MAX };

/* What a visitor sent; values are NUL-terminated, valid UTF-8. */
struct comment_input {
	const char *v[CF__MAX];
	int bad_encoding[CF__MAX];
	const char *err[CF__MAX];	/* set by comment_validate() */
};

int comment_validate(struct comment_input *in);
int email_normalize(const char *email, char *out, size_t outsz);
int comment_links(const char *body);
int comment_url_ok(const char *url);

#endif
