/*
 * pallet_teerex.c - the enclave registry: skip-RA registration, renewal-period unregistering,
 * security flags. Remote attestation (IAS / DCAP) and collateral registration are refused with
 * Module errors until the attestation verifier exists (see the header).
 */
#include "node/runtime/pallet_teerex.h"

#include <string.h>

#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_timestamp.h"
#include "node/runtime/rt_exec.h"

/* Approximate weights (ref time, ps) of the original benchmarks' order of magnitude. */
#define W_REGISTER   1500000000ULL
#define W_UNREGISTER 50000000ULL
#define W_COLLATERAL 1500000000ULL
#define W_FLAGS      10000000ULL

static const char PALLET[] = "Teerex";

static struct rt_derr err(uint8_t e)
{
    return rt_derr_module(RT_PALLET_TEEREX, e);
}

enum itee_err pallet_teerex_enclave_encode(const struct pallet_teerex_enclave *e,
                                           struct itee_buf *out)
{
    enum itee_err r = scale_put_u8(out, 0); /* MultiEnclave::Sgx */
    if (r == ITEE_OK)
        r = scale_put_bytes(out, e->report_data, 64);
    if (r == ITEE_OK)
        r = scale_put_bytes(out, e->mr_enclave, 32);
    if (r == ITEE_OK)
        r = scale_put_bytes(out, e->mr_signer, 32);
    if (r == ITEE_OK)
        r = scale_put_u64(out, e->timestamp);
    if (r == ITEE_OK)
        r = scale_put_option(out, e->has_url);
    if (r == ITEE_OK && e->has_url)
        r = scale_put_vec_u8(out, e->url, e->url_len);
    if (r == ITEE_OK)
        r = scale_put_u8(out, e->build_mode);
    if (r == ITEE_OK)
        r = scale_put_u8(out, e->method);
    if (r == ITEE_OK && e->method != PALLET_TEEREX_METHOD_IAS)
        r = scale_put_bool(out, e->proxied);
    if (r == ITEE_OK)
        r = scale_put_u8(out, e->status);
    return r;
}

/* Reads SgxAttestationMethod. */
static enum itee_err read_method(struct scale_reader *rd, uint8_t *method, bool *proxied)
{
    *proxied = false;
    enum itee_err r = scale_read_u8(rd, method);
    if (r != ITEE_OK)
        return r;
    if (*method > PALLET_TEEREX_METHOD_DCAP)
        return ITEE_ERR_SCALE_VARIANT;
    if (*method != PALLET_TEEREX_METHOD_IAS)
        r = scale_read_bool(rd, proxied);
    return r;
}

enum itee_err pallet_teerex_enclave_decode(struct pallet_teerex_enclave *e, const uint8_t *p,
                                           size_t len)
{
    struct scale_reader rd;
    uint8_t tag;
    memset(e, 0, sizeof(*e));
    scale_reader_init(&rd, p, len);
    enum itee_err r = scale_read_u8(&rd, &tag);
    if (r == ITEE_OK && tag != 0)
        r = ITEE_ERR_SCALE_VARIANT;
    if (r == ITEE_OK)
        r = scale_read_bytes(&rd, e->report_data, 64);
    if (r == ITEE_OK)
        r = scale_read_bytes(&rd, e->mr_enclave, 32);
    if (r == ITEE_OK)
        r = scale_read_bytes(&rd, e->mr_signer, 32);
    if (r == ITEE_OK)
        r = scale_read_u64(&rd, &e->timestamp);
    if (r == ITEE_OK)
        r = scale_read_option(&rd, &e->has_url);
    if (r == ITEE_OK && e->has_url) {
        struct itee_slice s;
        r = scale_read_vec_u8(&rd, &s);
        if (r == ITEE_OK && s.len > PALLET_TEEREX_URL_MAX_LEN)
            r = ITEE_ERR_SCALE_LENGTH;
        if (r == ITEE_OK) {
            memcpy(e->url, s.ptr, s.len);
            e->url_len = s.len;
        }
    }
    if (r == ITEE_OK)
        r = scale_read_u8(&rd, &e->build_mode);
    if (r == ITEE_OK && e->build_mode > PALLET_TEEREX_PRODUCTION)
        r = ITEE_ERR_SCALE_VARIANT;
    if (r == ITEE_OK)
        r = read_method(&rd, &e->method, &e->proxied);
    if (r == ITEE_OK)
        r = scale_read_u8(&rd, &e->status);
    if (r == ITEE_OK && e->status > PALLET_TEEREX_STATUS_CONFIGURATION_NEEDED)
        r = ITEE_ERR_SCALE_VARIANT;
    if (r == ITEE_OK)
        r = scale_reader_finish(&rd);
    return r;
}

/* Replaces key with the map key of `item` for the raw SCALE key k (Blake2_128Concat). */
static enum itee_err map_key(struct itee_buf *key, const char *item, const uint8_t *k, size_t n)
{
    return rt_state_key_map(key, PALLET, item, HASH_STORAGE_BLAKE2_128_CONCAT, k, n);
}

/* Reads an enclave from map `item` at raw key k. */
static enum itee_err get_enclave(struct rt_ctx *ctx, const char *item, const uint8_t *k, size_t n,
                                 struct pallet_teerex_enclave *e, bool *found)
{
    struct itee_buf key, v;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    *found = false;
    memset(e, 0, sizeof(*e));
    enum itee_err r = map_key(&key, item, k, n);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, &v, found);
    if (r == ITEE_OK && *found)
        r = pallet_teerex_enclave_decode(e, v.ptr, v.len);
    itee_buf_free(&key);
    itee_buf_free(&v);
    return r;
}

static enum itee_err put_enclave(struct rt_ctx *ctx, const char *item, const uint8_t *k, size_t n,
                                 const struct pallet_teerex_enclave *e)
{
    struct itee_buf key, v;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    enum itee_err r = map_key(&key, item, k, n);
    if (r == ITEE_OK)
        r = pallet_teerex_enclave_encode(e, &v);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, v.ptr, v.len);
    itee_buf_free(&key);
    itee_buf_free(&v);
    return r;
}

enum itee_err pallet_teerex_sovereign_enclave(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                              struct pallet_teerex_enclave *e, bool *found)
{
    return get_enclave(ctx, "SovereignEnclaves", who, RT_ACCOUNT_LEN, e, found);
}

enum itee_err pallet_teerex_require_sovereign(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                              struct pallet_teerex_enclave *e, struct rt_post *post)
{
    bool found;
    enum itee_err r = pallet_teerex_sovereign_enclave(ctx, who, e, &found);
    if (r == ITEE_OK && !found)
        rt_post_fail(post, err(PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED));
    return r;
}

enum itee_err pallet_teerex_put_sovereign(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                          const struct pallet_teerex_enclave *e)
{
    return put_enclave(ctx, "SovereignEnclaves", who, RT_ACCOUNT_LEN, e);
}

static enum itee_err get_flag(struct rt_ctx *ctx, const char *item, bool *out)
{
    uint8_t key[32];
    struct itee_buf v;
    bool found;
    itee_buf_init(&v, 16);
    *out = false;
    rt_state_key_value(key, PALLET, item);
    enum itee_err r = rt_state_get(ctx->state, key, 32, &v, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        scale_reader_init(&rd, v.ptr, v.len);
        r = scale_read_bool(&rd, out);
    }
    itee_buf_free(&v);
    return r;
}

enum itee_err pallet_teerex_flags(struct rt_ctx *ctx, bool *allow_skipping, bool *allow_debug)
{
    enum itee_err r = get_flag(ctx, "AllowSkippingAttestation", allow_skipping);
    if (r == ITEE_OK)
        r = get_flag(ctx, "SgxAllowDebugMode", allow_debug);
    return r;
}

/*
 * Reads an EnclaveInstanceAddress, validating it, and returns a view of its exact encoding
 * (which is also the SCALE map key of ProxiedEnclaves).
 */
static enum itee_err read_address(struct scale_reader *rd, struct itee_slice *raw)
{
    size_t start = rd->pos;
    uint8_t skip[33], v;
    enum itee_err r = scale_read_bytes(rd, skip, 32); /* fingerprint */
    if (r == ITEE_OK)
        r = scale_read_bytes(rd, skip, 32); /* registrar */
    if (r == ITEE_OK)
        r = scale_read_u8(rd, &v);
    if (r != ITEE_OK)
        return r;
    if (v == 0) { /* Opaque(BoundedVec<u8, 66>) */
        struct itee_slice s;
        r = scale_read_vec_u8(rd, &s);
        if (r == ITEE_OK && s.len > PALLET_TEEREX_OPAQUE_SIGNER_MAX)
            r = ITEE_ERR_SCALE_LENGTH;
    } else if (v == 1) { /* Known(MultiSigner) */
        uint8_t k;
        r = scale_read_u8(rd, &k);
        if (r == ITEE_OK && k > 2)
            r = ITEE_ERR_SCALE_VARIANT;
        if (r == ITEE_OK)
            r = scale_read_bytes(rd, skip, k == 2 ? 33 : 32);
    } else {
        r = ITEE_ERR_SCALE_VARIANT;
    }
    if (r == ITEE_OK)
        *raw = itee_slice_make(rd->ptr + start, rd->pos - start);
    return r;
}

/* Decoded arguments of any teerex call. */
struct args {
    struct itee_slice proof;
    bool has_url;
    struct itee_slice url;
    uint8_t method;
    bool proxied;
    uint8_t signer[RT_ACCOUNT_LEN];
    struct itee_slice address;
    bool flag_skip, flag_debug;
};

static enum itee_err decode_args(uint8_t call, struct scale_reader *rd, struct args *a,
                                 struct rt_info *info)
{
    enum itee_err r;
    struct itee_slice s;
    memset(a, 0, sizeof(*a));
    switch (call) {
    case PALLET_TEEREX_CALL_REGISTER_SGX_ENCLAVE:
        r = scale_read_vec_u8(rd, &a->proof);
        if (r == ITEE_OK)
            r = scale_read_option(rd, &a->has_url);
        if (r == ITEE_OK && a->has_url)
            r = scale_read_vec_u8(rd, &a->url);
        if (r == ITEE_OK)
            r = read_method(rd, &a->method, &a->proxied);
        info->weight = rt_weight_make(W_REGISTER, 0);
        return r;
    case PALLET_TEEREX_CALL_UNREGISTER_SOVEREIGN_ENCLAVE:
        info->weight = rt_weight_make(W_UNREGISTER, 0);
        return scale_read_bytes(rd, a->signer, RT_ACCOUNT_LEN);
    case PALLET_TEEREX_CALL_UNREGISTER_PROXIED_ENCLAVE:
        info->weight = rt_weight_make(W_UNREGISTER, 0);
        return read_address(rd, &a->address);
    case PALLET_TEEREX_CALL_REGISTER_QUOTING_ENCLAVE:
    case PALLET_TEEREX_CALL_REGISTER_TCB_INFO:
        r = scale_read_vec_u8(rd, &s);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &s);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(rd, &s);
        info->weight = rt_weight_make(W_COLLATERAL, 0);
        return r;
    case PALLET_TEEREX_CALL_SET_SECURITY_FLAGS:
        r = scale_read_bool(rd, &a->flag_skip);
        if (r == ITEE_OK)
            r = scale_read_bool(rd, &a->flag_debug);
        info->weight = rt_weight_make(W_FLAGS, 0);
        return r;
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}

static enum itee_err deposit(struct rt_ctx *ctx, struct itee_buf *b, enum itee_err r)
{
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b->ptr, b->len);
    itee_buf_free(b);
    return r;
}

static enum itee_err register_sgx_enclave(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                          const struct args *a, struct rt_post *post)
{
    if (a->proof.len > PALLET_TEEREX_PROOF_MAX_LEN) {
        rt_post_fail(post, err(PALLET_TEEREX_ERR_RA_PROOF_IS_TOO_LONG));
        return ITEE_OK;
    }
    if (a->has_url && a->url.len > PALLET_TEEREX_URL_MAX_LEN) {
        rt_post_fail(post, err(PALLET_TEEREX_ERR_ENCLAVE_URL_IS_TOO_LONG));
        return ITEE_OK;
    }
    if (a->method != PALLET_TEEREX_METHOD_SKIP) {
        /* IAS / DCAP verification is not implemented yet: refuse, never fake success. */
        rt_post_fail(post, err(PALLET_TEEREX_ERR_REMOTE_ATTESTATION_VERIFICATION_FAILED));
        return ITEE_OK;
    }
    bool allow_skip, allow_debug;
    enum itee_err r = pallet_teerex_flags(ctx, &allow_skip, &allow_debug);
    if (r != ITEE_OK)
        return r;
    if (!allow_skip) {
        rt_post_fail(post, err(PALLET_TEEREX_ERR_SKIPPING_ATTESTATION_IS_NOT_ALLOWED));
        return ITEE_OK;
    }
    struct pallet_teerex_enclave e;
    memset(&e, 0, sizeof(e));
    memcpy(e.report_data, who, RT_ACCOUNT_LEN);
    if (a->proof.len >= 32)
        memcpy(e.mr_enclave, a->proof.ptr, 32);
    r = pallet_timestamp_now(ctx, &e.timestamp);
    if (r != ITEE_OK)
        return r;
    e.has_url = a->has_url;
    if (a->has_url) {
        memcpy(e.url, a->url.ptr, a->url.len);
        e.url_len = a->url.len;
    }
    /* Skip always yields Production, so the SgxAllowDebugMode check cannot trip here. */
    e.build_mode = PALLET_TEEREX_PRODUCTION;
    e.method = PALLET_TEEREX_METHOD_SKIP;
    e.proxied = a->proxied;
    e.status = PALLET_TEEREX_STATUS_INVALID;
    if (!allow_debug && e.build_mode == PALLET_TEEREX_DEBUG) {
        rt_post_fail(post, err(PALLET_TEEREX_ERR_SGX_MODE_IS_NOT_ALLOWED));
        return ITEE_OK;
    }
    if (a->proxied) {
        /* key = EnclaveInstanceAddress{mr_enclave, sender, Opaque(report_data || 0 0)} */
        uint8_t addr[PALLET_TEEREX_ADDRESS_MAX_LEN];
        size_t n = 0;
        memcpy(addr, e.mr_enclave, 32);
        memcpy(addr + 32, who, 32);
        n = 64;
        addr[n++] = 0;    /* AnySigner::Opaque */
        addr[n++] = 0x09; /* Compact(66) = (66 << 2) | 1, LE */
        addr[n++] = 0x01;
        memcpy(addr + n, e.report_data, 64);
        n += 64;
        addr[n++] = 0;
        addr[n++] = 0;
        r = put_enclave(ctx, "ProxiedEnclaves", addr, n, &e);
    } else {
        r = put_enclave(ctx, "SovereignEnclaves", who, RT_ACCOUNT_LEN, &e);
    }
    if (r != ITEE_OK)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_TEEREX, PALLET_TEEREX_EV_ADDED_SGX_ENCLAVE);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, who, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_option(&b, a->has_url);
    if (r == ITEE_OK && a->has_url)
        r = scale_put_vec_u8(&b, a->url.ptr, a->url.len);
    if (r == ITEE_OK)
        r = scale_put_option(&b, true); /* tcb_status: Some(status) */
    if (r == ITEE_OK)
        r = scale_put_u8(&b, e.status);
    if (r == ITEE_OK)
        r = scale_put_u8(&b, e.method);
    if (r == ITEE_OK)
        r = scale_put_bool(&b, e.proxied);
    return deposit(ctx, &b, r);
}

/* unregister_{sovereign,proxied}_enclave: only enclaves older than the renewal period. */
static enum itee_err unregister(struct rt_ctx *ctx, const char *item, const uint8_t *k, size_t n,
                                uint8_t variant, struct rt_post *post)
{
    struct pallet_teerex_enclave e;
    bool found;
    enum itee_err r = get_enclave(ctx, item, k, n, &e, &found);
    if (r != ITEE_OK)
        return r;
    if (!found) {
        rt_post_fail(post, err(PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED));
        return ITEE_OK;
    }
    uint64_t now;
    r = pallet_timestamp_now(ctx, &now);
    if (r != ITEE_OK)
        return r;
    uint64_t limit = now > PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD
                         ? now - PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD
                         : 0; /* saturating */
    if (!(e.timestamp < limit)) {
        rt_post_fail(post, err(PALLET_TEEREX_ERR_UNREGISTER_ACTIVE_ENCLAVE_IS_NOT_ALLOWED));
        return ITEE_OK;
    }
    struct itee_buf key;
    itee_buf_init(&key, 0);
    r = map_key(&key, item, k, n);
    if (r == ITEE_OK)
        r = rt_state_remove(ctx->state, key.ptr, key.len);
    itee_buf_free(&key);
    if (r != ITEE_OK)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_TEEREX, variant);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, k, n);
    return deposit(ctx, &b, r);
}

static enum itee_err set_security_flags(struct rt_ctx *ctx, const struct args *a)
{
    uint8_t key[32];
    uint8_t skip = a->flag_skip ? 1 : 0, debug = a->flag_debug ? 1 : 0;
    rt_state_key_value(key, PALLET, "AllowSkippingAttestation");
    enum itee_err r = rt_state_set(ctx->state, key, 32, &skip, 1);
    if (r != ITEE_OK)
        return r;
    rt_state_key_value(key, PALLET, "SgxAllowDebugMode");
    r = rt_state_set(ctx->state, key, 32, &debug, 1);
    if (r != ITEE_OK)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_TEEREX, PALLET_TEEREX_EV_UPDATED_SECURITY_FLAGS);
    if (r == ITEE_OK)
        r = scale_put_bool(&b, a->flag_skip);
    if (r == ITEE_OK)
        r = scale_put_bool(&b, a->flag_debug);
    return deposit(ctx, &b, r);
}

enum itee_err pallet_teerex_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                     uint8_t call_index, struct scale_reader *args, bool exec,
                                     struct rt_info *info, struct rt_post *post)
{
    struct args a;
    enum itee_err r = decode_args(call_index, args, &a, info);
    info->cls = RT_CLASS_NORMAL;
    info->pays = RT_PAYS_YES;
    if (r != ITEE_OK || !exec)
        return r;
    if (call_index == PALLET_TEEREX_CALL_SET_SECURITY_FLAGS) {
        if (!pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        return set_security_flags(ctx, &a);
    }
    if (!pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    switch (call_index) {
    case PALLET_TEEREX_CALL_REGISTER_SGX_ENCLAVE:
        return register_sgx_enclave(ctx, origin->who, &a, post);
    case PALLET_TEEREX_CALL_UNREGISTER_SOVEREIGN_ENCLAVE:
        return unregister(ctx, "SovereignEnclaves", a.signer, RT_ACCOUNT_LEN,
                          PALLET_TEEREX_EV_REMOVED_SOVEREIGN_ENCLAVE, post);
    case PALLET_TEEREX_CALL_UNREGISTER_PROXIED_ENCLAVE:
        return unregister(ctx, "ProxiedEnclaves", a.address.ptr, a.address.len,
                          PALLET_TEEREX_EV_REMOVED_PROXIED_ENCLAVE, post);
    default:
        /* register_quoting_enclave / register_tcb_info: collateral verification (DCAP) is
         * not implemented yet, so no collateral is ever accepted. */
        rt_post_fail(post, err(PALLET_TEEREX_ERR_COLLATERAL_IS_INVALID));
        return ITEE_OK;
    }
}
