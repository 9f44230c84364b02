/*
 * test_keccak.c - Keccak-f[1600]: the zero-state vector of spec §3.5.1, and SHA3-256 built on
 * our permutation checked against FIPS 202 digests (single and multi-block inputs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "crypto/keccak.h"

static void unhex(uint8_t *out, size_t len, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, len, hex, strlen(hex)), ITEE_OK);
}

static void test_keccak_zero_state(void **state)
{
    (void)state;
    uint8_t st[KECCAK_STATE_LEN] = {0};
    uint8_t want[16];
    unhex(want, 16, "e7dde140798f25f18a47c033f9ccd584");
    keccak_f1600(st);
    assert_memory_equal(st, want, 16);
    /* lane 0 read little-endian */
    uint64_t lane0 = 0;
    for (int i = 7; i >= 0; i--)
        lane0 = lane0 << 8 | st[i];
    assert_true(lane0 == 0xF1258F7940E1DDE7ULL);
    /* KeccakF-1600-IntermediateValues: second application, lane 0 */
    keccak_f1600(st);
    lane0 = 0;
    for (int i = 7; i >= 0; i--)
        lane0 = lane0 << 8 | st[i];
    assert_true(lane0 == 0x2D5C954DF96ECB3CULL);
}

/* SHA3-256 (rate 136, domain byte 0x06) on our permutation. */
static void sha3_256(uint8_t out[32], const uint8_t *in, size_t len)
{
    uint8_t st[KECCAK_STATE_LEN] = {0};
    size_t pos = 0;
    for (size_t i = 0; i < len; i++) {
        st[pos++] ^= in[i];
        if (pos == 136) {
            keccak_f1600(st);
            pos = 0;
        }
    }
    st[pos] ^= 0x06;
    st[135] ^= 0x80;
    keccak_f1600(st);
    memcpy(out, st, 32);
}

static void test_keccak_sha3(void **state)
{
    (void)state;
    uint8_t out[32], want[32], in[200];
    sha3_256(out, NULL, 0);
    unhex(want, 32, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    assert_memory_equal(out, want, 32);
    sha3_256(out, (const uint8_t *)"abc", 3);
    unhex(want, 32, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
    assert_memory_equal(out, want, 32);
    /* 200 bytes of 0xa3: crosses a block boundary (FIPS 202 example "1600-bit message") */
    memset(in, 0xa3, sizeof(in));
    sha3_256(out, in, sizeof(in));
    unhex(want, 32, "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
    assert_memory_equal(out, want, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keccak_zero_state),
        cmocka_unit_test(test_keccak_sha3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
