/*
 * sr25519.h - schnorrkel 0.11 Schnorr signatures over Ristretto255, as Substrate uses them.
 *
 * Key expansion is MiniSecretKey::expand_ed25519; signing uses the "SigningContext"
 * transcript with a caller-chosen context (Substrate: "substrate"); HDKD hard and soft
 * derivation follow schnorrkel's derive.rs. Group arithmetic is libsodium's ristretto255;
 * Merlin/STROBE/Keccak are ours (merlin.h, keccak.h).
 */
#ifndef ITEE_SR25519_H
#define ITEE_SR25519_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define SR25519_SEED_LEN       32 /* mini secret key */
#define SR25519_PUBLIC_LEN     32 /* compressed Ristretto point */
#define SR25519_SECRET_LEN     64 /* key scalar || nonce */
#define SR25519_SIG_LEN        64 /* R || s, with bit 7 of byte 63 set */
#define SR25519_CHAIN_CODE_LEN 32 /* HDKD chain code */

/* The signing context Substrate uses for all sr25519 signatures. */
#define SR25519_SUBSTRATE_CTX     ((const uint8_t *)"substrate")
#define SR25519_SUBSTRATE_CTX_LEN 9

struct sr25519_public {
    uint8_t bytes[SR25519_PUBLIC_LEN]; /* compressed Ristretto255 point */
};

struct sr25519_secret {
    uint8_t key[32];   /* scalar mod l, little-endian (schnorrkel SecretKey::to_bytes form) */
    uint8_t nonce[32]; /* nonce seed mixed into signing witnesses */
};

struct sr25519_sig {
    uint8_t bytes[SR25519_SIG_LEN]; /* R(32) || s(32 LE), byte 63 | 0x80 marker */
};

struct sr25519_keypair {
    struct sr25519_secret secret; /* secret half */
    struct sr25519_public public; /* key·B */
};

/* Expands a 32-byte mini secret (expand_ed25519). Returns: ITEE_OK or ITEE_ERR_BAD_KEY. */
ITEE_MUST_CHECK enum itee_err sr25519_keypair_from_seed(struct sr25519_keypair *kp,
                                                        const uint8_t seed[SR25519_SEED_LEN]);

/* Computes the public key of a secret. Returns: ITEE_OK or ITEE_ERR_BAD_KEY. */
ITEE_MUST_CHECK enum itee_err sr25519_public_from_secret(struct sr25519_public *pk,
                                                         const struct sr25519_secret *sk);

/* Signs msg under context ctx with fresh randomness from libsodium. */
ITEE_MUST_CHECK enum itee_err sr25519_sign(struct sr25519_sig *sig,
                                           const struct sr25519_keypair *kp, const uint8_t *ctx,
                                           size_t ctx_len, const uint8_t *msg, size_t msg_len);

/* As sr25519_sign, with the 32 witness-RNG bytes given (for vectors and tests). */
ITEE_MUST_CHECK enum itee_err
sr25519_sign_with_rng(struct sr25519_sig *sig, const struct sr25519_keypair *kp, const uint8_t *ctx,
                      size_t ctx_len, const uint8_t *msg, size_t msg_len, const uint8_t rnd[32]);

/*
 * Returns: ITEE_OK if sig is a valid signature of msg under ctx by pk; ITEE_ERR_NOT_MARKED,
 * ITEE_ERR_SCALAR_RANGE, ITEE_ERR_BAD_POINT or ITEE_ERR_BAD_SIG otherwise.
 */
ITEE_MUST_CHECK enum itee_err sr25519_verify(const struct sr25519_sig *sig, const uint8_t *ctx,
                                             size_t ctx_len, const uint8_t *msg, size_t msg_len,
                                             const struct sr25519_public *pk);

/* Hard junction: child = expand_ed25519(HDKD-hard mini secret). */
ITEE_MUST_CHECK enum itee_err sr25519_derive_hard(struct sr25519_keypair *child,
                                                  const struct sr25519_keypair *parent,
                                                  const uint8_t cc[SR25519_CHAIN_CODE_LEN]);

/* Also returns the mini secret the hard child was expanded from (Substrate's "seed"). */
ITEE_MUST_CHECK enum itee_err sr25519_derive_hard_seed(uint8_t child_seed[SR25519_SEED_LEN],
                                                       const struct sr25519_keypair *parent,
                                                       const uint8_t cc[SR25519_CHAIN_CODE_LEN]);

/* Soft junction on a keypair: key + d, deterministic child nonce. */
ITEE_MUST_CHECK enum itee_err sr25519_derive_soft(struct sr25519_keypair *child,
                                                  const struct sr25519_keypair *parent,
                                                  const uint8_t cc[SR25519_CHAIN_CODE_LEN]);

/* Soft junction on a public key alone: pk + d·B (agrees with sr25519_derive_soft). */
ITEE_MUST_CHECK enum itee_err sr25519_derive_public_soft(struct sr25519_public *child,
                                                         const struct sr25519_public *parent,
                                                         const uint8_t cc[SR25519_CHAIN_CODE_LEN]);

/* polkadot-js's 64-byte secret form: (key·8 LE) || nonce. */
void sr25519_secret_to_ed25519_bytes(uint8_t out[64], const struct sr25519_secret *sk);
/* Inverse of the above. Returns: ITEE_OK or ITEE_ERR_BAD_KEY (key·8 not divisible by 8). */
ITEE_MUST_CHECK enum itee_err sr25519_secret_from_ed25519_bytes(struct sr25519_secret *sk,
                                                                const uint8_t in[64]);

/* Wipes a keypair's secret. */
void sr25519_keypair_clear(struct sr25519_keypair *kp);

#endif
