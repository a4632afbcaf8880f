/*
 * test_wxr.c: the WordPress export reader (wxr.c) on the test export and
 * on broken and hostile files, and WordPress's text conventions
 * (wptext.c): HTML to text, excerpts, slugs, dates.  Run from the top of
 * the tree (tests/fixtures/wordpress-export.xml).
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

#include "buf.h"
#include "text.h"
#include "wptext.h"
#include "wxr.h"

#define FIXTURE "tests/fixtures/wordpress-export.xml"

/* --- wptext ------------------------------------------------------------ */

static void
expect_text(const char *html, enum wptext_mode mode, const char *want)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_true(wptext_from_html(&b, html, strlen(html), mode));
	assert_string_equal(b.data != NULL ? b.data : "", want);
	buf_free(&b);
}

static void
test_from_html(void **state)
{
	(void)state;
	expect_text("", WPTEXT_LINES, "");
	expect_text("  plain  text  ", WPTEXT_LINES, "plain text");
	expect_text("Tom &amp; Jerry &lt;3 &#8217;s &#x263A; &hellip;",
	    WPTEXT_INLINE,
	    "Tom & Jerry <3 \xe2\x80\x99s \xe2\x98\xba "
	    "\xe2\x80\xa6");
	expect_text("a &bogus; b & c &#0; &#xD800; d", WPTEXT_INLINE,
	    "a &bogus; b & c d");
	expect_text("line one\nline two\n\n\n\npara", WPTEXT_LINES,
	    "line one\nline two\n\npara");
	expect_text("one<br />\ntwo<br><br>three", WPTEXT_LINES,
	    "one\ntwo\n\nthree");
	expect_text("<p>first</p>\n<p>second <em>word</em></p>", WPTEXT_LINES,
	    "first\n\nsecond word");
	expect_text("<p>first</p><p>second</p>", WPTEXT_INLINE, "first second");
	expect_text("x<script>alert('<p>')</script>y<style>p{}</style>z",
	    WPTEXT_LINES, "xyz");
	expect_text("<!-- wp:paragraph -->hi<!-- /wp:paragraph -->",
	    WPTEXT_LINES, "hi");
	expect_text("see <a href=\"https://e.example/x?a=1&amp;b=2\">this</a>.",
	    WPTEXT_LINES, "see this (https://e.example/x?a=1&b=2).");
	expect_text("<a href=\"https://e.example/\">https://e.example/</a>",
	    WPTEXT_LINES, "https://e.example/");
	expect_text("<a href=\"javascript:alert(1)\">click</a>", WPTEXT_LINES,
	    "click");
	expect_text("a < b and c<d, 2<3", WPTEXT_LINES, "a < b and c<d, 2<3");
	expect_text("<b title='x > y'>bold</b>", WPTEXT_LINES, "bold");
	expect_text("tab\there\x01\x7f nbsp\xc2\xa0here \xe2\x80\xa8x",
	    WPTEXT_INLINE, "tab here nbsp here x");
	expect_text("<ul><li>a</li><li>b</li></ul>after", WPTEXT_LINES,
	    "a\nb\n\nafter");
	expect_text("bad \xff byte", WPTEXT_LINES, "bad byte");
}

static void
test_from_html_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_false(
	    wptext_from_html(&b, "more than eight", 15, WPTEXT_INLINE));
	buf_free(&b);
}

static void
expect_excerpt(const char *html, int words, size_t chars, const char *want)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_true(wptext_excerpt(&b, html, strlen(html), words, chars));
	assert_string_equal(b.data != NULL ? b.data : "", want);
	buf_free(&b);
}

static void
test_excerpt(void **state)
{
	(void)state;
	expect_excerpt("<p>one two three</p>", 3, 100, "one two three");
	expect_excerpt("<p>one two three four</p>", 3, 100,
	    "one two three\xe2\x80\xa6");
	expect_excerpt("[caption id=\"a\"]<img src=\"x\"> A jar[/caption] "
		       "The text. [gallery ids=\"1,2\"] More [1] here.",
	    40, 300, "The text. More [1] here.");
	expect_excerpt("abcdefghij", 40, 4, "abcd\xe2\x80\xa6");
	expect_excerpt("ab cdefghij", 40, 6, "ab\xe2\x80\xa6");
	/* Japanese has no spaces: the character cap does the cutting. */
	expect_excerpt("\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae", 40, 2,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
}

static void
expect_slug(const char *in, const char *want)
{
	char out[SLUG_MAX + 1];

	if (want == NULL) {
		assert_false(
		    wptext_slug_decode(in, out) && wptext_slug_ok(out));
		return;
	}
	assert_true(wptext_slug_decode(in, out));
	assert_string_equal(out, want);
	assert_true(wptext_slug_ok(out));
}

static void
test_slugs(void **state)
{
	char out[SLUG_MAX + 1], big[SLUG_MAX + 2];

	(void)state;
	expect_slug("hello-world", "hello-world");
	expect_slug("caf%c3%a9", "caf\xc3\xa9");
	expect_slug("%E6%97%A5%E6%9C%AC", "\xe6\x97\xa5\xe6\x9c\xac");
	/* WordPress cut post_name at 200 bytes, inside an escape... */
	expect_slug("%e6%97%a5%e6%9c%ac%e3%81", "\xe6\x97\xa5\xe6\x9c\xac");
	/* ...or inside a character. */
	expect_slug("%e6%97%a5%e6%9c%ac%e3%81%ae%e9",
	    "\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe3\x81\xae");
	expect_slug("%e6%97%a5%e6%9c%ac%e3%", "\xe6\x97\xa5\xe6\x9c\xac");
	expect_slug("a%zzb", NULL);
	expect_slug("a%2fb", NULL);	  /* '/' */
	expect_slug("a%20b", NULL);	  /* space */
	expect_slug("100%25", NULL);	  /* '%' */
	expect_slug("a%00b", NULL);	  /* NUL */
	expect_slug("%c0%bc", NULL);	  /* overlong */
	expect_slug("a%e3%80%80b", NULL); /* ideographic space */
	expect_slug("", NULL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_slug(big, NULL); /* 201 bytes */
	big[SLUG_MAX] = '\0';
	expect_slug(big, big); /* 200 bytes */

	assert_true(wptext_slugify("Hello, World!", out));
	assert_string_equal(out, "hello-world");
	assert_true(wptext_slugify("john.doe@example", out));
	assert_string_equal(out, "john-doeexample");
	assert_true(wptext_slugify("\xe6\x97\xa5\xe6\x9c\xac \xe2\x80\x94 "
				   "Japan",
	    out));
	assert_string_equal(out, "\xe6\x97\xa5\xe6\x9c\xac-japan");
	assert_false(wptext_slugify("!!! ...", out));
}

static void
test_dates_ids_urls(void **state)
{
	char d[WPTEXT_DATE_LEN + 1];
	long long id;

	(void)state;
	assert_true(wptext_date("2019-03-04 09:15:00", d));
	assert_string_equal(d, "2019-03-04 09:15:00+00");
	assert_true(wptext_date(" 2020-02-29 23:59:59\n", d));
	assert_false(wptext_date("0000-00-00 00:00:00", d));
	assert_false(wptext_date("2019-02-29 10:00:00", d));
	assert_false(wptext_date("2019-13-01 10:00:00", d));
	assert_false(wptext_date("2019-03-04 24:00:00", d));
	assert_false(wptext_date("2019-03-04T09:15:00", d));
	assert_false(wptext_date("2019-03-04 09:15:00+02", d));
	assert_false(wptext_date("", d));

	assert_true(wptext_id("101", &id));
	assert_int_equal(id, 101);
	assert_true(wptext_id(" 7\n", &id));
	assert_false(wptext_id("0", &id));
	assert_false(wptext_id("-1", &id));
	assert_false(wptext_id("12a", &id));
	assert_false(wptext_id("1234567890123456789", &id));
	assert_false(wptext_id("", &id));

	assert_true(url_http_ok("https://example.org/"));
	assert_true(url_http_ok("HTTP://example.org"));
	assert_false(url_http_ok("http://"));
	assert_false(url_http_ok("javascript:alert(1)"));
	assert_false(url_http_ok("//evil.example"));
	assert_false(url_http_ok("https://e.example/\"onmouseover"));
	assert_false(url_http_ok("https://e.example/a b"));
}

/* --- wxr --------------------------------------------------------------- */

struct seen {
	int authors, items, comments, terms, stop_after;
	char logins[4][32];
	char described[4];
	long long comment_ids; /* their sum */
	int old_slugs;
	char first_title[128];
	char slug102[64];
	int content_has_cdata_join;
	const char *bad;
};

static int
on_author(void *arg, const struct wxr_author *a)
{
	struct seen *s = arg;

	if (s->authors < 4) {
		snprintf(s->logins[s->authors], sizeof(s->logins[0]), "%s",
		    a->f[WA_LOGIN] != NULL ? a->f[WA_LOGIN] : "(null)");
		s->described[s->authors] = a->f[WA_DESCRIPTION] != NULL;
	}
	s->authors++;
	return 1;
}

static int
on_item(void *arg, const struct wxr_item *it)
{
	struct seen *s = arg;
	size_t i;

	if (s->items == 0) {
		snprintf(s->first_title, sizeof(s->first_title), "%s",
		    it->f[WI_TITLE]);
		s->content_has_cdata_join =
		    strstr(it->f[WI_CONTENT], "<code>a[b[0]]>1</code>") != NULL;
	}
	if (it->f[WI_POST_ID] != NULL && strcmp(it->f[WI_POST_ID], "102") == 0)
		snprintf(s->slug102, sizeof(s->slug102), "%s",
		    it->f[WI_POST_NAME]);
	s->items++;
	s->terms += (int)it->nterms;
	s->comments += (int)it->ncomments;
	s->old_slugs += (int)it->nold_slugs;
	for (i = 0; i < it->ncomments; i++)
		s->comment_ids += atoll(it->comments[i].f[WC_ID]);
	if (it->bad != NULL)
		s->bad = "bad";
	return s->stop_after == 0 || s->items < s->stop_after;
}

static enum wxr_res
read_path(const char *path, struct seen *s, char *err, size_t errsz)
{
	struct wxr_handler h = { on_author, on_item, NULL };

	h.arg = s;
	return wxr_read(path, &h, err, errsz);
}

static void
test_fixture(void **state)
{
	struct seen s;
	char err[256];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(read_path(FIXTURE, &s, err, sizeof(err)), WXR_OK);
	assert_int_equal(s.authors, 2);
	assert_string_equal(s.logins[0], "hannah");
	assert_string_equal(s.logins[1], "oskar.berg");
	assert_int_equal(s.described[0], 1);
	assert_int_equal(s.described[1], 0);
	assert_int_equal(s.items, 7);
	assert_int_equal(s.comments, 9);
	assert_int_equal(s.comment_ids,
	    501 + 502 + 503 + 504 + 505 + 506 + 507 + 508 + 601);
	assert_int_equal(s.terms, 8);
	assert_int_equal(s.old_slugs, 1);
	assert_string_equal(s.first_title,
	    "Glazes &amp; Firing: A Beginner\xe2\x80\x99s Guide");
	assert_true(s.content_has_cdata_join);
	assert_string_equal(s.slug102,
	    "%e6%97%a5%e6%9c%ac%e3%81%ae%e9%99%b6%e5%99%a8");
	assert_null(s.bad);

	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(read_path(FIXTURE, &s, err, sizeof(err)), WXR_STOPPED);
	assert_int_equal(s.items, 2);
}

/* Write text to a temporary file; returns its path (static buffer). */
static const char *
temp_file(const char *text, size_t n)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/fascia-test-wxr.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
expect_error(const char *doc, const char *msg)
{
	const char *path = temp_file(doc, strlen(doc));
	struct seen s;
	char err[256];

	memset(&s, 0, sizeof(s));
	assert_int_equal(read_path(path, &s, err, sizeof(err)), WXR_ERROR);
	unlink(path);
	if (strstr(err, msg) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, msg);
	assert_int_equal(s.items, 0);
}

#define HEAD "<?xml version=\"1.0\"?>\n"
#define WP "xmlns:wp=\"http://wordpress.org/export/1.2/\""

static void
test_refused(void **state)
{
	char err[256];
	struct seen s;

	(void)state;
	expect_error(HEAD
	    "<!DOCTYPE rss [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]>\n<rss " WP "><channel>"
	    "<wp:wxr_version>1.2</wp:wxr_version><item><title>&x;</title>"
	    "</item></channel></rss>",
	    "DOCTYPE");
	expect_error(HEAD
	    "<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<rss " WP ">"
	    "<channel><title>&b;</title></channel></rss>",
	    "line");
	expect_error(HEAD "<html><body/></html>", "not a WordPress export");
	expect_error(HEAD "<rss><channel><item><title>x</title></item>"
			  "</channel></rss>",
	    "no <wp:wxr_version>");
	expect_error(HEAD "<rss " WP "><channel><wp:wxr_version>2.0"
			  "</wp:wxr_version></channel></rss>",
	    "WXR version");
	expect_error(HEAD "<rss " WP "><channel><wp:wxr_version>1.2"
			  "</wp:wxr_version><item><title>cut",
	    "line");
	expect_error(HEAD "<rss " WP "><channel><title>\x0b</title>"
			  "</channel></rss>",
	    "line 2");
	expect_error("", "");
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    read_path("/nonexistent/export.xml", &s, err, sizeof(err)),
	    WXR_ERROR);
	assert_string_equal(err, "No such file or directory");
}

/* A field over its cap marks the item bad; the file goes on. */
static void
test_caps(void **state)
{
	static const char head[] =
	    HEAD "<rss " WP
		 " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
		 "<channel><wp:wxr_version>1.2</wp:wxr_version><item>"
		 "<content:encoded>";
	static const char tail[] = "</content:encoded></item><item><title>"
				   "next</title></item></channel></rss>";
	size_t body = WXR_TEXT_MAX + 10,
	       n = sizeof(head) - 1 + body + sizeof(tail) - 1, i;
	const char *path;
	struct seen s;
	char err[256], *doc;

	(void)state;
	doc = malloc(n);
	assert_non_null(doc);
	memcpy(doc, head, sizeof(head) - 1);
	for (i = 0; i < body; i++) /* several text nodes, 1 MB apart */
		doc[sizeof(head) - 1 + i] = i % (1 << 20) == 0 ? '\n' : 'x';
	memcpy(doc + sizeof(head) - 1 + body, tail, sizeof(tail) - 1);
	path = temp_file(doc, n);
	free(doc);
	memset(&s, 0, sizeof(s));
	assert_int_equal(read_path(path, &s, err, sizeof(err)), WXR_OK);
	unlink(path);
	assert_int_equal(s.items, 2);
	assert_non_null(s.bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_html),
		cmocka_unit_test(test_from_html_cap),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_slugs),
		cmocka_unit_test(test_dates_ids_urls),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests_name("wxr", tests, NULL, NULL);
}
