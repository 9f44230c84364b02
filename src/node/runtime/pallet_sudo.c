/*
 * pallet_sudo.c - Root access for the sudo key.
 */
#include "node/runtime/pallet_sudo.h"

#include <string.h>

#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_exec.h"

/* Approximate pallet_sudo weights. */
#define W_SUDO    10000000ULL
#define W_SET_KEY 10000000ULL

enum { EV_SUDID = 0, EV_KEY_CHANGED = 1, EV_KEY_REMOVED = 2, EV_SUDO_AS_DONE = 3 };

enum itee_err pallet_sudo_key(struct rt_ctx *ctx, uint8_t key[RT_ACCOUNT_LEN], bool *has)
{
    uint8_t k[32];
    struct itee_buf v;
    itee_buf_init(&v, 64);
    memset(key, 0, RT_ACCOUNT_LEN);
    rt_state_key_value(k, "Sudo", "Key");
    enum itee_err r = rt_state_get(ctx->state, k, 32, &v, has);
    if (r == ITEE_OK && *has) {
        if (v.len != RT_ACCOUNT_LEN)
            r = ITEE_ERR_FORMAT;
        else
            memcpy(key, v.ptr, RT_ACCOUNT_LEN);
    }
    itee_buf_free(&v);
    return r;
}

enum itee_err pallet_sudo_set_key(struct rt_ctx *ctx, const uint8_t key[RT_ACCOUNT_LEN])
{
    uint8_t k[32];
    rt_state_key_value(k, "Sudo", "Key");
    return rt_state_set(ctx->state, k, 32, key, RT_ACCOUNT_LEN);
}

/* ensure_sudo: Root, or Signed by the key; else BadOrigin / RequireSudo. */
static enum itee_err ensure_sudo(struct rt_ctx *ctx, const struct rt_origin *origin,
                                 struct rt_post *post)
{
    if (origin->kind == RT_ORIGIN_ROOT)
        return ITEE_OK;
    if (origin->kind != RT_ORIGIN_SIGNED) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_BAD_ORIGIN));
        return ITEE_OK;
    }
    uint8_t key[RT_ACCOUNT_LEN];
    bool has;
    enum itee_err r = pallet_sudo_key(ctx, key, &has);
    if (r != ITEE_OK)
        return r;
    if (!has || memcmp(key, origin->who, RT_ACCOUNT_LEN) != 0)
        rt_post_fail(post, rt_derr_module(RT_PALLET_SUDO, PALLET_SUDO_ERR_REQUIRE_SUDO));
    return ITEE_OK;
}

/* Event carrying a DispatchResult. */
static enum itee_err ev_result(struct rt_ctx *ctx, uint8_t variant, const struct rt_post *res)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = rt_ctx_event_begin(&b, RT_PALLET_SUDO, variant);
    if (r == ITEE_OK)
        r = rt_derr_encode_result(res, &b);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/* Decodes the nested call at args (dry) and returns a reader over exactly its bytes. */
static enum itee_err nested(struct rt_ctx *ctx, const struct rt_origin *origin,
                            struct scale_reader *args, struct scale_reader *call,
                            struct rt_info *inner)
{
    size_t start = args->pos;
    struct rt_post ignored = {.ok = true};
    enum itee_err r = rt_exec_call(ctx, origin, args, false, inner, &ignored);
    if (r == ITEE_OK)
        scale_reader_init(call, args->ptr + start, args->pos - start);
    return r;
}

enum itee_err pallet_sudo_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                   uint8_t call_index, struct scale_reader *args, bool exec,
                                   struct rt_info *info, struct rt_post *post)
{
    struct rt_origin inner_origin;
    memset(&inner_origin, 0, sizeof(inner_origin));
    inner_origin.kind = RT_ORIGIN_ROOT;
    struct rt_info inner;
    struct scale_reader call;
    uint8_t who[RT_ACCOUNT_LEN];
    bool who_ok = true;
    enum itee_err r;
    struct rt_weight w;
    switch (call_index) {
    case 0: /* sudo(call) */
    case 1: /* sudo_unchecked_weight(call, weight) */
        r = nested(ctx, &inner_origin, args, &call, &inner);
        if (r == ITEE_OK && call_index == 1) {
            r = scale_read_compact_u64(args, &w.ref_time);
            if (r == ITEE_OK)
                r = scale_read_compact_u64(args, &w.proof_size);
        }
        if (r != ITEE_OK)
            return r;
        info->weight = call_index == 1 ? w : rt_weight_add(inner.weight, rt_weight_make(W_SUDO, 0));
        info->cls = inner.cls;
        break;
    case 2: /* set_key(new) */
        r = pallet_system_read_address(args, who, &who_ok);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_SET_KEY, 0);
        info->cls = RT_CLASS_NORMAL;
        break;
    case 3: /* sudo_as(who, call) */
        r = pallet_system_read_address(args, who, &who_ok);
        if (r != ITEE_OK)
            return r;
        inner_origin.kind = RT_ORIGIN_SIGNED;
        memcpy(inner_origin.who, who, RT_ACCOUNT_LEN);
        r = nested(ctx, &inner_origin, args, &call, &inner);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_add(inner.weight, rt_weight_make(W_SUDO, 0));
        info->cls = inner.cls;
        break;
    case 4: /* remove_key() */
        info->weight = rt_weight_make(W_SET_KEY, 0);
        info->cls = RT_CLASS_NORMAL;
        break;
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
    if (!exec)
        return ITEE_OK;
    r = ensure_sudo(ctx, origin, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    if ((call_index == 2 || call_index == 3) && !who_ok) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_CANNOT_LOOKUP));
        return ITEE_OK;
    }
    post->pays = RT_PAYS_NO;
    if (call_index == 0 || call_index == 1 || call_index == 3) {
        struct rt_info ii;
        struct rt_post res = {.ok = true};
        r = rt_exec_call(ctx, &inner_origin, &call, true, &ii, &res);
        if (r != ITEE_OK)
            return r;
        return ev_result(ctx, call_index == 3 ? EV_SUDO_AS_DONE : EV_SUDID, &res);
    }
    uint8_t old[RT_ACCOUNT_LEN];
    bool has_old;
    r = pallet_sudo_key(ctx, old, &has_old);
    if (r != ITEE_OK)
        return r;
    uint8_t k[32];
    rt_state_key_value(k, "Sudo", "Key");
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (call_index == 2) {
        r = pallet_sudo_set_key(ctx, who);
        if (r == ITEE_OK)
            r = rt_ctx_event_begin(&b, RT_PALLET_SUDO, EV_KEY_CHANGED);
        if (r == ITEE_OK)
            r = scale_put_option(&b, has_old);
        if (r == ITEE_OK && has_old)
            r = scale_put_bytes(&b, old, RT_ACCOUNT_LEN);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, who, RT_ACCOUNT_LEN);
    } else {
        r = rt_state_remove(ctx->state, k, 32);
        if (r == ITEE_OK)
            r = rt_ctx_event_begin(&b, RT_PALLET_SUDO, EV_KEY_REMOVED);
    }
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}
