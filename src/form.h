/*
 * form.h: decoding an application/x-www-form-urlencoded body.
 */
#ifndef FASCIA_FORM_H
#define FASCIA_FORM_H

#include <stddef.h>

#include "arena.h"

struct form_field {
	const char *name;  /* set by the caller */
	const char *value; /* NULL when absent; always printable UTF-8 */
	size_t len;
	int bad; /* malformed escape, NUL, invalid UTF-8 */
	int repeated;
};

enum form_res {
	FORM_OK,
	FORM_BAD, /* some field is bad or repeated: see the fields */
	FORM_NOMEM
};

enum form_res form_parse(struct arena *a, const char *body, size_t len,
    struct form_field *fields, size_t nfields);

#endif
