/*
 * comment.c: the rules of a comment, WordPress's: which fields are
 * required, their limits in bytes, what a plausible email address and a
 * website address look like, and how many links make a comment suspect.
 *
 * The checks never change what was typed: values are trimmed only to be
 * judged, so the form can always come back exactly as the visitor left it.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "comment.h"
#include "text.h"

static int
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * Write the normalised form of email (surrounding white space removed,
 * ASCII letters lower-cased) to out.  Returns its length, or -1 when it
 * does not fit.
 */
int
email_normalize(const char *email, char *out, size_t outsz)
{
	const char *end;
	size_t n, i;

	while (isspace((unsigned char)*email))
		email++;
	end = email + strlen(email);
	while (end > email && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - email);
	if (n >= outsz)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)email[i]);
	out[n] = '\0';
	return (int)n;
}

/* WordPress's is_email(), in spirit: local@domain.tld, plain characters. */
static int
email_plausible(const char *e)
{
	static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
	const char *at = strrchr(e, '@'), *p, *label;

	if (strlen(e) < 6 || at == NULL || at == e || strchr(e, '@') != at)
		return 0;
	for (p = e; p < at; p++)
		if (!isalnum((unsigned char)*p) && strchr(local_ok, *p) == NULL)
			return 0;
	if (strchr(at + 1, '.') == NULL)
		return 0;
	for (label = p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || *label == '-' || p[-1] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
}

/*
 * Check in WordPress's order and with its limits.  Sets in->err[] for
 * each field at fault, with a message a person understands, and returns
 * the number of fields at fault.  The values are trimmed only for the
 * checks; the caller stores what was typed.
 */
int
comment_validate(struct comment_input *in)
{
	const char *author = in->v[CF_AUTHOR], *email = in->v[CF_EMAIL];
	const char *url = in->v[CF_URL], *body = in->v[CF_COMMENT];
	char norm[EMAIL_MAX + 64];
	int i, n = 0;

	for (i = 0; i < CF__MAX; i++)
		in->err[i] = NULL;
	if (in->bad_encoding[CF_AUTHOR] ||
	    (author != NULL && text_has_control(author, strlen(author), 0)))
		in->err[CF_AUTHOR] = "Your name contains invalid characters.";
	else if (author == NULL || blank(author))
		in->err[CF_AUTHOR] = "Please enter your name.";
	else if (strlen(author) > AUTHOR_MAX)
		in->err[CF_AUTHOR] =
		    "Your name is too long: at most " AUTHOR_MAX_TEXT
		    " characters, please.";

	if (in->bad_encoding[CF_EMAIL] ||
	    (email != NULL && text_has_control(email, strlen(email), 0)))
		in->err[CF_EMAIL] = "Your email address contains invalid "
				    "characters.";
	else if (email == NULL || blank(email))
		in->err[CF_EMAIL] = "Please enter your email address.";
	else if (strlen(email) > EMAIL_MAX)
		in->err[CF_EMAIL] =
		    "Your email address is too long: at most " EMAIL_MAX_TEXT
		    " characters.";
	else if (email_normalize(email, norm, sizeof(norm)) < 0 ||
	    !email_plausible(norm))
		in->err[CF_EMAIL] = "Please enter a valid email address, like "
				    "name@example.com.";

	/* The scheme first: " JaVa\tScRiPt:" is refused for what it is. */
	if (in->bad_encoding[CF_URL])
		in->err[CF_URL] = "The website address contains invalid "
				  "characters.";
	else if (url != NULL && !blank(url) && !url_has_http_scheme(url))
		in->err[CF_URL] = "The website must start with http:// or "
				  "https://.";
	else if (url != NULL && !blank(url) && !url_http_ok(url))
		in->err[CF_URL] = "The website address contains characters "
				  "that are not allowed in a web address.";
	else if (url != NULL && strlen(url) > URL_MAX)
		in->err[CF_URL] =
		    "The website address is too long: at most " URL_MAX_TEXT
		    " characters.";

	if (in->bad_encoding[CF_COMMENT] ||
	    (body != NULL && text_has_control(body, strlen(body), 1)))
		in->err[CF_COMMENT] = "Your comment contains invalid "
				      "characters.";
	else if (body == NULL || blank(body))
		in->err[CF_COMMENT] = "Please type your comment.";
	else if (strlen(body) > COMMENT_MAX)
		in->err[CF_COMMENT] =
		    "Your comment is too long: at most " COMMENT_MAX_TEXT
		    " bytes, please shorten it.";

	for (i = 0; i < CF__MAX; i++)
		if (in->err[i] != NULL)
			n++;
	return n;
}

/*
 * Is url safe to put in an href: http or https, with a host?  Comments
 * stored by other means (an import, the database by hand) are checked
 * again when shown.
 */
int
comment_url_ok(const char *url)
{
	return url != NULL && url_http_ok(url);
}

/* Count the http(s) links in a comment, WordPress's measure of spam. */
int
comment_links(const char *body)
{
	const char *p;
	int n = 0;

	for (p = body; *p != '\0'; p++)
		if ((*p == 'h' || *p == 'H') &&
		    (strncasecmp(p, "http://", 7) == 0 ||
			strncasecmp(p, "https://", 8) == 0))
			n++;
	return n;
}
