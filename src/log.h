/*
 * log.h: fascia's log lines, one per event, on standard error.
 */
#ifndef FASCIA_LOG_H
#define FASCIA_LOG_H

#include <stddef.h>

void log_setup(const char *progname);
void log_msg(const char *level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t log_dropped(void);
void log_quote(char *dst, size_t dstsz, const char *src, size_t srclen);

#define log_info(...) log_msg("info", __func__, __VA_ARGS__)
#define log_warn(...) log_msg("warn", __func__, __VA_ARGS__)
#define log_err(...) log_msg("error", __func__, __VA_ARGS__)

#endif
