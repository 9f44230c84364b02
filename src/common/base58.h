/*
 * base58.h - Bitcoin-alphabet base58 (used by SS58 addresses and shard identifiers).
 */
#ifndef ITEE_BASE58_H
#define ITEE_BASE58_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Longest input accepted by either direction; SS58 and shard ids are far below it. */
#define ITEE_BASE58_MAX_BYTES 256

/*
 * Encodes len bytes (at most ITEE_BASE58_MAX_BYTES) as NUL-terminated base58 text; each
 * leading zero byte becomes '1'.
 * Returns: ITEE_OK, ITEE_ERR_ARG, or ITEE_ERR_SPACE if out_cap is too small.
 */
ITEE_MUST_CHECK enum itee_err itee_base58_encode(char *out, size_t out_cap, const uint8_t *in,
                                                 size_t len);

/*
 * Decodes len characters of base58 text.
 * Returns: ITEE_OK, ITEE_ERR_BASE58 on a character outside the alphabet or over-long input,
 * ITEE_ERR_SPACE if out_cap is too small. Out: *out_len bytes.
 */
ITEE_MUST_CHECK enum itee_err itee_base58_decode(uint8_t *out, size_t out_cap, size_t *out_len,
                                                 const char *text, size_t len);

#endif
