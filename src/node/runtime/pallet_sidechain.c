/*
 * pallet_sidechain.c - confirms sidechain blocks imported by the primary enclave of a shard
 * (spec parentchain-pallets §5).
 */
#include "node/runtime/pallet_sidechain.h"

#include <string.h>

#include "node/runtime/pallet_enclave_bridge.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_exec.h"

#define W_CONFIRM 60000000ULL

/* SidechainBlockConfirmation: block_number u64 || block_header_hash H256. */
struct confirmation {
    uint64_t number;
    uint8_t hash[32];
};

static enum itee_err read_confirmation(struct scale_reader *rd, struct confirmation *c)
{
    enum itee_err r = scale_read_u64(rd, &c->number);
    if (r == ITEE_OK)
        r = scale_read_bytes(rd, c->hash, 32);
    return r;
}

static enum itee_err put_confirmation(struct itee_buf *b, const struct confirmation *c)
{
    enum itee_err r = scale_put_u64(b, c->number);
    if (r == ITEE_OK)
        r = scale_put_bytes(b, c->hash, 32);
    return r;
}

static struct rt_derr err(uint8_t e)
{
    return rt_derr_module(RT_PALLET_SIDECHAIN, e);
}

static enum itee_err confirm(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                             const uint8_t shard[32], bool has_anc, const struct confirmation *anc,
                             const struct confirmation *cand, struct rt_post *post)
{
    uint8_t primary[RT_ACCOUNT_LEN];
    enum itee_err r = pallet_enclave_bridge_authorize_and_touch(ctx, who, shard, primary, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    if (memcmp(primary, who, RT_ACCOUNT_LEN) != 0)
        return ITEE_OK; /* only the primary finalizes; the touch stays */
    struct itee_buf key, v;
    bool found;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    r = rt_state_key_map(&key, "Sidechain", "LatestSidechainBlockConfirmation",
                         HASH_STORAGE_BLAKE2_128_CONCAT, shard, 32);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, &v, &found);
    if (r != ITEE_OK)
        goto out;
    if (found) {
        struct confirmation stored;
        struct scale_reader rd;
        scale_reader_init(&rd, v.ptr, v.len);
        r = read_confirmation(&rd, &stored);
        if (r != ITEE_OK)
            goto out;
        if (!has_anc) {
            rt_post_fail(post, err(PALLET_SIDECHAIN_ERR_ANCESTOR_MISSING));
            goto out;
        }
        if (!(cand->number > stored.number)) {
            rt_post_fail(post, err(PALLET_SIDECHAIN_ERR_FINALIZATION_CANDIDATE_IS_OUTDATED));
            goto out;
        }
        if (stored.number != anc->number) {
            rt_post_fail(post, err(PALLET_SIDECHAIN_ERR_ANCESTOR_NUMBER_MISMATCH));
            goto out;
        }
        if (memcmp(stored.hash, anc->hash, 32) != 0) {
            rt_post_fail(post, err(PALLET_SIDECHAIN_ERR_ANCESTOR_HASH_MISMATCH));
            goto out;
        }
    }
    itee_buf_reset(&v);
    r = put_confirmation(&v, cand);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, v.ptr, v.len);
    if (r != ITEE_OK)
        goto out;
    itee_buf_reset(&v);
    r = rt_ctx_event_begin(&v, RT_PALLET_SIDECHAIN, PALLET_SIDECHAIN_EV_FINALIZED_SIDECHAIN_BLOCK);
    if (r == ITEE_OK)
        r = scale_put_bytes(&v, shard, 32);
    if (r == ITEE_OK)
        r = put_confirmation(&v, cand);
    if (r == ITEE_OK)
        r = scale_put_bytes(&v, who, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, v.ptr, v.len);
out:
    itee_buf_free(&key);
    itee_buf_free(&v);
    return r;
}

enum itee_err pallet_sidechain_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                        uint8_t call_index, struct scale_reader *args, bool exec,
                                        struct rt_info *info, struct rt_post *post)
{
    if (call_index != PALLET_SIDECHAIN_CALL_CONFIRM_IMPORTED_SIDECHAIN_BLOCK)
        return ITEE_ERR_SCALE_VARIANT;
    uint8_t shard[32];
    bool has_anc = false;
    struct confirmation anc, cand;
    memset(&anc, 0, sizeof(anc));
    enum itee_err r = scale_read_bytes(args, shard, 32);
    if (r == ITEE_OK)
        r = scale_read_option(args, &has_anc);
    if (r == ITEE_OK && has_anc)
        r = read_confirmation(args, &anc);
    if (r == ITEE_OK)
        r = read_confirmation(args, &cand);
    info->weight = rt_weight_make(W_CONFIRM, 0);
    info->cls = RT_CLASS_NORMAL;
    info->pays = RT_PAYS_YES;
    if (r != ITEE_OK || !exec)
        return r;
    if (!pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    return confirm(ctx, origin->who, shard, has_anc, &anc, &cand, post);
}
