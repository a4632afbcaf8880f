/*
 * wp_skip.h: what of a WordPress export fascia leaves out on purpose,
 * and why.
 */
#ifndef FASCIA_WP_SKIP_H
#define FASCIA_WP_SKIP_H

#include "wxr.h"

enum wp_skip {
	WP_SKIP_DRAFT,
	WP_SKIP_PENDING,
	WP_SKIP_PRIVATE,
	WP_SKIP_PASSWORD,
	WP_SKIP_TRASH,
	WP_SKIP_OTHER_STATUS,
	WP_SKIP_PAGE,
	WP_SKIP_ATTACHMENT,
	WP_SKIP_MENU_ITEM,
	WP_SKIP_REVISION,
	WP_SKIP_OTHER_TYPE,
	WP_SKIP_UNAPPROVED,
	WP_SKIP_SPAM,
	WP_SKIP_TRASHED_COMMENT,
	WP_SKIP_PINGBACK,
	WP_SKIP_TRACKBACK,
	WP_SKIP_OTHER_COMMENT,
	WP_SKIP_UNCATEGORIZED,
	WP_SKIP_OTHER_TERM,
	WP_SKIP__MAX
};

int wp_skip_item(const struct wxr_item *it, enum wp_skip *why);
int wp_skip_comment(const struct wxr_comment *c, enum wp_skip *why);
int wp_skip_term(const struct wxr_term *t, enum wp_skip *why);

#endif
