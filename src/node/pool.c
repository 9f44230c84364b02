/*
 * pool.c - transaction pool (see pool.h). Validation runs against the best block's state in a
 * throwaway view, as Substrate's validate_transaction runs on a block initialised at best + 1.
 */
#include "node/pool.h"

#include <string.h>

#include "chain/extrinsic.h"
#include "common/hex.h"
#include "common/mem.h"
#include "node/node.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_api.h"
#include "node/runtime/rt_exec.h"

_Static_assert(TXQ_WATCH_LEN >= RPC_SUB_ID_LEN, "a subscription id fits a txq watch slot");

void pool_init(struct pool *p)
{
    txq_init(&p->q, NULL);
}

void pool_free(struct pool *p)
{
    txq_free(&p->q);
}

void pool_remove(struct pool *p, size_t i)
{
    txq_remove(&p->q, i);
}

void pool_ban(struct pool *p, const uint8_t hash[32])
{
    txq_ban(&p->q, hash, node_now_ms());
}

uint32_t pool_next_nonce(const struct pool *p, const uint8_t signer[32], uint32_t state_nonce)
{
    return txq_next_nonce(&p->q, signer, state_nonce);
}

void pool_unwatch(struct pool *p, const char *sub_id)
{
    for (size_t i = 0; i < p->q.n; i++)
        if (p->q.tx[i].watched && strcmp(p->q.tx[i].watch, sub_id) == 0)
            p->q.tx[i].watched = false;
}

const char *pool_invalid_text(int validity)
{
    switch (validity) {
    case RT_INVALID_CALL:
        return "Transaction call is not expected";
    case RT_INVALID_PAYMENT:
        return "Inability to pay some fees (e.g. account balance too low)";
    case RT_INVALID_FUTURE:
        return "Transaction will be valid in the future";
    case RT_INVALID_STALE:
        return "Transaction is outdated";
    case RT_INVALID_BAD_PROOF:
        return "Transaction has a bad signature";
    case RT_INVALID_ANCIENT_BIRTH_BLOCK:
        return "Transaction has an ancient birth block";
    case RT_INVALID_EXHAUSTS_RESOURCES:
        return "Transaction would exhaust the block limits";
    case RT_INVALID_BAD_MANDATORY:
        return "A call was labelled as mandatory, but resulted in an Error.";
    case RT_INVALID_MANDATORY_VALIDATION:
        return "Transaction dispatch is mandatory; transactions must not be validated.";
    case RT_INVALID_BAD_SIGNER:
        return "Invalid signing address";
    default:
        return "Transaction is invalid";
    }
}

static void invalid(struct pool_verdict *v, int validity)
{
    v->code = 1010;
    v->message = "Invalid Transaction";
    v->data = pool_invalid_text(validity);
}

/* A transaction the queue let go: its watcher gets the final status Substrate sends. */
static void on_gone(void *ctx, struct txq_tx *t, enum txq_gone why, const uint8_t by[32])
{
    struct node *n = ctx;
    if (!t->watched)
        return;
    json_t *status;
    if (why == TXQ_GONE_USURPED) {
        char hex[67] = "0x";
        if (itee_hex_encode(hex + 2, sizeof(hex) - 2, by, 32) != ITEE_OK)
            hex[2] = '\0';
        status = json_pack("{s:s}", "usurped", hex);
    } else {
        status = json_string(why == TXQ_GONE_DROPPED ? "dropped" : "invalid");
    }
    if (rpc_server_notify(n->rpc, t->watch, status) != ITEE_OK) {
        /* a closed watcher is not an error */
    }
    t->watched = false;
    if (rpc_server_sub_end(n->rpc, t->watch) != ITEE_OK) {
        /* already gone */
    }
}

/* A throwaway runtime view of the best state as block best + 1. */
struct view {
    struct trie *t;
    struct rt_state *st;
    struct rt_ctx ctx;
    bool have_ctx;
};

static enum itee_err view_open(struct node *n, struct view *w)
{
    memset(w, 0, sizeof(*w));
    enum itee_err e = chain_db_state(&n->db, n->db.best, &w->t);
    if (e == ITEE_OK)
        e = rt_state_new(&w->st, w->t);
    if (e == ITEE_OK) {
        rt_ctx_init(&w->ctx, w->st, n->db.best_number + 1, n->db.best);
        w->have_ctx = true;
        w->ctx.phase = RT_PHASE_APPLY;
    }
    return e;
}

static void view_close(struct view *w)
{
    if (w->have_ctx)
        rt_ctx_free(&w->ctx);
    rt_state_free(w->st);
    trie_free(w->t);
}

/*
 * Runs the runtime's checks (nonce, weight/length, fee) on the best state as block best + 1.
 * A future nonce is checked as if it were due (the rest must hold already), as Substrate's
 * CheckNonce only adds the requires tag. Out: *state_nonce (account nonce).
 */
static enum itee_err runtime_validate(struct node *n, const struct extrinsic *x, size_t len,
                                      struct rt_apply_result *res, uint32_t *state_nonce)
{
    struct view w;
    struct pallet_system_account a;
    enum itee_err e = view_open(n, &w);
    if (e == ITEE_OK)
        e = pallet_system_account_get(&w.ctx, x->signer, &a, NULL);
    if (e == ITEE_OK) {
        *state_nonce = a.nonce;
        uint32_t as = x->params.nonce > a.nonce ? a.nonce : x->params.nonce;
        e = rt_exec_validate_signed(&w.ctx, x->signer, as, x->params.tip, x->call.ptr, x->call.len,
                                    len, res);
        if (e == ITEE_OK && res->validity == RT_VALID && x->params.nonce > a.nonce)
            res->validity = RT_INVALID_FUTURE;
    }
    view_close(&w);
    return e;
}

/* CheckMortality: birth block known, not dead. Out: *era_hash, *valid_till. */
static bool era_check(struct node *n, const struct extrinsic *x, struct pool_verdict *v,
                      uint8_t era_hash[32], uint64_t *valid_till)
{
    uint64_t current = (uint64_t)n->db.best_number + 1;
    if (!x->params.era.mortal) {
        memcpy(era_hash, n->db.genesis, 32);
        *valid_till = UINT64_MAX;
        return true;
    }
    uint64_t birth = extrinsic_era_birth(&x->params.era, current);
    if (birth > n->db.best_number || current - birth > RT_EXEC_BLOCK_HASH_COUNT ||
        chain_db_hash_at(&n->db, (uint32_t)birth, era_hash) != ITEE_OK) {
        invalid(v, RT_INVALID_ANCIENT_BIRTH_BLOCK);
        return false;
    }
    uint64_t death = extrinsic_era_death(&x->params.era, current);
    if (death <= current) {
        invalid(v, RT_INVALID_BAD_PROOF);
        return false;
    }
    /* valid_till = validation block (best) + longevity (death - current) */
    *valid_till = n->db.best_number + (death - current);
    return true;
}

enum itee_err pool_submit(struct node *n, const uint8_t *p, size_t len, struct pool_verdict *v)
{
    struct txq *q = &n->pool.q;
    struct extrinsic x;
    uint64_t now = node_now_ms();
    memset(v, 0, sizeof(*v));
    if (len > POOL_MAX_TX) {
        invalid(v, RT_INVALID_EXHAUSTS_RESOURCES);
        return ITEE_OK;
    }
    extrinsic_hash(v->hash, p, len);
    /* 1. decode (whole input), 2. version byte, 3. signer lookup */
    enum itee_err e = extrinsic_decode(&x, &n->xchain, p, len);
    if (e == ITEE_ERR_UNSUPPORTED) {
        v->code = 1010;
        v->message = "Invalid Transaction";
        v->data = "Could not lookup information required to validate the transaction";
        return ITEE_OK;
    }
    if (e != ITEE_OK) {
        v->code = 1001;
        v->message = "Extrinsic has invalid format: Could not decode";
        return ITEE_OK;
    }
    if (!x.is_signed) {
        /* the only unsigned call is the timestamp inherent, never accepted from outside */
        invalid(v, RT_INVALID_CALL);
        return ITEE_OK;
    }
    if (txq_find(q, v->hash) != SIZE_MAX) {
        v->code = 1013;
        v->message = "Transaction Already Imported";
        return ITEE_OK;
    }
    if (txq_is_banned(q, v->hash, now)) {
        v->code = 1012;
        v->message = "Transaction is temporarily banned";
        return ITEE_OK;
    }
    /* 4. era (CheckMortality at block best + 1) */
    uint8_t era_hash[32];
    uint64_t valid_till;
    if (!era_check(n, &x, v, era_hash, &valid_till))
        return ITEE_OK;
    /* nonce, weight/length, fee affordability (the runtime's part) */
    struct rt_apply_result res;
    uint32_t state_nonce = 0;
    e = runtime_validate(n, &x, len, &res, &state_nonce);
    if (e != ITEE_OK)
        return e;
    if (res.validity != RT_VALID && res.validity != RT_INVALID_FUTURE) {
        invalid(v, res.validity);
        return ITEE_OK;
    }
    /* 5. signature (also covers spec/tx version and genesis: they are in the payload) */
    e = extrinsic_verify(&x, &n->xchain, era_hash);
    if (e == ITEE_ERR_BAD_SIG) {
        invalid(v, RT_INVALID_BAD_PROOF);
        return ITEE_OK;
    }
    if (e != ITEE_OK)
        return e;
    struct txq_new nt = {.bytes = p,
                         .len = len,
                         .hash = v->hash,
                         .signer = x.signer,
                         .nonce = x.params.nonce,
                         .priority = rt_api_priority(&res.info, len, x.params.tip, res.fee),
                         .valid_till = valid_till};
    struct txq_result tr;
    e = txq_insert(q, &nt, state_nonce, now, on_gone, n, &tr);
    if (e != ITEE_OK)
        return e;
    if (tr.code == 1014) {
        v->code = 1014;
        v->message = "Priority is too low";
        v->data = "The transaction has too low priority to replace another transaction already "
                  "in the pool.";
        return ITEE_OK;
    }
    if (tr.code == 1016) {
        v->code = 1016;
        v->message = "Immediately Dropped";
        v->data = "The transaction couldn't enter the pool because of the limit";
        return ITEE_OK;
    }
    v->future = !tr.ready;
    v->index = tr.index;
    return ITEE_OK;
}

static enum itee_err nonce_of(void *ctx, const uint8_t signer[32], uint32_t *nonce)
{
    struct pallet_system_account a;
    enum itee_err e = pallet_system_account_get(ctx, signer, &a, NULL);
    *nonce = e == ITEE_OK ? a.nonce : 0;
    return e;
}

enum itee_err pool_prune(struct node *n)
{
    if (n->pool.q.n == 0)
        return ITEE_OK;
    struct view w;
    enum itee_err e = view_open(n, &w);
    if (e == ITEE_OK)
        e = txq_prune(&n->pool.q, n->db.best_number, node_now_ms(), nonce_of, &w.ctx, on_gone, n);
    view_close(&w);
    return e;
}
