/*
 * test_scale.c - SCALE primitives: spec §1 vectors, exhaustive compact boundaries and all
 * 1-/2-byte inputs, truncation at every position, hostile length prefixes, writer OOM loop,
 * BTreeMap entry sorting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codec/scale.h"
#include "common/hex.h"
#include "common/mem.h"

/* Decodes hex into out (test helper). Returns: the byte count. */
static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out, cap, &n, hex, strlen(hex)), ITEE_OK);
    return n;
}

static void assert_buf_hex(const struct itee_buf *b, const char *hex)
{
    uint8_t want[64];
    size_t n = unhex(want, sizeof(want), hex);
    assert_int_equal(b->len, n);
    if (n > 0)
        assert_memory_equal(b->ptr, want, n);
}

static void test_fixed_width_vectors(void **state)
{
    (void)state;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(scale_put_u8(&b, 69), ITEE_OK);
    assert_buf_hex(&b, "45");
    itee_buf_reset(&b);
    assert_int_equal(scale_put_u16(&b, 42), ITEE_OK);
    assert_buf_hex(&b, "2a00");
    itee_buf_reset(&b);
    assert_int_equal(scale_put_u32(&b, 16777215), ITEE_OK);
    assert_buf_hex(&b, "ffffff00");
    itee_buf_reset(&b);
    assert_int_equal(scale_put_u64(&b, 0x1234567890abcdefULL), ITEE_OK);
    assert_buf_hex(&b, "efcdab9078563412");
    itee_buf_reset(&b);
    assert_int_equal(scale_put_i16(&b, -2), ITEE_OK);
    assert_buf_hex(&b, "feff");
    itee_buf_reset(&b);
    assert_int_equal(scale_put_i128(&b, -2), ITEE_OK);
    assert_buf_hex(&b, "feffffffffffffffffffffffffffffff");

    struct scale_reader r;
    scale_reader_init(&r, b.ptr, b.len);
    itee_i128 v;
    assert_int_equal(scale_read_i128(&r, &v), ITEE_OK);
    assert_true(v == -2);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);

    uint8_t in[8];
    size_t n = unhex(in, sizeof(in), "efcdab9078563412");
    scale_reader_init(&r, in, n);
    uint64_t u;
    assert_int_equal(scale_read_u64(&r, &u), ITEE_OK);
    assert_true(u == 0x1234567890abcdefULL);
    scale_reader_init(&r, in, 2);
    int16_t s16;
    assert_int_equal(scale_read_i16(&r, &s16), ITEE_OK);
    assert_int_equal(s16, (int16_t)0xcdef);
    assert_int_equal(scale_read_u8(&r, in), ITEE_ERR_SCALE_EOF);
    itee_buf_free(&b);
}

/* Spec §1.2 compact vectors: (value as u128 halves, encoding). */
static const struct {
    uint64_t hi, lo;
    const char *hex;
} compact_vectors[] = {
    {0, 0, "00"},
    {0, 1, "04"},
    {0, 42, "a8"},
    {0, 63, "fc"},
    {0, 64, "0101"},
    {0, 69, "1501"},
    {0, 16383, "fdff"},
    {0, 16384, "02000100"},
    {0, 65535, "feff0300"},
    {0, (1u << 30) - 1, "feffffff"},
    {0, 1u << 30, "0300000040"},
    {0, 0xffffffffULL, "03ffffffff"},
    {0, 0x100000000ULL, "070000000001"},
    {0, UINT64_MAX, "13ffffffffffffffff"},
    {0, 100000000000000ULL, "0b00407a10f35a"},
    {UINT64_MAX, UINT64_MAX, "33ffffffffffffffffffffffffffffffff"},
};

static void test_compact_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(compact_vectors) / sizeof(compact_vectors[0]); i++) {
        itee_u128 v = ((itee_u128)compact_vectors[i].hi << 64) | compact_vectors[i].lo;
        uint8_t want[17], got[SCALE_COMPACT_MAX_LEN];
        size_t n = unhex(want, sizeof(want), compact_vectors[i].hex);
        assert_int_equal(scale_compact_len(v), n);
        assert_int_equal(scale_encode_compact(got, v), n);
        assert_memory_equal(got, want, n);
        struct scale_reader r;
        scale_reader_init(&r, want, n);
        itee_u128 back;
        assert_int_equal(scale_read_compact_u128(&r, &back), ITEE_OK);
        assert_true(back == v);
        assert_int_equal(scale_reader_finish(&r), ITEE_OK);
        /* narrower targets: fits or overflows, never silently truncates */
        uint64_t v64;
        scale_reader_init(&r, want, n);
        assert_int_equal(scale_read_compact_u64(&r, &v64),
                         v <= UINT64_MAX ? ITEE_OK : ITEE_ERR_SCALE_OVERFLOW);
        uint32_t v32;
        scale_reader_init(&r, want, n);
        assert_int_equal(scale_read_compact_u32(&r, &v32),
                         v <= UINT32_MAX ? ITEE_OK : ITEE_ERR_SCALE_OVERFLOW);
        if (v <= UINT32_MAX)
            assert_true(v32 == v);
    }
}

/* Every mode's bounds, and every big-mode byte count, round-trip and re-encode identically. */
static void test_compact_boundaries(void **state)
{
    (void)state;
    itee_u128 bounds[200];
    size_t nb = 0;
    bounds[nb++] = 0;
    bounds[nb++] = 63;
    bounds[nb++] = 64;
    bounds[nb++] = 16383;
    bounds[nb++] = 16384;
    bounds[nb++] = (1u << 30) - 1;
    bounds[nb++] = 1u << 30;
    for (unsigned bytes = 4; bytes <= 16; bytes++) {
        itee_u128 max = bytes == 16 ? ITEE_U128_MAX : ((itee_u128)1 << (8 * bytes)) - 1;
        bounds[nb++] = max;
        bounds[nb++] = max - 1;
        if (bytes > 4)
            bounds[nb++] = (itee_u128)1 << (8 * (bytes - 1));
    }
    for (size_t i = 0; i < nb; i++) {
        uint8_t enc[SCALE_COMPACT_MAX_LEN];
        size_t n = scale_encode_compact(enc, bounds[i]);
        struct scale_reader r;
        scale_reader_init(&r, enc, n);
        itee_u128 back;
        assert_int_equal(scale_read_compact_u128(&r, &back), ITEE_OK);
        assert_true(back == bounds[i]);
        assert_int_equal(r.pos, n);
        /* every strict prefix is EOF, and nothing is consumed */
        for (size_t k = 0; k < n; k++) {
            scale_reader_init(&r, enc, k);
            assert_int_equal(scale_read_compact_u128(&r, &back), ITEE_ERR_SCALE_EOF);
            assert_int_equal(r.pos, 0);
            assert_true(back == 0);
        }
    }
}

static void test_compact_noncanonical(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        enum itee_err u32, u64;
    } bad[] = {
        {"0100", ITEE_ERR_SCALE_NONCANONICAL, ITEE_ERR_SCALE_NONCANONICAL},       /* 0 in 2 bytes */
        {"fd00", ITEE_ERR_SCALE_NONCANONICAL, ITEE_ERR_SCALE_NONCANONICAL},       /* 63 */
        {"02000000", ITEE_ERR_SCALE_NONCANONICAL, ITEE_ERR_SCALE_NONCANONICAL},   /* 0 */
        {"feff0000", ITEE_ERR_SCALE_NONCANONICAL, ITEE_ERR_SCALE_NONCANONICAL},   /* 16383 */
        {"03ffffff3f", ITEE_ERR_SCALE_NONCANONICAL, ITEE_ERR_SCALE_NONCANONICAL}, /* 2^30-1 */
        {"0700000000", ITEE_ERR_SCALE_OVERFLOW, ITEE_ERR_SCALE_EOF}, /* 5 bytes, truncated */
        {"070000000000", ITEE_ERR_SCALE_OVERFLOW, ITEE_ERR_SCALE_NONCANONICAL}, /* top byte 0 */
        {"07ffffffff00", ITEE_ERR_SCALE_OVERFLOW, ITEE_ERR_SCALE_NONCANONICAL},
        {"170000000000000001", ITEE_ERR_SCALE_OVERFLOW, ITEE_ERR_SCALE_OVERFLOW}, /* 9 bytes */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t in[20];
        size_t n = unhex(in, sizeof(in), bad[i].hex);
        struct scale_reader r;
        uint32_t v32 = 7;
        uint64_t v64 = 7;
        scale_reader_init(&r, in, n);
        assert_int_equal(scale_read_compact_u32(&r, &v32), bad[i].u32);
        assert_int_equal(r.pos, 0);
        assert_int_equal(v32, 0);
        scale_reader_init(&r, in, n);
        assert_int_equal(scale_read_compact_u64(&r, &v64), bad[i].u64);
        assert_int_equal(r.pos, 0);
        assert_true(v64 == 0);
    }
}

/* Exhaustive: every 1- and 2-byte input either decodes and re-encodes to its consumed bytes,
 * or is rejected. */
static void test_compact_exhaustive_small(void **state)
{
    (void)state;
    size_t ok = 0;
    for (unsigned len = 1; len <= 2; len++) {
        for (unsigned x = 0; x < (1u << (8 * len)); x++) {
            uint8_t in[2] = {(uint8_t)x, (uint8_t)(x >> 8)};
            struct scale_reader r;
            scale_reader_init(&r, in, len);
            itee_u128 v;
            enum itee_err e = scale_read_compact_u128(&r, &v);
            if (e != ITEE_OK) {
                assert_int_equal(r.pos, 0);
                continue;
            }
            uint8_t enc[SCALE_COMPACT_MAX_LEN];
            size_t n = scale_encode_compact(enc, v);
            assert_int_equal(n, r.pos);
            assert_memory_equal(enc, in, n);
            ok++;
        }
    }
    /* 64 one-byte values; as 2-byte inputs: 64*256 mode-0 prefixes + 16320 mode-1 values */
    assert_int_equal(ok, 64 + 64 * 256 + (16384 - 64));
}

static void test_other_readers(void **state)
{
    (void)state;
    uint8_t in[32];
    size_t n = unhex(in, sizeof(in), "0001021448656c6c6f");
    struct scale_reader r;
    bool b;
    scale_reader_init(&r, in, n);
    assert_int_equal(scale_read_bool(&r, &b), ITEE_OK);
    assert_false(b);
    assert_int_equal(scale_read_bool(&r, &b), ITEE_OK);
    assert_true(b);
    assert_int_equal(scale_read_bool(&r, &b), ITEE_ERR_SCALE_BOOL);
    assert_int_equal(scale_read_option(&r, &b), ITEE_ERR_SCALE_OPTION);
    assert_int_equal(scale_read_result(&r, &b), ITEE_ERR_SCALE_VARIANT);
    uint8_t idx;
    assert_int_equal(scale_read_variant(&r, &idx), ITEE_OK);
    assert_int_equal(idx, 2);
    struct itee_slice s;
    assert_int_equal(scale_read_str(&r, &s), ITEE_OK);
    assert_int_equal(s.len, 5);
    assert_memory_equal(s.ptr, "Hello", 5);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);

    /* invalid UTF-8 (overlong, surrogate, truncated) is rejected without consuming */
    static const char *bad_utf8[] = {"08c080", "0ceda080", "04e2", "04ff"};
    for (size_t i = 0; i < 4; i++) {
        n = unhex(in, sizeof(in), bad_utf8[i]);
        scale_reader_init(&r, in, n);
        assert_int_equal(scale_read_str(&r, &s), ITEE_ERR_SCALE_UTF8);
        assert_int_equal(r.pos, 0);
        assert_null(s.ptr);
        scale_reader_init(&r, in, n);
        assert_int_equal(scale_read_vec_u8(&r, &s), ITEE_OK);
    }

    /* sub-reader: a view over the next n bytes */
    n = unhex(in, sizeof(in), "0102030405");
    scale_reader_init(&r, in, n);
    struct scale_reader sub;
    assert_int_equal(scale_reader_sub(&r, 3, &sub), ITEE_OK);
    assert_int_equal(scale_reader_remaining(&sub), 3);
    assert_int_equal(scale_reader_remaining(&r), 2);
    uint16_t u16;
    assert_int_equal(scale_read_u16(&sub, &u16), ITEE_OK);
    assert_int_equal(u16, 0x0201);
    assert_int_equal(scale_reader_finish(&sub), ITEE_ERR_SCALE_TRAILING);
    assert_int_equal(scale_read_u16(&sub, &u16), ITEE_ERR_SCALE_EOF);
    assert_int_equal(u16, 0);
    assert_int_equal(scale_reader_sub(&r, 3, &sub), ITEE_ERR_SCALE_EOF);
    assert_int_equal(scale_reader_remaining(&r), 2);

    uint8_t out[4] = {9, 9, 9, 9};
    assert_int_equal(scale_read_bytes(&r, out, 4), ITEE_ERR_SCALE_EOF);
    assert_int_equal(out[0], 0);
    assert_int_equal(scale_read_slice(&r, 2, &s), ITEE_OK);
    assert_int_equal(s.ptr[0], 4);
}

/* Truncating sample encodings at every position gives EOF (these types are prefix-free). */
static void test_truncation(void **state)
{
    (void)state;
    uint8_t in[64];
    /* Vec<u16>, then String, then u128, then Compact */
    size_t n = unhex(in, sizeof(in),
                     "18040008000f00100017002a00"
                     "1448656c6c6f"
                     "feffffffffffffffffffffffffffffff"
                     "0b00407a10f35a");
    for (size_t cut = 0; cut < n; cut++) {
        struct scale_reader r;
        scale_reader_init(&r, in, cut);
        size_t count;
        enum itee_err e = scale_read_len(&r, &count, 2);
        for (size_t i = 0; e == ITEE_OK && i < count; i++) {
            uint16_t x;
            e = scale_read_u16(&r, &x);
        }
        struct itee_slice s;
        itee_u128 big;
        uint64_t c;
        if (e == ITEE_OK)
            e = scale_read_str(&r, &s);
        if (e == ITEE_OK)
            e = scale_read_u128(&r, &big);
        if (e == ITEE_OK)
            e = scale_read_compact_u64(&r, &c);
        /* a length prefix cut so the elements cannot fit is reported as LENGTH */
        assert_true(e == ITEE_ERR_SCALE_EOF || e == ITEE_ERR_SCALE_LENGTH);
    }
}

static void test_hostile_lengths(void **state)
{
    (void)state;
    uint8_t in[8];
    /* Compact<u32> max length (2^32-1) with 3 bytes of content */
    size_t n = unhex(in, sizeof(in), "03ffffffff414243");
    struct scale_reader r;
    scale_reader_init(&r, in, n);
    struct itee_slice s;
    size_t count = 99;
    assert_int_equal(scale_read_vec_u8(&r, &s), ITEE_ERR_SCALE_LENGTH);
    assert_int_equal(r.pos, 0);
    assert_int_equal(scale_read_len(&r, &count, 1), ITEE_ERR_SCALE_LENGTH);
    assert_int_equal(count, 0);
    /* huge element size cannot overflow the check */
    n = unhex(in, sizeof(in), "08");
    scale_reader_init(&r, in, n);
    assert_int_equal(scale_read_len(&r, &count, SIZE_MAX), ITEE_ERR_SCALE_LENGTH);
    /* zero-size elements: any count is allowed by the length check */
    assert_int_equal(scale_read_len(&r, &count, 0), ITEE_OK);
    assert_int_equal(count, 2);
    /* lengths past u32 are an overflow of the length type */
    n = unhex(in, sizeof(in), "070000000001");
    scale_reader_init(&r, in, n);
    assert_int_equal(scale_read_len(&r, &count, 0), ITEE_ERR_SCALE_OVERFLOW);
}

/* Writes a composite value; used by the OOM loop. */
static enum itee_err write_sample(struct itee_buf *b)
{
    static const uint8_t blob[300] = {1, 2, 3};
    enum itee_err e = scale_put_u32(b, 7);
    if (e == ITEE_OK)
        e = scale_put_vec_u8(b, blob, sizeof(blob));
    if (e == ITEE_OK)
        e = scale_put_str(b, "Hello", 5);
    if (e == ITEE_OK)
        e = scale_put_compact_u128(b, ITEE_U128_MAX);
    if (e == ITEE_OK)
        e = scale_put_option(b, true);
    for (int i = 0; i < 200 && e == ITEE_OK; i++)
        e = scale_put_u64(b, (uint64_t)i * 0x0101010101010101ULL);
    return e;
}

static void test_writer_oom_loop(void **state)
{
    (void)state;
    struct itee_buf ref;
    itee_buf_init(&ref, 0);
    assert_int_equal(write_sample(&ref), ITEE_OK);
    for (long n = 0;; n++) {
        struct itee_buf b;
        itee_buf_init(&b, 0);
        itee_mem_fail_after(n);
        enum itee_err e = write_sample(&b);
        bool hit = itee_mem_fault_hit();
        itee_mem_fail_after(-1);
        if (e == ITEE_OK) {
            assert_false(hit);
            assert_int_equal(b.len, ref.len);
            assert_memory_equal(b.ptr, ref.ptr, ref.len);
            itee_buf_free(&b);
            break;
        }
        assert_int_equal(e, ITEE_ERR_NOMEM);
        itee_buf_free(&b);
        assert_true(n < 100);
    }
    /* the hard maximum is respected */
    struct itee_buf small;
    itee_buf_init(&small, 16);
    assert_int_equal(write_sample(&small), ITEE_ERR_SPACE);
    assert_true(small.len <= 16);
    itee_buf_free(&small);
    itee_buf_free(&ref);
}

static void test_writers_misc(void **state)
{
    (void)state;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(scale_put_str(&b, "\xc0\x80", 2), ITEE_ERR_SCALE_UTF8);
    assert_int_equal(b.len, 0);
    assert_int_equal(scale_put_str(&b, "", 0), ITEE_OK);
    assert_int_equal(scale_put_result(&b, true), ITEE_OK);
    assert_int_equal(scale_put_bool(&b, false), ITEE_OK);
    assert_int_equal(scale_put_variant(&b, 2), ITEE_OK);
    assert_int_equal(scale_put_compact(&b, 69), ITEE_OK);
    assert_int_equal(scale_put_i8(&b, -1), ITEE_OK);
    assert_int_equal(scale_put_i32(&b, -2), ITEE_OK);
    assert_int_equal(scale_put_i64(&b, -3), ITEE_OK);
    assert_int_equal(scale_put_u128(&b, 1), ITEE_OK);
    assert_buf_hex(&b, "000100021501fffeffffff"
                       "fdffffffffffffff"
                       "01000000000000000000000000000000");
    itee_buf_free(&b);
}

/* BTreeMap<u32,bool> {2:false, 1:true} sorts to the spec vector. */
static void test_sort_entries(void **state)
{
    (void)state;
    uint8_t k1[4] = {1, 0, 0, 0}, k2[4] = {2, 0, 0, 0}, k256[4] = {0, 1, 0, 0};
    uint8_t t = 1, f = 0;
    struct scale_entry e[3] = {
        {{k256, 4}, {&f, 1}},
        {{k2, 4}, {&f, 1}},
        {{k1, 4}, {&t, 1}},
    };
    assert_int_equal(scale_sort_entries(e, 3, scale_key_cmp_uint_le, NULL), ITEE_OK);
    assert_ptr_equal(e[0].key.ptr, k1);
    assert_ptr_equal(e[1].key.ptr, k2);
    assert_ptr_equal(e[2].key.ptr, k256);
    /* raw (big-endian) order differs: 00 01 .. sorts first */
    assert_int_equal(scale_sort_entries(e, 3, scale_key_cmp_raw, NULL), ITEE_OK);
    assert_ptr_equal(e[0].key.ptr, k256);

    uint8_t m1[1] = {0xff}, p1[1] = {0x01};
    struct scale_entry s[2] = {{{p1, 1}, {NULL, 0}}, {{m1, 1}, {NULL, 0}}};
    assert_int_equal(scale_sort_entries(s, 2, scale_key_cmp_sint_le, NULL), ITEE_OK);
    assert_ptr_equal(s[0].key.ptr, m1);

    /* Strings: "aa" < "b" although the length prefix says otherwise */
    uint8_t sb[2] = {0x04, 'b'}, saa[3] = {0x08, 'a', 'a'};
    struct scale_entry v[2] = {{{sb, 2}, {NULL, 0}}, {{saa, 3}, {NULL, 0}}};
    assert_int_equal(scale_sort_entries(v, 2, scale_key_cmp_vec_u8, NULL), ITEE_OK);
    assert_ptr_equal(v[0].key.ptr, saa);

    struct scale_entry d[2] = {{{k1, 4}, {NULL, 0}}, {{k1, 4}, {NULL, 0}}};
    assert_int_equal(scale_sort_entries(d, 2, scale_key_cmp_uint_le, NULL), ITEE_ERR_SCALE_ORDER);
    assert_int_equal(scale_sort_entries(NULL, 0, scale_key_cmp_raw, NULL), ITEE_OK);

    /* a larger reverse-ordered set exercises the heap */
    uint8_t keys[100][2];
    struct scale_entry big[100];
    for (int i = 0; i < 100; i++) {
        keys[i][0] = (uint8_t)(99 - i);
        keys[i][1] = 0;
        big[i].key = itee_slice_make(keys[i], 2);
        big[i].value = itee_slice_make(NULL, 0);
    }
    assert_int_equal(scale_sort_entries(big, 100, scale_key_cmp_uint_le, NULL), ITEE_OK);
    for (int i = 0; i < 100; i++)
        assert_int_equal(big[i].key.ptr[0], i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_width_vectors),
        cmocka_unit_test(test_compact_vectors),
        cmocka_unit_test(test_compact_boundaries),
        cmocka_unit_test(test_compact_noncanonical),
        cmocka_unit_test(test_compact_exhaustive_small),
        cmocka_unit_test(test_other_readers),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_hostile_lengths),
        cmocka_unit_test(test_writer_oom_loop),
        cmocka_unit_test(test_writers_misc),
        cmocka_unit_test(test_sort_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
