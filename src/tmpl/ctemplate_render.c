/*
 * ctemplate_render.c: the render walk over a compiled template, the output
 * sinks and the capped buffer, and TMPL_write(), the original's one-shot
 * entry point (compile lazily, render to a FILE*, free).
 *
 * The walk is a loop over the instructions with an explicit stack of
 * frames, one per loop being iterated or include being expanded, so no
 * recursion at all: neither long nor deeply nested templates use C stack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctemplate_int.h"

/* Frames kept on the C stack before spilling to the heap. */
#define NFRAMES 32

/* Include-cycle warnings remembered per render, to print each once. */
#define NWARNED 16

struct frame {
	const struct ctmpl_unit *u; /* include frame: unit to return to */
	size_t pc;		    /* the OP_INCLUDE, or the OP_LOOP */
	const TMPL_loop *loop;	    /* NULL for an include frame */
	const TMPL_varlist *row;
	const TMPL_varlist *saved; /* the scope around the loop */
	size_t index;
};

struct render {
	const TMPL_template *t;
	TMPL_template *lazy; /* TMPL_write: may compile includes */
	TMPL_sinkfunc sink;
	void *ctx;
	FILE *file; /* for FILE* formats, if the output is */
	FILE *ms;   /* else their output goes through this */
	char *msbuf;
	size_t mslen, msdone;
	FILE *errout;
	const int *stop; /* set when the output buffer failed */
	struct frame *frames;
	size_t nframes, capframes;
	unsigned depth; /* of includes */
	const struct ctmpl_op *warned[NWARNED];
	size_t nwarned;
	char counter[24];
	struct frame local[NFRAMES];
};

/*
 * Look a simple variable up from the list vl outwards: the row, the list
 * holding its loop, and so on to the root.  NULL when there is none.
 */
static const struct ctmpl_var *
find_var(const TMPL_varlist *vl, const char *name, size_t len, uint32_t h)
{
	const struct ctmpl_var *v;

	for (; vl != NULL; vl = vl->parent != NULL ? vl->parent->parent : NULL)
		for (v = vl->vars; v != NULL; v = v->next)
			if (v->hash == h && v->namelen == len &&
			    memcmp(v->name, name, len) == 0)
				return v;
	return NULL;
}

/* As find_var(), in the separate namespace of loops. */
static const TMPL_loop *
find_loop(const TMPL_varlist *vl, const char *name, size_t len, uint32_t h)
{
	const TMPL_loop *l;

	for (; vl != NULL; vl = vl->parent != NULL ? vl->parent->parent : NULL)
		for (l = vl->loops; l != NULL; l = l->next)
			if (l->hash == h && l->namelen == len &&
			    memcmp(l->name, name, len) == 0)
				return l;
	return NULL;
}

/*
 * The value of an extension loop variable.  Returns 0 when no loop is
 * being rendered (the name is then an ordinary variable), else 1 with *vp
 * the value or NULL when it is false.
 */
static int
special(struct render *r, int sp, const char **vp, size_t *lp)
{
	const struct frame *f = NULL;
	size_t i;
	int on = 0;

	for (i = r->nframes; i-- > 0;)
		if ((f = &r->frames[i])->loop != NULL)
			break;
	if (f == NULL || f->loop == NULL)
		return 0;
	switch (sp) {
	case SP_FIRST:
		on = f->index == 0;
		break;
	case SP_LAST:
		on = f->row->next == NULL;
		break;
	case SP_INNER:
		on = f->index != 0 && f->row->next != NULL;
		break;
	case SP_ODD:
		on = f->index % 2 == 0;
		break;
	case SP_EVEN:
		on = f->index % 2 == 1;
		break;
	case SP_COUNTER:
		*lp = (size_t)snprintf(r->counter, sizeof(r->counter), "%zu",
		    f->index + 1);
		*vp = r->counter;
		return 1;
	default:
		return 0;
	}
	*vp = on ? "1" : NULL;
	*lp = on ? 1 : 0;
	return 1;
}

/*
 * Look up the variable op names.  Returns its value and length, or NULL
 * when it does not exist.
 */
static const char *
lookup(struct render *r, const struct ctmpl_unit *u, const struct ctmpl_op *op,
    const TMPL_varlist *scope, size_t *lp)
{
	const struct ctmpl_var *v;
	const char *s;

	if (op->special != SP_NONE && special(r, op->special, &s, lp))
		return s;
	if ((v = find_var(scope, u->strs + op->str, op->len, op->hash)) == NULL)
		return NULL;
	*lp = v->valuelen;
	return v->value;
}

/*
 * Run a FILE* format for a sink that is not a FILE: through a memory
 * stream opened once per render.  Returns 0, or -1 on out of memory.
 */
static int
file_fmt(struct render *r, TMPL_fmtfunc f, const char *v)
{
	if (r->file != NULL) {
		f(v, r->file);
		return 0;
	}
	if (r->ms == NULL &&
	    (r->ms = open_memstream(&r->msbuf, &r->mslen)) == NULL)
		return -1;
	f(v, r->ms);
	if (fflush(r->ms) != 0 || ferror(r->ms))
		return -1;
	if (r->mslen > r->msdone) {
		r->sink(r->ctx, r->msbuf + r->msdone, r->mslen - r->msdone);
		r->msdone = r->mslen;
	}
	return 0;
}

static int
put(struct render *r, const struct ctmpl_op *op, const char *v, size_t n)
{
	if (op->sfunc != NULL)
		op->sfunc(v, r->sink, r->ctx);
	else if (op->ffunc != NULL)
		return file_fmt(r, op->ffunc, v);
	else if (n > 0)
		r->sink(r->ctx, v, n);
	return 0;
}

/* TMPL_VAR: the value, else the default, through the bound format. */
static int
do_var(struct render *r, const struct ctmpl_unit *u, const struct ctmpl_op *op,
    const TMPL_varlist *scope)
{
	const char *v;
	size_t n = 0;

	if ((v = lookup(r, u, op, scope, &n)) != NULL)
		return put(r, op, v, n);
	if (op->has_value)
		return put(r, op, u->strs + op->val, op->vallen);
	return 0;
}

/*
 * TMPL_IF, TMPL_ELSIF, TMPL_UNLESS.  Without value= (and with value="",
 * its negation): a simple variable decides if there is one, by being
 * non-empty; otherwise a loop of that name makes it true.  With value="v":
 * the simple variable must equal v.
 */
static int
test(struct render *r, const struct ctmpl_unit *u, const struct ctmpl_op *op,
    const TMPL_varlist *scope)
{
	const char *v;
	size_t n = 0;
	int on;

	v = lookup(r, u, op, scope, &n);
	if (op->has_value && op->vallen > 0)
		on = v != NULL && n == op->vallen &&
		    memcmp(v, u->strs + op->val, n) == 0;
	else {
		if (v != NULL)
			on = n > 0;
		else
			on = op->special == SP_NONE &&
			    find_loop(scope, u->strs + op->str, op->len,
				op->hash) != NULL;
		if (op->has_value)
			on = !on;
	}
	return op->negate ? !on : on;
}

static struct frame *
push_frame(struct render *r)
{
	struct frame *n;
	size_t cap;

	if (r->nframes == r->capframes) {
		cap = r->capframes * 2;
		if (cap > SIZE_MAX / sizeof(*n))
			return NULL;
		if (r->frames == r->local) {
			if ((n = malloc(cap * sizeof(*n))) == NULL)
				return NULL;
			memcpy(n, r->local, sizeof(r->local));
		} else if ((n = realloc(r->frames, cap * sizeof(*n))) == NULL)
			return NULL;
		r->frames = n;
		r->capframes = cap;
	}
	return &r->frames[r->nframes++];
}

/*
 * An include at the depth limit is a bad tag: its text is output and a
 * warning printed, once per render for each such tag.
 */
static void
cycle(struct render *r, const struct ctmpl_unit *u, const struct ctmpl_op *op)
{
	size_t i;

	r->sink(r->ctx, u->strs + op->val, op->vallen);
	for (i = 0; i < r->nwarned; i++)
		if (r->warned[i] == op)
			return;
	if (r->nwarned < NWARNED)
		r->warned[r->nwarned++] = op;
	ctmpl_msg(r->errout,
	    "Ignoring bad TMPL_INCLUDE tag (check for include "
	    "cycle) in file \"%s\" line %lu\n",
	    u->path, op->line);
}

/*
 * The walk.  Loop frames hold the row being rendered; BREAK and CONTINUE
 * levels were checked against the loops of the same file at compile
 * time, so the frames they pop are always that file's loops.
 */
static int
run(struct render *r, const TMPL_varlist *vl)
{
	const struct ctmpl_unit *u = r->t->units[0], *inc;
	const TMPL_varlist *scope = vl;
	const struct ctmpl_op *op;
	const TMPL_loop *l;
	struct frame *f;
	size_t pc = 0;

	for (;;) {
		if (r->stop != NULL && *r->stop)
			return -1;
		op = &u->ops[pc];
		switch (op->type) {
		case OP_END:
			if (r->nframes == 0)
				return 0;
			f = &r->frames[--r->nframes];
			u = f->u;
			pc = f->pc + 1;
			r->depth--;
			break;
		case OP_TEXT:
			r->sink(r->ctx, u->strs + op->str, op->len);
			pc++;
			break;
		case OP_VAR:
			if (do_var(r, u, op, scope) == -1)
				goto oom;
			pc++;
			break;
		case OP_IF:
			pc = test(r, u, op, scope) ? pc + 1 : op->jump;
			break;
		case OP_JUMP:
			pc = op->jump;
			break;
		case OP_LOOP:
			l = find_loop(scope, u->strs + op->str, op->len,
			    op->hash);
			if (l == NULL || l->head == NULL) {
				pc = op->jump + 1;
				break;
			}
			if ((f = push_frame(r)) == NULL)
				goto oom;
			f->u = u;
			f->pc = pc;
			f->loop = l;
			f->row = l->head;
			f->saved = scope;
			f->index = 0;
			scope = f->row;
			pc++;
			break;
		case OP_CONTINUE:
			r->nframes -= op->level - 1;
			pc = u->ops[r->frames[r->nframes - 1].pc].jump;
			break;
		case OP_ENDLOOP:
			f = &r->frames[r->nframes - 1];
			if ((f->row = f->row->next) != NULL) {
				f->index++;
				scope = f->row;
				pc = f->pc + 1;
			} else {
				scope = f->saved;
				r->nframes--;
				pc = u->ops[f->pc].jump + 1;
			}
			break;
		case OP_BREAK:
			r->nframes -= op->level - 1;
			f = &r->frames[--r->nframes];
			scope = f->saved;
			pc = u->ops[f->pc].jump + 1;
			break;
		case OP_INCLUDE:
			if (r->depth >= CTMPL_MAX_DEPTH) {
				cycle(r, u, op);
				pc++;
				break;
			}
			if (r->lazy != NULL)
				inc = ctmpl_include(r->lazy, u, op, r->errout);
			else
				inc = op->unit;
			if (inc == NULL)
				goto oom;
			if (inc->state != UNIT_OK) {
				/*
				 * Lazily compiled, it has just said why;
				 * else repeat what its compilation said.
				 */
				if (r->lazy == NULL && r->errout != NULL &&
				    inc->msgslen > 0)
					fwrite(inc->msgs, 1, inc->msgslen,
					    r->errout);
				return -1;
			}
			if ((f = push_frame(r)) == NULL)
				goto oom;
			f->u = u;
			f->pc = pc;
			f->loop = NULL;
			r->depth++;
			u = inc;
			pc = 0;
			break;
		default:
			return -1;
		}
	}
oom:
	ctmpl_msg(r->errout, "C Template library: out of memory\n");
	return -1;
}

static int
render(const TMPL_template *t, TMPL_template *lazy, const TMPL_varlist *vl,
    TMPL_sinkfunc sink, void *ctx, FILE *file, FILE *errout, const int *stop)
{
	struct render r;
	int rc;

	if (t == NULL || sink == NULL || t->nunits == 0)
		return -1;
	if (vl != NULL && vl->failed) {
		ctmpl_msg(errout,
		    "C Template library: the variables are "
		    "incomplete (out of memory)\n");
		return -1;
	}
	memset(&r, 0, offsetof(struct render, local));
	r.t = t;
	r.lazy = lazy;
	r.sink = sink;
	r.ctx = ctx;
	r.file = file;
	r.errout = errout;
	r.stop = stop;
	r.frames = r.local;
	r.capframes = NFRAMES;
	rc = run(&r, vl);
	if (r.frames != r.local)
		free(r.frames);
	if (r.ms != NULL) {
		if (fclose(r.ms) != 0)
			rc = -1;
		free(r.msbuf);
	}
	return rc;
}

int
TMPL_render(const TMPL_template *t, const TMPL_varlist *vl, TMPL_sinkfunc sink,
    void *ctx, FILE *errout)
{
	return render(t, NULL, vl, sink, ctx, NULL, errout, NULL);
}

int
TMPL_render_file(const TMPL_template *t, const TMPL_varlist *vl, FILE *out,
    FILE *errout)
{
	if (out == NULL)
		return -1;
	return render(t, NULL, vl, TMPL_sink_file, out, out, errout, NULL);
}

int
TMPL_render_buf(const TMPL_template *t, const TMPL_varlist *vl,
    struct TMPL_buf *out, FILE *errout)
{
	int rc;

	if (out == NULL)
		return -1;
	rc =
	    render(t, NULL, vl, TMPL_sink_buf, out, NULL, errout, &out->failed);
	return out->failed ? -1 : rc;
}

static void
sink_null(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
}

int
TMPL_write(const char *filename, const char *tmplstr, const TMPL_fmtlist *fl,
    const TMPL_varlist *vl, FILE *out, FILE *errout)
{
	TMPL_template *t;
	int rc;

	if ((t = ctmpl_compile(filename, tmplstr,
		 tmplstr != NULL ? strlen(tmplstr) : 0, fl, NULL, 1, errout)) ==
	    NULL)
		return -1;
	rc = render(t, t, vl, out != NULL ? TMPL_sink_file : sink_null, out,
	    out, errout, NULL);
	TMPL_free_template(t);
	return rc;
}

int
TMPL_buf_append(struct TMPL_buf *b, const char *p, size_t n)
{
	size_t need, cap;
	char *np;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX / 2 - b->len || (b->max != 0 && b->len + n > b->max)) {
		b->failed = 1;
		return -1;
	}
	if ((need = b->len + n + 1) > b->cap) {
		/* Page-aligned, whole pages: see CTMPL_PAGE. */
		for (cap = b->cap >= CTMPL_PAGE ? b->cap : CTMPL_PAGE;
		     cap < need;)
			cap *= 2;
		if (b->max != 0 && cap > b->max + 1)
			cap = (b->max + CTMPL_PAGE) & ~(size_t)(CTMPL_PAGE - 1);
		if ((np = aligned_alloc(CTMPL_PAGE, cap)) == NULL) {
			b->failed = 1;
			return -1;
		}
		if (b->data != NULL)
			memcpy(np, b->data, b->len + 1);
		free(b->data);
		b->data = np;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void
TMPL_sink_buf(void *ctx, const char *p, size_t n)
{
	(void)TMPL_buf_append(ctx, p, n);
}

void
TMPL_sink_file(void *ctx, const char *p, size_t n)
{
	if (ctx != NULL && n > 0)
		(void)fwrite(p, 1, n, ctx);
}

void
TMPL_buf_reset(struct TMPL_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
TMPL_buf_free(struct TMPL_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
