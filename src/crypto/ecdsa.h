/*
 * ecdsa.h - secp256k1 ECDSA as Substrate uses it (sp_core::ecdsa): 33-byte compressed public
 * keys, 65-byte recoverable signatures r || s || recid over blake2_256(message), RFC 6979
 * nonces, low S; and Substrate's "Secp256k1HDKD" hard derivation.
 *
 * Built on libsecp256k1 (0.2.0, recovery module). No global mutable state: verification and
 * recovery use the library's read-only static context, and signing makes a short-lived context
 * in caller stack memory (preallocated API), randomised with libsodium's randombytes.
 */
#ifndef ITEE_ECDSA_H
#define ITEE_ECDSA_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define ECDSA_SEED_LEN       32 /* secret key (Substrate mini secret) */
#define ECDSA_PUBLIC_LEN     33 /* SEC1 compressed point */
#define ECDSA_SIG_LEN        65 /* r(32) || s(32) || recid(1) */
#define ECDSA_HASH_LEN       32 /* prehashed message length */
#define ECDSA_CHAIN_CODE_LEN 32 /* HDKD chain code */
#define ECDSA_ACCOUNT_LEN    32 /* AccountId32 = blake2_256(public) */

struct ecdsa_public {
    uint8_t bytes[ECDSA_PUBLIC_LEN]; /* 0x02/0x03 || x */
};

struct ecdsa_sig {
    uint8_t bytes[ECDSA_SIG_LEN]; /* r || s (big-endian) || recovery id 0..3 */
};

struct ecdsa_keypair {
    uint8_t seed[ECDSA_SEED_LEN]; /* secret scalar, big-endian, 1 <= k < n */
    struct ecdsa_public public;   /* k·G, compressed */
};

/* Returns: the byte lengths above, for bindings. */
size_t ecdsa_public_len(void);
size_t ecdsa_sig_len(void);

/*
 * Makes the key pair whose secret key is seed.
 * Returns: ITEE_OK, ITEE_ERR_BAD_KEY (seed is 0 or >= the group order), ITEE_ERR_ARG,
 * ITEE_ERR_RNG or ITEE_ERR_CRYPTO_LIB. Out: kp (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err ecdsa_keypair_from_seed(struct ecdsa_keypair *kp,
                                                      const uint8_t seed[ECDSA_SEED_LEN]);

/*
 * Signs blake2_256(msg): deterministic RFC 6979, low S, recoverable.
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_BAD_KEY, ITEE_ERR_RNG or ITEE_ERR_CRYPTO_LIB.
 * Out: sig (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err ecdsa_sign(struct ecdsa_sig *sig, const struct ecdsa_keypair *kp,
                                         const uint8_t *msg, size_t len);

/* As ecdsa_sign, over a 32-byte digest the caller computed. */
ITEE_MUST_CHECK enum itee_err ecdsa_sign_prehashed(struct ecdsa_sig *sig,
                                                   const struct ecdsa_keypair *kp,
                                                   const uint8_t hash[ECDSA_HASH_LEN]);

/*
 * Recovers the public key that made sig over blake2_256(msg). The recovery id may be 0..3 or
 * 27..30 (Ethereum style), as Substrate accepts.
 * Returns: ITEE_OK, ITEE_ERR_BAD_SIG (no key recovers), ITEE_ERR_ARG. Out: pk (zeroed on
 * failure).
 */
ITEE_MUST_CHECK enum itee_err ecdsa_recover(struct ecdsa_public *pk, const struct ecdsa_sig *sig,
                                            const uint8_t *msg, size_t len);

/* As ecdsa_recover, over a 32-byte digest. */
ITEE_MUST_CHECK enum itee_err ecdsa_recover_prehashed(struct ecdsa_public *pk,
                                                      const struct ecdsa_sig *sig,
                                                      const uint8_t hash[ECDSA_HASH_LEN]);

/*
 * Substrate's ecdsa verify: the key recovered from sig over blake2_256(msg) equals pk.
 * Returns: ITEE_OK, ITEE_ERR_BAD_SIG or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err ecdsa_verify(const struct ecdsa_sig *sig, const uint8_t *msg,
                                           size_t len, const struct ecdsa_public *pk);

/*
 * Hard junction: out_seed = blake2_256(0x34 || "Secp256k1HDKD" || seed || cc). out_seed may
 * alias seed. Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err ecdsa_derive_hard(uint8_t out_seed[ECDSA_SEED_LEN],
                                                const uint8_t seed[ECDSA_SEED_LEN],
                                                const uint8_t cc[ECDSA_CHAIN_CODE_LEN]);

/* Writes the AccountId32 of an ecdsa key: blake2_256 of the 33-byte compressed key. */
void ecdsa_account_id(uint8_t out[ECDSA_ACCOUNT_LEN], const struct ecdsa_public *pk);

/* Wipes a key pair. */
void ecdsa_keypair_clear(struct ecdsa_keypair *kp);

#endif
