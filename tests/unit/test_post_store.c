/*
 * test_post_store.c: what post_store.c sends to write a post: the
 * statements and their parameters for a post file and for a post from
 * WordPress, and how their results are added up.  No database: results
 * are made with libpq's own functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "arena.h"
#include "buf.h"
#include "post_store.h"

#define TEXT_OID 25

struct plan {
	struct arena a;
	struct buf tmp;
	struct post_step steps[POST_STMT__MAX];
	size_t n;
};

static void
plan(struct plan *p, const struct post_row *r)
{
	arena_init(&p->a, 4096);
	buf_init(&p->tmp, 0);
	assert_true(post_store_plan(r, &p->tmp, &p->a, p->steps, &p->n));
}

static void
plan_free(struct plan *p)
{
	arena_free(&p->a);
	buf_free(&p->tmp);
}

static void
test_post_file(void **state)
{
	static const char *const tags[] = { "massage", "self-care" };
	static const char *const names[] = { "Massage", "Self care" };
	struct post_row r;
	struct plan p;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.slug = "hot-stones";
	r.title = "Hot \"Stones\"";
	r.excerpt = "";
	r.body_source = "Hello *stones*.\n";
	r.body_html = "<p>Hello <em>stones</em>.</p>\n";
	r.author = "maya-okafor";
	r.published = 1;
	r.has_days = 1;
	r.days = 3;
	r.comments_open = 1;
	r.touch = 1;
	r.tags = r.new_tags = tags;
	r.new_names = names;
	r.ntags = r.nnew = 2;
	plan(&p, &r);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.steps[0].stmt, POST_UPSERT);
	assert_null(p.steps[0].v[UPSERT_KEY]);
	assert_string_equal(p.steps[0].v[UPSERT_SLUG], "hot-stones");
	assert_string_equal(p.steps[0].v[UPSERT_TITLE], "Hot \"Stones\"");
	assert_string_equal(p.steps[0].v[UPSERT_AUTHOR], "maya-okafor");
	assert_string_equal(p.steps[0].v[UPSERT_STATUS], "published");
	assert_null(p.steps[0].v[UPSERT_DATE]);
	assert_string_equal(p.steps[0].v[UPSERT_DAYS], "3");
	assert_string_equal(p.steps[0].v[UPSERT_OPEN], "true");
	assert_string_equal(p.steps[0].v[UPSERT_TOUCH], "true");
	assert_int_equal(p.steps[1].stmt, POST_TAGS);
	assert_string_equal(p.steps[1].v[TAGS_SLUGS],
	    "{\"massage\",\"self-care\"}");
	assert_string_equal(p.steps[1].v[TAGS_NAMES],
	    "{\"Massage\",\"Self care\"}");
	assert_string_equal(p.steps[1].v[TAGS_RENAME], "false");
	assert_int_equal(p.steps[2].stmt, POST_LINKS);
	assert_string_equal(p.steps[2].v[LINKS_SLUG], "hot-stones");
	assert_string_equal(p.steps[2].v[LINKS_TAGS],
	    "{\"massage\",\"self-care\"}");
	plan_free(&p);
}

static void
test_from_wordpress(void **state)
{
	static const char *const tags[] = { "kiln", "glaze" };
	struct post_row r;
	struct plan p;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.import_key = "wp:101";
	r.slug = "glazes";
	r.title = "Glazes";
	r.excerpt = "On glazes.";
	r.body_source = "";
	r.body_html = "<p>A glaze is glass.</p>";
	r.author = "hannah";
	r.published = 1;
	r.date = "2019-03-04 09:15:00+00";
	r.has_days = 1; /* a date wins over days */
	r.tags = tags;
	r.ntags = 2;
	r.rename_tags = 1;
	plan(&p, &r);
	assert_int_equal(p.n, 2); /* no tags new to the run */
	assert_string_equal(p.steps[0].v[UPSERT_KEY], "wp:101");
	assert_string_equal(p.steps[0].v[UPSERT_DATE],
	    "2019-03-04 09:15:00+00");
	assert_null(p.steps[0].v[UPSERT_DAYS]);
	assert_string_equal(p.steps[0].v[UPSERT_OPEN], "false");
	assert_string_equal(p.steps[0].v[UPSERT_TOUCH], "false");
	assert_int_equal(p.steps[1].stmt, POST_LINKS);
	assert_string_equal(p.steps[1].v[LINKS_TAGS], "{\"kiln\",\"glaze\"}");
	plan_free(&p);
}

static void
test_no_tags(void **state)
{
	struct post_row r;
	struct plan p;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.slug = "a-draft";
	plan(&p, &r);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.steps[0].v[UPSERT_STATUS], "draft");
	assert_null(p.steps[0].v[UPSERT_DAYS]);
	assert_string_equal(p.steps[1].v[LINKS_TAGS], "{}");
	plan_free(&p);
}

/* A result of one row of the n values v, as a statement returns it. */
static PGresult *
row(const char *const *v, int n)
{
	PGresAttDesc attrs[POST_COL__MAX];
	PGresult *res;
	int j;

	memset(attrs, 0, sizeof(attrs));
	for (j = 0; j < n; j++) {
		attrs[j].name = (char *)(uintptr_t) "c";
		attrs[j].typid = TEXT_OID;
		attrs[j].typlen = -1;
		attrs[j].atttypmod = -1;
	}
	assert_non_null(res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK));
	assert_true(PQsetResultAttrs(res, n, attrs));
	for (j = 0; j < n; j++)
		assert_true(PQsetvalue(res, 0, j, (char *)(uintptr_t)v[j],
		    (int)strlen(v[j])));
	return res;
}

static void
test_took(void **state)
{
	static const char *const upserted[POST_COL__MAX] = { "7", "unchanged",
		"published", "2026-03-01 09:00 UTC" };
	static const char *const odd[POST_COL__MAX] = { "7", "gone", "draft",
		"" };
	static const char *const tags[] = { "2", "1" };
	static const char *const links[] = { "3" };
	struct post_result got;
	PGresult *res;

	(void)state;
	memset(&got, 0, sizeof(got));
	res = row(odd, POST_COL__MAX);
	post_store_took(&got, POST_UPSERT, res);
	PQclear(res);
	assert_false(got.answered);
	res = row(upserted, POST_COL__MAX);
	post_store_took(&got, POST_UPSERT, res);
	PQclear(res);
	assert_true(got.answered);
	assert_int_equal(got.outcome, POST_UNCHANGED);
	res = row(tags, 2);
	post_store_took(&got, POST_TAGS, res);
	post_store_took(&got, POST_TAGS, res);
	PQclear(res);
	assert_int_equal(got.tags_new, 4);
	assert_int_equal(got.tags_renamed, 2);
	res = row(links, 1);
	post_store_took(&got, POST_LINKS, res);
	PQclear(res);
	assert_int_equal(got.links_changed, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_file),
		cmocka_unit_test(test_from_wordpress),
		cmocka_unit_test(test_no_tags),
		cmocka_unit_test(test_took),
	};

	return cmocka_run_group_tests_name("post_store", tests, NULL, NULL);
}
