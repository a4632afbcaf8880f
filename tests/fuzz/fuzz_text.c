/*
 * fuzz_text.c: libFuzzer harness for percent-decoding, UTF-8 validation
 * and comment text to HTML.  Invariant of the escaper: the HTML it makes
 * from any text contains no markup but its own <p>, </p> and <br>.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The only markup allowed: <p>, </p>, <br>, and links of the one shape
 * text_to_html() writes, whose href holds no quote or angle bracket.
 */
static void
check_html(const char *h, size_t n)
{
	static const char open[] = "<a href=\"";
	static const char rel[] = "\" rel=\"nofollow ugc noopener\">";
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (h[i] == '"' || h[i] == '\'')
			abort();
		if (h[i] != '<')
			continue;
		if (strncmp(h + i, "<p>", 3) == 0 ||
		    strncmp(h + i, "</p>", 4) == 0 ||
		    strncmp(h + i, "<br>", 4) == 0 ||
		    strncmp(h + i, "</a>", 4) == 0)
			continue;
		if (strncmp(h + i, open, sizeof(open) - 1) != 0)
			abort();
		for (j = i + sizeof(open) - 1; j < n && h[j] != '"'; j++)
			if (h[j] == '<' || h[j] == '>' || h[j] == '\'' ||
			    (unsigned char)h[j] <= 0x20)
				abort();
		if (j == n || strncmp(h + j, rel, sizeof(rel) - 1) != 0 ||
		    strncasecmp(h + i + sizeof(open) - 1, "http", 4) != 0)
			abort();
		i = j + sizeof(rel) - 2;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf b;
	char *out;
	size_t n;

	if ((out = malloc(size + 1)) == NULL)
		return 0;
	if (pct_decode(s, size, size & 1, out, &n) && n > size)
		abort();
	(void)utf8_valid(out, pct_decode(s, size, 0, out, &n) ? n : 0);
	free(out);
	buf_init(&b, 1u << 20);
	text_to_html(&b, s, size);
	if (!b.failed && b.data != NULL)
		check_html(b.data, b.len);
	buf_free(&b);
	return 0;
}
