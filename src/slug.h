/*
 * slug.h: the slugs fascia's authoring commands accept and make.
 */
#ifndef FASCIA_SLUG_H
#define FASCIA_SLUG_H

#include <stddef.h>

#define SLUG_MAX 200 /* bytes, as the schema's CHECK says */

int slug_valid(const char *s);
int slug_reserved(const char *s);
int slug_from_text(const char *s, char out[SLUG_MAX + 1]);
void slug_to_name(const char *slug, char *out, size_t outsz);

#endif
