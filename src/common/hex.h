/*
 * hex.h - lowercase hex encoding and strict decoding (optional "0x" prefix).
 */
#ifndef ITEE_HEX_H
#define ITEE_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * Writes 2*len hex digits and a NUL to out.
 * Returns: ITEE_OK, or ITEE_ERR_SPACE if out_cap < 2*len + 1.
 */
ITEE_MUST_CHECK enum itee_err itee_hex_encode(char *out, size_t out_cap, const uint8_t *in,
                                              size_t len);

/*
 * Decodes text (len characters, an optional 0x/0X prefix, an even number of digits of either
 * case) into out.
 * Returns: ITEE_OK; ITEE_ERR_HEX on a bad digit or odd count; ITEE_ERR_SPACE if out_cap is
 * too small. Out: *out_len bytes written.
 */
ITEE_MUST_CHECK enum itee_err itee_hex_decode(uint8_t *out, size_t out_cap, size_t *out_len,
                                              const char *text, size_t len);

/* Like itee_hex_decode, but the decoded length must be exactly out_len. */
ITEE_MUST_CHECK enum itee_err itee_hex_decode_exact(uint8_t *out, size_t out_len, const char *text,
                                                    size_t len);

#endif
