/*
 * test_comment.c: comment validation, email normalisation and hashing,
 * form tokens, and the form body decoder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "comment.h"
#include "form.h"
#include "identicon.h"
#include "keys.h"
#include "token.h"

static struct keys keys, other_keys;
static struct arena form_arena;

static int
setup(void **state)
{
	unsigned char secret[SECRET_KEY_BYTES];

	(void)state;
	if (sodium_init() < 0)
		return -1;
	arena_init(&form_arena, 1024);
	memset(secret, 7, sizeof(secret));
	if (!keys_derive(&keys, secret))
		return -1;
	memset(secret, 8, sizeof(secret));
	return keys_derive(&other_keys, secret) ? 0 : -1;
}

static int
validate(const char *comment, const char *author, const char *email,
    const char *url, struct comment_input *in)
{
	memset(in, 0, sizeof(*in));
	in->v[CF_COMMENT] = comment;
	in->v[CF_AUTHOR] = author;
	in->v[CF_EMAIL] = email;
	in->v[CF_URL] = url;
	return comment_validate(in);
}

static void
test_validate_ok(void **state)
{
	struct comment_input in;

	(void)state;
	assert_int_equal(validate("Thanks!", "Jo", "jo@example.com", NULL, &in),
	    0);
	assert_int_equal(validate("Line one\n\tLine two\r\n", "Zo\xc3\xab",
			     " JO@Example.COM ", "https://jo.example/blog?a=1",
			     &in),
	    0);
	assert_int_equal(validate("x", "Jo", "jo@example.com", "", &in), 0);
	assert_int_equal(
	    validate("x", "Jo", "jo@example.com", "HTTP://A.B", &in), 0);
}

static void
test_validate_errors(void **state)
{
	struct comment_input in;
	char *big;

	(void)state;
	assert_int_equal(validate(NULL, NULL, NULL, NULL, &in), 3);
	assert_non_null(in.err[CF_COMMENT]);
	assert_non_null(in.err[CF_AUTHOR]);
	assert_non_null(in.err[CF_EMAIL]);
	assert_null(in.err[CF_URL]);
	assert_int_equal(validate("  \n ", " ", "jo@example.com", NULL, &in),
	    2);

	assert_int_equal(validate("x", "Jo", "not-an-email", NULL, &in), 1);
	assert_non_null(strstr(in.err[CF_EMAIL], "valid email"));
	assert_int_equal(validate("x", "Jo", "a@b", NULL, &in), 1);
	assert_int_equal(validate("x", "Jo", "a@@b.com", NULL, &in), 1);
	assert_int_equal(validate("x", "Jo", "a b@c.com", NULL, &in), 1);
	assert_int_equal(validate("x", "Jo", "a@-b.com", NULL, &in), 1);
	assert_int_equal(validate("x", "Jo", "a@b..com", NULL, &in), 1);

	assert_int_equal(
	    validate("x", "Jo", "jo@example.com", "javascript:alert(1)", &in),
	    1);
	assert_non_null(strstr(in.err[CF_URL],
	    "website must start with http:// or https://"));
	assert_int_equal(validate("x", "Jo", "jo@example.com",
			     " JaVa\tScRiPt:alert(1)", &in),
	    1);
	assert_int_equal(
	    validate("x", "Jo", "jo@example.com", "data:text/html,hi", &in), 1);
	assert_int_equal(validate("x", "Jo", "jo@example.com", "//evil", &in),
	    1);
	assert_int_equal(validate("x", "Jo", "jo@example.com", "http://", &in),
	    1);

	assert_int_equal(validate("x", "Jo\nFake", "jo@example.com", NULL, &in),
	    1);
	assert_non_null(strstr(in.err[CF_AUTHOR], "invalid characters"));
	assert_int_equal(validate("bell\a", "Jo", "jo@example.com", NULL, &in),
	    1);

	big = malloc(COMMENT_MAX + 2);
	assert_non_null(big);
	memset(big, 'a', COMMENT_MAX);
	big[COMMENT_MAX] = '\0';
	assert_int_equal(validate(big, "Jo", "jo@example.com", NULL, &in), 0);
	big[COMMENT_MAX] = 'a';
	big[COMMENT_MAX + 1] = '\0';
	assert_int_equal(validate(big, "Jo", "jo@example.com", NULL, &in), 1);
	assert_non_null(strstr(in.err[CF_COMMENT], "too long"));
	memset(big, 'n', AUTHOR_MAX + 1);
	big[AUTHOR_MAX + 1] = '\0';
	assert_int_equal(validate("x", big, "jo@example.com", NULL, &in), 1);
	big[AUTHOR_MAX] = '\0';
	assert_int_equal(validate("x", big, "jo@example.com", NULL, &in), 0);
	free(big);

	memset(&in, 0, sizeof(in));
	in.v[CF_COMMENT] = "x";
	in.v[CF_AUTHOR] = "Jo";
	in.v[CF_EMAIL] = "jo@example.com";
	in.bad_encoding[CF_COMMENT] = 1;
	assert_int_equal(comment_validate(&in), 1);
	assert_non_null(strstr(in.err[CF_COMMENT], "invalid characters"));
}

static void
test_email_hash(void **state)
{
	unsigned char a[HASH_BYTES], b[HASH_BYTES], c[HASH_BYTES];
	char norm[64];

	(void)state;
	assert_int_equal(
	    email_normalize("  Jo@Example.COM\t", norm, sizeof(norm)), 14);
	assert_string_equal(norm, "jo@example.com");
	email_hash(&keys, "  Jo@Example.COM ", a);
	email_hash(&keys, "jo@example.com", b);
	assert_memory_equal(a, b, HASH_BYTES);
	email_hash(&keys, "jo2@example.com", c);
	assert_memory_not_equal(a, c, HASH_BYTES);
	email_hash(&other_keys, "jo@example.com", c);
	assert_memory_not_equal(a, c, HASH_BYTES); /* keyed */
	client_hash(&keys, "jo@example.com", c);
	assert_memory_not_equal(a, c, HASH_BYTES); /* per purpose */
}

static void
test_form_token(void **state)
{
	char tok[TOKEN_CHARS], bad[TOKEN_CHARS];
	unsigned char n1[NONCE_BYTES], n2[NONCE_BYTES];
	time_t t = 1800000000;

	(void)state;
	form_token_issue(&keys, 42, t, tok);
	assert_int_equal(form_token_check(&keys, 42, tok, t + 10, 3600, 3, n1),
	    TOKEN_OK);
	assert_int_equal(form_token_check(&keys, 42, tok, t + 1, 3600, 3, n2),
	    TOKEN_TOO_FAST);
	assert_memory_equal(n1, n2, NONCE_BYTES);
	assert_int_equal(
	    form_token_check(&keys, 42, tok, t + 3601, 3600, 3, n1),
	    TOKEN_EXPIRED);
	assert_int_equal(form_token_check(&keys, 43, tok, t + 10, 3600, 3, n1),
	    TOKEN_INVALID);
	assert_int_equal(
	    form_token_check(&other_keys, 42, tok, t + 10, 3600, 3, n1),
	    TOKEN_INVALID);
	strcpy(bad, tok);
	bad[5] = bad[5] == 'A' ? 'B' : 'A'; /* one flipped character */
	assert_int_equal(form_token_check(&keys, 42, bad, t + 10, 3600, 3, n1),
	    TOKEN_INVALID);
	assert_int_equal(form_token_check(&keys, 42, NULL, t, 3600, 3, n1),
	    TOKEN_INVALID);
	assert_int_equal(form_token_check(&keys, 42, "", t, 3600, 3, n1),
	    TOKEN_INVALID);
	assert_int_equal(form_token_check(&keys, 42, "!!!", t, 3600, 3, n1),
	    TOKEN_INVALID);
	form_token_issue(&keys, 42, t, bad);
	assert_string_not_equal(tok, bad); /* a fresh nonce each time */
}

static void
test_view_token(void **state)
{
	char tok[TOKEN_CHARS];
	time_t t = 1800000000;

	(void)state;
	view_token_issue(&keys, 7, t + 600, tok);
	assert_true(view_token_check(&keys, 7, tok, t));
	assert_false(view_token_check(&keys, 8, tok, t));
	assert_false(view_token_check(&keys, 7, tok, t + 601));
	assert_false(view_token_check(&other_keys, 7, tok, t));
	assert_false(view_token_check(&keys, 7, "junk", t));
}

static void
test_links_and_identicon(void **state)
{
	unsigned char h[HASH_BYTES];
	struct buf b;

	(void)state;
	assert_int_equal(comment_links("no links here"), 0);
	assert_int_equal(comment_links("see https://a.example and "
				       "HTTP://b.example"),
	    2);
	assert_int_equal(comment_links("httpx://no"), 0);
	memset(h, 0xa5, sizeof(h));
	buf_init(&b, 8192);
	identicon_svg(&b, h);
	assert_false(b.failed);
	/* The picture of this hash, byte for byte. */
	assert_string_equal(b.data,
	    "<svg class=\"avatar\" viewBox=\"0 0 5 5\" width=\"40\" "
	    "height=\"40\" aria-hidden=\"true\" focusable=\"false\"><rect "
	    "width=\"5\" height=\"5\" fill=\"hsl(285,45%,92%)\"/><path "
	    "fill=\"hsl(285,55%,35%)\" d=\"M0 0h1v1h-1zM4 0h1v1h-1zM0 2h1v1h-1z"
	    "M4 2h1v1h-1zM1 0h1v1h-1zM3 0h1v1h-1zM1 2h1v1h-1zM3 2h1v1h-1z"
	    "M1 3h1v1h-1zM3 3h1v1h-1zM2 0h1v1h-1zM2 3h1v1h-1z\"/></svg>");
	memset(h, 0, sizeof(h));
	buf_reset(&b);
	identicon_svg(&b, h);
	assert_non_null(strstr(b.data,
	    "fill=\"hsl(0,45%,92%)\"/><path "
	    "fill=\"hsl(0,55%,35%)\" d=\"\"/>"));
	buf_free(&b);
}

static void
parse_fields(const char *body, struct form_field *f, enum form_res want)
{
	f[0].name = "comment";
	f[1].name = "author";
	f[2].name = "email";
	assert_int_equal(form_parse(&form_arena, body, strlen(body), f, 3),
	    want);
}

static void
test_form_parse(void **state)
{
	struct form_field f[3];

	(void)state;
	parse_fields("comment=Hello+world%21&author=Zo%C3%AB&x=1", f, FORM_OK);
	assert_string_equal(f[0].value, "Hello world!");
	assert_string_equal(f[1].value, "Zo\xc3\xab");
	assert_null(f[2].value);

	parse_fields("comment=a%zzb&author=%4", f, FORM_BAD);
	assert_true(f[0].bad);
	assert_string_equal(f[0].value, "a%zzb"); /* kept, not dropped */
	assert_true(f[1].bad);
	assert_string_equal(f[1].value, "%4");

	parse_fields("comment=a%00b", f, FORM_BAD);
	assert_true(f[0].bad);
	assert_string_equal(f[0].value, "ab"); /* NUL removed */

	parse_fields("comment=%C0%BCx&author=%ED%A0%80&email=%F4%90%80%80", f,
	    FORM_BAD);
	assert_true(f[0].bad && f[1].bad && f[2].bad);
	assert_string_equal(f[0].value, "\xef\xbf\xbd\xef\xbf\xbdx");

	parse_fields("author=a&author=b&comment=", f, FORM_BAD);
	assert_true(f[1].repeated);
	assert_string_equal(f[1].value, "a");
	assert_string_equal(f[0].value, "");
	assert_false(f[0].bad);

	parse_fields("&&comment&=x", f, FORM_OK);
	assert_string_equal(f[0].value, "");
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&form_arena);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_errors),
		cmocka_unit_test(test_email_hash),
		cmocka_unit_test(test_form_token),
		cmocka_unit_test(test_view_token),
		cmocka_unit_test(test_links_and_identicon),
		cmocka_unit_test(test_form_parse),
	};

	return cmocka_run_group_tests_name("comment", tests, setup, teardown);
}
