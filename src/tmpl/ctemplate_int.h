/*
 * ctemplate_int.h: the template engine's private types and functions,
 * shared by ctemplate.c (variables, formats, arena, encoders),
 * ctemplate_compile.c (the parser), ctemplate_include.c (files, includes,
 * template lifetime) and ctemplate_render.c (the render walk, sinks,
 * buffers and TMPL_write).  Nothing outside those files includes it.
 */
#ifndef FASCIA_CTEMPLATE_INT_H
#define FASCIA_CTEMPLATE_INT_H

#include <stdarg.h>
#include <stdint.h>

#include "ctemplate.h"

/* The original's include depth limit: the tag at depth 30 is a bad tag. */
#define CTMPL_MAX_DEPTH 30

/*
 * Big copies from a template's text into an output buffer run at a tenth
 * of their speed on some x86 CPUs (rep movsb on AMD Zen, for one) when the
 * destination sits a few bytes above the source modulo the 4 KiB page,
 * which is just what two power-of-two heap blocks give, page after page
 * of static text.  So template text starts half a page into a page and
 * TMPL_buf data at a page boundary, keeping the two far apart.
 */
#define CTMPL_PAGE 4096

/*
 * One simple variable.  Malloc-built nodes hold copies of name and value
 * in the same allocation; arena nodes point at the caller's strings.
 */
struct ctmpl_var {
	struct ctmpl_var *next;
	const char *name;
	const char *value;
	size_t namelen;
	size_t valuelen;
	uint32_t hash;
};

/*
 * A list of variables and loops: the root list or one row of a loop.
 * Rows of a loop are chained through next.  parent is the loop holding
 * this row; its parent is the list holding that loop, which gives the
 * scope chain used by every lookup.
 */
struct TMPL_varlist {
	struct ctmpl_var *vars;
	TMPL_loop *loops;
	TMPL_varlist *next;
	TMPL_loop *parent;
	unsigned char arena;
	unsigned char failed;
};

/* A named loop: a list of rows in insertion order. */
struct TMPL_loop {
	TMPL_varlist *head;
	TMPL_varlist *tail;
	TMPL_loop *next;
	TMPL_varlist *parent;
	const char *name;
	size_t namelen;
	uint32_t hash;
	unsigned char arena;
	unsigned char failed;
};

/* A format: exactly one of ffunc and sfunc is set. */
struct TMPL_fmtlist {
	TMPL_fmtlist *next;
	TMPL_fmtfunc ffunc;
	TMPL_fmtfunc_sink sfunc;
	char name[];
};

enum ctmpl_optype {
	OP_END,
	OP_TEXT,
	OP_VAR,
	OP_IF,
	OP_JUMP,
	OP_LOOP,
	OP_ENDLOOP,
	OP_BREAK,
	OP_CONTINUE,
	OP_INCLUDE
};

/* Loop context names of the extensions (HTML::Template's). */
enum ctmpl_special {
	SP_NONE,
	SP_FIRST,
	SP_LAST,
	SP_INNER,
	SP_ODD,
	SP_EVEN,
	SP_COUNTER
};

/*
 * One instruction of a compiled file.  Strings are offsets into the
 * unit's strs, NUL-terminated.  jump is: for OP_IF the instruction to go
 * to when the test is false; for OP_JUMP the target; for OP_LOOP the
 * index of its OP_ENDLOOP; for OP_ENDLOOP the index of its OP_LOOP.
 */
struct ctmpl_op {
	unsigned char type;
	unsigned char special;
	unsigned char has_value; /* IF: value=; VAR: default= */
	unsigned char negate;	 /* TMPL_UNLESS */
	unsigned level;		 /* BREAK, CONTINUE */
	uint32_t hash;		 /* of the name */
	unsigned long line;
	size_t jump;
	size_t str, len;    /* text; name; include path */
	size_t val, vallen; /* value=; default=; include tag */
	TMPL_fmtfunc ffunc;
	TMPL_fmtfunc_sink sfunc;
	struct ctmpl_unit *unit; /* include target, when eager */
};

enum ctmpl_state { UNIT_OK, UNIT_UNREADABLE, UNIT_BROKEN };

/*
 * One template file, compiled.  A template holds one unit per distinct
 * path: the main file and every include.  A unit that failed keeps the
 * messages its compilation printed, to repeat them to each render that
 * reaches it.
 */
struct ctmpl_unit {
	char *name;    /* as written, ".../" resolved: for ".../" */
	char *path;    /* as opened (root_dir prefixed): for messages */
	uint32_t hash; /* of path */
	enum ctmpl_state state;
	unsigned depth; /* shortest include chain from the main file */
	size_t nbad;	/* bad tags found */
	struct ctmpl_op *ops;
	size_t nops;
	char *strs; /* inside strsmem: see place_strs() */
	size_t nstrs;
	char *strsmem;
	char *msgs;
	size_t msgslen;
	int mark;	     /* scratch for the strict mode's walk */
	size_t height, next; /* the same */
};

struct TMPL_template {
	struct ctmpl_unit **units; /* units[0] is the main file */
	size_t nunits, capunits;
	char *root_dir;
	TMPL_fmtfunc dffunc; /* the default fmt, bound */
	TMPL_fmtfunc_sink dsfunc;
	int strict;
	int extensions;
	int lazy;		/* TMPL_write: open includes when reached */
	const TMPL_fmtlist *fl; /* only while lazy */
};

/* A growable string; every byte appended is followed by a NUL. */
struct ctmpl_dbuf {
	char *p;
	size_t len, cap;
	int oom;
};

#define CTMPL_R_CYCLE "(check for include cycle) "

/* ctemplate.c */
uint32_t ctmpl_hash(const char *, size_t);
const TMPL_fmtlist *ctmpl_fmt_find(const TMPL_fmtlist *, const char *);

/* ctemplate_compile.c */
int ctmpl_dbuf_add(struct ctmpl_dbuf *, const void *, size_t);
void ctmpl_vmsg(FILE *, struct ctmpl_dbuf *, const char *, va_list)
    __attribute__((format(printf, 3, 0)));
void ctmpl_msg(FILE *, const char *, ...) __attribute__((format(printf, 2, 3)));
void ctmpl_msg_cap(FILE *, struct ctmpl_dbuf *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void ctmpl_compile_unit(TMPL_template *, struct ctmpl_unit *, const char *,
    size_t, FILE *, struct ctmpl_dbuf *);

/* ctemplate_include.c */
TMPL_template *ctmpl_compile(const char *, const char *, size_t,
    const TMPL_fmtlist *, const struct TMPL_options *, int, FILE *);
struct ctmpl_unit *ctmpl_include(TMPL_template *, const struct ctmpl_unit *,
    const struct ctmpl_op *, FILE *);

#endif /* FASCIA_CTEMPLATE_INT_H */
