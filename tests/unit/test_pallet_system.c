/*
 * test_pallet_system.c - AccountInfo layout (spec §2.5 vector), refcounts and their events,
 * remark / remark_with_event, root-only storage calls, refused set_code, and a whole block:
 * initialize -> timestamp inherent -> signed extrinsic -> finalize -> System.Events bytes.
 */
#include "rt_fixture.h"

#include "common/hex.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_timestamp.h"

static void test_account_layout(void **state)
{
    (void)state;
    struct pallet_system_account a;
    pallet_system_account_default(&a);
    a.nonce = 5;
    a.providers = 1;
    /* The spec §2.5 example says free = 10^21, but its bytes 000000a0dec5adc93536.. are
     * 0x3635c9adc5dea0000000 = 256 * 10^21 (one zero byte too many); the bytes are kept. */
    a.free = (itee_u128)1000000000000000000ULL * 1000 * 256;
    uint8_t enc[PALLET_SYSTEM_ACCOUNT_LEN];
    pallet_system_account_encode(&a, enc);
    uint8_t want[80];
    assert_int_equal(itee_hex_decode_exact(want, 80,
                                           "05000000000000000100000000000000"
                                           "000000a0dec5adc93536000000000000"
                                           "00000000000000000000000000000000"
                                           "00000000000000000000000000000000"
                                           "00000000000000000000000000000080",
                                           160),
                     ITEE_OK);
    assert_memory_equal(enc, want, 80);
    struct pallet_system_account b;
    assert_int_equal(pallet_system_account_decode(&b, enc, 80), ITEE_OK);
    assert_true(b.free == a.free && b.flags == a.flags && b.nonce == 5);
    assert_int_not_equal(pallet_system_account_decode(&b, enc, 79), ITEE_OK);
}

static void test_refcounts(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_post p = {.ok = true};
    assert_int_equal(pallet_system_inc_providers(&f.ctx, f.nobody), ITEE_OK);
    assert_int_equal(fx_find_event(&f, RT_PALLET_SYSTEM, 3, 0), 0);
    assert_int_equal(pallet_system_inc_consumers(&f.ctx, f.nobody, &p), ITEE_OK);
    assert_true(p.ok);
    assert_int_equal(pallet_system_dec_providers(&f.ctx, f.nobody, &p), ITEE_OK);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_CONSUMER_REMAINING);
    assert_int_equal(pallet_system_dec_consumers(&f.ctx, f.nobody), ITEE_OK);
    p.ok = true;
    assert_int_equal(pallet_system_dec_providers(&f.ctx, f.nobody, &p), ITEE_OK);
    assert_true(p.ok);
    assert_false(fx_exists(&f, f.nobody));
    assert_int_equal(fx_find_event(&f, RT_PALLET_SYSTEM, 4, 0), 1);
    /* consumers need a provider */
    assert_int_equal(pallet_system_inc_consumers(&f.ctx, f.nobody, &p), ITEE_OK);
    assert_int_equal(p.err.kind, RT_DERR_NO_PROVIDERS);
    fx_teardown(&f);
}

static void test_remarks_and_root_calls(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_origin root = fx_root();
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 7);
    assert_int_equal(scale_put_vec_u8(&f.call, (const uint8_t *)"hello", 5), ITEE_OK);
    struct rt_post p = fx_dispatch(&f, &root);
    assert_false(p.ok); /* remark_with_event needs a signer */
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, 1);
    uint8_t h[32];
    hash_blake2_256(h, (const uint8_t *)"hello", 5);
    assert_int_equal(f.ctx.events[0].len, 66);
    assert_memory_equal(f.ctx.events[0].bytes + 2, f.acc[ALICE], 32);
    assert_memory_equal(f.ctx.events[0].bytes + 34, h, 32);
    /* set_storage([(0x01, 0xaa), (0x0102, 0xbb)]) is Root only */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 4);
    const uint8_t items[] = {0x08, 0x04, 0x01, 0x04, 0xaa, 0x08, 0x01, 0x02, 0x04, 0xbb};
    assert_int_equal(scale_put_bytes(&f.call, items, sizeof(items)), ITEE_OK);
    p = fx_dispatch(&f, &alice);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    bool found;
    const uint8_t k2[] = {0x01, 0x02};
    assert_int_equal(rt_state_get(f.st, k2, 2, &v, &found), ITEE_OK);
    assert_true(found && v.len == 1 && v.ptr[0] == 0xbb);
    /* kill_prefix(0x01, 0) removes both */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 6);
    assert_int_equal(scale_put_vec_u8(&f.call, k2, 1), ITEE_OK);
    assert_int_equal(scale_put_u32(&f.call, 0), ITEE_OK);
    assert_true(fx_dispatch(&f, &root).ok);
    assert_int_equal(rt_state_get(f.st, k2, 2, &v, &found), ITEE_OK);
    assert_false(found);
    assert_int_equal(rt_state_get(f.st, k2, 1, &v, &found), ITEE_OK);
    assert_false(found);
    itee_buf_free(&v);
    /* set_code is refused: FailedToExtractRuntimeVersion */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 2);
    assert_int_equal(scale_put_vec_u8(&f.call, k2, 2), ITEE_OK);
    p = fx_dispatch(&f, &root);
    struct rt_derr want =
        rt_derr_module(RT_PALLET_SYSTEM, PALLET_SYSTEM_ERR_FAILED_TO_EXTRACT_RUNTIME_VERSION);
    assert_false(p.ok);
    assert_true(rt_derr_eq(&p.err, &want));
    fx_teardown(&f);
}

static void put_timestamp(struct itee_buf *b, uint64_t now)
{
    itee_buf_reset(b);
    fx_call_begin(b, RT_PALLET_TIMESTAMP, 0);
    assert_int_equal(scale_put_compact(b, now), ITEE_OK);
}

static void test_block_lifecycle(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    assert_int_equal(rt_exec_block_initialize(&f.ctx, NULL, 0, 290000000), ITEE_OK);
    struct rt_apply_result res;
    /* finalize without the timestamp inherent is refused */
    assert_int_equal(rt_exec_block_finalize(&f.ctx), ITEE_ERR_ARG);
    put_timestamp(&f.call, 1700000000000ULL);
    assert_int_equal(rt_exec_apply_inherent(&f.ctx, f.call.ptr, f.call.len, &res), ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_true(res.ok);
    uint64_t now;
    assert_int_equal(pallet_timestamp_now(&f.ctx, &now), ITEE_OK);
    assert_true(now == 1700000000000ULL);
    /* a second timestamp in the same block is a bad mandatory extrinsic */
    put_timestamp(&f.call, 1700000006000ULL);
    assert_int_equal(rt_exec_apply_inherent(&f.ctx, f.call.ptr, f.call.len, &res), ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_BAD_MANDATORY);
    itee_buf_reset(&f.call);
    fx_transfer(&f.call, 3, f.acc[BOB], TEER);
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, 0, f.call.ptr, f.call.len, 140, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_int_equal(rt_exec_block_finalize(&f.ctx), ITEE_OK);
    /* System.Events: [ApplyExtrinsic(0) ExtrinsicSuccess, ApplyExtrinsic(1) x5] */
    uint8_t key[32];
    struct itee_buf v;
    itee_buf_init(&v, 0);
    bool found;
    rt_state_key_value(key, "System", "Events");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found);
    assert_int_equal(v.ptr[0], 6 << 2);
    /* first record: phase 00 00000000, event 00 00, weight, class Mandatory(2), pays Yes(0) */
    assert_int_equal(v.ptr[1], 0);
    assert_int_equal(v.ptr[2], 0);
    assert_int_equal(v.ptr[6], 0);
    assert_int_equal(v.ptr[7], 0);
    struct scale_reader r;
    scale_reader_init(&r, v.ptr + 8, v.len - 8);
    uint64_t w;
    uint8_t b;
    assert_int_equal(scale_read_compact_u64(&r, &w), ITEE_OK);
    assert_true(w == 10000000ULL + RT_EXEC_EXTRINSIC_BASE_WEIGHT);
    assert_int_equal(scale_read_compact_u64(&r, &w), ITEE_OK);
    assert_int_equal(scale_read_u8(&r, &b), ITEE_OK);
    assert_int_equal(b, RT_CLASS_MANDATORY);
    assert_int_equal(scale_read_u8(&r, &b), ITEE_OK);
    assert_int_equal(b, RT_PAYS_YES);
    assert_int_equal(scale_read_u8(&r, &b), ITEE_OK); /* topics: empty */
    assert_int_equal(b, 0);
    assert_int_equal(scale_read_u8(&r, &b), ITEE_OK); /* next phase: ApplyExtrinsic(1) */
    assert_int_equal(b, 0);
    uint32_t idx;
    assert_int_equal(scale_read_u32(&r, &idx), ITEE_OK);
    assert_int_equal(idx, 1);
    struct itee_buf enc;
    itee_buf_init(&enc, 0);
    assert_int_equal(rt_ctx_events_encode(&f.ctx, &enc), ITEE_OK);
    assert_int_equal(enc.len, v.len);
    assert_memory_equal(enc.ptr, v.ptr, v.len);
    itee_buf_free(&enc);
    rt_state_key_value(key, "System", "EventCount");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found && v.len == 4 && v.ptr[0] == 6);
    /* BlockHash(0) = parent hash, Number = 1, :extrinsic_index gone */
    struct itee_buf k;
    itee_buf_init(&k, 0);
    const uint8_t zero[4] = {0};
    assert_int_equal(
        rt_state_key_map(&k, "System", "BlockHash", HASH_STORAGE_TWOX64_CONCAT, zero, 4), ITEE_OK);
    assert_int_equal(rt_state_get(f.st, k.ptr, k.len, &v, &found), ITEE_OK);
    assert_true(found && v.len == 32 && v.ptr[0] == 0xaa);
    rt_state_key_value(key, "System", "Number");
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found && v.len == 4 && v.ptr[0] == 1);
    assert_int_equal(rt_state_get(f.st, (const uint8_t *)":extrinsic_index", 16, &v, &found),
                     ITEE_OK);
    assert_false(found);
    itee_buf_free(&k);
    itee_buf_free(&v);
    /* the state commits into the trie */
    assert_int_equal(rt_state_commit(f.st), ITEE_OK);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_layout),
        cmocka_unit_test(test_refcounts),
        cmocka_unit_test(test_remarks_and_root_calls),
        cmocka_unit_test(test_block_lifecycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
