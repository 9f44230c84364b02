/*
 * aead.h - AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP API.
 *
 * Used by sealing (seal.h) and by anything else in the worker that needs an AEAD. The layout is
 * the usual one: ciphertext || 16-byte tag, 12-byte nonces, full-length tags only. The caller
 * owns nonce uniqueness: a (key, nonce) pair must never encrypt two different messages.
 */
#ifndef ITEE_AEAD_H
#define ITEE_AEAD_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define AEAD_KEY_LEN   32 /* AES-256 key */
#define AEAD_NONCE_LEN 12 /* GCM's natural IV length (no GHASH of the IV) */
#define AEAD_TAG_LEN   16 /* full GCM tag; truncated tags are not offered */
/* Largest plaintext accepted: well below GCM's 2^39 - 256 bit limit per (key, nonce). */
#define AEAD_MAX_LEN (((uint64_t)1 << 36) - 32)

/* Returns: the byte lengths above, for bindings. */
size_t aead_key_len(void);
size_t aead_nonce_len(void);
size_t aead_tag_len(void);

/*
 * Encrypts and authenticates len bytes of in, and authenticates aad.
 * Returns: ITEE_OK; ITEE_ERR_ARG (NULL pointer with a non-zero length, len > AEAD_MAX_LEN);
 * ITEE_ERR_CRYPTO_LIB if OpenSSL fails.
 * Out: out gets len + AEAD_TAG_LEN bytes (ciphertext || tag); zeroed on failure. out may be
 *      the same pointer as in (in place), but must not otherwise overlap it.
 * In:  key, nonce; aad/aad_len (may be NULL/0); in/len (may be NULL/0).
 */
ITEE_MUST_CHECK enum itee_err aead_aes256gcm_encrypt(uint8_t *out, const uint8_t key[AEAD_KEY_LEN],
                                                     const uint8_t nonce[AEAD_NONCE_LEN],
                                                     const uint8_t *aad, size_t aad_len,
                                                     const uint8_t *in, size_t len);

/*
 * Verifies and decrypts in (ciphertext || tag, len bytes, len >= AEAD_TAG_LEN).
 * Returns: ITEE_OK; ITEE_ERR_AUTH if the tag does not authenticate or len < AEAD_TAG_LEN;
 * ITEE_ERR_ARG (NULL pointers, len too large); ITEE_ERR_CRYPTO_LIB if OpenSSL fails.
 * Out: out gets len - AEAD_TAG_LEN bytes of plaintext; wiped (zeroed) on any failure, so
 *      unauthenticated plaintext is never left behind. out may equal in.
 */
ITEE_MUST_CHECK enum itee_err aead_aes256gcm_decrypt(uint8_t *out, const uint8_t key[AEAD_KEY_LEN],
                                                     const uint8_t nonce[AEAD_NONCE_LEN],
                                                     const uint8_t *aad, size_t aad_len,
                                                     const uint8_t *in, size_t len);

#endif
