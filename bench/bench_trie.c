/*
 * bench_trie.c - trie benchmarks (issue #3): a state grown to 1,000,000 keys, blocks of 10,000
 * updated keys with the new root at 10k / 100k / 1M keys (incremental roots: the cost should
 * stay flat), from-scratch roots, and read proofs for one key (size, generation, verification).
 *
 * Keys look like storage map keys: a 32-byte pallet/item prefix (one of 8) and 32 random
 * bytes; values are 80 bytes (an AccountInfo). Layout V1. The main figures are in memory (the
 * trie itself); lmdb_blocks repeats the blocks with every block committed to LMDB.
 *
 * Output: "name value unit" lines on stdout, read by bench/bench_trie.mjs, which adds the
 * chopsticks-executor figures and writes the docs/benchmarks.md section.
 * Usage: bench_trie [max_keys] [proof_out_file]
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/hex.h"
#include "store/store.h"
#include "store/store_trie.h"
#include "trie/trie.h"
#include "trie/trie_proof.h"

#define KEY_LEN    64
#define VAL_LEN    80
#define BLOCK_KEYS 10000

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Key i of the state (deterministic). */
static void key_of(uint64_t i, uint8_t k[KEY_LEN])
{
    uint64_t s = 0x9E3779B97F4A7C15ULL * (i + 1);
    uint64_t pfx = 0xA5A5A5A5A5A5A5A5ULL * ((i % 8) + 1);
    for (int j = 0; j < 32; j += 8)
        memcpy(k + j, &pfx, 8);
    for (int j = 32; j < KEY_LEN; j += 8) {
        uint64_t r = rnd(&s);
        memcpy(k + j, &r, 8);
    }
}

static void value_of(uint64_t *s, uint8_t v[VAL_LEN])
{
    for (int j = 0; j < VAL_LEN; j += 8) {
        uint64_t r = rnd(s);
        memcpy(v + j, &r, 8);
    }
}

static void die(const char *what, enum itee_err e)
{
    fprintf(stderr, "bench_trie: %s: %s\n", what, itee_strerror(e));
    exit(1);
}

/* Inserts keys [from, to) into t. */
static void grow(struct trie *t, uint64_t from, uint64_t to, uint64_t *seed)
{
    uint8_t k[KEY_LEN], v[VAL_LEN];
    for (uint64_t i = from; i < to; i++) {
        key_of(i, k);
        value_of(seed, v);
        enum itee_err e = trie_insert(t, k, KEY_LEN, v, VAL_LEN);
        if (e != ITEE_OK)
            die("insert", e);
    }
}

/* One block: 10,000 keys updated (95% existing, 5% new), then the root. Returns: ms. */
static double block(struct trie *t, uint64_t *n_keys, uint64_t *seed)
{
    uint8_t k[KEY_LEN], v[VAL_LEN], root[TRIE_HASH_LEN];
    double t0 = now_ms();
    for (int i = 0; i < BLOCK_KEYS; i++) {
        uint64_t idx = (rnd(seed) % 20 == 0) ? (*n_keys)++ : rnd(seed) % *n_keys;
        key_of(idx, k);
        value_of(seed, v);
        enum itee_err e = trie_insert(t, k, KEY_LEN, v, VAL_LEN);
        if (e != ITEE_OK)
            die("block insert", e);
    }
    enum itee_err e = trie_root(t, root);
    if (e != ITEE_OK)
        die("root", e);
    return now_ms() - t0;
}

static double cpu_ms(void);

/*
 * Five blocks: mean wall time, mean CPU time of the process (less disturbed by other load on
 * the machine), and the best block's wall time.
 */
static void blocks_at(struct trie *t, uint64_t *n_keys, uint64_t *seed, const char *label)
{
    double total = 0, best = 1e30, c0 = cpu_ms();
    const int n = 5;
    for (int i = 0; i < n; i++) {
        double ms = block(t, n_keys, seed);
        total += ms;
        best = ms < best ? ms : best;
    }
    printf("block_ms_%s %.2f ms\n", label, total / n);
    printf("block_cpu_ms_%s %.2f ms\n", label, (cpu_ms() - c0) / n);
    printf("block_best_ms_%s %.2f ms\n", label, best);
    fflush(stdout);
}

static void proofs(struct trie *t, uint64_t n_keys, uint64_t *seed, const char *proof_file)
{
    uint8_t root[TRIE_HASH_LEN];
    enum itee_err e = trie_root(t, root);
    if (e != ITEE_OK)
        die("root", e);
    const int n = 2000;
    double gen = 0, ver = 0;
    size_t bytes = 0, nodes = 0;
    for (int i = 0; i < n; i++) {
        uint8_t k[KEY_LEN];
        key_of(rnd(seed) % n_keys, k);
        struct itee_slice ks = {k, KEY_LEN};
        struct trie_proof p;
        trie_proof_init(&p);
        double t0 = now_ms();
        if ((e = trie_prove(t, &ks, 1, &p)) != ITEE_OK)
            die("prove", e);
        double t1 = now_ms();
        struct trie_proof_value res;
        if ((e = trie_proof_verify(root, p.nodes, p.count, &ks, 1, &res, TRIE_PROOF_STRICT)) !=
                ITEE_OK ||
            !res.present)
            die("verify", e == ITEE_OK ? ITEE_ERR_INTERNAL : e);
        double t2 = now_ms();
        gen += t1 - t0;
        ver += t2 - t1;
        for (size_t j = 0; j < p.count; j++)
            bytes += p.nodes[j].len;
        nodes += p.count;
        if (i == 0 && proof_file != NULL) {
            /* one proof for the chopsticks side: root, key, then nodes, hex, one per line */
            FILE *f = fopen(proof_file, "w");
            char h[2 * 4096 + 1];
            if (f != NULL) {
                if (itee_hex_encode(h, sizeof(h), root, sizeof(root)) == ITEE_OK)
                    fprintf(f, "%s\n", h);
                if (itee_hex_encode(h, sizeof(h), k, KEY_LEN) == ITEE_OK)
                    fprintf(f, "%s\n", h);
                for (size_t j = 0; j < p.count; j++)
                    if (itee_hex_encode(h, sizeof(h), p.nodes[j].ptr, p.nodes[j].len) == ITEE_OK)
                        fprintf(f, "%s\n", h);
                fclose(f);
            }
        }
        trie_proof_free(&p);
    }
    printf("proof_bytes %.0f bytes\n", (double)bytes / n);
    printf("proof_nodes %.1f nodes\n", (double)nodes / n);
    printf("proof_gen_us %.2f us\n", gen * 1e3 / n);
    printf("proof_verify_us %.2f us\n", ver * 1e3 / n);
}

/* Root of n fresh keys from scratch (the chopsticks calculate_state_root equivalent). */
static void scratch_root(uint64_t n, uint64_t *seed)
{
    struct trie *t;
    enum itee_err e = trie_new(&t, TRIE_LAYOUT_V1, NULL);
    if (e != ITEE_OK)
        die("new", e);
    uint8_t root[TRIE_HASH_LEN];
    double t0 = now_ms();
    grow(t, 0, n, seed);
    if ((e = trie_root(t, root)) != ITEE_OK)
        die("root", e);
    printf("scratch_root_ms_%llu %.2f ms\n", (unsigned long long)n, now_ms() - t0);
    trie_free(t);
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Bytes this process has written through write calls so far (/proc/self/io wchar). */
static double written_bytes(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    double v = 0;
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "wchar:", 6) == 0)
            v = strtod(line + 6, NULL);
    if (f != NULL)
        fclose(f);
    return v;
}

/* An LMDB-backed trie under test. */
struct lmdb_run {
    char dir[40];
    struct store *s;
    struct store_batch *b;
    struct store_trie st;
    struct trie_db db;
    struct trie *t;
    uint64_t n_keys, number;
};

static void lmdb_open(struct lmdb_run *r, unsigned flags)
{
    static const char *const tables[] = {"meta", "trie", "journal"};
    enum itee_err e = store_open(&r->s, r->dir, tables, 3, 0, flags);
    if (e != ITEE_OK)
        die("store", e);
    r->st.store = r->s;
}

static void lmdb_close(struct lmdb_run *r)
{
    store_close(r->s);
    r->s = NULL;
}

/* Creates the store and commits a state of n keys in one transaction. */
static void lmdb_build(struct lmdb_run *r, uint64_t n, unsigned prefix_bytes, uint64_t *seed)
{
    snprintf(r->dir, sizeof(r->dir), "/tmp/bench-trie-lmdb-XXXXXX");
    if (mkdtemp(r->dir) == NULL)
        die("mkdtemp", ITEE_ERR_IO);
    enum itee_err e = store_batch_new(&r->b);
    if (e != ITEE_OK)
        die("batch", e);
    store_trie_init(&r->st, NULL, 1, r->b);
    r->st.jtable = 2;
    r->st.prefix_bytes = prefix_bytes;
    lmdb_open(r, STORE_NOSYNC);
    store_trie_db(&r->db, &r->st);
    if ((e = trie_new(&r->t, TRIE_LAYOUT_V1, &r->db)) != ITEE_OK)
        die("new", e);
    uint8_t root[TRIE_HASH_LEN];
    double t0 = now_ms();
    grow(r->t, 0, n, seed);
    if ((e = trie_commit(r->t, root)) != ITEE_OK || (e = store_commit(r->s, r->b)) != ITEE_OK)
        die("initial commit", e);
    if (prefix_bytes > 0)
        printf("lmdb_initial_commit_ms %.0f ms\n", now_ms() - t0);
    r->n_keys = n;
    r->number = 0;
}

/*
 * Runs blocks blocks (10,000 updated keys, root, commit in one transaction; pruning with
 * window when > 0) and prints the mean wall and CPU time of the commit-inclusive block and of
 * the store_commit alone, skipping the first skip blocks (warm-up, pruning not yet active).
 */
static void lmdb_blocks(struct lmdb_run *r, const char *label, int blocks, int skip,
                        uint64_t window, uint64_t *seed)
{
    r->st.journal_on = window > 0;
    double wall = 0, cpu = 0, commit = 0, bytes = 0;
    for (int i = 0; i < blocks; i++) {
        uint8_t root[TRIE_HASH_LEN];
        double w0 = now_ms(), c0 = cpu_ms();
        (void)block(r->t, &r->n_keys, seed);
        enum itee_err e = trie_commit(r->t, root);
        r->number++;
        uint64_t nb = r->number;
        if (e == ITEE_OK)
            e = window > 0 && nb >= window
                    ? store_trie_end_block(&r->st, nb, nb - window, nb - window)
                    : store_trie_end_block(&r->st, nb, 1, 0);
        if (e == ITEE_OK)
            e = store_batch_put(r->b, 0, (const uint8_t *)"root", 4, root, 32);
        double w1 = now_ms(), b1 = written_bytes();
        if (e == ITEE_OK)
            e = store_commit(r->s, r->b);
        double b2 = written_bytes();
        if (e != ITEE_OK)
            die("block commit", e);
        if (i >= skip) {
            wall += now_ms() - w0;
            cpu += cpu_ms() - c0;
            commit += now_ms() - w1;
            bytes += b2 - b1;
        }
    }
    int n = blocks - skip;
    printf("lmdb_block_ms_%s %.2f ms\n", label, wall / n);
    printf("lmdb_block_cpu_ms_%s %.2f ms\n", label, cpu / n);
    printf("lmdb_commit_ms_%s %.2f ms\n", label, commit / n);
    printf("lmdb_written_mb_%s %.1f MB\n", label, bytes / n / 1e6);
    fflush(stdout);
}

static void lmdb_remove(struct lmdb_run *r)
{
    trie_free(r->t);
    store_trie_free(&r->st);
    store_batch_free(r->b);
    if (r->s != NULL)
        lmdb_close(r);
    char p[64];
    snprintf(p, sizeof(p), "%s/data.mdb", r->dir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/lock.mdb", r->dir);
    unlink(p);
    rmdir(r->dir);
}

/*
 * The blocks with every block committed to LMDB: path-prefixed keys (the store's scheme)
 * without and with fsync, with MDB_WRITEMAP, with pruning (window 4, so the deletes of the
 * steady state are in the figure), then the old hash-keyed scheme for comparison.
 */
static void lmdb_all(uint64_t n, uint64_t *seed)
{
    struct lmdb_run r;
    memset(&r, 0, sizeof(r));
    lmdb_build(&r, n, STORE_TRIE_PREFIX_MAX, seed);
    lmdb_blocks(&r, "nosync", 6, 1, 0, seed);
    lmdb_close(&r);
    lmdb_open(&r, 0);
    lmdb_blocks(&r, "sync", 5, 0, 0, seed);
    lmdb_close(&r);
    lmdb_open(&r, STORE_NOSYNC | STORE_WRITEMAP);
    lmdb_blocks(&r, "writemap", 2, 0, 0, seed);
    lmdb_close(&r);
    lmdb_open(&r, STORE_NOSYNC);
    lmdb_blocks(&r, "prune", 10, 5, 4, seed);
    lmdb_remove(&r);

    memset(&r, 0, sizeof(r));
    lmdb_build(&r, n, 0, seed);
    lmdb_blocks(&r, "hashkey", 6, 1, 0, seed);
    lmdb_remove(&r);
}

int main(int argc, char **argv)
{
    uint64_t max = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    const char *proof_file = argc > 2 && strcmp(argv[2], "-") != 0 ? argv[2] : NULL;
    const char *what = argc > 3 ? argv[3] : "all";
    bool lmdb = strcmp(what, "mem") != 0;
    uint64_t seed = 0x0123456789ABCDEFULL;
    if (max < 10000)
        max = 10000;
    if (strcmp(what, "lmdb") == 0) {
        lmdb_all(max >= 1000000 ? 1000000 : max, &seed);
        return 0;
    }
    scratch_root(10000, &seed);
    scratch_root(100000, &seed);

    struct trie *t;
    enum itee_err e = trie_new(&t, TRIE_LAYOUT_V1, NULL);
    if (e != ITEE_OK)
        die("new", e);
    uint64_t n_keys = 10000;
    grow(t, 0, n_keys, &seed);
    uint8_t root[TRIE_HASH_LEN];
    if ((e = trie_root(t, root)) != ITEE_OK)
        die("root", e);
    blocks_at(t, &n_keys, &seed, "10k");
    const uint64_t steps[] = {100000, 1000000};
    const char *labels[] = {"100k", "1M"};
    for (int s = 0; s < 2 && steps[s] <= max; s++) {
        double t0 = now_ms();
        grow(t, n_keys, steps[s], &seed);
        n_keys = steps[s];
        if ((e = trie_root(t, root)) != ITEE_OK)
            die("root", e);
        printf("build_to_%s_ms %.0f ms\n", labels[s], now_ms() - t0);
        blocks_at(t, &n_keys, &seed, labels[s]);
    }
    printf("state_keys %llu keys\n", (unsigned long long)n_keys);
    proofs(t, n_keys, &seed, proof_file);
    trie_free(t);
    if (lmdb)
        lmdb_all(max >= 1000000 ? 1000000 : max, &seed);
    return 0;
}
