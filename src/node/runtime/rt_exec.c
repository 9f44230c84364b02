/*
 * rt_exec.c - call router, extrinsic application and block lifecycle (frame_executive).
 */
#include "node/runtime/rt_exec.h"

#include <string.h>

#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_enclave_bridge.h"
#include "node/runtime/pallet_proxy.h"
#include "node/runtime/pallet_sidechain.h"
#include "node/runtime/pallet_sudo.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_teeracle.h"
#include "node/runtime/pallet_teerex.h"
#include "node/runtime/pallet_timestamp.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/pallet_utility.h"
#include "node/runtime/rt_check_weight.h"

/* Pallets with calls, by runtime index. New pallets (Teerex, ...) add a row here. */
static const struct {
    uint8_t index;            /* construct_runtime! index */
    rt_pallet_dispatch_fn fn; /* its dispatcher */
} PALLETS[] = {
    {RT_PALLET_SYSTEM, pallet_system_dispatch},
    {RT_PALLET_TIMESTAMP, pallet_timestamp_dispatch},
    {RT_PALLET_SUDO, pallet_sudo_dispatch},
    {RT_PALLET_PROXY, pallet_proxy_dispatch},
    {RT_PALLET_UTILITY, pallet_utility_dispatch},
    {RT_PALLET_BALANCES, pallet_balances_dispatch},
    {RT_PALLET_TRANSACTION_PAYMENT, pallet_transaction_payment_dispatch},
    {RT_PALLET_TEEREX, pallet_teerex_dispatch},
    {RT_PALLET_TEERACLE, pallet_teeracle_dispatch},
    {RT_PALLET_SIDECHAIN, pallet_sidechain_dispatch},
    {RT_PALLET_ENCLAVE_BRIDGE, pallet_enclave_bridge_dispatch},
};

static rt_pallet_dispatch_fn find_pallet(uint8_t index)
{
    for (size_t i = 0; i < sizeof(PALLETS) / sizeof(PALLETS[0]); i++)
        if (PALLETS[i].index == index)
            return PALLETS[i].fn;
    return NULL;
}

static void info_default(struct rt_info *info)
{
    memset(info, 0, sizeof(*info));
    info->cls = RT_CLASS_NORMAL;
    info->pays = RT_PAYS_YES;
}

static void post_default(struct rt_post *post, enum rt_pays pays)
{
    memset(post, 0, sizeof(*post));
    post->ok = true;
    post->pays = pays;
}

/* Origin call filter (frame_system BaseCallFilter = Everything, plus proxy / batch_all). */
static bool call_allowed(const struct rt_origin *origin, const struct scale_reader *call,
                         uint8_t pallet, uint8_t index)
{
    if (origin->kind == RT_ORIGIN_ROOT)
        return true;
    if (origin->deny_batch_all && pallet == RT_PALLET_UTILITY && index == 2)
        return false;
    if (origin->proxy_filter && !pallet_proxy_filter(origin->proxy_type, call))
        return false;
    return true;
}

enum itee_err rt_exec_call(struct rt_ctx *ctx, const struct rt_origin *origin,
                           struct scale_reader *r, bool exec, struct rt_info *info,
                           struct rt_post *post)
{
    info_default(info);
    post_default(post, RT_PAYS_YES);
    if (ctx->call_depth >= RT_EXEC_MAX_CALL_DEPTH)
        return ITEE_ERR_SCALE_LENGTH; /* decode_with_depth_limit fails */
    size_t start = r->pos;
    uint8_t pallet, index;
    enum itee_err e = scale_read_u8(r, &pallet);
    if (e == ITEE_OK)
        e = scale_read_u8(r, &index);
    if (e != ITEE_OK)
        return e;
    rt_pallet_dispatch_fn fn = find_pallet(pallet);
    if (fn == NULL)
        return ITEE_ERR_SCALE_VARIANT;
    size_t args_start = r->pos;
    ctx->call_depth++;
    e = fn(ctx, origin, index, r, false, info, post);
    post_default(post, info->pays);
    if (e != ITEE_OK || !exec)
        goto out;
    struct scale_reader whole, args;
    scale_reader_init(&whole, r->ptr + start, r->pos - start);
    if (!call_allowed(origin, &whole, pallet, index)) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_SYSTEM, PALLET_SYSTEM_ERR_CALL_FILTERED));
        goto out;
    }
    e = rt_ctx_layer_begin(ctx);
    if (e == ITEE_ERR_SPACE) {
        struct rt_derr t = rt_derr_simple(RT_DERR_TRANSACTIONAL);
        t.sub = RT_TXL_LIMIT_REACHED;
        rt_post_fail(post, t);
        e = ITEE_OK;
        goto out;
    }
    if (e != ITEE_OK)
        goto out;
    scale_reader_init(&args, r->ptr + args_start, r->pos - args_start);
    struct rt_info again;
    info_default(&again);
    e = fn(ctx, origin, index, &args, true, &again, post);
    enum itee_err e2 = rt_ctx_layer_end(ctx, e == ITEE_OK && post->ok);
    if (e == ITEE_OK)
        e = e2;
out:
    ctx->call_depth--;
    return e;
}

enum itee_err rt_exec_call_info(struct rt_ctx *ctx, const uint8_t *call, size_t len,
                                struct rt_info *info)
{
    struct scale_reader r;
    struct rt_post post;
    struct rt_origin none;
    memset(&none, 0, sizeof(none));
    none.kind = RT_ORIGIN_NONE;
    scale_reader_init(&r, call, len);
    enum itee_err e = rt_exec_call(ctx, &none, &r, false, info, &post);
    return e != ITEE_OK ? e : scale_reader_finish(&r);
}

/* Maps a decoding failure of the call to InvalidTransaction::Call; other errors are fatal. */
static bool is_call_error(enum itee_err e)
{
    return (e >= ITEE_ERR_SCALE_EOF && e <= ITEE_ERR_SCALE_ORDER) || e == ITEE_ERR_UNSUPPORTED;
}

static enum itee_err put_u32_key(struct rt_ctx *ctx, const char *raw_key, uint32_t v)
{
    uint8_t enc[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return rt_state_set(ctx->state, (const uint8_t *)raw_key, strlen(raw_key), enc, 4);
}

/*
 * The signed extensions' pre_dispatch: CheckNonce (increment), CheckWeight (per-extrinsic
 * limits), ChargeTransactionPayment (withdraw fee + tip). Sets res->validity on refusal.
 */
static enum itee_err pre_dispatch(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                  uint32_t nonce, itee_u128 tip, const uint8_t *call,
                                  size_t call_len, size_t encoded_len, struct rt_apply_result *res)
{
    struct pallet_system_account a;
    enum itee_err e = pallet_system_account_get(ctx, who, &a, NULL);
    if (e != ITEE_OK)
        return e;
    if (nonce < a.nonce) {
        res->validity = RT_INVALID_STALE;
        return ITEE_OK;
    }
    if (nonce > a.nonce) {
        res->validity = RT_INVALID_FUTURE;
        return ITEE_OK;
    }
    if (a.providers == 0 && a.sufficients == 0) {
        res->validity = RT_INVALID_PAYMENT;
        return ITEE_OK;
    }
    e = rt_exec_call_info(ctx, call, call_len, &res->info);
    if (is_call_error(e)) {
        res->validity = RT_INVALID_CALL;
        return ITEE_OK;
    }
    if (e != ITEE_OK)
        return e;
    if (res->info.cls == RT_CLASS_MANDATORY) {
        res->validity = RT_INVALID_BAD_MANDATORY;
        return ITEE_OK;
    }
    bool fits;
    e = rt_check_weight_prepare(ctx, &res->info, encoded_len, &fits);
    if (e != ITEE_OK)
        return e;
    if (!fits) {
        res->validity = RT_INVALID_EXHAUSTS_RESOURCES;
        return ITEE_OK;
    }
    a.nonce++;
    e = pallet_system_account_put(ctx, who, &a);
    if (e != ITEE_OK)
        return e;
    res->fee = pallet_transaction_payment_compute_fee(encoded_len, &res->info, tip);
    struct rt_post p = {.ok = true};
    e = pallet_transaction_payment_withdraw(ctx, who, res->fee, &p);
    if (e == ITEE_OK && !p.ok)
        res->validity = RT_INVALID_PAYMENT;
    return e;
}

static void result_init(struct rt_apply_result *res)
{
    memset(res, 0, sizeof(*res));
    res->validity = RT_VALID;
    res->ok = true;
}

enum itee_err rt_exec_validate_signed(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                      uint32_t nonce, itee_u128 tip, const uint8_t *call,
                                      size_t call_len, size_t encoded_len,
                                      struct rt_apply_result *res)
{
    result_init(res);
    enum itee_err e = rt_ctx_layer_begin(ctx);
    if (e != ITEE_OK)
        return e;
    /* validation runs on a freshly initialised block: nothing consumed yet */
    struct rt_weight none[3];
    memset(none, 0, sizeof(none));
    e = rt_check_weight_put(ctx, none);
    if (e == ITEE_OK)
        e = rt_check_weight_reset_len(ctx);
    if (e == ITEE_OK)
        e = pre_dispatch(ctx, who, nonce, tip, call, call_len, encoded_len, res);
    enum itee_err e2 = rt_ctx_layer_end(ctx, false);
    return e != ITEE_OK ? e : e2;
}

/* After a valid extrinsic: System.note_applied_extrinsic's bookkeeping. */
static enum itee_err note_applied(struct rt_ctx *ctx, const struct rt_info *info,
                                  const struct rt_post *post)
{
    struct rt_weight w = rt_weight_add(rt_post_actual_weight(info, post),
                                       rt_weight_make(RT_EXEC_EXTRINSIC_BASE_WEIGHT, 0));
    enum rt_pays pays =
        info->pays == RT_PAYS_NO || post->pays == RT_PAYS_NO ? RT_PAYS_NO : RT_PAYS_YES;
    return pallet_system_note_applied(ctx, post->ok, &post->err, &w, info->cls, pays);
}

static enum itee_err finish_extrinsic(struct rt_ctx *ctx, bool valid, enum itee_err e)
{
    enum itee_err e2 = rt_ctx_layer_end(ctx, e == ITEE_OK && valid);
    if (e == ITEE_OK)
        e = e2;
    if (e == ITEE_OK && valid) {
        ctx->ext_index++;
        e = put_u32_key(ctx, ":extrinsic_index", ctx->ext_index);
    }
    return e;
}

enum itee_err rt_exec_apply_signed(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                   uint32_t nonce, itee_u128 tip, const uint8_t *call,
                                   size_t call_len, size_t encoded_len, struct rt_apply_result *res)
{
    result_init(res);
    ctx->phase = RT_PHASE_APPLY;
    enum itee_err e = rt_ctx_layer_begin(ctx);
    if (e != ITEE_OK)
        return e;
    e = pre_dispatch(ctx, who, nonce, tip, call, call_len, encoded_len, res);
    if (e != ITEE_OK || res->validity != RT_VALID)
        return finish_extrinsic(ctx, false, e);
    struct rt_origin origin;
    memset(&origin, 0, sizeof(origin));
    origin.kind = RT_ORIGIN_SIGNED;
    memcpy(origin.who, who, RT_ACCOUNT_LEN);
    struct scale_reader r;
    scale_reader_init(&r, call, call_len);
    struct rt_info info;
    struct rt_post post;
    e = rt_exec_call(ctx, &origin, &r, true, &info, &post);
    if (e != ITEE_OK)
        return finish_extrinsic(ctx, false, e);
    res->ok = post.ok;
    res->err = post.err;
    /* post_dispatch: fee for the actual weight and pays flag, then settlement. */
    struct rt_info actual = res->info;
    actual.weight = rt_post_actual_weight(&res->info, &post);
    if (post.pays == RT_PAYS_NO)
        actual.pays = RT_PAYS_NO;
    res->actual_fee = pallet_transaction_payment_compute_fee(encoded_len, &actual, tip);
    if (res->actual_fee > res->fee)
        res->actual_fee = res->fee;
    e = rt_check_weight_refund(ctx, res->info.cls, res->info.weight, actual.weight);
    if (e == ITEE_OK)
        e = pallet_transaction_payment_settle(ctx, who, res->fee, res->actual_fee, tip);
    if (e == ITEE_OK)
        e = note_applied(ctx, &res->info, &post);
    return finish_extrinsic(ctx, true, e);
}

enum itee_err rt_exec_apply_inherent(struct rt_ctx *ctx, const uint8_t *call, size_t call_len,
                                     struct rt_apply_result *res)
{
    result_init(res);
    ctx->phase = RT_PHASE_APPLY;
    /* Only the timestamp inherent is an unsigned call of this runtime. */
    if (call_len < 2 || call[0] != RT_PALLET_TIMESTAMP || call[1] != 0) {
        res->validity = RT_INVALID_CALL;
        return ITEE_OK;
    }
    enum itee_err e = rt_ctx_layer_begin(ctx);
    if (e != ITEE_OK)
        return e;
    struct rt_origin none;
    memset(&none, 0, sizeof(none));
    none.kind = RT_ORIGIN_NONE;
    e = rt_exec_call_info(ctx, call, call_len, &res->info);
    if (is_call_error(e)) {
        res->validity = RT_INVALID_CALL;
        return finish_extrinsic(ctx, false, ITEE_OK);
    }
    if (e != ITEE_OK)
        return finish_extrinsic(ctx, false, e);
    /* CheckWeight's bare (inherent) path, with the length of the unsigned extrinsic */
    size_t body = 1 + call_len;
    size_t encoded_len = body + (body < 64 ? 1 : body < 16384 ? 2 : 4);
    bool fits;
    e = rt_check_weight_prepare(ctx, &res->info, encoded_len, &fits);
    if (e != ITEE_OK || !fits) {
        res->validity = RT_INVALID_EXHAUSTS_RESOURCES;
        return finish_extrinsic(ctx, false, e);
    }
    struct scale_reader r;
    scale_reader_init(&r, call, call_len);
    struct rt_info info;
    struct rt_post post;
    e = rt_exec_call(ctx, &none, &r, true, &info, &post);
    if (e != ITEE_OK)
        return finish_extrinsic(ctx, false, e);
    res->ok = post.ok;
    res->err = post.err;
    if (!post.ok && res->info.cls == RT_CLASS_MANDATORY) {
        res->validity = RT_INVALID_BAD_MANDATORY;
        return finish_extrinsic(ctx, false, ITEE_OK);
    }
    e = rt_check_weight_refund(ctx, res->info.cls, res->info.weight,
                               rt_post_actual_weight(&res->info, &post));
    if (e == ITEE_OK)
        e = note_applied(ctx, &res->info, &post);
    return finish_extrinsic(ctx, true, e);
}

enum itee_err rt_exec_block_initialize(struct rt_ctx *ctx, const uint8_t *digest, size_t digest_len,
                                       uint64_t slot)
{
    ctx->phase = RT_PHASE_INITIALIZATION;
    ctx->ext_index = 0;
    rt_ctx_events_clear(ctx);
    uint8_t key[32], enc[8];
    struct itee_buf k;
    itee_buf_init(&k, 0);
    const uint8_t empty_digest = 0; /* Vec<DigestItem> with no logs */
    enum itee_err e = put_u32_key(ctx, ":extrinsic_index", 0);
    for (int i = 0; i < 4; i++)
        enc[i] = (uint8_t)(ctx->number >> (8 * i));
    rt_state_key_value(key, "System", "Number");
    if (e == ITEE_OK)
        e = rt_state_set(ctx->state, key, 32, enc, 4);
    rt_state_key_value(key, "System", "Digest");
    if (e == ITEE_OK)
        e = digest_len ? rt_state_set(ctx->state, key, 32, digest, digest_len)
                       : rt_state_set(ctx->state, key, 32, &empty_digest, 1);
    rt_state_key_value(key, "System", "ParentHash");
    if (e == ITEE_OK)
        e = rt_state_set(ctx->state, key, 32, ctx->parent_hash, 32);
    if (e == ITEE_OK && ctx->number > 0) {
        uint32_t prev = ctx->number - 1;
        uint8_t pk[4] = {(uint8_t)prev, (uint8_t)(prev >> 8), (uint8_t)(prev >> 16),
                         (uint8_t)(prev >> 24)};
        e = rt_state_key_map(&k, "System", "BlockHash", HASH_STORAGE_TWOX64_CONCAT, pk, 4);
        if (e == ITEE_OK)
            e = rt_state_set(ctx->state, k.ptr, k.len, ctx->parent_hash, 32);
    }
    const char *kill[] = {"BlockWeight", "Events", "EventCount"};
    for (size_t i = 0; e == ITEE_OK && i < 3; i++) {
        rt_state_key_value(key, "System", kill[i]);
        e = rt_state_remove(ctx->state, key, 32);
    }
    /* executive: base_block (+ on_initialize hooks, not modelled) as Mandatory weight */
    if (e == ITEE_OK)
        e = rt_check_weight_register(ctx, RT_CLASS_MANDATORY,
                                     rt_weight_make(RT_CHECK_WEIGHT_BASE_BLOCK_REF, 0));
    /* frame_system reset_events: the previous block's topic index goes too */
    rt_state_key_value(key, "System", "EventTopics");
    if (e == ITEE_OK)
        e = rt_state_clear_prefix(ctx->state, key, 32, 0, NULL);
    for (int i = 0; i < 8; i++)
        enc[i] = (uint8_t)(slot >> (8 * i));
    rt_state_key_value(key, "Aura", "CurrentSlot");
    if (e == ITEE_OK)
        e = rt_state_set(ctx->state, key, 32, enc, 8);
    itee_buf_free(&k);
    ctx->phase = RT_PHASE_APPLY;
    return e;
}

enum itee_err rt_exec_block_finalize(struct rt_ctx *ctx)
{
    ctx->phase = RT_PHASE_FINALIZATION;
    bool did;
    enum itee_err e = pallet_timestamp_finalize(ctx, &did);
    if (e != ITEE_OK)
        return e;
    if (!did)
        return ITEE_ERR_ARG; /* "Timestamp must be updated once in the block" */
    e = rt_state_remove(ctx->state, (const uint8_t *)":extrinsic_index", 16);
    if (e == ITEE_OK)
        e = rt_check_weight_reset_len(ctx);
    uint32_t to_remove =
        ctx->number > RT_EXEC_BLOCK_HASH_COUNT + 1 ? ctx->number - RT_EXEC_BLOCK_HASH_COUNT - 1 : 0;
    if (e == ITEE_OK && to_remove != 0) {
        struct itee_buf k;
        itee_buf_init(&k, 0);
        uint8_t pk[4] = {(uint8_t)to_remove, (uint8_t)(to_remove >> 8), (uint8_t)(to_remove >> 16),
                         (uint8_t)(to_remove >> 24)};
        e = rt_state_key_map(&k, "System", "BlockHash", HASH_STORAGE_TWOX64_CONCAT, pk, 4);
        if (e == ITEE_OK)
            e = rt_state_remove(ctx->state, k.ptr, k.len);
        itee_buf_free(&k);
    }
    if (e == ITEE_OK)
        e = rt_ctx_events_flush(ctx);
    return e;
}
