/*
 * rt_api.c - the runtime version and the state_call runtime APIs (see rt_api.h).
 *
 * Encodings are those of polkadot-sdk stable2503: RuntimeVersion with system_version u8,
 * TransactionValidity = Result<ValidTransaction, TransactionValidityError>, RuntimeDispatchInfo
 * and FeeDetails from pallet_transaction_payment, validate_transaction v3
 * (source, tx, block_hash).
 */
#include "node/runtime/rt_api.h"

#include <string.h>

#include "codec/scale.h"
#include "common/hex.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/rt_check_weight.h"
#include "node/runtime/rt_state.h"

/* The APIs rt_api_call answers, with the versions of polkadot-sdk stable2503. */
static const struct rt_api_decl decls[] = {
    {"Core", {0xdf, 0x6a, 0xcb, 0x68, 0x99, 0x07, 0x60, 0x9b}, 5},
    {"Metadata", {0x37, 0xe3, 0x97, 0xfc, 0x7c, 0x91, 0xf5, 0xe4}, 2},
    {"TaggedTransactionQueue", {0xd2, 0xbc, 0x98, 0x97, 0xee, 0xd0, 0x8f, 0x15}, 3},
    {"AuraApi", {0xdd, 0x71, 0x8d, 0x5c, 0xc5, 0x32, 0x62, 0xd4}, 1},
    {"GrandpaApi", {0xed, 0x99, 0xc5, 0xac, 0xb2, 0x5e, 0xed, 0xf5}, 3},
    {"AccountNonceApi", {0xbc, 0x9d, 0x89, 0x90, 0x4f, 0x5b, 0x92, 0x3f}, 1},
    {"TransactionPaymentApi", {0x37, 0xc8, 0xbb, 0x13, 0x50, 0xa9, 0xa2, 0xa8}, 4},
};

/* Block limits of the solo node (rt_check_weight.h, as rt_metadata.c exposes them). */
#define MAX_BLOCK_REF_TIME   RT_CHECK_WEIGHT_MAX_BLOCK_REF
#define MAX_LEN_NORMAL       ((uint64_t)RT_CHECK_WEIGHT_MAX_LEN_NORMAL)
#define MAX_LEN_OPERATIONAL  ((uint64_t)RT_CHECK_WEIGHT_MAX_LEN_BLOCK)
#define OPERATIONAL_FEE_MULT 5u

const struct rt_api_decl *rt_api_decls(size_t *n)
{
    *n = sizeof(decls) / sizeof(decls[0]);
    return decls;
}

enum itee_err rt_runtime_version_encode(struct itee_buf *out)
{
    size_t n0 = out->len, n = sizeof(decls) / sizeof(decls[0]);
    enum itee_err e = scale_put_str(out, RT_API_SPEC_NAME, strlen(RT_API_SPEC_NAME));
    if (e == ITEE_OK)
        e = scale_put_str(out, RT_API_IMPL_NAME, strlen(RT_API_IMPL_NAME));
    if (e == ITEE_OK)
        e = scale_put_u32(out, RT_API_AUTHORING_VERSION);
    if (e == ITEE_OK)
        e = scale_put_u32(out, RT_API_SPEC_VERSION);
    if (e == ITEE_OK)
        e = scale_put_u32(out, RT_API_IMPL_VERSION);
    if (e == ITEE_OK)
        e = scale_put_compact(out, n);
    for (size_t i = 0; i < n && e == ITEE_OK; i++) {
        e = scale_put_bytes(out, decls[i].id, 8);
        if (e == ITEE_OK)
            e = scale_put_u32(out, decls[i].version);
    }
    if (e == ITEE_OK)
        e = scale_put_u32(out, RT_API_TRANSACTION_VERSION);
    if (e == ITEE_OK)
        e = scale_put_u8(out, RT_API_SYSTEM_VERSION);
    if (e != ITEE_OK)
        out->len = n0;
    return e;
}

json_t *rt_runtime_version_json(void)
{
    json_t *apis = json_array();
    if (apis == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(decls) / sizeof(decls[0]); i++) {
        char hex[2 + 16 + 1] = "0x";
        if (itee_hex_encode(hex + 2, sizeof(hex) - 2, decls[i].id, 8) != ITEE_OK ||
            json_array_append_new(apis, json_pack("[sI]", hex, (json_int_t)decls[i].version)) !=
                0) {
            json_decref(apis);
            return NULL;
        }
    }
    return json_pack(
        "{sssssIsIsIsosIsIsI}", "specName", RT_API_SPEC_NAME, "implName", RT_API_IMPL_NAME,
        "authoringVersion", (json_int_t)RT_API_AUTHORING_VERSION, "specVersion",
        (json_int_t)RT_API_SPEC_VERSION, "implVersion", (json_int_t)RT_API_IMPL_VERSION, "apis",
        apis, "transactionVersion", (json_int_t)RT_API_TRANSACTION_VERSION, "systemVersion",
        (json_int_t)RT_API_SYSTEM_VERSION, "stateVersion", (json_int_t)RT_API_SYSTEM_VERSION);
}

/* ---- helpers ---- */

static itee_u128 sat_mul(itee_u128 a, itee_u128 b)
{
    if (a != 0 && b > ((itee_u128)0 - 1) / a)
        return (itee_u128)0 - 1;
    return a * b;
}

uint64_t rt_api_priority(const struct rt_info *info, size_t len, itee_u128 tip, itee_u128 final_fee)
{
    /* bounded_weight = weight.max(1,1).min(max_block); max / bounded per component, min */
    uint64_t ref = info->weight.ref_time, proof = info->weight.proof_size;
    if (ref < 1)
        ref = 1;
    if (ref > MAX_BLOCK_REF_TIME)
        ref = MAX_BLOCK_REF_TIME;
    if (proof < 1)
        proof = 1;
    uint64_t per_weight = MAX_BLOCK_REF_TIME / ref, per_proof = UINT64_MAX / proof;
    if (per_proof < per_weight)
        per_weight = per_proof;
    uint64_t max_len = info->cls == RT_CLASS_NORMAL ? MAX_LEN_NORMAL : MAX_LEN_OPERATIONAL;
    uint64_t blen = len < 1 ? 1 : (uint64_t)len;
    if (blen > max_len)
        blen = max_len;
    uint64_t per_len = max_len / blen;
    itee_u128 max_tx = per_len < per_weight ? per_len : per_weight;
    itee_u128 t = tip + 1 < tip ? tip : tip + 1;
    itee_u128 pr = sat_mul(t, max_tx);
    if (info->cls == RT_CLASS_OPERATIONAL) {
        itee_u128 v = sat_mul(sat_mul(final_fee, OPERATIONAL_FEE_MULT), max_tx);
        pr = pr + v < pr ? (itee_u128)0 - 1 : pr + v;
    }
    return pr > UINT64_MAX ? UINT64_MAX : (uint64_t)pr;
}

/* Reads a storage value (raw); *found false when absent. */
static enum itee_err get_value(struct rt_ctx *ctx, const char *pallet, const char *item,
                               struct itee_buf *v, bool *found)
{
    uint8_t key[32];
    rt_state_key_value(key, pallet, item);
    return rt_state_get(ctx->state, key, 32, v, found);
}

/* Appends the raw value of pallet.item, or dflt when absent. */
static enum itee_err put_value_or(struct rt_ctx *ctx, const char *pallet, const char *item,
                                  const uint8_t *dflt, size_t dflt_len, struct itee_buf *out)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    bool found = false;
    enum itee_err e = get_value(ctx, pallet, item, &v, &found);
    if (e == ITEE_OK)
        e = found ? itee_buf_append(out, v.ptr, v.len) : itee_buf_append(out, dflt, dflt_len);
    itee_buf_free(&v);
    return e;
}

/* Reads one UncheckedExtrinsic (its own length prefix included) from r: a view of it. */
static enum itee_err read_uxt(struct scale_reader *r, struct itee_slice *x)
{
    struct scale_reader peek = *r;
    size_t body;
    enum itee_err e = scale_read_len(&peek, &body, 1);
    if (e != ITEE_OK)
        return e;
    size_t prefix = scale_reader_remaining(r) - scale_reader_remaining(&peek);
    return scale_read_slice(r, prefix + body, x);
}

/* Hash of block n as CheckMortality sees it during validation of block ctx->number. */
static enum itee_err era_hash(const struct rt_api_env *env, uint64_t n, uint8_t out[32],
                              bool *found)
{
    *found = false;
    if (n + 1 == (uint64_t)env->ctx->number && env->block_hash != NULL) {
        memcpy(out, env->block_hash, 32);
        *found = true;
        return ITEE_OK;
    }
    if (n > UINT32_MAX)
        return ITEE_OK;
    uint8_t k[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
    struct itee_buf key, v;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    enum itee_err e =
        rt_state_key_map(&key, "System", "BlockHash", HASH_STORAGE_TWOX64_CONCAT, k, 4);
    if (e == ITEE_OK)
        e = rt_state_get(env->ctx->state, key.ptr, key.len, &v, found);
    if (e == ITEE_OK && *found) {
        if (v.len == 32)
            memcpy(out, v.ptr, 32);
        else
            *found = false;
    }
    itee_buf_free(&key);
    itee_buf_free(&v);
    return e;
}

static void invalid(struct rt_api_validity *v, uint8_t why)
{
    v->ok = false;
    v->unknown = false;
    v->error = why;
}

enum itee_err rt_api_validate(const struct rt_api_env *env, const uint8_t *xb, size_t len,
                              struct rt_api_validity *v)
{
    memset(v, 0, sizeof(*v));
    if (env == NULL || env->ctx == NULL || env->chain == NULL || xb == NULL)
        return ITEE_ERR_ARG;
    struct extrinsic x;
    enum itee_err e = extrinsic_decode(&x, env->chain, xb, len);
    if (e == ITEE_ERR_UNSUPPORTED) {
        /* a signer address AccountIdLookup cannot resolve */
        v->unknown = true;
        v->error = 0; /* CannotLookup */
        return ITEE_OK;
    }
    if (e != ITEE_OK)
        return e;
    struct rt_info info;
    if (!x.is_signed) {
        e = rt_exec_call_info(env->ctx, x.call.ptr, x.call.len, &info);
        if (e >= ITEE_ERR_SCALE_EOF && e <= ITEE_ERR_SCALE_ORDER) {
            invalid(v, RT_INVALID_CALL);
            return ITEE_OK;
        }
        if (e != ITEE_OK && e != ITEE_ERR_UNSUPPORTED)
            return e;
        if (e == ITEE_OK && info.cls == RT_CLASS_MANDATORY) {
            invalid(v, RT_INVALID_MANDATORY_VALIDATION);
        } else {
            v->unknown = true;
            v->error = 1; /* NoUnsignedValidator */
        }
        return ITEE_OK;
    }
    /* CheckMortality's additional signed: the birth block must be in the hash history */
    uint64_t current = env->ctx->number;
    uint8_t birth_hash[32];
    if (x.params.era.mortal) {
        bool found;
        e = era_hash(env, extrinsic_era_birth(&x.params.era, current), birth_hash, &found);
        if (e != ITEE_OK)
            return e;
        if (!found) {
            invalid(v, RT_INVALID_ANCIENT_BIRTH_BLOCK);
            return ITEE_OK;
        }
    } else {
        memcpy(birth_hash, env->chain->genesis_hash, 32);
    }
    e = extrinsic_verify(&x, env->chain, birth_hash);
    if (e == ITEE_ERR_BAD_SIG) {
        invalid(v, RT_INVALID_BAD_PROOF);
        return ITEE_OK;
    }
    if (e != ITEE_OK)
        return e;
    struct pallet_system_account a;
    e = pallet_system_account_get(env->ctx, x.signer, &a, NULL);
    if (e != ITEE_OK)
        return e;
    if (x.params.nonce < a.nonce) {
        invalid(v, RT_INVALID_STALE);
        return ITEE_OK;
    }
    /* the remaining checks as if the nonce were due (a future nonce waits in the pool) */
    struct rt_apply_result res;
    e = rt_exec_validate_signed(env->ctx, x.signer, a.nonce, x.params.tip, x.call.ptr, x.call.len,
                                x.encoded_len, &res);
    if (e != ITEE_OK)
        return e;
    if (res.validity != RT_VALID) {
        invalid(v, res.validity == RT_INVALID_BAD_MANDATORY ? RT_INVALID_MANDATORY_VALIDATION
                                                            : (uint8_t)res.validity);
        return ITEE_OK;
    }
    v->ok = true;
    v->priority = rt_api_priority(&res.info, x.encoded_len, x.params.tip, res.fee);
    uint64_t death = extrinsic_era_death(&x.params.era, current);
    v->longevity = death == UINT64_MAX ? UINT64_MAX : (death > current ? death - current : 0);
    memcpy(v->signer, x.signer, 32);
    v->nonce = x.params.nonce;
    v->requires_prev = x.params.nonce > a.nonce;
    return ITEE_OK;
}

/* Appends one tag: Vec<u8> of SCALE((AccountId, nonce)). */
static enum itee_err put_tag(struct itee_buf *out, const uint8_t who[32], uint32_t nonce)
{
    enum itee_err e = scale_put_compact(out, 36);
    if (e == ITEE_OK)
        e = scale_put_bytes(out, who, 32);
    if (e == ITEE_OK)
        e = scale_put_u32(out, nonce);
    return e;
}

enum itee_err rt_api_validity_encode(const struct rt_api_validity *v, struct itee_buf *out)
{
    size_t n0 = out->len;
    enum itee_err e;
    if (!v->ok) {
        e = scale_put_u8(out, 1); /* Err */
        if (e == ITEE_OK)
            e = scale_put_u8(out, v->unknown ? 1 : 0);
        if (e == ITEE_OK)
            e = scale_put_u8(out, v->error);
    } else {
        e = scale_put_u8(out, 0); /* Ok */
        if (e == ITEE_OK)
            e = scale_put_u64(out, v->priority);
        if (e == ITEE_OK)
            e = scale_put_compact(out, v->requires_prev ? 1 : 0);
        if (e == ITEE_OK && v->requires_prev)
            e = put_tag(out, v->signer, v->nonce - 1);
        if (e == ITEE_OK)
            e = scale_put_compact(out, 1);
        if (e == ITEE_OK)
            e = put_tag(out, v->signer, v->nonce);
        if (e == ITEE_OK)
            e = scale_put_u64(out, v->longevity);
        if (e == ITEE_OK)
            e = scale_put_bool(out, true);
    }
    if (e != ITEE_OK)
        out->len = n0;
    return e;
}

/* ---- the dispatcher ---- */

/* query_info / query_fee_details: (uxt, len: u32). */
static enum itee_err payment_api(const struct rt_api_env *env, struct scale_reader *r, bool details,
                                 struct itee_buf *out)
{
    struct itee_slice xs;
    uint32_t len;
    enum itee_err e = read_uxt(r, &xs);
    if (e == ITEE_OK)
        e = scale_read_u32(r, &len);
    if (e == ITEE_OK)
        e = scale_reader_finish(r);
    if (e != ITEE_OK)
        return e;
    struct extrinsic x;
    e = extrinsic_decode(&x, env->chain, xs.ptr, xs.len);
    struct rt_info info;
    if (e == ITEE_OK)
        e = rt_exec_call_info(env->ctx, x.call.ptr, x.call.len, &info);
    /* an extrinsic or call we cannot price is bad input, not an unknown method */
    if (e == ITEE_ERR_UNSUPPORTED)
        e = ITEE_ERR_SCALE_VARIANT;
    if (e != ITEE_OK)
        return e;
    return details ? pallet_transaction_payment_encode_fee_details(&info, len, x.is_signed, out)
                   : pallet_transaction_payment_encode_query_info(&info, len, x.is_signed, out);
}

enum itee_err rt_api_call(const struct rt_api_env *env, const char *method, const uint8_t *params,
                          size_t len, struct itee_buf *out)
{
    if (env == NULL || method == NULL || (params == NULL && len > 0) || out == NULL)
        return ITEE_ERR_ARG;
    static const uint8_t empty = 0;
    struct scale_reader r;
    scale_reader_init(&r, params != NULL ? params : &empty, len);
    size_t n0 = out->len;
    enum itee_err e;
    /* everything but the version and the metadata reads the state */
    if (env->ctx == NULL && strcmp(method, "Core_version") != 0 &&
        strncmp(method, "Metadata_", 9) != 0)
        return ITEE_ERR_ARG;
    if (strcmp(method, "Core_version") == 0) {
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = rt_runtime_version_encode(out);
    } else if (strcmp(method, "Metadata_metadata") == 0) {
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = env->md != NULL ? metadata_encode_opaque(env->md, out) : ITEE_ERR_ARG;
    } else if (strcmp(method, "Metadata_metadata_at_version") == 0) {
        uint32_t v = 0;
        e = scale_read_u32(&r, &v);
        if (e == ITEE_OK)
            e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = env->md != NULL ? metadata_encode_at_version(env->md, v, out) : ITEE_ERR_ARG;
    } else if (strcmp(method, "Metadata_metadata_versions") == 0) {
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = env->md != NULL ? metadata_encode_versions(env->md, out) : ITEE_ERR_ARG;
    } else if (strcmp(method, "AccountNonceApi_account_nonce") == 0) {
        uint8_t who[32];
        struct pallet_system_account a;
        e = scale_read_bytes(&r, who, 32);
        if (e == ITEE_OK)
            e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = pallet_system_account_get(env->ctx, who, &a, NULL);
        if (e == ITEE_OK)
            e = scale_put_u32(out, a.nonce);
    } else if (strcmp(method, "TransactionPaymentApi_query_info") == 0) {
        e = env->chain != NULL ? payment_api(env, &r, false, out) : ITEE_ERR_ARG;
    } else if (strcmp(method, "TransactionPaymentApi_query_fee_details") == 0) {
        e = env->chain != NULL ? payment_api(env, &r, true, out) : ITEE_ERR_ARG;
    } else if (strcmp(method, "TransactionPaymentApi_query_weight_to_fee") == 0) {
        struct rt_weight w;
        e = scale_read_compact_u64(&r, &w.ref_time);
        if (e == ITEE_OK)
            e = scale_read_compact_u64(&r, &w.proof_size);
        if (e == ITEE_OK)
            e = scale_reader_finish(&r);
        if (e == ITEE_OK) /* IdentityFee on ref_time, multiplier 1 */
            e = scale_put_u128(out, (itee_u128)w.ref_time);
    } else if (strcmp(method, "TransactionPaymentApi_query_length_to_fee") == 0) {
        uint32_t l;
        e = scale_read_u32(&r, &l);
        if (e == ITEE_OK)
            e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = scale_put_u128(out, (itee_u128)l * PALLET_TRANSACTION_PAYMENT_BYTE_FEE);
    } else if (strcmp(method, "TaggedTransactionQueue_validate_transaction") == 0) {
        uint8_t source;
        struct itee_slice xs, bh;
        struct rt_api_validity v;
        e = scale_read_u8(&r, &source);
        if (e == ITEE_OK && source > 2)
            e = ITEE_ERR_SCALE_VARIANT;
        if (e == ITEE_OK)
            e = read_uxt(&r, &xs);
        if (e == ITEE_OK)
            e = scale_read_slice(&r, 32, &bh);
        if (e == ITEE_OK)
            e = scale_reader_finish(&r);
        if (e == ITEE_OK) {
            struct rt_api_env env2 = *env;
            env2.block_hash = bh.ptr;
            e = rt_api_validate(&env2, xs.ptr, xs.len, &v);
        }
        if (e == ITEE_OK)
            e = rt_api_validity_encode(&v, out);
    } else if (strcmp(method, "AuraApi_slot_duration") == 0) {
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = scale_put_u64(out, RT_API_SLOT_DURATION);
    } else if (strcmp(method, "AuraApi_authorities") == 0) {
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = put_value_or(env->ctx, "Aura", "Authorities", &empty, 1, out);
    } else if (strcmp(method, "GrandpaApi_grandpa_authorities") == 0) {
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = put_value_or(env->ctx, "Grandpa", "Authorities", &empty, 1, out);
    } else if (strcmp(method, "GrandpaApi_current_set_id") == 0) {
        static const uint8_t zero8[8] = {0};
        e = scale_reader_finish(&r);
        if (e == ITEE_OK)
            e = put_value_or(env->ctx, "Grandpa", "CurrentSetId", zero8, 8, out);
    } else {
        e = ITEE_ERR_UNSUPPORTED;
    }
    if (e != ITEE_OK)
        out->len = n0;
    return e;
}
