/*
 * test_enclave_keys.c - the enclave's internals without dlopen: sealed key load/generate
 * (enclave_keys), the ocall wrappers' checks of hostile host answers (enclave_ocall), and the
 * context's permission table and init checks (enclave_ctx). The ocall table here is an
 * in-memory file store that can be told to misbehave; the real host's table is exercised by
 * test_enclave_host.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "crypto/rsa.h"
#include "enclave/edl.h"
#include "enclave/enclave_ctx.h"
#include "enclave/enclave_keys.h"
#include "enclave/enclave_ocall.h"

#define FS_MAX_FILES 8

/* How the fake host answers read_file. */
enum fs_mode {
    FS_OK = 0,          /* honest */
    FS_LEN_OVER_CAP,    /* claims ITEE_OK with more bytes than the buffer holds */
    FS_SPACE_UNDER_CAP, /* claims ITEE_ERR_SPACE with a size that would have fit */
    FS_SPACE_HUGE,      /* claims a file far above every limit */
    FS_BAD_CODE,        /* returns a status no ocall may return */
    FS_GARBAGE,         /* returns random-looking bytes instead of the file */
};

struct fs_file {
    char name[EDL_FILE_NAME_MAX + 1]; /* file name */
    uint8_t *data;                    /* content (itee_alloc) */
    size_t len;                       /* its length */
};

struct fs {
    struct fs_file files[FS_MAX_FILES]; /* the "data directory" */
    int nfiles;                         /* files in use */
    enum fs_mode mode;                  /* read_file behaviour */
    int fail_writes;                    /* write_file_atomic fails when set */
    int fail_call;                      /* 1-based file ocall that fails with IO (0: none) */
    int calls;                          /* file ocalls so far */
    int writes;                         /* successful writes */
    int logs;                           /* log lines received */
    int saw_software_mode;              /* a log line announced software mode */
};

static struct fs_file *fs_find(struct fs *fs, const char *name)
{
    for (int i = 0; i < fs->nfiles; i++)
        if (strcmp(fs->files[i].name, name) == 0)
            return &fs->files[i];
    return NULL;
}

static void fs_put(struct fs *fs, const char *name, const uint8_t *data, size_t len)
{
    struct fs_file *f = fs_find(fs, name);
    if (f == NULL) {
        assert_true(fs->nfiles < FS_MAX_FILES);
        f = &fs->files[fs->nfiles++];
        memset(f, 0, sizeof(*f));
        strncat(f->name, name, EDL_FILE_NAME_MAX);
    }
    itee_free(f->data);
    f->data = itee_alloc(len);
    assert_non_null(f->data);
    memcpy(f->data, data, len);
    f->len = len;
}

static void fs_remove(struct fs *fs, const char *name)
{
    struct fs_file *f = fs_find(fs, name);
    assert_non_null(f);
    itee_free(f->data);
    *f = fs->files[--fs->nfiles];
}

static void fs_free(struct fs *fs)
{
    for (int i = 0; i < fs->nfiles; i++)
        itee_free(fs->files[i].data);
    fs->nfiles = 0;
}

static void fs_copy(struct fs *dst, const struct fs *src)
{
    memset(dst, 0, sizeof(*dst));
    for (int i = 0; i < src->nfiles; i++)
        fs_put(dst, src->files[i].name, src->files[i].data, src->files[i].len);
}

static int fs_equal(const struct fs *a, const struct fs *b)
{
    if (a->nfiles != b->nfiles)
        return 0;
    for (int i = 0; i < a->nfiles; i++) {
        const struct fs_file *f = fs_find((struct fs *)b, a->files[i].name);
        if (f == NULL || f->len != a->files[i].len || memcmp(f->data, a->files[i].data, f->len))
            return 0;
    }
    return 1;
}

static void fs_log(void *host, uint32_t level, const char *line, size_t len)
{
    struct fs *fs = host;
    (void)level;
    assert_true(len <= EDL_LOG_LINE_MAX);
    fs->logs++;
    if (len >= 28 && memcmp(line, "enclave running in SOFTWARE MODE", 28) == 0)
        fs->saw_software_mode = 1;
}

static int32_t fs_read(void *host, const char *name, uint8_t *buf, size_t cap, size_t *len)
{
    struct fs *fs = host;
    struct fs_file *f = fs_find(fs, name);
    if (++fs->calls == fs->fail_call)
        return ITEE_ERR_IO;
    switch (fs->mode) {
    case FS_LEN_OVER_CAP:
        *len = cap + 1;
        return ITEE_OK;
    case FS_SPACE_UNDER_CAP:
        *len = cap;
        return ITEE_ERR_SPACE;
    case FS_SPACE_HUGE:
        *len = SIZE_MAX;
        return ITEE_ERR_SPACE;
    case FS_BAD_CODE:
        *len = 0;
        return 12345;
    case FS_GARBAGE:
        for (size_t i = 0; i < 200 && i < cap; i++)
            buf[i] = (uint8_t)(i * 37 + 11);
        *len = cap < 200 ? cap : 200;
        return ITEE_OK;
    case FS_OK:
        break;
    }
    if (f == NULL)
        return ITEE_ERR_NOENT;
    *len = f->len;
    if (f->len > cap)
        return ITEE_ERR_SPACE;
    memcpy(buf, f->data, f->len);
    return ITEE_OK;
}

static int32_t fs_write(void *host, const char *name, const uint8_t *data, size_t len)
{
    struct fs *fs = host;
    if (fs->fail_writes || ++fs->calls == fs->fail_call)
        return ITEE_ERR_IO;
    fs_put(fs, name, data, len);
    fs->writes++;
    return ITEE_OK;
}

static int32_t fs_time(void *host, uint64_t *ms)
{
    (void)host;
    *ms = 1700000000000ull;
    return ITEE_OK;
}

static int32_t fs_send(void *host, const uint8_t *xt, size_t len)
{
    (void)host;
    (void)xt;
    (void)len;
    return ITEE_OK;
}

static struct edl_ocalls fs_table(struct fs *fs)
{
    struct edl_ocalls oc = {
        EDL_VERSION, sizeof(struct edl_ocalls), fs, fs_log, fs_read, fs_write, fs_time, fs_send};
    return oc;
}

/* measurement 00..1f, secret 32 x 5a */
static uint8_t measurement[EDL_MEASUREMENT_LEN];
static uint8_t secret[EDL_LOCAL_SECRET_LEN];

/* The data directory after a first start; made once (RSA-3072 generation is slow). */
static struct fs first;

static int group_setup(void **state)
{
    (void)state;
    for (int i = 0; i < EDL_MEASUREMENT_LEN; i++)
        measurement[i] = (uint8_t)i;
    memset(secret, 0x5a, sizeof(secret));
    struct edl_ocalls oc = fs_table(&first);
    struct enclave_keys keys;
    if (enclave_keys_load(&keys, &oc, measurement, secret, sizeof(secret)) != ITEE_OK)
        return -1;
    int ok = keys.generated == 3 && first.nfiles == 3 && first.writes == 3;
    enclave_keys_clear(&keys);
    return ok ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    fs_free(&first);
    return 0;
}

static void test_reload_same_keys(void **state)
{
    (void)state;
    struct fs fs;
    fs_copy(&fs, &first);
    struct edl_ocalls oc = fs_table(&fs);
    struct enclave_keys a, b;
    assert_int_equal(enclave_keys_load(&a, &oc, measurement, secret, sizeof(secret)), ITEE_OK);
    assert_int_equal(a.generated, 0);
    assert_int_equal(fs.writes, 0);
    assert_int_equal(enclave_keys_load(&b, &oc, measurement, secret, sizeof(secret)), ITEE_OK);
    assert_memory_equal(a.signer.public.bytes, b.signer.public.bytes, ED25519_PUBLIC_LEN);
    assert_memory_equal(a.account.public.bytes, b.account.public.bytes, ED25519_PUBLIC_LEN);
    assert_memory_equal(a.state_key, b.state_key, ENCLAVE_STATE_KEY_LEN);
    assert_memory_not_equal(a.signer.public.bytes, a.account.public.bytes, ED25519_PUBLIC_LEN);

    /* The STF account is ed25519 of blake2_256(key pair JSON), recomputed here. */
    struct itee_buf json, pub_a, pub_b;
    itee_buf_init(&json, 0);
    itee_buf_init(&pub_a, 0);
    itee_buf_init(&pub_b, 0);
    assert_int_equal(rsa_keypair_to_json(a.shielding, &json), ITEE_OK);
    uint8_t seed[32];
    struct ed25519_keypair acc;
    hash_blake2_256(seed, json.ptr, json.len);
    assert_int_equal(ed25519_keypair_from_seed(&acc, seed), ITEE_OK);
    assert_memory_equal(acc.public.bytes, a.account.public.bytes, ED25519_PUBLIC_LEN);

    /* Public JSON is the §4.5 shape and parses back. */
    assert_int_equal(enclave_keys_shielding_json(&a, &pub_a), ITEE_OK);
    assert_int_equal(enclave_keys_shielding_json(&b, &pub_b), ITEE_OK);
    assert_int_equal(pub_a.len, pub_b.len);
    assert_memory_equal(pub_a.ptr, pub_b.ptr, pub_a.len);
    assert_memory_equal(pub_a.ptr, "{\"n\":[", 6);
    struct rsa_key *pk = NULL;
    assert_int_equal(rsa_public_from_json(&pk, (const char *)pub_a.ptr, pub_a.len), ITEE_OK);
    rsa_key_free(pk);

    itee_buf_free_secret(&json);
    itee_buf_free(&pub_a);
    itee_buf_free(&pub_b);
    enclave_keys_clear(&a);
    enclave_keys_clear(&b);
    fs_free(&fs);
}

/* Loads from a copy of fs and expects want; the copy must be left untouched. */
static void expect_refused(struct fs *fs, const uint8_t *m, const uint8_t *s, enum itee_err want)
{
    struct fs before;
    fs_copy(&before, fs);
    struct edl_ocalls oc = fs_table(fs);
    struct enclave_keys keys;
    assert_int_equal(enclave_keys_load(&keys, &oc, m, s, EDL_LOCAL_SECRET_LEN), want);
    assert_null(keys.shielding);
    assert_int_equal(fs->writes, 0);
    assert_true(fs_equal(&before, fs));
    fs_free(&before);
}

static void test_other_measurement_or_secret(void **state)
{
    (void)state;
    struct fs fs;
    fs_copy(&fs, &first);
    uint8_t m[EDL_MEASUREMENT_LEN], s[EDL_LOCAL_SECRET_LEN];
    memcpy(m, measurement, sizeof(m));
    m[31] ^= 1;
    expect_refused(&fs, m, secret, ITEE_ERR_ENCLAVE_UNSEAL);
    memcpy(s, secret, sizeof(s));
    s[0] ^= 0x80;
    expect_refused(&fs, measurement, s, ITEE_ERR_ENCLAVE_UNSEAL);
    fs_free(&fs);
}

static void test_tampered_files(void **state)
{
    (void)state;
    const char *names[3] = {ENCLAVE_KEYS_SHIELDING_FILE, ENCLAVE_KEYS_SIGNING_FILE,
                            ENCLAVE_KEYS_STATE_FILE};
    for (int i = 0; i < 3; i++) {
        struct fs fs;
        fs_copy(&fs, &first);
        struct fs_file *f = fs_find(&fs, names[i]);
        f->data[f->len / 2] ^= 0x01; /* flipped ciphertext bit */
        expect_refused(&fs, measurement, secret, ITEE_ERR_ENCLAVE_UNSEAL);
        f->data[f->len / 2] ^= 0x01;
        f->len = 10; /* truncated below the seal header */
        expect_refused(&fs, measurement, secret, ITEE_ERR_ENCLAVE_UNSEAL);
        fs_free(&fs);
    }
    /* A valid blob under another file's name: the name is the aad, so it does not open. */
    struct fs fs;
    fs_copy(&fs, &first);
    struct fs_file *sig = fs_find(&fs, ENCLAVE_KEYS_SIGNING_FILE);
    fs_put(&fs, ENCLAVE_KEYS_STATE_FILE, sig->data, sig->len);
    expect_refused(&fs, measurement, secret, ITEE_ERR_ENCLAVE_UNSEAL);
    fs_free(&fs);
}

static void test_missing_file_regenerated(void **state)
{
    (void)state;
    struct fs fs;
    fs_copy(&fs, &first);
    struct edl_ocalls oc = fs_table(&fs);
    struct enclave_keys a, b;
    assert_int_equal(enclave_keys_load(&a, &oc, measurement, secret, sizeof(secret)), ITEE_OK);
    fs_remove(&fs, ENCLAVE_KEYS_SIGNING_FILE);
    assert_int_equal(enclave_keys_load(&b, &oc, measurement, secret, sizeof(secret)), ITEE_OK);
    assert_int_equal(b.generated, 1);
    assert_int_equal(fs.writes, 1);
    assert_non_null(fs_find(&fs, ENCLAVE_KEYS_SIGNING_FILE));
    assert_memory_equal(a.account.public.bytes, b.account.public.bytes, ED25519_PUBLIC_LEN);
    assert_memory_equal(a.state_key, b.state_key, ENCLAVE_STATE_KEY_LEN);
    assert_memory_not_equal(a.signer.public.bytes, b.signer.public.bytes, ED25519_PUBLIC_LEN);
    enclave_keys_clear(&a);
    enclave_keys_clear(&b);

    /* A failing write is an error, and nothing is kept. */
    fs_remove(&fs, ENCLAVE_KEYS_SIGNING_FILE);
    fs.fail_writes = 1;
    fs.writes = 0;
    expect_refused(&fs, measurement, secret, ITEE_ERR_IO);
    fs_free(&fs);
}

static void test_hostile_read_answers(void **state)
{
    (void)state;
    static const struct {
        enum fs_mode mode;
        enum itee_err want;
    } cases[] = {
        {FS_LEN_OVER_CAP, ITEE_ERR_ENCLAVE_OCALL}, {FS_SPACE_UNDER_CAP, ITEE_ERR_ENCLAVE_OCALL},
        {FS_SPACE_HUGE, ITEE_ERR_SPACE},           {FS_BAD_CODE, ITEE_ERR_ENCLAVE_OCALL},
        {FS_GARBAGE, ITEE_ERR_ENCLAVE_UNSEAL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fs fs;
        fs_copy(&fs, &first);
        fs.mode = cases[i].mode;
        expect_refused(&fs, measurement, secret, cases[i].want);
        fs_free(&fs);
    }
}

static void test_ocall_wrappers(void **state)
{
    (void)state;
    struct fs fs;
    memset(&fs, 0, sizeof(fs));
    struct edl_ocalls oc = fs_table(&fs);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    uint8_t big[20000];
    memset(big, 7, sizeof(big));
    /* a file larger than the first read buffer takes the second, sized attempt */
    assert_int_equal(enclave_ocall_write_file(&oc, "big.bin", big, sizeof(big)), ITEE_OK);
    assert_int_equal(enclave_ocall_read_file(&oc, "big.bin", sizeof(big), &b), ITEE_OK);
    assert_int_equal(b.len, sizeof(big));
    assert_memory_equal(b.ptr, big, sizeof(big));
    assert_int_equal(enclave_ocall_read_file(&oc, "big.bin", sizeof(big) - 1, &b), ITEE_ERR_SPACE);
    assert_int_equal(b.len, 0);
    assert_int_equal(enclave_ocall_read_file(&oc, "none.bin", 100, &b), ITEE_ERR_NOENT);
    /* names the enclave never asks for */
    assert_int_equal(enclave_ocall_read_file(&oc, "../x", 100, &b), ITEE_ERR_ENCLAVE_NAME);
    assert_int_equal(enclave_ocall_write_file(&oc, "a/b", big, 1), ITEE_ERR_ENCLAVE_NAME);
    assert_int_equal(enclave_ocall_write_file(&oc, ".hidden", big, 1), ITEE_ERR_ENCLAVE_NAME);
    assert_int_equal(enclave_ocall_read_file(&oc, "x", EDL_FILE_MAX + 1, &b), ITEE_ERR_ARG);
    assert_int_equal(enclave_ocall_send_xt(&oc, big, 0), ITEE_ERR_ARG);
    assert_int_equal(enclave_ocall_send_xt(&oc, big, 10), ITEE_OK);
    uint64_t ms = 0;
    assert_int_equal(enclave_ocall_time_ms(&oc, &ms), ITEE_OK);
    assert_int_equal(ms, 1700000000000ull);
    itee_buf_free(&b);
    fs_free(&fs);

    /* file names: plain, bounded, no separators, no leading dot */
    assert_true(edl_file_name_ok("rsa3072_key_sealed.bin"));
    assert_true(edl_file_name_ok("a-b_c.d"));
    assert_false(edl_file_name_ok(""));
    assert_false(edl_file_name_ok(".."));
    assert_false(edl_file_name_ok("."));
    assert_false(edl_file_name_ok("a/b"));
    assert_false(edl_file_name_ok("a\\b"));
    assert_false(edl_file_name_ok("a b"));
    assert_false(edl_file_name_ok(NULL));
    char longname[EDL_FILE_NAME_MAX + 2];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[EDL_FILE_NAME_MAX] = '\0';
    assert_true(edl_file_name_ok(longname));
    longname[EDL_FILE_NAME_MAX] = 'a';
    longname[EDL_FILE_NAME_MAX + 1] = '\0';
    assert_false(edl_file_name_ok(longname));
}

static void test_table_checks(void **state)
{
    (void)state;
    struct fs fs;
    memset(&fs, 0, sizeof(fs));
    struct edl_ocalls oc = fs_table(&fs);
    assert_int_equal(enclave_ocall_check_table(&oc), ITEE_OK);
    assert_int_equal(enclave_ocall_check_table(NULL), ITEE_ERR_ARG);
    oc.version = EDL_VERSION + 1;
    assert_int_equal(enclave_ocall_check_table(&oc), ITEE_ERR_ENCLAVE_VERSION);
    oc = fs_table(&fs);
    oc.size -= 1;
    assert_int_equal(enclave_ocall_check_table(&oc), ITEE_ERR_ENCLAVE_VERSION);
    oc = fs_table(&fs);
    oc.read_file = NULL;
    assert_int_equal(enclave_ocall_check_table(&oc), ITEE_ERR_ARG);
}

static void test_ctx_states(void **state)
{
    (void)state;
    struct fs fs;
    fs_copy(&fs, &first);
    struct edl_ocalls oc = fs_table(&fs);
    struct enclave_ctx ctx;
    assert_int_equal(enclave_ctx_create(&ctx), ITEE_OK);
    /* nothing but init before init */
    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_GET_MRENCLAVE), ITEE_ERR_ENCLAVE_STATE);
    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_SHUTDOWN), ITEE_ERR_ENCLAVE_STATE);
    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_COUNT), ITEE_ERR_ARG);
    /* bad arguments leave it uninitialised */
    uint32_t sw = EDL_INIT_SOFTWARE_MODE;
    assert_int_equal(enclave_ctx_start(&ctx, &oc, measurement, 31, secret, 32, sw), ITEE_ERR_ARG);
    assert_int_equal(enclave_ctx_start(&ctx, &oc, measurement, 32, secret, 16, sw), ITEE_ERR_ARG);
    assert_int_equal(enclave_ctx_start(&ctx, &oc, measurement, 32, secret, 32, 0),
                     ITEE_ERR_ENCLAVE_MODE);
    assert_int_equal(enclave_ctx_start(&ctx, &oc, measurement, 32, secret, 32, sw | 0x80),
                     ITEE_ERR_ARG);
    assert_false(ctx.initialized);
    assert_int_equal(fs.logs, 0);

    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_INIT), ITEE_OK);
    assert_int_equal(enclave_ctx_start(&ctx, &oc, measurement, 32, secret, 32, sw), ITEE_OK);
    enclave_ctx_leave(&ctx);
    assert_true(fs.saw_software_mode);
    assert_int_equal(ctx.started_ms, 1700000000000ull);
    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_INIT), ITEE_ERR_ENCLAVE_STATE);
    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_GET_SIGNING_PUBKEY), ITEE_OK);
    enclave_ctx_leave(&ctx);

    /* output: too small reports the size, exact fits */
    uint8_t out[32];
    size_t n = 0;
    assert_int_equal(enclave_ctx_output(NULL, 0, &n, ctx.mrenclave, 32), ITEE_ERR_SPACE);
    assert_int_equal(n, 32);
    assert_int_equal(enclave_ctx_output(out, 31, &n, ctx.mrenclave, 32), ITEE_ERR_SPACE);
    assert_int_equal(enclave_ctx_output(out, 32, &n, ctx.mrenclave, 32), ITEE_OK);
    assert_memory_equal(out, measurement, 32);
    assert_int_equal(enclave_ctx_output(NULL, 5, &n, out, 1), ITEE_ERR_ARG);

    enclave_ctx_stop(&ctx);
    assert_false(ctx.initialized);
    assert_null(ctx.keys.shielding);
    assert_int_equal(enclave_ctx_enter(&ctx, ENCLAVE_ECALL_GET_MRENCLAVE), ITEE_ERR_ENCLAVE_STATE);

    /* a failed init (other measurement) leaves it uninitialised and logs why */
    uint8_t m[EDL_MEASUREMENT_LEN];
    memcpy(m, measurement, sizeof(m));
    m[0] ^= 0xff;
    int logs = fs.logs;
    assert_int_equal(enclave_ctx_start(&ctx, &oc, m, 32, secret, 32, sw), ITEE_ERR_ENCLAVE_UNSEAL);
    assert_false(ctx.initialized);
    assert_true(fs.logs > logs);
    enclave_ctx_destroy(&ctx);
    fs_free(&fs);
}

/* Ocall fault loop: each failing read or write in turn is ITEE_ERR_IO and keeps no keys;
 * a failed read writes nothing. */
static void test_ocall_fault_loop(void **state)
{
    (void)state;
    struct fs fs;
    fs_copy(&fs, &first);
    fs_remove(&fs, ENCLAVE_KEYS_SIGNING_FILE); /* so the load also writes */
    enum itee_err r = ITEE_ERR_IO;
    int n = 1;
    for (; r == ITEE_ERR_IO && n < 20; n++) {
        struct fs copy;
        fs_copy(&copy, &fs);
        copy.fail_call = n;
        struct edl_ocalls oc = fs_table(&copy);
        struct enclave_keys keys;
        r = enclave_keys_load(&keys, &oc, measurement, secret, sizeof(secret));
        if (r != ITEE_OK) {
            assert_int_equal(r, ITEE_ERR_IO);
            assert_null(keys.shielding);
            assert_true(copy.writes == 0);
            assert_true(fs_equal(&fs, &copy));
        }
        enclave_keys_clear(&keys);
        fs_free(&copy);
    }
    assert_int_equal(r, ITEE_OK);
    assert_int_equal(n - 1, 5); /* three reads and one write could fail */
    fs_free(&fs);
}

/* Every allocation failure on the reload path is ITEE_ERR_NOMEM and leaks nothing. */
static void test_reload_oom(void **state)
{
    (void)state;
    struct fs fs;
    fs_copy(&fs, &first);
    struct edl_ocalls oc = fs_table(&fs);
    enum itee_err r = ITEE_ERR_NOMEM;
    for (long n = 0; r == ITEE_ERR_NOMEM && n < 200; n++) {
        struct enclave_keys keys;
        itee_mem_fail_after(n);
        r = enclave_keys_load(&keys, &oc, measurement, secret, sizeof(secret));
        itee_mem_fail_after(-1);
        assert_true(r == ITEE_OK || r == ITEE_ERR_NOMEM);
        enclave_keys_clear(&keys);
    }
    assert_int_equal(r, ITEE_OK);
    assert_int_equal(fs.writes, 0);
    fs_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reload_same_keys),
        cmocka_unit_test(test_other_measurement_or_secret),
        cmocka_unit_test(test_tampered_files),
        cmocka_unit_test(test_missing_file_regenerated),
        cmocka_unit_test(test_hostile_read_answers),
        cmocka_unit_test(test_ocall_wrappers),
        cmocka_unit_test(test_table_checks),
        cmocka_unit_test(test_ctx_states),
        cmocka_unit_test(test_ocall_fault_loop),
        cmocka_unit_test(test_reload_oom),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
