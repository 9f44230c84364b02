/*
 * log.h - logging for programs (never called from the core library, which returns errors).
 *
 * Messages go to one sink (stderr by default), filtered by level. Programs set the level from
 * --log-level or INTEGRITEE_LOG; the enclave installs a sink that forwards through its
 * bounded log ocall.
 */
#ifndef ITEE_LOG_H
#define ITEE_LOG_H

enum itee_log_level {
    ITEE_LOG_ERROR = 0, /* the operation failed */
    ITEE_LOG_WARN = 1,  /* something is off but we carry on */
    ITEE_LOG_INFO = 2,  /* normal progress worth an operator's eye */
    ITEE_LOG_DEBUG = 3, /* detail for developers */
    ITEE_LOG_TRACE = 4, /* everything */
};

/* A sink receives one formatted line (no trailing newline). */
typedef void (*itee_log_sink_fn)(void *ctx, enum itee_log_level level, const char *line);

/* Installs a sink (NULL restores stderr) and its context. */
void itee_log_set_sink(itee_log_sink_fn fn, void *ctx);
/* Sets the most verbose level that is emitted. */
void itee_log_set_level(enum itee_log_level level);
/* Returns: 0 and sets *out for "error|warn|info|debug|trace", else -1. */
int itee_log_parse_level(const char *name, enum itee_log_level *out);
/* Formats and emits one message; use the macros below instead. */
void itee_log_emit(enum itee_log_level level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define ITEE_LOG(level, ...) itee_log_emit((level), __FILE__, __LINE__, __VA_ARGS__)
#define log_error(...)       ITEE_LOG(ITEE_LOG_ERROR, __VA_ARGS__)
#define log_warn(...)        ITEE_LOG(ITEE_LOG_WARN, __VA_ARGS__)
#define log_info(...)        ITEE_LOG(ITEE_LOG_INFO, __VA_ARGS__)
#define log_debug(...)       ITEE_LOG(ITEE_LOG_DEBUG, __VA_ARGS__)

#endif
