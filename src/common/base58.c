/*
 * base58.c - quadratic big-number base conversion; inputs are bounded so that is fine.
 */
#include "base58.h"

#include <string.h>

static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* base58 digits needed for n bytes: n * log(256)/log(58) < n * 138/100 + 1 */
#define B58_DIGITS(n) ((n)*138 / 100 + 1)

enum itee_err itee_base58_encode(char *out, size_t out_cap, const uint8_t *in, size_t len)
{
    uint8_t digits[B58_DIGITS(ITEE_BASE58_MAX_BYTES)];
    if (out == NULL || (in == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (len > ITEE_BASE58_MAX_BYTES)
        return ITEE_ERR_ARG;
    size_t zeros = 0;
    while (zeros < len && in[zeros] == 0)
        zeros++;
    size_t ndig = 0; /* digits[0..ndig) little-endian base58 of the non-zero part */
    for (size_t i = zeros; i < len; i++) {
        unsigned carry = in[i];
        for (size_t j = 0; j < ndig; j++) {
            carry += (unsigned)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits[ndig++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    if (zeros + ndig + 1 > out_cap)
        return ITEE_ERR_SPACE;
    size_t o = 0;
    for (size_t i = 0; i < zeros; i++)
        out[o++] = '1';
    for (size_t i = 0; i < ndig; i++)
        out[o++] = alphabet[digits[ndig - 1 - i]];
    out[o] = '\0';
    return ITEE_OK;
}

static int b58_val(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

enum itee_err itee_base58_decode(uint8_t *out, size_t out_cap, size_t *out_len, const char *text,
                                 size_t len)
{
    uint8_t bytes[ITEE_BASE58_MAX_BYTES];
    if (out_len == NULL || (text == NULL && len > 0))
        return ITEE_ERR_ARG;
    *out_len = 0;
    if (len > B58_DIGITS(ITEE_BASE58_MAX_BYTES))
        return ITEE_ERR_BASE58;
    size_t zeros = 0;
    while (zeros < len && text[zeros] == '1')
        zeros++;
    size_t nbytes = 0; /* bytes[0..nbytes) little-endian */
    for (size_t i = zeros; i < len; i++) {
        int v = b58_val(text[i]);
        if (v < 0)
            return ITEE_ERR_BASE58;
        unsigned carry = (unsigned)v;
        for (size_t j = 0; j < nbytes; j++) {
            carry += (unsigned)bytes[j] * 58;
            bytes[j] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            if (nbytes == sizeof(bytes))
                return ITEE_ERR_BASE58;
            bytes[nbytes++] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
    }
    if (zeros + nbytes > out_cap)
        return ITEE_ERR_SPACE;
    memset(out, 0, zeros);
    for (size_t i = 0; i < nbytes; i++)
        out[zeros + i] = bytes[nbytes - 1 - i];
    *out_len = zeros + nbytes;
    return ITEE_OK;
}
