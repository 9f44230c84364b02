/*
 * enclave_trpc.c - trusted JSON-RPC streams and methods inside the enclave (see enclave_trpc.h).
 */
#include "enclave_trpc.h"

#include <stdio.h>
#include <string.h>

#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/bytes.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/rsa.h"
#include "enclave/edl.h"
#include "enclave/enclave_ctx.h"
#include "enclave/enclave_ocall.h"
#include "enclave/enclave_shards.h"
#include "proto/rpc.h"
#include "proto/tls.h"
#include "proto/tls_rpc.h"

#define TRPC_HELLO     "hello, world" /* the original's stub answer */
#define TRPC_PARAM_MAX ENCLAVE_TRPC_MAX_REQUEST
#define TRPC_VALUE_MAX ((size_t)1024 * 1024) /* one RpcReturnValue's value */
#define TRPC_NO_DIRECT                                                                             \
    "direct calls are not supported in offchain-worker mode; send indirect calls through the "     \
    "parentchain"
#define TRPC_NO_CONFIG "the worker has not configured the trusted RPC yet"
#define TRPC_NO_VAULT  "shard vault not found: this worker has no shard vault yet"
#define TRPC_BAD_SHARD "shard not served by this worker"

typedef enum itee_err (*trpc_handler_fn)(struct enclave_ctx *ctx, struct rpc_call *call,
                                         json_t *params);

struct trpc_method {
    const char *name;   /* JSON-RPC method name */
    trpc_handler_fn fn; /* handler */
};

static const struct trpc_method trpc_methods[ENCLAVE_TRPC_METHODS];

/* ---- config ---------------------------------------------------------------------------- */

/* Reads one URL String: bounded, no NUL or control bytes (it is echoed to clients and logs). */
static enum itee_err trpc_read_url(struct scale_reader *r, const char **out, size_t *len)
{
    struct itee_slice s;
    enum itee_err e = scale_read_str(r, &s);
    if (e != ITEE_OK)
        return e;
    if (s.len > ENCLAVE_TRPC_URL_MAX)
        return ITEE_ERR_ARG;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] < 0x20 || s.ptr[i] == 0x7f)
            return ITEE_ERR_ARG;
    *out = (const char *)s.ptr;
    *len = s.len;
    return ITEE_OK;
}

enum itee_err enclave_trpc_config_decode(struct enclave_trpc_config *out, const uint8_t *req,
                                         size_t len)
{
    if (out == NULL || (req == NULL && len > 0))
        return ITEE_ERR_ARG;
    memset(out, 0, sizeof(*out));
    struct scale_reader r;
    scale_reader_init(&r, req, len);
    enum itee_err e = scale_read_bytes(&r, out->shard, sizeof(out->shard));
    if (e == ITEE_OK)
        e = trpc_read_url(&r, &out->mu_ra_url, &out->mu_ra_url_len);
    if (e == ITEE_OK)
        e = trpc_read_url(&r, &out->untrusted_url, &out->untrusted_url_len);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    return e;
}

enum itee_err enclave_trpc_config(struct enclave_ctx *ctx, const uint8_t *req, size_t len)
{
    if (ctx == NULL || len > 2 * ENCLAVE_TRPC_URL_MAX + 64)
        return ITEE_ERR_ARG;
    /* Copy first: the host must not change the bytes between checks and use. */
    uint8_t copy[2 * ENCLAVE_TRPC_URL_MAX + 64];
    if (len > 0)
        memcpy(copy, req, len);
    struct enclave_trpc_config c;
    enum itee_err e = enclave_trpc_config_decode(&c, req == NULL ? NULL : copy, len);
    if (e != ITEE_OK)
        return e;
    struct enclave_trpc *t = &ctx->trpc;
    memcpy(t->shard, c.shard, sizeof(t->shard));
    memcpy(t->mu_ra_url, c.mu_ra_url, c.mu_ra_url_len);
    t->mu_ra_url[c.mu_ra_url_len] = '\0';
    memcpy(t->untrusted_url, c.untrusted_url, c.untrusted_url_len);
    t->untrusted_url[c.untrusted_url_len] = '\0';
    t->configured = true;
    return ITEE_OK;
}

/* ---- envelopes ------------------------------------------------------------------------- */

/* Answers "0x" + hex(SCALE(RpcReturnValue{value, do_watch, status})). */
static enum itee_err trpc_reply_rv(struct rpc_call *call, enum trusted_op_status status,
                                   const uint8_t *value, size_t len)
{
    struct trusted_op_rpc_return rv = {
        .value = itee_slice_make(value, len), .do_watch = false, .status = status};
    struct itee_buf b;
    itee_buf_init(&b, TRPC_VALUE_MAX + 64);
    char *hex = NULL;
    enum itee_err r = trusted_op_rpc_return_put(&b, &rv);
    if (r != ITEE_OK)
        goto cleanup;
    size_t hex_len = 2 * b.len + 3;
    hex = itee_alloc(hex_len);
    r = ITEE_ERR_NOMEM;
    if (hex == NULL)
        goto cleanup;
    hex[0] = '0';
    hex[1] = 'x';
    r = itee_hex_encode(hex + 2, hex_len - 2, b.ptr, b.len);
    if (r != ITEE_OK)
        goto cleanup;
    json_t *s = json_string(hex);
    r = s == NULL ? ITEE_ERR_NOMEM : rpc_call_reply(call, s);
cleanup:
    itee_free(hex);
    itee_buf_free(&b);
    return r;
}

/* Answers the Error RpcReturnValue: value = SCALE(String message). */
static enum itee_err trpc_reply_error(struct rpc_call *call, const char *message)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err r = scale_put_str(&v, message, strlen(message));
    if (r == ITEE_OK)
        r = trpc_reply_rv(call, TRUSTED_OP_STATUS_ERROR, v.ptr, v.len);
    itee_buf_free(&v);
    return r;
}

/* Answers Ok with value = SCALE(String s). */
static enum itee_err trpc_reply_string(struct rpc_call *call, const char *s, size_t len)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err r = scale_put_str(&v, s, len);
    if (r == ITEE_OK)
        r = trpc_reply_rv(call, TRUSTED_OP_STATUS_OK, v.ptr, v.len);
    itee_buf_free(&v);
    return r;
}

/*
 * Takes params[0] as a hex string into out (bytes). Returns ITEE_OK; ITEE_ERR_ARG after
 * answering -32602 (not an array with a string first); ITEE_ERR_HEX (not hex: the caller
 * answers an Error RpcReturnValue, as the original's from_hex failure does).
 */
static enum itee_err trpc_param_hex(struct rpc_call *call, json_t *params, struct itee_buf *out)
{
    json_t *p = json_is_array(params) ? json_array_get(params, 0) : NULL;
    if (!json_is_string(p)) {
        enum itee_err r = rpc_call_invalid_params(call, "expected [\"0x...\"]");
        return r == ITEE_OK ? ITEE_ERR_ARG : r;
    }
    const char *text = json_string_value(p);
    size_t len = json_string_length(p);
    if (len > 2 * TRPC_PARAM_MAX + 2)
        return ITEE_ERR_HEX;
    enum itee_err r = itee_buf_reserve(out, len / 2 + 1);
    size_t n = 0;
    if (r == ITEE_OK)
        r = itee_hex_decode(out->ptr, out->cap, &n, text, len);
    if (r == ITEE_OK)
        out->len = n;
    return r == ITEE_ERR_NOMEM ? r : (r == ITEE_OK ? ITEE_OK : ITEE_ERR_HEX);
}

/* ---- methods --------------------------------------------------------------------------- */

static enum itee_err trpc_m_hello(struct enclave_ctx *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    (void)params;
    json_t *s = json_string(TRPC_HELLO);
    return s == NULL ? ITEE_ERR_NOMEM : rpc_call_reply(call, s);
}

static enum itee_err trpc_m_version(struct enclave_ctx *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    (void)params;
    /* HEAD: the value is the raw UTF-8 text, not SCALE(String). */
    static const char v[] = "enclave-runtime: " ENCLAVE_TRPC_VERSION " (software mode)";
    return trpc_reply_rv(call, TRUSTED_OP_STATUS_OK, (const uint8_t *)v, sizeof(v) - 1);
}

static enum itee_err trpc_m_shielding_key(struct enclave_ctx *ctx, struct rpc_call *call,
                                          json_t *params)
{
    (void)params;
    struct itee_buf json;
    itee_buf_init(&json, RSA_JSON_MAX_LEN);
    enum itee_err r = enclave_keys_shielding_json(&ctx->keys, &json);
    if (r == ITEE_OK)
        r = trpc_reply_string(call, (const char *)json.ptr, json.len);
    itee_buf_free(&json);
    return r;
}

static enum itee_err trpc_m_shard(struct enclave_ctx *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    if (!ctx->trpc.configured)
        return trpc_reply_error(call, TRPC_NO_CONFIG);
    return trpc_reply_rv(call, TRUSTED_OP_STATUS_OK, ctx->trpc.shard, sizeof(ctx->trpc.shard));
}

static enum itee_err trpc_m_mu_ra_url(struct enclave_ctx *ctx, struct rpc_call *call,
                                      json_t *params)
{
    (void)params;
    if (!ctx->trpc.configured)
        return trpc_reply_error(call, TRPC_NO_CONFIG);
    return trpc_reply_string(call, ctx->trpc.mu_ra_url, strlen(ctx->trpc.mu_ra_url));
}

static enum itee_err trpc_m_untrusted_url(struct enclave_ctx *ctx, struct rpc_call *call,
                                          json_t *params)
{
    (void)params;
    if (!ctx->trpc.configured)
        return trpc_reply_error(call, TRPC_NO_CONFIG);
    return trpc_reply_string(call, ctx->trpc.untrusted_url, strlen(ctx->trpc.untrusted_url));
}

static enum itee_err trpc_m_shard_vault(struct enclave_ctx *ctx, struct rpc_call *call,
                                        json_t *params)
{
    (void)ctx;
    (void)params;
    return trpc_reply_error(call, TRPC_NO_VAULT);
}

/* A client may only touch the configured shard: loading arbitrary shards would let anyone
 * fill the enclave's shard table (ENCLAVE_SHARDS_MAX) and lock the real shard out. */
static bool trpc_shard_served(const struct enclave_ctx *ctx, const uint8_t shard[32])
{
    return ctx->trpc.configured && memcmp(ctx->trpc.shard, shard, 32) == 0;
}

static enum itee_err trpc_m_execute_getter(struct enclave_ctx *ctx, struct rpc_call *call,
                                           json_t *params)
{
    struct itee_buf req, value;
    struct trusted_op_request rq;
    struct stf_state *st = NULL;
    itee_buf_init(&req, TRPC_PARAM_MAX);
    itee_buf_init(&value, TRPC_VALUE_MAX);
    char msg[160];
    enum itee_err r = trpc_param_hex(call, params, &req);
    if (r == ITEE_ERR_ARG) {
        r = ITEE_OK; /* already answered -32602 */
        goto cleanup;
    }
    if (r == ITEE_OK)
        r = trusted_op_request_decode(&rq, req.ptr, req.len);
    if (r == ITEE_ERR_NOMEM)
        goto cleanup;
    if (r != ITEE_OK) {
        (void)snprintf(msg, sizeof(msg), "could not decode request: %s", itee_strerror(r));
        r = trpc_reply_error(call, msg);
        goto cleanup;
    }
    if (!trpc_shard_served(ctx, rq.shard)) {
        r = trpc_reply_error(call, TRPC_BAD_SHARD);
        goto cleanup;
    }
    r = enclave_shards_state(&ctx->shards, &ctx->ocalls, ctx->keys.state_key, rq.shard, &st);
    if (r == ITEE_OK)
        r = stf_get(&ctx->stf, st, rq.cyphertext.ptr, rq.cyphertext.len, &value);
    if (r == ITEE_ERR_NOMEM)
        goto cleanup;
    if (r != ITEE_OK) {
        (void)snprintf(msg, sizeof(msg), "getter failed: %s", itee_strerror(r));
        r = trpc_reply_error(call, msg);
        goto cleanup;
    }
    r = trpc_reply_rv(call, TRUSTED_OP_STATUS_OK, value.ptr, value.len);
cleanup:
    itee_buf_free(&req);
    itee_buf_free(&value);
    return r;
}

/* Direct calls: offchain-worker mode takes indirect calls only (worker-protocol.md §4.1), so
 * a well-formed request is answered with an Error and not decrypted (RSA costs the enclave
 * time a client could otherwise spend for free). */
static enum itee_err trpc_m_submit(struct enclave_ctx *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    struct itee_buf req;
    struct trusted_op_request rq;
    itee_buf_init(&req, TRPC_PARAM_MAX);
    char msg[160];
    enum itee_err r = trpc_param_hex(call, params, &req);
    if (r == ITEE_ERR_ARG) {
        r = ITEE_OK;
        goto cleanup;
    }
    if (r == ITEE_OK)
        r = trusted_op_request_decode(&rq, req.ptr, req.len);
    if (r == ITEE_ERR_NOMEM)
        goto cleanup;
    if (r != ITEE_OK) {
        (void)snprintf(msg, sizeof(msg), "could not decode request: %s", itee_strerror(r));
        r = trpc_reply_error(call, msg);
        goto cleanup;
    }
    r = trpc_reply_error(call, TRPC_NO_DIRECT);
cleanup:
    itee_buf_free(&req);
    return r;
}

static const struct trpc_method trpc_methods[ENCLAVE_TRPC_METHODS] = {
    {"author_getShieldingKey", trpc_m_shielding_key},
    {"author_getShard", trpc_m_shard},
    {"author_getMuRaUrl", trpc_m_mu_ra_url},
    {"author_getUntrustedUrl", trpc_m_untrusted_url},
    {"author_getShardVault", trpc_m_shard_vault},
    {"state_executeGetter", trpc_m_execute_getter},
    {"author_submitExtrinsic", trpc_m_submit},
    {"author_submitAndWatchExtrinsic", trpc_m_submit},
    {"system_version", trpc_m_version},
    {"system_name", trpc_m_hello},
    {"system_health", trpc_m_hello},
    {"state_getRuntimeVersion", trpc_m_hello},
    {"chain_subscribeAllHeads", trpc_m_hello},
};

/* The rpc engine's entry: counts the call, then runs the method's handler. */
static enum itee_err trpc_dispatch(void *vctx, struct rpc_call *call, json_t *params)
{
    struct enclave_ctx *ctx = vctx;
    const char *name = rpc_call_method(call);
    for (size_t i = 0; i < ENCLAVE_TRPC_METHODS; i++) {
        if (strcmp(trpc_methods[i].name, name) != 0)
            continue;
        ctx->trpc.calls[i]++;
        return trpc_methods[i].fn(ctx, call, params);
    }
    return ITEE_ERR_INTERNAL; /* registered names only reach here */
}

/* ---- streams --------------------------------------------------------------------------- */

/* Makes the TLS context and method table at first use. */
static enum itee_err trpc_setup(struct enclave_ctx *ctx)
{
    struct enclave_trpc *t = &ctx->trpc;
    if (t->tls != NULL && t->rpc != NULL)
        return ITEE_OK;
    uint64_t now_ms = 0;
    enum itee_err r = enclave_ocall_time_ms(&ctx->ocalls, &now_ms);
    if (r != ITEE_OK)
        return r;
    if (t->tls == NULL) {
        struct tls_server_config cfg = {.common_name = ENCLAVE_TRPC_CN, .now = now_ms / 1000};
        r = tls_server_ctx_new(&t->tls, ctx->keys.signer.seed, &cfg);
        if (r != ITEE_OK)
            return r;
    }
    struct rpc_limits lim = {.max_request = ENCLAVE_TRPC_MAX_REQUEST,
                             .max_response = ENCLAVE_TRPC_MAX_REQUEST,
                             .max_depth = 32,
                             .max_batch = 16,
                             .max_subs = 1};
    r = rpc_server_new(&t->rpc, &lim);
    if (r == ITEE_OK) /* SDK v0.13's jsonrpc_core answer, which the original clients print */
        rpc_server_set_methods_style(t->rpc, RPC_METHODS_WORKER);
    for (size_t i = 0; r == ITEE_OK && i < ENCLAVE_TRPC_METHODS; i++)
        r = rpc_register(t->rpc, trpc_methods[i].name, trpc_dispatch, ctx);
    if (r != ITEE_OK) {
        rpc_server_free(t->rpc);
        t->rpc = NULL;
    }
    return r;
}

static struct enclave_trpc_conn *trpc_find(struct enclave_trpc *t, uint64_t id)
{
    for (size_t i = 0; i < ENCLAVE_TRPC_MAX_CONNS; i++)
        if (t->conns[i].stream != NULL && t->conns[i].id == id)
            return &t->conns[i];
    return NULL;
}

static void trpc_drop(struct enclave_trpc *t, struct enclave_trpc_conn *c)
{
    tls_rpc_free(c->stream);
    c->stream = NULL;
    c->id = 0;
    t->n_open--;
}

enum itee_err enclave_trpc_open(struct enclave_ctx *ctx, uint64_t conn_id)
{
    if (ctx == NULL)
        return ITEE_ERR_ARG;
    struct enclave_trpc *t = &ctx->trpc;
    if (trpc_find(t, conn_id) != NULL)
        return ITEE_ERR_TRPC_CONN;
    if (t->n_open >= ENCLAVE_TRPC_MAX_CONNS) {
        t->conns_refused++;
        return ITEE_ERR_TRPC_LIMIT;
    }
    enum itee_err r = trpc_setup(ctx);
    if (r != ITEE_OK)
        return r;
    struct enclave_trpc_conn *slot = NULL;
    for (size_t i = 0; i < ENCLAVE_TRPC_MAX_CONNS && slot == NULL; i++)
        if (t->conns[i].stream == NULL)
            slot = &t->conns[i];
    if (slot == NULL)
        return ITEE_ERR_INTERNAL; /* n_open said there is one */
    /* No wake callback: every method answers within the feed that brought its request. */
    r = tls_rpc_new(&slot->stream, t->tls, t->rpc, ENCLAVE_TRPC_MAX_PENDING, NULL, NULL);
    if (r != ITEE_OK)
        return r;
    slot->id = conn_id;
    t->n_open++;
    t->conns_opened++;
    return ITEE_OK;
}

enum itee_err enclave_trpc_feed(struct enclave_ctx *ctx, uint64_t conn_id, const uint8_t *in,
                                size_t in_len, uint8_t *out, size_t cap, size_t *out_len,
                                uint32_t *flags)
{
    if (ctx == NULL || out_len == NULL || flags == NULL || (in == NULL && in_len > 0) ||
        (out == NULL && cap > 0) || in_len > EDL_TRPC_FEED_MAX)
        return ITEE_ERR_ARG;
    *out_len = 0;
    *flags = 0;
    struct enclave_trpc *t = &ctx->trpc;
    struct enclave_trpc_conn *c = trpc_find(t, conn_id);
    if (c == NULL)
        return ITEE_ERR_TRPC_CONN;
    enum itee_err r = ITEE_OK;
    if (in_len > 0) {
        /* tls_rpc copies the input into its BIO before using it. */
        r = tls_rpc_feed(c->stream, in, in_len);
        if (r == ITEE_ERR_NOMEM || r == ITEE_ERR_ARG) {
            trpc_drop(t, c);
            return r;
        }
        if (r != ITEE_OK) {
            char line[256];
            (void)snprintf(line, sizeof(line), "trusted rpc: dropping connection %llu: %s (%s)",
                           (unsigned long long)conn_id, itee_strerror(r),
                           tls_rpc_reason(c->stream));
            enclave_ctx_log(ctx, ITEE_LOG_DEBUG, line);
        }
    }
    size_t n = 0;
    r = cap > 0 ? tls_rpc_take_cipher(c->stream, out, cap, &n) : ITEE_OK;
    if (r != ITEE_OK) {
        trpc_drop(t, c);
        return r;
    }
    *out_len = n;
    if (tls_rpc_cipher_pending(c->stream) > 0)
        *flags |= EDL_TRPC_MORE;
    else if (tls_rpc_done(c->stream)) {
        *flags |= EDL_TRPC_CLOSE;
        trpc_drop(t, c);
    }
    return ITEE_OK;
}

enum itee_err enclave_trpc_close(struct enclave_ctx *ctx, uint64_t conn_id)
{
    if (ctx == NULL)
        return ITEE_ERR_ARG;
    struct enclave_trpc_conn *c = trpc_find(&ctx->trpc, conn_id);
    if (c == NULL)
        return ITEE_ERR_TRPC_CONN;
    trpc_drop(&ctx->trpc, c);
    return ITEE_OK;
}

enum itee_err enclave_trpc_metrics(struct enclave_ctx *ctx, uint8_t *out, size_t cap,
                                   size_t *out_len)
{
    if (ctx == NULL || out_len == NULL || (out == NULL && cap > 0))
        return ITEE_ERR_ARG;
    const struct enclave_trpc *t = &ctx->trpc;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = scale_put_u32(&b, (uint32_t)t->n_open);
    if (r == ITEE_OK)
        r = scale_put_u64(&b, t->conns_opened);
    if (r == ITEE_OK)
        r = scale_put_u64(&b, t->conns_refused);
    if (r == ITEE_OK)
        r = scale_put_compact(&b, ENCLAVE_TRPC_METHODS);
    for (size_t i = 0; r == ITEE_OK && i < ENCLAVE_TRPC_METHODS; i++) {
        r = scale_put_str(&b, trpc_methods[i].name, strlen(trpc_methods[i].name));
        if (r == ITEE_OK)
            r = scale_put_u64(&b, t->calls[i]);
    }
    if (r == ITEE_OK)
        r = enclave_ctx_output(out, cap, out_len, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

void enclave_trpc_free(struct enclave_trpc *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < ENCLAVE_TRPC_MAX_CONNS; i++)
        tls_rpc_free(t->conns[i].stream);
    rpc_server_free(t->rpc);
    tls_ctx_free(t->tls);
    memset(t, 0, sizeof(*t));
}
