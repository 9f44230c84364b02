/*
 * rt_check_weight.c - block weight and length bookkeeping (see rt_check_weight.h).
 */
#include "node/runtime/rt_check_weight.h"

#include <string.h>

#include "codec/scale.h"

/* Perbill products of with_sensible_defaults on (2 s, u64::MAX): 75 % normal, 10 % init. */
#define NORMAL_REF   1500000000000ULL
#define NORMAL_PROOF 13835058055282163711ULL
#define INIT_REF     200000000000ULL
#define INIT_PROOF   1844674407370955161ULL

static struct rt_weight sat_add(struct rt_weight a, struct rt_weight b)
{
    return rt_weight_add(a, b);
}

static bool any_gt(struct rt_weight a, struct rt_weight b)
{
    return a.ref_time > b.ref_time || a.proof_size > b.proof_size;
}

void rt_check_weight_limits(enum rt_class cls, struct rt_check_weight_class *out)
{
    memset(out, 0, sizeof(*out));
    out->base_extrinsic = rt_weight_make(RT_CHECK_WEIGHT_BASE_EXTRINSIC, 0);
    if (cls == RT_CLASS_MANDATORY)
        return; /* no limits: mandatory extrinsics always go in */
    struct rt_weight total = cls == RT_CLASS_NORMAL
                                 ? rt_weight_make(NORMAL_REF, NORMAL_PROOF)
                                 : rt_weight_make(RT_CHECK_WEIGHT_MAX_BLOCK_REF, UINT64_MAX);
    out->has_max_total = true;
    out->max_total = total;
    /* max_extrinsic = max_total - avg_block_initialization - base_extrinsic */
    out->has_max_extrinsic = true;
    out->max_extrinsic = rt_weight_make(total.ref_time - INIT_REF - RT_CHECK_WEIGHT_BASE_EXTRINSIC,
                                        total.proof_size - INIT_PROOF);
    /* the builder starts every non-mandatory class with reserved Some(0) */
    out->has_reserved = true;
    if (cls == RT_CLASS_OPERATIONAL)
        out->reserved =
            rt_weight_make(RT_CHECK_WEIGHT_MAX_BLOCK_REF - NORMAL_REF, UINT64_MAX - NORMAL_PROOF);
}

enum itee_err rt_check_weight_get(struct rt_ctx *ctx, struct rt_weight w[3])
{
    uint8_t key[32];
    struct itee_buf v;
    bool found = false;
    memset(w, 0, 3 * sizeof(*w));
    itee_buf_init(&v, 0);
    rt_state_key_value(key, "System", "BlockWeight");
    enum itee_err e = rt_state_get(ctx->state, key, 32, &v, &found);
    if (e == ITEE_OK && found) {
        struct scale_reader r;
        scale_reader_init(&r, v.ptr, v.len);
        for (int i = 0; e == ITEE_OK && i < 3; i++) {
            e = scale_read_compact_u64(&r, &w[i].ref_time);
            if (e == ITEE_OK)
                e = scale_read_compact_u64(&r, &w[i].proof_size);
        }
        if (e == ITEE_OK)
            e = scale_reader_finish(&r);
        if (e != ITEE_OK) {
            memset(w, 0, 3 * sizeof(*w));
            e = ITEE_ERR_INTERNAL; /* our own value, so a corrupt state */
        }
    }
    itee_buf_free(&v);
    return e;
}

enum itee_err rt_check_weight_put(struct rt_ctx *ctx, const struct rt_weight w[3])
{
    uint8_t key[32];
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err e = ITEE_OK;
    for (int i = 0; e == ITEE_OK && i < 3; i++)
        e = rt_weight_encode(&w[i], &v);
    rt_state_key_value(key, "System", "BlockWeight");
    if (e == ITEE_OK)
        e = rt_state_set(ctx->state, key, 32, v.ptr, v.len);
    itee_buf_free(&v);
    return e;
}

static enum itee_err len_get(struct rt_ctx *ctx, uint32_t *len)
{
    uint8_t key[32];
    struct itee_buf v;
    bool found = false;
    *len = 0;
    itee_buf_init(&v, 0);
    rt_state_key_value(key, "System", "AllExtrinsicsLen");
    enum itee_err e = rt_state_get(ctx->state, key, 32, &v, &found);
    if (e == ITEE_OK && found) {
        if (v.len == 4)
            *len = (uint32_t)v.ptr[0] | (uint32_t)v.ptr[1] << 8 | (uint32_t)v.ptr[2] << 16 |
                   (uint32_t)v.ptr[3] << 24;
        else
            e = ITEE_ERR_INTERNAL;
    }
    itee_buf_free(&v);
    return e;
}

static enum itee_err len_put(struct rt_ctx *ctx, uint32_t len)
{
    uint8_t key[32],
        enc[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
    rt_state_key_value(key, "System", "AllExtrinsicsLen");
    return rt_state_set(ctx->state, key, 32, enc, 4);
}

/* calculate_consumed_weight: w with the extrinsic accrued, or *fits false. */
static void consume(struct rt_weight w[3], const struct rt_info *info, size_t len, bool *fits)
{
    struct rt_check_weight_class lim;
    rt_check_weight_limits(info->cls, &lim);
    struct rt_weight ext =
        sat_add(sat_add(info->weight, lim.base_extrinsic), rt_weight_make(0, (uint64_t)len));
    struct rt_weight *cur = &w[info->cls];
    /* checked_accrue for limited classes: an overflow is a refusal; unlimited ones saturate */
    if ((lim.has_max_total || lim.has_reserved) &&
        (cur->ref_time + ext.ref_time < cur->ref_time ||
         cur->proof_size + ext.proof_size < cur->proof_size)) {
        *fits = false;
        return;
    }
    *cur = sat_add(*cur, ext);
    if (lim.has_max_total && any_gt(*cur, lim.max_total)) {
        *fits = false;
        return;
    }
    struct rt_weight total = sat_add(sat_add(w[0], w[1]), w[2]);
    if (any_gt(total, rt_weight_make(RT_CHECK_WEIGHT_MAX_BLOCK_REF, UINT64_MAX)) &&
        lim.has_reserved && any_gt(*cur, lim.reserved)) {
        *fits = false;
        return;
    }
    *fits = true;
}

enum itee_err rt_check_weight_prepare(struct rt_ctx *ctx, const struct rt_info *info, size_t len,
                                      bool *fits)
{
    *fits = false;
    uint32_t cur_len;
    struct rt_weight w[3];
    struct rt_check_weight_class lim;
    rt_check_weight_limits(info->cls, &lim);
    enum itee_err e = len_get(ctx, &cur_len);
    if (e != ITEE_OK)
        return e;
    /* check_block_length: next = saturating u32 sum, against the class's limit (all classes) */
    uint64_t added = (uint64_t)cur_len + len;
    if (added > UINT32_MAX)
        added = UINT32_MAX;
    uint64_t max_len = info->cls == RT_CLASS_NORMAL ? RT_CHECK_WEIGHT_MAX_LEN_NORMAL
                                                    : RT_CHECK_WEIGHT_MAX_LEN_BLOCK;
    if (added > max_len)
        return ITEE_OK;
    /* check_extrinsic_weight */
    if (lim.has_max_extrinsic && any_gt(info->weight, lim.max_extrinsic))
        return ITEE_OK;
    e = rt_check_weight_get(ctx, w);
    if (e != ITEE_OK)
        return e;
    bool ok;
    consume(w, info, len, &ok);
    if (!ok)
        return ITEE_OK;
    e = len_put(ctx, (uint32_t)added);
    if (e == ITEE_OK)
        e = rt_check_weight_put(ctx, w);
    if (e == ITEE_OK)
        *fits = true;
    return e;
}

enum itee_err rt_check_weight_refund(struct rt_ctx *ctx, enum rt_class cls,
                                     struct rt_weight declared, struct rt_weight actual)
{
    struct rt_weight unspent = {
        declared.ref_time > actual.ref_time ? declared.ref_time - actual.ref_time : 0,
        declared.proof_size > actual.proof_size ? declared.proof_size - actual.proof_size : 0};
    if (unspent.ref_time == 0 && unspent.proof_size == 0)
        return ITEE_OK;
    struct rt_weight w[3];
    enum itee_err e = rt_check_weight_get(ctx, w);
    if (e != ITEE_OK)
        return e;
    w[cls].ref_time = w[cls].ref_time > unspent.ref_time ? w[cls].ref_time - unspent.ref_time : 0;
    w[cls].proof_size =
        w[cls].proof_size > unspent.proof_size ? w[cls].proof_size - unspent.proof_size : 0;
    return rt_check_weight_put(ctx, w);
}

enum itee_err rt_check_weight_register(struct rt_ctx *ctx, enum rt_class cls, struct rt_weight w)
{
    struct rt_weight cur[3];
    enum itee_err e = rt_check_weight_get(ctx, cur);
    if (e != ITEE_OK)
        return e;
    cur[cls] = sat_add(cur[cls], w);
    return rt_check_weight_put(ctx, cur);
}

enum itee_err rt_check_weight_reset_len(struct rt_ctx *ctx)
{
    uint8_t key[32];
    rt_state_key_value(key, "System", "AllExtrinsicsLen");
    return rt_state_remove(ctx->state, key, 32);
}
