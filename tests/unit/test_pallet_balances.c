/*
 * test_pallet_balances.c - transfers, ED rules, reaping, errors as FRAME encodes them, events,
 * rollback of failed calls, force_set_balance and reserves.
 */
#include "rt_fixture.h"

static void test_transfer_to_new_account(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    itee_u128 ti = fx_issuance(&f);
    fx_transfer(&f.call, 0, f.nobody, 10 * TEER);
    struct rt_post p = fx_dispatch(&f, &(struct rt_origin){0});
    assert_false(p.ok); /* Root origin: BadOrigin */
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.nobody) == 10 * TEER);
    assert_true(fx_free(&f, f.acc[ALICE]) == 990 * TEER);
    assert_true(fx_issuance(&f) == ti);
    struct pallet_system_account a = fx_account(&f, f.nobody);
    assert_int_equal(a.providers, 1);
    assert_true(a.flags == PALLET_SYSTEM_IS_NEW_LOGIC);
    const uint8_t ev[][2] = {{RT_PALLET_SYSTEM, 3},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_ENDOWED},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_TRANSFER}};
    fx_expect_events(&f, ev, 3);
    /* Transfer{from, to, amount} */
    const struct rt_event *t = &f.ctx.events[2];
    assert_int_equal(t->len, 2 + 32 + 32 + 16);
    assert_memory_equal(t->bytes + 2, f.acc[ALICE], 32);
    assert_memory_equal(t->bytes + 34, f.nobody, 32);
    assert_true(fx_u128le(t->bytes + 66) == 10 * TEER);
    fx_teardown(&f);
}

static void test_insufficient_balance_rolls_back(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    fx_transfer(&f.call, 0, f.acc[ALICE], 2000 * TEER);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_false(p.ok);
    struct rt_derr want = rt_derr_token(RT_TOKEN_FUNDS_UNAVAILABLE);
    assert_true(rt_derr_eq(&p.err, &want));
    struct itee_buf enc;
    itee_buf_init(&enc, 0);
    assert_int_equal(rt_derr_encode(&p.err, &enc), ITEE_OK);
    assert_int_equal(enc.len, 2);
    assert_int_equal(enc.ptr[0], 7); /* Token */
    assert_int_equal(enc.ptr[1], 0); /* FundsUnavailable */
    itee_buf_free(&enc);
    assert_int_equal(f.ctx.n_events, 0);
    assert_int_equal(rt_state_overlay_len(f.st), 0);
    assert_true(fx_free(&f, f.acc[BOB]) == 1000 * TEER);
    fx_teardown(&f);
}

static void test_existential_deposit_rules(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    /* below the ED of 500 into a new account */
    fx_transfer(&f.call, 0, f.nobody, 499);
    struct rt_post p = fx_dispatch(&f, &alice);
    struct rt_derr want = rt_derr_token(RT_TOKEN_BELOW_MINIMUM);
    assert_false(p.ok);
    assert_true(rt_derr_eq(&p.err, &want));
    assert_false(fx_exists(&f, f.nobody));
    /* exactly the ED works */
    itee_buf_reset(&f.call);
    fx_transfer(&f.call, 0, f.nobody, 500);
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.nobody) == 500);
    /* keep-alive refuses to take Bob below the ED */
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    itee_buf_reset(&f.call);
    fx_transfer(&f.call, 3, f.acc[ALICE], 1000 * TEER - 100);
    p = fx_dispatch(&f, &bob);
    want = rt_derr_token(RT_TOKEN_NOT_EXPENDABLE);
    assert_false(p.ok);
    assert_true(rt_derr_eq(&p.err, &want));
    /* keep-alive leaving exactly the ED is fine */
    itee_buf_reset(&f.call);
    fx_transfer(&f.call, 3, f.acc[ALICE], 1000 * TEER - 500);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[BOB]) == 500);
    fx_teardown(&f);
}

static void test_allow_death_reaps_and_burns_dust(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    itee_u128 ti = fx_issuance(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    fx_transfer(&f.call, 0, f.acc[ALICE], 1000 * TEER - 100);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_false(fx_exists(&f, f.acc[BOB]));
    assert_true(fx_issuance(&f) == ti - 100); /* DustRemoval = () burns the dust */
    const uint8_t ev[][2] = {{RT_PALLET_SYSTEM, 4},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_DUST_LOST},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_TRANSFER}};
    fx_expect_events(&f, ev, 3);
    fx_teardown(&f);
}

static void test_transfer_all(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    fx_call_begin(&f.call, RT_PALLET_BALANCES, 4);
    fx_put_id(&f.call, f.acc[CHARLIE]);
    assert_int_equal(scale_put_bool(&f.call, true), ITEE_OK);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[BOB]) == PALLET_BALANCES_ED);
    assert_true(fx_free(&f, f.acc[CHARLIE]) == 2000 * TEER - PALLET_BALANCES_ED);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_BALANCES, 4);
    fx_put_id(&f.call, f.acc[CHARLIE]);
    assert_int_equal(scale_put_bool(&f.call, false), ITEE_OK);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_false(fx_exists(&f, f.acc[BOB]));
    assert_true(fx_free(&f, f.acc[CHARLIE]) == 2000 * TEER);
    fx_teardown(&f);
}

static void test_force_set_balance_and_issuance(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    itee_u128 ti = fx_issuance(&f);
    fx_call_begin(&f.call, RT_PALLET_BALANCES, 8);
    fx_put_id(&f.call, f.nobody);
    fx_put_compact(&f.call, 5 * TEER);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.nobody) == 5 * TEER);
    assert_true(fx_issuance(&f) == ti + 5 * TEER);
    assert_true(fx_find_event(&f, RT_PALLET_BALANCES, PALLET_BALANCES_EV_BALANCE_SET, 0) >= 0);
    /* setting below the ED wipes the account and lowers the issuance */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_BALANCES, 8);
    fx_put_id(&f.call, f.nobody);
    fx_put_compact(&f.call, 1);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    assert_false(fx_exists(&f, f.nobody));
    assert_true(fx_issuance(&f) == ti);
    fx_teardown(&f);
}

static void test_reserve_errors_and_refcounts(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_post p = {.ok = true};
    assert_int_equal(pallet_balances_reserve(&f.ctx, f.acc[DAVE], 2000 * TEER, &p), ITEE_OK);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_MODULE);
    assert_int_equal(p.err.index, 10);
    assert_int_equal(p.err.error[0], PALLET_BALANCES_ERR_INSUFFICIENT_BALANCE);
    p.ok = true;
    assert_int_equal(pallet_balances_reserve(&f.ctx, f.acc[DAVE], 100 * TEER, &p), ITEE_OK);
    assert_true(p.ok);
    struct pallet_system_account a = fx_account(&f, f.acc[DAVE]);
    assert_true(a.reserved == 100 * TEER && a.free == 900 * TEER);
    assert_int_equal(a.consumers, 1);
    /* with a consumer, the account cannot be reaped: allow_death of everything is Frozen */
    fx_transfer(&f.call, 0, f.acc[ALICE], 900 * TEER);
    struct rt_origin dave = fx_signed(f.acc[DAVE]);
    p = fx_dispatch(&f, &dave);
    struct rt_derr want = rt_derr_token(RT_TOKEN_FROZEN);
    assert_false(p.ok);
    assert_true(rt_derr_eq(&p.err, &want));
    itee_u128 rem;
    assert_int_equal(pallet_balances_unreserve(&f.ctx, f.acc[DAVE], 200 * TEER, &rem), ITEE_OK);
    assert_true(rem == 100 * TEER);
    a = fx_account(&f, f.acc[DAVE]);
    assert_true(a.reserved == 0 && a.free == 1000 * TEER);
    assert_int_equal(a.consumers, 0);
    fx_teardown(&f);
}

static void test_undecodable_calls(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    const uint8_t bad[][4] = {{10, 1, 0, 0}, {10, 0, 9, 0}, {99, 0, 0, 0}};
    for (size_t i = 0; i < 3; i++) {
        struct scale_reader r;
        struct rt_info info;
        struct rt_post post;
        scale_reader_init(&r, bad[i], 4);
        assert_int_not_equal(rt_exec_call(&f.ctx, &alice, &r, true, &info, &post), ITEE_OK);
    }
    /* truncated compact */
    fx_call_begin(&f.call, RT_PALLET_BALANCES, 0);
    fx_put_id(&f.call, f.nobody);
    struct rt_info info;
    assert_int_not_equal(rt_exec_call_info(&f.ctx, f.call.ptr, f.call.len, &info), ITEE_OK);
    assert_int_equal(rt_state_overlay_len(f.st), 0);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfer_to_new_account),
        cmocka_unit_test(test_insufficient_balance_rolls_back),
        cmocka_unit_test(test_existential_deposit_rules),
        cmocka_unit_test(test_allow_death_reaps_and_burns_dust),
        cmocka_unit_test(test_transfer_all),
        cmocka_unit_test(test_force_set_balance_and_issuance),
        cmocka_unit_test(test_reserve_errors_and_refcounts),
        cmocka_unit_test(test_undecodable_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
