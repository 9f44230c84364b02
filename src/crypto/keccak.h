/*
 * keccak.h - the Keccak-f[1600] permutation (FIPS 202), the core of STROBE-128 / Merlin.
 *
 * The state is the 200-byte array the sponge constructions see; lanes are read and written
 * little-endian, so the byte layout is the same on every host.
 */
#ifndef ITEE_KECCAK_H
#define ITEE_KECCAK_H

#include <stdint.h>

#define KECCAK_STATE_LEN 200

/* Applies the 24-round Keccak-f[1600] permutation to state in place. */
void keccak_f1600(uint8_t state[KECCAK_STATE_LEN]);

#endif
