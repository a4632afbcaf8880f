/*
 * cli_post.h: `fascia post`, writing and publishing posts from the
 * command line.
 */
#ifndef FASCIA_CLI_POST_H
#define FASCIA_CLI_POST_H

#include "conf.h"

extern const char cli_post_help[];
int cli_post(const struct conf *c, int argc, char **argv);

#endif
