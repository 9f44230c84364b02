/*
 * enclave_ctx.c - the enclave context: permission table, init and shutdown.
 */
#include "enclave_ctx.h"

#include <stdio.h>
#include <string.h>

#include "common/hex.h"
#include "common/mem.h"
#include "enclave/enclave_ocall.h"
#include "enclave/enclave_pc.h"
#include "enclave/stf_balances.h"

#define ECALL_ONCE          0x1u /* only while uninitialised */
#define ECALL_REQUIRES_INIT 0x2u /* only after a successful init */
#define ECALL_EXCLUSIVE     0x4u /* runs alone (takes the lock exclusively) */

/* Indexed by enum enclave_ecall; an ecall missing here has flags 0 and is refused. */
static const unsigned ecall_table[ENCLAVE_ECALL_COUNT] = {
    [ENCLAVE_ECALL_INIT] = ECALL_ONCE | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_GET_MRENCLAVE] = ECALL_REQUIRES_INIT,
    [ENCLAVE_ECALL_GET_SHIELDING_PUBKEY] = ECALL_REQUIRES_INIT,
    [ENCLAVE_ECALL_GET_SIGNING_PUBKEY] = ECALL_REQUIRES_INIT,
    [ENCLAVE_ECALL_GET_ENCLAVE_ACCOUNT] = ECALL_REQUIRES_INIT,
    [ENCLAVE_ECALL_SHUTDOWN] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_SIGN_PARENTCHAIN_XT] = ECALL_REQUIRES_INIT,
    /* state is one-thread-at-a-time (stf.h), and loading a shard changes the context */
    [ENCLAVE_ECALL_STF_EXECUTE] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_STF_GET] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    /* the connection table, the RPC engine and the shard states are single-threaded */
    [ENCLAVE_ECALL_TRPC_CONFIG] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_TRPC_OPEN] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_TRPC_FEED] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_TRPC_CLOSE] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_TRPC_METRICS] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    /* the importer executes on shard states and tracks the signer's nonce: alone */
    [ENCLAVE_ECALL_PARENTCHAIN_INIT] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_PARENTCHAIN_IMPORT] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
    [ENCLAVE_ECALL_PARENTCHAIN_STATUS] = ECALL_REQUIRES_INIT | ECALL_EXCLUSIVE,
};

enum itee_err enclave_ctx_create(struct enclave_ctx *ctx)
{
    if (ctx == NULL)
        return ITEE_ERR_ARG;
    memset(ctx, 0, sizeof(*ctx));
    if (pthread_rwlock_init(&ctx->lock, NULL) != 0)
        return ITEE_ERR_INTERNAL;
    return ITEE_OK;
}

void enclave_ctx_destroy(struct enclave_ctx *ctx)
{
    if (ctx == NULL)
        return;
    enclave_ctx_stop(ctx);
    (void)pthread_rwlock_destroy(&ctx->lock);
}

enum itee_err enclave_ctx_enter(struct enclave_ctx *ctx, enum enclave_ecall id)
{
    if (ctx == NULL || (unsigned)id >= ENCLAVE_ECALL_COUNT)
        return ITEE_ERR_ARG;
    unsigned flags = ecall_table[id];
    if ((flags & (ECALL_ONCE | ECALL_REQUIRES_INIT)) == 0)
        return ITEE_ERR_ENCLAVE_STATE;
    int rc = (flags & ECALL_EXCLUSIVE) ? pthread_rwlock_wrlock(&ctx->lock)
                                       : pthread_rwlock_rdlock(&ctx->lock);
    if (rc != 0)
        return ITEE_ERR_INTERNAL;
    bool ok = (flags & ECALL_ONCE) ? !ctx->initialized : ctx->initialized;
    if (!ok) {
        (void)pthread_rwlock_unlock(&ctx->lock);
        return ITEE_ERR_ENCLAVE_STATE;
    }
    return ITEE_OK;
}

void enclave_ctx_leave(struct enclave_ctx *ctx)
{
    (void)pthread_rwlock_unlock(&ctx->lock);
}

void enclave_ctx_log(const struct enclave_ctx *ctx, enum itee_log_level level, const char *line)
{
    if (ctx == NULL || level > ctx->log_level || ctx->ocalls.log == NULL)
        return;
    enclave_ocall_log(&ctx->ocalls, (uint32_t)level, line);
}

/* Logs the start: which mode, which measurement, what happened to the keys. */
static void enclave_ctx_log_start(const struct enclave_ctx *ctx)
{
    char hex[2 * EDL_MEASUREMENT_LEN + 1];
    char line[256];
    if (itee_hex_encode(hex, sizeof(hex), ctx->mrenclave, sizeof(ctx->mrenclave)) != ITEE_OK)
        return;
    (void)snprintf(line, sizeof(line),
                   "enclave running in SOFTWARE MODE (no SGX): MRENCLAVE=%s supplied by the host "
                   "loader, not measured by a CPU",
                   hex);
    enclave_ctx_log(ctx, ITEE_LOG_INFO, line);
    (void)snprintf(
        line, sizeof(line), "keys: %u generated and sealed, %u unsealed (host clock %llu ms)",
        ctx->keys.generated, 3u - ctx->keys.generated, (unsigned long long)ctx->started_ms);
    enclave_ctx_log(ctx, ITEE_LOG_INFO, line);
}

static enum itee_err enclave_ctx_check_args(const struct edl_ocalls *oc, const uint8_t *mrenclave,
                                            size_t mrenclave_len, const uint8_t *secret,
                                            size_t secret_len, uint32_t flags)
{
    enum itee_err r = enclave_ocall_check_table(oc);
    if (r != ITEE_OK)
        return r;
    if (mrenclave == NULL || mrenclave_len != EDL_MEASUREMENT_LEN || secret == NULL ||
        secret_len != EDL_LOCAL_SECRET_LEN || (flags & ~EDL_INIT_FLAGS_KNOWN) != 0)
        return ITEE_ERR_ARG;
    /* This build has no hardware mode: the host must say it knows that. */
    if ((flags & EDL_INIT_SOFTWARE_MODE) == 0)
        return ITEE_ERR_ENCLAVE_MODE;
    return ITEE_OK;
}

enum itee_err enclave_ctx_start(struct enclave_ctx *ctx, const struct edl_ocalls *oc,
                                const uint8_t *mrenclave, size_t mrenclave_len,
                                const uint8_t *secret, size_t secret_len, uint32_t flags)
{
    if (ctx == NULL || ctx->initialized)
        return ctx == NULL ? ITEE_ERR_ARG : ITEE_ERR_ENCLAVE_STATE;
    enum itee_err r =
        enclave_ctx_check_args(oc, mrenclave, mrenclave_len, secret, secret_len, flags);
    if (r != ITEE_OK)
        return r;
    ctx->ocalls = *oc;
    ctx->flags = flags;
    ctx->log_level = (flags & EDL_INIT_DEV) ? ITEE_LOG_DEBUG : ITEE_LOG_INFO;
    memcpy(ctx->mrenclave, mrenclave, EDL_MEASUREMENT_LEN);
    memcpy(ctx->secret, secret, EDL_LOCAL_SECRET_LEN);
    r = enclave_ocall_time_ms(&ctx->ocalls, &ctx->started_ms);
    if (r != ITEE_OK)
        goto out;
    r = enclave_keys_load(&ctx->keys, &ctx->ocalls, ctx->mrenclave, ctx->secret,
                          sizeof(ctx->secret));
    if (r != ITEE_OK) {
        char line[160];
        (void)snprintf(line, sizeof(line), "enclave init refused: sealed keys: %s",
                       itee_strerror(r));
        enclave_ctx_log(ctx, ITEE_LOG_ERROR, line);
        goto out;
    }
    stf_init(&ctx->stf, ctx->mrenclave, ctx->keys.account.public.bytes);
    r = stf_register(&ctx->stf, stf_balances_module());
    if (r != ITEE_OK)
        goto out;
    ctx->initialized = true;
    enclave_ctx_log_start(ctx);
out:
    if (r != ITEE_OK)
        enclave_ctx_stop(ctx);
    return r;
}

void enclave_ctx_stop(struct enclave_ctx *ctx)
{
    if (ctx == NULL)
        return;
    enclave_trpc_free(&ctx->trpc); /* before the keys: its TLS context holds the signer */
    enclave_pc_free(ctx->pc);
    ctx->pc = NULL;
    enclave_shards_free(&ctx->shards);
    enclave_keys_clear(&ctx->keys);
    itee_memzero(ctx->secret, sizeof(ctx->secret));
    memset(&ctx->ocalls, 0, sizeof(ctx->ocalls));
    memset(ctx->mrenclave, 0, sizeof(ctx->mrenclave));
    ctx->flags = 0;
    ctx->started_ms = 0;
    ctx->log_level = ITEE_LOG_ERROR;
    ctx->initialized = false;
}

enum itee_err enclave_ctx_output(uint8_t *out, size_t cap, size_t *out_len, const uint8_t *data,
                                 size_t len)
{
    if (out_len == NULL || (out == NULL && cap > 0))
        return ITEE_ERR_ARG;
    *out_len = len;
    if (cap < len)
        return ITEE_ERR_SPACE;
    if (len > 0)
        memcpy(out, data, len);
    return ITEE_OK;
}
