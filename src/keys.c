/*
 * keys.c: the keys derived from the site's secret, one per purpose, and
 * the keyed hashes that keep commenters private.
 *
 * An email address is normalised (comment.c) and hashed with keyed
 * BLAKE2b; only the hash is ever stored, and it is what recognises a
 * returning commenter.  The client address is hashed the same way with a
 * key of its own, for flood control only.  Each purpose has its own key,
 * derived from the secret with libsodium's KDF, so a hash made for one
 * purpose is useless for any other.
 */
#include <string.h>

#include <sodium.h>

#include "comment.h"
#include "keys.h"

#define KDF_CONTEXT "fasciakd"

/* The subkey numbers: fixed for good, or every stored hash goes stale. */
enum { SUBKEY_EMAIL = 1, SUBKEY_CLIENT, SUBKEY_FORM, SUBKEY_VIEW };

/*
 * Room for any address worth hashing: the form refuses more than EMAIL_MAX
 * bytes, but an export or `comments forget` may bring a longer one (which
 * then hashes as the empty address).
 */
#define EMAIL_NORM_MAX 512

/*
 * Derive every purpose's key from the site secret.  Returns 1, or 0 when
 * libsodium failed.
 */
int
keys_derive(struct keys *k, const unsigned char secret[SECRET_KEY_BYTES])
{
	return crypto_kdf_derive_from_key(k->email, sizeof(k->email),
		   SUBKEY_EMAIL, KDF_CONTEXT, secret) == 0 &&
	    crypto_kdf_derive_from_key(k->client, sizeof(k->client),
		SUBKEY_CLIENT, KDF_CONTEXT, secret) == 0 &&
	    crypto_kdf_derive_from_key(k->form, sizeof(k->form), SUBKEY_FORM,
		KDF_CONTEXT, secret) == 0 &&
	    crypto_kdf_derive_from_key(k->view, sizeof(k->view), SUBKEY_VIEW,
		KDF_CONTEXT, secret) == 0;
}

/* Wipe the keys from memory. */
void
keys_wipe(struct keys *k)
{
	sodium_memzero(k, sizeof(*k));
}

/*
 * Hash the normalised email (see email_normalize()) with the email key
 * into out: the same person's address, however typed, hashes alike.
 */
void
email_hash(const struct keys *k, const char *email,
    unsigned char out[HASH_BYTES])
{
	char norm[EMAIL_NORM_MAX];
	int n;

	if ((n = email_normalize(email, norm, sizeof(norm))) < 0) {
		n = 0;
		norm[0] = '\0';
	}
	crypto_generichash(out, HASH_BYTES, (const unsigned char *)norm,
	    (unsigned long long)n, k->email, sizeof(k->email));
	sodium_memzero(norm, sizeof(norm));
}

/*
 * Is there an address in email to hash: something that, trimmed, fits?
 * (email_hash() hashes what is not as the empty address, which is what a
 * comment imported without one carries.)
 */
int
email_hashable(const char *email)
{
	char norm[EMAIL_NORM_MAX];
	int n = email_normalize(email, norm, sizeof(norm));

	sodium_memzero(norm, sizeof(norm));
	return n > 0;
}

/* Hash a client's address with the client key into out. */
void
client_hash(const struct keys *k, const char *addr,
    unsigned char out[HASH_BYTES])
{
	crypto_generichash(out, HASH_BYTES, (const unsigned char *)addr,
	    strlen(addr), k->client, sizeof(k->client));
}
