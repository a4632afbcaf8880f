/*
 * h_search.c: /?s=words and /page/N/?s=words, WordPress's search URLs,
 * and its other one, /search/<words>/.
 *
 * PostgreSQL does the work: websearch_to_tsquery() reads what a person
 * types (quotes, "or", a leading "-") without ever failing on junk, the
 * GIN index on posts.search finds the posts, ts_rank_cd() orders them and
 * ts_headline() cuts the snippets.  ts_headline() marks the matches with
 * two private-use characters (DB_MARK_START, DB_MARK_STOP) rather than
 * HTML, so that the snippet can be escaped as the text it is and only then
 * given its <mark> elements.  An empty query, one of only stop words or
 * punctuation, or one that finds nothing gets the same page with a form
 * and suggestions: never an error.  Search pages are not for robots.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "h_search.h"
#include "layout.h"
#include "permalink.h"
#include "resp.h"
#include "text.h"
#include "utf8.h"

/* Longer queries are cut (on a character boundary) to this many bytes. */
#define SEARCH_MAX 200

#define MARK_LEN 3 /* both markers are 3 bytes of UTF-8 */

/*
 * May the character reference to cp in a snippet be shown as that
 * character?  Controls, surrogates and non-characters stay as they were
 * typed.
 */
static int
shown_decoded(long cp)
{
	return cp >= 0 && !(cp < 0x20 && cp != '\t' && cp != '\n') &&
	    !(cp >= 0x7f && cp < 0xa0) && (cp & 0xfffe) != 0xfffe;
}

/*
 * Append the n bytes at s, a ts_headline() result whose matches are
 * wrapped in DB_MARK_START and DB_MARK_STOP, to b as HTML: the text
 * escaped, each run of white space made one space, the markers turned
 * into <mark> and </mark>.  The marks always balance, even when the text
 * itself contained a marker character: a start inside a mark and a stop
 * outside one are dropped, and a mark still open at the end is closed.
 * With entities set, the text is HTML stripped of its tags, and its
 * character references are decoded before being escaped again (so
 * "&amp;" shows as "&", not "&amp;"); an unknown reference is shown as it
 * was written.
 */
void
search_highlight(struct buf *b, const char *s, size_t n, int entities)
{
	size_t i = 0, start = 0, len;
	char u[UTF8_SEQ_MAX];
	long c;
	int open = 0;

	while (i < n) {
		if (n - i >= MARK_LEN &&
		    memcmp(s + i, DB_MARK_START, MARK_LEN) == 0) {
			buf_html_escape(b, s + start, i - start);
			if (!open)
				buf_puts(b, "<mark>");
			open = 1;
			i += MARK_LEN;
			start = i;
		} else if (n - i >= MARK_LEN &&
		    memcmp(s + i, DB_MARK_STOP, MARK_LEN) == 0) {
			buf_html_escape(b, s + start, i - start);
			if (open)
				buf_puts(b, "</mark>");
			open = 0;
			i += MARK_LEN;
			start = i;
		} else if (isspace((unsigned char)s[i]) &&
		    ((i + 1 < n && isspace((unsigned char)s[i + 1])) ||
			s[i] != ' ')) {
			buf_html_escape(b, s + start, i - start);
			buf_puts(b, " ");
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			start = i;
		} else if (entities && s[i] == '&' &&
		    (len = html_char_ref(s + i, n - i, &c)) > 0 &&
		    shown_decoded(c)) {
			buf_html_escape(b, s + start, i - start);
			buf_html_escape(b, u, utf8_encode(c, u));
			i += len;
			start = i;
		} else
			i++;
	}
	buf_html_escape(b, s + start, n - start);
	if (open)
		buf_puts(b, "</mark>");
}

/*
 * Return the query as searched: raw without surrounding white space, cut
 * to at most max bytes without splitting a UTF-8 character (raw is valid
 * UTF-8: req.c checked it), in the arena; *cut tells whether anything
 * was cut.  "" for a query of only white space; NULL without memory.
 */
char *
search_normalize(struct arena *a, const char *raw, size_t max, int *cut)
{
	size_t n;

	while (isspace((unsigned char)*raw))
		raw++;
	n = strlen(raw);
	*cut = n > max;
	if (*cut) {
		n = max;
		while (n > 0 && ((unsigned char)raw[n] & 0xc0) == 0x80)
			n--; /* raw[n] continues a character: back off */
	}
	while (n > 0 && isspace((unsigned char)raw[n - 1]))
		n--;
	return arena_strndup(a, raw, n);
}

static const char *
highlighted(struct req *r, const char *s, int entities)
{
	struct buf *b = req_scratch(r);

	search_highlight(b, s, strlen(s), entities);
	return req_scratch_copy(r, b);
}

/* Add the rows of a search as the "results" loop. */
static void
results_loop(struct req *r, const struct db_rows *rows)
{
	const struct db_search_hit *hit;
	TMPL_loop *loop = NULL;
	TMPL_varlist *row;
	int i;

	for (i = 0; i < rows->n; i++) {
		hit = &rows->hit[i];
		row = req_row(r, NULL, "url", permalink_post(r, hit->slug));
		row = req_row(r, row, "title_html",
		    highlighted(r, hit->title, 0));
		row =
		    req_row(r, row, "snippet", highlighted(r, hit->snippet, 1));
		row = req_row(r, row, "date_iso", hit->date_iso);
		row = req_row(r, row, "date", hit->date);
		row = req_row(r, row, "author_name", hit->author_name);
		row = req_row(r, row, "author_url",
		    permalink_author(r, hit->author_slug));
		loop = req_loop_add(r, loop, row);
	}
	req_loop(r, &r->vars, "results", loop);
}

/*
 * GET /?s=words and /page/N/?s=words.  arg[0] is the page number or NULL.
 */
int
h_search(struct req *r, char **arg)
{
	const int per_page = r->conf->per_page;
	const char *params[3];
	char limit[16], offset[24];
	struct db_rows rows;
	enum db_res res;
	const char *enc, *self, *title, *heading, *raw, *query;
	char *q;
	long page = arg[0] != NULL ? strtol(arg[0], NULL, 10) : 1, total;
	int cut;

	if ((raw = req_query(r, "s")) == NULL)
		raw = "";
	if ((q = search_normalize(r->arena, raw, SEARCH_MAX, &cut)) == NULL)
		return 500;
	enc = url_encode_segment(r->arena, q);
	if (enc == NULL)
		return 500;
	query = req_printf(r, "?s=%s", enc);
	if (page == 1 && arg[0] != NULL) {
		r->location = permalink_abs(r, req_printf(r, "/%s", query));
		return 301; /* /page/1/ is the first page itself */
	}
	req_var(r, "is_search", "1");
	req_var(r, "search_query", q);
	if (cut)
		req_var(r, "search_cut", "1");
	if (*q == '\0') {
		layout_page(r, "Search", NULL, "/?s=");
		req_var(r, "noindex", "1");
		layout_months(r, NULL);
		return resp_page(r, VIEW_SEARCH, 200);
	}

	snprintf(limit, sizeof(limit), "%d", per_page);
	snprintf(offset, sizeof(offset), "%ld", (page - 1) * per_page);
	params[0] = q;
	params[1] = limit;
	params[2] = offset;
	if ((res = db_query(&r->w->db, r->arena, STMT_SEARCH, params, &rows)) !=
	    DB_OK)
		return resp_db_status(res);
	if (rows.n == 0 && page > 1)
		return 404;
	total = rows.n > 0 ? strtol(rows.hit[0].total, NULL, 10) : 0;

	heading = req_printf(r, "Search results for " LDQUO "%s" RDQUO, q);
	if (page == 1) {
		self = req_printf(r, "/%s", query);
		title = heading;
	} else {
		self = req_printf(r, "/page/%ld/%s", page, query);
		title = req_printf(r, "%s " EN_DASH " Page %ld", heading, page);
	}
	layout_page(r, title, req_printf(r, "Posts matching %s", q), self);
	req_var(r, "noindex", "1");
	req_var(r, "heading", heading);
	req_var(r, "result_count",
	    total == 1 ? "1 result" : req_printf(r, "%ld results", total));
	results_loop(r, &rows);
	layout_pagination(r, "/", query, page,
	    (page - 1) * per_page + rows.n < total);
	if (rows.n == 0)
		layout_months(r, NULL); /* suggestions: browse by month */
	return resp_page(r, VIEW_SEARCH, 200);
}

/*
 * GET /search/<words>/, WordPress's other search URL: 301 to /?s=.  As in
 * WordPress, a "+" in the path separates words.
 */
int
h_search_path(struct req *r, char **arg)
{
	const char *enc;
	char *p;

	for (p = arg[0]; *p != '\0'; p++)
		if (*p == '+')
			*p = ' ';
	if ((enc = url_encode_segment(r->arena, arg[0])) == NULL)
		return 500;
	r->location = permalink_abs(r, req_printf(r, "/?s=%s", enc));
	return 301;
}
