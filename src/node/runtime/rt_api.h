/*
 * rt_api.h - the runtime's version and its runtime APIs as served through state_call
 * (substrate-compat.md 9.2): Core_version, Metadata_*, AccountNonceApi, TransactionPaymentApi,
 * TaggedTransactionQueue_validate_transaction, AuraApi and GrandpaApi read-only methods.
 *
 * RuntimeVersion is the solo node's (parentchain-pallets 11): integritee-solo, spec 410,
 * tx version 8, system_version 0. The `apis` list names exactly the APIs rt_api_call answers,
 * so polkadot-js never asks for one it would have to fail.
 *
 * rt_api_call runs against a state view (struct rt_ctx whose state is the block the call is
 * made at): it never commits anything; validate_transaction works in a transactional layer
 * it rolls back.
 */
#ifndef ITEE_RT_API_H
#define ITEE_RT_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/extrinsic.h"
#include "chain/metadata.h"
#include "common/bytes.h"
#include "common/err.h"
#include "node/runtime/rt_ctx.h"
#include "node/runtime/rt_exec.h"

#define RT_API_SPEC_NAME           "integritee-solo"
#define RT_API_IMPL_NAME           "integritee-solo"
#define RT_API_AUTHORING_VERSION   1u
#define RT_API_SPEC_VERSION        410u
#define RT_API_IMPL_VERSION        1u
#define RT_API_TRANSACTION_VERSION 8u
#define RT_API_SYSTEM_VERSION      0u
/* Aura slot duration (ms) = 2 * Timestamp.MinimumPeriod. */
#define RT_API_SLOT_DURATION 6000u

/* One runtime API the runtime declares: trait name, blake2b-64 id of the name, version. */
struct rt_api_decl {
    const char *name; /* e.g. "Core" */
    uint8_t id[8];    /* blake2b (8-byte digest) of name */
    uint32_t version; /* the API version served */
};

/* Returns: the table of declared APIs (static), *n its length. */
const struct rt_api_decl *rt_api_decls(size_t *n);

/* Appends SCALE(RuntimeVersion) (the Core_version output and the System.Version constant). */
ITEE_MUST_CHECK enum itee_err rt_runtime_version_encode(struct itee_buf *out);
/*
 * The JSON of state_getRuntimeVersion / state_runtimeVersion: specName, implName,
 * authoringVersion, specVersion, implVersion, apis [["0x..", ver]], transactionVersion,
 * systemVersion, stateVersion. Returns: a new reference, or NULL when out of memory.
 */
json_t *rt_runtime_version_json(void);

/* What a state_call needs besides the state. */
struct rt_api_env {
    struct rt_ctx *ctx;                  /* state at the call's block; ctx->number = that block's
                                          * number + 1 (the block validate_transaction assumes) */
    const uint8_t *block_hash;           /* hash of the call's block (32 bytes): the parent of
                                          * ctx->number, for era birth at ctx->number - 1 */
    const struct metadata_builder *md;   /* the runtime metadata (rt_metadata_build) */
    const struct extrinsic_chain *chain; /* spec/tx version, genesis, CheckMetadataHash */
};

/* TransactionValidity outcome of rt_api_validate. */
struct rt_api_validity {
    bool ok;            /* Ok(ValidTransaction) */
    bool unknown;       /* !ok: Unknown(UnknownTransaction) instead of Invalid(..) */
    uint8_t error;      /* !ok: the InvalidTransaction (enum rt_validity) or
                         * UnknownTransaction index (0 CannotLookup, 1 NoUnsignedValidator) */
    uint64_t priority;  /* ok: priority */
    uint64_t longevity; /* ok: longevity in blocks */
    uint8_t signer[32]; /* ok: the sender (tags are (signer, nonce) SCALE) */
    uint32_t nonce;     /* ok: the extrinsic's nonce; provides (signer, nonce) */
    bool requires_prev; /* ok: requires (signer, nonce - 1) (a future nonce) */
};

/*
 * frame_executive::validate_transaction for the encoded extrinsic x (length prefix included):
 * era birth and versions (AncientBirthBlock / BadProof), signature (BadProof), nonce (Stale;
 * a future nonce is valid with requires), weight and length (ExhaustsResources), fee
 * (Payment); priority as pallet_transaction_payment::get_priority; longevity as
 * CheckMortality. Returns: ITEE_OK (outcome in *v), SCALE errors when x does not decode,
 * fatal errors.
 */
ITEE_MUST_CHECK enum itee_err rt_api_validate(const struct rt_api_env *env, const uint8_t *x,
                                              size_t len, struct rt_api_validity *v);
/* Appends SCALE(TransactionValidity) of v. */
ITEE_MUST_CHECK enum itee_err rt_api_validity_encode(const struct rt_api_validity *v,
                                                     struct itee_buf *out);

/* pallet_transaction_payment::get_priority (Normal/Mandatory: scaled tip; Operational adds
 * the virtual tip fee * OperationalFeeMultiplier). */
uint64_t rt_api_priority(const struct rt_info *info, size_t len, itee_u128 tip,
                         itee_u128 final_fee);

/*
 * Runs the runtime API method ("Core_version", ...) on SCALE params and appends its SCALE
 * output to out. Returns: ITEE_OK; ITEE_ERR_UNSUPPORTED for an unknown method (the RPC
 * answers "Exported method X is not found"); SCALE errors for params that do not decode
 * (exactly, no trailing bytes); fatal errors.
 */
ITEE_MUST_CHECK enum itee_err rt_api_call(const struct rt_api_env *env, const char *method,
                                          const uint8_t *params, size_t len, struct itee_buf *out);

#endif
