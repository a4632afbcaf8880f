/*
 * markdown.h: Markdown to HTML, once, when a post or a bio is imported.
 */
#ifndef FASCIA_MARKDOWN_H
#define FASCIA_MARKDOWN_H

#include <stddef.h>

char *markdown_to_html(const char *md, size_t len);

#endif
