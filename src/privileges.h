/*
 * privileges.h: whom `fascia serve` runs as (the config's `user`).
 */
#ifndef FASCIA_PRIVILEGES_H
#define FASCIA_PRIVILEGES_H

#include <sys/types.h>

#include "conf.h"

struct privileges {
	int drop; /* 1: started as root, becomes uid and gid */
	uid_t uid;
	gid_t gid;
	char name[64];
};

int privileges_plan(const struct conf *c, struct privileges *p);
int privileges_drop(const struct privileges *p, const char *socket_path);

#endif
