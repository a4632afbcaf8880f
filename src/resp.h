/*
 * resp.h: a response: its body rendered or written, its status line and
 * headers, and the one write that sends it.
 */
#ifndef FASCIA_RESP_H
#define FASCIA_RESP_H

#include <time.h>

#include "db.h"
#include "req.h"
#include "view.h"

#define RETRY_AFTER 5	/* seconds a 503 asks the client to wait */
#define CLIENT_GONE 499 /* nginx's: the client closed the connection */

int resp_page(struct req *r, enum view which, int status);
int resp_text(struct req *r, int status, const char *text);
void resp_finish(struct req *r, int status);
int resp_client_gone(const struct req *r);
int resp_db_status(enum db_res res);
void resp_status_text(int status, const char **heading, const char **message);
int resp_etag_match(const char *header, const char *etag);
int resp_not_modified(const char *if_none_match, const char *if_modified_since,
    const char *etag, time_t last_modified);

#endif
