/*
 * test_txq.c - the pool's queues: ready / future split by nonce, promotion, replacement by
 * priority (1014, usurped), limits with eviction (dropped, 1016), bans that expire, pruning of
 * stale nonces and expired eras (invalid), and the block-building order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/mem.h"
#include "node/runtime/txq.h"

struct gone_log {
    size_t n;
    enum txq_gone why[16];
    uint8_t first[16]; /* first hash byte of each */
};

static void on_gone(void *ctx, struct txq_tx *t, enum txq_gone why, const uint8_t by[32])
{
    (void)by;
    struct gone_log *g = ctx;
    if (g->n < 16) {
        g->why[g->n] = why;
        g->first[g->n] = t->hash[0];
    }
    g->n++;
}

/* Inserts a transaction whose hash starts with id, of signer s (first byte), nonce, priority. */
static struct txq_result put(struct txq *q, uint8_t id, uint8_t s, uint32_t nonce,
                             uint64_t priority, uint32_t state_nonce, struct gone_log *g)
{
    uint8_t hash[32], signer[32], bytes[10];
    memset(hash, 0, 32);
    hash[0] = id;
    memset(signer, s, 32);
    memset(bytes, id, sizeof(bytes));
    struct txq_new nt = {.bytes = bytes,
                         .len = sizeof(bytes),
                         .hash = hash,
                         .signer = signer,
                         .nonce = nonce,
                         .priority = priority,
                         .valid_till = UINT64_MAX};
    struct txq_result r;
    assert_int_equal(txq_insert(q, &nt, state_nonce, 1000, on_gone, g, &r), ITEE_OK);
    return r;
}

static size_t idx(const struct txq *q, uint8_t id)
{
    uint8_t hash[32];
    memset(hash, 0, 32);
    hash[0] = id;
    return txq_find(q, hash);
}

static void test_ready_future_and_promotion(void **state)
{
    (void)state;
    struct txq q;
    struct gone_log g = {0};
    txq_init(&q, NULL);
    struct txq_result r = put(&q, 1, 0xa, 5, 10, 3, &g); /* nonce 5, account at 3: future */
    assert_int_equal(r.code, 0);
    assert_false(r.ready);
    r = put(&q, 2, 0xa, 3, 10, 3, &g);
    assert_true(r.ready);
    assert_false(q.tx[idx(&q, 1)].ready);
    r = put(&q, 3, 0xa, 4, 10, 3, &g); /* fills the gap: 4 and 5 become ready */
    assert_true(r.ready);
    assert_true(q.tx[idx(&q, 1)].ready);
    assert_int_equal(txq_next_nonce(&q, q.tx[0].signer, 3), 6);
    assert_int_equal(g.n, 0);
    txq_free(&q);
}

static void test_replacement_by_priority(void **state)
{
    (void)state;
    struct txq q;
    struct gone_log g = {0};
    txq_init(&q, NULL);
    put(&q, 1, 0xa, 0, 10, 0, &g);
    assert_int_equal(put(&q, 2, 0xa, 0, 10, 0, &g).code, 1014); /* equal: too low */
    assert_int_equal(q.n, 1);
    struct txq_result r = put(&q, 3, 0xa, 0, 11, 0, &g);
    assert_int_equal(r.code, 0);
    assert_int_equal(q.n, 1);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.why[0], TXQ_GONE_USURPED);
    assert_int_equal(g.first[0], 1);
    txq_free(&q);
}

static void test_limits_evict_lowest_priority(void **state)
{
    (void)state;
    struct txq_limits lim = {.ready_count = 3,
                             .ready_bytes = 1000,
                             .future_count = 2,
                             .future_bytes = 1000,
                             .ban_ms = 500};
    struct txq q;
    struct gone_log g = {0};
    txq_init(&q, &lim);
    put(&q, 1, 0x1, 0, 50, 0, &g);
    put(&q, 2, 0x2, 0, 10, 0, &g);
    put(&q, 3, 0x3, 0, 30, 0, &g);
    /* a fourth with a higher priority pushes out the lowest (2) */
    struct txq_result r = put(&q, 4, 0x4, 0, 40, 0, &g);
    assert_int_equal(r.code, 0);
    assert_int_equal(q.n, 3);
    assert_true(idx(&q, 2) == SIZE_MAX);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.why[0], TXQ_GONE_DROPPED);
    uint8_t h2[32] = {2};
    assert_true(txq_is_banned(&q, h2, 1000));
    assert_false(txq_is_banned(&q, h2, 1500)); /* the ban expires */
    /* a new lowest one is itself dropped: 1016 */
    r = put(&q, 5, 0x5, 0, 1, 0, &g);
    assert_int_equal(r.code, 1016);
    assert_int_equal(q.n, 3);
    /* future queue: the oldest future one goes */
    put(&q, 6, 0x6, 9, 99, 0, &g);
    put(&q, 7, 0x7, 9, 99, 0, &g);
    put(&q, 8, 0x8, 9, 99, 0, &g);
    assert_true(idx(&q, 6) == SIZE_MAX);
    assert_true(idx(&q, 7) != SIZE_MAX && idx(&q, 8) != SIZE_MAX);
    txq_free(&q);
}

static enum itee_err nonce_fn(void *ctx, const uint8_t signer[32], uint32_t *nonce)
{
    (void)ctx;
    *nonce = signer[0] == 0xa ? 2 : 0;
    return ITEE_OK;
}

static void test_prune_stale_and_expired(void **state)
{
    (void)state;
    struct txq q;
    struct gone_log g = {0};
    txq_init(&q, NULL);
    put(&q, 1, 0xa, 1, 10, 1, &g); /* stale after the chain moved to nonce 2 */
    put(&q, 2, 0xa, 3, 10, 1, &g); /* future, becomes ready when state nonce is 2? no: gap */
    put(&q, 3, 0xa, 2, 10, 1, &g);
    put(&q, 4, 0xb, 0, 10, 0, &g);
    q.tx[idx(&q, 4)].valid_till = 20; /* mortal: expires at block 20 */
    assert_int_equal(txq_prune(&q, 19, 1000, nonce_fn, NULL, on_gone, &g), ITEE_OK);
    assert_true(idx(&q, 1) == SIZE_MAX);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.why[0], TXQ_GONE_INVALID);
    assert_true(q.tx[idx(&q, 3)].ready && q.tx[idx(&q, 2)].ready);
    assert_true(idx(&q, 4) != SIZE_MAX);
    assert_int_equal(txq_prune(&q, 20, 1000, nonce_fn, NULL, on_gone, &g), ITEE_OK);
    assert_true(idx(&q, 4) == SIZE_MAX);
    assert_int_equal(g.why[1], TXQ_GONE_INVALID);
    uint8_t h4[32] = {4};
    assert_true(txq_is_banned(&q, h4, 1000));
    txq_free(&q);
}

static void test_best_order(void **state)
{
    (void)state;
    struct txq q;
    struct gone_log g = {0};
    txq_init(&q, NULL);
    put(&q, 1, 0xa, 0, 10, 0, &g);
    put(&q, 2, 0xa, 1, 100, 0, &g); /* high priority but needs 1 first */
    put(&q, 3, 0xb, 0, 50, 0, &g);
    put(&q, 4, 0xc, 0, 50, 0, &g); /* same priority as 3, later */
    put(&q, 5, 0xd, 7, 99, 0, &g); /* future: never a candidate */
    struct txq_best b;
    assert_int_equal(txq_best_init(&b, &q), ITEE_OK);
    uint8_t order[8];
    size_t n = 0, i;
    while (n < 8 && txq_best_next(&b, &i)) {
        order[n++] = q.tx[i].hash[0];
        txq_best_included(&b, i);
    }
    txq_best_free(&b);
    assert_int_equal(n, 4);
    const uint8_t want[] = {3, 4, 1, 2};
    assert_memory_equal(order, want, 4);
    /* not included: the successor never becomes a candidate */
    assert_int_equal(txq_best_init(&b, &q), ITEE_OK);
    n = 0;
    while (txq_best_next(&b, &i))
        n++;
    txq_best_free(&b);
    assert_int_equal(n, 3);
    txq_free(&q);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    for (int fail = 0; fail < 8; fail++) {
        struct txq q;
        struct gone_log g = {0};
        txq_init(&q, NULL);
        itee_mem_fail_after(fail);
        uint8_t hash[32] = {1}, signer[32] = {1}, bytes[4] = {0};
        struct txq_new nt = {.bytes = bytes,
                             .len = 4,
                             .hash = hash,
                             .signer = signer,
                             .priority = 1,
                             .valid_till = UINT64_MAX};
        struct txq_result r;
        enum itee_err e = txq_insert(&q, &nt, 0, 0, on_gone, &g, &r);
        struct txq_best b;
        if (e == ITEE_OK)
            e = txq_best_init(&b, &q);
        if (e == ITEE_OK)
            txq_best_free(&b);
        itee_mem_fail_after(-1);
        assert_true(e == ITEE_OK || e == ITEE_ERR_NOMEM);
        txq_free(&q);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ready_future_and_promotion),
        cmocka_unit_test(test_replacement_by_priority),
        cmocka_unit_test(test_limits_evict_lowest_priority),
        cmocka_unit_test(test_prune_stale_and_expired),
        cmocka_unit_test(test_best_order),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
