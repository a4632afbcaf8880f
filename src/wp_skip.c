/*
 * wp_skip.c: what of a WordPress export fascia leaves out on purpose.
 *
 * fascia takes a blog's public face: its published and scheduled posts,
 * their approved comments, and their categories and tags.  Everything
 * else is left out and counted, each kind under its own reason, so that
 * the report can say what did not come over and why: pages, attachments
 * and drafts, content meant for a password's holders, comments waiting
 * for moderation or marked as spam, pingbacks, WordPress's default
 * category, and the terms of other taxonomies (post formats and the like).
 */
#include <string.h>

#include "wp_skip.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct reason {
	const char *value; /* as the export spells it */
	enum wp_skip why;
};

static const struct reason item_types[] = {
	{ "page", WP_SKIP_PAGE },
	{ "attachment", WP_SKIP_ATTACHMENT },
	{ "nav_menu_item", WP_SKIP_MENU_ITEM },
	{ "revision", WP_SKIP_REVISION },
};

static const struct reason item_statuses[] = {
	{ "draft", WP_SKIP_DRAFT },
	{ "auto-draft", WP_SKIP_DRAFT },
	{ "pending", WP_SKIP_PENDING },
	{ "private", WP_SKIP_PRIVATE },
	{ "trash", WP_SKIP_TRASH },
};

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/* The reason of the value v in the n reasons r, else other. */
static enum wp_skip
reason_of(const struct reason *r, size_t n, const char *v, enum wp_skip other)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v, r[i].value) == 0)
			return r[i].why;
	return other;
}

/*
 * Is the item left out?  Returns 1 with the reason in *why, or 0 when it
 * is a published or scheduled post that fascia imports.
 */
int
wp_skip_item(const struct wxr_item *it, enum wp_skip *why)
{
	const char *type = str(it->f[WI_POST_TYPE]);
	const char *status = str(it->f[WI_STATUS]);

	if (strcmp(type, "post") != 0) {
		*why = reason_of(item_types, NELEM(item_types), type,
		    WP_SKIP_OTHER_TYPE);
		return 1;
	}
	if (strcmp(status, "publish") != 0 && strcmp(status, "future") != 0) {
		*why = reason_of(item_statuses, NELEM(item_statuses), status,
		    WP_SKIP_OTHER_STATUS);
		return 1;
	}
	if (*str(it->f[WI_POST_PASSWORD]) != '\0') {
		/* Its content was meant for those with the password. */
		*why = WP_SKIP_PASSWORD;
		return 1;
	}
	return 0;
}

/*
 * Is the comment left out?  Returns 1 with the reason in *why, or 0 when
 * it is an approved comment that fascia imports.
 */
int
wp_skip_comment(const struct wxr_comment *c, enum wp_skip *why)
{
	const char *type = str(c->f[WC_TYPE]);
	const char *approved = str(c->f[WC_APPROVED]);

	if (strcmp(type, "pingback") == 0)
		*why = WP_SKIP_PINGBACK;
	else if (strcmp(type, "trackback") == 0)
		*why = WP_SKIP_TRACKBACK;
	else if (*type != '\0' && strcmp(type, "comment") != 0)
		*why = WP_SKIP_OTHER_COMMENT;
	else if (strcmp(approved, "1") == 0)
		return 0;
	else if (strcmp(approved, "spam") == 0)
		*why = WP_SKIP_SPAM;
	else if (strcmp(approved, "trash") == 0 ||
	    strcmp(approved, "post-trashed") == 0)
		*why = WP_SKIP_TRASHED_COMMENT;
	else
		*why = WP_SKIP_UNAPPROVED;
	return 1;
}

/*
 * Is the term left out?  Returns 1 with the reason in *why, or 0 when it
 * is a category or a tag that fascia imports as a tag.
 */
int
wp_skip_term(const struct wxr_term *t, enum wp_skip *why)
{
	const char *domain = str(t->domain);

	if (strcmp(domain, "category") != 0 &&
	    strcmp(domain, "post_tag") != 0) {
		*why = WP_SKIP_OTHER_TERM;
		return 1;
	}
	/* Every post WordPress was not told the category of has this one. */
	if (strcmp(domain, "category") == 0 &&
	    strcmp(str(t->nicename), "uncategorized") == 0) {
		*why = WP_SKIP_UNCATEGORIZED;
		return 1;
	}
	return 0;
}
