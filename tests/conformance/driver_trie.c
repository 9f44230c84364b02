/*
 * driver_trie.c - conformance driver commands for the trie (see driver.h).
 *
 * Collections travel as one hex token of SCALE: entries are Vec<(Vec<u8>, Vec<u8>)>, key
 * lists and proofs are Vec<Vec<u8>>.
 *   trie_root <0|1> <entries>               -> ok <root>
 *   trie_ordered_root <0|1> <items>         -> ok <root>
 *   trie_prove <0|1> <entries> <keys>       -> ok <root> <proof>
 *   trie_verify <root> <proof> <keys> <0|1> -> ok <r1> <r2> ...  (r = "-" absent, "v<hex>")
 *                                            | err <reason> when the proof is rejected
 */
#include <stdlib.h>
#include <string.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "driver.h"
#include "trie/trie.h"
#include "trie/trie_proof.h"

/* A decoded list of byte strings (views into the decoded hex buffer). */
struct list {
    uint8_t *raw;            /* decoded bytes (owned) */
    struct itee_slice *item; /* items */
    size_t n;                /* number of items */
};

static void list_free(struct list *l)
{
    free(l->raw);
    free(l->item);
    memset(l, 0, sizeof(*l));
}

/* Parses hex of Vec<Vec<u8>> (per = 1) or Vec<(Vec<u8>, Vec<u8>)> (per = 2). */
static int list_parse(struct list *l, const char *hex, size_t per)
{
    memset(l, 0, sizeof(*l));
    size_t len;
    l->raw = drv_hex_arg(hex, &len);
    if (l->raw == NULL)
        return -1;
    struct scale_reader r;
    scale_reader_init(&r, l->raw, len);
    size_t n;
    if (scale_read_len(&r, &n, per) != ITEE_OK)
        return -1;
    l->item = calloc(n * per + 1, sizeof(*l->item));
    if (l->item == NULL)
        return -1;
    for (size_t i = 0; i < n * per; i++)
        if (scale_read_vec_u8(&r, &l->item[i]) != ITEE_OK)
            return -1;
    l->n = n;
    return scale_reader_finish(&r) == ITEE_OK ? 0 : -1;
}

static int parse_layout(const char *s, enum trie_layout *out)
{
    if (strcmp(s, "0") == 0)
        *out = TRIE_LAYOUT_V0;
    else if (strcmp(s, "1") == 0)
        *out = TRIE_LAYOUT_V1;
    else
        return -1;
    return 0;
}

static void print_hex(struct drv_ctx *ctx, const uint8_t *p, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        fputc(digits[p[i] >> 4], ctx->out);
        fputc(digits[p[i] & 15], ctx->out);
    }
}

/* Builds the trie of an entries list. */
static enum itee_err build(struct trie **t, enum trie_layout layout, const struct list *e)
{
    enum itee_err r = trie_new(t, layout, NULL);
    for (size_t i = 0; i < e->n && r == ITEE_OK; i++)
        r = trie_insert(*t, e->item[2 * i].ptr, e->item[2 * i].len, e->item[2 * i + 1].ptr,
                        e->item[2 * i + 1].len);
    return r;
}

static void cmd_root(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    enum trie_layout layout;
    struct list e;
    if (parse_layout(argv[0], &layout) != 0 || list_parse(&e, argv[1], 2) != 0) {
        list_free(&e);
        drv_err(ctx, "bad arguments");
        return;
    }
    struct trie *t = NULL;
    uint8_t root[TRIE_HASH_LEN];
    enum itee_err r = build(&t, layout, &e);
    if (r == ITEE_OK)
        r = trie_root(t, root);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
    } else {
        char *h = drv_hex_str(root, sizeof(root));
        drv_ok(ctx, "%s", h);
        free(h);
    }
    trie_free(t);
    list_free(&e);
}

static void cmd_ordered_root(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    enum trie_layout layout;
    struct list e;
    if (parse_layout(argv[0], &layout) != 0 || list_parse(&e, argv[1], 1) != 0) {
        list_free(&e);
        drv_err(ctx, "bad arguments");
        return;
    }
    uint8_t root[TRIE_HASH_LEN];
    enum itee_err r = trie_ordered_root(layout, e.item, e.n, root);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
    } else {
        char *h = drv_hex_str(root, sizeof(root));
        drv_ok(ctx, "%s", h);
        free(h);
    }
    list_free(&e);
}

static void cmd_prove(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    enum trie_layout layout;
    struct list e, k;
    memset(&k, 0, sizeof(k));
    if (parse_layout(argv[0], &layout) != 0 || list_parse(&e, argv[1], 2) != 0 ||
        list_parse(&k, argv[2], 1) != 0) {
        list_free(&e);
        list_free(&k);
        drv_err(ctx, "bad arguments");
        return;
    }
    struct trie *t = NULL;
    struct trie_proof p;
    trie_proof_init(&p);
    uint8_t root[TRIE_HASH_LEN];
    enum itee_err r = build(&t, layout, &e);
    if (r == ITEE_OK)
        r = trie_root(t, root);
    if (r == ITEE_OK)
        r = trie_prove(t, k.item, k.n, &p);
    struct itee_buf enc;
    itee_buf_init(&enc, 0);
    if (r == ITEE_OK)
        r = scale_put_compact(&enc, p.count);
    for (size_t i = 0; i < p.count && r == ITEE_OK; i++)
        r = scale_put_vec_u8(&enc, p.nodes[i].ptr, p.nodes[i].len);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
    } else {
        fputs("ok ", ctx->out);
        print_hex(ctx, root, sizeof(root));
        fputc(' ', ctx->out);
        print_hex(ctx, enc.ptr, enc.len);
        fputc('\n', ctx->out);
        ctx->done = 1;
    }
    itee_buf_free(&enc);
    trie_proof_free(&p);
    trie_free(t);
    list_free(&e);
    list_free(&k);
}

static void cmd_verify(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t rl = 0;
    uint8_t *root = drv_hex_arg(argv[0], &rl);
    struct list p, k;
    memset(&p, 0, sizeof(p));
    memset(&k, 0, sizeof(k));
    struct trie_proof_value *res = NULL;
    if (root == NULL || rl != TRIE_HASH_LEN || list_parse(&p, argv[1], 1) != 0 ||
        list_parse(&k, argv[2], 1) != 0) {
        drv_err(ctx, "bad arguments");
        goto out;
    }
    res = calloc(k.n + 1, sizeof(*res));
    if (res == NULL) {
        drv_err(ctx, "nomem");
        goto out;
    }
    unsigned flags = strcmp(argv[3], "1") == 0 ? TRIE_PROOF_STRICT : 0;
    enum itee_err r = trie_proof_verify(root, p.item, p.n, k.item, k.n, res, flags);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
        goto out;
    }
    fputs("ok", ctx->out);
    for (size_t i = 0; i < k.n; i++) {
        if (!res[i].present) {
            fputs(" -", ctx->out);
            continue;
        }
        fputs(" v", ctx->out);
        print_hex(ctx, res[i].value.ptr, res[i].value.len);
    }
    fputc('\n', ctx->out);
    ctx->done = 1;
out:
    free(res);
    free(root);
    list_free(&p);
    list_free(&k);
}

const struct drv_cmd drv_cmds_trie[] = {
    {"trie_root", 2, cmd_root},
    {"trie_ordered_root", 2, cmd_ordered_root},
    {"trie_prove", 3, cmd_prove},
    {"trie_verify", 4, cmd_verify},
    {NULL, 0, NULL},
};
