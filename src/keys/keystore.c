/*
 * keystore.c - key files in a Substrate-layout directory (see keystore.h).
 */
#define _DEFAULT_SOURCE
#include "keys/keystore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/hex.h"
#include "common/mem.h"
#include "keys/bip39.h"

/* type hex + public hex + NUL */
#define NAME_LEN (2 * KEYSTORE_TYPE_LEN + 2 * KEYS_PUBLIC_MAX + 1)

static const struct {
    const char type[KEYSTORE_TYPE_LEN + 1];
    enum keys_scheme scheme;
} k_types[] = {
    {"aura", KEYS_SCHEME_SR25519},
    {"babe", KEYS_SCHEME_SR25519},
    {"imon", KEYS_SCHEME_SR25519},
    {"audi", KEYS_SCHEME_SR25519},
    {"para", KEYS_SCHEME_SR25519},
    {"asgn", KEYS_SCHEME_SR25519},
    {"acco", KEYS_SCHEME_SR25519},
    {"gran", KEYS_SCHEME_ED25519},
    {"beef", KEYS_SCHEME_ECDSA},
    /* integritee-cli's account keystores (sp_core's SR25519 / ED25519 KeyTypeIds) */
    {"sr25", KEYS_SCHEME_SR25519},
    {"ed25", KEYS_SCHEME_ED25519},
};

enum itee_err keystore_scheme(const char *type, size_t type_len, enum keys_scheme *out)
{
    if (type_len != KEYSTORE_TYPE_LEN)
        return ITEE_ERR_KEY_TYPE;
    for (size_t i = 0; i < sizeof(k_types) / sizeof(*k_types); i++)
        if (itee_ct_eq(type, k_types[i].type, KEYSTORE_TYPE_LEN)) {
            *out = k_types[i].scheme;
            return ITEE_OK;
        }
    return ITEE_ERR_KEY_TYPE;
}

static size_t public_len(enum keys_scheme s)
{
    return s == KEYS_SCHEME_ECDSA ? 33 : 32;
}

/* mkdir -p with mode 0700 for the parts it creates. */
static enum itee_err mkdirs(const char *path)
{
    char tmp[KEYSTORE_PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(tmp))
        return ITEE_ERR_ARG;
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return ITEE_ERR_IO;
            *p = '/';
        }
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? ITEE_ERR_IO : ITEE_OK;
}

enum itee_err keystore_open(struct keystore *ks, const char *dir)
{
    size_t n = strlen(dir);
    memset(ks, 0, sizeof(*ks));
    if (n == 0 || n >= sizeof(ks->dir) - NAME_LEN - 16)
        return ITEE_ERR_ARG;
    memcpy(ks->dir, dir, n + 1);
    return mkdirs(dir);
}

/* dir/<type hex><public hex> into out (KEYSTORE_PATH_MAX bytes). */
static enum itee_err key_path(char *out, const struct keystore *ks, const char *type,
                              size_t type_len, const uint8_t *pub, size_t pub_len)
{
    enum keys_scheme s;
    enum itee_err e = keystore_scheme(type, type_len, &s);
    if (e != ITEE_OK)
        return e;
    if (pub_len != public_len(s))
        return ITEE_ERR_ARG;
    char name[NAME_LEN];
    if (itee_hex_encode(name, sizeof(name), (const uint8_t *)type, KEYSTORE_TYPE_LEN) != ITEE_OK ||
        itee_hex_encode(name + 2 * KEYSTORE_TYPE_LEN, sizeof(name) - 2 * KEYSTORE_TYPE_LEN, pub,
                        pub_len) != ITEE_OK)
        return ITEE_ERR_INTERNAL;
    int k = snprintf(out, KEYSTORE_PATH_MAX, "%s/%s", ks->dir, name);
    return k > 0 && (size_t)k < KEYSTORE_PATH_MAX ? ITEE_OK : ITEE_ERR_ARG;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    return itee_buf_append(data, buffer, size) == ITEE_OK ? 0 : -1;
}

/* Writes bytes to path atomically: temporary file (0600), fsync, rename. */
static enum itee_err write_atomic(const char *path, const uint8_t *p, size_t len)
{
    char tmp[KEYSTORE_PATH_MAX + 8];
    int k = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (k <= 0 || (size_t)k >= sizeof(tmp))
        return ITEE_ERR_ARG;
    (void)unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return ITEE_ERR_IO;
    enum itee_err e = ITEE_OK;
    size_t off = 0;
    while (off < len && e == ITEE_OK) {
        ssize_t n = write(fd, p + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            e = ITEE_ERR_IO;
        else
            off += (size_t)n;
    }
    if (e == ITEE_OK && (fchmod(fd, 0600) != 0 || fsync(fd) != 0))
        e = ITEE_ERR_IO;
    if (close(fd) != 0 && e == ITEE_OK)
        e = ITEE_ERR_IO;
    if (e == ITEE_OK && rename(tmp, path) != 0)
        e = ITEE_ERR_IO;
    if (e != ITEE_OK)
        (void)unlink(tmp);
    return e;
}

/* The public key suri derives under scheme s. */
static enum itee_err derive_public(enum keys_scheme s, const char *suri, size_t suri_len,
                                   uint8_t pub[KEYS_PUBLIC_MAX], size_t *pub_len)
{
    struct keys_pair pair;
    enum itee_err e = keys_pair_from_suri(&pair, s, suri, suri_len);
    if (e == ITEE_OK)
        *pub_len = keys_pair_public(&pair, pub);
    keys_pair_clear(&pair);
    return e;
}

enum itee_err keystore_insert(const struct keystore *ks, const char *type, size_t type_len,
                              const char *suri, size_t suri_len, const uint8_t *pub, size_t pub_len)
{
    char path[KEYSTORE_PATH_MAX];
    enum keys_scheme s;
    uint8_t derived[KEYS_PUBLIC_MAX];
    size_t dlen = 0;
    enum itee_err e = keystore_scheme(type, type_len, &s);
    if (e == ITEE_OK)
        e = key_path(path, ks, type, type_len, pub, pub_len);
    if (e == ITEE_OK && suri_len + 16 > KEYSTORE_FILE_MAX)
        e = ITEE_ERR_ARG;
    if (e == ITEE_OK)
        e = derive_public(s, suri, suri_len, derived, &dlen);
    if (e != ITEE_OK)
        return e;
    if (dlen != pub_len || !itee_ct_eq(derived, pub, pub_len))
        return ITEE_ERR_KEY_MISMATCH;
    json_t *j = json_stringn(suri, suri_len);
    if (j == NULL)
        return ITEE_ERR_ARG; /* not UTF-8 */
    struct itee_buf text;
    itee_buf_init(&text, KEYSTORE_FILE_MAX);
    e = json_dump_callback(j, dump_cb, &text, JSON_ENCODE_ANY) == 0 ? ITEE_OK : ITEE_ERR_NOMEM;
    json_decref(j);
    if (e == ITEE_OK)
        e = write_atomic(path, text.ptr, text.len);
    itee_buf_free_secret(&text);
    return e;
}

enum itee_err keystore_generate(const struct keystore *ks, const char *type, size_t type_len,
                                uint8_t pub[KEYS_PUBLIC_MAX], size_t *pub_len)
{
    char phrase[KEYSTORE_WORDS * 9 + 1];
    enum keys_scheme s;
    enum itee_err e = keystore_scheme(type, type_len, &s);
    if (e == ITEE_OK)
        e = bip39_generate(phrase, sizeof(phrase), KEYSTORE_WORDS);
    if (e == ITEE_OK)
        e = derive_public(s, phrase, strlen(phrase), pub, pub_len);
    if (e == ITEE_OK)
        e = keystore_insert(ks, type, type_len, phrase, strlen(phrase), pub, *pub_len);
    itee_memzero(phrase, sizeof(phrase));
    return e;
}

enum itee_err keystore_has(const struct keystore *ks, const char *type, size_t type_len,
                           const uint8_t *pub, size_t pub_len, bool *out)
{
    char path[KEYSTORE_PATH_MAX];
    struct stat st;
    *out = false;
    enum itee_err e = key_path(path, ks, type, type_len, pub, pub_len);
    if (e == ITEE_OK)
        *out = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
    return e;
}

/* Reads at most KEYSTORE_FILE_MAX bytes of path into b. */
static enum itee_err read_small(const char *path, struct itee_buf *b)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ITEE_ERR_NOENT : ITEE_ERR_IO;
    enum itee_err e = itee_buf_reserve(b, KEYSTORE_FILE_MAX + 1);
    while (e == ITEE_OK) {
        ssize_t n = read(fd, b->ptr + b->len, KEYSTORE_FILE_MAX + 1 - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            e = ITEE_ERR_IO;
        if (n <= 0)
            break;
        b->len += (size_t)n;
        if (b->len > KEYSTORE_FILE_MAX)
            e = ITEE_ERR_KEY_FILE;
    }
    close(fd);
    return e;
}

enum itee_err keystore_load(const struct keystore *ks, const char *type, size_t type_len,
                            const uint8_t *pub, size_t pub_len, struct keys_pair *out)
{
    char path[KEYSTORE_PATH_MAX];
    enum keys_scheme s;
    struct itee_buf b;
    itee_buf_init(&b, KEYSTORE_FILE_MAX + 1);
    memset(out, 0, sizeof(*out));
    enum itee_err e = keystore_scheme(type, type_len, &s);
    if (e == ITEE_OK)
        e = key_path(path, ks, type, type_len, pub, pub_len);
    if (e == ITEE_OK)
        e = read_small(path, &b);
    json_t *j = NULL;
    if (e == ITEE_OK) {
        j = json_loadb((const char *)b.ptr, b.len, JSON_DECODE_ANY, NULL);
        if (!json_is_string(j))
            e = ITEE_ERR_KEY_FILE;
    }
    if (e == ITEE_OK)
        e = keys_pair_from_suri(out, s, json_string_value(j), json_string_length(j));
    json_decref(j);
    itee_buf_free_secret(&b);
    if (e == ITEE_OK) {
        uint8_t got[KEYS_PUBLIC_MAX];
        size_t n = keys_pair_public(out, got);
        if (n != pub_len || !itee_ct_eq(got, pub, n))
            e = ITEE_ERR_KEY_MISMATCH;
    }
    if (e != ITEE_OK)
        keys_pair_clear(out);
    return e;
}

/* Returns: the value of hex digit c, or -1. */
static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

enum itee_err keystore_list(const struct keystore *ks, const char *type, size_t type_len,
                            keystore_list_fn fn, void *ctx)
{
    enum keys_scheme scheme;
    enum itee_err r = keystore_scheme(type, type_len, &scheme);
    if (r != ITEE_OK)
        return r;
    if (fn == NULL)
        return ITEE_ERR_ARG;
    size_t pub_len = scheme == KEYS_SCHEME_ECDSA ? 33 : 32;
    char prefix[2 * KEYSTORE_TYPE_LEN + 1];
    for (size_t i = 0; i < KEYSTORE_TYPE_LEN; i++)
        (void)snprintf(prefix + 2 * i, 3, "%02x", (unsigned char)type[i]);
    DIR *d = opendir(ks->dir);
    if (d == NULL)
        return errno == ENOENT ? ITEE_OK : ITEE_ERR_IO;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        /* only well-formed names of this type: temp files and strangers are skipped */
        if (strlen(n) != 2 * KEYSTORE_TYPE_LEN + 2 * pub_len ||
            !itee_ct_eq(n, prefix, 2 * KEYSTORE_TYPE_LEN))
            continue;
        uint8_t pub[KEYS_PUBLIC_MAX];
        bool ok = true;
        for (size_t i = 0; i < pub_len && ok; i++) {
            int hi = hex_digit(n[2 * KEYSTORE_TYPE_LEN + 2 * i]);
            int lo = hex_digit(n[2 * KEYSTORE_TYPE_LEN + 2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            pub[i] = (uint8_t)(hi << 4 | lo);
        }
        if (ok)
            fn(ctx, pub, pub_len);
    }
    closedir(d);
    return ITEE_OK;
}

void keystore_purge(const struct keystore *ks)
{
    DIR *d = opendir(ks->dir);
    if (d == NULL)
        return;
    struct dirent *de;
    char path[KEYSTORE_PATH_MAX + 300];
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        int k = snprintf(path, sizeof(path), "%s/%s", ks->dir, de->d_name);
        if (k > 0 && (size_t)k < sizeof(path))
            (void)unlink(path);
    }
    closedir(d);
    (void)rmdir(ks->dir);
}
