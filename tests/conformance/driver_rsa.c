/*
 * driver_rsa.c - conformance driver commands for the rsa area: the shielding key, AES-256-GCM
 * and sealing (see driver.h). Byte arguments and results are hex; "-" stands for empty bytes.
 *
 *   rsa_new                          -> ok <id> <public key json hex>   (generates 3072 bits)
 *   rsa_load_pub <json hex>          -> ok <id>
 *   rsa_load_keypair <json hex>      -> ok <id>
 *   rsa_pub <id>                     -> ok <public key json hex>
 *   rsa_keypair <id>                 -> ok <key pair json hex>
 *   rsa_free <id>                    -> ok
 *   rsa_encrypt <id> <plain>         -> ok <ciphertext>
 *   rsa_decrypt <id> <ciphertext>    -> ok <plain> | err <reason>
 *   aes_gcm_encrypt <key> <nonce> <aad> <plain>   -> ok <ciphertext || tag>
 *   aes_gcm_decrypt <key> <nonce> <aad> <ct||tag> -> ok <plain> | err <reason>
 *   seal_key_derive <measurement> <secret> <label hex> -> ok <key>
 *   seal <key> <aad> <plain>         -> ok <blob>
 *   unseal <key> <aad> <blob>        -> ok <plain> | err <reason>
 *
 * Keys live in a small table owned by this test program, addressed by index.
 */
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "common/err.h"
#include "crypto/aead.h"
#include "crypto/rsa.h"
#include "crypto/seal.h"
#include "driver.h"

#define RSA_DRV_KEYS 64

/* The driver's keys; a NULL slot is free. */
static struct rsa_key *rsa_drv_keys[RSA_DRV_KEYS];

/* Returns the key named by a decimal id argument, or NULL. */
static struct rsa_key *rsa_drv_key(const char *arg)
{
    char *end = NULL;
    long id = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || id < 0 || id >= RSA_DRV_KEYS)
        return NULL;
    return rsa_drv_keys[id];
}

/* Stores key in a free slot and replies with its id (and the public JSON when with_pub). */
static void rsa_drv_store(struct drv_ctx *ctx, struct rsa_key *key, int with_pub)
{
    int id = 0;
    while (id < RSA_DRV_KEYS && rsa_drv_keys[id] != NULL)
        id++;
    if (id == RSA_DRV_KEYS) {
        rsa_key_free(key);
        drv_err(ctx, "key table full");
        return;
    }
    rsa_drv_keys[id] = key;
    if (!with_pub) {
        drv_ok(ctx, "%d", id);
        return;
    }
    struct itee_buf js;
    itee_buf_init(&js, 0);
    char *h = NULL;
    if (rsa_public_to_json(key, &js) != ITEE_OK || (h = drv_hex_str(js.ptr, js.len)) == NULL)
        drv_err(ctx, "rsa_public_to_json failed");
    else
        drv_ok(ctx, "%d %s", id, h);
    free(h);
    itee_buf_free(&js);
}

static void cmd_rsa_new(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct rsa_key *key = NULL;
    enum itee_err r = rsa_key_generate(&key);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
        return;
    }
    rsa_drv_store(ctx, key, 1);
}

static void rsa_drv_load(struct drv_ctx *ctx, const char *arg, int is_private)
{
    size_t len = 0;
    uint8_t *js = drv_bytes_arg(arg, &len);
    if (js == NULL) {
        drv_err(ctx, "bad hex");
        return;
    }
    struct rsa_key *key = NULL;
    enum itee_err r = is_private ? rsa_keypair_from_json(&key, (const char *)js, len)
                                 : rsa_public_from_json(&key, (const char *)js, len);
    free(js);
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
        return;
    }
    rsa_drv_store(ctx, key, 0);
}

static void cmd_rsa_load_pub(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_load(ctx, argv[0], 0);
}

static void cmd_rsa_load_keypair(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_load(ctx, argv[0], 1);
}

static void rsa_drv_export(struct drv_ctx *ctx, const char *arg, int is_private)
{
    struct rsa_key *key = rsa_drv_key(arg);
    if (key == NULL) {
        drv_err(ctx, "no such key");
        return;
    }
    struct itee_buf js;
    itee_buf_init(&js, 0);
    enum itee_err r = is_private ? rsa_keypair_to_json(key, &js) : rsa_public_to_json(key, &js);
    if (r != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(r));
    else
        drv_ok_hex(ctx, js.ptr, js.len);
    itee_buf_free_secret(&js);
}

static void cmd_rsa_pub(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_export(ctx, argv[0], 0);
}

static void cmd_rsa_keypair(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_export(ctx, argv[0], 1);
}

static void cmd_rsa_free(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct rsa_key *key = rsa_drv_key(argv[0]);
    if (key == NULL) {
        drv_err(ctx, "no such key");
        return;
    }
    for (int i = 0; i < RSA_DRV_KEYS; i++)
        if (rsa_drv_keys[i] == key)
            rsa_drv_keys[i] = NULL;
    rsa_key_free(key);
    drv_ok(ctx, "%s", "");
}

static void rsa_drv_crypt(struct drv_ctx *ctx, char **argv, int decrypt)
{
    struct rsa_key *key = rsa_drv_key(argv[0]);
    size_t len = 0;
    uint8_t *in = drv_bytes_arg(argv[1], &len);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    if (key == NULL || in == NULL) {
        drv_err(ctx, "bad arguments");
    } else {
        enum itee_err r =
            decrypt ? rsa_decrypt(key, in, len, &out) : rsa_encrypt(key, in, len, &out);
        if (r != ITEE_OK)
            drv_err(ctx, "%s", itee_strerror(r));
        else
            drv_ok_hex(ctx, out.ptr, out.len);
    }
    free(in);
    itee_buf_free_secret(&out);
}

static void cmd_rsa_encrypt(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_crypt(ctx, argv, 0);
}

static void cmd_rsa_decrypt(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_crypt(ctx, argv, 1);
}

/* aes_gcm_encrypt / aes_gcm_decrypt <key> <nonce> <aad> <data> */
static void rsa_drv_gcm(struct drv_ctx *ctx, char **argv, int decrypt)
{
    size_t klen = 0, nlen = 0, alen = 0, len = 0;
    uint8_t *key = drv_bytes_arg(argv[0], &klen);
    uint8_t *nonce = drv_bytes_arg(argv[1], &nlen);
    uint8_t *aad = drv_bytes_arg(argv[2], &alen);
    uint8_t *in = drv_bytes_arg(argv[3], &len);
    uint8_t *out = malloc(len + AEAD_TAG_LEN);
    if (key == NULL || nonce == NULL || aad == NULL || in == NULL || out == NULL ||
        klen != AEAD_KEY_LEN || nlen != AEAD_NONCE_LEN) {
        drv_err(ctx, "bad arguments");
        goto out;
    }
    enum itee_err r;
    size_t olen;
    if (decrypt) {
        r = aead_aes256gcm_decrypt(out, key, nonce, aad, alen, in, len);
        olen = len >= AEAD_TAG_LEN ? len - AEAD_TAG_LEN : 0;
    } else {
        r = aead_aes256gcm_encrypt(out, key, nonce, aad, alen, in, len);
        olen = len + AEAD_TAG_LEN;
    }
    if (r != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(r));
    else
        drv_ok_hex(ctx, out, olen);
out:
    free(key);
    free(nonce);
    free(aad);
    free(in);
    free(out);
}

static void cmd_aes_gcm_encrypt(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_gcm(ctx, argv, 0);
}

static void cmd_aes_gcm_decrypt(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_gcm(ctx, argv, 1);
}

static void cmd_seal_key_derive(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t mlen = 0, slen = 0, llen = 0;
    uint8_t *m = drv_bytes_arg(argv[0], &mlen);
    uint8_t *secret = drv_bytes_arg(argv[1], &slen);
    uint8_t *label = drv_bytes_arg(argv[2], &llen);
    char *label_str = malloc(llen + 1);
    uint8_t key[SEAL_KEY_LEN];
    if (m == NULL || secret == NULL || label == NULL || label_str == NULL ||
        mlen != SEAL_MEASUREMENT_LEN || memchr(label, '\0', llen) != NULL) {
        drv_err(ctx, "bad arguments");
        goto out;
    }
    memcpy(label_str, label, llen);
    label_str[llen] = '\0';
    enum itee_err r = seal_key_derive(key, m, secret, slen, label_str);
    if (r != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(r));
    else
        drv_ok_hex(ctx, key, sizeof(key));
out:
    free(m);
    free(secret);
    free(label);
    free(label_str);
}

/* seal / unseal <key> <aad> <data> */
static void rsa_drv_seal(struct drv_ctx *ctx, char **argv, int open)
{
    size_t klen = 0, alen = 0, len = 0;
    uint8_t *key = drv_bytes_arg(argv[0], &klen);
    uint8_t *aad = drv_bytes_arg(argv[1], &alen);
    uint8_t *in = drv_bytes_arg(argv[2], &len);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    if (key == NULL || aad == NULL || in == NULL || klen != SEAL_KEY_LEN) {
        drv_err(ctx, "bad arguments");
    } else {
        enum itee_err r =
            open ? unseal(&out, key, aad, alen, in, len) : seal(&out, key, aad, alen, in, len);
        if (r != ITEE_OK)
            drv_err(ctx, "%s", itee_strerror(r));
        else
            drv_ok_hex(ctx, out.ptr, out.len);
    }
    free(key);
    free(aad);
    free(in);
    itee_buf_free_secret(&out);
}

static void cmd_seal(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_seal(ctx, argv, 0);
}

static void cmd_unseal(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    rsa_drv_seal(ctx, argv, 1);
}

const struct drv_cmd drv_cmds_rsa[] = {
    {"rsa_new", 0, cmd_rsa_new},
    {"rsa_load_pub", 1, cmd_rsa_load_pub},
    {"rsa_load_keypair", 1, cmd_rsa_load_keypair},
    {"rsa_pub", 1, cmd_rsa_pub},
    {"rsa_keypair", 1, cmd_rsa_keypair},
    {"rsa_free", 1, cmd_rsa_free},
    {"rsa_encrypt", 2, cmd_rsa_encrypt},
    {"rsa_decrypt", 2, cmd_rsa_decrypt},
    {"aes_gcm_encrypt", 4, cmd_aes_gcm_encrypt},
    {"aes_gcm_decrypt", 4, cmd_aes_gcm_decrypt},
    {"seal_key_derive", 3, cmd_seal_key_derive},
    {"seal", 3, cmd_seal},
    {"unseal", 3, cmd_unseal},
    {NULL, 0, NULL},
};
