/*
 * fuzz_form.c: libFuzzer harness for the comment form: the body decoder,
 * then the validation rules on whatever it decoded.  Invariants: decoded
 * values are valid UTF-8 without NUL, and validation never crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "form.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form_field f[5] = { { .name = "comment" }, { .name = "author" },
		{ .name = "email" }, { .name = "url" },
		{ .name = "form_token" } };
	struct comment_input in;
	struct arena a;
	size_t i;

	arena_init(&a, 4096);
	if (form_parse(&a, (const char *)data, size, f, 5) != FORM_NOMEM) {
		memset(&in, 0, sizeof(in));
		for (i = 0; i < 4; i++) {
			if (f[i].value != NULL &&
			    (!utf8_valid(f[i].value, f[i].len) ||
				strlen(f[i].value) != f[i].len))
				abort();
			in.v[i] = f[i].value;
			in.bad_encoding[i] = f[i].bad;
		}
		comment_validate(&in);
	}
	arena_free(&a);
	return 0;
}
