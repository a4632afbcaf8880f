/*
 * pubdate.h: a post's publication date as written in its front matter.
 */
#ifndef FASCIA_PUBDATE_H
#define FASCIA_PUBDATE_H

enum pubdate_kind {
	PUBDATE_ABSOLUTE,	/* text holds a timestamp PostgreSQL reads */
	PUBDATE_RELATIVE	/* days after the moment of import */
};

struct pubdate {
	enum pubdate_kind kind;
	char text[40];	/* "YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]" */
	int days;
};

int pubdate_parse(const char *s, struct pubdate *d);

#endif
