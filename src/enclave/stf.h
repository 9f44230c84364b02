/*
 * stf.h - the state transition function engine and its SDK seam (SDK v0.13.0 semantics).
 *
 * An STF is a table of modules. A module (struct stf_module) lists call handlers, indexed by
 * TrustedCall variant, and getter handlers, indexed by PublicGetter / TrustedGetter variant.
 * The engine decodes, checks signatures and nonces, charges fees and dispatches to handlers;
 * it knows no business logic. Balances (stf_balances.h) is the first module; a developer adds
 * one by writing handlers and calling stf_register - no engine edit. Each variant's first
 * argument must be the sender's AccountId (that is whose signature is checked).
 *
 * Executing a TrustedCallSigned (spec/worker-protocol.md "Facts of the target version"):
 *   1. the signature must verify over SCALE(call) || nonce || mrenclave || shard, signer = first
 *      argument; the nonce must equal the sender's account nonce. Otherwise the call is
 *      rejected: stf_execute returns the error and nothing changed.
 *   2. otherwise the nonce is consumed (incremented) whatever follows, the handler's fee is
 *      moved from the sender to the enclave's STF account, and the handler runs in a nested
 *      transaction: if it fails, only its own writes, log lines and effects are undone. The
 *      failure is reported in stf_outcome.result and stf_execute returns ITEE_OK. A sender who
 *      cannot pay the fee pays nothing; the nonce is still consumed and the call not run.
 *   3. ITEE_ERR_NOMEM (or another internal failure) at any point undoes everything: the state
 *      and the outcome are as before the call.
 * Calls may run inside a transaction the caller opened (e.g. one per sidechain block): rolling
 * it back undoes them too.
 * Getters are free and read the state only; trusted getters need a signature over
 * SCALE(TrustedGetter) by their first argument.
 *
 * The engine keeps no mutable state of its own: struct stf is configuration (filled once by
 * stf_init / stf_register) and may be shared by threads; a struct stf_state (one per shard)
 * may be used by one thread at a time.
 * struct stf refers to itself (its decoding schema), so it must not be copied after stf_init.
 */
#ifndef ITEE_STF_H
#define ITEE_STF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "enclave/stf_state.h"

#define STF_MAX_MODULES  16                /* modules one STF may hold */
#define STF_LOG_LINE_MAX 256               /* longest log line a handler may emit (longer is cut) */
#define STF_LOG_MAX      ((size_t)1 << 20) /* bound on an outcome's accumulated log */

/* Effects on a parentchain, produced by calls for the host to turn into L1 extrinsics. */
enum stf_effect_kind {
    STF_EFFECT_UNSHIELD = 0 /* pay beneficiary amount on L1 from the shard's vault */
};

struct stf_effect {
    enum stf_effect_kind kind;                   /* what to do */
    uint8_t shard[TRUSTED_OP_HASH_LEN];          /* shard whose L1 funds pay */
    uint8_t beneficiary[TRUSTED_OP_ACCOUNT_LEN]; /* L1 recipient */
    itee_u128 amount;                            /* planck */
    uint8_t call_hash[TRUSTED_OP_HASH_LEN];      /* the payout id (stf_call.payout_id): L1 dedup */
};

/*
 * What executing calls produced. stf_execute overwrites result/call_hash/sender and appends to
 * log and effects, so one outcome can collect a whole block; stf_outcome_reset empties it.
 */
struct stf_outcome {
    enum itee_err result;                   /* ITEE_OK, or why the applied call failed */
    uint8_t call_hash[TRUSTED_OP_HASH_LEN]; /* blake2_256(SCALE(TrustedCall)) of the call */
    uint8_t sender[TRUSTED_OP_ACCOUNT_LEN]; /* its sender */
    struct itee_buf log;                    /* event lines, each ending in '\n' */
    struct stf_effect *effects;             /* parentchain effects, in order */
    size_t n_effects;                       /* effects in use */
    size_t cap_effects;                     /* effects allocated */
};

void stf_outcome_init(struct stf_outcome *o);
void stf_outcome_reset(struct stf_outcome *o);
void stf_outcome_free(struct stf_outcome *o);

struct stf;

/* What a call handler gets. */
struct stf_call {
    const struct stf *stf;    /* the engine (stf_enclave_account etc.) */
    struct stf_state *state;  /* the shard's state, inside a transaction */
    const uint8_t *shard;     /* executing shard (32 bytes) */
    const uint8_t *sender;    /* verified sender = first argument (32 bytes) */
    struct itee_slice call;   /* SCALE(TrustedCall) */
    struct scale_reader args; /* over the arguments, positioned at the first */
    const uint8_t *call_hash; /* blake2_256 of call (32 bytes) */
    /* blake2_256(SCALE(call) || nonce u32 LE || sender): unique per executed call. The L1 dedup
     * key of payouts (EnclaveBridge.unshield_funds' call_hash): the original used blake2_256 of
     * the call alone, so a second identical unshield (same amount, same beneficiary) was never
     * paid although its L2 funds were burnt. */
    const uint8_t *payout_id;
    struct stf_outcome *out; /* where stf_log / stf_effect_push append */
    void *module_ctx;        /* the module's ctx */
};

/* What a getter handler gets. */
struct stf_getter {
    const struct stf *stf;         /* the engine */
    const struct stf_state *state; /* the shard's state (read only) */
    const uint8_t *sender;    /* trusted getters: verified signer (first argument); else NULL */
    struct scale_reader args; /* over the arguments (trusted: positioned at the first) */
    void *module_ctx;         /* the module's ctx */
};

struct stf_call_handler {
    uint8_t index;    /* TrustedCall variant index */
    const char *name; /* for logs, e.g. "balance_transfer" */
    itee_u128 fee;    /* charged to the sender before the handler runs */
    /* consumes the arguments (strict, no allocation): defines the call's wire length */
    enum itee_err (*args)(void *module_ctx, uint8_t index, struct scale_reader *r);
    /*
     * Executes; returns ITEE_OK or why the call fails (its writes are then undone). Return
     * ITEE_ERR_NOMEM only for allocation failure: it aborts the whole call.
     */
    enum itee_err (*exec)(struct stf_call *c);
};

struct stf_getter_handler {
    uint8_t index;    /* PublicGetter or TrustedGetter variant index */
    const char *name; /* for logs */
    enum itee_err (*args)(void *module_ctx, uint8_t index, struct scale_reader *r);
    /* appends the result's SCALE bytes to value and sets *some (false = None) */
    enum itee_err (*get)(const struct stf_getter *g, struct itee_buf *value, bool *some);
};

struct stf_module {
    const char *name;                                 /* module name, for logs */
    const struct stf_call_handler *calls;             /* call handlers */
    size_t n_calls;                                   /* how many */
    const struct stf_getter_handler *public_getters;  /* PublicGetter handlers */
    size_t n_public_getters;                          /* how many */
    const struct stf_getter_handler *trusted_getters; /* TrustedGetter handlers */
    size_t n_trusted_getters;                         /* how many */
    void *ctx;                                        /* passed to every handler */
};

/* A variant slot: the handler and its module. */
struct stf_slot {
    const void *handler;             /* struct stf_call_handler / stf_getter_handler */
    const struct stf_module *module; /* owner */
};

/* The engine's configuration. Fill with stf_init and stf_register; treat as opaque. */
struct stf {
    uint8_t mrenclave[TRUSTED_OP_HASH_LEN];            /* signed into every call */
    uint8_t enclave_account[TRUSTED_OP_ACCOUNT_LEN];   /* STF account: fees, shielding */
    const struct stf_module *modules[STF_MAX_MODULES]; /* registered modules */
    size_t n_modules;                                  /* how many */
    struct stf_slot calls[256];                        /* by TrustedCall index */
    struct stf_slot public_getters[256];               /* by PublicGetter index */
    struct stf_slot trusted_getters[256];              /* by TrustedGetter index */
    struct trusted_op_schema schema;                   /* variant lengths for trusted_op decoders */
};

/* Starts an STF with no modules for an enclave of mrenclave whose STF account is given. */
void stf_init(struct stf *stf, const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
              const uint8_t enclave_account[TRUSTED_OP_ACCOUNT_LEN]);
/*
 * Adds a module (kept by pointer: it must outlive stf). All or nothing.
 * Returns: ITEE_OK; ITEE_ERR_STF_MODULE (a variant index taken, or STF_MAX_MODULES reached);
 * ITEE_ERR_ARG (a handler lacks args/exec/get).
 */
ITEE_MUST_CHECK enum itee_err stf_register(struct stf *stf, const struct stf_module *module);
/* Returns: the schema for trusted_op_*_read/_decode with this STF's variants. */
const struct trusted_op_schema *stf_schema(const struct stf *stf);
/* Returns: the STF account (32 bytes). */
const uint8_t *stf_enclave_account(const struct stf *stf);

/*
 * Executes one SCALE(TrustedCallSigned) on the state of shard (see the top of this file).
 * Returns: ITEE_OK (applied: nonce consumed; out->result says whether the call succeeded);
 * rejected without effect: a SCALE error, ITEE_ERR_BAD_SIG, ITEE_ERR_STF_NONCE,
 * ITEE_ERR_STF_OVERFLOW (nonce exhausted), ITEE_ERR_STF_STATE, ITEE_ERR_NOMEM, ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err stf_execute(const struct stf *stf, struct stf_state *st,
                                          const uint8_t shard[TRUSTED_OP_HASH_LEN],
                                          const uint8_t *call_signed, size_t len,
                                          struct stf_outcome *out);

/* Flag for stf_execute_op: the caller already verified cs (e.g. in parallel before a block). */
#define STF_SIG_VERIFIED 1u
/*
 * As stf_execute for an already decoded call. With STF_SIG_VERIFIED the signature is not
 * checked again: pass it only when trusted_op_call_verify(cs, mrenclave, shard) returned ITEE_OK
 * for these very bytes with this STF's mrenclave and this shard.
 */
ITEE_MUST_CHECK enum itee_err stf_execute_op(const struct stf *stf, struct stf_state *st,
                                             const uint8_t shard[TRUSTED_OP_HASH_LEN],
                                             const struct trusted_op_call_signed *cs,
                                             unsigned flags, struct stf_outcome *out);

/*
 * Executes SCALE(TrustedCall) call as a call by the enclave's STF account (no signature; its
 * nonce is consumed): how the enclave applies what it observed on the parentchain.
 * Returns: as stf_execute; ITEE_ERR_STF_ORIGIN if the call's sender is not the STF account.
 */
ITEE_MUST_CHECK enum itee_err stf_execute_internal(const struct stf *stf, struct stf_state *st,
                                                   const uint8_t shard[TRUSTED_OP_HASH_LEN],
                                                   struct itee_slice call, struct stf_outcome *out);
/*
 * Shielding: credits amount to who, as balance_shield(enclave account, who, amount,
 * parentchain) run by stf_execute_internal. Returns: as stf_execute_internal.
 */
ITEE_MUST_CHECK enum itee_err stf_shield(const struct stf *stf, struct stf_state *st,
                                         const uint8_t shard[TRUSTED_OP_HASH_LEN],
                                         const uint8_t who[TRUSTED_OP_ACCOUNT_LEN],
                                         itee_u128 amount, enum trusted_op_parentchain parentchain,
                                         struct stf_outcome *out);

/*
 * Runs a SCALE(Getter) (public, or trusted with its signature checked) on the state and appends
 * SCALE(Option<Vec<u8>>) of the result to out (the state_executeGetter value).
 * Returns: ITEE_OK; a SCALE error; ITEE_ERR_BAD_SIG; ITEE_ERR_STF_STATE; ITEE_ERR_NOMEM;
 * ITEE_ERR_SPACE. On failure out is as before.
 */
ITEE_MUST_CHECK enum itee_err stf_get(const struct stf *stf, const struct stf_state *st,
                                      const uint8_t *getter, size_t len, struct itee_buf *out);

/* For handlers: appends a log line (cut at STF_LOG_LINE_MAX). Returns: ITEE_OK or NOMEM. */
ITEE_MUST_CHECK enum itee_err stf_log(struct stf_call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* For handlers: appends an effect. Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err stf_effect_push(struct stf_call *c, const struct stf_effect *fx);

/*
 * For handlers: moves amount of free balance from one account to another (no fee; from == to
 * is a no-op). Returns: ITEE_OK, ITEE_ERR_STF_FUNDS, ITEE_ERR_STF_OVERFLOW, ITEE_ERR_STF_STATE,
 * ITEE_ERR_NOMEM. Nothing changes on failure.
 */
ITEE_MUST_CHECK enum itee_err stf_transfer(struct stf_state *st,
                                           const uint8_t from[TRUSTED_OP_ACCOUNT_LEN],
                                           const uint8_t to[TRUSTED_OP_ACCOUNT_LEN],
                                           itee_u128 amount);

/* For handlers: sets an account's provider count from its balance (1 if it holds any). */
void stf_account_settle(struct stf_account *a);

#endif
