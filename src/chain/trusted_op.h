/*
 * trusted_op.h - the worker's trusted-operation wire types, SDK v0.13.0 ("era B"), shared by
 * the enclave (STF, trusted RPC) and integritee-cli. Layouts: spec/worker-protocol.md §3.1, §4.
 *
 *   TrustedOperation   enum: 0 indirect_call(TrustedCallSigned), 1 direct_call(..), 2 get(Getter)
 *   TrustedCallSigned  struct: call TrustedCall, nonce u32, signature MultiSignature (no delegate)
 *   TrustedCall        enum (era B): 0 noop(who), 1 balance_set_balance(root, who, free, reserved),
 *                      2 balance_transfer(from, to, amount), 3 balance_unshield(from, beneficiary,
 *                      amount, shard), 4 balance_shield(enclave, who, amount, ParentchainId),
 *                      5 timestamp_set(enclave, Moment u64, ParentchainId)
 *   Getter             enum: 0 public(PublicGetter), 1 trusted(TrustedGetterSigned{getter, sig})
 *   PublicGetter       enum: 0 some_value
 *   TrustedGetter      enum: 0 free_balance(who), 1 reserved_balance(who), 2 nonce(who)
 *   Request            struct: shard H256, cyphertext Vec<u8>
 *   RpcReturnValue     struct: value Vec<u8>, do_watch bool, status DirectRequestStatus
 *
 * Decoding is zero-copy: a decoded call or getter is a view (struct itee_slice) of its SCALE
 * bytes inside the input, so the input must outlive the decoded value. Decoders are strict:
 * unknown variants (ITEE_ERR_SCALE_VARIANT), truncation, oversized lengths and (for the
 * *_decode functions, which take a whole value) trailing bytes are refused.
 *
 * How long a call's or getter's arguments are depends on which variants exist. The built-in
 * era-B variants are known here; the STF engine, which lets modules add variants, passes a
 * struct trusted_op_schema describing its own. Every variant's first argument is an
 * AccountId: the sender whose signature is checked (call.sender_account() in the original).
 *
 * Signing (SDK v0.13.0): a call's signature covers SCALE(call) || nonce (u32 LE) || mrenclave ||
 * shard; a trusted getter's covers SCALE(getter). No "<Bytes>" wrapping (that is era C).
 */
#ifndef ITEE_TRUSTED_OP_H
#define ITEE_TRUSTED_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "keys/pair.h"

#define TRUSTED_OP_ACCOUNT_LEN 32 /* AccountId32 */
#define TRUSTED_OP_HASH_LEN    32 /* H256: shard, mrenclave, TOP hash, block hash */
#define TRUSTED_OP_SIG_MAX     65 /* largest MultiSignature payload (ecdsa) */

/* TrustedOperation variants. */
enum trusted_op_kind {
    TRUSTED_OP_INDIRECT_CALL = 0, /* sent inside an L1 EnclaveBridge::invoke */
    TRUSTED_OP_DIRECT_CALL = 1,   /* sent to the worker's trusted RPC */
    TRUSTED_OP_GET = 2            /* a getter (refused by the call pool) */
};

/* TrustedCall variants of SDK v0.13.0. */
enum trusted_op_call_index {
    TRUSTED_OP_CALL_NOOP = 0,
    TRUSTED_OP_CALL_SET_BALANCE = 1,
    TRUSTED_OP_CALL_TRANSFER = 2,
    TRUSTED_OP_CALL_UNSHIELD = 3,
    TRUSTED_OP_CALL_SHIELD = 4,
    TRUSTED_OP_CALL_TIMESTAMP_SET = 5
};

/* Getter variants, PublicGetter and TrustedGetter variants of SDK v0.13.0. */
enum trusted_op_getter_kind { TRUSTED_OP_GETTER_PUBLIC = 0, TRUSTED_OP_GETTER_TRUSTED = 1 };
enum trusted_op_public_getter { TRUSTED_OP_PUBLIC_SOME_VALUE = 0 };
enum trusted_op_trusted_getter {
    TRUSTED_OP_TRUSTED_FREE_BALANCE = 0,
    TRUSTED_OP_TRUSTED_RESERVED_BALANCE = 1,
    TRUSTED_OP_TRUSTED_NONCE = 2
};

/* ParentchainId. */
enum trusted_op_parentchain {
    TRUSTED_OP_PARENTCHAIN_INTEGRITEE = 0,
    TRUSTED_OP_PARENTCHAIN_TARGET_A = 1,
    TRUSTED_OP_PARENTCHAIN_TARGET_B = 2
};

/* DirectRequestStatus and TrustedOperationStatus (§3.1). */
enum trusted_op_status {
    TRUSTED_OP_STATUS_OK = 0,
    TRUSTED_OP_STATUS_TOS = 1,
    TRUSTED_OP_STATUS_ERROR = 2
};
enum trusted_op_tos {
    TRUSTED_OP_TOS_SUBMITTED = 0,
    TRUSTED_OP_TOS_FUTURE = 1,
    TRUSTED_OP_TOS_READY = 2,
    TRUSTED_OP_TOS_BROADCAST = 3,
    TRUSTED_OP_TOS_IN_SIDECHAIN_BLOCK = 4, /* carries the sidechain block hash */
    TRUSTED_OP_TOS_RETRACTED = 5,
    TRUSTED_OP_TOS_FINALITY_TIMEOUT = 6,
    TRUSTED_OP_TOS_FINALIZED = 7,
    TRUSTED_OP_TOS_USURPED = 8,
    TRUSTED_OP_TOS_DROPPED = 9,
    TRUSTED_OP_TOS_INVALID = 10
};

/* A MultiSignature. */
struct trusted_op_sig {
    enum keys_scheme scheme;           /* variant: 0 Ed25519, 1 Sr25519, 2 Ecdsa */
    uint8_t bytes[TRUSTED_OP_SIG_MAX]; /* 64 bytes (65 for ecdsa) in use */
};

/* TrustedCallSigned (era B). */
struct trusted_op_call_signed {
    struct itee_slice call;    /* SCALE(TrustedCall): variant byte then arguments (a view) */
    uint32_t nonce;            /* the sender's account nonce this call must match */
    struct trusted_op_sig sig; /* over trusted_op_signing_payload */
};

/* Getter. */
struct trusted_op_getter {
    enum trusted_op_getter_kind kind; /* public or trusted */
    struct itee_slice getter;         /* SCALE(PublicGetter) or SCALE(TrustedGetter) (a view) */
    struct trusted_op_sig sig;        /* trusted only: signature over the getter bytes */
};

/* TrustedOperation. */
struct trusted_op {
    enum trusted_op_kind kind;          /* which member is live */
    struct trusted_op_call_signed call; /* indirect_call / direct_call */
    struct trusted_op_getter getter;    /* get */
};

/* A built-in TrustedCall with its arguments decoded (fields unused by a variant are zero). */
struct trusted_op_call {
    enum trusted_op_call_index index;        /* variant */
    uint8_t sender[TRUSTED_OP_ACCOUNT_LEN];  /* first arg: who / root / from / enclave account */
    uint8_t other[TRUSTED_OP_ACCOUNT_LEN];   /* second account: set_balance who, transfer to,
                                                unshield beneficiary, shield who */
    itee_u128 amount;                        /* free (set_balance) or amount */
    itee_u128 reserved;                      /* set_balance reserved */
    uint8_t shard[TRUSTED_OP_HASH_LEN];      /* unshield shard */
    uint64_t moment;                         /* timestamp_set Moment (ms) */
    enum trusted_op_parentchain parentchain; /* shield / timestamp_set */
};

/* Request {shard, cyphertext}. */
struct trusted_op_request {
    uint8_t shard[TRUSTED_OP_HASH_LEN]; /* target shard */
    struct itee_slice cyphertext;       /* RSA(SCALE(TrustedOperation)) or SCALE(Getter) (a view) */
};

/* RpcReturnValue. */
struct trusted_op_rpc_return {
    struct itee_slice value;                 /* payload bytes (a view) */
    bool do_watch;                           /* more updates will follow */
    enum trusted_op_status status;           /* DirectRequestStatus variant */
    enum trusted_op_tos tos;                 /* when status is TOS */
    uint8_t block_hash[TRUSTED_OP_HASH_LEN]; /* when tos is InSidechainBlock */
};

/*
 * Consumes the arguments of variant index from r (strictly), leaving r after them.
 * Returns: ITEE_OK, ITEE_ERR_SCALE_VARIANT for an unknown index, or a SCALE error.
 */
typedef enum itee_err (*trusted_op_args_fn)(void *ctx, uint8_t index, struct scale_reader *r);

/* Which variants exist and how long their arguments are (NULL = built-in era B). */
struct trusted_op_schema {
    trusted_op_args_fn call_args;           /* TrustedCall variants */
    trusted_op_args_fn public_getter_args;  /* PublicGetter variants */
    trusted_op_args_fn trusted_getter_args; /* TrustedGetter variants */
    void *ctx;                              /* passed to the three functions */
};

/* The built-in era-B argument readers (usable as members of a schema). */
enum itee_err trusted_op_builtin_call_args(void *ctx, uint8_t index, struct scale_reader *r);
enum itee_err trusted_op_builtin_public_getter_args(void *ctx, uint8_t index,
                                                    struct scale_reader *r);
enum itee_err trusted_op_builtin_trusted_getter_args(void *ctx, uint8_t index,
                                                     struct scale_reader *r);

/* MultiSignature. Returns: ITEE_OK, a SCALE error or ITEE_ERR_SCALE_VARIANT. */
ITEE_MUST_CHECK enum itee_err trusted_op_sig_read(struct scale_reader *r,
                                                  struct trusted_op_sig *out);
ITEE_MUST_CHECK enum itee_err trusted_op_sig_put(struct itee_buf *b,
                                                 const struct trusted_op_sig *sig);
/* Returns: the signature's length (64, or 65 for ecdsa). */
size_t trusted_op_sig_len(const struct trusted_op_sig *sig);

/*
 * Reads one TrustedCall / TrustedCallSigned / Getter / TrustedOperation from r (schema NULL =
 * built-in). Out: views into r's input; zeroed on failure (r then unchanged).
 * Returns: ITEE_OK or a SCALE error.
 */
ITEE_MUST_CHECK enum itee_err trusted_op_call_read(struct scale_reader *r,
                                                   const struct trusted_op_schema *schema,
                                                   struct itee_slice *out);
ITEE_MUST_CHECK enum itee_err trusted_op_call_signed_read(struct scale_reader *r,
                                                          const struct trusted_op_schema *schema,
                                                          struct trusted_op_call_signed *out);
ITEE_MUST_CHECK enum itee_err trusted_op_getter_read(struct scale_reader *r,
                                                     const struct trusted_op_schema *schema,
                                                     struct trusted_op_getter *out);
ITEE_MUST_CHECK enum itee_err trusted_op_read(struct scale_reader *r,
                                              const struct trusted_op_schema *schema,
                                              struct trusted_op *out);

/* As the _read functions over a whole input; trailing bytes give ITEE_ERR_SCALE_TRAILING. */
ITEE_MUST_CHECK enum itee_err trusted_op_call_signed_decode(struct trusted_op_call_signed *out,
                                                            const struct trusted_op_schema *schema,
                                                            const uint8_t *in, size_t len);
ITEE_MUST_CHECK enum itee_err trusted_op_getter_decode(struct trusted_op_getter *out,
                                                       const struct trusted_op_schema *schema,
                                                       const uint8_t *in, size_t len);
ITEE_MUST_CHECK enum itee_err trusted_op_decode(struct trusted_op *out,
                                                const struct trusted_op_schema *schema,
                                                const uint8_t *in, size_t len);

/* Encoders: append the SCALE form. Returns: ITEE_OK, ITEE_ERR_ARG or an itee_buf error. */
ITEE_MUST_CHECK enum itee_err trusted_op_call_signed_put(struct itee_buf *b,
                                                         const struct trusted_op_call_signed *cs);
ITEE_MUST_CHECK enum itee_err trusted_op_getter_put(struct itee_buf *b,
                                                    const struct trusted_op_getter *g);
ITEE_MUST_CHECK enum itee_err trusted_op_put(struct itee_buf *b, const struct trusted_op *op);

/*
 * The TOP hash: blake2_256(SCALE(TrustedOperation)), hashed as it is encoded (no copy).
 * Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err trusted_op_hash(uint8_t out[TRUSTED_OP_HASH_LEN],
                                              const struct trusted_op *op);

/*
 * The sender of a call or trusted getter: its first argument (32 bytes after the variant byte).
 * Returns: ITEE_OK or ITEE_ERR_ARG (the value is shorter than that).
 */
ITEE_MUST_CHECK enum itee_err trusted_op_sender(uint8_t out[TRUSTED_OP_ACCOUNT_LEN],
                                                struct itee_slice value);

/* Appends SCALE(call) || nonce LE || mrenclave || shard. Returns: ITEE_OK or a buffer error. */
ITEE_MUST_CHECK enum itee_err
trusted_op_signing_payload(struct itee_buf *b, struct itee_slice call, uint32_t nonce,
                           const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
                           const uint8_t shard[TRUSTED_OP_HASH_LEN]);

/*
 * Signs a call with pair (sr25519 randomised, ed25519 deterministic, ecdsa over blake2_256).
 * The pair's account should be the call's sender, else verification will fail.
 * Returns: ITEE_OK, ITEE_ERR_NOMEM or a crypto error. Out: *sig (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err trusted_op_call_sign(struct trusted_op_sig *sig,
                                                   const struct keys_pair *pair,
                                                   struct itee_slice call, uint32_t nonce,
                                                   const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
                                                   const uint8_t shard[TRUSTED_OP_HASH_LEN]);
/*
 * Verifies cs's signature by its sender for the given mrenclave and shard.
 * Returns: ITEE_OK, ITEE_ERR_BAD_SIG, ITEE_ERR_ARG or ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err trusted_op_call_verify(const struct trusted_op_call_signed *cs,
                                                     const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
                                                     const uint8_t shard[TRUSTED_OP_HASH_LEN]);
/* Signs / verifies a trusted getter (signature over SCALE(TrustedGetter)); as above. */
ITEE_MUST_CHECK enum itee_err trusted_op_getter_sign(struct trusted_op_sig *sig,
                                                     const struct keys_pair *pair,
                                                     struct itee_slice getter);
ITEE_MUST_CHECK enum itee_err trusted_op_getter_verify(const struct trusted_op_getter *g);

/*
 * Built-in TrustedCall with decoded arguments: decode a whole SCALE(TrustedCall) (strict) and
 * encode one. Returns: ITEE_OK, a SCALE error, ITEE_ERR_ARG or a buffer error.
 */
ITEE_MUST_CHECK enum itee_err trusted_op_call_decode(struct trusted_op_call *out,
                                                     struct itee_slice in);
ITEE_MUST_CHECK enum itee_err trusted_op_call_put(struct itee_buf *b,
                                                  const struct trusted_op_call *call);
/* Appends SCALE(TrustedGetter) of a built-in variant (all take one AccountId). */
ITEE_MUST_CHECK enum itee_err
trusted_op_trusted_getter_put(struct itee_buf *b, enum trusted_op_trusted_getter index,
                              const uint8_t who[TRUSTED_OP_ACCOUNT_LEN]);

/* Request: strict decode of a whole input (cyphertext is a view) and encode. */
ITEE_MUST_CHECK enum itee_err trusted_op_request_decode(struct trusted_op_request *out,
                                                        const uint8_t *in, size_t len);
ITEE_MUST_CHECK enum itee_err trusted_op_request_put(struct itee_buf *b,
                                                     const struct trusted_op_request *req);

/* RpcReturnValue: strict decode of a whole input (value is a view) and encode. */
ITEE_MUST_CHECK enum itee_err trusted_op_rpc_return_decode(struct trusted_op_rpc_return *out,
                                                           const uint8_t *in, size_t len);
ITEE_MUST_CHECK enum itee_err trusted_op_rpc_return_put(struct itee_buf *b,
                                                        const struct trusted_op_rpc_return *rv);

#endif
