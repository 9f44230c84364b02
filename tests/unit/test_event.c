/*
 * test_event.c - EventRecord encoding (phases, topics), the System.Events append with the
 * count prefix growing past 63 and 16383 records, and reading records back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/event.h"
#include "common/hex.h"

/* Test runtime: pallet 0 event 0 has a u32 field, everything else has none. */
static enum itee_err fields(void *ctx, uint8_t pallet, uint8_t variant, struct scale_reader *r)
{
    (void)ctx;
    if (pallet == 0 && variant == 0) {
        uint32_t v;
        return scale_read_u32(r, &v);
    }
    if (pallet == 0xff)
        return ITEE_ERR_SCALE_VARIANT;
    return ITEE_OK;
}

static void test_encode(void **state)
{
    (void)state;
    static const uint8_t f[4] = {1, 2, 3, 4};
    uint8_t topics[64];
    memset(topics, 0xab, sizeof(topics));
    struct event_record rec = {EVENT_PHASE_APPLY_EXTRINSIC, 3, 0, 0, {f, 4}, topics, 2};
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(event_record_encode(&b, &rec), ITEE_OK);
    /* 00 03000000 00 00 01020304 08 ab*64 */
    assert_int_equal(b.len, 1 + 4 + 2 + 4 + 1 + 64);
    assert_int_equal(b.ptr[0], 0);
    assert_int_equal(b.ptr[1], 3);
    assert_int_equal(b.ptr[11], 8);
    struct scale_reader r;
    struct event_record d;
    scale_reader_init(&r, b.ptr, b.len);
    assert_int_equal(event_record_read(&r, &d, fields, NULL), ITEE_OK);
    assert_int_equal(scale_reader_remaining(&r), 0);
    assert_int_equal(d.extrinsic_index, 3);
    assert_int_equal(d.fields.len, 4);
    assert_int_equal(d.n_topics, 2);
    assert_memory_equal(d.topics, topics, 64);
    /* Finalization carries no index */
    itee_buf_reset(&b);
    struct event_record fin = {EVENT_PHASE_FINALIZATION, 99, 4, 2, {NULL, 0}, NULL, 0};
    assert_int_equal(event_record_encode(&b, &fin), ITEE_OK);
    assert_int_equal(b.len, 4);
    static const uint8_t want[] = {1, 4, 2, 0};
    assert_memory_equal(b.ptr, want, 4);
    scale_reader_init(&r, b.ptr, b.len);
    assert_int_equal(event_record_read(&r, &d, fields, NULL), ITEE_OK);
    assert_int_equal(d.phase, EVENT_PHASE_FINALIZATION);
    /* unknown phase, unknown event, truncation */
    static const uint8_t bad[] = {3, 4, 2, 0}, unk[] = {2, 0xff, 0, 0},
                         cut[] = {0, 1, 0, 0, 0, 0, 0, 1};
    scale_reader_init(&r, bad, 4);
    assert_int_equal(event_record_read(&r, &d, fields, NULL), ITEE_ERR_SCALE_VARIANT);
    scale_reader_init(&r, unk, 4);
    assert_int_equal(event_record_read(&r, &d, fields, NULL), ITEE_ERR_SCALE_VARIANT);
    assert_int_equal(r.pos, 0);
    scale_reader_init(&r, cut, sizeof(cut));
    assert_int_equal(event_record_read(&r, &d, fields, NULL), ITEE_ERR_SCALE_EOF);
    rec.phase = (enum event_phase)3;
    assert_int_equal(event_record_encode(&b, &rec), ITEE_ERR_ARG);
    itee_buf_free(&b);
}

static void test_append(void **state)
{
    (void)state;
    struct itee_buf v;
    itee_buf_init(&v, 0);
    static const uint8_t f[4] = {0};
    for (uint32_t i = 0; i < 16400; i++) {
        struct event_record rec = {EVENT_PHASE_APPLY_EXTRINSIC, i, 0, 0, {f, 4}, NULL, 0};
        assert_int_equal(event_vec_append(&v, &rec), ITEE_OK);
        if (i == 62 || i == 63 || i == 16382 || i == 16383 || i == 16399) {
            /* decode the whole Vec: count, then that many records, nothing left */
            struct scale_reader r;
            size_t n;
            scale_reader_init(&r, v.ptr, v.len);
            assert_int_equal(scale_read_len(&r, &n, 1), ITEE_OK);
            assert_int_equal(n, i + 1);
            for (size_t k = 0; k < n; k++) {
                struct event_record d;
                assert_int_equal(event_record_read(&r, &d, fields, NULL), ITEE_OK);
                assert_int_equal(d.extrinsic_index, k);
            }
            assert_int_equal(scale_reader_finish(&r), ITEE_OK);
        }
    }
    /* a buffer that is not a Vec */
    itee_buf_reset(&v);
    assert_int_equal(itee_buf_push(&v, 0x03), ITEE_OK);
    struct event_record rec = {EVENT_PHASE_INITIALIZATION, 0, 1, 1, {NULL, 0}, NULL, 0};
    assert_int_equal(event_vec_append(&v, &rec), ITEE_ERR_FORMAT);
    itee_buf_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
