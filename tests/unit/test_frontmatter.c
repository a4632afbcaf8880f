/*
 * test_frontmatter.c: front matter blocks, the bodies after them, and the
 * errors (with their lines) for files that are not what `fascia post
 * import` and `fascia author add` read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frontmatter.h"

static const char *const keys[] = { "title", "slug", "tags", "excerpt", NULL };

/* Parse n bytes of s; the document owns a copy. */
static int
parse_n(struct fm_doc *d, const char *s, size_t n, struct fm_err *e)
{
	char *text = malloc(n + 1);

	assert_non_null(text);
	memcpy(text, s, n);
	text[n] = '\0';
	e->line = -1;
	e->msg[0] = '\0';
	return fm_parse(d, text, n, keys, e);
}

static int
parse(struct fm_doc *d, const char *s, struct fm_err *e)
{
	return parse_n(d, s, strlen(s), e);
}

/* Expect s to fail on line with a message containing part. */
static void
expect_error(const char *s, size_t n, int line, const char *part)
{
	struct fm_doc d;
	struct fm_err e;

	assert_false(parse_n(&d, s, n, &e));
	assert_int_equal(e.line, line);
	if (strstr(e.msg, part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, part);
	fm_free(&d);
}

#define ERR(s, line, part) expect_error(s, sizeof(s) - 1, line, part)

static void
test_fields(void **state)
{
	struct fm_doc d;
	struct fm_err e;
	const struct fm_field *f;

	(void)state;
	assert_true(parse(&d,
	    "---\n"
	    "title:   Cupping: An Honest Look  \n"
	    "\n"
	    "# a comment line\n"
	    "slug:cupping\n"
	    "excerpt:\n"
	    "---\n"
	    "Body *here*.\n",
	    &e));
	assert_int_equal(d.nfields, 3);
	f = fm_get(&d, "title");
	assert_non_null(f);
	assert_string_equal(f->value, "Cupping: An Honest Look");
	assert_int_equal(f->line, 2);
	f = fm_get(&d, "slug");
	assert_string_equal(f->value, "cupping");
	assert_int_equal(f->line, 5);
	assert_string_equal(fm_get(&d, "excerpt")->value, "");
	assert_null(fm_get(&d, "tags"));
	assert_int_equal(d.end_line, 7);
	assert_string_equal(d.body, "Body *here*.\n");
	assert_int_equal(d.body_len, strlen(d.body));
	fm_free(&d);
	fm_free(&d); /* twice is harmless */
}

static void
test_body(void **state)
{
	struct fm_doc d;
	struct fm_err e;

	(void)state;
	/* CRLF, a BOM, leading blank lines and trailing space go. */
	assert_true(parse(&d,
	    "\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n"
	    "\r\n  \r\n# Head\r\n\r\n    code\r\n\r\n \t\r\n",
	    &e));
	assert_string_equal(fm_get(&d, "title")->value, "T");
	assert_string_equal(d.body, "# Head\n\n    code\n");
	fm_free(&d);

	/* No newline at the end of the file: one is added. */
	assert_true(parse(&d, "---\ntitle: T\n---\nlast line", &e));
	assert_string_equal(d.body, "last line\n");
	fm_free(&d);

	/* An empty body, with or without a newline after "---". */
	assert_true(parse(&d, "---\ntitle: T\n---", &e));
	assert_string_equal(d.body, "");
	assert_int_equal(d.body_len, 0);
	fm_free(&d);
	assert_true(parse(&d, "---\n---\n\n\n", &e));
	assert_int_equal(d.nfields, 0);
	assert_string_equal(d.body, "");
	fm_free(&d);

	/* "---" further down the body is the body's (a thematic break). */
	assert_true(parse(&d, "---\ntitle: T\n---\na\n\n---\n\nb\n", &e));
	assert_string_equal(d.body, "a\n\n---\n\nb\n");
	fm_free(&d);
}

static void
test_errors(void **state)
{
	(void)state;
	ERR("", 1, "no front matter");
	ERR("title: T\n---\n", 1, "no front matter");
	ERR("# Just Markdown\n", 1, "no front matter");
	ERR("---\ntitle: T\n", 1, "not closed");
	ERR("---\ntitle: T\nslug: a\n", 1, "not closed");
	ERR("---\ntitle: T\njust words\n---\n", 3, "key: value");
	ERR("---\nTitle: T\n---\n", 2, "lowercase key");
	ERR("---\n: T\n---\n", 2, "lowercase key");
	ERR("---\ntitle: T\nstauts: draft\n---\n", 3, "unknown key \"stauts\"");
	ERR("---\ntitle: T\nstauts: draft\n---\n", 3, "title, slug, tags");
	ERR("---\ntitle: A\n\ntitle: B\n---\n", 4,
	    "given twice (first on "
	    "line 2)");
	ERR("---\ntitle: A\tB\n---\n", 2, "control character");
	ERR("---\ntitle: A\x1b[2JB\n---\n", 2, "control character");
	/* Encoding: the line of the bad byte, in the block or the body. */
	ERR("---\ntitle: caf\xe9\n---\n", 2, "invalid UTF-8");
	ERR("---\ntitle: T\n---\nok\nok\n\xc0\xbc\n", 6, "invalid UTF-8");
	ERR("---\ntitle: T\n---\n\xed\xa0\x80 surrogate\n", 4, "invalid UTF-8");
	ERR("---\ntitle: T\n---\nA\0B\n", 4, "NUL byte");
}

static void
test_load(void **state)
{
	char path[] = "/tmp/fascia-test-fm-XXXXXX";
	struct fm_doc d;
	struct fm_err e;
	FILE *f;
	int fd;

	(void)state;
	assert_false(fm_load(&d, "/nonexistent/post.md", keys, &e));
	assert_int_equal(e.line, 0);
	assert_non_null(strstr(e.msg, "cannot open"));
	fm_free(&d);

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	assert_true(fputs("---\ntitle: From a file\n---\nHello\n", f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_true(fm_load(&d, path, keys, &e));
	assert_string_equal(fm_get(&d, "title")->value, "From a file");
	assert_string_equal(d.body, "Hello\n");
	fm_free(&d);

	/* Too big: refused before it is parsed. */
	assert_int_equal(truncate(path, (off_t)FM_MAX_FILE + 1), 0);
	assert_false(fm_load(&d, path, keys, &e));
	assert_non_null(strstr(e.msg, "larger than"));
	fm_free(&d);
	assert_int_equal(unlink(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests_name("frontmatter", tests, NULL, NULL);
}
