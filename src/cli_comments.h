/*
 * cli_comments.h: `fascia comments`, moderation from the command line.
 */
#ifndef FASCIA_CLI_COMMENTS_H
#define FASCIA_CLI_COMMENTS_H

#include "conf.h"

extern const char cli_comments_help[];
int cli_comments(const struct conf *c, int argc, char **argv);

#endif
