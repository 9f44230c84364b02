/*
 * enclave_stf.h - the STF behind the ecalls: executes trusted calls and getters on a shard's
 * state (src/enclave/stf.h) and persists the state after every applied call.
 *
 * Execute request: shard [u8;32] | flags u8 | payload. flags bit 0 (ENCLAVE_STF_ENCRYPTED):
 * payload is RSA-OAEP ciphertext (shielding key, worker-protocol.md §4.5) of the
 * SCALE(TrustedCallSigned); otherwise it is that SCALE itself. Other bits must be 0.
 * Execute answer (SCALE): result u32 (enum itee_err of the applied call, 0 = success) |
 * call_hash [u8;32] | log Vec<u8> (cut to what fits the capacity).
 * A call the STF rejects (bad signature, wrong nonce, malformed) is the ecall's error and
 * changes nothing; an applied call (even one whose result is an error) consumed its nonce and
 * has been written to the shard's sealed file before the answer is returned.
 *
 * Get request: shard [u8;32] | SCALE(Getter). Answer: SCALE(Option<Vec<u8>>) (stf_get).
 */
#ifndef ITEE_ENCLAVE_STF_H
#define ITEE_ENCLAVE_STF_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "enclave/enclave_ctx.h"

#define ENCLAVE_STF_ENCRYPTED 0x1u         /* execute payload is RSA-encrypted */
#define ENCLAVE_STF_OUT_MIN   (4 + 32 + 5) /* result, call hash, longest log length prefix */

/*
 * Executes one call (format above). Call with the context entered for
 * ENCLAVE_ECALL_STF_EXECUTE. Out: out/cap, *out_len.
 * Returns: ITEE_OK; ITEE_ERR_SPACE before anything runs when cap < ENCLAVE_STF_OUT_MIN
 * (*out_len = ENCLAVE_STF_OUT_MIN); ITEE_ERR_ARG; ITEE_ERR_DECRYPT; the STF's rejections
 * (SCALE errors, ITEE_ERR_BAD_SIG, ITEE_ERR_STF_NONCE, ...); shard load/save errors;
 * ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err enclave_stf_execute(struct enclave_ctx *ctx, const uint8_t *req,
                                                  size_t req_len, uint8_t *out, size_t cap,
                                                  size_t *out_len);

/*
 * Runs one getter (format above). Out: out/cap, *out_len (ITEE_ERR_SPACE: *out_len = needed).
 * Returns: ITEE_OK; ITEE_ERR_SPACE; ITEE_ERR_ARG; stf_get's errors; shard load errors.
 */
ITEE_MUST_CHECK enum itee_err enclave_stf_get(struct enclave_ctx *ctx, const uint8_t *req,
                                              size_t req_len, uint8_t *out, size_t cap,
                                              size_t *out_len);

#endif
