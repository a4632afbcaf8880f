/*
 * test_req.c: turning FastCGI parameters into a checked request.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

static struct arena arena;
static FCGX_Request fcgi;
static char *envp[4];
static char method_param[32], uri_param[URI_MAX + 64];

static int
parse(struct req *r, const char *method, const char *uri)
{
	snprintf(method_param, sizeof(method_param), "REQUEST_METHOD=%s",
	    method);
	snprintf(uri_param, sizeof(uri_param), "REQUEST_URI=%s", uri);
	envp[0] = method_param;
	envp[1] = uri_param;
	envp[2] = NULL;
	fcgi.envp = envp;
	memset(r, 0, sizeof(*r));
	arena_reset(&arena);
	r->arena = &arena;
	r->fcgi = &fcgi;
	return req_parse(r);
}

static void
test_paths(void **state)
{
	struct req r;

	(void)state;
	assert_int_equal(parse(&r, "GET", "/"), 0);
	assert_int_equal(r.method, METHOD_GET);
	assert_int_equal(r.nseg, 0);
	assert_true(r.trailing_slash);

	assert_int_equal(parse(&r, "HEAD", "/myofascial-release/"), 0);
	assert_int_equal(r.method, METHOD_HEAD);
	assert_int_equal(r.nseg, 1);
	assert_string_equal(r.seg[0], "myofascial-release");
	assert_true(r.trailing_slash);

	assert_int_equal(parse(&r, "GET", "/author/maya/page/2/"), 0);
	assert_int_equal(r.nseg, 4);
	assert_string_equal(r.seg[3], "2");

	assert_int_equal(parse(&r, "GET", "/caf%C3%A9-stretches"), 0);
	assert_string_equal(r.seg[0], "caf\xc3\xa9-stretches");
	assert_false(r.trailing_slash);
	assert_string_equal(r.path, "/caf%C3%A9-stretches");

	assert_int_equal(parse(&r, "DELETE", "/x/"), 0);
	assert_int_equal(r.method, METHOD_OTHER);
}

static void
test_bad_paths(void **state)
{
	struct req r;
	char longuri[URI_MAX + 10];

	(void)state;
	assert_int_equal(parse(&r, "GET", "/%zz/"), 400);
	assert_int_equal(parse(&r, "GET", "/%4/"), 400);
	assert_int_equal(parse(&r, "GET", "/%C0%BC/"), 400);	/* overlong */
	assert_int_equal(parse(&r, "GET", "/%ED%A0%80/"), 400);	/* surrogate */
	assert_int_equal(parse(&r, "GET", "/%FF/"), 400);
	assert_int_equal(parse(&r, "GET", "/a%00b/"), 400);
	assert_int_equal(parse(&r, "GET", "/a%0Ab/"), 400);	/* newline */
	assert_int_equal(parse(&r, "GET", "/a%2Fb/"), 404);	/* no slug has "/" */
	assert_int_equal(parse(&r, "GET", "//x/"), 404);
	assert_int_equal(parse(&r, "GET", "/../x/"), 404);
	assert_int_equal(parse(&r, "GET", "/a/b/c/d/e/f/g/h/i/"), 404);
	assert_int_equal(parse(&r, "GET", "relative"), 400);
	memset(longuri, 'a', sizeof(longuri) - 1);
	longuri[0] = '/';
	longuri[sizeof(longuri) - 1] = '\0';
	assert_int_equal(parse(&r, "GET", longuri), 414);
}

static void
test_query(void **state)
{
	struct req r;

	(void)state;
	assert_int_equal(parse(&r, "GET", "/x/?replytocom=12&s=deep+tissue"
	    "&&flag&e=%C3%A9"), 0);
	assert_string_equal(r.path, "/x/");
	assert_int_equal(r.nq, 4);
	assert_string_equal(req_query(&r, "replytocom"), "12");
	assert_string_equal(req_query(&r, "s"), "deep tissue");
	assert_string_equal(req_query(&r, "flag"), "");
	assert_string_equal(req_query(&r, "e"), "\xc3\xa9");
	assert_null(req_query(&r, "missing"));

	assert_int_equal(parse(&r, "GET", "/?s=%zz"), 400);
	assert_int_equal(parse(&r, "GET", "/?s=%C0%80"), 400);
	assert_int_equal(parse(&r, "GET", "/?s=a%00"), 400);
	assert_int_equal(parse(&r, "GET", "/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8"
	    "&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17"), 400);
}

static int
setup(void **state)
{
	(void)state;
	arena_init(&arena, 4096);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_query),
	};

	return cmocka_run_group_tests_name("req", tests, setup, teardown);
}
