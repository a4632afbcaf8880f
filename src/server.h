/*
 * server.h: `fascia serve`, the FastCGI master and its workers.
 */
#ifndef FASCIA_SERVER_H
#define FASCIA_SERVER_H

int server_run(const char *conf_path);

#endif
