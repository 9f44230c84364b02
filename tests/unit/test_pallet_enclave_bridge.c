/*
 * test_pallet_enclave_bridge.c - EnclaveBridge: invoke, confirmations with ShardStatus bytes,
 * shielding into / unshielding from the shard bonding account with ExecutedUnshieldCalls,
 * publish_hash limits, shard configs with a delayed upgrade, purge, TooManyEnclaves, and the
 * teerex / fingerprint / origin errors.
 */
#include "rt_fixture.h"

#include "common/hex.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_enclave_bridge.h"
#include "node/runtime/pallet_teerex.h"

#define STATUS   "f03cead655362fe0725d529a9971f1e66ff6d4e44d83b4c424c31d83115b64ea"
#define CONFIG   "f03cead655362fe0725d529a9971f1e60193cae837251c796384b09951a5a24e"
#define EXECUTED "f03cead655362fe0725d529a9971f1e6969d8bda1757b53d46d9544a4f7b052e"

static bool read_map(struct fx *f, const char *prefix_hex, const uint8_t *k, size_t n,
                     struct itee_buf *v)
{
    uint8_t prefix[32];
    struct itee_buf key;
    bool found;
    itee_buf_init(&key, 0);
    assert_int_equal(itee_hex_decode_exact(prefix, 32, prefix_hex, 64), ITEE_OK);
    assert_int_equal(itee_buf_append(&key, prefix, 32), ITEE_OK);
    assert_int_equal(hash_storage_append(&key, HASH_STORAGE_BLAKE2_128_CONCAT, k, n), ITEE_OK);
    itee_buf_reset(v);
    assert_int_equal(rt_state_get(f->st, key.ptr, key.len, v, &found), ITEE_OK);
    itee_buf_free(&key);
    return found;
}

static void expect_err(const struct rt_post *p, uint8_t pallet, uint8_t e)
{
    assert_false(p->ok);
    struct rt_derr want = rt_derr_module(pallet, e);
    assert_true(rt_derr_eq(&p->err, &want));
}

/* Registers who as a sovereign enclave with MRENCLAVE mr (teerex add_enclave). */
static void add_enclave(struct fx *f, const uint8_t *who, const uint8_t *mr)
{
    struct pallet_teerex_enclave e;
    memset(&e, 0, sizeof(e));
    memcpy(e.report_data, who, 32);
    memcpy(e.mr_enclave, mr, 32);
    e.build_mode = PALLET_TEEREX_PRODUCTION;
    assert_int_equal(pallet_teerex_put_sovereign(&f->ctx, who, &e), ITEE_OK);
}

static void put_h(struct fx *f, uint8_t byte)
{
    uint8_t h[32];
    memset(h, byte, 32);
    assert_int_equal(scale_put_bytes(&f->call, h, 32), ITEE_OK);
}

/* confirm_processed_parentchain_block(shard, 0xbb.., 7, 0xcc..) */
static void put_confirm(struct fx *f, const uint8_t *shard)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_ENCLAVE_BRIDGE, 1);
    assert_int_equal(scale_put_bytes(&f->call, shard, 32), ITEE_OK);
    put_h(f, 0xbb);
    assert_int_equal(scale_put_u32(&f->call, 7), ITEE_OK);
    put_h(f, 0xcc);
}

#define X8(b) b, b, b, b, b, b, b, b
/* Two MRENCLAVEs (fingerprints). */
static const uint8_t MR[32] = {X8(0x5a), X8(0x5a), X8(0x5a), X8(0x5a)};
static const uint8_t MR2[32] = {X8(0x6b), X8(0x6b), X8(0x6b), X8(0x6b)};

static void test_invoke_and_confirm(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    /* invoke: anyone; event carries only the shard */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_ENCLAVE_BRIDGE, 0);
    assert_int_equal(scale_put_bytes(&f.call, MR, 32), ITEE_OK);
    const uint8_t ct[] = {1, 2, 3};
    assert_int_equal(scale_put_vec_u8(&f.call, ct, 3), ITEE_OK);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, 1);
    assert_int_equal(f.ctx.events[0].len, 34);
    assert_int_equal(f.ctx.events[0].bytes[1],
                     PALLET_ENCLAVE_BRIDGE_EV_INDIRECT_INVOCATION_REGISTERED);
    assert_memory_equal(f.ctx.events[0].bytes + 2, MR, 32);
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    /* confirm by an unregistered account */
    put_confirm(&f, MR);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    /* registered with MR: shard MR (default config: shard == MRENCLAVE) works */
    add_enclave(&f, f.acc[BOB], MR);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    long i = fx_find_event(&f, RT_PALLET_ENCLAVE_BRIDGE,
                           PALLET_ENCLAVE_BRIDGE_EV_PROCESSED_PARENTCHAIN_BLOCK, 0);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 2 + 32 * 3 + 4);
    const uint8_t *e = f.ctx.events[i].bytes + 2;
    assert_memory_equal(e, MR, 32);
    assert_int_equal(e[32], 0xbb); /* block_hash */
    assert_int_equal(e[64], 0xcc); /* trusted_calls_merkle_root */
    assert_int_equal(e[96], 7);    /* block_number u32 */
    /* ShardStatus[MR] = [ {bob, MR, last_activity = 1} ] */
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, STATUS, MR, 32, &v));
    assert_int_equal(v.len, 1 + 68);
    assert_int_equal(v.ptr[0], 4);
    assert_memory_equal(v.ptr + 1, f.acc[BOB], 32);
    assert_memory_equal(v.ptr + 33, MR, 32);
    const uint8_t one[] = {1, 0, 0, 0};
    assert_memory_equal(v.ptr + 65, one, 4);
    /* a second block: Bob's entry is replaced, not appended */
    f.ctx.number = 9;
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(read_map(&f, STATUS, MR, 32, &v));
    assert_int_equal(v.len, 1 + 68);
    assert_int_equal(v.ptr[65], 9);
    /* an enclave with another MRENCLAVE may not confirm for shard MR */
    add_enclave(&f, f.acc[CHARLIE], MR2);
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    p = fx_dispatch(&f, &charlie);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_too_many_enclaves(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    put_confirm(&f, MR);
    for (int k = 0; k <= 10; k++) {
        uint8_t who[32];
        memset(who, 0x80 + k, 32);
        add_enclave(&f, who, MR);
        struct rt_origin o = fx_signed(who);
        struct rt_post p = fx_dispatch(&f, &o);
        if (k < 10)
            assert_true(p.ok);
        else
            expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_TOO_MANY_ENCLAVES);
    }
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, STATUS, MR, 32, &v));
    assert_int_equal(v.len, 1 + 10 * 68);
    assert_int_equal(v.ptr[0], 10 << 2);
    /* purge: Root only, unknown shard -> ShardNotFound */
    uint8_t victim[32];
    memset(victim, 0x80, 32);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_ENCLAVE_BRIDGE, 6);
    assert_int_equal(scale_put_bytes(&f.call, MR2, 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&f.call, victim, 32), ITEE_OK);
    struct rt_origin root = fx_root();
    struct rt_post p = fx_dispatch(&f, &root);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_SHARD_NOT_FOUND);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_ENCLAVE_BRIDGE, 6);
    assert_int_equal(scale_put_bytes(&f.call, MR, 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&f.call, victim, 32), ITEE_OK);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    p = fx_dispatch(&f, &bob);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    size_t before = f.ctx.n_events;
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    assert_int_equal(p.pays, RT_PAYS_NO);
    assert_int_equal(f.ctx.n_events, before + 1);
    const uint8_t *e = f.ctx.events[before].bytes;
    assert_int_equal(f.ctx.events[before].len, 66);
    assert_int_equal(e[1], PALLET_ENCLAVE_BRIDGE_EV_PURGED_ENCLAVE_FROM_SHARD_CONFIG);
    assert_memory_equal(e + 2, MR, 32);
    assert_memory_equal(e + 34, victim, 32);
    assert_true(read_map(&f, STATUS, MR, 32, &v));
    assert_int_equal(v.len, 1 + 9 * 68);
    assert_int_equal(v.ptr[1], 0x81); /* the first entry is gone, order kept */
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void put_unshield(struct fx *f, const uint8_t *shard, const uint8_t *to, itee_u128 amount,
                         uint8_t hash)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_ENCLAVE_BRIDGE, 3);
    assert_int_equal(scale_put_bytes(&f->call, shard, 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&f->call, to, 32), ITEE_OK);
    assert_int_equal(scale_put_u128(&f->call, amount), ITEE_OK);
    put_h(f, hash);
}

static void test_shield_unshield(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_ENCLAVE_BRIDGE, 2);
    assert_int_equal(scale_put_bytes(&f.call, MR, 32), ITEE_OK);
    const uint8_t enc[] = {9, 8, 7, 6};
    assert_int_equal(scale_put_vec_u8(&f.call, enc, 4), ITEE_OK);
    assert_int_equal(scale_put_u128(&f.call, 10 * TEER), ITEE_OK);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, MR) == 10 * TEER); /* bonding account = shard bytes */
    assert_true(fx_free(&f, f.acc[ALICE]) == 990 * TEER);
    long i = fx_find_event(&f, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_EV_SHIELD_FUNDS, 0);
    assert_true(i >= 0);
    const uint8_t *e = f.ctx.events[i].bytes + 2;
    assert_int_equal(f.ctx.events[i].len, 2 + 32 + 1 + 4 + 16);
    assert_memory_equal(e, MR, 32);
    assert_int_equal(e[32], 4 << 2);
    assert_memory_equal(e + 33, enc, 4);
    assert_true(fx_u128le(e + 37) == 10 * TEER);
    /* shielding more than the balance fails (Balances' error), nothing moves */
    struct rt_origin nobody = fx_signed(f.nobody);
    p = fx_dispatch(&f, &nobody);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_TOKEN);
    assert_true(fx_free(&f, MR) == 10 * TEER);
    /* unshield: only a registered enclave of the shard */
    put_unshield(&f, MR, f.acc[DAVE], 3 * TEER, 0x77);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    add_enclave(&f, f.acc[CHARLIE], MR2);
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    p = fx_dispatch(&f, &charlie);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    assert_true(fx_free(&f, f.acc[DAVE]) == 1000 * TEER);
    add_enclave(&f, f.acc[BOB], MR);
    size_t before = f.ctx.n_events;
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[DAVE]) == 1003 * TEER);
    assert_true(fx_free(&f, MR) == 7 * TEER);
    i = fx_find_event(&f, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_EV_UNSHIELDED_FUNDS,
                      before);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 2 + 32 + 32 + 16);
    assert_memory_equal(f.ctx.events[i].bytes + 34, f.acc[DAVE], 32);
    uint8_t h[32];
    memset(h, 0x77, 32);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, EXECUTED, h, 32, &v));
    const uint8_t one[] = {1, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(v.len, 8);
    assert_memory_equal(v.ptr, one, 8);
    /* the same call hash again: counted, not paid again, no event */
    before = f.ctx.n_events;
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[DAVE]) == 1003 * TEER);
    assert_int_equal(fx_find_event(&f, RT_PALLET_ENCLAVE_BRIDGE,
                                   PALLET_ENCLAVE_BRIDGE_EV_UNSHIELDED_FUNDS, before),
                     -1);
    assert_true(read_map(&f, EXECUTED, h, 32, &v));
    assert_int_equal(v.ptr[0], 2);
    /* an unshield the vault cannot cover fails and leaves no count */
    put_unshield(&f, MR, f.acc[DAVE], 100 * TEER, 0x78);
    p = fx_dispatch(&f, &bob);
    assert_false(p.ok);
    memset(h, 0x78, 32);
    assert_false(read_map(&f, EXECUTED, h, 32, &v));
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void put_publish(struct fx *f, size_t topics, size_t data_len)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_ENCLAVE_BRIDGE, 4);
    put_h(f, 0x12);
    assert_int_equal(scale_put_compact(&f->call, topics), ITEE_OK);
    for (size_t k = 0; k < topics; k++)
        put_h(f, (uint8_t)k);
    uint8_t data[200];
    memset(data, 0xd0, sizeof(data));
    assert_int_equal(scale_put_vec_u8(&f->call, data, data_len), ITEE_OK);
}

static void test_publish_hash(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    put_publish(&f, 2, 10);
    struct rt_post p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    add_enclave(&f, f.acc[BOB], MR);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, 1);
    const uint8_t *e = f.ctx.events[0].bytes;
    assert_int_equal(f.ctx.events[0].len, 2 + 32 + 32 + 1 + 10);
    assert_int_equal(e[1], PALLET_ENCLAVE_BRIDGE_EV_PUBLISHED_HASH);
    assert_memory_equal(e + 2, MR, 32);
    assert_int_equal(e[34], 0x12);
    assert_int_equal(e[66], 10 << 2);
    /* the enclave's own shard (= fingerprint) was touched */
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, STATUS, MR, 32, &v));
    put_publish(&f, 5, 100);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    put_publish(&f, 6, 10);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_TOO_MANY_TOPICS);
    put_publish(&f, 0, 101);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_DATA_TOO_LONG);
    itee_buf_free(&v);
    fx_teardown(&f);
}

/* update_shard_config(shard, ShardConfig::new(fp), delay) */
static void put_update(struct fx *f, const uint8_t *shard, const uint8_t *fp, uint32_t delay)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_ENCLAVE_BRIDGE, 5);
    assert_int_equal(scale_put_bytes(&f->call, shard, 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&f->call, fp, 32), ITEE_OK);
    const uint8_t rest[] = {0, 0, 0}; /* max_instances None, authorities None, false */
    assert_int_equal(scale_put_bytes(&f->call, rest, 3), ITEE_OK);
    assert_int_equal(scale_put_u32(&f->call, delay), ITEE_OK);
}

static void test_shard_config_upgrade(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    uint8_t shard[32];
    memset(shard, 0x99, 32);
    struct rt_origin root = fx_root();
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    add_enclave(&f, f.acc[BOB], MR);
    add_enclave(&f, f.acc[CHARLIE], MR2);
    /* signed, unregistered -> EnclaveIsNotRegistered */
    put_update(&f, shard, MR2, 0);
    struct rt_origin dave = fx_signed(f.acc[DAVE]);
    struct rt_post p = fx_dispatch(&f, &dave);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    /* Root sets the config: active at once (delay ignored without a config) */
    put_update(&f, shard, MR2, 5);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    long i = fx_find_event(&f, RT_PALLET_ENCLAVE_BRIDGE,
                           PALLET_ENCLAVE_BRIDGE_EV_SHARD_CONFIG_UPDATED, 0);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 34);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, CONFIG, shard, 32, &v));
    assert_int_equal(v.len, 32 + 3 + 1 + 1);
    assert_memory_equal(v.ptr, MR2, 32);
    const uint8_t tail[] = {0, 0, 0, 0, 0};
    assert_memory_equal(v.ptr + 32, tail, 5);
    /* Bob (MR) is no longer authorised for the shard, Charlie (MR2) is */
    put_confirm(&f, shard);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    p = fx_dispatch(&f, &charlie);
    assert_true(p.ok);
    /* Bob may not schedule an upgrade; Charlie schedules MR at block 1 + 2 */
    put_update(&f, shard, MR, 2);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    p = fx_dispatch(&f, &charlie);
    assert_true(p.ok);
    assert_true(read_map(&f, CONFIG, shard, 32, &v));
    assert_int_equal(v.len, 35 + 1 + 35 + 1 + 4);
    assert_memory_equal(v.ptr, MR2, 32);
    assert_int_equal(v.ptr[35], 1);
    assert_memory_equal(v.ptr + 36, MR, 32);
    assert_int_equal(v.ptr[71], 1);
    assert_int_equal(v.ptr[72], 3);
    /* block 2: still MR2 */
    f.ctx.number = 2;
    put_confirm(&f, shard);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    /* block 3: the upgrade is due; Bob confirms and the upgrade is persisted */
    f.ctx.number = 3;
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(read_map(&f, CONFIG, shard, 32, &v));
    assert_int_equal(v.len, 37);
    assert_memory_equal(v.ptr, MR, 32);
    p = fx_dispatch(&f, &charlie);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    /* ShardStatus has Charlie (block 1) then Bob (block 3) */
    assert_true(read_map(&f, STATUS, shard, 32, &v));
    assert_int_equal(v.len, 1 + 2 * 68);
    assert_memory_equal(v.ptr + 1, f.acc[CHARLIE], 32);
    assert_memory_equal(v.ptr + 1 + 68, f.acc[BOB], 32);
    assert_int_equal(v.ptr[1 + 68 + 64], 3);
    /* None origin is refused */
    struct rt_origin none;
    memset(&none, 0, sizeof(none));
    none.kind = RT_ORIGIN_NONE;
    put_update(&f, shard, MR, 0);
    p = fx_dispatch(&f, &none);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    itee_buf_free(&v);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invoke_and_confirm),   cmocka_unit_test(test_too_many_enclaves),
        cmocka_unit_test(test_shield_unshield),      cmocka_unit_test(test_publish_hash),
        cmocka_unit_test(test_shard_config_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
