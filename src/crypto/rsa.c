/*
 * rsa.c - RSA-3072 shielding key over OpenSSL 3 EVP (no deprecated RSA_* calls) and jansson.
 *
 * Keys move in and out of OpenSSL as fixed-width little-endian byte arrays (struct rsa_raw),
 * the form of the original's JSON; OSSL_PARAM big numbers are native-endian, so the bytes are
 * reversed only on big-endian hosts. Secrets in temporaries are wiped before release.
 */
#include "rsa.h"

#include <string.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "common/mem.h"

_Static_assert(RSA_OAEP_CHUNK_LEN == RSA_SHIELD_MOD_LEN - 2 * 32 - 2, "OAEP-SHA-256 chunk size");

struct rsa_key {
    EVP_PKEY *pkey;                   /* OpenSSL key: public only, or the full key pair */
    bool has_private;                 /* pkey holds d, p, q and the CRT values */
    uint8_t n_le[RSA_SHIELD_MOD_LEN]; /* modulus, little-endian (cached for JSON and n_le) */
    uint8_t e_le[RSA_SHIELD_EXP_LEN]; /* public exponent, little-endian */
};

/* All components of a key as the JSON carries them: little-endian, fixed width. */
struct rsa_raw {
    uint8_t n[RSA_SHIELD_MOD_LEN];     /* modulus */
    uint8_t d[RSA_SHIELD_MOD_LEN];     /* private exponent */
    uint8_t e[RSA_SHIELD_EXP_LEN];     /* public exponent */
    uint8_t p[RSA_SHIELD_HALF_LEN];    /* first prime */
    uint8_t q[RSA_SHIELD_HALF_LEN];    /* second prime */
    uint8_t dmp1[RSA_SHIELD_HALF_LEN]; /* d mod (p-1) */
    uint8_t dmq1[RSA_SHIELD_HALF_LEN]; /* d mod (q-1) */
    uint8_t iqmp[RSA_SHIELD_HALF_LEN]; /* q^-1 mod p */
};

/* One JSON member: its name, OpenSSL's parameter name, and where its bytes live. */
struct rsa_field {
    const char *json_name;  /* member name in the JSON object */
    const char *param_name; /* OSSL_PKEY_PARAM_RSA_* */
    size_t offset;          /* offset of the array inside struct rsa_raw */
    size_t len;             /* fixed width in bytes */
};

#define RSA_FIELD(name, param)                                                                     \
    {                                                                                              \
#name, param, offsetof(struct rsa_raw, name), sizeof(((struct rsa_raw *)0)->name)          \
    }

/* The key pair members in the original's serialisation order. */
static const struct rsa_field rsa_pair_fields[] = {
    RSA_FIELD(n, OSSL_PKEY_PARAM_RSA_N),
    RSA_FIELD(d, OSSL_PKEY_PARAM_RSA_D),
    RSA_FIELD(e, OSSL_PKEY_PARAM_RSA_E),
    RSA_FIELD(p, OSSL_PKEY_PARAM_RSA_FACTOR1),
    RSA_FIELD(q, OSSL_PKEY_PARAM_RSA_FACTOR2),
    RSA_FIELD(dmp1, OSSL_PKEY_PARAM_RSA_EXPONENT1),
    RSA_FIELD(dmq1, OSSL_PKEY_PARAM_RSA_EXPONENT2),
    RSA_FIELD(iqmp, OSSL_PKEY_PARAM_RSA_COEFFICIENT1),
};
#define RSA_PAIR_NFIELDS (sizeof(rsa_pair_fields) / sizeof(rsa_pair_fields[0]))

/* The public key members, in order. */
static const struct rsa_field rsa_pub_fields[] = {
    RSA_FIELD(n, OSSL_PKEY_PARAM_RSA_N),
    RSA_FIELD(e, OSSL_PKEY_PARAM_RSA_E),
};
#define RSA_PUB_NFIELDS (sizeof(rsa_pub_fields) / sizeof(rsa_pub_fields[0]))

size_t rsa_mod_len(void)
{
    return RSA_SHIELD_MOD_LEN;
}

size_t rsa_chunk_len(void)
{
    return RSA_OAEP_CHUNK_LEN;
}

size_t rsa_ciphertext_len(size_t len)
{
    size_t blocks = len / RSA_OAEP_CHUNK_LEN + (len % RSA_OAEP_CHUNK_LEN != 0);
    if (blocks > SIZE_MAX / RSA_SHIELD_MOD_LEN)
        return 0;
    return blocks * RSA_SHIELD_MOD_LEN;
}

static bool rsa_host_is_le(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* Copies len little-endian bytes to dst in the host's native order (what OSSL_PARAM wants). */
static void rsa_le_to_native(uint8_t *dst, const uint8_t *src, size_t len)
{
    if (rsa_host_is_le()) {
        memcpy(dst, src, len);
        return;
    }
    for (size_t i = 0; i < len; i++)
        dst[i] = src[len - 1 - i];
}

static void rsa_key_cache_public(struct rsa_key *key, const struct rsa_raw *raw)
{
    memcpy(key->n_le, raw->n, RSA_SHIELD_MOD_LEN);
    memcpy(key->e_le, raw->e, RSA_SHIELD_EXP_LEN);
}

/* Reads the key's components into raw (private ones only when want_private). */
static enum itee_err rsa_export_raw(const EVP_PKEY *pkey, struct rsa_raw *raw, bool want_private)
{
    size_t nfields = want_private ? RSA_PAIR_NFIELDS : RSA_PUB_NFIELDS;
    const struct rsa_field *fields = want_private ? rsa_pair_fields : rsa_pub_fields;
    for (size_t i = 0; i < nfields; i++) {
        BIGNUM *bn = NULL;
        if (EVP_PKEY_get_bn_param(pkey, fields[i].param_name, &bn) != 1)
            return ITEE_ERR_CRYPTO_LIB;
        int w = BN_bn2lebinpad(bn, (uint8_t *)raw + fields[i].offset, (int)fields[i].len);
        BN_clear_free(bn);
        if (w != (int)fields[i].len)
            return ITEE_ERR_CRYPTO_LIB; /* the value does not fit its fixed width */
    }
    return ITEE_OK;
}

/* Builds an EVP_PKEY from raw (selection EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR). */
static enum itee_err rsa_import_raw(EVP_PKEY **pkey, const struct rsa_raw *raw, bool is_private)
{
    size_t nfields = is_private ? RSA_PAIR_NFIELDS : RSA_PUB_NFIELDS;
    const struct rsa_field *fields = is_private ? rsa_pair_fields : rsa_pub_fields;
    struct rsa_raw native;
    OSSL_PARAM params[RSA_PAIR_NFIELDS + 1];
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    EVP_PKEY_CTX *ctx = NULL;

    for (size_t i = 0; i < nfields; i++) {
        uint8_t *dst = (uint8_t *)&native + fields[i].offset;
        rsa_le_to_native(dst, (const uint8_t *)raw + fields[i].offset, fields[i].len);
        params[i] = OSSL_PARAM_construct_BN(fields[i].param_name, dst, fields[i].len);
    }
    params[nfields] = OSSL_PARAM_construct_end();

    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (ctx == NULL)
        goto out;
    if (EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, pkey, is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) !=
            1)
        goto out;
    r = ITEE_OK;
out:
    EVP_PKEY_CTX_free(ctx);
    itee_memzero(&native, sizeof(native));
    return r;
}

enum itee_err rsa_key_generate(struct rsa_key **out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *e = NULL;
    struct rsa_raw raw;
    struct rsa_key *key = itee_zalloc(sizeof(*key));
    if (key == NULL)
        return ITEE_ERR_NOMEM;

    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    e = BN_new();
    if (ctx == NULL || e == NULL || BN_set_word(e, RSA_SHIELD_E) != 1)
        goto out;
    if (EVP_PKEY_keygen_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, RSA_SHIELD_BITS) != 1 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) != 1 || EVP_PKEY_generate(ctx, &key->pkey) != 1)
        goto out;
    key->has_private = true;
    /* Exporting everything proves each component fits the JSON's fixed widths. */
    r = rsa_export_raw(key->pkey, &raw, true);
    if (r != ITEE_OK)
        goto out;
    rsa_key_cache_public(key, &raw);
    *out = key;
    key = NULL;
out:
    itee_memzero(&raw, sizeof(raw));
    BN_free(e);
    EVP_PKEY_CTX_free(ctx);
    rsa_key_free(key);
    return r;
}

void rsa_key_free(struct rsa_key *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey); /* OpenSSL clears private big numbers on free */
    itee_free_secret(key, sizeof(*key));
}

bool rsa_key_has_private(const struct rsa_key *key)
{
    return key != NULL && key->has_private;
}

enum itee_err rsa_public_n_le(const struct rsa_key *key, uint8_t out[RSA_SHIELD_MOD_LEN])
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    if (key == NULL) {
        memset(out, 0, RSA_SHIELD_MOD_LEN);
        return ITEE_ERR_ARG;
    }
    memcpy(out, key->n_le, RSA_SHIELD_MOD_LEN);
    return ITEE_OK;
}

/* ---- JSON output ---------------------------------------------------------------------- */

/* Appends "name":[b0,b1,...] (serde_json compact); out has room reserved by the caller. */
static enum itee_err rsa_json_member(struct itee_buf *out, const char *name, const uint8_t *bytes,
                                     size_t len)
{
    enum itee_err r = ITEE_OK;
    r = r ? r : itee_buf_push(out, '"');
    r = r ? r : itee_buf_append(out, name, strlen(name));
    r = r ? r : itee_buf_append(out, "\":[", 3);
    for (size_t i = 0; i < len && r == ITEE_OK; i++) {
        char num[4];
        size_t k = 0;
        unsigned v = bytes[i];
        if (v >= 100)
            num[k++] = (char)('0' + v / 100);
        if (v >= 10)
            num[k++] = (char)('0' + v / 10 % 10);
        num[k++] = (char)('0' + v % 10);
        if (i + 1 < len)
            num[k++] = ',';
        r = itee_buf_append(out, num, k);
        itee_memzero(num, sizeof(num));
    }
    r = r ? r : itee_buf_push(out, ']');
    return r;
}

/* Writes {member,member,...} for the given fields of raw. */
static enum itee_err rsa_json_write(struct itee_buf *out, const struct rsa_raw *raw,
                                    const struct rsa_field *fields, size_t nfields)
{
    /* One reservation of the most this can take (each number <= 3 digits plus a comma), so
     * later appends never reallocate and leave no stale copies of secrets behind. */
    size_t most = 2;
    for (size_t i = 0; i < nfields; i++)
        most += strlen(fields[i].json_name) + 6 + 4 * fields[i].len;
    enum itee_err r = itee_buf_reserve(out, most);
    r = r ? r : itee_buf_push(out, '{');
    for (size_t i = 0; i < nfields && r == ITEE_OK; i++) {
        if (i > 0)
            r = itee_buf_push(out, ',');
        r = r ? r
              : rsa_json_member(out, fields[i].json_name, (const uint8_t *)raw + fields[i].offset,
                                fields[i].len);
    }
    r = r ? r : itee_buf_push(out, '}');
    return r;
}

enum itee_err rsa_public_to_json(const struct rsa_key *key, struct itee_buf *out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (key == NULL)
        return ITEE_ERR_ARG;
    struct rsa_raw raw;
    memset(&raw, 0, sizeof(raw));
    memcpy(raw.n, key->n_le, RSA_SHIELD_MOD_LEN);
    memcpy(raw.e, key->e_le, RSA_SHIELD_EXP_LEN);
    enum itee_err r = rsa_json_write(out, &raw, rsa_pub_fields, RSA_PUB_NFIELDS);
    if (r != ITEE_OK)
        itee_buf_reset(out);
    return r;
}

enum itee_err rsa_keypair_to_json(const struct rsa_key *key, struct itee_buf *out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (key == NULL || !key->has_private)
        return ITEE_ERR_ARG;
    struct rsa_raw raw;
    enum itee_err r = rsa_export_raw(key->pkey, &raw, true);
    if (r == ITEE_OK)
        r = rsa_json_write(out, &raw, rsa_pair_fields, RSA_PAIR_NFIELDS);
    itee_memzero(&raw, sizeof(raw));
    if (r != ITEE_OK) {
        itee_memzero(out->ptr, out->cap);
        itee_buf_reset(out);
    }
    return r;
}

/* ---- JSON input ----------------------------------------------------------------------- */

/* Overwrites every integer inside the parsed arrays, so freed jansson nodes hold no secrets. */
static void rsa_json_scrub(json_t *root)
{
    const char *name;
    json_t *arr;
    json_object_foreach(root, name, arr)
    {
        size_t i;
        json_t *v;
        if (!json_is_array(arr))
            continue;
        json_array_foreach(arr, i, v)
        {
            if (json_is_integer(v))
                (void)json_integer_set(v, 0);
        }
    }
}

/* Parses the strict object form into raw. Returns ITEE_OK or ITEE_ERR_FORMAT. */
static enum itee_err rsa_json_read(struct rsa_raw *raw, const char *json, size_t len,
                                   const struct rsa_field *fields, size_t nfields)
{
    if (len == 0 || len > RSA_JSON_MAX_LEN)
        return ITEE_ERR_FORMAT;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return ITEE_ERR_FORMAT;
    enum itee_err r = ITEE_ERR_FORMAT;
    if (!json_is_object(root) || json_object_size(root) != nfields)
        goto out;
    for (size_t f = 0; f < nfields; f++) {
        json_t *arr = json_object_get(root, fields[f].json_name);
        if (!json_is_array(arr) || json_array_size(arr) != fields[f].len)
            goto out;
        uint8_t *dst = (uint8_t *)raw + fields[f].offset;
        for (size_t i = 0; i < fields[f].len; i++) {
            json_t *v = json_array_get(arr, i);
            if (!json_is_integer(v))
                goto out;
            json_int_t x = json_integer_value(v);
            if (x < 0 || x > 255)
                goto out;
            dst[i] = (uint8_t)x;
        }
    }
    r = ITEE_OK;
out:
    if (json_is_object(root))
        rsa_json_scrub(root);
    json_decref(root);
    itee_memzero(&jerr, sizeof(jerr)); /* the error text may quote input */
    return r;
}

/* Cheap sanity rules on the public half: a genuine 3072-bit odd n and an odd e >= 3. */
static bool rsa_raw_public_ok(const struct rsa_raw *raw)
{
    uint32_t e = (uint32_t)raw->e[0] | (uint32_t)raw->e[1] << 8 | (uint32_t)raw->e[2] << 16 |
                 (uint32_t)raw->e[3] << 24;
    return (raw->n[0] & 1) == 1 && (raw->n[RSA_SHIELD_MOD_LEN - 1] & 0x80) != 0 && (e & 1) == 1 &&
           e >= 3;
}

/* Runs OpenSSL's full key pair check (primality, n = p*q, exponents, CRT values). */
static enum itee_err rsa_check_pair(EVP_PKEY *pkey)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL)
        return ITEE_ERR_NOMEM;
    int ok = EVP_PKEY_check(ctx);
    EVP_PKEY_CTX_free(ctx);
    return ok == 1 ? ITEE_OK : ITEE_ERR_BAD_KEY;
}

/* Shared body of the two parsers. */
static enum itee_err rsa_from_json(struct rsa_key **out, const char *json, size_t len,
                                   bool is_private)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (json == NULL)
        return ITEE_ERR_ARG;
    struct rsa_raw raw;
    memset(&raw, 0, sizeof(raw));
    struct rsa_key *key = NULL;
    enum itee_err r = rsa_json_read(&raw, json, len, is_private ? rsa_pair_fields : rsa_pub_fields,
                                    is_private ? RSA_PAIR_NFIELDS : RSA_PUB_NFIELDS);
    if (r != ITEE_OK)
        goto out;
    if (!rsa_raw_public_ok(&raw)) {
        r = ITEE_ERR_FORMAT;
        goto out;
    }
    key = itee_zalloc(sizeof(*key));
    if (key == NULL) {
        r = ITEE_ERR_NOMEM;
        goto out;
    }
    r = rsa_import_raw(&key->pkey, &raw, is_private);
    if (r != ITEE_OK)
        goto out;
    key->has_private = is_private;
    if (is_private) {
        r = rsa_check_pair(key->pkey);
        if (r != ITEE_OK)
            goto out;
    }
    rsa_key_cache_public(key, &raw);
    *out = key;
    key = NULL;
out:
    itee_memzero(&raw, sizeof(raw));
    rsa_key_free(key);
    return r;
}

enum itee_err rsa_public_from_json(struct rsa_key **out, const char *json, size_t len)
{
    return rsa_from_json(out, json, len, false);
}

enum itee_err rsa_keypair_from_json(struct rsa_key **out, const char *json, size_t len)
{
    return rsa_from_json(out, json, len, true);
}

/* ---- OAEP ----------------------------------------------------------------------------- */

/* Makes a context for RSA-OAEP with SHA-256 as OAEP and MGF1 hash and an empty label. */
static EVP_PKEY_CTX *rsa_oaep_ctx(const struct rsa_key *key, bool encrypt)
{
    char pad[] = OSSL_PKEY_RSA_PAD_MODE_OAEP;
    char md[] = "SHA256";
    char mgf1[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, pad, 0),
        OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, md, 0),
        OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, mgf1, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    if (ctx == NULL)
        return NULL;
    int ok =
        encrypt ? EVP_PKEY_encrypt_init_ex(ctx, params) : EVP_PKEY_decrypt_init_ex(ctx, params);
    if (ok != 1) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

enum itee_err rsa_encrypt(const struct rsa_key *key, const uint8_t *in, size_t len,
                          struct itee_buf *out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (key == NULL || (in == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (len == 0)
        return ITEE_OK; /* the original emits no blocks for an empty plaintext */
    size_t total = rsa_ciphertext_len(len);
    if (total == 0)
        return ITEE_ERR_ARG;
    enum itee_err r = itee_buf_reserve(out, total);
    if (r != ITEE_OK)
        return r;
    EVP_PKEY_CTX *ctx = rsa_oaep_ctx(key, true);
    if (ctx == NULL)
        return ITEE_ERR_CRYPTO_LIB;
    r = ITEE_ERR_CRYPTO_LIB;
    for (size_t off = 0; off < len; off += RSA_OAEP_CHUNK_LEN) {
        size_t chunk = len - off < RSA_OAEP_CHUNK_LEN ? len - off : RSA_OAEP_CHUNK_LEN;
        size_t outlen = RSA_SHIELD_MOD_LEN;
        if (EVP_PKEY_encrypt(ctx, out->ptr + out->len, &outlen, in + off, chunk) != 1 ||
            outlen != RSA_SHIELD_MOD_LEN)
            goto out;
        out->len += RSA_SHIELD_MOD_LEN;
    }
    r = ITEE_OK;
out:
    EVP_PKEY_CTX_free(ctx);
    if (r != ITEE_OK)
        itee_buf_reset(out);
    return r;
}

enum itee_err rsa_decrypt(const struct rsa_key *key, const uint8_t *in, size_t len,
                          struct itee_buf *out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (key == NULL || !key->has_private || (in == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (len % RSA_SHIELD_MOD_LEN != 0)
        return ITEE_ERR_DECRYPT;
    if (len == 0)
        return ITEE_OK;
    /* Reserve the most the blocks can yield, so growth never copies plaintext around. */
    enum itee_err r = itee_buf_reserve(out, len / RSA_SHIELD_MOD_LEN * RSA_OAEP_CHUNK_LEN);
    if (r != ITEE_OK)
        return r;
    EVP_PKEY_CTX *ctx = rsa_oaep_ctx(key, false);
    if (ctx == NULL)
        return ITEE_ERR_CRYPTO_LIB;
    uint8_t block[RSA_SHIELD_MOD_LEN];
    bool failed = false;
    for (size_t off = 0; off < len; off += RSA_SHIELD_MOD_LEN) {
        size_t outlen = sizeof(block);
        int ok = EVP_PKEY_decrypt(ctx, block, &outlen, in + off, RSA_SHIELD_MOD_LEN);
        /* Keep going after a failure: the work done must not depend on where it failed. */
        if (ok != 1 || outlen > RSA_OAEP_CHUNK_LEN) {
            failed = true;
            outlen = 0;
        }
        memcpy(out->ptr + out->len, block, outlen);
        out->len += outlen;
    }
    itee_memzero(block, sizeof(block));
    EVP_PKEY_CTX_free(ctx);
    if (failed) {
        itee_memzero(out->ptr, out->cap);
        itee_buf_reset(out);
        return ITEE_ERR_DECRYPT;
    }
    return ITEE_OK;
}
