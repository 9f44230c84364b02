/*
 * test_pallet_proxy.c - add_proxy (deposit reserved, ProxyAdded, storage layout), proxy calls
 * with Any and NonTransfer (CallFiltered inside ProxyExecuted), errors, remove_proxy,
 * announcements (announce, proxy_announced after the delay, remove / reject) and pure proxies.
 */
#include "rt_fixture.h"

#include "crypto/hash.h"
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

/* announce / remove_announcement / reject_announcement(acc, call_hash). */
static void put_ann_call(struct itee_buf *b, uint8_t call, const uint8_t *acc,
                         const uint8_t hash[32])
{
    fx_call_begin(b, RT_PALLET_PROXY, call);
    fx_put_id(b, acc);
    assert_int_equal(scale_put_bytes(b, hash, 32), ITEE_OK);
}

static void test_delay_announce_and_proxy_announced(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_origin eve = fx_signed(f.acc[EVE]);
    put_def_call(&f.call, 1, f.acc[BOB], PALLET_PROXY_ANY, 10);
    assert_true(fx_dispatch(&f, &alice).ok);
    /* a delayed proxy cannot call directly */
    itee_buf_reset(&f.call);
    put_proxy_transfer(&f.call, f.acc[ALICE], f.acc[CHARLIE], TEER);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_UNANNOUNCED);
    /* the inner call and its hash */
    struct itee_buf inner;
    itee_buf_init(&inner, 0);
    fx_transfer(&inner, 3, f.acc[CHARLIE], TEER);
    uint8_t h[32];
    hash_blake2_256(h, inner.ptr, inner.len);
    /* only a proxy of real may announce */
    itee_buf_reset(&f.call);
    put_ann_call(&f.call, 6, f.acc[ALICE], h);
    p = fx_dispatch(&f, &eve);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_NOT_PROXY);
    f.ctx.number = 100;
    rt_ctx_events_clear(&f.ctx);
    itee_buf_reset(&f.call);
    put_ann_call(&f.call, 6, f.acc[ALICE], h);
    assert_true(fx_dispatch(&f, &bob).ok);
    const itee_u128 adep =
        PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_BASE + PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_FACTOR;
    assert_true(fx_account(&f, f.acc[BOB]).reserved == adep);
    long i = fx_find_event(&f, RT_PALLET_PROXY, 2, 0);
    assert_true(i >= 0);
    assert_memory_equal(f.ctx.events[i].bytes + 2, f.acc[ALICE], 32);
    assert_memory_equal(f.ctx.events[i].bytes + 34, f.acc[BOB], 32);
    assert_memory_equal(f.ctx.events[i].bytes + 66, h, 32);
    struct pallet_proxy_announcement anns[PALLET_PROXY_MAX_PENDING];
    size_t n;
    itee_u128 dep;
    assert_int_equal(pallet_proxy_announcements_get(&f.ctx, f.acc[BOB], anns, &n, &dep), ITEE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(anns[0].height, 100);
    assert_true(dep == adep);
    /* proxy_announced(delegate, real, None, call) before the delay: Unannounced */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_PROXY, 9);
    fx_put_id(&f.call, f.acc[BOB]);
    fx_put_id(&f.call, f.acc[ALICE]);
    assert_int_equal(scale_put_option(&f.call, false), ITEE_OK);
    assert_int_equal(itee_buf_append(&f.call, inner.ptr, inner.len), ITEE_OK);
    f.ctx.number = 109;
    p = fx_dispatch(&f, &eve);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_UNANNOUNCED);
    /* after it anyone may execute it; the announcement and its deposit go */
    f.ctx.number = 110;
    itee_u128 charlie = fx_free(&f, f.acc[CHARLIE]);
    rt_ctx_events_clear(&f.ctx);
    p = fx_dispatch(&f, &eve);
    assert_true(p.ok);
    assert_true(fx_free(&f, f.acc[CHARLIE]) == charlie + TEER);
    assert_true(fx_account(&f, f.acc[BOB]).reserved == 0);
    assert_true(fx_find_event(&f, RT_PALLET_PROXY, 0, 0) >= 0);
    assert_int_equal(pallet_proxy_announcements_get(&f.ctx, f.acc[BOB], anns, &n, &dep), ITEE_OK);
    assert_int_equal(n, 0);
    /* and only once */
    p = fx_dispatch(&f, &eve);
    assert_false(p.ok);
    /* remove_announcement by the delegate, reject_announcement by the real account */
    itee_buf_reset(&f.call);
    put_ann_call(&f.call, 6, f.acc[ALICE], h);
    assert_true(fx_dispatch(&f, &bob).ok);
    itee_buf_reset(&f.call);
    put_ann_call(&f.call, 7, f.acc[ALICE], h);
    assert_true(fx_dispatch(&f, &bob).ok);
    assert_true(fx_account(&f, f.acc[BOB]).reserved == 0);
    p = fx_dispatch(&f, &bob);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_NOT_FOUND);
    itee_buf_reset(&f.call);
    put_ann_call(&f.call, 6, f.acc[ALICE], h);
    assert_true(fx_dispatch(&f, &bob).ok);
    itee_buf_reset(&f.call);
    put_ann_call(&f.call, 8, f.acc[BOB], h);
    assert_true(fx_dispatch(&f, &alice).ok);
    assert_true(fx_account(&f, f.acc[BOB]).reserved == 0);
    itee_buf_free(&inner);
    fx_teardown(&f);
}

static void test_pure_create_and_kill(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    f.ctx.number = 7;
    f.ctx.ext_index = 2;
    fx_call_begin(&f.call, RT_PALLET_PROXY, 4);
    assert_int_equal(scale_put_u8(&f.call, PALLET_PROXY_ANY), ITEE_OK);
    assert_int_equal(scale_put_u32(&f.call, 0), ITEE_OK);
    assert_int_equal(scale_put_u16(&f.call, 0), ITEE_OK);
    assert_true(fx_dispatch(&f, &alice).ok);
    uint8_t pure[32];
    pallet_proxy_pure_account(pure, f.acc[ALICE], PALLET_PROXY_ANY, 0, 7, 2);
    long i = fx_find_event(&f, RT_PALLET_PROXY, 1, 0);
    assert_true(i >= 0);
    assert_memory_equal(f.ctx.events[i].bytes + 2, pure, 32);
    const itee_u128 dep = PALLET_PROXY_DEPOSIT_BASE + PALLET_PROXY_DEPOSIT_FACTOR;
    assert_true(fx_account(&f, f.acc[ALICE]).reserved == dep);
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
    size_t n;
    itee_u128 stored;
    assert_int_equal(pallet_proxy_get(&f.ctx, pure, defs, &n, &stored), ITEE_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(defs[0].delegate, f.acc[ALICE], 32);
    /* same parameters in the same extrinsic: Duplicate */
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_DUPLICATE);
    /* kill_pure from the pure account with the wrong height: NoPermission; right: gone */
    struct rt_origin po = fx_signed(pure);
    for (uint32_t height = 6; height <= 7; height++) {
        itee_buf_reset(&f.call);
        fx_call_begin(&f.call, RT_PALLET_PROXY, 5);
        fx_put_id(&f.call, f.acc[ALICE]);
        assert_int_equal(scale_put_u8(&f.call, PALLET_PROXY_ANY), ITEE_OK);
        assert_int_equal(scale_put_u16(&f.call, 0), ITEE_OK);
        fx_put_compact(&f.call, height);
        fx_put_compact(&f.call, 2);
        p = fx_dispatch(&f, &po);
        if (height == 6) {
            assert_false(p.ok);
            assert_int_equal(p.err.error[0], PALLET_PROXY_ERR_NO_PERMISSION);
        } else {
            assert_true(p.ok);
        }
    }
    assert_true(fx_account(&f, f.acc[ALICE]).reserved == 0);
    assert_int_equal(pallet_proxy_get(&f.ctx, pure, defs, &n, &stored), ITEE_OK);
    assert_int_equal(n, 0);
    /* truncated arguments are a decoding error, not a dispatch */
    const uint8_t bad[] = {RT_PALLET_PROXY, 6, 0};
    struct rt_info info;
    assert_int_not_equal(rt_exec_call_info(&f.ctx, bad, sizeof(bad), &info), ITEE_OK);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_use_any_proxy),
        cmocka_unit_test(test_non_transfer_proxy_is_filtered),
        cmocka_unit_test(test_delay_announce_and_proxy_announced),
        cmocka_unit_test(test_pure_create_and_kill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
