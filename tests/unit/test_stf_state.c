/*
 * test_stf_state.c - the STF state map: get/put/delete, nested transactions, canonical encoding
 * and hash, diffs, accounts, sealing, hostile encodings and OOM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "enclave/stf_state.h"

static struct stf_state *new_state(void)
{
    struct stf_state *st = NULL;
    assert_int_equal(stf_state_new(&st), ITEE_OK);
    return st;
}

static void put_str(struct stf_state *st, const char *k, const char *v)
{
    assert_int_equal(
        stf_state_put(st, (const uint8_t *)k, strlen(k), (const uint8_t *)v, strlen(v)), ITEE_OK);
}

static bool has(const struct stf_state *st, const char *k, const char *v)
{
    struct itee_slice s;
    if (stf_state_get(st, (const uint8_t *)k, strlen(k), &s) != ITEE_OK)
        return false;
    return v != NULL && s.len == strlen(v) && (s.len == 0 || memcmp(s.ptr, v, s.len) == 0);
}

static void hash_of(struct stf_state *st, uint8_t h[32])
{
    assert_int_equal(stf_state_hash(st, h), ITEE_OK);
}

static void test_basic_and_hash(void **state)
{
    (void)state;
    struct stf_state *st = new_state();
    uint8_t h0[32], h1[32], h2[32];
    hash_of(st, h0);
    /* the empty state's hash is blake2_256 of Compact(0) */
    uint8_t zero = 0, want[32];
    hash_blake2_256(want, &zero, 1);
    assert_memory_equal(h0, want, 32);
    put_str(st, "alpha", "1");
    assert_true(has(st, "alpha", "1"));
    assert_int_equal(stf_state_count(st), 1);
    hash_of(st, h1);
    assert_memory_not_equal(h0, h1, 32);
    put_str(st, "alpha", "1"); /* same value: same state, same hash */
    hash_of(st, h2);
    assert_memory_equal(h1, h2, 32);
    put_str(st, "alpha", "2");
    hash_of(st, h2);
    assert_memory_not_equal(h1, h2, 32);
    assert_int_equal(stf_state_delete(st, (const uint8_t *)"alpha", 5), ITEE_OK);
    assert_int_equal(stf_state_delete(st, (const uint8_t *)"alpha", 5), ITEE_OK);
    assert_false(has(st, "alpha", NULL));
    assert_int_equal(stf_state_count(st), 0);
    hash_of(st, h2);
    assert_memory_equal(h0, h2, 32);
    /* empty values are values */
    assert_int_equal(stf_state_put(st, (const uint8_t *)"e", 1, NULL, 0), ITEE_OK);
    assert_true(has(st, "e", ""));
    hash_of(st, h2);
    assert_memory_not_equal(h0, h2, 32);
    /* bad arguments */
    uint8_t big[STF_STATE_KEY_MAX + 1] = {0};
    assert_int_equal(stf_state_put(st, big, sizeof(big), NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(stf_state_put(st, big, 0, NULL, 0), ITEE_ERR_ARG);
    stf_state_free(st);
}

static void test_transactions(void **state)
{
    (void)state;
    struct stf_state *st = new_state();
    uint8_t h0[32], h1[32];
    put_str(st, "a", "1");
    put_str(st, "b", "2");
    hash_of(st, h0);
    assert_int_equal(stf_state_tx_commit(st), ITEE_ERR_STF_TX);
    assert_int_equal(stf_state_tx_rollback(st), ITEE_ERR_STF_TX);

    assert_int_equal(stf_state_tx_begin(st), ITEE_OK);
    put_str(st, "a", "10");
    put_str(st, "c", "3");
    assert_int_equal(stf_state_delete(st, (const uint8_t *)"b", 1), ITEE_OK);
    assert_int_equal(stf_state_tx_begin(st), ITEE_OK);
    put_str(st, "c", "33");
    put_str(st, "d", "4");
    assert_int_equal(stf_state_tx_commit(st), ITEE_OK); /* nested commit ... */
    assert_true(has(st, "d", "4"));
    assert_int_equal(stf_state_tx_begin(st), ITEE_OK);
    put_str(st, "e", "5");
    assert_int_equal(stf_state_tx_rollback(st), ITEE_OK); /* ... nested rollback */
    assert_false(has(st, "e", NULL));
    assert_true(has(st, "c", "33"));
    assert_int_equal(stf_state_tx_rollback(st), ITEE_OK); /* outer undoes the nested commit */
    assert_int_equal(stf_state_tx_depth(st), 0);
    assert_true(has(st, "a", "1"));
    assert_true(has(st, "b", "2"));
    assert_false(has(st, "c", NULL));
    assert_false(has(st, "d", NULL));
    assert_int_equal(stf_state_count(st), 2);
    hash_of(st, h1);
    assert_memory_equal(h0, h1, 32);

    assert_int_equal(stf_state_tx_begin(st), ITEE_OK);
    put_str(st, "a", "7");
    assert_int_equal(stf_state_tx_commit(st), ITEE_OK);
    assert_true(has(st, "a", "7"));
    hash_of(st, h1);
    assert_memory_not_equal(h0, h1, 32);
    stf_state_free(st);
}

/* Many keys: table growth, probe chains and backward-shift deletion. */
static void test_many_keys(void **state)
{
    (void)state;
    struct stf_state *st = new_state();
    char k[32], v[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(k, sizeof(k), "key-%d", i);
        snprintf(v, sizeof(v), "v%d", i * 7);
        put_str(st, k, v);
    }
    assert_int_equal(stf_state_diff_clear(st), ITEE_OK);
    for (int i = 0; i < 5000; i += 2) {
        snprintf(k, sizeof(k), "key-%d", i);
        assert_int_equal(stf_state_delete(st, (const uint8_t *)k, strlen(k)), ITEE_OK);
    }
    assert_int_equal(stf_state_diff_clear(st), ITEE_OK); /* tombstones leave the table */
    assert_int_equal(stf_state_count(st), 2500);
    for (int i = 0; i < 5000; i++) {
        snprintf(k, sizeof(k), "key-%d", i);
        snprintf(v, sizeof(v), "v%d", i * 7);
        assert_int_equal(has(st, k, v), i % 2 == 1);
    }
    stf_state_free(st);
}

static void test_encoding(void **state)
{
    (void)state;
    struct stf_state *a = new_state(), *b = new_state(), *c = NULL;
    struct itee_buf ea = {0}, eb = {0}, ec = {0};
    itee_buf_init(&ea, 0);
    itee_buf_init(&eb, 0);
    itee_buf_init(&ec, 0);
    /* insertion order does not matter; "ab" < "b" and "a" < "ab" (bytewise, shorter first) */
    put_str(a, "b", "2");
    put_str(a, "ab", "x");
    put_str(a, "a", "1");
    put_str(b, "a", "1");
    put_str(b, "b", "2");
    put_str(b, "ab", "x");
    assert_int_equal(stf_state_encode(a, &ea), ITEE_OK);
    assert_int_equal(stf_state_encode(b, &eb), ITEE_OK);
    assert_int_equal(ea.len, eb.len);
    assert_memory_equal(ea.ptr, eb.ptr, ea.len);
    static const uint8_t want[] = {3 << 2, 1 << 2, 'a', 1 << 2, '1', 2 << 2, 'a',
                                   'b',    1 << 2, 'x', 1 << 2, 'b', 1 << 2, '2'};
    assert_int_equal(ea.len, sizeof(want));
    assert_memory_equal(ea.ptr, want, sizeof(want));
    uint8_t ha[32], hc[32], hw[32];
    hash_of(a, ha);
    hash_blake2_256(hw, want, sizeof(want));
    assert_memory_equal(ha, hw, 32);
    assert_int_equal(stf_state_decode(&c, ea.ptr, ea.len), ITEE_OK);
    hash_of(c, hc);
    assert_memory_equal(ha, hc, 32);
    assert_int_equal(stf_state_encode(c, &ec), ITEE_OK);
    assert_memory_equal(ec.ptr, want, sizeof(want));
    stf_state_free(c);
    c = NULL;

    /* hostile encodings */
    uint8_t bad[sizeof(want) + 1];
    memcpy(bad, want, sizeof(want));
    bad[sizeof(want)] = 0;
    assert_int_equal(stf_state_decode(&c, bad, sizeof(want) + 1), ITEE_ERR_SCALE_TRAILING);
    for (size_t i = 0; i < sizeof(want); i++)
        assert_int_not_equal(stf_state_decode(&c, want, i), ITEE_OK);
    static const uint8_t unsorted[] = {2 << 2, 1 << 2, 'b', 0, 1 << 2, 'a', 0};
    assert_int_equal(stf_state_decode(&c, unsorted, sizeof(unsorted)), ITEE_ERR_STF_STATE);
    static const uint8_t dup[] = {2 << 2, 1 << 2, 'a', 0, 1 << 2, 'a', 0};
    assert_int_equal(stf_state_decode(&c, dup, sizeof(dup)), ITEE_ERR_STF_STATE);
    static const uint8_t empty_key[] = {1 << 2, 0, 1 << 2, 'x'};
    assert_int_equal(stf_state_decode(&c, empty_key, sizeof(empty_key)), ITEE_ERR_STF_STATE);
    static const uint8_t huge_count[] = {0xfe, 0xff, 0xff, 0xff};
    assert_int_equal(stf_state_decode(&c, huge_count, sizeof(huge_count)), ITEE_ERR_SCALE_LENGTH);
    assert_null(c);
    itee_buf_free(&ea);
    itee_buf_free(&eb);
    itee_buf_free(&ec);
    stf_state_free(a);
    stf_state_free(b);
}

static void test_diff(void **state)
{
    (void)state;
    struct stf_state *a = new_state(), *b = NULL;
    struct itee_buf enc = {0}, diff = {0};
    itee_buf_init(&enc, 0);
    itee_buf_init(&diff, 0);
    put_str(a, "keep", "k");
    put_str(a, "change", "old");
    put_str(a, "drop", "d");
    assert_int_equal(stf_state_encode(a, &enc), ITEE_OK);
    assert_int_equal(stf_state_decode(&b, enc.ptr, enc.len), ITEE_OK);
    assert_int_equal(stf_state_diff_clear(a), ITEE_OK);
    put_str(a, "change", "new");
    put_str(a, "add", "+");
    assert_int_equal(stf_state_delete(a, (const uint8_t *)"drop", 4), ITEE_OK);
    /* a change undone by rollback is not in the diff */
    assert_int_equal(stf_state_tx_begin(a), ITEE_OK);
    put_str(a, "ghost", "g");
    assert_int_equal(stf_state_tx_rollback(a), ITEE_OK);
    assert_int_equal(stf_state_diff_encode(a, &diff), ITEE_OK);
    static const uint8_t want[] = {3 << 2, 3 << 2, 'a',    'd', 'd', 1,   1 << 2, '+',    6 << 2,
                                   'c',    'h',    'a',    'n', 'g', 'e', 1,      3 << 2, 'n',
                                   'e',    'w',    4 << 2, 'd', 'r', 'o', 'p',    0};
    assert_int_equal(diff.len, sizeof(want));
    assert_memory_equal(diff.ptr, want, sizeof(want));
    assert_int_equal(stf_state_diff_apply(b, diff.ptr, diff.len), ITEE_OK);
    uint8_t ha[32], hb[32];
    hash_of(a, ha);
    hash_of(b, hb);
    assert_memory_equal(ha, hb, 32);
    /* a malformed diff changes nothing */
    uint8_t bad[sizeof(want)];
    memcpy(bad, want, sizeof(want));
    bad[sizeof(want) - 1] = 2; /* Option tag 2 in the last item */
    assert_int_equal(stf_state_diff_apply(b, bad, sizeof(bad)), ITEE_ERR_SCALE_OPTION);
    hash_of(b, hb);
    assert_memory_equal(ha, hb, 32);
    assert_int_equal(stf_state_tx_begin(a), ITEE_OK);
    assert_int_equal(stf_state_diff_clear(a), ITEE_ERR_STF_TX);
    assert_int_equal(stf_state_tx_commit(a), ITEE_OK);
    assert_int_equal(stf_state_diff_clear(a), ITEE_OK);
    itee_buf_reset(&diff);
    assert_int_equal(stf_state_diff_encode(a, &diff), ITEE_OK);
    assert_int_equal(diff.len, 1);
    itee_buf_free(&enc);
    itee_buf_free(&diff);
    stf_state_free(a);
    stf_state_free(b);
}

static void test_accounts(void **state)
{
    (void)state;
    struct stf_state *st = new_state();
    uint8_t id[32], key[STF_STATE_ACCOUNT_KEY_LEN];
    memset(id, 0xab, sizeof(id));
    struct stf_account a = {.nonce = 3, .providers = 1, .free = (itee_u128)1 << 100, .reserved = 9};
    struct stf_account b;
    assert_int_equal(stf_state_account_get(st, id, &b), ITEE_OK);
    assert_int_equal(b.nonce, 0);
    assert_true(b.free == 0);
    assert_int_equal(stf_state_account_put(st, id, &a), ITEE_OK);
    assert_int_equal(stf_state_account_get(st, id, &b), ITEE_OK);
    assert_memory_equal(&a, &b, sizeof(a));
    /* stored as SCALE(AccountInfo) under System.Account's key */
    struct itee_slice v;
    struct itee_buf enc = {0};
    itee_buf_init(&enc, 0);
    stf_state_account_key(key, id);
    assert_int_equal(stf_state_get(st, key, sizeof(key), &v), ITEE_OK);
    assert_int_equal(stf_state_account_encode(&a, &enc), ITEE_OK);
    assert_int_equal(v.len, STF_STATE_ACCOUNT_LEN);
    assert_memory_equal(v.ptr, enc.ptr, enc.len);
    assert_memory_equal(key + 48, id, 32);
    /* a malformed stored value is reported, not trusted */
    assert_int_equal(stf_state_put(st, key, sizeof(key), v.ptr, 79), ITEE_OK);
    assert_int_equal(stf_state_account_get(st, id, &b), ITEE_ERR_STF_STATE);
    /* an empty account leaves the state */
    memset(&a, 0, sizeof(a));
    assert_int_equal(stf_state_account_put(st, id, &a), ITEE_OK);
    assert_int_equal(stf_state_count(st), 0);
    itee_buf_free(&enc);
    stf_state_free(st);
}

static void test_seal(void **state)
{
    (void)state;
    struct stf_state *a = new_state(), *b = new_state();
    uint8_t key[32], shard[32], other[32], ha[32], hb[32], h0[32];
    struct itee_buf s1 = {0}, s2 = {0};
    memset(key, 7, sizeof(key));
    memset(shard, 0x22, sizeof(shard));
    memset(other, 0x23, sizeof(other));
    itee_buf_init(&s1, 0);
    itee_buf_init(&s2, 0);
    put_str(a, "x", "secret balance");
    put_str(a, "y", "");
    assert_int_equal(stf_state_seal(a, key, shard, &s1), ITEE_OK);
    assert_int_equal(stf_state_seal(a, key, shard, &s2), ITEE_OK);
    assert_int_equal(s1.len, s2.len);
    assert_memory_not_equal(s1.ptr, s2.ptr, s1.len); /* fresh nonce each time */
    for (size_t i = 0; i + 6 <= s1.len; i++)
        assert_false(memcmp(s1.ptr + i, "secret", 6) == 0);
    put_str(b, "old", "state");
    hash_of(b, h0);
    /* every tampered byte, the wrong shard and the wrong key are refused, b untouched */
    for (size_t i = 0; i < s1.len; i++) {
        s1.ptr[i] ^= 0x10;
        assert_int_not_equal(stf_state_unseal(b, key, shard, s1.ptr, s1.len), ITEE_OK);
        s1.ptr[i] ^= 0x10;
    }
    assert_int_equal(stf_state_unseal(b, key, other, s1.ptr, s1.len), ITEE_ERR_AUTH);
    key[0] ^= 1;
    assert_int_equal(stf_state_unseal(b, key, shard, s1.ptr, s1.len), ITEE_ERR_AUTH);
    key[0] ^= 1;
    assert_int_equal(stf_state_unseal(b, key, shard, s1.ptr, 10), ITEE_ERR_FORMAT);
    hash_of(b, hb);
    assert_memory_equal(h0, hb, 32);
    assert_true(has(b, "old", "state"));
    assert_int_equal(stf_state_tx_begin(b), ITEE_OK);
    assert_int_equal(stf_state_unseal(b, key, shard, s1.ptr, s1.len), ITEE_ERR_STF_TX);
    assert_int_equal(stf_state_tx_rollback(b), ITEE_OK);
    assert_int_equal(stf_state_unseal(b, key, shard, s2.ptr, s2.len), ITEE_OK);
    hash_of(a, ha);
    hash_of(b, hb);
    assert_memory_equal(ha, hb, 32);
    assert_false(has(b, "old", NULL));
    assert_true(has(b, "x", "secret balance"));
    itee_buf_free(&s1);
    itee_buf_free(&s2);
    stf_state_free(a);
    stf_state_free(b);
}

/* A failed write or transaction leaves the state exactly as it was. */
static void test_oom(void **state)
{
    (void)state;
    struct stf_state *st = new_state();
    uint8_t h0[32], h1[32], key[32], shard[32];
    char k[16];
    memset(key, 1, sizeof(key));
    memset(shard, 2, sizeof(shard));
    put_str(st, "base", "b");
    hash_of(st, h0);
    for (long i = 0;; i++) {
        itee_mem_fail_after(i);
        enum itee_err e = stf_state_tx_begin(st);
        for (int j = 0; j < 40 && e == ITEE_OK; j++) {
            snprintf(k, sizeof(k), "k%d", j);
            e = stf_state_put(st, (const uint8_t *)k, strlen(k), (const uint8_t *)"v", 1);
        }
        if (e == ITEE_OK)
            e = stf_state_delete(st, (const uint8_t *)"base", 4);
        if (e != ITEE_OK && stf_state_tx_depth(st) > 0)
            assert_int_equal(stf_state_tx_rollback(st), ITEE_OK);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK) {
            assert_int_equal(stf_state_tx_rollback(st), ITEE_OK);
            break;
        }
        assert_int_equal(e, ITEE_ERR_NOMEM);
        hash_of(st, h1);
        assert_memory_equal(h0, h1, 32);
        assert_true(i < 1000);
    }
    hash_of(st, h1);
    assert_memory_equal(h0, h1, 32);
    /* seal and unseal under OOM */
    struct itee_buf blob = {0};
    itee_buf_init(&blob, 0);
    for (long i = 0;; i++) {
        itee_mem_fail_after(i);
        enum itee_err e = stf_state_seal(st, key, shard, &blob);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK)
            break;
        assert_int_equal(e, ITEE_ERR_NOMEM);
        assert_int_equal(blob.len, 0);
    }
    put_str(st, "later", "l");
    uint8_t h2[32];
    hash_of(st, h2);
    for (long i = 0;; i++) {
        itee_mem_fail_after(i);
        enum itee_err e = stf_state_unseal(st, key, shard, blob.ptr, blob.len);
        itee_mem_fail_after(-1);
        hash_of(st, h1);
        if (e == ITEE_OK) {
            assert_memory_equal(h0, h1, 32);
            break;
        }
        assert_int_equal(e, ITEE_ERR_NOMEM);
        assert_memory_equal(h2, h1, 32);
    }
    itee_buf_free(&blob);
    stf_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_and_hash), cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_many_keys),      cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_diff),           cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_seal),           cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
