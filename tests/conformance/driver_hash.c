/*
 * driver_hash.c - conformance driver commands for the hash area (see driver.h).
 *
 *   blake2 <bits> <key|-> <data|->     -> ok <digest>   (BLAKE2b, bits/8-byte digest)
 *   twox <bits> <data|->               -> ok <digest>   (64, 128 or 256)
 *   sha256 <data|->  /  sha512 <data|-> -> ok <digest>
 *   storage_hash <hasher-index> <key|-> -> ok <bytes>   (metadata StorageHasher index)
 *   storage_prefix <pallet-hex> <item-hex> -> ok <32 bytes>
 *   keccak_f <200-byte state>          -> ok <state after Keccak-f[1600]>
 * "-" stands for empty bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "crypto/hash.h"
#include "crypto/keccak.h"
#include "driver.h"

static void cmd_blake2(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t key_len = 0, len = 0;
    uint8_t out[64];
    long bits = strtol(argv[0], NULL, 10);
    uint8_t *key = drv_bytes_arg(argv[1], &key_len);
    uint8_t *data = drv_bytes_arg(argv[2], &len);
    if (key == NULL || data == NULL || bits <= 0 || bits % 8 != 0)
        drv_err(ctx, "bad arguments");
    else if (hash_blake2b(out, (size_t)bits / 8, key, key_len, data, len) != ITEE_OK)
        drv_err(ctx, "hash_blake2b failed");
    else
        drv_ok_hex(ctx, out, (size_t)bits / 8);
    free(key);
    free(data);
}

static void cmd_twox(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len = 0;
    uint8_t out[32];
    long bits = strtol(argv[0], NULL, 10);
    uint8_t *data = drv_bytes_arg(argv[1], &len);
    if (data == NULL) {
        drv_err(ctx, "bad hex");
    } else if (bits == 64) {
        hash_twox64(out, data, len);
        drv_ok_hex(ctx, out, 8);
    } else if (bits == 128) {
        hash_twox128(out, data, len);
        drv_ok_hex(ctx, out, 16);
    } else if (bits == 256) {
        hash_twox256(out, data, len);
        drv_ok_hex(ctx, out, 32);
    } else {
        drv_err(ctx, "bits must be 64, 128 or 256");
    }
    free(data);
}

static void cmd_sha2(struct drv_ctx *ctx, char *arg, int is512)
{
    size_t len = 0;
    uint8_t out[64];
    uint8_t *data = drv_bytes_arg(arg, &len);
    if (data == NULL) {
        drv_err(ctx, "bad hex");
        return;
    }
    if (is512)
        hash_sha512(out, data, len);
    else
        hash_sha256(out, data, len);
    drv_ok_hex(ctx, out, is512 ? 64 : 32);
    free(data);
}

static void cmd_sha256(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    cmd_sha2(ctx, argv[0], 0);
}

static void cmd_sha512(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    cmd_sha2(ctx, argv[0], 1);
}

static void cmd_storage_hash(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len = 0;
    struct itee_buf b = {0};
    long idx = strtol(argv[0], NULL, 10);
    uint8_t *key = drv_bytes_arg(argv[1], &len);
    itee_buf_init(&b, 0);
    if (key == NULL)
        drv_err(ctx, "bad hex");
    else if (hash_storage_append(&b, (enum hash_storage_hasher)idx, key, len) != ITEE_OK)
        drv_err(ctx, "hash_storage_append failed");
    else if (b.len != hash_storage_len((enum hash_storage_hasher)idx, len))
        drv_err(ctx, "hash_storage_len disagrees");
    else
        drv_ok_hex(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    free(key);
}

static void cmd_storage_prefix(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t plen = 0, ilen = 0;
    uint8_t out[32];
    uint8_t *pallet = drv_bytes_arg(argv[0], &plen);
    uint8_t *item = drv_bytes_arg(argv[1], &ilen);
    if (pallet == NULL || item == NULL) {
        drv_err(ctx, "bad hex");
    } else {
        /* the API takes C strings */
        char *p = calloc(1, plen + 1), *i = calloc(1, ilen + 1);
        if (p == NULL || i == NULL) {
            drv_err(ctx, "out of memory");
        } else {
            memcpy(p, pallet, plen);
            memcpy(i, item, ilen);
            hash_storage_prefix(out, p, i);
            drv_ok_hex(ctx, out, 32);
        }
        free(p);
        free(i);
    }
    free(pallet);
    free(item);
}

static void cmd_keccak_f(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len = 0;
    uint8_t *st = drv_bytes_arg(argv[0], &len);
    if (st == NULL || len != KECCAK_STATE_LEN) {
        drv_err(ctx, "state must be 200 bytes");
    } else {
        keccak_f1600(st);
        drv_ok_hex(ctx, st, len);
    }
    free(st);
}

const struct drv_cmd drv_cmds_hash[] = {
    {"blake2", 3, cmd_blake2},
    {"twox", 2, cmd_twox},
    {"sha256", 1, cmd_sha256},
    {"sha512", 1, cmd_sha512},
    {"storage_hash", 2, cmd_storage_hash},
    {"storage_prefix", 2, cmd_storage_prefix},
    {"keccak_f", 1, cmd_keccak_f},
    {NULL, 0, NULL},
};
