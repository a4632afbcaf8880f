/*
 * test_ctemplate.c: unit tests for the template engine (src/ctemplate*.c):
 * every case of section 5 of the template spec (docs/templates.md in the
 * shared docs), numbered t05_NN after it, then the engine's own behaviour:
 * messages, includes, depth limits, compile-once, threads, buffers,
 * formats, arenas, strict and extension modes, and out of memory.
 *
 * Most cases run twice, through TMPL_write() and through compile + render
 * into a buffer, and both must agree.  Fixtures live in tests/unit/tmpl
 * (or $TMPL_FIXTURES, or the first argument); the tests chdir there because
 * the original resolves include paths against the current directory.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctemplate.h"

/* The CLI's fmtlist (entity and url, FILE* versions), built in main. */
static TMPL_fmtlist *cli_fl;
/* Absolute path of the fixtures directory. */
static char fixtures[PATH_MAX];

struct result {
	int rc;
	char *out;
	char *err;
};

static FILE *
mopen(char **buf, size_t *len)
{
	FILE *f;

	*buf = NULL;
	*len = 0;
	f = open_memstream(buf, len);
	assert_non_null(f);
	return f;
}

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* TMPL_write() of the string tmpl (or the file named file when NULL). */
static void
run_write(const char *file, const char *tmpl, const TMPL_fmtlist *fl,
    const TMPL_varlist *vl, struct result *r)
{
	size_t ol, el;
	FILE *o, *e;

	o = mopen(&r->out, &ol);
	e = mopen(&r->err, &el);
	r->rc = TMPL_write(file, tmpl, fl, vl, o, e);
	fclose(o);
	fclose(e);
}

/* Compile, render into a TMPL_buf, free. */
static void
run_compiled(const char *file, const char *tmpl, const TMPL_fmtlist *fl,
    const struct TMPL_options *opt, const TMPL_varlist *vl, struct result *r)
{
	struct TMPL_buf b;
	TMPL_template *t;
	size_t el;
	FILE *e;

	memset(&b, 0, sizeof(b));
	e = mopen(&r->err, &el);
	if (tmpl != NULL)
		t = TMPL_compile_string(file, tmpl, strlen(tmpl), fl, opt, e);
	else
		t = TMPL_compile_file(file, fl, opt, e);
	if (t == NULL) {
		r->rc = -1;
		r->out = strdup("");
	} else {
		r->rc = TMPL_render_buf(t, vl, &b, e);
		r->out = strdup(b.data != NULL ? b.data : "");
		TMPL_buf_free(&b);
		TMPL_free_template(t);
	}
	fclose(e);
	assert_non_null(r->out);
}

/*
 * Render through both entry points: both must give out and rc;
 * TMPL_write's messages must be err exactly (when err is not NULL), and
 * the compiled path's too when cerr is set.
 */
static void
expect_x(const char *file, const char *tmpl, const TMPL_varlist *vl,
    const char *out, int rc, const char *err, int cerr)
{
	struct result r;

	run_write(file, tmpl, cli_fl, vl, &r);
	assert_string_equal(r.out, out);
	assert_int_equal(r.rc, rc);
	if (err != NULL)
		assert_string_equal(r.err, err);
	result_free(&r);
	run_compiled(file, tmpl, cli_fl, NULL, vl, &r);
	assert_string_equal(r.out, out);
	assert_int_equal(r.rc, rc);
	if (err != NULL && cerr)
		assert_string_equal(r.err, err);
	result_free(&r);
}

static void
expect(const char *tmpl, const TMPL_varlist *vl, const char *out)
{
	expect_x(NULL, tmpl, vl, out, 0, "", 1);
}

static void
expect_err(const char *tmpl, const TMPL_varlist *vl, const char *out, int rc,
    const char *err)
{
	expect_x(NULL, tmpl, vl, out, rc, err, 1);
}

/* The data of upstream test #34: loop1 with four rows, var1 outside. */
static TMPL_varlist *
data_loop1(void)
{
	TMPL_loop *l;

	l = TMPL_add_varlist(NULL,
	    TMPL_add_var(NULL, "var1", "value1", "var2", "value2",
		(char *)NULL));
	TMPL_add_varlist(l,
	    TMPL_add_var(NULL, "var1", "value3", "var2", "value4",
		(char *)NULL));
	TMPL_add_varlist(l, TMPL_add_var(NULL, "var1", "value5", (char *)NULL));
	TMPL_add_varlist(l, TMPL_add_var(NULL, "var2", "value6", (char *)NULL));
	return TMPL_add_loop(
	    TMPL_add_var(NULL, "var1", "outervalue", (char *)NULL), "loop1", l);
}

/* A loop named name with one row per value, each setting key. */
static TMPL_loop *
rows(const char *key, ...)
{
	TMPL_loop *l = NULL;
	const char *v;
	va_list ap;

	va_start(ap, key);
	while ((v = va_arg(ap, char *)) != NULL)
		l = TMPL_add_varlist(l,
		    TMPL_add_var(NULL, key, v, (char *)NULL));
	va_end(ap);
	return l;
}

/* ---- section 5 ---------------------------------------------------- */

static void
t05_01_plain_text(void **state)
{
	(void)state;
	expect("", NULL, "");
	expect("X", NULL, "X");
	expect("plain text\nwith lines\n\n and < > & \"quotes\"\n", NULL,
	    "plain text\nwith lines\n\n and < > & \"quotes\"\n");
}

static void
t05_02_var_forms(void **state)
{
	static const char *const forms[] = {
		"X<TMPL_VAR name=\"var\">X",
		"X<TMPL_VAR name=var>X",
		"X<TMPL_VAR name='var'>X",
		"X<tmpl_var NAME=\"var\">X",
		"X<TmPl_VaR nAmE=\"var\">X",
		"X<TMPL_VAR name=\"var\"/>X",
		"X<TMPL_VAR name=\"var\" />X",
		"X<TMPL_VAR   name = \"var\"   >X",
		"X<TMPL_VAR\nname\n=\n\"var\"\n>X",
		"X<TMPL_VAR\tname=var\t/>X",
		"X<!--TMPL_VAR name=\"var\"-->X",
		"X<!-- TMPL_VAR name=\"var\" -->X",
		"X<!--   tmpl_var name='var'-->X",
		"X<!--\nTMPL_VAR name=var -->X",
		"X<!-- TMPL_VAR name=\"var\" /-->X",
	};
	TMPL_varlist *vl;
	size_t i;

	(void)state;
	vl = TMPL_add_var(NULL, "var", "testvalue", (char *)NULL);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		expect(forms[i], vl, "XtestvalueX");
	TMPL_free_varlist(vl);
}

static void
t05_03_var_absent(void **state)
{
	(void)state;
	expect("X<TMPL_VAR name=\"var\">X", NULL, "XX");
	expect("X<!-- TMPL_VAR name=\"var\" -->X<TMPL_VAR name=var/>X", NULL,
	    "XXX");
}

static void
t05_04_default(void **state)
{
	(void)state;
	expect("<TMPL_VAR name=\"bogus\" default=\"DEFAULT\">", NULL,
	    "DEFAULT");
	expect("<TMPL_VAR default=\"DEFAULT\" name=\"bogus\">", NULL,
	    "DEFAULT");
	expect("<TMPL_VAR DEFAULT=DEFAULT NAME=bogus>", NULL, "DEFAULT");
}

static void
t05_05_default_not_for_empty(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "x", "", (char *)NULL);
	expect("[<TMPL_VAR name=x default=D>]", vl, "[]");
	TMPL_free_varlist(vl);
}

static void
t05_06_fmt_entity(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "var", "<\"test&value\">", (char *)NULL);
	expect("<TMPL_VAR name=\"var\" fmt=\"entity\">", vl,
	    "&lt;&quot;test&amp;value&quot;&gt;");
	expect("<TMPL_VAR name=\"bogus\" default=\"<<DEFAULT>>\" "
	       "fmt=\"entity\">",
	    vl, "&lt;&lt;DEFAULT&gt;&gt;");
	expect("<TMPL_VAR fmt=\"url\" name=\"var\">", vl,
	    "%3C%22test%26value%22%3E");
	/* Without fmt nothing is escaped. */
	expect("<TMPL_VAR name=\"var\">", vl, "<\"test&value\">");
	TMPL_free_varlist(vl);
}

static void
t05_07_quoting(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "var", "v", "d", "x", (char *)NULL);
	expect("<TMPL_VAR name=\"var\">|<TMPL_VAR name='var'>|"
	       "<TMPL_VAR name=var>|<TMPL_VAR name=\"bogus\" default='D'>|"
	       "<TMPL_VAR name='bogus' default=D>",
	    vl, "v|v|v|D|D");
	TMPL_free_varlist(vl);
}

static void
t05_08_bad_attributes(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "var", "v", (char *)NULL);
	expect_err("a<TMPL_VAR name=\"var\" fmt=\"bogus1\">b", vl,
	    "a<TMPL_VAR name=\"var\" fmt=\"bogus1\">b", 0,
	    "Ignoring bad TMPL_VAR tag (bad \"fmt=\" attribute) in file "
	    "\"(none)\" line 1\n");
	expect_err("a<TMPL_VAR name=\"var\" escape=html>b", vl,
	    "a<TMPL_VAR name=\"var\" escape=html>b", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect_err("a<TMPL_VAR name=\"var\" name=\"var\">b", vl,
	    "a<TMPL_VAR name=\"var\" name=\"var\">b", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	/* Case folds for attribute names, so this is a repeat too. */
	expect_err("<TMPL_VAR name=var NAME=var>", vl,
	    "<TMPL_VAR name=var NAME=var>", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	/* fmt names are case-sensitive. */
	expect_err("<TMPL_VAR name=var fmt=Entity>", vl,
	    "<TMPL_VAR name=var fmt=Entity>", 0,
	    "Ignoring bad TMPL_VAR tag (bad \"fmt=\" attribute) in file "
	    "\"(none)\" line 1\n");
	TMPL_free_varlist(vl);
}

static void
t05_09_unquoted_limits(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "my_var", "M", "x", "X", "a.b-c", "ABC",
	    (char *)NULL);
	expect_err("<TMPL_VAR name=my_var>", vl, "<TMPL_VAR name=my_var>", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect("<TMPL_VAR name=\"my_var\">", vl, "M");
	expect_err("<!--TMPL_VAR name=x-->", vl, "<!--TMPL_VAR name=x-->", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect("<!--TMPL_VAR name=x -->", vl, "X");
	expect("<TMPL_VAR name=a.b-c>", vl, "ABC");
	TMPL_free_varlist(vl);
}

static void
t05_10_not_tags(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "x", "X", (char *)NULL);
	/* No tag name right after '<' (or '</'): text, no warning. */
	expect("< TMPL_VAR name=x>", vl, "< TMPL_VAR name=x>");
	expect("</ TMPL_IF>", vl, "</ TMPL_IF>");
	/* A tag name, badly formed: text, with a warning. */
	expect_err("<TMPL_VARname=x>", vl, "<TMPL_VARname=x>", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect_err("<TMPL_IF name=x/>", vl, "<TMPL_IF name=x/>", 0,
	    "Ignoring bad TMPL_IF tag in file \"(none)\" line 1\n");
	expect_err("<!--TMPL_VAR name=\"x\">", vl, "<!--TMPL_VAR name=\"x\">",
	    0, "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect_err("<!-- TMPL_VAR name=\"x\" />", vl,
	    "<!-- TMPL_VAR name=\"x\" />", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	/* An ordinary HTML comment, with a tag inside it. */
	expect("<!-- <TMPL_VAR name=x> -->", vl, "<!-- X -->");
	TMPL_free_varlist(vl);
}

static void
t05_11_unknown_tag_silent(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "x", "X", (char *)NULL);
	expect("<TMPL_UNLESS name=x>no</TMPL_UNLESS>", vl,
	    "<TMPL_UNLESS name=x>no</TMPL_UNLESS>");
	expect("<TMPL_FOO><!-- TMPL_BAR -->", vl,
	    "<TMPL_FOO><!-- TMPL_BAR -->");
	TMPL_free_varlist(vl);
}

static void
t05_12_newest_duplicate_wins(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "var1", "value 1", "var2", "value 2",
	    (char *)NULL);
	vl = TMPL_add_var(vl, "var3", "value 3", "var1", "value 4",
	    (char *)NULL);
	expect("<TMPL_VAR name=var1>", vl, "value 4");
	TMPL_free_varlist(vl);
}

static void
t05_13_comments(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "var", "V", (char *)NULL);
	expect("a<* comment *>b", vl, "ab");
	expect("a<* <TMPL_VAR name=var> <TMPL_IF name=x> *>b", vl, "ab");
	expect("a<* 1 *><* 2 *><* 3 *>b", vl, "ab");
	expect("a<*\n\nmulti\nline\n*>b\n<TMPL_VAR name=var>", vl, "ab\nV");
	expect("a *> b", vl, "a *> b");
	expect("<<**>*", vl, "<*");
	expect("<*>*>", vl, "");
	TMPL_free_varlist(vl);
}

static void
t05_14_comments_do_not_nest(void **state)
{
	(void)state;
	expect("<* a <* b *> c *>", NULL, " c *>");
}

static void
t05_15_unterminated_comment(void **state)
{
	(void)state;
	expect_err("a<*unterminated", NULL, "", -1,
	    "\"<*\" in file \"(none)\" line 1 has no \"*>\"\n");
	expect_err("a\nb\n<* x <* y\n", NULL, "", -1,
	    "\"<*\" in file \"(none)\" line 3 has no \"*>\"\n");
	expect_x("t.tmpl", "x<TMPL_VAR name=a>\n\n  <*", NULL, "", -1,
	    "\"<*\" in file \"t.tmpl\" line 3 has no \"*>\"\n", 1);
}

static void
t05_16_backslashes(void **state)
{
	(void)state;
	expect("a\\\nb", NULL, "ab");
	expect("a\\\\\nb", NULL, "a\\\nb");
	expect("a\\\\\\\nb", NULL, "a\\\\\nb");
	expect("a\\\\\\\\\nb", NULL, "a\\\\\\\nb");
	expect("a\\b\\ c\\", NULL, "a\\b\\ c\\");
	expect("a\\\r\nb", NULL, "ab");
	expect("a\\\\\r\nb", NULL, "a\\\r\nb");
	expect("a\\\rb", NULL, "a\\\rb");
	expect("line one \\\nline two\n", NULL, "line one line two\n");
	/* Only inside one run of text: before a tag or comment, literal. */
	expect("a\\<TMPL_VAR name=x>\nb", NULL, "a\\\nb");
	expect("a\\<* c *>\nb", NULL, "a\\\nb");
	expect("<TMPL_VAR name=x>\\\nb", NULL, "b");
}

static void
t05_17_if_truth_table(void **state)
{
	static const struct {
		const char *tmpl;
		const char *out;
	} cases[] = {
		{ "<TMPL_IF name=var>T<TMPL_ELSE>F</TMPL_IF>", "T" },
		{ "<TMPL_IF name=bogus>T<TMPL_ELSE>F</TMPL_IF>", "F" },
		{ "<TMPL_IF name=null>T<TMPL_ELSE>F</TMPL_IF>", "F" },
		{ "<TMPL_IF name=var value=\"\">T<TMPL_ELSE>F</TMPL_IF>", "F" },
		{ "<TMPL_IF name=null value=\"\">T<TMPL_ELSE>F</TMPL_IF>",
		    "T" },
		{ "<TMPL_IF name=bogus value=''>T<TMPL_ELSE>F</TMPL_IF>", "T" },
		{ "<TMPL_IF name=var value=\"testvalue\">T<TMPL_ELSE>F"
		  "</TMPL_IF>",
		    "T" },
		{ "<TMPL_IF name=var value=\"wrong\">T<TMPL_ELSE>F</TMPL_IF>",
		    "F" },
		{ "<TMPL_IF name=var value=\"TESTVALUE\">T<TMPL_ELSE>F"
		  "</TMPL_IF>",
		    "F" },
		{ "<TMPL_IF name=var2 value=testvalue2>T</TMPL_IF>", "T" },
		{ "<TMPL_IF value=testvalue name=var>T</TMPL_IF>", "T" },
		{ "<TMPL_IF name=bogus value=x>T<TMPL_ELSE>F</TMPL_IF>", "F" },
		{ "<!-- TMPL_IF name=var -->T<!-- TMPL_ELSE -->F"
		  "<!-- /TMPL_IF -->",
		    "T" },
		{ "<TMPL_IF name=var>T<TMPL_ELSE/>F</TMPL_IF>", "T" },
	};
	TMPL_varlist *vl;
	size_t i;

	(void)state;
	vl = TMPL_add_var(NULL, "var", "testvalue", "var2", "testvalue2",
	    "null", "", (char *)NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(cases[i].tmpl, vl, cases[i].out);
	TMPL_free_varlist(vl);
}

static void
t05_18_zero_is_true(void **state)
{
	static const char *const values[] = { "0", " ", "" };
	static const char *const outs[] = { "T", "T", "F" };
	TMPL_varlist *vl;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		vl = TMPL_add_var(NULL, "x", values[i], (char *)NULL);
		expect("<TMPL_IF name=x>T<TMPL_ELSE>F</TMPL_IF>", vl, outs[i]);
		TMPL_free_varlist(vl);
	}
}

static void
t05_19_elsif_chains(void **state)
{
	TMPL_varlist *vl;
	const char *chain =
	    "<TMPL_IF name=bogus>A<TMPL_ELSIF name=null>B"
	    "<TMPL_ELSIF name=var>C<TMPL_ELSIF name=var2>D<TMPL_ELSE>E"
	    "</TMPL_IF>";

	(void)state;
	vl = TMPL_add_var(NULL, "var", "testvalue", "var2", "testvalue2",
	    "null", "", (char *)NULL);
	expect(chain, vl, "C");
	expect("<TMPL_IF name=bogus>A<TMPL_ELSIF name=null>B<TMPL_ELSE>E"
	       "</TMPL_IF>",
	    vl, "E");
	expect("<TMPL_IF name=bogus>A<TMPL_ELSIF name=null>B</TMPL_IF>", vl,
	    "");
	expect("<TMPL_IF name=var>A<TMPL_ELSIF name=var2>B<TMPL_ELSE>E"
	       "</TMPL_IF>",
	    vl, "A");
	expect("<TMPL_IF name=bogus>A<TMPL_ELSIF name=var2 value=testvalue2/>"
	       "B<TMPL_ELSIF name=var>C</TMPL_IF>",
	    vl, "B");
	expect("<TMPL_IF name=var>1<TMPL_IF name=bogus>2<TMPL_ELSE>3"
	       "<TMPL_IF name=var2 value=testvalue2>4<TMPL_ELSIF name=var>5"
	       "</TMPL_IF>6</TMPL_IF>7<TMPL_ELSE>8</TMPL_IF>9",
	    vl, "134679");
	expect("<TMPL_IF name=bogus>1<TMPL_IF name=var>2</TMPL_IF>3"
	       "<TMPL_ELSIF name=var>4<TMPL_IF name=null>5<TMPL_ELSE>6"
	       "</TMPL_IF>7</TMPL_IF>",
	    vl, "467");
	TMPL_free_varlist(vl);
}

static void
t05_20_if_on_loop(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_loop(NULL, "L", rows("a", "1", (char *)NULL));
	expect("<TMPL_IF name=L>T<TMPL_ELSE>F</TMPL_IF>", vl, "T");
	expect("<TMPL_IF name=L value=\"\">T<TMPL_ELSE>F</TMPL_IF>", vl, "F");
	expect("<TMPL_IF name=L value=\"1\">T<TMPL_ELSE>F</TMPL_IF>", vl, "F");
	expect("[<TMPL_VAR name=L>]", vl, "[]");
	expect("[<TMPL_VAR name=L default=D>]", vl, "[D]");
	TMPL_free_varlist(vl);
}

static void
t05_21_loop_rows_and_fallback(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = data_loop1();
	expect("<TMPL_LOOP name=loop1>[<TMPL_VAR name=var1>,"
	       "<TMPL_VAR name=var2>]</TMPL_LOOP>",
	    vl, "[value1,value2][value3,value4][value5,][outervalue,value6]");
	expect("<TMPL_VAR name=var1><TMPL_LOOP name=\"loop1\"></TMPL_LOOP>"
	       "<TMPL_VAR name=var1>",
	    vl, "outervalueoutervalue");
	TMPL_free_varlist(vl);
}

static void
t05_22_loop_missing(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = data_loop1();
	expect("a<TMPL_LOOP name=bogus>x</TMPL_LOOP>b", vl, "ab");
	expect("a<TMPL_LOOP name=var1>x</TMPL_LOOP>b", vl, "ab");
	expect("a<TMPL_LOOP name=bogus><TMPL_LOOP name=loop1>x</TMPL_LOOP>"
	       "</TMPL_LOOP>b",
	    vl, "ab");
	TMPL_free_varlist(vl);
}

static void
t05_23_loop_inside_itself(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = data_loop1();
	/*
	 * The inner loop1 is found in the root list, so its rows' scope goes
	 * on to the root list (the list holding the loop), not to the outer
	 * row: var2 of the outer row is not seen by the inner row 3.
	 */
	expect(
	    "<TMPL_LOOP name=loop1>{<TMPL_VAR name=var1>:"
	    "<TMPL_LOOP name=loop1><TMPL_VAR name=var1>/<TMPL_VAR name=var2>;"
	    "</TMPL_LOOP>}</TMPL_LOOP>",
	    vl,
	    "{value1:value1/value2;value3/value4;value5/;outervalue/value6;}"
	    "{value3:value1/value2;value3/value4;value5/;outervalue/value6;}"
	    "{value5:value1/value2;value3/value4;value5/;outervalue/value6;}"
	    "{outervalue:value1/value2;value3/value4;value5/;"
	    "outervalue/value6;}");
	TMPL_free_varlist(vl);
}

static void
t05_24_nested_loops(void **state)
{
	TMPL_varlist *vl, *r1, *r2;
	TMPL_loop *outer, *inner;

	(void)state;
	inner = TMPL_add_varlist(NULL,
	    TMPL_add_var(NULL, "var2", "i1", (char *)NULL));
	TMPL_add_varlist(inner,
	    TMPL_add_var(NULL, "var2", "i2", "var1", "own", (char *)NULL));
	r1 = TMPL_add_loop(TMPL_add_var(NULL, "var1", "o1", (char *)NULL),
	    "inner", inner);
	r2 = TMPL_add_var(NULL, "var1", "o2", (char *)NULL);
	outer = TMPL_add_varlist(NULL, r1);
	TMPL_add_varlist(outer, r2);
	vl = TMPL_add_loop(TMPL_add_var(NULL, "var2", "root", (char *)NULL),
	    "outer", outer);
	expect(
	    "<TMPL_LOOP name=outer><TMPL_VAR name=var1>:"
	    "<TMPL_LOOP name=inner>(<TMPL_VAR name=var1>,<TMPL_VAR name=var2>)"
	    "</TMPL_LOOP>;</TMPL_LOOP>",
	    vl, "o1:(o1,i1)(own,i2);o2:;");
	TMPL_free_varlist(vl);
}

static void
t05_25_include_in_loop(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = data_loop1();
	expect_x("loop_inc.tmpl", NULL, vl,
	    "(value1,value2)(value3,value4)(value5,)(outervalue,value6)", 0, "",
	    1);
	TMPL_free_varlist(vl);
}

/* Three nested loops of two rows each, A > B > C, as upstream test #38. */
static TMPL_varlist *
data_abc(void)
{
	TMPL_loop *a = NULL, *b, *c;
	const char *v[2] = { "1", "2" };
	int i, j, k;

	for (i = 0; i < 2; i++) {
		b = NULL;
		for (j = 0; j < 2; j++) {
			c = NULL;
			for (k = 0; k < 2; k++)
				c = TMPL_add_varlist(c,
				    TMPL_add_var(NULL, "c", v[k],
					(char *)NULL));
			b = TMPL_add_varlist(b,
			    TMPL_add_loop(
				TMPL_add_var(NULL, "b", v[j], (char *)NULL),
				"C", c));
		}
		a = TMPL_add_varlist(a,
		    TMPL_add_loop(TMPL_add_var(NULL, "a", v[i], (char *)NULL),
			"B", b));
	}
	return TMPL_add_loop(NULL, "A", a);
}

static void
t05_26_break_continue_levels(void **state)
{
	static const struct {
		const char *tag;
		const char *out;
	} cases[] = {
		{ "", "a1[b1[c1.c2.]b2[c1.c2.]]a2[b1[c1.c2.]b2[c1.c2.]]|" },
		{ "<TMPL_BREAK>", "a1[b1[c1]b2[c1]]a2[b1[c1]b2[c1]]|" },
		{ "<TMPL_BREAK level=1>", "a1[b1[c1]b2[c1]]a2[b1[c1]b2[c1]]|" },
		{ "<TMPL_BREAK level=2>", "a1[b1[c1]a2[b1[c1]|" },
		{ "<TMPL_BREAK level=\"3\"/>", "a1[b1[c1|" },
		{ "<TMPL_CONTINUE>",
		    "a1[b1[c1c2.]b2[c1c2.]]a2[b1[c1c2.]b2[c1c2.]]|" },
		{ "<TMPL_CONTINUE level=2>", "a1[b1[c1b2[c1]a2[b1[c1b2[c1]|" },
		{ "<!-- TMPL_CONTINUE level=3 -->", "a1[b1[c1a2[b1[c1|" },
	};
	TMPL_varlist *vl;
	char tmpl[512];
	size_t i;

	(void)state;
	vl = data_abc();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(tmpl, sizeof(tmpl),
		    "<TMPL_LOOP name=A>a"
		    "<TMPL_VAR name=a>[<TMPL_LOOP name=B>b<TMPL_VAR name=b>["
		    "<TMPL_LOOP name=C>c<TMPL_VAR name=c><TMPL_IF name=c "
		    "value=1>%s</TMPL_IF>.</TMPL_LOOP>]</TMPL_LOOP>]"
		    "</TMPL_LOOP>|",
		    cases[i].tag);
		expect(tmpl, vl, cases[i].out);
	}
	TMPL_free_varlist(vl);
}

static void
t05_27_continue_skips_row(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_loop(NULL, "L", rows("a", "1", "2", "3", (char *)NULL));
	expect("<TMPL_LOOP name=L><TMPL_IF name=a value=2><TMPL_CONTINUE>"
	       "</TMPL_IF><TMPL_VAR name=a></TMPL_LOOP>",
	    vl, "13");
	expect("<TMPL_LOOP name=L><TMPL_IF name=a value=2><TMPL_BREAK>"
	       "</TMPL_IF><TMPL_VAR name=a></TMPL_LOOP>",
	    vl, "1");
	TMPL_free_varlist(vl);
}

static void
t05_28_bad_break_continue(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_loop(NULL, "L", rows("a", "1", (char *)NULL));
	expect_err("a<TMPL_BREAK>b", vl, "a<TMPL_BREAK>b", 0,
	    "Ignoring bad TMPL_BREAK tag (not inside a loop) in file "
	    "\"(none)\" line 1\n");
	expect_err("<TMPL_CONTINUE/>", vl, "<TMPL_CONTINUE/>", 0,
	    "Ignoring bad TMPL_CONTINUE tag (not inside a loop) in file "
	    "\"(none)\" line 1\n");
	expect_err("<TMPL_LOOP name=L><TMPL_BREAK level=0></TMPL_LOOP>", vl,
	    "<TMPL_BREAK level=0>", 0,
	    "Ignoring bad TMPL_BREAK tag (bad \"level=\" attribute) in file "
	    "\"(none)\" line 1\n");
	expect_err("<TMPL_LOOP name=L>\n<TMPL_BREAK level=2>\n</TMPL_LOOP>", vl,
	    "\n<TMPL_BREAK level=2>\n", 0,
	    "Ignoring bad TMPL_BREAK tag (bad \"level=\" attribute) in file "
	    "\"(none)\" line 2\n");
	expect_err("<TMPL_LOOP name=L><TMPL_CONTINUE level=\"non-numeric\">"
		   "</TMPL_LOOP>",
	    vl, "<TMPL_CONTINUE level=\"non-numeric\">", 0,
	    "Ignoring bad TMPL_CONTINUE tag (bad \"level=\" attribute) in "
	    "file \"(none)\" line 1\n");
	expect_err("<TMPL_LOOP name=L><TMPL_BREAK level=\"\"></TMPL_LOOP>", vl,
	    "<TMPL_BREAK level=\"\">", 0,
	    "Ignoring bad TMPL_BREAK tag (bad \"level=\" attribute) in file "
	    "\"(none)\" line 1\n");
	expect_err("<TMPL_LOOP name=L><TMPL_BREAK name=x></TMPL_LOOP>", vl,
	    "<TMPL_BREAK name=x>", 0,
	    "Ignoring bad TMPL_BREAK tag in file \"(none)\" line 1\n");
	TMPL_free_varlist(vl);
}

static void
t05_29_break_in_include(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_loop(NULL, "L", rows("a", "1", "2", (char *)NULL));
	/* Parsed once per call, so one warning for two rows. */
	expect_x("loop_break_inc.tmpl", NULL, vl, "1<TMPL_BREAK>2<TMPL_BREAK>",
	    0,
	    "Ignoring bad TMPL_BREAK tag (not inside a loop) in file "
	    "\"inc/brk.tmpl\" line 1\n",
	    1);
	TMPL_free_varlist(vl);
}

static void
t05_30_include_paths(void **state)
{
	TMPL_varlist *vl;
	char abs[PATH_MAX + 64];

	(void)state;
	vl = TMPL_add_var(NULL, "var1", "v", (char *)NULL);
	expect_x("top_plain.tmpl", NULL, vl, "A[v]B[v]C", 0, "", 1);
	expect_x("inc/top_dots.tmpl", NULL, vl, "A[v]B(leaf{leaf2 v})C", 0, "",
	    1);
	snprintf(abs, sizeof(abs), "%s/inc/top_dots.tmpl", fixtures);
	expect_x(abs, NULL, vl, "A[v]B(leaf{leaf2 v})C", 0, "", 1);
	snprintf(abs, sizeof(abs), "%s/top_nodir.tmpl", fixtures);
	expect_x(abs, NULL, vl, "N[v]N", 0, "", 1);
	/* No '/' in the name: ".../" is dropped. */
	expect_x("top_nodir.tmpl", NULL, vl, "N[v]N", 0, "", 1);
	/* A string template: the name only anchors ".../". */
	expect_x("inc/whatever", "<TMPL_INCLUDE name=\".../body.tmpl\"/>", vl,
	    "[v]", 0, "", 1);
	expect_x(NULL, "<TMPL_INCLUDE name=\".../inc/body.tmpl\">", vl, "[v]",
	    0, "", 1);
	TMPL_free_varlist(vl);
}

static void
t05_31_include_cycles(void **state)
{
	const char *tag = "<TMPL_INCLUDE name=\".../self.tmpl\">";
	char *want;
	size_t i, n = 0;

	(void)state;
	want = malloc(31 * 2 + strlen(tag) + 1);
	assert_non_null(want);
	for (i = 0; i < 31; i++)
		want[n++] = 'x';
	memcpy(want + n, tag, strlen(tag));
	n += strlen(tag);
	for (i = 0; i < 31; i++)
		want[n++] = 'y';
	want[n] = '\0';
	expect_x("cycle/self.tmpl", NULL, NULL, want, 0,
	    "Ignoring bad TMPL_INCLUDE tag (check for include cycle) in file "
	    "\"cycle/self.tmpl\" line 1\n",
	    0);
	n = 0;
	for (i = 0; i < 15; i++) {
		want[n++] = 'A';
		want[n++] = 'B';
	}
	want[n++] = 'A';
	strcpy(want + n, "<TMPL_INCLUDE name=\"cycle/b.tmpl\">");
	expect_x("cycle/a.tmpl", NULL, NULL, want, 0,
	    "Ignoring bad TMPL_INCLUDE tag (check for include cycle) in file "
	    "\"cycle/a.tmpl\" line 1\n",
	    0);
	free(want);
}

static void
t05_32_missing_include(void **state)
{
	(void)state;
	expect_x("missing.tmpl", NULL, NULL, "before", -1,
	    "C Template library: failed to read template from file "
	    "\"does/not/exist.tmpl\"\n",
	    0);
	/* Not a regular file. */
	expect_x("dir_inc.tmpl", NULL, NULL, "before", -1,
	    "C Template library: failed to read template from file "
	    "\"inc\"\n",
	    0);
	/* A syntax error inside an include is found when it is reached. */
	expect_x("broken_inc.tmpl", NULL, NULL, "before", -1,
	    "TMPL_IF tag in file \"inc/broken.tmpl\" line 2 has no /TMPL_IF "
	    "tag\n",
	    0);
}

static void
t05_33_missing_include_not_reached(void **state)
{
	(void)state;
	expect_x("missing_if.tmpl", NULL, NULL, "ab", 0, "", 0);
}

static void
t05_34_unclosed(void **state)
{
	(void)state;
	expect_err("a<TMPL_IF name=x>b", NULL, "", -1,
	    "TMPL_IF tag in file \"(none)\" line 1 has no /TMPL_IF tag\n");
	expect_err("a\n\n<TMPL_LOOP\nname=x>b\n", NULL, "", -1,
	    "TMPL_LOOP tag in file \"(none)\" line 3 has no /TMPL_LOOP "
	    "tag\n");
	/* Innermost first. */
	expect_err("<TMPL_IF name=a>\n<TMPL_LOOP name=b>\n", NULL, "", -1,
	    "TMPL_LOOP tag in file \"(none)\" line 2 has no /TMPL_LOOP tag\n"
	    "TMPL_IF tag in file \"(none)\" line 1 has no /TMPL_IF tag\n");
	/* A /TMPL_IF with attributes is a bad tag, so it does not close. */
	expect_err("<TMPL_IF name=a>x</TMPL_IF name=a>", NULL, "", -1,
	    "Ignoring bad /TMPL_IF tag in file \"(none)\" line 1\n"
	    "TMPL_IF tag in file \"(none)\" line 1 has no /TMPL_IF tag\n");
	/* Recovery: /TMPL_LOOP closes the loop and ends the IF in it. */
	expect_err("<TMPL_LOOP name=l>\n<TMPL_IF name=a>\n</TMPL_LOOP>", NULL,
	    "", -1,
	    "TMPL_IF tag in file \"(none)\" line 2 has no /TMPL_IF "
	    "tag\n");
	expect_x("f.tmpl", "<TMPL_IF name=a>", NULL, "", -1,
	    "TMPL_IF tag in file \"f.tmpl\" line 1 has no /TMPL_IF tag\n", 1);
}

static void
t05_35_unexpected(void **state)
{
	(void)state;
	expect_err("<TMPL_IF name=a>x<TMPL_ELSE>y<TMPL_ELSIF name=b>z"
		   "</TMPL_IF>",
	    NULL, "", -1,
	    "Unexpected TMPL_ELSIF tag in file \"(none)\" line 1\n");
	expect_err("<TMPL_IF name=a>\n<TMPL_ELSE>\n<TMPL_ELSE>\n</TMPL_IF>\n"
		   "</TMPL_IF>\n</TMPL_LOOP>\n<TMPL_ELSIF name=x>",
	    NULL, "", -1,
	    "Unexpected TMPL_ELSE tag in file \"(none)\" line 3\n"
	    "Unexpected /TMPL_IF tag in file \"(none)\" line 5\n"
	    "Unexpected /TMPL_LOOP tag in file \"(none)\" line 6\n"
	    "Unexpected TMPL_ELSIF tag in file \"(none)\" line 7\n");
	expect_err("<TMPL_ELSE>", NULL, "", -1,
	    "Unexpected TMPL_ELSE tag in file \"(none)\" line 1\n");
	/* Fatal errors and warnings are all reported, in scan order. */
	expect_err("<TMPL_VAR>\n</TMPL_IF>\n<TMPL_VAR name=x fmt=no>\n<*", NULL,
	    "", -1,
	    "Ignoring bad TMPL_VAR tag (missing \"name=\" attribute) in file "
	    "\"(none)\" line 1\n"
	    "Unexpected /TMPL_IF tag in file \"(none)\" line 2\n"
	    "Ignoring bad TMPL_VAR tag (bad \"fmt=\" attribute) in file "
	    "\"(none)\" line 3\n"
	    "\"<*\" in file \"(none)\" line 4 has no \"*>\"\n");
}

static void
t05_36_encode_url(void **state)
{
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	f = mopen(&buf, &len);
	TMPL_encode_url("a b/c~d_e.f-g&\xc3\xa9", f);
	fclose(f);
	assert_string_equal(buf, "a+b%2Fc%7Ed_e.f-g%26%C3%A9");
	free(buf);
	f = mopen(&buf, &len);
	TMPL_encode_url("AZaz09\t\n%+", f);
	fclose(f);
	assert_string_equal(buf, "AZaz09%09%0A%25%2B");
	free(buf);
}

static void
t05_37_encode_entity(void **state)
{
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	f = mopen(&buf, &len);
	TMPL_encode_entity("a'b\"c<>&\nd", f);
	TMPL_encode_entity("|\r|\xc3\xa9|plain", f);
	fclose(f);
	assert_string_equal(buf,
	    "a&#39;b&quot;c&lt;&gt;&amp;&#10;d"
	    "|&#13;|\xc3\xa9|plain");
	free(buf);
}

static void
t05_38_value_not_reparsed(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "x", "<TMPL_VAR name=x><* c *>\\\n",
	    (char *)NULL);
	expect("<TMPL_VAR name=x>", vl, "<TMPL_VAR name=x><* c *>\\\n");
	TMPL_free_varlist(vl);
}

static void
t05_39_add_var_null_value(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "a", "1", "b", NULL, "c", "3", (char *)NULL);
	assert_non_null(vl);
	expect("<TMPL_VAR name=a>|<TMPL_VAR name=b>|<TMPL_VAR name=c>", vl,
	    "1||");
	assert_ptr_equal(TMPL_add_var(vl, (char *)NULL), vl);
	TMPL_free_varlist(vl);
	assert_null(TMPL_add_var(NULL, "a", NULL, (char *)NULL));
	assert_null(TMPL_add_var(NULL, (char *)NULL));
}

static void
t05_40_no_sharing(void **state)
{
	TMPL_varlist *row, *root, *root2, *a, *x;
	TMPL_loop *l1, *l2, *m, *m2;

	(void)state;
	row = TMPL_add_var(NULL, "a", "1", (char *)NULL);
	l1 = TMPL_add_varlist(NULL, row);
	assert_non_null(l1);
	/* The same row into a second loop: nothing happens. */
	assert_null(TMPL_add_varlist(NULL, row));
	l2 = TMPL_add_varlist(NULL, TMPL_add_var(NULL, "a", "2", (char *)NULL));
	assert_ptr_equal(TMPL_add_varlist(l2, row), l2);
	root = TMPL_add_loop(NULL, "L", l1);
	root = TMPL_add_loop(root, "M", l2);
	/* Attaching a loop twice: nothing happens. */
	root2 = TMPL_add_var(NULL, "z", "z", (char *)NULL);
	assert_ptr_equal(TMPL_add_loop(root2, "L2", l1), root2);
	assert_null(TMPL_add_loop(NULL, "L2", l1));
	assert_ptr_equal(TMPL_add_loop(root, "L3", l1), root);
	expect("<TMPL_LOOP name=L><TMPL_VAR name=a></TMPL_LOOP>|"
	       "<TMPL_LOOP name=M><TMPL_VAR name=a></TMPL_LOOP>|"
	       "<TMPL_IF name=L3>x</TMPL_IF>",
	    root, "1|2|");
	expect("<TMPL_IF name=L2>x</TMPL_IF>", root2, "");
	/* Cycles are refused both ways. */
	a = TMPL_add_var(NULL, "a", "A", (char *)NULL);
	m = TMPL_add_varlist(NULL, a);
	assert_ptr_equal(TMPL_add_loop(a, "m", m), a);
	m2 = TMPL_add_varlist(NULL, TMPL_add_var(NULL, "b", "B", (char *)NULL));
	x = TMPL_add_loop(NULL, "m2", m2);
	assert_ptr_equal(TMPL_add_varlist(m2, x), m2);
	/* NULL arguments are no-ops. */
	assert_null(TMPL_add_varlist(NULL, NULL));
	assert_ptr_equal(TMPL_add_varlist(m2, NULL), m2);
	assert_ptr_equal(TMPL_add_loop(x, NULL, m), x);
	assert_ptr_equal(TMPL_add_loop(x, "n", NULL), x);
	x = TMPL_add_loop(x, "m", m);
	expect("<TMPL_LOOP name=m><TMPL_VAR name=a></TMPL_LOOP>"
	       "<TMPL_LOOP name=m2><TMPL_VAR name=b></TMPL_LOOP>",
	    x, "AB");
	/* Freeing a row inside a loop is refused, not a double free. */
	TMPL_free_varlist(row);
	TMPL_free_varlist(root);
	TMPL_free_varlist(root2);
	TMPL_free_varlist(x);
}

struct thr {
	const TMPL_template *t;
	const TMPL_varlist *vl;
	const char *want;
	int n;
	int bad;
};

static void *
thr_run(void *arg)
{
	struct thr *th = arg;
	struct TMPL_buf b;
	int i;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < th->n; i++) {
		TMPL_buf_reset(&b);
		if (TMPL_render_buf(th->t, th->vl, &b, NULL) != 0 ||
		    strcmp(b.data, th->want) != 0)
			th->bad++;
	}
	TMPL_buf_free(&b);
	return NULL;
}

static TMPL_varlist *
data_page(const char *who, int n)
{
	TMPL_loop *l = NULL;
	char title[64], url[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(title, sizeof(title), "Post <%d> & \"%s\"", i, who);
		snprintf(url, sizeof(url), "/p/%d?who=%s", i, who);
		l = TMPL_add_varlist(l,
		    TMPL_add_var(NULL, "title", title, "url", url, "odd",
			i % 2 ? "1" : "", (char *)NULL));
	}
	return TMPL_add_loop(TMPL_add_var(NULL, "who", who, (char *)NULL),
	    "posts", l);
}

static const char page_tmpl[] =
    "<h1><TMPL_VAR name=who fmt=entity></h1>\n<ul>\n"
    "<TMPL_LOOP name=posts>  <li<TMPL_IF name=odd> class=odd</TMPL_IF>>"
    "<a href=\"<TMPL_VAR name=url fmt=entity>\"><TMPL_VAR name=title "
    "fmt=entity></a> by <TMPL_VAR name=who fmt=url>\n</TMPL_LOOP></ul>\n"
    "<TMPL_INCLUDE name=\"hello.tmpl\">";

static void
t05_41_compile_once(void **state)
{
	struct result r1, r2;
	TMPL_varlist *v1, *v2;
	struct TMPL_buf b;
	TMPL_template *t;
	struct thr th[2];
	pthread_t tid[2];
	int i;

	(void)state;
	v1 = data_page("alice", 20);
	v2 = data_page("bob", 7);
	run_write(NULL, page_tmpl, cli_fl, v1, &r1);
	run_write(NULL, page_tmpl, cli_fl, v2, &r2);
	assert_int_equal(r1.rc, 0);
	assert_int_equal(r2.rc, 0);
	assert_non_null(strstr(r1.out, "Post &lt;19&gt; &amp; &quot;alice"));
	assert_non_null(strstr(r2.out, "Hello bob!\n"));
	t = TMPL_compile_string(NULL, page_tmpl, strlen(page_tmpl), cli_fl,
	    NULL, stderr);
	assert_non_null(t);
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 50; i++) {
		TMPL_buf_reset(&b);
		assert_int_equal(TMPL_render_buf(t, i % 2 ? v2 : v1, &b, NULL),
		    0);
		assert_string_equal(b.data, i % 2 ? r2.out : r1.out);
	}
	TMPL_buf_free(&b);
	th[0] = (struct thr){ t, v1, r1.out, 300, 0 };
	th[1] = (struct thr){ t, v2, r2.out, 300, 0 };
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&tid[i], NULL, thr_run, &th[i]),
		    0);
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(th[i].bad, 0);
	}
	TMPL_free_template(t);
	result_free(&r1);
	result_free(&r2);
	TMPL_free_varlist(v1);
	TMPL_free_varlist(v2);
}

static void
t05_42_blank_lines(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_loop(NULL, "customers",
	    rows("name", "Bill", "Susan", "Jane", (char *)NULL));
	expect_x("doc_example.tmpl", NULL, vl,
	    "Customers:\n\n\nName: Bill\n\n\nName: Susan\n\n\nName: Jane\n\n"
	    "\n\nThat is all.\n",
	    0, "", 1);
	TMPL_free_varlist(vl);
}

/* ---- beyond section 5 -------------------------------------------- */

static void
t_messages_lines(void **state)
{
	(void)state;
	expect_err("a\nb\n<TMPL_VAR\nname=x fmt=zz>", NULL,
	    "a\nb\n<TMPL_VAR\nname=x fmt=zz>", 0,
	    "Ignoring bad TMPL_VAR tag (bad \"fmt=\" attribute) in file "
	    "\"(none)\" line 3\n");
	expect_err("<!--\n\nTMPL_VAR name=x fmt=zz -->", NULL,
	    "<!--\n\nTMPL_VAR name=x fmt=zz -->", 0,
	    "Ignoring bad TMPL_VAR tag (bad \"fmt=\" attribute) in file "
	    "\"(none)\" line 3\n");
	expect_err("<TMPL_VAR>|<TMPL_INCLUDE/>|<TMPL_LOOP>", NULL,
	    "<TMPL_VAR>|<TMPL_INCLUDE/>|<TMPL_LOOP>", 0,
	    "Ignoring bad TMPL_VAR tag (missing \"name=\" attribute) in file "
	    "\"(none)\" line 1\n"
	    "Ignoring bad TMPL_INCLUDE tag (missing \"name=\" attribute) in "
	    "file \"(none)\" line 1\n"
	    "Ignoring bad TMPL_LOOP tag (missing \"name=\" attribute) in "
	    "file \"(none)\" line 1\n");
	expect_err("<TMPL_VAR name=x default=\"a\nb\">", NULL,
	    "<TMPL_VAR name=x default=\"a\nb\">", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect_err("<TMPL_IF name=x>y<TMPL_ELSE name=x>z</TMPL_IF>", NULL, "",
	    0, "Ignoring bad TMPL_ELSE tag in file \"(none)\" line 1\n");
	expect_err("<TMPL_VAR name=x", NULL, "<TMPL_VAR name=x", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
	expect_err("<TMPL_VAR name=\"x\"fmt=\"entity\">", NULL,
	    "<TMPL_VAR name=\"x\"fmt=\"entity\">", 0,
	    "Ignoring bad TMPL_VAR tag in file \"(none)\" line 1\n");
}

static void
t_write_errors(void **state)
{
	struct result r;

	(void)state;
	run_write(NULL, NULL, cli_fl, NULL, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err,
	    "C Template library: no template specified\n");
	result_free(&r);
	run_write("no/such/file.tmpl", NULL, cli_fl, NULL, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err,
	    "C Template library: failed to read "
	    "template from file \"no/such/file.tmpl\"\n");
	result_free(&r);
	run_write("inc", NULL, cli_fl, NULL, &r);
	assert_int_equal(r.rc, -1);
	result_free(&r);
	/* errout NULL: silent. */
	assert_int_equal(
	    TMPL_write("no/such/file.tmpl", NULL, NULL, NULL, NULL, NULL), -1);
	assert_int_equal(TMPL_write(NULL, "<TMPL_VAR>", NULL, NULL, NULL, NULL),
	    0);
	assert_null(TMPL_compile_file(NULL, NULL, NULL, NULL));
	assert_null(TMPL_compile_string("x", NULL, 0, NULL, NULL, NULL));
	assert_null(TMPL_compile_file("no/such/file.tmpl", NULL, NULL, NULL));
}

static void
t_compiled_include_failures(void **state)
{
	TMPL_template *t;
	struct TMPL_buf b;
	char *err;
	size_t len;
	FILE *e;

	(void)state;
	memset(&b, 0, sizeof(b));
	/* Compiles; each render that reaches the include fails again. */
	e = mopen(&err, &len);
	t = TMPL_compile_file("missing.tmpl", NULL, NULL, e);
	fclose(e);
	assert_non_null(t);
	assert_string_equal(err,
	    "C Template library: failed to read template "
	    "from file \"does/not/exist.tmpl\"\n");
	free(err);
	e = mopen(&err, &len);
	assert_int_equal(TMPL_render_buf(t, NULL, &b, e), -1);
	assert_string_equal(b.data, "before");
	TMPL_buf_reset(&b);
	assert_int_equal(TMPL_render_buf(t, NULL, &b, e), -1);
	assert_string_equal(b.data, "before");
	fclose(e);
	assert_string_equal(err,
	    "C Template library: failed to read template "
	    "from file \"does/not/exist.tmpl\"\n"
	    "C Template library: failed to read template from file "
	    "\"does/not/exist.tmpl\"\n");
	free(err);
	TMPL_free_template(t);
	/* Not reached, no failure. */
	t = TMPL_compile_file("missing_if.tmpl", NULL, NULL, NULL);
	assert_non_null(t);
	TMPL_buf_reset(&b);
	assert_int_equal(TMPL_render_buf(t, NULL, &b, NULL), 0);
	assert_string_equal(b.data, "ab");
	TMPL_free_template(t);
	TMPL_buf_free(&b);
}

/* A directory where ".../x/d.tmpl" includes itself through x -> . */
static void
t_dotdotdot_chain_bounded(void **state)
{
	char dir[] = "/tmp/tmpl_testXXXXXX", path[PATH_MAX];
	struct TMPL_options opt;
	TMPL_template *t;
	struct TMPL_buf b;
	size_t i, n = 0;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/d.tmpl", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("d<TMPL_INCLUDE name=\".../x/d.tmpl\">", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/x", dir);
	assert_int_equal(symlink(".", path), 0);
	snprintf(path, sizeof(path), "%s/d.tmpl", dir);
	t = TMPL_compile_file(path, NULL, NULL, NULL);
	assert_non_null(t);
	memset(&b, 0, sizeof(b));
	assert_int_equal(TMPL_render_buf(t, NULL, &b, NULL), 0);
	for (i = 0; i < b.len && b.data[i] == 'd'; i++)
		n++;
	assert_int_equal(n, 31);
	assert_string_equal(b.data + n, "<TMPL_INCLUDE name=\".../x/d.tmpl\">");
	TMPL_buf_free(&b);
	TMPL_free_template(t);
	memset(&opt, 0, sizeof(opt));
	opt.strict = 1;
	assert_null(TMPL_compile_file(path, NULL, &opt, NULL));
	snprintf(path, sizeof(path), "%s/x", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/d.tmpl", dir);
	unlink(path);
	rmdir(dir);
}

/*
 * A chain of distinct files c0 -> c1 -> ... : an include in the file at
 * depth 30 is the bad tag, with or without a cycle.
 */
static void
t_include_depth_chain(void **state)
{
	char dir[] = "/tmp/tmpl_chainXXXXXX", path[PATH_MAX], want[256];
	struct TMPL_options opt;
	struct result r;
	size_t n = 0;
	int i, len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (len = 30; len <= 31; len++) {
		for (i = 0; i <= len; i++) {
			snprintf(path, sizeof(path), "%s/c%d", dir, i);
			f = fopen(path, "w");
			assert_non_null(f);
			if (i < len)
				fprintf(f, "%c<TMPL_INCLUDE name=\".../c%d\">",
				    'a' + i % 26, i + 1);
			else
				fputs("$", f);
			fclose(f);
		}
		snprintf(path, sizeof(path), "%s/c0", dir);
		for (n = 0, i = 0; i <= 30; i++)
			want[n++] = (char)(i < len ? 'a' + i % 26 : '$');
		want[n] = '\0';
		if (len == 31)
			strcat(want, "<TMPL_INCLUDE name=\".../c31\">");
		run_write(path, NULL, NULL, NULL, &r);
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.out, want);
		result_free(&r);
		run_compiled(path, NULL, NULL, NULL, NULL, &r);
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.out, want);
		result_free(&r);
		memset(&opt, 0, sizeof(opt));
		opt.strict = 1;
		run_compiled(path, NULL, NULL, &opt, NULL, &r);
		assert_int_equal(r.rc, len == 31 ? -1 : 0);
		if (len == 31) {
			snprintf(want, sizeof(want),
			    "Ignoring bad TMPL_INCLUDE "
			    "tag (check for include cycle) in file \"%s/c30\" "
			    "line 1\n",
			    dir);
			assert_string_equal(r.err, want);
		}
		result_free(&r);
	}
	for (i = 0; i <= 31; i++) {
		snprintf(path, sizeof(path), "%s/c%d", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

static void
t_strict(void **state)
{
	struct TMPL_options opt;
	TMPL_fmtlist *fl;
	TMPL_template *t;
	char *err;
	size_t len;
	FILE *e;

	(void)state;
	fl = TMPL_std_fmtlist();
	assert_non_null(fl);
	memset(&opt, 0, sizeof(opt));
	opt.strict = 1;
	e = mopen(&err, &len);
	assert_null(TMPL_compile_string("s.html",
	    "<TMPL_VAR name=x fmt=nope>"
	    "\n<TMPL_VAR name=y escape=html>",
	    54, fl, &opt, e));
	fclose(e);
	assert_string_equal(err,
	    "Ignoring bad TMPL_VAR tag (bad \"fmt=\" attribute) in file "
	    "\"s.html\" line 1\n"
	    "Ignoring bad TMPL_VAR tag in file \"s.html\" line 2\n");
	free(err);
	/* Broken or bad-tagged includes, and cycles, fail too. */
	assert_null(TMPL_compile_file("broken_inc.tmpl", fl, &opt, NULL));
	assert_null(TMPL_compile_file("loop_break_inc.tmpl", fl, &opt, NULL));
	e = mopen(&err, &len);
	assert_null(TMPL_compile_file("cycle/self.tmpl", fl, &opt, e));
	fclose(e);
	assert_string_equal(err,
	    "Ignoring bad TMPL_INCLUDE tag (check for "
	    "include cycle) in file \"cycle/self.tmpl\" line 1\n");
	free(err);
	/* A missing include still fails only the render. */
	t = TMPL_compile_file("missing_if.tmpl", fl, &opt, NULL);
	assert_non_null(t);
	TMPL_free_template(t);
	t = TMPL_compile_file("top_plain.tmpl", fl, &opt, NULL);
	assert_non_null(t);
	TMPL_free_template(t);
	/* Not strict: the same template compiles. */
	t = TMPL_compile_string("s.html", "<TMPL_VAR name=x fmt=nope>", 26, fl,
	    NULL, NULL);
	assert_non_null(t);
	TMPL_free_template(t);
	/* A default fmt that is not registered. */
	opt.default_fmt = "html";
	e = mopen(&err, &len);
	assert_null(TMPL_compile_string("s", "x", 1, fl, &opt, e));
	fclose(e);
	assert_string_equal(err,
	    "C Template library: default fmt \"html\" is "
	    "not in the fmtlist\n");
	free(err);
	TMPL_free_fmtlist(fl);
}

static void
upper_fmt(const char *v, FILE *out)
{
	for (; *v != '\0'; v++)
		fputc(*v >= 'a' && *v <= 'z' ? *v - 'a' + 'A' : *v, out);
}

static void
star_sink(const char *v, TMPL_sinkfunc sink, void *ctx)
{
	sink(ctx, "*", 1);
	sink(ctx, v, strlen(v));
	sink(ctx, "*", 1);
}

static void
t_default_and_raw_fmt(void **state)
{
	struct TMPL_options opt;
	struct result r;
	TMPL_fmtlist *fl;
	TMPL_varlist *vl;
	const char *tmpl =
	    "<TMPL_VAR name=e>|<TMPL_VAR name=e fmt=\"raw\">|"
	    "<TMPL_VAR name=nope default=\"<d>\">|<TMPL_VAR name=e fmt=url>|"
	    "<TMPL_VAR name=e fmt=up>|<TMPL_VAR name=e fmt=star>";

	(void)state;
	fl = TMPL_std_fmtlist();
	fl = TMPL_add_fmt(fl, "up", upper_fmt);
	fl = TMPL_add_fmt_sink(fl, "star", star_sink);
	vl = TMPL_add_var(NULL, "e", "<b>&'x'", (char *)NULL);
	memset(&opt, 0, sizeof(opt));
	opt.default_fmt = "entity";
	run_compiled("p.html", tmpl, fl, &opt, vl, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out,
	    "&lt;b&gt;&amp;&#39;x&#39;|<b>&'x'|&lt;d&gt;|"
	    "%3Cb%3E%26%27x%27|<B>&'X'|*<b>&'x'*");
	result_free(&r);
	/* Without the option: opt-in only, as the original. */
	run_compiled("p.html", tmpl, fl, NULL, vl, &r);
	assert_string_equal(r.out,
	    "<b>&'x'|<b>&'x'|<d>|%3Cb%3E%26%27x%27|"
	    "<B>&'X'|*<b>&'x'*");
	result_free(&r);
	/* Sink formats work through TMPL_write too. */
	run_write("p.html", tmpl, fl, vl, &r);
	assert_string_equal(r.out,
	    "<b>&'x'|<b>&'x'|<d>|%3Cb%3E%26%27x%27|"
	    "<B>&'X'|*<b>&'x'*");
	result_free(&r);
	/* fascia's layout: default entity, raw body in an include. */
	TMPL_free_varlist(vl);
	vl = TMPL_add_var(NULL, "text", "a<b", "body", "<p>hi</p>",
	    (char *)NULL);
	run_compiled("fascia_page.tmpl", NULL, fl, &opt, vl, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "<p>a&lt;b</p><div><p>hi</p></div>");
	result_free(&r);
	TMPL_free_varlist(vl);
	TMPL_free_fmtlist(fl);
}

static void
fmt_a(const char *v, FILE *out)
{
	fprintf(out, "A%s", v);
}

static void
fmt_b(const char *v, FILE *out)
{
	fprintf(out, "B%s", v);
}

static void
t_fmtlist_order(void **state)
{
	TMPL_fmtlist *fl;
	TMPL_varlist *vl;
	struct result r;

	(void)state;
	fl = TMPL_add_fmt(NULL, "f", fmt_a);
	assert_ptr_equal(TMPL_add_fmt(fl, "f", fmt_b), fl);
	assert_ptr_equal(TMPL_add_fmt(fl, "g", fmt_b), fl);
	assert_ptr_equal(TMPL_add_fmt(fl, NULL, fmt_b), fl);
	assert_ptr_equal(TMPL_add_fmt(fl, "h", NULL), fl);
	assert_null(TMPL_add_fmt(NULL, "h", NULL));
	vl = TMPL_add_var(NULL, "x", "1", (char *)NULL);
	/* The head stays first: the first "f" wins. */
	run_write(NULL, "<TMPL_VAR name=x fmt=f><TMPL_VAR name=x fmt=g>", fl,
	    vl, &r);
	assert_string_equal(r.out, "A1B1");
	result_free(&r);
	TMPL_free_varlist(vl);
	TMPL_free_fmtlist(fl);
	TMPL_free_fmtlist(NULL);
}

static void
t_file_fmt_render_paths(void **state)
{
	TMPL_fmtlist *fl;
	TMPL_varlist *vl;
	TMPL_template *t;
	struct TMPL_buf b;
	char *buf;
	size_t len;
	FILE *f;
	int i;

	(void)state;
	fl = TMPL_add_fmt(NULL, "up", upper_fmt);
	vl = TMPL_add_var(NULL, "x", "abc", "y", "", (char *)NULL);
	t = TMPL_compile_string(NULL,
	    "<TMPL_VAR name=x fmt=up>-<TMPL_VAR "
	    "name=y fmt=up>-<TMPL_VAR name=x fmt=up>",
	    74, fl, NULL, NULL);
	assert_non_null(t);
	memset(&b, 0, sizeof(b));
	/* Through the per-render memory stream, more than once. */
	for (i = 0; i < 3; i++) {
		TMPL_buf_reset(&b);
		assert_int_equal(TMPL_render_buf(t, vl, &b, NULL), 0);
		assert_string_equal(b.data, "ABC--ABC");
	}
	TMPL_buf_free(&b);
	/* Straight to the FILE. */
	f = mopen(&buf, &len);
	assert_int_equal(TMPL_render_file(t, vl, f, NULL), 0);
	fclose(f);
	assert_string_equal(buf, "ABC--ABC");
	free(buf);
	TMPL_free_template(t);
	TMPL_free_varlist(vl);
	TMPL_free_fmtlist(fl);
}

struct spans {
	int calls;
	char data[256];
	size_t len;
};

static void
count_sink(void *ctx, const char *p, size_t n)
{
	struct spans *s = ctx;

	s->calls++;
	if (s->len + n < sizeof(s->data)) {
		memcpy(s->data + s->len, p, n);
		s->len += n;
	}
}

static void
t_render_sink_spans(void **state)
{
	TMPL_varlist *vl;
	TMPL_template *t;
	struct spans s;
	const char *src =
	    "static text\\\nstill <* gone *>one span"
	    "<TMPL_VAR name=x><TMPL_VAR name=bad fmt=zz> and more\n";

	(void)state;
	vl = TMPL_add_var(NULL, "x", "[X]", (char *)NULL);
	t = TMPL_compile_string(NULL, src, strlen(src), NULL, NULL, NULL);
	assert_non_null(t);
	memset(&s, 0, sizeof(s));
	assert_int_equal(TMPL_render(t, vl, count_sink, &s, NULL), 0);
	s.data[s.len] = '\0';
	assert_string_equal(s.data,
	    "static textstill one span[X]"
	    "<TMPL_VAR name=bad fmt=zz> and more\n");
	/* Text, value, then text with the bad tag merged in: 3 calls. */
	assert_int_equal(s.calls, 3);
	assert_int_equal(TMPL_render(NULL, vl, count_sink, &s, NULL), -1);
	assert_int_equal(TMPL_render(t, vl, NULL, &s, NULL), -1);
	TMPL_free_template(t);
	TMPL_free_template(NULL);
	TMPL_free_varlist(vl);
}

static void
t_render_buf_cap(void **state)
{
	TMPL_template *t;
	struct TMPL_buf b;
	const char *src = "0123456789<TMPL_VAR name=x>ABCDEF";
	TMPL_varlist *vl;

	(void)state;
	vl = TMPL_add_var(NULL, "x", "xyz", (char *)NULL);
	t = TMPL_compile_string(NULL, src, strlen(src), NULL, NULL, NULL);
	assert_non_null(t);
	memset(&b, 0, sizeof(b));
	b.max = 12;
	assert_int_equal(TMPL_render_buf(t, vl, &b, NULL), -1);
	assert_true(b.failed);
	assert_true(b.len <= 12);
	assert_string_equal(b.data, "0123456789");
	assert_int_equal(TMPL_buf_append(&b, "x", 1), -1);
	TMPL_buf_reset(&b);
	assert_false(b.failed);
	b.max = 19;
	assert_int_equal(TMPL_render_buf(t, vl, &b, NULL), 0);
	assert_string_equal(b.data, "0123456789xyzABCDEF");
	assert_int_equal(b.len, 19);
	/* Appends accumulate. */
	b.max = 0;
	assert_int_equal(TMPL_render_buf(t, NULL, &b, NULL), 0);
	assert_string_equal(b.data, "0123456789xyzABCDEF0123456789ABCDEF");
	TMPL_buf_free(&b);
	assert_null(b.data);
	TMPL_free_template(t);
	TMPL_free_varlist(vl);
}

static void
t_arena_varlists(void **state)
{
	TMPL_varlist *root, *row, *mvl;
	TMPL_template *t;
	TMPL_arena *a;
	struct TMPL_buf b;
	TMPL_loop *l;
	static const char *const want[3] = {
		"zero:r0=zero;r1=own;r2=zero;",
		"other:r1=other;r2=own;r3=other;",
		"other:r2=other;r3=own;r4=other;",
	};
	char names[3][8];
	int round, i;
	const char *src =
	    "<TMPL_VAR name=title>:<TMPL_LOOP name=L>"
	    "<TMPL_VAR name=n>=<TMPL_VAR name=title>;</TMPL_LOOP>";

	(void)state;
	a = TMPL_arena_new(128);
	assert_non_null(a);
	t = TMPL_compile_string(NULL, src, strlen(src), NULL, NULL, NULL);
	assert_non_null(t);
	memset(&b, 0, sizeof(b));
	for (round = 0; round < 3; round++) {
		TMPL_arena_reset(a);
		root = TMPL_arena_add_var(a, NULL, "title",
		    round == 0 ? "zero" : "other");
		assert_non_null(root);
		l = NULL;
		for (i = 0; i < 3; i++) {
			snprintf(names[i], sizeof(names[i]), "r%d", i + round);
			row = TMPL_arena_add_var(a, NULL, "n", names[i]);
			assert_non_null(row);
			if (i == 1)
				assert_non_null(
				    TMPL_arena_add_var(a, row, "title", "own"));
			assert_non_null(l = TMPL_arena_add_varlist(a, l, row));
			/* A row is not shared. */
			assert_null(TMPL_arena_add_varlist(a, NULL, row));
		}
		assert_ptr_equal(TMPL_arena_add_loop(a, root, "L", l), root);
		assert_null(TMPL_arena_add_loop(a, root, "L", l));
		TMPL_buf_reset(&b);
		assert_int_equal(TMPL_render_buf(t, root, &b, NULL), 0);
		assert_string_equal(b.data, want[round]);
		/* Arena lists are not freed by TMPL_free_varlist. */
		TMPL_free_varlist(root);
	}
	/* Arena and malloc objects do not mix. */
	mvl = TMPL_add_var(NULL, "m", "1", (char *)NULL);
	assert_null(TMPL_arena_add_var(a, mvl, "x", "y"));
	assert_null(TMPL_arena_add_varlist(a, NULL, mvl));
	assert_ptr_equal(TMPL_add_var(root, "x", "y", (char *)NULL), root);
	assert_ptr_equal(TMPL_add_loop(mvl, "L", l), mvl);
	assert_null(TMPL_arena_add_var(a, NULL, NULL, "v"));
	assert_null(TMPL_arena_add_var(a, NULL, "n", NULL));
	assert_null(TMPL_arena_add_var(NULL, NULL, "n", "v"));
	TMPL_buf_reset(&b);
	assert_int_equal(TMPL_render_buf(t, root, &b, NULL), 0);
	assert_string_equal(b.data, "other:r2=other;r3=own;r4=other;");
	TMPL_free_varlist(mvl);
	/* A big allocation, then reset gives it back. */
	TMPL_arena_reset(a);
	for (i = 0; i < 1000; i++)
		assert_non_null(TMPL_arena_add_var(a, NULL, "n", "v"));
	TMPL_arena_reset(a);
	TMPL_buf_free(&b);
	TMPL_free_template(t);
	TMPL_arena_free(a);
	TMPL_arena_free(NULL);
}

static void
t_arena_oom(void **state)
{
	TMPL_varlist *vl = NULL, *r;
	TMPL_arena *a;
	int i, got = 0;

	(void)state;
	a = TMPL_arena_new_max(256, 1024);
	assert_non_null(a);
	for (i = 0; i < 1000; i++) {
		if ((r = TMPL_arena_add_var(a, vl, "n", "v")) == NULL)
			break;
		vl = r;
		got++;
	}
	assert_true(got > 0 && got < 1000);
	assert_null(TMPL_arena_add_varlist(a, NULL,
	    TMPL_arena_add_var(a, NULL, "x", "y")));
	/* After a reset the memory is there again. */
	TMPL_arena_reset(a);
	assert_non_null(TMPL_arena_add_var(a, NULL, "n", "v"));
	TMPL_arena_free(a);
}

static int
under_valgrind_or_asan(void)
{
	const char *p = getenv("LD_PRELOAD");

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	return 1;
#endif
#endif
	return p != NULL && strstr(p, "vgpreload") != NULL;
}

/*
 * Out of memory through malloc: in a child with a small address space,
 * the engine must fail calls, never exit() or crash.
 */
static void
t_malloc_oom(void **state)
{
	struct rlimit rl;
	pid_t pid;
	int st;

	(void)state;
	if (under_valgrind_or_asan())
		skip();
	if ((pid = fork()) == 0) {
		TMPL_varlist *vl = NULL;
		TMPL_template *t;
		struct TMPL_buf b;
		char *big, *val;
		size_t n = 64u << 20;
		int i, rc;

		rl.rlim_cur = rl.rlim_max = 512u << 20;
		if (setrlimit(RLIMIT_AS, &rl) == -1)
			_exit(2);
		if ((val = malloc(n)) == NULL)
			_exit(3);
		memset(val, 'v', n - 1);
		val[n - 1] = '\0';
		/* Each copy is 64 MiB: the list fills, then is marked. */
		for (i = 0; i < 16; i++)
			vl = TMPL_add_var(vl, "v", val, (char *)NULL);
		if (vl == NULL)
			_exit(4);
		memset(&b, 0, sizeof(b));
		t = TMPL_compile_string(NULL, "x", 1, NULL, NULL, NULL);
		if (t == NULL)
			_exit(5);
		rc = TMPL_render_buf(t, vl, &b, NULL);
		if (rc != -1)
			_exit(6);
		TMPL_free_varlist(vl);
		TMPL_free_template(t);
		/* A template too big to compile. */
		if ((big = malloc(n * 3)) == NULL)
			_exit(7);
		memset(big, 'x', n * 3);
		t = TMPL_compile_string(NULL, big, n * 3, NULL, NULL, NULL);
		TMPL_free_template(t);
		/* A render buffer that cannot grow. */
		TMPL_buf_free(&b);
		t = TMPL_compile_string(NULL, val, n - 1, NULL, NULL, NULL);
		if (t != NULL) {
			for (i = 0;
			     i < 16 && TMPL_render_buf(t, NULL, &b, NULL) == 0;
			     i++)
				continue;
			if (i == 16 || !b.failed)
				_exit(8);
		}
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
t_extensions(void **state)
{
	struct TMPL_options opt;
	TMPL_varlist *vl;
	struct result r;
	const char *src =
	    "<TMPL_LOOP name=L><TMPL_VAR name=\"__counter__\">"
	    "<TMPL_IF name=\"__first__\">F</TMPL_IF><TMPL_IF "
	    "name=\"__last__\">L"
	    "</TMPL_IF><TMPL_IF name=\"__inner__\">I</TMPL_IF><TMPL_IF "
	    "name=\"__odd__\">o<TMPL_ELSE>e</TMPL_IF><TMPL_UNLESS "
	    "name=\"__last__\">,"
	    "</TMPL_UNLESS></TMPL_LOOP>|<TMPL_UNLESS name=x>no x"
	    "<TMPL_ELSE>x</TMPL_UNLESS>|<TMPL_VAR name=\"__first__\">";

	(void)state;
	vl =
	    TMPL_add_loop(TMPL_add_var(NULL, "__first__", "user", (char *)NULL),
		"L", rows("a", "1", "2", "3", (char *)NULL));
	memset(&opt, 0, sizeof(opt));
	opt.extensions = 1;
	run_compiled(NULL, src, NULL, &opt, vl, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "1Fo,2Ie,3Lo|no x|user");
	result_free(&r);
	run_compiled(NULL,
	    "<TMPL_UNLESS name=x>a<TMPL_ELSIF name=y>b"
	    "</TMPL_UNLESS>",
	    NULL, &opt, vl, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err,
	    "Unexpected TMPL_ELSIF tag in file \"(none)\" line 1\n");
	result_free(&r);
	/* Off: the original's output, literal UNLESS, plain variables. */
	run_compiled(NULL,
	    "<TMPL_LOOP name=L><TMPL_VAR name=\"__counter__\">"
	    "<TMPL_IF name=\"__first__\">F</TMPL_IF><TMPL_IF name=\"__odd__\">o"
	    "<TMPL_ELSE>e</TMPL_IF><TMPL_UNLESS "
	    "name=\"__last__\">,</TMPL_UNLESS>"
	    "</TMPL_LOOP>|<TMPL_VAR name=\"__first__\">",
	    NULL, NULL, vl, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out,
	    "Fe<TMPL_UNLESS name=\"__last__\">,</TMPL_UNLESS>"
	    "Fe<TMPL_UNLESS name=\"__last__\">,</TMPL_UNLESS>"
	    "Fe<TMPL_UNLESS name=\"__last__\">,</TMPL_UNLESS>|user");
	assert_string_equal(r.err, "");
	result_free(&r);
	TMPL_free_varlist(vl);
}

static void
t_scope_and_namespaces(void **state)
{
	TMPL_varlist *vl;

	(void)state;
	/* A variable and a loop of one name: separate namespaces. */
	vl = TMPL_add_loop(TMPL_add_var(NULL, "L", "", (char *)NULL), "L",
	    rows("a", "1", "2", (char *)NULL));
	expect("[<TMPL_VAR name=L>]<TMPL_LOOP name=L><TMPL_VAR name=a>"
	       "</TMPL_LOOP><TMPL_IF name=L>T<TMPL_ELSE>F</TMPL_IF>"
	       "<TMPL_IF name=L value=\"\">T<TMPL_ELSE>F</TMPL_IF>",
	    vl, "[]12FT");
	/* The newest loop of a name wins. */
	vl = TMPL_add_loop(vl, "L", rows("a", "3", (char *)NULL));
	expect("<TMPL_LOOP name=L><TMPL_VAR name=a></TMPL_LOOP>", vl, "3");
	TMPL_free_varlist(vl);
	/* A quoted empty name is legal. */
	vl = TMPL_add_var(NULL, "", "E", (char *)NULL);
	expect("<TMPL_VAR name=\"\">|<TMPL_IF name=''>T</TMPL_IF>", vl, "E|T");
	TMPL_free_varlist(vl);
	/* Variables added to a row after it went into a loop count. */
	vl = TMPL_add_var(NULL, "a", "1", (char *)NULL);
	{
		TMPL_varlist *root =
		    TMPL_add_loop(NULL, "L", TMPL_add_varlist(NULL, vl));

		TMPL_add_var(vl, "b", "2", (char *)NULL);
		expect("<TMPL_LOOP name=L><TMPL_VAR name=a><TMPL_VAR name=b>"
		       "</TMPL_LOOP>",
		    root, "12");
		TMPL_free_varlist(root);
	}
}

/* Long and deep templates and data take no C stack. */
static void
t_deep_and_wide(void **state)
{
	enum { WIDE = 200000, DEEP = 100000, LOOPS = 2000 };
	TMPL_varlist *vl, *row;
	TMPL_template *t;
	struct TMPL_buf b;
	TMPL_loop *l;
	char *src, *p;
	size_t i;

	(void)state;
	memset(&b, 0, sizeof(b));
	src = malloc((size_t)WIDE * 20 + DEEP * 40 + 1);
	assert_non_null(src);
	for (p = src, i = 0; i < WIDE; i++)
		p += sprintf(p, "<TMPL_VAR name=x>");
	t = TMPL_compile_string(NULL, src, (size_t)(p - src), NULL, NULL, NULL);
	assert_non_null(t);
	vl = TMPL_add_var(NULL, "x", "y", (char *)NULL);
	assert_int_equal(TMPL_render_buf(t, vl, &b, NULL), 0);
	assert_int_equal(b.len, WIDE);
	TMPL_free_template(t);
	for (p = src, i = 0; i < DEEP; i++)
		p += sprintf(p, "<TMPL_IF name=x>");
	p += sprintf(p, "deep");
	for (i = 0; i < DEEP; i++)
		p += sprintf(p, "</TMPL_IF>");
	t = TMPL_compile_string(NULL, src, (size_t)(p - src), NULL, NULL, NULL);
	assert_non_null(t);
	TMPL_buf_reset(&b);
	assert_int_equal(TMPL_render_buf(t, vl, &b, NULL), 0);
	assert_string_equal(b.data, "deep");
	TMPL_free_template(t);
	TMPL_free_varlist(vl);
	/* Nested loops, each row holding the next loop. */
	row = TMPL_add_var(NULL, "x", "!", (char *)NULL);
	for (i = 0; i < LOOPS; i++) {
		l = TMPL_add_varlist(NULL, row);
		row = TMPL_add_loop(TMPL_add_var(NULL, "d", "d", (char *)NULL),
		    "L", l);
	}
	for (p = src, i = 0; i < LOOPS; i++)
		p += sprintf(p, "<TMPL_LOOP name=L>");
	p += sprintf(p, "<TMPL_VAR name=x>");
	for (i = 0; i < LOOPS; i++)
		p += sprintf(p, "</TMPL_LOOP>");
	t = TMPL_compile_string(NULL, src, (size_t)(p - src), NULL, NULL, NULL);
	assert_non_null(t);
	TMPL_buf_reset(&b);
	assert_int_equal(TMPL_render_buf(t, row, &b, NULL), 0);
	assert_string_equal(b.data, "!");
	TMPL_free_template(t);
	TMPL_free_varlist(row);
	/* A million-level data tree frees without recursion. */
	row = TMPL_add_var(NULL, "x", "!", (char *)NULL);
	for (i = 0; i < 1000000; i++)
		row = TMPL_add_loop(NULL, "L", TMPL_add_varlist(NULL, row));
	TMPL_free_varlist(row);
	TMPL_buf_free(&b);
	free(src);
}

static void
t_root_dir(void **state)
{
	struct TMPL_options opt;
	TMPL_varlist *vl;
	struct result r;
	char root[PATH_MAX + 8];

	(void)state;
	vl = TMPL_add_var(NULL, "var1", "v", (char *)NULL);
	memset(&opt, 0, sizeof(opt));
	snprintf(root, sizeof(root), "%s/inc/", fixtures);
	opt.root_dir = root;
	/* ".../" works on the name as given, root_dir is added after. */
	run_compiled("top_dots.tmpl", NULL, NULL, &opt, vl, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "A[v]B(leaf{leaf2 v})C");
	result_free(&r);
	opt.root_dir = "inc";
	run_compiled("sub/leaf.tmpl", NULL, NULL, &opt, vl, &r);
	assert_string_equal(r.out, "(leaf{leaf2 v})");
	result_free(&r);
	run_compiled("nope.tmpl", NULL, NULL, &opt, vl, &r);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err,
	    "C Template library: failed to read "
	    "template from file \"inc/nope.tmpl\"\n");
	result_free(&r);
	TMPL_free_varlist(vl);
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t05_01_plain_text),
		cmocka_unit_test(t05_02_var_forms),
		cmocka_unit_test(t05_03_var_absent),
		cmocka_unit_test(t05_04_default),
		cmocka_unit_test(t05_05_default_not_for_empty),
		cmocka_unit_test(t05_06_fmt_entity),
		cmocka_unit_test(t05_07_quoting),
		cmocka_unit_test(t05_08_bad_attributes),
		cmocka_unit_test(t05_09_unquoted_limits),
		cmocka_unit_test(t05_10_not_tags),
		cmocka_unit_test(t05_11_unknown_tag_silent),
		cmocka_unit_test(t05_12_newest_duplicate_wins),
		cmocka_unit_test(t05_13_comments),
		cmocka_unit_test(t05_14_comments_do_not_nest),
		cmocka_unit_test(t05_15_unterminated_comment),
		cmocka_unit_test(t05_16_backslashes),
		cmocka_unit_test(t05_17_if_truth_table),
		cmocka_unit_test(t05_18_zero_is_true),
		cmocka_unit_test(t05_19_elsif_chains),
		cmocka_unit_test(t05_20_if_on_loop),
		cmocka_unit_test(t05_21_loop_rows_and_fallback),
		cmocka_unit_test(t05_22_loop_missing),
		cmocka_unit_test(t05_23_loop_inside_itself),
		cmocka_unit_test(t05_24_nested_loops),
		cmocka_unit_test(t05_25_include_in_loop),
		cmocka_unit_test(t05_26_break_continue_levels),
		cmocka_unit_test(t05_27_continue_skips_row),
		cmocka_unit_test(t05_28_bad_break_continue),
		cmocka_unit_test(t05_29_break_in_include),
		cmocka_unit_test(t05_30_include_paths),
		cmocka_unit_test(t05_31_include_cycles),
		cmocka_unit_test(t05_32_missing_include),
		cmocka_unit_test(t05_33_missing_include_not_reached),
		cmocka_unit_test(t05_34_unclosed),
		cmocka_unit_test(t05_35_unexpected),
		cmocka_unit_test(t05_36_encode_url),
		cmocka_unit_test(t05_37_encode_entity),
		cmocka_unit_test(t05_38_value_not_reparsed),
		cmocka_unit_test(t05_39_add_var_null_value),
		cmocka_unit_test(t05_40_no_sharing),
		cmocka_unit_test(t05_41_compile_once),
		cmocka_unit_test(t05_42_blank_lines),
		cmocka_unit_test(t_messages_lines),
		cmocka_unit_test(t_write_errors),
		cmocka_unit_test(t_compiled_include_failures),
		cmocka_unit_test(t_dotdotdot_chain_bounded),
		cmocka_unit_test(t_include_depth_chain),
		cmocka_unit_test(t_strict),
		cmocka_unit_test(t_default_and_raw_fmt),
		cmocka_unit_test(t_fmtlist_order),
		cmocka_unit_test(t_file_fmt_render_paths),
		cmocka_unit_test(t_render_sink_spans),
		cmocka_unit_test(t_render_buf_cap),
		cmocka_unit_test(t_arena_varlists),
		cmocka_unit_test(t_arena_oom),
		cmocka_unit_test(t_malloc_oom),
		cmocka_unit_test(t_extensions),
		cmocka_unit_test(t_scope_and_namespaces),
		cmocka_unit_test(t_deep_and_wide),
		cmocka_unit_test(t_root_dir),
	};
	const char *dir;
	int rc;

	if ((dir = getenv("TMPL_FIXTURES")) == NULL)
		dir = argc > 1 ? argv[1] : "tests/unit/tmpl";
	if (chdir(dir) == -1 || getcwd(fixtures, sizeof(fixtures)) == NULL) {
		fprintf(stderr, "%s: fixtures %s: %s\n", argv[0], dir,
		    strerror(errno));
		return 1;
	}
	cli_fl = TMPL_add_fmt(NULL, "entity", TMPL_encode_entity);
	cli_fl = TMPL_add_fmt(cli_fl, "url", TMPL_encode_url);
	rc = cmocka_run_group_tests_name("ctemplate", tests, NULL, NULL);
	TMPL_free_fmtlist(cli_fl);
	return rc;
}
