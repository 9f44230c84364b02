/*
 * producer.c - AURA slot timer and block building (see producer.h). The node is the only
 * authority, so every slot gets a block and every block is finalized at once with a GRANDPA
 * justification carrying //Alice's single precommit (round = block number, set id 0).
 */
#include "node/producer.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "chain/block.h"
#include "chain/extrinsic.h"
#include "chain/grandpa.h"
#include "chain/header.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/mem.h"
#include "node/node.h"
#include "node/pool.h"
#include "node/rpc_node.h"
#include "node/runtime/pallet_timestamp.h"
#include "node/runtime/rt_exec.h"

/* Most signed extrinsics in one block, and their total length (75 % of the 5 MiB limit). */
#define PRODUCER_MAX_TXS   4096
#define PRODUCER_MAX_BYTES ((size_t)5 * 1024 * 1024 * 3 / 4)

enum tx_mark { MARK_NONE = 0, MARK_IN = 1, MARK_INVALID = 2 };

struct build {
    struct trie *trie;
    struct rt_state *st;
    struct rt_ctx ctx;
    bool have_ctx;
    struct itee_buf digest, inherent, call, henc, jenc, benc;
    struct itee_slice *exts; /* body */
    size_t n_exts;
    uint8_t *mark; /* per pool entry */
    int *invalid_reason;
};

static void build_free(struct build *b)
{
    if (b->have_ctx)
        rt_ctx_free(&b->ctx);
    rt_state_free(b->st);
    trie_free(b->trie);
    itee_buf_free(&b->digest);
    itee_buf_free(&b->inherent);
    itee_buf_free(&b->call);
    itee_buf_free(&b->henc);
    itee_buf_free(&b->jenc);
    itee_buf_free(&b->benc);
    itee_free(b->exts);
    itee_free(b->mark);
    itee_free(b->invalid_reason);
}

static void hex32(char out[67], const uint8_t h[32])
{
    out[0] = '0';
    out[1] = 'x';
    if (itee_hex_encode(out + 2, 65, h, 32) != ITEE_OK)
        out[2] = '\0';
}

/* Sends a final status to a watcher and ends its subscription. */
static void watcher_final(struct node *n, struct txq_tx *t, json_t *status)
{
    if (!t->watched) {
        json_decref(status);
        return;
    }
    if (rpc_server_notify(n->rpc, t->watch, status) != ITEE_OK) {
        /* the client went away: nothing to tell */
    }
    t->watched = false;
    if (rpc_server_sub_end(n->rpc, t->watch) != ITEE_OK) {
        /* already ended */
    }
}

/*
 * Applies ready pool transactions in Substrate's BestIterator order (priority, then longevity,
 * then arrival; a signer's next nonce once its predecessor is in). One that does not fit the
 * block's weight or length (ExhaustsResources) stays for a later block, as do its successors.
 */
static enum itee_err apply_pool(struct node *n, struct build *b, size_t *bytes)
{
    struct txq *q = &n->pool.q;
    struct txq_best best;
    enum itee_err e = txq_best_init(&best, q);
    if (e != ITEE_OK)
        return e;
    size_t i;
    while (b->n_exts < PRODUCER_MAX_TXS + 1 && txq_best_next(&best, &i)) {
        struct txq_tx *t = &q->tx[i];
        if (b->mark[i] != MARK_NONE || *bytes + t->len > PRODUCER_MAX_BYTES)
            continue;
        struct extrinsic x;
        if (extrinsic_decode(&x, &n->xchain, t->bytes, t->len) != ITEE_OK) {
            b->mark[i] = MARK_INVALID;
            continue;
        }
        if (x.params.era.mortal &&
            extrinsic_era_death(&x.params.era, b->ctx.number) <= b->ctx.number) {
            b->mark[i] = MARK_INVALID;
            b->invalid_reason[i] = RT_INVALID_STALE;
            continue;
        }
        struct rt_apply_result res;
        e = rt_exec_apply_signed(&b->ctx, x.signer, x.params.nonce, x.params.tip, x.call.ptr,
                                 x.call.len, t->len, &res);
        if (e != ITEE_OK)
            break;
        if (res.validity == RT_VALID) {
            b->mark[i] = MARK_IN;
            b->exts[b->n_exts++] = itee_slice_make(t->bytes, t->len);
            *bytes += t->len;
            txq_best_included(&best, i);
        } else if (res.validity != RT_INVALID_FUTURE &&
                   res.validity != RT_INVALID_EXHAUSTS_RESOURCES) {
            b->mark[i] = MARK_INVALID;
            b->invalid_reason[i] = res.validity;
        }
    }
    txq_best_free(&best);
    return e;
}

/*
 * polkadot-js fetches the block and events when it sees "inBlock" and drops that fetch if
 * "finalized" arrives first (switchMap), so the finalized status follows a moment later, as
 * it does behind GRANDPA on a real node.
 */
static enum itee_err fin_push(struct node *n, const char *sub, const char *hash)
{
    if (n->n_fin == n->cap_fin) {
        size_t cap = n->cap_fin ? n->cap_fin * 2 : 64;
        struct node_fin *f = itee_realloc(n->fin, cap * sizeof(*f));
        if (f == NULL)
            return ITEE_ERR_NOMEM;
        n->fin = f;
        n->cap_fin = cap;
    }
    memcpy(n->fin[n->n_fin].sub, sub, sizeof(n->fin[0].sub));
    memcpy(n->fin[n->n_fin].hash, hash, sizeof(n->fin[0].hash));
    n->n_fin++;
    return ITEE_OK;
}

static void on_fin(uv_timer_t *t)
{
    struct node *n = t->data;
    for (size_t i = 0; i < n->n_fin; i++) {
        if (rpc_server_notify(n->rpc, n->fin[i].sub,
                              json_pack("{s:s}", "finalized", n->fin[i].hash)) == ITEE_OK &&
            rpc_server_sub_end(n->rpc, n->fin[i].sub) != ITEE_OK) {
            /* already ended */
        }
    }
    n->n_fin = 0;
}

enum itee_err producer_produce(struct node *n, uint64_t now_ms)
{
    uint64_t slot = now_ms / n->cfg.block_time_ms;
    if (slot <= n->last_slot)
        return ITEE_OK;
    struct build b;
    struct timespec t_start, t_end;
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    memset(&b, 0, sizeof(b));
    itee_buf_init(&b.digest, 0);
    itee_buf_init(&b.inherent, 0);
    itee_buf_init(&b.call, 0);
    itee_buf_init(&b.henc, 0);
    itee_buf_init(&b.jenc, 0);
    itee_buf_init(&b.benc, 0);
    struct header h;
    memset(&h, 0, sizeof(h));
    uint8_t pre[8], seal[HEADER_AURA_SIG_LEN], hash[32];
    size_t bytes = 0;
    struct pool *pl = &n->pool;
    enum itee_err e = ITEE_ERR_NOMEM;
    b.exts = itee_alloc_array(PRODUCER_MAX_TXS + 2, sizeof(*b.exts));
    b.mark = itee_zalloc(pl->q.n + 1);
    b.invalid_reason = itee_alloc_array(pl->q.n + 1, sizeof(int));
    if (b.exts == NULL || b.mark == NULL || b.invalid_reason == NULL)
        goto out;

    /* header skeleton and the AURA pre-runtime digest */
    memcpy(h.parent_hash, n->db.best, 32);
    h.number = n->db.best_number + 1;
    header_aura_pre_digest(pre, slot);
    e = header_push_log(&h, HEADER_DIGEST_PRE_RUNTIME, HEADER_ENGINE_AURA, pre, sizeof(pre));
    if (e == ITEE_OK)
        e = scale_put_compact(&b.digest, 1);
    if (e == ITEE_OK)
        e = header_digest_item_encode(&b.digest, &h.logs[0]);

    /* initialise on the parent's state */
    if (e == ITEE_OK)
        e = chain_db_state(&n->db, n->db.best, &b.trie);
    if (e == ITEE_OK)
        e = rt_state_new(&b.st, b.trie);
    if (e != ITEE_OK)
        goto out;
    rt_ctx_init(&b.ctx, b.st, h.number, h.parent_hash);
    b.have_ctx = true;
    e = rt_exec_block_initialize(&b.ctx, b.digest.ptr, b.digest.len, slot);
    if (e != ITEE_OK)
        goto out;

    /* timestamp inherent: the slot's start, but never below Now + MinimumPeriod */
    uint64_t prev = 0;
    e = pallet_timestamp_now(&b.ctx, &prev);
    if (e != ITEE_OK)
        goto out;
    uint64_t ts = slot * n->cfg.block_time_ms;
    if (prev != 0 && ts < prev + PALLET_TIMESTAMP_MINIMUM_PERIOD)
        ts = prev + PALLET_TIMESTAMP_MINIMUM_PERIOD;
    struct rt_apply_result ires;
    if ((e = scale_put_u8(&b.call, RT_PALLET_TIMESTAMP)) != ITEE_OK ||
        (e = scale_put_u8(&b.call, 0)) != ITEE_OK ||
        (e = scale_put_compact(&b.call, ts)) != ITEE_OK ||
        (e = extrinsic_encode_unsigned(&b.inherent, itee_buf_slice(&b.call))) != ITEE_OK)
        goto out;
    e = rt_exec_apply_inherent(&b.ctx, b.call.ptr, b.call.len, &ires);
    if (e != ITEE_OK)
        goto out;
    if (ires.validity != RT_VALID || !ires.ok) {
        log_error("timestamp inherent refused");
        e = ITEE_ERR_INTERNAL;
        goto out;
    }
    b.exts[b.n_exts++] = itee_buf_slice(&b.inherent);
    bytes = b.inherent.len;

    /* pool transactions */
    b.ctx.phase = RT_PHASE_APPLY;
    e = apply_pool(n, &b, &bytes);
    if (e != ITEE_OK)
        goto out;

    /* finalize, state root (nodes go into the import batch), extrinsics root, seal */
    if ((e = rt_exec_block_finalize(&b.ctx)) != ITEE_OK || (e = rt_state_commit(b.st)) != ITEE_OK ||
        (e = trie_commit(b.trie, h.state_root)) != ITEE_OK ||
        (e = block_extrinsics_root(TRIE_LAYOUT_V0, b.exts, b.n_exts, h.extrinsics_root)) !=
            ITEE_OK ||
        (e = header_aura_seal(&h, &n->aura, seal)) != ITEE_OK ||
        (e = header_hash(&h, hash)) != ITEE_OK || (e = header_encode(&b.henc, &h)) != ITEE_OK)
        goto out;

    /* one-authority GRANDPA justification */
    struct grandpa_signed_precommit sp;
    struct grandpa_precommit pc;
    memcpy(pc.target_hash, hash, 32);
    pc.target_number = h.number;
    if ((e = grandpa_precommit_sign(&sp, &n->grandpa, &pc, h.number, 0)) != ITEE_OK)
        goto out;
    struct grandpa_justification j;
    memset(&j, 0, sizeof(j));
    j.round = h.number;
    memcpy(j.target_hash, hash, 32);
    j.target_number = h.number;
    j.precommits = &sp;
    j.n_precommits = 1;
    if ((e = grandpa_justification_encode(&b.jenc, &j)) != ITEE_OK)
        goto out;
    struct block_justification bj;
    memcpy(bj.engine, HEADER_ENGINE_GRANDPA, 4);
    bj.data = itee_buf_slice(&b.jenc);
    struct block_signed sb;
    memset(&sb, 0, sizeof(sb));
    sb.block.header = h;
    sb.block.extrinsics = b.exts;
    sb.block.n_extrinsics = b.n_exts;
    sb.has_justifications = true;
    sb.justifications = &bj;
    sb.n_justifications = 1;
    if ((e = block_signed_encode(&b.benc, &sb)) != ITEE_OK)
        goto out;
    if ((e = chain_db_import(&n->db, &h, hash, b.henc.ptr, b.henc.len, b.benc.ptr, b.benc.len)) !=
        ITEE_OK)
        goto out;
    n->last_slot = slot;

    char hx[67];
    hex32(hx, hash);
    clock_gettime(CLOCK_MONOTONIC, &t_end);
    double ms = (double)(t_end.tv_sec - t_start.tv_sec) * 1e3 +
                (double)(t_end.tv_nsec - t_start.tv_nsec) / 1e6;
    metrics_observe_block(&n->metrics, ms / 1e3);
    log_info("Imported #%" PRIu32 " (%s) with %zu extrinsics, built and imported in %.1f ms",
             h.number, hx, b.n_exts, ms);
    log_info("Finalized #%" PRIu32 " (%s)", h.number, hx);

    /* pool: included and invalid transactions leave, watchers learn their fate */
    for (size_t i = pl->q.n; i-- > 0;) {
        struct txq_tx *t = &pl->q.tx[i];
        if (b.mark[i] == MARK_IN) {
            if (t->watched) {
                if (rpc_server_notify(n->rpc, t->watch, json_pack("{s:s}", "inBlock", hx)) !=
                    ITEE_OK) {
                    /* gone */
                }
                if (fin_push(n, t->watch, hx) != ITEE_OK)
                    watcher_final(n, t, json_pack("{s:s}", "finalized", hx));
                t->watched = false;
            }
            pool_ban(pl, t->hash);
            pool_remove(pl, i);
        } else if (b.mark[i] == MARK_INVALID) {
            log_debug("dropping invalid transaction: %s", pool_invalid_text(b.invalid_reason[i]));
            watcher_final(n, t, json_string("invalid"));
            pool_ban(pl, t->hash);
            pool_remove(pl, i);
        }
    }
    /* stale nonces and expired eras leave too; the rest is re-sorted on the new state */
    if (pool_prune(n) != ITEE_OK)
        log_warn("transaction pool: pruning after #%" PRIu32 " failed", h.number);
    rpc_node_on_block(n);
    if (n->n_fin > 0) {
        uint64_t delay = n->cfg.block_time_ms / 5;
        uv_timer_start(&n->fin_timer, on_fin, delay < 100 ? 100 : delay, 0);
    }
    e = ITEE_OK;
out:
    if (e != ITEE_OK) {
        chain_db_discard(&n->db);
        log_error("block production failed: %s", itee_strerror(e));
    }
    build_free(&b);
    return e;
}

static void schedule(struct node *n);

static void on_slot(uv_timer_t *t)
{
    struct node *n = t->data;
    if (producer_produce(n, node_now_ms()) != ITEE_OK) {
        /* logged; try again next slot */
    }
    schedule(n);
}

/* Arms the timer for the next slot boundary. */
static void schedule(struct node *n)
{
    uint64_t now = node_now_ms();
    uint64_t bt = n->cfg.block_time_ms;
    uint64_t next = (now / bt + 1) * bt;
    uv_timer_start(&n->slot_timer, on_slot, next - now + 1, 0);
}

enum itee_err producer_start(struct node *n)
{
    /* continue after the slot of the best block (restart) */
    struct itee_buf hb;
    struct header h;
    itee_buf_init(&hb, 0);
    if (chain_db_header(&n->db, n->db.best, &hb) == ITEE_OK &&
        header_decode(&h, hb.ptr, hb.len) == ITEE_OK &&
        header_aura_slot(&h, &n->last_slot) == ITEE_OK) {
        /* last_slot set */
    }
    itee_buf_free(&hb);
    uv_timer_init(n->loop, &n->slot_timer);
    uv_timer_init(n->loop, &n->fin_timer);
    n->fin_timer.data = n;
    n->slot_timer.data = n;
    schedule(n);
    return ITEE_OK;
}
