/*
 * slug.c: the slugs fascia's authoring commands accept and make.
 *
 * A slug written by an author is lowercase ASCII letters and digits in
 * runs joined by single hyphens ("deep-tissue-vs-swedish"), so that it
 * reads the same in a URL, a shell and a file name.  (Posts imported from
 * WordPress may carry other slugs; the site serves those as they are.)
 * A post's slug is the first segment of its URL, so it must not take a
 * segment that names a part of the site or that WordPress uses, and it
 * must not look like a year, which archive URLs (/YYYY/MM/) claim.
 */
#include <string.h>

#include "slug.h"
#include "utf8.h"

#define YEAR_DIGITS 4 /* /YYYY/ is the archive's URL */

/* Code points: the letters folded to ASCII, and those that vanish. */
#define LATIN1_FIRST 0xc0 /* U+00C0, A with grave */
#define LATIN_EXT_A_FIRST 0x100
#define LATIN_EXT_A_LAST 0x17f
#define RIGHT_QUOTE 0x2019    /* the typographic apostrophe */
#define COMBINING_FIRST 0x300 /* combining diacritical marks */
#define COMBINING_LAST 0x36f

/* First path segments that are not posts. */
static const char *const reserved[] = { "page", "author", "tag", "feed",
	"search", "healthz", "static", "sitemap.xml", "robots.txt", "wp-admin",
	"wp-content", "wp-includes", "comments", NULL };

/*
 * Lower-case ASCII for the Latin-1 letters U+00C0..U+00FF and the Latin
 * Extended-A letters U+0100..U+017F; ' ' separates words, '*' is one of
 * the letters spelt with two (see latin_pair).
 */
static const char latin1[] =
    "aaaaaa*ceeeeiiiidnooooo ouuuuy**aaaaaa*ceeeeiiiidnooooo ouuuuy*y";
static const char latin_ext_a[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllll"
    "nnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *
latin_pair(long cp)
{
	switch (cp) {
	case 0xc6:
	case 0xe6:
		return "ae";
	case 0xde:
	case 0xfe:
		return "th";
	case 0xdf:
		return "ss";
	case 0x132:
	case 0x133:
		return "ij";
	default:
		return "oe"; /* U+0152, U+0153 */
	}
}

/*
 * Return 1 when s is a slug an author may write: 1 to SLUG_MAX bytes of
 * [a-z0-9] in runs joined by single hyphens.  Else 0.
 */
int
slug_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i == SLUG_MAX)
			return 0;
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (s[i] != '-' || i == 0 || s[i - 1] == '-' ||
		    s[i + 1] == '\0')
			return 0;
	}
	return i > 0;
}

/*
 * Return 1 when a post with slug s would shadow one of the site's own
 * URLs (a section such as "feed" or "tag", a WordPress path, or a
 * four-digit year), else 0.
 */
int
slug_reserved(const char *s)
{
	size_t i;

	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(s, reserved[i]) == 0)
			return 1;
	for (i = 0; i < YEAR_DIGITS; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[YEAR_DIGITS] == '\0';
}

/*
 * Make a slug from a title or a name, as WordPress does: letters and
 * digits are kept (lower-cased; accented Latin letters lose their
 * accents), apostrophes and combining accents vanish, and every other run
 * of characters becomes one hyphen.  The slug is cut to SLUG_MAX bytes at
 * a word boundary when possible.  Writes it to out and returns 1, or
 * returns 0 when nothing usable is left (out is then "").
 */
int
slug_from_text(const char *s, char out[SLUG_MAX + 1])
{
	const char *add;
	char one[2] = { 0, 0 };
	size_t len = 0, n, i = 0, slen = strlen(s);
	long cp;
	int sep = 0, cut = 0;

	while (i < slen) {
		i += utf8_decode(s + i, slen - i, &cp);
		add = one;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			one[0] = (char)cp;
		else if (cp >= 'A' && cp <= 'Z')
			one[0] = (char)(cp - 'A' + 'a');
		else if (cp == '\'' || cp == RIGHT_QUOTE ||
		    (cp >= COMBINING_FIRST && cp <= COMBINING_LAST))
			continue;
		else if (cp >= LATIN1_FIRST && cp <= LATIN_EXT_A_LAST) {
			one[0] = *(cp < LATIN_EXT_A_FIRST ?
				latin1 + (cp - LATIN1_FIRST) :
				latin_ext_a + (cp - LATIN_EXT_A_FIRST));
			if (one[0] == '*')
				add = latin_pair(cp);
			else if (one[0] == ' ')
				add = NULL;
		} else
			add = NULL;
		if (add == NULL) {
			sep = 1;
			continue;
		}
		n = strlen(add) + (sep && len > 0);
		if (len + n > SLUG_MAX) {
			cut = !sep;
			break;
		}
		if (sep && len > 0)
			out[len++] = '-';
		memcpy(out + len, add, strlen(add));
		len += strlen(add);
		sep = 0;
	}
	out[len] = '\0';
	/* Cut short mid-word: end at the last whole word, if there is one. */
	if (cut && (add = strrchr(out, '-')) != NULL)
		out[add - out] = '\0';
	return out[0] != '\0';
}

/*
 * Write to out (outsz bytes) the display name of a new tag whose slug is
 * slug: hyphens become spaces and the first letter is capitalised
 * ("sleep-and-stress" gives "Sleep and stress").  Truncates to fit.
 */
void
slug_to_name(const char *slug, char *out, size_t outsz)
{
	size_t i;

	if (outsz == 0)
		return;
	for (i = 0; slug[i] != '\0' && i + 1 < outsz; i++) {
		out[i] = slug[i];
		if (out[i] == '-')
			out[i] = ' ';
	}
	out[i] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}
