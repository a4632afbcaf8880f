/*
 * token.c: the signed tokens of the comment form and of the link that
 * shows a visitor their own comment while it waits for moderation.
 *
 * The comment form carries a token: a MAC over the post id, a random
 * nonce and the time the form was shown.  It proves the form came from
 * this site for this post, says how long the visitor took to fill it in,
 * and its nonce makes a resubmitted form recognisable.  A view token is a
 * MAC over a comment id and an expiry.  Both are URL-safe base64, and
 * their MACs are compared in constant time.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "token.h"

#define TIME_BYTES 8  /* a time or an id, big-endian */
#define CLOCK_SKEW 60 /* seconds a token may come from the future */

/* nonce | issued | MAC over the post id, nonce and issued time */
#define FORM_RAW (NONCE_BYTES + TIME_BYTES + crypto_auth_BYTES)
/* expires | MAC over the comment id and expiry */
#define VIEW_RAW (TIME_BYTES + crypto_auth_BYTES)

static void
put_be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < TIME_BYTES; i++)
		p[i] = (unsigned char)(v >> (8 * (TIME_BYTES - 1 - i)));
}

static uint64_t
get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < TIME_BYTES; i++)
		v = v << 8 | p[i];
	return v;
}

static void
token_mac(const unsigned char key[KEY_BYTES], long id,
    const unsigned char *data, size_t len, unsigned char mac[crypto_auth_BYTES])
{
	crypto_auth_hmacsha512256_state st;
	unsigned char idb[TIME_BYTES];

	put_be64(idb, (uint64_t)id);
	crypto_auth_hmacsha512256_init(&st, key, KEY_BYTES);
	crypto_auth_hmacsha512256_update(&st, idb, sizeof(idb));
	crypto_auth_hmacsha512256_update(&st, data, len);
	crypto_auth_hmacsha512256_final(&st, mac);
}

/* Decode a token of exactly rawlen bytes into raw.  Returns 1 or 0. */
static int
token_decode(const char *token, unsigned char *raw, size_t rawlen)
{
	size_t len;

	return token != NULL && strlen(token) < TOKEN_CHARS &&
	    sodium_base642bin(raw, rawlen, token, strlen(token), NULL, &len,
		NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
	    len == rawlen;
}

/* Write a new form token for post_id, shown at now, to out. */
void
form_token_issue(const struct keys *k, long post_id, time_t now,
    char out[TOKEN_CHARS])
{
	unsigned char raw[FORM_RAW];

	randombytes_buf(raw, NONCE_BYTES);
	put_be64(raw + NONCE_BYTES, (uint64_t)now);
	token_mac(k->form, post_id, raw, NONCE_BYTES + TIME_BYTES,
	    raw + NONCE_BYTES + TIME_BYTES);
	sodium_bin2base64(out, TOKEN_CHARS, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * Check a form token for post_id at now: it expires max_age seconds after
 * it was issued, and one sent back within min_fill seconds is too fast for
 * a person.  On TOKEN_OK and TOKEN_TOO_FAST the token's nonce is copied to
 * nonce.
 */
enum token_res
form_token_check(const struct keys *k, long post_id, const char *token,
    time_t now, long max_age, long min_fill, unsigned char nonce[NONCE_BYTES])
{
	unsigned char raw[FORM_RAW], mac[crypto_auth_BYTES];
	time_t issued;

	if (!token_decode(token, raw, sizeof(raw)))
		return TOKEN_INVALID;
	token_mac(k->form, post_id, raw, NONCE_BYTES + TIME_BYTES, mac);
	if (sodium_memcmp(mac, raw + NONCE_BYTES + TIME_BYTES, sizeof(mac)) !=
	    0)
		return TOKEN_INVALID;
	issued = (time_t)get_be64(raw + NONCE_BYTES);
	if (issued > now + CLOCK_SKEW || now - issued > max_age)
		return TOKEN_EXPIRED;
	memcpy(nonce, raw, NONCE_BYTES);
	if (now - issued < min_fill)
		return TOKEN_TOO_FAST;
	return TOKEN_OK;
}

/* Write a token that lets its holder see comment_id until expires. */
void
view_token_issue(const struct keys *k, long comment_id, time_t expires,
    char out[TOKEN_CHARS])
{
	unsigned char raw[VIEW_RAW];

	put_be64(raw, (uint64_t)expires);
	token_mac(k->view, comment_id, raw, TIME_BYTES, raw + TIME_BYTES);
	sodium_bin2base64(out, TOKEN_CHARS, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Returns 1 when token lets its holder see pending comment_id at now. */
int
view_token_check(const struct keys *k, long comment_id, const char *token,
    time_t now)
{
	unsigned char raw[VIEW_RAW], mac[crypto_auth_BYTES];

	if (!token_decode(token, raw, sizeof(raw)))
		return 0;
	token_mac(k->view, comment_id, raw, TIME_BYTES, mac);
	return sodium_memcmp(mac, raw + TIME_BYTES, sizeof(mac)) == 0 &&
	    (time_t)get_be64(raw) >= now;
}
