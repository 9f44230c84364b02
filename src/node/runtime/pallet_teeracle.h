/*
 * pallet_teeracle.h - pallet-teeracle (runtime index 52): exchange rates and oracle blobs
 * published by registered enclaves whose MRENCLAVE is whitelisted per data source
 * (spec parentchain-pallets §6).
 *
 * "Strings" (DataSource, TradingPairString, OracleDataName) are common-primitives
 * `PalletString` = Vec<u8> in the on-chain (no_std) build: metadata type Vec<u8> (polkadot-js
 * shows it as Bytes / Text), SCALE compact length || bytes, no UTF-8 check.
 * ExchangeRate = U32F32 fixed point (substrate_fixed FixedU64<U32>, in metadata a composite
 * { bits: u64 }), SCALE = raw u64 bits LE (value * 2^32).
 *
 * Calls (Normal, Pays::Yes):
 *   0 add_to_whitelist(data_source: Vec<u8>, enclave_fingerprint: H256)            Root
 *   1 remove_from_whitelist(data_source: Vec<u8>, enclave_fingerprint: H256)       Root
 *   2 update_oracle(oracle_data_name: Vec<u8>, data_source: Vec<u8>,
 *                   new_blob: BoundedVec<u8, 4096>)                              signed
 *   3 update_exchange_rate(data_source: Vec<u8>, trading_pair: Vec<u8>,
 *                          new_value: Option<ExchangeRate>)                      signed
 * A new_blob longer than MaxOracleBlobLen fails to decode (BoundedVec), as in FRAME, so
 * OracleBlobTooBig is only reachable by non-extrinsic callers.
 * Events (pallet 52):
 *   0 ExchangeRateUpdated{data_source: Vec<u8>, trading_pair: Vec<u8>,
 *                         exchange_rate: ExchangeRate}
 *   1 ExchangeRateDeleted{data_source: Vec<u8>, trading_pair: Vec<u8>}
 *   2 OracleUpdated{oracle_data_name: Vec<u8>, data_source: Vec<u8>}
 *   3 AddedToWhitelist{data_source: Vec<u8>, enclave_fingerprint: H256}
 *   4 RemovedFromWhitelist{data_source: Vec<u8>, enclave_fingerprint: H256}
 * Errors: 0 FingerprintWhitelistOverflow, 1 FingerprintNotWhitelisted,
 *   2 FingerprintAlreadyWhitelisted, 3 TradingPairStringTooLong, 4 OracleDataNameStringTooLong,
 *   5 DataSourceStringTooLong, 6 OracleBlobTooBig; and teerex EnclaveIsNotRegistered
 *   (Module{50, 5}) for a sender that is not a sovereign enclave.
 * Storage (prefix "Teeracle"):
 *   ExchangeRates: double map Blake2_128Concat(Vec<u8> trading_pair), Blake2_128Concat(Vec<u8>
 *       data_source) -> ExchangeRate u64 (ValueQuery, 0)
 *   OracleData: double map Blake2_128Concat(Vec<u8> oracle_data_name), Blake2_128Concat(Vec<u8>
 *       data_source) -> BoundedVec<u8, 4096> (ValueQuery, empty)
 *   Whitelists: map Blake2_128Concat(Vec<u8> data_source)
 *       -> WeakBoundedVec<H256, 10> (ValueQuery, empty; an emptied list stays stored as 0x00)
 * Constants: MaxWhitelistedReleases: u32 = 10, MaxOracleBlobLen: u32 = 4096.
 */
#ifndef ITEE_PALLET_TEERACLE_H
#define ITEE_PALLET_TEERACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_TEERACLE_MAX_WHITELISTED_RELEASES 10u
#define PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN      4096u
#define PALLET_TEERACLE_MAX_TRADING_PAIR_LEN     11u
#define PALLET_TEERACLE_MAX_SOURCE_LEN           40u
#define PALLET_TEERACLE_MAX_ORACLE_NAME_LEN      40u

enum pallet_teeracle_call {
    PALLET_TEERACLE_CALL_ADD_TO_WHITELIST = 0,
    PALLET_TEERACLE_CALL_REMOVE_FROM_WHITELIST = 1,
    PALLET_TEERACLE_CALL_UPDATE_ORACLE = 2,
    PALLET_TEERACLE_CALL_UPDATE_EXCHANGE_RATE = 3,
};

enum pallet_teeracle_event {
    PALLET_TEERACLE_EV_EXCHANGE_RATE_UPDATED = 0,
    PALLET_TEERACLE_EV_EXCHANGE_RATE_DELETED = 1,
    PALLET_TEERACLE_EV_ORACLE_UPDATED = 2,
    PALLET_TEERACLE_EV_ADDED_TO_WHITELIST = 3,
    PALLET_TEERACLE_EV_REMOVED_FROM_WHITELIST = 4,
};

enum pallet_teeracle_error {
    PALLET_TEERACLE_ERR_FINGERPRINT_WHITELIST_OVERFLOW = 0,
    PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED = 1,
    PALLET_TEERACLE_ERR_FINGERPRINT_ALREADY_WHITELISTED = 2,
    PALLET_TEERACLE_ERR_TRADING_PAIR_STRING_TOO_LONG = 3,
    PALLET_TEERACLE_ERR_ORACLE_DATA_NAME_STRING_TOO_LONG = 4,
    PALLET_TEERACLE_ERR_DATA_SOURCE_STRING_TOO_LONG = 5,
    PALLET_TEERACLE_ERR_ORACLE_BLOB_TOO_BIG = 6,
};

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_teeracle_dispatch(struct rt_ctx *ctx,
                                                       const struct rt_origin *origin,
                                                       uint8_t call_index,
                                                       struct scale_reader *args, bool exec,
                                                       struct rt_info *info, struct rt_post *post);

#endif
