/*
 * extrinsic.c - v4 extrinsic codec, Era, signing payload, signing and verification (see
 * extrinsic.h).
 */
#include "chain/extrinsic.h"

#include <string.h>

#include "common/mem.h"
#include "crypto/hash.h"

/* ---- Era ---- */

struct extrinsic_era extrinsic_era_immortal(void)
{
    struct extrinsic_era e = {false, 0, 0};
    return e;
}

static uint64_t era_quantize_factor(uint64_t period)
{
    uint64_t q = period >> 12;
    return q > 1 ? q : 1;
}

struct extrinsic_era extrinsic_era_mortal(uint64_t period_wanted, uint64_t current)
{
    /* checked_next_power_of_two().unwrap_or(1 << 16).clamp(4, 1 << 16) */
    uint64_t period = 1;
    while (period < period_wanted && period < ((uint64_t)1 << 17))
        period <<= 1;
    if (period < 4)
        period = 4;
    if (period > ((uint64_t)1 << 16))
        period = (uint64_t)1 << 16;
    uint64_t q = era_quantize_factor(period);
    struct extrinsic_era e = {true, period, (current % period) / q * q};
    return e;
}

static bool era_valid(const struct extrinsic_era *era)
{
    if (!era->mortal)
        return true;
    return era->period >= 4 && era->period <= ((uint64_t)1 << 16) &&
           (era->period & (era->period - 1)) == 0 && era->phase < era->period &&
           era->phase % era_quantize_factor(era->period) == 0;
}

size_t extrinsic_era_encode(const struct extrinsic_era *era, uint8_t out[EXTRINSIC_ERA_MAX_LEN])
{
    out[0] = out[1] = 0;
    if (era == NULL || !era_valid(era))
        return 0;
    if (!era->mortal)
        return 1;
    unsigned tz = 0;
    while (((era->period >> tz) & 1) == 0)
        tz++;
    unsigned low = tz - 1;
    if (low < 1)
        low = 1;
    if (low > 15)
        low = 15;
    uint64_t v = low | ((era->phase / era_quantize_factor(era->period)) << 4);
    out[0] = (uint8_t)v;
    out[1] = (uint8_t)(v >> 8);
    return 2;
}

enum itee_err extrinsic_era_read(struct scale_reader *r, struct extrinsic_era *era)
{
    *era = extrinsic_era_immortal();
    size_t start = r->pos;
    uint8_t b0, b1;
    enum itee_err e = scale_read_u8(r, &b0);
    if (e != ITEE_OK)
        return e;
    if (b0 == 0)
        return ITEE_OK;
    if ((e = scale_read_u8(r, &b1)) != ITEE_OK) {
        r->pos = start;
        return e;
    }
    uint64_t v = (uint64_t)b0 | ((uint64_t)b1 << 8);
    uint64_t period = (uint64_t)2 << (v & 15);
    uint64_t phase = (v >> 4) * era_quantize_factor(period);
    if (period < 4 || phase >= period) {
        r->pos = start;
        return ITEE_ERR_SCALE_VARIANT;
    }
    era->mortal = true;
    era->period = period;
    era->phase = phase;
    return ITEE_OK;
}

uint64_t extrinsic_era_birth(const struct extrinsic_era *era, uint64_t current)
{
    if (!era->mortal || era->period == 0)
        return 0;
    uint64_t m = current > era->phase ? current : era->phase;
    return (m - era->phase) / era->period * era->period + era->phase;
}

uint64_t extrinsic_era_death(const struct extrinsic_era *era, uint64_t current)
{
    if (!era->mortal)
        return UINT64_MAX;
    return extrinsic_era_birth(era, current) + era->period;
}

/* ---- decode ---- */

static size_t sig_len_of(enum keys_scheme s)
{
    switch (s) {
    case KEYS_SCHEME_ED25519:
    case KEYS_SCHEME_SR25519:
        return 64;
    case KEYS_SCHEME_ECDSA:
        return 65;
    }
    return 0;
}

/* Reads the MultiAddress; only Id yields an account, the others are skipped and refused. */
static enum itee_err read_address(struct scale_reader *r, uint8_t account[KEYS_ACCOUNT_LEN])
{
    uint8_t v;
    struct itee_slice skip;
    enum itee_err e = scale_read_variant(r, &v);
    if (e != ITEE_OK)
        return e;
    switch (v) {
    case EXTRINSIC_ADDRESS_ID:
        return scale_read_bytes(r, account, KEYS_ACCOUNT_LEN);
    case EXTRINSIC_ADDRESS_INDEX: /* Compact<()> encodes to nothing */
        return ITEE_ERR_UNSUPPORTED;
    case EXTRINSIC_ADDRESS_RAW:
        e = scale_read_vec_u8(r, &skip);
        return e != ITEE_OK ? e : ITEE_ERR_UNSUPPORTED;
    case EXTRINSIC_ADDRESS_ADDRESS32:
        e = scale_read_slice(r, 32, &skip);
        return e != ITEE_OK ? e : ITEE_ERR_UNSUPPORTED;
    case EXTRINSIC_ADDRESS_ADDRESS20:
        e = scale_read_slice(r, 20, &skip);
        return e != ITEE_OK ? e : ITEE_ERR_UNSUPPORTED;
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}

static enum itee_err read_extra(struct scale_reader *r, const struct extrinsic_chain *c,
                                struct extrinsic_params *p)
{
    enum itee_err e;
    if ((e = extrinsic_era_read(r, &p->era)) || (e = scale_read_compact_u32(r, &p->nonce)) ||
        (e = scale_read_compact_u128(r, &p->tip)))
        return e;
    if (c->check_metadata_hash) {
        if ((e = scale_read_u8(r, &p->metadata_mode)) != ITEE_OK)
            return e;
        if (p->metadata_mode > 1)
            return ITEE_ERR_SCALE_VARIANT;
    }
    return ITEE_OK;
}

/* Decodes the body (after the length prefix), which spans all of r. */
static enum itee_err decode_body(struct extrinsic *x, const struct extrinsic_chain *c,
                                 struct scale_reader *r)
{
    uint8_t ver;
    enum itee_err e = scale_read_u8(r, &ver);
    if (e != ITEE_OK)
        return e;
    if ((ver & 0x3f) == 5)
        return ITEE_ERR_UNSUPPORTED; /* v5 (bare 0x05 / general 0x45): not on this chain */
    if ((ver & 0x7f) != EXTRINSIC_VERSION)
        return ITEE_ERR_SCALE_VARIANT;
    x->is_signed = (ver & EXTRINSIC_SIGNED_BIT) != 0;
    if (x->is_signed) {
        uint8_t s;
        if ((e = read_address(r, x->signer)) || (e = scale_read_variant(r, &s)))
            return e;
        if (s > KEYS_SCHEME_ECDSA)
            return ITEE_ERR_SCALE_VARIANT;
        x->sig_scheme = (enum keys_scheme)s;
        x->sig_len = sig_len_of(x->sig_scheme);
        if ((e = scale_read_bytes(r, x->sig, x->sig_len)) != ITEE_OK)
            return e;
        size_t extra_start = r->pos;
        if ((e = read_extra(r, c, &x->params)) != ITEE_OK)
            return e;
        x->extra = itee_slice_make(r->ptr + extra_start, r->pos - extra_start);
    }
    /* the call itself is decoded by the runtime; here it must at least name pallet and call */
    if (scale_reader_remaining(r) < 2)
        return ITEE_ERR_SCALE_EOF;
    return scale_read_slice(r, scale_reader_remaining(r), &x->call);
}

enum itee_err extrinsic_decode(struct extrinsic *x, const struct extrinsic_chain *c,
                               const uint8_t *p, size_t len)
{
    if (x == NULL)
        return ITEE_ERR_ARG;
    memset(x, 0, sizeof(*x));
    if (c == NULL || (p == NULL && len != 0))
        return ITEE_ERR_ARG;
    struct scale_reader r, body;
    scale_reader_init(&r, p, len);
    uint32_t body_len;
    enum itee_err e = scale_read_compact_u32(&r, &body_len);
    if (e != ITEE_OK)
        goto fail;
    if (body_len > scale_reader_remaining(&r)) {
        e = ITEE_ERR_SCALE_LENGTH;
        goto fail;
    }
    if ((e = scale_reader_sub(&r, body_len, &body)) || (e = scale_reader_finish(&r)) ||
        (e = decode_body(x, c, &body)))
        goto fail;
    x->encoded_len = len;
    return ITEE_OK;
fail:
    memset(x, 0, sizeof(*x));
    return e;
}

/* ---- signing payload ---- */

enum itee_err extrinsic_extra_encode(struct itee_buf *b, const struct extrinsic_chain *c,
                                     const struct extrinsic_params *p)
{
    if (b == NULL || c == NULL || p == NULL || p->metadata_mode > 1)
        return ITEE_ERR_ARG;
    uint8_t era[EXTRINSIC_ERA_MAX_LEN];
    size_t era_len = extrinsic_era_encode(&p->era, era);
    if (era_len == 0)
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = scale_put_bytes(b, era, era_len)) || (e = scale_put_compact(b, p->nonce)) ||
        (e = scale_put_compact_u128(b, p->tip)))
        return e;
    if (c->check_metadata_hash)
        return scale_put_u8(b, p->metadata_mode);
    return ITEE_OK;
}

/* Appends the additional-signed part. */
static enum itee_err additional_encode(struct itee_buf *b, const struct extrinsic_chain *c,
                                       const struct extrinsic_params *p, const uint8_t era_hash[32])
{
    enum itee_err e;
    if ((e = scale_put_u32(b, c->spec_version)) || (e = scale_put_u32(b, c->tx_version)) ||
        (e = scale_put_bytes(b, c->genesis_hash, 32)) || (e = scale_put_bytes(b, era_hash, 32)))
        return e;
    if (!c->check_metadata_hash)
        return ITEE_OK;
    /* CheckMetadataHash signs Some(hash) only when enabled and the runtime knows its hash */
    bool some = p->metadata_mode == 1 && c->has_metadata_hash;
    if ((e = scale_put_option(b, some)) != ITEE_OK || !some)
        return e;
    return scale_put_bytes(b, c->metadata_hash, 32);
}

enum itee_err extrinsic_payload_encode(struct itee_buf *b, const struct extrinsic_chain *c,
                                       struct itee_slice call, const struct extrinsic_params *p,
                                       const uint8_t era_hash[32])
{
    if (b == NULL || c == NULL || p == NULL || era_hash == NULL ||
        (call.ptr == NULL && call.len != 0))
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = scale_put_bytes(b, call.ptr, call.len)) || (e = extrinsic_extra_encode(b, c, p)))
        return e;
    return additional_encode(b, c, p, era_hash);
}

struct itee_slice extrinsic_payload_message(struct itee_slice payload, uint8_t hash_store[32])
{
    if (payload.len > EXTRINSIC_PAYLOAD_MAX_RAW) {
        hash_blake2_256(hash_store, payload.ptr, payload.len);
        return itee_slice_make(hash_store, 32);
    }
    return payload;
}

enum itee_err extrinsic_verify(const struct extrinsic *x, const struct extrinsic_chain *c,
                               const uint8_t era_hash[32])
{
    if (x == NULL || c == NULL || era_hash == NULL || !x->is_signed)
        return ITEE_ERR_ARG;
    struct itee_buf b;
    uint8_t h[32];
    itee_buf_init(&b, 0);
    /* the payload is rebuilt from the carried extra bytes so the signed bytes are exactly those */
    enum itee_err e;
    if ((e = scale_put_bytes(&b, x->call.ptr, x->call.len)) ||
        (e = scale_put_bytes(&b, x->extra.ptr, x->extra.len)) ||
        (e = additional_encode(&b, c, &x->params, era_hash)))
        goto out;
    struct itee_slice msg = extrinsic_payload_message(itee_buf_slice(&b), h);
    e = keys_verify_account(x->sig_scheme, x->sig, x->sig_len, msg.ptr, msg.len, x->signer);
out:
    itee_buf_free(&b);
    return e;
}

/* ---- encode ---- */

/* Appends Compact(len(body)) || body, where body is the tail of b from body_start. */
static enum itee_err prefix_body(struct itee_buf *b, size_t body_start)
{
    size_t body_len = b->len - body_start;
    if (body_len > UINT32_MAX)
        return ITEE_ERR_SCALE_LENGTH;
    uint8_t pre[SCALE_COMPACT_MAX_LEN];
    size_t n = scale_encode_compact(pre, (itee_u128)body_len);
    enum itee_err e = itee_buf_reserve(b, n);
    if (e != ITEE_OK)
        return e;
    memmove(b->ptr + body_start + n, b->ptr + body_start, body_len);
    memcpy(b->ptr + body_start, pre, n);
    b->len += n;
    return ITEE_OK;
}

enum itee_err extrinsic_encode_unsigned(struct itee_buf *b, struct itee_slice call)
{
    if (b == NULL || (call.ptr == NULL && call.len != 0))
        return ITEE_ERR_ARG;
    size_t start = b->len;
    enum itee_err e;
    if ((e = scale_put_u8(b, EXTRINSIC_VERSION)) || (e = scale_put_bytes(b, call.ptr, call.len)) ||
        (e = prefix_body(b, start)))
        b->len = start;
    return e;
}

enum itee_err extrinsic_encode_signed(struct itee_buf *b, const struct extrinsic_chain *c,
                                      const uint8_t signer[KEYS_ACCOUNT_LEN],
                                      enum keys_scheme scheme, const uint8_t *sig, size_t sig_len,
                                      const struct extrinsic_params *p, struct itee_slice call)
{
    if (b == NULL || c == NULL || signer == NULL || sig == NULL || p == NULL ||
        sig_len != sig_len_of(scheme) || sig_len == 0 || (call.ptr == NULL && call.len != 0))
        return ITEE_ERR_ARG;
    size_t start = b->len;
    enum itee_err e;
    if ((e = scale_put_u8(b, EXTRINSIC_SIGNED_BIT | EXTRINSIC_VERSION)) ||
        (e = scale_put_variant(b, EXTRINSIC_ADDRESS_ID)) ||
        (e = scale_put_bytes(b, signer, KEYS_ACCOUNT_LEN)) ||
        (e = scale_put_variant(b, (uint8_t)scheme)) || (e = scale_put_bytes(b, sig, sig_len)) ||
        (e = extrinsic_extra_encode(b, c, p)) || (e = scale_put_bytes(b, call.ptr, call.len)) ||
        (e = prefix_body(b, start)))
        b->len = start;
    return e;
}

enum itee_err extrinsic_sign(struct itee_buf *b, const struct keys_pair *pair,
                             const struct extrinsic_chain *c, struct itee_slice call,
                             const struct extrinsic_params *p, const uint8_t era_hash[32])
{
    if (b == NULL || pair == NULL)
        return ITEE_ERR_ARG;
    struct itee_buf payload;
    uint8_t h[32], sig[KEYS_SIG_MAX], account[KEYS_ACCOUNT_LEN];
    size_t sig_len = 0;
    itee_buf_init(&payload, 0);
    enum itee_err e = extrinsic_payload_encode(&payload, c, call, p, era_hash);
    if (e != ITEE_OK)
        goto out;
    struct itee_slice msg = extrinsic_payload_message(itee_buf_slice(&payload), h);
    if ((e = keys_pair_sign(pair, msg.ptr, msg.len, sig, &sig_len)) != ITEE_OK)
        goto out;
    keys_pair_account_id(pair, account);
    e = extrinsic_encode_signed(b, c, account, pair->scheme, sig, sig_len, p, call);
out:
    itee_buf_free(&payload);
    return e;
}

void extrinsic_hash(uint8_t out[EXTRINSIC_HASH_LEN], const uint8_t *p, size_t len)
{
    hash_blake2_256(out, p, len);
}
