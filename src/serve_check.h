/*
 * serve_check.h: `fascia serve -t`, the checks of a configuration before
 * it is served.
 */
#ifndef FASCIA_SERVE_CHECK_H
#define FASCIA_SERVE_CHECK_H

int serve_check(const char *conf_path);

#endif
