/*
 * frontmatter.h: Markdown files with a front matter block, as the
 * authoring commands read them.
 */
#ifndef FASCIA_FRONTMATTER_H
#define FASCIA_FRONTMATTER_H

#include <stddef.h>

#define FM_MAX_FIELDS 16
#define FM_MAX_FILE ((size_t)8 * 1024 * 1024) /* bytes */

#define FM_MSG_MAX 256 /* an error's message, cut to fit */

/* Of a bad value an error quotes at most this many bytes... */
#define FM_QUOTE_MAX 60
#define FM_QUOTE_WORD_MAX 40 /* ...of a key, or a one-word value */

/* What is wrong with a file, and on which line (1-based; 0: none). */
struct fm_err {
	int line;
	char msg[FM_MSG_MAX];
};

struct fm_field {
	const char *key;
	const char *value; /* trimmed; "" when empty */
	int line;
};

struct fm_doc {
	char *text; /* owned: the file, edited in place */
	struct fm_field fields[FM_MAX_FIELDS];
	size_t nfields;
	int end_line;	  /* the closing "---" */
	const char *body; /* the Markdown after it, tidied */
	size_t body_len;
};

void fm_errf(struct fm_err *e, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fm_report(const char *path, const struct fm_err *e);
int fm_parse(struct fm_doc *d, char *text, size_t len, const char *const *keys,
    struct fm_err *e);
int fm_load(struct fm_doc *d, const char *path, const char *const *keys,
    struct fm_err *e);
const struct fm_field *fm_get(const struct fm_doc *d, const char *key);
void fm_free(struct fm_doc *d);

#endif
