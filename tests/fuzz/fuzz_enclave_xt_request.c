/*
 * fuzz_enclave_xt_request.c - the host's parentchain signing request (enclave_xt.h) on
 * arbitrary bytes: decoding is strict and total; whatever decodes must sign, and the result
 * must decode and verify with the chain module as a node would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/extrinsic.h"
#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "enclave/enclave_xt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct enclave_xt_request rq;
    if (enclave_xt_request_decode(&rq, data, size) != ITEE_OK) {
        if (rq.call.len != 0)
            abort();
        return 0;
    }
    uint8_t seed[32];
    memset(seed, 7, sizeof(seed));
    struct ed25519_keypair signer;
    struct itee_buf xt;
    struct extrinsic x;
    itee_buf_init(&xt, 0);
    if (ed25519_keypair_from_seed(&signer, seed) != ITEE_OK ||
        enclave_xt_sign(&xt, &rq, &signer) != ITEE_OK ||
        extrinsic_decode(&x, &rq.chain, xt.ptr, xt.len) != ITEE_OK ||
        extrinsic_verify(&x, &rq.chain, rq.era_hash) != ITEE_OK || x.call.len != rq.call.len ||
        memcmp(x.call.ptr, rq.call.ptr, rq.call.len) != 0)
        abort();
    itee_buf_free(&xt);
    return 0;
}
