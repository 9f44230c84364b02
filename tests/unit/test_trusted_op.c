/*
 * test_trusted_op.c - trusted-operation wire types against tests/vectors/worker-v0.13.json
 * (a copy of spec/vectors/worker-v0.13.json, computed independently from the v0.13 type
 * definitions and signed with //Alice ed25519): decode -> re-encode, build from fields, their
 * signatures verify, ours verify and stop verifying when any byte changes; strictness; OOM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "chain/trusted_op.h"
#include "common/bytes.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "keys/pair.h"

#define VEC_MAX 1024

/* The group state is the parsed vector file; each test receives it. */
static int load_vectors(void **state)
{
    json_error_t err;
    *state = json_load_file(ITEE_SOURCE_DIR "/tests/vectors/worker-v0.13.json", 0, &err);
    return *state == NULL ? -1 : 0;
}

static int free_vectors(void **state)
{
    json_decref(*state);
    return 0;
}

/* Decodes vector name into out; returns its length. */
static size_t vec(const json_t *vectors, const char *name, uint8_t *out)
{
    const char *hex = json_string_value(json_object_get(vectors, name));
    size_t len = 0;
    assert_non_null(hex);
    assert_int_equal(itee_hex_decode(out, VEC_MAX, &len, hex, strlen(hex)), ITEE_OK);
    return len;
}

static void buf_equals(const struct itee_buf *b, const uint8_t *want, size_t len)
{
    assert_int_equal(b->len, len);
    assert_memory_equal(b->ptr, want, len);
}

static void alice(struct keys_pair *p, enum keys_scheme s)
{
    assert_int_equal(keys_pair_from_suri(p, s, "//Alice", 7), ITEE_OK);
}

static void test_call_signed_roundtrip(void **state)
{
    const json_t *V = *state;
    uint8_t bytes[VEC_MAX], call[VEC_MAX], mr[32], shard[32];
    size_t n = vec(V, "trusted_call_signed", bytes),
           call_len = vec(V, "trusted_call_balance_transfer", call);
    vec(V, "mrenclave", mr);
    vec(V, "shard", shard);
    struct trusted_op_call_signed cs;
    assert_int_equal(trusted_op_call_signed_decode(&cs, NULL, bytes, n), ITEE_OK);
    assert_int_equal(cs.nonce, 7);
    assert_int_equal(cs.sig.scheme, KEYS_SCHEME_ED25519);
    assert_int_equal(cs.call.len, call_len);
    assert_memory_equal(cs.call.ptr, call, call_len);
    assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_OK);
    /* bound to mrenclave and shard */
    mr[5] ^= 1;
    assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_ERR_BAD_SIG);
    mr[5] ^= 1;
    shard[31] ^= 0x80;
    assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_ERR_BAD_SIG);
    shard[31] ^= 0x80;
    struct itee_buf b = {0};
    itee_buf_init(&b, 0);
    assert_int_equal(trusted_op_call_signed_put(&b, &cs), ITEE_OK);
    buf_equals(&b, bytes, n);
    itee_buf_free(&b);
}

static void test_build_from_fields(void **state)
{
    const json_t *V = *state;
    uint8_t want[VEC_MAX], mr[32], shard[32], bob[32];
    struct keys_pair a;
    struct trusted_op_call call = {0};
    struct itee_buf b = {0}, c = {0};
    vec(V, "mrenclave", mr);
    vec(V, "shard", shard);
    vec(V, "bob_ed25519", bob);
    alice(&a, KEYS_SCHEME_ED25519);
    keys_pair_account_id(&a, call.sender);
    size_t n = vec(V, "alice_ed25519", want);
    assert_int_equal(n, 32);
    assert_memory_equal(call.sender, want, 32);
    itee_buf_init(&b, 0);
    itee_buf_init(&c, 0);

    call.index = TRUSTED_OP_CALL_TRANSFER;
    memcpy(call.other, bob, 32);
    call.amount = (itee_u128)1000000000000ull;
    assert_int_equal(trusted_op_call_put(&b, &call), ITEE_OK);
    n = vec(V, "trusted_call_balance_transfer", want);
    buf_equals(&b, want, n);

    /* payload, signature (ed25519 is deterministic), TrustedCallSigned, TOP, hash, Request */
    assert_int_equal(trusted_op_signing_payload(&c, itee_buf_slice(&b), 7, mr, shard), ITEE_OK);
    n = vec(V, "signing_payload_nonce7", want);
    buf_equals(&c, want, n);
    struct trusted_op op = {.kind = TRUSTED_OP_DIRECT_CALL};
    op.call.call = itee_buf_slice(&b);
    op.call.nonce = 7;
    assert_int_equal(trusted_op_call_sign(&op.call.sig, &a, op.call.call, 7, mr, shard), ITEE_OK);
    itee_buf_reset(&c);
    assert_int_equal(trusted_op_call_signed_put(&c, &op.call), ITEE_OK);
    n = vec(V, "trusted_call_signed", want);
    buf_equals(&c, want, n);
    itee_buf_reset(&c);
    assert_int_equal(trusted_op_put(&c, &op), ITEE_OK);
    n = vec(V, "trusted_operation_direct_call", want);
    buf_equals(&c, want, n);
    uint8_t h[32], h2[32];
    assert_int_equal(trusted_op_hash(h, &op), ITEE_OK);
    hash_blake2_256(h2, c.ptr, c.len);
    assert_memory_equal(h, h2, 32);
    vec(V, "trusted_operation_hash_blake2_256", want);
    assert_memory_equal(h, want, 32);
    struct trusted_op_request req;
    memcpy(req.shard, shard, 32);
    req.cyphertext = itee_buf_slice(&c);
    struct itee_buf r = {0};
    itee_buf_init(&r, 0);
    assert_int_equal(trusted_op_request_put(&r, &req), ITEE_OK);
    n = vec(V, "request_with_plain_top_as_cyphertext", want);
    buf_equals(&r, want, n);

    /* set_balance(alice, bob, 5e12, 0) and unshield(alice, bob, 1e12, shard) */
    itee_buf_reset(&b);
    call.index = TRUSTED_OP_CALL_SET_BALANCE;
    call.amount = (itee_u128)5000000000000ull;
    assert_int_equal(trusted_op_call_put(&b, &call), ITEE_OK);
    n = vec(V, "trusted_call_balance_set_balance", want);
    buf_equals(&b, want, n);
    itee_buf_reset(&b);
    call.index = TRUSTED_OP_CALL_UNSHIELD;
    call.amount = (itee_u128)1000000000000ull;
    memcpy(call.shard, shard, 32);
    assert_int_equal(trusted_op_call_put(&b, &call), ITEE_OK);
    n = vec(V, "trusted_call_balance_unshield", want);
    buf_equals(&b, want, n);

    /* trusted getter free_balance(alice), signed, and its Request */
    itee_buf_reset(&b);
    assert_int_equal(
        trusted_op_trusted_getter_put(&b, TRUSTED_OP_TRUSTED_FREE_BALANCE, call.sender), ITEE_OK);
    n = vec(V, "trusted_getter_free_balance", want);
    buf_equals(&b, want, n);
    struct trusted_op_getter g = {.kind = TRUSTED_OP_GETTER_TRUSTED};
    g.getter = itee_buf_slice(&b);
    assert_int_equal(trusted_op_getter_sign(&g.sig, &a, g.getter), ITEE_OK);
    itee_buf_reset(&c);
    assert_int_equal(trusted_op_getter_put(&c, &g), ITEE_OK);
    n = vec(V, "getter_trusted_signed", want);
    buf_equals(&c, want, n);
    req.cyphertext = itee_buf_slice(&c);
    itee_buf_reset(&r);
    assert_int_equal(trusted_op_request_put(&r, &req), ITEE_OK);
    n = vec(V, "request_state_executeGetter", want);
    buf_equals(&r, want, n);

    itee_buf_free(&r);
    itee_buf_free(&b);
    itee_buf_free(&c);
    keys_pair_clear(&a);
}

static void test_top_and_request_vectors(void **state)
{
    const json_t *V = *state;
    uint8_t bytes[VEC_MAX], top[VEC_MAX], h[32], want[32];
    size_t n = vec(V, "request_with_plain_top_as_cyphertext", bytes);
    size_t top_len = vec(V, "trusted_operation_direct_call", top);
    struct trusted_op_request req;
    assert_int_equal(trusted_op_request_decode(&req, bytes, n), ITEE_OK);
    assert_int_equal(req.cyphertext.len, top_len);
    assert_memory_equal(req.cyphertext.ptr, top, top_len);
    struct trusted_op op;
    assert_int_equal(trusted_op_decode(&op, NULL, req.cyphertext.ptr, req.cyphertext.len), ITEE_OK);
    assert_int_equal(op.kind, TRUSTED_OP_DIRECT_CALL);
    assert_int_equal(trusted_op_hash(h, &op), ITEE_OK);
    vec(V, "trusted_operation_hash_blake2_256", want);
    assert_memory_equal(h, want, 32);
    struct itee_buf b = {0};
    itee_buf_init(&b, 0);
    assert_int_equal(trusted_op_put(&b, &op), ITEE_OK);
    buf_equals(&b, top, top_len);
    itee_buf_reset(&b);
    assert_int_equal(trusted_op_request_put(&b, &req), ITEE_OK);
    buf_equals(&b, bytes, n);

    /* the getter Request carries a plain Getter */
    n = vec(V, "request_state_executeGetter", bytes);
    assert_int_equal(trusted_op_request_decode(&req, bytes, n), ITEE_OK);
    struct trusted_op_getter g;
    assert_int_equal(trusted_op_getter_decode(&g, NULL, req.cyphertext.ptr, req.cyphertext.len),
                     ITEE_OK);
    assert_int_equal(g.kind, TRUSTED_OP_GETTER_TRUSTED);
    assert_int_equal(trusted_op_getter_verify(&g), ITEE_OK);
    itee_buf_reset(&b);
    assert_int_equal(trusted_op_getter_put(&b, &g), ITEE_OK);
    buf_equals(&b, req.cyphertext.ptr, req.cyphertext.len);
    /* a TOP of kind get hashes like its encoding */
    op.kind = TRUSTED_OP_GET;
    op.getter = g;
    itee_buf_reset(&b);
    assert_int_equal(trusted_op_put(&b, &op), ITEE_OK);
    hash_blake2_256(want, b.ptr, b.len);
    assert_int_equal(trusted_op_hash(h, &op), ITEE_OK);
    assert_memory_equal(h, want, 32);
    itee_buf_free(&b);
}

static void test_rpc_return_vectors(void **state)
{
    const json_t *V = *state;
    uint8_t bytes[VEC_MAX], top_hash[32];
    struct trusted_op_rpc_return rv;
    struct itee_buf b = {0};
    itee_buf_init(&b, 0);

    size_t n = vec(V, "rpc_return_value_balance_ok", bytes);
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n), ITEE_OK);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_OK);
    assert_false(rv.do_watch);
    /* value = SCALE(Option<Vec<u8>>) of a u128 balance: Some, 16 bytes, 4e12 */
    assert_int_equal(rv.value.len, 18);
    assert_int_equal(rv.value.ptr[0], 1);
    assert_int_equal(rv.value.ptr[1], 16 << 2);
    struct scale_reader r;
    itee_u128 bal = 0;
    scale_reader_init(&r, rv.value.ptr + 2, 16);
    assert_int_equal(scale_read_u128(&r, &bal), ITEE_OK);
    assert_true(bal == (itee_u128)4000000000000ull);
    assert_int_equal(trusted_op_rpc_return_put(&b, &rv), ITEE_OK);
    buf_equals(&b, bytes, n);

    n = vec(V, "rpc_return_value_in_sidechain_block", bytes);
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n), ITEE_OK);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_TOS);
    assert_int_equal(rv.tos, TRUSTED_OP_TOS_IN_SIDECHAIN_BLOCK);
    vec(V, "trusted_operation_hash_blake2_256", top_hash);
    assert_int_equal(rv.value.len, 32);
    assert_memory_equal(rv.value.ptr, top_hash, 32);
    for (int i = 0; i < 32; i++)
        assert_int_equal(rv.block_hash[i], 0x33);
    itee_buf_reset(&b);
    assert_int_equal(trusted_op_rpc_return_put(&b, &rv), ITEE_OK);
    buf_equals(&b, bytes, n);

    n = vec(V, "rpc_return_value_error", bytes);
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n), ITEE_OK);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_ERROR);
    struct itee_slice msg;
    scale_reader_init(&r, rv.value.ptr, rv.value.len);
    assert_int_equal(scale_read_str(&r, &msg), ITEE_OK);
    assert_int_equal(msg.len, strlen("Could not decode request"));
    assert_memory_equal(msg.ptr, "Could not decode request", msg.len);
    /* built from fields */
    uint8_t value[64];
    value[0] = (uint8_t)(msg.len << 2);
    memcpy(value + 1, msg.ptr, msg.len);
    struct trusted_op_rpc_return built = {.status = TRUSTED_OP_STATUS_ERROR};
    built.value = itee_slice_make(value, msg.len + 1);
    itee_buf_reset(&b);
    assert_int_equal(trusted_op_rpc_return_put(&b, &built), ITEE_OK);
    buf_equals(&b, bytes, n);

    /* strictness: bad bool, status, tos, trailing byte */
    bytes[n - 2] = 2;
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n), ITEE_ERR_SCALE_BOOL);
    bytes[n - 2] = 0;
    bytes[n - 1] = 3;
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n), ITEE_ERR_SCALE_VARIANT);
    bytes[n - 1] = 1;
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n), ITEE_ERR_SCALE_EOF);
    bytes[n] = 11;
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n + 1), ITEE_ERR_SCALE_VARIANT);
    bytes[n - 1] = 2;
    bytes[n] = 0;
    assert_int_equal(trusted_op_rpc_return_decode(&rv, bytes, n + 1), ITEE_ERR_SCALE_TRAILING);
    itee_buf_free(&b);
}

/* Every single-bit change of an encoded signed call either fails to decode or to verify. */
static void flip_every_byte(const uint8_t *enc, size_t n, const uint8_t *mr, const uint8_t *shard)
{
    uint8_t *copy = malloc(n);
    assert_non_null(copy);
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            struct trusted_op_call_signed cs;
            memcpy(copy, enc, n);
            copy[i] ^= (uint8_t)(1u << bit);
            if (trusted_op_call_signed_decode(&cs, NULL, copy, n) == ITEE_OK)
                assert_int_not_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_OK);
        }
    }
    free(copy);
}

static void sign_verify_scheme(const json_t *V, enum keys_scheme s)
{
    uint8_t mr[32], shard[32], bob[32];
    struct keys_pair a;
    struct trusted_op_call call = {.index = TRUSTED_OP_CALL_TRANSFER, .amount = 12345};
    struct itee_buf b = {0}, enc = {0};
    vec(V, "mrenclave", mr);
    vec(V, "shard", shard);
    vec(V, "bob_ed25519", bob);
    alice(&a, s);
    keys_pair_account_id(&a, call.sender);
    memcpy(call.other, bob, 32);
    itee_buf_init(&b, 0);
    itee_buf_init(&enc, 0);
    assert_int_equal(trusted_op_call_put(&b, &call), ITEE_OK);
    struct trusted_op_call_signed cs = {.call = itee_buf_slice(&b), .nonce = 3};
    assert_int_equal(trusted_op_call_sign(&cs.sig, &a, cs.call, cs.nonce, mr, shard), ITEE_OK);
    assert_int_equal(cs.sig.scheme, s);
    assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_OK);
    cs.nonce = 4;
    assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_ERR_BAD_SIG);
    cs.nonce = 3;
    assert_int_equal(trusted_op_call_signed_put(&enc, &cs), ITEE_OK);
    struct trusted_op_call_signed back;
    assert_int_equal(trusted_op_call_signed_decode(&back, NULL, enc.ptr, enc.len), ITEE_OK);
    assert_int_equal(trusted_op_call_verify(&back, mr, shard), ITEE_OK);
    flip_every_byte(enc.ptr, enc.len, mr, shard);
    /* a getter signed by the same pair */
    itee_buf_reset(&b);
    assert_int_equal(trusted_op_trusted_getter_put(&b, TRUSTED_OP_TRUSTED_NONCE, call.sender),
                     ITEE_OK);
    struct trusted_op_getter g = {.kind = TRUSTED_OP_GETTER_TRUSTED, .getter = itee_buf_slice(&b)};
    assert_int_equal(trusted_op_getter_sign(&g.sig, &a, g.getter), ITEE_OK);
    assert_int_equal(trusted_op_getter_verify(&g), ITEE_OK);
    b.ptr[5] ^= 1; /* now names another account: the signature no longer matches */
    assert_int_equal(trusted_op_getter_verify(&g), ITEE_ERR_BAD_SIG);
    itee_buf_free(&b);
    itee_buf_free(&enc);
    keys_pair_clear(&a);
}

static void test_sign_verify_all_schemes(void **state)
{
    const json_t *V = *state;
    sign_verify_scheme(V, KEYS_SCHEME_ED25519);
    sign_verify_scheme(V, KEYS_SCHEME_SR25519);
    sign_verify_scheme(V, KEYS_SCHEME_ECDSA);
}

/* Calls too long for the stack payload take the allocating path; same result. */
static void test_long_call(void **state)
{
    const json_t *V = *state;
    uint8_t mr[32], shard[32];
    static uint8_t call[2000];
    struct keys_pair a;
    vec(V, "mrenclave", mr);
    vec(V, "shard", shard);
    alice(&a, KEYS_SCHEME_SR25519);
    call[0] = 77;
    keys_pair_account_id(&a, call + 1);
    for (size_t len = 400; len <= sizeof(call); len += 800) {
        struct trusted_op_call_signed cs = {.call = itee_slice_make(call, len), .nonce = 9};
        assert_int_equal(trusted_op_call_sign(&cs.sig, &a, cs.call, 9, mr, shard), ITEE_OK);
        assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_OK);
        call[len - 1] ^= 1;
        assert_int_equal(trusted_op_call_verify(&cs, mr, shard), ITEE_ERR_BAD_SIG);
        call[len - 1] ^= 1;
    }
    keys_pair_clear(&a);
}

static void test_vector_flips(void **state)
{
    const json_t *V = *state;
    uint8_t bytes[VEC_MAX], mr[32], shard[32];
    size_t n = vec(V, "trusted_call_signed", bytes);
    vec(V, "mrenclave", mr);
    vec(V, "shard", shard);
    flip_every_byte(bytes, n, mr, shard);
}

static void test_strict_decoding(void **state)
{
    const json_t *V = *state;
    uint8_t bytes[VEC_MAX + 1];
    size_t n = vec(V, "trusted_operation_direct_call", bytes);
    struct trusted_op op;
    /* every truncation fails, trailing bytes fail */
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(trusted_op_decode(&op, NULL, bytes, i), ITEE_OK);
    bytes[n] = 0;
    assert_int_equal(trusted_op_decode(&op, NULL, bytes, n + 1), ITEE_ERR_SCALE_TRAILING);
    assert_int_equal(op.kind, 0);
    assert_null(op.call.call.ptr);
    /* unknown TOP, call and signature variants */
    bytes[0] = 3;
    assert_int_equal(trusted_op_decode(&op, NULL, bytes, n), ITEE_ERR_SCALE_VARIANT);
    bytes[0] = 1;
    bytes[1] = 6;
    assert_int_equal(trusted_op_decode(&op, NULL, bytes, n), ITEE_ERR_SCALE_VARIANT);
    bytes[1] = 2;
    size_t sig_at = 1 + 1 + 32 + 32 + 16 + 4;
    bytes[sig_at] = 3;
    assert_int_equal(trusted_op_decode(&op, NULL, bytes, n), ITEE_ERR_SCALE_VARIANT);
    /* ecdsa needs 65 signature bytes, the vector has 64 */
    bytes[sig_at] = 2;
    assert_int_equal(trusted_op_decode(&op, NULL, bytes, n), ITEE_ERR_SCALE_EOF);
    bytes[sig_at] = 0;
    assert_int_equal(trusted_op_decode(&op, NULL, bytes, n), ITEE_OK);
    /* shield with an unknown ParentchainId */
    uint8_t shield[1 + 32 + 32 + 16 + 1] = {TRUSTED_OP_CALL_SHIELD};
    struct trusted_op_call c;
    shield[sizeof(shield) - 1] = 2;
    assert_int_equal(trusted_op_call_decode(&c, itee_slice_make(shield, sizeof(shield))), ITEE_OK);
    assert_int_equal(c.parentchain, TRUSTED_OP_PARENTCHAIN_TARGET_B);
    shield[sizeof(shield) - 1] = 3;
    assert_int_equal(trusted_op_call_decode(&c, itee_slice_make(shield, sizeof(shield))),
                     ITEE_ERR_SCALE_VARIANT);
    /* getters: unknown public / trusted variant, unknown Getter kind */
    uint8_t g[40] = {0, 0};
    struct trusted_op_getter gg;
    assert_int_equal(trusted_op_getter_decode(&gg, NULL, g, 2), ITEE_OK);
    g[1] = 1;
    assert_int_equal(trusted_op_getter_decode(&gg, NULL, g, 2), ITEE_ERR_SCALE_VARIANT);
    g[0] = 2;
    assert_int_equal(trusted_op_getter_decode(&gg, NULL, g, 2), ITEE_ERR_SCALE_VARIANT);
    g[0] = 1;
    g[1] = 3;
    assert_int_equal(trusted_op_getter_decode(&gg, NULL, g, 34), ITEE_ERR_SCALE_VARIANT);
    /* Request: cyphertext length beyond the input */
    uint8_t req[34] = {0};
    req[32] = 0x08; /* 2 bytes announced, 1 present */
    struct trusted_op_request rq;
    assert_int_equal(trusted_op_request_decode(&rq, req, sizeof(req)), ITEE_ERR_SCALE_LENGTH);
}

static void test_oom(void **state)
{
    const json_t *V = *state;
    uint8_t bytes[VEC_MAX], mr[32], shard[32];
    size_t n = vec(V, "trusted_call_signed", bytes);
    vec(V, "mrenclave", mr);
    vec(V, "shard", shard);
    struct trusted_op_call_signed cs;
    assert_int_equal(trusted_op_call_signed_decode(&cs, NULL, bytes, n), ITEE_OK);
    struct keys_pair a;
    alice(&a, KEYS_SCHEME_ED25519);
    for (long i = 0;; i++) {
        struct trusted_op_sig sig;
        itee_mem_fail_after(i);
        enum itee_err e = trusted_op_call_sign(&sig, &a, cs.call, 7, mr, shard);
        enum itee_err v = trusted_op_call_verify(&cs, mr, shard);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK && v == ITEE_OK) {
            assert_memory_equal(sig.bytes, cs.sig.bytes, 64);
            break;
        }
        assert_true(e == ITEE_OK || e == ITEE_ERR_NOMEM);
        assert_true(v == ITEE_OK || v == ITEE_ERR_NOMEM);
        assert_true(i < 100);
    }
    keys_pair_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_signed_roundtrip),
        cmocka_unit_test(test_build_from_fields),
        cmocka_unit_test(test_top_and_request_vectors),
        cmocka_unit_test(test_rpc_return_vectors),
        cmocka_unit_test(test_sign_verify_all_schemes),
        cmocka_unit_test(test_vector_flips),
        cmocka_unit_test(test_long_call),
        cmocka_unit_test(test_strict_decoding),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, load_vectors, free_vectors);
}
