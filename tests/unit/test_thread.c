/*
 * test_thread.c: the display order and depths of threaded comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "thread.h"

static void
check(const long *ids, const long *parents, int n, int max_depth,
    const int *want_order, const int *want_depth, int want_n)
{
	struct arena a;
	int order[32], depth[32], got, i;

	arena_init(&a, 1024);
	got = thread_order(&a, ids, parents, n, max_depth, order, depth);
	assert_int_equal(got, want_n);
	for (i = 0; i < want_n; i++) {
		assert_int_equal(order[i], want_order[i]);
		assert_int_equal(depth[i], want_depth[i]);
	}
	assert_int_equal(order[want_n], -1);
	assert_int_equal(depth[want_n], 1);
	arena_free(&a);
}

static void
test_flat(void **state)
{
	const long ids[] = { 1, 2, 3 }, parents[] = { 0, 0, 0 };
	const int order[] = { 0, 1, 2 }, depth[] = { 1, 1, 1 };

	(void)state;
	check(ids, parents, 3, 5, order, depth, 3);
	check(NULL, NULL, 0, 5, order, depth, 0);
}

static void
test_nested(void **state)
{
	/* 10; 11 replies to 10; 12 top; 13 replies to 11; 14 replies to 10 */
	const long ids[] = { 10, 11, 12, 13, 14 };
	const long parents[] = { 0, 10, 0, 11, 10 };
	const int order[] = { 0, 1, 3, 4, 2 }, depth[] = { 1, 2, 3, 2, 1 };

	(void)state;
	check(ids, parents, 5, 5, order, depth, 5);
}

static void
test_max_depth(void **state)
{
	const long ids[] = { 1, 2, 3, 4 }, parents[] = { 0, 1, 2, 3 };
	const int order[] = { 0, 1, 2, 3 }, depth[] = { 1, 2, 2, 2 };

	(void)state;
	check(ids, parents, 4, 2, order, depth, 4);
}

static void
test_missing_parent_and_cycle(void **state)
{
	/* 5's parent is not shown; 7 and 8 answer each other: unreachable */
	const long ids[] = { 5, 7, 8, 9 }, parents[] = { 99, 8, 7, 5 };
	const int order[] = { 0, 3 }, depth[] = { 1, 2 };

	(void)state;
	check(ids, parents, 4, 5, order, depth, 2);
}

static void
test_ids_not_sorted(void **state)
{
	/* imported comments: ids need not follow time */
	const long ids[] = { 50, 20, 30 }, parents[] = { 0, 50, 20 };
	const int order[] = { 0, 1, 2 }, depth[] = { 1, 2, 3 };

	(void)state;
	check(ids, parents, 3, 5, order, depth, 3);
}

static void
test_long_chain(void **state)
{
	enum { N = 100000 };
	long *ids = malloc(N * sizeof(long)),
	     *parents = malloc(N * sizeof(long));
	int *order = malloc((N + 1) * sizeof(int));
	int *depth = malloc((N + 1) * sizeof(int));
	struct arena a;
	int i;

	(void)state;
	assert_non_null(ids);
	assert_non_null(parents);
	assert_non_null(order);
	assert_non_null(depth);
	for (i = 0; i < N; i++) {
		ids[i] = i + 1;
		parents[i] = i;
	}
	arena_init(&a, 4096);
	assert_int_equal(thread_order(&a, ids, parents, N, 5, order, depth), N);
	assert_int_equal(depth[N - 1], 5);
	arena_free(&a);
	free(ids);
	free(parents);
	free(order);
	free(depth);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_max_depth),
		cmocka_unit_test(test_missing_parent_and_cycle),
		cmocka_unit_test(test_ids_not_sorted),
		cmocka_unit_test(test_long_chain),
	};

	return cmocka_run_group_tests_name("thread", tests, NULL, NULL);
}
