/*
 * txq.c - ready / future transaction queues (see txq.h).
 */
#include "node/runtime/txq.h"

#include <string.h>

#include "common/mem.h"

void txq_init(struct txq *q, const struct txq_limits *lim)
{
    memset(q, 0, sizeof(*q));
    if (lim != NULL) {
        q->lim = *lim;
        return;
    }
    q->lim.ready_count = TXQ_READY_COUNT;
    q->lim.ready_bytes = TXQ_READY_BYTES;
    q->lim.future_count = TXQ_FUTURE_COUNT;
    q->lim.future_bytes = TXQ_FUTURE_BYTES;
    q->lim.ban_ms = TXQ_BAN_MS;
}

void txq_free(struct txq *q)
{
    for (size_t i = 0; i < q->n; i++)
        itee_free(q->tx[i].bytes);
    itee_free(q->tx);
    q->tx = NULL;
    q->n = q->cap = 0;
}

size_t txq_find(const struct txq *q, const uint8_t hash[32])
{
    for (size_t i = 0; i < q->n; i++)
        if (memcmp(q->tx[i].hash, hash, 32) == 0)
            return i;
    return SIZE_MAX;
}

size_t txq_find_tag(const struct txq *q, const uint8_t signer[32], uint32_t nonce)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->tx[i].nonce == nonce && memcmp(q->tx[i].signer, signer, 32) == 0)
            return i;
    return SIZE_MAX;
}

void txq_ban(struct txq *q, const uint8_t hash[32], uint64_t now_ms)
{
    struct txq_ban *b = &q->ban[q->n_ban % TXQ_BAN_SLOTS];
    memcpy(b->hash, hash, 32);
    b->until = now_ms + q->lim.ban_ms;
    q->n_ban++;
}

bool txq_is_banned(const struct txq *q, const uint8_t hash[32], uint64_t now_ms)
{
    size_t n = q->n_ban < TXQ_BAN_SLOTS ? q->n_ban : TXQ_BAN_SLOTS;
    for (size_t i = 0; i < n; i++)
        if (now_ms < q->ban[i].until && memcmp(q->ban[i].hash, hash, 32) == 0)
            return true;
    return false;
}

void txq_remove(struct txq *q, size_t i)
{
    if (i >= q->n)
        return;
    itee_free(q->tx[i].bytes);
    memmove(&q->tx[i], &q->tx[i + 1], (q->n - i - 1) * sizeof(*q->tx));
    q->n--;
}

size_t txq_bytes(const struct txq *q, bool ready, size_t *n)
{
    size_t bytes = 0, count = 0;
    for (size_t i = 0; i < q->n; i++)
        if (q->tx[i].ready == ready) {
            bytes += q->tx[i].len;
            count++;
        }
    if (n != NULL)
        *n = count;
    return bytes;
}

/* Marks the signer's chain state_nonce, state_nonce + 1, ... ready and the rest future. */
static void classify(struct txq *q, const uint8_t signer[32], uint32_t state_nonce)
{
    for (size_t i = 0; i < q->n; i++)
        if (memcmp(q->tx[i].signer, signer, 32) == 0)
            q->tx[i].ready = false;
    for (uint32_t k = state_nonce;; k++) {
        size_t i = txq_find_tag(q, signer, k);
        if (i == SIZE_MAX || k == UINT32_MAX)
            break;
        q->tx[i].ready = true;
    }
}

/* Removes entry i as evicted: banned, reported dropped unless it is the new one. */
static void evict(struct txq *q, size_t i, const uint8_t *new_hash, bool *new_gone, uint64_t now,
                  txq_gone_fn gone, void *gone_ctx)
{
    struct txq_tx *t = &q->tx[i];
    txq_ban(q, t->hash, now);
    if (memcmp(t->hash, new_hash, 32) == 0)
        *new_gone = true;
    else if (gone != NULL)
        gone(gone_ctx, t, TXQ_GONE_DROPPED, NULL);
    txq_remove(q, i);
}

/* Lowest-priority ready transaction, ties: the oldest (enforce_limits). */
static size_t worst_ready(const struct txq *q)
{
    size_t w = SIZE_MAX;
    for (size_t i = 0; i < q->n; i++) {
        const struct txq_tx *t = &q->tx[i];
        if (!t->ready)
            continue;
        if (w == SIZE_MAX || t->priority < q->tx[w].priority ||
            (t->priority == q->tx[w].priority && t->seq < q->tx[w].seq))
            w = i;
    }
    return w;
}

static size_t oldest_future(const struct txq *q)
{
    size_t w = SIZE_MAX;
    for (size_t i = 0; i < q->n; i++)
        if (!q->tx[i].ready && (w == SIZE_MAX || q->tx[i].seq < q->tx[w].seq))
            w = i;
    return w;
}

static bool exceeded(const struct txq *q, bool ready)
{
    size_t n;
    size_t bytes = txq_bytes(q, ready, &n);
    return ready ? n > q->lim.ready_count || bytes > q->lim.ready_bytes
                 : n > q->lim.future_count || bytes > q->lim.future_bytes;
}

static void enforce_limits(struct txq *q, const uint8_t *new_hash, bool *new_gone, uint64_t now,
                           txq_gone_fn gone, void *gone_ctx)
{
    while (exceeded(q, true)) {
        size_t w = worst_ready(q);
        if (w == SIZE_MAX)
            break;
        /* remove_subtree: the ready transactions that need it go with it */
        uint8_t signer[32];
        uint32_t nonce = q->tx[w].nonce;
        memcpy(signer, q->tx[w].signer, 32);
        for (size_t i = q->n; i-- > 0;)
            if (q->tx[i].ready && q->tx[i].nonce >= nonce &&
                memcmp(q->tx[i].signer, signer, 32) == 0)
                evict(q, i, new_hash, new_gone, now, gone, gone_ctx);
    }
    while (exceeded(q, false)) {
        size_t w = oldest_future(q);
        if (w == SIZE_MAX)
            break;
        evict(q, w, new_hash, new_gone, now, gone, gone_ctx);
    }
}

enum itee_err txq_insert(struct txq *q, const struct txq_new *nt, uint32_t state_nonce,
                         uint64_t now_ms, txq_gone_fn gone, void *gone_ctx, struct txq_result *res)
{
    memset(res, 0, sizeof(*res));
    size_t j = txq_find_tag(q, nt->signer, nt->nonce);
    if (j != SIZE_MAX && !(nt->priority > q->tx[j].priority)) {
        res->code = 1014;
        return ITEE_OK;
    }
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        struct txq_tx *nt2 = itee_realloc(q->tx, cap * sizeof(*nt2));
        if (nt2 == NULL)
            return ITEE_ERR_NOMEM;
        q->tx = nt2;
        q->cap = cap;
    }
    uint8_t *copy = itee_alloc(nt->len ? nt->len : 1);
    if (copy == NULL)
        return ITEE_ERR_NOMEM;
    if (nt->len)
        memcpy(copy, nt->bytes, nt->len);
    if (j != SIZE_MAX) {
        if (gone != NULL)
            gone(gone_ctx, &q->tx[j], TXQ_GONE_USURPED, nt->hash);
        txq_remove(q, j);
    }
    struct txq_tx *t = &q->tx[q->n++];
    memset(t, 0, sizeof(*t));
    t->bytes = copy;
    t->len = nt->len;
    memcpy(t->hash, nt->hash, 32);
    memcpy(t->signer, nt->signer, 32);
    t->nonce = nt->nonce;
    t->priority = nt->priority;
    t->valid_till = nt->valid_till;
    t->seq = q->seq++;
    classify(q, nt->signer, state_nonce);
    bool new_gone = false;
    enforce_limits(q, nt->hash, &new_gone, now_ms, gone, gone_ctx);
    if (new_gone) {
        res->code = 1016;
        return ITEE_OK;
    }
    res->index = txq_find(q, nt->hash);
    res->ready = q->tx[res->index].ready;
    return ITEE_OK;
}

enum itee_err txq_prune(struct txq *q, uint64_t number, uint64_t now_ms, txq_nonce_fn nonce,
                        void *nonce_ctx, txq_gone_fn gone, void *gone_ctx)
{
    if (q->n == 0)
        return ITEE_OK;
    uint32_t *state = itee_alloc_array(q->n, sizeof(*state));
    if (state == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err e = ITEE_OK;
    for (size_t i = 0; e == ITEE_OK && i < q->n; i++)
        e = nonce(nonce_ctx, q->tx[i].signer, &state[i]);
    if (e != ITEE_OK)
        goto out;
    /* stale nonce or expired era: banned and invalid (clear_stale / revalidation) */
    size_t w = 0;
    for (size_t i = 0; i < q->n; i++) {
        struct txq_tx *t = &q->tx[i];
        if (t->nonce < state[i] || t->valid_till <= number) {
            txq_ban(q, t->hash, now_ms);
            if (gone != NULL)
                gone(gone_ctx, t, TXQ_GONE_INVALID, NULL);
            itee_free(t->bytes);
            continue;
        }
        state[w] = state[i];
        q->tx[w++] = *t;
    }
    q->n = w;
    for (size_t i = 0; i < q->n; i++)
        q->tx[i].ready = false;
    for (size_t i = 0; i < q->n; i++)
        if (q->tx[i].nonce == state[i])
            classify(q, q->tx[i].signer, state[i]);
out:
    itee_free(state);
    return e;
}

uint32_t txq_next_nonce(const struct txq *q, const uint8_t signer[32], uint32_t state_nonce)
{
    uint32_t k = state_nonce;
    while (k < UINT32_MAX && txq_find_tag(q, signer, k) != SIZE_MAX)
        k++;
    return k;
}

/* ---- block building order ---- */

/* True if a goes before b: priority, then valid_till, then arrival. */
static bool better(const struct txq *q, size_t a, size_t b)
{
    const struct txq_tx *x = &q->tx[a], *y = &q->tx[b];
    if (x->priority != y->priority)
        return x->priority > y->priority;
    if (x->valid_till != y->valid_till)
        return x->valid_till < y->valid_till;
    return x->seq < y->seq;
}

static void heap_push(struct txq_best *b, size_t v)
{
    size_t i = b->n_heap++;
    b->heap[i] = v;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!better(b->q, b->heap[i], b->heap[p]))
            break;
        size_t t = b->heap[i];
        b->heap[i] = b->heap[p];
        b->heap[p] = t;
        i = p;
    }
}

bool txq_best_next(struct txq_best *b, size_t *index)
{
    if (b->n_heap == 0)
        return false;
    *index = b->heap[0];
    b->heap[0] = b->heap[--b->n_heap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < b->n_heap && better(b->q, b->heap[l], b->heap[m]))
            m = l;
        if (r < b->n_heap && better(b->q, b->heap[r], b->heap[m]))
            m = r;
        if (m == i)
            break;
        size_t t = b->heap[i];
        b->heap[i] = b->heap[m];
        b->heap[m] = t;
        i = m;
    }
    return true;
}

static int tag_cmp(const struct txq *q, const uint8_t signer[32], uint32_t nonce, size_t i)
{
    int c = memcmp(signer, q->tx[i].signer, 32);
    if (c != 0)
        return c;
    return nonce < q->tx[i].nonce ? -1 : nonce > q->tx[i].nonce ? 1 : 0;
}

/* Index of the ready (signer, nonce) in by_tag, or SIZE_MAX. */
static size_t by_tag_find(const struct txq_best *b, const uint8_t signer[32], uint32_t nonce)
{
    size_t lo = 0, hi = b->n_by_tag;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = tag_cmp(b->q, signer, nonce, b->by_tag[mid]);
        if (c == 0)
            return b->by_tag[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return SIZE_MAX;
}

/* Insertion sort is too slow for 8192 entries; a small merge sort over indices. */
static void sort_tags(const struct txq *q, size_t *v, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_tags(q, v, tmp, h);
    sort_tags(q, v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = tag_cmp(q, q->tx[v[j]].signer, q->tx[v[j]].nonce, v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

enum itee_err txq_best_init(struct txq_best *b, const struct txq *q)
{
    memset(b, 0, sizeof(*b));
    b->q = q;
    size_t n = q->n ? q->n : 1;
    b->heap = itee_alloc_array(n, sizeof(size_t));
    b->by_tag = itee_alloc_array(n, sizeof(size_t));
    size_t *tmp = itee_alloc_array(n, sizeof(size_t));
    if (b->heap == NULL || b->by_tag == NULL || tmp == NULL) {
        itee_free(tmp);
        txq_best_free(b);
        return ITEE_ERR_NOMEM;
    }
    for (size_t i = 0; i < q->n; i++)
        if (q->tx[i].ready)
            b->by_tag[b->n_by_tag++] = i;
    sort_tags(q, b->by_tag, tmp, b->n_by_tag);
    itee_free(tmp);
    /* chain heads: ready transactions whose predecessor is not in the ready queue */
    for (size_t k = 0; k < b->n_by_tag; k++) {
        size_t i = b->by_tag[k];
        if (q->tx[i].nonce == 0 || by_tag_find(b, q->tx[i].signer, q->tx[i].nonce - 1) == SIZE_MAX)
            heap_push(b, i);
    }
    return ITEE_OK;
}

void txq_best_included(struct txq_best *b, size_t i)
{
    const struct txq_tx *t = &b->q->tx[i];
    if (t->nonce == UINT32_MAX)
        return;
    size_t s = by_tag_find(b, t->signer, t->nonce + 1);
    if (s != SIZE_MAX && b->n_heap < b->q->n)
        heap_push(b, s);
}

void txq_best_free(struct txq_best *b)
{
    itee_free(b->heap);
    itee_free(b->by_tag);
    b->heap = b->by_tag = NULL;
    b->n_heap = b->n_by_tag = 0;
}
