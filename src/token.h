/*
 * token.h: the signed tokens of the comment form and of the "see your
 * pending comment" link.
 */
#ifndef FASCIA_TOKEN_H
#define FASCIA_TOKEN_H

#include <time.h>

#include "keys.h"

#define NONCE_BYTES 16
#define TOKEN_CHARS 96 /* room for a token's base64 text and its NUL */

enum token_res {
	TOKEN_OK,
	TOKEN_INVALID, /* missing, malformed, forged or for another post */
	TOKEN_EXPIRED,
	TOKEN_TOO_FAST /* valid, but filled in faster than a person can */
};

void form_token_issue(const struct keys *k, long post_id, time_t now,
    char out[TOKEN_CHARS]);
enum token_res form_token_check(const struct keys *k, long post_id,
    const char *token, time_t now, long max_age, long min_fill,
    unsigned char nonce[NONCE_BYTES]);
void view_token_issue(const struct keys *k, long comment_id, time_t expires,
    char out[TOKEN_CHARS]);
int view_token_check(const struct keys *k, long comment_id, const char *token,
    time_t now);

#endif
