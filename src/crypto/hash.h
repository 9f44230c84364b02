/*
 * hash.h - the hash functions Substrate uses, and its storage-key hashers.
 *
 * BLAKE2b-n is plain BLAKE2b with digest length n/8 (not a truncated BLAKE2b-512).
 * BLAKE2b is crypto/blake2b.c, not libsodium (see blake2b.h for why).
 * twox-64/128/256 are XXH64 with seeds 0..3, each written little-endian and concatenated.
 */
#ifndef ITEE_HASH_H
#define ITEE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "crypto/blake2b.h"

#define HASH_BLAKE2_128_LEN  16
#define HASH_BLAKE2_256_LEN  32
#define HASH_BLAKE2_512_LEN  64
#define HASH_BLAKE2B_KEY_MAX 64
#define HASH_TWOX64_LEN      8
#define HASH_TWOX128_LEN     16
#define HASH_TWOX256_LEN     32
#define HASH_SHA256_LEN      32
#define HASH_SHA512_LEN      64

/*
 * BLAKE2b with any digest length 1..64 and an optional key (0..64 bytes; key may be NULL when
 * key_len is 0). Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err hash_blake2b(uint8_t *out, size_t out_len, const uint8_t *key,
                                           size_t key_len, const uint8_t *in, size_t len);
void hash_blake2_128(uint8_t out[HASH_BLAKE2_128_LEN], const uint8_t *in, size_t len);
void hash_blake2_256(uint8_t out[HASH_BLAKE2_256_LEN], const uint8_t *in, size_t len);
void hash_blake2_512(uint8_t out[HASH_BLAKE2_512_LEN], const uint8_t *in, size_t len);

/* Incremental BLAKE2b (crypto/blake2b.h: faster here than libsodium's dispatched one). */
struct hash_blake2b_state {
    struct blake2b_state b2; /* chaining value, counter, pending block and digest length */
};
ITEE_MUST_CHECK enum itee_err hash_blake2b_init(struct hash_blake2b_state *st, size_t out_len,
                                                const uint8_t *key, size_t key_len);
void hash_blake2b_update(struct hash_blake2b_state *st, const uint8_t *in, size_t len);
void hash_blake2b_final(struct hash_blake2b_state *st, uint8_t *out);

/* Returns: XXH64(in, seed). */
uint64_t hash_xxh64(const uint8_t *in, size_t len, uint64_t seed);
void hash_twox64(uint8_t out[HASH_TWOX64_LEN], const uint8_t *in, size_t len);
void hash_twox128(uint8_t out[HASH_TWOX128_LEN], const uint8_t *in, size_t len);
void hash_twox256(uint8_t out[HASH_TWOX256_LEN], const uint8_t *in, size_t len);

void hash_sha256(uint8_t out[HASH_SHA256_LEN], const uint8_t *in, size_t len);
void hash_sha512(uint8_t out[HASH_SHA512_LEN], const uint8_t *in, size_t len);

/* Metadata StorageHasher enum; values are the metadata indices. */
enum hash_storage_hasher {
    HASH_STORAGE_BLAKE2_128 = 0,
    HASH_STORAGE_BLAKE2_256 = 1,
    HASH_STORAGE_BLAKE2_128_CONCAT = 2,
    HASH_STORAGE_TWOX128 = 3,
    HASH_STORAGE_TWOX256 = 4,
    HASH_STORAGE_TWOX64_CONCAT = 5,
    HASH_STORAGE_IDENTITY = 6,
};

/* Returns: bytes the hasher produces for a key of key_len bytes (0 for an unknown hasher). */
size_t hash_storage_len(enum hash_storage_hasher hasher, size_t key_len);
/*
 * Appends hasher(key) to out. key is the SCALE encoding of the map key.
 * Returns: ITEE_OK, ITEE_ERR_ARG for an unknown hasher, or an itee_buf error.
 */
ITEE_MUST_CHECK enum itee_err hash_storage_append(struct itee_buf *out,
                                                  enum hash_storage_hasher hasher,
                                                  const uint8_t *key, size_t key_len);
/* Writes twox128(pallet) || twox128(item), the key of a StorageValue (and map prefix). */
void hash_storage_prefix(uint8_t out[32], const char *pallet, const char *item);

#endif
