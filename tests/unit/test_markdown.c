/*
 * test_markdown.c: Markdown to HTML at import, and what the safe mode
 * keeps out of a post.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "markdown.h"

static void
expect_html(const char *md, const char *want)
{
	char *html = markdown_to_html(md, strlen(md));

	assert_non_null(html);
	assert_string_equal(html, want);
	free(html);
}

static void
expect_lacks(const char *md, const char *bad)
{
	char *html = markdown_to_html(md, strlen(md));

	assert_non_null(html);
	if (strstr(html, bad) != NULL)
		fail_msg("\"%s\" kept \"%s\": %s", md, bad, html);
	free(html);
}

static void
test_render(void **state)
{
	(void)state;
	expect_html("", "");
	expect_html("Hello *world*\n", "<p>Hello <em>world</em></p>\n");
	expect_html("## Heat & ice\n", "<h2>Heat &amp; ice</h2>\n");
	expect_html("[a](https://example.com/?q=1&r=2 \"t\")\n",
	    "<p><a href=\"https://example.com/?q=1&amp;r=2\" title=\"t\">a</a>"
	    "</p>\n");
	expect_html("Caf\xc3\xa9 \xe2\x80\x94 \"quotes\"\n",
	    "<p>Caf\xc3\xa9 \xe2\x80\x94 &quot;quotes&quot;</p>\n");
}

static void
test_safe(void **state)
{
	(void)state;
	expect_html("<script>alert(1)</script>\n",
	    "<!-- raw HTML omitted -->\n");
	expect_lacks("Hi <img src=x onerror=alert(1)> there\n", "<img");
	expect_lacks("<iframe src=\"https://evil.example/\"></iframe>\n",
	    "<iframe");
	expect_lacks("[x](javascript:alert(1))\n", "javascript:");
	expect_lacks("[x](JaVaScRiPt:alert(1))\n", "alert");
	expect_lacks("[x](vbscript:msgbox(1))\n", "vbscript:");
	expect_lacks("![x](data:text/html;base64,PHNjcmlwdD4=)\n",
	    "data:text/html");
	expect_lacks("<a href=\"javascript:alert(1)\">x</a>\n", "<a");
	expect_lacks("`<b>` and <b>bold</b>\n", "<b>bold");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_safe),
	};

	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
