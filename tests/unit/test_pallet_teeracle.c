/*
 * test_pallet_teeracle.c - Teeracle: Root-only whitelisting by data source + MRENCLAVE (with
 * the Whitelists bytes under the spec key), duplicate / overflow / too-long errors, exchange
 * rate and oracle updates only from registered enclaves whose MRENCLAVE is whitelisted for the
 * source (ExchangeRates / OracleData double-map keys), deletion by None or 0, removal.
 */
#include "rt_fixture.h"

#include "common/hex.h"
#include "crypto/hash.h"
#include "node/runtime/pallet_teeracle.h"
#include "node/runtime/pallet_teerex.h"

#define PREFIX_RATES      "4d6cbe0fe3ebf4d89b66d88d312a0019c632a26a2c9a753e98b73ea912bd735d"
#define PREFIX_ORACLE     "4d6cbe0fe3ebf4d89b66d88d312a0019336b0aa3539ab1c69d8054aae1f71a6c"
#define PREFIX_WHITELISTS "4d6cbe0fe3ebf4d89b66d88d312a0019dec0685d4408b2208918a77ec5e63bdc"

#define X8(b) b, b, b, b, b, b, b, b
static const uint8_t MR[32] = {X8(0x5a), X8(0x5a), X8(0x5a), X8(0x5a)};
static const uint8_t MR2[32] = {X8(0x6b), X8(0x6b), X8(0x6b), X8(0x6b)};

static const char SRC[] = "https://api.coingecko.com";
static const char SRC2[] = "https://coinmarketcap.com/";
static const char PAIR[] = "DOT/USD";

/* Reads prefix || Blake2_128Concat(SCALE(k1)) [|| Blake2_128Concat(SCALE(k2))]. */
static bool read_str_map(struct fx *f, const char *prefix_hex, const char *k1, const char *k2,
                         struct itee_buf *v)
{
    uint8_t prefix[32];
    struct itee_buf key, enc;
    bool found;
    itee_buf_init(&key, 0);
    itee_buf_init(&enc, 0);
    assert_int_equal(itee_hex_decode_exact(prefix, 32, prefix_hex, 64), ITEE_OK);
    assert_int_equal(itee_buf_append(&key, prefix, 32), ITEE_OK);
    assert_int_equal(scale_put_str(&enc, k1, strlen(k1)), ITEE_OK);
    assert_int_equal(hash_storage_append(&key, HASH_STORAGE_BLAKE2_128_CONCAT, enc.ptr, enc.len),
                     ITEE_OK);
    if (k2 != NULL) {
        itee_buf_reset(&enc);
        assert_int_equal(scale_put_str(&enc, k2, strlen(k2)), ITEE_OK);
        assert_int_equal(
            hash_storage_append(&key, HASH_STORAGE_BLAKE2_128_CONCAT, enc.ptr, enc.len), ITEE_OK);
    }
    itee_buf_reset(v);
    assert_int_equal(rt_state_get(f->st, key.ptr, key.len, v, &found), ITEE_OK);
    itee_buf_free(&key);
    itee_buf_free(&enc);
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

static void put_str(struct fx *f, const char *s)
{
    assert_int_equal(scale_put_str(&f->call, s, strlen(s)), ITEE_OK);
}

/* add_to_whitelist (0) / remove_from_whitelist (1)(source, fp) */
static void put_whitelist(struct fx *f, uint8_t call, const char *src, const uint8_t *fp)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_TEERACLE, call);
    put_str(f, src);
    assert_int_equal(scale_put_bytes(&f->call, fp, 32), ITEE_OK);
}

/* update_exchange_rate(source, pair, Some(rate) if has) */
static void put_rate(struct fx *f, const char *src, const char *pair, bool has, uint64_t rate)
{
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_TEERACLE, 3);
    put_str(f, src);
    put_str(f, pair);
    assert_int_equal(scale_put_option(&f->call, has), ITEE_OK);
    if (has)
        assert_int_equal(scale_put_u64(&f->call, rate), ITEE_OK);
}

/* update_oracle(name, source, blob of n bytes) */
static void put_oracle(struct fx *f, const char *name, const char *src, size_t n)
{
    static const uint8_t blob[PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN + 1];
    itee_buf_reset(&f->call);
    fx_call_begin(&f->call, RT_PALLET_TEERACLE, 2);
    put_str(f, name);
    put_str(f, src);
    assert_int_equal(scale_put_vec_u8(&f->call, blob, n), ITEE_OK);
}

static void test_whitelist(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin root = fx_root();
    struct rt_origin alice = fx_signed(f.acc[ALICE]);
    put_whitelist(&f, 0, SRC, MR);
    struct rt_post p = fx_dispatch(&f, &alice);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_str_map(&f, PREFIX_WHITELISTS, SRC, NULL, &v));
    assert_int_equal(v.len, 33);
    assert_int_equal(v.ptr[0], 4);
    assert_memory_equal(v.ptr + 1, MR, 32);
    /* event AddedToWhitelist{data_source, enclave_fingerprint} */
    assert_int_equal(f.ctx.n_events, 1);
    const uint8_t *e = f.ctx.events[0].bytes;
    assert_int_equal(f.ctx.events[0].len, 2 + 1 + strlen(SRC) + 32);
    assert_int_equal(e[1], PALLET_TEERACLE_EV_ADDED_TO_WHITELIST);
    assert_int_equal(e[2], strlen(SRC) << 2);
    assert_memory_equal(e + 3, SRC, strlen(SRC));
    assert_memory_equal(e + 3 + strlen(SRC), MR, 32);
    p = fx_dispatch(&f, &root);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_ALREADY_WHITELISTED);
    /* overflow past MaxWhitelistedReleases */
    for (int k = 1; k <= 10; k++) {
        uint8_t fp[32];
        memset(fp, k, 32);
        put_whitelist(&f, 0, SRC, fp);
        p = fx_dispatch(&f, &root);
        if (k < 10)
            assert_true(p.ok);
        else
            expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_WHITELIST_OVERFLOW);
    }
    /* data source longer than 40 */
    put_whitelist(&f, 0, "https://a-very-long-data-source.example.org/x", MR);
    p = fx_dispatch(&f, &root);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_DATA_SOURCE_STRING_TOO_LONG);
    /* remove */
    put_whitelist(&f, 1, SRC2, MR);
    p = fx_dispatch(&f, &root);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    put_whitelist(&f, 1, SRC, MR);
    p = fx_dispatch(&f, &alice);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    size_t before = f.ctx.n_events;
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    assert_int_equal(f.ctx.events[before].bytes[1], PALLET_TEERACLE_EV_REMOVED_FROM_WHITELIST);
    assert_true(read_str_map(&f, PREFIX_WHITELISTS, SRC, NULL, &v));
    assert_int_equal(v.len, 1 + 9 * 32);
    assert_int_equal(v.ptr[1], 1); /* order kept */
    p = fx_dispatch(&f, &root);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    /* PalletString is Vec<u8> on chain: bytes need not be UTF-8 */
    itee_buf_reset(&f.call);
    fx_call_begin(&f.call, RT_PALLET_TEERACLE, 0);
    const uint8_t bad[] = {0xff, 0xfe};
    assert_int_equal(scale_put_vec_u8(&f.call, bad, 2), ITEE_OK);
    assert_int_equal(scale_put_bytes(&f.call, MR, 32), ITEE_OK);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_exchange_rate(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin root = fx_root();
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    struct rt_origin charlie = fx_signed(f.acc[CHARLIE]);
    const uint64_t rate = (uint64_t)1 << 32 | 0x80000000u; /* 1.5 in U32F32 */
    put_rate(&f, SRC, PAIR, true, rate);
    struct rt_post p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    add_enclave(&f, f.acc[BOB], MR);
    add_enclave(&f, f.acc[CHARLIE], MR2);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    /* trading pair length is checked before the whitelist */
    put_rate(&f, SRC, "DOT/USDT-XYZ", true, rate);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_TRADING_PAIR_STRING_TOO_LONG);
    put_whitelist(&f, 0, SRC, MR);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    size_t before = f.ctx.n_events;
    put_rate(&f, SRC, PAIR, true, rate);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    /* ExchangeRates[(pair, source)] = raw U32F32 bits */
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_str_map(&f, PREFIX_RATES, PAIR, SRC, &v));
    const uint8_t want[] = {0, 0, 0, 0x80, 1, 0, 0, 0};
    assert_int_equal(v.len, 8);
    assert_memory_equal(v.ptr, want, 8);
    /* ExchangeRateUpdated{data_source, trading_pair, exchange_rate} */
    const uint8_t *e = f.ctx.events[before].bytes;
    size_t off = 2;
    assert_int_equal(e[1], PALLET_TEERACLE_EV_EXCHANGE_RATE_UPDATED);
    assert_int_equal(f.ctx.events[before].len, 2 + 1 + strlen(SRC) + 1 + strlen(PAIR) + 8);
    assert_memory_equal(e + off + 1, SRC, strlen(SRC));
    off += 1 + strlen(SRC);
    assert_memory_equal(e + off + 1, PAIR, strlen(PAIR));
    off += 1 + strlen(PAIR);
    assert_memory_equal(e + off, want, 8);
    /* Charlie (MR2) is registered but not whitelisted for SRC */
    p = fx_dispatch(&f, &charlie);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    /* ... nor for another source Bob is not whitelisted for */
    put_rate(&f, SRC2, PAIR, true, rate);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    /* 0 deletes, as does None */
    before = f.ctx.n_events;
    put_rate(&f, SRC, PAIR, true, 0);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_false(read_str_map(&f, PREFIX_RATES, PAIR, SRC, &v));
    assert_int_equal(f.ctx.events[before].bytes[1], PALLET_TEERACLE_EV_EXCHANGE_RATE_DELETED);
    assert_int_equal(f.ctx.events[before].len, 2 + 1 + strlen(SRC) + 1 + strlen(PAIR));
    put_rate(&f, SRC, PAIR, true, rate);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    put_rate(&f, SRC, PAIR, false, 0);
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    assert_false(read_str_map(&f, PREFIX_RATES, PAIR, SRC, &v));
    /* after removal from the whitelist Bob may no longer publish */
    put_whitelist(&f, 1, SRC, MR);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    assert_true(read_str_map(&f, PREFIX_WHITELISTS, SRC, NULL, &v));
    assert_int_equal(v.len, 1);
    assert_int_equal(v.ptr[0], 0);
    put_rate(&f, SRC, PAIR, true, rate);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    /* Root is not a signed enclave */
    p = fx_dispatch(&f, &root);
    assert_int_equal(p.err.kind, RT_DERR_BAD_ORIGIN);
    itee_buf_free(&v);
    fx_teardown(&f);
}

static void test_oracle(void **state)
{
    (void)state;
    struct fx f;
    fx_setup(&f);
    struct rt_origin root = fx_root();
    struct rt_origin bob = fx_signed(f.acc[BOB]);
    add_enclave(&f, f.acc[BOB], MR);
    put_oracle(&f, "weather", SRC, 100);
    struct rt_post p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_FINGERPRINT_NOT_WHITELISTED);
    put_whitelist(&f, 0, SRC, MR);
    p = fx_dispatch(&f, &root);
    assert_true(p.ok);
    put_oracle(&f, "weather", SRC, PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN);
    size_t before = f.ctx.n_events;
    p = fx_dispatch(&f, &bob);
    assert_true(p.ok);
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_true(read_str_map(&f, PREFIX_ORACLE, "weather", SRC, &v));
    assert_int_equal(v.len, 2 + PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN);
    assert_int_equal(v.ptr[0], 0x01); /* Compact(4096) = 0x4001 LE */
    assert_int_equal(v.ptr[1], 0x40);
    const uint8_t *e = f.ctx.events[before].bytes;
    assert_int_equal(e[1], PALLET_TEERACLE_EV_ORACLE_UPDATED);
    assert_int_equal(f.ctx.events[before].len, 2 + 1 + 7 + 1 + strlen(SRC));
    assert_memory_equal(e + 3, "weather", 7);
    /* name too long */
    put_oracle(&f, "a-name-that-is-longer-than-forty-bytes-xyz", SRC, 1);
    p = fx_dispatch(&f, &bob);
    expect_err(&p, RT_PALLET_TEERACLE, PALLET_TEERACLE_ERR_ORACLE_DATA_NAME_STRING_TOO_LONG);
    /* a blob over MaxOracleBlobLen does not decode (BoundedVec) */
    put_oracle(&f, "weather", SRC, PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN + 1);
    struct scale_reader r;
    struct rt_info info;
    scale_reader_init(&r, f.call.ptr, f.call.len);
    assert_int_equal(rt_exec_call(&f.ctx, &bob, &r, true, &info, &p), ITEE_ERR_SCALE_LENGTH);
    /* unregistered sender */
    put_oracle(&f, "weather", SRC, 1);
    struct rt_origin eve = fx_signed(f.acc[EVE]);
    p = fx_dispatch(&f, &eve);
    expect_err(&p, RT_PALLET_TEEREX, PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED);
    itee_buf_free(&v);
    fx_teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whitelist),
        cmocka_unit_test(test_exchange_rate),
        cmocka_unit_test(test_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
