/*
 * migrate.h: applying the numbered SQL files of migrations/.
 */
#ifndef FASCIA_MIGRATE_H
#define FASCIA_MIGRATE_H

#include "conf.h"

int migrate_run(const struct conf *c);

#endif
