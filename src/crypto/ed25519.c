/*
 * ed25519.c - Ed25519 over libsodium, and Substrate's Ed25519HDKD hard derivation.
 */
#include "crypto/ed25519.h"

#include <string.h>

#include <sodium.h>

#include "common/mem.h"
#include "crypto/hash.h"

/* SCALE encoding of the string "Ed25519HDKD": compact(11) = 0x2c, then the bytes. */
static const uint8_t ed25519_hdkd_prefix[] = {0x2c, 'E', 'd', '2', '5', '5',
                                              '1',  '9', 'H', 'D', 'K', 'D'};

size_t ed25519_public_len(void)
{
    return ED25519_PUBLIC_LEN;
}

size_t ed25519_sig_len(void)
{
    return ED25519_SIG_LEN;
}

enum itee_err ed25519_keypair_from_seed(struct ed25519_keypair *kp,
                                        const uint8_t seed[ED25519_SEED_LEN])
{
    if (kp == NULL)
        return ITEE_ERR_ARG;
    itee_memzero(kp, sizeof(*kp));
    if (seed == NULL)
        return ITEE_ERR_ARG;
    if (crypto_sign_seed_keypair(kp->public.bytes, kp->sk, seed) != 0) {
        itee_memzero(kp, sizeof(*kp));
        return ITEE_ERR_CRYPTO_LIB;
    }
    memcpy(kp->seed, seed, ED25519_SEED_LEN);
    return ITEE_OK;
}

enum itee_err ed25519_sign(struct ed25519_sig *sig, const struct ed25519_keypair *kp,
                           const uint8_t *msg, size_t len)
{
    if (sig == NULL)
        return ITEE_ERR_ARG;
    memset(sig, 0, sizeof(*sig));
    if (kp == NULL || (msg == NULL && len > 0))
        return ITEE_ERR_ARG;
    /* libsodium dereferences msg only for len bytes; give it a valid pointer for len 0. */
    static const uint8_t empty[1] = {0};
    if (crypto_sign_detached(sig->bytes, NULL, msg != NULL ? msg : empty, len, kp->sk) != 0) {
        memset(sig, 0, sizeof(*sig));
        return ITEE_ERR_CRYPTO_LIB;
    }
    return ITEE_OK;
}

enum itee_err ed25519_verify(const struct ed25519_sig *sig, const uint8_t *msg, size_t len,
                             const struct ed25519_public *pk)
{
    if (sig == NULL || pk == NULL || (msg == NULL && len > 0))
        return ITEE_ERR_ARG;
    static const uint8_t empty[1] = {0};
    if (crypto_sign_verify_detached(sig->bytes, msg != NULL ? msg : empty, len, pk->bytes) != 0)
        return ITEE_ERR_BAD_SIG;
    return ITEE_OK;
}

enum itee_err ed25519_derive_hard(uint8_t out_seed[ED25519_SEED_LEN],
                                  const uint8_t seed[ED25519_SEED_LEN],
                                  const uint8_t cc[ED25519_CHAIN_CODE_LEN])
{
    if (out_seed == NULL || seed == NULL || cc == NULL)
        return ITEE_ERR_ARG;
    uint8_t pre[sizeof(ed25519_hdkd_prefix) + ED25519_SEED_LEN + ED25519_CHAIN_CODE_LEN];
    memcpy(pre, ed25519_hdkd_prefix, sizeof(ed25519_hdkd_prefix));
    memcpy(pre + sizeof(ed25519_hdkd_prefix), seed, ED25519_SEED_LEN);
    memcpy(pre + sizeof(ed25519_hdkd_prefix) + ED25519_SEED_LEN, cc, ED25519_CHAIN_CODE_LEN);
    hash_blake2_256(out_seed, pre, sizeof(pre));
    itee_memzero(pre, sizeof(pre));
    return ITEE_OK;
}

void ed25519_keypair_clear(struct ed25519_keypair *kp)
{
    if (kp != NULL)
        itee_memzero(kp, sizeof(*kp));
}
