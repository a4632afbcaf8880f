/*
 * view.h: the compiled page templates.
 */
#ifndef FASCIA_VIEW_H
#define FASCIA_VIEW_H

#include "buf.h"
#include "conf.h"
#include "ctemplate.h"

enum view { VIEW_INDEX, VIEW_POST, VIEW_ERROR, VIEW_SEARCH, VIEW__MAX };

struct views {
	TMPL_template *t[VIEW__MAX];
	TMPL_fmtlist *fmts;
	char *stylesheet_url;
};

struct views *views_load(const struct conf *c);
int views_render(const struct views *v, enum view which,
    const TMPL_varlist *vars, struct buf *out);
void views_free(struct views *v);

#endif
