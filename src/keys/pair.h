/*
 * pair.h - a key pair of any of Substrate's three schemes, made from a seed or a secret URI,
 * with MultiSigner/MultiSignature semantics for account ids and verification.
 *
 * The seed of a pair is Substrate's mini secret: the root from the mnemonic (or 0x seed),
 * replaced at each hard junction. sr25519 soft junctions leave a pair without a seed.
 */
#ifndef ITEE_PAIR_H
#define ITEE_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/sr25519.h"

enum keys_scheme { /* MultiSignature/MultiSigner variant indices */
                   KEYS_SCHEME_ED25519 = 0,
                   KEYS_SCHEME_SR25519 = 1,
                   KEYS_SCHEME_ECDSA = 2
};

#define KEYS_PUBLIC_MAX  33 /* ecdsa compressed key; the others are 32 */
#define KEYS_SIG_MAX     65 /* ecdsa recoverable signature; the others are 64 */
#define KEYS_SEED_LEN    32
#define KEYS_ACCOUNT_LEN 32

/*
 * Parses "sr25519", "ed25519" or "ecdsa".
 * Returns: ITEE_OK, ITEE_ERR_SCHEME or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err keys_scheme_parse(enum keys_scheme *out, const char *name);
/* Returns: the scheme's name as keys_scheme_parse takes it, or "unknown". */
const char *keys_scheme_name(enum keys_scheme s);

struct keys_pair {
    enum keys_scheme scheme;     /* which member of k is live */
    bool has_seed;               /* false after an sr25519 soft junction (no seed exists then) */
    uint8_t seed[KEYS_SEED_LEN]; /* mini secret (root or after hard derivation) */
    union {
        struct sr25519_keypair sr; /* KEYS_SCHEME_SR25519 */
        struct ed25519_keypair ed; /* KEYS_SCHEME_ED25519 */
        struct ecdsa_keypair ec;   /* KEYS_SCHEME_ECDSA */
    } k;
};

/*
 * Makes a pair from a 32-byte seed.
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_SCHEME, ITEE_ERR_BAD_KEY (ecdsa seed out of range)
 * or a crypto error. Out: *out (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err keys_pair_from_seed(struct keys_pair *out, enum keys_scheme scheme,
                                                  const uint8_t seed[KEYS_SEED_LEN]);

/*
 * Makes a pair from a secret URI (suri.h): a mnemonic gives entropy, then the mini secret with
 * the URI's password; a "0x" phrase is the 32-byte seed itself (the password is then ignored,
 * as in Substrate); junctions apply left to right.
 * Returns: ITEE_OK; ITEE_ERR_SURI (grammar, or a 0x seed that is not 32 bytes); the
 * ITEE_ERR_MNEMONIC_* errors; ITEE_ERR_SOFT_JUNCTION (soft junction with ed25519/ecdsa);
 * ITEE_ERR_BAD_KEY; ITEE_ERR_ARG. Out: *out (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err keys_pair_from_suri(struct keys_pair *out, enum keys_scheme scheme,
                                                  const char *suri, size_t len);

/*
 * Derives the hard child of p in place, for a junction whose chain code is cc (a value's SCALE
 * encoding padded to 32 bytes, or its blake2_256 when longer: suri_chain_code for text). The
 * worker's shard vault is its signer's hard child at the shard id.
 * Returns: ITEE_OK, ITEE_ERR_ARG, crypto errors (p unchanged on failure is not guaranteed).
 */
ITEE_MUST_CHECK enum itee_err keys_pair_derive_hard(struct keys_pair *p, const uint8_t cc[32]);

/* Writes the public key. Returns: its length, 32 or 33 (0 for an invalid pair). */
size_t keys_pair_public(const struct keys_pair *p, uint8_t out[KEYS_PUBLIC_MAX]);

/* Writes the AccountId32: the public key, or blake2_256 of it for ecdsa. */
void keys_pair_account_id(const struct keys_pair *p, uint8_t out[KEYS_ACCOUNT_LEN]);

/*
 * Signs msg: sr25519 under context "substrate" (randomised), ed25519 deterministic, ecdsa over
 * blake2_256(msg). Returns: ITEE_OK or an error. Out: sig, *sig_len 64 or 65 (zeroed on
 * failure).
 */
ITEE_MUST_CHECK enum itee_err keys_pair_sign(const struct keys_pair *p, const uint8_t *msg,
                                             size_t len, uint8_t sig[KEYS_SIG_MAX],
                                             size_t *sig_len);

/*
 * Verifies sig over msg by the public key pub of scheme s.
 * Returns: ITEE_OK; ITEE_ERR_BAD_SIG (including wrong signature or key lengths); ITEE_ERR_ARG
 * on NULL; ITEE_ERR_SCHEME.
 */
ITEE_MUST_CHECK enum itee_err keys_verify(enum keys_scheme s, const uint8_t *sig, size_t sig_len,
                                          const uint8_t *msg, size_t len, const uint8_t *pub,
                                          size_t pub_len);

/*
 * AccountId32 of a public key (MultiSigner::into_account).
 * Returns: ITEE_OK, ITEE_ERR_ARG (length wrong for the scheme), ITEE_ERR_SCHEME.
 */
ITEE_MUST_CHECK enum itee_err keys_account_id_from_public(uint8_t out[KEYS_ACCOUNT_LEN],
                                                          enum keys_scheme s, const uint8_t *pub,
                                                          size_t len);

/*
 * MultiSignature::verify against an AccountId32: sr25519/ed25519 take the account as the
 * public key; ecdsa recovers the key and compares blake2_256 of it with the account.
 * Returns: ITEE_OK, ITEE_ERR_BAD_SIG, ITEE_ERR_ARG or ITEE_ERR_SCHEME.
 */
ITEE_MUST_CHECK enum itee_err keys_verify_account(enum keys_scheme s, const uint8_t *sig,
                                                  size_t sig_len, const uint8_t *msg, size_t len,
                                                  const uint8_t account[KEYS_ACCOUNT_LEN]);

/* Wipes a pair. */
void keys_pair_clear(struct keys_pair *p);

#endif
