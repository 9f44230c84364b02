/*
 * enclave_keys.h - the enclave's long-lived secrets: generated inside at first start, sealed
 * to the enclave measurement, kept in the data directory through the file ocalls, unsealed at
 * every later start. They never leave the enclave unsealed; only public keys are exported.
 *
 *   file (data dir)                   content (plaintext before sealing)       seal label
 *   rsa3072_key_sealed.bin            RSA-3072 key pair JSON (rsa.h)           "shielding-key"
 *   ed25519_key_sealed.bin            ed25519 seed, 32 bytes                   "signing-key"
 *   aes_key_and_iv_sealed_data.bin    state key, 32 random bytes (AES-256)     "state-key"
 *
 * The names are the original worker's (spec/worker-protocol.md §3); the blobs are ours
 * (crypto/seal.h, version 1) with key = HKDF(local secret, salt = MRENCLAVE, label) and the
 * file name as additional data, so a blob cannot be swapped for another file's.
 * The enclave STF account is derived, not stored: ed25519 with seed = blake2_256(key pair JSON)
 * (§4.5), identical for every enclave that holds the same shielding key.
 */
#ifndef ITEE_ENCLAVE_KEYS_H
#define ITEE_ENCLAVE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "crypto/ed25519.h"
#include "crypto/rsa.h"
#include "enclave/edl.h"

#define ENCLAVE_KEYS_SHIELDING_FILE "rsa3072_key_sealed.bin"
#define ENCLAVE_KEYS_SIGNING_FILE   "ed25519_key_sealed.bin"
#define ENCLAVE_KEYS_STATE_FILE     "aes_key_and_iv_sealed_data.bin"
#define ENCLAVE_STATE_KEY_LEN       32    /* AES-256 */
#define ENCLAVE_KEYS_FILE_MAX       65536 /* largest sealed key file accepted */

struct enclave_keys {
    struct rsa_key *shielding;                /* RSA-3072 key pair (NULL while not loaded) */
    struct ed25519_keypair signer;            /* signs sidechain blocks and extrinsics */
    struct ed25519_keypair account;           /* STF account, derived from the shielding key */
    uint8_t state_key[ENCLAVE_STATE_KEY_LEN]; /* encrypts shard state */
    unsigned generated;                       /* how many keys this load created (0..3) */
};

/*
 * Loads the three keys, generating and sealing any whose file does not exist yet. All files
 * are read and unsealed before anything is written, so a load that fails (wrong measurement
 * or secret, tampered file, failing ocall) leaves every file as it was.
 * In: oc (ocall table), measurement (MRENCLAVE), secret/secret_len (local seal secret).
 * Returns: ITEE_OK; ITEE_ERR_ENCLAVE_UNSEAL (a file exists that this enclave cannot open or
 * whose content is not a valid key); ITEE_ERR_ENCLAVE_OCALL; ITEE_ERR_IO; ITEE_ERR_SPACE
 * (file larger than ENCLAVE_KEYS_FILE_MAX); ITEE_ERR_NOMEM; ITEE_ERR_RNG; ITEE_ERR_ARG;
 * crypto errors. Out: keys (zeroed and empty on failure; release with enclave_keys_clear).
 */
ITEE_MUST_CHECK enum itee_err enclave_keys_load(struct enclave_keys *keys,
                                                const struct edl_ocalls *oc,
                                                const uint8_t measurement[EDL_MEASUREMENT_LEN],
                                                const uint8_t *secret, size_t secret_len);

/* Wipes and frees everything keys holds; leaves it zeroed. Safe on a zeroed struct. */
void enclave_keys_clear(struct enclave_keys *keys);

/*
 * Writes the shielding public key JSON (worker-protocol.md §4.5) into out (reset first).
 * Returns: ITEE_OK; ITEE_ERR_ARG (keys not loaded); ITEE_ERR_SPACE; ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err enclave_keys_shielding_json(const struct enclave_keys *keys,
                                                          struct itee_buf *out);

#endif
