/*
 * cli_db.h: the database connection of the authoring commands.
 */
#ifndef FASCIA_CLI_DB_H
#define FASCIA_CLI_DB_H

#include <libpq-fe.h>

#include "conf.h"

PGconn *cli_db_open(const struct conf *c, const char *prog);
int cli_db_exec(PGconn *conn, const char *sql, int n,
    const char *const *params, PGresult **out);
int cli_db_fail(PGconn *conn, const char *prog, const char *what);
int cli_db_rollback(PGconn *conn);
void cli_print_cell(const char *s, int width);
void cli_print_cell_max(const char *s, int width, int max);

#endif
