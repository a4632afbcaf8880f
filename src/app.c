/*
 * app.c: one configuration generation, loaded whole or not at all.
 *
 * The master loads it at start-up and again on SIGHUP: the config, the
 * secret key (turned into one key per purpose at once, the secret itself
 * wiped), the compiled templates and the site facts.  Any failure leaves
 * nothing half-loaded, so a bad reload keeps the running generation.  The
 * workers inherit it through fork and only read it.
 */
#include <stdlib.h>

#include <sodium.h>

#include "app.h"
#include "secret.h"

/*
 * Load the generation configured by the file at conf_path.  Returns it,
 * to be freed with app_free(), or NULL after saying what is wrong.
 */
struct app *
app_load(const char *conf_path)
{
	unsigned char secret[SECRET_KEY_BYTES], tag[(APP_TAG_CHARS - 1) / 2];
	struct app *a;
	int ok;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	randombytes_buf(tag, sizeof(tag));
	sodium_bin2hex(a->tag, sizeof(a->tag), tag, sizeof(tag));
	ok = (a->conf = conf_load(conf_path)) != NULL &&
	    secret_load(a->conf->secret_key_file, secret) &&
	    keys_derive(&a->keys, secret) &&
	    (a->views = views_load(a->conf)) != NULL &&
	    site_init(&a->site, a->conf);
	sodium_memzero(secret, sizeof(secret));
	if (!ok) {
		app_free(a);
		return NULL;
	}
	return a;
}

/* Free a generation; NULL is a no-op. */
void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	views_free(a->views);
	conf_free(a->conf);
	keys_wipe(&a->keys);
	site_free(&a->site);
	free(a);
}
