/*
 * test_slug.c: which slugs an author may write, which would shadow the
 * site's own URLs, the slugs made from titles and the names made for new
 * tags.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "slug.h"

static void
test_valid(void **state)
{
	char s[SLUG_MAX + 2];

	(void)state;
	assert_true(slug_valid("a"));
	assert_true(slug_valid("deep-tissue-vs-swedish-massage"));
	assert_true(slug_valid("2026-recap"));
	assert_true(slug_valid("top-10"));
	assert_false(slug_valid(""));
	assert_false(slug_valid("-a"));
	assert_false(slug_valid("a-"));
	assert_false(slug_valid("a--b"));
	assert_false(slug_valid("Capital"));
	assert_false(slug_valid("with space"));
	assert_false(slug_valid("under_score"));
	assert_false(slug_valid("caf\xc3\xa9"));
	assert_false(slug_valid("a/b"));
	assert_false(slug_valid("sitemap.xml"));
	assert_false(slug_valid("%2e%2e"));
	memset(s, 'a', SLUG_MAX);
	s[SLUG_MAX] = '\0';
	assert_true(slug_valid(s));
	s[SLUG_MAX] = 'a';
	s[SLUG_MAX + 1] = '\0';
	assert_false(slug_valid(s));
}

static void
test_reserved(void **state)
{
	static const char *const taken[] = { "page", "author", "tag", "feed",
		"search", "healthz", "static", "sitemap.xml", "robots.txt",
		"wp-admin", "wp-content", "wp-includes", "comments", "2026",
		"1999", "0000", NULL };
	size_t i;

	(void)state;
	for (i = 0; taken[i] != NULL; i++)
		if (!slug_reserved(taken[i]))
			fail_msg("\"%s\" should be reserved", taken[i]);
	assert_false(slug_reserved("pages"));
	assert_false(slug_reserved("feed-me"));
	assert_false(slug_reserved("my-search"));
	assert_false(slug_reserved("202"));
	assert_false(slug_reserved("20261"));
	assert_false(slug_reserved("2026-recap"));
	assert_false(slug_reserved("a"));
	assert_false(slug_reserved(""));
}

static void
expect_slug(const char *title, const char *want)
{
	char out[SLUG_MAX + 1];

	assert_int_equal(slug_from_text(title, out), want[0] != '\0');
	assert_string_equal(out, want);
	if (want[0] != '\0')
		assert_true(slug_valid(out));
}

static void
test_from_text(void **state)
{
	char title[600], want[SLUG_MAX + 1];
	size_t i;

	(void)state;
	expect_slug("Deep Tissue vs. Swedish Massage",
	    "deep-tissue-vs-swedish-massage");
	expect_slug("Cupping: An Honest Look at Those Purple Circles",
	    "cupping-an-honest-look-at-those-purple-circles");
	expect_slug("  --Hello,   World!--  ", "hello-world");
	expect_slug("Don't Panic", "dont-panic");
	expect_slug("Don\xe2\x80\x99t Panic", "dont-panic"); /* U+2019 */
	expect_slug("Tom\xc3\xa1s Ferreira, PT, DPT", "tomas-ferreira-pt-dpt");
	expect_slug("Cr\xc3\xa8me Br\xc3\xbbl\xc3\xa9\x65", "creme-brulee");
	expect_slug("Stra\xc3\x9f\x65", "strasse");
	expect_slug("\xc3\x86sir \xc5\x92uvre \xc5\x81\xc3\xb3\x64\xc5\xba",
	    "aesir-oeuvre-lodz");
	expect_slug("Cafe\xcc\x81 au lait", "cafe-au-lait"); /* combining */
	expect_slug("2 \xc3\x97 3 = 6", "2-3-6");	     /* U+00D7 */
	expect_slug("Caf\xc3\xa9 \xf0\x9f\x92\x86 time", "cafe-time");
	/* CJK: no letter of it is Latin */
	expect_slug("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "");
	expect_slug("!!! ???", "");
	expect_slug("", "");
	expect_slug("bad \xff byte", "bad-byte");

	/* Too long: cut at the last whole word that fits. */
	title[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(title, "word "); /* 5 bytes each */
	memset(want, 0, sizeof(want));
	for (i = 0; i < 40; i++) /* "word-" x 39 + "word" */
		strcat(want, i ? "-word" : "word");
	expect_slug(title, want);
	assert_int_equal(strlen(want), 199);
	/* One word longer than a slug: cut mid-word, nothing better. */
	memset(title, 'x', 300);
	title[300] = '\0';
	memset(want, 'x', SLUG_MAX);
	want[SLUG_MAX] = '\0';
	expect_slug(title, want);
}

static void
test_to_name(void **state)
{
	char out[64], small[5];

	(void)state;
	slug_to_name("sleep-and-stress", out, sizeof(out));
	assert_string_equal(out, "Sleep and stress");
	slug_to_name("massage", out, sizeof(out));
	assert_string_equal(out, "Massage");
	slug_to_name("10-tips", out, sizeof(out));
	assert_string_equal(out, "10 tips");
	slug_to_name("truncated", small, sizeof(small));
	assert_string_equal(small, "Trun");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_from_text),
		cmocka_unit_test(test_to_name),
	};

	return cmocka_run_group_tests_name("slug", tests, NULL, NULL);
}
