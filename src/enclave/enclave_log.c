/*
 * enclave_log.c - log.h inside the enclave: replaces src/common/log.c in the shared library so
 * that nothing inside writes to stderr. Lines are formatted into a bounded buffer and leave
 * only through the log ocall of the enclave context; the level lives in that context too.
 * There is no other sink inside, so itee_log_set_sink is accepted and ignored.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "enclave/edl.h"
#include "enclave/enclave_ctx.h"

static const char *const enclave_log_names[] = {"error", "warn", "info", "debug", "trace"};

void itee_log_set_sink(itee_log_sink_fn fn, void *ctx)
{
    (void)fn;
    (void)ctx;
}

void itee_log_set_level(enum itee_log_level level)
{
    if (level <= ITEE_LOG_TRACE)
        enclave_ctx_global()->log_level = level;
}

int itee_log_parse_level(const char *name, enum itee_log_level *out)
{
    if (name == NULL || out == NULL)
        return -1;
    for (int i = 0; i <= ITEE_LOG_TRACE; i++) {
        if (strcmp(name, enclave_log_names[i]) == 0) {
            *out = (enum itee_log_level)i;
            return 0;
        }
    }
    return -1;
}

void itee_log_emit(enum itee_log_level level, const char *file, int line, const char *fmt, ...)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    char msg[EDL_LOG_LINE_MAX];
    if (level > ctx->log_level || level > ITEE_LOG_TRACE)
        return;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    int n = snprintf(msg, sizeof(msg), "[%s] %s:%d: ", enclave_log_names[level], base, line);
    if (n < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    if ((size_t)n < sizeof(msg))
        (void)vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    va_end(ap);
    enclave_ctx_log(ctx, level, msg);
}
