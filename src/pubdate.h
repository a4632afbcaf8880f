/*
 * pubdate.h: a post's publication date as written in its front matter.
 */
#ifndef FASCIA_PUBDATE_H
#define FASCIA_PUBDATE_H

enum pubdate_kind {
	PUBDATE_ABSOLUTE, /* text holds a timestamp PostgreSQL reads */
	PUBDATE_RELATIVE  /* days after the moment of import */
};

/* "YYYY-MM-DD HH:MM:SS.ffffff+HH:MM", the longest text, and room. */
#define PUBDATE_TEXT_MAX 40

struct pubdate {
	enum pubdate_kind kind;
	/* PUBDATE_ABSOLUTE's: "YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]" */
	char text[PUBDATE_TEXT_MAX];
	int days; /* PUBDATE_RELATIVE's */
};

int pubdate_parse(const char *s, struct pubdate *d);

#endif
