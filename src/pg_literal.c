/*
 * pg_literal.c: values written as the text PostgreSQL reads for a
 * parameter.
 *
 * The importer sends a post's tags and comments as arrays, one parameter
 * each, which a statement unnests: one round trip for a whole batch.  An
 * element is always quoted, with '"' and '\' escaped, so no text (empty,
 * "NULL", braces, commas, white space) can change the array's shape; a
 * NULL pointer is the SQL NULL.  The same text serves text[], bigint[] or
 * any other array type, since PostgreSQL reads quoted elements by the
 * element type's own input function.
 */
#include <string.h>

#include <sodium.h>

#include "pg_literal.h"

/*
 * Start an array literal at the end of b.  Elements follow with
 * pg_array_add, and pg_array_close ends it.
 */
void
pg_array_open(struct buf *b)
{
	buf_append(b, "{", 1);
}

/*
 * Append the element s (NULL: an SQL NULL) to the array literal being
 * written at the end of b.  A failure is left in b->failed.
 */
void
pg_array_add(struct buf *b, const char *s)
{
	size_t n;

	/* Every element ends in '"' or "NULL": only the first follows '{'. */
	if (b->len > 0 && b->data[b->len - 1] != '{')
		buf_append(b, ",", 1);
	if (s == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_append(b, "\"", 1);
	while (*s != '\0') {
		n = strcspn(s, "\"\\");
		buf_append(b, s, n);
		if (s[n] == '\0')
			break;
		buf_append(b, "\\", 1);
		buf_append(b, s + n, 1);
		s += n + 1;
	}
	buf_append(b, "\"", 1);
}

/*
 * End the array literal being written in b.  Returns 1, or 0 when b's cap
 * or memory ran out at any point since b was last reset.
 */
int
pg_array_close(struct buf *b)
{
	buf_append(b, "}", 1);
	return !b->failed;
}

/*
 * Append to b the array literal of the n strings s (any may be NULL).
 * Returns 1, or 0 when b's cap or memory ran out.
 */
int
pg_array(struct buf *b, const char *const *s, size_t n)
{
	size_t i;

	pg_array_open(b);
	for (i = 0; i < n; i++)
		pg_array_add(b, s[i]);
	return pg_array_close(b);
}

/*
 * Write the n bytes bin as bytea hex text to out, which has room for
 * PG_BYTEA_HEX_SIZE(n) bytes.
 */
void
pg_bytea_hex(char *out, const unsigned char *bin, size_t n)
{
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, PG_BYTEA_HEX_SIZE(n) - 2, bin, n);
}
