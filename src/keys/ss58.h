/*
 * ss58.h - SS58 addresses (Substrate's base58check variant), as polkadot-js encodeAddress and
 * decodeAddress produce and accept them.
 *
 * address = base58(prefix || account || blake2b_512("SS58PRE" || prefix || account)[0..c]),
 * prefix one byte for idents 0..63 and two bytes for 64..16383, c = 2 for 32/33-byte accounts
 * and 1 for 1/2/4/8-byte ones (account indices).
 */
#ifndef ITEE_SS58_H
#define ITEE_SS58_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define SS58_PREFIX_POLKADOT   0
#define SS58_PREFIX_KUSAMA     2
#define SS58_PREFIX_INTEGRITEE 13
#define SS58_PREFIX_GENERIC    42
#define SS58_PREFIX_MAX        16383
#define SS58_ACCOUNT_MAX       33 /* longest account payload */
/* Buffer size for any address text (the longest is 51 characters) and its NUL. */
#define SS58_ADDRESS_MAX 64

/* Returns: 1 if prefix is usable (0..16383, not the reserved 46 and 47), else 0. */
int ss58_prefix_valid(uint16_t prefix);

/*
 * Encodes account (1, 2, 4, 8, 32 or 33 bytes) under prefix as NUL-terminated text.
 * Returns: ITEE_OK, ITEE_ERR_SS58_PREFIX, ITEE_ERR_ARG (account length) or ITEE_ERR_SPACE.
 */
ITEE_MUST_CHECK enum itee_err ss58_encode(char *out, size_t cap, uint16_t prefix,
                                          const uint8_t *account, size_t len);

/*
 * Decodes an address with any valid prefix.
 * Returns: ITEE_OK; ITEE_ERR_SS58 (not base58, or a length no account size explains),
 * ITEE_ERR_SS58_PREFIX (first byte >= 128, or 46/47), ITEE_ERR_SS58_CHECKSUM, ITEE_ERR_SPACE
 * (cap below the account length), ITEE_ERR_ARG. Out: *out_len account bytes, *prefix.
 * Unlike polkadot-js, the checksum length must be the one the account length implies
 * (polkadot-js also takes a 32-byte account with a 1-byte checksum after a 2-byte prefix).
 */
ITEE_MUST_CHECK enum itee_err ss58_decode(uint8_t *out, size_t cap, size_t *out_len,
                                          uint16_t *prefix, const char *text, size_t len);

/* As ss58_decode, but the account must be 32 bytes (an AccountId32). prefix may be NULL. */
ITEE_MUST_CHECK enum itee_err ss58_decode_account32(uint8_t out[32], uint16_t *prefix,
                                                    const char *text, size_t len);

#endif
