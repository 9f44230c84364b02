/*
 * fuzz_runtime_call.c - libFuzzer target: a RuntimeCall from arbitrary bytes, decoded and, when
 * it decodes, dispatched as Signed(//Alice) and as Root on the dev genesis state, inside a layer
 * that is rolled back. Reaches every pallet's argument decoder and call (proxy announcements,
 * pure proxies, utility batches and dispatch_as, publish_hash topics ...). Decoding must consume
 * exactly the declared bytes or fail; nothing may crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "node/runtime/genesis.h"
#include "node/runtime/rt_exec.h"
#include "trie/trie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(struct rt_ctx *ctx, const struct rt_origin *o, const uint8_t *data, size_t size)
{
    struct scale_reader r;
    struct rt_info info;
    struct rt_post post;
    if (rt_ctx_layer_begin(ctx) != ITEE_OK)
        return;
    scale_reader_init(&r, data, size);
    enum itee_err e = rt_exec_call(ctx, o, &r, true, &info, &post);
    if (e == ITEE_OK && r.pos > size)
        __builtin_trap();
    if (rt_ctx_layer_end(ctx, false) != ITEE_OK)
        __builtin_trap();
    if (ctx->depth != 0)
        __builtin_trap();
}

/* The dev genesis state, built once: each input only reads it through a throwaway view. */
static struct trie *genesis(uint8_t alice[32])
{
    static struct trie *t;
    static uint8_t acc[32];
    if (t == NULL) {
        struct rt_state *st = NULL;
        if (trie_new(&t, TRIE_LAYOUT_V0, NULL) != ITEE_OK || rt_state_new(&st, t) != ITEE_OK ||
            genesis_build(st, GENESIS_DEV) != ITEE_OK || rt_state_commit(st) != ITEE_OK ||
            genesis_dev_account(acc, "//Alice") != ITEE_OK)
            __builtin_trap();
        rt_state_free(st);
    }
    memcpy(alice, acc, 32);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    uint8_t alice[32], parent[32];
    struct trie *t = genesis(alice);
    struct rt_state *st = NULL;
    memset(parent, 0xaa, 32);
    if (rt_state_new(&st, t) != ITEE_OK)
        return 0;
    struct rt_ctx ctx;
    rt_ctx_init(&ctx, st, 5, parent);
    ctx.phase = RT_PHASE_APPLY;
    struct rt_origin o;
    memset(&o, 0, sizeof(o));
    o.kind = RT_ORIGIN_SIGNED;
    memcpy(o.who, alice, 32);
    run(&ctx, &o, data, size);
    o.kind = RT_ORIGIN_ROOT;
    run(&ctx, &o, data, size);
    rt_ctx_free(&ctx);
    rt_state_free(st);
    return 0;
}
