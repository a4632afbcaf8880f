/*
 * wxr.h: reading a WordPress export file (WXR 1.0 to 1.2) as a stream of
 * authors and items, in constant memory whatever the file's size.
 */
#ifndef FASCIA_WXR_H
#define FASCIA_WXR_H

#include <stddef.h>

#include "text.h"

#define WXR_TEXT_MAX (8u << 20)	 /* a post's content, a comment */
#define WXR_LINE_MAX (64u << 10) /* every other field */
#define WXR_ITEM_MIB 256	 /* an item and all its comments... */
#define WXR_ITEM_MAX ((unsigned)WXR_ITEM_MIB << 20) /* ...in bytes */
#define WXR_ITEM_MIB_TEXT LIMIT_TEXT(WXR_ITEM_MIB)

/* <wp:author>; a field is NULL when the export does not have it. */
enum wxr_author_field {
	WA_ID,
	WA_LOGIN,
	WA_EMAIL,
	WA_DISPLAY_NAME,
	WA_FIRST_NAME,
	WA_LAST_NAME,
	WA_DESCRIPTION,
	WA__MAX
};

/* <item>: a post, a page, an attachment, a menu item... */
enum wxr_item_field {
	WI_TITLE,
	WI_CREATOR,
	WI_CONTENT,
	WI_EXCERPT,
	WI_POST_ID,
	WI_POST_DATE,
	WI_POST_DATE_GMT,
	WI_COMMENT_STATUS,
	WI_POST_NAME,
	WI_STATUS,
	WI_POST_TYPE,
	WI_POST_PASSWORD,
	WI__MAX
};

/* <wp:comment> inside an item. */
enum wxr_comment_field {
	WC_ID,
	WC_AUTHOR,
	WC_AUTHOR_EMAIL,
	WC_AUTHOR_URL,
	WC_DATE,
	WC_DATE_GMT,
	WC_CONTENT,
	WC_APPROVED,
	WC_TYPE,
	WC_PARENT,
	WC__MAX
};

struct wxr_author {
	const char *f[WA__MAX];
	long line;
};

/* <category domain="post_tag" nicename="caf%c3%a9">Café</category> */
struct wxr_term {
	const char *domain;
	const char *nicename;
	const char *name;
};

struct wxr_comment {
	const char *f[WC__MAX];
	long line;
};

struct wxr_item {
	const char *f[WI__MAX];
	const struct wxr_term *terms;
	size_t nterms;
	const struct wxr_comment *comments;
	size_t ncomments;
	const char *const *old_slugs; /* from _wp_old_slug post meta */
	size_t nold_slugs;
	const char *bad; /* why the item cannot be used, or NULL */
	long line;
};

/*
 * Called for each author and each item, in file order.  What they are
 * given lives until they return.  They return 1 to go on, 0 to stop.
 */
struct wxr_handler {
	int (*author)(void *arg, const struct wxr_author *a);
	int (*item)(void *arg, const struct wxr_item *it);
	void *arg;
};

enum wxr_res {
	WXR_OK,	     /* the whole file was read */
	WXR_STOPPED, /* a handler returned 0 */
	WXR_ERROR    /* not readable, not well-formed, or not an export */
};

enum wxr_res wxr_read(const char *path, const struct wxr_handler *h, char *err,
    size_t errsz);

#endif
