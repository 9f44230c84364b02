/*
 * test_pallet_proxy.c - add_proxy (deposit reserved, ProxyAdded, storage layout), proxy calls
 * with Any and NonTransfer (CallFiltered inside ProxyExecuted), errors, remove_proxy.
 */
#include "rt_fixture.h"

#include "node/runtime/pallet_proxy.h"

static void put_def_call(struct itee_buf *b, uint8_t call, const uint8_t *delegate, uint8_t type,
                         uint32_t delay)
{
    fx_call_begin(b, RT_PALLET_PROXY, call);
    fx_put_id(b, delegate);
    assert_int_equal(scale_put_u8(b, type), ITEE_OK);
    assert_int_equal(scale_put_u32(b, delay), ITEE_OK);
}

/* Proxy.proxy(real, force: None, Balances.transfer_keep_alive(dest, value)). */
static void put_proxy_transfer(struct itee_buf *b, const uint8_t *real, const uint8_t *dest,
                               itee_u128 value)
{
    fx_call_begin(b, RT_PALLET_PROXY, 0);
    fx_put_id(b, real);
    assert_int_equal(scale_put_option(b, false), ITEE_OK);
    fx_transfer(b, 3, dest, value);
}

static void test_add_and_use_any_proxy(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    put_def_call(&f.call, 1, f.acc[BOB], PALLET_PROXY_ANY, 0);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    const itee_u128 dep = PALLET_PROXY_DEPOSIT_BASE + PALLET_PROXY_DEPOSIT_FACTOR;
    struct pallet_system_account a = fx_account(&f, f.acc[ALICE]);
    assert_true(a.reserved == dep);
    assert_true(a.free == 1000 * TEER - dep);
    const uint8_t ev[][2] = {{RT_PALLET_BALANCES, PALLET_BALANCES_EV_RESERVED},
                             {RT_PALLET_PROXY, 3}};
    fx_expect_events(&f, ev, 2);
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
    size_t n;
    itee_u128 stored;
    assert_int_equal(pallet_proxy_get(&f.ctx, f.acc[ALICE], defs, &n, &stored), ITEE_OK);
    assert_int_equal(n, 1);
    assert_true(stored == dep);
    assert_memory_equal(defs[0].delegate, f.acc[BOB], 32);
    /* duplicate and self-proxy */
    p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_DUPLICATE);
    itee_buf_reset(&f.call);
    put_def_call(&f.call, 1, f.acc[ALICE], PALLET_PROXY_ANY, 0);
    p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.index, RT_PALLET_PROXY);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_NO_SELF_PROXY);
    /* Bob moves Alice's funds */
    rt_ctx_events_clear(&f.ctx);
    itee_buf_reset(&f.call);
    put_proxy_transfer(&f.call, f.acc[ALICE], f.acc[CHARLIE], 2 * TEER);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[CHARLIE]) == 1002 * TEER);
    long i = fx_find_event(&f, RT_PALLET_PROXY, 0, 0);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 3);
    assert_int_equal(f.ctx.events[i].bytes[2], 0); /* Ok */
    /* Charlie is not a proxy of Alice */
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    p = fx_dispatch(&f, &charlie);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_NOT_PROXY);
    /* remove_proxy unreserves and clears storage */
    itee_buf_reset(&f.call);
    put_def_call(&f.call, 2, f.acc[BOB], PALLET_PROXY_ANY, 0);
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_account(&f, f.acc[ALICE]).reserved == 0);
    assert_int_equal(pallet_proxy_get(&f.ctx, f.acc[ALICE], defs, &n, &stored), ITEE_OK);
    assert_int_equal(n, 0);
    p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_NOT_FOUND);
    fx_teardown(&f);
}

static void test_non_transfer_proxy_is_filtered(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    put_def_call(&f.call, 1, f.acc[BOB], PALLET_PROXY_NON_TRANSFER, 0);
    assert_true(fx_dispatch(&f, &alice).ok);
    rt_ctx_events_clear(&f.ctx);
    itee_buf_reset(&f.call);
    put_proxy_transfer(&f.call, f.acc[ALICE], f.acc[CHARLIE], TEER);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_true(p.ok); /* the proxy call succeeds, its result carries the error */
    assert_true(fx_free(&f, f.acc[CHARLIE]) == 1000 * TEER);
    assert_int_equal(f.ctx.n_events, 1);
    const uint8_t want[] = {RT_PALLET_PROXY, 0, 1, RT_DERR_MODULE, 0, 5, 0, 0, 0};
    assert_int_equal(f.ctx.events[0].len, sizeof(want));
    assert_memory_equal(f.ctx.events[0].bytes, want, sizeof(want));
    /* a System.remark_with_event passes the NonTransfer filter and is sent by Alice */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_PROXY, 0);
    fx_put_id(&f.call, f.acc[ALICE]);
    assert_int_equal(scale_put_option(&f.call, true), ITEE_OK);
    assert_int_equal(scale_put_u8(&f.call, PALLET_PROXY_NON_TRANSFER), ITEE_OK);
    fx_call_begin(&f.call, RT_PALLET_SYSTEM, 7);
    assert_int_equal(scale_put_vec_u8(&f.call, (const uint8_t *)"hi", 2), ITEE_OK);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    long i = fx_find_event(&f, RT_PALLET_SYSTEM, 5, 0);
    assert_true(i >= 0);
    assert_memory_equal(f.ctx.events[i].bytes + 2, f.acc[ALICE], 32);
    /* NonTransfer may not add an Any proxy */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_PROXY, 0);
    fx_put_id(&f.call, f.acc[ALICE]);
    assert_int_equal(scale_put_option(&f.call, false), ITEE_OK);
    put_def_call(&f.call, 1, f.acc[DAVE], PALLET_PROXY_ANY, 0);
    rt_ctx_events_clear(&f.ctx);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, 1);
    assert_memory_equal(f.ctx.events[0].bytes, want, sizeof(want));
    fx_teardown(&f);
}

static void test_delay_and_unsupported(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    put_def_call(&f.call, 1, f.acc[BOB], PALLET_PROXY_ANY, 10);
    assert_true(fx_dispatch(&f, &alice).ok);
    itee_buf_reset(&f.call);
    put_proxy_transfer(&f.call, f.acc[ALICE], f.acc[CHARLIE], TEER);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_UNANNOUNCED);
    /* create_pure is refused as an invalid call rather than faked */
    const uint8_t pure[] = {RT_PALLET_PROXY, 4, 0, 0, 0, 0, 0, 0, 0};
    struct rt_info info;
    assert_int_equal(rt_exec_call_info(&f.ctx, pure, sizeof(pure), &info), ITEE_ERR_UNSUPPORTED);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_use_any_proxy),
        cmocka_unit_test(test_non_transfer_proxy_is_filtered),
        cmocka_unit_test(test_delay_and_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
