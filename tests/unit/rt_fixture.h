/*
 * rt_fixture.h - shared set-up for the runtime unit tests: an in-memory trie holding the dev
 * genesis, a state view, a block context, and helpers to build calls and inspect events.
 * Header-only (static inline) so each test stays a single translation unit.
 */
#ifndef ITEE_RT_FIXTURE_H
#define ITEE_RT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codec/scale.h"
#include "node/runtime/genesis.h"
#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/rt_ctx.h"
#include "node/runtime/rt_exec.h"
#include "node/runtime/rt_state.h"
#include "trie/trie.h"

#define TEER ((itee_u128)1000000000000ULL)

enum { ALICE = 0, BOB = 1, CHARLIE = 2, DAVE = 3, EVE = 4, FERDIE = 5, TREASURY = 6 };

struct fx {
    struct trie *trie;                      /* genesis state */
    struct rt_state *st;                    /* view */
    struct rt_ctx ctx;                      /* block 1 context */
    uint8_t acc[GENESIS_ENDOWED_COUNT][32]; /* endowed accounts */
    uint8_t nobody[32];                     /* an account that does not exist */
    struct itee_buf call;                   /* scratch call buffer */
};

static inline void fx_setup(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    assert_int_equal(trie_new(&f->trie, TRIE_LAYOUT_V0, NULL), ITEE_OK);
    assert_int_equal(rt_state_new(&f->st, f->trie), ITEE_OK);
    assert_int_equal(genesis_build(f->st, GENESIS_DEV), ITEE_OK);
    assert_int_equal(rt_state_commit(f->st), ITEE_OK);
    assert_int_equal(genesis_endowed(f->acc), ITEE_OK);
    memset(f->nobody, 0x42, 32);
    uint8_t parent[32];
    memset(parent, 0xaa, 32);
    rt_ctx_init(&f->ctx, f->st, 1, parent);
    f->ctx.phase = RT_PHASE_APPLY;
    itee_buf_init(&f->call, 0);
}

static inline void fx_teardown(struct fx *f)
{
    rt_ctx_free(&f->ctx);
    rt_state_free(f->st);
    trie_free(f->trie);
    itee_buf_free(&f->call);
}

static inline struct pallet_system_account fx_account(struct fx *f, const uint8_t *who)
{
    struct pallet_system_account a;
    assert_int_equal(pallet_system_account_get(&f->ctx, who, &a, NULL), ITEE_OK);
    return a;
}

static inline bool fx_exists(struct fx *f, const uint8_t *who)
{
    struct pallet_system_account a;
    bool ex;
    assert_int_equal(pallet_system_account_get(&f->ctx, who, &a, &ex), ITEE_OK);
    return ex;
}

static inline itee_u128 fx_free(struct fx *f, const uint8_t *who)
{
    return fx_account(f, who).free;
}

static inline itee_u128 fx_issuance(struct fx *f)
{
    itee_u128 ti;
    assert_int_equal(pallet_balances_total_issuance(&f->ctx, &ti), ITEE_OK);
    return ti;
}

static inline struct rt_origin fx_signed(const uint8_t *who)
{
    struct rt_origin o;
    memset(&o, 0, sizeof(o));
    o.kind = RT_ORIGIN_SIGNED;
    memcpy(o.who, who, 32);
    return o;
}

static inline struct rt_origin fx_root(void)
{
    struct rt_origin o;
    memset(&o, 0, sizeof(o));
    o.kind = RT_ORIGIN_ROOT;
    return o;
}

/* Dispatches f->call with origin; asserts the call decodes completely. */
static inline struct rt_post fx_dispatch(struct fx *f, const struct rt_origin *o)
{
    struct scale_reader r;
    struct rt_info info;
    struct rt_post post;
    scale_reader_init(&r, f->call.ptr, f->call.len);
    assert_int_equal(rt_exec_call(&f->ctx, o, &r, true, &info, &post), ITEE_OK);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    return post;
}

/* Call building: header, MultiAddress::Id, compact. */
static inline void fx_call_begin(struct itee_buf *b, uint8_t pallet, uint8_t call)
{
    assert_int_equal(scale_put_u8(b, pallet), ITEE_OK);
    assert_int_equal(scale_put_u8(b, call), ITEE_OK);
}

static inline void fx_put_id(struct itee_buf *b, const uint8_t *who)
{
    assert_int_equal(scale_put_u8(b, 0), ITEE_OK);
    assert_int_equal(scale_put_bytes(b, who, 32), ITEE_OK);
}

static inline void fx_put_compact(struct itee_buf *b, itee_u128 v)
{
    assert_int_equal(scale_put_compact_u128(b, v), ITEE_OK);
}

/* Appends Balances.transfer_{allow_death (0), keep_alive (3)}(dest, value). */
static inline void fx_transfer(struct itee_buf *b, uint8_t call, const uint8_t *dest,
                               itee_u128 value)
{
    fx_call_begin(b, RT_PALLET_BALANCES, call);
    fx_put_id(b, dest);
    fx_put_compact(b, value);
}

/* Index of the first event at or after from with the given pallet and variant, or -1. */
static inline long fx_find_event(const struct fx *f, uint8_t pallet, uint8_t variant, size_t from)
{
    for (size_t i = from; i < f->ctx.n_events; i++)
        if (f->ctx.events[i].bytes[0] == pallet && f->ctx.events[i].bytes[1] == variant)
            return (long)i;
    return -1;
}

/* Asserts the event sequence (pallet, variant) pairs exactly. */
static inline void fx_expect_events(const struct fx *f, const uint8_t (*ev)[2], size_t n)
{
    assert_int_equal(f->ctx.n_events, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(f->ctx.events[i].bytes[0], ev[i][0]);
        assert_int_equal(f->ctx.events[i].bytes[1], ev[i][1]);
    }
}

static inline itee_u128 fx_u128le(const uint8_t *p)
{
    itee_u128 v = 0;
    for (int i = 15; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

#endif
