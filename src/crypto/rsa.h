/*
 * rsa.h - the worker's RSA-3072 shielding key: generation, the original worker's JSON forms,
 * and RSA-OAEP (SHA-256) encryption in 318-byte chunks.
 *
 * Compatibility contract (spec/worker-protocol.md §4.5), matching the Rust worker's
 * sgx_crypto_helper-style Rsa3072KeyPair / Rsa3072PubKey serialised with serde_json:
 *   public key:  {"n":[384 numbers],"e":[4 numbers]}
 *   key pair:    {"n":[384],"d":[384],"e":[4],"p":[192],"q":[192],"dmp1":[192],"dmq1":[192],
 *                 "iqmp":[192]}
 * Every number array is a big integer as LITTLE-ENDIAN bytes (the SGX convention), padded to
 * the fixed length; e is [1,0,0,1] = 0x01000001 = 16777217. Output is compact (no spaces), in
 * exactly that field order, so its bytes hash the same as the original's (the enclave STF
 * account seed is blake2_256 of the key pair JSON).
 * Ciphertext: the plaintext is cut into 318-byte chunks (384 - 2*32 - 2, the OAEP-SHA-256
 * maximum); each becomes one 384-byte RSA-OAEP block (OAEP and MGF1 hash SHA-256, empty label);
 * blocks are concatenated. Empty plaintext gives empty ciphertext, as in the original.
 *
 * struct rsa_key is opaque: it wraps an OpenSSL EVP_PKEY holding either the public half only
 * (from rsa_public_from_json) or the full key pair. A key is immutable once made, so one key may
 * be used from several threads at once.
 */
#ifndef ITEE_RSA_H
#define ITEE_RSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define RSA_SHIELD_BITS     3072        /* modulus size */
#define RSA_SHIELD_MOD_LEN  384         /* bytes of n, d and of each ciphertext block */
#define RSA_SHIELD_HALF_LEN 192         /* bytes of p, q, dmp1, dmq1, iqmp */
#define RSA_SHIELD_EXP_LEN  4           /* bytes of e */
#define RSA_SHIELD_E        0x01000001u /* public exponent the original generates (16777217) */
#define RSA_OAEP_CHUNK_LEN  318         /* plaintext bytes per block: 384 - 2*32 - 2 */
#define RSA_JSON_MAX_LEN    65536       /* longest JSON text the parsers accept */

struct rsa_key;

/* Returns: RSA_SHIELD_MOD_LEN and RSA_OAEP_CHUNK_LEN, for bindings. */
size_t rsa_mod_len(void);
size_t rsa_chunk_len(void);

/* Returns: the ciphertext length rsa_encrypt produces for len plaintext bytes (0 on overflow). */
size_t rsa_ciphertext_len(size_t len);

/*
 * Generates a fresh 3072-bit key pair with e = RSA_SHIELD_E (OpenSSL's CSPRNG).
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM or ITEE_ERR_CRYPTO_LIB.
 * Out: *out gets the key (free with rsa_key_free); NULL on failure.
 */
ITEE_MUST_CHECK enum itee_err rsa_key_generate(struct rsa_key **out);

/* Frees a key and wipes what it holds. NULL is a no-op. */
void rsa_key_free(struct rsa_key *key);

/* Returns: true iff key holds the private half (false for NULL). */
bool rsa_key_has_private(const struct rsa_key *key);

/*
 * Out: n as RSA_SHIELD_MOD_LEN little-endian bytes (zeroed on failure).
 * Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err rsa_public_n_le(const struct rsa_key *key,
                                              uint8_t out[RSA_SHIELD_MOD_LEN]);

/*
 * Writes the public key JSON ({"n":[...],"e":[...]}, compact) into out (reset first).
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_SPACE or ITEE_ERR_NOMEM (out left empty on failure).
 */
ITEE_MUST_CHECK enum itee_err rsa_public_to_json(const struct rsa_key *key, struct itee_buf *out);

/*
 * Parses a public key JSON. Strict: a JSON object with exactly the members "n" (384 integers)
 * and "e" (4 integers), each integer in 0..255; no other members, no duplicates; n must be odd
 * with its top bit set (a true 3072-bit modulus), e odd and >= 3.
 * Returns: ITEE_OK; ITEE_ERR_FORMAT for any malformed or hostile input (also for texts longer
 * than RSA_JSON_MAX_LEN); ITEE_ERR_ARG (NULL); ITEE_ERR_NOMEM; ITEE_ERR_CRYPTO_LIB.
 * Out: *out gets a public-only key; NULL on failure.
 */
ITEE_MUST_CHECK enum itee_err rsa_public_from_json(struct rsa_key **out, const char *json,
                                                   size_t len);

/*
 * Writes the sealed key pair JSON (fields n,d,e,p,q,dmp1,dmq1,iqmp; compact) into out (reset
 * first). The output is secret: reserve happens once up front so no copies are left behind by
 * growth; free it with itee_buf_free_secret.
 * Returns: ITEE_OK; ITEE_ERR_ARG (NULL or a public-only key); ITEE_ERR_SPACE; ITEE_ERR_NOMEM;
 * ITEE_ERR_CRYPTO_LIB (a value does not fit its fixed width). out is wiped and empty on failure.
 */
ITEE_MUST_CHECK enum itee_err rsa_keypair_to_json(const struct rsa_key *key, struct itee_buf *out);

/*
 * Parses a key pair JSON (strict, as rsa_public_from_json, with exactly the eight members and
 * their fixed lengths) and verifies the key is consistent (OpenSSL's key pair check: n = p*q,
 * p and q prime, d, dmp1, dmq1, iqmp match). This costs tens of milliseconds; it runs once per
 * unseal or provisioning.
 * Returns: ITEE_OK; ITEE_ERR_FORMAT (malformed); ITEE_ERR_BAD_KEY (well-formed but not a
 * consistent RSA key); ITEE_ERR_ARG; ITEE_ERR_NOMEM; ITEE_ERR_CRYPTO_LIB.
 * Out: *out gets the full key; NULL on failure.
 */
ITEE_MUST_CHECK enum itee_err rsa_keypair_from_json(struct rsa_key **out, const char *json,
                                                    size_t len);

/*
 * Encrypts in for the key's owner: RSA-OAEP-SHA-256 over 318-byte chunks (see above).
 * Returns: ITEE_OK; ITEE_ERR_ARG; ITEE_ERR_SPACE (out's maximum); ITEE_ERR_NOMEM;
 * ITEE_ERR_CRYPTO_LIB.
 * Out: out is reset and receives rsa_ciphertext_len(len) bytes; empty on failure.
 */
ITEE_MUST_CHECK enum itee_err rsa_encrypt(const struct rsa_key *key, const uint8_t *in, size_t len,
                                          struct itee_buf *out);

/*
 * Decrypts a concatenation of 384-byte blocks and concatenates their plaintexts.
 * Every block is processed even after one fails, and all failures look alike, so neither the
 * result nor the time says which block or which OAEP check failed.
 * Returns: ITEE_OK; ITEE_ERR_DECRYPT (len not a multiple of 384, or any block not valid
 * OAEP under this key); ITEE_ERR_ARG (NULL, or a public-only key); ITEE_ERR_SPACE;
 * ITEE_ERR_NOMEM; ITEE_ERR_CRYPTO_LIB.
 * Out: out is reset and receives the plaintext; wiped and empty on failure (it may be secret:
 * free it with itee_buf_free_secret).
 */
ITEE_MUST_CHECK enum itee_err rsa_decrypt(const struct rsa_key *key, const uint8_t *in, size_t len,
                                          struct itee_buf *out);

#endif
