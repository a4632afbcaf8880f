/*
 * form.c: decoding an application/x-www-form-urlencoded body into the
 * fields a handler declared.
 *
 * A visitor's typed text is never thrown away: a field that is malformed
 * (a bad escape such as "%zz", a NUL byte, invalid UTF-8) is still decoded
 * as well as it can be, for refilling the form, and flagged bad, so the
 * handler can answer 400 and show the text again.  Bad escapes are kept
 * literally, NUL bytes dropped, and invalid UTF-8 sequences replaced by
 * U+FFFD.  A field sent twice is flagged as repeated.  Fields nobody
 * declared are ignored.
 */
#include <string.h>

#include "form.h"
#include "text.h"
#include "utf8.h"

/*
 * Decode n bytes at s leniently into the arena, setting *bad when
 * anything had to be repaired.  NULL on exhausted memory.
 */
static char *
decode_lenient(struct arena *a, const char *s, size_t n, size_t *outlen,
    int *bad)
{
	char *tmp, *out;
	size_t i, o = 0, k, seq;
	long cp;
	int hi, lo;

	/* Each input byte yields at most one byte, or three for U+FFFD. */
	if ((tmp = arena_alloc(a, n + 1)) == NULL ||
	    (out = arena_alloc(a, n * 3 + 1)) == NULL)
		return NULL;
	for (i = 0, k = 0; i < n; i++) {
		if (s[i] == '+')
			tmp[k++] = ' ';
		else if (s[i] == '%' && n - i >= 3 &&
		    (hi = hex_digit((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_digit((unsigned char)s[i + 2])) >= 0) {
			tmp[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			if (s[i] == '%')
				*bad = 1;
			tmp[k++] = s[i];
		}
	}
	for (i = 0; i < k;) {
		if (tmp[i] == '\0') {
			*bad = 1;
			i++;
			continue;
		}
		seq = utf8_decode(tmp + i, k - i, &cp);
		if (cp < 0) {
			*bad = 1;
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, tmp + i, seq);
		o += seq;
		i += seq;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/*
 * Fill fields (whose names the caller set) from the body.  Returns
 * FORM_OK, FORM_BAD when a field is malformed or repeated (the fields
 * still hold what could be decoded), or FORM_NOMEM.
 */
enum form_res
form_parse(struct arena *a, const char *body, size_t len,
    struct form_field *fields, size_t nfields)
{
	const char *p = body, *end = body + len, *amp, *eq;
	enum form_res res = FORM_OK;
	struct form_field *f;
	char *name, *value;
	size_t nlen, vlen, i;
	int bad;

	for (i = 0; i < nfields; i++) {
		fields[i].value = NULL;
		fields[i].len = 0;
		fields[i].bad = fields[i].repeated = 0;
	}
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		bad = 0;
		if ((name = decode_lenient(a, p, (size_t)(eq - p), &nlen,
			 &bad)) == NULL)
			return FORM_NOMEM;
		for (f = NULL, i = 0; i < nfields; i++)
			if (strlen(fields[i].name) == nlen &&
			    memcmp(fields[i].name, name, nlen) == 0)
				f = &fields[i];
		if (f != NULL) {
			bad = 0;
			if ((value = decode_lenient(a, eq < amp ? eq + 1 : amp,
				 eq < amp ? (size_t)(amp - eq - 1) : 0, &vlen,
				 &bad)) == NULL)
				return FORM_NOMEM;
			if (f->value != NULL) {
				f->repeated = 1;
				res = FORM_BAD;
			} else {
				f->value = value;
				f->len = vlen;
				f->bad = bad;
				if (bad)
					res = FORM_BAD;
			}
		}
		p = amp < end ? amp + 1 : end;
	}
	return res;
}
