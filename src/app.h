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

struct app {
	struct conf *conf;
	struct views *views;
	struct keys keys;
	struct site site;
};

struct app *app_load(const char *conf_path);
void app_free(struct app *a);

#endif
