/*
 * test_chain_db.c - the node's chain store: state pruning over real imports (window, the
 * pruned error, persistence across reopen) and refusal of an older data directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chain/header.h"
#include "node/chain_db.h"
#include "store/store.h"
#include "trie/trie.h"

static void make_dir(char *buf, size_t cap)
{
    snprintf(buf, cap, "/tmp/itee-test-chain-db-XXXXXX");
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

/* Imports block number (child of the best): the state gets key "k<n>" and an update of "c". */
static void import_block(struct chain_db *db, uint32_t number, uint8_t hash[32])
{
    struct trie *t;
    assert_int_equal(chain_db_state(db, db->best, &t), ITEE_OK);
    char key[16];
    int kl = snprintf(key, sizeof(key), "k%u", number);
    uint8_t v[40];
    memset(v, (int)number, sizeof(v)); /* 40 bytes: stored apart under V1 rules too */
    assert_int_equal(trie_insert(t, (const uint8_t *)key, (size_t)kl, v, sizeof(v)), ITEE_OK);
    assert_int_equal(trie_insert(t, (const uint8_t *)"c", 1, v, 4), ITEE_OK);
    struct header h;
    memset(&h, 0, sizeof(h));
    memcpy(h.parent_hash, db->best, 32);
    h.number = number;
    assert_int_equal(trie_commit(t, h.state_root), ITEE_OK);
    trie_free(t);
    struct itee_buf enc;
    itee_buf_init(&enc, 0);
    assert_int_equal(header_encode(&enc, &h), ITEE_OK);
    assert_int_equal(header_hash(&h, hash), ITEE_OK);
    /* the body is not read by the store: the header bytes stand in for the signed block */
    assert_int_equal(chain_db_import(db, &h, hash, enc.ptr, enc.len, enc.ptr, enc.len), ITEE_OK);
    itee_buf_free(&enc);
}

static bool count_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                     size_t value_len)
{
    (void)key;
    (void)key_len;
    (void)value;
    (void)value_len;
    (*(size_t *)ctx)++;
    return true;
}

/* The state at hash reads back whole, with the keys its block number implies. */
static void check_state(struct chain_db *db, const uint8_t hash[32], uint32_t number,
                        size_t genesis_keys)
{
    struct trie *t;
    assert_int_equal(chain_db_state(db, hash, &t), ITEE_OK);
    size_t n = 0;
    assert_int_equal(trie_iter(t, NULL, 0, NULL, 0, 0, true, count_fn, &n), ITEE_OK);
    assert_int_equal(n, genesis_keys + number + (number > 0 ? 1 : 0));
    trie_free(t);
}

#define WINDOW 4
#define BLOCKS 12

static void test_pruning(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof(dir));
    struct genesis_source src = {GENESIS_DEV, NULL, NULL, 0};
    struct chain_db db;
    assert_int_equal(chain_db_open(&db, dir, true, &src), ITEE_OK);
    chain_db_set_pruning(&db, WINDOW);
    size_t genesis_keys = 0;
    struct trie *t;
    assert_int_equal(chain_db_state(&db, db.genesis, &t), ITEE_OK);
    assert_int_equal(trie_iter(t, NULL, 0, NULL, 0, 0, false, count_fn, &genesis_keys), ITEE_OK);
    trie_free(t);
    uint8_t hashes[BLOCKS + 1][32];
    memcpy(hashes[0], db.genesis, 32);
    for (uint32_t n = 1; n <= BLOCKS; n++)
        import_block(&db, n, hashes[n]);
    for (int pass = 0; pass < 2; pass++) {
        /* the last WINDOW states are whole; older ones answer "pruned", not garbage */
        for (uint32_t n = 0; n <= BLOCKS; n++) {
            uint8_t root[32];
            if (n + WINDOW <= BLOCKS) {
                assert_int_equal(chain_db_state_root(&db, hashes[n], root), ITEE_ERR_STATE_PRUNED);
                assert_int_equal(chain_db_state(&db, hashes[n], &t), ITEE_ERR_STATE_PRUNED);
                assert_null(t);
            } else {
                check_state(&db, hashes[n], n, genesis_keys);
            }
            /* headers stay: only state is pruned */
            struct itee_buf hb;
            itee_buf_init(&hb, 0);
            assert_int_equal(chain_db_header(&db, hashes[n], &hb), ITEE_OK);
            itee_buf_free(&hb);
        }
        /* the pruning point survives a restart */
        chain_db_close(&db);
        assert_int_equal(chain_db_open(&db, dir, true, &src), ITEE_OK);
        chain_db_set_pruning(&db, WINDOW);
        assert_int_equal(db.best_number, BLOCKS);
    }
    chain_db_close(&db);
    remove_dir(dir);
}

/* A directory of the older layout (untagged, nodes keyed by hash) is refused, not misread. */
static void test_old_format_refused(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof(dir));
    static const char *const old_tables[] = {"headers", "blocks", "nums", "nodes", "meta"};
    struct store *s;
    struct store_batch *b;
    assert_int_equal(store_open(&s, dir, old_tables, 5, 0, STORE_NOSYNC), ITEE_OK);
    assert_int_equal(store_batch_new(&b), ITEE_OK);
    uint8_t best[68];
    memset(best, 0, sizeof(best));
    assert_int_equal(store_batch_put(b, 4, (const uint8_t *)"best", 4, best, sizeof(best)),
                     ITEE_OK);
    assert_int_equal(store_commit(s, b), ITEE_OK);
    store_batch_free(b);
    store_close(s);
    struct genesis_source src = {GENESIS_DEV, NULL, NULL, 0};
    struct chain_db db;
    assert_int_equal(chain_db_open(&db, dir, true, &src), ITEE_ERR_STORE_FORMAT);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pruning),
        cmocka_unit_test(test_old_format_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
