/*
 * test_enclave_pc.c - the enclave's parentchain importer (src/enclave/enclave_pc.h) through the
 * real library (ITEE_BINARY_DIR/lib) and the real loader, against a real integritee-node started
 * on an ephemeral port: keccak and the binary merkle root against published vectors; the init
 * request decoder on hostile bytes; then with the node: the enclave is registered (skip-RA,
 * signed by the enclave itself), follows the chain block by block, refuses forged, reordered,
 * skipped and mismatched bundles without changing its status, executes an EnclaveBridge.invoke
 * (balance_set_balance by //Alice) and a shield_funds when their blocks are imported, resumes
 * after a restart without executing anything twice, and its confirm_processed_parentchain_block
 * extrinsics verify and are accepted by the node.
 */
#include <dirent.h>
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

#include "chain/extrinsic.h"
#include "chain/pc_bundle.h"
#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "crypto/rsa.h"
#include "enclave/enclave_pc.h"
#include "keys/pair.h"
#include "service/enclave_host.h"
#include "service/pc_import.h"
#include "service/pc_sync.h"

#define SO_PATH ITEE_BINARY_DIR "/lib/libintegritee-enclave.so"

/* ---- pure parts ---- */

static void hex32(uint8_t out[32], const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, 32, hex, strlen(hex)), ITEE_OK);
}

static void test_keccak(void **state)
{
    (void)state;
    uint8_t out[32], want[32];
    enclave_pc_keccak256(out, NULL, 0);
    hex32(want, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assert_memory_equal(out, want, 32);
    enclave_pc_keccak256(out, (const uint8_t *)"abc", 3);
    hex32(want, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    assert_memory_equal(out, want, 32);
    /* across the 136-byte rate boundary: 200 x 'a' */
    uint8_t a[200];
    memset(a, 'a', sizeof(a));
    enclave_pc_keccak256(out, a, sizeof(a));
    uint8_t again[32];
    enclave_pc_keccak256(again, a, sizeof(a));
    assert_memory_equal(out, again, 32);
    a[199] = 'b';
    enclave_pc_keccak256(again, a, sizeof(a));
    assert_memory_not_equal(out, again, 32);
}

static void test_merkle_root(void **state)
{
    (void)state;
    uint8_t root[32], want[32], zero[32] = {0};
    uint8_t leaves[5 * 32];
    for (size_t i = 0; i < sizeof(leaves); i++)
        leaves[i] = (uint8_t)(i * 7 + 1);
    assert_int_equal(enclave_pc_merkle_root(root, NULL, 0), ITEE_OK);
    assert_memory_equal(root, zero, 32);
    /* one leaf: its hash */
    assert_int_equal(enclave_pc_merkle_root(root, leaves, 1), ITEE_OK);
    enclave_pc_keccak256(want, leaves, 32);
    assert_memory_equal(root, want, 32);
    /* three leaves: keccak(keccak(h0 || h1) || h2), the odd one promoted (binary_merkle_tree) */
    uint8_t h[3][32], pair[64], top[64];
    for (int i = 0; i < 3; i++)
        enclave_pc_keccak256(h[i], leaves + 32 * i, 32);
    memcpy(pair, h[0], 32);
    memcpy(pair + 32, h[1], 32);
    enclave_pc_keccak256(top, pair, 64);
    memcpy(top + 32, h[2], 32);
    enclave_pc_keccak256(want, top, 64);
    assert_int_equal(enclave_pc_merkle_root(root, leaves, 3), ITEE_OK);
    assert_memory_equal(root, want, 32);
    /* order matters (no sorting of pairs) */
    uint8_t swapped[64];
    memcpy(swapped, leaves + 32, 32);
    memcpy(swapped + 32, leaves, 32);
    uint8_t r2[32], r2s[32];
    assert_int_equal(enclave_pc_merkle_root(r2, leaves, 2), ITEE_OK);
    assert_int_equal(enclave_pc_merkle_root(r2s, swapped, 2), ITEE_OK);
    assert_memory_not_equal(r2, r2s, 32);
    assert_int_equal(enclave_pc_merkle_root(NULL, leaves, 1), ITEE_ERR_ARG);
}

/* Substrate's own binary_merkle_tree vectors (leaves are 20-byte addresses, hashed by keccak). */
static void test_merkle_substrate_vectors(void **state)
{
    (void)state;
    /* the crate hashes each leaf; our leaves are 32-byte blake2 hashes, so check the tree shape
     * with leaf hashes computed the crate's way: keccak(leaf) then the pairing below */
    uint8_t l0[20], l1[20], h0[32], h1[32], pair[64], root[32], want[32];
    size_t n = 0;
    assert_int_equal(itee_hex_decode(l0, 20, &n, "E04CC55ebEE1cBCE552f250e85c57B70B2E2625b", 40),
                     ITEE_OK);
    assert_int_equal(itee_hex_decode(l1, 20, &n, "25451A4de12dcCc2D166922fA938E900fCc4ED24", 40),
                     ITEE_OK);
    enclave_pc_keccak256(h0, l0, 20);
    hex32(want, "aeb47a269393297f4b0a3c9c9cfd00c7a4195255274cf39d83dabc2fcc9ff3d7");
    assert_memory_equal(h0, want, 32); /* should_generate_single_root */
    enclave_pc_keccak256(h1, l1, 20);
    memcpy(pair, h0, 32);
    memcpy(pair + 32, h1, 32);
    enclave_pc_keccak256(root, pair, 64);
    hex32(want, "697ea2a8fe5b03468548a7a413424a6292ab44a82a6f5cc594c3fa7dda7ce402");
    assert_memory_equal(root, want, 32); /* should_generate_root_pow_2 */
}

static void test_init_request_codec(void **state)
{
    (void)state;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    uint8_t shard[32];
    memset(shard, 0x5a, 32);
    assert_int_equal(scale_put_vec_u8(&b, (const uint8_t *)"hdr", 3), ITEE_OK);
    assert_int_equal(scale_put_compact(&b, 2), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&b, (const uint8_t *)"n1", 2), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&b, (const uint8_t *)"n22", 3), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&b, (const uint8_t *)"meta", 4), ITEE_OK);
    assert_int_equal(scale_put_u32(&b, 7), ITEE_OK);
    assert_int_equal(scale_put_u32(&b, 8), ITEE_OK);
    assert_int_equal(scale_put_u32(&b, 9), ITEE_OK);
    assert_int_equal(scale_put_bytes(&b, shard, 32), ITEE_OK);
    struct enclave_pc_init_request rq;
    assert_int_equal(enclave_pc_init_request_decode(&rq, b.ptr, b.len), ITEE_OK);
    assert_int_equal(rq.genesis.len, 3);
    assert_int_equal(rq.n_proof, 2);
    assert_int_equal(rq.proof[1].len, 3);
    assert_int_equal(rq.metadata.len, 4);
    assert_int_equal(rq.spec_version, 7);
    assert_int_equal(rq.tx_version, 8);
    assert_int_equal(rq.nonce, 9);
    assert_memory_equal(rq.shard, shard, 32);
    enclave_pc_init_request_free(&rq);
    for (size_t i = 0; i < b.len; i++)
        assert_int_not_equal(enclave_pc_init_request_decode(&rq, b.ptr, i), ITEE_OK);
    assert_int_equal(itee_buf_push(&b, 0), ITEE_OK);
    assert_int_equal(enclave_pc_init_request_decode(&rq, b.ptr, b.len), ITEE_ERR_SCALE_TRAILING);
    /* a huge proof count with nothing behind it */
    uint8_t bad[] = {0x0c, 'h', 'd', 'r', 0xfe, 0xff, 0xff, 0xff};
    assert_int_not_equal(enclave_pc_init_request_decode(&rq, bad, sizeof(bad)), ITEE_OK);
    itee_buf_free(&b);
}

/* ---- against a node ---- */

/* Extrinsics the enclave sent (send_to_parentchain), back to back with their lengths. */
struct sink {
    struct itee_buf bytes;
    size_t lens[256];
    size_t n;
};

static enum itee_err sink_fn(void *ctx, const uint8_t *xt, size_t len)
{
    struct sink *s = ctx;
    if (s->n >= 256)
        return ITEE_ERR_IO;
    s->lens[s->n++] = len;
    return itee_buf_append(&s->bytes, xt, len);
}

/* The state of a scenario. */
struct env {
    struct node_proc node;
    struct node_api api;
    char dir[64];
    struct enclave_host *h;
    uint8_t shard[32];
    struct keys_pair alice, bob;
    struct sink sink;
};

static void env_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        (void)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        (void)unlink(p);
    }
    if (d != NULL)
        closedir(d);
    (void)rmdir(dir);
}

static void status(struct env *v, struct enclave_host_pc_status *st)
{
    assert_int_equal(enclave_host_parentchain_status(v->h, st), ITEE_OK);
}

static void fetch(struct env *v, uint32_t n, struct itee_buf *out)
{
    uint8_t hash[32];
    uint32_t num = 0, head_n = 0;
    itee_buf_reset(out);
    for (int i = 0; i < 100; i++) { /* wait until the node finalized block n */
        assert_int_equal(pc_sync_finalized(&v->api, hash, &head_n), ITEE_OK);
        if (head_n >= n)
            break;
        node_sleep_ms(100);
    }
    assert_int_equal(pc_sync_block_hash(&v->api, n, hash), ITEE_OK);
    assert_int_equal(pc_sync_bundle(&v->api, hash, &num, out), ITEE_OK);
    assert_int_equal(num, n);
}

/* Re-encodes bundle b with its extrinsics, events and proof replaced as given (NULL = keep). */
static void rebundle(struct itee_buf *out, const struct pc_bundle *b, const struct itee_slice *xs,
                     size_t n_xs, const struct pc_bundle *events_from)
{
    const struct pc_bundle *e = events_from != NULL ? events_from : b;
    itee_buf_reset(out);
    assert_int_equal(
        pc_bundle_encode(out, b->header, b->has_justification ? &b->justification : NULL,
                         xs != NULL ? xs : b->extrinsics, xs != NULL ? n_xs : b->n_extrinsics,
                         e->events, e->proof, e->n_proof),
        ITEE_OK);
}

static void expect_refused(struct env *v, const struct itee_buf *bundle, enum itee_err want)
{
    struct enclave_host_pc_status a, b;
    struct enclave_host_pc_import res;
    status(v, &a);
    enum itee_err r = enclave_host_parentchain_import(v->h, bundle->ptr, bundle->len, &res);
    if (want != ITEE_OK)
        assert_int_equal(r, want);
    else
        assert_int_not_equal(r, ITEE_OK);
    status(v, &b);
    assert_memory_equal(&a, &b, sizeof(a));
}

/* A malicious host: forged, reordered, skipped and mismatched bundles change nothing. */
static void hostile_bundles(struct env *v, uint32_t next)
{
    struct itee_buf b1, b2, bad;
    struct pc_bundle p1, p2;
    itee_buf_init(&b1, 0);
    itee_buf_init(&b2, 0);
    itee_buf_init(&bad, 0);
    fetch(v, next, &b1);
    fetch(v, next + 1, &b2);
    assert_int_equal(pc_bundle_decode(&p1, b1.ptr, b1.len), ITEE_OK);
    assert_int_equal(pc_bundle_decode(&p2, b2.ptr, b2.len), ITEE_OK);
    /* out of order: the next-but-one block first; a skipped block is the same bundle */
    expect_refused(v, &b2, ITEE_ERR_LC_GAP);
    /* a flipped byte in the header (the parent hash): another block, not a descendant */
    assert_int_equal(itee_buf_append(&bad, b1.ptr, b1.len), ITEE_OK);
    size_t hdr_off = (size_t)(p1.header.ptr - b1.ptr);
    bad.ptr[hdr_off + 3] ^= 0x01;
    expect_refused(v, &bad, ITEE_ERR_LC_PARENT);
    /* a flipped byte in the number field region: refused too (whatever the exact error) */
    itee_buf_reset(&bad);
    assert_int_equal(itee_buf_append(&bad, b1.ptr, b1.len), ITEE_OK);
    bad.ptr[hdr_off + 33] ^= 0x04;
    expect_refused(v, &bad, ITEE_OK);
    /* a body that does not match the extrinsics root: the last extrinsic dropped */
    assert_true(p1.n_extrinsics >= 1);
    rebundle(&bad, &p1, p1.extrinsics, p1.n_extrinsics - 1, NULL);
    expect_refused(v, &bad, ITEE_ERR_LC_EXTRINSICS_ROOT);
    /* the events and their proof of another block */
    rebundle(&bad, &p1, NULL, 0, &p2);
    expect_refused(v, &bad, ITEE_ERR_TRIE_PROOF);
    /* no justification: held as pending, then finalized with the next bundle */
    pc_bundle_free(&p1);
    pc_bundle_free(&p2);
    itee_buf_free(&b1);
    itee_buf_free(&b2);
    itee_buf_free(&bad);
}

/* Imports blocks until the enclave's finalized number reaches at least n. */
static uint32_t sync_to(struct env *v, uint32_t n)
{
    uint32_t executed = 0;
    struct enclave_host_pc_status st;
    for (int i = 0; i < 200; i++) {
        uint32_t imp = 0, ex = 0;
        assert_int_equal(pc_import_sync(&v->api, v->h, 0, &imp, &ex), ITEE_OK);
        executed += ex;
        status(v, &st);
        if (st.finalized >= n)
            return executed;
        node_sleep_ms(100);
    }
    fail_msg("enclave did not reach block %u", (unsigned)n);
    return executed;
}

static void submit(struct env *v, const struct keys_pair *who, const char *pallet, const char *call,
                   const struct itee_buf *args, uint32_t *number)
{
    struct itee_buf c, bundle;
    struct node_api_receipt rc;
    itee_buf_init(&c, 0);
    itee_buf_init(&bundle, 0);
    memset(&rc, 0, sizeof(rc));
    assert_int_equal(node_api_call(&v->api, pallet, call, itee_buf_slice(args), &c), ITEE_OK);
    assert_int_equal(
        node_api_submit(&v->api, who, itee_buf_slice(&c), NODE_API_WAIT_FINALIZED, 30000, &rc),
        ITEE_OK);
    if (!rc.success)
        fail_msg("%s.%s failed: %s", pallet, call, rc.error);
    if (number != NULL)
        assert_int_equal(pc_sync_bundle(&v->api, rc.block_hash, number, &bundle), ITEE_OK);
    node_api_receipt_clear(&rc);
    itee_buf_free(&c);
    itee_buf_free(&bundle);
}

/* EnclaveBridge.invoke of TrustedOperation::indirect_call(call) signed by signer at nonce,
 * submitted by //Alice. */
static void invoke_call(struct env *v, const struct keys_pair *signer,
                        const struct trusted_op_call *call, uint32_t nonce, uint32_t *number)
{
    struct itee_buf pk_json, cb, opb, ct, args;
    struct rsa_key *pk = NULL;
    itee_buf_init(&pk_json, 0);
    itee_buf_init(&cb, 0);
    itee_buf_init(&opb, 0);
    itee_buf_init(&ct, 0);
    itee_buf_init(&args, 0);
    assert_int_equal(trusted_op_call_put(&cb, call), ITEE_OK);
    struct trusted_op op = {.kind = TRUSTED_OP_INDIRECT_CALL};
    op.call.call = itee_buf_slice(&cb);
    op.call.nonce = nonce;
    assert_int_equal(
        trusted_op_call_sign(&op.call.sig, signer, op.call.call, nonce, v->shard, v->shard),
        ITEE_OK);
    assert_int_equal(trusted_op_put(&opb, &op), ITEE_OK);
    assert_int_equal(enclave_host_shielding_pubkey(v->h, &pk_json), ITEE_OK);
    assert_int_equal(rsa_public_from_json(&pk, (const char *)pk_json.ptr, pk_json.len), ITEE_OK);
    assert_int_equal(rsa_encrypt(pk, opb.ptr, opb.len, &ct), ITEE_OK);
    struct trusted_op_request rq = {.cyphertext = itee_buf_slice(&ct)};
    memcpy(rq.shard, v->shard, 32);
    assert_int_equal(trusted_op_request_put(&args, &rq), ITEE_OK);
    submit(v, &v->alice, "EnclaveBridge", "invoke", &args, number);
    rsa_key_free(pk);
    itee_buf_free(&pk_json);
    itee_buf_free(&cb);
    itee_buf_free(&opb);
    itee_buf_free(&ct);
    itee_buf_free(&args);
}

/* balance_set_balance(alice, bob, amount, 0) by //Alice, the dev shard's root. */
static void invoke_set_balance(struct env *v, itee_u128 amount, uint32_t *number)
{
    struct trusted_op_call call = {.index = TRUSTED_OP_CALL_SET_BALANCE, .amount = amount};
    keys_pair_account_id(&v->alice, call.sender);
    keys_pair_account_id(&v->bob, call.other);
    invoke_call(v, &v->alice, &call, 0, number);
}

/* balance_unshield(bob, bob on L1, amount, shard) by //Bob (his first trusted call). */
static void invoke_unshield(struct env *v, itee_u128 amount, uint32_t *number)
{
    struct trusted_op_call call = {.index = TRUSTED_OP_CALL_UNSHIELD, .amount = amount};
    keys_pair_account_id(&v->bob, call.sender);
    keys_pair_account_id(&v->bob, call.other);
    memcpy(call.shard, v->shard, 32);
    invoke_call(v, &v->bob, &call, 0, number);
}

/* EnclaveBridge.shield_funds(shard, RSA(bob), amount) by //Alice. */
static void shield_to_bob(struct env *v, itee_u128 amount, uint32_t *number)
{
    struct itee_buf pk_json, ct, args;
    struct rsa_key *pk = NULL;
    uint8_t bob[32];
    itee_buf_init(&pk_json, 0);
    itee_buf_init(&ct, 0);
    itee_buf_init(&args, 0);
    keys_pair_account_id(&v->bob, bob);
    assert_int_equal(enclave_host_shielding_pubkey(v->h, &pk_json), ITEE_OK);
    assert_int_equal(rsa_public_from_json(&pk, (const char *)pk_json.ptr, pk_json.len), ITEE_OK);
    assert_int_equal(rsa_encrypt(pk, bob, 32, &ct), ITEE_OK);
    assert_int_equal(scale_put_bytes(&args, v->shard, 32), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&args, ct.ptr, ct.len), ITEE_OK);
    assert_int_equal(scale_put_u128(&args, amount), ITEE_OK);
    submit(v, &v->alice, "EnclaveBridge", "shield_funds", &args, number);
    rsa_key_free(pk);
    itee_buf_free(&pk_json);
    itee_buf_free(&ct);
    itee_buf_free(&args);
}

/* Bob's free balance on the shard through the STF getter (signed by Bob). */
static itee_u128 bob_free(struct env *v)
{
    uint8_t who[32];
    keys_pair_account_id(&v->bob, who);
    struct itee_buf g, req, out;
    itee_buf_init(&g, 0);
    itee_buf_init(&req, 0);
    itee_buf_init(&out, 0);
    assert_int_equal(trusted_op_trusted_getter_put(&g, TRUSTED_OP_TRUSTED_FREE_BALANCE, who),
                     ITEE_OK);
    struct trusted_op_getter tg = {.kind = TRUSTED_OP_GETTER_TRUSTED, .getter = itee_buf_slice(&g)};
    assert_int_equal(trusted_op_getter_sign(&tg.sig, &v->bob, tg.getter), ITEE_OK);
    assert_int_equal(itee_buf_append(&req, v->shard, 32), ITEE_OK);
    assert_int_equal(trusted_op_getter_put(&req, &tg), ITEE_OK);
    assert_int_equal(enclave_host_stf_get(v->h, req.ptr, req.len, &out), ITEE_OK);
    itee_u128 val = 0;
    if (out.len == 1 + 1 + 16) { /* Some(Vec<u8> of u128) */
        assert_int_equal(out.ptr[0], 1);
        assert_int_equal(out.ptr[1], 16 << 2);
        for (int i = 15; i >= 0; i--)
            val = (val << 8) | out.ptr[2 + i];
    } else {
        assert_int_equal(out.ptr[0], 0); /* None: no account yet */
    }
    itee_buf_free(&g);
    itee_buf_free(&req);
    itee_buf_free(&out);
    return val;
}

/* Signs call with the enclave signer (ecall_sign_parentchain_xt) at nonce. */
static void enclave_sign(struct env *v, const struct itee_buf *call, uint32_t nonce,
                         struct itee_buf *xt)
{
    struct itee_buf req;
    itee_buf_init(&req, 0);
    assert_int_equal(scale_put_u32(&req, v->api.spec_version), ITEE_OK);
    assert_int_equal(scale_put_u32(&req, v->api.tx_version), ITEE_OK);
    assert_int_equal(scale_put_bytes(&req, v->api.genesis, 32), ITEE_OK);
    assert_int_equal(scale_put_bool(&req, v->api.check_metadata_hash), ITEE_OK);
    assert_int_equal(scale_put_option(&req, false), ITEE_OK);
    assert_int_equal(scale_put_u8(&req, 0), ITEE_OK); /* immortal */
    assert_int_equal(scale_put_bytes(&req, v->api.genesis, 32), ITEE_OK);
    assert_int_equal(scale_put_u32(&req, nonce), ITEE_OK);
    assert_int_equal(scale_put_compact(&req, 0), ITEE_OK);
    assert_int_equal(scale_put_u8(&req, 0), ITEE_OK);
    assert_int_equal(scale_put_bool(&req, false), ITEE_OK);
    assert_int_equal(scale_put_vec_u8(&req, call->ptr, call->len), ITEE_OK);
    assert_int_equal(enclave_host_sign_xt(v->h, req.ptr, req.len, xt), ITEE_OK);
    itee_buf_free(&req);
}

static void submit_xt(struct env *v, const uint8_t *xt, size_t len)
{
    struct node_api_receipt rc;
    memset(&rc, 0, sizeof(rc));
    assert_int_equal(
        node_api_submit_xt(&v->api, itee_slice_make(xt, len), NODE_API_WAIT_IN_BLOCK, 30000, &rc),
        ITEE_OK);
    if (!rc.success)
        fail_msg("enclave extrinsic failed: %s", rc.error);
    node_api_receipt_clear(&rc);
}

/* Funds the enclave signer from //Alice and registers it with Teerex (skip-RA). */
static void register_enclave(struct env *v)
{
    uint8_t signer[32];
    struct itee_buf args, call, xt;
    itee_buf_init(&args, 0);
    itee_buf_init(&call, 0);
    itee_buf_init(&xt, 0);
    assert_int_equal(enclave_host_signing_pubkey(v->h, signer), ITEE_OK);
    assert_int_equal(scale_put_u8(&args, 0), ITEE_OK); /* MultiAddress::Id */
    assert_int_equal(scale_put_bytes(&args, signer, 32), ITEE_OK);
    assert_int_equal(scale_put_compact_u128(&args, (itee_u128)10000000000000ull), ITEE_OK);
    submit(v, &v->alice, "Balances", "transfer_keep_alive", &args, NULL);
    itee_buf_reset(&args);
    assert_int_equal(scale_put_vec_u8(&args, v->shard, 32), ITEE_OK); /* proof: MRENCLAVE */
    assert_int_equal(scale_put_option(&args, false), ITEE_OK);        /* no url */
    assert_int_equal(scale_put_u8(&args, 0), ITEE_OK);                /* Skip */
    assert_int_equal(scale_put_bool(&args, false), ITEE_OK);          /* not proxied */
    assert_int_equal(
        node_api_call(&v->api, "Teerex", "register_sgx_enclave", itee_buf_slice(&args), &call),
        ITEE_OK);
    uint32_t nonce = 99;
    assert_int_equal(node_api_next_nonce(&v->api, signer, &nonce), ITEE_OK);
    assert_int_equal(nonce, 0);
    enclave_sign(v, &call, nonce, &xt);
    submit_xt(v, xt.ptr, xt.len);
    itee_buf_free(&args);
    itee_buf_free(&call);
    itee_buf_free(&xt);
}

/* Every captured confirmation decodes, is signed by the enclave with consecutive nonces from
 * first_nonce, and names our shard; returns how many there are. */
static size_t check_confirmations(struct env *v, uint32_t first_nonce)
{
    uint8_t signer[32];
    struct itee_buf prefix;
    itee_buf_init(&prefix, 0);
    assert_int_equal(enclave_host_signing_pubkey(v->h, signer), ITEE_OK);
    assert_int_equal(node_api_call(&v->api, "EnclaveBridge", "confirm_processed_parentchain_block",
                                   itee_slice_make(NULL, 0), &prefix),
                     ITEE_OK);
    struct extrinsic_chain chain;
    memset(&chain, 0, sizeof(chain));
    chain.spec_version = v->api.spec_version;
    chain.tx_version = v->api.tx_version;
    memcpy(chain.genesis_hash, v->api.genesis, 32);
    chain.check_metadata_hash = v->api.check_metadata_hash;
    size_t off = 0, confirms = 0;
    for (size_t i = 0; i < v->sink.n; i++) {
        struct extrinsic x;
        const uint8_t *p = v->sink.bytes.ptr + off;
        assert_int_equal(extrinsic_decode(&x, &chain, p, v->sink.lens[i]), ITEE_OK);
        assert_true(x.is_signed);
        assert_memory_equal(x.signer, signer, 32);
        assert_int_equal(extrinsic_verify(&x, &chain, v->api.genesis), ITEE_OK);
        assert_int_equal(x.params.nonce, first_nonce + i);
        if (x.call.len == 2 + 32 + 32 + 4 + 32 && memcmp(x.call.ptr, prefix.ptr, 2) == 0) {
            assert_memory_equal(x.call.ptr + 2, v->shard, 32);
            confirms++;
        }
        off += v->sink.lens[i];
    }
    itee_buf_free(&prefix);
    return confirms;
}

/* The scenario's resources, released by env_teardown even when an assertion failed. */
static int env_setup(void **state)
{
    struct env *v = itee_alloc(sizeof(*v));
    if (v == NULL)
        return -1;
    memset(v, 0, sizeof(*v));
    itee_buf_init(&v->sink.bytes, 0);
    *state = v;
    return 0;
}

static int env_teardown(void **state)
{
    struct env *v = *state;
    enclave_host_close(v->h);
    keys_pair_clear(&v->alice);
    keys_pair_clear(&v->bob);
    node_api_close(&v->api);
    if (v->node.pid > 0)
        node_stop(&v->node);
    if (v->dir[0] != '\0')
        env_rmdir(v->dir);
    itee_buf_free(&v->sink.bytes);
    itee_free(v);
    return 0;
}

static void test_against_node(void **state)
{
    struct env *v = *state;
    node_start(&v->node, "test_enclave_pc");
    char url[64];
    snprintf(url, sizeof(url), "ws://127.0.0.1:%u", v->node.port);
    assert_int_equal(node_api_open(&v->api, url, 10000), ITEE_OK);
    memcpy(v->dir, "/tmp/itee-pc-XXXXXX", 20);
    assert_non_null(mkdtemp(v->dir));
    assert_int_equal(keys_pair_from_suri(&v->alice, KEYS_SCHEME_SR25519, "//Alice", 7), ITEE_OK);
    assert_int_equal(keys_pair_from_suri(&v->bob, KEYS_SCHEME_SR25519, "//Bob", 5), ITEE_OK);

    assert_int_equal(enclave_host_open(&v->h, SO_PATH, v->dir, EDL_INIT_DEV), ITEE_OK);
    enclave_host_set_xt_sink(v->h, sink_fn, &v->sink);
    assert_int_equal(enclave_host_mrenclave(v->h, v->shard), ITEE_OK); /* shard = MRENCLAVE */
    struct enclave_host_pc_status st, st2;
    assert_int_equal(enclave_host_parentchain_status(v->h, &st), ITEE_ERR_PC_NOT_INIT);
    register_enclave(v);

    assert_int_equal(pc_import_init(&v->api, v->h, v->shard, &st), ITEE_OK);
    assert_int_equal(st.finalized, 0);
    status(v, &st);
    assert_int_equal(st.last_processed, 0);
    assert_int_equal(st.best, 0);

    /* a malicious host first; then blocks 1..3 one by one */
    hostile_bundles(v, 1);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    struct enclave_host_pc_import res;
    for (uint32_t n = 1; n <= 3; n++) {
        fetch(v, n, &b);
        assert_int_equal(enclave_host_parentchain_import(v->h, b.ptr, b.len, &res), ITEE_OK);
        assert_int_equal(res.number, n);
        assert_int_equal(res.finalized, n);
        assert_int_equal(res.calls_executed, 0);
        assert_int_equal(res.xts_sent, 1); /* the confirmation */
    }
    /* the same block again, or a skipped one */
    expect_refused(v, &b, ITEE_ERR_LC_NUMBER);
    fetch(v, 5, &b);
    expect_refused(v, &b, ITEE_ERR_LC_GAP);
    status(v, &st);
    assert_int_equal(st.finalized, 3);
    assert_int_equal(st.last_processed, 3);
    hostile_bundles(v, 4);

    /* block 4 without its justification is held; block 5's justification finalizes both */
    struct pc_bundle p4;
    struct itee_buf b4;
    itee_buf_init(&b4, 0);
    fetch(v, 4, &b);
    assert_int_equal(pc_bundle_decode(&p4, b.ptr, b.len), ITEE_OK);
    p4.has_justification = false;
    rebundle(&b4, &p4, NULL, 0, NULL);
    pc_bundle_free(&p4);
    assert_int_equal(enclave_host_parentchain_import(v->h, b4.ptr, b4.len, &res), ITEE_OK);
    assert_int_equal(res.finalized, 3);
    assert_int_equal(res.xts_sent, 0);
    status(v, &st);
    assert_int_equal(st.best, 4);
    assert_int_equal(st.finalized, 3);
    assert_int_equal(st.last_processed, 3);
    fetch(v, 5, &b);
    assert_int_equal(enclave_host_parentchain_import(v->h, b.ptr, b.len, &res), ITEE_OK);
    assert_int_equal(res.finalized, 5);
    assert_int_equal(res.xts_sent, 2); /* blocks 4 and 5 confirmed, in order */
    status(v, &st);
    assert_int_equal(st.best, 5);
    assert_int_equal(st.last_processed, 5);
    itee_buf_free(&b4);

    /* indirect invocation and shielding, executed when their blocks are imported */
    assert_true(bob_free(v) == 0);
    const itee_u128 tera = 1000000000000u, fee3 = 300000000u, want = tera + 1000 - 500 - fee3;
    uint32_t inv_block = 0, shield_block = 0, unshield_block = 0;
    invoke_set_balance(v, tera, &inv_block);
    shield_to_bob(v, 1000, &shield_block);
    invoke_unshield(v, 500, &unshield_block);
    uint32_t executed = sync_to(v, unshield_block);
    assert_int_equal(executed, 3);
    assert_true(bob_free(v) == want);
    status(v, &st);
    uint8_t head[32];
    uint32_t head_n = 0;
    assert_int_equal(pc_sync_finalized(&v->api, head, &head_n), ITEE_OK);
    assert_true(st.finalized <= head_n);
    assert_true(st.finalized >= unshield_block);
    assert_int_equal(st.last_processed, st.finalized);
    uint8_t h_at[32];
    assert_int_equal(pc_sync_block_hash(&v->api, st.finalized, h_at), ITEE_OK);
    assert_memory_equal(st.finalized_hash, h_at, 32);

    /* one verified confirmation per processed block, nonces from 1 (0 registered it), plus
     * one unshield_funds; the node accepts them all from the registered enclave, and the
     * unshield pays Bob on L1 from the shard's account (where shield_funds put the money) */
    assert_int_equal(check_confirmations(v, 1), st.last_processed);
    assert_int_equal(v->sink.n, st.last_processed + 1);
    uint8_t bob_id[32];
    keys_pair_account_id(&v->bob, bob_id);
    struct node_account before, after;
    assert_int_equal(node_api_account(&v->api, bob_id, &before), ITEE_OK);
    size_t off = 0;
    for (size_t i = 0; i < v->sink.n; i++) {
        submit_xt(v, v->sink.bytes.ptr + off, v->sink.lens[i]);
        off += v->sink.lens[i];
    }
    assert_int_equal(node_api_account(&v->api, bob_id, &after), ITEE_OK);
    assert_true(after.free == before.free + 500);
    uint32_t next_nonce = (uint32_t)v->sink.n + 1;
    itee_buf_reset(&v->sink.bytes);
    v->sink.n = 0;

    /* restart on the same data dir: resumes, never executes a block twice */
    enclave_host_close(v->h);
    v->h = NULL;
    assert_int_equal(enclave_host_open(&v->h, SO_PATH, v->dir, EDL_INIT_DEV), ITEE_OK);
    enclave_host_set_xt_sink(v->h, sink_fn, &v->sink);
    assert_int_equal(pc_import_init(&v->api, v->h, v->shard, &st2), ITEE_OK);
    status(v, &st2);
    assert_int_equal(st2.finalized, st.finalized);
    assert_int_equal(st2.last_processed, st.last_processed);
    assert_memory_equal(st2.finalized_hash, st.finalized_hash, 32);
    assert_true(bob_free(v) == want);
    assert_int_equal(sync_to(v, st.finalized + 2), 0);
    assert_true(bob_free(v) == want);

    /* every confirmation verifies; the node accepts them from the registered enclave */
    size_t confirms = check_confirmations(v, next_nonce);
    status(v, &st2);
    assert_int_equal(confirms, st2.last_processed - st.last_processed);
    off = 0;
    for (size_t i = 0; i < v->sink.n && i < 3; i++) {
        submit_xt(v, v->sink.bytes.ptr + off, v->sink.lens[i]);
        off += v->sink.lens[i];
    }

    itee_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keccak),
        cmocka_unit_test(test_merkle_root),
        cmocka_unit_test(test_merkle_substrate_vectors),
        cmocka_unit_test(test_init_request_codec),
        cmocka_unit_test_setup_teardown(test_against_node, env_setup, env_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
