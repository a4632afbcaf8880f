/*
 * app.h: what every request of one configuration generation shares,
 * read-only: the config, the compiled templates, the keys, the site.
 */
#ifndef FASCIA_APP_H
#define FASCIA_APP_H

#include "conf.h"
#include "keys.h"
#include "site.h"
#include "view.h"

#define APP_TAG_CHARS 17 /* hex of 8 random bytes, and the NUL */

struct app {
	struct conf *conf;
	struct views *views;
	struct keys keys;
	struct site site;
	/* New with every load: the pages' ETags change with the templates
	 * and the config. */
	char tag[APP_TAG_CHARS];
};

struct app *app_load(const char *conf_path);
void app_free(struct app *a);

#endif
