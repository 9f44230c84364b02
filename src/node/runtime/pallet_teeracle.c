/*
 * pallet_teeracle.c - per-source MRENCLAVE whitelists and the exchange-rate / oracle-blob
 * updates registered enclaves publish (spec parentchain-pallets §6).
 */
#include "node/runtime/pallet_teeracle.h"

#include <string.h>

#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_teerex.h"
#include "node/runtime/rt_exec.h"

#define W_WHITELIST 20000000ULL
#define W_ORACLE    40000000ULL
#define W_RATE      40000000ULL

static const char PALLET[] = "Teeracle";

static struct rt_derr err(uint8_t e)
{
    return rt_derr_module(RT_PALLET_TEERACLE, e);
}

/* Appends SCALE(PalletString = Vec<u8>) of s (used as map keys and event fields). */
static enum itee_err put_str(struct itee_buf *b, struct itee_slice s)
{
    return scale_put_vec_u8(b, s.ptr, s.len);
}

/* Replaces key with the storage key of item[SCALE(k1)] or item[SCALE(k1)][SCALE(k2)]. */
static enum itee_err str_key(struct itee_buf *key, const char *item, struct itee_slice k1,
                             const struct itee_slice *k2)
{
    struct itee_buf e1, e2;
    itee_buf_init(&e1, 0);
    itee_buf_init(&e2, 0);
    enum itee_err r = put_str(&e1, k1);
    if (r == ITEE_OK && k2 != NULL)
        r = put_str(&e2, *k2);
    if (r == ITEE_OK && k2 == NULL)
        r = rt_state_key_map(key, PALLET, item, HASH_STORAGE_BLAKE2_128_CONCAT, e1.ptr, e1.len);
    else if (r == ITEE_OK)
        r = rt_state_key_double_map(key, PALLET, item, HASH_STORAGE_BLAKE2_128_CONCAT, e1.ptr,
                                    e1.len, HASH_STORAGE_BLAKE2_128_CONCAT, e2.ptr, e2.len);
    itee_buf_free(&e1);
    itee_buf_free(&e2);
    return r;
}

/* Whitelists[source] (ValueQuery). Out: fps (up to 10 fingerprints), *n. */
static enum itee_err whitelist_get(struct rt_ctx *ctx, struct itee_slice source,
                                   uint8_t fps[PALLET_TEERACLE_MAX_WHITELISTED_RELEASES][32],
                                   size_t *n)
{
    struct itee_buf key, v;
    bool found;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    *n = 0;
    enum itee_err r = str_key(&key, "Whitelists", source, NULL);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, &v, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        scale_reader_init(&rd, v.ptr, v.len);
        r = scale_read_len(&rd, n, 32);
        /* WeakBoundedVec decodes past its bound; we never write more than the bound */
        if (r == ITEE_OK && *n > PALLET_TEERACLE_MAX_WHITELISTED_RELEASES)
            r = ITEE_ERR_FORMAT;
        for (size_t i = 0; r == ITEE_OK && i < *n; i++)
            r = scale_read_bytes(&rd, fps[i], 32);
        if (r == ITEE_OK)
            r = scale_reader_finish(&rd);
    }
    itee_buf_free(&key);
    itee_buf_free(&v);
    return r;
}

static enum itee_err whitelist_put(struct rt_ctx *ctx, struct itee_slice source,
                                   uint8_t fps[PALLET_TEERACLE_MAX_WHITELISTED_RELEASES][32],
                                   size_t n)
{
    struct itee_buf key, v;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    enum itee_err r = str_key(&key, "Whitelists", source, NULL);
    if (r == ITEE_OK)
        r = scale_put_compact(&v, n);
    for (size_t i = 0; r == ITEE_OK && i < n; i++)
        r = scale_put_bytes(&v, fps[i], 32);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, v.ptr, v.len);
    itee_buf_free(&key);
    itee_buf_free(&v);
    return r;
}

/* Index of fp in fps[0..n), or n. */
static size_t find_fp(uint8_t fps[][32], size_t n, const uint8_t fp[32])
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(fps[i], fp, 32) == 0)
            return i;
    return n;
}

/* Decoded arguments. */
struct args {
    struct itee_slice s1, s2; /* data_source / oracle_data_name / data_source, trading_pair */
    uint8_t fp[32];
    struct itee_slice blob;
    bool has_rate;
    uint64_t rate;
};

static enum itee_err decode_args(uint8_t call, struct scale_reader *rd, struct args *a,
                                 struct rt_info *info)
{
    enum itee_err r;
    memset(a, 0, sizeof(*a));
    info->cls = RT_CLASS_NORMAL;
    info->pays = RT_PAYS_YES;
    switch (call) {
    case PALLET_TEERACLE_CALL_ADD_TO_WHITELIST:
    case PALLET_TEERACLE_CALL_REMOVE_FROM_WHITELIST:
        r = scale_read_vec_u8(rd, &a->s1);
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, a->fp, 32);
        info->weight = rt_weight_make(W_WHITELIST, 0);
        return r;
    case PALLET_TEERACLE_CALL_UPDATE_ORACLE:
        r = scale_read_vec_u8(rd, &a->s1);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &a->s2);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &a->blob);
        /* BoundedVec<u8, MaxOracleBlobLen>: a longer vector does not decode */
        if (r == ITEE_OK && a->blob.len > PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN)
            r = ITEE_ERR_SCALE_LENGTH;
        info->weight = rt_weight_make(W_ORACLE, 0);
        return r;
    case PALLET_TEERACLE_CALL_UPDATE_EXCHANGE_RATE:
        r = scale_read_vec_u8(rd, &a->s1);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &a->s2);
        if (r == ITEE_OK)
            r = scale_read_option(rd, &a->has_rate);
        if (r == ITEE_OK && a->has_rate)
            r = scale_read_u64(rd, &a->rate);
        info->weight = rt_weight_make(W_RATE, 0);
        return r;
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}

/* Event with two strings (and optionally a fingerprint or a rate). */
static enum itee_err event(struct rt_ctx *ctx, uint8_t variant, struct itee_slice a,
                           const struct itee_slice *b, const uint8_t *fp, const uint64_t *rate)
{
    struct itee_buf e;
    itee_buf_init(&e, 0);
    enum itee_err r = rt_ctx_event_begin(&e, RT_PALLET_TEERACLE, variant);
    if (r == ITEE_OK)
        r = put_str(&e, a);
    if (r == ITEE_OK && b != NULL)
        r = put_str(&e, *b);
    if (r == ITEE_OK && fp != NULL)
        r = scale_put_bytes(&e, fp, 32);
    if (r == ITEE_OK && rate != NULL)
        r = scale_put_u64(&e, *rate);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, e.ptr, e.len);
    itee_buf_free(&e);
    return r;
}

static enum itee_err whitelist_change(struct rt_ctx *ctx, bool add, const struct args *a,
                                      struct rt_post *post)
{
    uint8_t fps[PALLET_TEERACLE_MAX_WHITELISTED_RELEASES][32];
    size_t n;
    if (add && a->s1.len > PALLET_TEERACLE_MAX_SOURCE_LEN) {
        rt_post_fail(post, err(PALLET_TEERACLE_ERR_DATA_SOURCE_STRING_TOO_LONG));
        return ITEE_OK;
    }
    enum itee_err r = whitelist_get(ctx, a->s1, fps, &n);
    if (r != ITEE_OK)
        return r;
    size_t at = find_fp(fps, n, a->fp);
    if (add) {
        if (at != n) {
            rt_post_fail(post, err(PALLET_TEERACLE_ERR_FINGERPRINT_ALREADY_WHITELISTED));
            return ITEE_OK;
        }
        if (n == PALLET_TEERACLE_MAX_WHITELISTED_RELEASES) {
            rt_post_fail(post, err(PALLET_TEERACLE_ERR_FINGERPRINT_WHITELIST_OVERFLOW));
            return ITEE_OK;
        }
        memcpy(fps[n++], a->fp, 32);
    } else {
        if (at == n) {
            rt_post_fail(post, err(PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED));
            return ITEE_OK;
        }
        memmove(fps[at], fps[at + 1], (n - at - 1) * 32);
        n--;
    }
    r = whitelist_put(ctx, a->s1, fps, n);
    if (r != ITEE_OK)
        return r;
    return event(ctx,
                 add ? PALLET_TEERACLE_EV_ADDED_TO_WHITELIST
                     : PALLET_TEERACLE_EV_REMOVED_FROM_WHITELIST,
                 a->s1, NULL, a->fp, NULL);
}

/* Sender must be a sovereign enclave whose fingerprint is whitelisted for source. */
static enum itee_err check_whitelisted(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                       struct itee_slice source, struct rt_post *post)
{
    struct pallet_teerex_enclave e;
    uint8_t fps[PALLET_TEERACLE_MAX_WHITELISTED_RELEASES][32];
    size_t n;
    enum itee_err r = pallet_teerex_require_sovereign(ctx, who, &e, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    r = whitelist_get(ctx, source, fps, &n);
    if (r == ITEE_OK && find_fp(fps, n, e.mr_enclave) == n)
        rt_post_fail(post, err(PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED));
    return r;
}

static enum itee_err update_oracle(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                   const struct args *a, struct rt_post *post)
{
    /* s1 = oracle_data_name, s2 = data_source */
    enum itee_err r = check_whitelisted(ctx, who, a->s2, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    if (a->s1.len > PALLET_TEERACLE_MAX_ORACLE_NAME_LEN) {
        rt_post_fail(post, err(PALLET_TEERACLE_ERR_ORACLE_DATA_NAME_STRING_TOO_LONG));
        return ITEE_OK;
    }
    if (a->s2.len > PALLET_TEERACLE_MAX_SOURCE_LEN) {
        rt_post_fail(post, err(PALLET_TEERACLE_ERR_DATA_SOURCE_STRING_TOO_LONG));
        return ITEE_OK;
    }
    if (a->blob.len > PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN) {
        rt_post_fail(post, err(PALLET_TEERACLE_ERR_ORACLE_BLOB_TOO_BIG));
        return ITEE_OK;
    }
    struct itee_buf key, v;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    r = str_key(&key, "OracleData", a->s1, &a->s2);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(&v, a->blob.ptr, a->blob.len);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, v.ptr, v.len);
    itee_buf_free(&key);
    itee_buf_free(&v);
    if (r != ITEE_OK)
        return r;
    return event(ctx, PALLET_TEERACLE_EV_ORACLE_UPDATED, a->s1, &a->s2, NULL, NULL);
}

static enum itee_err update_exchange_rate(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                          const struct args *a, struct rt_post *post)
{
    /* s1 = data_source, s2 = trading_pair; the data source length is not checked [quirk] */
    struct pallet_teerex_enclave e;
    enum itee_err r = pallet_teerex_require_sovereign(ctx, who, &e, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    if (a->s2.len > PALLET_TEERACLE_MAX_TRADING_PAIR_LEN) {
        rt_post_fail(post, err(PALLET_TEERACLE_ERR_TRADING_PAIR_STRING_TOO_LONG));
        return ITEE_OK;
    }
    r = check_whitelisted(ctx, who, a->s1, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    struct itee_buf key, v;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    bool del = !a->has_rate || a->rate == 0;
    r = str_key(&key, "ExchangeRates", a->s2, &a->s1);
    if (r == ITEE_OK && del)
        r = rt_state_remove(ctx->state, key.ptr, key.len);
    else if (r == ITEE_OK) {
        r = scale_put_u64(&v, a->rate);
        if (r == ITEE_OK)
            r = rt_state_set(ctx->state, key.ptr, key.len, v.ptr, v.len);
    }
    itee_buf_free(&key);
    itee_buf_free(&v);
    if (r != ITEE_OK)
        return r;
    if (del)
        return event(ctx, PALLET_TEERACLE_EV_EXCHANGE_RATE_DELETED, a->s1, &a->s2, NULL, NULL);
    return event(ctx, PALLET_TEERACLE_EV_EXCHANGE_RATE_UPDATED, a->s1, &a->s2, NULL, &a->rate);
}

enum itee_err pallet_teeracle_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                       uint8_t call_index, struct scale_reader *args, bool exec,
                                       struct rt_info *info, struct rt_post *post)
{
    struct args a;
    enum itee_err r = decode_args(call_index, args, &a, info);
    if (r != ITEE_OK || !exec)
        return r;
    switch (call_index) {
    case PALLET_TEERACLE_CALL_ADD_TO_WHITELIST:
    case PALLET_TEERACLE_CALL_REMOVE_FROM_WHITELIST:
        if (!pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        return whitelist_change(ctx, call_index == PALLET_TEERACLE_CALL_ADD_TO_WHITELIST, &a, post);
    case PALLET_TEERACLE_CALL_UPDATE_ORACLE:
        if (!pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        return update_oracle(ctx, origin->who, &a, post);
    default:
        if (!pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        return update_exchange_rate(ctx, origin->who, &a, post);
    }
}
