/*
 * test_header.c - block header codec and hash (spec §6.1 vector), digest items, AURA slot and
 * seal sign/verify, and rejection of malformed headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/header.h"
#include "common/hex.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out, cap, &n, hex, strlen(hex)), ITEE_OK);
    return n;
}

#define H11 "1111111111111111111111111111111111111111111111111111111111111111"
#define H22 "2222222222222222222222222222222222222222222222222222222222222222"
#define H33 "3333333333333333333333333333333333333333333333333333333333333333"
#define S55 H55 H55
#define H55 "5555555555555555555555555555555555555555555555555555555555555555"

static void vector_header(struct header *h, uint8_t pre[8], uint8_t seal[64])
{
    memset(h, 0, sizeof(*h));
    memset(h->parent_hash, 0x11, 32);
    h->number = 1;
    memset(h->state_root, 0x22, 32);
    memset(h->extrinsics_root, 0x33, 32);
    header_aura_pre_digest(pre, 42);
    memset(seal, 0x55, 64);
    assert_int_equal(header_push_log(h, HEADER_DIGEST_PRE_RUNTIME, HEADER_ENGINE_AURA, pre, 8),
                     ITEE_OK);
    assert_int_equal(header_push_log(h, HEADER_DIGEST_SEAL, HEADER_ENGINE_AURA, seal, 64), ITEE_OK);
}

static void test_vector(void **state)
{
    (void)state;
    struct header h, d;
    uint8_t pre[8], seal[64], want[512], hash[32], hw[32];
    vector_header(&h, pre, seal);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(header_encode(&b, &h), ITEE_OK);
    size_t n = unhex(want, sizeof(want),
                     H11 "04" H22 H33 "08"
                         "0661757261202a00000000000000"
                         "0561757261"
                         "0101" S55);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.ptr, want, n);
    assert_int_equal(header_hash(&h, hash), ITEE_OK);
    unhex(hw, 32, "dfe94a0555afad434a7e008f506d6225c489af2b00dc0597e32db28a79657ed0");
    assert_memory_equal(hash, hw, 32);
    assert_int_equal(header_decode(&d, want, n), ITEE_OK);
    assert_int_equal(d.number, 1);
    assert_int_equal(d.n_logs, 2);
    assert_int_equal(d.logs[0].kind, HEADER_DIGEST_PRE_RUNTIME);
    assert_int_equal(d.logs[1].kind, HEADER_DIGEST_SEAL);
    assert_memory_equal(d.logs[1].engine, "aura", 4);
    assert_int_equal(d.logs[1].data.len, 64);
    uint64_t slot;
    assert_int_equal(header_aura_slot(&d, &slot), ITEE_OK);
    assert_int_equal(slot, 42);
    itee_buf_reset(&b);
    assert_int_equal(header_encode(&b, &d), ITEE_OK);
    assert_memory_equal(b.ptr, want, n);
    /* trailing, truncated, unknown digest variant */
    assert_int_equal(header_decode(&d, want, n - 1), ITEE_ERR_SCALE_LENGTH);
    want[n] = 0;
    assert_int_equal(header_decode(&d, want, n + 1), ITEE_ERR_SCALE_TRAILING);
    assert_int_equal(d.n_logs, 0);
    want[98] = 0x07;
    assert_int_equal(header_decode(&d, want, n), ITEE_ERR_SCALE_VARIANT);
    itee_buf_free(&b);
}

static void test_all_items(void **state)
{
    (void)state;
    struct header h, d;
    memset(&h, 0, sizeof(h));
    h.number = 1u << 30; /* big-mode compact */
    static const uint8_t data[] = {1, 2, 3};
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_OTHER, NULL, data, 3), ITEE_OK);
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_CONSENSUS, "FRNK", data, 0), ITEE_OK);
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_RUNTIME_ENV_UPDATED, NULL, NULL, 0),
                     ITEE_OK);
    assert_int_equal(header_push_log(&h, (enum header_digest_kind)3, "aura", data, 1),
                     ITEE_ERR_ARG);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(header_encode(&b, &h), ITEE_OK);
    assert_int_equal(header_decode(&d, b.ptr, b.len), ITEE_OK);
    assert_int_equal(d.number, 1u << 30);
    assert_int_equal(d.n_logs, 3);
    assert_int_equal(d.logs[0].data.len, 3);
    assert_memory_equal(d.logs[1].engine, "FRNK", 4);
    assert_int_equal(d.logs[2].kind, HEADER_DIGEST_RUNTIME_ENV_UPDATED);
    uint64_t slot = 7;
    assert_int_equal(header_aura_slot(&d, &slot), ITEE_ERR_NOENT);
    assert_int_equal(slot, 0);
    /* the digest has a fixed capacity */
    for (size_t i = h.n_logs; i < HEADER_MAX_LOGS; i++)
        assert_int_equal(header_push_log(&h, HEADER_DIGEST_OTHER, NULL, data, 1), ITEE_OK);
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_OTHER, NULL, data, 1), ITEE_ERR_SPACE);
    itee_buf_reset(&b);
    assert_int_equal(header_encode(&b, &h), ITEE_OK);
    assert_int_equal(header_decode(&d, b.ptr, b.len), ITEE_OK);
    /* one more item than we hold: the count byte says 17 */
    b.ptr[101] = (HEADER_MAX_LOGS + 1) << 2; /* after 32 + 5 (big-mode number) + 64 */
    assert_int_equal(itee_buf_append(&b, "\x00\x00", 2), ITEE_OK);
    assert_int_equal(header_decode(&d, b.ptr, b.len), ITEE_ERR_SPACE);
    itee_buf_free(&b);
}

static void test_aura_seal(void **state)
{
    (void)state;
    struct keys_pair alice, bob;
    assert_int_equal(keys_pair_from_suri(&alice, KEYS_SCHEME_SR25519, "//Alice", 7), ITEE_OK);
    assert_int_equal(keys_pair_from_suri(&bob, KEYS_SCHEME_SR25519, "//Bob", 5), ITEE_OK);
    struct header h;
    memset(&h, 0, sizeof(h));
    h.number = 9;
    uint8_t pre[8], sig[64], pub[33], pre_hash[32], unsealed[32];
    header_aura_pre_digest(pre, 0x0102030405060708ull);
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_PRE_RUNTIME, "aura", pre, 8), ITEE_OK);
    assert_int_equal(header_hash(&h, unsealed), ITEE_OK);
    assert_int_equal(header_aura_verify_seal(&h, pub, NULL), ITEE_ERR_NOENT);
    assert_int_equal(header_aura_seal(&h, &alice, sig), ITEE_OK);
    assert_int_equal(h.n_logs, 2);
    assert_int_equal(keys_pair_public(&alice, pub), 32);
    assert_int_equal(header_aura_verify_seal(&h, pub, pre_hash), ITEE_OK);
    assert_memory_equal(pre_hash, unsealed, 32);
    /* through the wire */
    struct itee_buf b;
    struct header d;
    itee_buf_init(&b, 0);
    assert_int_equal(header_encode(&b, &h), ITEE_OK);
    assert_int_equal(header_decode(&d, b.ptr, b.len), ITEE_OK);
    assert_int_equal(header_aura_verify_seal(&d, pub, NULL), ITEE_OK);
    uint64_t slot;
    assert_int_equal(header_aura_slot(&d, &slot), ITEE_OK);
    assert_true(slot == 0x0102030405060708ull);
    /* another author, a changed header, a changed signature */
    assert_int_equal(keys_pair_public(&bob, pub), 32);
    assert_int_equal(header_aura_verify_seal(&d, pub, NULL), ITEE_ERR_BAD_SIG);
    assert_int_equal(keys_pair_public(&alice, pub), 32);
    d.number++;
    assert_int_equal(header_aura_verify_seal(&d, pub, NULL), ITEE_ERR_BAD_SIG);
    d.number--;
    sig[5] ^= 1;
    assert_int_equal(header_aura_verify_seal(&h, pub, NULL), ITEE_ERR_BAD_SIG);
    /* ed25519 keys cannot seal AURA here */
    struct keys_pair ed;
    assert_int_equal(keys_pair_from_suri(&ed, KEYS_SCHEME_ED25519, "//Alice", 7), ITEE_OK);
    assert_int_equal(header_aura_seal(&h, &ed, sig), ITEE_ERR_ARG);
    /* two AURA pre-digests: no slot */
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_PRE_RUNTIME, "aura", pre, 8), ITEE_OK);
    assert_int_equal(header_aura_slot(&h, &slot), ITEE_ERR_NOENT);
    keys_pair_clear(&alice);
    keys_pair_clear(&bob);
    keys_pair_clear(&ed);
    itee_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_all_items),
        cmocka_unit_test(test_aura_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
