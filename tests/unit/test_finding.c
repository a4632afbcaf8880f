/*
 * test_finding.c: the pure parts of search, archives, feeds and page
 * metadata: JSON-LD escaping, the headline marker replacement, query
 * normalisation, RFC 822 / RFC 3339 / HTTP dates, archive paths,
 * conditional GET, and the routes of the new sections.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "h_feed.h"
#include "h_list.h"
#include "h_post.h"
#include "h_search.h"
#include "meta.h"
#include "permalink.h"
#include "req.h"
#include "resp.h"
#include "route.h"

static struct buf b;

static const char *
json(const char *s)
{
	buf_reset(&b);
	json_string(&b, s);
	assert_false(b.failed);
	return b.data;
}

static void
test_json_string(void **state)
{
	(void)state;
	assert_string_equal(json(""), "\"\"");
	assert_string_equal(json("plain"), "\"plain\"");
	assert_string_equal(json("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
	assert_string_equal(json("a\nb\r\tc"), "\"a\\nb\\r\\tc\"");
	assert_string_equal(json("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	assert_string_equal(json("</script><!--&"),
	    "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
	/* UTF-8 passes, except the two JavaScript line terminators. */
	assert_string_equal(json("caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x92\x86"),
	    "\"caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x92\x86\"");
	assert_string_equal(json("a\xe2\x80\xa8"
				 "b\xe2\x80\xa9"
				 "c"),
	    "\"a\\u2028b\\u2029c\"");
	/* A lone 0xe2 at the end does not read past the string. */
	assert_string_equal(json("x\xe2"), "\"x\xe2\"");
}

static void
test_jsonld_no_markup(void **state)
{
	struct jsonld_post p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.headline = "</script><script>alert(1)</script>";
	p.description = "<!-- \"quoted\" & more -->";
	p.url = "https://blog.example/x/";
	p.date_published = "2025-01-14T10:00:00Z";
	p.date_modified = "2025-01-15T10:00:00Z";
	p.language = "en";
	p.author_name = "Maya </SCRIPT >";
	p.author_url = "https://blog.example/author/maya/";
	p.site_name = "Still Point & Co";
	p.site_url = "https://blog.example/";
	buf_reset(&b);
	jsonld_blogposting(&b, &p);
	assert_false(b.failed);
	/* Nothing in it can end the script element or open a comment. */
	assert_null(strchr(b.data, '<'));
	assert_null(strchr(b.data, '>'));
	assert_null(strchr(b.data, '&'));
	assert_non_null(strstr(b.data, "\"@type\":\"BlogPosting\""));
	assert_non_null(strstr(b.data,
	    "\"author\":{\"@type\":\"Person\",\"name\":\"Maya \\u003c/SCRIPT "
	    "\\u003e\",\"url\":\"https://blog.example/author/maya/\"}"));
	assert_non_null(strstr(b.data,
	    "\"datePublished\":\"2025-01-14T10:00:00Z\","
	    "\"dateModified\":\"2025-01-15T10:00:00Z\""));
	assert_non_null(strstr(b.data,
	    "\"mainEntityOfPage\":{\"@type\":"
	    "\"WebPage\",\"@id\":\"https://blog.example/x/\"}"));
	assert_non_null(strstr(b.data,
	    "\"publisher\":{\"@type\":"
	    "\"Organization\",\"name\":\"Still Point \\u0026 Co\""));
	assert_int_equal(b.data[0], '{');
	assert_int_equal(b.data[b.len - 1], '}');

	/* Empty optional fields are left out. */
	p.description = "";
	p.date_modified = NULL;
	buf_reset(&b);
	jsonld_blogposting(&b, &p);
	assert_null(strstr(b.data, "description"));
	assert_null(strstr(b.data, "dateModified"));
}

#define S DB_MARK_START
#define E DB_MARK_STOP

static const char *
hl(const char *s, int entities)
{
	buf_reset(&b);
	search_highlight(&b, s, strlen(s), entities);
	assert_false(b.failed);
	return b.data != NULL ? b.data : "";
}

static void
test_highlight(void **state)
{
	(void)state;
	assert_string_equal(hl("", 0), "");
	assert_string_equal(hl("no match here", 0), "no match here");
	assert_string_equal(hl("a " S "massage" E " b", 0),
	    "a <mark>massage</mark> b");
	assert_string_equal(hl(S "one" E " and " S "two" E, 0),
	    "<mark>one</mark> and <mark>two</mark>");
	/* Everything but the markers is escaped. */
	assert_string_equal(hl("<script>" S "x" E "</script> & 'q' \"r\"", 0),
	    "&lt;script&gt;<mark>x</mark>&lt;/script&gt; &amp; &#39;q&#39; "
	    "&quot;r&quot;");
	assert_string_equal(hl(S "<b>" E, 0), "<mark>&lt;b&gt;</mark>");
	/* The marks always balance, whatever the text held. */
	assert_string_equal(hl(E "a" E, 0), "a");
	assert_string_equal(hl(S S "a" E E, 0), "<mark>a</mark>");
	assert_string_equal(hl(S "open", 0), "<mark>open</mark>");
	assert_string_equal(hl("x" S, 0), "x<mark></mark>");
	/* Part of a marker is just text. */
	assert_string_equal(hl("\xee\x80", 0), "\xee\x80");
	/* Each run of white space (stripped tags leave many) is one space. */
	assert_string_equal(hl("a  b\n\n c\td \r\n" S "e" E "  ", 0),
	    "a b c d <mark>e</mark> ");
	assert_string_equal(hl("\n", 0), " ");
	assert_string_equal(hl("one two", 0), "one two");
}

static void
test_highlight_entities(void **state)
{
	(void)state;
	/* Body text is HTML with its tags stripped: references decode. */
	assert_string_equal(hl("Heat &amp; Ice", 1), "Heat &amp; Ice");
	assert_string_equal(hl("Heat &amp; Ice", 0), "Heat &amp;amp; Ice");
	assert_string_equal(hl("&lt;script&gt;", 1), "&lt;script&gt;");
	assert_string_equal(hl("it&#8217;s &#x2014; &hellip;", 1),
	    "it\xe2\x80\x99s \xe2\x80\x94 \xe2\x80\xa6");
	assert_string_equal(hl("&quot;q&quot; &#39;", 1),
	    "&quot;q&quot; &#39;");
	assert_string_equal(hl("a&nbsp;b", 1),
	    "a\xc2\xa0"
	    "b");
	/* Unknown, unterminated or forbidden references stay as written. */
	assert_string_equal(hl("&bogus; &amp &#0; &#xD800; &#1114112; &#;", 1),
	    "&amp;bogus; &amp;amp &amp;#0; &amp;#xD800; &amp;#1114112; "
	    "&amp;#;");
	assert_string_equal(hl("&", 1), "&amp;");
	assert_string_equal(hl("&#60;" S "&#62;" E, 1),
	    "&lt;<mark>&gt;</mark>");
}

static void
test_search_normalize(void **state)
{
	struct arena a;
	int cut;

	(void)state;
	arena_init(&a, 1024);
	assert_string_equal(search_normalize(&a, "  massage  ", 200, &cut),
	    "massage");
	assert_false(cut);
	assert_string_equal(search_normalize(&a, " \t\n ", 200, &cut), "");
	assert_string_equal(search_normalize(&a, "", 200, &cut), "");
	assert_string_equal(search_normalize(&a, "abcdef", 4, &cut), "abcd");
	assert_true(cut);
	/* Never cut inside a character: "é" is 2 bytes. */
	assert_string_equal(search_normalize(&a, "abc\xc3\xa9z", 4, &cut),
	    "abc");
	assert_true(cut);
	assert_string_equal(
	    search_normalize(&a, "ab \xf0\x9f\x92\x86", 5, &cut), "ab");
	arena_free(&a);
}

static void
test_dates(void **state)
{
	char d[DATE_MAX];

	(void)state;
	assert_true(date_rfc822(d, sizeof(d), 0));
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_true(date_rfc822(d, sizeof(d), 1736848800));
	assert_string_equal(d, "Tue, 14 Jan 2025 10:00:00 +0000");
	assert_true(date_rfc3339(d, sizeof(d), 1736848800));
	assert_string_equal(d, "2025-01-14T10:00:00Z");
	assert_true(date_http(d, sizeof(d), 1736848800));
	assert_string_equal(d, "Tue, 14 Jan 2025 10:00:00 GMT");
	assert_true(date_rfc3339(d, sizeof(d), 951782400)); /* leap day */
	assert_string_equal(d, "2000-02-29T00:00:00Z");
	assert_true(date_rfc822(d, sizeof(d), 4102444799));
	assert_string_equal(d, "Thu, 31 Dec 2099 23:59:59 +0000");
	/* Too small a buffer fails rather than truncating. */
	assert_false(date_rfc3339(d, 10, 0));
	assert_false(date_rfc822(d, 20, 0));
}

static void
test_parse_http_date(void **state)
{
	time_t t = 42;

	(void)state;
	assert_true(date_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &t));
	assert_int_equal(t, 784111777);
	t = 0;
	assert_true(date_parse_http("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	assert_int_equal(t, 784111777);
	t = 0;
	assert_true(date_parse_http("Sun Nov  6 08:49:37 1994", &t));
	assert_int_equal(t, 784111777);
	assert_true(date_parse_http("Tue, 14 Jan 2025 10:00:00 GMT", &t));
	assert_int_equal(t, 1736848800);
	t = 42;
	assert_false(date_parse_http("", &t));
	assert_false(date_parse_http("yesterday", &t));
	assert_false(date_parse_http("Sun, 06 Nov 1994 08:49:37", &t));
	assert_false(date_parse_http("Sun, 06 Nov 1994 08:49:37 GMT junk", &t));
	assert_false(date_parse_http("Sun, 31 Feb 1994 08:49:37 GMT", &t));
	assert_false(date_parse_http("Sun, 06 Nov 1994 25:49:37 GMT", &t));
	assert_false(date_parse_http("Sun, 6 Nov 1994 08:49:37 GMT", &t));
	assert_false(date_parse_http("Sun, 06 Foo 1994 08:49:37 GMT", &t));
	assert_false(date_parse_http("2025-01-14T10:00:00Z", &t));
	assert_int_equal(t, 42); /* untouched on failure */
}

static void
test_archive_parse(void **state)
{
	int y = 0, m = 0;

	(void)state;
	assert_true(permalink_month_parse("2025", "03", &y, &m));
	assert_int_equal(y, 2025);
	assert_int_equal(m, 3);
	assert_true(permalink_month_parse("1999", "12", &y, &m));
	assert_true(permalink_month_parse("2026", "01", &y, &m));
	assert_false(permalink_month_parse("2025", "00", &y, &m));
	assert_false(permalink_month_parse("2025", "13", &y, &m));
	assert_false(permalink_month_parse("2025", "99", &y, &m));
	assert_false(permalink_month_parse("2025", "3", &y, &m));
	assert_false(permalink_month_parse("2025", "003", &y, &m));
	assert_false(permalink_month_parse("0999", "01", &y, &m));
	assert_false(permalink_month_parse("999", "01", &y, &m));
	assert_false(permalink_month_parse("20255", "01", &y, &m));
	assert_false(permalink_month_parse("20a5", "01", &y, &m));
	assert_false(permalink_month_parse("2025", "-1", &y, &m));
	assert_false(permalink_month_parse("2025", " 1", &y, &m));
	assert_false(permalink_month_parse(NULL, "01", &y, &m));
	assert_string_equal(date_month_name(1), "January");
	assert_string_equal(date_month_name(12), "December");
	assert_string_equal(date_month_name(13), "");
}

static void
test_conditional_get(void **state)
{
	const char *etag = "\"0123abcd\"";

	(void)state;
	assert_true(resp_etag_match("\"0123abcd\"", etag));
	assert_true(resp_etag_match("W/\"0123abcd\"", etag)); /* weak compare */
	assert_true(resp_etag_match("\"x\", W/\"0123abcd\"", etag));
	assert_true(resp_etag_match("\"x\",\"0123abcd\"", etag));
	assert_true(resp_etag_match("*", etag));
	assert_false(resp_etag_match("\"0123abc\"", etag));
	assert_false(resp_etag_match("\"0123abcde\"", etag));
	assert_false(resp_etag_match("0123abcd", etag));
	assert_false(resp_etag_match("\"0123abcd", etag));
	assert_false(resp_etag_match("", etag));
	/* fascia's own tags are weak: W/"x" and "x" both match them */
	assert_true(resp_etag_match("W/\"0123abcd\"", "W/\"0123abcd\""));
	assert_true(resp_etag_match("\"0123abcd\"", "W/\"0123abcd\""));
	assert_false(resp_etag_match("W/\"0123abc\"", "W/\"0123abcd\""));

	assert_false(resp_not_modified(NULL, NULL, etag, 1000));
	/* an empty header is none: If-Modified-Since decides */
	assert_true(resp_not_modified("", "Tue, 14 Jan 2025 10:00:00 GMT", etag,
	    1736848800));
	assert_false(resp_not_modified("", "", etag, 1000));
	assert_true(resp_not_modified(etag, NULL, etag, 1000));
	/* If-None-Match decides alone when present. */
	assert_false(resp_not_modified("\"other\"",
	    "Tue, 14 Jan 2025 10:00:00 GMT", etag, 1000));
	assert_true(resp_not_modified(NULL, "Tue, 14 Jan 2025 10:00:00 GMT",
	    etag, 1736848800));
	assert_true(resp_not_modified(NULL, "Tue, 14 Jan 2025 10:00:00 GMT",
	    etag, 1736848799));
	assert_false(resp_not_modified(NULL, "Tue, 14 Jan 2025 10:00:00 GMT",
	    etag, 1736848801));
	assert_false(resp_not_modified(NULL, "garbage", etag, 1000));
	assert_false(
	    resp_not_modified(NULL, "Tue, 14 Jan 2025 10:00:00 GMT", etag, 0));
}

/* Routing: the new sections, and 4-digit years reserved from slugs. */
static struct arena arena;
static FCGX_Request fcgi;
static char *envp[4];
static char method_param[32], uri_param[URI_MAX + 64];
static struct conf route_conf = { .base_url = (char *)"https://blog.example" };

static enum route_res
resolve(struct req *r, const char *uri, handler_fn **h, char **arg)
{

	snprintf(method_param, sizeof(method_param), "REQUEST_METHOD=GET");
	snprintf(uri_param, sizeof(uri_param), "REQUEST_URI=%s", uri);
	envp[0] = method_param;
	envp[1] = uri_param;
	envp[2] = NULL;
	fcgi.envp = envp;
	memset(r, 0, sizeof(*r));
	arena_reset(&arena);
	r->arena = &arena;
	r->fcgi = &fcgi;
	*h = NULL;
	assert_int_equal(req_parse(r), REQ_OK);
	r->conf = &route_conf;
	return route_resolve(r, h, arg);
}

static void
test_routes(void **state)
{
	char *arg[ROUTE_ARGS_MAX + 1];
	handler_fn *h;
	struct req r;

	(void)state;
	assert_int_equal(resolve(&r, "/2025/03/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_month);
	assert_string_equal(arg[0], "2025");
	assert_string_equal(arg[1], "03");
	assert_null(arg[2]);
	assert_int_equal(resolve(&r, "/2025/03/page/2/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_month);
	assert_string_equal(arg[2], "2");
	assert_null(arg[3]);
	assert_int_equal(resolve(&r, "/2025/03", &h, arg), ROUTE_REDIRECT);
	assert_string_equal(r.location, "https://blog.example/2025/03/");
	/* A year is never a post's slug; a month must be two digits. */
	assert_int_equal(resolve(&r, "/2025/", &h, arg), ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "/2025/3/", &h, arg), ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "/20255/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_post);

	assert_int_equal(resolve(&r, "/feed/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_feed_rss);
	assert_int_equal(resolve(&r, "/feed/rss2/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_feed_rss);
	assert_int_equal(resolve(&r, "/feed/atom/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_feed_atom);
	assert_int_equal(resolve(&r, "/feed", &h, arg), ROUTE_REDIRECT);
	assert_int_equal(resolve(&r, "/tag/self-care/feed/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_tag_feed_rss);
	assert_string_equal(arg[0], "self-care");
	assert_int_equal(resolve(&r, "/tag/self-care/feed/atom/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_tag_feed_atom);
	assert_int_equal(resolve(&r, "/author/maya/feed/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_author_feed_rss);
	assert_int_equal(resolve(&r, "/author/maya/feed/atom/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_author_feed_atom);
	assert_int_equal(resolve(&r, "/sitemap.xml", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_sitemap);
	assert_int_equal(resolve(&r, "/robots.txt", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_robots);
	assert_int_equal(resolve(&r, "/search/deep+tissue/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_search_path);
	/* Section names are not post slugs. */
	assert_int_equal(resolve(&r, "/search/", &h, arg), ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "/sitemap.xml/", &h, arg), ROUTE_NO_PAGE);
	/* Search is a route of its own: the home page's path with ?s=. */
	assert_int_equal(resolve(&r, "/?s=massage", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_search);
	assert_int_equal(resolve(&r, "/page/2/?s=massage", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_search);
	assert_string_equal(arg[0], "2");
	assert_int_equal(resolve(&r, "/page/2/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_home);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_jsonld_no_markup),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_highlight_entities),
		cmocka_unit_test(test_search_normalize),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_parse_http_date),
		cmocka_unit_test(test_archive_parse),
		cmocka_unit_test(test_conditional_get),
		cmocka_unit_test(test_routes),
	};
	int rc;

	buf_init(&b, 1u << 16);
	arena_init(&arena, 4096);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	buf_free(&b);
	arena_free(&arena);
	return rc;
}
