/*
 * log.c: fascia's log lines.
 *
 * Each line is written with one write(2) so that the lines of several
 * workers sharing one stderr never interleave, and is never longer than
 * LOG_LINE_MAX.  Anything that came from a visitor must go through
 * log_quote() first: it escapes every control byte, so nobody can end a
 * line early and forge one of their own.  A write that fails (a full disk,
 * a closed pipe) is counted and dropped; logging never blocks a request
 * for long and never stops the server.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX 2048

static const char *log_name = "fascia";
static size_t log_drops;

void
log_setup(const char *progname)
{
	log_name = progname;
}

/*
 * Return how many log lines could not be written.
 */
size_t
log_dropped(void)
{
	return log_drops;
}

void
log_msg(const char *level, const char *func, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	int n, m, i;
	ssize_t w;

	n = snprintf(line, sizeof(line), "%s[%ld]: %s: %s: ", log_name,
	    (long)getpid(), level, func);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	/*
	 * One event, one line, whatever the message: libpq's end in '\n', and
	 * a database error may quote a value a visitor sent, so no control
	 * character (a line break, a terminal escape) gets through.
	 */
	for (i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r' || line[i] == '\t')
			line[i] = ' ';
		else if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	while (n > 0 && line[n - 1] == ' ')
		n--;
	line[n++] = '\n';
	do
		w = write(STDERR_FILENO, line, (size_t)n);
	while (w == -1 && errno == EINTR);
	if (w != n)
		log_drops++;
}

/*
 * Copy at most srclen bytes of src into dst as a printable, quote-free
 * string: backslash, double quote and every byte outside printable ASCII
 * become \xNN.  The result is always NUL-terminated and cut short (with
 * "...") if dst is too small.
 */
void
log_quote(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	unsigned char c;

	if (dstsz == 0)
		return;
	for (i = 0; i < srclen && src[i] != '\0'; i++) {
		c = (unsigned char)src[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
			if (o + 1 >= dstsz - 3)
				break;
			dst[o++] = (char)c;
		} else {
			if (o + 4 >= dstsz - 3)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	if (i < srclen && src[i] != '\0' && dstsz > 4) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}
