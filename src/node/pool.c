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
#include "node/runtime/rt_exec.h"

void pool_init(struct pool *p)
{
    memset(p, 0, sizeof(*p));
}

void pool_free(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        itee_free(p->tx[i].bytes);
    itee_free(p->tx);
    memset(p, 0, sizeof(*p));
}

void pool_remove(struct pool *p, size_t i)
{
    if (i >= p->n)
        return;
    p->bytes -= p->tx[i].len;
    itee_free(p->tx[i].bytes);
    memmove(&p->tx[i], &p->tx[i + 1], (p->n - i - 1) * sizeof(*p->tx));
    p->n--;
}

void pool_ban(struct pool *p, const uint8_t hash[32])
{
    memcpy(p->banned[p->n_banned % POOL_BAN_SLOTS], hash, 32);
    p->n_banned++;
}

static bool is_banned(const struct pool *p, const uint8_t hash[32])
{
    size_t n = p->n_banned < POOL_BAN_SLOTS ? p->n_banned : POOL_BAN_SLOTS;
    for (size_t i = 0; i < n; i++)
        if (memcmp(p->banned[i], hash, 32) == 0)
            return true;
    return false;
}

uint32_t pool_next_nonce(const struct pool *p, const uint8_t signer[32], uint32_t state_nonce)
{
    /* Like Substrate's accountNextIndex: follow the chain of consecutive pooled nonces. */
    uint32_t next = state_nonce;
    bool progress = true;
    while (progress) {
        progress = false;
        for (size_t i = 0; i < p->n; i++) {
            if (p->tx[i].nonce == next && memcmp(p->tx[i].signer, signer, 32) == 0) {
                next++;
                progress = true;
            }
        }
    }
    return next;
}

void pool_unwatch(struct pool *p, const char *sub_id)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->tx[i].watched && strcmp(p->tx[i].watch, sub_id) == 0)
            p->tx[i].watched = false;
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

/* Runs the runtime's checks (nonce, fee) on the best state as block best + 1. */
static enum itee_err runtime_validate(struct node *n, const struct extrinsic *x, size_t len,
                                      struct rt_apply_result *res)
{
    struct trie *t = NULL;
    struct rt_state *st = NULL;
    struct rt_ctx ctx;
    bool have_ctx = false;
    enum itee_err e = chain_db_state(&n->db, n->db.best, &t);
    if (e == ITEE_OK)
        e = rt_state_new(&st, t);
    if (e == ITEE_OK) {
        rt_ctx_init(&ctx, st, n->db.best_number + 1, n->db.best);
        have_ctx = true;
        ctx.phase = RT_PHASE_APPLY;
        e = rt_exec_validate_signed(&ctx, x->signer, x->params.nonce, x->params.tip, x->call.ptr,
                                    x->call.len, len, res);
    }
    if (have_ctx)
        rt_ctx_free(&ctx);
    rt_state_free(st);
    trie_free(t);
    return e;
}

enum itee_err pool_submit(struct node *n, const uint8_t *p, size_t len, struct pool_verdict *v)
{
    struct pool *pl = &n->pool;
    struct extrinsic x;
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
        v->data = NULL;
        return ITEE_OK;
    }
    if (!x.is_signed) {
        /* the only unsigned call is the timestamp inherent, never accepted from outside */
        invalid(v, RT_INVALID_CALL);
        return ITEE_OK;
    }
    for (size_t i = 0; i < pl->n; i++) {
        if (memcmp(pl->tx[i].hash, v->hash, 32) == 0) {
            v->code = 1013;
            v->message = "Transaction Already Imported";
            return ITEE_OK;
        }
    }
    if (is_banned(pl, v->hash)) {
        v->code = 1012;
        v->message = "Transaction is temporarily banned";
        return ITEE_OK;
    }
    /* 4. era: the birth block must be known (CheckMortality at block best + 1) */
    uint64_t current = (uint64_t)n->db.best_number + 1;
    uint8_t era_hash[32];
    if (!x.params.era.mortal) {
        memcpy(era_hash, n->db.genesis, 32);
    } else {
        uint64_t birth = extrinsic_era_birth(&x.params.era, current);
        if (birth > n->db.best_number || current - birth > RT_EXEC_BLOCK_HASH_COUNT ||
            chain_db_hash_at(&n->db, (uint32_t)birth, era_hash) != ITEE_OK) {
            invalid(v, RT_INVALID_ANCIENT_BIRTH_BLOCK);
            return ITEE_OK;
        }
        if (extrinsic_era_death(&x.params.era, current) <= current) {
            invalid(v, RT_INVALID_BAD_PROOF);
            return ITEE_OK;
        }
    }
    /* nonce, weight/length, fee affordability (the runtime's part) */
    struct rt_apply_result res;
    e = runtime_validate(n, &x, len, &res);
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
    v->future = res.validity == RT_INVALID_FUTURE;
    /* replacement: same signer and nonce needs a strictly higher tip */
    for (size_t i = 0; i < pl->n; i++) {
        struct pool_tx *o = &pl->tx[i];
        if (o->nonce == x.params.nonce && memcmp(o->signer, x.signer, 32) == 0) {
            if (!(x.params.tip > o->tip)) {
                v->code = 1014;
                v->message = "Priority is too low";
                v->data = "The transaction has too low priority to replace another transaction "
                          "already in the pool.";
                return ITEE_OK;
            }
            if (o->watched) {
                char hex[67] = "0x";
                if (itee_hex_encode(hex + 2, sizeof(hex) - 2, v->hash, 32) == ITEE_OK &&
                    rpc_server_notify(n->rpc, o->watch, json_pack("{s:s}", "usurped", hex)) ==
                        ITEE_OK) {
                    /* a closed watcher is not an error */
                }
                o->watched = false;
                if (rpc_server_sub_end(n->rpc, o->watch) != ITEE_OK) {
                    /* already gone */
                }
            }
            pool_remove(pl, i);
            break;
        }
    }
    if (pl->n >= POOL_MAX_COUNT || pl->bytes + len > POOL_MAX_BYTES) {
        v->code = 1016;
        v->message = "Immediately Dropped";
        v->data = "The transaction couldn't enter the pool because of the limit";
        return ITEE_OK;
    }
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 64;
        struct pool_tx *nt = itee_realloc(pl->tx, cap * sizeof(*nt));
        if (nt == NULL)
            return ITEE_ERR_NOMEM;
        pl->tx = nt;
        pl->cap = cap;
    }
    struct pool_tx *t = &pl->tx[pl->n];
    memset(t, 0, sizeof(*t));
    t->bytes = itee_alloc(len);
    if (t->bytes == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(t->bytes, p, len);
    t->len = len;
    memcpy(t->hash, v->hash, 32);
    memcpy(t->signer, x.signer, 32);
    t->nonce = x.params.nonce;
    t->tip = x.params.tip;
    t->seq = pl->seq++;
    v->index = pl->n;
    pl->n++;
    pl->bytes += len;
    return ITEE_OK;
}
