/*
 * worker_l1.h - what the worker does on the parentchain with the enclave's own account: have
 * the enclave sign an extrinsic (the key never leaves it; the host supplies the chain values
 * and nonce), register the enclave in Teerex, and top up the account on dev chains.
 */
#ifndef ITEE_WORKER_L1_H
#define ITEE_WORKER_L1_H

#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "net/node_api.h"
#include "service/enclave_host.h"

/*
 * Has the enclave sign call with its signer at nonce (immortal era, no tip) for the chain api
 * is connected to. Out: xt is reset and receives the extrinsic. Returns: the ecall's errors.
 */
ITEE_MUST_CHECK enum itee_err worker_l1_sign(struct enclave_host *h, const struct node_api *api,
                                             uint32_t nonce, struct itee_slice call,
                                             struct itee_buf *xt);
/*
 * Registers the enclave (Teerex.register_sgx_enclave(proof = MRENCLAVE, Some(url), Skip{proxied:
 * false})) and waits until the block is final. Skip is the only method a software-mode enclave
 * can honestly use; the chain must allow it (dev/local specs do).
 * Out: *block_number of the registration block, err (one line) on a failed extrinsic.
 * Returns: ITEE_OK; ITEE_ERR_ENCLAVE (the extrinsic failed: err says why); node_api errors.
 */
ITEE_MUST_CHECK enum itee_err worker_l1_register(struct enclave_host *h, struct node_api *api,
                                                 const char *url, uint32_t timeout_ms,
                                                 uint32_t *block_number, char err[160]);
/*
 * Dev chains: if who holds less than min, transfers amount to it from //Alice and waits for
 * finality. Out: *funded = 1 if it did. Returns: ITEE_OK; ITEE_ERR_ENCLAVE (transfer failed);
 * node_api errors.
 */
ITEE_MUST_CHECK enum itee_err worker_l1_dev_fund(struct node_api *api, const uint8_t who[32],
                                                 itee_u128 min, itee_u128 amount,
                                                 uint32_t timeout_ms, int *funded);

#endif
