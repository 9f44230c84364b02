/*
 * test_pallet_teerex.c - Teerex: skip-RA registration (sovereign and proxied) with the exact
 * storage bytes under the spec's key prefixes, the AddedSgxEnclave event, refusal of IAS /
 * DCAP / collateral registration, length limits, the security flags (Root only), and the
 * 48 h renewal period of the unregister calls.
 */
#include "rt_fixture.h"

#include "common/hex.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_teerex.h"

#define T0 1700000000000ULL

static void set_now(struct fx *f, uint64_t ms)
{
    uint8_t key[32], v[8];
    rt_state_key_value(key, "Timestamp", "Now");
    for (int i = 0; i < 8; i++)
        v[i] = (uint8_t)(ms >> (8 * i));
    assert_int_equal(rt_state_set(f->st, key, 32, v, 8), ITEE_OK);
}

/* Reads key (prefix hex || Blake2_128Concat(k)). Returns: found; value in v. */
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

#define SOVEREIGN "d4907aad4a0ea0b2bdacc420d36be978076919f9acc01e6f59369d3a394747ac"
#define PROXIED   "d4907aad4a0ea0b2bdacc420d36be978e1d42baa2f7475cecc12ce7ae037f56e"

static const char URL[] = "wss://worker.example:2000";

/* register_sgx_enclave(proof, Some(URL) or None, method{proxied}). */
static void put_register(struct fx *f, const uint8_t *proof, size_t proof_len, size_t url_len,
                         uint8_t method, bool proxied)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_TEEREX, 0);
    assert_int_equal(scale_put_vec_u8(&f->call, proof, proof_len), ITEE_OK);
    assert_int_equal(scale_put_option(&f->call, url_len > 0), ITEE_OK);
    if (url_len > 0) {
        uint8_t url[300];
        memset(url, 'a', sizeof(url));
        memcpy(url, URL, url_len < strlen(URL) ? url_len : strlen(URL));
        assert_int_equal(scale_put_vec_u8(&f->call, url, url_len), ITEE_OK);
    }
    assert_int_equal(scale_put_u8(&f->call, method), ITEE_OK);
    if (method != 1)
        assert_int_equal(scale_put_bool(&f->call, proxied), ITEE_OK);
}

static void expect_err(const struct rt_post *p, uint8_t pallet, uint8_t e)
{
    assert_false(p->ok);
    struct rt_derr want = rt_derr_module(pallet, e);
    assert_true(rt_derr_eq(&p->err, &want));
}

static void test_register_skip_sovereign(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    set_now(&f, T0);
    uint8_t mr[32];
    memset(mr, 0x11, 32);
    put_register(&f, mr, 32, strlen(URL), 0, false);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_post p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    /* storage: MultiEnclave::Sgx{report_data: bob || 0*32, mr, 0*32, T0, Some(url),
     * Production, Skip{false}, Invalid} */
    struct itee_buf want, v;
    itee_buf_init(&want, 0);
    itee_buf_init(&v, 0);
    uint8_t zero[32] = {0};
    assert_int_equal(scale_put_u8(&want, 0), ITEE_OK);
    assert_int_equal(scale_put_bytes(&want, f.acc[BOB], 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&want, zero, 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&want, mr, 32), ITEE_OK);
    assert_int_equal(scale_put_bytes(&want, zero, 32), ITEE_OK);
    assert_int_equal(scale_put_u64(&want, T0), ITEE_OK);
    assert_int_equal(scale_put_u8(&want, 1), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&want, (const uint8_t *)URL, strlen(URL)), ITEE_OK);
    const uint8_t tail[] = {1, 0, 0, 0};
    assert_int_equal(scale_put_bytes(&want, tail, sizeof(tail)), ITEE_OK);
    assert_true(read_map(&f, SOVEREIGN, f.acc[BOB], 32, &v));
    assert_int_equal(v.len, want.len);
    assert_int_equal(v.len, 1 + 64 + 32 + 32 + 8 + 1 + 1 + strlen(URL) + 1 + 2 + 1);
    assert_memory_equal(v.ptr, want.ptr, want.len);
    /* the public accessor agrees */
    struct pallet_teerex_enclave e;
    assert_int_equal(pallet_teerex_require_sovereign(&f.ctx, f.acc[BOB], &e, &p), ITEE_OK);
    assert_true(p.ok);
    assert_memory_equal(e.mr_enclave, mr, 32);
    assert_true(e.timestamp == T0);
    /* event AddedSgxEnclave{bob, Some(url), Some(Invalid), Skip{false}} */
    assert_int_equal(f.ctx.n_events, 1);
    itee_buf_reset(&want);
    const uint8_t head[] = {RT_PALLET_TEEREX, 0};
    assert_int_equal(scale_put_bytes(&want, head, 2), ITEE_OK);
    assert_int_equal(scale_put_bytes(&want, f.acc[BOB], 32), ITEE_OK);
    assert_int_equal(scale_put_u8(&want, 1), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&want, (const uint8_t *)URL, strlen(URL)), ITEE_OK);
    const uint8_t ev_tail[] = {1, 0, 0, 0};
    assert_int_equal(scale_put_bytes(&want, ev_tail, sizeof(ev_tail)), ITEE_OK);
    assert_int_equal(f.ctx.events[0].len, want.len);
    assert_memory_equal(f.ctx.events[0].bytes, want.ptr, want.len);
    /* re-registration (renewal) overwrites: new time, no URL, short proof -> zero MRENCLAVE */
    set_now(&f, T0 + 5);
    put_register(&f, mr, 31, 0, 0, false);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_int_equal(pallet_teerex_require_sovereign(&f.ctx, f.acc[BOB], &e, &p), ITEE_OK);
    assert_memory_equal(e.mr_enclave, zero, 32);
    assert_false(e.has_url);
    assert_true(e.timestamp == T0 + 5);
    const uint8_t ev2[] = {RT_PALLET_TEEREX, 0};
    assert_memory_equal(f.ctx.events[1].bytes, ev2, 2);
    assert_int_equal(f.ctx.events[1].len, 2 + 32 + 1 + 4);
    itee_buf_free(&want);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_register_skip_proxied(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    set_now(&f, T0);
    uint8_t mr[32];
    memset(mr, 0x22, 32);
    put_register(&f, mr, 32, 0, 0, true);
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    struct rt_post p = fx_dispatch(&f, &charlie);
    assert_true(p.ok);
    /* key = EnclaveInstanceAddress{mr, charlie, Opaque(charlie || 0*32 || 0 0)} */
    uint8_t addr[133];
    memset(addr, 0, sizeof(addr));
    memcpy(addr, mr, 32);
    memcpy(addr + 32, f.acc[CHARLIE], 32);
    addr[64] = 0;
    addr[65] = 0x09;
    addr[66] = 0x01;
    memcpy(addr + 67, f.acc[CHARLIE], 32);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_map(&f, PROXIED, addr, sizeof(addr), &v));
    assert_int_equal(v.len, 1 + 64 + 32 + 32 + 8 + 1 + 1 + 2 + 1);
    assert_int_equal(v.ptr[v.len - 3], 0); /* Skip */
    assert_int_equal(v.ptr[v.len - 2], 1); /* proxied: true */
    assert_false(read_map(&f, SOVEREIGN, f.acc[CHARLIE], 32, &v));
    /* unregister: not before the renewal period has passed */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEEREX, 2);
    assert_int_equal(scale_put_bytes(&f.call, addr, sizeof(addr)), ITEE_OK);
    struct rt_origin dave = fx_signed(f.acc[DAVE]);
    set_now(&f, T0 + PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD);
    p = fx_dispatch(&f, &dave);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_UNREGISTER_ACTIVE_ENCLAVE_IS_NOT_ALLOWED);
    set_now(&f, T0 + PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD + 1);
    p = fx_dispatch(&f, &dave);
    assert_true(p.ok);
    assert_false(read_map(&f, PROXIED, addr, sizeof(addr), &v));
    long i = fx_find_event(&f, RT_PALLET_TEEREX, PALLET_TEEREX_EV_REMOVED_PROXIED_ENCLAVE, 0);
    assert_true(i >= 0);
    assert_int_equal(f.ctx.events[i].len, 2 + sizeof(addr));
    assert_memory_equal(f.ctx.events[i].bytes + 2, addr, sizeof(addr));
    /* gone now */
    p = fx_dispatch(&f, &dave);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    /* an AnySigner with a bad variant / an over-long Opaque does not decode */
    struct scale_reader r;
    struct rt_info info;
    addr[64] = 2;
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEEREX, 2);
    assert_int_equal(scale_put_bytes(&f.call, addr, sizeof(addr)), ITEE_OK);
    scale_reader_init(&r, f.call.ptr, f.call.len);
    assert_int_not_equal(rt_exec_call(&f.ctx, &dave, &r, true, &info, &p), ITEE_OK);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEEREX, 2);
    assert_int_equal(scale_put_bytes(&f.call, addr, 64), ITEE_OK);
    uint8_t long_opaque[67] = {0};
    assert_int_equal(scale_put_u8(&f.call, 0), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&f.call, long_opaque, 67), ITEE_OK);
    scale_reader_init(&r, f.call.ptr, f.call.len);
    assert_int_equal(rt_exec_call(&f.ctx, &dave, &r, true, &info, &p), ITEE_ERR_SCALE_LENGTH);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_unregister_sovereign_renewal(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_origin eve = fx_signed(f.acc[EVE]);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEEREX, 1);
    assert_int_equal(scale_put_bytes(&f.call, f.acc[BOB], 32), ITEE_OK);
    struct rt_post p = fx_dispatch(&f, &eve);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    set_now(&f, T0);
    uint8_t mr[32];
    memset(mr, 0x33, 32);
    put_register(&f, mr, 32, 4, 0, false);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEEREX, 1);
    assert_int_equal(scale_put_bytes(&f.call, f.acc[BOB], 32), ITEE_OK);
    /* active: registered less than 48 h ago (strict <) */
    set_now(&f, T0 + 1000);
    p = fx_dispatch(&f, &eve);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_UNREGISTER_ACTIVE_ENCLAVE_IS_NOT_ALLOWED);
    set_now(&f, T0 + PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD);
    p = fx_dispatch(&f, &eve);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_UNREGISTER_ACTIVE_ENCLAVE_IS_NOT_ALLOWED);
    /* saturating: with now < period nothing can ever be removed */
    set_now(&f, 5);
    p = fx_dispatch(&f, &eve);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_UNREGISTER_ACTIVE_ENCLAVE_IS_NOT_ALLOWED);
    size_t before = f.ctx.n_events;
    set_now(&f, T0 + PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD + 1);
    p = fx_dispatch(&f, &eve);
    assert_true(p.ok);
    assert_int_equal(f.ctx.n_events, before + 1);
    assert_int_equal(f.ctx.events[before].len, 34);
    assert_int_equal(f.ctx.events[before].bytes[0], RT_PALLET_TEEREX);
    assert_int_equal(f.ctx.events[before].bytes[1], PALLET_TEEREX_EV_REMOVED_SOVEREIGN_ENCLAVE);
    assert_memory_equal(f.ctx.events[before].bytes + 2, f.acc[BOB], 32);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_false(read_map(&f, SOVEREIGN, f.acc[BOB], 32, &v));
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_ias_dcap_refused(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    set_now(&f, T0);
    uint8_t proof[100];
    memset(proof, 0x30, sizeof(proof));
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    const uint8_t methods[][2] = {{1, 0}, {2, 0}, {2, 1}};
    for (size_t i = 0; i < 3; i++) {
        put_register(&f, proof, sizeof(proof), 10, methods[i][0], methods[i][1] != 0);
        struct rt_post p = fx_dispatch(&f, &bob);
        expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_REMOTE_ATTESTATION_VERIFICATION_FAILED);
    }
    /* collateral registration is not supported yet either */
    for (uint8_t call = 3; call <= 4; call++) {
        itee_buf_reset(&f.call);
        fx_call_begin(&f.call, RT_PALLET_TEEREX, call);
        for (int k = 0; k < 3; k++)
            assert_int_equal(scale_put_vec_u8(&f.call, proof, 10), ITEE_OK);
        struct rt_post p = fx_dispatch(&f, &bob);
        expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_COLLATERAL_IS_INVALID);
    }
    assert_int_equal(f.ctx.n_events, 0);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_false(read_map(&f, SOVEREIGN, f.acc[BOB], 32, &v));
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_limits_and_origins(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    set_now(&f, T0);
    static uint8_t proof[PALLET_TEEREX_PROOF_MAX_LEN + 1];
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    put_register(&f, proof, sizeof(proof), 0, 0, false);
    struct rt_post p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_RA_PROOF_IS_TOO_LONG);
    /* length checks come before the method check */
    put_register(&f, proof, sizeof(proof), 0, 1, false);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_RA_PROOF_IS_TOO_LONG);
    put_register(&f, proof, 32, PALLET_TEEREX_URL_MAX_LEN + 1, 0, false);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_URL_IS_TOO_LONG);
    put_register(&f, proof, PALLET_TEEREX_PROOF_MAX_LEN, PALLET_TEEREX_URL_MAX_LEN, 0, false);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    /* Root / None may not register */
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    /* an unknown method variant does not decode */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEEREX, 0);
    assert_int_equal(scale_put_vec_u8(&f.call, proof, 1), ITEE_OK);
    assert_int_equal(scale_put_option(&f.call, false), ITEE_OK);
    assert_int_equal(scale_put_u8(&f.call, 3), ITEE_OK);
    struct scale_reader r;
    struct rt_info info;
    scale_reader_init(&r, f.call.ptr, f.call.len);
    assert_int_equal(rt_exec_call(&f.ctx, &bob, &r, true, &info, &p), ITEE_ERR_SCALE_VARIANT);
    fx_teardown(&f);
}

static void put_flags(struct fx *f, bool skip, bool debug)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_TEEREX, 5);
    assert_int_equal(scale_put_bool(&f->call, skip), ITEE_OK);
    assert_int_equal(scale_put_bool(&f->call, debug), ITEE_OK);
}

static void test_security_flags(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    set_now(&f, T0);
    bool skip, debug;
    /* dev genesis allows skip-RA and debug mode */
    assert_int_equal(pallet_teerex_flags(&f.ctx, &skip, &debug), ITEE_OK);
    assert_true(skip);
    assert_true(debug);
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    put_flags(&f, false, true);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_false(p.ok);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    struct rt_origin root = fx_root();
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    assert_int_equal(pallet_teerex_flags(&f.ctx, &skip, &debug), ITEE_OK);
    assert_false(skip);
    assert_true(debug);
    const uint8_t ev[] = {RT_PALLET_TEEREX, PALLET_TEEREX_EV_UPDATED_SECURITY_FLAGS, 0, 1};
    assert_int_equal(f.ctx.n_events, 1);
    assert_int_equal(f.ctx.events[0].len, sizeof(ev));
    assert_memory_equal(f.ctx.events[0].bytes, ev, sizeof(ev));
    /* storage bytes under the spec's keys */
    uint8_t key[32], want[32];
    struct itee_buf v;
    bool found;
    itee_buf_init(&v, 0);
    assert_int_equal(itee_hex_decode_exact(want, 32,
                                           "d4907aad4a0ea0b2bdacc420d36be978"
                                           "b6f5f51953684b3fa995393be16289a8",
                                           64),
                     ITEE_OK);
    assert_int_equal(rt_state_get(f.st, want, 32, &v, &found), ITEE_OK);
    assert_true(found);
    assert_int_equal(v.len, 1);
    assert_int_equal(v.ptr[0], 0);
    assert_int_equal(itee_hex_decode_exact(key, 32,
                                           "d4907aad4a0ea0b2bdacc420d36be978"
                                           "474f82450bcb80baf240874787857f6d",
                                           64),
                     ITEE_OK);
    assert_int_equal(rt_state_get(f.st, key, 32, &v, &found), ITEE_OK);
    assert_true(found);
    assert_int_equal(v.ptr[0], 1);
    /* skip-RA now refused, nothing stored */
    uint8_t mr[32] = {0};
    put_register(&f, mr, 32, 0, 0, false);
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_SKIPPING_ATTESTATION_IS_NOT_ALLOWED);
    assert_false(read_map(&f, SOVEREIGN, f.acc[BOB], 32, &v));
    put_register(&f, mr, 32, 0, 0, true);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_SKIPPING_ATTESTATION_IS_NOT_ALLOWED);
    /* and allowed again */
    put_flags(&f, true, false);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    put_register(&f, mr, 32, 0, 0, false);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    itee_buf_free(&v);
    fx_teardown(&f);
}

/* Through the executive: the refusal is an ExtrinsicFailed with the decoded module error. */
static void test_ias_via_extrinsic(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    set_now(&f, T0);
    uint8_t proof[64] = {0};
    put_register(&f, proof, sizeof(proof), 0, 1, false);
    struct rt_apply_result res;
    assert_int_equal(rt_exec_apply_signed(&f.ctx, f.acc[BOB], 0, 0, f.call.ptr, f.call.len,
                                          f.call.len + 100, &res),
                     ITEE_OK);
    assert_int_equal(res.validity, RT_VALID);
    assert_false(res.ok);
    struct rt_derr want =
        rt_derr_module(RT_PALLET_TEEREX, PALLET_TEEREX_ERR_REMOTE_ATTESTATION_VERIFICATION_FAILED);
    assert_true(rt_derr_eq(&res.err, &want));
    long i = fx_find_event(&f, RT_PALLET_SYSTEM, 1, 0); /* ExtrinsicFailed */
    assert_true(i >= 0);
    /* DispatchError::Module{index 50, error [2, 0, 0, 0]} right after the header */
    const uint8_t err[] = {RT_DERR_MODULE, RT_PALLET_TEEREX, 2, 0, 0, 0};
    assert_memory_equal(f.ctx.events[i].bytes + 2, err, sizeof(err));
    assert_int_equal(fx_find_event(&f, RT_PALLET_TEEREX, 0, 0), -1);
    assert_true(fx_free(&f, f.acc[BOB]) < 1000 * TEER); /* the fee was paid */
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_skip_sovereign),
        cmocka_unit_test(test_register_skip_proxied),
        cmocka_unit_test(test_unregister_sovereign_renewal),
        cmocka_unit_test(test_ias_dcap_refused),
        cmocka_unit_test(test_limits_and_origins),
        cmocka_unit_test(test_security_flags),
        cmocka_unit_test(test_ias_via_extrinsic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
