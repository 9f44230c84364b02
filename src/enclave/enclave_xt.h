/*
 * enclave_xt.h - parentchain extrinsics signed by the enclave's signer (its L1 account, the
 * ed25519 key sealed in ed25519_key_sealed.bin), from a request the host encodes.
 *
 * The host knows the chain (runtime versions, genesis, the account's nonce, the current block
 * for a mortal era); the enclave only signs. Request, SCALE (docs/enclave.md):
 *   spec_version u32 | tx_version u32 | genesis_hash [u8;32] | check_metadata_hash bool |
 *   metadata_hash Option<[u8;32]> | era Era | era_hash [u8;32] (birth block hash; genesis for
 *   immortal) | nonce u32 | tip Compact<u128> | metadata_mode u8 (0|1) | submit bool |
 *   call Vec<u8> (at least ENCLAVE_XT_MIN_CALL bytes: pallet index, call index, arguments)
 * The request is host input: decoded strictly (no trailing bytes, bounded lengths).
 */
#ifndef ITEE_ENCLAVE_XT_H
#define ITEE_ENCLAVE_XT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/extrinsic.h"
#include "common/bytes.h"
#include "common/err.h"
#include "crypto/ed25519.h"

#define ENCLAVE_XT_MIN_CALL 2 /* pallet index and call index */

struct enclave_xt_request {
    struct extrinsic_chain chain;   /* chain values signed but not carried */
    struct extrinsic_params params; /* era, nonce, tip, metadata mode */
    uint8_t era_hash[32];           /* hash of the era's birth block */
    bool submit;                    /* also hand it to send_to_parentchain */
    struct itee_slice call;         /* the call (view into the decoded bytes) */
};

/*
 * Decodes a request (layout above).
 * Returns: ITEE_OK; SCALE errors (ITEE_ERR_SCALE_*) for malformed input; ITEE_ERR_ARG (a call
 * shorter than ENCLAVE_XT_MIN_CALL, metadata_mode > 1, or NULL). Out: *req (zeroed on failure; call
 * views p).
 */
ITEE_MUST_CHECK enum itee_err enclave_xt_request_decode(struct enclave_xt_request *req,
                                                        const uint8_t *p, size_t len);

/*
 * Signs the request's call with signer and appends the encoded extrinsic (length prefix
 * included) to out.
 * Returns: ITEE_OK; ITEE_ERR_ARG; ITEE_ERR_SPACE/ITEE_ERR_NOMEM; crypto errors.
 */
ITEE_MUST_CHECK enum itee_err enclave_xt_sign(struct itee_buf *out,
                                              const struct enclave_xt_request *req,
                                              const struct ed25519_keypair *signer);

#endif
