/*
 * test_keystore.c - Substrate-layout key files: names (hex key type + hex public), content
 * (JSON string of the secret), mode 0600, generation, insertion checked against the public
 * key, lookups, and hostile files (garbage, a foreign secret, oversized, a symlink).
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/hex.h"
#include "keys/keystore.h"

/* //Alice sr25519 and ed25519 public keys (subkey inspect //Alice). */
static const char k_alice_sr[] = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
static const char k_alice_ed[] = "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee";

struct fx {
    char dir[64];
    struct keystore ks;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    memcpy(f->dir, "/tmp/test_keystore_XXXXXX", 26);
    if (mkdtemp(f->dir) == NULL)
        return -1;
    char sub[128];
    int k = snprintf(sub, sizeof(sub), "%s/chains/dev/keystore", f->dir);
    if (k <= 0 || keystore_open(&f->ks, sub) != ITEE_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char p[128];
    keystore_purge(&f->ks);
    int k = snprintf(p, sizeof(p), "%s/chains/dev", f->dir);
    (void)k;
    rmdir(p);
    k = snprintf(p, sizeof(p), "%s/chains", f->dir);
    rmdir(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void file_of(char out[4096], const struct fx *f, const char *type_hex, const char *pub)
{
    int k = snprintf(out, 4096, "%s/%s%s", f->ks.dir, type_hex, pub);
    assert_true(k > 0);
}

static void read_all(const char *path, char *out, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(out, 1, cap - 1, fp);
    out[n] = '\0';
    fclose(fp);
}

static void test_insert_alice(void **state)
{
    struct fx *f = *state;
    uint8_t sr[32], ed[32];
    assert_int_equal(itee_hex_decode_exact(sr, 32, k_alice_sr, 64), ITEE_OK);
    assert_int_equal(itee_hex_decode_exact(ed, 32, k_alice_ed, 64), ITEE_OK);
    assert_int_equal(keystore_insert(&f->ks, "aura", 4, "//Alice", 7, sr, 32), ITEE_OK);
    assert_int_equal(keystore_insert(&f->ks, "gran", 4, "//Alice", 7, ed, 32), ITEE_OK);
    char path[4096], text[256];
    struct stat st;
    file_of(path, f, "61757261", k_alice_sr);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    read_all(path, text, sizeof(text));
    assert_string_equal(text, "\"//Alice\"");
    file_of(path, f, "6772616e", k_alice_ed);
    assert_int_equal(stat(path, &st), 0);
    bool has = false;
    assert_int_equal(keystore_has(&f->ks, "aura", 4, sr, 32, &has), ITEE_OK);
    assert_true(has);
    assert_int_equal(keystore_has(&f->ks, "gran", 4, sr, 32, &has), ITEE_OK);
    assert_false(has);
    struct keys_pair p;
    assert_int_equal(keystore_load(&f->ks, "gran", 4, ed, 32, &p), ITEE_OK);
    assert_int_equal(p.scheme, KEYS_SCHEME_ED25519);
    keys_pair_clear(&p);

    /* the secret must derive the public key: //Alice under gran is not the sr25519 key */
    assert_int_equal(keystore_insert(&f->ks, "gran", 4, "//Alice", 7, sr, 32),
                     ITEE_ERR_KEY_MISMATCH);
    assert_int_equal(keystore_has(&f->ks, "gran", 4, sr, 32, &has), ITEE_OK);
    assert_false(has);
    assert_int_equal(keystore_insert(&f->ks, "xxxx", 4, "//Alice", 7, sr, 32), ITEE_ERR_KEY_TYPE);
    assert_int_equal(keystore_insert(&f->ks, "aur", 3, "//Alice", 7, sr, 32), ITEE_ERR_KEY_TYPE);
    assert_int_equal(keystore_insert(&f->ks, "aura", 4, "//Alice", 7, sr, 31), ITEE_ERR_ARG);
    assert_int_not_equal(keystore_insert(&f->ks, "aura", 4, "not a phrase", 12, sr, 32), ITEE_OK);
    assert_int_equal(keystore_has(&f->ks, "nope", 4, sr, 32, &has), ITEE_ERR_KEY_TYPE);
}

static void test_generate(void **state)
{
    struct fx *f = *state;
    uint8_t a[KEYS_PUBLIC_MAX], b[KEYS_PUBLIC_MAX];
    size_t al = 0, bl = 0;
    assert_int_equal(keystore_generate(&f->ks, "aura", 4, a, &al), ITEE_OK);
    assert_int_equal(keystore_generate(&f->ks, "aura", 4, b, &bl), ITEE_OK);
    assert_int_equal(al, 32);
    assert_memory_not_equal(a, b, 32);
    bool has = false;
    assert_int_equal(keystore_has(&f->ks, "aura", 4, a, al, &has), ITEE_OK);
    assert_true(has);
    struct keys_pair p;
    assert_int_equal(keystore_load(&f->ks, "aura", 4, a, al, &p), ITEE_OK);
    uint8_t pub[KEYS_PUBLIC_MAX];
    assert_int_equal(keys_pair_public(&p, pub), 32);
    assert_memory_equal(pub, a, 32);
    keys_pair_clear(&p);
    /* the file holds a quoted 12-word phrase */
    char hex[65], path[4096], text[512];
    assert_int_equal(itee_hex_encode(hex, sizeof(hex), a, 32), ITEE_OK);
    file_of(path, f, "61757261", hex);
    read_all(path, text, sizeof(text));
    size_t spaces = 0;
    for (size_t i = 0; text[i]; i++)
        spaces += text[i] == ' ';
    assert_int_equal(text[0], '"');
    assert_int_equal(spaces, KEYSTORE_WORDS - 1);
    /* ecdsa keys are 33 bytes */
    assert_int_equal(keystore_generate(&f->ks, "beef", 4, a, &al), ITEE_OK);
    assert_int_equal(al, 33);
}

struct listed {
    uint8_t keys[8][KEYS_PUBLIC_MAX];
    size_t n;
};

static void on_key(void *ctx, const uint8_t *pub, size_t len)
{
    struct listed *l = ctx;
    assert_int_equal(len, 32);
    assert_true(l->n < 8);
    memcpy(l->keys[l->n++], pub, len);
}

static bool listed_has(const struct listed *l, const uint8_t *pub)
{
    for (size_t i = 0; i < l->n; i++)
        if (memcmp(l->keys[i], pub, 32) == 0)
            return true;
    return false;
}

static void test_list(void **state)
{
    struct fx *f = *state;
    uint8_t a[KEYS_PUBLIC_MAX], b[KEYS_PUBLIC_MAX], c[KEYS_PUBLIC_MAX];
    size_t al = 0, bl = 0, cl = 0;
    assert_int_equal(keystore_generate(&f->ks, "sr25", 4, a, &al), ITEE_OK);
    assert_int_equal(keystore_generate(&f->ks, "sr25", 4, b, &bl), ITEE_OK);
    assert_int_equal(keystore_generate(&f->ks, "ed25", 4, c, &cl), ITEE_OK);
    /* a stray file with the right prefix but a bad name is skipped */
    char path[4096];
    snprintf(path, sizeof(path), "%s/73723235zz", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fclose(fp);
    struct listed l = {.n = 0};
    assert_int_equal(keystore_list(&f->ks, "sr25", 4, on_key, &l), ITEE_OK);
    assert_int_equal(l.n, 2);
    assert_true(listed_has(&l, a) && listed_has(&l, b));
    assert_false(listed_has(&l, c));
    l.n = 0;
    assert_int_equal(keystore_list(&f->ks, "ed25", 4, on_key, &l), ITEE_OK);
    assert_int_equal(l.n, 1);
    assert_true(listed_has(&l, c));
    /* ed25 keys are ed25519: they load and match */
    struct keys_pair p;
    assert_int_equal(keystore_load(&f->ks, "ed25", 4, c, cl, &p), ITEE_OK);
    assert_int_equal(p.scheme, KEYS_SCHEME_ED25519);
    keys_pair_clear(&p);
    assert_int_equal(keystore_list(&f->ks, "xxxx", 4, on_key, &l), ITEE_ERR_KEY_TYPE);
    struct keystore missing;
    memset(&missing, 0, sizeof(missing));
    snprintf(missing.dir, sizeof(missing.dir), "%s/not-there", f->dir);
    l.n = 0;
    assert_int_equal(keystore_list(&missing, "sr25", 4, on_key, &l), ITEE_OK);
    assert_int_equal(l.n, 0);
}

static void put_file(const char *path, const char *content, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, len, fp), len);
    fclose(fp);
}

static void test_hostile_files(void **state)
{
    struct fx *f = *state;
    uint8_t sr[32];
    char path[4096];
    struct keys_pair p;
    assert_int_equal(itee_hex_decode_exact(sr, 32, k_alice_sr, 64), ITEE_OK);
    file_of(path, f, "61757261", k_alice_sr);
    assert_int_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_ERR_NOENT);
    put_file(path, "garbage", 7);
    assert_int_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_ERR_KEY_FILE);
    put_file(path, "[\"//Alice\"]", 11);
    assert_int_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_ERR_KEY_FILE);
    put_file(path, "\"//Bob\"", 7);
    assert_int_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_ERR_KEY_MISMATCH);
    put_file(path, "\"\\u0000\"", 8);
    assert_int_not_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_OK);
    char *big = malloc(KEYSTORE_FILE_MAX + 10);
    assert_non_null(big);
    memset(big, ' ', KEYSTORE_FILE_MAX + 10);
    put_file(path, big, KEYSTORE_FILE_MAX + 10);
    free(big);
    assert_int_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_ERR_KEY_FILE);
    unlink(path);
    /* a symlink planted under a key name is neither followed nor counted */
    assert_int_equal(symlink("/etc/passwd", path), 0);
    bool has = true;
    assert_int_equal(keystore_has(&f->ks, "aura", 4, sr, 32, &has), ITEE_OK);
    assert_false(has);
    assert_int_not_equal(keystore_load(&f->ks, "aura", 4, sr, 32, &p), ITEE_OK);
    unlink(path);
    /* a directory path that is too long is refused */
    struct keystore ks2;
    char longdir[KEYSTORE_PATH_MAX + 10];
    memset(longdir, 'a', sizeof(longdir) - 1);
    longdir[0] = '/';
    longdir[sizeof(longdir) - 1] = '\0';
    assert_int_equal(keystore_open(&ks2, longdir), ITEE_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_alice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
