/*
 * pallet_timestamp.c - the timestamp inherent.
 */
#include "node/runtime/pallet_timestamp.h"

#include "node/runtime/pallet_system.h"

/* pallet_timestamp SubstrateWeight::set + on_finalize (approximate). */
#define W_SET 10000000ULL

enum itee_err pallet_timestamp_now(struct rt_ctx *ctx, uint64_t *now)
{
    uint8_t key[32];
    struct itee_buf v;
    itee_buf_init(&v, 64);
    bool found;
    *now = 0;
    rt_state_key_value(key, "Timestamp", "Now");
    enum itee_err r = rt_state_get(ctx->state, key, 32, &v, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        scale_reader_init(&rd, v.ptr, v.len);
        r = scale_read_u64(&rd, now);
    }
    itee_buf_free(&v);
    return r;
}

enum itee_err pallet_timestamp_finalize(struct rt_ctx *ctx, bool *did_update)
{
    uint8_t key[32];
    rt_state_key_value(key, "Timestamp", "DidUpdate");
    enum itee_err r = rt_state_get(ctx->state, key, 32, NULL, did_update);
    if (r == ITEE_OK)
        r = rt_state_remove(ctx->state, key, 32);
    return r;
}

enum itee_err pallet_timestamp_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                        uint8_t call_index, struct scale_reader *args, bool exec,
                                        struct rt_info *info, struct rt_post *post)
{
    if (call_index != 0)
        return ITEE_ERR_SCALE_VARIANT;
    uint64_t now;
    enum itee_err r = scale_read_compact_u64(args, &now);
    if (r != ITEE_OK)
        return r;
    info->cls = RT_CLASS_MANDATORY;
    info->weight = rt_weight_make(W_SET, 1493);
    if (!exec || !pallet_system_ensure_none(origin, post))
        return ITEE_OK;
    uint8_t did_key[32], now_key[32];
    rt_state_key_value(did_key, "Timestamp", "DidUpdate");
    rt_state_key_value(now_key, "Timestamp", "Now");
    bool did;
    uint64_t prev;
    r = rt_state_get(ctx->state, did_key, 32, NULL, &did);
    if (r == ITEE_OK)
        r = pallet_timestamp_now(ctx, &prev);
    if (r != ITEE_OK)
        return r;
    if (did || (prev != 0 && now < prev + PALLET_TIMESTAMP_MINIMUM_PERIOD)) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_OTHER));
        return ITEE_OK;
    }
    uint8_t enc[8];
    for (int i = 0; i < 8; i++)
        enc[i] = (uint8_t)(now >> (8 * i));
    const uint8_t yes = 1;
    r = rt_state_set(ctx->state, now_key, 32, enc, 8);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, did_key, 32, &yes, 1);
    return r;
}
