/*
 * test_extrinsic.c - v4 extrinsics: the Era table and the complete ed25519 vector of spec
 * §5.4/§5.5, decode/verify of every signature scheme, payloads over 256 bytes, the
 * CheckMetadataHash variant, and rejection of malformed or unsupported input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/extrinsic.h"
#include "common/hex.h"
#include "crypto/hash.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out, cap, &n, hex, strlen(hex)), ITEE_OK);
    return n;
}

#define ALICE_ED "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
#define CALL     "0403008eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48e5c0"
#define SIG1                                                                                       \
    "8f941b7a5214d0f71ac426ad0bfc00c3a72f2a98f230a02777518924bb65492f82a3f013609573ba324692362"    \
    "ae2c52b04970ba69bfc9f1fdfecdbdf18c01f00"
#define SIG2                                                                                       \
    "10818064e5db6cd4b7b8f3eaec7861c910f9fa7dda7ad71e40ed55ef34a4ae1ed8714df4e835e1eb115a9721d"    \
    "ecfa53cc4b0352bd6eed61e8b753d22f2d73f05"

static void chain_init(struct extrinsic_chain *c)
{
    memset(c, 0, sizeof(*c));
    c->spec_version = 100;
    c->tx_version = 1;
    memset(c->genesis_hash, 0x11, 32);
}

static void pair(struct keys_pair *p, enum keys_scheme s)
{
    assert_int_equal(keys_pair_from_suri(p, s, "//Alice", 7), ITEE_OK);
}

static void test_era_table(void **state)
{
    (void)state;
    static const struct {
        uint64_t current, period;
        const char *hex;
    } t[] = {{0, 4, "0100"},         {1, 64, "1500"},      {42, 64, "a502"},
             {100, 128, "4606"},     {1000, 1024, "893e"}, {5000, 4096, "8b38"},
             {12345, 65536, "3f30"}, {200, 100, "8604"}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct extrinsic_era e = extrinsic_era_mortal(t[i].period, t[i].current);
        uint8_t enc[2], want[2];
        unhex(want, 2, t[i].hex);
        assert_int_equal(extrinsic_era_encode(&e, enc), 2);
        assert_memory_equal(enc, want, 2);
        struct scale_reader r;
        struct extrinsic_era d;
        scale_reader_init(&r, want, 2);
        assert_int_equal(extrinsic_era_read(&r, &d), ITEE_OK);
        assert_true(d.mortal);
        assert_int_equal(d.period, e.period);
        assert_int_equal(d.phase, e.phase);
        /* valid for the current block, over exactly one period */
        uint64_t birth = extrinsic_era_birth(&d, t[i].current);
        assert_true(birth <= t[i].current || e.phase != t[i].current % e.period);
        assert_int_equal(extrinsic_era_death(&d, t[i].current) - birth, d.period);
    }
    /* birth/death of (64, phase 42) at block 1000: 1000 = 15*64 + 40 -> birth 14*64+42 */
    struct extrinsic_era e = extrinsic_era_mortal(64, 42);
    assert_int_equal(extrinsic_era_birth(&e, 1000), 938);
    assert_int_equal(extrinsic_era_death(&e, 1000), 1002);
    assert_int_equal(extrinsic_era_birth(&e, 10), 42);
    /* immortal and invalid encodings */
    struct extrinsic_era im = extrinsic_era_immortal();
    uint8_t b[2];
    assert_int_equal(extrinsic_era_encode(&im, b), 1);
    assert_int_equal(b[0], 0);
    assert_int_equal(extrinsic_era_death(&im, 5), UINT64_MAX);
    static const uint8_t bad[][2] = {{0x00 | 0x10, 0x00}, {0x01, 0x01}, {0x0f, 0xff}};
    /* period 2 (low nibble 0) and phase >= period are invalid; 0x0f,0xff: phase 0xff0*16 < 65536 */
    struct scale_reader r;
    struct extrinsic_era d;
    scale_reader_init(&r, bad[0], 2);
    assert_int_equal(extrinsic_era_read(&r, &d), ITEE_ERR_SCALE_VARIANT);
    assert_int_equal(r.pos, 0);
    scale_reader_init(&r, bad[1], 2);
    assert_int_equal(extrinsic_era_read(&r, &d), ITEE_ERR_SCALE_VARIANT);
    scale_reader_init(&r, bad[2], 2);
    assert_int_equal(extrinsic_era_read(&r, &d), ITEE_OK);
    assert_int_equal(d.period, 65536);
    assert_int_equal(d.phase, 0xff0 * 16);
    scale_reader_init(&r, bad[2], 1);
    assert_int_equal(extrinsic_era_read(&r, &d), ITEE_ERR_SCALE_EOF);
}

static void test_vector_ed25519(void **state)
{
    (void)state;
    struct extrinsic_chain c;
    chain_init(&c);
    uint8_t call[64], era_hash[32], want[512];
    size_t call_len = unhex(call, sizeof(call), CALL);
    memset(era_hash, 0x22, 32);
    struct extrinsic_params p = {extrinsic_era_mortal(64, 42), 5, 0, 0};
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(
        extrinsic_payload_encode(&b, &c, itee_slice_make(call, call_len), &p, era_hash), ITEE_OK);
    size_t n = unhex(want, sizeof(want),
                     CALL "a5021400640000000100000011111111111111111111111111111111111111111111111"
                          "11111111111111111222222222222222222222222222222222222222222222222222222"
                          "2222222222");
    assert_int_equal(b.len, 113);
    assert_int_equal(n, 113);
    assert_memory_equal(b.ptr, want, 113);
    itee_buf_reset(&b);

    struct keys_pair kp;
    pair(&kp, KEYS_SCHEME_ED25519);
    assert_int_equal(extrinsic_sign(&b, &kp, &c, itee_slice_make(call, call_len), &p, era_hash),
                     ITEE_OK);
    n = unhex(want, sizeof(want),
              "310284"
              "00" ALICE_ED "00" SIG1 "a5021400" CALL);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.ptr, want, n);
    uint8_t h[32], hw[32];
    extrinsic_hash(h, b.ptr, b.len);
    unhex(hw, 32, "0266ae194a1ae454be149e088cba1e81f6b1f9fbecf0dd22d0683c7194a1d604");
    assert_memory_equal(h, hw, 32);

    struct extrinsic x;
    assert_int_equal(extrinsic_decode(&x, &c, b.ptr, b.len), ITEE_OK);
    assert_true(x.is_signed);
    assert_int_equal(x.sig_scheme, KEYS_SCHEME_ED25519);
    assert_int_equal(x.params.nonce, 5);
    assert_true(x.params.era.mortal);
    assert_int_equal(x.params.era.period, 64);
    assert_int_equal(x.params.era.phase, 42);
    assert_int_equal(x.call.len, call_len);
    assert_memory_equal(x.call.ptr, call, call_len);
    assert_int_equal(x.encoded_len, b.len);
    assert_int_equal(extrinsic_verify(&x, &c, era_hash), ITEE_OK);
    /* another birth hash, genesis or spec version: a different payload */
    era_hash[0] ^= 1;
    assert_int_equal(extrinsic_verify(&x, &c, era_hash), ITEE_ERR_BAD_SIG);
    era_hash[0] ^= 1;
    c.spec_version++;
    assert_int_equal(extrinsic_verify(&x, &c, era_hash), ITEE_ERR_BAD_SIG);
    c.spec_version--;

    /* immortal, nonce 0, tip 1000 */
    itee_buf_reset(&b);
    struct extrinsic_params p2 = {extrinsic_era_immortal(), 0, 1000, 0};
    assert_int_equal(
        extrinsic_sign(&b, &kp, &c, itee_slice_make(call, call_len), &p2, c.genesis_hash), ITEE_OK);
    n = unhex(want, sizeof(want),
              "310284"
              "00" ALICE_ED "00" SIG2 "0000a10f" CALL);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.ptr, want, n);
    assert_int_equal(extrinsic_decode(&x, &c, b.ptr, b.len), ITEE_OK);
    assert_false(x.params.era.mortal);
    assert_true(x.params.tip == 1000);
    assert_int_equal(extrinsic_verify(&x, &c, c.genesis_hash), ITEE_OK);
    keys_pair_clear(&kp);
    itee_buf_free(&b);
}

/* Every scheme, short and long (> 256 byte) payloads, with and without CheckMetadataHash. */
static void test_schemes_long(void **state)
{
    (void)state;
    static const enum keys_scheme schemes[] = {KEYS_SCHEME_ED25519, KEYS_SCHEME_SR25519,
                                               KEYS_SCHEME_ECDSA};
    uint8_t call[400], remark[400];
    for (size_t i = 0; i < sizeof(remark); i++)
        remark[i] = (uint8_t)(i * 7 + 1);
    call[0] = 0; /* System.remark(Vec<u8>) */
    call[1] = 0;
    for (int meta = 0; meta < 2; meta++)
        for (size_t s = 0; s < 3; s++)
            for (size_t rem = 0; rem < 350; rem += 97) {
                struct extrinsic_chain c;
                chain_init(&c);
                c.check_metadata_hash = meta;
                c.has_metadata_hash = meta;
                memset(c.metadata_hash, 0x77, 32);
                struct itee_buf b, pl;
                itee_buf_init(&b, 0);
                itee_buf_init(&pl, 0);
                assert_int_equal(scale_put_vec_u8(&pl, remark, rem), ITEE_OK);
                size_t call_len = 2 + pl.len;
                memcpy(call + 2, pl.ptr, pl.len);
                itee_buf_reset(&pl);
                struct extrinsic_params p = {extrinsic_era_mortal(128, 1000 + rem), (uint32_t)rem,
                                             (itee_u128)1 << 100, (uint8_t)meta};
                uint8_t era_hash[32];
                memset(era_hash, 0x33, 32);
                struct keys_pair kp;
                pair(&kp, schemes[s]);
                assert_int_equal(
                    extrinsic_sign(&b, &kp, &c, itee_slice_make(call, call_len), &p, era_hash),
                    ITEE_OK);
                struct extrinsic x;
                assert_int_equal(extrinsic_decode(&x, &c, b.ptr, b.len), ITEE_OK);
                assert_int_equal(x.sig_scheme, schemes[s]);
                assert_int_equal(x.params.metadata_mode, meta);
                assert_true(x.params.tip == (itee_u128)1 << 100);
                assert_int_equal(extrinsic_verify(&x, &c, era_hash), ITEE_OK);
                /* the payload: call || extra || additional (+ Some(hash) when enabled) */
                assert_int_equal(extrinsic_payload_encode(&pl, &c, itee_slice_make(call, call_len),
                                                          &p, era_hash),
                                 ITEE_OK);
                assert_int_equal(pl.len, call_len + x.extra.len + 72 + (meta ? 33 : 0));
                uint8_t hs[32];
                struct itee_slice msg = extrinsic_payload_message(itee_buf_slice(&pl), hs);
                assert_int_equal(msg.len, pl.len > 256 ? 32 : pl.len);
                /* without the metadata hash known, mode 1 signs None: the signature breaks */
                if (meta) {
                    c.has_metadata_hash = false;
                    assert_int_equal(extrinsic_verify(&x, &c, era_hash), ITEE_ERR_BAD_SIG);
                }
                /* a chain without CheckMetadataHash reads the mode byte as call: never valid */
                c.check_metadata_hash = !meta;
                struct extrinsic y;
                if (extrinsic_decode(&y, &c, b.ptr, b.len) == ITEE_OK)
                    assert_int_not_equal(extrinsic_verify(&y, &c, era_hash), ITEE_OK);
                keys_pair_clear(&kp);
                itee_buf_free(&b);
                itee_buf_free(&pl);
            }
}

static void test_unsigned_and_errors(void **state)
{
    (void)state;
    struct extrinsic_chain c;
    chain_init(&c);
    uint8_t call[64], buf[256];
    size_t call_len = unhex(call, sizeof(call), CALL);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(extrinsic_encode_unsigned(&b, itee_slice_make(call, call_len)), ITEE_OK);
    size_t n = unhex(buf, sizeof(buf), "9804" CALL);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.ptr, buf, n);
    struct extrinsic x;
    assert_int_equal(extrinsic_decode(&x, &c, b.ptr, b.len), ITEE_OK);
    assert_false(x.is_signed);
    assert_int_equal(x.call.len, call_len);
    assert_int_equal(extrinsic_verify(&x, &c, c.genesis_hash), ITEE_ERR_ARG);
    /* prefix too long, too short, trailing bytes */
    assert_int_equal(extrinsic_decode(&x, &c, b.ptr, b.len - 1), ITEE_ERR_SCALE_LENGTH);
    memcpy(buf, b.ptr, b.len);
    buf[b.len] = 0;
    assert_int_equal(extrinsic_decode(&x, &c, buf, b.len + 1), ITEE_ERR_SCALE_TRAILING);
    /* versions: v5 bare is unsupported, v3 unknown */
    buf[1] = 0x05;
    assert_int_equal(extrinsic_decode(&x, &c, buf, b.len), ITEE_ERR_UNSUPPORTED);
    buf[1] = 0x45;
    assert_int_equal(extrinsic_decode(&x, &c, buf, b.len), ITEE_ERR_UNSUPPORTED);
    buf[1] = 0x03;
    assert_int_equal(extrinsic_decode(&x, &c, buf, b.len), ITEE_ERR_SCALE_VARIANT);
    /* empty call */
    static const uint8_t tiny[] = {0x04, 0x04}, tiny2[] = {0x08, 0x04, 0x00};
    assert_int_equal(extrinsic_decode(&x, &c, tiny, 2), ITEE_ERR_SCALE_EOF);
    assert_int_equal(extrinsic_decode(&x, &c, tiny2, 3), ITEE_ERR_SCALE_EOF);
    assert_int_equal(extrinsic_decode(&x, &c, NULL, 0), ITEE_ERR_SCALE_EOF);

    /* addresses other than Id, unknown signature variant, bad mode byte */
    n = unhex(buf, sizeof(buf),
              "310284"
              "00" ALICE_ED "00" SIG1 "a5021400" CALL);
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_OK);
    buf[3] = 3; /* Address32: same length */
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_ERR_UNSUPPORTED);
    buf[3] = 9;
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_ERR_SCALE_VARIANT);
    assert_int_equal(x.is_signed, false); /* zeroed on failure */
    buf[3] = 0;
    buf[36] = 3;
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_ERR_SCALE_VARIANT);
    buf[36] = 0;
    /* era byte pair with period 2 */
    buf[101] = 0x10;
    buf[102] = 0x00;
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_ERR_SCALE_VARIANT);
    c.check_metadata_hash = true;
    n = unhex(buf, sizeof(buf),
              "350284"
              "00" ALICE_ED "00" SIG1 "a502140002" CALL);
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_ERR_SCALE_VARIANT);
    buf[105] = 1;
    assert_int_equal(extrinsic_decode(&x, &c, buf, n), ITEE_OK);
    assert_int_equal(x.params.metadata_mode, 1);
    /* encode refuses a signature of the wrong length and an invalid era */
    struct extrinsic_params p = {extrinsic_era_immortal(), 0, 0, 0};
    uint8_t acct[32] = {0}, sig[65] = {0};
    assert_int_equal(extrinsic_encode_signed(&b, &c, acct, KEYS_SCHEME_ECDSA, sig, 64, &p,
                                             itee_slice_make(call, call_len)),
                     ITEE_ERR_ARG);
    p.era.mortal = true;
    p.era.period = 6;
    assert_int_equal(extrinsic_encode_signed(&b, &c, acct, KEYS_SCHEME_ED25519, sig, 64, &p,
                                             itee_slice_make(call, call_len)),
                     ITEE_ERR_ARG);
    itee_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_era_table),
        cmocka_unit_test(test_vector_ed25519),
        cmocka_unit_test(test_schemes_long),
        cmocka_unit_test(test_unsigned_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
