/*
 * test_pallet_sudo.c - sudo, sudo_as, set_key, remove_key; RequireSudo; Sudid carries the inner
 * call's DispatchResult and the inner failure is rolled back.
 */
#include "rt_fixture.h"

#include "node/runtime/pallet_sudo.h"

/* Appends Balances.force_set_balance(who, v). */
static void put_force_set(struct itee_buf *b, const uint8_t *who, itee_u128 v)
{
    fx_call_begin(b, RT_PALLET_BALANCES, 8);
    fx_put_id(b, who);
    fx_put_compact(b, v);
}

static void test_sudo_dispatches_as_root(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    fx_call_begin(&f.call, RT_PALLET_SUDO, 0);
    put_force_set(&f.call, f.nobody, 7 * TEER);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_false(p.ok);
    struct rt_derr want = rt_derr_module(RT_PALLET_SUDO, PALLET_SUDO_ERR_REQUIRE_SUDO);
    assert_true(rt_derr_eq(&p.err, &want));
    assert_int_equal(f.ctx.n_events, 0);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_int_equal(p.pays, RT_PAYS_NO);
    assert_true(fx_free(&f, f.nobody) == 7 * TEER);
    long i = fx_find_event(&f, RT_PALLET_SUDO, 0, 0);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 3);
    assert_int_equal(f.ctx.events[i].bytes[2], 0); /* Ok(()) */
    fx_teardown(&f);
}

static void test_sudo_inner_failure(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    /* sudo(transfer_allow_death): Root is a BadOrigin for a transfer */
    fx_call_begin(&f.call, RT_PALLET_SUDO, 0);
    fx_transfer(&f.call, 0, f.acc[BOB], 1);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, 1);
    const uint8_t want[] = {RT_PALLET_SUDO, 0, 1, RT_DERR_BAD_ORIGIN};
    assert_int_equal(f.ctx.events[0].len, sizeof(want));
    assert_memory_equal(f.ctx.events[0].bytes, want, sizeof(want));
    fx_teardown(&f);
}

static void test_sudo_as_and_keys(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    /* sudo_as(Bob, transfer_keep_alive(Charlie, 1 TEER)) */
    fx_call_begin(&f.call, RT_PALLET_SUDO, 3);
    fx_put_id(&f.call, f.acc[BOB]);
    fx_transfer(&f.call, 3, f.acc[CHARLIE], TEER);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[BOB]) == 999 * TEER);
    assert_true(fx_find_event(&f, RT_PALLET_SUDO, 3, 0) >= 0);
    /* set_key(Bob): KeyChanged{old: Some(Alice), new: Bob} */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_SUDO, 2);
    fx_put_id(&f.call, f.acc[BOB]);
    p = fx_dispatch(&f, &alice);
    assert_true(p.ok);
    long i = fx_find_event(&f, RT_PALLET_SUDO, 1, 0);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 2 + 1 + 32 + 32);
    assert_int_equal(f.ctx.events[i].bytes[2], 1);
    assert_memory_equal(f.ctx.events[i].bytes + 3, f.acc[ALICE], 32);
    assert_memory_equal(f.ctx.events[i].bytes + 35, f.acc[BOB], 32);
    uint8_t key[32];
    bool has;
    assert_int_equal(pallet_sudo_key(&f.ctx, key, &has), ITEE_OK);
    assert_true(has);
    assert_memory_equal(key, f.acc[BOB], 32);
    /* Alice is no longer sudo */
    p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    /* remove_key by Bob */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_SUDO, 4);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_int_equal(pallet_sudo_key(&f.ctx, key, &has), ITEE_OK);
    assert_false(has);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sudo_dispatches_as_root),
        cmocka_unit_test(test_sudo_inner_failure),
        cmocka_unit_test(test_sudo_as_and_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
