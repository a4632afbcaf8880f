/*
 * xmlw.h: an XML document written into a buffer through libxml2's
 * xmlTextWriter.
 */
#ifndef FASCIA_XMLW_H
#define FASCIA_XMLW_H

#include <libxml/xmlwriter.h>

#include "arena.h"
#include "buf.h"

struct xmlw {
	xmlTextWriterPtr w;
	struct buf *out;
	struct arena *arena; /* for text cleaned of what XML cannot carry */
	int err;	     /* sticky: something failed */
};

int xmlw_open(struct xmlw *x, struct buf *out, struct arena *a);
void xmlw_start(struct xmlw *x, const char *name);
void xmlw_attr(struct xmlw *x, const char *name, const char *value);
void xmlw_text(struct xmlw *x, const char *text);
void xmlw_cdata(struct xmlw *x, const char *markup);
void xmlw_end(struct xmlw *x);
void xmlw_elem(struct xmlw *x, const char *name, const char *text);
void xmlw_elem_attr(struct xmlw *x, const char *name, const char *attr,
    const char *value, const char *text);
int xmlw_close(struct xmlw *x);

#endif
