/*
 * trusted_op.c - SCALE codec, hashing and signatures of the worker's trusted operations
 * (SDK v0.13.0 layouts, see trusted_op.h).
 */
#include "trusted_op.h"

#include <string.h>

#include "crypto/hash.h"

/* Largest encoded trusted call / getter / payload we build (bounds hostile-size encodes). */
#define TRUSTED_OP_BUF_MAX ((size_t)16 * 1024 * 1024)

static enum itee_err skip(struct scale_reader *r, size_t n)
{
    struct itee_slice s;
    return scale_read_slice(r, n, &s);
}

static enum itee_err read_parentchain(struct scale_reader *r)
{
    uint8_t id;
    enum itee_err e = scale_read_u8(r, &id);
    if (e != ITEE_OK)
        return e;
    return id <= TRUSTED_OP_PARENTCHAIN_TARGET_B ? ITEE_OK : ITEE_ERR_SCALE_VARIANT;
}

enum itee_err trusted_op_builtin_call_args(void *ctx, uint8_t index, struct scale_reader *r)
{
    (void)ctx;
    enum itee_err e;
    switch (index) {
    case TRUSTED_OP_CALL_NOOP:
        return skip(r, 32);
    case TRUSTED_OP_CALL_SET_BALANCE:
        return skip(r, 32 + 32 + 16 + 16);
    case TRUSTED_OP_CALL_TRANSFER:
        return skip(r, 32 + 32 + 16);
    case TRUSTED_OP_CALL_UNSHIELD:
        return skip(r, 32 + 32 + 16 + 32);
    case TRUSTED_OP_CALL_SHIELD:
        e = skip(r, 32 + 32 + 16);
        return e != ITEE_OK ? e : read_parentchain(r);
    case TRUSTED_OP_CALL_TIMESTAMP_SET:
        e = skip(r, 32 + 8);
        return e != ITEE_OK ? e : read_parentchain(r);
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}

enum itee_err trusted_op_builtin_public_getter_args(void *ctx, uint8_t index,
                                                    struct scale_reader *r)
{
    (void)ctx;
    (void)r;
    return index == TRUSTED_OP_PUBLIC_SOME_VALUE ? ITEE_OK : ITEE_ERR_SCALE_VARIANT;
}

enum itee_err trusted_op_builtin_trusted_getter_args(void *ctx, uint8_t index,
                                                     struct scale_reader *r)
{
    (void)ctx;
    if (index > TRUSTED_OP_TRUSTED_NONCE)
        return ITEE_ERR_SCALE_VARIANT;
    return skip(r, 32);
}

static const struct trusted_op_schema builtin_schema = {
    trusted_op_builtin_call_args, trusted_op_builtin_public_getter_args,
    trusted_op_builtin_trusted_getter_args, NULL};

static const struct trusted_op_schema *schema_or_builtin(const struct trusted_op_schema *s)
{
    return s != NULL ? s : &builtin_schema;
}

size_t trusted_op_sig_len(const struct trusted_op_sig *sig)
{
    return sig->scheme == KEYS_SCHEME_ECDSA ? 65 : 64;
}

enum itee_err trusted_op_sig_read(struct scale_reader *r, struct trusted_op_sig *out)
{
    size_t start = r->pos;
    uint8_t v = 0;
    memset(out, 0, sizeof(*out));
    enum itee_err e = scale_read_variant(r, &v);
    if (e != ITEE_OK)
        return e;
    if (v > KEYS_SCHEME_ECDSA) {
        e = ITEE_ERR_SCALE_VARIANT;
        goto fail;
    }
    out->scheme = (enum keys_scheme)v;
    e = scale_read_bytes(r, out->bytes, trusted_op_sig_len(out));
    if (e != ITEE_OK)
        goto fail;
    return ITEE_OK;
fail:
    r->pos = start;
    memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_sig_put(struct itee_buf *b, const struct trusted_op_sig *sig)
{
    if (sig == NULL || (unsigned)sig->scheme > KEYS_SCHEME_ECDSA)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_variant(b, (uint8_t)sig->scheme);
    if (e != ITEE_OK)
        return e;
    return scale_put_bytes(b, sig->bytes, trusted_op_sig_len(sig));
}

/* Reads variant byte + arguments with fn; out views the whole value. */
static enum itee_err read_variant_value(struct scale_reader *r, trusted_op_args_fn fn, void *ctx,
                                        struct itee_slice *out)
{
    size_t start = r->pos;
    uint8_t index = 0;
    *out = itee_slice_make(NULL, 0);
    enum itee_err e = scale_read_variant(r, &index);
    if (e != ITEE_OK)
        return e;
    e = fn != NULL ? fn(ctx, index, r) : ITEE_ERR_SCALE_VARIANT;
    if (e != ITEE_OK || r->pos < start || r->pos > r->len) {
        r->pos = start;
        return e != ITEE_OK ? e : ITEE_ERR_INTERNAL;
    }
    *out = itee_slice_make(r->ptr + start, r->pos - start);
    return ITEE_OK;
}

enum itee_err trusted_op_call_read(struct scale_reader *r, const struct trusted_op_schema *schema,
                                   struct itee_slice *out)
{
    const struct trusted_op_schema *s = schema_or_builtin(schema);
    return read_variant_value(r, s->call_args, s->ctx, out);
}

enum itee_err trusted_op_call_signed_read(struct scale_reader *r,
                                          const struct trusted_op_schema *schema,
                                          struct trusted_op_call_signed *out)
{
    size_t start = r->pos;
    memset(out, 0, sizeof(*out));
    enum itee_err e = trusted_op_call_read(r, schema, &out->call);
    if (e == ITEE_OK)
        e = scale_read_u32(r, &out->nonce);
    if (e == ITEE_OK)
        e = trusted_op_sig_read(r, &out->sig);
    if (e != ITEE_OK) {
        r->pos = start;
        memset(out, 0, sizeof(*out));
    }
    return e;
}

enum itee_err trusted_op_getter_read(struct scale_reader *r, const struct trusted_op_schema *schema,
                                     struct trusted_op_getter *out)
{
    const struct trusted_op_schema *s = schema_or_builtin(schema);
    size_t start = r->pos;
    uint8_t kind = 0;
    memset(out, 0, sizeof(*out));
    enum itee_err e = scale_read_variant(r, &kind);
    if (e != ITEE_OK)
        return e;
    if (kind == TRUSTED_OP_GETTER_PUBLIC) {
        e = read_variant_value(r, s->public_getter_args, s->ctx, &out->getter);
    } else if (kind == TRUSTED_OP_GETTER_TRUSTED) {
        e = read_variant_value(r, s->trusted_getter_args, s->ctx, &out->getter);
        if (e == ITEE_OK)
            e = trusted_op_sig_read(r, &out->sig);
    } else {
        e = ITEE_ERR_SCALE_VARIANT;
    }
    if (e != ITEE_OK) {
        r->pos = start;
        memset(out, 0, sizeof(*out));
        return e;
    }
    out->kind = (enum trusted_op_getter_kind)kind;
    return ITEE_OK;
}

enum itee_err trusted_op_read(struct scale_reader *r, const struct trusted_op_schema *schema,
                              struct trusted_op *out)
{
    size_t start = r->pos;
    uint8_t kind = 0;
    memset(out, 0, sizeof(*out));
    enum itee_err e = scale_read_variant(r, &kind);
    if (e != ITEE_OK)
        return e;
    if (kind == TRUSTED_OP_INDIRECT_CALL || kind == TRUSTED_OP_DIRECT_CALL)
        e = trusted_op_call_signed_read(r, schema, &out->call);
    else if (kind == TRUSTED_OP_GET)
        e = trusted_op_getter_read(r, schema, &out->getter);
    else
        e = ITEE_ERR_SCALE_VARIANT;
    if (e != ITEE_OK) {
        r->pos = start;
        memset(out, 0, sizeof(*out));
        return e;
    }
    out->kind = (enum trusted_op_kind)kind;
    return ITEE_OK;
}

enum itee_err trusted_op_call_signed_decode(struct trusted_op_call_signed *out,
                                            const struct trusted_op_schema *schema,
                                            const uint8_t *in, size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, in, len);
    enum itee_err e = trusted_op_call_signed_read(&r, schema, out);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_getter_decode(struct trusted_op_getter *out,
                                       const struct trusted_op_schema *schema, const uint8_t *in,
                                       size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, in, len);
    enum itee_err e = trusted_op_getter_read(&r, schema, out);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_decode(struct trusted_op *out, const struct trusted_op_schema *schema,
                                const uint8_t *in, size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, in, len);
    enum itee_err e = trusted_op_read(&r, schema, out);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_call_signed_put(struct itee_buf *b,
                                         const struct trusted_op_call_signed *cs)
{
    if (cs == NULL || cs->call.len == 0 || cs->call.ptr == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_bytes(b, cs->call.ptr, cs->call.len);
    if (e == ITEE_OK)
        e = scale_put_u32(b, cs->nonce);
    if (e == ITEE_OK)
        e = trusted_op_sig_put(b, &cs->sig);
    return e;
}

enum itee_err trusted_op_getter_put(struct itee_buf *b, const struct trusted_op_getter *g)
{
    if (g == NULL || g->getter.len == 0 || g->getter.ptr == NULL ||
        (unsigned)g->kind > TRUSTED_OP_GETTER_TRUSTED)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_variant(b, (uint8_t)g->kind);
    if (e == ITEE_OK)
        e = scale_put_bytes(b, g->getter.ptr, g->getter.len);
    if (e == ITEE_OK && g->kind == TRUSTED_OP_GETTER_TRUSTED)
        e = trusted_op_sig_put(b, &g->sig);
    return e;
}

enum itee_err trusted_op_put(struct itee_buf *b, const struct trusted_op *op)
{
    if (op == NULL || (unsigned)op->kind > TRUSTED_OP_GET)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_variant(b, (uint8_t)op->kind);
    if (e != ITEE_OK)
        return e;
    if (op->kind == TRUSTED_OP_GET)
        return trusted_op_getter_put(b, &op->getter);
    return trusted_op_call_signed_put(b, &op->call);
}

static void hash_sig(struct hash_blake2b_state *st, const struct trusted_op_sig *sig)
{
    uint8_t v = (uint8_t)sig->scheme;
    hash_blake2b_update(st, &v, 1);
    hash_blake2b_update(st, sig->bytes, trusted_op_sig_len(sig));
}

enum itee_err trusted_op_hash(uint8_t out[TRUSTED_OP_HASH_LEN], const struct trusted_op *op)
{
    struct hash_blake2b_state st;
    memset(out, 0, TRUSTED_OP_HASH_LEN);
    if (op == NULL || (unsigned)op->kind > TRUSTED_OP_GET)
        return ITEE_ERR_ARG;
    const struct itee_slice *body =
        op->kind == TRUSTED_OP_GET ? &op->getter.getter : &op->call.call;
    if (body->ptr == NULL || body->len == 0)
        return ITEE_ERR_ARG;
    if ((unsigned)(op->kind == TRUSTED_OP_GET ? op->getter.sig.scheme : op->call.sig.scheme) >
        KEYS_SCHEME_ECDSA)
        return ITEE_ERR_ARG;
    enum itee_err e = hash_blake2b_init(&st, TRUSTED_OP_HASH_LEN, NULL, 0);
    if (e != ITEE_OK)
        return e;
    uint8_t tag = (uint8_t)op->kind;
    hash_blake2b_update(&st, &tag, 1);
    if (op->kind == TRUSTED_OP_GET) {
        tag = (uint8_t)op->getter.kind;
        hash_blake2b_update(&st, &tag, 1);
        hash_blake2b_update(&st, body->ptr, body->len);
        if (op->getter.kind == TRUSTED_OP_GETTER_TRUSTED)
            hash_sig(&st, &op->getter.sig);
    } else {
        uint8_t nonce[4] = {(uint8_t)op->call.nonce, (uint8_t)(op->call.nonce >> 8),
                            (uint8_t)(op->call.nonce >> 16), (uint8_t)(op->call.nonce >> 24)};
        hash_blake2b_update(&st, body->ptr, body->len);
        hash_blake2b_update(&st, nonce, sizeof(nonce));
        hash_sig(&st, &op->call.sig);
    }
    hash_blake2b_final(&st, out);
    return ITEE_OK;
}

enum itee_err trusted_op_sender(uint8_t out[TRUSTED_OP_ACCOUNT_LEN], struct itee_slice value)
{
    memset(out, 0, TRUSTED_OP_ACCOUNT_LEN);
    if (value.ptr == NULL || value.len < 1 + TRUSTED_OP_ACCOUNT_LEN)
        return ITEE_ERR_ARG;
    memcpy(out, value.ptr + 1, TRUSTED_OP_ACCOUNT_LEN);
    return ITEE_OK;
}

enum itee_err trusted_op_signing_payload(struct itee_buf *b, struct itee_slice call, uint32_t nonce,
                                         const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
                                         const uint8_t shard[TRUSTED_OP_HASH_LEN])
{
    if (call.ptr == NULL || call.len == 0 || mrenclave == NULL || shard == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_bytes(b, call.ptr, call.len);
    if (e == ITEE_OK)
        e = scale_put_u32(b, nonce);
    if (e == ITEE_OK)
        e = scale_put_bytes(b, mrenclave, TRUSTED_OP_HASH_LEN);
    if (e == ITEE_OK)
        e = scale_put_bytes(b, shard, TRUSTED_OP_HASH_LEN);
    return e;
}

static enum itee_err sign_bytes(struct trusted_op_sig *sig, const struct keys_pair *pair,
                                const uint8_t *msg, size_t len)
{
    size_t sig_len = 0;
    memset(sig, 0, sizeof(*sig));
    if (pair == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = keys_pair_sign(pair, msg, len, sig->bytes, &sig_len);
    if (e != ITEE_OK)
        goto fail;
    sig->scheme = pair->scheme;
    if (sig_len != trusted_op_sig_len(sig)) {
        e = ITEE_ERR_INTERNAL;
        goto fail;
    }
    return ITEE_OK;
fail:
    memset(sig, 0, sizeof(*sig));
    return e;
}

enum itee_err trusted_op_call_sign(struct trusted_op_sig *sig, const struct keys_pair *pair,
                                   struct itee_slice call, uint32_t nonce,
                                   const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
                                   const uint8_t shard[TRUSTED_OP_HASH_LEN])
{
    struct itee_buf payload = {0};
    itee_buf_init(&payload, TRUSTED_OP_BUF_MAX);
    memset(sig, 0, sizeof(*sig));
    enum itee_err e = trusted_op_signing_payload(&payload, call, nonce, mrenclave, shard);
    if (e == ITEE_OK)
        e = sign_bytes(sig, pair, payload.ptr, payload.len);
    itee_buf_free(&payload);
    return e;
}

static enum itee_err verify_by_sender(const struct trusted_op_sig *sig, struct itee_slice value,
                                      const uint8_t *msg, size_t len)
{
    uint8_t who[TRUSTED_OP_ACCOUNT_LEN];
    if ((unsigned)sig->scheme > KEYS_SCHEME_ECDSA)
        return ITEE_ERR_ARG;
    enum itee_err e = trusted_op_sender(who, value);
    if (e != ITEE_OK)
        return e;
    e = keys_verify_account(sig->scheme, sig->bytes, trusted_op_sig_len(sig), msg, len, who);
    /* every way a signature can fail to verify is the sender's problem, not ours */
    return e == ITEE_OK ? ITEE_OK : (e == ITEE_ERR_NOMEM ? e : ITEE_ERR_BAD_SIG);
}

/* Payloads up to this size are built on the stack: verification is on the hot path. */
#define STACK_PAYLOAD_MAX 512

enum itee_err trusted_op_call_verify(const struct trusted_op_call_signed *cs,
                                     const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
                                     const uint8_t shard[TRUSTED_OP_HASH_LEN])
{
    uint8_t small[STACK_PAYLOAD_MAX];
    struct itee_buf payload = {0};
    enum itee_err e;
    if (cs == NULL || cs->call.ptr == NULL || cs->call.len == 0 || mrenclave == NULL ||
        shard == NULL)
        return ITEE_ERR_ARG;
    size_t n = cs->call.len + 4 + 2 * TRUSTED_OP_HASH_LEN;
    if (cs->call.len <= sizeof(small) - 4 - 2 * TRUSTED_OP_HASH_LEN) {
        memcpy(small, cs->call.ptr, cs->call.len);
        for (int i = 0; i < 4; i++)
            small[cs->call.len + (size_t)i] = (uint8_t)(cs->nonce >> (8 * i));
        memcpy(small + cs->call.len + 4, mrenclave, TRUSTED_OP_HASH_LEN);
        memcpy(small + cs->call.len + 4 + TRUSTED_OP_HASH_LEN, shard, TRUSTED_OP_HASH_LEN);
        return verify_by_sender(&cs->sig, cs->call, small, n);
    }
    itee_buf_init(&payload, TRUSTED_OP_BUF_MAX);
    e = trusted_op_signing_payload(&payload, cs->call, cs->nonce, mrenclave, shard);
    if (e == ITEE_OK)
        e = verify_by_sender(&cs->sig, cs->call, payload.ptr, payload.len);
    itee_buf_free(&payload);
    return e;
}

enum itee_err trusted_op_getter_sign(struct trusted_op_sig *sig, const struct keys_pair *pair,
                                     struct itee_slice getter)
{
    if (getter.ptr == NULL || getter.len == 0) {
        memset(sig, 0, sizeof(*sig));
        return ITEE_ERR_ARG;
    }
    return sign_bytes(sig, pair, getter.ptr, getter.len);
}

enum itee_err trusted_op_getter_verify(const struct trusted_op_getter *g)
{
    if (g == NULL || g->kind != TRUSTED_OP_GETTER_TRUSTED || g->getter.ptr == NULL)
        return ITEE_ERR_ARG;
    return verify_by_sender(&g->sig, g->getter, g->getter.ptr, g->getter.len);
}

enum itee_err trusted_op_call_decode(struct trusted_op_call *out, struct itee_slice in)
{
    struct scale_reader r;
    uint8_t index = 0, pc = 0;
    enum itee_err e;
    memset(out, 0, sizeof(*out));
    scale_reader_init(&r, in.ptr, in.len);
    /* the built-in reader validates shape and variant first; fields are read below */
    struct itee_slice whole;
    e = trusted_op_call_read(&r, NULL, &whole);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        return e;
    scale_reader_init(&r, in.ptr, in.len);
    e = scale_read_u8(&r, &index);
    if (e == ITEE_OK)
        e = scale_read_bytes(&r, out->sender, TRUSTED_OP_ACCOUNT_LEN);
    if (e != ITEE_OK)
        goto fail;
    out->index = (enum trusted_op_call_index)index;
    switch (index) {
    case TRUSTED_OP_CALL_NOOP:
        break;
    case TRUSTED_OP_CALL_SET_BALANCE:
        e = scale_read_bytes(&r, out->other, TRUSTED_OP_ACCOUNT_LEN);
        if (e == ITEE_OK)
            e = scale_read_u128(&r, &out->amount);
        if (e == ITEE_OK)
            e = scale_read_u128(&r, &out->reserved);
        break;
    case TRUSTED_OP_CALL_TRANSFER:
    case TRUSTED_OP_CALL_UNSHIELD:
    case TRUSTED_OP_CALL_SHIELD:
        e = scale_read_bytes(&r, out->other, TRUSTED_OP_ACCOUNT_LEN);
        if (e == ITEE_OK)
            e = scale_read_u128(&r, &out->amount);
        if (e == ITEE_OK && index == TRUSTED_OP_CALL_UNSHIELD)
            e = scale_read_bytes(&r, out->shard, TRUSTED_OP_HASH_LEN);
        if (e == ITEE_OK && index == TRUSTED_OP_CALL_SHIELD)
            e = scale_read_u8(&r, &pc);
        break;
    case TRUSTED_OP_CALL_TIMESTAMP_SET:
        e = scale_read_u64(&r, &out->moment);
        if (e == ITEE_OK)
            e = scale_read_u8(&r, &pc);
        break;
    default:
        e = ITEE_ERR_SCALE_VARIANT;
    }
    if (e != ITEE_OK)
        goto fail;
    out->parentchain = (enum trusted_op_parentchain)pc;
    return ITEE_OK;
fail:
    memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_call_put(struct itee_buf *b, const struct trusted_op_call *c)
{
    if (c == NULL || (unsigned)c->index > TRUSTED_OP_CALL_TIMESTAMP_SET ||
        (unsigned)c->parentchain > TRUSTED_OP_PARENTCHAIN_TARGET_B)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_variant(b, (uint8_t)c->index);
    if (e == ITEE_OK)
        e = scale_put_bytes(b, c->sender, TRUSTED_OP_ACCOUNT_LEN);
    if (e != ITEE_OK || c->index == TRUSTED_OP_CALL_NOOP)
        return e;
    if (c->index == TRUSTED_OP_CALL_TIMESTAMP_SET) {
        e = scale_put_u64(b, c->moment);
        return e != ITEE_OK ? e : scale_put_u8(b, (uint8_t)c->parentchain);
    }
    e = scale_put_bytes(b, c->other, TRUSTED_OP_ACCOUNT_LEN);
    if (e == ITEE_OK)
        e = scale_put_u128(b, c->amount);
    if (e == ITEE_OK && c->index == TRUSTED_OP_CALL_SET_BALANCE)
        e = scale_put_u128(b, c->reserved);
    if (e == ITEE_OK && c->index == TRUSTED_OP_CALL_UNSHIELD)
        e = scale_put_bytes(b, c->shard, TRUSTED_OP_HASH_LEN);
    if (e == ITEE_OK && c->index == TRUSTED_OP_CALL_SHIELD)
        e = scale_put_u8(b, (uint8_t)c->parentchain);
    return e;
}

enum itee_err trusted_op_trusted_getter_put(struct itee_buf *b,
                                            enum trusted_op_trusted_getter index,
                                            const uint8_t who[TRUSTED_OP_ACCOUNT_LEN])
{
    if ((unsigned)index > TRUSTED_OP_TRUSTED_NONCE || who == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_variant(b, (uint8_t)index);
    return e != ITEE_OK ? e : scale_put_bytes(b, who, TRUSTED_OP_ACCOUNT_LEN);
}

enum itee_err trusted_op_request_decode(struct trusted_op_request *out, const uint8_t *in,
                                        size_t len)
{
    struct scale_reader r;
    memset(out, 0, sizeof(*out));
    scale_reader_init(&r, in, len);
    enum itee_err e = scale_read_bytes(&r, out->shard, TRUSTED_OP_HASH_LEN);
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &out->cyphertext);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_request_put(struct itee_buf *b, const struct trusted_op_request *req)
{
    if (req == NULL || (req->cyphertext.ptr == NULL && req->cyphertext.len != 0))
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_bytes(b, req->shard, TRUSTED_OP_HASH_LEN);
    return e != ITEE_OK ? e : scale_put_vec_u8(b, req->cyphertext.ptr, req->cyphertext.len);
}

static enum itee_err read_status(struct scale_reader *r, struct trusted_op_rpc_return *out)
{
    uint8_t status = 0, tos = 0;
    enum itee_err e = scale_read_variant(r, &status);
    if (e != ITEE_OK)
        return e;
    if (status == TRUSTED_OP_STATUS_OK || status == TRUSTED_OP_STATUS_ERROR) {
        out->status = (enum trusted_op_status)status;
        return ITEE_OK;
    }
    if (status != TRUSTED_OP_STATUS_TOS)
        return ITEE_ERR_SCALE_VARIANT;
    e = scale_read_variant(r, &tos);
    if (e != ITEE_OK)
        return e;
    if (tos > TRUSTED_OP_TOS_INVALID)
        return ITEE_ERR_SCALE_VARIANT;
    if (tos == TRUSTED_OP_TOS_IN_SIDECHAIN_BLOCK)
        e = scale_read_bytes(r, out->block_hash, TRUSTED_OP_HASH_LEN);
    out->status = TRUSTED_OP_STATUS_TOS;
    out->tos = (enum trusted_op_tos)tos;
    return e;
}

enum itee_err trusted_op_rpc_return_decode(struct trusted_op_rpc_return *out, const uint8_t *in,
                                           size_t len)
{
    struct scale_reader r;
    memset(out, 0, sizeof(*out));
    scale_reader_init(&r, in, len);
    enum itee_err e = scale_read_vec_u8(&r, &out->value);
    if (e == ITEE_OK)
        e = scale_read_bool(&r, &out->do_watch);
    if (e == ITEE_OK)
        e = read_status(&r, out);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        memset(out, 0, sizeof(*out));
    return e;
}

enum itee_err trusted_op_rpc_return_put(struct itee_buf *b, const struct trusted_op_rpc_return *rv)
{
    if (rv == NULL || (rv->value.ptr == NULL && rv->value.len != 0) ||
        (unsigned)rv->status > TRUSTED_OP_STATUS_ERROR ||
        (rv->status == TRUSTED_OP_STATUS_TOS && (unsigned)rv->tos > TRUSTED_OP_TOS_INVALID))
        return ITEE_ERR_ARG;
    enum itee_err e = scale_put_vec_u8(b, rv->value.ptr, rv->value.len);
    if (e == ITEE_OK)
        e = scale_put_bool(b, rv->do_watch);
    if (e == ITEE_OK)
        e = scale_put_variant(b, (uint8_t)rv->status);
    if (e != ITEE_OK || rv->status != TRUSTED_OP_STATUS_TOS)
        return e;
    e = scale_put_variant(b, (uint8_t)rv->tos);
    if (e == ITEE_OK && rv->tos == TRUSTED_OP_TOS_IN_SIDECHAIN_BLOCK)
        e = scale_put_bytes(b, rv->block_hash, TRUSTED_OP_HASH_LEN);
    return e;
}
