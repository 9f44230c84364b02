/*
 * test_trie.c - the Substrate trie: node codec, roots against the spec's sp-trie vectors
 * (section 7.4, 6.2), incremental roots against from-scratch roots over random edits,
 * commit/unload/reload through a memory node store, iteration, read proofs and their
 * tampering, and an OOM loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "common/mem.h"
#include "trie/trie.h"
#include "trie/trie_node.h"
#include "trie/trie_proof.h"

/* ---- helpers ---- */

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    if (hex[0] == '\0')
        return 0;
    assert_int_equal(itee_hex_decode(out, cap, &n, hex, strlen(hex)), ITEE_OK);
    return n;
}

static void assert_hex(const uint8_t *p, size_t len, const char *hex)
{
    uint8_t want[256];
    size_t n = unhex(want, sizeof(want), hex);
    assert_int_equal(n, len);
    assert_memory_equal(p, want, len);
}

/* xorshift64*: deterministic test randomness */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* A memory node store: open addressing on the hash's first bytes. */
struct memdb {
    uint8_t (*hash)[TRIE_HASH_LEN]; /* slot keys */
    uint8_t **data;                 /* slot values (NULL: empty slot) */
    size_t *len;                    /* value lengths */
    size_t n, cap;                  /* used and total slots (cap a power of two) */
};

static size_t memdb_slot(const struct memdb *db, const uint8_t *hash)
{
    uint64_t h;
    memcpy(&h, hash, 8);
    size_t i = (size_t)h & (db->cap - 1);
    while (db->data[i] != NULL && memcmp(db->hash[i], hash, TRIE_HASH_LEN) != 0)
        i = (i + 1) & (db->cap - 1);
    return i;
}

static enum itee_err memdb_get(void *ctx, const uint8_t *prefix, size_t prefix_len,
                               const uint8_t hash[TRIE_HASH_LEN], struct itee_buf *out)
{
    struct memdb *db = ctx;
    (void)prefix; /* content-addressed: the hash alone names a node here */
    (void)prefix_len;
    if (db->cap == 0)
        return ITEE_ERR_NOENT;
    size_t i = memdb_slot(db, hash);
    if (db->data[i] == NULL)
        return ITEE_ERR_NOENT;
    itee_buf_reset(out);
    return itee_buf_append(out, db->data[i] + 1, db->len[i]);
}

static void memdb_insert(struct memdb *db, const uint8_t *hash, uint8_t *data, size_t len)
{
    size_t i = memdb_slot(db, hash);
    if (db->data[i] != NULL) {
        free(data);
        return;
    }
    memcpy(db->hash[i], hash, TRIE_HASH_LEN);
    db->data[i] = data;
    db->len[i] = len;
    db->n++;
}

static enum itee_err memdb_put(void *ctx, const uint8_t *prefix, size_t prefix_len,
                               const uint8_t hash[TRIE_HASH_LEN], const uint8_t *data, size_t len)
{
    struct memdb *db = ctx;
    (void)prefix;
    (void)prefix_len;
    uint8_t h[TRIE_HASH_LEN];
    trie_hash(h, data, len);
    assert_memory_equal(h, hash, TRIE_HASH_LEN); /* every put is content-addressed */
    if (2 * (db->n + 1) > db->cap) {
        struct memdb old = *db;
        db->cap = old.cap ? 2 * old.cap : 1024;
        db->n = 0;
        db->hash = calloc(db->cap, TRIE_HASH_LEN);
        db->data = calloc(db->cap, sizeof(*db->data));
        db->len = calloc(db->cap, sizeof(*db->len));
        assert_true(db->hash && db->data && db->len);
        for (size_t i = 0; i < old.cap; i++)
            if (old.data[i] != NULL)
                memdb_insert(db, old.hash[i], old.data[i], old.len[i]);
        free(old.hash);
        free(old.data);
        free(old.len);
    }
    /* data[0] is a marker byte so an empty value still has a non-NULL slot */
    uint8_t *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy + 1, data, len);
    memdb_insert(db, hash, copy, len);
    return ITEE_OK;
}

static void memdb_free(struct memdb *db)
{
    for (size_t i = 0; i < db->cap; i++)
        free(db->data[i]);
    free(db->hash);
    free(db->data);
    free(db->len);
    memset(db, 0, sizeof(*db));
}

static struct trie_db memdb_ops(struct memdb *db)
{
    struct trie_db d = {memdb_get, memdb_put, NULL, db};
    return d;
}

/* Root of a set given as hex pairs. */
static void root_hex(enum trie_layout layout, const char *const *kv, size_t n, uint8_t *root)
{
    struct trie *t;
    assert_int_equal(trie_new(&t, layout, NULL), ITEE_OK);
    for (size_t i = 0; i < n; i++) {
        uint8_t k[128], v[256];
        size_t kl = unhex(k, sizeof(k), kv[2 * i]);
        size_t vl = unhex(v, sizeof(v), kv[2 * i + 1]);
        assert_int_equal(trie_insert(t, k, kl, v, vl), ITEE_OK);
    }
    assert_int_equal(trie_root(t, root), ITEE_OK);
    trie_free(t);
}

/* ---- node codec ---- */

static void test_node_codec(void **state)
{
    (void)state;
    static const char *const good[] = {
        "00",
        "42010402",
        "8300100c000c4004030c400404",
        "c4646f40001076657262"
        "48c1074000147075707079"
        "1c4105"
        "10636f696e",
        "240102"
        "41d6b859fa98043296897a4a5179ff9c60f289b56bee492dd1c9de95e8e3c9a6",
        "7f0002"
        "12121212121212121212121212121212121212121212121212121212121212"
        "0401",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        uint8_t in[256];
        size_t n = unhex(in, sizeof(in), good[i]);
        struct trie_node_view v;
        assert_int_equal(trie_node_decode(&v, in, n), ITEE_OK);
        struct itee_buf b;
        itee_buf_init(&b, 0);
        assert_int_equal(trie_node_encode(&b, &v), ITEE_OK);
        assert_int_equal(b.len, n);
        assert_memory_equal(b.ptr, in, n);
        itee_buf_free(&b);
    }
    static const char *const bad[] = {
        "",           "01", "02", "0000", "4201040200", /* trailing */
        "421104",                                       /* pad nibble set */
        "410104",                                       /* truncated value */
        "80000000",                                     /* empty bitmap */
        "80010000",                                     /* child missing */
        "8001000184",                                   /* child reference longer than 32 */
        "7f",                                           /* count continues past the end */
        "4201010000", /* value length 0 in two-byte compact: noncanonical */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t in[64];
        size_t n = unhex(in, sizeof(in), bad[i]);
        struct trie_node_view v;
        assert_int_equal(trie_node_decode(&v, in, n), ITEE_ERR_TRIE_NODE);
    }
    /* header boundaries for a leaf: the count field saturates at 63, then bytes of 255 */
    struct {
        size_t n;
        const char *hex;
    } hdr[] = {{62, "7e"},      {63, "7f00"},    {64, "7f01"}, {317, "7ffe"},
               {318, "7fff00"}, {319, "7fff01"}, {159, "7f60"}};
    for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++) {
        struct itee_buf b;
        itee_buf_init(&b, 0);
        assert_int_equal(trie_node_put_header(&b, TRIE_NODE_LEAF, TRIE_VALUE_INLINE, hdr[i].n),
                         ITEE_OK);
        assert_hex(b.ptr, b.len, hdr[i].hex);
        itee_buf_free(&b);
    }
}

/* Exhaustive: every 1- and 2-byte input either fails or round-trips exactly. */
static void test_node_exhaustive_small(void **state)
{
    (void)state;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    for (unsigned x = 0; x < 65536 + 256; x++) {
        uint8_t in[2];
        size_t n = x < 256 ? 1 : 2;
        if (x < 256)
            in[0] = (uint8_t)x;
        else
            in[0] = (uint8_t)((x - 256) >> 8), in[1] = (uint8_t)(x - 256);
        struct trie_node_view v;
        if (trie_node_decode(&v, in, n) != ITEE_OK)
            continue;
        itee_buf_reset(&b);
        assert_int_equal(trie_node_encode(&b, &v), ITEE_OK);
        assert_int_equal(b.len, n);
        assert_memory_equal(b.ptr, in, n);
    }
    itee_buf_free(&b);
}

/* ---- roots: spec 7.4 and 6.2 ---- */

static void test_root_vectors(void **state)
{
    (void)state;
    uint8_t r[TRIE_HASH_LEN];
    char aa32[65], aa33[67], bb33[67], k40[81];
    for (int i = 0; i < 32; i++)
        memcpy(aa32 + 2 * i, "aa", 2);
    aa32[64] = 0;
    memcpy(aa33, aa32, 64);
    memcpy(aa33 + 64, "aa", 3);
    for (int i = 0; i < 33; i++)
        memcpy(bb33 + 2 * i, "bb", 2);
    bb33[66] = 0;
    for (int i = 0; i < 40; i++)
        memcpy(k40 + 2 * i, "12", 2);
    k40[80] = 0;

    for (int layout = 0; layout < 2; layout++) {
        root_hex((enum trie_layout)layout, NULL, 0, r);
        assert_hex(r, 32, "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314");
        const char *const a[] = {"01", "02"};
        root_hex((enum trie_layout)layout, a, 1, r);
        assert_hex(r, 32, "b702cfc0277a95e40d55cf7128e1e83a24ed70dabb92340a06b68bc4599fbb61");
        const char *const dog[] = {"646f",       "76657262", "646f67",
                                   "7075707079", "646f6765", "636f696e"};
        root_hex((enum trie_layout)layout, dog, 3, r);
        assert_hex(r, 32, "e1c91a63090d45e209523d80449ae9687d5313efbcffa8277d4d254252531479");
        const char *const two[] = {"0102", "03", "0103", "04"};
        root_hex((enum trie_layout)layout, two, 2, r);
        assert_hex(r, 32, "0ceee110b4c25cf3d2c64e0f01d6d356f1a63c473159ca8d96eaf10f86fb0065");
        const char *const v32[] = {"0102", aa32};
        root_hex((enum trie_layout)layout, v32, 1, r);
        assert_hex(r, 32, "4824abafe49e7c418638721a7388f670aa1c9ed902543b4791d14c236a809a6f");
        const char *const v33[] = {"0102", aa33};
        root_hex((enum trie_layout)layout, v33, 1, r);
        assert_hex(r, 32,
                   layout == 0
                       ? "fcccac340b2a0cd76845597138af3997bbed5b76abd107432cad07e9cb02aab4"
                       : "f0ee14f7f26ebe400d39e52b1a7d59c67176301dbc2263615c6c3b6054e00bc6");
        const char *const mix[] = {"01", bb33, "0102", "05", "0103", "06"};
        root_hex((enum trie_layout)layout, mix, 3, r);
        assert_hex(r, 32,
                   layout == 0
                       ? "fcc45204b900ae81d62d847421339bfb00e5a8d51c029b20143d07a1136b0f9b"
                       : "3617cda7f2896f1510390877e783848d08d7921a5761a67428128cffecb582ee");
        const char *const long_key[] = {k40, "01"};
        root_hex((enum trie_layout)layout, long_key, 1, r);
        assert_hex(r, 32, "d2605335cbf09a309cf40e2e15ca3cfe57427b5755503193f39a2eaabf6db1c2");
    }
}

static void test_ordered_root(void **state)
{
    (void)state;
    uint8_t e1[11], e2[40];
    unhex(e1, sizeof(e1), "280403000b207eba5c8501");
    memset(e2, 0x44, sizeof(e2));
    struct itee_slice items[2] = {{e1, sizeof(e1)}, {e2, sizeof(e2)}};
    uint8_t r[TRIE_HASH_LEN];
    assert_int_equal(trie_ordered_root(TRIE_LAYOUT_V0, items, 2, r), ITEE_OK);
    assert_hex(r, 32, "105243b223ce51240562dca70250f50d6b8295ef592c95dc46fafac78fbd4d66");
    assert_int_equal(trie_ordered_root(TRIE_LAYOUT_V1, items, 2, r), ITEE_OK);
    assert_hex(r, 32, "e498f940d1acf1fffa79d3cb93e9ef90abc5d6a7a8c1023668319ffbd158987a");
    assert_int_equal(trie_ordered_root(TRIE_LAYOUT_V1, NULL, 0, r), ITEE_OK);
    assert_hex(r, 32, "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314");
}

/* The state-like example of 7.4, and its V1 proof for System.Account(Alice) (7.5). */
static void test_state_example(void **state)
{
    (void)state;
    uint8_t alice[80], akey[128];
    size_t akl = unhex(akey, sizeof(akey),
                       "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
                       "de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6"
                       "822c8558854ccde39a5684e7a56da27d");
    memset(alice, 0, sizeof(alice));
    alice[8] = 1;
    /* free = 10^21 as u128 LE */
    unhex(alice + 16, 16, "0000a0dec5adc9353600000000000000");
    alice[79] = 0x80;
    const uint8_t code_k[] = ":code", heap_k[] = ":heappages";
    uint8_t code_v[8], heap_v[8];
    unhex(code_v, 8, "0061736d01000000");
    unhex(heap_v, 8, "0800000000000000");
    struct itee_slice keys[3] = {{akey, akl}, {code_k, 5}, {heap_k, 10}};
    struct itee_slice vals[3] = {{alice, 80}, {code_v, 8}, {heap_v, 8}};
    uint8_t r[TRIE_HASH_LEN];
    assert_int_equal(trie_root_of(TRIE_LAYOUT_V0, keys, vals, 3, r), ITEE_OK);
    assert_hex(r, 32, "3a5bea2a00f3f968a3200479d3cbd5e05e1733c7a8461db97d8a2bbc27565f2f");
    assert_int_equal(trie_root_of(TRIE_LAYOUT_V1, keys, vals, 3, r), ITEE_OK);
    assert_hex(r, 32, "690e9647a2b2b66f0504859865bf0d3c1a4691f21be8a2ca36e85bfefb481361");

    for (int layout = 0; layout < 2; layout++) {
        struct trie *t;
        assert_int_equal(trie_new(&t, (enum trie_layout)layout, NULL), ITEE_OK);
        for (int i = 0; i < 3; i++)
            assert_int_equal(trie_insert(t, keys[i].ptr, keys[i].len, vals[i].ptr, vals[i].len),
                             ITEE_OK);
        assert_int_equal(trie_root(t, r), ITEE_OK);
        struct trie_proof p;
        trie_proof_init(&p);
        assert_int_equal(trie_prove(t, keys, 1, &p), ITEE_OK);
        assert_int_equal(p.count, layout == 0 ? 2 : 3);
        struct trie_proof_value res;
        assert_int_equal(trie_proof_verify(r, p.nodes, p.count, keys, 1, &res, TRIE_PROOF_STRICT),
                         ITEE_OK);
        assert_true(res.present);
        assert_int_equal(res.value.len, 80);
        assert_memory_equal(res.value.ptr, alice, 80);
        trie_proof_free(&p);
        trie_free(t);
    }
}

/* ---- random edits: incremental == from scratch, persistence, iteration, proofs ---- */

#define NK 600

struct model {
    uint8_t key[NK][40];
    size_t klen[NK];
    uint8_t val[NK][80];
    size_t vlen[NK];
    bool present[NK];
};

static void random_key(uint64_t *s, uint8_t *k, size_t *kl)
{
    /* shared prefixes: a few fixed leading bytes, then random */
    static const uint8_t prefixes[4][3] = {
        {0x26, 0xaa, 0x39}, {0x26, 0xaa, 0x40}, {0x3a, 0, 0}, {0xff, 0xfe, 0x00}};
    *kl = 1 + (size_t)(rnd(s) % 40);
    const uint8_t *p = prefixes[rnd(s) % 4];
    for (size_t i = 0; i < *kl; i++)
        k[i] = i < 3 ? p[i] : (uint8_t)rnd(s);
    if (rnd(s) % 4 == 0)
        for (size_t i = 3; i < *kl; i++)
            k[i] &= 0x11; /* more collisions deeper down */
}

static void random_value(uint64_t *s, uint8_t *v, size_t *vl)
{
    static const size_t lens[] = {0, 1, 5, 31, 32, 33, 34, 50, 80};
    *vl = lens[rnd(s) % (sizeof(lens) / sizeof(lens[0]))];
    for (size_t i = 0; i < *vl; i++)
        v[i] = (uint8_t)rnd(s);
}

static void model_root(const struct model *m, enum trie_layout layout, uint8_t *r)
{
    struct trie *t;
    assert_int_equal(trie_new(&t, layout, NULL), ITEE_OK);
    for (size_t i = 0; i < NK; i++)
        if (m->present[i])
            assert_int_equal(trie_insert(t, m->key[i], m->klen[i], m->val[i], m->vlen[i]), ITEE_OK);
    assert_int_equal(trie_root(t, r), ITEE_OK);
    trie_free(t);
}

static int key_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = memcmp(a, b, n);
    if (c != 0)
        return c;
    return al < bl ? -1 : al > bl;
}

struct collect {
    uint8_t keys[NK][40];
    size_t klen[NK];
    size_t n;
};

static bool collect_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                       size_t value_len)
{
    (void)value;
    (void)value_len;
    struct collect *c = ctx;
    assert_true(c->n < NK);
    memcpy(c->keys[c->n], key, key_len);
    c->klen[c->n++] = key_len;
    return true;
}

static void check_iter(struct trie *t, const struct model *m, const uint8_t *prefix, size_t pl,
                       const uint8_t *start, size_t sl, size_t limit)
{
    static struct collect got;
    got.n = 0;
    assert_int_equal(trie_iter(t, prefix, pl, start, sl, limit, true, collect_fn, &got), ITEE_OK);
    /* expected: sorted model keys with the prefix, > start */
    size_t want = 0;
    const uint8_t *prev = NULL;
    size_t prevl = 0;
    for (size_t j = 0; j < got.n; j++) {
        assert_true(got.klen[j] >= pl && (pl == 0 || memcmp(got.keys[j], prefix, pl) == 0));
        if (start != NULL)
            assert_true(key_cmp(got.keys[j], got.klen[j], start, sl) > 0);
        if (prev != NULL)
            assert_true(key_cmp(prev, prevl, got.keys[j], got.klen[j]) < 0);
        prev = got.keys[j];
        prevl = got.klen[j];
    }
    for (size_t i = 0; i < NK; i++) {
        if (!m->present[i] || m->klen[i] < pl || (pl > 0 && memcmp(m->key[i], prefix, pl) != 0))
            continue;
        if (start != NULL && key_cmp(m->key[i], m->klen[i], start, sl) <= 0)
            continue;
        /* count distinct present keys (the model has no duplicates among present keys) */
        want++;
    }
    if (limit == 0 || want < limit)
        assert_int_equal(got.n, want);
    else
        assert_int_equal(got.n, limit);
}

static void test_random_edits(void **state)
{
    (void)state;
    static struct model m;
    memset(&m, 0, sizeof(m));
    uint64_t s = 0x1234567887654321ULL;
    for (size_t i = 0; i < NK; i++) {
        random_key(&s, m.key[i], &m.klen[i]);
        /* make keys unique so the model is a map */
        for (size_t j = 0; j < i; j++)
            if (m.klen[j] == m.klen[i] && memcmp(m.key[j], m.key[i], m.klen[i]) == 0) {
                random_key(&s, m.key[i], &m.klen[i]);
                j = (size_t)-1;
            }
    }
    for (int layout = 0; layout < 2; layout++) {
        struct memdb db;
        memset(&db, 0, sizeof(db));
        struct trie_db ops = memdb_ops(&db);
        struct trie *t;
        assert_int_equal(trie_new(&t, (enum trie_layout)layout, &ops), ITEE_OK);
        memset(m.present, 0, sizeof(m.present));
        for (int round = 0; round < 12; round++) {
            for (int op = 0; op < 150; op++) {
                size_t i = (size_t)(rnd(&s) % NK);
                if (rnd(&s) % 3 == 0) {
                    bool removed;
                    assert_int_equal(trie_remove(t, m.key[i], m.klen[i], &removed), ITEE_OK);
                    assert_int_equal(removed, m.present[i]);
                    m.present[i] = false;
                } else {
                    random_value(&s, m.val[i], &m.vlen[i]);
                    assert_int_equal(trie_insert(t, m.key[i], m.klen[i], m.val[i], m.vlen[i]),
                                     ITEE_OK);
                    m.present[i] = true;
                }
            }
            uint8_t r1[32], r2[32];
            assert_int_equal(trie_commit(t, r1), ITEE_OK);
            model_root(&m, (enum trie_layout)layout, r2);
            assert_memory_equal(r1, r2, 32);
            /* every other round, drop memory and continue from the db alone */
            if (round % 2 == 1) {
                assert_int_equal(trie_unload(t), ITEE_OK);
                if (round % 4 == 3) {
                    trie_free(t);
                    assert_int_equal(trie_open(&t, (enum trie_layout)layout, &ops, r1), ITEE_OK);
                }
            }
            /* gets */
            struct itee_buf v;
            itee_buf_init(&v, 0);
            for (size_t i = 0; i < NK; i += 7) {
                bool found;
                assert_int_equal(trie_get(t, m.key[i], m.klen[i], &v, &found), ITEE_OK);
                assert_int_equal(found, m.present[i]);
                if (found) {
                    assert_int_equal(v.len, m.vlen[i]);
                    if (v.len)
                        assert_memory_equal(v.ptr, m.val[i], v.len);
                }
            }
            itee_buf_free(&v);
            /* iteration */
            check_iter(t, &m, NULL, 0, NULL, 0, 0);
            check_iter(t, &m, (const uint8_t *)"\x26\xaa", 2, NULL, 0, 0);
            check_iter(t, &m, (const uint8_t *)"\x26\xaa", 2, (const uint8_t *)"\x26\xaa\x39\x80",
                       4, 10);
            check_iter(t, &m, NULL, 0, m.key[round], m.klen[round], 25);
            /* proofs for a batch of present and absent keys */
            struct itee_slice keys[40];
            for (int j = 0; j < 40; j++) {
                size_t i = (size_t)(rnd(&s) % NK);
                keys[j] = itee_slice_make(m.key[i], m.klen[i]);
            }
            struct trie_proof p;
            trie_proof_init(&p);
            assert_int_equal(trie_prove(t, keys, 40, &p), ITEE_OK);
            struct trie_proof_value res[40];
            assert_int_equal(
                trie_proof_verify(r1, p.nodes, p.count, keys, 40, res, TRIE_PROOF_STRICT), ITEE_OK);
            for (int j = 0; j < 40; j++) {
                size_t i = (size_t)(keys[j].ptr - &m.key[0][0]) / sizeof(m.key[0]);
                assert_int_equal(res[j].present, m.present[i]);
                if (res[j].present && m.vlen[i])
                    assert_memory_equal(res[j].value.ptr, m.val[i], m.vlen[i]);
            }
            /* a proof without one of its nodes is incomplete; with the root changed, wrong */
            if (p.count > 1) {
                size_t drop = (size_t)(rnd(&s) % p.count);
                struct itee_slice save = p.nodes[drop];
                p.nodes[drop] = p.nodes[p.count - 1];
                assert_int_not_equal(
                    trie_proof_verify(r1, p.nodes, p.count - 1, keys, 40, res, TRIE_PROOF_STRICT),
                    ITEE_OK);
                p.nodes[drop] = save;
            }
            uint8_t bad[32];
            memcpy(bad, r1, 32);
            bad[5] ^= 1;
            assert_int_equal(trie_proof_verify(bad, p.nodes, p.count, keys, 40, res, 0),
                             ITEE_ERR_TRIE_PROOF);
            trie_proof_free(&p);
        }
        trie_free(t);
        memdb_free(&db);
    }
}

/* Tampering: a flipped byte in any node, an extra node, a duplicated node. */
static void test_proof_tamper(void **state)
{
    (void)state;
    struct trie *t;
    assert_int_equal(trie_new(&t, TRIE_LAYOUT_V1, NULL), ITEE_OK);
    uint64_t s = 99;
    uint8_t keys[200][8];
    for (int i = 0; i < 200; i++) {
        for (int j = 0; j < 8; j++)
            keys[i][j] = (uint8_t)rnd(&s);
        uint8_t v[40];
        memset(v, i, sizeof(v));
        assert_int_equal(trie_insert(t, keys[i], 8, v, (size_t)(i % 2 ? 40 : 4)), ITEE_OK);
    }
    uint8_t root[32];
    assert_int_equal(trie_root(t, root), ITEE_OK);
    struct itee_slice ks[3] = {{keys[3], 8}, {keys[4], 8}, {(const uint8_t *)"absent!!", 8}};
    struct trie_proof p;
    trie_proof_init(&p);
    assert_int_equal(trie_prove(t, ks, 3, &p), ITEE_OK);
    struct trie_proof_value res[3];
    assert_int_equal(trie_proof_verify(root, p.nodes, p.count, ks, 3, res, TRIE_PROOF_STRICT),
                     ITEE_OK);
    assert_true(res[0].present && res[1].present && !res[2].present);
    assert_int_equal(res[1].value.len, 4);
    assert_int_equal(res[0].value.len, 40);
    for (size_t i = 0; i < p.count; i++) {
        for (size_t b = 0; b < p.nodes[i].len; b++) {
            uint8_t *q = (uint8_t *)p.nodes[i].ptr;
            q[b] ^= 0x01;
            assert_int_not_equal(
                trie_proof_verify(root, p.nodes, p.count, ks, 3, res, TRIE_PROOF_STRICT), ITEE_OK);
            assert_false(res[0].present);
            q[b] ^= 0x01;
        }
    }
    /* an extra node (a valid node of the trie, unused by these keys) */
    struct itee_slice other = {keys[100], 8};
    struct trie_proof p2;
    trie_proof_init(&p2);
    assert_int_equal(trie_prove(t, &other, 1, &p2), ITEE_OK);
    struct itee_slice all[64];
    assert_true(p.count + p2.count <= 64);
    size_t n = 0;
    for (size_t i = 0; i < p.count; i++)
        all[n++] = p.nodes[i];
    for (size_t i = 0; i < p2.count; i++) {
        bool dup = false;
        for (size_t j = 0; j < p.count; j++)
            dup |= p.nodes[j].len == p2.nodes[i].len &&
                   memcmp(p.nodes[j].ptr, p2.nodes[i].ptr, p.nodes[j].len) == 0;
        if (!dup)
            all[n++] = p2.nodes[i];
    }
    assert_true(n > p.count);
    assert_int_equal(trie_proof_verify(root, all, n, ks, 3, res, TRIE_PROOF_STRICT),
                     ITEE_ERR_TRIE_PROOF);
    assert_int_equal(trie_proof_verify(root, all, n, ks, 3, res, 0), ITEE_OK);
    /* a duplicated node */
    all[p.count] = p.nodes[0];
    assert_int_equal(trie_proof_verify(root, all, p.count + 1, ks, 3, res, TRIE_PROOF_STRICT),
                     ITEE_ERR_TRIE_PROOF);
    trie_proof_free(&p2);
    trie_proof_free(&p);

    /* the empty trie proves absence with its single empty node */
    struct trie *e;
    assert_int_equal(trie_new(&e, TRIE_LAYOUT_V0, NULL), ITEE_OK);
    trie_proof_init(&p);
    assert_int_equal(trie_prove(e, ks, 1, &p), ITEE_OK);
    assert_int_equal(trie_root(e, root), ITEE_OK);
    assert_int_equal(trie_proof_verify(root, p.nodes, p.count, ks, 1, res, TRIE_PROOF_STRICT),
                     ITEE_OK);
    assert_false(res[0].present);
    trie_proof_free(&p);
    trie_free(e);
    trie_free(t);
}

/* OOM loop: fail allocation N = 0, 1, 2, ... until a build + root + proof succeeds. */
static void test_oom(void **state)
{
    (void)state;
    uint8_t want[32];
    {
        uint8_t k[4], v[40];
        struct trie *t;
        assert_int_equal(trie_new(&t, TRIE_LAYOUT_V1, NULL), ITEE_OK);
        for (int i = 0; i < 30; i++) {
            k[0] = (uint8_t)i, k[1] = (uint8_t)(i * 7), k[2] = 1, k[3] = (uint8_t)(i & 3);
            memset(v, i, sizeof(v));
            assert_int_equal(trie_insert(t, k, 4, v, (size_t)(i % 3 ? 40 : 3)), ITEE_OK);
        }
        assert_int_equal(trie_root(t, want), ITEE_OK);
        trie_free(t);
    }
    for (long n = 0;; n++) {
        itee_mem_fail_after(n);
        struct trie *t = NULL;
        enum itee_err e = trie_new(&t, TRIE_LAYOUT_V1, NULL);
        uint8_t k[4], v[40];
        for (int i = 0; i < 30 && e == ITEE_OK; i++) {
            k[0] = (uint8_t)i, k[1] = (uint8_t)(i * 7), k[2] = 1, k[3] = (uint8_t)(i & 3);
            memset(v, i, sizeof(v));
            e = trie_insert(t, k, 4, v, (size_t)(i % 3 ? 40 : 3));
        }
        for (int i = 0; i < 30 && e == ITEE_OK; i += 3) {
            k[0] = (uint8_t)i, k[1] = (uint8_t)(i * 7), k[2] = 1, k[3] = (uint8_t)(i & 3);
            e = trie_remove(t, k, 4, NULL);
            if (e == ITEE_OK) {
                memset(v, i, sizeof(v));
                e = trie_insert(t, k, 4, v, 3);
            }
        }
        uint8_t r[32];
        if (e == ITEE_OK)
            e = trie_root(t, r);
        struct trie_proof p;
        trie_proof_init(&p);
        struct itee_slice ks = {k, 4};
        if (e == ITEE_OK)
            e = trie_prove(t, &ks, 1, &p);
        struct trie_proof_value res;
        if (e == ITEE_OK)
            e = trie_proof_verify(r, p.nodes, p.count, &ks, 1, &res, TRIE_PROOF_STRICT);
        trie_proof_free(&p);
        trie_free(t);
        bool hit = itee_mem_fault_hit();
        itee_mem_fail_after(-1);
        if (!hit) {
            assert_int_equal(e, ITEE_OK);
            assert_memory_equal(r, want, 32);
            break;
        }
        /* mid-edit failures may leave the trie unusable, but never crash or leak */
        assert_true(e == ITEE_ERR_NOMEM || e == ITEE_OK);
        assert_true(n < 100000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_codec),    cmocka_unit_test(test_node_exhaustive_small),
        cmocka_unit_test(test_root_vectors),  cmocka_unit_test(test_ordered_root),
        cmocka_unit_test(test_state_example), cmocka_unit_test(test_random_edits),
        cmocka_unit_test(test_proof_tamper),  cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
