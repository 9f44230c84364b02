/*
 * hex.c - hex codec. Decoding rejects anything that is not a hex digit.
 */
#include "hex.h"

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum itee_err itee_hex_encode(char *out, size_t out_cap, const uint8_t *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    if (out == NULL || (in == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (len > (out_cap - 1) / 2 || out_cap == 0)
        return ITEE_ERR_SPACE;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
    return ITEE_OK;
}

enum itee_err itee_hex_decode(uint8_t *out, size_t out_cap, size_t *out_len, const char *text,
                              size_t len)
{
    if (out_len == NULL || (text == NULL && len > 0))
        return ITEE_ERR_ARG;
    *out_len = 0;
    if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text += 2;
        len -= 2;
    }
    if (len % 2 != 0)
        return ITEE_ERR_HEX;
    if (len / 2 > out_cap)
        return ITEE_ERR_SPACE;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_val(text[2 * i]);
        int lo = hex_val(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return ITEE_ERR_HEX;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *out_len = len / 2;
    return ITEE_OK;
}

enum itee_err itee_hex_decode_exact(uint8_t *out, size_t out_len, const char *text, size_t len)
{
    size_t got = 0;
    size_t digits = len;
    if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        digits -= 2;
    if (digits != 2 * out_len)
        return ITEE_ERR_HEX;
    return itee_hex_decode(out, out_len, &got, text, len);
}
