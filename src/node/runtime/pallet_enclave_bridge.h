/*
 * pallet_enclave_bridge.h - pallet-enclave-bridge (runtime index 54): the L1<->L2 bridge —
 * indirect invocation, parentchain-block confirmations, shielding into / unshielding out of a
 * shard's bonding account, published hashes and per-shard enclave configuration
 * (spec parentchain-pallets §4).
 *
 * Calls (signed unless noted, Normal):
 *   0 invoke(request: Request{shard: H256, cyphertext: Vec<u8>})            anyone, no checks
 *   1 confirm_processed_parentchain_block(shard: H256, block_hash: H256, block_number: u32,
 *                                         trusted_calls_merkle_root: H256)  authorise & touch
 *   2 shield_funds(shard: H256, incognito_account_encrypted: Vec<u8>, amount: u128)
 *        anyone; transfers amount sender -> bonding account (= the 32 shard bytes as AccountId),
 *        AllowDeath (Balances errors such as Token(FundsUnavailable) pass through)
 *   3 unshield_funds(shard: H256, beneficiary: AccountId, amount: u128, call_hash: H256)
 *        authorise & touch; first time for call_hash: transfer bonding -> beneficiary +
 *        event; always ExecutedUnshieldCalls[call_hash] += 1
 *   4 publish_hash(hash: H256, extra_topics: Vec<H256>, data: Vec<u8>)
 *        sender must be a sovereign enclave; touches shard = its fingerprint
 *   5 update_shard_config(shard: H256, shard_config: ShardConfig<AccountId>,
 *                         enactment_delay: u32)                             signed or Root
 *   6 purge_enclave_from_shard_status(shard: H256, subject: AccountId)     Root, Pays::No
 * (amounts are plain u128, not Compact.)
 *
 * Events (pallet 54):
 *   0 IndirectInvocationRegistered(H256 shard)
 *   1 ShieldFunds{shard: H256, encrypted_beneficiary: Vec<u8>, amount: u128}
 *   2 UnshieldedFunds{shard: H256, beneficiary: AccountId, amount: u128}
 *   3 ProcessedParentchainBlock{shard: H256, block_hash: H256, trusted_calls_merkle_root: H256,
 *                               block_number: u32}
 *   4 PublishedHash{enclave_fingerprint: H256, hash: H256, data: Vec<u8>}
 *      with topics = extra_topics ++ [fingerprint] (EventRecord.topics, System.EventTopics)
 *   5 ShardConfigUpdated(H256 shard)
 *   6 PurgedEnclaveFromShardConfig{shard: H256, subject: AccountId}
 * Errors: 0 WrongFingerprintForShard, 1 TooManyTopics, 2 DataTooLong, 3 TooManyEnclaves,
 *   4 EnclaveNotFoundInShardStatus (unused), 5 ShardNotFound. Teerex's EnclaveIsNotRegistered
 *   (Module{50, 5}) when the sender is not a sovereign enclave.
 *
 * Storage (prefix "EnclaveBridge"):
 *   ShardStatus: map Blake2_128Concat(H256 shard)
 *       -> BoundedVec<ShardSignerStatus{signer: AccountId, fingerprint: H256,
 *          last_activity: u32}, 10>                                         (OptionQuery)
 *   ShardConfigRegistry: map Blake2_128Concat(H256 shard)
 *       -> UpgradableShardConfig{active_config: ShardConfig, pending_upgrade: Option<ShardConfig>,
 *          upgrade_at: Option<u32>}                                          (OptionQuery)
 *   ExecutedUnshieldCalls: map Blake2_128Concat(H256 call_hash) -> u64      (ValueQuery, 0)
 *   ShardConfig<AccountId> { enclave_fingerprint: H256, max_instances: Option<u32>,
 *       authorities: Option<Vec<AccountId>>, maintenance_mode: bool }
 * Limits: publish_hash topics <= 5, data <= 100 bytes; at most 10 signers per shard.
 */
#ifndef ITEE_PALLET_ENCLAVE_BRIDGE_H
#define ITEE_PALLET_ENCLAVE_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_ENCLAVE_BRIDGE_MAX_TOPICS   5u
#define PALLET_ENCLAVE_BRIDGE_MAX_DATA_LEN 100u
#define PALLET_ENCLAVE_BRIDGE_MAX_SIGNERS  10u
/* Encoded ShardSignerStatus: signer 32 || fingerprint 32 || last_activity u32. */
#define PALLET_ENCLAVE_BRIDGE_SIGNER_STATUS_LEN 68u

enum pallet_enclave_bridge_call {
    PALLET_ENCLAVE_BRIDGE_CALL_INVOKE = 0,
    PALLET_ENCLAVE_BRIDGE_CALL_CONFIRM_PROCESSED_PARENTCHAIN_BLOCK = 1,
    PALLET_ENCLAVE_BRIDGE_CALL_SHIELD_FUNDS = 2,
    PALLET_ENCLAVE_BRIDGE_CALL_UNSHIELD_FUNDS = 3,
    PALLET_ENCLAVE_BRIDGE_CALL_PUBLISH_HASH = 4,
    PALLET_ENCLAVE_BRIDGE_CALL_UPDATE_SHARD_CONFIG = 5,
    PALLET_ENCLAVE_BRIDGE_CALL_PURGE_ENCLAVE_FROM_SHARD_STATUS = 6,
};

enum pallet_enclave_bridge_event {
    PALLET_ENCLAVE_BRIDGE_EV_INDIRECT_INVOCATION_REGISTERED = 0,
    PALLET_ENCLAVE_BRIDGE_EV_SHIELD_FUNDS = 1,
    PALLET_ENCLAVE_BRIDGE_EV_UNSHIELDED_FUNDS = 2,
    PALLET_ENCLAVE_BRIDGE_EV_PROCESSED_PARENTCHAIN_BLOCK = 3,
    PALLET_ENCLAVE_BRIDGE_EV_PUBLISHED_HASH = 4,
    PALLET_ENCLAVE_BRIDGE_EV_SHARD_CONFIG_UPDATED = 5,
    PALLET_ENCLAVE_BRIDGE_EV_PURGED_ENCLAVE_FROM_SHARD_CONFIG = 6,
};

enum pallet_enclave_bridge_error {
    PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD = 0,
    PALLET_ENCLAVE_BRIDGE_ERR_TOO_MANY_TOPICS = 1,
    PALLET_ENCLAVE_BRIDGE_ERR_DATA_TOO_LONG = 2,
    PALLET_ENCLAVE_BRIDGE_ERR_TOO_MANY_ENCLAVES = 3,
    PALLET_ENCLAVE_BRIDGE_ERR_ENCLAVE_NOT_FOUND_IN_SHARD_STATUS = 4,
    PALLET_ENCLAVE_BRIDGE_ERR_SHARD_NOT_FOUND = 5,
};

/*
 * ensure_sovereign_enclave_authorized_for_shard_and_touch: sender must be a sovereign enclave
 * (teerex EnclaveIsNotRegistered) whose fingerprint equals the shard's effective config
 * fingerprint (default: the shard id), applying a due pending upgrade persistently
 * (WrongFingerprintForShard); then ShardStatus[shard] gets {sender, fingerprint, now} (replace
 * or append; TooManyEnclaves past 10). Failures go to post. Out: primary = signer of entry 0
 * of the updated status (only meaningful when post->ok).
 */
ITEE_MUST_CHECK enum itee_err
pallet_enclave_bridge_authorize_and_touch(struct rt_ctx *ctx, const uint8_t sender[RT_ACCOUNT_LEN],
                                          const uint8_t shard[32], uint8_t primary[RT_ACCOUNT_LEN],
                                          struct rt_post *post);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err
pallet_enclave_bridge_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                               uint8_t call_index, struct scale_reader *args, bool exec,
                               struct rt_info *info, struct rt_post *post);

#endif
