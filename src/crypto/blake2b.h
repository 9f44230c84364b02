/*
 * blake2b.h - BLAKE2b (RFC 7693), portable scalar implementation.
 *
 * Why our own: once sodium_init() has run, libsodium 1.0.18 picks its AVX2 BLAKE2b, which is
 * markedly slower than plain 64-bit scalar code on the AMD EPYC hosts we run on, and it offers no
 * way to choose. BLAKE2b hashes every storage key, so this is the node's and trie's hot path.
 *
 * Digest length 1..64 bytes (a BLAKE2b-n digest is its own function, not a truncation of
 * BLAKE2b-512), optional key 0..64 bytes. No salt/personalisation, sequential mode only.
 */
#ifndef ITEE_BLAKE2B_H
#define ITEE_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define BLAKE2B_BLOCK_LEN 128
#define BLAKE2B_OUT_MAX   64
#define BLAKE2B_KEY_MAX   64

/*
 * Streaming state; lives in caller memory and holds key material until blake2b_final wipes it.
 * The finalisation flag f[0] of RFC 7693 is not stored: it is only ever set for the last
 * block, which blake2b_final compresses itself (f[1], the last-node flag, is always 0 here).
 */
struct blake2b_state {
    uint64_t h[8];                  /* chained hash value */
    uint64_t t[2];                  /* bytes compressed so far, 128-bit little-endian */
    uint8_t buf[BLAKE2B_BLOCK_LEN]; /* pending input; keeps the last block back for final */
    size_t buflen;                  /* bytes used in buf, 0..128 */
    size_t outlen;                  /* digest length chosen at init, 1..64 */
};

/*
 * Starts a hash. Returns: ITEE_OK, or ITEE_ERR_ARG (st NULL, outlen not in 1..64, keylen > 64,
 * key NULL with keylen != 0). Args: key may be NULL when keylen is 0.
 */
ITEE_MUST_CHECK enum itee_err blake2b_init(struct blake2b_state *st, size_t outlen,
                                           const uint8_t *key, size_t keylen);
/* Absorbs len bytes (in may be NULL when len is 0). */
void blake2b_update(struct blake2b_state *st, const uint8_t *in, size_t len);
/* Out: st->outlen digest bytes. The state is wiped afterwards (init again to reuse it). */
void blake2b_final(struct blake2b_state *st, uint8_t *out);

/*
 * One-shot BLAKE2b. Returns: ITEE_OK, or ITEE_ERR_ARG (argument rules as blake2b_init, plus
 * out NULL or in NULL with len != 0); on failure out is zeroed when it is a valid buffer.
 * Out: outlen bytes.
 */
ITEE_MUST_CHECK enum itee_err blake2b(uint8_t *out, size_t outlen, const uint8_t *key,
                                      size_t keylen, const uint8_t *in, size_t len);

#endif
