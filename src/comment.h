/*
 * comment.h: the rules of a comment: validation, the privacy of
 * commenters, and the signed tokens of the comment form.
 */
#ifndef FASCIA_COMMENT_H
#define FASCIA_COMMENT_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "secret.h"

#define HASH_BYTES 32
#define NONCE_BYTES 16
#define FORM_TOKEN_CHARS 96	/* room for the base64 text and its NUL */

/* WordPress's limits, in bytes. */
#define AUTHOR_MAX 245
#define EMAIL_MAX 100
#define URL_MAX 200
#define COMMENT_MAX 65525

/* Keys derived from the site's secret, one per purpose. */
struct keys {
	unsigned char email[32];	/* hashes of email addresses */
	unsigned char client[32];	/* hashes of client addresses */
	unsigned char form[32];		/* form tokens */
	unsigned char view[32];		/* "see your pending comment" links */
};

enum cfield { CF_COMMENT, CF_AUTHOR, CF_EMAIL, CF_URL, CF__MAX };

/* What a visitor sent; values are NUL-terminated, valid UTF-8. */
struct comment_input {
	const char *v[CF__MAX];
	int bad_encoding[CF__MAX];
	const char *err[CF__MAX];	/* set by comment_validate() */
};

int keys_derive(struct keys *k, const unsigned char secret[SECRET_KEY_BYTES]);
void keys_wipe(struct keys *k);

int comment_validate(struct comment_input *in);
int email_normalize(const char *email, char *out, size_t outsz);
void email_hash(const struct keys *k, const char *email,
    unsigned char out[HASH_BYTES]);
void client_hash(const struct keys *k, const char *addr,
    unsigned char out[HASH_BYTES]);
int comment_links(const char *body);
int comment_url_ok(const char *url);

void form_token_issue(const struct keys *k, long post_id, time_t now,
    char out[FORM_TOKEN_CHARS]);

enum token_res {
	TOKEN_OK,
	TOKEN_INVALID,	/* missing, malformed, forged or for another post */
	TOKEN_EXPIRED,
	TOKEN_TOO_FAST	/* valid, but filled in faster than a person can */
};

enum token_res form_token_check(const struct keys *k, long post_id,
    const char *token, time_t now, long max_age, long min_fill,
    unsigned char nonce[NONCE_BYTES]);

void view_token_issue(const struct keys *k, long comment_id, time_t expires,
    char out[FORM_TOKEN_CHARS]);
int view_token_check(const struct keys *k, long comment_id,
    const char *token, time_t now);

void identicon_svg(struct buf *b, const unsigned char hash[HASH_BYTES]);

#endif
