/*
 * cli_author.h: `fascia author`, the blog's authors from the command line.
 */
#ifndef FASCIA_CLI_AUTHOR_H
#define FASCIA_CLI_AUTHOR_H

#include "conf.h"

extern const char cli_author_help[];
int cli_author(const struct conf *c, int argc, char **argv);

#endif
