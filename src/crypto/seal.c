/*
 * seal.c - sealing key derivation (HKDF-SHA256) and the versioned AES-256-GCM blob format
 * described in seal.h.
 */
#include "seal.h"

#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "aead.h"
#include "common/mem.h"

_Static_assert(SEAL_NONCE_LEN == AEAD_NONCE_LEN, "seal uses the AEAD's nonce");
_Static_assert(SEAL_TAG_LEN == AEAD_TAG_LEN, "seal uses the AEAD's tag");
_Static_assert(SEAL_KEY_LEN == AEAD_KEY_LEN, "seal uses the AEAD's key");

/* The header every version-1 blob starts with; it is also the start of the GCM aad. */
static const uint8_t seal_header_v1[SEAL_HEADER_LEN] = {'I', 'T', 'S', 'L', SEAL_VERSION};

size_t seal_overhead(void)
{
    return SEAL_OVERHEAD;
}

enum itee_err seal_key_derive(uint8_t key[SEAL_KEY_LEN],
                              const uint8_t measurement[SEAL_MEASUREMENT_LEN],
                              const uint8_t *local_secret, size_t secret_len, const char *label)
{
    if (key == NULL)
        return ITEE_ERR_ARG;
    memset(key, 0, SEAL_KEY_LEN);
    if (measurement == NULL || local_secret == NULL || label == NULL ||
        secret_len < SEAL_MIN_SECRET_LEN)
        return ITEE_ERR_ARG;
    size_t label_len = strnlen(label, SEAL_MAX_LABEL_LEN + 1);
    if (label_len > SEAL_MAX_LABEL_LEN)
        return ITEE_ERR_ARG;

    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    EVP_KDF *kdf = NULL;
    EVP_KDF_CTX *kctx = NULL;
    uint8_t info[sizeof(SEAL_KDF_INFO_PREFIX) - 1 + SEAL_MAX_LABEL_LEN];
    size_t prefix_len = sizeof(SEAL_KDF_INFO_PREFIX) - 1;
    memcpy(info, SEAL_KDF_INFO_PREFIX, prefix_len);
    memcpy(info + prefix_len, label, label_len);

    kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
    if (kdf == NULL)
        goto out;
    kctx = EVP_KDF_CTX_new(kdf);
    if (kctx == NULL)
        goto out;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)local_secret, secret_len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)measurement,
                                          SEAL_MEASUREMENT_LEN),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, prefix_len + label_len),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_KDF_derive(kctx, key, SEAL_KEY_LEN, params) != 1)
        goto out;
    r = ITEE_OK;
out:
    EVP_KDF_CTX_free(kctx); /* cleanses the copied IKM */
    EVP_KDF_free(kdf);
    if (r != ITEE_OK)
        itee_memzero(key, SEAL_KEY_LEN);
    return r;
}

/* Builds header || aad into a fresh allocation (*full, *full_len). */
static enum itee_err seal_full_aad(uint8_t **full, size_t *full_len, const uint8_t *aad,
                                   size_t aad_len)
{
    if (aad_len > SIZE_MAX - SEAL_HEADER_LEN)
        return ITEE_ERR_ARG;
    *full_len = SEAL_HEADER_LEN + aad_len;
    *full = itee_alloc(*full_len);
    if (*full == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(*full, seal_header_v1, SEAL_HEADER_LEN);
    if (aad_len > 0)
        memcpy(*full + SEAL_HEADER_LEN, aad, aad_len);
    return ITEE_OK;
}

enum itee_err seal(struct itee_buf *out, const uint8_t key[SEAL_KEY_LEN], const uint8_t *aad,
                   size_t aad_len, const uint8_t *plain, size_t len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (key == NULL || (aad == NULL && aad_len > 0) || (plain == NULL && len > 0) ||
        (uint64_t)len > AEAD_MAX_LEN)
        return ITEE_ERR_ARG;

    uint8_t *full_aad = NULL;
    size_t full_aad_len = 0;
    enum itee_err r = itee_buf_reserve(out, len + SEAL_OVERHEAD);
    if (r != ITEE_OK)
        goto out;
    r = seal_full_aad(&full_aad, &full_aad_len, aad, aad_len);
    if (r != ITEE_OK)
        goto out;
    uint8_t *p = out->ptr;
    memcpy(p, seal_header_v1, SEAL_HEADER_LEN);
    if (RAND_bytes(p + SEAL_HEADER_LEN, SEAL_NONCE_LEN) != 1) {
        r = ITEE_ERR_RNG;
        goto out;
    }
    r = aead_aes256gcm_encrypt(p + SEAL_HEADER_LEN + SEAL_NONCE_LEN, key, p + SEAL_HEADER_LEN,
                               full_aad, full_aad_len, plain, len);
    if (r != ITEE_OK)
        goto out;
    out->len = len + SEAL_OVERHEAD;
out:
    itee_free(full_aad);
    return r;
}

enum itee_err unseal(struct itee_buf *out, const uint8_t key[SEAL_KEY_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *blob, size_t blob_len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (key == NULL || (aad == NULL && aad_len > 0) || (blob == NULL && blob_len > 0))
        return ITEE_ERR_ARG;
    if (blob_len < SEAL_OVERHEAD || !itee_ct_eq(blob, SEAL_MAGIC, SEAL_MAGIC_LEN) ||
        blob[SEAL_MAGIC_LEN] != SEAL_VERSION)
        return ITEE_ERR_FORMAT;

    size_t len = blob_len - SEAL_OVERHEAD;
    uint8_t *full_aad = NULL;
    size_t full_aad_len = 0;
    enum itee_err r = ITEE_OK;
    /* Reserve everything first: growing later would leave plaintext copies in freed memory. */
    if (len > 0)
        r = itee_buf_reserve(out, len);
    if (r != ITEE_OK)
        goto out;
    r = seal_full_aad(&full_aad, &full_aad_len, aad, aad_len);
    if (r != ITEE_OK)
        goto out;
    const uint8_t *nonce = blob + SEAL_HEADER_LEN;
    r = aead_aes256gcm_decrypt(out->ptr, key, nonce, full_aad, full_aad_len, nonce + SEAL_NONCE_LEN,
                               len + SEAL_TAG_LEN);
    if (r != ITEE_OK)
        goto out;
    out->len = len;
out:
    itee_free(full_aad);
    return r;
}
