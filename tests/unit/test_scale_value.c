/*
 * test_scale_value.c - the dynamic codec: type parsing (and its limits), encode/decode of the
 * spec §1 vectors in polkadot-js JSON shapes, integer JSON forms, BTreeMap key strings and
 * ordering, hostile inputs, and a type-parser OOM loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/scale_value.h"
#include "common/hex.h"
#include "common/mem.h"

static struct scale_type *parse_ok(const char *text)
{
    struct scale_type *t = NULL;
    enum itee_err e = scale_type_parse(text, strlen(text), &t);
    if (e != ITEE_OK)
        print_error("type %s: %d\n", text, e);
    assert_int_equal(e, ITEE_OK);
    return t;
}

/* Encodes json as type; checks the hex; decodes back and checks the JSON (want_json, or json
 * itself when NULL). */
static void roundtrip(const char *type, const char *json, const char *hex, const char *want_json)
{
    struct scale_type *t = parse_ok(type);
    json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err e = scale_value_encode(t, v, &b);
    if (e != ITEE_OK)
        print_error("encode %s %s: %d\n", type, json, e);
    assert_int_equal(e, ITEE_OK);
    char got[512];
    assert_int_equal(itee_hex_encode(got, sizeof(got), b.ptr, b.len), ITEE_OK);
    if (strcmp(got, hex) != 0)
        print_error("encode %s %s: got %s want %s\n", type, json, got, hex);
    assert_string_equal(got, hex);

    struct scale_reader r;
    scale_reader_init(&r, b.ptr, b.len);
    json_t *back = NULL;
    assert_int_equal(scale_value_decode(t, &r, &back), ITEE_OK);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    char *s = json_dumps(back, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *want = want_json != NULL ? want_json : json;
    if (strcmp(s, want) != 0)
        print_error("decode %s %s: got %s want %s\n", type, hex, s, want);
    assert_string_equal(s, want);
    free(s);
    json_decref(back);
    json_decref(v);
    itee_buf_free(&b);
    scale_type_free(t);
}

static void test_spec_vectors(void **state)
{
    (void)state;
    roundtrip("u8", "69", "45", NULL);
    roundtrip("u16", "42", "2a00", NULL);
    roundtrip("u32", "16777215", "ffffff00", NULL);
    roundtrip("u64", "\"0x1234567890abcdef\"", "efcdab9078563412", NULL);
    roundtrip("i16", "-2", "feff", NULL);
    roundtrip("i128", "-2", "feffffffffffffffffffffffffffffff", NULL);
    roundtrip("Compact<u32>", "16384", "02000100", NULL);
    roundtrip("Compact<u64>", "\"18446744073709551615\"", "13ffffffffffffffff",
              "\"0xffffffffffffffff\"");
    roundtrip("Compact<u128>", "\"340282366920938463463374607431768211455\"",
              "33ffffffffffffffffffffffffffffffff", "\"0xffffffffffffffffffffffffffffffff\"");
    roundtrip("bool", "true", "01", NULL);
    roundtrip("Option<u32>", "1", "0101000000", NULL);
    roundtrip("Option<u32>", "null", "00", NULL);
    roundtrip("Option<bool>", "false", "0100", NULL);
    roundtrip("Result<u8,bool>", "{\"ok\":42}", "002a", NULL);
    roundtrip("Result<u8, bool>", "{\"Err\":false}", "0100", "{\"err\":false}");
    roundtrip("Vec<u16>", "[4,8,15,16,23,42]", "18040008000f00100017002a00", NULL);
    roundtrip("Vec<u8>", "\"0x0102\"", "080102", NULL);
    roundtrip("Bytes", "[1,2]", "080102", "\"0x0102\"");
    roundtrip("Bytes", "\"abc\"", "0c616263", "\"0x616263\"");
    roundtrip("Text", "\"Hello\"", "1448656c6c6f", NULL);
    roundtrip("String", "\"\"", "00", NULL);
    roundtrip("(u8, u16, Compact<u32>)", "[1,2,3]", "0102000c", NULL);
    roundtrip("()", "[]", "", NULL);
    roundtrip("(u8)", "7", "07", NULL);
    roundtrip("[u8;4]", "\"0x01020304\"", "01020304", NULL);
    roundtrip("[u16;2]", "[1,2]", "01000200", NULL);
    roundtrip("{\"_enum\":{\"A\":\"Null\",\"B\":\"u32\",\"C\":\"(bool,u8)\"}}", "\"A\"", "00",
              "{\"a\":null}");
    roundtrip("{\"_enum\":{\"A\":\"Null\",\"B\":\"u32\",\"C\":\"(bool,u8)\"}}", "{\"B\":1}",
              "0101000000", "{\"b\":1}");
    roundtrip("{\"_enum\":{\"A\":\"Null\",\"B\":\"u32\",\"C\":\"(bool,u8)\"}}", "{\"c\":[true,5]}",
              "020105", NULL);
    roundtrip("BTreeMap<u32,bool>", "{\"2\":false,\"1\":true}", "0801000000010200000000",
              "{\"1\":true,\"2\":false}");
    roundtrip("BTreeMap<u32,bool>", "[[2,false],[1,true]]", "0801000000010200000000",
              "{\"1\":true,\"2\":false}");
    roundtrip("BTreeSet<u16>", "[3,1,2]", "0c010002000300", "[1,2,3]");
    roundtrip("{\"a\":\"u32\",\"b\":\"Compact<u64>\",\"c\":\"Option<String>\"}",
              "{\"a\":1,\"b\":2,\"c\":\"x\"}", "0100000008010478", NULL);
}

static void test_integer_json_forms(void **state)
{
    (void)state;
    /* polkadot-js: numbers below 2^52, full-width hex at and above */
    roundtrip("u64", "4503599627370495", "ffffffffffff0f00", NULL);
    roundtrip("u64", "4503599627370496", "0000000000001000", "\"0x0010000000000000\"");
    roundtrip("u64", "\"9007199254740991\"", "ffffffffffff1f00", "\"0x001fffffffffffff\"");
    roundtrip("i64", "-4503599627370495", "010000000000f0ff", NULL);
    roundtrip("i64", "\"-9223372036854775808\"", "0000000000000080", "\"0x8000000000000000\"");
    roundtrip("i16", "\"0xfffe\"", "feff", "-2");
    roundtrip("u128", "1", "01000000000000000000000000000000", NULL);
    roundtrip("u256", "1", "0100000000000000000000000000000000000000000000000000000000000000",
              "\"0x0000000000000000000000000000000000000000000000000000000000000001\"");
    roundtrip("i256", "-1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
              "\"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\"");
    roundtrip("u8", "2e2", "c8", "200");

    static const struct {
        const char *type, *json;
        enum itee_err err;
    } bad[] = {
        {"u8", "256", ITEE_ERR_SCALE_OVERFLOW},
        {"u8", "-1", ITEE_ERR_SCALE_OVERFLOW},
        {"i8", "128", ITEE_ERR_SCALE_OVERFLOW},
        {"i8", "-129", ITEE_ERR_SCALE_OVERFLOW},
        {"u64", "\"18446744073709551616\"", ITEE_ERR_SCALE_OVERFLOW},
        {"u256",
         "\"0x1"
         "0000000000000000000000000000000000000000000000000000000000000000\"",
         ITEE_ERR_SCALE_OVERFLOW},
        {"Compact<u8>", "256", ITEE_ERR_SCALE_OVERFLOW},
        {"u32", "\"12a\"", ITEE_ERR_ARG},
        {"u32", "\"\"", ITEE_ERR_ARG},
        {"u32", "1.5", ITEE_ERR_ARG},
        {"u32", "true", ITEE_ERR_ARG},
        {"bool", "1", ITEE_ERR_ARG},
        {"Text", "1", ITEE_ERR_ARG},
        {"(u8,u8)", "[1]", ITEE_ERR_ARG},
        {"[u8;2]", "\"0x010203\"", ITEE_ERR_ARG},
        {"{\"a\":\"u8\"}", "{\"a\":1,\"b\":2}", ITEE_ERR_ARG},
        {"{\"a\":\"u8\"}", "{\"b\":1}", ITEE_ERR_ARG},
        {"{\"_enum\":[\"A\",\"B\"]}", "\"C\"", ITEE_ERR_ARG},
        {"{\"_enum\":{\"A\":\"u8\"}}", "\"A\"", ITEE_ERR_ARG},
        {"Result<u8,u8>", "{\"maybe\":1}", ITEE_ERR_ARG},
        {"BTreeSet<u8>", "[1,1]", ITEE_ERR_SCALE_ORDER},
        {"BTreeMap<u8,u8>", "{\"1\":1,\"0x01\":2}", ITEE_ERR_SCALE_ORDER},
        {"Null", "0", ITEE_ERR_ARG},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct scale_type *t = parse_ok(bad[i].type);
        json_t *v = json_loads(bad[i].json, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        struct itee_buf b;
        itee_buf_init(&b, 0);
        assert_int_equal(scale_put_u8(&b, 0xaa), ITEE_OK);
        enum itee_err e = scale_value_encode(t, v, &b);
        if (e != bad[i].err)
            print_error("%s %s: %d\n", bad[i].type, bad[i].json, e);
        assert_int_equal(e, bad[i].err);
        assert_int_equal(b.len, 1); /* output restored */
        itee_buf_free(&b);
        json_decref(v);
        scale_type_free(t);
    }
}

static void test_enums_and_names(void **state)
{
    (void)state;
    const char *e = "{\"_enum\":{\"NFTOrder\":\"u8\",\"V1\":\"u8\",\"some_name\":\"u8\","
                    "\"ABC\":\"u8\",\"XMLHttp\":\"u8\",\"Unit\":\"Null\"}}";
    roundtrip(e, "{\"NFTOrder\":1}", "0001", "{\"nftOrder\":1}");
    roundtrip(e, "{\"v1\":1}", "0101", NULL);
    roundtrip(e, "{\"some_name\":1}", "0201", "{\"someName\":1}");
    roundtrip(e, "{\"someName\":1}", "0201", NULL);
    roundtrip(e, "{\"ABC\":1}", "0301", "{\"abc\":1}");
    roundtrip(e, "{\"XMLHttp\":1}", "0401", "{\"xmlHttp\":1}");
    roundtrip(e, "\"Unit\"", "05", "{\"unit\":null}");
    /* unit-only enums are bare names, also with explicit indices */
    roundtrip("{\"_enum\":[\"Foo\",\"BarBaz\"]}", "\"BarBaz\"", "01", NULL);
    roundtrip("{\"_enum\":{\"Foo\":\"Null\",\"BarBaz\":\"Null\"}}", "\"BarBaz\"", "01", NULL);
    roundtrip("{\"_enum\":{\"Foo\":3,\"BarBaz\":7}}", "\"BarBaz\"", "07", NULL);
    roundtrip("{\"_enum\":{\"Foo\":3,\"BarBaz\":7}}", "3", "03", "\"Foo\"");
    /* nested definitions, as objects and inline in type strings */
    roundtrip("{\"a\":{\"_enum\":[\"X\",\"Y\"]},\"b_c\":\"Vec<{\\\"q\\\":\\\"u8\\\"}>\"}",
              "{\"a\":\"Y\",\"b_c\":[{\"q\":1}]}", "010401", NULL);
    roundtrip("Option<{\"_enum\":{\"A\":\"(u8,u16)\"}}>", "{\"a\":[1,2]}", "0100010200", NULL);

    /* unknown variant index on the wire */
    struct scale_type *t = parse_ok("{\"_enum\":{\"Foo\":3,\"BarBaz\":7}}");
    uint8_t in[1] = {4};
    struct scale_reader r;
    scale_reader_init(&r, in, 1);
    json_t *v = (json_t *)1;
    assert_int_equal(scale_value_decode(t, &r, &v), ITEE_ERR_SCALE_VARIANT);
    assert_null(v);
    assert_int_equal(r.pos, 0);
    scale_type_free(t);
}

static void test_map_keys(void **state)
{
    (void)state;
    /* key strings as polkadot-js key.toString() */
    roundtrip("BTreeMap<Text,u8>", "{\"b\":1,\"a\":2}", "08046102046201", "{\"a\":2,\"b\":1}");
    roundtrip("BTreeMap<Text,u8>", "{\"b\":1,\"aa\":2}", "0808616102046201", "{\"aa\":2,\"b\":1}");
    roundtrip("BTreeMap<bool,u8>", "{\"true\":1,\"false\":2}", "0800020101",
              "{\"false\":2,\"true\":1}");
    roundtrip("BTreeMap<Bytes,u8>", "{\"0x0102\":1,\"0x01\":2}", "0804010208010201",
              "{\"0x01\":2,\"0x0102\":1}");
    roundtrip("BTreeMap<Option<u8>,u8>", "{\"5\":2,\"\":1}", "080001010502", "{\"\":1,\"5\":2}");
    roundtrip("BTreeMap<i8,u8>", "{\"1\":2,\"-1\":1}", "08ff010102", "{\"-1\":1,\"1\":2}");
    roundtrip("BTreeMap<Vec<u16>,u8>", "{\"[2]\":1,\"[1, 5]\":2,\"[1]\":3}",
              "0c0401000308010005000204020001", "{\"[1]\":3,\"[1, 5]\":2,\"[2]\":1}");
    roundtrip("BTreeMap<(u8,u8),u8>", "{\"[1,2]\":3}", "04010203", NULL);
    roundtrip("BTreeMap<u64,u8>", "{\"18446744073709551615\":1,\"5\":2}",
              "08050000000000000002ffffffffffffffff01", "{\"5\":2,\"18446744073709551615\":1}");
    roundtrip("BTreeMap<Result<Null,u8>,u8>", "[[{\"err\":3},2],[{\"ok\":null},1]]", "080001010302",
              "{\"Ok\":1,\"{\\\"err\\\":3}\":2}");
    roundtrip("BTreeMap<Result<Null,u8>,u8>", "{\"Ok\":1,\"{\\\"err\\\":3}\":2}", "080001010302",
              NULL);

    /* decoding rejects keys out of order and duplicates */
    struct scale_type *t = parse_ok("BTreeMap<u32,bool>");
    static const char *bad[] = {"0802000000000100000001", "0801000000010100000000"};
    for (size_t i = 0; i < 2; i++) {
        uint8_t in[16];
        size_t n = 0;
        assert_int_equal(itee_hex_decode(in, sizeof(in), &n, bad[i], strlen(bad[i])), ITEE_OK);
        struct scale_reader r;
        scale_reader_init(&r, in, n);
        json_t *v = NULL;
        assert_int_equal(scale_value_decode(t, &r, &v), ITEE_ERR_SCALE_ORDER);
        assert_null(v);
    }
    scale_type_free(t);
}

static void test_parse_errors_and_limits(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum itee_err err;
    } bad[] = {
        {"", ITEE_ERR_PARSE},
        {"u7", ITEE_ERR_PARSE},
        {"Vec<u8", ITEE_ERR_PARSE},
        {"Vec<u8>>", ITEE_ERR_PARSE},
        {"Compact<i32>", ITEE_ERR_PARSE},
        {"Compact<u256>", ITEE_ERR_PARSE},
        {"[u8]", ITEE_ERR_PARSE},
        {"[u8;]", ITEE_ERR_PARSE},
        {"[u8;99999999999]", ITEE_ERR_SPACE},
        {"Result<u8>", ITEE_ERR_PARSE},
        {"(u8,", ITEE_ERR_PARSE},
        {"{\"_set\":{\"A\":1}}", ITEE_ERR_UNSUPPORTED},
        {"{\"_enum\":{\"A\":1,\"B\":\"u8\"}}", ITEE_ERR_PARSE},
        {"{\"_enum\":{\"A\":1,\"B\":1}}", ITEE_ERR_PARSE},
        {"{\"_enum\":{\"A\":300}}", ITEE_ERR_PARSE},
        {"{\"_enum\":[\"A\",\"A\"]}", ITEE_ERR_PARSE},
        {"{\"a\":1}", ITEE_ERR_PARSE},
        {"{\"a\":\"u8\",\"a\":\"u8\"}", ITEE_ERR_PARSE},
        {"{\"a\":\"u8\"", ITEE_ERR_PARSE},
        {"u8 u8", ITEE_ERR_PARSE},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct scale_type *t = (struct scale_type *)1;
        enum itee_err e = scale_type_parse(bad[i].text, strlen(bad[i].text), &t);
        if (e != bad[i].err)
            print_error("%s: %d\n", bad[i].text, e);
        assert_int_equal(e, bad[i].err);
        assert_null(t);
    }
    /* nesting past the depth limit */
    char deep[400];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(deep + n, sizeof(deep) - n, "Vec<");
    n += (size_t)snprintf(deep + n, sizeof(deep) - n, "u8");
    for (int i = 0; i < 40; i++)
        deep[n++] = '>';
    struct scale_type *t = NULL;
    assert_int_equal(scale_type_parse(deep, n, &t), ITEE_ERR_SPACE);
    /* too many nodes: a wide tuple */
    static char wide[5 * 5000];
    n = 0;
    wide[n++] = '(';
    for (int i = 0; i < 4500; i++) {
        memcpy(wide + n, "u8,", 3);
        n += 3;
    }
    wide[n++] = 'u';
    wide[n++] = '8';
    wide[n++] = ')';
    assert_int_equal(scale_type_parse(wide, n, &t), ITEE_ERR_SPACE);
    assert_int_equal(scale_type_parse("u8", SCALE_TYPE_MAX_TEXT + 1, &t), ITEE_ERR_SPACE);
}

static void test_hostile_decode(void **state)
{
    (void)state;
    struct scale_type *t = parse_ok("Vec<()>");
    /* 2^30 zero-size elements: bounded by the item budget, not by memory */
    uint8_t bomb[5] = {0x03, 0x00, 0x00, 0x00, 0x40};
    struct scale_reader r;
    scale_reader_init(&r, bomb, sizeof(bomb));
    json_t *v = NULL;
    assert_int_equal(scale_value_decode(t, &r, &v), ITEE_ERR_SCALE_LENGTH);
    assert_null(v);
    scale_type_free(t);

    t = parse_ok("Vec<u64>");
    uint8_t big[6] = {0x03, 0xff, 0xff, 0xff, 0xff, 0x00};
    scale_reader_init(&r, big, sizeof(big));
    assert_int_equal(scale_value_decode(t, &r, &v), ITEE_ERR_SCALE_LENGTH);
    scale_type_free(t);

    t = parse_ok("[u64;1000]");
    assert_int_equal(scale_type_min_size(t), 8000);
    scale_reader_init(&r, big, sizeof(big));
    assert_int_equal(scale_value_decode(t, &r, &v), ITEE_ERR_SCALE_EOF);
    scale_type_free(t);

    t = parse_ok("Text");
    uint8_t bad_utf8[3] = {0x08, 0xc0, 0x80};
    scale_reader_init(&r, bad_utf8, sizeof(bad_utf8));
    assert_int_equal(scale_value_decode(t, &r, &v), ITEE_ERR_SCALE_UTF8);
    scale_type_free(t);

    /* every truncation of a composite encoding fails, and nothing is consumed */
    t = parse_ok("{\"a\":\"Vec<(u8,Text)>\",\"b\":\"Option<Compact<u128>>\",\"c\":\"BTreeMap<u16,"
                 "bool>\"}");
    static const char *hexin = "080114416c696365020001030000004008010001020000";
    uint8_t in[64];
    size_t n = 0;
    assert_int_equal(itee_hex_decode(in, sizeof(in), &n, hexin, strlen(hexin)), ITEE_OK);
    scale_reader_init(&r, in, n);
    assert_int_equal(scale_value_decode(t, &r, &v), ITEE_OK);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    json_decref(v);
    for (size_t cut = 0; cut < n; cut++) {
        scale_reader_init(&r, in, cut);
        v = NULL;
        enum itee_err e = scale_value_decode(t, &r, &v);
        assert_true(e == ITEE_ERR_SCALE_EOF || e == ITEE_ERR_SCALE_LENGTH);
        assert_int_equal(r.pos, 0);
        assert_null(v);
    }
    scale_type_free(t);
}

static void test_parse_oom_loop(void **state)
{
    (void)state;
    const char *text = "{\"a\":\"Vec<(u8,Text)>\",\"b\":{\"_enum\":{\"X\":\"Null\",\"Y\":\"[u16;"
                       "3]\"}},\"c\":\"BTreeMap<u16,Option<bool>>\"}";
    for (long n = 0;; n++) {
        struct scale_type *t = NULL;
        itee_mem_fail_after(n);
        enum itee_err e = scale_type_parse(text, strlen(text), &t);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK) {
            scale_type_free(t);
            break;
        }
        assert_int_equal(e, ITEE_ERR_NOMEM);
        assert_null(t);
        assert_true(n < 1000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_vectors),
        cmocka_unit_test(test_integer_json_forms),
        cmocka_unit_test(test_enums_and_names),
        cmocka_unit_test(test_map_keys),
        cmocka_unit_test(test_parse_errors_and_limits),
        cmocka_unit_test(test_hostile_decode),
        cmocka_unit_test(test_parse_oom_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
