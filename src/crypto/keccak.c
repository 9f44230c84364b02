/*
 * keccak.c - Keccak-f[1600] on 25 64-bit lanes.
 *
 * A plain, fully unrolled-per-round implementation: lanes are loaded once into locals, the
 * 24 rounds run on registers, and the lanes are stored back. θ, ρ/π, χ and ι follow FIPS 202;
 * lane index is x + 5y.
 */
#include "crypto/keccak.h"

#include <stddef.h>

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

static inline uint64_t rotl64(uint64_t v, unsigned n)
{
    /* n is a compile-time constant in 1..63 at every call site */
    return (v << n) | (v >> (64 - n));
}

static inline uint64_t load64_le(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void keccak_f1600(uint8_t state[KECCAK_STATE_LEN])
{
    uint64_t a[25];
    for (size_t i = 0; i < 25; i++)
        a[i] = load64_le(state + 8 * i);

    for (int round = 0; round < 24; round++) {
        /* θ */
        uint64_t c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
        uint64_t c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
        uint64_t c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
        uint64_t c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
        uint64_t c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
        uint64_t d0 = c4 ^ rotl64(c1, 1);
        uint64_t d1 = c0 ^ rotl64(c2, 1);
        uint64_t d2 = c1 ^ rotl64(c3, 1);
        uint64_t d3 = c2 ^ rotl64(c4, 1);
        uint64_t d4 = c3 ^ rotl64(c0, 1);

        /* ρ and π: b[y + 5*((2x+3y) mod 5)] = rotl(a[x + 5y] ^ d[x], r[x][y]) */
        uint64_t b00 = a[0] ^ d0;
        uint64_t b10 = rotl64(a[6] ^ d1, 44);
        uint64_t b20 = rotl64(a[12] ^ d2, 43);
        uint64_t b30 = rotl64(a[18] ^ d3, 21);
        uint64_t b40 = rotl64(a[24] ^ d4, 14);
        uint64_t b01 = rotl64(a[3] ^ d3, 28);
        uint64_t b11 = rotl64(a[9] ^ d4, 20);
        uint64_t b21 = rotl64(a[10] ^ d0, 3);
        uint64_t b31 = rotl64(a[16] ^ d1, 45);
        uint64_t b41 = rotl64(a[22] ^ d2, 61);
        uint64_t b02 = rotl64(a[1] ^ d1, 1);
        uint64_t b12 = rotl64(a[7] ^ d2, 6);
        uint64_t b22 = rotl64(a[13] ^ d3, 25);
        uint64_t b32 = rotl64(a[19] ^ d4, 8);
        uint64_t b42 = rotl64(a[20] ^ d0, 18);
        uint64_t b03 = rotl64(a[4] ^ d4, 27);
        uint64_t b13 = rotl64(a[5] ^ d0, 36);
        uint64_t b23 = rotl64(a[11] ^ d1, 10);
        uint64_t b33 = rotl64(a[17] ^ d2, 15);
        uint64_t b43 = rotl64(a[23] ^ d3, 56);
        uint64_t b04 = rotl64(a[2] ^ d2, 62);
        uint64_t b14 = rotl64(a[8] ^ d3, 55);
        uint64_t b24 = rotl64(a[14] ^ d4, 39);
        uint64_t b34 = rotl64(a[15] ^ d0, 41);
        uint64_t b44 = rotl64(a[21] ^ d1, 2);

        /* χ (bXY here is lane x=X, y=Y) and ι */
        a[0] = b00 ^ (~b10 & b20) ^ keccak_rc[round];
        a[1] = b10 ^ (~b20 & b30);
        a[2] = b20 ^ (~b30 & b40);
        a[3] = b30 ^ (~b40 & b00);
        a[4] = b40 ^ (~b00 & b10);
        a[5] = b01 ^ (~b11 & b21);
        a[6] = b11 ^ (~b21 & b31);
        a[7] = b21 ^ (~b31 & b41);
        a[8] = b31 ^ (~b41 & b01);
        a[9] = b41 ^ (~b01 & b11);
        a[10] = b02 ^ (~b12 & b22);
        a[11] = b12 ^ (~b22 & b32);
        a[12] = b22 ^ (~b32 & b42);
        a[13] = b32 ^ (~b42 & b02);
        a[14] = b42 ^ (~b02 & b12);
        a[15] = b03 ^ (~b13 & b23);
        a[16] = b13 ^ (~b23 & b33);
        a[17] = b23 ^ (~b33 & b43);
        a[18] = b33 ^ (~b43 & b03);
        a[19] = b43 ^ (~b03 & b13);
        a[20] = b04 ^ (~b14 & b24);
        a[21] = b14 ^ (~b24 & b34);
        a[22] = b24 ^ (~b34 & b44);
        a[23] = b34 ^ (~b44 & b04);
        a[24] = b44 ^ (~b04 & b14);
    }

    for (size_t i = 0; i < 25; i++)
        store64_le(state + 8 * i, a[i]);
}
