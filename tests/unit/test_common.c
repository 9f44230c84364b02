/*
 * test_common.c - hex, base58, buffers and error strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/base58.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/hex.h"
#include "common/mem.h"

static void test_hex_roundtrip(void **state)
{
    (void)state;
    uint8_t in[4] = {0x00, 0xab, 0x10, 0xff};
    char text[9];
    assert_int_equal(itee_hex_encode(text, sizeof(text), in, 4), ITEE_OK);
    assert_string_equal(text, "00ab10ff");
    assert_int_equal(itee_hex_encode(text, 8, in, 4), ITEE_ERR_SPACE);
    uint8_t out[4];
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out, 4, &n, "0x00AB10ff", 10), ITEE_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(out, in, 4);
    assert_int_equal(itee_hex_decode(out, 4, &n, "0x0", 3), ITEE_ERR_HEX);
    assert_int_equal(itee_hex_decode(out, 4, &n, "zz", 2), ITEE_ERR_HEX);
    assert_int_equal(itee_hex_decode(out, 1, &n, "0000", 4), ITEE_ERR_SPACE);
    assert_int_equal(itee_hex_decode_exact(out, 2, "0x0000", 6), ITEE_OK);
    assert_int_equal(itee_hex_decode_exact(out, 2, "000000", 6), ITEE_ERR_HEX);
}

static void test_base58_vectors(void **state)
{
    (void)state;
    /* Bitcoin's base58 test vectors */
    static const struct {
        const char *hex;
        const char *b58;
    } v[] = {
        {"", ""},
        {"61", "2g"},
        {"626262", "a3gV"},
        {"636363", "aPEr"},
        {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
        {"00eb15231dfceb60925886b67d065299925915aeb172c06647",
         "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
        {"516b6fcd0f", "ABnLTmg"},
        {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
        {"572e4794", "3EFU7m"},
        {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
        {"10c8511e", "Rt5zm"},
        {"00000000000000000000", "1111111111"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t bytes[64];
        size_t n = 0;
        assert_int_equal(itee_hex_decode(bytes, sizeof(bytes), &n, v[i].hex, strlen(v[i].hex)),
                         ITEE_OK);
        char text[128];
        assert_int_equal(itee_base58_encode(text, sizeof(text), bytes, n), ITEE_OK);
        assert_string_equal(text, v[i].b58);
        uint8_t back[64];
        size_t m = 0;
        assert_int_equal(itee_base58_decode(back, sizeof(back), &m, v[i].b58, strlen(v[i].b58)),
                         ITEE_OK);
        assert_int_equal(m, n);
        assert_memory_equal(back, bytes, n);
    }
    uint8_t out[8];
    size_t m = 0;
    assert_int_equal(itee_base58_decode(out, sizeof(out), &m, "0OIl", 4), ITEE_ERR_BASE58);
    assert_int_equal(itee_base58_decode(out, 2, &m, "a3gV", 4), ITEE_ERR_SPACE);
}

static void test_buf_max_and_take(void **state)
{
    (void)state;
    struct itee_buf b;
    itee_buf_init(&b, 10);
    assert_int_equal(itee_buf_append(&b, "0123456789", 10), ITEE_OK);
    assert_int_equal(itee_buf_push(&b, 'x'), ITEE_ERR_SPACE);
    assert_int_equal(b.len, 10);
    uint8_t *p = NULL;
    size_t n = 0;
    itee_buf_take(&b, &p, &n);
    assert_int_equal(n, 10);
    assert_memory_equal(p, "0123456789", 10);
    itee_free(p);
    assert_null(b.ptr);
    itee_buf_free(&b);
}

static void test_buf_oom(void **state)
{
    (void)state;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    itee_mem_fail_after(0);
    assert_int_equal(itee_buf_push(&b, 1), ITEE_ERR_NOMEM);
    assert_true(itee_mem_fault_hit());
    itee_mem_fail_after(-1);
    assert_int_equal(itee_buf_push(&b, 1), ITEE_OK);
    itee_buf_free(&b);
}

static void test_strerror_total(void **state)
{
    (void)state;
    for (int e = 0; e < 700; e++) {
        const char *s = itee_strerror((enum itee_err)e);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
    }
    assert_string_equal(itee_strerror(ITEE_OK), "success");
}

static void test_ct_eq(void **state)
{
    (void)state;
    assert_true(itee_ct_eq("abc", "abc", 3));
    assert_false(itee_ct_eq("abc", "abd", 3));
    assert_true(itee_ct_eq("", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_roundtrip),    cmocka_unit_test(test_base58_vectors),
        cmocka_unit_test(test_buf_max_and_take), cmocka_unit_test(test_buf_oom),
        cmocka_unit_test(test_strerror_total),   cmocka_unit_test(test_ct_eq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
