/*
 * test_metadata_value.c - values decoded by registry type, name lookups and System.Events, all
 * driven by the node runtime's own metadata after a round trip through its wire encoding (as a
 * client sees it from state_getMetadata); hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chain/event.h"
#include "chain/metadata_value.h"
#include "common/int128.h"
#include "node/runtime/rt_metadata.h"

static struct metadata_builder *client_view(void)
{
    struct metadata_builder *built = NULL, *md = NULL;
    assert_int_equal(rt_metadata_build(&built), ITEE_OK);
    struct itee_buf blob;
    itee_buf_init(&blob, 0);
    assert_int_equal(metadata_encode_v14(built, &blob), ITEE_OK);
    uint32_t version = 0;
    assert_int_equal(metadata_decode(blob.ptr, blob.len, &md, &version), ITEE_OK);
    assert_int_equal(version, 14);
    itee_buf_free(&blob);
    metadata_builder_free(built);
    return md;
}

static void test_lookups(void **state)
{
    (void)state;
    struct metadata_builder *md = client_view();
    uint8_t idx[2];
    assert_int_equal(metadata_find_call(md, "Balances", "transfer_keep_alive", idx), ITEE_OK);
    const struct metadata_pallet *p = metadata_find_pallet(md, "Balances");
    assert_non_null(p);
    assert_int_equal(idx[0], p->index);
    assert_ptr_equal(metadata_find_pallet_index(md, p->index), p);
    assert_int_equal(metadata_find_call(md, "Balances", "no_such_call", idx), ITEE_ERR_NOENT);
    assert_int_equal(metadata_find_call(md, "NoSuchPallet", "x", idx), ITEE_ERR_NOENT);
    const struct metadata_pallet *sp = NULL;
    const struct metadata_storage_entry *e = metadata_find_storage(md, "System", "Account", &sp);
    assert_non_null(e);
    assert_string_equal(sp->name, "System");
    assert_null(metadata_find_storage(md, "System", "Nope", NULL));
    const struct metadata_constant *c =
        metadata_find_constant(md, "Balances", "ExistentialDeposit");
    assert_non_null(c);
    /* the constant decodes to the u128 the runtime declares */
    struct scale_reader r;
    scale_reader_init(&r, c->value, c->value_len);
    json_t *v = NULL;
    assert_int_equal(metadata_value_decode(md, c->ty, &r, &v), ITEE_OK);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    assert_true(json_is_integer(v) || json_is_string(v));
    json_decref(v);
    metadata_builder_free(md);
}

static void put_transfer(struct itee_buf *ev, uint8_t bal_idx, uint8_t ev_idx, uint8_t from,
                         uint8_t to, itee_u128 amount)
{
    uint8_t fields[80];
    memset(fields, from, 32);
    memset(fields + 32, to, 32);
    for (int i = 0; i < 16; i++)
        fields[64 + i] = (uint8_t)(amount >> (8 * i));
    uint8_t topic[32];
    memset(topic, 0x77, 32);
    struct event_record rec = {.phase = EVENT_PHASE_APPLY_EXTRINSIC,
                               .extrinsic_index = 1,
                               .pallet = bal_idx,
                               .variant = ev_idx,
                               .fields = itee_slice_make(fields, sizeof(fields)),
                               .topics = topic,
                               .n_topics = 1};
    assert_int_equal(event_vec_append(ev, &rec), ITEE_OK);
}

static void test_events(void **state)
{
    (void)state;
    struct metadata_builder *md = client_view();
    const struct metadata_pallet *bal = metadata_find_pallet(md, "Balances");
    const struct metadata_variant *tr = metadata_find_variant(md, bal->events, "Transfer");
    assert_non_null(tr);
    struct itee_buf ev;
    itee_buf_init(&ev, 0);
    itee_u128 amount = (itee_u128)123456789 * 1000000000000ULL; /* above 2^53: a string */
    put_transfer(&ev, bal->index, tr->index, 1, 2, amount);
    /* an Initialization-phase event without fields of another pallet: System.CodeUpdated */
    const struct metadata_pallet *sys = metadata_find_pallet(md, "System");
    const struct metadata_variant *cu = metadata_find_variant(md, sys->events, "CodeUpdated");
    assert_non_null(cu);
    struct event_record rec = {
        .phase = EVENT_PHASE_INITIALIZATION, .pallet = sys->index, .variant = cu->index};
    assert_int_equal(event_vec_append(&ev, &rec), ITEE_OK);

    json_t *arr = NULL;
    assert_int_equal(metadata_events_decode(md, ev.ptr, ev.len, &arr), ITEE_OK);
    assert_int_equal(json_array_size(arr), 2);
    json_t *e0 = json_array_get(arr, 0);
    assert_string_equal(json_string_value(json_object_get(e0, "pallet")), "Balances");
    assert_string_equal(json_string_value(json_object_get(e0, "event")), "Transfer");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(e0, "phase"), "ApplyExtrinsic")), 1);
    json_t *fields = json_object_get(e0, "fields");
    char dec[ITEE_U128_DEC_MAX];
    itee_u128_to_dec(dec, amount);
    assert_string_equal(json_string_value(json_object_get(fields, "amount")), dec);
    const char *from = json_string_value(json_object_get(fields, "from"));
    assert_non_null(from);
    assert_int_equal(strlen(from), 66);
    assert_memory_equal(from, "0x0101", 6);
    assert_string_equal(json_string_value(json_array_get(json_object_get(e0, "topics"), 0)),
                        "0x7777777777777777777777777777777777777777777777777777777777777777");
    json_t *e1 = json_array_get(arr, 1);
    assert_string_equal(json_string_value(json_object_get(e1, "phase")), "Initialization");
    assert_true(json_is_null(json_object_get(e1, "fields")));
    json_decref(arr);

    /* every truncation fails cleanly; trailing bytes are refused */
    for (size_t n = 0; n < ev.len; n++) {
        assert_int_not_equal(metadata_events_decode(md, ev.ptr, n, &arr), ITEE_OK);
        assert_null(arr);
    }
    assert_int_equal(itee_buf_push(&ev, 0), ITEE_OK);
    assert_int_equal(metadata_events_decode(md, ev.ptr, ev.len, &arr), ITEE_ERR_SCALE_TRAILING);
    /* an unknown pallet or event index */
    uint8_t bad[] = {4, 2, 0xfe, 0};
    assert_int_equal(metadata_events_decode(md, bad, sizeof(bad), &arr), ITEE_ERR_SCALE_VARIANT);
    uint8_t bad2[] = {4, 2, bal->index, 0xfe};
    assert_int_equal(metadata_events_decode(md, bad2, sizeof(bad2), &arr), ITEE_ERR_SCALE_VARIANT);
    /* a count far beyond the input */
    uint8_t huge[] = {0xfe, 0xff, 0xff, 0xff};
    assert_int_equal(metadata_events_decode(md, huge, sizeof(huge), &arr), ITEE_ERR_SCALE_LENGTH);
    itee_buf_free(&ev);
    metadata_builder_free(md);
}

static void test_random_bytes(void **state)
{
    (void)state;
    struct metadata_builder *md = client_view();
    uint32_t n_types = metadata_type_count(md);
    srand(7);
    uint8_t buf[256];
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = (size_t)(rand() % (int)sizeof(buf));
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rand();
        uint32_t ty = (uint32_t)rand() % (n_types + 2);
        struct scale_reader r, r2;
        scale_reader_init(&r, buf, len);
        scale_reader_init(&r2, buf, len);
        json_t *v = NULL;
        enum itee_err a = metadata_value_decode(md, ty, &r, &v);
        enum itee_err b = metadata_value_skip(md, ty, &r2);
        /* skipping and decoding agree on validity and on how much they consume */
        assert_int_equal(a, b);
        if (a == ITEE_OK) {
            assert_non_null(v);
            assert_int_equal(scale_reader_remaining(&r), scale_reader_remaining(&r2));
        } else {
            assert_null(v);
        }
        json_decref(v);
        json_t *arr = NULL;
        (void)metadata_events_decode(md, buf, len, &arr);
        json_decref(arr);
    }
    metadata_builder_free(md);
}

static void test_u128_text(void **state)
{
    (void)state;
    char dec[ITEE_U128_DEC_MAX];
    itee_u128_to_dec(dec, 0);
    assert_string_equal(dec, "0");
    itee_u128_to_dec(dec, ITEE_U128_MAX);
    assert_string_equal(dec, "340282366920938463463374607431768211455");
    itee_u128 v = 0;
    assert_int_equal(itee_u128_from_dec(dec, strlen(dec), &v), ITEE_OK);
    assert_true(v == ITEE_U128_MAX);
    assert_int_equal(itee_u128_from_dec("340282366920938463463374607431768211456", 39, &v),
                     ITEE_ERR_SCALE_OVERFLOW);
    assert_int_equal(itee_u128_from_dec("12a", 3, &v), ITEE_ERR_PARSE);
    assert_int_equal(itee_u128_from_dec("-1", 2, &v), ITEE_ERR_PARSE);
    assert_int_equal(itee_u128_from_dec("", 0, &v), ITEE_ERR_PARSE);
    assert_int_equal(itee_u128_from_dec("1000000000000", 13, &v), ITEE_OK);
    assert_true(v == 1000000000000ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_u128_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
