/*
 * test_rt_ctx.c - events with topics: EventRecord.topics in System.Events, System.EventTopics
 * entries (block number, event index) per occurrence, rollback of topic-carrying events, the
 * reset at block initialisation; and the pallets' storage-version keys at genesis.
 */
#include "rt_fixture.h"

#include "node/runtime/rt_storage_version.h"

static bool get_raw(struct fx *f, const uint8_t *key, size_t key_len, struct itee_buf *v)
{
    bool found = false;
    itee_buf_reset(v);
    assert_int_equal(rt_state_get(f->st, key, key_len, v, &found), ITEE_OK);
    return found;
}

static void topic_key(struct itee_buf *k, const uint8_t t[32])
{
    assert_int_equal(
        rt_state_key_map(k, "System", "EventTopics", HASH_STORAGE_BLAKE2_128_CONCAT, t, 32),
        ITEE_OK);
}

static void test_event_topics(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    f.ctx.number = 5;
    uint8_t t[3][32];
    memset(t[0], 0x11, 32);
    memset(t[1], 0x22, 32);
    memset(t[2], 0x33, 32);
    const uint8_t ev[] = {RT_PALLET_ENCLAVE_BRIDGE, 4, 0xee};
    assert_int_equal(rt_ctx_deposit_event(&f.ctx, ev, sizeof(ev)), ITEE_OK); /* index 0 */
    assert_int_equal(rt_ctx_deposit_event_topics(&f.ctx, ev, sizeof(ev), t[0], 2), ITEE_OK);
    /* a rolled-back event takes its topics with it */
    assert_int_equal(rt_ctx_layer_begin(&f.ctx), ITEE_OK);
    assert_int_equal(rt_ctx_deposit_event_topics(&f.ctx, ev, sizeof(ev), t[2], 1), ITEE_OK);
    assert_int_equal(rt_ctx_layer_end(&f.ctx, false), ITEE_OK);
    uint8_t both[64];
    memcpy(both, t[1], 32);
    memcpy(both + 32, t[1], 32);
    assert_int_equal(rt_ctx_deposit_event_topics(&f.ctx, ev, sizeof(ev), both, 2), ITEE_OK);
    /* bad arguments */
    assert_int_equal(rt_ctx_deposit_event_topics(&f.ctx, ev, sizeof(ev), NULL, 1), ITEE_ERR_ARG);
    assert_int_equal(
        rt_ctx_deposit_event_topics(&f.ctx, ev, sizeof(ev), t[0], RT_CTX_MAX_TOPICS + 1),
        ITEE_ERR_ARG);
    assert_int_equal(rt_ctx_events_flush(&f.ctx), ITEE_OK);
    struct itee_buf k, v;
    itee_buf_init(&k, 0);
    itee_buf_init(&v, 0);
    /* topic 0x11: [(5, 1)]; 0x22: [(5, 1), (5, 2), (5, 2)]; 0x33: none */
    topic_key(&k, t[0]);
    assert_true(get_raw(&f, k.ptr, k.len, &v));
    const uint8_t want0[] = {1 << 2, 5, 0, 0, 0, 1, 0, 0, 0};
    assert_int_equal(v.len, sizeof(want0));
    assert_memory_equal(v.ptr, want0, sizeof(want0));
    topic_key(&k, t[1]);
    assert_true(get_raw(&f, k.ptr, k.len, &v));
    const uint8_t want1[] = {3 << 2, 5, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0,
                             2,      0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0};
    assert_int_equal(v.len, sizeof(want1));
    assert_memory_equal(v.ptr, want1, sizeof(want1));
    topic_key(&k, t[2]);
    assert_false(get_raw(&f, k.ptr, k.len, &v));
    /* System.Events: the second record ends with Vec<H256> [0x11.., 0x22..] */
    uint8_t key[32];
    rt_state_key_value(key, "System", "Events");
    assert_true(get_raw(&f, key, 32, &v));
    assert_int_equal(v.ptr[0], 3 << 2);
    size_t rec0 = 5 + sizeof(ev) + 1; /* phase(5) event topics(0) */
    const uint8_t *rec1 = v.ptr + 1 + rec0;
    assert_int_equal(rec1[5 + sizeof(ev)], 2 << 2);
    assert_memory_equal(rec1 + 5 + sizeof(ev) + 1, t[0], 64);
    /* the next block's initialisation clears the topic index */
    f.ctx.number = 6;
    assert_int_equal(rt_exec_block_initialize(&f.ctx, NULL, 0, 1), ITEE_OK);
    topic_key(&k, t[1]);
    assert_false(get_raw(&f, k.ptr, k.len, &v));
    itee_buf_free(&k);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_storage_versions_at_genesis(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    size_t n;
    const struct rt_storage_version *t = rt_storage_version_table(&n);
    assert_true(n >= 13);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    bool saw_balances = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t key[32];
        rt_storage_version_key(key, t[i].pallet);
        assert_true(get_raw(&f, key, 32, &v));
        assert_int_equal(v.len, 2);
        assert_int_equal(v.ptr[0] | v.ptr[1] << 8, t[i].version);
        saw_balances |= strcmp(t[i].pallet, "Balances") == 0 && t[i].version == 1;
    }
    assert_true(saw_balances);
    /* the key layout of substrate-compat §2.3: twox128("Balances") ++ twox128(":__STORAGE_..") */
    uint8_t key[32];
    rt_storage_version_key(key, "System");
    const uint8_t sys[16] = {0x26, 0xaa, 0x39, 0x4e, 0xea, 0x56, 0x30, 0xe0,
                             0x7c, 0x48, 0xae, 0x0c, 0x95, 0x58, 0xce, 0xf7};
    const uint8_t ver[16] = {0x4e, 0x7b, 0x90, 0x12, 0x09, 0x6b, 0x41, 0xc4,
                             0xeb, 0x3a, 0xaf, 0x94, 0x7f, 0x6e, 0xa4, 0x29};
    assert_memory_equal(key, sys, 16);
    assert_memory_equal(key + 16, ver, 16);
    itee_buf_free(&v);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_topics),
        cmocka_unit_test(test_storage_versions_at_genesis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
