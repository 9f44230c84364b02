/*
 * fuzz_sr25519_verify.c - sr25519 verification (and public soft derivation) on hostile bytes.
 * Input: public key (32) || signature (64) || message (rest). Verification must never crash
 * and must never accept a signature on a message other than the one it checked.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sr25519.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sr25519_public pk, child;
    struct sr25519_sig sig;
    if (size < 96)
        return 0;
    memcpy(pk.bytes, data, 32);
    memcpy(sig.bytes, data + 32, 64);
    enum itee_err r = sr25519_verify(&sig, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN,
                                     data + 96, size - 96, &pk);
    if (r == ITEE_OK && size > 96) {
        uint8_t msg[256];
        size_t n = size - 96 < sizeof(msg) ? size - 96 : sizeof(msg);
        memcpy(msg, data + 96, n);
        msg[0] ^= 1;
        if (sr25519_verify(&sig, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, msg, n, &pk) ==
                ITEE_OK &&
            n == size - 96)
            abort(); /* accepted a different message */
    }
    (void)sr25519_derive_public_soft(&child, &pk, data + 32);
    return 0;
}
