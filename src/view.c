/*
 * view.c: the page templates, compiled once and rendered many times.
 *
 * All templates are compiled at start-up (and again on SIGHUP) with HTML
 * escaping as the default format, so a value is escaped unless the
 * template says fmt="raw".  Compilation is strict: a syntax error, an
 * unknown tag attribute or an unknown format stops start-up (or a reload)
 * with the file and line, instead of showing a broken page to a reader.
 * The compiled templates are read-only afterwards and shared by every
 * worker through fork.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "view.h"

static const char *const view_files[VIEW__MAX] = {
	[VIEW_INDEX] = "index.html",
	[VIEW_POST] = "post.html",
	[VIEW_ERROR] = "error.html",
	[VIEW_SEARCH] = "search.html",
};

/*
 * Compile every template under c->templates.  Returns the set, to be freed
 * with views_free(), or NULL after logging what is wrong and where.
 */
struct views *
views_load(const struct conf *c)
{
	struct TMPL_options opt;
	struct views *v;
	struct stat st;
	char path[4096];
	int i;

	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->fmts = TMPL_std_fmtlist()) == NULL) {
		log_err("out of memory");
		free(v);
		return NULL;
	}
	memset(&opt, 0, sizeof(opt));
	opt.default_fmt = "entity";
	opt.strict = 1;
	for (i = 0; i < VIEW__MAX; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->templates,
			view_files[i]) >= sizeof(path)) {
			log_err("template path too long");
			goto fail;
		}
		if ((v->t[i] = TMPL_compile_file(path, v->fmts, &opt,
			 stderr)) == NULL) {
			log_err("cannot compile template %s", path);
			goto fail;
		}
	}
	/* The stylesheet's URL changes with the file, so it can be cached
	 * for a year. */
	if ((size_t)snprintf(path, sizeof(path), "%s/style.css",
		c->static_dir) < sizeof(path) &&
	    stat(path, &st) == 0) {
		snprintf(path, sizeof(path), "/static/style.css?v=%lx%lx",
		    (unsigned long)st.st_mtime, (unsigned long)st.st_size);
	} else {
		log_warn("no stylesheet at %s/style.css", c->static_dir);
		snprintf(path, sizeof(path), "/static/style.css");
	}
	if ((v->stylesheet_url = strdup(path)) == NULL) {
		log_err("out of memory");
		goto fail;
	}
	return v;
fail:
	views_free(v);
	return NULL;
}

static void
buf_sink(void *ctx, const char *p, size_t n)
{
	buf_append(ctx, p, n);
}

/*
 * Render the page which with vars, appending to out.  Returns 1, or 0 when
 * rendering failed or the page outgrew the buffer.
 */
int
views_render(const struct views *v, enum view which, const TMPL_varlist *vars,
    struct buf *out)
{
	if (TMPL_render(v->t[which], vars, buf_sink, out, stderr) != 0) {
		log_err("rendering %s failed", view_files[which]);
		return 0;
	}
	if (out->failed) {
		log_err("%s: page larger than the response buffer",
		    view_files[which]);
		return 0;
	}
	return 1;
}

void
views_free(struct views *v)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < VIEW__MAX; i++)
		if (v->t[i] != NULL)
			TMPL_free_template(v->t[i]);
	TMPL_free_fmtlist(v->fmts);
	free(v->stylesheet_url);
	free(v);
}
