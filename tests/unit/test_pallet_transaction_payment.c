/*
 * test_pallet_transaction_payment.c - fee formula, the exact 1 % / 99 % split of fee and tip,
 * issuance burn, event order of a signed extrinsic, nonce and payment validity, failed
 * dispatch still paying, Pays::No refunds.
 */
#include "rt_fixture.h"

#include "node/runtime/pallet_sudo.h"

#define LEN 140

static void test_fee_formula(void **state)
{
    (void)state;
    struct rt_info info = {rt_weight_make(40000000, 3593), RT_CLASS_NORMAL, RT_PAYS_YES};
    /* base 125_000_000 (IdentityFee of ExtrinsicBaseWeight) + 140 bytes * 10^6 + weight */
    assert_true(pallet_transaction_payment_compute_fee(LEN, &info, 0) == 305000000);
    assert_true(pallet_transaction_payment_compute_fee(LEN, &info, 7) == 305000007);
    info.pays = RT_PAYS_NO;
    assert_true(pallet_transaction_payment_compute_fee(LEN, &info, 7) == 7);
    info.pays = RT_PAYS_YES;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(pallet_transaction_payment_encode_query_info(&info, LEN, true, &b), ITEE_OK);
    /* weight compact(40_000_000) = 02 68 89 09, compact(3593) = 25 38, Normal, fee u128 LE */
    const uint8_t qi[23] = {0x02, 0x68, 0x89, 0x09, 0x25, 0x38, 0x00, 0x40, 0xee, 0x2d, 0x12};
    assert_int_equal(b.len, sizeof(qi));
    assert_memory_equal(b.ptr, qi, sizeof(qi));
    itee_buf_reset(&b);
    assert_int_equal(pallet_transaction_payment_encode_fee_details(&info, LEN, true, &b), ITEE_OK);
    assert_int_equal(b.len, 1 + 48);
    assert_int_equal(b.ptr[0], 1);
    itee_buf_free(&b);
    uint8_t t[32];
    pallet_transaction_payment_treasury(t);
    static const uint8_t want[32] = {'m', 'o', 'd', 'l', 'p', 'y', '/', 't', 'r', 's', 'r', 'y'};
    assert_memory_equal(t, want, 32);
}

static void test_signed_transfer_fee_split(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    const itee_u128 tip = 1000001;
    itee_u128 ti = fx_issuance(&f);
    itee_u128 treasury = fx_free(&f, f.acc[TREASURY]);
    fx_transfer(&f.call, 3, f.acc[BOB], 1 * TEER);
    struct rt_apply_result res;
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, tip, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_true(res.ok);
    const itee_u128 fee = 305000000;
    assert_true(res.fee == fee + tip);
    assert_true(res.actual_fee == fee + tip);
    /* 1 % of the fee, and the tip (Integritee: tips go to the treasury entirely) */
    const itee_u128 to_treasury =
        fee / 100 + tip * PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT / 100;
    assert_true(PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT != 100 || to_treasury == 4050001);
    assert_true(fx_free(&f, f.acc[TREASURY]) == treasury + to_treasury);
    assert_true(fx_issuance(&f) == ti - (fee + tip - to_treasury));
    assert_true(fx_free(&f, f.acc[ALICE]) == 1000 * TEER - 1 * TEER - fee - tip);
    assert_int_equal(fx_account(&f, f.acc[ALICE]).nonce, 1);
    const uint8_t ev[][2] = {{RT_PALLET_BALANCES, PALLET_BALANCES_EV_WITHDRAW},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_TRANSFER},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_DEPOSIT},
                             {RT_PALLET_TRANSACTION_PAYMENT, 0},
                             {RT_PALLET_SYSTEM, 0}};
    fx_expect_events(&f, ev, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(f.ctx.events[i].phase, RT_PHASE_APPLY);
        assert_int_equal(f.ctx.events[i].ext_index, 0);
    }
    /* TransactionFeePaid{who, actual_fee, tip} */
    const struct rt_event *e = &f.ctx.events[3];
    assert_int_equal(e->len, 2 + 32 + 16 + 16);
    assert_memory_equal(e->bytes + 2, f.acc[ALICE], 32);
    assert_true(fx_u128le(e->bytes + 34) == fee + tip);
    assert_true(fx_u128le(e->bytes + 50) == tip);
    /* ExtrinsicSuccess{DispatchEventInfo{weight: 40_000_000 + base, 3593; Normal; Yes}} */
    struct itee_buf want;
    itee_buf_init(&want, 0);
    assert_int_equal(rt_ctx_event_begin(&want, 0, 0), ITEE_OK);
    assert_int_equal(scale_put_compact(&want, 165000000), ITEE_OK);
    assert_int_equal(scale_put_compact(&want, 3593), ITEE_OK);
    assert_int_equal(scale_put_u8(&want, 0), ITEE_OK);
    assert_int_equal(scale_put_u8(&want, 0), ITEE_OK);
    assert_int_equal(f.ctx.events[4].len, want.len);
    assert_memory_equal(f.ctx.events[4].bytes, want.ptr, want.len);
    itee_buf_free(&want);
    assert_int_equal(f.ctx.ext_index, 1);
    fx_teardown(&f);
}

static void test_nonce_and_payment_validity(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    fx_transfer(&f.call, 3, f.acc[BOB], 1);
    struct rt_apply_result res;
    assert_int_equal(
        rt_exec_validate_signed(&f.ctx, f.acc[ALICE], 1, 0, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_FUTURE);
    assert_int_equal(
        rt_exec_validate_signed(&f.ctx, f.acc[ALICE], 0, 0, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_int_equal(rt_state_overlay_len(f.st), 0); /* validation leaves no trace */
    assert_int_equal(f.ctx.n_events, 0);
    /* an account that does not exist cannot pay */
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.nobody, 0, 0, f.call.ptr, f.call.len, LEN, &res), ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_PAYMENT);
    /* the fee would take Eve below the ED: Payment, and nothing changes */
    struct rt_post p = {.ok = true};
    assert_int_equal(pallet_balances_transfer(&f.ctx, f.acc[EVE], f.acc[ALICE], 1000 * TEER - 1000,
                                              PALLET_BALANCES_EXPENDABLE, &p),
                     ITEE_OK);
    assert_true(p.ok);
    assert_int_equal(rt_state_commit(f.st), ITEE_OK);
    rt_ctx_events_clear(&f.ctx);
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[EVE], 0, 0, f.call.ptr, f.call.len, LEN, &res), ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_PAYMENT);
    assert_int_equal(rt_state_overlay_len(f.st), 0);
    assert_int_equal(f.ctx.n_events, 0);
    assert_int_equal(f.ctx.ext_index, 0);
    /* stale after a successful one */
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, 0, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, 0, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_STALE);
    /* garbage call bytes */
    const uint8_t junk[] = {10, 3, 0};
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 1, 0, junk, sizeof(junk), LEN, &res), ITEE_OK);
    assert_int_equal(res.validity, RT_INVALID_CALL);
    fx_teardown(&f);
}

static void test_failed_dispatch_still_pays(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    itee_u128 ti = fx_issuance(&f);
    fx_transfer(&f.call, 0, f.acc[BOB], 5000 * TEER);
    struct rt_apply_result res;
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[CHARLIE], 0, 0, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_false(res.ok);
    struct rt_derr want = rt_derr_token(RT_TOKEN_FUNDS_UNAVAILABLE);
    assert_true(rt_derr_eq(&res.err, &want));
    const itee_u128 fee = 125000000 + 140000000 + 50000000;
    assert_true(res.actual_fee == fee);
    assert_true(fx_free(&f, f.acc[CHARLIE]) == 1000 * TEER - fee);
    assert_true(fx_issuance(&f) == ti - (fee - fee / 100));
    assert_int_equal(fx_account(&f, f.acc[CHARLIE]).nonce, 1);
    const uint8_t ev[][2] = {{RT_PALLET_BALANCES, PALLET_BALANCES_EV_WITHDRAW},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_DEPOSIT},
                             {RT_PALLET_TRANSACTION_PAYMENT, 0},
                             {RT_PALLET_SYSTEM, 1}};
    fx_expect_events(&f, ev, 4);
    /* ExtrinsicFailed{dispatch_error: Token(FundsUnavailable), ..} */
    assert_int_equal(f.ctx.events[3].bytes[2], 7);
    assert_int_equal(f.ctx.events[3].bytes[3], 0);
    fx_teardown(&f);
}

static void test_pays_no_refunds(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    /* Sudo.sudo(System.remark([])) by the key: Pays::No, so the withdrawn fee comes back */
    fx_call_begin(&f.call, 5, 0);
    fx_call_begin(&f.call, 0, 0);
    assert_int_equal(scale_put_compact(&f.call, 0), ITEE_OK);
    itee_u128 before = fx_free(&f, f.acc[ALICE]);
    itee_u128 ti = fx_issuance(&f);
    struct rt_apply_result res;
    assert_int_equal(
        rt_exec_apply_signed(&f.ctx, f.acc[ALICE], 0, 100, f.call.ptr, f.call.len, LEN, &res),
        ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_true(res.ok);
    assert_true(res.actual_fee == 100); /* only the tip */
    assert_true(fx_free(&f, f.acc[ALICE]) == before - 100);
    /* tip 100: all of it to the treasury (nothing burned) */
    assert_true(fx_issuance(&f) ==
                ti - (100 - 100 * PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT / 100));
    long paid = fx_find_event(&f, RT_PALLET_TRANSACTION_PAYMENT, 0, 0);
    assert_true(paid >= 0);
    assert_true(fx_u128le(f.ctx.events[paid].bytes + 34) == 100);
    long ok = fx_find_event(&f, RT_PALLET_SYSTEM, 0, 0);
    assert_true(ok >= 0);
    const struct rt_event *e = &f.ctx.events[ok];
    assert_int_equal(e->bytes[e->len - 1], RT_PAYS_NO);
    fx_teardown(&f);
}

static void test_split_rounds_fee_and_tip_separately(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    /* fee 1050 + tip 50: treasury gets floor(1050 / 100) = 10 (not 1100/100 = 11) + the tip */
    itee_u128 ti = fx_issuance(&f);
    itee_u128 treasury = fx_free(&f, f.acc[TREASURY]);
    struct rt_post p = {.ok = true};
    assert_int_equal(pallet_transaction_payment_withdraw(&f.ctx, f.acc[BOB], 1100, &p), ITEE_OK);
    assert_true(p.ok);
    assert_int_equal(pallet_transaction_payment_settle(&f.ctx, f.acc[BOB], 1100, 1100, 50),
                     ITEE_OK);
    const itee_u128 tip50 = 50 * PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT / 100;
    assert_true(fx_free(&f, f.acc[TREASURY]) == treasury + 10 + tip50);
    assert_true(fx_issuance(&f) == ti - (1090 - tip50));
    assert_true(fx_free(&f, f.acc[BOB]) == 1000 * TEER - 1100);
    /* a refund: 1100 withdrawn, 600 due (incl. tip 50) -> 500 back, 5 + tip to the treasury */
    assert_int_equal(pallet_transaction_payment_withdraw(&f.ctx, f.acc[BOB], 1100, &p), ITEE_OK);
    assert_int_equal(pallet_transaction_payment_settle(&f.ctx, f.acc[BOB], 1100, 600, 50), ITEE_OK);
    assert_true(fx_free(&f, f.acc[TREASURY]) == treasury + 15 + 2 * tip50);
    assert_true(fx_free(&f, f.acc[BOB]) == 1000 * TEER - 1700);
    assert_true(fx_issuance(&f) == ti - (1090 - tip50) - (595 - tip50));
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fee_formula),
        cmocka_unit_test(test_signed_transfer_fee_split),
        cmocka_unit_test(test_nonce_and_payment_validity),
        cmocka_unit_test(test_failed_dispatch_still_pays),
        cmocka_unit_test(test_pays_no_refunds),
        cmocka_unit_test(test_split_rounds_fee_and_tip_separately),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
