/*
 * test_arena.c: the bump allocator (arena.c): alignment, strings, formats
 * that cross a chunk, and reuse across resets, big allocations included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"

#define CHUNK 1024
#define ROUNDS 50

static void
test_basics(void **state)
{
	struct arena a;
	char *p, *q;
	int i;

	(void)state;
	arena_init(&a, 64);
	p = arena_strdup(&a, "hello");
	assert_string_equal(p, "hello");
	for (i = 0; i < 100; i++)
		assert_non_null(arena_alloc(&a, 50));
	q = arena_alloc(&a, 1000); /* larger than a chunk */
	assert_non_null(q);
	memset(q, 'x', 1000);
	assert_string_equal(arena_printf(&a, "%s-%d", "n", 7), "n-7");
	arena_reset(&a);
	assert_non_null(arena_alloc(&a, 8));
	arena_free(&a);
}

static void
test_aligned(void **state)
{
	struct arena a;
	size_t n;

	(void)state;
	arena_init(&a, CHUNK);
	for (n = 0; n < 3 * CHUNK; n += 7) {
		char *p = arena_alloc(&a, n);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 'x', n); /* ASan: every byte is ours */
	}
	arena_free(&a);
}

static void
test_strings(void **state)
{
	struct arena a;
	char *s, *big;

	(void)state;
	arena_init(&a, CHUNK);
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_printf(&a, "%s-%d", "page", 42), "page-42");
	/* longer than what the chunk has left, then than a whole chunk */
	s = arena_printf(&a, "%0*d", CHUNK - 40, 7);
	assert_int_equal(strlen(s), CHUNK - 40);
	big = arena_printf(&a, "%0*d", 3 * CHUNK, 9);
	assert_int_equal(strlen(big), 3 * CHUNK);
	assert_int_equal(big[3 * CHUNK - 1], '9');
	assert_string_equal(arena_printf(&a, "%s", "after"), "after");
	arena_free(&a);
}

/*
 * A request's pattern, again and again: small allocations around big
 * ones.  After the first round the small ones come from the same kept
 * chunks, at the same addresses: nothing grows from one round to the next.
 */
static void
test_reuse_with_big(void **state)
{
	void *first[4], *p[4];
	struct arena a;
	int round, i;

	(void)state;
	arena_init(&a, CHUNK);
	for (round = 0; round < ROUNDS; round++) {
		p[0] = arena_alloc(&a, 100);
		assert_non_null(arena_alloc(&a, 4 * CHUNK));
		p[1] = arena_alloc(&a, 600);
		p[2] = arena_alloc(&a, 600); /* the next chunk */
		assert_non_null(arena_alloc(&a, 2 * CHUNK));
		p[3] = arena_alloc(&a, 8);
		for (i = 0; i < 4; i++) {
			assert_non_null(p[i]);
			if (round == 0)
				first[i] = p[i];
			else
				assert_ptr_equal(p[i], first[i]);
		}
		arena_reset(&a);
	}
	arena_free(&a);
	/* usable again after arena_free() */
	assert_non_null(arena_alloc(&a, 10));
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_reuse_with_big),
	};

	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
