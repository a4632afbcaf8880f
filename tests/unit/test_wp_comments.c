/*
 * test_wp_comments.c: planning a post's comments (wp_comments.c): replies
 * moving up past comments left out, duplicate ids, parent loops among
 * wanted and unwanted comments, and the parents-first order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "wp_comments.h"

#define MAXC 16
#define W WPC_WANTED
#define L WPC_LEFT_OUT
#define B WPC_BAD

struct seen {
	size_t i[MAXC];
	enum wpc_problem why[MAXC];
	size_t n;
};

static void
on_bad(void *arg, size_t i, enum wpc_problem why)
{
	struct seen *s = arg;

	assert_true(s->n < MAXC);
	s->i[s->n] = i;
	s->why[s->n++] = why;
}

struct plan {
	struct wpc c[MAXC];
	size_t n, *order, norder;
	struct seen bad;
	struct arena a;
};

/* Plan n comments given as (id, parent, state) triples. */
static void
plan(struct plan *p, size_t n, const long long (*ids)[2],
    const enum wpc_state *st)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	arena_init(&p->a, 4096);
	p->n = n;
	for (i = 0; i < n; i++) {
		p->c[i].id = ids[i][0];
		p->c[i].parent = ids[i][1];
		p->c[i].state = st[i];
	}
	assert_true(
	    wpc_plan(p->c, n, &p->a, on_bad, &p->bad, &p->order, &p->norder));
}

static void
expect_order(const struct plan *p, const size_t *want, size_t n)
{
	size_t i;

	assert_int_equal(p->norder, n);
	for (i = 0; i < n; i++)
		assert_int_equal(p->order[i], want[i]);
}

static void
test_empty(void **state)
{
	struct plan p;

	(void)state;
	plan(&p, 0, NULL, NULL);
	assert_null(p.order);
	assert_int_equal(p.norder, 0);
	arena_free(&p.a);
}

static void
test_thread(void **state)
{
	/* Written in the file reply first; imported parents first. */
	static const long long ids[][2] = { { 3, 2 }, { 2, 1 }, { 1, 0 },
		{ 4, 1 } };
	static const enum wpc_state st[] = { W, W, W, W };
	static const size_t want[] = { 2, 1, 3, 0 };
	struct plan p;

	(void)state;
	plan(&p, 4, ids, st);
	expect_order(&p, want, 4);
	assert_int_equal(p.c[2].reply_to, WPC_NONE);
	assert_int_equal(p.c[2].depth, 0);
	assert_int_equal(p.c[1].reply_to, 2);
	assert_int_equal(p.c[1].depth, 1);
	assert_int_equal(p.c[0].reply_to, 1);
	assert_int_equal(p.c[0].depth, 2);
	assert_int_equal(p.c[3].reply_to, 2);
	assert_int_equal(p.c[3].depth, 1);
	assert_int_equal(p.bad.n, 0);
	arena_free(&p.a);
}

static void
test_moves_up(void **state)
{
	/* 5 answers 4 (left out), which answers 3 (bad), which answers 1;
	 * 6 answers a comment not in the export, 7 itself, and 8 a comment
	 * without an id. */
	static const long long ids[][2] = { { 1, 0 }, { 3, 1 }, { 4, 3 },
		{ 5, 4 }, { 6, 99 }, { 7, 7 }, { 0, 0 }, { 8, 0 } };
	static const enum wpc_state st[] = { W, B, L, W, W, W, B, W };
	static const size_t want[] = { 0, 4, 5, 7, 3 };
	struct plan p;

	(void)state;
	plan(&p, 8, ids, st);
	expect_order(&p, want, 5);
	assert_int_equal(p.c[3].reply_to, 0);
	assert_int_equal(p.c[3].wp_parent, 2);
	assert_int_equal(p.c[4].reply_to, WPC_NONE);
	assert_int_equal(p.c[4].wp_parent, WPC_NONE);
	assert_int_equal(p.c[5].reply_to, WPC_NONE);
	assert_int_equal(p.bad.n, 0);
	arena_free(&p.a);
}

static void
test_same_id(void **state)
{
	/* The first wanted one of the 5s wins, whatever comes before it. */
	static const long long ids[][2] = { { 5, 0 }, { 5, 0 }, { 2, 0 },
		{ 5, 0 }, { 2, 0 }, { 9, 5 } };
	static const enum wpc_state st[] = { L, W, W, W, W, W };
	static const size_t want[] = { 2, 1, 5 };
	struct plan p;

	(void)state;
	plan(&p, 6, ids, st);
	assert_int_equal(p.bad.n, 2);
	assert_int_equal(p.bad.i[0], 4); /* by id: 2 before 5 */
	assert_int_equal(p.bad.why[0], WPC_SAME_ID);
	assert_int_equal(p.bad.i[1], 3);
	assert_int_equal(p.bad.why[1], WPC_SAME_ID);
	assert_int_equal(p.c[3].state, WPC_BAD);
	assert_int_equal(p.c[4].state, WPC_BAD);
	expect_order(&p, want, 3);
	arena_free(&p.a);
}

static void
test_loops(void **state)
{
	/* 10 and 11 answer each other, 12 answers 10, 13 answers 12; 20 and
	 * 21 (left out) answer each other and 22 answers 20. */
	static const long long ids[][2] = { { 10, 11 }, { 11, 10 }, { 12, 10 },
		{ 13, 12 }, { 20, 21 }, { 21, 20 }, { 22, 20 }, { 1, 0 } };
	static const enum wpc_state st[] = { W, W, W, W, L, L, W, W };
	static const size_t want[] = { 7, 6 };
	struct plan p;
	size_t i;

	(void)state;
	plan(&p, 8, ids, st);
	assert_int_equal(p.bad.n, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(p.bad.i[i], i); /* in file order */
		assert_int_equal(p.bad.why[i], WPC_LOOP);
		assert_int_equal(p.c[i].state, WPC_BAD);
		assert_int_equal(p.c[i].depth_mark, WPC_LOOPS);
	}
	assert_int_equal(p.c[6].reply_to, WPC_NONE);
	expect_order(&p, want, 2);
	arena_free(&p.a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_thread),
		cmocka_unit_test(test_moves_up),
		cmocka_unit_test(test_same_id),
		cmocka_unit_test(test_loops),
	};

	return cmocka_run_group_tests_name("wp_comments", tests, NULL, NULL);
}
