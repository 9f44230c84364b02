/*
 * rt_metadata.h - the metadata of the runtime in src/node/runtime (V14 and V15, built with
 * chain/metadata.h): exactly the pallets, calls, events, errors, storage items and constants
 * the runtime implements, with the solo node's pallet names and indices
 * (parentchain-pallets 1, 11), the signed extensions of chain/extrinsic.h (with
 * CheckMetadataHash last) and, for V15, the runtime APIs rt_api_call answers.
 *
 * Pallets (index): System 0, Timestamp 3, Sudo 5, Proxy 7, Utility 9, Balances 10,
 * TransactionPayment 11, Aura 23 and Grandpa 24 (storage and constants only), Teerex 50,
 * Teeracle 52, Sidechain 53, EnclaveBridge 54 - the pallets rt_exec routes plus the consensus
 * storage the genesis writes. Treasury (30) is only an account here, so it is not listed.
 *
 * Calls the router refuses outright (Proxy pure proxies and announcements, Utility
 * dispatch_as) are not listed, so clients cannot build them; calls that decode but always
 * fail (System.set_code ...) are listed with the DispatchError they give.
 *
 * Building takes a few milliseconds; the node builds once and caches the builder (and the
 * encodings) for the life of the process.
 */
#ifndef ITEE_RT_METADATA_H
#define ITEE_RT_METADATA_H

#include <stdint.h>

#include "chain/metadata.h"
#include "common/bytes.h"
#include "common/err.h"

/* Path prefix of the outer types (RuntimeCall, RuntimeEvent, RuntimeError, Runtime). */
#define RT_METADATA_RUNTIME_CRATE "integritee_node_runtime"

/* Builds the runtime's metadata into a new builder. Out: *out (NULL on failure). */
ITEE_MUST_CHECK enum itee_err rt_metadata_build(struct metadata_builder **out);

/* Convenience encoders over a built builder (see chain/metadata.h for the formats). */
/* state_getMetadata: the V14 RuntimeMetadataPrefixed blob. */
ITEE_MUST_CHECK enum itee_err rt_metadata_v14(const struct metadata_builder *b,
                                              struct itee_buf *out);
/* Metadata_metadata_at_version(version): Option<OpaqueMetadata>. */
ITEE_MUST_CHECK enum itee_err rt_metadata_at_version(const struct metadata_builder *b,
                                                     uint32_t version, struct itee_buf *out);
/* Metadata_metadata_versions: Vec<u32>. */
ITEE_MUST_CHECK enum itee_err rt_metadata_versions(const struct metadata_builder *b,
                                                   struct itee_buf *out);

#endif
