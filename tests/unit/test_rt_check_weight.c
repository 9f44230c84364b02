/*
 * test_rt_check_weight.c - System.BlockWeight / AllExtrinsicsLen bookkeeping through a whole
 * block (base block weight, the timestamp inherent, a transfer, refunds) and the CheckWeight
 * limits per class: max_extrinsic, max_total, the operational reserve, the length limits.
 */
#include "rt_fixture.h"

#include "node/runtime/rt_check_weight.h"

static bool len_present(struct fx *f)
{
    uint8_t key[32];
    struct itee_buf v;
    bool found = false;
    itee_buf_init(&v, 0);
    rt_state_key_value(key, "System", "AllExtrinsicsLen");
    assert_int_equal(rt_state_get(f->st, key, 32, &v, &found), ITEE_OK);
    itee_buf_free(&v);
    return found;
}

static void test_block_bookkeeping(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_weight w[3];
    assert_int_equal(rt_exec_block_initialize(&f.ctx, NULL, 0, 290000000), ITEE_OK);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_true(w[RT_CLASS_MANDATORY].ref_time == RT_CHECK_WEIGHT_BASE_BLOCK_REF);
    assert_true(w[RT_CLASS_NORMAL].ref_time == 0);
    /* timestamp inherent: Mandatory, its weight + base extrinsic + its length as proof */
    fx_call_begin(&f.call, RT_PALLET_TIMESTAMP, 0);
    assert_int_equal(scale_put_compact(&f.call, 1700000000000ULL), ITEE_OK);
    struct rt_apply_result res;
    assert_int_equal(rt_exec_apply_inherent(&f.ctx, f.call.ptr, f.call.len, &res), ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_true(w[RT_CLASS_MANDATORY].ref_time == RT_CHECK_WEIGHT_BASE_BLOCK_REF +
                                                      res.info.weight.ref_time +
                                                      RT_CHECK_WEIGHT_BASE_EXTRINSIC);
    assert_true(w[RT_CLASS_MANDATORY].proof_size ==
                res.info.weight.proof_size + 1 + 1 + f.call.len);
    assert_true(len_present(&f));
    /* a transfer: Normal */
    itee_buf_reset(&f.call);
    fx_transfer(&f.call, 3, f.acc[BOB], TEER);
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, 0, f.call.ptr, f.call.len, 140, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_true(w[RT_CLASS_NORMAL].ref_time ==
                res.info.weight.ref_time + RT_CHECK_WEIGHT_BASE_EXTRINSIC);
    assert_true(w[RT_CLASS_NORMAL].proof_size == res.info.weight.proof_size + 140);
    /* an invalid extrinsic (stale nonce) leaves the bookkeeping alone */
    struct rt_weight before[3];
    memcpy(before, w, sizeof(w));
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, 0, f.call.ptr, f.call.len, 140, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_STALE);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_memory_equal(before, w, sizeof(w));
    /* finalize: BlockWeight stays in the state, AllExtrinsicsLen goes */
    assert_int_equal(rt_exec_block_finalize(&f.ctx), ITEE_OK);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_memory_equal(before, w, sizeof(w));
    assert_false(len_present(&f));
    /* the next block starts from zero again */
    f.ctx.number = 2;
    assert_int_equal(rt_exec_block_initialize(&f.ctx, NULL, 0, 290000001), ITEE_OK);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_true(w[RT_CLASS_NORMAL].ref_time == 0);
    fx_teardown(&f);
}

static struct rt_info info_of(enum rt_class cls, uint64_t ref)
{
    struct rt_info i;
    memset(&i, 0, sizeof(i));
    i.cls = cls;
    i.weight = rt_weight_make(ref, 0);
    return i;
}

static void test_limits(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_check_weight_class normal, oper, mand;
    rt_check_weight_limits(RT_CLASS_NORMAL, &normal);
    rt_check_weight_limits(RT_CLASS_OPERATIONAL, &oper);
    rt_check_weight_limits(RT_CLASS_MANDATORY, &mand);
    assert_true(normal.max_total.ref_time == 1500000000000ULL);
    assert_true(normal.max_extrinsic.ref_time == 1500000000000ULL - 200000000000ULL - 125000000ULL);
    assert_true(oper.reserved.ref_time == 500000000000ULL);
    assert_false(mand.has_max_total || mand.has_max_extrinsic || mand.has_reserved);
    bool fits;
    /* a single extrinsic above max_extrinsic never fits */
    struct rt_info big = info_of(RT_CLASS_NORMAL, normal.max_extrinsic.ref_time + 1);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &big, 100, &fits), ITEE_OK);
    assert_false(fits);
    /* fill Normal up to its max_total */
    struct rt_info half = info_of(RT_CLASS_NORMAL, 700000000000ULL);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &half, 100, &fits), ITEE_OK);
    assert_true(fits);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &half, 100, &fits), ITEE_OK);
    assert_true(fits);
    struct rt_info more = info_of(RT_CLASS_NORMAL, 100000000000ULL);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &more, 100, &fits), ITEE_OK);
    assert_false(fits);
    /* Operational still has room; Mandatory always goes in */
    struct rt_info op = info_of(RT_CLASS_OPERATIONAL, 400000000000ULL);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &op, 100, &fits), ITEE_OK);
    assert_true(fits);
    struct rt_info man = info_of(RT_CLASS_MANDATORY, 900000000000ULL);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &man, 100, &fits), ITEE_OK);
    assert_true(fits);
    /* above max_block the operational class is limited by its reserve */
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &op, 100, &fits), ITEE_OK);
    assert_false(fits);
    /* refunds give the unspent part back */
    struct rt_weight w[3];
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    uint64_t n0 = w[RT_CLASS_NORMAL].ref_time;
    assert_int_equal(rt_check_weight_refund(&f.ctx, RT_CLASS_NORMAL, half.weight,
                                            rt_weight_make(200000000000ULL, 0)),
                     ITEE_OK);
    assert_int_equal(rt_check_weight_get(&f.ctx, w), ITEE_OK);
    assert_true(w[RT_CLASS_NORMAL].ref_time == n0 - 500000000000ULL);
    fx_teardown(&f);
    /* length: Normal up to 75 % of 5 MiB, counting what is in the block already */
    fx_setup(&f);
    struct rt_info small = info_of(RT_CLASS_NORMAL, 1);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &small, 400, &fits), ITEE_OK);
    assert_true(fits);
    assert_int_equal(
        rt_check_weight_prepare(&f.ctx, &small, RT_CHECK_WEIGHT_MAX_LEN_NORMAL - 400 + 1, &fits),
        ITEE_OK);
    assert_false(fits);
    assert_int_equal(
        rt_check_weight_prepare(&f.ctx, &small, RT_CHECK_WEIGHT_MAX_LEN_NORMAL - 400, &fits),
        ITEE_OK);
    assert_true(fits);
    /* Operational may use the whole 5 MiB; no class goes beyond it */
    struct rt_info op_small = info_of(RT_CLASS_OPERATIONAL, 1);
    assert_int_equal(rt_check_weight_prepare(&f.ctx, &op_small, 1000, &fits), ITEE_OK);
    assert_true(fits);
    struct rt_info man_small = info_of(RT_CLASS_MANDATORY, 1);
    assert_int_equal(
        rt_check_weight_prepare(&f.ctx, &man_small, RT_CHECK_WEIGHT_MAX_LEN_BLOCK, &fits), ITEE_OK);
    assert_false(fits);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_bookkeeping),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
