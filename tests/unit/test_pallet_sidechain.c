/*
 * test_pallet_sidechain.c - Sidechain finality: the primary enclave's confirmations with the
 * stored LatestSidechainBlockConfirmation bytes and event, every ancestor / candidate error
 * in order, the silent no-op for a secondary enclave, and the teerex / bridge errors.
 */
#include "rt_fixture.h"

#include "common/hex.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_enclave_bridge.h"
#include "node/runtime/pallet_sidechain.h"
#include "node/runtime/pallet_teerex.h"

#define LATEST "3eaeb1cee77dc09baac326e5a1d297267330b8f0844684c66a9a03162a425cc9"
#define STATUS "f03cead655362fe0725d529a9971f1e66ff6d4e44d83b4c424c31d83115b64ea"

#define X8(b) b, b, b, b, b, b, b, b
static const uint8_t MR[32] = {X8(0x5a), X8(0x5a), X8(0x5a), X8(0x5a)};
static const uint8_t MR2[32] = {X8(0x6b), X8(0x6b), X8(0x6b), X8(0x6b)};

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

static void add_enclave(struct fx *f, const uint8_t *who, const uint8_t *mr)
{
    struct pallet_teerex_enclave e;
    memset(&e, 0, sizeof(e));
    memcpy(e.report_data, who, 32);
    memcpy(e.mr_enclave, mr, 32);
    e.build_mode = PALLET_TEEREX_PRODUCTION;
    assert_int_equal(pallet_teerex_put_sovereign(&f->ctx, who, &e), ITEE_OK);
}

/* confirm_imported_sidechain_block(shard, ancestor (if anc_n >= 0), candidate). */
static void put_confirm(struct fx *f, const uint8_t *shard, long anc_n, uint8_t anc_h,
                        uint64_t cand_n, uint8_t cand_h)
{
    uint8_t h[32];
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_SIDECHAIN, 0);
    assert_int_equal(scale_put_bytes(&f->call, shard, 32), ITEE_OK);
    assert_int_equal(scale_put_option(&f->call, anc_n >= 0), ITEE_OK);
    if (anc_n >= 0) {
        assert_int_equal(scale_put_u64(&f->call, (uint64_t)anc_n), ITEE_OK);
        memset(h, anc_h, 32);
        assert_int_equal(scale_put_bytes(&f->call, h, 32), ITEE_OK);
    }
    assert_int_equal(scale_put_u64(&f->call, cand_n), ITEE_OK);
    memset(h, cand_h, 32);
    assert_int_equal(scale_put_bytes(&f->call, h, 32), ITEE_OK);
}

static void expect_stored(struct fx *f, uint64_t n, uint8_t hb)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(f, LATEST, MR, 32, &v));
    assert_int_equal(v.len, 40);
    for (int i = 0; i < 8; i++)
        assert_int_equal(v.ptr[i], (uint8_t)(n >> (8 * i)));
    for (int i = 0; i < 32; i++)
        assert_int_equal(v.ptr[8 + i], hb);
    itee_buf_free(&v);
}

static void test_finality_rules(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    add_enclave(&f, f.acc[BOB], MR);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    /* first confirmation: the ancestor argument is ignored */
    put_confirm(&f, MR, 77, 0xee, 5, 0xa5);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    expect_stored(&f, 5, 0xa5);
    assert_int_equal(f.ctx.n_events, 1);
    const uint8_t *e = f.ctx.events[0].bytes;
    assert_int_equal(f.ctx.events[0].len, 2 + 32 + 8 + 32 + 32);
    assert_int_equal(e[0], RT_PALLET_SIDECHAIN);
    assert_int_equal(e[1], PALLET_SIDECHAIN_EV_FINALIZED_SIDECHAIN_BLOCK);
    assert_memory_equal(e + 2, MR, 32);
    assert_int_equal(e[34], 5);
    assert_int_equal(e[42], 0xa5);
    assert_memory_equal(e + 74, f.acc[BOB], 32);
    /* errors in the spec's order */
    put_confirm(&f, MR, -1, 0, 6, 0xa6);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_SIDECHAIN, PALLET_SIDECHAIN_ERR_ANCESTOR_MISSING);
    put_confirm(&f, MR, 4, 0x00, 5, 0xa6); /* candidate not newer (checked before ancestor) */
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_SIDECHAIN, PALLET_SIDECHAIN_ERR_FINALIZATION_CANDIDATE_IS_OUTDATED);
    put_confirm(&f, MR, 4, 0xa5, 6, 0xa6);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_SIDECHAIN, PALLET_SIDECHAIN_ERR_ANCESTOR_NUMBER_MISMATCH);
    put_confirm(&f, MR, 5, 0xa4, 6, 0xa6);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_SIDECHAIN, PALLET_SIDECHAIN_ERR_ANCESTOR_HASH_MISMATCH);
    expect_stored(&f, 5, 0xa5);
    assert_int_equal(f.ctx.n_events, 1);
    /* a proper successor (numbers may jump) */
    put_confirm(&f, MR, 5, 0xa5, 9, 0xa9);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    expect_stored(&f, 9, 0xa9);
    assert_int_equal(f.ctx.n_events, 2);
    fx_teardown(&f);
}

static void test_primary_only(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    struct rt_origin dave = fx_signed(f.acc[DAVE]);
    put_confirm(&f, MR, -1, 0, 1, 0x01);
    struct rt_post p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    add_enclave(&f, f.acc[BOB], MR);
    add_enclave(&f, f.acc[CHARLIE], MR);
    add_enclave(&f, f.acc[DAVE], MR2);
    p = fx_dispatch(&f, &dave);
    expect_err(&p, RT_PALLET_ENCLAVE_BRIDGE, PALLET_ENCLAVE_BRIDGE_ERR_WRONG_FINGERPRINT_FOR_SHARD);
    /* Bob touches first and becomes the primary */
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    /* Charlie is a secondary: Ok, touched, but nothing finalized and no event */
    put_confirm(&f, MR, 1, 0x01, 2, 0x02);
    f.ctx.number = 4;
    p = fx_dispatch(&f, &charlie);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, 1);
    expect_stored(&f, 1, 0x01);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, STATUS, MR, 32, &v));
    assert_int_equal(v.len, 1 + 2 * 68);
    assert_memory_equal(v.ptr + 1 + 68, f.acc[CHARLIE], 32);
    assert_int_equal(v.ptr[1 + 68 + 64], 4);
    itee_buf_free(&v);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    expect_stored(&f, 2, 0x02);
    /* origins */
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    /* a bad Option tag does not decode */
    put_confirm(&f, MR, -1, 0, 3, 0x03);
    f.call.ptr[2 + 32] = 2;
    struct scale_reader r;
    struct rt_info info;
    scale_reader_init(&r, f.call.ptr, f.call.len);
    assert_int_equal(rt_exec_call(&f.ctx, &bob, &r, true, &info, &p), ITEE_ERR_SCALE_OPTION);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finality_rules),
        cmocka_unit_test(test_primary_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
