/*
 * test_strmap.c: the string hash map (strmap.c): empty maps, setting and
 * resetting keys, growing past many keys, and freeing for reuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

#define MANY 5000

static void
test_empty(void **state)
{
	struct strmap m;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_null(strmap_get(&m, "a"));
	assert_null(strmap_get(&m, ""));
	strmap_free(&m);
	assert_null(strmap_get(&m, "a"));
}

static void
test_put_get(void **state)
{
	struct strmap m;
	char k[8] = "key";

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_true(strmap_put(&m, k, "one"));
	k[0] = 'x'; /* the map holds its own copy */
	assert_string_equal(strmap_get(&m, "key"), "one");
	assert_null(strmap_get(&m, "xey"));
	assert_true(strmap_put(&m, "key", "two"));
	assert_string_equal(strmap_get(&m, "key"), "two");
	assert_int_equal(m.n, 1);
	assert_true(strmap_put(&m, "", "empty"));
	assert_string_equal(strmap_get(&m, ""), "empty");
	assert_int_equal(m.n, 2);
	strmap_free(&m);
	assert_int_equal(m.n, 0);
	assert_null(strmap_get(&m, "key"));
	assert_true(strmap_put(&m, "key", "again"));
	assert_string_equal(strmap_get(&m, "key"), "again");
	strmap_free(&m);
}

static void
test_many(void **state)
{
	struct strmap m;
	char k[32], v[32];
	int i;

	(void)state;
	memset(&m, 0, sizeof(m));
	for (i = 0; i < MANY; i++) {
		snprintf(k, sizeof(k), "login-%d", i);
		snprintf(v, sizeof(v), "slug-%d", i);
		assert_true(strmap_put(&m, k, v));
	}
	assert_int_equal(m.n, MANY);
	assert_true(m.cap >= 2 * m.n);
	for (i = 0; i < MANY; i++) {
		snprintf(k, sizeof(k), "login-%d", i);
		snprintf(v, sizeof(v), "slug-%d", i);
		assert_string_equal(strmap_get(&m, k), v);
	}
	assert_null(strmap_get(&m, "login-5000"));
	strmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
