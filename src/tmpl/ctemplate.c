/*
 * ctemplate.c: the data side of the template engine: variable lists and
 * loops (malloc-built, as libctemplate's, and arena-built for requests),
 * format lists, and the entity and URL encoders.  Parsing is in
 * ctemplate_compile.c, rendering in ctemplate_render.c.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctemplate_int.h"

/*
 * FNV-1a.  Names are short, and what matters is that a mismatch is almost
 * always decided by one integer compare.
 */
uint32_t
ctmpl_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 16777619u;
	}
	return h;
}

/*
 * Mark vl and every list above it as built while memory ran out, so that
 * rendering the tree fails instead of silently missing data.
 */
static void
mark_failed(TMPL_varlist *vl)
{
	while (vl != NULL) {
		vl->failed = 1;
		if (vl->parent == NULL)
			break;
		vl->parent->failed = 1;
		vl = vl->parent->parent;
	}
}

/* Is vl the list holding loop, or above it? */
static int
list_above_loop(const TMPL_varlist *vl, const TMPL_loop *loop)
{
	const TMPL_varlist *p;

	for (; loop != NULL; loop = p->parent) {
		if ((p = loop->parent) == NULL)
			return 0;
		if (p == vl)
			return 1;
	}
	return 0;
}

/* Is loop the one holding vl, or above it? */
static int
loop_above_list(const TMPL_loop *loop, const TMPL_varlist *vl)
{
	const TMPL_loop *l;

	for (; vl != NULL; vl = l->parent) {
		if ((l = vl->parent) == NULL)
			return 0;
		if (l == loop)
			return 1;
	}
	return 0;
}

static void
push_var(TMPL_varlist *vl, struct ctmpl_var *v, const char *name,
    size_t namelen, const char *value, size_t valuelen)
{
	v->name = name;
	v->namelen = namelen;
	v->value = value;
	v->valuelen = valuelen;
	v->hash = ctmpl_hash(name, namelen);
	v->next = vl->vars;
	vl->vars = v;
}

static void
append_row(TMPL_loop *loop, TMPL_varlist *vl)
{
	vl->parent = loop;
	vl->next = NULL;
	if (loop->tail != NULL)
		loop->tail->next = vl;
	else
		loop->head = vl;
	loop->tail = vl;
	if (vl->failed) {
		loop->failed = 1;
		mark_failed(loop->parent);
	}
}

static void
attach_loop(TMPL_varlist *vl, TMPL_loop *loop, const char *name, size_t n)
{
	loop->name = name;
	loop->namelen = n;
	loop->hash = ctmpl_hash(name, n);
	loop->parent = vl;
	loop->next = vl->loops;
	vl->loops = loop;
	if (loop->failed)
		mark_failed(vl);
}

TMPL_varlist *
TMPL_add_var(TMPL_varlist *vl, ...)
{
	struct ctmpl_var *v;
	const char *name, *value;
	size_t n, m;
	char *s;
	va_list ap;

	if (vl != NULL && vl->arena)
		return vl;
	va_start(ap, vl);
	while ((name = va_arg(ap, char *)) != NULL &&
	    (value = va_arg(ap, char *)) != NULL) {
		if (vl == NULL && (vl = calloc(1, sizeof(*vl))) == NULL)
			break;
		n = strlen(name);
		m = strlen(value);
		if (n > SIZE_MAX / 2 - sizeof(*v) || m > SIZE_MAX / 2 ||
		    (v = malloc(sizeof(*v) + n + m + 2)) == NULL) {
			mark_failed(vl);
			break;
		}
		/* One allocation per variable, as the original. */
		s = (char *)(v + 1);
		memcpy(s, name, n + 1);
		memcpy(s + n + 1, value, m + 1);
		push_var(vl, v, s, n, s + n + 1, m);
	}
	va_end(ap);
	return vl;
}

TMPL_loop *
TMPL_add_varlist(TMPL_loop *loop, TMPL_varlist *vl)
{
	if (vl == NULL || vl->parent != NULL || vl->arena)
		return loop;
	if (loop != NULL && (loop->arena || list_above_loop(vl, loop)))
		return loop;
	if (loop == NULL && (loop = calloc(1, sizeof(*loop))) == NULL) {
		/* vl stays the caller's; flag it in case it is used anyway. */
		mark_failed(vl);
		return NULL;
	}
	append_row(loop, vl);
	return loop;
}

TMPL_varlist *
TMPL_add_loop(TMPL_varlist *vl, const char *name, TMPL_loop *loop)
{
	char *s;
	size_t n;

	if (name == NULL || loop == NULL || loop->parent != NULL || loop->arena)
		return vl;
	if (vl != NULL && (vl->arena || loop_above_list(loop, vl)))
		return vl;
	n = strlen(name);
	if ((s = malloc(n + 1)) == NULL) {
		mark_failed(vl);
		return vl;
	}
	memcpy(s, name, n + 1);
	if (vl == NULL && (vl = calloc(1, sizeof(*vl))) == NULL) {
		free(s);
		return NULL;
	}
	attach_loop(vl, loop, s, n);
	return vl;
}

/*
 * The pending lists are chained through their next pointers (rows of a
 * loop already are), so freeing a tree of any depth takes no stack.
 */
void
TMPL_free_varlist(TMPL_varlist *vl)
{
	TMPL_varlist *pending, *cur;
	struct ctmpl_var *v, *vnext;
	TMPL_loop *l, *lnext;

	if (vl == NULL || vl->parent != NULL || vl->arena)
		return;
	pending = vl;
	while ((cur = pending) != NULL) {
		pending = cur->next;
		for (v = cur->vars; v != NULL; v = vnext) {
			vnext = v->next;
			free(v);
		}
		for (l = cur->loops; l != NULL; l = lnext) {
			lnext = l->next;
			if (l->head != NULL) {
				l->tail->next = pending;
				pending = l->head;
			}
			free((char *)(uintptr_t)l->name);
			free(l);
		}
		free(cur);
	}
}

static TMPL_fmtlist *
add_fmt(TMPL_fmtlist *fl, const char *name, TMPL_fmtfunc ff,
    TMPL_fmtfunc_sink sf)
{
	TMPL_fmtlist *e;
	size_t n;

	if (name == NULL || (ff == NULL && sf == NULL))
		return fl;
	n = strlen(name);
	if ((e = malloc(sizeof(*e) + n + 1)) == NULL)
		return fl;
	memcpy(e->name, name, n + 1);
	e->ffunc = ff;
	e->sfunc = sf;
	if (fl == NULL) {
		e->next = NULL;
		return e;
	}
	/* The original's quirk: a new entry goes second, the head stays. */
	e->next = fl->next;
	fl->next = e;
	return fl;
}

TMPL_fmtlist *
TMPL_add_fmt(TMPL_fmtlist *fl, const char *name, TMPL_fmtfunc f)
{
	return f == NULL ? fl : add_fmt(fl, name, f, NULL);
}

TMPL_fmtlist *
TMPL_add_fmt_sink(TMPL_fmtlist *fl, const char *name, TMPL_fmtfunc_sink f)
{
	return f == NULL ? fl : add_fmt(fl, name, NULL, f);
}

void
TMPL_free_fmtlist(TMPL_fmtlist *fl)
{
	TMPL_fmtlist *next;

	for (; fl != NULL; fl = next) {
		next = fl->next;
		free(fl);
	}
}

TMPL_fmtlist *
TMPL_std_fmtlist(void)
{
	TMPL_fmtlist *fl;

	if ((fl = TMPL_add_fmt_sink(NULL, "entity", TMPL_encode_entity_sink)) ==
	    NULL)
		return NULL;
	if (TMPL_add_fmt_sink(fl, "url", TMPL_encode_url_sink)->next == NULL ||
	    TMPL_add_fmt_sink(fl, "raw", TMPL_encode_raw_sink)->next->next ==
		NULL) {
		TMPL_free_fmtlist(fl);
		return NULL;
	}
	return fl;
}

/* The first entry named name, as the original's strcmp walk. */
const TMPL_fmtlist *
ctmpl_fmt_find(const TMPL_fmtlist *fl, const char *name)
{
	for (; fl != NULL; fl = fl->next)
		if (strcmp(fl->name, name) == 0)
			return fl;
	return NULL;
}

/*
 * Encoders stage their output in a small local buffer, so that a value
 * costs one sink call instead of one per escaped character.
 */
struct stage {
	TMPL_sinkfunc sink;
	void *ctx;
	size_t n;
	char buf[512];
};

static void
stage_flush(struct stage *s)
{
	if (s->n > 0)
		s->sink(s->ctx, s->buf, s->n);
	s->n = 0;
}

static void
stage_add(struct stage *s, const char *p, size_t n)
{
	if (n > sizeof(s->buf) - s->n) {
		stage_flush(s);
		if (n > sizeof(s->buf)) {
			s->sink(s->ctx, p, n);
			return;
		}
	}
	memcpy(s->buf + s->n, p, n);
	s->n += n;
}

/* The entity for each byte that needs one; NUL ends the value. */
static const struct {
	const char *rep;
	size_t len;
} entities[256] = {
	['&'] = { "&amp;", 5 },
	['<'] = { "&lt;", 4 },
	['>'] = { "&gt;", 4 },
	['"'] = { "&quot;", 6 },
	['\''] = { "&#39;", 5 },
	['\n'] = { "&#10;", 5 },
	['\r'] = { "&#13;", 5 },
};

void
TMPL_encode_entity_sink(const char *v, TMPL_sinkfunc sink, void *ctx)
{
	struct stage s;
	const char *p;
	unsigned char c;

	if (v == NULL)
		return;
	s.sink = sink;
	s.ctx = ctx;
	s.n = 0;
	for (;;) {
		/* Values are short: a table beats strcspn()'s set-up. */
		for (p = v;
		     (c = (unsigned char)*p) != '\0' && entities[c].rep == NULL;
		     p++)
			continue;
		if (p > v)
			stage_add(&s, v, (size_t)(p - v));
		if (c == '\0')
			break;
		stage_add(&s, entities[c].rep, entities[c].len);
		v = p + 1;
	}
	stage_flush(&s);
}

void
TMPL_encode_url_sink(const char *v, TMPL_sinkfunc sink, void *ctx)
{
	static const char hex[] = "0123456789ABCDEF";
	struct stage s;
	unsigned char c;
	char esc[3];

	if (v == NULL)
		return;
	s.sink = sink;
	s.ctx = ctx;
	s.n = 0;
	for (; (c = (unsigned char)*v) != '\0'; v++) {
		/* ASCII only: isalnum() would depend on the locale. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')
			stage_add(&s, v, 1);
		else if (c == ' ')
			stage_add(&s, "+", 1);
		else {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 0xf];
			stage_add(&s, esc, 3);
		}
	}
	stage_flush(&s);
}

void
TMPL_encode_raw_sink(const char *v, TMPL_sinkfunc sink, void *ctx)
{
	size_t n;

	if (v != NULL && (n = strlen(v)) > 0)
		sink(ctx, v, n);
}

void
TMPL_encode_entity(const char *v, FILE *out)
{
	TMPL_encode_entity_sink(v, TMPL_sink_file, out);
}

void
TMPL_encode_url(const char *v, FILE *out)
{
	TMPL_encode_url_sink(v, TMPL_sink_file, out);
}

/*
 * The arena.  Chunks are kept across resets and reused in order; a chunk
 * bigger than the standard size (one huge allocation) is given back on
 * reset so that one odd request does not pin its memory forever.
 */
struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct TMPL_arena {
	struct arena_chunk *first, *cur, *last;
	size_t chunk;
	size_t max;
	size_t total;
};

#define ARENA_ALIGN (alignof(max_align_t))

TMPL_arena *
TMPL_arena_new_max(size_t chunk, size_t max)
{
	TMPL_arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->chunk = chunk == 0 ? 8192 : chunk;
	a->max = max;
	return a;
}

TMPL_arena *
TMPL_arena_new(size_t chunk)
{
	return TMPL_arena_new_max(chunk, 0);
}

static void *
arena_alloc(TMPL_arena *a, size_t n)
{
	struct arena_chunk *c;
	size_t size;
	void *p;

	n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	while (a->cur != NULL && a->cur->size - a->cur->used < n)
		a->cur = a->cur->next;
	if (a->cur == NULL) {
		size = n > a->chunk ? n : a->chunk;
		if (size > SIZE_MAX - sizeof(*c) ||
		    (a->max != 0 &&
			(size > a->max - a->total || a->total > a->max)) ||
		    (c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->next = NULL;
		c->size = size;
		c->used = 0;
		a->total += size;
		if (a->last != NULL)
			a->last->next = c;
		else
			a->first = c;
		a->last = a->cur = c;
	}
	p = a->cur->data + a->cur->used;
	a->cur->used += n;
	return p;
}

void
TMPL_arena_reset(TMPL_arena *a)
{
	struct arena_chunk *c, *next, **pp;

	if (a == NULL)
		return;
	a->last = NULL;
	for (pp = &a->first; (c = *pp) != NULL; pp = &c->next) {
		while (c != NULL && c->size > a->chunk) {
			next = c->next;
			a->total -= c->size;
			free(c);
			*pp = c = next;
		}
		if (c == NULL)
			break;
		c->used = 0;
		a->last = c;
	}
	a->cur = a->first;
}

void
TMPL_arena_free(TMPL_arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->first; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

static TMPL_varlist *
arena_list(TMPL_arena *a)
{
	TMPL_varlist *vl;

	if ((vl = arena_alloc(a, sizeof(*vl))) == NULL)
		return NULL;
	memset(vl, 0, sizeof(*vl));
	vl->arena = 1;
	return vl;
}

TMPL_varlist *
TMPL_arena_add_var(TMPL_arena *a, TMPL_varlist *vl, const char *name,
    const char *value)
{
	struct ctmpl_var *v;

	if (a == NULL || name == NULL || value == NULL ||
	    (vl != NULL && !vl->arena))
		return NULL;
	if ((v = arena_alloc(a, sizeof(*v))) == NULL)
		return NULL;
	if (vl == NULL && (vl = arena_list(a)) == NULL)
		return NULL;
	push_var(vl, v, name, strlen(name), value, strlen(value));
	return vl;
}

TMPL_loop *
TMPL_arena_add_varlist(TMPL_arena *a, TMPL_loop *loop, TMPL_varlist *vl)
{
	if (a == NULL || vl == NULL || !vl->arena || vl->parent != NULL)
		return NULL;
	if (loop != NULL && (!loop->arena || list_above_loop(vl, loop)))
		return NULL;
	if (loop == NULL) {
		if ((loop = arena_alloc(a, sizeof(*loop))) == NULL)
			return NULL;
		memset(loop, 0, sizeof(*loop));
		loop->arena = 1;
	}
	append_row(loop, vl);
	return loop;
}

TMPL_varlist *
TMPL_arena_add_loop(TMPL_arena *a, TMPL_varlist *vl, const char *name,
    TMPL_loop *loop)
{
	if (a == NULL || name == NULL || loop == NULL || !loop->arena ||
	    loop->parent != NULL)
		return NULL;
	if (vl != NULL && (!vl->arena || loop_above_list(loop, vl)))
		return NULL;
	if (vl == NULL && (vl = arena_list(a)) == NULL)
		return NULL;
	attach_loop(vl, loop, name, strlen(name));
	return vl;
}
