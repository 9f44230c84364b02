/*
 * pallet_utility.c - batches and derivative accounts. Each nested call runs through
 * rt_exec_call, so it gets its own transactional layer and the origin's call filter.
 */
#include "node/runtime/pallet_utility.h"

#include <string.h>

#include "common/mem.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_exec.h"

/* Approximate pallet_utility weights. */
#define W_BATCH_BASE     5000000ULL
#define W_BATCH_PER_CALL 4000000ULL
#define W_AS_DERIVATIVE  6000000ULL
#define W_DISPATCH_AS    7000000ULL

enum {
    EV_INTERRUPTED = 0,
    EV_COMPLETED = 1,
    EV_COMPLETED_WITH_ERRORS = 2,
    EV_ITEM_COMPLETED = 3,
    EV_ITEM_FAILED = 4,
    EV_DISPATCHED_AS = 5,
};

void pallet_utility_derivative_account(uint8_t out[RT_ACCOUNT_LEN],
                                       const uint8_t who[RT_ACCOUNT_LEN], uint16_t index)
{
    uint8_t in[16 + RT_ACCOUNT_LEN + 2];
    memcpy(in, "modlpy/utilisuba", 16);
    memcpy(in + 16, who, RT_ACCOUNT_LEN);
    in[48] = (uint8_t)index;
    in[49] = (uint8_t)(index >> 8);
    hash_blake2_256(out, in, sizeof(in));
}

static struct rt_weight batch_weight(size_t n)
{
    return rt_weight_make(W_BATCH_BASE + W_BATCH_PER_CALL * (uint64_t)n, 0);
}

static enum itee_err ev_simple(struct rt_ctx *ctx, uint8_t variant)
{
    uint8_t ev[2] = {RT_PALLET_UTILITY, variant};
    return rt_ctx_deposit_event(ctx, ev, 2);
}

static enum itee_err ev_error(struct rt_ctx *ctx, uint8_t variant, bool with_index, uint32_t index,
                              const struct rt_derr *err)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = rt_ctx_event_begin(&b, RT_PALLET_UTILITY, variant);
    if (r == ITEE_OK && with_index)
        r = scale_put_u32(&b, index);
    if (r == ITEE_OK)
        r = rt_derr_encode(err, &b);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/* The three batch flavours; mode 0 batch, 2 batch_all, 4 force_batch (the call indices). */
static enum itee_err call_batch(struct rt_ctx *ctx, const struct rt_origin *origin, uint8_t mode,
                                struct scale_reader *args, bool exec, struct rt_info *info,
                                struct rt_post *post)
{
    size_t n;
    enum itee_err r = scale_read_len(args, &n, 2);
    if (r != ITEE_OK)
        return r;
    size_t *ends = NULL;
    if (n > 0) {
        ends = itee_alloc_array(n, sizeof(size_t));
        if (ends == NULL)
            return ITEE_ERR_NOMEM;
    }
    size_t start = args->pos;
    struct rt_weight sum = rt_weight_make(0, 0);
    bool all_operational = true;
    for (size_t i = 0; i < n; i++) {
        struct rt_info ci;
        struct rt_post ignored = {.ok = true};
        r = rt_exec_call(ctx, origin, args, false, &ci, &ignored);
        if (r != ITEE_OK)
            goto out;
        ends[i] = args->pos;
        sum = rt_weight_add(sum, ci.weight);
        all_operational = all_operational && ci.cls == RT_CLASS_OPERATIONAL;
    }
    info->weight = rt_weight_add(sum, batch_weight(n));
    info->cls = n > 0 && all_operational ? RT_CLASS_OPERATIONAL : RT_CLASS_NORMAL;
    if (!exec)
        goto out;
    if (origin->kind == RT_ORIGIN_NONE) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_BAD_ORIGIN));
        goto out;
    }
    if (n > PALLET_UTILITY_BATCHED_CALLS_LIMIT) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_UTILITY, PALLET_UTILITY_ERR_TOO_MANY_CALLS));
        goto out;
    }
    struct rt_origin o = *origin;
    if (mode == 2 && o.kind != RT_ORIGIN_ROOT)
        o.deny_batch_all = true;
    struct rt_weight used = rt_weight_make(0, 0);
    bool had_error = false;
    size_t pos = start;
    for (size_t i = 0; i < n; i++) {
        struct scale_reader cr;
        scale_reader_init(&cr, args->ptr + pos, ends[i] - pos);
        pos = ends[i];
        struct rt_info ci;
        struct rt_post res = {.ok = true};
        r = rt_exec_call(ctx, &o, &cr, true, &ci, &res);
        if (r != ITEE_OK)
            goto out;
        used = rt_weight_add(used, rt_post_actual_weight(&ci, &res));
        post->has_actual = true;
        post->actual = rt_weight_add(batch_weight(i + 1), used);
        if (!res.ok) {
            if (mode == 0) {
                r = ev_error(ctx, EV_INTERRUPTED, true, (uint32_t)i, &res.err);
                goto out;
            }
            if (mode == 2) {
                rt_post_fail(post, res.err);
                goto out;
            }
            had_error = true;
            r = ev_error(ctx, EV_ITEM_FAILED, false, 0, &res.err);
        } else {
            r = ev_simple(ctx, EV_ITEM_COMPLETED);
        }
        if (r != ITEE_OK)
            goto out;
    }
    post->has_actual = true;
    post->actual = rt_weight_add(batch_weight(n), used);
    r = ev_simple(ctx, had_error ? EV_COMPLETED_WITH_ERRORS : EV_COMPLETED);
out:
    itee_free(ends);
    return r;
}

/*
 * Box<OriginCaller>: system(RawOrigin) = 0 with Root = 0 | Signed(AccountId) = 1 | None = 2;
 * Void = 1 is uninhabited, so nothing decodes as it.
 */
static enum itee_err read_origin_caller(struct scale_reader *r, struct rt_origin *o)
{
    uint8_t caller, raw;
    memset(o, 0, sizeof(*o));
    enum itee_err e = scale_read_u8(r, &caller);
    if (e == ITEE_OK && caller != 0)
        e = ITEE_ERR_SCALE_VARIANT;
    if (e == ITEE_OK)
        e = scale_read_u8(r, &raw);
    if (e == ITEE_OK && raw > RT_ORIGIN_NONE)
        e = ITEE_ERR_SCALE_VARIANT;
    if (e == ITEE_OK && raw == RT_ORIGIN_SIGNED)
        e = scale_read_bytes(r, o->who, RT_ACCOUNT_LEN);
    if (e == ITEE_OK)
        o->kind = (enum rt_origin_kind)raw;
    return e;
}

/* dispatch_as(as_origin, call): Root dispatches call as any origin; DispatchedAs{result}. */
static enum itee_err call_dispatch_as(struct rt_ctx *ctx, const struct rt_origin *origin,
                                      struct scale_reader *args, bool exec, struct rt_info *info,
                                      struct rt_post *post)
{
    struct rt_origin as;
    enum itee_err r = read_origin_caller(args, &as);
    if (r != ITEE_OK)
        return r;
    size_t start = args->pos;
    struct rt_info ci;
    struct rt_post ignored = {.ok = true};
    r = rt_exec_call(ctx, &as, args, false, &ci, &ignored);
    if (r != ITEE_OK)
        return r;
    info->weight = rt_weight_add(ci.weight, rt_weight_make(W_DISPATCH_AS, 0));
    info->cls = ci.cls;
    if (!exec || !pallet_system_ensure_root(origin, post))
        return ITEE_OK;
    struct scale_reader cr;
    scale_reader_init(&cr, args->ptr + start, args->pos - start);
    struct rt_post res = {.ok = true};
    r = rt_exec_call(ctx, &as, &cr, true, &ci, &res);
    if (r != ITEE_OK)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_UTILITY, EV_DISPATCHED_AS);
    if (r == ITEE_OK)
        r = rt_derr_encode_result(&res, &b);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

enum itee_err pallet_utility_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                      uint8_t call_index, struct scale_reader *args, bool exec,
                                      struct rt_info *info, struct rt_post *post)
{
    switch (call_index) {
    case 0:
    case 2:
    case 4:
        return call_batch(ctx, origin, call_index, args, exec, info, post);
    case 1:   /* as_derivative(index: u16, call) */
    case 5: { /* with_weight(call, weight), Root */
        uint16_t index = 0;
        enum itee_err r = ITEE_OK;
        if (call_index == 1)
            r = scale_read_u16(args, &index);
        if (r != ITEE_OK)
            return r;
        struct rt_origin o = *origin;
        if (call_index == 1 && origin->kind == RT_ORIGIN_SIGNED)
            pallet_utility_derivative_account(o.who, origin->who, index);
        size_t start = args->pos;
        struct rt_info ci;
        struct rt_post ignored = {.ok = true};
        r = rt_exec_call(ctx, &o, args, false, &ci, &ignored);
        if (r != ITEE_OK)
            return r;
        size_t end = args->pos;
        struct rt_weight w;
        if (call_index == 5) {
            r = scale_read_compact_u64(args, &w.ref_time);
            if (r == ITEE_OK)
                r = scale_read_compact_u64(args, &w.proof_size);
            if (r != ITEE_OK)
                return r;
            info->weight = w;
        } else {
            info->weight = rt_weight_add(ci.weight, rt_weight_make(W_AS_DERIVATIVE, 0));
        }
        info->cls = ci.cls;
        if (!exec)
            return ITEE_OK;
        if (call_index == 1 ? !pallet_system_ensure_signed(origin, post)
                            : !pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        struct scale_reader cr;
        scale_reader_init(&cr, args->ptr + start, end - start);
        struct rt_post res = {.ok = true};
        r = rt_exec_call(ctx, &o, &cr, true, &ci, &res);
        if (r != ITEE_OK)
            return r;
        if (call_index == 1) {
            post->has_actual = true;
            post->actual =
                rt_weight_add(rt_weight_make(W_AS_DERIVATIVE, 0), rt_post_actual_weight(&ci, &res));
        }
        if (!res.ok)
            rt_post_fail(post, res.err);
        return ITEE_OK;
    }
    case 3:
        return call_dispatch_as(ctx, origin, args, exec, info, post);
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}
