/*
 * log.c - the log sink. The sink pointer is process-wide by nature (one stderr per process);
 * it is set once by main before threads start.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Current sink, its context and level; set by main at start-up. */
static itee_log_sink_fn sink_fn = NULL;
static void *sink_ctx = NULL;
static enum itee_log_level max_level = ITEE_LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug", "trace"};

void itee_log_set_sink(itee_log_sink_fn fn, void *ctx)
{
    sink_fn = fn;
    sink_ctx = ctx;
}

void itee_log_set_level(enum itee_log_level level)
{
    max_level = level;
}

int itee_log_parse_level(const char *name, enum itee_log_level *out)
{
    for (int i = 0; i <= ITEE_LOG_TRACE; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (enum itee_log_level)i;
            return 0;
        }
    }
    return -1;
}

void itee_log_emit(enum itee_log_level level, const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    if (level > max_level)
        return;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    int n = snprintf(msg, sizeof(msg), "[%s] %s:%d: ", level_names[level], base, line);
    if (n < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    if ((size_t)n < sizeof(msg))
        (void)vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    va_end(ap);
    if (sink_fn)
        sink_fn(sink_ctx, level, msg);
    else
        fprintf(stderr, "%s\n", msg);
}
