/*
 * suri.c - secret URI parsing and junction chain codes (Substrate semantics).
 */
#include "keys/suri.h"

#include <string.h>

#include "crypto/hash.h"

/* Returns: true for the characters Substrate's phrase group accepts. */
static bool suri_phrase_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
}

/* Parses Rust's u64::from_str grammar: optional '+', then one or more digits, no overflow. */
static bool suri_parse_u64(uint64_t *v, const char *s, size_t len)
{
    size_t i = 0;
    *v = 0;
    if (len > 0 && s[0] == '+')
        i = 1;
    if (i == len)
        return false;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (*v > (UINT64_MAX - d) / 10)
            return false;
        *v = *v * 10 + d;
    }
    return true;
}

enum itee_err suri_chain_code(uint8_t cc[SURI_CHAIN_CODE_LEN], const char *junction, size_t len)
{
    if (cc == NULL)
        return ITEE_ERR_ARG;
    memset(cc, 0, SURI_CHAIN_CODE_LEN);
    if (junction == NULL && len > 0)
        return ITEE_ERR_ARG;
    uint64_t v;
    if (suri_parse_u64(&v, junction, len)) {
        for (size_t i = 0; i < 8; i++)
            cc[i] = (uint8_t)(v >> (8 * i));
        return ITEE_OK;
    }
    /* SCALE String: compact length, then the bytes. */
    uint8_t pre[5];
    size_t plen;
    if (len < 64) {
        pre[0] = (uint8_t)(len << 2);
        plen = 1;
    } else if (len < (1u << 14)) {
        pre[0] = (uint8_t)((len << 2) | 1);
        pre[1] = (uint8_t)(len >> 6);
        plen = 2;
    } else if (len < (1u << 30)) {
        uint32_t x = (uint32_t)(len << 2) | 2;
        for (size_t i = 0; i < 4; i++)
            pre[i] = (uint8_t)(x >> (8 * i));
        plen = 4;
    } else {
        /* Big-integer mode: 4 bytes of length suffice for any text we can hold. */
        if ((uint64_t)len > UINT32_MAX)
            return ITEE_ERR_ARG;
        pre[0] = (uint8_t)(((4 - 4) << 2) | 3);
        for (size_t i = 0; i < 4; i++)
            pre[1 + i] = (uint8_t)((uint64_t)len >> (8 * i));
        plen = 5;
    }
    if (plen + len <= SURI_CHAIN_CODE_LEN) {
        memcpy(cc, pre, plen);
        if (len > 0)
            memcpy(cc + plen, junction, len);
        return ITEE_OK;
    }
    struct hash_blake2b_state st;
    if (hash_blake2b_init(&st, HASH_BLAKE2_256_LEN, NULL, 0) != ITEE_OK)
        return ITEE_ERR_INTERNAL;
    hash_blake2b_update(&st, pre, plen);
    hash_blake2b_update(&st, (const uint8_t *)junction, len);
    hash_blake2b_final(&st, cc);
    return ITEE_OK;
}

enum itee_err suri_parse(struct suri *out, const char *text, size_t len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, sizeof(*out));
    if (text == NULL && len > 0)
        return ITEE_ERR_ARG;

    size_t i = 0;
    while (i < len && suri_phrase_char(text[i]))
        i++;
    if (i > 0) {
        out->phrase = text;
        out->phrase_len = i;
    } else {
        out->phrase = SURI_DEV_PHRASE;
        out->phrase_len = sizeof(SURI_DEV_PHRASE) - 1;
    }

    enum itee_err r = ITEE_ERR_SURI;
    /* Junctions until the end or "///"; each is "/" or "//" and then non-slash text. */
    while (i < len) {
        if (text[i] != '/')
            goto fail;
        if (len - i >= 3 && text[i + 1] == '/' && text[i + 2] == '/') {
            /* The password is the rest of the text; Rust's '.' matches anything but '\n'. */
            const char *pw = text + i + 3;
            size_t pwlen = len - i - 3;
            if (pwlen > 0 && memchr(pw, '\n', pwlen) != NULL)
                goto fail;
            out->password = pw;
            out->password_len = pwlen;
            out->has_password = true;
            return ITEE_OK;
        }
        bool hard = len - i >= 2 && text[i + 1] == '/';
        size_t start = i + (hard ? 2 : 1), end = start;
        while (end < len && text[end] != '/')
            end++;
        if (end == start)
            goto fail;
        if (out->njunctions == SURI_MAX_JUNCTIONS)
            goto fail;
        struct suri_junction *j = &out->junctions[out->njunctions++];
        j->hard = hard;
        r = suri_chain_code(j->cc, text + start, end - start);
        if (r != ITEE_OK)
            goto fail;
        r = ITEE_ERR_SURI;
        i = end;
    }
    return ITEE_OK;
fail:
    memset(out, 0, sizeof(*out));
    return r;
}
