/*
 * fuzz_template.c: libFuzzer harness for the template compiler and
 * renderer: any bytes compile or are refused, and what compiles renders
 * without crashing, leaking or recursing past its nesting.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ctemplate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
discard(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static TMPL_fmtlist *fl;
	struct TMPL_options opt = { "entity", NULL, 0, 0 };
	TMPL_varlist *vl, *row;
	TMPL_loop *loop;
	TMPL_template *t;

	if (fl == NULL)
		fl = TMPL_std_fmtlist();
	row = TMPL_add_var(NULL, "a", "<row>", "b", "", (char *)NULL);
	loop = TMPL_add_varlist(NULL, row);
	row = TMPL_add_var(NULL, "a", "2", (char *)NULL);
	loop = TMPL_add_varlist(loop, row);
	vl = TMPL_add_var(NULL, "x", "1", "y", "\"&'", "a", "0", (char *)NULL);
	vl = TMPL_add_loop(vl, "L", loop);
	t = TMPL_compile_string("fuzz", (const char *)data, size, fl, &opt,
	    NULL);
	if (t != NULL) {
		TMPL_render(t, vl, discard, NULL, NULL);
		TMPL_free_template(t);
	}
	opt.strict = 1;
	t = TMPL_compile_string("fuzz", (const char *)data, size, fl, &opt,
	    NULL);
	if (t != NULL)
		TMPL_free_template(t);
	TMPL_free_varlist(vl);
	return 0;
}
