/*
 * pallet_sidechain.h - pallet-sidechain (runtime index 53): finality of sidechain blocks on
 * the parentchain (spec parentchain-pallets §5).
 *
 * Call 0 confirm_imported_sidechain_block(shard: H256,
 *          latest_finalized_ancestor: Option<SidechainBlockConfirmation>,
 *          finalization_candidate: SidechainBlockConfirmation)  — signed, Normal, Pays::Yes:
 *   1. enclave-bridge authorise & touch (teerex EnclaveIsNotRegistered Module{50,5},
 *      enclave-bridge WrongFingerprintForShard Module{54,0} / TooManyEnclaves Module{54,3});
 *   2. a sender that is not ShardStatus[shard][0].signer (the primary) -> Ok, nothing else
 *      (the touch persists, no event);
 *   3. with a stored confirmation: ancestor required (AncestorMissing), candidate number >
 *      stored (FinalizationCandidateIsOutdated), stored number == ancestor number
 *      (AncestorNumberMismatch), stored hash == ancestor hash (AncestorHashMismatch), in this
 *      order; without one the ancestor argument is ignored;
 *   4. store the candidate; event FinalizedSidechainBlock.
 * Event 0 FinalizedSidechainBlock{shard: H256, block_number: u64, block_header_hash: H256,
 *   validateer: AccountId}.
 * Errors: 0 FinalizationCandidateIsOutdated, 1 AncestorNumberMismatch, 2 AncestorHashMismatch,
 *   3 AncestorMissing.
 * Storage (prefix "Sidechain"): LatestSidechainBlockConfirmation: map Blake2_128Concat(H256
 *   shard) -> SidechainBlockConfirmation{block_number: u64, block_header_hash: H256}
 *   (OptionQuery).
 */
#ifndef ITEE_PALLET_SIDECHAIN_H
#define ITEE_PALLET_SIDECHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

enum pallet_sidechain_call { PALLET_SIDECHAIN_CALL_CONFIRM_IMPORTED_SIDECHAIN_BLOCK = 0 };
enum pallet_sidechain_event { PALLET_SIDECHAIN_EV_FINALIZED_SIDECHAIN_BLOCK = 0 };
enum pallet_sidechain_error {
    PALLET_SIDECHAIN_ERR_FINALIZATION_CANDIDATE_IS_OUTDATED = 0,
    PALLET_SIDECHAIN_ERR_ANCESTOR_NUMBER_MISMATCH = 1,
    PALLET_SIDECHAIN_ERR_ANCESTOR_HASH_MISMATCH = 2,
    PALLET_SIDECHAIN_ERR_ANCESTOR_MISSING = 3,
};

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_sidechain_dispatch(struct rt_ctx *ctx,
                                                        const struct rt_origin *origin,
                                                        uint8_t call_index,
                                                        struct scale_reader *args, bool exec,
                                                        struct rt_info *info, struct rt_post *post);

#endif
