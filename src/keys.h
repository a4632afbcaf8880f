/*
 * keys.h: the keys derived from the site's secret, and the keyed hashes
 * made with them.
 */
#ifndef FASCIA_KEYS_H
#define FASCIA_KEYS_H

#include "secret.h"

#define KEY_BYTES 32 /* crypto_kdf_KEYBYTES, crypto_auth_KEYBYTES */
#define HASH_BYTES 32

/* One key per purpose, so that what one makes is useless for another. */
struct keys {
	unsigned char email[KEY_BYTES];	 /* hashes of email addresses */
	unsigned char client[KEY_BYTES]; /* hashes of client addresses */
	unsigned char form[KEY_BYTES];	 /* form tokens */
	unsigned char view[KEY_BYTES];	 /* "see your pending comment" */
};

int keys_derive(struct keys *k, const unsigned char secret[SECRET_KEY_BYTES]);
void keys_wipe(struct keys *k);
int email_hashable(const char *email);
void email_hash(const struct keys *k, const char *email,
    unsigned char out[HASH_BYTES]);
void client_hash(const struct keys *k, const char *addr,
    unsigned char out[HASH_BYTES]);

#endif
