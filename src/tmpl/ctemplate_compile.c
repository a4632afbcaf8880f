/*
 * ctemplate_compile.c: the template compiler proper.  It turns the text of
 * one template file into a flat list of instructions (struct ctmpl_op)
 * with static text already unescaped, fmt names bound to functions and the
 * IF/LOOP structure resolved into jumps, printing the original's messages
 * word for word.  Files, includes and whole templates are handled in
 * ctemplate_include.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctemplate_int.h"

#define NONE ((size_t)-1)

enum tagkind {
	TK_VAR,
	TK_IF,
	TK_ELSIF,
	TK_ELSE,
	TK_ENDIF,
	TK_LOOP,
	TK_ENDLOOP,
	TK_BREAK,
	TK_CONTINUE,
	TK_INCLUDE,
	TK_UNLESS,
	TK_ENDUNLESS,
	TK__MAX
};

enum attr { AT_NAME, AT_DEFAULT, AT_FMT, AT_VALUE, AT_LEVEL, AT__MAX };

#define A(x) (1u << (x))

static const struct tagdef {
	const char *name;
	size_t len;
	unsigned attrs; /* allowed attributes */
	int selfclose;	/* may end in "/>" */
	int ext;	/* only with opt->extensions */
} tagdefs[TK__MAX] = {
	[TK_VAR] = { "TMPL_VAR", 8, A(AT_NAME) | A(AT_DEFAULT) | A(AT_FMT), 1,
	    0 },
	[TK_IF] = { "TMPL_IF", 7, A(AT_NAME) | A(AT_VALUE), 0, 0 },
	[TK_ELSIF] = { "TMPL_ELSIF", 10, A(AT_NAME) | A(AT_VALUE), 1, 0 },
	[TK_ELSE] = { "TMPL_ELSE", 9, 0, 1, 0 },
	[TK_ENDIF] = { "/TMPL_IF", 8, 0, 0, 0 },
	[TK_LOOP] = { "TMPL_LOOP", 9, A(AT_NAME), 0, 0 },
	[TK_ENDLOOP] = { "/TMPL_LOOP", 10, 0, 0, 0 },
	[TK_BREAK] = { "TMPL_BREAK", 10, A(AT_LEVEL), 1, 0 },
	[TK_CONTINUE] = { "TMPL_CONTINUE", 13, A(AT_LEVEL), 1, 0 },
	[TK_INCLUDE] = { "TMPL_INCLUDE", 12, A(AT_NAME), 1, 0 },
	[TK_UNLESS] = { "TMPL_UNLESS", 11, A(AT_NAME) | A(AT_VALUE), 0, 1 },
	[TK_ENDUNLESS] = { "/TMPL_UNLESS", 12, 0, 0, 1 },
};

static const char *const attrnames[AT__MAX] = { "NAME", "DEFAULT", "FMT",
	"VALUE", "LEVEL" };

static const char *const specials[] = {
	[SP_FIRST] = "__first__",
	[SP_LAST] = "__last__",
	[SP_INNER] = "__inner__",
	[SP_ODD] = "__odd__",
	[SP_EVEN] = "__even__",
	[SP_COUNTER] = "__counter__",
};

#define R_NAME "(missing \"name=\" attribute) "
#define R_FMT "(bad \"fmt=\" attribute) "
#define R_LOOP "(not inside a loop) "
#define R_LEVEL "(bad \"level=\" attribute) "

/* An IF, UNLESS or LOOP whose closing tag has not been seen yet. */
struct construct {
	enum tagkind kind;
	unsigned long line;
	size_t op;    /* its OP_IF or OP_LOOP */
	size_t cond;  /* the OP_IF whose false jump is unpatched */
	size_t jumps; /* OP_JUMPs to the end, chained through jump */
	int has_else;
};

/* A parsed tag. */
struct tag {
	enum tagkind kind;
	unsigned long line;
	const char *end; /* first byte after the tag, or where it broke */
	int bad;
	const char *reason;
	unsigned seen;
	const char *av[AT__MAX];
	size_t al[AT__MAX];
	const TMPL_fmtlist *fmt;
	unsigned level;
	enum ctmpl_special special;
};

/* The state of one file's compilation. */
struct comp {
	TMPL_template *t;
	struct ctmpl_unit *u;
	const char *src, *end;
	const char *lp; /* the position line refers to */
	unsigned long line;
	FILE *errout;
	struct ctmpl_dbuf *cap; /* a copy of the messages, or NULL */
	struct ctmpl_op *ops;
	size_t nops, capops;
	struct ctmpl_dbuf strs;
	size_t text; /* start of the pending text in strs, or NONE */
	struct construct *stk;
	size_t nstk, capstk;
	unsigned loops; /* open loops in this file */
	int fatal;
};

/*
 * Append n bytes at p to b, keeping a NUL after them.  Returns 0, or -1
 * when memory ran out (b->oom stays set, and later appends do nothing).
 */
int
ctmpl_dbuf_add(struct ctmpl_dbuf *b, const void *p, size_t n)
{
	size_t cap;
	char *np;

	if (b->oom)
		return -1;
	if (n > SIZE_MAX / 2 - b->len) {
		b->oom = 1;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		for (cap = b->cap != 0 ? b->cap : 256; cap < b->len + n + 1;)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return -1;
		}
		b->p = np;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/*
 * Format once, then print to errout and keep a copy in cap: the copy is
 * what a render repeats when it reaches an include that failed.
 */
void
ctmpl_vmsg(FILE *errout, struct ctmpl_dbuf *cap, const char *fmt, va_list ap)
{
	char sbuf[512], *p = sbuf;
	va_list ap2;
	int n;

	if (errout == NULL && cap == NULL)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(sbuf, sizeof(sbuf), fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof(sbuf)) {
		if ((p = malloc((size_t)n + 1)) != NULL)
			n = vsnprintf(p, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	if (n < 0 || p == NULL)
		return;
	if (errout != NULL)
		fwrite(p, 1, (size_t)n, errout);
	if (cap != NULL)
		ctmpl_dbuf_add(cap, p, (size_t)n);
	if (p != sbuf)
		free(p);
}

/* Print a message to errout (NULL: nowhere). */
void
ctmpl_msg(FILE *errout, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctmpl_vmsg(errout, NULL, fmt, ap);
	va_end(ap);
}

static void cmsg(struct comp *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Print a message to errout and append a copy to cap. */
void
ctmpl_msg_cap(FILE *errout, struct ctmpl_dbuf *cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctmpl_vmsg(errout, cap, fmt, ap);
	va_end(ap);
}

static void
cmsg(struct comp *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctmpl_vmsg(c->errout, c->cap, fmt, ap);
	va_end(ap);
}

static int
is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\f' || ch == '\v';
}

static int
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Characters allowed in an unquoted attribute value. */
static int
is_bare(char ch)
{
	return is_alpha(ch) || is_digit(ch) || ch == '.' || ch == '-';
}

static char
upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

static int
match_ci(const char *p, const char *e, const char *name, size_t len)
{
	size_t i;

	if ((size_t)(e - p) < len)
		return 0;
	for (i = 0; i < len; i++)
		if (upper(p[i]) != name[i])
			return 0;
	return 1;
}

/* The line number at p; positions only move forward. */
static unsigned long
line_at(struct comp *c, const char *p)
{
	const char *q;

	while (c->lp < p &&
	    (q = memchr(c->lp, '\n', (size_t)(p - c->lp))) != NULL) {
		c->line++;
		c->lp = q + 1;
	}
	if (c->lp < p)
		c->lp = p;
	return c->line;
}

/* Append a NUL-terminated copy of p..p+n to strs.  Returns its offset. */
static size_t
add_str(struct comp *c, const char *p, size_t n)
{
	size_t off = c->strs.len;

	if (ctmpl_dbuf_add(&c->strs, p, n) == -1 ||
	    ctmpl_dbuf_add(&c->strs, "", 1) == -1)
		return 0;
	return off;
}

static void
pending_text(struct comp *c)
{
	if (c->text == NONE)
		c->text = c->strs.len;
}

/* The length of the line ending at p: 1 for LF, 2 for CRLF, else 0. */
static size_t
eol_at(const char *p, const char *e)
{
	if (p < e && *p == '\n')
		return 1;
	if (e - p >= 2 && p[0] == '\r' && p[1] == '\n')
		return 2;
	return 0;
}

/*
 * Append one run of template text, applying the line continuation rules:
 * "\" + EOL vanishes, "\\" + EOL leaves "\" + EOL.  A run ends at a tag or
 * a comment, so a backslash before one of those is literal.
 */
static void
add_text_run(struct comp *c, const char *p, size_t n)
{
	const char *e = p + n, *bs;
	size_t eol;

	if (n == 0)
		return;
	pending_text(c);
	while ((bs = memchr(p, '\\', (size_t)(e - p))) != NULL) {
		ctmpl_dbuf_add(&c->strs, p, (size_t)(bs - p));
		p = bs + 1;
		if ((eol = eol_at(p, e)) > 0) {
			p += eol;
			continue;
		}
		ctmpl_dbuf_add(&c->strs, "\\", 1);
		if (p < e && *p == '\\' && eol_at(p + 1, e) > 0)
			p++;
	}
	ctmpl_dbuf_add(&c->strs, p, (size_t)(e - p));
}

static size_t
emit(struct comp *c, const struct ctmpl_op *op)
{
	struct ctmpl_op *n;
	size_t cap;

	if (c->nops == c->capops) {
		cap = c->capops != 0 ? c->capops * 2 : 64;
		if (cap > SIZE_MAX / sizeof(*n) ||
		    (n = realloc(c->ops, cap * sizeof(*n))) == NULL) {
			c->strs.oom = 1;
			return NONE;
		}
		c->ops = n;
		c->capops = cap;
	}
	c->ops[c->nops] = *op;
	return c->nops++;
}

/* Turn the pending text into one OP_TEXT, so it is one sink call. */
static void
flush_text(struct comp *c)
{
	struct ctmpl_op op;

	if (c->text == NONE)
		return;
	if (c->strs.len > c->text) {
		memset(&op, 0, sizeof(op));
		op.type = OP_TEXT;
		op.str = c->text;
		op.len = c->strs.len - c->text;
		emit(c, &op);
		/* Keep the NUL after the text out of the next string. */
		ctmpl_dbuf_add(&c->strs, "", 1);
	}
	c->text = NONE;
}

/* Fill in the name, value and flags an OP_VAR or OP_IF takes from t. */
static void
op_from_tag(struct comp *c, struct ctmpl_op *op, enum ctmpl_optype type,
    const struct tag *t)
{
	memset(op, 0, sizeof(*op));
	op->type = (unsigned char)type;
	op->line = t->line;
	op->jump = NONE;
	op->special = (unsigned char)t->special;
	op->str = add_str(c, t->av[AT_NAME], t->al[AT_NAME]);
	op->len = t->al[AT_NAME];
	op->hash = ctmpl_hash(t->av[AT_NAME], t->al[AT_NAME]);
}

/*
 * Check what only the tag's meaning can tell: required and known
 * attributes, fmt, level.  Sets t->bad and t->reason.
 */
static void
check_tag(struct comp *c, struct tag *t)
{
	const struct tagdef *d = &tagdefs[t->kind];
	const char *v;
	unsigned long level;
	size_t i, n;
	int k;

	if (t->bad)
		return;
	if ((d->attrs & A(AT_NAME)) && !(t->seen & A(AT_NAME))) {
		t->bad = 1;
		t->reason = R_NAME;
		return;
	}
	if (t->kind == TK_VAR) {
		if (t->seen & A(AT_FMT)) {
			for (t->fmt = c->t->fl; t->fmt != NULL;
			     t->fmt = t->fmt->next)
				if (strlen(t->fmt->name) == t->al[AT_FMT] &&
				    memcmp(t->fmt->name, t->av[AT_FMT],
					t->al[AT_FMT]) == 0)
					break;
			if (t->fmt == NULL) {
				t->bad = 1;
				t->reason = R_FMT;
				return;
			}
		}
	}
	if (t->kind == TK_BREAK || t->kind == TK_CONTINUE) {
		if (c->loops == 0) {
			t->bad = 1;
			t->reason = R_LOOP;
			return;
		}
		t->level = 1;
		if (t->seen & A(AT_LEVEL)) {
			v = t->av[AT_LEVEL];
			n = t->al[AT_LEVEL];
			level = 0;
			for (i = 0;
			     i < n && is_digit(v[i]) && level <= c->loops; i++)
				level =
				    level * 10 + (unsigned long)(v[i] - '0');
			if (n == 0 || i < n || level < 1 || level > c->loops) {
				t->bad = 1;
				t->reason = R_LEVEL;
				return;
			}
			t->level = (unsigned)level;
		}
	}
	if (c->t->extensions && (t->seen & A(AT_NAME)))
		for (k = SP_FIRST; k <= SP_COUNTER; k++)
			if (strlen(specials[k]) == t->al[AT_NAME] &&
			    memcmp(specials[k], t->av[AT_NAME],
				t->al[AT_NAME]) == 0)
				t->special = (enum ctmpl_special)k;
}

/*
 * Parse the tag that may start at p (a '<').  Returns 0 when p does not
 * start a known tag name: that is plain text, and no warning.  Otherwise
 * fills t; a bad tag has t->bad set and t->end where parsing stopped.
 */
static int
parse_tag(struct comp *c, const char *p, struct tag *t)
{
	const char *q = p + 1, *e = c->end, *an, *v;
	int comment = 0, sawws, k, a;
	size_t alen, vlen;
	char quote;

	if (e - q >= 3 && q[0] == '!' && q[1] == '-' && q[2] == '-') {
		comment = 1;
		for (q += 3; q < e && is_ws(*q); q++)
			continue;
	}
	for (k = 0; k < TK__MAX; k++)
		if ((!tagdefs[k].ext || c->t->extensions) &&
		    match_ci(q, e, tagdefs[k].name, tagdefs[k].len))
			break;
	if (k == TK__MAX)
		return 0;
	memset(t, 0, sizeof(*t));
	t->kind = (enum tagkind)k;
	t->line = line_at(c, q);
	q += tagdefs[k].len;
	for (;;) {
		for (an = q; q < e && is_ws(*q); q++)
			continue;
		sawws = q > an;
		if (comment && e - q >= 3 && memcmp(q, "-->", 3) == 0) {
			q += 3;
			break;
		}
		if (comment && e - q >= 4 && memcmp(q, "/-->", 4) == 0) {
			q += 4;
			if (!tagdefs[k].selfclose)
				t->bad = 1;
			break;
		}
		if (!comment && q < e && *q == '>') {
			q++;
			break;
		}
		if (!comment && e - q >= 2 && q[0] == '/' && q[1] == '>') {
			q += 2;
			if (!tagdefs[k].selfclose)
				t->bad = 1;
			break;
		}
		if (!sawws)
			goto broken;
		for (an = q;
		     q < e && (is_alpha(*q) || is_digit(*q) || *q == '_'); q++)
			continue;
		if ((alen = (size_t)(q - an)) == 0)
			goto broken;
		while (q < e && is_ws(*q))
			q++;
		if (q == e || *q != '=')
			goto broken;
		for (q++; q < e && is_ws(*q); q++)
			continue;
		if (q < e && (*q == '"' || *q == '\'')) {
			quote = *q++;
			for (v = q; q < e && *q != quote && *q != '\n'; q++)
				continue;
			if (q == e || *q != quote)
				goto broken;
			vlen = (size_t)(q++ - v);
		} else {
			for (v = q; q < e && is_bare(*q); q++)
				continue;
			if ((vlen = (size_t)(q - v)) == 0)
				goto broken;
		}
		for (a = 0; a < AT__MAX; a++)
			if (strlen(attrnames[a]) == alen &&
			    match_ci(an, an + alen, attrnames[a], alen))
				break;
		/* Unknown or repeated: bad, but the tag is read to its end. */
		if (a == AT__MAX || !(tagdefs[k].attrs & A(a)) ||
		    (t->seen & A(a)))
			t->bad = 1;
		else {
			t->seen |= A(a);
			t->av[a] = v;
			t->al[a] = vlen;
		}
	}
	t->end = q;
	check_tag(c, t);
	return 1;
broken:
	t->bad = 1;
	t->end = q;
	return 1;
}

static int
push(struct comp *c, enum tagkind kind, unsigned long line, size_t op)
{
	struct construct *n;
	size_t cap;

	if (c->nstk == c->capstk) {
		cap = c->capstk != 0 ? c->capstk * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*n) ||
		    (n = realloc(c->stk, cap * sizeof(*n))) == NULL) {
			c->strs.oom = 1;
			return -1;
		}
		c->stk = n;
		c->capstk = cap;
	}
	n = &c->stk[c->nstk++];
	n->kind = kind;
	n->line = line;
	n->op = op;
	n->cond = kind == TK_LOOP ? NONE : op;
	n->jumps = NONE;
	n->has_else = 0;
	return 0;
}

static const char *
closer(enum tagkind k)
{
	if (k == TK_LOOP)
		return "/TMPL_LOOP";
	return k == TK_IF ? "/TMPL_IF" : "/TMPL_UNLESS";
}

/* Report and drop every construct above stack index keep. */
static void
unwind(struct comp *c, size_t keep)
{
	struct construct *s;

	while (c->nstk > keep) {
		s = &c->stk[--c->nstk];
		cmsg(c, "%s tag in file \"%s\" line %lu has no %s tag\n",
		    tagdefs[s->kind].name, c->u->path, s->line,
		    closer(s->kind));
		if (s->kind == TK_LOOP)
			c->loops--;
		c->fatal = 1;
	}
}

/*
 * Find the open construct a closing or continuing tag belongs to: the
 * nearest one that accepts it; the ones above it are unterminated.
 * Returns it, or NULL after reporting the tag as unexpected.
 */
static struct construct *
owner(struct comp *c, const struct tag *t)
{
	struct construct *s;
	size_t i;

	for (i = c->nstk; i-- > 0;) {
		s = &c->stk[i];
		if ((t->kind == TK_ENDLOOP && s->kind == TK_LOOP) ||
		    (t->kind == TK_ENDIF && s->kind == TK_IF) ||
		    (t->kind == TK_ENDUNLESS && s->kind == TK_UNLESS) ||
		    (t->kind == TK_ELSIF && s->kind == TK_IF) ||
		    (t->kind == TK_ELSE &&
			(s->kind == TK_IF || s->kind == TK_UNLESS))) {
			unwind(c, i + 1);
			if ((t->kind == TK_ELSIF || t->kind == TK_ELSE) &&
			    s->has_else)
				break;
			return s;
		}
	}
	cmsg(c, "Unexpected %s tag in file \"%s\" line %lu\n",
	    tagdefs[t->kind].name, c->u->path, t->line);
	c->fatal = 1;
	return NULL;
}

/* Patch the chain of OP_JUMPs starting at j to jump to target. */
static void
patch_jumps(struct comp *c, size_t j, size_t target)
{
	size_t next;

	for (; j != NONE && j < c->nops; j = next) {
		next = c->ops[j].jump;
		c->ops[j].jump = target;
	}
}

/* Add a jump to the end of construct s, before an ELSIF or ELSE. */
static void
branch_end(struct comp *c, struct construct *s)
{
	struct ctmpl_op op;
	size_t j;

	memset(&op, 0, sizeof(op));
	op.type = OP_JUMP;
	op.jump = s->jumps;
	if ((j = emit(c, &op)) != NONE)
		s->jumps = j;
	if (s->cond != NONE && s->cond < c->nops)
		c->ops[s->cond].jump = c->nops;
	s->cond = NONE;
}

/*
 * Resolve ".../" against the directory of the including file's name, as
 * given.  Returns the offset in strs of the path to open.
 */
static size_t
include_path(struct comp *c, const char *v, size_t n)
{
	const char *slash;
	size_t off;

	if (n < 4 || memcmp(v, ".../", 4) != 0)
		return add_str(c, v, n);
	if ((slash = strrchr(c->u->name, '/')) == NULL)
		return add_str(c, v + 4, n - 4);
	off = c->strs.len;
	if (ctmpl_dbuf_add(&c->strs, c->u->name,
		(size_t)(slash - c->u->name)) == -1)
		return 0;
	add_str(c, v + 3, n - 3);
	return off;
}

static void
good_tag(struct comp *c, const struct tag *t, const char *p)
{
	struct construct *s = NULL;
	struct ctmpl_op op;
	size_t i;

	flush_text(c);
	switch (t->kind) {
	case TK_VAR:
		op_from_tag(c, &op, OP_VAR, t);
		if (t->seen & A(AT_DEFAULT)) {
			op.has_value = 1;
			op.val =
			    add_str(c, t->av[AT_DEFAULT], t->al[AT_DEFAULT]);
			op.vallen = t->al[AT_DEFAULT];
		}
		if (t->fmt != NULL) {
			op.ffunc = t->fmt->ffunc;
			op.sfunc = t->fmt->sfunc;
		} else {
			op.ffunc = c->t->dffunc;
			op.sfunc = c->t->dsfunc;
		}
		emit(c, &op);
		break;
	case TK_IF:
	case TK_UNLESS:
	case TK_ELSIF:
		if (t->kind == TK_ELSIF) {
			if ((s = owner(c, t)) == NULL)
				break;
			branch_end(c, s);
		}
		op_from_tag(c, &op, OP_IF, t);
		op.negate = t->kind == TK_UNLESS;
		if (t->seen & A(AT_VALUE)) {
			op.has_value = 1;
			op.val = add_str(c, t->av[AT_VALUE], t->al[AT_VALUE]);
			op.vallen = t->al[AT_VALUE];
		}
		if ((i = emit(c, &op)) == NONE)
			break;
		if (s != NULL)
			s->cond = i;
		else
			push(c, t->kind, t->line, i);
		break;
	case TK_ELSE:
		if ((s = owner(c, t)) == NULL)
			break;
		branch_end(c, s);
		s->has_else = 1;
		break;
	case TK_ENDIF:
	case TK_ENDUNLESS:
		if ((s = owner(c, t)) == NULL)
			break;
		if (s->cond != NONE && s->cond < c->nops)
			c->ops[s->cond].jump = c->nops;
		patch_jumps(c, s->jumps, c->nops);
		c->nstk--;
		break;
	case TK_LOOP:
		op_from_tag(c, &op, OP_LOOP, t);
		if ((i = emit(c, &op)) != NONE &&
		    push(c, TK_LOOP, t->line, i) == 0)
			c->loops++;
		break;
	case TK_ENDLOOP:
		if ((s = owner(c, t)) == NULL)
			break;
		memset(&op, 0, sizeof(op));
		op.type = OP_ENDLOOP;
		op.jump = s->op;
		if ((i = emit(c, &op)) != NONE && s->op < c->nops)
			c->ops[s->op].jump = i;
		c->nstk--;
		c->loops--;
		break;
	case TK_BREAK:
	case TK_CONTINUE:
		memset(&op, 0, sizeof(op));
		op.type = t->kind == TK_BREAK ? OP_BREAK : OP_CONTINUE;
		op.line = t->line;
		op.level = t->level;
		emit(c, &op);
		break;
	case TK_INCLUDE:
		memset(&op, 0, sizeof(op));
		op.type = OP_INCLUDE;
		op.line = t->line;
		op.str = include_path(c, t->av[AT_NAME], t->al[AT_NAME]);
		op.len = strlen(c->strs.p != NULL ? c->strs.p + op.str : "");
		/* The tag's text, printed instead at the depth limit. */
		op.val = add_str(c, p, (size_t)(t->end - p));
		op.vallen = (size_t)(t->end - p);
		emit(c, &op);
		break;
	case TK__MAX:
		break;
	}
}

/*
 * Give u the n bytes of strings at p (taking ownership), moved to half a
 * page into a page of their own when memory allows (see CTMPL_PAGE).
 */
static void
place_strs(struct ctmpl_unit *u, char *p, size_t n)
{
	size_t size;
	char *m;

	u->strs = p;
	u->nstrs = n;
	if (p == NULL || n > SIZE_MAX / 2)
		return;
	size = (n + 1 + CTMPL_PAGE / 2 + CTMPL_PAGE - 1) &
	    ~(size_t)(CTMPL_PAGE - 1);
	if ((m = aligned_alloc(CTMPL_PAGE, size)) == NULL)
		return;
	memcpy(m + CTMPL_PAGE / 2, p, n + 1);
	free(p);
	u->strsmem = m;
	u->strs = m + CTMPL_PAGE / 2;
}

/*
 * Compile the len bytes at src into u.  Messages go to errout and, if cap
 * is not NULL, are copied there.  Sets u->state; out of memory is
 * reported and makes the unit broken.
 */
void
ctmpl_compile_unit(TMPL_template *tp, struct ctmpl_unit *u, const char *src,
    size_t len, FILE *errout, struct ctmpl_dbuf *cap)
{
	struct comp c;
	struct ctmpl_op op;
	struct tag t;
	const char *p, *run, *e = src + len, *q;

	memset(&c, 0, sizeof(c));
	c.t = tp;
	c.u = u;
	c.src = c.lp = src;
	c.end = e;
	c.line = 1;
	c.errout = errout;
	c.cap = cap;
	c.text = NONE;
	for (p = run = src;
	     p < e && (p = memchr(p, '<', (size_t)(e - p))) != NULL;) {
		if (e - p >= 2 && p[1] == '*') {
			add_text_run(&c, run, (size_t)(p - run));
			for (q = p + 2; q < e &&
			     (q = memchr(q, '*', (size_t)(e - q))) != NULL;
			     q++)
				if (e - q >= 2 && q[1] == '>')
					break;
			if (q == NULL || q >= e) {
				cmsg(&c,
				    "\"<*\" in file \"%s\" line %lu has "
				    "no \"*>\"\n",
				    u->path, line_at(&c, p));
				c.fatal = 1;
				run = e;
				break;
			}
			p = run = q + 2;
			continue;
		}
		if (!parse_tag(&c, p, &t)) {
			p++;
			continue;
		}
		add_text_run(&c, run, (size_t)(p - run));
		if (t.bad) {
			cmsg(&c,
			    "Ignoring bad %s tag %sin file \"%s\" "
			    "line %lu\n",
			    tagdefs[t.kind].name,
			    t.reason != NULL ? t.reason : "", u->path, t.line);
			u->nbad++;
			pending_text(&c);
			ctmpl_dbuf_add(&c.strs, p, (size_t)(t.end - p));
		} else
			good_tag(&c, &t, p);
		p = run = t.end;
	}
	if (run < e)
		add_text_run(&c, run, (size_t)(e - run));
	flush_text(&c);
	unwind(&c, 0);
	memset(&op, 0, sizeof(op));
	op.type = OP_END;
	emit(&c, &op);
	free(c.stk);
	if (c.strs.oom) {
		cmsg(&c, "C Template library: out of memory\n");
		c.fatal = 1;
	}
	if (c.fatal) {
		free(c.ops);
		free(c.strs.p);
		u->state = UNIT_BROKEN;
		return;
	}
	u->ops = c.ops;
	u->nops = c.nops;
	place_strs(u, c.strs.p, c.strs.len);
	u->state = UNIT_OK;
}
