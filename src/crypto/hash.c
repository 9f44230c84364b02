/*
 * hash.c - BLAKE2b (crypto/blake2b.c), XXH64/twox (libxxhash), SHA-2 (libsodium) and Substrate's
 * storage-key hashers built from them (spec §2.1-2.3).
 */
#include "crypto/hash.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>
#include <xxhash.h>

/* hash.h and blake2b.h state the same limits; callers size buffers by the HASH_ names. */
static_assert(HASH_BLAKE2_512_LEN == BLAKE2B_OUT_MAX, "BLAKE2b digest limit mismatch");
static_assert(HASH_BLAKE2B_KEY_MAX == BLAKE2B_KEY_MAX, "BLAKE2b key limit mismatch");
static_assert(HASH_BLAKE2_128_LEN <= BLAKE2B_OUT_MAX && HASH_BLAKE2_256_LEN <= BLAKE2B_OUT_MAX,
              "BLAKE2b digest lengths out of range");

enum itee_err hash_blake2b(uint8_t *out, size_t out_len, const uint8_t *key, size_t key_len,
                           const uint8_t *in, size_t len)
{
    return blake2b(out, out_len, key, key_len, in, len);
}

/* The fixed-length hashers cannot fail: out_len is a valid constant and no key is used. */
void hash_blake2_128(uint8_t out[HASH_BLAKE2_128_LEN], const uint8_t *in, size_t len)
{
    (void)blake2b(out, HASH_BLAKE2_128_LEN, NULL, 0, in, len);
}

void hash_blake2_256(uint8_t out[HASH_BLAKE2_256_LEN], const uint8_t *in, size_t len)
{
    (void)blake2b(out, HASH_BLAKE2_256_LEN, NULL, 0, in, len);
}

void hash_blake2_512(uint8_t out[HASH_BLAKE2_512_LEN], const uint8_t *in, size_t len)
{
    (void)blake2b(out, HASH_BLAKE2_512_LEN, NULL, 0, in, len);
}

enum itee_err hash_blake2b_init(struct hash_blake2b_state *st, size_t out_len, const uint8_t *key,
                                size_t key_len)
{
    if (st == NULL)
        return ITEE_ERR_ARG;
    return blake2b_init(&st->b2, out_len, key, key_len);
}

void hash_blake2b_update(struct hash_blake2b_state *st, const uint8_t *in, size_t len)
{
    blake2b_update(&st->b2, in, len);
}

/* Also wipes the state (it may hold a key). */
void hash_blake2b_final(struct hash_blake2b_state *st, uint8_t *out)
{
    blake2b_final(&st->b2, out);
}

uint64_t hash_xxh64(const uint8_t *in, size_t len, uint64_t seed)
{
    return (uint64_t)XXH64(in, len, (XXH64_hash_t)seed);
}

static void put_le64(uint8_t *out, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

/* twox-(64*n): XXH64 with seeds 0..n-1, each written LE. */
static void twox(uint8_t *out, size_t n, const uint8_t *in, size_t len)
{
    for (size_t i = 0; i < n; i++)
        put_le64(out + 8 * i, hash_xxh64(in, len, i));
}

void hash_twox64(uint8_t out[HASH_TWOX64_LEN], const uint8_t *in, size_t len)
{
    twox(out, 1, in, len);
}

void hash_twox128(uint8_t out[HASH_TWOX128_LEN], const uint8_t *in, size_t len)
{
    twox(out, 2, in, len);
}

void hash_twox256(uint8_t out[HASH_TWOX256_LEN], const uint8_t *in, size_t len)
{
    twox(out, 4, in, len);
}

void hash_sha256(uint8_t out[HASH_SHA256_LEN], const uint8_t *in, size_t len)
{
    crypto_hash_sha256(out, in, len);
}

void hash_sha512(uint8_t out[HASH_SHA512_LEN], const uint8_t *in, size_t len)
{
    crypto_hash_sha512(out, in, len);
}

size_t hash_storage_len(enum hash_storage_hasher hasher, size_t key_len)
{
    switch (hasher) {
    case HASH_STORAGE_BLAKE2_128:
        return HASH_BLAKE2_128_LEN;
    case HASH_STORAGE_BLAKE2_256:
        return HASH_BLAKE2_256_LEN;
    case HASH_STORAGE_BLAKE2_128_CONCAT:
        return HASH_BLAKE2_128_LEN + key_len;
    case HASH_STORAGE_TWOX128:
        return HASH_TWOX128_LEN;
    case HASH_STORAGE_TWOX256:
        return HASH_TWOX256_LEN;
    case HASH_STORAGE_TWOX64_CONCAT:
        return HASH_TWOX64_LEN + key_len;
    case HASH_STORAGE_IDENTITY:
        return key_len;
    }
    return 0;
}

enum itee_err hash_storage_append(struct itee_buf *out, enum hash_storage_hasher hasher,
                                  const uint8_t *key, size_t key_len)
{
    uint8_t h[32];
    size_t h_len = 0;
    int concat = 0;
    if (out == NULL || (key == NULL && key_len != 0) || key_len > SIZE_MAX - sizeof(h))
        return ITEE_ERR_ARG;
    switch (hasher) {
    case HASH_STORAGE_BLAKE2_128:
        hash_blake2_128(h, key, key_len);
        h_len = HASH_BLAKE2_128_LEN;
        break;
    case HASH_STORAGE_BLAKE2_256:
        hash_blake2_256(h, key, key_len);
        h_len = HASH_BLAKE2_256_LEN;
        break;
    case HASH_STORAGE_BLAKE2_128_CONCAT:
        hash_blake2_128(h, key, key_len);
        h_len = HASH_BLAKE2_128_LEN;
        concat = 1;
        break;
    case HASH_STORAGE_TWOX128:
        hash_twox128(h, key, key_len);
        h_len = HASH_TWOX128_LEN;
        break;
    case HASH_STORAGE_TWOX256:
        hash_twox256(h, key, key_len);
        h_len = HASH_TWOX256_LEN;
        break;
    case HASH_STORAGE_TWOX64_CONCAT:
        hash_twox64(h, key, key_len);
        h_len = HASH_TWOX64_LEN;
        concat = 1;
        break;
    case HASH_STORAGE_IDENTITY:
        concat = 1;
        break;
    default:
        return ITEE_ERR_ARG;
    }
    /* reserve first so a failure leaves out unchanged */
    enum itee_err r = itee_buf_reserve(out, h_len + (concat ? key_len : 0));
    if (r != ITEE_OK)
        return r;
    if (h_len != 0 && (r = itee_buf_append(out, h, h_len)) != ITEE_OK)
        return r;
    if (concat && key_len != 0 && (r = itee_buf_append(out, key, key_len)) != ITEE_OK)
        return r;
    return ITEE_OK;
}

void hash_storage_prefix(uint8_t out[32], const char *pallet, const char *item)
{
    hash_twox128(out, (const uint8_t *)pallet, strlen(pallet));
    hash_twox128(out + HASH_TWOX128_LEN, (const uint8_t *)item, strlen(item));
}
