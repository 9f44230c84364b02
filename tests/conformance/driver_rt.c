/*
 * driver_rt.c - conformance driver commands for the runtime's metadata and APIs
 * (src/node/runtime/rt_metadata, rt_api), see driver.h.
 *
 *   rt_metadata <14|15>                  -> ok <hex>          the runtime metadata blob
 *   rt_version                           -> ok <scale hex> <json hex>   RuntimeVersion
 *   rt_call_info <call hex>              -> ok <ref_time> <proof_size> <class> <pays>
 *                                           rt_exec_call_info over the dev genesis
 *   rt_account_key <account hex>         -> ok <hex>          System.Account storage key
 *   rt_state_call <genesis hex> <method> <params hex> -> ok <hex>
 *                                           rt_api_call over the dev genesis, block 1 being
 *                                           built on a best block whose hash is the genesis
 *
 * The dev genesis state is built once per driver process (test code; the library itself keeps
 * no global state) and never committed to afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/extrinsic.h"
#include "chain/metadata.h"
#include "common/bytes.h"
#include "driver.h"
#include "node/runtime/genesis.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_api.h"
#include "node/runtime/rt_ctx.h"
#include "node/runtime/rt_exec.h"
#include "node/runtime/rt_metadata.h"
#include "node/runtime/rt_state.h"
#include "trie/trie.h"

extern const struct drv_cmd drv_cmds_rt[];

/* Process-wide fixture, created on first use. */
static struct {
    bool ready;
    struct trie *trie;
    struct rt_state *st;
    struct metadata_builder *md;
} fx;

static enum itee_err fx_get(void)
{
    if (fx.ready)
        return ITEE_OK;
    enum itee_err e = trie_new(&fx.trie, TRIE_LAYOUT_V0, NULL);
    if (e == ITEE_OK)
        e = rt_state_new(&fx.st, fx.trie);
    if (e == ITEE_OK)
        e = genesis_build(fx.st, GENESIS_DEV);
    if (e == ITEE_OK)
        e = rt_state_commit(fx.st);
    if (e == ITEE_OK)
        e = rt_metadata_build(&fx.md);
    fx.ready = e == ITEE_OK;
    return e;
}

static void answer(struct drv_ctx *ctx, enum itee_err r, const struct itee_buf *out)
{
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
        return;
    }
    char *h = drv_hex_str(out->ptr, out->len);
    if (h == NULL) {
        drv_err(ctx, "oom");
        return;
    }
    drv_ok(ctx, "0x%s", h);
    free(h);
}

static void cmd_metadata(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err e = fx_get();
    if (e == ITEE_OK)
        e = strcmp(argv[0], "15") == 0 ? metadata_encode_v15(fx.md, &out)
                                       : rt_metadata_v14(fx.md, &out);
    answer(ctx, e, &out);
    itee_buf_free(&out);
}

static void cmd_version(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err e = rt_runtime_version_encode(&out);
    json_t *j = rt_runtime_version_json();
    char *js = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
    char *h = e == ITEE_OK ? drv_hex_str(out.ptr, out.len) : NULL;
    char *jh = js != NULL ? drv_hex_str((const uint8_t *)js, strlen(js)) : NULL;
    if (h == NULL || jh == NULL)
        drv_err(ctx, "failed");
    else
        drv_ok(ctx, "0x%s 0x%s", h, jh);
    free(h);
    free(jh);
    free(js);
    json_decref(j);
    itee_buf_free(&out);
}

static void cmd_call_info(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len;
    uint8_t *call = drv_hex_arg(argv[0], &len);
    if (call == NULL) {
        drv_err(ctx, "bad hex");
        return;
    }
    enum itee_err e = fx_get();
    if (e == ITEE_OK) {
        struct rt_ctx c;
        uint8_t parent[32] = {0};
        rt_ctx_init(&c, fx.st, 1, parent);
        struct rt_info info;
        e = rt_exec_call_info(&c, call, len, &info);
        rt_ctx_free(&c);
        if (e == ITEE_OK)
            drv_ok(ctx, "%llu %llu %d %d", (unsigned long long)info.weight.ref_time,
                   (unsigned long long)info.weight.proof_size, (int)info.cls, (int)info.pays);
    }
    if (e != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(e));
    free(call);
}

static void cmd_account_key(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len;
    uint8_t *who = drv_hex_arg(argv[0], &len);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err e =
        who != NULL && len == 32 ? pallet_system_account_key(&out, who) : ITEE_ERR_ARG;
    answer(ctx, e, &out);
    itee_buf_free(&out);
    free(who);
}

static void cmd_state_call(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t glen = 0, plen = 0;
    uint8_t *gen = drv_hex_arg(argv[0], &glen);
    uint8_t *params = drv_hex_arg(argv[2], &plen);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err e = gen != NULL && glen == 32 && params != NULL ? fx_get() : ITEE_ERR_ARG;
    if (e == ITEE_OK) {
        struct extrinsic_chain chain = {.spec_version = RT_API_SPEC_VERSION,
                                        .tx_version = RT_API_TRANSACTION_VERSION,
                                        .check_metadata_hash = true};
        memcpy(chain.genesis_hash, gen, 32);
        struct rt_ctx c;
        rt_ctx_init(&c, fx.st, 1, gen);
        struct rt_api_env env = {.ctx = &c, .block_hash = gen, .md = fx.md, .chain = &chain};
        e = rt_api_call(&env, argv[1], params, plen, &out);
        rt_ctx_free(&c);
        rt_state_discard(fx.st);
    }
    answer(ctx, e, &out);
    itee_buf_free(&out);
    free(gen);
    free(params);
}

const struct drv_cmd drv_cmds_rt[] = {
    {"rt_metadata", 1, cmd_metadata},     {"rt_version", 0, cmd_version},
    {"rt_call_info", 1, cmd_call_info},   {"rt_account_key", 1, cmd_account_key},
    {"rt_state_call", 3, cmd_state_call}, {NULL, 0, NULL},
};
