/*
 * test_metadata.c - the metadata builder: rebuilds the spec's minimal V14 metadata
 * (substrate-compat.md 8.6) byte for byte, checks the served wrappings (8.1), V15, type
 * deduplication and recursion, defaults, argument errors, and an OOM loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chain/metadata.h"
#include "common/hex.h"
#include "common/mem.h"
#include "metadata_mini.h"

/* Reads tests/vectors/mini-metadata-v14.hex into a fresh allocation. */
static uint8_t *read_vector(size_t *len)
{
    FILE *f = fopen(ITEE_SOURCE_DIR "/tests/vectors/mini-metadata-v14.hex", "rb");
    assert_non_null(f);
    static char text[32768];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        n--;
    uint8_t *out = malloc(n / 2 + 1);
    assert_non_null(out);
    assert_int_equal(itee_hex_decode(out, n / 2 + 1, len, text, n), ITEE_OK);
    return out;
}

static struct metadata_builder *mini(void)
{
    struct metadata_builder *b = NULL;
    assert_int_equal(metadata_builder_new(&b), ITEE_OK);
    metadata_mini_build(b);
    assert_int_equal(metadata_builder_status(b), ITEE_OK);
    return b;
}

static void test_mini_v14_exact(void **state)
{
    (void)state;
    size_t want_len = 0;
    uint8_t *want = read_vector(&want_len);
    assert_int_equal(want_len, 8445);
    struct metadata_builder *b = mini();
    assert_int_equal(metadata_type_count(b), 54);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    assert_int_equal(metadata_encode_v14(b, &out), ITEE_OK);
    if (out.len != want_len || memcmp(out.ptr, want, want_len) != 0) {
        size_t i = 0;
        while (i < out.len && i < want_len && out.ptr[i] == want[i])
            i++;
        print_error("first difference at byte %zu (got len %zu, want %zu)\n", i, out.len, want_len);
    }
    assert_int_equal(out.len, want_len);
    assert_memory_equal(out.ptr, want, want_len);
    itee_buf_free(&out);
    metadata_builder_free(b);
    free(want);
}

static void test_wrappings(void **state)
{
    (void)state;
    struct metadata_builder *b = mini();
    metadata_outer_enums_set(b, 26, 47, 44); /* mini has no RuntimeError: V15 needs one */
    struct itee_buf raw, opq, at14, at15, at16, v15, vers;
    itee_buf_init(&raw, 0);
    itee_buf_init(&opq, 0);
    itee_buf_init(&at14, 0);
    itee_buf_init(&at15, 0);
    itee_buf_init(&at16, 0);
    itee_buf_init(&v15, 0);
    itee_buf_init(&vers, 0);
    assert_int_equal(metadata_encode_v14(b, &raw), ITEE_OK);
    assert_int_equal(metadata_encode_opaque(b, &opq), ITEE_OK);
    assert_int_equal(metadata_encode_at_version(b, 14, &at14), ITEE_OK);
    assert_int_equal(metadata_encode_at_version(b, 15, &at15), ITEE_OK);
    assert_int_equal(metadata_encode_at_version(b, 16, &at16), ITEE_OK);
    assert_int_equal(metadata_encode_v15(b, &v15), ITEE_OK);
    assert_int_equal(metadata_encode_versions(b, &vers), ITEE_OK);
    /* 8445 = compact 4-byte mode: (8445 << 2) | 1 = 0x83f5 -> f5 83 */
    assert_int_equal(opq.len, raw.len + 2);
    assert_int_equal(opq.ptr[0], 0xf5);
    assert_int_equal(opq.ptr[1], 0x83);
    assert_memory_equal(opq.ptr + 2, raw.ptr, raw.len);
    assert_int_equal(at14.len, opq.len + 1);
    assert_int_equal(at14.ptr[0], 1);
    assert_memory_equal(at14.ptr + 1, opq.ptr, opq.len);
    assert_int_equal(at16.len, 1);
    assert_int_equal(at16.ptr[0], 0);
    assert_int_equal(at15.ptr[0], 1);
    static const uint8_t head15[] = {0x6d, 0x65, 0x74, 0x61, 0x0f};
    assert_memory_equal(v15.ptr, head15, 5);
    assert_memory_equal(at15.ptr + 3, v15.ptr, v15.len); /* 01 + 2-byte compact length */
    /* V15 = same registry, pallets + docs byte (2 pallets), different extrinsic, tail */
    assert_memory_equal(v15.ptr + 5, raw.ptr + 5, 5000);
    static const uint8_t want_vers[] = {0x08, 14, 0, 0, 0, 15, 0, 0, 0};
    assert_int_equal(vers.len, sizeof(want_vers));
    assert_memory_equal(vers.ptr, want_vers, sizeof(want_vers));
    itee_buf_free(&raw);
    itee_buf_free(&opq);
    itee_buf_free(&at14);
    itee_buf_free(&at15);
    itee_buf_free(&at16);
    itee_buf_free(&v15);
    itee_buf_free(&vers);
    metadata_builder_free(b);
}

static void test_versions_without_v15(void **state)
{
    (void)state;
    struct metadata_builder *b = mini(); /* no RuntimeError: V15 is not offered */
    struct itee_buf vers, v15;
    itee_buf_init(&vers, 0);
    itee_buf_init(&v15, 0);
    assert_int_equal(metadata_encode_v15(b, &v15), ITEE_ERR_ARG);
    assert_int_equal(v15.len, 0);
    assert_int_equal(metadata_encode_versions(b, &vers), ITEE_OK);
    static const uint8_t want[] = {0x04, 14, 0, 0, 0};
    assert_int_equal(vers.len, sizeof(want));
    assert_memory_equal(vers.ptr, want, sizeof(want));
    itee_buf_free(&vers);
    itee_buf_free(&v15);
    metadata_builder_free(b);
}

static void test_v15_tail(void **state)
{
    (void)state;
    struct metadata_builder *b = mini();
    uint32_t u32t = metadata_type_u32(b);
    uint32_t acc = metadata_type_account_id32(b);
    struct metadata_api_param in[] = {{"account", acc}};
    struct metadata_api_method m[] = {
        {.name = "account_nonce", .inputs = in, .n_inputs = 1, .output = u32t, .docs = "a\nb"}};
    metadata_api_add(
        b, &(struct metadata_api){.name = "AccountNonceApi", .methods = m, .n_methods = 1});
    metadata_outer_enums_set(b, 26, 47, 44);
    static const uint8_t v1[] = {7, 0, 0, 0};
    metadata_custom_add(b, "zz", u32t, v1, 4);
    metadata_custom_add(b, "aa", u32t, v1, 4);
    assert_int_equal(metadata_builder_status(b), ITEE_OK);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    assert_int_equal(metadata_encode_v15(b, &out), ITEE_OK);
    /* tail: apis, outer enums (26 47 44), custom map in key order: "aa" then "zz" */
    static const uint8_t tail[] = {
        0x04, 0x3c,    'A',     'c',     'c',  'o',     'u',    'n',  't',    'N',  'o',  'n',
        'c',  'e',     'A',     'p',     'i',  0x04,    0x34,   'a',  'c',    'c',  'o',  'u',
        'n',  't',     '_',     'n',     'o',  'n',     'c',    'e',  0x04,   0x1c, 'a',  'c',
        'c',  'o',     'u',     'n',     't',  17 << 2, 2 << 2, 0x08, 0x04,   'a',  0x04, 'b',
        0x00, 26 << 2, 47 << 2, 44 << 2, 0x08, 0x08,    'a',    'a',  2 << 2, 0x10, 7,    0,
        0,    0,       0x08,    'z',     'z',  2 << 2,  0x10,   7,    0,      0,    0};
    assert_true(out.len > sizeof(tail));
    assert_memory_equal(out.ptr + out.len - sizeof(tail), tail, sizeof(tail));
    /* extrinsic V15: version 4, address 23, call 26, signature 27, extra 37 */
    static const uint8_t x15[] = {4, 23 << 2, 26 << 2, 27 << 2, 37 << 2, 8 << 2};
    bool found = false;
    for (size_t i = 0; i + sizeof(x15) <= out.len && !found; i++)
        found = memcmp(out.ptr + i, x15, sizeof(x15)) == 0;
    assert_true(found);
    itee_buf_free(&out);
    metadata_builder_free(b);
}

static void test_dedup_and_recursion(void **state)
{
    (void)state;
    struct metadata_builder *b = NULL;
    assert_int_equal(metadata_builder_new(&b), ITEE_OK);
    uint32_t a = metadata_type_u32(b);
    assert_int_equal(metadata_type_u32(b), a);
    uint32_t v = metadata_type_vec(b, a);
    assert_int_equal(metadata_type_vec(b, a), v);
    uint32_t o1 = metadata_type_option(b, a);
    assert_int_equal(metadata_type_option(b, a), o1);
    assert_int_not_equal(metadata_type_option(b, v), o1);
    /* Call = remark | batch(Vec<Call>) via reserve/define */
    uint32_t call = metadata_type_reserve(b, "rt::RuntimeCall", NULL, 0);
    uint32_t calls = metadata_type_vec(b, call);
    struct metadata_field f[] = {{.name = "calls", .ty = calls}};
    struct metadata_variant vs[] = {{.name = "remark", .index = 0},
                                    {.name = "batch", .index = 1, .fields = f, .n_fields = 1}};
    struct metadata_type t = {
        .path = "rt::RuntimeCall", .def = METADATA_DEF_VARIANT, .variants = vs, .n_variants = 2};
    metadata_type_define(b, call, &t);
    assert_int_equal(metadata_builder_status(b), ITEE_OK);
    assert_int_equal(metadata_type_add(b, &t), call);
    assert_int_equal(metadata_type_find(b, "rt::RuntimeCall"), call);
    struct itee_buf d;
    itee_buf_init(&d, 0);
    assert_int_equal(metadata_type_default(b, call, &d), ITEE_OK);
    assert_int_equal(d.len, 1);
    assert_int_equal(d.ptr[0], 0);
    /* same path, different definition: an error, and sticky */
    struct metadata_variant other[] = {{.name = "x", .index = 0}};
    assert_int_equal(metadata_type_variant(b, "rt::RuntimeCall", NULL, 0, other, 1),
                     METADATA_TY_NONE);
    assert_int_equal(metadata_builder_status(b), ITEE_ERR_ARG);
    assert_int_equal(metadata_type_u8(b), METADATA_TY_NONE);
    assert_int_equal(metadata_encode_v14(b, &d), ITEE_ERR_ARG);
    assert_int_equal(d.len, 1);
    itee_buf_free(&d);
    metadata_builder_free(b);
}

static void test_defaults(void **state)
{
    (void)state;
    struct metadata_builder *b = NULL;
    assert_int_equal(metadata_builder_new(&b), ITEE_OK);
    uint32_t u16t = metadata_type_u16(b), s = metadata_type_str(b);
    uint32_t tup[] = {u16t, s, metadata_type_compact(b, u16t)};
    uint32_t t = metadata_type_tuple(b, tup, 3);
    struct metadata_variant v[] = {{.name = "B", .index = 5, .fields = NULL},
                                   {.name = "A", .index = 2}};
    uint32_t e = metadata_type_variant(b, "x::E", NULL, 0, v, 2);
    uint32_t arr = metadata_type_array(b, 3, t);
    struct itee_buf d;
    itee_buf_init(&d, 0);
    assert_int_equal(metadata_type_default(b, arr, &d), ITEE_OK);
    assert_int_equal(d.len, 3 * 4);
    assert_int_equal(metadata_type_default(b, e, &d), ITEE_OK);
    assert_int_equal(d.ptr[d.len - 1], 2);
    assert_int_equal(metadata_type_default(b, 999, &d), ITEE_ERR_ARG);
    assert_int_equal(d.len, 13);
    /* missing extrinsic / runtime type: nothing to encode */
    assert_int_equal(metadata_encode_v14(b, &d), ITEE_ERR_ARG);
    assert_int_equal(d.len, 13);
    /* references to unknown types */
    assert_int_equal(metadata_type_vec(b, 77), METADATA_TY_NONE);
    assert_int_equal(metadata_builder_status(b), ITEE_ERR_ARG);
    itee_buf_free(&d);
    metadata_builder_free(b);
}

static void test_bad_variants(void **state)
{
    (void)state;
    struct metadata_builder *b = NULL;
    assert_int_equal(metadata_builder_new(&b), ITEE_OK);
    struct metadata_variant dup[] = {{.name = "A", .index = 1}, {.name = "B", .index = 1}};
    assert_int_equal(metadata_type_variant(b, "x::D", NULL, 0, dup, 2), METADATA_TY_NONE);
    assert_int_equal(metadata_builder_status(b), ITEE_ERR_ARG);
    metadata_builder_free(b);
    /* a pallet's calls must point at a variant type */
    assert_int_equal(metadata_builder_new(&b), ITEE_OK);
    metadata_mini_build(b);
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "X",
                                                     .index = 9,
                                                     .calls = 0,
                                                     .events = METADATA_TY_NONE,
                                                     .errors = METADATA_TY_NONE});
    struct itee_buf d;
    itee_buf_init(&d, 0);
    assert_int_equal(metadata_encode_v14(b, &d), ITEE_ERR_ARG);
    assert_int_equal(d.len, 0);
    itee_buf_free(&d);
    metadata_builder_free(b);
}

/* Decodes blob, checks the version, re-encodes it and compares. */
static void roundtrip(const uint8_t *blob, size_t len, uint32_t want_version)
{
    struct metadata_builder *d = NULL;
    uint32_t v = 0;
    assert_int_equal(metadata_decode(blob, len, &d, &v), ITEE_OK);
    assert_int_equal(v, want_version);
    struct itee_buf again;
    itee_buf_init(&again, 0);
    if (v == 14)
        assert_int_equal(metadata_encode_v14(d, &again), ITEE_OK);
    else
        assert_int_equal(metadata_encode_v15(d, &again), ITEE_OK);
    assert_int_equal(again.len, len);
    assert_memory_equal(again.ptr, blob, len);
    itee_buf_free(&again);
    metadata_builder_free(d);
}

static void test_decode(void **state)
{
    (void)state;
    size_t len = 0;
    uint8_t *want = read_vector(&len);
    roundtrip(want, len, 14);
    /* the decoded registry is inspectable */
    struct metadata_builder *d = NULL;
    uint32_t v = 0;
    assert_int_equal(metadata_decode(want, len, &d, &v), ITEE_OK);
    assert_int_equal(metadata_type_count(d), 54);
    assert_int_equal(metadata_pallet_count(d), 2);
    assert_string_equal(metadata_pallet_get(d, 1)->name, "Balances");
    assert_string_equal(metadata_type_get(d, 28)->path, "sp_runtime::generic::era::Era");
    assert_int_equal(metadata_type_get(d, 28)->n_variants, 256);
    /* V15 from the decoded builder, and back */
    metadata_outer_enums_set(d, 26, 47, 44);
    struct itee_buf v15;
    itee_buf_init(&v15, 0);
    assert_int_equal(metadata_encode_v15(d, &v15), ITEE_OK);
    roundtrip(v15.ptr, v15.len, 15);
    itee_buf_free(&v15);
    metadata_builder_free(d);
    /* every truncation fails cleanly, never crashes */
    for (size_t n = 0; n < len; n += (n < 64 ? 1 : 97)) {
        assert_int_not_equal(metadata_decode(want, n, &d, &v), ITEE_OK);
        assert_null(d);
        assert_int_equal(v, 0);
    }
    /* trailing byte, bad magic, other version */
    uint8_t *x = malloc(len + 1);
    assert_non_null(x);
    memcpy(x, want, len);
    x[len] = 0;
    assert_int_equal(metadata_decode(x, len + 1, &d, &v), ITEE_ERR_SCALE_TRAILING);
    x[0] ^= 1;
    assert_int_equal(metadata_decode(x, len, &d, &v), ITEE_ERR_FORMAT);
    x[0] ^= 1;
    x[4] = 16;
    assert_int_equal(metadata_decode(x, len, &d, &v), ITEE_ERR_UNSUPPORTED);
    x[4] = 14;
    /* type 1 claims id 2: ids must be positions */
    assert_int_equal(x[12], 1 << 2);
    x[12] = 2 << 2;
    assert_int_equal(metadata_decode(x, len, &d, &v), ITEE_ERR_FORMAT);
    free(x);
    free(want);
}

static void test_oom(void **state)
{
    (void)state;
    size_t want_len = 0;
    uint8_t *want = read_vector(&want_len);
    for (long n = 0;; n++) {
        itee_mem_fail_after(n);
        struct metadata_builder *b = NULL;
        struct itee_buf out;
        itee_buf_init(&out, 0);
        enum itee_err r = metadata_builder_new(&b);
        if (r == ITEE_OK) {
            metadata_mini_build(b);
            r = metadata_encode_v14(b, &out);
        }
        bool hit = itee_mem_fault_hit();
        itee_mem_fail_after(-1);
        if (r == ITEE_OK) {
            assert_int_equal(out.len, want_len);
            assert_memory_equal(out.ptr, want, want_len);
        } else {
            assert_int_equal(r, ITEE_ERR_NOMEM);
            assert_int_equal(out.len, 0);
        }
        itee_buf_free(&out);
        metadata_builder_free(b);
        if (!hit) {
            assert_int_equal(r, ITEE_OK);
            break;
        }
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mini_v14_exact),
        cmocka_unit_test(test_wrappings),
        cmocka_unit_test(test_v15_tail),
        cmocka_unit_test(test_dedup_and_recursion),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bad_variants),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_versions_without_v15),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
