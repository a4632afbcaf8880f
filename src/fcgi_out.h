/*
 * fcgi_out.h: a response sent as FastCGI STDOUT records in one writev(2).
 */
#ifndef FASCIA_FCGI_OUT_H
#define FASCIA_FCGI_OUT_H

#include <sys/uio.h>

#include <fcgiapp.h>

int fcgi_out_send(FCGX_Request *fr, const struct iovec *part, int nparts);

#endif
