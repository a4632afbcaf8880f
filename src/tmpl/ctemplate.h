/*
 * ctemplate.h: fascia's template engine, in the dialect of libctemplate 1.0
 * (Stephen C. Losen's C Template Library), written from its documented
 * behaviour (docs/templates.md in the shared docs), not from its code.
 *
 * The first half is the original API, unchanged in names, types and
 * semantics, so a program written against libctemplate compiles and renders
 * identically.  The second half is the compile-once, render-many extension
 * fascia uses: templates are parsed into an immutable form at start-up and
 * rendered into a sink (a callback taking a pointer and a length) any
 * number of times, from any number of threads or forked workers.
 *
 * Differences from the original, all in cases where the original exits,
 * crashes or is undefined:
 *  - nothing calls exit(): out of memory makes the call fail (see below);
 *  - TMPL_free_varlist() on a row that sits inside a loop, or on a list
 *    built with the arena functions, does nothing instead of double-freeing;
 *  - TMPL_write() writes text spans with fwrite() instead of one fputc()
 *    per byte (the bytes written are the same).
 */
#ifndef FASCIA_CTEMPLATE_H
#define FASCIA_CTEMPLATE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* The libctemplate 1.0 API                                            */
/* ------------------------------------------------------------------ */

typedef struct TMPL_varlist TMPL_varlist;
typedef struct TMPL_loop TMPL_loop;
typedef struct TMPL_fmtlist TMPL_fmtlist;

/* A format function: write value, transformed, to out. */
typedef void (*TMPL_fmtfunc)(const char *, FILE *);

/*
 * Add name/value pairs, terminated by (char *)NULL, to vl (a new list when
 * vl is NULL).  Both strings are copied.  The newest duplicate wins.
 * Processing stops at the first NULL name or NULL value.  Returns vl, or
 * the new list (NULL if nothing was added to a NULL vl).  Out of memory
 * stops processing and marks the tree so that rendering it fails.
 */
TMPL_varlist *TMPL_add_var(TMPL_varlist *vl, ...);

/*
 * Append the row vl to loop (a new loop when loop is NULL).  The loop takes
 * ownership of vl.  Does nothing when vl is NULL, already in a loop, built
 * by the arena functions, or an ancestor of loop.  Returns loop, or the new
 * loop (NULL when nothing was created).
 */
TMPL_loop *TMPL_add_varlist(TMPL_loop *loop, TMPL_varlist *vl);

/*
 * Attach loop to vl (a new list when vl is NULL) under a copy of name; vl
 * takes ownership of loop.  The newest loop of a name wins.  Does nothing
 * when name or loop is NULL, when the loop is already attached, or when
 * attaching would make a cycle.  Returns vl, or the new list.
 */
TMPL_varlist *TMPL_add_loop(TMPL_varlist *vl, const char *name,
    TMPL_loop *loop);

/*
 * Free the tree rooted at vl: its variables, its loops and their rows,
 * recursively (but iteratively: deep trees do not use stack).  Call it on
 * the root only; on a row inside a loop, or on an arena list, it does
 * nothing.  NULL is a no-op.
 */
void TMPL_free_varlist(TMPL_varlist *vl);

/*
 * Register the format function f under a copy of name.  A new list is
 * returned when fl is NULL; otherwise the entry goes into second position
 * and fl is returned.  NULL name or f is a no-op.  Returns NULL only when
 * fl is NULL and memory ran out.
 */
TMPL_fmtlist *TMPL_add_fmt(TMPL_fmtlist *fl, const char *name, TMPL_fmtfunc f);

/* Free a format list.  NULL is a no-op. */
void TMPL_free_fmtlist(TMPL_fmtlist *fl);

/*
 * Parse the template (tmplstr if it is not NULL, else the file filename),
 * render it with fl and vl to out, and free everything.  filename names the
 * template in messages and anchors ".../" includes.  Messages go to errout
 * (NULL: none).  Returns 0, or -1 when the template could not be read, has
 * a fatal syntax error (nothing is written), or an include failed (what
 * came before it was written).  Warnings about bad tags do not fail.
 */
int TMPL_write(const char *filename, const char *tmplstr,
    const TMPL_fmtlist *fl, const TMPL_varlist *vl, FILE *out, FILE *errout);

/* Write v HTML-escaped: & < > " ' LF CR become entities. */
void TMPL_encode_entity(const char *v, FILE *out);

/* Write v form-encoded: [A-Za-z0-9._-] pass, space is +, others %XX. */
void TMPL_encode_url(const char *v, FILE *out);

/* ------------------------------------------------------------------ */
/* Extension: compile once, render many                                */
/* ------------------------------------------------------------------ */

/*
 * A compiled template: the file and, eagerly, every include reachable from
 * it, with fmt names bound to functions.  Immutable after compilation, so
 * it may be shared by threads and forked processes without locking.
 */
typedef struct TMPL_template TMPL_template;

/* Where rendered output goes: n bytes at p, for the opaque ctx. */
typedef void (*TMPL_sinkfunc)(void *ctx, const char *p, size_t n);

/* A format function writing to a sink (the fast path for rendering). */
typedef void (
    *TMPL_fmtfunc_sink)(const char *value, TMPL_sinkfunc sink, void *ctx);

/*
 * Like TMPL_add_fmt() but for a sink-based format.  Either kind works with
 * every render entry point: a FILE* format rendered to a sink goes through
 * a per-render memory stream, a sink format rendered by TMPL_write() goes
 * through a FILE* sink.  Returns as TMPL_add_fmt().
 */
TMPL_fmtlist *TMPL_add_fmt_sink(TMPL_fmtlist *fl, const char *name,
    TMPL_fmtfunc_sink f);

/*
 * A new format list holding sink versions of "entity", "url" and "raw"
 * (identity, for trusted HTML).  Free it with TMPL_free_fmtlist().  NULL
 * when memory ran out.
 */
TMPL_fmtlist *TMPL_std_fmtlist(void);

/* The sink versions of the encoders, and the identity format. */
void TMPL_encode_entity_sink(const char *v, TMPL_sinkfunc sink, void *ctx);
void TMPL_encode_url_sink(const char *v, TMPL_sinkfunc sink, void *ctx);
void TMPL_encode_raw_sink(const char *v, TMPL_sinkfunc sink, void *ctx);

/*
 * Compile options; a NULL pointer means all zero, which is the original's
 * behaviour.
 *  default_fmt  fmt name applied to every TMPL_VAR without fmt= (and its
 *               default=), e.g. "entity"; it must be in the fmtlist.
 *  root_dir     directory that relative template paths (the file itself
 *               and includes) are opened from; NULL: the current directory.
 *               ".../" is resolved against the including file's name as
 *               given, before root_dir is prefixed.  Messages name the
 *               path actually opened.
 *  strict       any bad tag (unknown fmt, wrong attribute, ...) anywhere,
 *               an include that fails to parse, or an include chain 30
 *               deep fails the compilation, after every message has been
 *               printed.  A missing include file still fails only the
 *               render that reaches it.
 *  extensions   HTML::Template-isms: <TMPL_UNLESS name= [value=]> with
 *               optional <TMPL_ELSE> and </TMPL_UNLESS>, and inside a loop
 *               the names __first__, __last__, __inner__, __odd__, __even__
 *               ("1" when true, missing when false) and __counter__ (1, 2,
 *               ...), which refer to the innermost loop being rendered.
 *               Off by default because they change the output of
 *               templates written for the original.
 */
struct TMPL_options {
	const char *default_fmt;
	const char *root_dir;
	int strict;
	int extensions;
};

/*
 * Compile filename, with fmt names bound from fl (which need not outlive
 * the template), and every include reachable from it, each file once.
 * Messages (bad tags, syntax errors, unreadable includes) go to errout
 * (NULL: none).  A missing or broken include is not fatal here: it fails
 * the render that reaches it (unless strict, for broken ones).  Returns the
 * template, owned by the caller (TMPL_free_template()), or NULL on a fatal
 * error in the file itself, an unreadable file or out of memory.
 */
TMPL_template *TMPL_compile_file(const char *filename, const TMPL_fmtlist *fl,
    const struct TMPL_options *opt, FILE *errout);

/*
 * As TMPL_compile_file(), from the len bytes at src (copied).  name, which
 * may be NULL, is used in messages and to resolve ".../" includes.
 */
TMPL_template *TMPL_compile_string(const char *name, const char *src,
    size_t len, const TMPL_fmtlist *fl, const struct TMPL_options *opt,
    FILE *errout);

/*
 * Render t with the variables vl (NULL: none) to sink.  Text spans go out
 * with one sink call each.  Returns 0, or -1 when an include reached is
 * missing or broken, when vl was built while memory ran out, or on out of
 * memory; what came before the failure was already passed to the sink.
 * Messages go to errout (NULL: none).  Never calls exit().  Safe to call
 * concurrently on one template as long as nobody modifies vl.
 */
int TMPL_render(const TMPL_template *t, const TMPL_varlist *vl,
    TMPL_sinkfunc sink, void *ctx, FILE *errout);

/* As TMPL_render(), writing to out; FILE* formats get out itself. */
int TMPL_render_file(const TMPL_template *t, const TMPL_varlist *vl, FILE *out,
    FILE *errout);

/*
 * A growable output buffer with a hard cap.  Zero-initialise it and set
 * max (0: no cap but memory).  data is NUL-terminated once non-NULL.  When
 * an append would pass max, or memory runs out, failed is set and further
 * appends are dropped.
 */
struct TMPL_buf {
	char *data;
	size_t len, cap, max;
	int failed;
};

/* Append n bytes at p to b.  Returns 0, or -1 (and sets failed). */
int TMPL_buf_append(struct TMPL_buf *b, const char *p, size_t n);

/* A TMPL_sinkfunc appending to the struct TMPL_buf ctx. */
void TMPL_sink_buf(void *ctx, const char *p, size_t n);

/* A TMPL_sinkfunc writing to the FILE *ctx. */
void TMPL_sink_file(void *ctx, const char *p, size_t n);

/*
 * Render t with vl, appending to out.  Returns 0, or -1 when the render
 * failed or out hit its cap (out->failed); out then holds partial output,
 * which the caller should discard (reset out->len, or TMPL_buf_reset()).
 * Rendering stops early once the buffer has failed.
 */
int TMPL_render_buf(const TMPL_template *t, const TMPL_varlist *vl,
    struct TMPL_buf *out, FILE *errout);

/* Empty b, keeping its memory and max, and clear failed. */
void TMPL_buf_reset(struct TMPL_buf *b);

/* Free b's memory and zero it, keeping max. */
void TMPL_buf_free(struct TMPL_buf *b);

/* Free a compiled template and all it owns.  NULL is a no-op. */
void TMPL_free_template(TMPL_template *t);

/*
 * A per-request arena for building varlists without a malloc per
 * variable.  Strings are NOT copied: the caller keeps names and values
 * alive until the arena is reset.  Lists, loops and rows built this way
 * live until TMPL_arena_reset() or TMPL_arena_free() (TMPL_free_varlist()
 * ignores them), and cannot be mixed with malloc-built ones: an arena
 * function given a malloc-built list or loop, or the reverse, refuses.
 * The arena holds no other state, so one arena per thread or per request.
 */
typedef struct TMPL_arena TMPL_arena;

/* A new arena allocating chunk bytes at a time (0: 8 KiB).  NULL on OOM. */
TMPL_arena *TMPL_arena_new(size_t chunk);

/*
 * As TMPL_arena_new(), but allocations fail once the arena would hold more
 * than max bytes of chunks (0: no limit).
 */
TMPL_arena *TMPL_arena_new_max(size_t chunk, size_t max);

/* Forget everything allocated, keeping the memory for reuse. */
void TMPL_arena_reset(TMPL_arena *a);

/* Free the arena and everything built in it.  NULL is a no-op. */
void TMPL_arena_free(TMPL_arena *a);

/*
 * Add name=value to vl (a new arena list when vl is NULL), newest first as
 * TMPL_add_var().  Returns the list, or NULL when memory ran out, name or
 * value is NULL, or vl was not built in an arena.
 */
TMPL_varlist *TMPL_arena_add_var(TMPL_arena *a, TMPL_varlist *vl,
    const char *name, const char *value);

/*
 * Append the arena row vl to the arena loop (a new one when loop is NULL).
 * Returns the loop, or NULL when memory ran out, vl is NULL, already in a
 * loop, not from an arena, or the append would make a cycle.
 */
TMPL_loop *TMPL_arena_add_varlist(TMPL_arena *a, TMPL_loop *loop,
    TMPL_varlist *vl);

/*
 * Attach the arena loop to the arena list vl (a new list when vl is NULL)
 * under name (not copied).  Returns the list, or NULL on the refusals of
 * TMPL_add_loop() or when memory ran out.
 */
TMPL_varlist *TMPL_arena_add_loop(TMPL_arena *a, TMPL_varlist *vl,
    const char *name, TMPL_loop *loop);

#ifdef __cplusplus
}
#endif

#endif /* FASCIA_CTEMPLATE_H */
