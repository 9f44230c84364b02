/*
 * aead.c - AES-256-GCM over OpenSSL EVP.
 *
 * EVP takes int lengths, so data is fed in pieces of at most AEAD_PIECE bytes; GCM is a stream
 * mode, so splitting the input does not change the output.
 */
#include "aead.h"

#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/mem.h"

/* Largest single EVP update: comfortably below INT_MAX. */
#define AEAD_PIECE ((size_t)1 << 30)

size_t aead_key_len(void)
{
    return AEAD_KEY_LEN;
}

size_t aead_nonce_len(void)
{
    return AEAD_NONCE_LEN;
}

size_t aead_tag_len(void)
{
    return AEAD_TAG_LEN;
}

/* Feeds aad (no output) and then in -> out to an initialised GCM context. */
static int aead_feed(EVP_CIPHER_CTX *ctx, int enc, uint8_t *out, const uint8_t *aad, size_t aad_len,
                     const uint8_t *in, size_t len)
{
    int n = 0;
    while (aad_len > 0) {
        size_t piece = aad_len < AEAD_PIECE ? aad_len : AEAD_PIECE;
        int ok = enc ? EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)piece)
                     : EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)piece);
        if (ok != 1)
            return 0;
        aad += piece;
        aad_len -= piece;
    }
    while (len > 0) {
        size_t piece = len < AEAD_PIECE ? len : AEAD_PIECE;
        int ok = enc ? EVP_EncryptUpdate(ctx, out, &n, in, (int)piece)
                     : EVP_DecryptUpdate(ctx, out, &n, in, (int)piece);
        /* GCM is a stream mode: EVP emits exactly what it was given. */
        if (ok != 1 || (size_t)n != piece)
            return 0;
        out += piece;
        in += piece;
        len -= piece;
    }
    return 1;
}

enum itee_err aead_aes256gcm_encrypt(uint8_t *out, const uint8_t key[AEAD_KEY_LEN],
                                     const uint8_t nonce[AEAD_NONCE_LEN], const uint8_t *aad,
                                     size_t aad_len, const uint8_t *in, size_t len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    if (key == NULL || nonce == NULL || (aad == NULL && aad_len > 0) || (in == NULL && len > 0) ||
        (uint64_t)len > AEAD_MAX_LEN)
        return ITEE_ERR_ARG; /* out's size is unknown here, so it is left alone */
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    int n = 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) {
        r = ITEE_ERR_NOMEM;
        goto out;
    }
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, AEAD_NONCE_LEN, NULL) != 1 ||
        EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) != 1)
        goto out;
    if (!aead_feed(ctx, 1, out, aad, aad_len, in, len))
        goto out;
    if (EVP_EncryptFinal_ex(ctx, out + len, &n) != 1 || n != 0)
        goto out;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AEAD_TAG_LEN, out + len) != 1)
        goto out;
    r = ITEE_OK;
out:
    EVP_CIPHER_CTX_free(ctx); /* also cleanses the expanded key schedule */
    if (r != ITEE_OK)
        itee_memzero(out, len + AEAD_TAG_LEN);
    return r;
}

enum itee_err aead_aes256gcm_decrypt(uint8_t *out, const uint8_t key[AEAD_KEY_LEN],
                                     const uint8_t nonce[AEAD_NONCE_LEN], const uint8_t *aad,
                                     size_t aad_len, const uint8_t *in, size_t len)
{
    if (key == NULL || nonce == NULL || in == NULL || (aad == NULL && aad_len > 0))
        return ITEE_ERR_ARG;
    if (len < AEAD_TAG_LEN)
        return ITEE_ERR_AUTH;
    size_t clen = len - AEAD_TAG_LEN;
    if ((out == NULL && clen > 0) || (uint64_t)clen > AEAD_MAX_LEN)
        return ITEE_ERR_ARG;
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    uint8_t tag[AEAD_TAG_LEN];
    uint8_t final_block[16];
    int n = 0;
    /* Copy the tag first: with out == in, decryption overwrites only clen bytes, but keeping
     * our own copy makes the aliasing rule easy to state. */
    memcpy(tag, in + clen, AEAD_TAG_LEN);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) {
        r = ITEE_ERR_NOMEM;
        goto out;
    }
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, AEAD_NONCE_LEN, NULL) != 1 ||
        EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) != 1)
        goto out;
    if (!aead_feed(ctx, 0, out, aad, aad_len, in, clen))
        goto out;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AEAD_TAG_LEN, tag) != 1)
        goto out;
    /* OpenSSL compares the tag in constant time (CRYPTO_memcmp). */
    if (EVP_DecryptFinal_ex(ctx, final_block, &n) != 1) {
        r = ITEE_ERR_AUTH;
        goto out;
    }
    if (n != 0)
        goto out;
    r = ITEE_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    if (r != ITEE_OK && out != NULL)
        itee_memzero(out, clen);
    return r;
}
