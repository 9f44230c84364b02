/*
 * seal.h - sealing for the enclave's software mode: AES-256-GCM under a key bound to the
 * enclave measurement.
 *
 * SGX seals data with a key the CPU derives from its fused seal secret and the enclave's
 * MRENCLAVE. Software mode has no fused secret, so the host supplies a local secret (a random
 * file in the data directory) and seal_key_derive mixes it with the measurement (the SHA-256 of
 * the enclave library). A different enclave build derives a different key and so cannot open
 * what this one sealed; as DESIGN.md §4 says, this protects nothing from a root user who can
 * read the local secret.
 *
 * Sealed blob format, version 1 (all fields back to back, no padding):
 *
 *   offset  size  field
 *   0       4     magic "ITSL" (0x49 0x54 0x53 0x4c)
 *   4       1     version = 0x01
 *   5       12    nonce: random, fresh for every seal (RAND_bytes)
 *   17      n     ciphertext: AES-256-GCM of the n-byte plaintext
 *   17+n    16    GCM tag
 *
 * The GCM additional data is the 5-byte header ("ITSL" || version) followed by the caller's
 * aad, so the header is authenticated too and a caller can bind a blob to its purpose (e.g. a
 * file name or shard) without storing that context in the blob. Total size is n + SEAL_OVERHEAD.
 * Random 96-bit nonces are safe for far more than 2^32 seals under one key, which sealing never
 * approaches.
 */
#ifndef ITEE_SEAL_H
#define ITEE_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define SEAL_KEY_LEN         32     /* AES-256 key */
#define SEAL_MEASUREMENT_LEN 32     /* MRENCLAVE / SHA-256 of the enclave library */
#define SEAL_MAGIC           "ITSL" /* first four bytes of every blob */
#define SEAL_MAGIC_LEN       4
#define SEAL_VERSION         1
#define SEAL_HEADER_LEN      5  /* magic || version */
#define SEAL_NONCE_LEN       12 /* GCM nonce */
#define SEAL_TAG_LEN         16 /* GCM tag */
#define SEAL_OVERHEAD        (SEAL_HEADER_LEN + SEAL_NONCE_LEN + SEAL_TAG_LEN) /* 33 */
#define SEAL_MIN_SECRET_LEN  16                   /* shortest local secret accepted */
#define SEAL_MAX_LABEL_LEN   255                  /* longest label accepted */
#define SEAL_KDF_INFO_PREFIX "integritee-seal-v1" /* HKDF info = prefix || label */

/* Returns: SEAL_OVERHEAD, for bindings. */
size_t seal_overhead(void);

/*
 * Derives a sealing key: HKDF-SHA256 (RFC 5869) with
 *   IKM  = local_secret  (the entropy: a per-machine secret, the software stand-in for SGX's
 *                         fused seal key),
 *   salt = measurement   (binds the key to the enclave build, like SGX's MRENCLAVE policy;
 *                         a salt need not be secret, which the measurement is not),
 *   info = "integritee-seal-v1" || label  (separates keys per purpose and per format version:
 *                         the shielding key, signer and state key each get their own key).
 * Returns: ITEE_OK; ITEE_ERR_ARG (NULL, secret shorter than SEAL_MIN_SECRET_LEN, label longer
 * than SEAL_MAX_LABEL_LEN); ITEE_ERR_CRYPTO_LIB.
 * Out: key (zeroed on failure). In: measurement, local_secret/secret_len, label (NUL-terminated,
 * may be empty).
 */
ITEE_MUST_CHECK enum itee_err seal_key_derive(uint8_t key[SEAL_KEY_LEN],
                                              const uint8_t measurement[SEAL_MEASUREMENT_LEN],
                                              const uint8_t *local_secret, size_t secret_len,
                                              const char *label);

/*
 * Seals plain into a version-1 blob (format above).
 * Returns: ITEE_OK; ITEE_ERR_ARG; ITEE_ERR_SPACE/ITEE_ERR_NOMEM (out's maximum or memory);
 * ITEE_ERR_RNG; ITEE_ERR_CRYPTO_LIB.
 * Out: out is reset and receives the blob; left empty on failure. The caller initialises out.
 * In: key, aad/aad_len (may be NULL/0), plain/len (may be NULL/0).
 */
ITEE_MUST_CHECK enum itee_err seal(struct itee_buf *out, const uint8_t key[SEAL_KEY_LEN],
                                   const uint8_t *aad, size_t aad_len, const uint8_t *plain,
                                   size_t len);

/*
 * Opens a blob made by seal with the same key and aad.
 * Returns: ITEE_OK; ITEE_ERR_FORMAT (shorter than SEAL_OVERHEAD, bad magic, unknown version);
 * ITEE_ERR_AUTH (wrong key, wrong aad, or any tampering); ITEE_ERR_ARG; ITEE_ERR_SPACE/NOMEM.
 * Out: out is reset and receives the plaintext; wiped and left empty on failure (free it with
 * itee_buf_free_secret when it holds secrets).
 */
ITEE_MUST_CHECK enum itee_err unseal(struct itee_buf *out, const uint8_t key[SEAL_KEY_LEN],
                                     const uint8_t *aad, size_t aad_len, const uint8_t *blob,
                                     size_t blob_len);

#endif
