/*
 * test_block.c - block and signed-block codec, and the extrinsics root vectors of spec §6.2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/block.h"
#include "common/hex.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out, cap, &n, hex, strlen(hex)), ITEE_OK);
    return n;
}

static void test_extrinsics_root(void **state)
{
    (void)state;
    uint8_t x1[16], x2[40], root[32], want[32];
    size_t n1 = unhex(x1, sizeof(x1), "280403000b207eba5c8501");
    memset(x2, 0x44, sizeof(x2));
    struct itee_slice items[2] = {{x1, n1}, {x2, 40}};
    assert_int_equal(block_extrinsics_root(TRIE_LAYOUT_V0, items, 2, root), ITEE_OK);
    unhex(want, 32, "105243b223ce51240562dca70250f50d6b8295ef592c95dc46fafac78fbd4d66");
    assert_memory_equal(root, want, 32);
    assert_int_equal(block_extrinsics_root(TRIE_LAYOUT_V1, items, 2, root), ITEE_OK);
    unhex(want, 32, "e498f940d1acf1fffa79d3cb93e9ef90abc5d6a7a8c1023668319ffbd158987a");
    assert_memory_equal(root, want, 32);
    assert_int_equal(block_extrinsics_root(TRIE_LAYOUT_V0, NULL, 0, root), ITEE_OK);
    assert_int_equal(root[0], 0x03);
    assert_int_equal(root[1], 0x17);
}

static void test_block_roundtrip(void **state)
{
    (void)state;
    uint8_t x1[16], x2[3] = {0x08, 0x04, 0x00};
    size_t n1 = unhex(x1, sizeof(x1), "280403000b207eba5c8501");
    struct itee_slice xs[2] = {{x1, n1}, {x2, 3}};
    struct block_signed sb;
    memset(&sb, 0, sizeof(sb));
    sb.block.header.number = 77;
    memset(sb.block.header.parent_hash, 1, 32);
    uint8_t jdata[5] = {9, 8, 7, 6, 5};
    struct block_justification js = {{'F', 'R', 'N', 'K'}, {jdata, 5}};
    sb.block.extrinsics = xs;
    sb.block.n_extrinsics = 2;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    /* without justifications: None */
    assert_int_equal(block_signed_encode(&b, &sb), ITEE_OK);
    assert_int_equal(b.ptr[b.len - 1], 0);
    struct block_signed d;
    assert_int_equal(block_signed_decode(&d, b.ptr, b.len), ITEE_OK);
    assert_false(d.has_justifications);
    assert_int_equal(d.block.n_extrinsics, 2);
    assert_int_equal(d.block.extrinsics[0].len, n1);
    assert_memory_equal(d.block.extrinsics[0].ptr, x1, n1);
    assert_int_equal(d.block.extrinsics[1].len, 3);
    block_signed_free(&d);
    /* the plain block is a prefix of the signed block */
    struct block blk;
    assert_int_equal(block_decode(&blk, b.ptr, b.len - 1), ITEE_OK);
    assert_int_equal(blk.header.number, 77);
    block_free(&blk);
    assert_int_equal(block_decode(&blk, b.ptr, b.len), ITEE_ERR_SCALE_TRAILING);
    assert_null(blk.extrinsics);

    itee_buf_reset(&b);
    sb.has_justifications = true;
    sb.justifications = &js;
    sb.n_justifications = 1;
    assert_int_equal(block_signed_encode(&b, &sb), ITEE_OK);
    assert_int_equal(block_signed_decode(&d, b.ptr, b.len), ITEE_OK);
    assert_true(d.has_justifications);
    assert_int_equal(d.n_justifications, 1);
    assert_memory_equal(d.justifications[0].engine, "FRNK", 4);
    assert_int_equal(d.justifications[0].data.len, 5);
    struct itee_buf b2;
    itee_buf_init(&b2, 0);
    assert_int_equal(block_signed_encode(&b2, &d), ITEE_OK);
    assert_int_equal(b2.len, b.len);
    assert_memory_equal(b2.ptr, b.ptr, b.len);
    block_signed_free(&d);
    for (size_t cut = 0; cut < b.len; cut++)
        assert_int_not_equal(block_signed_decode(&d, b.ptr, cut), ITEE_OK);
    /* an extrinsic whose prefix lies is refused on encode */
    x2[0] = 0x0c;
    itee_buf_reset(&b2);
    assert_int_equal(block_signed_encode(&b2, &sb), ITEE_ERR_ARG);
    itee_buf_free(&b);
    itee_buf_free(&b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extrinsics_root),
        cmocka_unit_test(test_block_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
