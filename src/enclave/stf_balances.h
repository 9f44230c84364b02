/*
 * stf_balances.h - the balances STF module of SDK v0.13.0 (era B), registered into the engine
 * (stf.h) like any other module.
 *
 * Calls: 0 noop(who); 1 balance_set_balance(root, who, free, reserved) - only by the shard's root
 * account (Sudo key in the state, //Alice on dev shards); 2 balance_transfer(from, to, amount),
 * fee STF_BALANCES_FEE; 3 balance_unshield(from, beneficiary, amount, shard), fee 3 x
 * STF_BALANCES_FEE, burns amount and emits an STF_EFFECT_UNSHIELD; the shard must be the
 * executing shard (the original did not check; a mismatch would burn here and pay elsewhere);
 * 4 balance_shield(enclave, who, amount, parentchain) and 5 timestamp_set(enclave, moment,
 * parentchain) - only by the enclave's STF account. Fees go to the STF account.
 * Getters: public 0 some_value -> 42u32; trusted 0 free_balance -> u128, 1 reserved_balance ->
 * u128, 2 nonce -> u32 (all Some, zero for unknown accounts).
 *
 * Existential deposit: none. The spec states none for the STF; an account exists while any of
 * its AccountInfo fields is non-zero and is removed from the state when all are zero.
 */
#ifndef ITEE_STF_BALANCES_H
#define ITEE_STF_BALANCES_H

#include <stdint.h>

#include "common/err.h"
#include "common/int128.h"
#include "enclave/stf.h"
#include "enclave/stf_state.h"

/* 0.0001 TEER (12 decimals) per transfer; unshield pays three times this. */
#define STF_BALANCES_FEE ((itee_u128)100000000u)

/* The root of dev shards: the account of //Alice sr25519 (the CLI signs with sr25519). */
#define STF_BALANCES_DEV_ROOT                                                                      \
    "\xd4\x35\x93\xc7\x15\xfd\xd3\x1c\x61\x14\x1a\xbd\x04\xa9\x9f\xd6\x82\x2c\x85\x58\x85\x4c"     \
    "\xcd\xe3\x9a\x56\x84\xe7\xa5\x6d\xa2\x7d"

/* Returns: the module (static, read-only). */
const struct stf_module *stf_balances_module(void);

/* Sets the shard's root account (the Sudo key). Returns: as stf_state_put. */
ITEE_MUST_CHECK enum itee_err stf_balances_set_root(struct stf_state *st, const uint8_t root[32]);
/* Out: root. Returns: ITEE_OK, ITEE_ERR_NOENT (none set) or ITEE_ERR_STF_STATE. */
ITEE_MUST_CHECK enum itee_err stf_balances_root(const struct stf_state *st, uint8_t root[32]);
/* Out: *moment = last timestamp_set for parentchain (0 if none). Returns: ITEE_OK or _STATE. */
ITEE_MUST_CHECK enum itee_err stf_balances_timestamp(const struct stf_state *st,
                                                     uint8_t parentchain, uint64_t *moment);

#endif
