/*
 * enclave_ctx.h - the enclave's one context: everything the trusted side holds between ecalls
 * (the copied ocall table, its measurement, the local seal secret, its keys), and the ecall
 * permission table that every entry point passes through first (openssh's mon_table idea:
 * ONCE / REQUIRES_INIT, anything else refused).
 *
 * The shared library keeps exactly one instance (enclave_ctx_global, ecall_entry.c); unit tests
 * make their own. Locking: ordinary ecalls hold ctx->lock shared, init and shutdown hold it
 * exclusively, so a shutdown never frees keys under a running ecall.
 */
#ifndef ITEE_ENCLAVE_CTX_H
#define ITEE_ENCLAVE_CTX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/log.h"
#include "enclave/edl.h"
#include "enclave/enclave_keys.h"
#include "enclave/enclave_shards.h"
#include "enclave/enclave_trpc.h"
#include "enclave/stf.h"

struct enclave_pc;

/* Every ecall, for the permission table. */
enum enclave_ecall {
    ENCLAVE_ECALL_INIT = 0,
    ENCLAVE_ECALL_GET_MRENCLAVE = 1,
    ENCLAVE_ECALL_GET_SHIELDING_PUBKEY = 2,
    ENCLAVE_ECALL_GET_SIGNING_PUBKEY = 3,
    ENCLAVE_ECALL_GET_ENCLAVE_ACCOUNT = 4,
    ENCLAVE_ECALL_SHUTDOWN = 5,
    ENCLAVE_ECALL_SIGN_PARENTCHAIN_XT = 6,
    ENCLAVE_ECALL_STF_EXECUTE = 7,
    ENCLAVE_ECALL_STF_GET = 8,
    ENCLAVE_ECALL_TRPC_CONFIG = 9,
    ENCLAVE_ECALL_TRPC_OPEN = 10,
    ENCLAVE_ECALL_TRPC_FEED = 11,
    ENCLAVE_ECALL_TRPC_CLOSE = 12,
    ENCLAVE_ECALL_TRPC_METRICS = 13,
    ENCLAVE_ECALL_PARENTCHAIN_INIT = 14,
    ENCLAVE_ECALL_PARENTCHAIN_IMPORT = 15,
    ENCLAVE_ECALL_PARENTCHAIN_STATUS = 16,
    ENCLAVE_ECALL_COUNT = 17
};

struct enclave_ctx {
    pthread_rwlock_t lock;                  /* shared per ecall, exclusive for init/shutdown */
    bool initialized;                       /* init succeeded and no shutdown since */
    uint32_t flags;                         /* EDL_INIT_* given at init */
    enum itee_log_level log_level;          /* most verbose level forwarded to the host */
    struct edl_ocalls ocalls;               /* copy of the host's table (zero before init) */
    uint8_t mrenclave[EDL_MEASUREMENT_LEN]; /* measurement the host supplied (software mode) */
    uint8_t secret[EDL_LOCAL_SECRET_LEN];   /* local seal secret, for later sealing */
    struct enclave_keys keys;               /* sealed keys, loaded at init */
    uint64_t started_ms;                    /* host clock at init (untrusted, for logs) */
    struct stf stf;                         /* the STF (balances module), set up at init */
    struct enclave_shards shards;           /* per-shard states, loaded on first use */
    struct enclave_trpc trpc;               /* trusted RPC: TLS streams, methods, metrics */
    struct enclave_pc *pc;                  /* parentchain importer (enclave_pc.h), or NULL */
};

/* Returns: the shared library's context. Defined in ecall_entry.c, not in itee_enclave. */
struct enclave_ctx *enclave_ctx_global(void);

/*
 * Prepares a context for use (zeroed, lock initialised, uninitialised state).
 * Returns: ITEE_OK or ITEE_ERR_INTERNAL (lock creation failed).
 */
ITEE_MUST_CHECK enum itee_err enclave_ctx_create(struct enclave_ctx *ctx);
/* Releases a context made with enclave_ctx_create (stopping it first if needed). */
void enclave_ctx_destroy(struct enclave_ctx *ctx);

/*
 * Takes the lock for ecall id and checks the permission table. On ITEE_OK the caller must
 * call enclave_ctx_leave; on any error the lock is not held.
 * Returns: ITEE_OK; ITEE_ERR_ENCLAVE_STATE (not permitted now); ITEE_ERR_ARG; ITEE_ERR_INTERNAL.
 */
ITEE_MUST_CHECK enum itee_err enclave_ctx_enter(struct enclave_ctx *ctx, enum enclave_ecall id);
/* Releases the lock taken by enclave_ctx_enter. */
void enclave_ctx_leave(struct enclave_ctx *ctx);

/*
 * Initialises: checks the table and arguments, copies them, loads or creates the keys.
 * Call inside enclave_ctx_enter(ENCLAVE_ECALL_INIT). In: as ecall_init (edl.h).
 * Returns: as ecall_init. On failure ctx is left uninitialised with nothing retained.
 */
ITEE_MUST_CHECK enum itee_err
enclave_ctx_start(struct enclave_ctx *ctx, const struct edl_ocalls *oc, const uint8_t *mrenclave,
                  size_t mrenclave_len, const uint8_t *secret, size_t secret_len, uint32_t flags);
/* Wipes every secret and returns ctx to the uninitialised state (lock kept). */
void enclave_ctx_stop(struct enclave_ctx *ctx);

/* Forwards one log line to the host if level is enabled and an ocall table is present. */
void enclave_ctx_log(const struct enclave_ctx *ctx, enum itee_log_level level, const char *line);

/*
 * Copies len bytes of data to a host output buffer.
 * Returns: ITEE_OK; ITEE_ERR_SPACE when cap < len (*out_len = len, nothing written);
 * ITEE_ERR_ARG (out_len NULL, or out NULL with cap > 0).
 */
ITEE_MUST_CHECK enum itee_err enclave_ctx_output(uint8_t *out, size_t cap, size_t *out_len,
                                                 const uint8_t *data, size_t len);

#endif
