/*
 * test_pg_literal.c: array literals and bytea hex (pg_literal.c): quoting
 * and escaping, NULL elements, empty arrays, arrays after other text, and
 * a buffer's cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "pg_literal.h"

#define BIG (1u << 20)

static void
expect_array(const char *const *s, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b, BIG);
	assert_true(pg_array(&b, s, n));
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void
test_array(void **state)
{
	static const char *const plain[] = { "a", "bc" };
	static const char *const odd[] = { "", "NULL", "{x,y}", " sp " };
	static const char *const esc[] = { "say \"hi\"", "back\\slash",
		"\\\"" };
	static const char *const nul[] = { NULL, "x", NULL };

	(void)state;
	expect_array(NULL, 0, "{}");
	expect_array(plain, 2, "{\"a\",\"bc\"}");
	expect_array(odd, 4, "{\"\",\"NULL\",\"{x,y}\",\" sp \"}");
	expect_array(esc, 3,
	    "{\"say \\\"hi\\\"\",\"back\\\\slash\","
	    "\"\\\\\\\"\"}");
	expect_array(nul, 3, "{NULL,\"x\",NULL}");
}

static void
test_parts(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, BIG);
	buf_puts(&b, "before ");
	pg_array_open(&b);
	pg_array_add(&b, NULL);
	pg_array_add(&b, "2");
	assert_true(pg_array_close(&b));
	assert_string_equal(b.data, "before {NULL,\"2\"}");
	buf_reset(&b);
	pg_array_open(&b);
	assert_true(pg_array_close(&b));
	assert_string_equal(b.data, "{}");
	buf_free(&b);
}

static void
test_cap(void **state)
{
	static const char *const s[] = { "0123456789" };
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_false(pg_array(&b, s, 1));
	buf_free(&b);
	buf_init(&b, 14);
	assert_true(pg_array(&b, s, 1));
	assert_string_equal(b.data, "{\"0123456789\"}");
	buf_free(&b);
}

static void
test_bytea(void **state)
{
	static const unsigned char bin[] = { 0x00, 0x0a, 0xff, 0x7f };
	char out[PG_BYTEA_HEX_SIZE(sizeof(bin))];

	(void)state;
	assert_int_equal(sizeof(out), 11);
	pg_bytea_hex(out, bin, sizeof(bin));
	assert_string_equal(out, "\\x000aff7f");
	pg_bytea_hex(out, bin, 0);
	assert_string_equal(out, "\\x");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_bytea),
	};

	return cmocka_run_group_tests_name("pg_literal", tests, NULL, NULL);
}
