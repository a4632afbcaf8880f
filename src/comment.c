/*
 * comment.c: the rules of a comment, and the cryptography that keeps
 * commenters private.
 *
 * An email address is normalised (trimmed, lower-cased) and hashed with
 * keyed BLAKE2b; only the hash is ever stored, and it is what recognises a
 * returning commenter.  The client address is hashed the same way with a
 * key of its own, for flood control only.  Each purpose has its own key,
 * derived from the site's secret with libsodium's KDF, so a hash made for
 * one purpose is useless for any other.
 *
 * The comment form carries a token: a MAC over the post id, a random
 * nonce and the time the form was shown.  It proves the form came from
 * this site for this post, says how long the visitor took to fill it in,
 * and its nonce makes a resubmitted form recognisable.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "comment.h"
#include "text.h"

#define KDF_CONTEXT "fasciakd"

/*
 * Derive every purpose's key from the site secret.  Returns 1, or 0 when
 * libsodium failed.
 */
int
keys_derive(struct keys *k, const unsigned char secret[SECRET_KEY_BYTES])
{
	return crypto_kdf_derive_from_key(k->email, sizeof(k->email), 1,
	    KDF_CONTEXT, secret) == 0 &&
	    crypto_kdf_derive_from_key(k->client, sizeof(k->client), 2,
	    KDF_CONTEXT, secret) == 0 &&
	    crypto_kdf_derive_from_key(k->form, sizeof(k->form), 3,
	    KDF_CONTEXT, secret) == 0 &&
	    crypto_kdf_derive_from_key(k->view, sizeof(k->view), 4,
	    KDF_CONTEXT, secret) == 0;
}

void
keys_wipe(struct keys *k)
{
	sodium_memzero(k, sizeof(*k));
}

static int
has_control(const char *s, int allow_newlines)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (allow_newlines && (c == '\n' || c == '\t' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}

static int
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * Write the normalised form of email (surrounding white space removed,
 * ASCII letters lower-cased) to out.  Returns its length, or -1 when it
 * does not fit.
 */
int
email_normalize(const char *email, char *out, size_t outsz)
{
	const char *end;
	size_t n, i;

	while (isspace((unsigned char)*email))
		email++;
	end = email + strlen(email);
	while (end > email && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - email);
	if (n >= outsz)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)email[i]);
	out[n] = '\0';
	return (int)n;
}

/* WordPress's is_email(), in spirit: local@domain.tld, plain characters. */
static int
email_plausible(const char *e)
{
	static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
	const char *at = strrchr(e, '@'), *p, *label;

	if (strlen(e) < 6 || at == NULL || at == e || strchr(e, '@') != at)
		return 0;
	for (p = e; p < at; p++)
		if (!isalnum((unsigned char)*p) && strchr(local_ok, *p) == NULL)
			return 0;
	if (strchr(at + 1, '.') == NULL)
		return 0;
	for (label = p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || *label == '-' || p[-1] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
}

/*
 * Check in WordPress's order and with its limits.  Sets in->err[] for
 * each field at fault, with a message a person understands, and returns
 * the number of fields at fault.  The values are trimmed only for the
 * checks; the caller stores what was typed.
 */
int
comment_validate(struct comment_input *in)
{
	const char *author = in->v[CF_AUTHOR], *email = in->v[CF_EMAIL];
	const char *url = in->v[CF_URL], *body = in->v[CF_COMMENT];
	char norm[EMAIL_MAX + 64];
	int i, n = 0;

	for (i = 0; i < CF__MAX; i++)
		in->err[i] = NULL;
	if (in->bad_encoding[CF_AUTHOR] ||
	    (author != NULL && has_control(author, 0)))
		in->err[CF_AUTHOR] = "Your name contains invalid characters.";
	else if (author == NULL || blank(author))
		in->err[CF_AUTHOR] = "Please enter your name.";
	else if (strlen(author) > AUTHOR_MAX)
		in->err[CF_AUTHOR] = "Your name is too long: at most 245 "
		    "characters, please.";

	if (in->bad_encoding[CF_EMAIL] ||
	    (email != NULL && has_control(email, 0)))
		in->err[CF_EMAIL] = "Your email address contains invalid "
		    "characters.";
	else if (email == NULL || blank(email))
		in->err[CF_EMAIL] = "Please enter your email address.";
	else if (strlen(email) > EMAIL_MAX)
		in->err[CF_EMAIL] = "Your email address is too long: at most "
		    "100 characters.";
	else if (email_normalize(email, norm, sizeof(norm)) < 0 ||
	    !email_plausible(norm))
		in->err[CF_EMAIL] = "Please enter a valid email address, like "
		    "name@example.com.";

	/* The scheme first: " JaVa\tScRiPt:" is refused for what it is. */
	if (in->bad_encoding[CF_URL])
		in->err[CF_URL] = "The website address contains invalid "
		    "characters.";
	else if (url != NULL && !blank(url) && !url_has_http_scheme(url))
		in->err[CF_URL] = "The website must start with http:// or "
		    "https://.";
	else if (url != NULL && !blank(url) && !url_http_ok(url))
		in->err[CF_URL] = "The website address contains characters "
		    "that are not allowed in a web address.";
	else if (url != NULL && strlen(url) > URL_MAX)
		in->err[CF_URL] = "The website address is too long: at most "
		    "200 characters.";

	if (in->bad_encoding[CF_COMMENT] ||
	    (body != NULL && has_control(body, 1)))
		in->err[CF_COMMENT] = "Your comment contains invalid "
		    "characters.";
	else if (body == NULL || blank(body))
		in->err[CF_COMMENT] = "Please type your comment.";
	else if (strlen(body) > COMMENT_MAX)
		in->err[CF_COMMENT] = "Your comment is too long: at most "
		    "65,525 bytes, please shorten it.";

	for (i = 0; i < CF__MAX; i++)
		if (in->err[i] != NULL)
			n++;
	return n;
}

/* Hash the normalised email with the email key. */
void
email_hash(const struct keys *k, const char *email,
    unsigned char out[HASH_BYTES])
{
	char norm[512];
	int n;

	if ((n = email_normalize(email, norm, sizeof(norm))) < 0)
		n = 0, norm[0] = '\0';
	crypto_generichash(out, HASH_BYTES, (const unsigned char *)norm,
	    (unsigned long long)n, k->email, sizeof(k->email));
	sodium_memzero(norm, sizeof(norm));
}

void
client_hash(const struct keys *k, const char *addr,
    unsigned char out[HASH_BYTES])
{
	crypto_generichash(out, HASH_BYTES, (const unsigned char *)addr,
	    strlen(addr), k->client, sizeof(k->client));
}

/* Count the http(s) links in a comment, WordPress's measure of spam. */
/*
 * Is url safe to put in an href: http or https, with a host?  Comments
 * stored by other means (an import, the database by hand) are checked
 * again when shown.
 */
int
comment_url_ok(const char *url)
{
	return url != NULL && url_http_ok(url);
}

int
comment_links(const char *body)
{
	const char *p;
	int n = 0;

	for (p = body; *p != '\0'; p++)
		if ((*p == 'h' || *p == 'H') &&
		    (strncasecmp(p, "http://", 7) == 0 ||
		    strncasecmp(p, "https://", 8) == 0))
			n++;
	return n;
}

/*
 * Form token: nonce (16) | issued (8, big-endian) | MAC over the post id,
 * nonce and issued time (32), in URL-safe base64.
 */
#define TOKEN_RAW (NONCE_BYTES + 8 + crypto_auth_BYTES)

static void
token_mac(const unsigned char key[32], long id, const unsigned char *data,
    size_t len, unsigned char mac[crypto_auth_BYTES])
{
	crypto_auth_hmacsha512256_state st;
	unsigned char idb[8];
	int i;

	for (i = 0; i < 8; i++)
		idb[i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
	crypto_auth_hmacsha512256_init(&st, key, 32);
	crypto_auth_hmacsha512256_update(&st, idb, sizeof(idb));
	crypto_auth_hmacsha512256_update(&st, data, len);
	crypto_auth_hmacsha512256_final(&st, mac);
}

static void
put_time(unsigned char *p, time_t t)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)((uint64_t)t >> (56 - 8 * i));
}

static time_t
get_time(const unsigned char *p)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < 8; i++)
		t = t << 8 | p[i];
	return (time_t)t;
}

void
form_token_issue(const struct keys *k, long post_id, time_t now,
    char out[FORM_TOKEN_CHARS])
{
	unsigned char raw[TOKEN_RAW];

	randombytes_buf(raw, NONCE_BYTES);
	put_time(raw + NONCE_BYTES, now);
	token_mac(k->form, post_id, raw, NONCE_BYTES + 8,
	    raw + NONCE_BYTES + 8);
	sodium_bin2base64(out, FORM_TOKEN_CHARS, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * Check a form token for post_id.  The MAC is compared in constant time.
 * On TOKEN_OK and TOKEN_TOO_FAST the token's nonce is copied to nonce.
 */
enum token_res
form_token_check(const struct keys *k, long post_id, const char *token,
    time_t now, long max_age, long min_fill, unsigned char nonce[NONCE_BYTES])
{
	unsigned char raw[TOKEN_RAW], mac[crypto_auth_BYTES];
	size_t len;
	time_t issued;

	if (token == NULL || strlen(token) >= FORM_TOKEN_CHARS ||
	    sodium_base642bin(raw, sizeof(raw), token, strlen(token), NULL,
	    &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof(raw))
		return TOKEN_INVALID;
	token_mac(k->form, post_id, raw, NONCE_BYTES + 8, mac);
	if (sodium_memcmp(mac, raw + NONCE_BYTES + 8, sizeof(mac)) != 0)
		return TOKEN_INVALID;
	issued = get_time(raw + NONCE_BYTES);
	if (issued > now + 60 || now - issued > max_age)
		return TOKEN_EXPIRED;
	memcpy(nonce, raw, NONCE_BYTES);
	if (now - issued < min_fill)
		return TOKEN_TOO_FAST;
	return TOKEN_OK;
}

/* View token: expires (8) | MAC over the comment id and expiry (32). */
void
view_token_issue(const struct keys *k, long comment_id, time_t expires,
    char out[FORM_TOKEN_CHARS])
{
	unsigned char raw[8 + crypto_auth_BYTES];

	put_time(raw, expires);
	token_mac(k->view, comment_id, raw, 8, raw + 8);
	sodium_bin2base64(out, FORM_TOKEN_CHARS, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Returns 1 when token lets its holder see pending comment_id now. */
int
view_token_check(const struct keys *k, long comment_id, const char *token,
    time_t now)
{
	unsigned char raw[8 + crypto_auth_BYTES], mac[crypto_auth_BYTES];
	size_t len;

	if (token == NULL || strlen(token) >= FORM_TOKEN_CHARS ||
	    sodium_base642bin(raw, sizeof(raw), token, strlen(token), NULL,
	    &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof(raw))
		return 0;
	token_mac(k->view, comment_id, raw, 8, mac);
	return sodium_memcmp(mac, raw + 8, sizeof(mac)) == 0 &&
	    get_time(raw) >= now;
}

/*
 * Append a 5x5 mirrored identicon drawn from hash as inline SVG: the
 * commenter's own picture, with no request to any third party.
 */
void
identicon_svg(struct buf *b, const unsigned char hash[HASH_BYTES])
{
	int x, y, bit = 0;
	unsigned hue = (unsigned)(hash[0] << 8 | hash[1]) % 360;

	buf_printf(b, "<svg class=\"avatar\" viewBox=\"0 0 5 5\" width=\"40\" "
	    "height=\"40\" aria-hidden=\"true\" focusable=\"false\">"
	    "<rect width=\"5\" height=\"5\" fill=\"hsl(%u,45%%,92%%)\"/>"
	    "<path fill=\"hsl(%u,55%%,35%%)\" d=\"", hue, hue);
	for (x = 0; x < 3; x++)
		for (y = 0; y < 5; y++, bit++) {
			if (!(hash[2 + bit / 8] >> (bit % 8) & 1))
				continue;
			buf_printf(b, "M%d %dh1v1h-1z", x, y);
			if (x < 2)
				buf_printf(b, "M%d %dh1v1h-1z", 4 - x, y);
		}
	buf_puts(b, "\"/></svg>");
}
