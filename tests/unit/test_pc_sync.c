/*
 * test_pc_sync.c - the service's parentchain fetcher against a real integritee-node (started
 * by the test on an ephemeral port): a bundle of each early block decodes, its header hashes to
 * the block hash, the body matches the extrinsics root, the GRANDPA justification verifies for
 * //Alice's authority set, and the System.Events proof verifies against the state root and
 * yields the value the node reports. Also the bundle codec on hostile bytes.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "node_fixture.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chain/grandpa.h"
#include "chain/header.h"
#include "chain/pc_bundle.h"
#include "crypto/hash.h"
#include "keys/pair.h"
#include "service/pc_sync.h"
#include "trie/trie.h"
#include "trie/trie_proof.h"

static void check_bundle(struct node_api *api, const uint8_t hash[32],
                         const struct grandpa_authority *alice)
{
    struct itee_buf out;
    itee_buf_init(&out, 0);
    uint32_t number = 0;
    assert_int_equal(pc_sync_bundle(api, hash, &number, &out), ITEE_OK);
    struct pc_bundle b;
    assert_int_equal(pc_bundle_decode(&b, out.ptr, out.len), ITEE_OK);
    uint8_t h[32];
    hash_blake2_256(h, b.header.ptr, b.header.len);
    assert_memory_equal(h, hash, 32);
    struct header hdr;
    assert_int_equal(header_decode(&hdr, b.header.ptr, b.header.len), ITEE_OK);
    assert_int_equal(hdr.number, number);
    /* the body is the one the header commits to */
    uint8_t root[32];
    assert_int_equal(trie_ordered_root(TRIE_LAYOUT_V0, b.extrinsics, b.n_extrinsics, root),
                     ITEE_OK);
    assert_memory_equal(root, hdr.extrinsics_root, 32);
    assert_true(b.n_extrinsics >= 1); /* at least the timestamp inherent */
    /* final at once: one authority, a justification on every block */
    assert_true(b.has_justification);
    struct grandpa_justification j;
    assert_int_equal(grandpa_justification_decode(&j, b.justification.ptr, b.justification.len),
                     ITEE_OK);
    assert_int_equal(grandpa_justification_verify(&j, 0, alice, 1), ITEE_OK);
    grandpa_justification_free(&j);
    /* the events value is proven by the state root */
    uint8_t key[32];
    hash_storage_prefix(key, "System", "Events");
    struct itee_slice k = itee_slice_make(key, 32);
    struct trie_proof_value v;
    assert_int_equal(trie_proof_verify(hdr.state_root, b.proof, b.n_proof, &k, 1, &v, 0), ITEE_OK);
    assert_true(v.present);
    assert_int_equal(v.value.len, b.events.len);
    assert_memory_equal(v.value.ptr, b.events.ptr, b.events.len);
    /* a proof checked against another root fails */
    uint8_t other[32];
    memcpy(other, hdr.state_root, 32);
    other[0] ^= 1;
    assert_int_not_equal(trie_proof_verify(other, b.proof, b.n_proof, &k, 1, &v, 0), ITEE_OK);
    pc_bundle_free(&b);
    itee_buf_free(&out);
}

static void test_against_node(void **state)
{
    (void)state;
    struct node_proc n;
    node_start(&n, "test_pc_sync");
    char url[64];
    snprintf(url, sizeof(url), "ws://127.0.0.1:%u", n.port);
    struct node_api api;
    assert_int_equal(node_api_open(&api, url, 10000), ITEE_OK);
    uint8_t fin[32];
    uint32_t fin_n = 0;
    for (int i = 0; i < 100 && fin_n < 3; i++) {
        assert_int_equal(pc_sync_finalized(&api, fin, &fin_n), ITEE_OK);
        if (fin_n < 3)
            node_sleep_ms(100);
    }
    assert_true(fin_n >= 3);
    struct keys_pair alice;
    assert_int_equal(keys_pair_from_suri(&alice, KEYS_SCHEME_ED25519, "//Alice", 7), ITEE_OK);
    struct grandpa_authority auth = {.weight = 1};
    uint8_t pub[KEYS_PUBLIC_MAX];
    assert_int_equal(keys_pair_public(&alice, pub), 32);
    memcpy(auth.id.bytes, pub, 32);
    for (uint32_t num = 1; num <= 3; num++) {
        uint8_t h[32];
        assert_int_equal(pc_sync_block_hash(&api, num, h), ITEE_OK);
        check_bundle(&api, h, &auth);
    }
    /* unknown block and unknown number */
    uint8_t bogus[32];
    memset(bogus, 0xab, 32);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    uint32_t num;
    assert_int_equal(pc_sync_bundle(&api, bogus, &num, &out), ITEE_ERR_NOENT);
    assert_int_equal(out.len, 0);
    assert_int_equal(pc_sync_block_hash(&api, 1000000, bogus), ITEE_ERR_NOENT);
    itee_buf_free(&out);
    keys_pair_clear(&alice);
    node_api_close(&api);
    node_stop(&n);
}

static void test_bundle_codec(void **state)
{
    (void)state;
    uint8_t hb[5] = {1, 2, 3, 4, 5}, x1[3] = {8, 9, 10}, pn[2] = {0x44, 0x55};
    struct itee_slice xs[2] = {itee_slice_make(x1, 3), itee_slice_make(x1, 1)};
    struct itee_slice ps[1] = {itee_slice_make(pn, 2)};
    struct itee_slice just = itee_slice_make(hb, 2);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    assert_int_equal(
        pc_bundle_encode(&out, itee_slice_make(hb, 5), &just, xs, 2, itee_slice_make(x1, 2), ps, 1),
        ITEE_OK);
    struct pc_bundle b;
    assert_int_equal(pc_bundle_decode(&b, out.ptr, out.len), ITEE_OK);
    assert_int_equal(b.header.len, 5);
    assert_true(b.has_justification);
    assert_int_equal(b.n_extrinsics, 2);
    assert_int_equal(b.extrinsics[0].len, 3);
    assert_int_equal(b.n_proof, 1);
    pc_bundle_free(&b);
    /* every truncation and a trailing byte are refused; the version is checked */
    for (size_t i = 0; i < out.len; i++)
        assert_int_not_equal(pc_bundle_decode(&b, out.ptr, i), ITEE_OK);
    assert_int_equal(itee_buf_push(&out, 0), ITEE_OK);
    assert_int_equal(pc_bundle_decode(&b, out.ptr, out.len), ITEE_ERR_SCALE_TRAILING);
    out.ptr[0] = 2;
    assert_int_equal(pc_bundle_decode(&b, out.ptr, out.len - 1), ITEE_ERR_UNSUPPORTED);
    /* a huge count with no bytes behind it */
    uint8_t bad[] = {1, 0, 0, 0xfe, 0xff, 0xff, 0xff};
    assert_int_not_equal(pc_bundle_decode(&b, bad, sizeof(bad)), ITEE_OK);
    itee_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundle_codec),
        cmocka_unit_test(test_against_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
