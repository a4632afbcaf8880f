/*
 * cli_db.h: the database connection of the commands.
 */
#ifndef FASCIA_CLI_DB_H
#define FASCIA_CLI_DB_H

#include <libpq-fe.h>

#include "conf.h"

PGconn *cli_db_connect(const char *conninfo, const char *prog,
    const char *what);
PGconn *cli_db_open(const struct conf *c, const char *prog);
int cli_db_exec(PGconn *conn, const char *sql, int n, const char *const *params,
    PGresult **out);
void cli_db_fail(PGconn *conn, const char *prog, const char *what);
int cli_db_rollback(PGconn *conn);

#endif
