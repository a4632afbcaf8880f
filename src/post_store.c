/*
 * post_store.c: writing a post and its tags, the one way `fascia post
 * import` and `fascia import-wordpress` both do it.
 *
 * A post is written by three statements, run in one transaction by the
 * caller: POST_UPSERT creates or updates its row, POST_TAGS makes sure its
 * tags exist, and POST_LINKS gives it those tags and no others.  The
 * importer sends them through its pipeline with the rest of a post's
 * statements; `post import` runs them one after the other.  Either way the
 * statements are the same, and so is what they do:
 *
 * - A post is matched by its import key, or by its slug.  A post that
 *   came from WordPress and is edited later with `post import` (matched by
 *   slug) keeps its key, so the next import from WordPress finds it again.
 * - An update that changes nothing is left out, so a second run of the
 *   importer changes nothing; `post import` asks for an update all the
 *   same (touch), since importing a file says the post was edited.
 * - A post whose slug changes keeps its old one as a redirect, and the
 *   new slug stops being a redirect of any other post.
 * - The post's date: the one given, else a number of days from now, else
 *   the one it has, else now when it is published.
 *
 * Every parameter is text and every statement casts its parameters, so
 * the statements can be prepared with text parameters (the pipeline) or
 * run without types (PQexecParams) alike.  Arrays travel as array
 * literals (pg_literal.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_literal.h"
#include "post_store.h"

/* The columns of POST_TAGS and of POST_LINKS. */
enum tags_col { TAGS_COL_NEW, TAGS_COL_RENAMED };
enum links_col { LINKS_COL_CHANGED };

_Static_assert((int)UPSERT__MAX <= POST_PARAMS_MAX &&
	(int)TAGS__MAX <= POST_PARAMS_MAX && (int)LINKS__MAX <= POST_PARAMS_MAX,
    "POST_PARAMS_MAX holds every statement's");

/* The columns of the rows a post is matched against and updated from. */
#define POST_COLUMNS \
	"p.id, p.import_key, p.slug, p.title, p.excerpt, p.body_source, " \
	"p.body_html, p.author_id, p.status, p.published_at, p.comments_open"

const struct pg_stmt post_stmts[POST_STMT__MAX] = {
	[POST_UPSERT] = { "post_upsert", UPSERT__MAX,
	    "WITH v AS (SELECT $1::text AS key, $2::text AS slug, "
	    "$3::text AS title, $4::text AS excerpt, $5::text AS body_source, "
	    "$6::text AS body_html, "
	    "(SELECT id FROM authors WHERE slug = $7::text) AS author_id, "
	    "$8::post_status AS status, coalesce($9::timestamptz, "
	    "now() + make_interval(days => $10::int)) AS at, "
	    "$11::boolean AS open, $12::boolean AS touch), "
	    "m AS (SELECT " POST_COLUMNS " FROM posts p, v "
	    " WHERE p.import_key = v.key "
	    " UNION ALL "
	    " SELECT " POST_COLUMNS " FROM posts p, v "
	    " WHERE p.slug = v.slug "
	    " AND (v.key IS NULL OR p.import_key IS NULL) "
	    " AND NOT EXISTS (SELECT 1 FROM posts q "
	    " WHERE q.import_key = v.key)), "
	    "w AS (SELECT m.id, coalesce(v.key, m.import_key) AS key, "
	    " coalesce(v.at, m.published_at, CASE WHEN v.status = 'published' "
	    " THEN now() END) AS at FROM m, v), "
	    "gone AS (DELETE FROM slug_redirects r USING v "
	    " WHERE r.old_slug = v.slug RETURNING 1), "
	    "kept AS (INSERT INTO slug_redirects (old_slug, post_id) "
	    " SELECT m.slug, m.id FROM m, v WHERE m.slug <> v.slug "
	    " ON CONFLICT (old_slug) DO UPDATE SET post_id = excluded.post_id "
	    " RETURNING 1), "
	    "upd AS (UPDATE posts p SET import_key = w.key, slug = v.slug, "
	    " title = v.title, excerpt = v.excerpt, "
	    " body_source = v.body_source, body_html = v.body_html, "
	    " author_id = v.author_id, status = v.status, published_at = w.at, "
	    " comments_open = v.open, updated_at = now() FROM m, w, v "
	    " WHERE p.id = m.id AND w.id = m.id AND (v.touch "
	    " OR m.import_key IS DISTINCT FROM w.key OR m.slug <> v.slug "
	    " OR m.title <> v.title OR m.excerpt <> v.excerpt "
	    " OR m.body_source <> v.body_source "
	    " OR m.body_html <> v.body_html OR m.author_id <> v.author_id "
	    " OR m.status <> v.status OR m.published_at IS DISTINCT FROM w.at "
	    " OR m.comments_open <> v.open) "
	    " RETURNING p.id, 'updated'::text AS outcome, p.status, "
	    " p.published_at), "
	    "ins AS (INSERT INTO posts (import_key, slug, title, excerpt, "
	    " body_source, body_html, author_id, status, published_at, "
	    " comments_open) SELECT v.key, v.slug, v.title, v.excerpt, "
	    " v.body_source, v.body_html, v.author_id, v.status, "
	    " coalesce(v.at, CASE WHEN v.status = 'published' THEN now() END), "
	    " v.open FROM v WHERE NOT EXISTS (SELECT 1 FROM m) "
	    " RETURNING id, 'new'::text AS outcome, status, published_at), "
	    "r AS (SELECT * FROM upd UNION ALL SELECT * FROM ins "
	    " UNION ALL SELECT m.id, 'unchanged'::text, m.status, "
	    " m.published_at FROM m WHERE NOT EXISTS (SELECT 1 FROM upd)) "
	    "SELECT id, outcome, CASE WHEN status = 'draft' THEN 'draft' "
	    "WHEN published_at > now() THEN 'scheduled' ELSE 'published' END, "
	    "coalesce(to_char(published_at, 'YYYY-MM-DD HH24:MI TZ'), '') "
	    "FROM r" },
	[POST_TAGS] = { "post_tags", TAGS__MAX,
	    "WITH t AS (SELECT * FROM unnest($1::text::text[], "
	    "$2::text::text[]) AS t(slug, name)), "
	    "ins AS (INSERT INTO tags (slug, name) SELECT slug, name FROM t "
	    " ON CONFLICT (slug) DO NOTHING RETURNING 1), "
	    "upd AS (UPDATE tags g SET name = t.name FROM t "
	    " WHERE $3::boolean AND g.slug = t.slug AND g.name <> t.name "
	    " RETURNING 1) "
	    "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd)" },
	[POST_LINKS] = { "post_links", LINKS__MAX,
	    "WITH p AS (SELECT id FROM posts WHERE slug = $1::text), "
	    "want AS (SELECT id FROM tags "
	    " WHERE slug = ANY ($2::text::text[])), "
	    "del AS (DELETE FROM post_tags pt USING p WHERE pt.post_id = p.id "
	    " AND pt.tag_id NOT IN (SELECT id FROM want) RETURNING 1), "
	    "ins AS (INSERT INTO post_tags (post_id, tag_id) "
	    " SELECT p.id, want.id FROM p, want ON CONFLICT DO NOTHING "
	    " RETURNING 1) "
	    "SELECT (SELECT count(*) FROM del) + (SELECT count(*) FROM ins)" },
};

static const char *const outcome_names[] = {
	[POST_NEW] = "new",
	[POST_UPDATED] = "updated",
	[POST_UNCHANGED] = "unchanged",
};

/* The array literal of the n strings s, copied to a; NULL without memory. */
static const char *
array(struct buf *tmp, struct arena *a, const char *const *s, size_t n)
{
	buf_reset(tmp);
	tmp->max = SIZE_MAX / 2;
	if (!pg_array(tmp, s, n))
		return NULL;
	return arena_strndup(a, tmp->data, tmp->len);
}

/*
 * Work out the statements that write r and their parameters: into steps,
 * *nsteps of them, to run in that order in one transaction.  The
 * parameters point into r and into a (tmp is scratch space), so they live
 * as long as both.  Returns 1, or 0 when out of memory.
 */
int
post_store_plan(const struct post_row *r, struct buf *tmp, struct arena *a,
    struct post_step steps[POST_STMT__MAX], size_t *nsteps)
{
	struct post_step *s = steps;

	memset(steps, 0, POST_STMT__MAX * sizeof(*steps));
	s->stmt = POST_UPSERT;
	s->v[UPSERT_KEY] = r->import_key;
	s->v[UPSERT_SLUG] = r->slug;
	s->v[UPSERT_TITLE] = r->title;
	s->v[UPSERT_EXCERPT] = r->excerpt;
	s->v[UPSERT_BODY_SOURCE] = r->body_source;
	s->v[UPSERT_BODY_HTML] = r->body_html;
	s->v[UPSERT_AUTHOR] = r->author;
	s->v[UPSERT_STATUS] = r->published ? "published" : "draft";
	s->v[UPSERT_DATE] = r->date;
	if (r->date == NULL && r->has_days &&
	    (s->v[UPSERT_DAYS] = arena_printf(a, "%d", r->days)) == NULL)
		return 0;
	s->v[UPSERT_OPEN] = r->comments_open ? "true" : "false";
	s->v[UPSERT_TOUCH] = r->touch ? "true" : "false";
	s++;
	if (r->nnew > 0) {
		s->stmt = POST_TAGS;
		if ((s->v[TAGS_SLUGS] = array(tmp, a, r->new_tags, r->nnew)) ==
			NULL ||
		    (s->v[TAGS_NAMES] = array(tmp, a, r->new_names, r->nnew)) ==
			NULL)
			return 0;
		s->v[TAGS_RENAME] = r->rename_tags ? "true" : "false";
		s++;
	}
	s->stmt = POST_LINKS;
	s->v[LINKS_SLUG] = r->slug;
	if ((s->v[LINKS_TAGS] = array(tmp, a, r->tags, r->ntags)) == NULL)
		return 0;
	s++;
	*nsteps = (size_t)(s - steps);
	return 1;
}

static long
count(const PGresult *res, int col)
{
	return strtol(PQgetvalue(res, 0, col), NULL, 10);
}

/*
 * Add what the statement s returned in res, a result that worked, to
 * *out (zeroed before a post's first statement).
 */
void
post_store_took(struct post_result *out, enum post_stmt s, const PGresult *res)
{
	const char *v;
	size_t i;

	if (PQntuples(res) != 1)
		return;
	switch (s) {
	case POST_UPSERT:
		v = PQgetvalue(res, 0, POST_COL_OUTCOME);
		for (i = 0;
		     i < sizeof(outcome_names) / sizeof(outcome_names[0]); i++)
			if (strcmp(v, outcome_names[i]) == 0) {
				out->outcome = (enum post_outcome)i;
				out->answered = 1;
			}
		break;
	case POST_TAGS:
		out->tags_new += count(res, TAGS_COL_NEW);
		out->tags_renamed += count(res, TAGS_COL_RENAMED);
		break;
	case POST_LINKS:
		out->links_changed += count(res, LINKS_COL_CHANGED);
		break;
	default:
		break;
	}
}
