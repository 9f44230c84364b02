/*
 * test_enclave_host.c - the real enclave library through the real loader: dlopen of
 * ITEE_BINARY_DIR/lib/libintegritee-enclave.so, init on a temp data dir, measurement equal to
 * an independent SHA-256 of the file, keys stable across restarts, refusal by another build
 * (the library with one byte appended) and on corrupt files, and a malicious ocall table
 * handed straight to ecall_init.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain/extrinsic.h"
#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "crypto/rsa.h"
#include "enclave/edl.h"
#include "enclave/enclave_keys.h"
#include "service/enclave_host.h"

#define SO_PATH ITEE_BINARY_DIR "/lib/libintegritee-enclave.so"

/* Shared by the tests: one data dir made at first start (RSA keygen once). */
struct fixture {
    char root[64];                          /* mkdtemp directory holding everything */
    char dir[128];                          /* the data dir (root/data) */
    char other_so[128];                     /* the library with one byte appended */
    uint8_t mrenclave[EDL_MEASUREMENT_LEN]; /* from the first start */
    uint8_t signer[EDL_SIGNING_PUB_LEN];    /* from the first start */
    uint8_t account[EDL_SIGNING_PUB_LEN];   /* from the first start */
    struct itee_buf shielding;              /* public JSON from the first start */
};

static struct fixture fx;

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    uint8_t chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (itee_buf_append(&b, chunk, n) != ITEE_OK)
            break;
    fclose(f);
    uint8_t *p;
    itee_buf_take(&b, &p, len);
    return p;
}

static int spit(const char *path, const uint8_t *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(p, 1, len, f);
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

static void data_path(char *out, size_t cap, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", fx.dir, name);
    assert_true(n > 0 && (size_t)n < cap);
}

static int group_setup(void **state)
{
    (void)state;
    itee_buf_init(&fx.shielding, 0);
    memcpy(fx.root, "/tmp/itee-enclave-XXXXXX", 25);
    if (mkdtemp(fx.root) == NULL)
        return -1;
    (void)snprintf(fx.dir, sizeof(fx.dir), "%s/data", fx.root);
    (void)snprintf(fx.other_so, sizeof(fx.other_so), "%s/other.so", fx.root);
    /* Another "build": the same code with one byte appended, so another measurement. */
    size_t len = 0;
    uint8_t *so = slurp(SO_PATH, &len);
    if (so == NULL)
        return -1;
    uint8_t *more = itee_realloc(so, len + 1);
    if (more == NULL) {
        itee_free(so);
        return -1;
    }
    more[len] = 0x00;
    int rc = spit(fx.other_so, more, len + 1);
    itee_free(more);
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    DIR *d = opendir(fx.dir);
    struct dirent *e;
    char p[512];
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        (void)snprintf(p, sizeof(p), "%s/%s", fx.dir, e->d_name);
        (void)unlink(p);
    }
    if (d != NULL)
        closedir(d);
    (void)rmdir(fx.dir);
    (void)unlink(fx.other_so);
    (void)rmdir(fx.root);
    itee_buf_free(&fx.shielding);
    return 0;
}

static void test_first_start(void **state)
{
    (void)state;
    struct enclave_host *h = NULL;
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_OK);

    /* MRENCLAVE = SHA-256 of the file, computed here independently of the loader. */
    size_t len = 0;
    uint8_t *so = slurp(SO_PATH, &len);
    assert_non_null(so);
    uint8_t expect[HASH_SHA256_LEN];
    hash_sha256(expect, so, len);
    itee_free(so);
    assert_int_equal(enclave_host_mrenclave(h, fx.mrenclave), ITEE_OK);
    assert_memory_equal(fx.mrenclave, expect, sizeof(expect));
    assert_memory_equal(enclave_host_measurement(h), expect, sizeof(expect));

    assert_int_equal(enclave_host_shielding_pubkey(h, &fx.shielding), ITEE_OK);
    struct rsa_key *pk = NULL;
    assert_int_equal(rsa_public_from_json(&pk, (const char *)fx.shielding.ptr, fx.shielding.len),
                     ITEE_OK);
    assert_false(rsa_key_has_private(pk));
    /* e = [1,0,0,1] little-endian (worker-protocol.md §4.5) closes the JSON */
    const char *tail = "\"e\":[1,0,0,1]}";
    assert_memory_equal(fx.shielding.ptr + fx.shielding.len - strlen(tail), tail, strlen(tail));
    /* a client can encrypt to it */
    struct itee_buf ct;
    itee_buf_init(&ct, 0);
    assert_int_equal(rsa_encrypt(pk, (const uint8_t *)"hello", 5, &ct), ITEE_OK);
    assert_int_equal(ct.len, RSA_SHIELD_MOD_LEN);
    itee_buf_free(&ct);
    rsa_key_free(pk);

    assert_int_equal(enclave_host_signing_pubkey(h, fx.signer), ITEE_OK);
    assert_int_equal(enclave_host_enclave_account(h, fx.account), ITEE_OK);
    assert_memory_not_equal(fx.signer, fx.account, EDL_SIGNING_PUB_LEN);
    enclave_host_close(h);

    /* every file the enclave or host keeps is owner-only */
    const char *names[] = {ENCLAVE_HOST_SECRET_FILE, ENCLAVE_KEYS_SHIELDING_FILE,
                           ENCLAVE_KEYS_SIGNING_FILE, ENCLAVE_KEYS_STATE_FILE};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char p[256];
        struct stat st;
        data_path(p, sizeof(p), names[i]);
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
    }
}

static void test_restart_same_keys(void **state)
{
    (void)state;
    struct enclave_host *h = NULL;
    uint8_t m[EDL_MEASUREMENT_LEN], s[EDL_SIGNING_PUB_LEN], a[EDL_SIGNING_PUB_LEN];
    struct itee_buf json;
    itee_buf_init(&json, 0);
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, EDL_INIT_DEV), ITEE_OK);
    assert_int_equal(enclave_host_mrenclave(h, m), ITEE_OK);
    assert_int_equal(enclave_host_signing_pubkey(h, s), ITEE_OK);
    assert_int_equal(enclave_host_enclave_account(h, a), ITEE_OK);
    assert_int_equal(enclave_host_shielding_pubkey(h, &json), ITEE_OK);
    assert_memory_equal(m, fx.mrenclave, sizeof(m));
    assert_memory_equal(s, fx.signer, sizeof(s));
    assert_memory_equal(a, fx.account, sizeof(a));
    assert_int_equal(json.len, fx.shielding.len);
    assert_memory_equal(json.ptr, fx.shielding.ptr, json.len);
    itee_buf_free(&json);
    enclave_host_close(h);
}

/* Snapshot of the sealed files, to prove a refused start leaves them alone. */
struct snapshot {
    uint8_t *data[3]; /* contents */
    size_t len[3];    /* lengths */
};

static void snap_take(struct snapshot *s)
{
    const char *names[3] = {ENCLAVE_KEYS_SHIELDING_FILE, ENCLAVE_KEYS_SIGNING_FILE,
                            ENCLAVE_KEYS_STATE_FILE};
    for (int i = 0; i < 3; i++) {
        char p[256];
        data_path(p, sizeof(p), names[i]);
        s->data[i] = slurp(p, &s->len[i]);
        assert_non_null(s->data[i]);
    }
}

static void snap_same(struct snapshot *a)
{
    struct snapshot b;
    snap_take(&b);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(a->len[i], b.len[i]);
        assert_memory_equal(a->data[i], b.data[i], a->len[i]);
        itee_free(a->data[i]);
        itee_free(b.data[i]);
    }
}

static void test_other_build_cannot_unseal(void **state)
{
    (void)state;
    uint8_t m[EDL_MEASUREMENT_LEN];
    assert_int_equal(enclave_host_measure(fx.other_so, m), ITEE_OK);
    assert_memory_not_equal(m, fx.mrenclave, sizeof(m));
    struct snapshot snap;
    snap_take(&snap);
    struct enclave_host *h = NULL;
    assert_int_equal(enclave_host_open(&h, fx.other_so, fx.dir, 0), ITEE_ERR_ENCLAVE_UNSEAL);
    assert_null(h);
    snap_same(&snap);
    assert_int_equal(enclave_host_measure(fx.root, m), ITEE_ERR_IO);
    assert_int_equal(enclave_host_open(&h, "/nonexistent/lib.so", fx.dir, 0), ITEE_ERR_NOENT);
}

static void test_corrupt_files(void **state)
{
    (void)state;
    const char *names[3] = {ENCLAVE_KEYS_SHIELDING_FILE, ENCLAVE_KEYS_SIGNING_FILE,
                            ENCLAVE_KEYS_STATE_FILE};
    for (int i = 0; i < 3; i++) {
        char p[256];
        size_t len = 0;
        data_path(p, sizeof(p), names[i]);
        uint8_t *orig = slurp(p, &len);
        assert_non_null(orig);
        orig[len - 1] ^= 0x40; /* tag byte */
        assert_int_equal(spit(p, orig, len), 0);
        struct enclave_host *h = NULL;
        assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_ERR_ENCLAVE_UNSEAL);
        orig[len - 1] ^= 0x40;
        assert_int_equal(spit(p, orig, len), 0);
        itee_free(orig);
    }
    /* a local secret of the wrong size is refused before the enclave runs */
    char p[256];
    size_t len = 0;
    data_path(p, sizeof(p), ENCLAVE_HOST_SECRET_FILE);
    uint8_t *secret = slurp(p, &len);
    assert_non_null(secret);
    assert_int_equal(spit(p, secret, len - 1), 0);
    struct enclave_host *h = NULL;
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_ERR_FORMAT);
    assert_int_equal(spit(p, secret, len), 0);
    itee_free_secret(secret, len);
    /* restored: starts again */
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_OK);
    enclave_host_close(h);
}

/* ---- a malicious host, talking to ecall_init directly ---- */

enum evil_mode { EVIL_LEN_OVER_CAP, EVIL_GARBAGE, EVIL_BAD_CODE, EVIL_WRITE_FAILS };

struct evil {
    enum evil_mode mode; /* how read_file/write_file misbehave */
    int lines;           /* log lines received */
};

static void evil_log(void *host, uint32_t level, const char *line, size_t len)
{
    struct evil *e = host;
    (void)level;
    (void)line;
    assert_true(len <= EDL_LOG_LINE_MAX);
    e->lines++;
}

static int32_t evil_read(void *host, const char *name, uint8_t *buf, size_t cap, size_t *len)
{
    struct evil *e = host;
    switch (e->mode) {
    case EVIL_LEN_OVER_CAP:
        *len = cap + 4096;
        return ITEE_OK;
    case EVIL_GARBAGE:
        *len = cap;
        memset(buf, 0xee, cap);
        return ITEE_OK;
    case EVIL_BAD_CODE:
        return -7;
    case EVIL_WRITE_FAILS:
        break;
    }
    /* Serve the real files except the signing key, which then must be (re)written. */
    if (strcmp(name, ENCLAVE_KEYS_SIGNING_FILE) == 0)
        return ITEE_ERR_NOENT;
    char p[256];
    size_t n = 0;
    data_path(p, sizeof(p), name);
    uint8_t *d = slurp(p, &n);
    if (d == NULL)
        return ITEE_ERR_NOENT;
    *len = n;
    int32_t r = ITEE_ERR_SPACE;
    if (n <= cap) {
        memcpy(buf, d, n);
        r = ITEE_OK;
    }
    itee_free(d);
    return r;
}

static int32_t evil_write(void *host, const char *name, const uint8_t *data, size_t len)
{
    (void)host;
    (void)name;
    (void)data;
    (void)len;
    return ITEE_ERR_IO;
}

static int32_t evil_time(void *host, uint64_t *ms)
{
    (void)host;
    *ms = 0;
    return ITEE_OK;
}

static int32_t evil_send(void *host, const uint8_t *xt, size_t len)
{
    (void)host;
    (void)xt;
    (void)len;
    return ITEE_ERR_IO;
}

static void test_malicious_ocalls(void **state)
{
    (void)state;
    void *dl = dlopen(SO_PATH, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(dl);
    edl_edl_version_fn version;
    edl_init_fn init;
    edl_get_fn get_mrenclave;
    edl_shutdown_fn shutdown;
    *(void **)&version = dlsym(dl, EDL_SYM_EDL_VERSION);
    *(void **)&init = dlsym(dl, EDL_SYM_INIT);
    *(void **)&get_mrenclave = dlsym(dl, EDL_SYM_GET_MRENCLAVE);
    *(void **)&shutdown = dlsym(dl, EDL_SYM_SHUTDOWN);
    assert_non_null(version);
    assert_non_null(init);
    assert_non_null(get_mrenclave);
    assert_non_null(shutdown);
    assert_null(dlsym(dl, "enclave_ctx_global")); /* internals are hidden */
    assert_null(dlsym(dl, "rsa_key_generate"));
    assert_int_equal(version(), EDL_VERSION);

    /* The real local secret and measurement, so only the ocalls are hostile. */
    char p[256];
    size_t slen = 0;
    data_path(p, sizeof(p), ENCLAVE_HOST_SECRET_FILE);
    uint8_t *secret = slurp(p, &slen);
    assert_non_null(secret);
    assert_int_equal(slen, EDL_LOCAL_SECRET_LEN);
    const uint8_t *m = fx.mrenclave;
    const uint32_t sw = EDL_INIT_SOFTWARE_MODE;

    struct evil e = {EVIL_LEN_OVER_CAP, 0};
    struct edl_ocalls oc = {EDL_VERSION, sizeof(oc), &e,        evil_log,
                            evil_read,   evil_write, evil_time, evil_send};
    static const struct {
        enum evil_mode mode;
        int32_t want;
    } cases[] = {
        {EVIL_LEN_OVER_CAP, ITEE_ERR_ENCLAVE_OCALL},
        {EVIL_GARBAGE, ITEE_ERR_ENCLAVE_UNSEAL},
        {EVIL_BAD_CODE, ITEE_ERR_ENCLAVE_OCALL},
        {EVIL_WRITE_FAILS, ITEE_ERR_IO},
    };
    uint8_t out[EDL_MEASUREMENT_LEN];
    size_t n = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        e.mode = cases[i].mode;
        e.lines = 0;
        assert_int_equal(init(&oc, m, EDL_MEASUREMENT_LEN, secret, slen, sw), cases[i].want);
        assert_true(e.lines > 0); /* the refusal was logged through the ocall */
        /* still uninitialised: nothing but init is permitted */
        assert_int_equal(get_mrenclave(out, sizeof(out), &n), ITEE_ERR_ENCLAVE_STATE);
        assert_int_equal(shutdown(), ITEE_ERR_ENCLAVE_STATE);
    }

    /* A broken table or arguments are refused before any ocall. */
    struct edl_ocalls bad = oc;
    bad.version = EDL_VERSION + 1;
    assert_int_equal(init(&bad, m, EDL_MEASUREMENT_LEN, secret, slen, sw),
                     ITEE_ERR_ENCLAVE_VERSION);
    bad = oc;
    bad.size = 8;
    assert_int_equal(init(&bad, m, EDL_MEASUREMENT_LEN, secret, slen, sw),
                     ITEE_ERR_ENCLAVE_VERSION);
    bad = oc;
    bad.write_file_atomic = NULL;
    assert_int_equal(init(&bad, m, EDL_MEASUREMENT_LEN, secret, slen, sw), ITEE_ERR_ARG);
    assert_int_equal(init(NULL, m, EDL_MEASUREMENT_LEN, secret, slen, sw), ITEE_ERR_ARG);
    assert_int_equal(init(&oc, m, 16, secret, slen, sw), ITEE_ERR_ARG);
    assert_int_equal(init(&oc, m, EDL_MEASUREMENT_LEN, NULL, slen, sw), ITEE_ERR_ARG);
    assert_int_equal(init(&oc, m, EDL_MEASUREMENT_LEN, secret, slen, 0), ITEE_ERR_ENCLAVE_MODE);
    assert_int_equal(get_mrenclave(out, sizeof(out), &n), ITEE_ERR_ENCLAVE_STATE);
    itee_free_secret(secret, slen);
    dlclose(dl);
}

/* Output ecalls: too small reports the size needed; init twice is refused. */
static void test_output_protocol(void **state)
{
    (void)state;
    struct enclave_host *h = NULL;
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_OK);
    void *dl = dlopen(SO_PATH, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    assert_non_null(dl);
    edl_get_fn get_shielding;
    edl_init_fn init;
    *(void **)&get_shielding = dlsym(dl, EDL_SYM_GET_SHIELDING_PUBKEY);
    *(void **)&init = dlsym(dl, EDL_SYM_INIT);
    size_t need = 0;
    assert_int_equal(get_shielding(NULL, 0, &need), ITEE_ERR_SPACE);
    assert_int_equal(need, fx.shielding.len);
    uint8_t *buf = itee_alloc(need);
    assert_non_null(buf);
    size_t got = 0;
    assert_int_equal(get_shielding(buf, need - 1, &got), ITEE_ERR_SPACE);
    assert_int_equal(get_shielding(buf, need, &got), ITEE_OK);
    assert_int_equal(got, need);
    assert_memory_equal(buf, fx.shielding.ptr, need);
    assert_int_equal(get_shielding(buf, need, NULL), ITEE_ERR_ARG);
    itee_free(buf);
    uint8_t secret[EDL_LOCAL_SECRET_LEN] = {0};
    struct edl_ocalls none = {0};
    assert_int_equal(init(&none, fx.mrenclave, EDL_MEASUREMENT_LEN, secret, sizeof(secret),
                          EDL_INIT_SOFTWARE_MODE),
                     ITEE_ERR_ENCLAVE_STATE);
    dlclose(dl);
    enclave_host_close(h);
}

/* Collects what the enclave sends to the parentchain. */
static enum itee_err xt_sink(void *ctx, const uint8_t *xt, size_t len)
{
    struct itee_buf *got = ctx;
    itee_buf_reset(got);
    return itee_buf_append(got, xt, len);
}

/* The enclave signs as its signer; with submit set the same bytes reach the host's sink. */
static void test_sign_parentchain_xt(void **state)
{
    (void)state;
    static const uint8_t call[] = {0x00, 0x00, 0x08, 'h', 'i'}; /* System.remark("hi") */
    struct extrinsic_chain chain = {
        .spec_version = 1, .tx_version = 1, .check_metadata_hash = true};
    memset(chain.genesis_hash, 0x33, 32);
    struct itee_buf req, xt, got;
    itee_buf_init(&req, 0);
    itee_buf_init(&xt, 0);
    itee_buf_init(&got, 0);
    assert_int_equal(scale_put_u32(&req, 1), ITEE_OK);
    assert_int_equal(scale_put_u32(&req, 1), ITEE_OK);
    assert_int_equal(scale_put_bytes(&req, chain.genesis_hash, 32), ITEE_OK);
    assert_int_equal(scale_put_bool(&req, true), ITEE_OK);
    assert_int_equal(scale_put_option(&req, false), ITEE_OK);
    assert_int_equal(scale_put_u8(&req, 0), ITEE_OK); /* immortal */
    assert_int_equal(scale_put_bytes(&req, chain.genesis_hash, 32), ITEE_OK);
    assert_int_equal(scale_put_u32(&req, 4), ITEE_OK);
    assert_int_equal(scale_put_compact_u128(&req, 0), ITEE_OK);
    assert_int_equal(scale_put_u8(&req, 0), ITEE_OK);
    assert_int_equal(scale_put_bool(&req, true), ITEE_OK); /* submit */
    assert_int_equal(scale_put_vec_u8(&req, call, sizeof(call)), ITEE_OK);

    struct enclave_host *h = NULL;
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_OK);
    /* no parentchain connected: signing works, submitting fails */
    assert_int_equal(enclave_host_sign_xt(h, req.ptr, req.len, &xt), ITEE_ERR_IO);
    enclave_host_set_xt_sink(h, xt_sink, &got);
    assert_int_equal(enclave_host_sign_xt(h, req.ptr, req.len, &xt), ITEE_OK);
    assert_int_equal(got.len, xt.len);
    assert_memory_equal(got.ptr, xt.ptr, xt.len);
    struct extrinsic x;
    assert_int_equal(extrinsic_decode(&x, &chain, xt.ptr, xt.len), ITEE_OK);
    assert_memory_equal(x.signer, fx.signer, 32);
    assert_int_equal(x.params.nonce, 4);
    assert_int_equal(extrinsic_verify(&x, &chain, chain.genesis_hash), ITEE_OK);
    /* a malformed request is refused and nothing is sent */
    itee_buf_reset(&got);
    assert_int_equal(enclave_host_sign_xt(h, req.ptr, req.len - 1, &xt), ITEE_ERR_SCALE_LENGTH);
    assert_int_equal(got.len, 0);
    enclave_host_close(h);
    itee_buf_free(&req);
    itee_buf_free(&xt);
    itee_buf_free(&got);
}

/* Request for ecall_stf_execute: shard (= mrenclave) | flags | SCALE(TrustedCallSigned) of a
 * transfer of 1 from the pair's account to bob, encrypted to the shielding key if asked. */
static void stf_request(struct itee_buf *req, const struct keys_pair *alice, uint32_t nonce,
                        bool encrypt)
{
    struct trusted_op_call call = {.index = TRUSTED_OP_CALL_TRANSFER, .amount = 1};
    keys_pair_account_id(alice, call.sender);
    memset(call.other, 0xb0, sizeof(call.other));
    struct itee_buf cb, csb, ct;
    itee_buf_init(&cb, 0);
    itee_buf_init(&csb, 0);
    itee_buf_init(&ct, 0);
    assert_int_equal(trusted_op_call_put(&cb, &call), ITEE_OK);
    struct trusted_op_call_signed cs = {.call = itee_buf_slice(&cb), .nonce = nonce};
    assert_int_equal(
        trusted_op_call_sign(&cs.sig, alice, cs.call, nonce, fx.mrenclave, fx.mrenclave), ITEE_OK);
    assert_int_equal(trusted_op_call_signed_put(&csb, &cs), ITEE_OK);
    itee_buf_reset(req);
    assert_int_equal(itee_buf_append(req, fx.mrenclave, 32), ITEE_OK);
    assert_int_equal(itee_buf_push(req, encrypt ? 1 : 0), ITEE_OK);
    if (encrypt) {
        struct rsa_key *pk = NULL;
        assert_int_equal(
            rsa_public_from_json(&pk, (const char *)fx.shielding.ptr, fx.shielding.len), ITEE_OK);
        assert_int_equal(rsa_encrypt(pk, csb.ptr, csb.len, &ct), ITEE_OK);
        assert_int_equal(itee_buf_append(req, ct.ptr, ct.len), ITEE_OK);
        rsa_key_free(pk);
    } else {
        assert_int_equal(itee_buf_append(req, csb.ptr, csb.len), ITEE_OK);
    }
    itee_buf_free(&cb);
    itee_buf_free(&csb);
    itee_buf_free(&ct);
}

/* Asks the enclave for the pair's nonce (a signed trusted getter) and checks it. */
static void expect_nonce(struct enclave_host *h, const struct keys_pair *alice, uint32_t want)
{
    uint8_t who[32];
    keys_pair_account_id(alice, who);
    struct itee_buf g, req, out;
    itee_buf_init(&g, 0);
    itee_buf_init(&req, 0);
    itee_buf_init(&out, 0);
    assert_int_equal(trusted_op_trusted_getter_put(&g, TRUSTED_OP_TRUSTED_NONCE, who), ITEE_OK);
    struct trusted_op_getter tg = {.kind = TRUSTED_OP_GETTER_TRUSTED, .getter = itee_buf_slice(&g)};
    assert_int_equal(trusted_op_getter_sign(&tg.sig, alice, tg.getter), ITEE_OK);
    assert_int_equal(itee_buf_append(&req, fx.mrenclave, 32), ITEE_OK);
    assert_int_equal(trusted_op_getter_put(&req, &tg), ITEE_OK);
    assert_int_equal(enclave_host_stf_get(h, req.ptr, req.len, &out), ITEE_OK);
    /* Some(SCALE(u32 nonce)) */
    const uint8_t expect[6] = {1, 0x10, (uint8_t)want, 0, 0, 0};
    assert_int_equal(out.len, sizeof(expect));
    assert_memory_equal(out.ptr, expect, sizeof(expect));
    itee_buf_free(&g);
    itee_buf_free(&req);
    itee_buf_free(&out);
}

/* Trusted calls through the STF ecalls: plain and RSA-encrypted by the client, replay refused,
 * the shard's state sealed to disk and back after a restart. */
static void test_stf_execute_and_get(void **state)
{
    (void)state;
    uint8_t seed[32];
    memset(seed, 0xa1, sizeof(seed));
    struct keys_pair alice;
    assert_int_equal(keys_pair_from_seed(&alice, KEYS_SCHEME_ED25519, seed), ITEE_OK);
    struct itee_buf req, out;
    itee_buf_init(&req, 0);
    itee_buf_init(&out, 0);
    struct enclave_host *h = NULL;
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_OK);
    expect_nonce(h, &alice, 0);

    stf_request(&req, &alice, 0, false);
    assert_int_equal(enclave_host_stf_execute(h, req.ptr, req.len, &out), ITEE_OK);
    /* applied: result (alice cannot pay: an error, but the nonce is consumed) | hash | log */
    assert_true(out.len >= 4 + 32 + 1);
    uint32_t result = (uint32_t)out.ptr[0] | (uint32_t)out.ptr[1] << 8;
    assert_int_not_equal(result, 0);
    assert_int_equal(enclave_host_stf_execute(h, req.ptr, req.len, &out), ITEE_ERR_STF_NONCE);
    expect_nonce(h, &alice, 1);

    /* encrypted by the client to the shielding key, decrypted inside */
    stf_request(&req, &alice, 1, true);
    assert_int_equal(enclave_host_stf_execute(h, req.ptr, req.len, &out), ITEE_OK);
    expect_nonce(h, &alice, 2);
    /* a ciphertext that is not one, and unknown flags, are refused */
    req.ptr[40] ^= 1;
    assert_int_equal(enclave_host_stf_execute(h, req.ptr, req.len, &out), ITEE_ERR_DECRYPT);
    req.ptr[32] = 0x80;
    assert_int_equal(enclave_host_stf_execute(h, req.ptr, req.len, &out), ITEE_ERR_ARG);
    enclave_host_close(h);

    /* restart: the state came back from its sealed file */
    assert_int_equal(enclave_host_open(&h, SO_PATH, fx.dir, 0), ITEE_OK);
    expect_nonce(h, &alice, 2);
    stf_request(&req, &alice, 1, false);
    assert_int_equal(enclave_host_stf_execute(h, req.ptr, req.len, &out), ITEE_ERR_STF_NONCE);
    enclave_host_close(h);
    keys_pair_clear(&alice);
    itee_buf_free(&req);
    itee_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_start),
        cmocka_unit_test(test_restart_same_keys),
        cmocka_unit_test(test_other_build_cannot_unseal),
        cmocka_unit_test(test_corrupt_files),
        cmocka_unit_test(test_malicious_ocalls),
        cmocka_unit_test(test_output_protocol),
        cmocka_unit_test(test_sign_parentchain_xt),
        cmocka_unit_test(test_stf_execute_and_get),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
