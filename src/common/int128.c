/*
 * int128.c - decimal text for u128 (balances in CLI arguments, JSON and logs).
 */
#include "int128.h"

#include <string.h>

const char *itee_u128_to_dec(char out[ITEE_U128_DEC_MAX], itee_u128 v)
{
    char tmp[ITEE_U128_DEC_MAX];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return out;
}

enum itee_err itee_u128_from_dec(const char *s, size_t n, itee_u128 *out)
{
    if (s == NULL || out == NULL || n == 0)
        return ITEE_ERR_PARSE;
    itee_u128 v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return ITEE_ERR_PARSE;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ITEE_U128_MAX - d) / 10)
            return ITEE_ERR_SCALE_OVERFLOW;
        v = v * 10 + d;
    }
    *out = v;
    return ITEE_OK;
}
