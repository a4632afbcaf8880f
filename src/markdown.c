/*
 * markdown.c: Markdown to HTML, once, when a post or a bio is imported.
 *
 * cmark, the CommonMark reference implementation, in its default safe
 * mode: raw HTML blocks and inline HTML become HTML comments
 * ("<!-- raw HTML omitted -->"), and links and images whose URL uses the
 * javascript:, vbscript:, file: or data: scheme (other than images in a
 * few raster formats) lose their URL.  The HTML is stored next to its
 * source, so serving a post never parses Markdown.
 */
#include <cmark.h>

#include "markdown.h"

/*
 * Return the HTML for the len bytes of CommonMark at md, allocated with
 * malloc (the caller frees it), or NULL when cmark fails.
 */
char *
markdown_to_html(const char *md, size_t len)
{
	return cmark_markdown_to_html(md, len, CMARK_OPT_DEFAULT);
}
