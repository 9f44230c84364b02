/*
 * test_pallet_utility.c - batch (interrupt keeps earlier calls), batch_all (all or nothing),
 * force_batch (ItemFailed), nested batch_all filtered, as_derivative.
 */
#include "rt_fixture.h"

#include "node/runtime/pallet_utility.h"

/* Utility.<mode>([transfer 1 TEER to Bob, transfer 5000 TEER to Bob, transfer 1 TEER]). */
static void put_batch(struct fx *f, uint8_t mode)
{
    fx_call_begin(&f->call, RT_PALLET_UTILITY, mode);
    assert_int_equal(scale_put_compact(&f->call, 3), ITEE_OK);
    fx_transfer(&f->call, 0, f->acc[BOB], TEER);
    fx_transfer(&f->call, 0, f->acc[BOB], 5000 * TEER);
    fx_transfer(&f->call, 0, f->acc[BOB], TEER);
}

static void test_batch_interrupts(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    put_batch(&f, 0);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[BOB]) == 1001 * TEER);
    const uint8_t ev[][2] = {{RT_PALLET_BALANCES, PALLET_BALANCES_EV_TRANSFER},
                             {RT_PALLET_UTILITY, 3},
                             {RT_PALLET_UTILITY, 0}};
    fx_expect_events(&f, ev, 3);
    /* BatchInterrupted{index: 1, error: Token(FundsUnavailable)} */
    const uint8_t want[] = {RT_PALLET_UTILITY, 0, 1, 0, 0, 0, 7, 0};
    assert_int_equal(f.ctx.events[2].len, sizeof(want));
    assert_memory_equal(f.ctx.events[2].bytes, want, sizeof(want));
    fx_teardown(&f);
}

static void test_batch_all_is_atomic(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    put_batch(&f, 2);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    struct rt_derr want = rt_derr_token(RT_TOKEN_FUNDS_UNAVAILABLE);
    assert_true(rt_derr_eq(&p.err, &want));
    assert_true(fx_free(&f, f.acc[BOB]) == 1000 * TEER);
    assert_int_equal(f.ctx.n_events, 0);
    assert_int_equal(rt_state_overlay_len(f.st), 0);
    fx_teardown(&f);
}

static void test_force_batch(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    put_batch(&f, 4);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[BOB]) == 1002 * TEER);
    const uint8_t ev[][2] = {{RT_PALLET_BALANCES, PALLET_BALANCES_EV_TRANSFER},
                             {RT_PALLET_UTILITY, 3},
                             {RT_PALLET_UTILITY, 4},
                             {RT_PALLET_BALANCES, PALLET_BALANCES_EV_TRANSFER},
                             {RT_PALLET_UTILITY, 3},
                             {RT_PALLET_UTILITY, 2}};
    fx_expect_events(&f, ev, 6);
    fx_teardown(&f);
}

static void test_nested_batch_all_filtered(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    fx_call_begin(&f.call, RT_PALLET_UTILITY, 2);
    assert_int_equal(scale_put_compact(&f.call, 1), ITEE_OK);
    fx_call_begin(&f.call, RT_PALLET_UTILITY, 2);
    assert_int_equal(scale_put_compact(&f.call, 0), ITEE_OK);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    struct rt_derr want = rt_derr_module(RT_PALLET_SYSTEM, PALLET_SYSTEM_ERR_CALL_FILTERED);
    assert_true(rt_derr_eq(&p.err, &want));
    /* Root bypasses filters */
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    fx_teardown(&f);
}

static void test_as_derivative(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    uint8_t deriv[32];
    pallet_utility_derivative_account(deriv, f.acc[ALICE], 0);
    struct rt_post p = {.ok = true};
    assert_int_equal(pallet_balances_transfer(&f.ctx, f.acc[ALICE], deriv, 10 * TEER,
                                              PALLET_BALANCES_EXPENDABLE, &p),
                     ITEE_OK);
    assert_true(p.ok);
    fx_call_begin(&f.call, RT_PALLET_UTILITY, 1);
    assert_int_equal(scale_put_u16(&f.call, 0), ITEE_OK);
    fx_transfer(&f.call, 0, f.acc[BOB], 3 * TEER);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, deriv) == 7 * TEER);
    assert_true(fx_free(&f, f.acc[BOB]) == 1003 * TEER);
    fx_teardown(&f);
}

/* dispatch_as(system(Signed(Bob)), System.remark_with_event(0xab)): Root only. */
static void test_dispatch_as(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    fx_call_begin(&f.call, RT_PALLET_UTILITY, 3);
    assert_int_equal(scale_put_u8(&f.call, 0), ITEE_OK); /* OriginCaller::system */
    assert_int_equal(scale_put_u8(&f.call, 1), ITEE_OK); /* RawOrigin::Signed */
    assert_int_equal(scale_put_bytes(&f.call, f.acc[BOB], 32), ITEE_OK);
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 7);
    assert_int_equal(scale_put_compact(&f.call, 1), ITEE_OK);
    assert_int_equal(scale_put_u8(&f.call, 0xab), ITEE_OK);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    assert_int_equal(f.ctx.n_events, 0);
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    long r = fx_find_event(&f, RT_PALLET_SYSTEM, 5, 0);
    assert_true(r >= 0);
    assert_memory_equal(f.ctx.events[r].bytes + 2, f.acc[BOB], 32);
    long d = fx_find_event(&f, RT_PALLET_UTILITY, 5, 0);
    assert_true(d > r);
    assert_int_equal(f.ctx.events[d].len, 3);
    assert_int_equal(f.ctx.events[d].bytes[2], 0); /* Ok(()) */
    /* an inner failure is reported in DispatchedAs, the outer call succeeds */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_UTILITY, 3);
    assert_int_equal(scale_put_u8(&f.call, 0), ITEE_OK);
    assert_int_equal(scale_put_u8(&f.call, 2), ITEE_OK); /* RawOrigin::None */
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 7);
    assert_int_equal(scale_put_compact(&f.call, 0), ITEE_OK);
    rt_ctx_events_clear(&f.ctx);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    d = fx_find_event(&f, RT_PALLET_UTILITY, 5, 0);
    assert_true(d >= 0);
    assert_int_equal(f.ctx.events[d].bytes[2], 1); /* Err(BadOrigin) */
    assert_int_equal(f.ctx.events[d].bytes[3], RT_DERR_BAD_ORIGIN);
    /* Void and unknown callers do not decode */
    const uint8_t bad[][5] = {{RT_PALLET_UTILITY, 3, 1, 0, 0}, {RT_PALLET_UTILITY, 3, 0, 3, 0}};
    struct rt_info info;
    for (size_t i = 0; i < 2; i++)
        assert_int_not_equal(rt_exec_call_info(&f.ctx, bad[i], 5, &info), ITEE_OK);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_interrupts), cmocka_unit_test(test_batch_all_is_atomic),
        cmocka_unit_test(test_force_batch),      cmocka_unit_test(test_nested_batch_all_filtered),
        cmocka_unit_test(test_as_derivative),    cmocka_unit_test(test_dispatch_as),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
