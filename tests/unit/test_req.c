/*
 * test_req.c: turning FastCGI parameters into a checked request.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "h_comment.h"
#include "h_health.h"
#include "h_list.h"
#include "h_post.h"
#include "req.h"
#include "route.h"

static struct arena arena;
static FCGX_Request fcgi;
static char *envp[4];
static char method_param[32], uri_param[URI_MAX + 64];

static enum req_res
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
	assert_int_equal(parse(&r, "GET", "/"), REQ_OK);
	assert_int_equal(r.method, METHOD_GET);
	assert_int_equal(r.nseg, 0);
	assert_true(r.trailing_slash);

	assert_int_equal(parse(&r, "HEAD", "/myofascial-release/"), REQ_OK);
	assert_int_equal(r.method, METHOD_HEAD);
	assert_int_equal(r.nseg, 1);
	assert_string_equal(r.seg[0], "myofascial-release");
	assert_true(r.trailing_slash);

	assert_int_equal(parse(&r, "GET", "/author/maya/page/2/"), REQ_OK);
	assert_int_equal(r.nseg, 4);
	assert_string_equal(r.seg[3], "2");

	assert_int_equal(parse(&r, "GET", "/caf%C3%A9-stretches"), REQ_OK);
	assert_string_equal(r.seg[0], "caf\xc3\xa9-stretches");
	assert_false(r.trailing_slash);
	assert_string_equal(r.path, "/caf%C3%A9-stretches");

	assert_int_equal(parse(&r, "DELETE", "/x/"), REQ_OK);
	assert_int_equal(r.method, METHOD_OTHER);
}

static void
test_bad_paths(void **state)
{
	struct req r;
	char longuri[URI_MAX + 10];

	(void)state;
	assert_int_equal(parse(&r, "GET", "/%zz/"), REQ_BAD);
	assert_int_equal(parse(&r, "GET", "/%4/"), REQ_BAD);
	assert_int_equal(parse(&r, "GET", "/%C0%BC/"), REQ_BAD); /* overlong */
	assert_int_equal(parse(&r, "GET", "/%ED%A0%80/"),
	    REQ_BAD); /* surrogate */
	assert_int_equal(parse(&r, "GET", "/%FF/"), REQ_BAD);
	assert_int_equal(parse(&r, "GET", "/a%00b/"), REQ_BAD);
	assert_int_equal(parse(&r, "GET", "/a%0Ab/"), REQ_BAD); /* newline */
	assert_int_equal(parse(&r, "GET", "/a%2Fb/"),
	    REQ_NO_PAGE); /* no slug has "/" */
	assert_int_equal(parse(&r, "GET", "//x/"), REQ_NO_PAGE);
	assert_int_equal(parse(&r, "GET", "/../x/"), REQ_NO_PAGE);
	assert_int_equal(parse(&r, "GET", "/a/b/c/d/e/f/g/h/i/"), REQ_NO_PAGE);
	assert_int_equal(parse(&r, "GET", "relative"), REQ_BAD);
	memset(longuri, 'a', sizeof(longuri) - 1);
	longuri[0] = '/';
	longuri[sizeof(longuri) - 1] = '\0';
	assert_int_equal(parse(&r, "GET", longuri), REQ_URI_TOO_LONG);
}

static void
test_query(void **state)
{
	struct req r;

	(void)state;
	assert_int_equal(parse(&r, "GET",
			     "/x/?replytocom=12&s=deep+tissue"
			     "&&flag&e=%C3%A9"),
	    REQ_OK);
	assert_string_equal(r.path, "/x/");
	assert_int_equal(r.nq, 4);
	assert_string_equal(req_query(&r, "replytocom"), "12");
	assert_string_equal(req_query(&r, "s"), "deep tissue");
	assert_string_equal(req_query(&r, "flag"), "");
	assert_string_equal(req_query(&r, "e"), "\xc3\xa9");
	assert_null(req_query(&r, "missing"));

	assert_int_equal(parse(&r, "GET", "/?s=%zz"), REQ_BAD);
	assert_int_equal(parse(&r, "GET", "/?s=%C0%80"), REQ_BAD);
	assert_int_equal(parse(&r, "GET", "/?s=a%00"), REQ_BAD);
	assert_int_equal(parse(&r, "GET",
			     "/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8"
			     "&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17"),
	    REQ_BAD);
}

static struct conf route_conf = { .base_url = (char *)"https://blog.example" };

/* Resolve method+uri (which must parse); sets *h when a route takes it. */
static enum route_res
resolve(struct req *r, const char *method, const char *uri, handler_fn **h,
    char **arg)
{
	*h = NULL;
	assert_int_equal(parse(r, method, uri), REQ_OK);
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
	assert_int_equal(resolve(&r, "GET", "/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_home);
	assert_null(arg[0]);
	assert_int_equal(resolve(&r, "HEAD", "/page/3/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_home);
	assert_string_equal(arg[0], "3");
	assert_int_equal(resolve(&r, "GET", "/my-post/", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_post);
	assert_string_equal(arg[0], "my-post");
	assert_int_equal(resolve(&r, "GET", "/author/maya/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_author);
	assert_string_equal(arg[0], "maya");
	assert_null(arg[1]);
	assert_int_equal(resolve(&r, "GET", "/author/maya/page/2/", &h, arg),
	    0);
	assert_string_equal(arg[1], "2");
	assert_int_equal(resolve(&r, "GET", "/tag/self-care/page/12/", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_tag);
	assert_int_equal(resolve(&r, "GET", "/healthz", &h, arg), ROUTE_FOUND);
	assert_ptr_equal(h, h_health);
	assert_int_equal(resolve(&r, "POST", "/my-post/comments", &h, arg),
	    ROUTE_FOUND);
	assert_ptr_equal(h, h_comment_post);
	assert_string_equal(arg[0], "my-post");
}

static void
test_route_redirects_and_errors(void **state)
{
	char *arg[ROUTE_ARGS_MAX + 1];
	handler_fn *h;
	struct req r;

	(void)state;
	assert_int_equal(resolve(&r, "GET", "/my-post", &h, arg),
	    ROUTE_REDIRECT);
	assert_string_equal(r.location, "https://blog.example/my-post/");
	assert_int_equal(resolve(&r, "GET", "/tag/x?utm=1", &h, arg),
	    ROUTE_REDIRECT);
	assert_string_equal(r.location, "https://blog.example/tag/x/?utm=1");
	assert_int_equal(resolve(&r, "POST", "/my-post/", &h, arg),
	    ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "GET, HEAD");
	assert_int_equal(resolve(&r, "GET", "/my-post/comments", &h, arg),
	    ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "POST");
	assert_int_equal(resolve(&r, "PUT", "/", &h, arg), ROUTE_WRONG_METHOD);
	assert_int_equal(resolve(&r, "POST", "/my-post", &h, arg),
	    ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/page/0/", &h, arg),
	    ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/page/01/", &h, arg),
	    ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/page/x/", &h, arg),
	    ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/page/", &h, arg), ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/author/", &h, arg),
	    ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/healthz/", &h, arg),
	    ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/a/b/", &h, arg), ROUTE_NO_PAGE);
	assert_int_equal(resolve(&r, "GET", "/my-post/extra/", &h, arg),
	    ROUTE_NO_PAGE);
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
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_route_redirects_and_errors),
	};

	return cmocka_run_group_tests_name("req", tests, setup, teardown);
}
