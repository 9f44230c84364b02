/*
 * ecall_entry.c - the exported entry points of libintegritee-enclave.so (edl.h) and the one
 * enclave context they share. Each ecall: permission check (enclave_ctx_enter), argument
 * checks, act on copies, copy out, leave. Only the functions marked EDL_EXPORT are visible.
 */
#include <assert.h>
#include <string.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "enclave/edl.h"
#include "enclave/enclave_ctx.h"
#include "enclave/enclave_ocall.h"
#include "enclave/enclave_pc.h"
#include "enclave/enclave_stf.h"
#include "enclave/enclave_trpc.h"
#include "enclave/enclave_xt.h"

/* The enclave's only mutable global: its context (statically initialised lock). */
static struct enclave_ctx enclave_global = {.lock = PTHREAD_RWLOCK_INITIALIZER};

EDL_EXPORT uint32_t ecall_edl_version(void);
EDL_EXPORT int32_t ecall_init(const struct edl_ocalls *ocalls, const uint8_t *mrenclave,
                              size_t mrenclave_len, const uint8_t *secret, size_t secret_len,
                              uint32_t flags);
EDL_EXPORT int32_t ecall_get_mrenclave(uint8_t *out, size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_get_shielding_pubkey(uint8_t *out, size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_get_signing_pubkey(uint8_t *out, size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_get_enclave_account(uint8_t *out, size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_shutdown(void);
EDL_EXPORT int32_t ecall_sign_parentchain_xt(const uint8_t *req, size_t req_len, uint8_t *out,
                                             size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_stf_execute(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                                     size_t *out_len);
EDL_EXPORT int32_t ecall_stf_get(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                                 size_t *out_len);
EDL_EXPORT int32_t ecall_trpc_config(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                                     size_t *out_len);
EDL_EXPORT int32_t ecall_trpc_open(uint64_t conn_id);
EDL_EXPORT int32_t ecall_trpc_feed(uint64_t conn_id, const uint8_t *in, size_t in_len, uint8_t *out,
                                   size_t cap, size_t *out_len, uint32_t *flags);
EDL_EXPORT int32_t ecall_trpc_close(uint64_t conn_id);
EDL_EXPORT int32_t ecall_trpc_metrics(uint8_t *out, size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_parentchain_init(const uint8_t *req, size_t req_len, uint8_t *out,
                                          size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_parentchain_import(const uint8_t *req, size_t req_len, uint8_t *out,
                                            size_t cap, size_t *out_len);
EDL_EXPORT int32_t ecall_parentchain_status(uint8_t *out, size_t cap, size_t *out_len);

/* The signatures above must match the typedefs the host resolves them as. */
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_edl_version), edl_edl_version_fn),
              "ecall_edl_version");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_init), edl_init_fn), "ecall_init");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_get_mrenclave), edl_get_fn),
              "ecall_get_mrenclave");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_shutdown), edl_shutdown_fn),
              "ecall_shutdown");

static_assert(__builtin_types_compatible_p(__typeof__(&ecall_sign_parentchain_xt), edl_request_fn),
              "ecall_sign_parentchain_xt");

static_assert(__builtin_types_compatible_p(__typeof__(&ecall_stf_execute), edl_request_fn),
              "ecall_stf_execute");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_stf_get), edl_request_fn),
              "ecall_stf_get");

static_assert(__builtin_types_compatible_p(__typeof__(&ecall_trpc_config), edl_request_fn),
              "ecall_trpc_config");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_trpc_open), edl_trpc_conn_fn),
              "ecall_trpc_open");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_trpc_feed), edl_trpc_feed_fn),
              "ecall_trpc_feed");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_trpc_close), edl_trpc_conn_fn),
              "ecall_trpc_close");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_trpc_metrics), edl_get_fn),
              "ecall_trpc_metrics");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_parentchain_init), edl_request_fn),
              "ecall_parentchain_init");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_parentchain_import), edl_request_fn),
              "ecall_parentchain_import");
static_assert(__builtin_types_compatible_p(__typeof__(&ecall_parentchain_status), edl_get_fn),
              "ecall_parentchain_status");

struct enclave_ctx *enclave_ctx_global(void)
{
    return &enclave_global;
}

uint32_t ecall_edl_version(void)
{
    return EDL_VERSION;
}

int32_t ecall_init(const struct edl_ocalls *ocalls, const uint8_t *mrenclave, size_t mrenclave_len,
                   const uint8_t *secret, size_t secret_len, uint32_t flags)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_INIT);
    if (r != ITEE_OK)
        return r;
    r = enclave_ctx_start(ctx, ocalls, mrenclave, mrenclave_len, secret, secret_len, flags);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_get_mrenclave(uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_GET_MRENCLAVE);
    if (r != ITEE_OK)
        return r;
    r = enclave_ctx_output(out, cap, out_len, ctx->mrenclave, sizeof(ctx->mrenclave));
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_get_shielding_pubkey(uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    struct itee_buf json;
    itee_buf_init(&json, RSA_JSON_MAX_LEN);
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_GET_SHIELDING_PUBKEY);
    if (r != ITEE_OK)
        return r;
    r = enclave_keys_shielding_json(&ctx->keys, &json);
    if (r == ITEE_OK)
        r = enclave_ctx_output(out, cap, out_len, json.ptr, json.len);
    enclave_ctx_leave(ctx);
    itee_buf_free(&json);
    return r;
}

int32_t ecall_get_signing_pubkey(uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_GET_SIGNING_PUBKEY);
    if (r != ITEE_OK)
        return r;
    r = enclave_ctx_output(out, cap, out_len, ctx->keys.signer.public.bytes, ED25519_PUBLIC_LEN);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_get_enclave_account(uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_GET_ENCLAVE_ACCOUNT);
    if (r != ITEE_OK)
        return r;
    r = enclave_ctx_output(out, cap, out_len, ctx->keys.account.public.bytes, ED25519_PUBLIC_LEN);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_shutdown(void)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_SHUTDOWN);
    if (r != ITEE_OK)
        return r;
    enclave_ctx_log(ctx, ITEE_LOG_INFO, "enclave shut down: secrets wiped");
    enclave_ctx_stop(ctx);
    enclave_ctx_leave(ctx);
    return ITEE_OK;
}

/* Signs under the shared lock; the request is copied first so the host cannot change it
 * between decoding and signing. */
static enum itee_err ecall_sign_xt(struct enclave_ctx *ctx, const uint8_t *req, size_t req_len,
                                   uint8_t *out, size_t cap, size_t *out_len)
{
    struct itee_buf copy, xt;
    struct enclave_xt_request rq;
    itee_buf_init(&copy, EDL_XT_MAX);
    itee_buf_init(&xt, EDL_XT_MAX);
    enum itee_err r = ITEE_ERR_ARG;
    if (out_len == NULL || (req == NULL && req_len > 0) || req_len > EDL_XT_MAX)
        goto out;
    r = itee_buf_append(&copy, req, req_len);
    if (r == ITEE_OK)
        r = enclave_xt_request_decode(&rq, copy.ptr, copy.len);
    if (r == ITEE_OK)
        r = enclave_xt_sign(&xt, &rq, &ctx->keys.signer);
    if (r == ITEE_OK)
        r = enclave_ctx_output(out, cap, out_len, xt.ptr, xt.len);
    if (r == ITEE_OK && rq.submit)
        r = enclave_ocall_send_xt(&ctx->ocalls, xt.ptr, xt.len);
out:
    itee_buf_free(&copy);
    itee_buf_free(&xt);
    return r;
}

int32_t ecall_sign_parentchain_xt(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                                  size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_SIGN_PARENTCHAIN_XT);
    if (r != ITEE_OK)
        return r;
    r = ecall_sign_xt(ctx, req, req_len, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_stf_execute(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                          size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_STF_EXECUTE);
    if (r != ITEE_OK)
        return r;
    r = enclave_stf_execute(ctx, req, req_len, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_stf_get(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_STF_GET);
    if (r != ITEE_OK)
        return r;
    r = enclave_stf_get(ctx, req, req_len, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_trpc_config(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                          size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    if (out_len == NULL || (out == NULL && cap > 0))
        return ITEE_ERR_ARG;
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_TRPC_CONFIG);
    if (r != ITEE_OK)
        return r;
    *out_len = 0;
    r = enclave_trpc_config(ctx, req, req_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_trpc_open(uint64_t conn_id)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_TRPC_OPEN);
    if (r != ITEE_OK)
        return r;
    r = enclave_trpc_open(ctx, conn_id);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_trpc_feed(uint64_t conn_id, const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t cap, size_t *out_len, uint32_t *flags)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_TRPC_FEED);
    if (r != ITEE_OK)
        return r;
    r = enclave_trpc_feed(ctx, conn_id, in, in_len, out, cap, out_len, flags);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_trpc_close(uint64_t conn_id)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_TRPC_CLOSE);
    if (r != ITEE_OK)
        return r;
    r = enclave_trpc_close(ctx, conn_id);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_trpc_metrics(uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_TRPC_METRICS);
    if (r != ITEE_OK)
        return r;
    r = enclave_trpc_metrics(ctx, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_parentchain_init(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                               size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_PARENTCHAIN_INIT);
    if (r != ITEE_OK)
        return r;
    r = enclave_pc_init(ctx, req, req_len, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_parentchain_import(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                                 size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_PARENTCHAIN_IMPORT);
    if (r != ITEE_OK)
        return r;
    r = enclave_pc_import(ctx, req, req_len, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}

int32_t ecall_parentchain_status(uint8_t *out, size_t cap, size_t *out_len)
{
    struct enclave_ctx *ctx = enclave_ctx_global();
    enum itee_err r = enclave_ctx_enter(ctx, ENCLAVE_ECALL_PARENTCHAIN_STATUS);
    if (r != ITEE_OK)
        return r;
    r = enclave_pc_status(ctx, out, cap, out_len);
    enclave_ctx_leave(ctx);
    return r;
}
