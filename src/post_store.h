/*
 * post_store.h: writing a post and its tags, the one way `fascia post
 * import` and `fascia import-wordpress` both do it.
 */
#ifndef FASCIA_POST_STORE_H
#define FASCIA_POST_STORE_H

#include <stddef.h>

#include <libpq-fe.h>

#include "arena.h"
#include "buf.h"
#include "pg_pipeline.h"

/* The statements, in the order a post's are run. */
enum post_stmt {
	POST_UPSERT, /* the post's row */
	POST_TAGS,   /* the tags it needs, created when missing */
	POST_LINKS,  /* the post's tags: those and no others */
	POST_STMT__MAX
};

extern const struct pg_stmt post_stmts[POST_STMT__MAX];

/* The columns of POST_UPSERT's one row. */
enum post_col {
	POST_COL_ID,
	POST_COL_OUTCOME,
	POST_COL_STATE, /* "draft", "scheduled" or "published" */
	POST_COL_DATE,	/* "YYYY-MM-DD HH:MM TZ" in the session's zone, or "" */
	POST_COL__MAX
};

/*
 * A post to write.  It is matched by import_key when there is one (or
 * failing that by slug, if the post with that slug has none), else by
 * slug; a post that matches is updated, keeping its import key when the
 * row gives none, and one that does not is created.
 */
struct post_row {
	const char *import_key; /* where it came from ("wp:123"), or NULL */
	const char *slug;	/* a changed slug leaves a redirect */
	const char *title;
	const char *excerpt;
	const char *body_source; /* its Markdown, or "" */
	const char *body_html;
	const char *author; /* the author's slug */
	int published;	    /* else a draft */
	const char *date;   /* when it is published, or NULL: ... */
	int has_days;	    /* ... days after now, when this is set, else
			     * as it was, else now if published */
	int days;
	int comments_open;
	int touch; /* updated even when nothing differs */
	/* Its tags, by slug: it has these and no others afterwards. */
	const char *const *tags;
	size_t ntags;
	/* Tags to create first when missing, with their names. */
	const char *const *new_tags;
	const char *const *new_names;
	size_t nnew;
	int rename_tags; /* those that exist take the names given */
};

/* The parameters of each statement, as post_store_plan() sets them. */
enum upsert_param {
	UPSERT_KEY,
	UPSERT_SLUG,
	UPSERT_TITLE,
	UPSERT_EXCERPT,
	UPSERT_BODY_SOURCE,
	UPSERT_BODY_HTML,
	UPSERT_AUTHOR,
	UPSERT_STATUS,
	UPSERT_DATE,
	UPSERT_DAYS,
	UPSERT_OPEN,
	UPSERT_TOUCH,
	UPSERT__MAX
};
enum tags_param { TAGS_SLUGS, TAGS_NAMES, TAGS_RENAME, TAGS__MAX };
enum links_param { LINKS_SLUG, LINKS_TAGS, LINKS__MAX };

/* The largest nparams of post_stmts. */
#define POST_PARAMS_MAX UPSERT__MAX

/* One statement of a post's writing, with its parameters. */
struct post_step {
	enum post_stmt stmt;
	const char *v[POST_PARAMS_MAX];
};

enum post_outcome { POST_NEW, POST_UPDATED, POST_UNCHANGED };

/* What a post's statements returned, added up by post_store_took(). */
struct post_result {
	int answered; /* POST_UPSERT returned its row: outcome */
	enum post_outcome outcome;
	long tags_new;	    /* tags created */
	long tags_renamed;  /* tags that took a new name */
	long links_changed; /* tags the post gained or lost */
};

int post_store_plan(const struct post_row *r, struct buf *tmp, struct arena *a,
    struct post_step steps[POST_STMT__MAX], size_t *nsteps);
void post_store_took(struct post_result *out, enum post_stmt s,
    const PGresult *res);

#endif
