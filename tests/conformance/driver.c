/*
 * driver.c - main loop of the conformance driver (see driver.h for the protocol).
 */
#include "driver.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"

void drv_ok(struct drv_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    fputs("ok", ctx->out);
    if (fmt[0] != '\0')
        fputc(' ', ctx->out);
    va_start(ap, fmt);
    vfprintf(ctx->out, fmt, ap);
    va_end(ap);
    fputc('\n', ctx->out);
    ctx->done = 1;
}

void drv_err(struct drv_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    fputs("err ", ctx->out);
    va_start(ap, fmt);
    vfprintf(ctx->out, fmt, ap);
    va_end(ap);
    fputc('\n', ctx->out);
    ctx->done = 1;
}

uint8_t *drv_hex_arg(const char *arg, size_t *len)
{
    size_t n = strlen(arg);
    uint8_t *p = malloc(n / 2 + 1);
    if (p == NULL)
        return NULL;
    if (itee_hex_decode(p, n / 2 + 1, len, arg, n) != ITEE_OK) {
        free(p);
        return NULL;
    }
    return p;
}

char *drv_hex_str(const uint8_t *p, size_t len)
{
    char *s = malloc(2 * len + 1);
    if (s == NULL || itee_hex_encode(s, 2 * len + 1, p, len) != ITEE_OK) {
        free(s);
        return NULL;
    }
    return s;
}

uint8_t *drv_bytes_arg(const char *arg, size_t *len)
{
    if (strcmp(arg, "-") == 0) {
        *len = 0;
        return calloc(1, 1);
    }
    return drv_hex_arg(arg, len);
}

void drv_ok_hex(struct drv_ctx *ctx, const uint8_t *p, size_t len)
{
    char *h = drv_hex_str(p, len);
    if (h == NULL)
        drv_err(ctx, "out of memory");
    else
        drv_ok(ctx, "%s", len ? h : "-");
    free(h);
}

static const struct drv_cmd *const tables[] = {
    drv_cmds_scale, drv_cmds_hash,  drv_cmds_sr25519,  drv_cmds_keys, drv_cmds_rsa,
    drv_cmds_trie,  drv_cmds_chain, drv_cmds_metadata, drv_cmds_rt,
};

static const struct drv_cmd *find_cmd(const char *name)
{
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (const struct drv_cmd *c = tables[t]; c->name != NULL; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

static void run_line(struct drv_ctx *ctx, char *line)
{
    char *argv[DRV_MAX_ARGS + 1];
    int argc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (argc == DRV_MAX_ARGS + 1) {
            drv_err(ctx, "too many arguments");
            return;
        }
        argv[argc++] = tok;
    }
    if (argc == 0) {
        drv_err(ctx, "empty line");
        return;
    }
    const struct drv_cmd *cmd = find_cmd(argv[0]);
    if (cmd == NULL) {
        drv_err(ctx, "unknown command %s", argv[0]);
        return;
    }
    if (cmd->nargs >= 0 && argc - 1 != cmd->nargs) {
        drv_err(ctx, "%s takes %d arguments", cmd->name, cmd->nargs);
        return;
    }
    cmd->fn(ctx, argc - 1, argv + 1);
    if (!ctx->done)
        drv_err(ctx, "%s wrote no response", cmd->name);
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    struct drv_ctx ctx = {stdout, 0};
    while (getline(&line, &cap, stdin) > 0) {
        ctx.done = 0;
        run_line(&ctx, line);
        fflush(stdout);
    }
    free(line);
    return 0;
}
