/*
 * tmpl_bench.c: how long one page render takes with the template engine
 * (src/ctemplate*.c), for the two pages of the template spec's
 * measurements: a ~5 KB blog index with 20 entity-escaped rows, and a
 * 50 KB mostly static page.  Each is timed three ways:
 *   write    TMPL_write() of the file to /dev/null, as the original is used
 *            (read, parse, render, free every time);
 *   file     compiled once, TMPL_render_file() to /dev/null;
 *   buf      compiled once, TMPL_render_buf() into a reused buffer, which
 *            is what fascia does.
 *
 * Build: cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Isrc \
 *            bench/tmpl_bench.c src/ctemplate*.c -o tmpl_bench
 * Run:   ./tmpl_bench [seconds per measurement, default 3]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctemplate.h"

static const char index_head[] =
    "<!DOCTYPE html>\n<html lang=\"<TMPL_VAR name=lang fmt=entity>\">\n"
    "<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n<title><TMPL_VAR name=\"page_title\" fmt=entity>"
    "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
    "</head>\n<body>\n<header class=\"site\"><a href=\"/\">"
    "<TMPL_VAR name=\"site_title\" fmt=entity></a></header>\n<main>\n"
    "<h1><TMPL_VAR name=heading fmt=entity></h1>\n";

static const char index_row[] =
    "<TMPL_LOOP name=posts>"
    "<article class=\"post<TMPL_IF name=odd> odd</TMPL_IF>\">\n"
    "  <h2><a href=\"<TMPL_VAR name=url fmt=entity>\">"
    "<TMPL_VAR name=title fmt=entity></a></h2>\n"
    "  <p class=\"meta\"><time datetime=\"<TMPL_VAR name=\"date_iso\" "
    "fmt=entity>\"><TMPL_VAR name=date fmt=entity></time> by "
    "<a href=\"<TMPL_VAR name=\"author_url\" fmt=entity>\">"
    "<TMPL_VAR name=\"author_name\" fmt=entity></a></p>\n"
    "  <p><TMPL_VAR name=excerpt fmt=entity></p>\n"
    "</article>\n</TMPL_LOOP>";

static const char index_tail[] =
    "<nav class=\"pages\"><TMPL_IF name=\"older_url\"><a href=\""
    "<TMPL_VAR name=\"older_url\" fmt=entity>\">Older</a></TMPL_IF></nav>\n"
    "</main>\n<footer>&copy; <TMPL_VAR name=year fmt=entity></footer>\n"
    "</body>\n</html>\n";

/*
 * CPU time of this thread (user and system): the machine this runs on is
 * often shared, and wall time would count other processes' turns.
 */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
write_file(const char *path, const char *s, size_t n)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL || fwrite(s, 1, n, f) != n ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static TMPL_varlist *
index_vars(void)
{
	TMPL_varlist *vl, *row;
	TMPL_loop *l = NULL;
	char a[64], b[64], c[160];
	int i;

	vl = TMPL_add_var(NULL, "lang", "en", "page_title",
	    "Notes & Essays \xe2\x80\x94 page 2", "site_title",
	    "Notes & Essays", "heading", "Latest posts", "older_url",
	    "/page/3/", "year", "2024", (char *)NULL);
	for (i = 0; i < 20; i++) {
		snprintf(a, sizeof(a), "/post-number-%d/", i);
		snprintf(b, sizeof(b), "On \"templates\" & <caching>, part %d",
		    i);
		snprintf(c, sizeof(c), "Excerpt of post %d: <, > & 'q'.", i);
		row = TMPL_add_var(NULL, "url", a, "title", b, "date_iso",
		    "2024-05-01T10:00:00Z", "date", "May 1, 2024", "author_url",
		    "/author/jane/", "author_name", "Jane Doe", "excerpt", c,
		    "odd", i % 2 ? "1" : "", (char *)NULL);
		l = TMPL_add_varlist(l, row);
	}
	return TMPL_add_loop(vl, "posts", l);
}

/* About 50 KB of static HTML with a title and a few values. */
static char *
static_page(size_t *lenp)
{
	static const char para[] =
	    "<p>Lorem ipsum dolor sit amet, consectetur"
	    " adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
	    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
	    "exercitation ullamco laboris nisi ut aliquip ex ea commodo "
	    "consequat.</p>\n";
	size_t cap = 60000, n = 0;
	char *s;
	int i;

	if ((s = malloc(cap)) == NULL)
		exit(1);
	n += (size_t)snprintf(s + n, cap - n,
	    "<!DOCTYPE html>\n<html><head>"
	    "<title><TMPL_VAR name=title fmt=entity></title></head><body>\n"
	    "<h1><TMPL_VAR name=title fmt=entity></h1>\n");
	for (i = 0; n < 50000; i++) {
		memcpy(s + n, para, sizeof(para) - 1);
		n += sizeof(para) - 1;
		if (i % 40 == 39)
			n += (size_t)snprintf(s + n, cap - n,
			    "<h2>Section "
			    "<TMPL_VAR name=section fmt=entity></h2>\n");
	}
	n += (size_t)snprintf(s + n, cap - n,
	    "<footer><TMPL_VAR name=year>"
	    "</footer></body></html>\n");
	*lenp = n;
	return s;
}

static double
min(double a, double b)
{
	return a < b ? a : b;
}

struct job {
	const char *name;
	const char *path;
	const TMPL_varlist *vl;
};

static void
bench(const struct job *j, const TMPL_fmtlist *fl, double secs)
{
	struct TMPL_buf b;
	TMPL_template *t;
	double t0, tw, tf, tb;
	FILE *devnull;
	long n, i;
	int round;

	if ((devnull = fopen("/dev/null", "w")) == NULL ||
	    (t = TMPL_compile_file(j->path, fl, NULL, stderr)) == NULL)
		exit(1);
	memset(&b, 0, sizeof(b));
	if (TMPL_render_buf(t, j->vl, &b, stderr) != 0)
		exit(1);
	printf("%-7s output %zu bytes\n", j->name, b.len);

	tw = tf = tb = 1e9;
	/* The best of three rounds of each, to shed what noise is left. */
	for (round = 0; round < 3; round++) {
		for (n = 0, t0 = now(); now() - t0 < secs / 3; n++)
			for (i = 0; i < 100; i++)
				if (TMPL_write(j->path, NULL, fl, j->vl,
					devnull, stderr) != 0)
					exit(1);
		tw = min(tw, (now() - t0) / (double)(n * 100) * 1e6);

		for (n = 0, t0 = now(); now() - t0 < secs / 3; n++)
			for (i = 0; i < 100; i++)
				if (TMPL_render_file(t, j->vl, devnull,
					stderr) != 0)
					exit(1);
		tf = min(tf, (now() - t0) / (double)(n * 100) * 1e6);

		for (n = 0, t0 = now(); now() - t0 < secs / 3; n++)
			for (i = 0; i < 100; i++) {
				TMPL_buf_reset(&b);
				if (TMPL_render_buf(t, j->vl, &b, stderr) != 0)
					exit(1);
			}
		tb = min(tb, (now() - t0) / (double)(n * 100) * 1e6);
	}

	printf("%-7s TMPL_write %8.2f us   compiled->FILE %7.2f us   "
	       "compiled->buf %7.2f us\n",
	    j->name, tw, tf, tb);
	TMPL_buf_free(&b);
	TMPL_free_template(t);
	fclose(devnull);
}

int
main(int argc, char *argv[])
{
	char dir[] = "/tmp/tmpl_benchXXXXXX", ipath[64], spath[64];
	TMPL_varlist *ivl, *svl;
	TMPL_fmtlist *fl;
	struct job jobs[2];
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	size_t n;
	char *s;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(ipath, sizeof(ipath), "%s/index.html", dir);
	snprintf(spath, sizeof(spath), "%s/static.html", dir);
	if ((s = malloc(sizeof(index_head) + sizeof(index_row) +
		 sizeof(index_tail))) == NULL)
		return 1;
	n = (size_t)sprintf(s, "%s%s%s", index_head, index_row, index_tail);
	write_file(ipath, s, n);
	free(s);
	s = static_page(&n);
	write_file(spath, s, n);
	free(s);

	/* The CLI's formats: FILE* versions, as the original would use. */
	fl = TMPL_add_fmt(NULL, "entity", TMPL_encode_entity);
	fl = TMPL_add_fmt(fl, "url", TMPL_encode_url);
	ivl = index_vars();
	svl = TMPL_add_var(NULL, "title", "A long page", "section", "S & T",
	    "year", "2024", (char *)NULL);
	jobs[0] = (struct job){ "index", ipath, ivl };
	jobs[1] = (struct job){ "static", spath, svl };
	bench(&jobs[0], fl, secs);
	bench(&jobs[1], fl, secs);
	TMPL_free_fmtlist(fl);

	/* The same with sink formats (TMPL_std_fmtlist), fascia's set-up. */
	fl = TMPL_std_fmtlist();
	jobs[0].name = "index*";
	jobs[1].name = "static*";
	bench(&jobs[0], fl, secs);
	bench(&jobs[1], fl, secs);
	TMPL_free_fmtlist(fl);

	TMPL_free_varlist(ivl);
	TMPL_free_varlist(svl);
	unlink(ipath);
	unlink(spath);
	rmdir(dir);
	return 0;
}
