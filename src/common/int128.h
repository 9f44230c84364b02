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

#endif
