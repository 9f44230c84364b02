/*
 * int128.h - 128-bit integers (balances are u128 on Substrate chains).
 *
 * clang and gcc provide __int128 on 64-bit targets; __extension__ keeps -Wpedantic quiet.
 */
#ifndef ITEE_INT128_H
#define ITEE_INT128_H

__extension__ typedef unsigned __int128 itee_u128;
__extension__ typedef __int128 itee_i128;

#define ITEE_U128_MAX (~(itee_u128)0)

#include <stddef.h>

#include "err.h"

#define ITEE_U128_DEC_MAX 40 /* 39 digits of 2^128-1 and a NUL */

/* Writes v in decimal, NUL-terminated, to out. Returns: out (for use inside printf arguments). */
const char *itee_u128_to_dec(char out[ITEE_U128_DEC_MAX], itee_u128 v);
/*
 * Parses n characters of decimal digits (no sign, no spaces, at least one digit).
 * Returns: ITEE_OK; ITEE_ERR_PARSE (not digits); ITEE_ERR_SCALE_OVERFLOW (over 2^128-1).
 */
ITEE_MUST_CHECK enum itee_err itee_u128_from_dec(const char *s, size_t n, itee_u128 *out);

#endif
