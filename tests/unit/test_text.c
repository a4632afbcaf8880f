/*
 * test_text.c: percent-decoding, UTF-8 validation, URL encoding, comment
 * text to HTML, and the log line quoting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "text.h"
#include "utf8.h"

static int
valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ascii"));
	assert_true(valid("caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x92\x86"));
	assert_true(valid("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
	assert_false(valid("\xc0\xbc"));	/* overlong '<' */
	assert_false(valid("\xc1\x81"));
	assert_false(valid("\xe0\x80\xbc"));	 /* overlong, 3 bytes */
	assert_false(valid("\xf0\x80\x80\xbc")); /* overlong, 4 bytes */
	assert_false(valid("\xed\xa0\x80"));	 /* surrogate D800 */
	assert_false(valid("\xed\xbf\xbf"));	 /* surrogate DFFF */
	assert_false(valid("\xf4\x90\x80\x80")); /* past U+10FFFF */
	assert_false(valid("\x80"));		 /* lone continuation */
	assert_false(valid("\xc3"));		 /* truncated */
	assert_false(valid("\xe2\x80"));
	assert_false(valid("\xff"));
	assert_false(utf8_valid("a\0b", 3)); /* NUL */
}

static void
expect_decode(const char *in, int plus, const char *want)
{
	char out[256];
	size_t n;

	assert_true(pct_decode(in, strlen(in), plus, out, &n));
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
}

static void
test_hex_decode(void **state)
{
	unsigned char out[3];

	(void)state;
	assert_true(hex_decode(out, 3, "00a0Ff"));
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xa0);
	assert_int_equal(out[2], 0xff);
	assert_false(hex_decode(out, 3, "00a0F"));   /* short */
	assert_false(hex_decode(out, 3, "00a0Ff0")); /* long */
	assert_false(hex_decode(out, 3, "00a0Fg"));  /* not hex */
	assert_false(hex_decode(out, 3, ""));
	assert_true(hex_decode(out, 0, ""));
}

static void
test_pct_decode(void **state)
{
	char out[16];
	size_t n;

	(void)state;
	expect_decode("abc", 0, "abc");
	expect_decode("a%20b", 0, "a b");
	expect_decode("a+b", 0, "a+b");
	expect_decode("a+b", 1, "a b");
	expect_decode("%C3%a9", 0, "\xc3\xa9");
	expect_decode("%25", 0, "%");
	assert_false(pct_decode("%zz", 3, 0, out, &n));
	assert_false(pct_decode("%4", 2, 0, out, &n));
	assert_false(pct_decode("abc%", 4, 0, out, &n));
	assert_false(pct_decode("%g0", 3, 0, out, &n));
	assert_true(pct_decode("%00", 3, 0, out, &n));
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0);
}

static void
test_url_encode_segment(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 256);
	assert_string_equal(url_encode_segment(&a, "myofascial-release"),
	    "myofascial-release");
	assert_string_equal(url_encode_segment(&a, "caf\xc3\xa9 a/b?c#d"),
	    "caf%C3%A9%20a%2Fb%3Fc%23d");
	assert_string_equal(url_encode_segment(&a, "\"><"), "%22%3E%3C");
	arena_free(&a);
}

static void
expect_html(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	text_to_html(&b, in, strlen(in));
	assert_false(b.failed);
	assert_string_equal(b.data ? b.data : "", want);
	buf_free(&b);
}

static void
test_text_to_html(void **state)
{
	(void)state;
	expect_html("", "");
	expect_html("Hello", "<p>Hello</p>");
	expect_html("one\ntwo", "<p>one<br>\ntwo</p>");
	expect_html("one\r\ntwo", "<p>one<br>\ntwo</p>");
	expect_html("para one\n\npara two", "<p>para one</p>\n<p>para two</p>");
	expect_html("a\n \t \n\n\nb", "<p>a</p>\n<p>b</p>");
	expect_html("\n\nlead", "<p>lead</p>");
	expect_html("see https://example.com/a?b=1&c=2.",
	    "<p>see <a href=\"https://example.com/a?b=1&amp;c=2\" "
	    "rel=\"nofollow ugc noopener\">https://example.com/a?b=1&amp;c=2"
	    "</a>.</p>");
	expect_html("(HTTP://x.example/wiki/A_(b)) and http://",
	    "<p>(<a href=\"HTTP://x.example/wiki/A_(b)\" "
	    "rel=\"nofollow ugc noopener\">HTTP://x.example/wiki/A_(b)</a>) "
	    "and http://</p>");
	expect_html("https://a.example/\"><script>",
	    "<p><a href=\"https://a.example/\" rel=\"nofollow ugc noopener\">"
	    "https://a.example/</a>&quot;&gt;&lt;script&gt;</p>");
	expect_html("xhttp://no.example javascript:alert(1)",
	    "<p>xhttp://no.example javascript:alert(1)</p>");
	expect_html("<script>alert('x')</script> & \"q\"",
	    "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
	    "&quot;q&quot;</p>");
}

static void
test_log_quote(void **state)
{
	char out[32];

	(void)state;
	log_quote(out, sizeof(out), "plain", 5);
	assert_string_equal(out, "plain");
	log_quote(out, sizeof(out), "a\nfascia: forged", 16);
	assert_null(strchr(out, '\n'));
	assert_string_equal(out, "a\\x0afascia: forged");
	log_quote(out, sizeof(out), "\"\\", 2);
	assert_string_equal(out, "\\x22\\x5c");
	log_quote(out, 12, "0123456789abcdef", 16);
	assert_true(strlen(out) < 12);
	assert_non_null(strstr(out, "..."));
}

static void
test_log_line(void **state)
{
	char out[256];
	FILE *tmp;
	size_t n;
	int saved;

	(void)state;
	assert_non_null(tmp = tmpfile());
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	log_msg("warn", "caller", "value \"%s\"",
	    "x\nfascia[1]: error: "
	    "forged\r\x1b[31mred");
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	assert_non_null(strstr(out, ": warn: caller: value"));
	assert_ptr_equal(strchr(out, '\n'), out + n - 1); /* one line */
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\r'));
}

static void
test_buf_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_true(buf_puts(&b, "12345678"));
	assert_false(buf_puts(&b, "9"));
	assert_true(b.failed);
	assert_false(buf_puts(&b, "")); /* sticky */
	buf_reset(&b);
	assert_true(buf_printf(&b, "%d-%s", 42, "x"));
	assert_string_equal(b.data, "42-x");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_hex_decode),
		cmocka_unit_test(test_pct_decode),
		cmocka_unit_test(test_url_encode_segment),
		cmocka_unit_test(test_text_to_html),
		cmocka_unit_test(test_log_quote),
		cmocka_unit_test(test_log_line),
		cmocka_unit_test(test_buf_cap),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
