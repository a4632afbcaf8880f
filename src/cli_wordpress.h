/*
 * cli_wordpress.h: `fascia import-wordpress`, a WordPress blog moved in.
 */
#ifndef FASCIA_CLI_WORDPRESS_H
#define FASCIA_CLI_WORDPRESS_H

#include "conf.h"

extern const char cli_wordpress_help[];
int cli_wordpress(const struct conf *c, int argc, char **argv);

#endif
