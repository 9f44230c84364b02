/*
 * bip39.c - BIP39 English mnemonics <-> entropy, and substrate-bip39's PBKDF2 over entropy.
 */
#include "keys/bip39.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "common/mem.h"
#include "crypto/hash.h"

/* PBKDF2 salt prefix and round count, fixed by BIP39 and kept by substrate-bip39. */
static const char bip39_salt_prefix[] = "mnemonic";
#define BIP39_SALT_PREFIX_LEN 8
#define BIP39_PBKDF2_ROUNDS   2048
/* Passwords up to this length are salted in a stack buffer; longer ones on the heap. */
#define BIP39_STACK_PASSWORD_MAX 256

/* Returns: true for an entropy length BIP39 (and substrate-bip39) accepts. */
static bool bip39_entropy_len_ok(size_t len)
{
    return len >= BIP39_MIN_ENTROPY_LEN && len <= BIP39_MAX_ENTROPY_LEN && len % 4 == 0;
}

/* Compares a counted word with a NUL-terminated list word, like strcmp. */
static int bip39_word_cmp(const char *word, size_t len, const char *listed)
{
    size_t i = 0;
    for (; i < len && listed[i] != '\0'; i++) {
        if ((unsigned char)word[i] != (unsigned char)listed[i])
            return (unsigned char)word[i] < (unsigned char)listed[i] ? -1 : 1;
    }
    if (i == len)
        return listed[i] == '\0' ? 0 : -1;
    return 1;
}

enum itee_err bip39_word_index(uint16_t *index, const char *word, size_t len)
{
    if (index == NULL || (word == NULL && len > 0))
        return ITEE_ERR_ARG;
    *index = 0;
    size_t lo = 0, hi = BIP39_WORDLIST_LEN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = bip39_word_cmp(word, len, bip39_english[mid]);
        if (c == 0) {
            *index = (uint16_t)mid;
            return ITEE_OK;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return ITEE_ERR_MNEMONIC_WORD;
}

/* Returns: the 11-bit group number i of bits (big-endian bit order). */
static uint16_t bip39_bits11(const uint8_t *bits, size_t i)
{
    uint16_t v = 0;
    for (size_t b = i * 11; b < i * 11 + 11; b++)
        v = (uint16_t)((v << 1) | ((bits[b / 8] >> (7 - b % 8)) & 1));
    return v;
}

enum itee_err bip39_mnemonic_from_entropy(char *out, size_t cap, const uint8_t *entropy, size_t len)
{
    if (out == NULL || cap == 0)
        return ITEE_ERR_ARG;
    out[0] = '\0';
    if (entropy == NULL || !bip39_entropy_len_ok(len))
        return ITEE_ERR_ARG;
    /* entropy || sha256(entropy): the checksum is the first len/4 bits of the hash. */
    uint8_t bits[BIP39_MAX_ENTROPY_LEN + HASH_SHA256_LEN];
    memcpy(bits, entropy, len);
    hash_sha256(bits + len, entropy, len);
    size_t words = len * 3 / 4, pos = 0;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < words; i++) {
        const char *w = bip39_english[bip39_bits11(bits, i)];
        size_t wl = strlen(w);
        if (pos + (i > 0) + wl + 1 > cap) {
            r = ITEE_ERR_SPACE;
            break;
        }
        if (i > 0)
            out[pos++] = ' ';
        memcpy(out + pos, w, wl);
        pos += wl;
    }
    itee_memzero(bits, sizeof(bits));
    if (r != ITEE_OK) {
        itee_memzero(out, cap);
        return r;
    }
    out[pos] = '\0';
    return ITEE_OK;
}

enum itee_err bip39_entropy_from_mnemonic(uint8_t *out, size_t cap, size_t *out_len,
                                          const char *phrase, size_t len)
{
    if (out_len == NULL)
        return ITEE_ERR_ARG;
    *out_len = 0;
    if (out == NULL || (phrase == NULL && len > 0))
        return ITEE_ERR_ARG;
    memset(out, 0, cap);

    /* Pack the 11-bit word indices, most significant bit first. */
    uint8_t bits[BIP39_MAX_ENTROPY_LEN + 1] = {0};
    size_t words = 0, i = 0;
    enum itee_err r = ITEE_OK;
    while (i < len) {
        if (phrase[i] == ' ') {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && phrase[i] != ' ')
            i++;
        if (words == BIP39_MAX_WORDS) {
            r = ITEE_ERR_MNEMONIC_LENGTH;
            goto out;
        }
        uint16_t idx;
        r = bip39_word_index(&idx, phrase + start, i - start);
        if (r != ITEE_OK)
            goto out;
        for (size_t b = 0; b < 11; b++) {
            size_t at = words * 11 + b;
            if ((idx >> (10 - b)) & 1)
                bits[at / 8] |= (uint8_t)(0x80 >> (at % 8));
        }
        words++;
    }
    if (words < 12 || words % 3 != 0) {
        r = ITEE_ERR_MNEMONIC_LENGTH;
        goto out;
    }
    size_t ent = words * 4 / 3; /* entropy bytes; checksum bits = ent / 4 */
    uint8_t h[HASH_SHA256_LEN];
    hash_sha256(h, bits, ent);
    size_t cs = ent / 4;
    uint8_t mask = (uint8_t)(0xff << (8 - cs));
    bool good = ((bits[ent] ^ h[0]) & mask) == 0;
    itee_memzero(h, sizeof(h));
    if (!good) {
        r = ITEE_ERR_MNEMONIC_CHECKSUM;
        goto out;
    }
    if (cap < ent) {
        r = ITEE_ERR_SPACE;
        goto out;
    }
    memcpy(out, bits, ent);
    *out_len = ent;
    r = ITEE_OK;
out:
    itee_memzero(bits, sizeof(bits));
    return r;
}

enum itee_err bip39_seed64(uint8_t out[BIP39_SEED_LEN], const uint8_t *entropy, size_t len,
                           const char *password, size_t plen)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_memzero(out, BIP39_SEED_LEN);
    if (entropy == NULL || !bip39_entropy_len_ok(len) || (password == NULL && plen > 0) ||
        plen > (size_t)0x7fffffff - BIP39_SALT_PREFIX_LEN)
        return ITEE_ERR_ARG;

    enum itee_err r = ITEE_ERR_INTERNAL;
    uint8_t stack_salt[BIP39_SALT_PREFIX_LEN + BIP39_STACK_PASSWORD_MAX];
    uint8_t *salt = stack_salt;
    size_t salt_len = BIP39_SALT_PREFIX_LEN + plen;
    if (plen > BIP39_STACK_PASSWORD_MAX) {
        salt = itee_alloc(salt_len);
        if (salt == NULL)
            return ITEE_ERR_NOMEM;
    }
    memcpy(salt, bip39_salt_prefix, BIP39_SALT_PREFIX_LEN);
    if (plen > 0)
        memcpy(salt + BIP39_SALT_PREFIX_LEN, password, plen);
    if (PKCS5_PBKDF2_HMAC((const char *)entropy, (int)len, salt, (int)salt_len, BIP39_PBKDF2_ROUNDS,
                          EVP_sha512(), BIP39_SEED_LEN, out) != 1) {
        itee_memzero(out, BIP39_SEED_LEN);
        r = ITEE_ERR_CRYPTO_LIB;
        goto out;
    }
    r = ITEE_OK;
out:
    if (salt != stack_salt)
        itee_free_secret(salt, salt_len);
    else
        itee_memzero(stack_salt, sizeof(stack_salt));
    return r;
}

enum itee_err bip39_mini_secret(uint8_t out[BIP39_MINI_SECRET_LEN], const uint8_t *entropy,
                                size_t len, const char *password, size_t plen)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    uint8_t seed[BIP39_SEED_LEN];
    enum itee_err r = bip39_seed64(seed, entropy, len, password, plen);
    memcpy(out, seed, BIP39_MINI_SECRET_LEN); /* zeros on failure */
    itee_memzero(seed, sizeof(seed));
    return r;
}

enum itee_err bip39_generate(char *out, size_t cap, size_t words)
{
    if (out == NULL || cap == 0)
        return ITEE_ERR_ARG;
    out[0] = '\0';
    if (words < 12 || words > BIP39_MAX_WORDS || words % 3 != 0)
        return ITEE_ERR_ARG;
    uint8_t entropy[BIP39_MAX_ENTROPY_LEN];
    size_t len = words * 4 / 3;
    randombytes_buf(entropy, len);
    enum itee_err r = bip39_mnemonic_from_entropy(out, cap, entropy, len);
    itee_memzero(entropy, sizeof(entropy));
    return r;
}
