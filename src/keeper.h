/*
 * keeper.h: the process that keeps the page cache true to the database,
 * and the new generation a writer begins when it has changed the blog.
 */
#ifndef FASCIA_KEEPER_H
#define FASCIA_KEEPER_H

#include <signal.h>

#include <libpq-fe.h>

#include "app.h"

void keeper_run(const struct app *app, volatile sig_atomic_t *stop);
int keeper_flip(PGconn *conn, const char *dir);
int keeper_changed(PGconn *conn, const char *dir);

#endif
