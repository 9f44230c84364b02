/*
 * test_rt_state.c - overlay over the trie, transactional layers, merged iteration, prefix
 * removal, commit (root equals the reference root of the final set), storage key vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "node/runtime/rt_state.h"
#include "trie/trie.h"

static void put(struct rt_state *st, const char *k, const char *v)
{
    assert_int_equal(rt_state_set(st, (const uint8_t *)k, strlen(k), (const uint8_t *)v, strlen(v)),
                     ITEE_OK);
}

static void expect(struct rt_state *st, const char *k, const char *v)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    bool found;
    assert_int_equal(rt_state_get(st, (const uint8_t *)k, strlen(k), &b, &found), ITEE_OK);
    if (v == NULL) {
        assert_false(found);
    } else {
        assert_true(found);
        assert_int_equal(b.len, strlen(v));
        assert_memory_equal(b.ptr, v, b.len);
    }
    itee_buf_free(&b);
}

static void test_overlay_and_layers(void **state)
{
    (void)state;
    struct trie *t;
    struct rt_state *st;
    assert_int_equal(trie_new(&t, TRIE_LAYOUT_V1, NULL), ITEE_OK);
    assert_int_equal(trie_insert(t, (const uint8_t *)"a", 1, (const uint8_t *)"1", 1), ITEE_OK);
    assert_int_equal(trie_insert(t, (const uint8_t *)"b", 1, (const uint8_t *)"2", 1), ITEE_OK);
    assert_int_equal(rt_state_new(&st, t), ITEE_OK);
    expect(st, "a", "1");
    put(st, "a", "10");
    expect(st, "a", "10");
    assert_int_equal(rt_state_begin(st), ITEE_OK);
    put(st, "a", "11");
    assert_int_equal(rt_state_remove(st, (const uint8_t *)"b", 1), ITEE_OK);
    put(st, "c", "3");
    assert_int_equal(rt_state_begin(st), ITEE_OK);
    put(st, "a", "12");
    put(st, "d", "4");
    expect(st, "a", "12");
    assert_int_equal(rt_state_rollback(st), ITEE_OK);
    expect(st, "a", "11");
    expect(st, "d", NULL);
    expect(st, "b", NULL);
    assert_int_equal(rt_state_begin(st), ITEE_OK);
    put(st, "e", "5");
    assert_int_equal(rt_state_accept(st), ITEE_OK);
    assert_int_equal(rt_state_depth(st), 1);
    assert_int_equal(rt_state_rollback(st), ITEE_OK); /* undoes the accepted inner layer too */
    expect(st, "a", "10");
    expect(st, "b", "2");
    expect(st, "c", NULL);
    expect(st, "e", NULL);
    assert_int_equal(rt_state_overlay_len(st), 1);
    assert_int_equal(rt_state_rollback(st), ITEE_ERR_ARG);
    assert_int_equal(rt_state_accept(st), ITEE_ERR_ARG);
    for (int i = 0; i < RT_STATE_MAX_LAYERS; i++)
        assert_int_equal(rt_state_begin(st), ITEE_OK);
    assert_int_equal(rt_state_begin(st), ITEE_ERR_SPACE);
    assert_int_equal(rt_state_commit(st), ITEE_ERR_ARG); /* layers open */
    rt_state_discard(st);
    expect(st, "a", "1");
    rt_state_free(st);
    trie_free(t);
}

struct seen {
    char keys[8][8]; /* keys visited */
    char vals[8][8]; /* their values */
    size_t n;        /* count */
};

static bool seen_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                    size_t value_len)
{
    struct seen *s = ctx;
    assert_true(s->n < 8 && key_len < 8 && value_len < 8);
    memcpy(s->keys[s->n], key, key_len);
    s->keys[s->n][key_len] = 0;
    memcpy(s->vals[s->n], value, value_len);
    s->vals[s->n][value_len] = 0;
    s->n++;
    return true;
}

static void test_iter_clear_commit(void **state)
{
    (void)state;
    struct trie *t;
    struct rt_state *st;
    assert_int_equal(trie_new(&t, TRIE_LAYOUT_V0, NULL), ITEE_OK);
    const char *tk[] = {"p1", "p3", "p5", "q1"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(trie_insert(t, (const uint8_t *)tk[i], 2, (const uint8_t *)"t", 1),
                         ITEE_OK);
    assert_int_equal(rt_state_new(&st, t), ITEE_OK);
    put(st, "p2", "o");
    put(st, "p5", "o");
    assert_int_equal(rt_state_remove(st, (const uint8_t *)"p3", 2), ITEE_OK);
    struct seen s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(rt_state_iter(st, (const uint8_t *)"p", 1, seen_fn, &s), ITEE_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.keys[0], "p1");
    assert_string_equal(s.vals[0], "t");
    assert_string_equal(s.keys[1], "p2");
    assert_string_equal(s.vals[1], "o");
    assert_string_equal(s.keys[2], "p5");
    assert_string_equal(s.vals[2], "o");
    size_t removed;
    assert_int_equal(rt_state_clear_prefix(st, (const uint8_t *)"p", 1, 2, &removed), ITEE_OK);
    assert_int_equal(removed, 2);
    expect(st, "p5", "o");
    assert_int_equal(rt_state_clear_prefix(st, (const uint8_t *)"p", 1, 0, &removed), ITEE_OK);
    assert_int_equal(removed, 1);
    expect(st, "q1", "t");
    put(st, "r", "x");
    assert_int_equal(rt_state_commit(st), ITEE_OK);
    assert_int_equal(rt_state_overlay_len(st), 0);
    uint8_t root[32], want[32];
    assert_int_equal(trie_root(t, root), ITEE_OK);
    struct itee_slice keys[2] = {{(const uint8_t *)"q1", 2}, {(const uint8_t *)"r", 1}};
    struct itee_slice vals[2] = {{(const uint8_t *)"t", 1}, {(const uint8_t *)"x", 1}};
    assert_int_equal(trie_root_of(TRIE_LAYOUT_V0, keys, vals, 2, want), ITEE_OK);
    assert_memory_equal(root, want, 32);
    rt_state_free(st);
    trie_free(t);
}

static void test_key_vectors(void **state)
{
    (void)state;
    uint8_t key[32], want[80];
    rt_state_key_value(key, "System", "Events");
    assert_int_equal(
        itee_hex_decode_exact(
            want, 32, "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7", 64),
        ITEE_OK);
    assert_memory_equal(key, want, 32);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    const uint8_t zero[4] = {0};
    assert_int_equal(
        rt_state_key_map(&b, "System", "BlockHash", HASH_STORAGE_TWOX64_CONCAT, zero, 4), ITEE_OK);
    assert_int_equal(itee_hex_decode_exact(want, 44,
                                           "26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a0"
                                           "50c118746b4def25cfda6ef3a00000000",
                                           88),
                     ITEE_OK);
    assert_int_equal(b.len, 44);
    assert_memory_equal(b.ptr, want, 44);
    uint8_t alice[32];
    assert_int_equal(
        itee_hex_decode_exact(
            alice, 32, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", 64),
        ITEE_OK);
    assert_int_equal(
        rt_state_key_map(&b, "System", "Account", HASH_STORAGE_BLAKE2_128_CONCAT, alice, 32),
        ITEE_OK);
    assert_int_equal(itee_hex_decode_exact(want, 80,
                                           "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8"
                                           "886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd3"
                                           "1c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
                                           160),
                     ITEE_OK);
    assert_int_equal(b.len, 80);
    assert_memory_equal(b.ptr, want, 80);
    /* double map: prefix || h1(k1) || h2(k2) */
    assert_int_equal(rt_state_key_double_map(&b, "A", "B", HASH_STORAGE_IDENTITY, zero, 2,
                                             HASH_STORAGE_TWOX64_CONCAT, zero, 4),
                     ITEE_OK);
    assert_int_equal(b.len, 32 + 2 + 8 + 4);
    const uint8_t tail[14] = {0, 0, 0xb4, 0xde, 0xf2, 0x5c, 0xfd, 0xa6, 0xef, 0x3a, 0, 0, 0, 0};
    assert_memory_equal(b.ptr + 32, tail, 14);
    itee_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_and_layers),
        cmocka_unit_test(test_iter_clear_commit),
        cmocka_unit_test(test_key_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
