/*
 * ctemplate_include.c: templates as sets of files.  It reads template
 * files, keeps one compiled unit per distinct path, resolves includes
 * (eagerly, breadth first, for TMPL_compile_*; lazily, as a render reaches
 * them, for TMPL_write), checks include depth in strict mode, and owns the
 * template's lifetime (TMPL_free_template).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctemplate_int.h"

/* A bound on the files one template may pull in (".../" can go deep). */
#define MAX_UNITS 4096

/*
 * Read the whole regular file path.  Returns 0 and a malloc'd buffer (NUL
 * terminated, *lenp bytes) or -1.
 */
static int
read_file(const char *path, char **bufp, size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < 0 || (uintmax_t)st.st_size >= SIZE_MAX / 2)
		goto fail;
	n = (size_t)st.st_size;
	if ((buf = malloc(n + 1)) == NULL ||
	    (n > 0 && fread(buf, 1, n, f) != n))
		goto fail;
	buf[n] = '\0';
	fclose(f);
	*bufp = buf;
	*lenp = n;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

static char *
copy(const char *s, size_t n)
{
	char *p;

	if ((p = malloc(n + 1)) != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* The path to open for name: root_dir/name when name is relative. */
static char *
open_path(const TMPL_template *t, const char *name)
{
	size_t rn, nn;
	char *p;

	if (t->root_dir == NULL || name[0] == '/')
		return copy(name, strlen(name));
	rn = strlen(t->root_dir);
	nn = strlen(name);
	while (rn > 1 && t->root_dir[rn - 1] == '/')
		rn--;
	if ((p = malloc(rn + nn + 2)) == NULL)
		return NULL;
	memcpy(p, t->root_dir, rn);
	p[rn] = '/';
	memcpy(p + rn + 1, name, nn + 1);
	return p;
}

static void
free_unit(struct ctmpl_unit *u)
{
	if (u == NULL)
		return;
	free(u->name);
	free(u->path);
	free(u->ops);
	if (u->strsmem != NULL)
		free(u->strsmem);
	else
		free(u->strs);
	free(u->msgs);
	free(u);
}

/*
 * Add a unit for name, to be opened at path (both copied).  Returns it, or
 * NULL on out of memory or past MAX_UNITS.
 */
static struct ctmpl_unit *
new_unit(TMPL_template *t, const char *name, const char *path, unsigned depth)
{
	struct ctmpl_unit *u, **n;
	size_t cap;

	if (t->nunits == t->capunits) {
		cap = t->capunits != 0 ? t->capunits * 2 : 8;
		if (cap > MAX_UNITS ||
		    (n = realloc(t->units, cap * sizeof(*n))) == NULL)
			return NULL;
		t->units = n;
		t->capunits = cap;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	if ((u->name = copy(name, strlen(name))) == NULL ||
	    (u->path = copy(path, strlen(path))) == NULL) {
		free_unit(u);
		return NULL;
	}
	u->hash = ctmpl_hash(path, strlen(path));
	u->depth = depth;
	u->state = UNIT_BROKEN;
	t->units[t->nunits++] = u;
	return u;
}

/* Read and compile u, keeping its messages if it fails. */
static void
load_unit(TMPL_template *t, struct ctmpl_unit *u, FILE *errout)
{
	struct ctmpl_dbuf cap;
	size_t len;
	char *src;

	memset(&cap, 0, sizeof(cap));
	if (read_file(u->path, &src, &len) == -1) {
		u->state = UNIT_UNREADABLE;
		ctmpl_msg_cap(errout, &cap,
		    "C Template library: failed to read "
		    "template from file \"%s\"\n",
		    u->path);
	} else {
		ctmpl_compile_unit(t, u, src, len, errout, &cap);
		free(src);
	}
	if (u->state != UNIT_OK && !cap.oom) {
		u->msgs = cap.p;
		u->msgslen = cap.len;
	} else
		free(cap.p);
}

static struct ctmpl_unit *
find_unit(const TMPL_template *t, const char *path)
{
	uint32_t h = ctmpl_hash(path, strlen(path));
	size_t i;

	for (i = 0; i < t->nunits; i++)
		if (t->units[i]->hash == h &&
		    strcmp(t->units[i]->path, path) == 0)
			return t->units[i];
	return NULL;
}

/*
 * The unit an OP_INCLUDE of from names, read and compiled on first use
 * (its messages go to errout then).  Returns NULL on out of memory.
 */
static struct ctmpl_unit *
include_unit(TMPL_template *t, const struct ctmpl_unit *from,
    const struct ctmpl_op *op, FILE *errout)
{
	struct ctmpl_unit *u;
	const char *name = from->strs + op->str;
	char *path;

	if ((path = open_path(t, name)) == NULL)
		return NULL;
	if ((u = find_unit(t, path)) == NULL &&
	    (u = new_unit(t, name, path, from->depth + 1)) != NULL)
		load_unit(t, u, errout);
	free(path);
	return u;
}

/*
 * For TMPL_write's lazy mode: the unit an include reached during the
 * render names, compiled now if it is the first time.  Returns NULL on out
 * of memory.
 */
struct ctmpl_unit *
ctmpl_include(TMPL_template *t, const struct ctmpl_unit *from,
    const struct ctmpl_op *op, FILE *errout)
{
	return include_unit(t, from, op, errout);
}

/*
 * Compile every include reachable from the main file, breadth first so
 * that each unit's depth is that of its shortest chain; units at the depth
 * limit do not need their includes, which could never be rendered (and
 * ".../" chains would otherwise never end).  Returns 0, or -1 (reported)
 * on out of memory or too many files, or when strict and an include is
 * broken or has bad tags.
 */
static int
resolve_includes(TMPL_template *t, FILE *errout)
{
	struct ctmpl_unit *u;
	struct ctmpl_op *op;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < t->nunits; i++) {
		u = t->units[i];
		if (t->strict && i > 0 &&
		    (u->state == UNIT_BROKEN || u->nbad > 0))
			rc = -1;
		if (u->state != UNIT_OK)
			continue;
		for (j = 0; j < u->nops; j++) {
			op = &u->ops[j];
			if (op->type != OP_INCLUDE)
				continue;
			if (u->depth >= CTMPL_MAX_DEPTH)
				continue;
			if ((op->unit = include_unit(t, u, op, errout)) ==
			    NULL) {
				ctmpl_msg(errout,
				    "C Template library: out of "
				    "memory or more than %d files\n",
				    MAX_UNITS);
				return -1;
			}
		}
	}
	return rc;
}

static void
cycle_msg(FILE *errout, const struct ctmpl_unit *u, const struct ctmpl_op *op)
{
	ctmpl_msg(errout,
	    "Ignoring bad TMPL_INCLUDE tag " CTMPL_R_CYCLE "in file "
	    "\"%s\" line %lu\n",
	    u->path, op->line);
}

/* The next OP_INCLUDE of u from u->next on, or NULL. */
static const struct ctmpl_op *
next_include(struct ctmpl_unit *u)
{
	for (; u->next < u->nops; u->next++)
		if (u->ops[u->next].type == OP_INCLUDE)
			return &u->ops[u->next];
	return NULL;
}

/*
 * Strict mode: could a render reach the include depth limit?  That needs
 * an include cycle, or a chain of includes more than CTMPL_MAX_DEPTH long
 * from the main file.  A depth-first walk (with its own stack) finds
 * cycles and the height of every unit: the longest chain of includes
 * below it.  Returns 0, or -1 after naming the include at fault.
 */
static int
check_depth(TMPL_template *t, FILE *errout)
{
	struct ctmpl_unit **stk, *u, *v;
	const struct ctmpl_op *op;
	size_t n = 0, i, h;

	if ((stk = calloc(t->nunits, sizeof(*stk))) == NULL) {
		ctmpl_msg(errout, "C Template library: out of memory\n");
		return -1;
	}
	for (i = 0; i < t->nunits; i++) {
		t->units[i]->mark = 0;
		t->units[i]->height = 0;
		t->units[i]->next = 0;
	}
	stk[n++] = t->units[0];
	t->units[0]->mark = 1;
	while (n > 0) {
		u = stk[n - 1];
		if ((op = next_include(u)) == NULL) {
			u->mark = 2;
			n--;
			continue;
		}
		v = op->unit;
		if (v != NULL && v->state == UNIT_OK && v->mark == 1) {
			cycle_msg(errout, u, op);
			free(stk);
			return -1;
		}
		if (v != NULL && v->state == UNIT_OK && v->mark == 0) {
			v->mark = 1;
			stk[n++] = v;
			continue;
		}
		h = 1 + (v != NULL && v->state == UNIT_OK ? v->height : 0);
		if (h > u->height)
			u->height = h;
		u->next++;
	}
	free(stk);
	if (t->units[0]->height <= CTMPL_MAX_DEPTH)
		return 0;
	/* Follow the longest chain down to the include at the limit. */
	for (u = t->units[0], i = 0;; i++) {
		for (u->next = 0; (op = next_include(u)) != NULL; u->next++) {
			v = op->unit;
			h = 1 +
			    (v != NULL && v->state == UNIT_OK ? v->height : 0);
			if (h == u->height)
				break;
		}
		if (i == CTMPL_MAX_DEPTH || op == NULL || op->unit == NULL) {
			if (op != NULL)
				cycle_msg(errout, u, op);
			return -1;
		}
		u = op->unit;
	}
}

/*
 * Compile a template: from src (len bytes) when it is not NULL, named name
 * (which may be NULL), else from the file name.  lazy leaves includes to
 * be compiled when a render reaches them, keeping fl for that.  Returns
 * the template or NULL after reporting why.
 */
TMPL_template *
ctmpl_compile(const char *name, const char *src, size_t len,
    const TMPL_fmtlist *fl, const struct TMPL_options *opt, int lazy,
    FILE *errout)
{
	const TMPL_fmtlist *df;
	struct ctmpl_unit *u;
	TMPL_template *t;
	char *path = NULL, *buf = NULL;

	if (src == NULL && name == NULL) {
		ctmpl_msg(errout,
		    "C Template library: no template "
		    "specified\n");
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto oom;
	t->fl = fl;
	t->lazy = lazy;
	if (opt != NULL) {
		t->strict = opt->strict;
		t->extensions = opt->extensions;
		if (opt->root_dir != NULL &&
		    (t->root_dir =
			    copy(opt->root_dir, strlen(opt->root_dir))) == NULL)
			goto oom;
		if (opt->default_fmt != NULL) {
			if ((df = ctmpl_fmt_find(fl, opt->default_fmt)) ==
			    NULL) {
				ctmpl_msg(errout,
				    "C Template library: "
				    "default fmt \"%s\" is not in the fmtlist"
				    "\n",
				    opt->default_fmt);
				goto fail;
			}
			t->dffunc = df->ffunc;
			t->dsfunc = df->sfunc;
		}
	}
	if (src != NULL) {
		if (name == NULL)
			name = "(none)";
		if ((u = new_unit(t, name, name, 0)) == NULL)
			goto oom;
		ctmpl_compile_unit(t, u, src, len, errout, NULL);
	} else {
		if ((path = open_path(t, name)) == NULL ||
		    (u = new_unit(t, name, path, 0)) == NULL)
			goto oom;
		if (read_file(path, &buf, &len) == -1) {
			ctmpl_msg(errout,
			    "C Template library: failed to read "
			    "template from file \"%s\"\n",
			    path);
			goto fail;
		}
		ctmpl_compile_unit(t, u, buf, len, errout, NULL);
	}
	if (u->state != UNIT_OK)
		goto fail;
	if (t->strict && u->nbad > 0)
		goto fail;
	if (!lazy) {
		if (resolve_includes(t, errout) == -1 ||
		    (t->strict && check_depth(t, errout) == -1))
			goto fail;
		t->fl = NULL;
	}
	free(path);
	free(buf);
	return t;
oom:
	ctmpl_msg(errout, "C Template library: out of memory\n");
fail:
	free(path);
	free(buf);
	TMPL_free_template(t);
	return NULL;
}

TMPL_template *
TMPL_compile_file(const char *filename, const TMPL_fmtlist *fl,
    const struct TMPL_options *opt, FILE *errout)
{
	return ctmpl_compile(filename, NULL, 0, fl, opt, 0, errout);
}

TMPL_template *
TMPL_compile_string(const char *name, const char *src, size_t len,
    const TMPL_fmtlist *fl, const struct TMPL_options *opt, FILE *errout)
{
	if (src == NULL) {
		ctmpl_msg(errout,
		    "C Template library: no template "
		    "specified\n");
		return NULL;
	}
	return ctmpl_compile(name, src, len, fl, opt, 0, errout);
}

void
TMPL_free_template(TMPL_template *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nunits; i++)
		free_unit(t->units[i]);
	free(t->units);
	free(t->root_dir);
	free(t);
}
