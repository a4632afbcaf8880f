/*
 * frontmatter.c: Markdown files with a front matter block, as the
 * authoring commands read them.
 *
 * The file is UTF-8 (a byte-order mark is skipped) and opens with a line
 * "---"; "key: value" lines follow, up to a closing "---" line; the rest
 * is the Markdown body.  Inside the block, blank lines and lines starting
 * with "#" are ignored; a value is the rest of its line with the white
 * space around it removed, taken verbatim (no quoting, no escapes), so
 * "title: Cupping: An Honest Look" is a title with a colon.  Keys are
 * lowercase; each caller names the keys it knows, and an unknown or
 * repeated key is an error, which catches typos such as "stauts".
 *
 * Every error names the line at fault.  Nothing here knows what a key
 * means; cli_post.c and cli_author.c check the values.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "text.h"
#include "utf8.h"

#define KEY_LIST_MAX 160   /* "known keys: title, slug, ..." */
#define READ_CHUNK 16384   /* the first read of a file, then doubled */
#define BOM "\xef\xbb\xbf" /* UTF-8's byte-order mark */
#define BOM_LEN (sizeof(BOM) - 1)

/*
 * Set e to the message fmt for line (0 when the error has no line).
 */
void
fm_errf(struct fm_err *e, int line, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/*
 * Print e on standard error as "PATH:LINE: message", the form editors
 * jump to, or "PATH: message" when it has no line.
 */
void
fm_report(const char *path, const struct fm_err *e)
{
	if (e->line > 0)
		fprintf(stderr, "%s:%d: %s\n", path, e->line, e->msg);
	else
		fprintf(stderr, "%s: %s\n", path, e->msg);
}

/* The line number of offset off in text. */
static int
line_of(const char *text, size_t off)
{
	const char *p = text, *end = text + off;
	int line = 1;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

/* Check that every line of text is UTF-8 without NUL bytes. */
static int
check_encoding(const char *text, size_t len, struct fm_err *e)
{
	const char *p = text, *end = text + len, *nl;
	int line = 1;

	if ((nl = memchr(text, '\0', len)) != NULL) {
		fm_errf(e, line_of(text, (size_t)(nl - text)),
		    "NUL byte: "
		    "this is not a text file");
		return 0;
	}
	/* Line by line, so the error names the line: no UTF-8 sequence
	 * spans a newline, so this finds exactly what one pass would. */
	for (; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (!utf8_valid(p, (size_t)(nl - p))) {
			fm_errf(e, line, "invalid UTF-8");
			return 0;
		}
	}
	return 1;
}

/*
 * Cut the line at *p: NUL-terminate it (without its "\r\n" or "\n"),
 * advance *p past it and return its start, or NULL at the end.
 */
static char *
next_line(char **p)
{
	char *s = *p, *nl;
	size_t n;

	if (*s == '\0')
		return NULL;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else
		*p = s + strlen(s);
	n = strlen(s);
	if (n > 0 && s[n - 1] == '\r')
		s[n - 1] = '\0';
	return s;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char *
trim(char *s)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int
known(const char *const *keys, const char *key)
{
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

static void
unknown_key(const char *const *keys, const char *key, int line,
    struct fm_err *e)
{
	char list[KEY_LIST_MAX];
	size_t i, n = 0;
	int w;

	list[0] = '\0';
	for (i = 0; keys[i] != NULL; i++) {
		w = snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
		    keys[i]);
		if (w < 0 || (size_t)w >= sizeof(list) - n)
			break;
		n += (size_t)w;
	}
	fm_errf(e, line, "unknown key \"%.*s\" (known keys: %s)",
	    FM_QUOTE_WORD_MAX, key, list);
}

/* Parse the line s (number line) of the block into a field of d. */
static int
parse_field(struct fm_doc *d, char *s, int line, const char *const *keys,
    struct fm_err *e)
{
	char *colon, *key, *value;
	size_t i;

	if ((colon = strchr(s, ':')) == NULL) {
		fm_errf(e, line,
		    "expected \"key: value\" (or \"---\" to end "
		    "the front matter)");
		return 0;
	}
	*colon = '\0';
	key = trim(s);
	value = trim(colon + 1);
	for (i = 0; key[i] != '\0'; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || key[i] == '_' ||
			(i > 0 && key[i] >= '0' && key[i] <= '9')))
			break;
	if (i == 0 || key[i] != '\0') {
		fm_errf(e, line,
		    "expected \"key: value\" with a lowercase "
		    "key");
		return 0;
	}
	if (!known(keys, key)) {
		unknown_key(keys, key, line, e);
		return 0;
	}
	for (i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0) {
			fm_errf(e, line,
			    "\"%s\" given twice (first on line "
			    "%d)",
			    key, d->fields[i].line);
			return 0;
		}
	if (text_has_control(value, strlen(value), 0)) {
		fm_errf(e, line, "control character in the value of \"%s\"",
		    key);
		return 0;
	}
	if (d->nfields == FM_MAX_FIELDS) {
		fm_errf(e, line, "too many keys");
		return 0;
	}
	d->fields[d->nfields].key = key;
	d->fields[d->nfields].value = value;
	d->fields[d->nfields].line = line;
	d->nfields++;
	return 1;
}

/*
 * Tidy the body at s in place: "\r\n" becomes "\n", leading blank lines
 * and trailing white space go, and it ends with one newline unless it is
 * empty.  s must follow the newline of the closing line.  Sets d->body and
 * d->body_len.
 */
static void
tidy_body(struct fm_doc *d, char *s)
{
	char *r, *w, *line;
	size_t n;

	for (r = w = s; *r != '\0'; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r;
	*w = '\0';
	for (;;) {
		for (line = s; is_space(*line); line++)
			;
		if (*line != '\n')
			break;
		s = line + 1;
	}
	n = strlen(s);
	while (n > 0 && (is_space(s[n - 1]) || s[n - 1] == '\n'))
		s[--n] = '\0';
	/* End a non-empty body with one newline, as a text file does.  The
	 * byte before the body, the newline of the closing "---" or of a
	 * blank line (now NUL), makes the room for it. */
	if (n > 0) {
		memmove(s - 1, s, n);
		s--;
		s[n++] = '\n';
		s[n] = '\0';
	}
	d->body = s;
	d->body_len = n;
}

/*
 * Parse the file text of len bytes into d.  text must be allocated with
 * malloc and have a NUL at text[len]; d owns it from now on, whatever the
 * outcome, and fm_free releases it.  keys is the NULL-terminated list of
 * the keys allowed in the block.  Returns 1, or 0 with e filled in.
 */
int
fm_parse(struct fm_doc *d, char *text, size_t len, const char *const *keys,
    struct fm_err *e)
{
	char *p = text, *s;
	int line = 1;

	memset(d, 0, sizeof(*d));
	d->text = text;
	if (!check_encoding(text, len, e))
		return 0;
	if (len >= BOM_LEN && memcmp(p, BOM, BOM_LEN) == 0)
		p += BOM_LEN;
	if ((s = next_line(&p)) == NULL || strcmp(trim(s), "---") != 0) {
		fm_errf(e, 1,
		    "no front matter: the file must start with a "
		    "\"---\" line, then \"key: value\" lines, then \"---\"");
		return 0;
	}
	for (;;) {
		line++;
		if ((s = next_line(&p)) == NULL) {
			fm_errf(e, 1,
			    "the front matter opened here is not "
			    "closed by a \"---\" line");
			return 0;
		}
		s = trim(s);
		if (strcmp(s, "---") == 0)
			break;
		if (*s == '\0' || *s == '#')
			continue;
		if (!parse_field(d, s, line, keys, e))
			return 0;
	}
	d->end_line = line;
	tidy_body(d, p);
	return 1;
}

/*
 * Read the file at path and parse it as fm_parse does.  Returns 1, or 0
 * with e filled in (line 0 for a file that cannot be read).  Call
 * fm_free(d) in both cases.
 */
int
fm_load(struct fm_doc *d, const char *path, const char *const *keys,
    struct fm_err *e)
{
	FILE *f;
	char *text = NULL, *p;
	size_t len = 0, cap = 0, n;
	int ok = 0;

	memset(d, 0, sizeof(*d));
	if ((f = fopen(path, "rb")) == NULL) {
		fm_errf(e, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	for (;;) {
		if (len == cap) {
			if (cap > FM_MAX_FILE) {
				fm_errf(e, 0, "larger than %zu bytes",
				    FM_MAX_FILE);
				goto out;
			}
			cap = cap ? cap * 2 : READ_CHUNK;
			if ((p = realloc(text, cap + 1)) == NULL) {
				fm_errf(e, 0, "out of memory");
				goto out;
			}
			text = p;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fm_errf(e, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (len > FM_MAX_FILE) {
		fm_errf(e, 0, "larger than %zu bytes", FM_MAX_FILE);
		goto out;
	}
	text[len] = '\0';
	ok = fm_parse(d, text, len, keys, e);
	text = NULL; /* d owns it now */
out:
	free(text);
	if (fclose(f) != 0 && ok) {
		fm_errf(e, 0, "cannot read: %s", strerror(errno));
		ok = 0;
	}
	return ok;
}

/*
 * Return the field key of d, or NULL when the block does not have it.
 */
const struct fm_field *
fm_get(const struct fm_doc *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			return &d->fields[i];
	return NULL;
}

/*
 * Release what d holds.  d may be zeroed or already freed.
 */
void
fm_free(struct fm_doc *d)
{
	free(d->text);
	d->text = NULL;
	d->nfields = 0;
	d->body = NULL;
	d->body_len = 0;
}
