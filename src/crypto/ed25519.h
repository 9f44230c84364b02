/*
 * ed25519.h - Ed25519 (RFC 8032) keys and signatures as Substrate uses them, plus Substrate's
 * hard derivation ("Ed25519HDKD").
 *
 * The 32-byte seed is Substrate's mini secret; key expansion, signing and verification are
 * libsodium's. Ed25519 has no soft derivation: only hard junctions exist for it.
 */
#ifndef ITEE_ED25519_H
#define ITEE_ED25519_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define ED25519_SEED_LEN       32 /* RFC 8032 private key (Substrate mini secret) */
#define ED25519_PUBLIC_LEN     32 /* compressed Edwards point */
#define ED25519_SECRET_LEN     64 /* libsodium's expanded form: seed || public */
#define ED25519_SIG_LEN        64 /* R || S */
#define ED25519_CHAIN_CODE_LEN 32 /* HDKD chain code */

struct ed25519_public {
    uint8_t bytes[ED25519_PUBLIC_LEN]; /* compressed point */
};

struct ed25519_sig {
    uint8_t bytes[ED25519_SIG_LEN]; /* R(32) || S(32 LE) */
};

struct ed25519_keypair {
    uint8_t seed[ED25519_SEED_LEN]; /* the secret the pair was made from */
    struct ed25519_public public;   /* public key */
    uint8_t sk[ED25519_SECRET_LEN]; /* libsodium secret key (seed || public) */
};

/* Returns: the byte lengths above, for bindings. */
size_t ed25519_public_len(void);
size_t ed25519_sig_len(void);

/*
 * Makes the key pair of a 32-byte seed.
 * Returns: ITEE_OK, ITEE_ERR_ARG (NULL) or ITEE_ERR_CRYPTO_LIB. Out: kp (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err ed25519_keypair_from_seed(struct ed25519_keypair *kp,
                                                        const uint8_t seed[ED25519_SEED_LEN]);

/*
 * Signs msg (deterministic, RFC 8032).
 * Returns: ITEE_OK, ITEE_ERR_ARG or ITEE_ERR_CRYPTO_LIB. Out: sig (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err ed25519_sign(struct ed25519_sig *sig,
                                           const struct ed25519_keypair *kp, const uint8_t *msg,
                                           size_t len);

/*
 * Returns: ITEE_OK if sig is a valid signature of msg by pk, ITEE_ERR_BAD_SIG otherwise
 * (libsodium rules: small-order and non-canonical points are rejected), ITEE_ERR_ARG on NULL.
 */
ITEE_MUST_CHECK enum itee_err ed25519_verify(const struct ed25519_sig *sig, const uint8_t *msg,
                                             size_t len, const struct ed25519_public *pk);

/*
 * Hard junction: out_seed = blake2_256(0x2c || "Ed25519HDKD" || seed || cc), i.e. the SCALE
 * encoding of the tuple ("Ed25519HDKD", seed, cc). out_seed may alias seed.
 * Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err ed25519_derive_hard(uint8_t out_seed[ED25519_SEED_LEN],
                                                  const uint8_t seed[ED25519_SEED_LEN],
                                                  const uint8_t cc[ED25519_CHAIN_CODE_LEN]);

/* Wipes a key pair. */
void ed25519_keypair_clear(struct ed25519_keypair *kp);

#endif
