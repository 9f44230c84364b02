/*
 * test_enclave_xt.c - the host's signing request: strict decoding, and the signed extrinsic
 * checked with the chain module's own decoder and verifier (a node would accept it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/extrinsic.h"
#include "codec/scale.h"
#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "enclave/enclave_xt.h"

/* Encodes a request: solo-node chain (CheckMetadataHash listed, no hash), given era. */
static void put_request(struct itee_buf *b, const struct extrinsic_era *era, uint32_t nonce,
                        uint8_t mode, bool submit, const uint8_t *call, size_t call_len)
{
    uint8_t genesis[32], era_hash[32], era_enc[EXTRINSIC_ERA_MAX_LEN];
    memset(genesis, 0x11, sizeof(genesis));
    memset(era_hash, era->mortal ? 0x22 : 0x11, sizeof(era_hash));
    size_t era_len = extrinsic_era_encode(era, era_enc);
    assert_true(era_len > 0);
    itee_buf_reset(b);
    assert_int_equal(scale_put_u32(b, 7), ITEE_OK);
    assert_int_equal(scale_put_u32(b, 3), ITEE_OK);
    assert_int_equal(scale_put_bytes(b, genesis, 32), ITEE_OK);
    assert_int_equal(scale_put_bool(b, true), ITEE_OK);
    assert_int_equal(scale_put_option(b, false), ITEE_OK);
    assert_int_equal(scale_put_bytes(b, era_enc, era_len), ITEE_OK);
    assert_int_equal(scale_put_bytes(b, era_hash, 32), ITEE_OK);
    assert_int_equal(scale_put_u32(b, nonce), ITEE_OK);
    assert_int_equal(scale_put_compact_u128(b, 5), ITEE_OK);
    assert_int_equal(scale_put_u8(b, mode), ITEE_OK);
    assert_int_equal(scale_put_bool(b, submit), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(b, call, call_len), ITEE_OK);
}

static const uint8_t remark[] = {0x00, 0x00, 0x0c, 'a', 'b', 'c'}; /* System.remark("abc") */

static void test_sign_and_verify(void **state)
{
    (void)state;
    struct itee_buf req, xt;
    itee_buf_init(&req, 0);
    itee_buf_init(&xt, 0);
    uint8_t seed[32];
    memset(seed, 0x42, sizeof(seed));
    struct ed25519_keypair signer;
    assert_int_equal(ed25519_keypair_from_seed(&signer, seed), ITEE_OK);

    struct extrinsic_era eras[2] = {extrinsic_era_immortal(), extrinsic_era_mortal(64, 1000)};
    for (int i = 0; i < 2; i++) {
        put_request(&req, &eras[i], 9, 0, i == 1, remark, sizeof(remark));
        struct enclave_xt_request rq;
        assert_int_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_OK);
        assert_int_equal(rq.params.nonce, 9);
        assert_true(rq.submit == (i == 1));
        assert_int_equal(rq.chain.spec_version, 7);
        itee_buf_reset(&xt);
        assert_int_equal(enclave_xt_sign(&xt, &rq, &signer), ITEE_OK);

        struct extrinsic x;
        assert_int_equal(extrinsic_decode(&x, &rq.chain, xt.ptr, xt.len), ITEE_OK);
        assert_true(x.is_signed);
        assert_int_equal(x.sig_scheme, KEYS_SCHEME_ED25519);
        assert_memory_equal(x.signer, signer.public.bytes, 32);
        assert_int_equal(x.params.nonce, 9);
        assert_int_equal(x.call.len, sizeof(remark));
        assert_memory_equal(x.call.ptr, remark, sizeof(remark));
        assert_int_equal(extrinsic_verify(&x, &rq.chain, rq.era_hash), ITEE_OK);
        /* signed for this chain only */
        uint8_t other[32];
        memset(other, 0x99, sizeof(other));
        assert_int_equal(extrinsic_verify(&x, &rq.chain, other), ITEE_ERR_BAD_SIG);
    }
    itee_buf_free(&req);
    itee_buf_free(&xt);
}

static void test_decode_rejects(void **state)
{
    (void)state;
    struct itee_buf req;
    itee_buf_init(&req, 0);
    struct extrinsic_era era = extrinsic_era_immortal();
    struct enclave_xt_request rq;
    put_request(&req, &era, 1, 0, false, remark, sizeof(remark));
    /* every truncation fails, and leaves the request zeroed */
    for (size_t n = 0; n < req.len; n++) {
        assert_int_not_equal(enclave_xt_request_decode(&rq, req.ptr, n), ITEE_OK);
        assert_int_equal(rq.call.len, 0);
    }
    /* trailing byte */
    assert_int_equal(itee_buf_push(&req, 0), ITEE_OK);
    assert_int_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_ERR_SCALE_TRAILING);
    /* empty call, a call of only a pallet index (found by fuzz_enclave_xt_request: it signed an
     * extrinsic no node decodes), bad metadata mode, bad bool */
    put_request(&req, &era, 1, 0, false, remark, 0);
    assert_int_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_ERR_ARG);
    put_request(&req, &era, 1, 0, false, remark, 1);
    assert_int_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_ERR_ARG);
    put_request(&req, &era, 1, 2, false, remark, sizeof(remark));
    assert_int_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_ERR_ARG);
    put_request(&req, &era, 1, 0, false, remark, sizeof(remark));
    req.ptr[req.len - sizeof(remark) - 2] = 2; /* the submit bool */
    assert_int_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_ERR_SCALE_BOOL);
    /* a call length beyond the input */
    put_request(&req, &era, 1, 0, false, remark, sizeof(remark));
    req.ptr[req.len - sizeof(remark) - 1] = 0xfc;
    assert_int_not_equal(enclave_xt_request_decode(&rq, req.ptr, req.len), ITEE_OK);
    assert_int_equal(enclave_xt_request_decode(NULL, req.ptr, req.len), ITEE_ERR_ARG);
    assert_int_equal(enclave_xt_request_decode(&rq, NULL, 3), ITEE_ERR_ARG);
    itee_buf_free(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_and_verify),
        cmocka_unit_test(test_decode_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
