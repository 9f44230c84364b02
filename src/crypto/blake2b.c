/*
 * blake2b.c - BLAKE2b (RFC 7693) in portable C, tuned for the short inputs of storage keys.
 *
 * Plain 64-bit scalar code: the 12 rounds are unrolled with the message schedule (sigma) as
 * literal indices, so the compiler keeps the message words in registers or fixed stack slots
 * instead of indexing a table. Whole blocks are compressed straight from the caller's buffer;
 * only a trailing partial block (and the block that must be held back for finalisation) is
 * copied into the state. Inputs of at most one block take a one-compression fast path.
 */
#include "crypto/blake2b.h"

#include <stdbool.h>
#include <string.h>

#include "common/mem.h"

/* RFC 7693 §2.6: the SHA-512 initial hash value. */
static const uint64_t blake2b_iv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static inline uint64_t load64_le(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
#else
    return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) |
           ((uint64_t)p[3] << 24) | ((uint64_t)p[4] << 32) | ((uint64_t)p[5] << 40) |
           ((uint64_t)p[6] << 48) | ((uint64_t)p[7] << 56);
#endif
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, sizeof(v));
#else
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
#endif
}

#define ROTR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

/* RFC 7693 §3.1, the mixing function G on four state words and two message words. */
#define G(a, b, c, d, x, y)                                                                        \
    do {                                                                                           \
        a = a + b + (x);                                                                           \
        d = ROTR64(d ^ a, 32);                                                                     \
        c = c + d;                                                                                 \
        b = ROTR64(b ^ c, 24);                                                                     \
        a = a + b + (y);                                                                           \
        d = ROTR64(d ^ a, 16);                                                                     \
        c = c + d;                                                                                 \
        b = ROTR64(b ^ c, 63);                                                                     \
    } while (0)

/* One round: columns then diagonals; s0..s15 is that round's row of sigma (RFC 7693 §2.7). */
#define ROUND(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15)                \
    do {                                                                                           \
        G(v0, v4, v8, v12, m[s0], m[s1]);                                                          \
        G(v1, v5, v9, v13, m[s2], m[s3]);                                                          \
        G(v2, v6, v10, v14, m[s4], m[s5]);                                                         \
        G(v3, v7, v11, v15, m[s6], m[s7]);                                                         \
        G(v0, v5, v10, v15, m[s8], m[s9]);                                                         \
        G(v1, v6, v11, v12, m[s10], m[s11]);                                                       \
        G(v2, v7, v8, v13, m[s12], m[s13]);                                                        \
        G(v3, v4, v9, v14, m[s14], m[s15]);                                                        \
    } while (0)

/*
 * RFC 7693 §3.2, F: compresses one 128-byte block into h. t0/t1 is the byte counter including
 * this block; last is all ones for the final block, else 0.
 */
static void blake2b_compress(uint64_t h[8], const uint8_t *block, uint64_t t0, uint64_t t1,
                             uint64_t last)
{
    uint64_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = load64_le(block + 8 * i);

    uint64_t v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3];
    uint64_t v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
    uint64_t v8 = blake2b_iv[0], v9 = blake2b_iv[1], v10 = blake2b_iv[2], v11 = blake2b_iv[3];
    uint64_t v12 = blake2b_iv[4] ^ t0, v13 = blake2b_iv[5] ^ t1;
    uint64_t v14 = blake2b_iv[6] ^ last, v15 = blake2b_iv[7];

    ROUND(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    ROUND(14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3);
    ROUND(11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4);
    ROUND(7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8);
    ROUND(9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13);
    ROUND(2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9);
    ROUND(12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11);
    ROUND(13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10);
    ROUND(6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5);
    ROUND(10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0);
    /* rounds 10 and 11 reuse sigma rows 0 and 1 */
    ROUND(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    ROUND(14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3);

    h[0] ^= v0 ^ v8;
    h[1] ^= v1 ^ v9;
    h[2] ^= v2 ^ v10;
    h[3] ^= v3 ^ v11;
    h[4] ^= v4 ^ v12;
    h[5] ^= v5 ^ v13;
    h[6] ^= v6 ^ v14;
    h[7] ^= v7 ^ v15;
}

#undef ROUND
#undef G

/* Adds inc bytes to the 128-bit counter. */
static inline void blake2b_count(struct blake2b_state *st, uint64_t inc)
{
    st->t[0] += inc;
    if (st->t[0] < inc)
        st->t[1]++;
}

/* Sets h to the IV xored with the parameter block: depth 1, fanout 1, key and digest length. */
static void blake2b_h_init(uint64_t h[8], size_t outlen, size_t keylen)
{
    for (int i = 0; i < 8; i++)
        h[i] = blake2b_iv[i];
    h[0] ^= 0x01010000ULL ^ ((uint64_t)keylen << 8) ^ (uint64_t)outlen;
}

/* Writes the first outlen bytes of h, little-endian. */
static void blake2b_output(uint8_t *out, size_t outlen, const uint64_t h[8])
{
    size_t words = outlen / 8, rest = outlen % 8;
    for (size_t i = 0; i < words; i++)
        store64_le(out + 8 * i, h[i]);
    if (rest != 0) {
        uint8_t last[8];
        store64_le(last, h[words]);
        memcpy(out + 8 * words, last, rest);
        /* the unused bytes may be derived from a key; do not leave them on the stack */
        itee_memzero(last, sizeof(last));
    }
}

static bool blake2b_args_ok(size_t outlen, const uint8_t *key, size_t keylen)
{
    return outlen != 0 && outlen <= BLAKE2B_OUT_MAX && keylen <= BLAKE2B_KEY_MAX &&
           (key != NULL || keylen == 0);
}

enum itee_err blake2b_init(struct blake2b_state *st, size_t outlen, const uint8_t *key,
                           size_t keylen)
{
    if (st == NULL || !blake2b_args_ok(outlen, key, keylen))
        return ITEE_ERR_ARG;
    blake2b_h_init(st->h, outlen, keylen);
    st->t[0] = 0;
    st->t[1] = 0;
    st->outlen = outlen;
    st->buflen = 0;
    memset(st->buf, 0, sizeof(st->buf));
    if (keylen != 0) {
        /* the key, zero-padded, is the first block (RFC 7693 §3.3) */
        memcpy(st->buf, key, keylen);
        st->buflen = BLAKE2B_BLOCK_LEN;
    }
    return ITEE_OK;
}

void blake2b_update(struct blake2b_state *st, const uint8_t *in, size_t len)
{
    if (len == 0)
        return;
    /* Only compress a buffered block once more input follows: the last block is final's. */
    size_t room = BLAKE2B_BLOCK_LEN - st->buflen;
    if (len <= room) {
        memcpy(st->buf + st->buflen, in, len);
        st->buflen += len;
        return;
    }
    if (st->buflen != 0) {
        memcpy(st->buf + st->buflen, in, room);
        in += room;
        len -= room;
        blake2b_count(st, BLAKE2B_BLOCK_LEN);
        blake2b_compress(st->h, st->buf, st->t[0], st->t[1], 0);
        st->buflen = 0;
    }
    /* len > 0 here; whole blocks straight from the input, keeping 1..128 bytes back */
    while (len > BLAKE2B_BLOCK_LEN) {
        blake2b_count(st, BLAKE2B_BLOCK_LEN);
        blake2b_compress(st->h, in, st->t[0], st->t[1], 0);
        in += BLAKE2B_BLOCK_LEN;
        len -= BLAKE2B_BLOCK_LEN;
    }
    memcpy(st->buf, in, len);
    st->buflen = len;
}

void blake2b_final(struct blake2b_state *st, uint8_t *out)
{
    blake2b_count(st, st->buflen);
    memset(st->buf + st->buflen, 0, BLAKE2B_BLOCK_LEN - st->buflen);
    blake2b_compress(st->h, st->buf, st->t[0], st->t[1], ~(uint64_t)0);
    blake2b_output(out, st->outlen, st->h);
    /* the buffer may hold the key or secret input */
    itee_memzero(st, sizeof(*st));
}

enum itee_err blake2b(uint8_t *out, size_t outlen, const uint8_t *key, size_t keylen,
                      const uint8_t *in, size_t len)
{
    if (out == NULL || !blake2b_args_ok(outlen, key, keylen) || (in == NULL && len != 0)) {
        if (out != NULL && outlen <= BLAKE2B_OUT_MAX)
            memset(out, 0, outlen);
        return ITEE_ERR_ARG;
    }
    if (keylen == 0 && len <= BLAKE2B_BLOCK_LEN) {
        /* One block, no key: skip the streaming state (the storage-key case). */
        uint64_t h[8];
        uint8_t block[BLAKE2B_BLOCK_LEN] = {0};
        if (len != 0)
            memcpy(block, in, len);
        blake2b_h_init(h, outlen, 0);
        blake2b_compress(h, block, (uint64_t)len, 0, ~(uint64_t)0);
        blake2b_output(out, outlen, h);
        itee_memzero(block, len);
        return ITEE_OK;
    }
    struct blake2b_state st;
    enum itee_err r = blake2b_init(&st, outlen, key, keylen);
    if (r != ITEE_OK)
        return r; /* not reached: the arguments were checked above */
    blake2b_update(&st, in, len);
    blake2b_final(&st, out);
    return ITEE_OK;
}
