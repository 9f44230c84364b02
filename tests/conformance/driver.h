/*
 * driver.h - the conformance driver: a line protocol that lets the node.js suites call our C
 * implementation thousands of times through one process.
 *
 * Request:  <command> <arg> <arg> ...\n    (arguments are tokens without spaces: hex, numbers,
 *                                          names; text and JSON travel hex-encoded)
 * Response: ok <field> <field> ...\n | err <one-line reason>\n
 *
 * Each area (scale, hash, sr25519, keys, rsa, ...) contributes a table in driver_<area>.c.
 */
#ifndef ITEE_CONFORMANCE_DRIVER_H
#define ITEE_CONFORMANCE_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DRV_MAX_ARGS 16

/* A command handler writes its response line (without "ok "/newline) via drv_ok/drv_err. */
struct drv_ctx {
    FILE *out; /* where responses go */
    int done;  /* set once a response was written */
};

struct drv_cmd {
    const char *name;                                       /* command word */
    int nargs;                                              /* exact arg count, -1 any */
    void (*fn)(struct drv_ctx *ctx, int argc, char **argv); /* handler */
};

/* Writes "ok" followed by the formatted fields. */
void drv_ok(struct drv_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes "err <reason>". */
void drv_err(struct drv_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decodes a hex argument into a fresh allocation (free with free()); returns NULL on bad hex. */
uint8_t *drv_hex_arg(const char *arg, size_t *len);
/* As drv_hex_arg, but "-" stands for empty bytes (a 1-byte allocation, *len = 0). */
uint8_t *drv_bytes_arg(const char *arg, size_t *len);
/* Writes "ok <hex>", or "ok -" for empty bytes; "err" if out of memory. */
void drv_ok_hex(struct drv_ctx *ctx, const uint8_t *p, size_t len);
/* Writes len bytes as hex into a fresh NUL-terminated string (free with free()). */
char *drv_hex_str(const uint8_t *p, size_t len);

/* Tables contributed by the areas; each ends with a {NULL, 0, NULL} entry. */
extern const struct drv_cmd drv_cmds_scale[];
extern const struct drv_cmd drv_cmds_hash[];
extern const struct drv_cmd drv_cmds_sr25519[];
extern const struct drv_cmd drv_cmds_keys[];
extern const struct drv_cmd drv_cmds_rsa[];
extern const struct drv_cmd drv_cmds_trie[];
extern const struct drv_cmd drv_cmds_chain[];
extern const struct drv_cmd drv_cmds_metadata[];
extern const struct drv_cmd drv_cmds_rt[];

#endif
