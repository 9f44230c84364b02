/*
 * pallet_enclave_bridge.c - indirect invocation, shard status / config and the shard bonding
 * account (spec parentchain-pallets §4).
 */
#include "node/runtime/pallet_enclave_bridge.h"

#include <string.h>

#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_teerex.h"
#include "node/runtime/rt_exec.h"

#define W_INVOKE   20000000ULL
#define W_CONFIRM  50000000ULL
#define W_SHIELD   80000000ULL
#define W_UNSHIELD 80000000ULL
#define W_PUBLISH  30000000ULL
#define W_CONFIG   40000000ULL
#define W_PURGE    30000000ULL

static const char PALLET[] = "EnclaveBridge";

static struct rt_derr err(uint8_t e)
{
    return rt_derr_module(RT_PALLET_ENCLAVE_BRIDGE, e);
}

/* Reads map `item` at a 32-byte key (Blake2_128Concat). Out: v, *found. */
static enum itee_err map_get(struct rt_ctx *ctx, const char *item, const uint8_t k[32],
                             struct itee_buf *v, bool *found)
{
    struct itee_buf key;
    itee_buf_init(&key, 0);
    enum itee_err r = rt_state_key_map(&key, PALLET, item, HASH_STORAGE_BLAKE2_128_CONCAT, k, 32);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, v, found);
    itee_buf_free(&key);
    return r;
}

static enum itee_err map_put(struct rt_ctx *ctx, const char *item, const uint8_t k[32],
                             const uint8_t *v, size_t n)
{
    struct itee_buf key;
    itee_buf_init(&key, 0);
    enum itee_err r = rt_state_key_map(&key, PALLET, item, HASH_STORAGE_BLAKE2_128_CONCAT, k, 32);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, v, n);
    itee_buf_free(&key);
    return r;
}

/* Reads a ShardConfig and returns a view of its exact encoding. */
static enum itee_err read_shard_config(struct scale_reader *rd, struct itee_slice *raw)
{
    size_t start = rd->pos;
    uint8_t buf[32];
    bool some, b;
    size_t n;
    enum itee_err r = scale_read_bytes(rd, buf, 32);
    if (r == ITEE_OK)
        r = scale_read_option(rd, &some);
    if (r == ITEE_OK && some) {
        uint32_t m;
        r = scale_read_u32(rd, &m);
    }
    if (r == ITEE_OK)
        r = scale_read_option(rd, &some);
    if (r == ITEE_OK && some) {
        r = scale_read_len(rd, &n, 32);
        for (size_t i = 0; r == ITEE_OK && i < n; i++)
            r = scale_read_bytes(rd, buf, 32);
    }
    if (r == ITEE_OK)
        r = scale_read_bool(rd, &b);
    if (r == ITEE_OK)
        *raw = itee_slice_make(rd->ptr + start, rd->pos - start);
    return r;
}

/* A decoded UpgradableShardConfig (views into the stored bytes). */
struct upgradable {
    struct itee_slice active;
    bool has_pending;
    struct itee_slice pending;
    bool has_upgrade_at;
    uint32_t upgrade_at;
};

static enum itee_err decode_upgradable(const struct itee_buf *v, struct upgradable *u)
{
    struct scale_reader rd;
    memset(u, 0, sizeof(*u));
    scale_reader_init(&rd, v->ptr, v->len);
    enum itee_err r = read_shard_config(&rd, &u->active);
    if (r == ITEE_OK)
        r = scale_read_option(&rd, &u->has_pending);
    if (r == ITEE_OK && u->has_pending)
        r = read_shard_config(&rd, &u->pending);
    if (r == ITEE_OK)
        r = scale_read_option(&rd, &u->has_upgrade_at);
    if (r == ITEE_OK && u->has_upgrade_at)
        r = scale_read_u32(&rd, &u->upgrade_at);
    if (r == ITEE_OK)
        r = scale_reader_finish(&rd);
    return r;
}

/* Writes ShardConfigRegistry[shard] = {active, pending, upgrade_at}. */
static enum itee_err put_upgradable(struct rt_ctx *ctx, const uint8_t shard[32],
                                    struct itee_slice active, const struct itee_slice *pending,
                                    const uint32_t *upgrade_at)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err r = scale_put_bytes(&v, active.ptr, active.len);
    if (r == ITEE_OK)
        r = scale_put_option(&v, pending != NULL);
    if (r == ITEE_OK && pending != NULL)
        r = scale_put_bytes(&v, pending->ptr, pending->len);
    if (r == ITEE_OK)
        r = scale_put_option(&v, upgrade_at != NULL);
    if (r == ITEE_OK && upgrade_at != NULL)
        r = scale_put_u32(&v, *upgrade_at);
    if (r == ITEE_OK)
        r = map_put(ctx, "ShardConfigRegistry", shard, v.ptr, v.len);
    itee_buf_free(&v);
    return r;
}

/*
 * get_maybe_updated_shard_config: Out: *has (a config is registered), fingerprint of the
 * effective config (the shard id itself when none), and its encoding in cfg (when *has).
 * persist: a due pending upgrade becomes the active config with nothing pending.
 */
static enum itee_err effective_config(struct rt_ctx *ctx, const uint8_t shard[32], bool persist,
                                      bool *has, uint8_t fingerprint[32], struct itee_buf *cfg)
{
    struct itee_buf v;
    struct upgradable u;
    itee_buf_init(&v, 0);
    itee_buf_reset(cfg);
    memcpy(fingerprint, shard, 32);
    enum itee_err r = map_get(ctx, "ShardConfigRegistry", shard, &v, has);
    if (r != ITEE_OK || !*has)
        goto out;
    r = decode_upgradable(&v, &u);
    if (r != ITEE_OK)
        goto out;
    struct itee_slice eff = u.active;
    if (u.has_upgrade_at && u.upgrade_at <= ctx->number && u.has_pending) {
        eff = u.pending;
        if (persist) {
            r = put_upgradable(ctx, shard, eff, NULL, NULL);
            if (r != ITEE_OK)
                goto out;
        }
    }
    memcpy(fingerprint, eff.ptr, 32);
    r = itee_buf_append(cfg, eff.ptr, eff.len);
out:
    itee_buf_free(&v);
    return r;
}

/* touch_shard: replace or append {signer, fingerprint, now}. Out: primary signer. */
static enum itee_err touch(struct rt_ctx *ctx, const uint8_t shard[32],
                           const uint8_t signer[RT_ACCOUNT_LEN], const uint8_t fingerprint[32],
                           uint8_t primary[RT_ACCOUNT_LEN], struct rt_post *post)
{
    struct itee_buf v, out;
    bool found;
    size_t n = 0;
    itee_buf_init(&v, 0);
    itee_buf_init(&out, 0);
    enum itee_err r = map_get(ctx, "ShardStatus", shard, &v, &found);
    struct scale_reader rd;
    scale_reader_init(&rd, v.ptr, v.len);
    if (r == ITEE_OK && found)
        r = scale_read_len(&rd, &n, PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN);
    if (r == ITEE_OK && n > PALLET_ENCLAVE_BRIDGE_MAX_SIGNERS)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK && scale_reader_remaining(&rd) != n * PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN)
        r = ITEE_ERR_FORMAT;
    if (r != ITEE_OK)
        goto out;
    const uint8_t *items = n > 0 ? rd.ptr + rd.pos : NULL; /* no offset on a NULL buffer */
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (memcmp(items + i * PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN, signer, 32) == 0) {
            at = i;
            break;
        }
    if (at == n && n == PALLET_ENCLAVE_BRIDGE_MAX_SIGNERS) {
        rt_post_fail(post, err(PALLET_ENCLAVE_BRIDGE_ERR_TOO_MANY_ENCLAVES));
        goto out;
    }
    size_t total = at == n ? n + 1 : n;
    uint8_t entry[PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN];
    memcpy(entry, signer, 32);
    memcpy(entry + 32, fingerprint, 32);
    for (int i = 0; i < 4; i++)
        entry[64 + i] = (uint8_t)(ctx->number >> (8 * i));
    r = scale_put_compact(&out, total);
    for (size_t i = 0; r == ITEE_OK && i < total; i++)
        r = scale_put_bytes(&out,
                            i == at ? entry : items + i * PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN,
                            PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN);
    if (r == ITEE_OK)
        r = map_put(ctx, "ShardStatus", shard, out.ptr, out.len);
    if (r == ITEE_OK && primary != NULL)
        memcpy(primary, at == 0 ? signer : items, RT_ACCOUNT_LEN);
out:
    itee_buf_free(&v);
    itee_buf_free(&out);
    return r;
}

enum itee_err pallet_enclave_bridge_authorize_and_touch(struct rt_ctx *ctx,
                                                        const uint8_t sender[RT_ACCOUNT_LEN],
                                                        const uint8_t shard[32],
                                                        uint8_t primary[RT_ACCOUNT_LEN],
                                                        struct rt_post *post)
{
    struct pallet_teerex_enclave e;
    struct itee_buf cfg;
    uint8_t fp[32];
    bool has;
    itee_buf_init(&cfg, 0);
    enum itee_err r = pallet_teerex_require_sovereign(ctx, sender, &e, post);
    if (r != ITEE_OK || !post->ok)
        goto out;
    r = effective_config(ctx, shard, true, &has, fp, &cfg);
    if (r != ITEE_OK)
        goto out;
    if (memcmp(e.mr_enclave, fp, 32) != 0) {
        rt_post_fail(post, err(PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD));
        goto out;
    }
    r = touch(ctx, shard, sender, e.mr_enclave, primary, post);
out:
    itee_buf_free(&cfg);
    return r;
}

/* Decoded arguments. */
struct args {
    uint8_t shard[32];
    uint8_t h1[32], h2[32];      /* block_hash / merkle root; hash; call_hash */
    uint32_t number;             /* block_number / enactment_delay */
    struct itee_slice bytes;     /* cyphertext / encrypted beneficiary / data */
    size_t n_topics;             /* publish_hash: extra topics */
    struct itee_slice topics;    /* their 32-byte hashes */
    uint8_t who[RT_ACCOUNT_LEN]; /* beneficiary / subject */
    itee_u128 amount;
    struct itee_slice config; /* ShardConfig encoding */
};

static enum itee_err decode_args(uint8_t call, struct scale_reader *rd, struct args *a,
                                 struct rt_info *info)
{
    enum itee_err r;
    memset(a, 0, sizeof(*a));
    info->cls = RT_CLASS_NORMAL;
    info->pays = RT_PAYS_YES;
    switch (call) {
    case PALLET_ENCLAVE_BRIDGE_CALL_INVOKE:
        r = scale_read_bytes(rd, a->shard, 32);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &a->bytes);
        info->weight = rt_weight_make(W_INVOKE, 0);
        return r;
    case PALLET_ENCLAVE_BRIDGE_CALL_CONFIRM_PROCESSED_PARENTCHAIN_BLOCK:
        r = scale_read_bytes(rd, a->shard, 32);
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, a->h1, 32);
        if (r == ITEE_OK)
            r = scale_read_u32(rd, &a->number);
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, a->h2, 32);
        info->weight = rt_weight_make(W_CONFIRM, 0);
        return r;
    case PALLET_ENCLAVE_BRIDGE_CALL_SHIELD_FUNDS:
        r = scale_read_bytes(rd, a->shard, 32);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &a->bytes);
        if (r == ITEE_OK)
            r = scale_read_u128(rd, &a->amount);
        info->weight = rt_weight_make(W_SHIELD, 0);
        return r;
    case PALLET_ENCLAVE_BRIDGE_CALL_UNSHIELD_FUNDS:
        r = scale_read_bytes(rd, a->shard, 32);
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, a->who, 32);
        if (r == ITEE_OK)
            r = scale_read_u128(rd, &a->amount);
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, a->h1, 32);
        info->weight = rt_weight_make(W_UNSHIELD, 0);
        return r;
    case PALLET_ENCLAVE_BRIDGE_CALL_PUBLISH_HASH:
        r = scale_read_bytes(rd, a->h1, 32);
        if (r == ITEE_OK)
            r = scale_read_len(rd, &a->n_topics, 32);
        if (r == ITEE_OK)
            r = scale_read_slice(rd, a->n_topics * 32, &a->topics);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &a->bytes);
        info->weight = rt_weight_make(W_PUBLISH, 0);
        return r;
    case PALLET_ENCLAVE_BRIDGE_CALL_UPDATE_SHARD_CONFIG:
        r = scale_read_bytes(rd, a->shard, 32);
        if (r == ITEE_OK)
            r = read_shard_config(rd, &a->config);
        if (r == ITEE_OK)
            r = scale_read_u32(rd, &a->number);
        info->weight = rt_weight_make(W_CONFIG, 0);
        return r;
    case PALLET_ENCLAVE_BRIDGE_CALL_PURGE_ENCLAVE_FROM_SHARD_STATUS:
        r = scale_read_bytes(rd, a->shard, 32);
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, a->who, 32);
        info->weight = rt_weight_make(W_PURGE, 0);
        return r;
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}

/* Deposits b (consumed). */
static enum itee_err deposit(struct rt_ctx *ctx, struct itee_buf *b, enum itee_err r)
{
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b->ptr, b->len);
    itee_buf_free(b);
    return r;
}

static enum itee_err unshield(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                              const struct args *a, struct rt_post *post)
{
    enum itee_err r = pallet_enclave_bridge_authorize_and_touch(ctx, who, a->shard, NULL, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    struct itee_buf v;
    bool found;
    uint64_t count = 0;
    itee_buf_init(&v, 0);
    r = map_get(ctx, "ExecutedUnshieldCalls", a->h1, &v, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        scale_reader_init(&rd, v.ptr, v.len);
        r = scale_read_u64(&rd, &count);
    }
    if (r == ITEE_OK && !found) {
        /* first confirmation: pay out from the bonding account (= shard bytes) */
        r = pallet_balances_transfer(ctx, a->shard, a->who, a->amount, PALLET_BALANCES_EXPENDABLE,
                                     post);
        if (r == ITEE_OK && post->ok) {
            struct itee_buf b;
            itee_buf_init(&b, 0);
            r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE,
                                   PALLET_ENCLAVE_BRIDGE_EV_UNSHIELDED_FUNDS);
            if (r == ITEE_OK)
                r = scale_put_bytes(&b, a->shard, 32);
            if (r == ITEE_OK)
                r = scale_put_bytes(&b, a->who, 32);
            if (r == ITEE_OK)
                r = scale_put_u128(&b, a->amount);
            r = deposit(ctx, &b, r);
        }
    }
    if (r == ITEE_OK && post->ok) {
        itee_buf_reset(&v);
        r = scale_put_u64(&v, count + 1);
        if (r == ITEE_OK)
            r = map_put(ctx, "ExecutedUnshieldCalls", a->h1, v.ptr, v.len);
    }
    itee_buf_free(&v);
    return r;
}

static enum itee_err update_shard_config(struct rt_ctx *ctx, const struct rt_origin *origin,
                                         const struct args *a, struct rt_post *post)
{
    bool has;
    uint8_t fp[32];
    struct itee_buf cfg;
    struct pallet_teerex_enclave e;
    itee_buf_init(&cfg, 0);
    enum itee_err r = effective_config(ctx, a->shard, false, &has, fp, &cfg);
    if (r != ITEE_OK)
        goto out;
    bool is_signed = origin->kind == RT_ORIGIN_SIGNED;
    if (is_signed) {
        r = pallet_teerex_require_sovereign(ctx, origin->who, &e, post);
        if (r != ITEE_OK || !post->ok)
            goto out;
        if (has && memcmp(e.mr_enclave, fp, 32) != 0) {
            rt_post_fail(post, err(PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD));
            goto out;
        }
        r = touch(ctx, a->shard, origin->who, e.mr_enclave, NULL, post);
        if (r != ITEE_OK || !post->ok)
            goto out;
    }
    if (has) {
        uint32_t at = ctx->number + a->number;
        if (at < ctx->number)
            at = UINT32_MAX; /* saturating */
        r = put_upgradable(ctx, a->shard, itee_buf_slice(&cfg), &a->config, &at);
    } else {
        r = put_upgradable(ctx, a->shard, a->config, NULL, NULL);
    }
    if (r != ITEE_OK)
        goto out;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE,
                           PALLET_ENCLAVE_BRIDGE_EV_SHARD_CONFIG_UPDATED);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, a->shard, 32);
    r = deposit(ctx, &b, r);
out:
    itee_buf_free(&cfg);
    return r;
}

static enum itee_err purge(struct rt_ctx *ctx, const struct args *a, struct rt_post *post)
{
    struct itee_buf v, out;
    bool found;
    size_t n = 0, kept = 0;
    itee_buf_init(&v, 0);
    itee_buf_init(&out, 0);
    enum itee_err r = map_get(ctx, "ShardStatus", a->shard, &v, &found);
    if (r != ITEE_OK)
        goto out;
    if (!found) {
        rt_post_fail(post, err(PALLET_ENCLAVE_BRIDGE_ERR_SHARD_NOT_FOUND));
        goto out;
    }
    struct scale_reader rd;
    scale_reader_init(&rd, v.ptr, v.len);
    r = scale_read_len(&rd, &n, PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN);
    if (r == ITEE_OK && scale_reader_remaining(&rd) != n * PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN)
        r = ITEE_ERR_FORMAT;
    if (r != ITEE_OK)
        goto out;
    const uint8_t *items = rd.ptr + rd.pos;
    for (size_t i = 0; i < n; i++)
        if (memcmp(items + i * PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN, a->who, 32) != 0)
            kept++;
    r = scale_put_compact(&out, kept);
    for (size_t i = 0; r == ITEE_OK && i < n; i++) {
        const uint8_t *it = items + i * PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN;
        if (memcmp(it, a->who, 32) != 0)
            r = scale_put_bytes(&out, it, PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN);
    }
    if (r == ITEE_OK)
        r = map_put(ctx, "ShardStatus", a->shard, out.ptr, out.len);
    if (r != ITEE_OK)
        goto out;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE,
                           PALLET_ENCLAVE_BRIDGE_EV_PURGED_ENCLAVE_FROM_SHARD_CONFIG);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, a->shard, 32);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, a->who, 32);
    r = deposit(ctx, &b, r);
out:
    itee_buf_free(&v);
    itee_buf_free(&out);
    return r;
}

enum itee_err pallet_enclave_bridge_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                             uint8_t call_index, struct scale_reader *args,
                                             bool exec, struct rt_info *info, struct rt_post *post)
{
    struct args a;
    enum itee_err r = decode_args(call_index, args, &a, info);
    if (call_index == PALLET_ENCLAVE_BRIDGE_CALL_PURGE_ENCLAVE_FROM_SHARD_STATUS)
        info->pays = RT_PAYS_NO;
    if (r != ITEE_OK || !exec)
        return r;
    if (call_index == PALLET_ENCLAVE_BRIDGE_CALL_PURGE_ENCLAVE_FROM_SHARD_STATUS) {
        if (!pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        return purge(ctx, &a, post);
    }
    if (call_index == PALLET_ENCLAVE_BRIDGE_CALL_UPDATE_SHARD_CONFIG) {
        if (origin->kind != RT_ORIGIN_ROOT && !pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        return update_shard_config(ctx, origin, &a, post);
    }
    if (!pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    const uint8_t *who = origin->who;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    switch (call_index) {
    case PALLET_ENCLAVE_BRIDGE_CALL_INVOKE:
        r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE,
                               PALLET_ENCLAVE_BRIDGE_EV_INDIRECT_INVOCATION_REGISTERED);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, a.shard, 32);
        return deposit(ctx, &b, r);
    case PALLET_ENCLAVE_BRIDGE_CALL_CONFIRM_PROCESSED_PARENTCHAIN_BLOCK:
        r = pallet_enclave_bridge_authorize_and_touch(ctx, who, a.shard, NULL, post);
        if (r != ITEE_OK || !post->ok)
            break;
        r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE,
                               PALLET_ENCLAVE_BRIDGE_EV_PROCESSED_PARENTCHAIN_BLOCK);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, a.shard, 32);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, a.h1, 32);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, a.h2, 32);
        if (r == ITEE_OK)
            r = scale_put_u32(&b, a.number);
        return deposit(ctx, &b, r);
    case PALLET_ENCLAVE_BRIDGE_CALL_SHIELD_FUNDS:
        r = pallet_balances_transfer(ctx, who, a.shard, a.amount, PALLET_BALANCES_EXPENDABLE, post);
        if (r != ITEE_OK || !post->ok)
            break;
        r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_EV_SHIELD_FUNDS);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, a.shard, 32);
        if (r == ITEE_OK)
            r = scale_put_vec_u8(&b, a.bytes.ptr, a.bytes.len);
        if (r == ITEE_OK)
            r = scale_put_u128(&b, a.amount);
        return deposit(ctx, &b, r);
    case PALLET_ENCLAVE_BRIDGE_CALL_UNSHIELD_FUNDS:
        r = unshield(ctx, who, &a, post);
        break;
    case PALLET_ENCLAVE_BRIDGE_CALL_PUBLISH_HASH: {
        struct pallet_teerex_enclave e;
        r = pallet_teerex_require_sovereign(ctx, who, &e, post);
        if (r == ITEE_OK && post->ok)
            r = touch(ctx, e.mr_enclave, who, e.mr_enclave, NULL, post);
        if (r != ITEE_OK || !post->ok)
            break;
        if (a.n_topics > PALLET_ENCLAVE_BRIDGE_MAX_TOPICS) {
            rt_post_fail(post, err(PALLET_ENCLAVE_BRIDGE_ERR_TOO_MANY_TOPICS));
            break;
        }
        if (a.bytes.len > PALLET_ENCLAVE_BRIDGE_MAX_DATA_LEN) {
            rt_post_fail(post, err(PALLET_ENCLAVE_BRIDGE_ERR_DATA_TOO_LONG));
            break;
        }
        r = rt_ctx_event_begin(&b, RT_PALLET_ENCLAVE_BRIDGE,
                               PALLET_ENCLAVE_BRIDGE_EV_PUBLISHED_HASH);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, e.mr_enclave, 32);
        if (r == ITEE_OK)
            r = scale_put_bytes(&b, a.h1, 32);
        if (r == ITEE_OK)
            r = scale_put_vec_u8(&b, a.bytes.ptr, a.bytes.len);
        /* topics = extra_topics ++ [enclave fingerprint] */
        uint8_t topics[(PALLET_ENCLAVE_BRIDGE_MAX_TOPICS + 1) * 32];
        if (a.topics.len)
            memcpy(topics, a.topics.ptr, a.topics.len);
        memcpy(topics + a.topics.len, e.mr_enclave, 32);
        if (r == ITEE_OK)
            r = rt_ctx_deposit_event_topics(ctx, b.ptr, b.len, topics, a.n_topics + 1);
        itee_buf_free(&b);
        return r;
    }
    default:
        r = ITEE_ERR_INTERNAL;
        break;
    }
    itee_buf_free(&b);
    return r;
}
