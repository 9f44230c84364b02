/*
 * test_store.c - the LMDB store: put/get/delete/scan, persistence across reopen, map growth,
 * the trie over the store, and crash safety: a child process commits blocks of random trie
 * changes and is killed with SIGKILL at a random moment, 20 times; after each kill the store
 * must open without repair, and its root must equal the root of the last committed block
 * (recomputed independently by replaying the same blocks in memory), with every key readable.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/mem.h"
#include "store/store.h"
#include "store/store_trie.h"
#include "trie/trie.h"

static const char *const TABLES[] = {"meta", "trie"};
enum { T_META = 0, T_TRIE = 1 };
static const uint8_t ROOT_KEY[] = "root";

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static void make_dir(char *buf, size_t cap)
{
    snprintf(buf, cap, "/tmp/itee-test-store-XXXXXX");
    assert_non_null(mkdtemp(buf));
}

static void remove_dir(const char *dir)
{
    char p[256];
    snprintf(p, sizeof(p), "%s/data.mdb", dir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/lock.mdb", dir);
    unlink(p);
    rmdir(dir);
}

struct scan_ctx {
    size_t n;
    uint8_t last[8];
};

static bool scan_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                    size_t value_len)
{
    struct scan_ctx *c = ctx;
    assert_int_equal(key_len, 8);
    assert_int_equal(value_len, 8);
    assert_memory_equal(key, value, 8);
    if (c->n > 0)
        assert_true(memcmp(c->last, key, 8) < 0);
    memcpy(c->last, key, 8);
    c->n++;
    return true;
}

static void test_basic(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof(dir));
    struct store *s;
    assert_int_equal(store_open(&s, dir, TABLES, 2, 0, STORE_NOSYNC), ITEE_OK);
    struct store_batch *b;
    assert_int_equal(store_batch_new(&b), ITEE_OK);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_int_equal(store_get(s, T_META, (const uint8_t *)"k", 1, &v), ITEE_ERR_NOENT);
    for (uint64_t i = 0; i < 1000; i++) {
        uint8_t k[8];
        for (int j = 0; j < 8; j++)
            k[j] = (uint8_t)(i >> (56 - 8 * j));
        assert_int_equal(store_batch_put(b, T_TRIE, k, 8, k, 8), ITEE_OK);
    }
    assert_int_equal(store_batch_put(b, T_META, (const uint8_t *)"k", 1, (const uint8_t *)"v", 1),
                     ITEE_OK);
    assert_int_equal(store_batch_put(b, T_META, (const uint8_t *)"e", 1, NULL, 0), ITEE_OK);
    /* nothing is visible before the commit */
    assert_int_equal(store_get(s, T_META, (const uint8_t *)"k", 1, &v), ITEE_ERR_NOENT);
    assert_int_equal(store_commit(s, b), ITEE_OK);
    assert_int_equal(store_batch_count(b), 0);
    assert_int_equal(store_get(s, T_META, (const uint8_t *)"k", 1, &v), ITEE_OK);
    assert_int_equal(v.len, 1);
    assert_int_equal(store_get(s, T_META, (const uint8_t *)"e", 1, &v), ITEE_OK);
    assert_int_equal(v.len, 0);
    /* the tables are separate */
    assert_int_equal(store_get(s, T_TRIE, (const uint8_t *)"k", 1, &v), ITEE_ERR_NOENT);
    struct scan_ctx sc = {0, {0}};
    assert_int_equal(store_scan(s, T_TRIE, NULL, 0, scan_fn, &sc), ITEE_OK);
    assert_int_equal(sc.n, 1000);
    uint8_t from[8] = {0, 0, 0, 0, 0, 0, 0x03, 0x00};
    sc.n = 0;
    assert_int_equal(store_scan(s, T_TRIE, from, 8, scan_fn, &sc), ITEE_OK);
    assert_int_equal(sc.n, 1000 - 768);
    assert_int_equal(store_batch_del(b, T_META, (const uint8_t *)"k", 1), ITEE_OK);
    assert_int_equal(store_batch_del(b, T_META, (const uint8_t *)"absent", 6), ITEE_OK);
    assert_int_equal(store_commit(s, b), ITEE_OK);
    assert_int_equal(store_get(s, T_META, (const uint8_t *)"k", 1, &v), ITEE_ERR_NOENT);
    /* bad arguments */
    assert_int_equal(store_batch_put(b, T_META, NULL, 0, NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(store_batch_put(b, 9, (const uint8_t *)"k", 1, NULL, 0), ITEE_OK);
    assert_int_equal(store_commit(s, b), ITEE_ERR_ARG);
    store_batch_reset(b);
    store_close(s);
    /* persistence */
    assert_int_equal(store_open(&s, dir, TABLES, 2, 0, 0), ITEE_OK);
    assert_int_equal(store_get(s, T_META, (const uint8_t *)"e", 1, &v), ITEE_OK);
    sc.n = 0;
    assert_int_equal(store_scan(s, T_TRIE, NULL, 0, scan_fn, &sc), ITEE_OK);
    assert_int_equal(sc.n, 1000);
    store_close(s);
    itee_buf_free(&v);
    store_batch_free(b);
    remove_dir(dir);
}

static void test_map_growth(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof(dir));
    struct store *s;
    /* start tiny: 256 KiB; write ~24 MiB in batches of 4 MiB */
    assert_int_equal(store_open(&s, dir, TABLES, 2, 256 << 10, STORE_NOSYNC), ITEE_OK);
    struct store_batch *b;
    assert_int_equal(store_batch_new(&b), ITEE_OK);
    static uint8_t val[4096];
    uint64_t seed = 7;
    for (int batch = 0; batch < 6; batch++) {
        for (int i = 0; i < 1024; i++) {
            uint32_t k = (uint32_t)(batch * 1024 + i);
            for (size_t j = 0; j < sizeof(val); j += 8) {
                uint64_t r = rnd(&seed);
                memcpy(val + j, &r, 8);
            }
            memcpy(val, &k, 4);
            assert_int_equal(store_batch_put(b, T_TRIE, (uint8_t *)&k, 4, val, sizeof(val)),
                             ITEE_OK);
        }
        assert_int_equal(store_commit(s, b), ITEE_OK);
    }
    assert_true(store_map_size(s) >= (size_t)24 << 20);
    store_close(s);
    assert_int_equal(store_open(&s, dir, TABLES, 2, 256 << 10, STORE_NOSYNC), ITEE_OK);
    assert_true(store_map_size(s) >= (size_t)24 << 20);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    for (uint32_t k = 0; k < 6 * 1024; k += 97) {
        assert_int_equal(store_get(s, T_TRIE, (uint8_t *)&k, 4, &v), ITEE_OK);
        assert_int_equal(v.len, sizeof(val));
        assert_memory_equal(v.ptr, &k, 4);
    }
    itee_buf_free(&v);
    store_close(s);
    store_batch_free(b);
    remove_dir(dir);
}

/* ---- blocks of deterministic random trie changes ---- */

#define KEYSPACE      4000
#define OPS_PER_BLOCK 150

static void key_of(uint32_t i, uint8_t *k, size_t *kl)
{
    uint64_t s = 0x9E3779B97F4A7C15ULL * (i + 1);
    *kl = 8 + (i % 25);
    /* a shared 4-byte "pallet prefix" for most keys, as storage keys have */
    for (size_t j = 0; j < *kl; j++)
        k[j] = (uint8_t)rnd(&s);
    if (i % 4 != 0)
        memcpy(k, "\x26\xaa\x39\x4e", 4);
}

static enum itee_err apply_block(struct trie *t, uint64_t block)
{
    uint64_t s = 0xD1B54A32D192ED03ULL ^ (block * 0x9E3779B97F4A7C15ULL);
    rnd(&s);
    enum itee_err e = ITEE_OK;
    for (int op = 0; op < OPS_PER_BLOCK && e == ITEE_OK; op++) {
        uint8_t k[40], v[100];
        size_t kl;
        key_of((uint32_t)(rnd(&s) % KEYSPACE), k, &kl);
        if (rnd(&s) % 5 == 0) {
            e = trie_remove(t, k, kl, NULL);
        } else {
            size_t vl = (size_t)(rnd(&s) % 100);
            for (size_t j = 0; j < vl; j++)
                v[j] = (uint8_t)rnd(&s);
            e = trie_insert(t, k, kl, v, vl);
        }
    }
    return e;
}

/* Reads the committed (root, block) record. Returns: false if there is none yet. */
static bool read_head(struct store *s, uint8_t root[32], uint64_t *block)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err e = store_get(s, T_META, ROOT_KEY, sizeof(ROOT_KEY) - 1, &v);
    bool ok = e == ITEE_OK && v.len == 40;
    if (ok) {
        memcpy(root, v.ptr, 32);
        memcpy(block, v.ptr + 32, 8);
    }
    itee_buf_free(&v);
    return ok;
}

/* The writer: continues from the committed head and commits one block per batch forever. */
static void writer(const char *dir)
{
    struct store *s;
    if (store_open(&s, dir, TABLES, 2, 1 << 20, 0) != ITEE_OK)
        _exit(2);
    struct store_batch *b;
    if (store_batch_new(&b) != ITEE_OK)
        _exit(2);
    struct store_trie st = {s, T_TRIE, b};
    struct trie_db db;
    store_trie_db(&db, &st);
    uint8_t root[32];
    uint64_t block = 0;
    struct trie *t;
    if (read_head(s, root, &block)) {
        if (trie_open(&t, TRIE_LAYOUT_V1, &db, root) != ITEE_OK)
            _exit(3);
    } else if (trie_new(&t, TRIE_LAYOUT_V1, &db) != ITEE_OK) {
        _exit(3);
    }
    for (;;) {
        block++;
        if (apply_block(t, block) != ITEE_OK || trie_commit(t, root) != ITEE_OK)
            _exit(4);
        uint8_t rec[40];
        memcpy(rec, root, 32);
        memcpy(rec + 32, &block, 8);
        if (store_batch_put(b, T_META, ROOT_KEY, sizeof(ROOT_KEY) - 1, rec, 40) != ITEE_OK ||
            store_commit(s, b) != ITEE_OK)
            _exit(5);
        /* bound the writer's memory; the next block reloads what it touches */
        if (block % 16 == 0 && trie_unload(t) != ITEE_OK)
            _exit(6);
    }
}

struct count_ctx {
    size_t n;
};

static bool count_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                     size_t value_len)
{
    (void)key;
    (void)key_len;
    (void)value;
    (void)value_len;
    ((struct count_ctx *)ctx)->n++;
    return true;
}

static void test_crash_sigkill(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof(dir));
    /* the independent model: blocks replayed in memory */
    struct trie *model;
    assert_int_equal(trie_new(&model, TRIE_LAYOUT_V1, NULL), ITEE_OK);
    uint64_t model_block = 0, seed = (uint64_t)time(NULL) ^ (uint64_t)getpid();
    size_t advanced = 0;
    long scale = 1; /* widened when a slow build (valgrind) made no progress before the kill */
    for (int rep = 0; rep < 20; rep++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            writer(dir);
        long ms = (long)(20 + rnd(&seed) % 230) * scale;
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        /* killed, not exited with a failure of its own */
        assert_true(WIFSIGNALED(status));

        struct store *s;
        assert_int_equal(store_open(&s, dir, TABLES, 2, 0, STORE_NOSYNC), ITEE_OK);
        uint8_t root[32];
        uint64_t block = 0;
        if (!read_head(s, root, &block)) {
            assert_int_equal(model_block, 0);
            store_close(s);
            scale = scale < 32 ? 2 * scale : scale;
            continue;
        }
        assert_true(block >= model_block); /* a committed block is never lost */
        if (block > model_block)
            advanced++;
        else if (scale < 32)
            scale *= 2;
        while (model_block < block)
            assert_int_equal(apply_block(model, ++model_block), ITEE_OK);
        uint8_t want[32];
        assert_int_equal(trie_root(model, want), ITEE_OK);
        assert_memory_equal(root, want, 32);
        /* every node is there: the store's trie reads back the whole state */
        struct store_trie st = {s, T_TRIE, NULL};
        struct trie_db db;
        store_trie_db(&db, &st);
        struct trie *t;
        assert_int_equal(trie_open(&t, TRIE_LAYOUT_V1, &db, root), ITEE_OK);
        struct count_ctx c1 = {0}, c2 = {0};
        assert_int_equal(trie_iter(t, NULL, 0, NULL, 0, 0, true, count_fn, &c1), ITEE_OK);
        assert_int_equal(trie_iter(model, NULL, 0, NULL, 0, 0, false, count_fn, &c2), ITEE_OK);
        assert_int_equal(c1.n, c2.n);
        trie_free(t);
        store_close(s);
    }
    print_message("crash test: %zu of 20 kills landed after new commits; last block %llu\n",
                  advanced, (unsigned long long)model_block);
    assert_true(advanced >= 5);
    trie_free(model);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_map_growth),
        cmocka_unit_test(test_crash_sigkill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
