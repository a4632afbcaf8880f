/*
 * meta.c: what a post page tells machines about itself: Open Graph and
 * Twitter card values, and a JSON-LD BlogPosting.
 *
 * The JSON-LD goes into the page raw, inside <script type=
 * "application/ld+json">.  The HTML parser ends a script element at the
 * first "</script" whatever the JSON around it says, and "<!--" changes
 * how it reads until then, so every string is written with <, > and & as
 * \u003c, \u003e and \u0026: whatever a title or a name contains, the
 * element's text holds no "<" at all and still parses to the same JSON.
 * The CSP (default-src 'self') does not block it: a data block is never
 * executed.
 */
#include <stdio.h>
#include <string.h>

#include "meta.h"
#include "permalink.h"

/*
 * Append s as a JSON string literal, quotes included, safe inside an HTML
 * script element: ", \ and control characters are escaped as JSON
 * requires, <, >, & and the line separators U+2028 and U+2029 as \uXXXX.
 * s must be valid UTF-8 (it comes from the database or from fascia).
 */
void
json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *start = p;
	char esc[7];
	const char *rep;

	buf_puts(b, "\"");
	for (; *p != '\0'; p++) {
		rep = NULL;
		switch (*p) {
		case '"':
			rep = "\\\"";
			break;
		case '\\':
			rep = "\\\\";
			break;
		case '\n':
			rep = "\\n";
			break;
		case '\r':
			rep = "\\r";
			break;
		case '\t':
			rep = "\\t";
			break;
		case '<':
			rep = "\\u003c";
			break;
		case '>':
			rep = "\\u003e";
			break;
		case '&':
			rep = "\\u0026";
			break;
		case 0xe2:
			/* U+2028 and U+2029 end a line in JavaScript. */
			if (p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
				rep = p[2] == 0xa8 ? "\\u2028" : "\\u2029";
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				esc[6] = '\0';
				rep = esc;
			}
			break;
		}
		if (rep == NULL)
			continue;
		buf_append(b, start, (size_t)(p - start));
		buf_puts(b, rep);
		if (*p == 0xe2)
			p += 2;
		start = p + 1;
	}
	buf_append(b, start, (size_t)(p - start));
	buf_puts(b, "\"");
}

static void
json_member(struct buf *b, const char *name, const char *value, int first)
{
	if (!first)
		buf_puts(b, ",");
	json_string(b, name);
	buf_puts(b, ":");
	json_string(b, value);
}

/*
 * Append the JSON-LD BlogPosting of post p to b.  Empty optional fields
 * (description, dates) are left out.
 */
void
jsonld_blogposting(struct buf *b, const struct jsonld_post *p)
{
	buf_puts(b, "{");
	json_member(b, "@context", "https://schema.org", 1);
	json_member(b, "@type", "BlogPosting", 0);
	json_member(b, "headline", p->headline, 0);
	if (p->description != NULL && *p->description != '\0')
		json_member(b, "description", p->description, 0);
	json_member(b, "url", p->url, 0);
	if (p->date_published != NULL && *p->date_published != '\0')
		json_member(b, "datePublished", p->date_published, 0);
	if (p->date_modified != NULL && *p->date_modified != '\0')
		json_member(b, "dateModified", p->date_modified, 0);
	if (p->language != NULL && *p->language != '\0')
		json_member(b, "inLanguage", p->language, 0);
	buf_puts(b, ",\"author\":{");
	json_member(b, "@type", "Person", 1);
	json_member(b, "name", p->author_name, 0);
	json_member(b, "url", p->author_url, 0);
	buf_puts(b, "},\"publisher\":{");
	json_member(b, "@type", "Organization", 1);
	json_member(b, "name", p->site_name, 0);
	json_member(b, "url", p->site_url, 0);
	buf_puts(b, "},\"mainEntityOfPage\":{");
	json_member(b, "@type", "WebPage", 1);
	json_member(b, "@id", p->url, 0);
	buf_puts(b, "}}");
}

/*
 * Set the Open Graph and JSON-LD variables of the page of post p, whose
 * path is path.  layout_page() has set the ones every page has.
 */
void
meta_post_vars(struct req *r, const struct db_post *p, const char *path)
{
	struct jsonld_post j;
	struct buf *b;

	memset(&j, 0, sizeof(j));
	j.headline = p->title;
	j.description = p->excerpt;
	j.url = permalink_abs(r, path);
	j.date_published = p->date_iso;
	j.date_modified = p->modified_iso;
	j.author_name = p->author_name;
	j.author_url = permalink_abs(r, permalink_author(r, p->author_slug));
	j.site_name = r->conf->site_title;
	j.site_url = permalink_abs(r, "/");
	j.language = r->conf->language;

	req_var(r, "og_type", "article");
	req_var(r, "og_published_time", j.date_published);
	req_var(r, "og_modified_time", j.date_modified);
	req_var(r, "og_author_url", j.author_url);

	b = req_scratch(r);
	jsonld_blogposting(b, &j);
	req_var(r, "json_ld", req_scratch_copy(r, b));
}
