/*
 * test_genesis.c - the dev genesis: System.Account(Alice) key (spec §2.3 vector) and value
 * (§2.5 layout), TotalIssuance equal to the sum of endowments, sudo key, authorities,
 * frame_system items, absence of :code, and a deterministic state root.
 */
#include "rt_fixture.h"

#include "common/hex.h"
#include "node/runtime/pallet_sudo.h"

static void test_alice_account(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    uint8_t want[80];
    assert_int_equal(
        itee_hex_decode_exact(
            want, 32, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", 64),
        ITEE_OK);
    assert_memory_equal(f.acc[ALICE], want, 32);
    struct itee_buf k, v;
    itee_buf_init(&k, 0);
    itee_buf_init(&v, 0);
    assert_int_equal(pallet_system_account_key(&k, f.acc[ALICE]), ITEE_OK);
    assert_int_equal(itee_hex_decode_exact(want, 80,
                                           "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8"
                                           "886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd3"
                                           "1c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
                                           160),
                     ITEE_OK);
    assert_memory_equal(k.ptr, want, 80);
    bool found;
    assert_int_equal(trie_get(f.trie, k.ptr, k.len, &v, &found), ITEE_OK);
    assert_true(found);
    /* nonce 0, consumers 0, providers 1, sufficients 0, free 10^15, 0, 0, IS_NEW_LOGIC */
    assert_int_equal(itee_hex_decode_exact(want, 80,
                                           "00000000000000000100000000000000"
                                           "0080c6a47e8d03000000000000000000"
                                           "00000000000000000000000000000000"
                                           "00000000000000000000000000000000"
                                           "00000000000000000000000000000080",
                                           160),
                     ITEE_OK);
    assert_int_equal(v.len, 80);
    assert_memory_equal(v.ptr, want, 80);
    itee_buf_free(&k);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_genesis_items(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    assert_true(fx_issuance(&f) == GENESIS_ENDOWED_COUNT * GENESIS_ENDOWMENT);
    itee_u128 sum = 0;
    for (size_t i = 0; i < GENESIS_ENDOWED_COUNT; i++)
        sum += fx_free(&f, f.acc[i]);
    assert_true(sum == fx_issuance(&f));
    uint8_t key[32];
    bool has;
    assert_int_equal(pallet_sudo_key(&f.ctx, key, &has), ITEE_OK);
    assert_true(has);
    assert_memory_equal(key, f.acc[ALICE], 32);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    bool found;
    rt_state_key_value(key, "Aura", "Authorities");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found && v.len == 33 && v.ptr[0] == 4);
    assert_memory_equal(v.ptr + 1, f.acc[ALICE], 32);
    rt_state_key_value(key, "Grandpa", "Authorities");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    uint8_t ed[32];
    assert_int_equal(
        itee_hex_decode_exact(
            ed, 32, "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee", 64),
        ITEE_OK);
    assert_true(found && v.len == 41 && v.ptr[0] == 4 && v.ptr[33] == 1);
    assert_memory_equal(v.ptr + 1, ed, 32);
    rt_state_key_value(key, "System", "ParentHash");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found && v.len == 32 && v.ptr[0] == 0x69 && v.ptr[31] == 0x69);
    rt_state_key_value(key, "System", "LastRuntimeUpgrade");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    const uint8_t lru[] = {0x69, 0x06, 0x3c, 'i', 'n', 't', 'e', 'g', 'r',
                           'i',  't',  'e',  'e', '-', 's', 'o', 'l', 'o'};
    assert_true(found);
    assert_int_equal(v.len, sizeof(lru));
    assert_memory_equal(v.ptr, lru, sizeof(lru));
    rt_state_key_value(key, "Teerex", "AllowSkippingAttestation");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found && v.len == 1 && v.ptr[0] == 1);
    assert_int_equal(rt_state_get(f.st, (const uint8_t *)":code", 5, &v, &found), ITEE_OK);
    assert_false(found);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_genesis_root(void **state)
{
    (void)state;
    uint8_t r1[32], r2[32], r3[32], empty[32];
    assert_int_equal(genesis_state_root(GENESIS_DEV, TRIE_LAYOUT_V0, r1), ITEE_OK);
    assert_int_equal(genesis_state_root(GENESIS_DEV, TRIE_LAYOUT_V0, r2), ITEE_OK);
    assert_memory_equal(r1, r2, 32);
    assert_int_equal(trie_root_of(TRIE_LAYOUT_V0, NULL, NULL, 0, empty), ITEE_OK);
    assert_memory_not_equal(r1, empty, 32);
    /* V1 hashes the 80-byte account values: a different root */
    assert_int_equal(genesis_state_root(GENESIS_DEV, TRIE_LAYOUT_V1, r3), ITEE_OK);
    assert_memory_not_equal(r1, r3, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alice_account),
        cmocka_unit_test(test_genesis_items),
        cmocka_unit_test(test_genesis_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
