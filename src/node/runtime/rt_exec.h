/*
 * rt_exec.h - the runtime's executive: the call router (RuntimeCall = pallet index u8 || call
 * index u8 || arguments, dispatched by pallet index), the application of signed and inherent
 * extrinsics (fee withdraw -> dispatch -> fee settlement -> ExtrinsicSuccess/Failed), and
 * block initialisation / finalisation. Mirrors frame_executive + frame_system of
 * polkadot-sdk stable2503 as used by integritee-node v1.18.8 (spec parentchain-pallets §11).
 *
 * What the extrinsic-applying code (block builder / import) calls, per block:
 *   rt_ctx_init; rt_exec_block_initialize;
 *   for the timestamp inherent: rt_exec_apply_inherent (origin None);
 *   for each signed extrinsic, AFTER checking version, signature, era, spec/tx version and
 *   genesis (those are the caller's job, they need the chain types):
 *       rt_exec_apply_signed (nonce check+increment, fee+tip withdraw, dispatch in a
 *       transactional layer, refund / 1 %-treasury / 99 %-burn, events); a result with
 *       validity != RT_VALID means "do not include"; the state is left untouched then;
 *   rt_exec_block_finalize (writes System.Events etc.); rt_state_commit; trie root.
 * The transaction pool calls rt_exec_validate_signed (same checks, state untouched).
 *
 * Pallets implement one rt_pallet_dispatch_fn each. In dry mode (exec false) a pallet only
 * decodes the arguments (consuming exactly them) and fills the DispatchInfo; in exec mode it
 * also runs the call and fills the PostDispatchInfo. Nested calls (sudo, utility, proxy) go
 * through rt_exec_call again. Adding a pallet = one row in the table in rt_exec.c.
 */
#ifndef ITEE_RT_EXEC_H
#define ITEE_RT_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/err.h"
#include "common/int128.h"
#include "node/runtime/rt_check_weight.h"
#include "node/runtime/rt_ctx.h"

/* construct_runtime! indices of the solo node (parentchain-pallets §11). */
enum rt_pallet_index {
    RT_PALLET_SYSTEM = 0,
    RT_PALLET_PREIMAGE = 1,
    RT_PALLET_RANDOMNESS = 2,
    RT_PALLET_TIMESTAMP = 3,
    RT_PALLET_SUDO = 5,
    RT_PALLET_MULTISIG = 6,
    RT_PALLET_PROXY = 7,
    RT_PALLET_SCHEDULER = 8,
    RT_PALLET_UTILITY = 9,
    RT_PALLET_BALANCES = 10,
    RT_PALLET_TRANSACTION_PAYMENT = 11,
    RT_PALLET_VESTING = 12,
    RT_PALLET_AURA = 23,
    RT_PALLET_GRANDPA = 24,
    RT_PALLET_TREASURY = 30,
    RT_PALLET_TEEREX = 50,
    RT_PALLET_CLAIMS = 51,
    RT_PALLET_TEERACLE = 52,
    RT_PALLET_SIDECHAIN = 53,
    RT_PALLET_ENCLAVE_BRIDGE = 54,
    RT_PALLET_TEERDAYS = 55,
};

/* Deepest call nesting accepted (FRAME decodes calls with MAX_EXTRINSIC_DEPTH 256). */
#define RT_EXEC_MAX_CALL_DEPTH 256

/* frame_support ExtrinsicBaseWeight (125 µs, frame_support default constants). */
#define RT_EXEC_EXTRINSIC_BASE_WEIGHT RT_CHECK_WEIGHT_BASE_EXTRINSIC
/* frame_system BlockHashCount of the solo node. */
#define RT_EXEC_BLOCK_HASH_COUNT 2400u

/*
 * A pallet's dispatcher. args is positioned after the call index. Returns ITEE_OK when the
 * arguments decoded (the call's own success or DispatchError is in post), a SCALE error when
 * they did not (the extrinsic is then invalid: InvalidTransaction::Call), ITEE_ERR_UNSUPPORTED
 * for a call this implementation refuses to run, or a fatal error (NOMEM, trie).
 */
typedef enum itee_err (*rt_pallet_dispatch_fn)(struct rt_ctx *ctx, const struct rt_origin *origin,
                                               uint8_t call_index, struct scale_reader *args,
                                               bool exec, struct rt_info *info,
                                               struct rt_post *post);

/*
 * Decodes one RuntimeCall from r (consuming it) and, when exec, dispatches it with origin in its
 * own transactional layer (rolled back when the call fails). Applies the origin's call filter
 * (frame_system::Error::CallFiltered). Out: info, post (post only meaningful when exec).
 */
ITEE_MUST_CHECK enum itee_err rt_exec_call(struct rt_ctx *ctx, const struct rt_origin *origin,
                                           struct scale_reader *r, bool exec, struct rt_info *info,
                                           struct rt_post *post);
/* Decodes a whole call (all of call[0..len]) and returns its DispatchInfo. */
ITEE_MUST_CHECK enum itee_err rt_exec_call_info(struct rt_ctx *ctx, const uint8_t *call, size_t len,
                                                struct rt_info *info);

/* sp_runtime InvalidTransaction indices (TransactionValidityError::Invalid(..)). */
enum rt_validity {
    RT_VALID = -1,
    RT_INVALID_CALL = 0,
    RT_INVALID_PAYMENT = 1,
    RT_INVALID_FUTURE = 2,
    RT_INVALID_STALE = 3,
    RT_INVALID_BAD_PROOF = 4,
    RT_INVALID_ANCIENT_BIRTH_BLOCK = 5,
    RT_INVALID_EXHAUSTS_RESOURCES = 6,
    RT_INVALID_BAD_MANDATORY = 8,
    RT_INVALID_MANDATORY_VALIDATION = 9,
    RT_INVALID_BAD_SIGNER = 10,
};

/* Result of applying an extrinsic. */
struct rt_apply_result {
    enum rt_validity validity; /* RT_VALID, or why the extrinsic is not includable */
    bool ok;                   /* dispatch outcome (only when valid) */
    struct rt_derr err;        /* DispatchError when !ok */
    struct rt_info info;       /* declared DispatchInfo */
    itee_u128 fee;             /* fee + tip withdrawn before dispatch */
    itee_u128 actual_fee;      /* fee + tip finally paid */
};

/*
 * Applies a signed extrinsic whose signature, era, versions and genesis the caller verified.
 * who: signer account; nonce, tip: from the signed extensions; call: the RuntimeCall bytes;
 * encoded_len: length of the whole encoded extrinsic (length fee). Events go to ctx with
 * phase ApplyExtrinsic(ctx->ext_index), which is then incremented (only if valid).
 */
ITEE_MUST_CHECK enum itee_err rt_exec_apply_signed(struct rt_ctx *ctx,
                                                   const uint8_t who[RT_ACCOUNT_LEN],
                                                   uint32_t nonce, itee_u128 tip,
                                                   const uint8_t *call, size_t call_len,
                                                   size_t encoded_len, struct rt_apply_result *res);
/* Same checks as rt_exec_apply_signed (nonce: Stale/Future; Payment), without effects. */
ITEE_MUST_CHECK enum itee_err
rt_exec_validate_signed(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN], uint32_t nonce,
                        itee_u128 tip, const uint8_t *call, size_t call_len, size_t encoded_len,
                        struct rt_apply_result *res);
/* Applies an unsigned inherent (origin None, class Mandatory, no fee), e.g. Timestamp.set. */
ITEE_MUST_CHECK enum itee_err rt_exec_apply_inherent(struct rt_ctx *ctx, const uint8_t *call,
                                                     size_t call_len, struct rt_apply_result *res);

/*
 * frame_system::initialize + on_initialize hooks: Number, ParentHash, Digest (digest: SCALE
 * Digest bytes, may be empty = no logs), BlockHash(number-1), :extrinsic_index = 0, clears
 * Events/EventCount/BlockWeight; Aura.CurrentSlot = slot.
 */
ITEE_MUST_CHECK enum itee_err rt_exec_block_initialize(struct rt_ctx *ctx, const uint8_t *digest,
                                                       size_t digest_len, uint64_t slot);
/*
 * on_finalize hooks + frame_system::finalize: requires the timestamp inherent to have run
 * (ITEE_ERR_ARG otherwise, as FRAME panics), prunes BlockHash(number - 2401), writes
 * System.Events / EventCount, removes :extrinsic_index and transient items.
 */
ITEE_MUST_CHECK enum itee_err rt_exec_block_finalize(struct rt_ctx *ctx);

#endif
