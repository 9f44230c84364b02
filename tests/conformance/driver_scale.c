/*
 * driver_scale.c - conformance driver commands for the scale area (see driver.h).
 *
 *   scale_encode <typehex> <jsonhex>   -> ok 0x<scalehex>    (type text and JSON as UTF-8 hex)
 *   scale_decode <typehex> <scalehex>  -> ok <jsonhex>      (all input must be consumed)
 *   scale_compact <scalehex>           -> ok <decimal> <consumed>   (Compact<u128> reader)
 * Errors answer "err <itee_strerror text>".
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "codec/scale.h"
#include "codec/scale_value.h"
#include "common/mem.h"

/* Parses the hex-encoded type argument. Returns: the type, or NULL after answering err. */
static struct scale_type *type_arg(struct drv_ctx *ctx, const char *arg)
{
    size_t n = 0;
    uint8_t *text = drv_hex_arg(arg, &n);
    if (text == NULL) {
        drv_err(ctx, "bad hex");
        return NULL;
    }
    struct scale_type *t = NULL;
    enum itee_err r = scale_type_parse((const char *)text, n, &t);
    free(text);
    if (r != ITEE_OK)
        drv_err(ctx, "type: %s", itee_strerror(r));
    return t;
}

static void cmd_encode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct scale_type *t = type_arg(ctx, argv[0]);
    if (t == NULL)
        return;
    size_t n = 0;
    uint8_t *text = drv_hex_arg(argv[1], &n);
    json_t *v = NULL;
    if (text != NULL)
        v = json_loadb((const char *)text, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    free(text);
    if (v == NULL) {
        drv_err(ctx, "bad json");
        goto out;
    }
    struct itee_buf buf;
    itee_buf_init(&buf, 0);
    enum itee_err r = scale_value_encode(t, v, &buf);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
    } else {
        char *hex = drv_hex_str(buf.ptr, buf.len);
        if (hex != NULL)
            drv_ok(ctx, "0x%s", hex);
        free(hex);
    }
    itee_buf_free(&buf);
    json_decref(v);
out:
    scale_type_free(t);
}

static void cmd_decode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct scale_type *t = type_arg(ctx, argv[0]);
    if (t == NULL)
        return;
    size_t n = 0;
    uint8_t *bytes = drv_hex_arg(argv[1], &n);
    if (bytes == NULL) {
        drv_err(ctx, "bad hex");
        goto out;
    }
    struct scale_reader r;
    scale_reader_init(&r, bytes, n);
    json_t *v = NULL;
    enum itee_err e = scale_value_decode(t, &r, &v);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(e));
    } else {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        char *hex = s == NULL ? NULL : drv_hex_str((const uint8_t *)s, strlen(s));
        if (hex != NULL)
            drv_ok(ctx, "%s", hex);
        free(hex);
        free(s);
    }
    json_decref(v);
    free(bytes);
out:
    scale_type_free(t);
}

static void cmd_compact(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t n = 0;
    uint8_t *bytes = drv_hex_arg(argv[0], &n);
    if (bytes == NULL) {
        drv_err(ctx, "bad hex");
        return;
    }
    struct scale_reader r;
    scale_reader_init(&r, bytes, n);
    itee_u128 v;
    enum itee_err e = scale_read_compact_u128(&r, &v);
    if (e != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(e));
    } else {
        char digits[48];
        size_t k = sizeof(digits) - 1;
        digits[k] = '\0';
        do {
            digits[--k] = (char)('0' + (int)(v % 10));
            v /= 10;
        } while (v != 0);
        drv_ok(ctx, "%s %zu", digits + k, r.pos);
    }
    free(bytes);
}

const struct drv_cmd drv_cmds_scale[] = {
    {"scale_encode", 2, cmd_encode},
    {"scale_decode", 2, cmd_decode},
    {"scale_compact", 1, cmd_compact},
    {NULL, 0, NULL},
};
