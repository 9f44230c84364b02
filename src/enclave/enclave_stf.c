/*
 * enclave_stf.c - trusted calls and getters on shard states, for the STF ecalls.
 */
#include "enclave_stf.h"

#include <string.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/rsa.h"
#include "enclave/edl.h"

#define STF_SHARD_LEN 32

/* Encodes the answer into out, cutting the log to what cap leaves (cap >= OUT_MIN). */
static enum itee_err stf_answer(const struct stf_outcome *o, uint8_t *out, size_t cap,
                                size_t *out_len)
{
    struct itee_buf b;
    itee_buf_init(&b, cap);
    size_t log_len = o->log.len;
    if (log_len > cap - ENCLAVE_STF_OUT_MIN)
        log_len = cap - ENCLAVE_STF_OUT_MIN;
    enum itee_err r = scale_put_u32(&b, (uint32_t)o->result);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, o->call_hash, sizeof(o->call_hash));
    if (r == ITEE_OK)
        r = scale_put_vec_u8(&b, o->log.ptr, log_len);
    if (r == ITEE_OK)
        r = enclave_ctx_output(out, cap, out_len, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/* Decrypts (if asked) and executes on the shard's state, then writes the state through. */
static enum itee_err stf_run(struct enclave_ctx *ctx, const uint8_t *shard, uint8_t flags,
                             struct itee_slice payload, struct stf_outcome *o)
{
    struct itee_buf plain;
    struct stf_state *st = NULL;
    itee_buf_init(&plain, EDL_XT_MAX);
    enum itee_err r = ITEE_OK;
    if (flags & ENCLAVE_STF_ENCRYPTED) {
        r = rsa_decrypt(ctx->keys.shielding, payload.ptr, payload.len, &plain);
        payload = itee_buf_slice(&plain);
    }
    if (r == ITEE_OK)
        r = enclave_shards_state(&ctx->shards, &ctx->ocalls, ctx->keys.state_key, shard, &st);
    if (r == ITEE_OK)
        r = stf_execute(&ctx->stf, st, shard, payload.ptr, payload.len, o);
    if (r == ITEE_OK)
        r = enclave_shards_save(&ctx->ocalls, ctx->keys.state_key, shard, st);
    itee_buf_free_secret(&plain);
    return r;
}

enum itee_err enclave_stf_execute(struct enclave_ctx *ctx, const uint8_t *req, size_t req_len,
                                  uint8_t *out, size_t cap, size_t *out_len)
{
    if (ctx == NULL || out_len == NULL || (out == NULL && cap > 0) || req == NULL ||
        req_len <= STF_SHARD_LEN + 1 || req_len > EDL_XT_MAX)
        return ITEE_ERR_ARG;
    if (cap < ENCLAVE_STF_OUT_MIN) {
        *out_len = ENCLAVE_STF_OUT_MIN; /* asked before running: a call runs only once */
        return ITEE_ERR_SPACE;
    }
    struct itee_buf copy;
    struct stf_outcome o;
    itee_buf_init(&copy, EDL_XT_MAX);
    stf_outcome_init(&o);
    /* Copy in first: the host must not change the bytes between checks and use. */
    enum itee_err r = itee_buf_append(&copy, req, req_len);
    if (r != ITEE_OK)
        goto out;
    uint8_t flags = copy.ptr[STF_SHARD_LEN];
    r = ITEE_ERR_ARG;
    if ((flags & ~ENCLAVE_STF_ENCRYPTED) != 0)
        goto out;
    struct itee_slice payload =
        itee_slice_make(copy.ptr + STF_SHARD_LEN + 1, copy.len - STF_SHARD_LEN - 1);
    r = stf_run(ctx, copy.ptr, flags, payload, &o);
    if (r == ITEE_OK)
        r = stf_answer(&o, out, cap, out_len);
out:
    stf_outcome_free(&o);
    itee_buf_free(&copy);
    return r;
}

enum itee_err enclave_stf_get(struct enclave_ctx *ctx, const uint8_t *req, size_t req_len,
                              uint8_t *out, size_t cap, size_t *out_len)
{
    if (ctx == NULL || out_len == NULL || (out == NULL && cap > 0) || req == NULL ||
        req_len <= STF_SHARD_LEN || req_len > EDL_XT_MAX)
        return ITEE_ERR_ARG;
    struct itee_buf copy, value;
    struct stf_state *st = NULL;
    itee_buf_init(&copy, EDL_XT_MAX);
    itee_buf_init(&value, EDL_FILE_MAX);
    enum itee_err r = itee_buf_append(&copy, req, req_len);
    if (r == ITEE_OK)
        r = enclave_shards_state(&ctx->shards, &ctx->ocalls, ctx->keys.state_key, copy.ptr, &st);
    if (r == ITEE_OK)
        r = stf_get(&ctx->stf, st, copy.ptr + STF_SHARD_LEN, copy.len - STF_SHARD_LEN, &value);
    if (r == ITEE_OK)
        r = enclave_ctx_output(out, cap, out_len, value.ptr, value.len);
    itee_buf_free(&copy);
    itee_buf_free(&value);
    return r;
}
