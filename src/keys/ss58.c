/*
 * ss58.c - SS58 address encoding and decoding.
 */
#include "keys/ss58.h"

#include <stdbool.h>
#include <string.h>

#include "common/base58.h"
#include "crypto/hash.h"

/* Longest payload: two prefix bytes, a 33-byte account, two checksum bytes. */
#define SS58_RAW_MAX (2 + SS58_ACCOUNT_MAX + 2)

static const uint8_t ss58_hash_prefix[7] = {'S', 'S', '5', '8', 'P', 'R', 'E'};

int ss58_prefix_valid(uint16_t prefix)
{
    return prefix <= SS58_PREFIX_MAX && prefix != 46 && prefix != 47;
}

/* Returns: true for account lengths polkadot-js encodes. */
static bool ss58_account_len_ok(size_t len)
{
    return len == 1 || len == 2 || len == 4 || len == 8 || len == 32 || len == 33;
}

/* Returns: checksum bytes for an account of len bytes. */
static size_t ss58_checksum_len(size_t len)
{
    return (len == 32 || len == 33) ? 2 : 1;
}

/* Writes blake2b_512("SS58PRE" || payload)[0..2]. */
static void ss58_checksum(uint8_t out[2], const uint8_t *payload, size_t len)
{
    struct hash_blake2b_state st;
    uint8_t h[HASH_BLAKE2_512_LEN];
    if (hash_blake2b_init(&st, HASH_BLAKE2_512_LEN, NULL, 0) != ITEE_OK) {
        out[0] = out[1] = 0; /* cannot happen: the length is valid */
        return;
    }
    hash_blake2b_update(&st, ss58_hash_prefix, sizeof(ss58_hash_prefix));
    hash_blake2b_update(&st, payload, len);
    hash_blake2b_final(&st, h);
    out[0] = h[0];
    out[1] = h[1];
}

enum itee_err ss58_encode(char *out, size_t cap, uint16_t prefix, const uint8_t *account,
                          size_t len)
{
    if (out == NULL || cap == 0)
        return ITEE_ERR_ARG;
    out[0] = '\0';
    if (!ss58_prefix_valid(prefix))
        return ITEE_ERR_SS58_PREFIX;
    if (account == NULL || !ss58_account_len_ok(len))
        return ITEE_ERR_ARG;
    uint8_t raw[SS58_RAW_MAX];
    size_t n = 0;
    if (prefix < 64) {
        raw[n++] = (uint8_t)prefix;
    } else {
        raw[n++] = (uint8_t)(((prefix & 0xfc) >> 2) | 0x40);
        raw[n++] = (uint8_t)((prefix >> 8) | ((prefix & 0x03) << 6));
    }
    memcpy(raw + n, account, len);
    n += len;
    uint8_t cs[2];
    ss58_checksum(cs, raw, n);
    memcpy(raw + n, cs, ss58_checksum_len(len));
    n += ss58_checksum_len(len);
    enum itee_err r = itee_base58_encode(out, cap, raw, n);
    if (r != ITEE_OK)
        out[0] = '\0';
    return r;
}

enum itee_err ss58_decode(uint8_t *out, size_t cap, size_t *out_len, uint16_t *prefix,
                          const char *text, size_t len)
{
    if (out_len == NULL || prefix == NULL)
        return ITEE_ERR_ARG;
    *out_len = 0;
    *prefix = 0;
    if ((out == NULL && cap > 0) || (text == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (out != NULL)
        memset(out, 0, cap);

    /* Anything longer than the longest address cannot be one; stop before decoding it. */
    if (len == 0 || len >= SS58_ADDRESS_MAX)
        return ITEE_ERR_SS58;
    uint8_t raw[ITEE_BASE58_MAX_BYTES];
    size_t n = 0;
    if (itee_base58_decode(raw, sizeof(raw), &n, text, len) != ITEE_OK)
        return ITEE_ERR_SS58;
    if (n < 3 || n > SS58_RAW_MAX)
        return ITEE_ERR_SS58;
    if (raw[0] & 0x80)
        return ITEE_ERR_SS58_PREFIX;
    size_t plen = (raw[0] & 0x40) ? 2 : 1;
    uint16_t ident;
    if (plen == 1)
        ident = raw[0];
    else
        ident = (uint16_t)(((raw[0] & 0x3f) << 2) | (raw[1] >> 6) | ((raw[1] & 0x3f) << 8));
    if (ident == 46 || ident == 47)
        return ITEE_ERR_SS58_PREFIX;

    /* The account length decides the checksum length; find the one that fits n. */
    size_t alen;
    if (n >= plen + 2 && (n - plen - 2 == 32 || n - plen - 2 == 33))
        alen = n - plen - 2;
    else if (n >= plen + 1 && ss58_account_len_ok(n - plen - 1) && n - plen - 1 < 32)
        alen = n - plen - 1;
    else
        return ITEE_ERR_SS58;
    size_t clen = ss58_checksum_len(alen);
    uint8_t cs[2];
    ss58_checksum(cs, raw, plen + alen);
    if (cs[0] != raw[plen + alen] || (clen == 2 && cs[1] != raw[plen + alen + 1]))
        return ITEE_ERR_SS58_CHECKSUM;
    if (cap < alen)
        return ITEE_ERR_SPACE;
    memcpy(out, raw + plen, alen);
    *out_len = alen;
    *prefix = ident;
    return ITEE_OK;
}

enum itee_err ss58_decode_account32(uint8_t out[32], uint16_t *prefix, const char *text, size_t len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    uint8_t acc[SS58_ACCOUNT_MAX];
    size_t n = 0;
    uint16_t p = 0;
    memset(out, 0, 32);
    if (prefix != NULL)
        *prefix = 0;
    enum itee_err r = ss58_decode(acc, sizeof(acc), &n, &p, text, len);
    if (r != ITEE_OK)
        return r;
    if (n != 32)
        return ITEE_ERR_SS58;
    memcpy(out, acc, 32);
    if (prefix != NULL)
        *prefix = p;
    return ITEE_OK;
}
