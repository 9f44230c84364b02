/*
 * rt_state.c - overlay over the trie with FRAME-like transactional layers.
 *
 * The overlay is an array kept sorted by key (binary search; blocks touch few keys, so the
 * memmove on insert is cheap and iteration in key order is free). While a layer is open, each
 * write first records the overlay entry it replaces in a journal; rollback replays the journal
 * backwards down to the layer's mark.
 */
#include "node/runtime/rt_state.h"

#include <string.h>

#include "common/mem.h"

/* One overlay entry: a pending write (present) or a pending removal (!present). */
struct rt_state_entry {
    uint8_t *key;   /* owned key bytes */
    size_t key_len; /* key length */
    uint8_t *val;   /* owned value bytes (NULL when empty or removed) */
    size_t val_len; /* value length */
    bool present;   /* false: the key is removed */
};

/* What the overlay held for a key before a write inside a layer. */
struct rt_state_undo {
    uint8_t *key;   /* owned key */
    size_t key_len; /* key length */
    bool had;       /* the overlay had an entry for the key */
    bool present;   /* that entry's present flag */
    uint8_t *val;   /* that entry's value (owned) */
    size_t val_len; /* its length */
};

struct rt_state {
    struct trie *trie;                 /* backing trie (not owned, may be NULL) */
    struct rt_state_entry *ents;       /* overlay, sorted by key */
    size_t n, cap;                     /* entries used / allocated */
    struct rt_state_undo *journal;     /* undo records of the open layers */
    size_t jn, jcap;                   /* records used / allocated */
    size_t marks[RT_STATE_MAX_LAYERS]; /* journal length when each layer opened */
    size_t depth;                      /* open layers */
};

static int key_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    size_t m = al < bl ? al : bl;
    int c = m ? memcmp(a, b, m) : 0;
    if (c != 0)
        return c;
    return al < bl ? -1 : (al > bl ? 1 : 0);
}

/* Returns the index of key, or of the slot where it would go; *hit says whether it is there. */
static size_t find(const struct rt_state *st, const uint8_t *key, size_t key_len, bool *hit)
{
    size_t lo = 0, hi = st->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(st->ents[mid].key, st->ents[mid].key_len, key, key_len);
        if (c == 0) {
            *hit = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *hit = false;
    return lo;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n, bool *fail)
{
    *fail = false;
    if (n == 0)
        return NULL;
    uint8_t *d = itee_alloc(n);
    if (d == NULL) {
        *fail = true;
        return NULL;
    }
    memcpy(d, p, n);
    return d;
}

enum itee_err rt_state_new(struct rt_state **out, struct trie *trie)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    struct rt_state *st = itee_zalloc(sizeof(*st));
    if (st == NULL)
        return ITEE_ERR_NOMEM;
    st->trie = trie;
    *out = st;
    return ITEE_OK;
}

static void undo_free(struct rt_state_undo *u)
{
    itee_free(u->key);
    itee_free(u->val);
    memset(u, 0, sizeof(*u));
}

void rt_state_discard(struct rt_state *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->n; i++) {
        itee_free(st->ents[i].key);
        itee_free(st->ents[i].val);
    }
    for (size_t i = 0; i < st->jn; i++)
        undo_free(&st->journal[i]);
    st->n = 0;
    st->jn = 0;
    st->depth = 0;
}

void rt_state_free(struct rt_state *st)
{
    if (st == NULL)
        return;
    rt_state_discard(st);
    itee_free(st->ents);
    itee_free(st->journal);
    itee_free(st);
}

size_t rt_state_overlay_len(const struct rt_state *st)
{
    return st->n;
}

size_t rt_state_depth(const struct rt_state *st)
{
    return st->depth;
}

enum itee_err rt_state_get(struct rt_state *st, const uint8_t *key, size_t key_len,
                           struct itee_buf *value, bool *found)
{
    if (st == NULL || found == NULL || (key == NULL && key_len > 0))
        return ITEE_ERR_ARG;
    *found = false;
    bool hit;
    size_t i = find(st, key, key_len, &hit);
    if (hit) {
        const struct rt_state_entry *e = &st->ents[i];
        if (!e->present)
            return ITEE_OK;
        *found = true;
        if (value == NULL)
            return ITEE_OK;
        itee_buf_reset(value);
        return itee_buf_append(value, e->val, e->val_len);
    }
    if (st->trie == NULL)
        return ITEE_OK;
    return trie_get(st->trie, key, key_len, value, found);
}

/* Records the overlay's current entry for key so the innermost layer can undo the write. */
static enum itee_err journal_push(struct rt_state *st, const uint8_t *key, size_t key_len,
                                  const struct rt_state_entry *cur)
{
    if (st->depth == 0)
        return ITEE_OK;
    if (st->jn == st->jcap) {
        size_t ncap = st->jcap ? st->jcap * 2 : 16;
        struct rt_state_undo *nj = itee_realloc(st->journal, ncap * sizeof(*nj));
        if (nj == NULL)
            return ITEE_ERR_NOMEM;
        st->journal = nj;
        st->jcap = ncap;
    }
    struct rt_state_undo u;
    memset(&u, 0, sizeof(u));
    bool f1, f2 = false;
    u.key = dup_bytes(key, key_len, &f1);
    u.key_len = key_len;
    if (cur != NULL) {
        u.had = true;
        u.present = cur->present;
        u.val = dup_bytes(cur->val, cur->val_len, &f2);
        u.val_len = cur->val_len;
    }
    if (f1 || f2) {
        undo_free(&u);
        return ITEE_ERR_NOMEM;
    }
    st->journal[st->jn++] = u;
    return ITEE_OK;
}

/* Puts (present, value) for key into the overlay, journaling the previous entry. */
static enum itee_err overlay_put(struct rt_state *st, const uint8_t *key, size_t key_len,
                                 bool present, const uint8_t *value, size_t value_len, bool journal)
{
    bool hit, fail;
    size_t i = find(st, key, key_len, &hit);
    if (journal) {
        enum itee_err r = journal_push(st, key, key_len, hit ? &st->ents[i] : NULL);
        if (r != ITEE_OK)
            return r;
    }
    uint8_t *nv = present ? dup_bytes(value, value_len, &fail) : NULL;
    if (present && fail)
        return ITEE_ERR_NOMEM;
    if (hit) {
        itee_free(st->ents[i].val);
        st->ents[i].val = nv;
        st->ents[i].val_len = present ? value_len : 0;
        st->ents[i].present = present;
        return ITEE_OK;
    }
    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64;
        struct rt_state_entry *ne = itee_realloc(st->ents, ncap * sizeof(*ne));
        if (ne == NULL) {
            itee_free(nv);
            return ITEE_ERR_NOMEM;
        }
        st->ents = ne;
        st->cap = ncap;
    }
    uint8_t *nk = dup_bytes(key, key_len, &fail);
    if (fail) {
        itee_free(nv);
        return ITEE_ERR_NOMEM;
    }
    memmove(&st->ents[i + 1], &st->ents[i], (st->n - i) * sizeof(st->ents[0]));
    st->ents[i].key = nk;
    st->ents[i].key_len = key_len;
    st->ents[i].val = nv;
    st->ents[i].val_len = present ? value_len : 0;
    st->ents[i].present = present;
    st->n++;
    return ITEE_OK;
}

enum itee_err rt_state_set(struct rt_state *st, const uint8_t *key, size_t key_len,
                           const uint8_t *value, size_t value_len)
{
    if (st == NULL || (key == NULL && key_len > 0) || (value == NULL && value_len > 0) ||
        key_len > TRIE_KEY_MAX)
        return ITEE_ERR_ARG;
    return overlay_put(st, key, key_len, true, value, value_len, true);
}

enum itee_err rt_state_remove(struct rt_state *st, const uint8_t *key, size_t key_len)
{
    if (st == NULL || (key == NULL && key_len > 0) || key_len > TRIE_KEY_MAX)
        return ITEE_ERR_ARG;
    return overlay_put(st, key, key_len, false, NULL, 0, true);
}

enum itee_err rt_state_begin(struct rt_state *st)
{
    if (st == NULL)
        return ITEE_ERR_ARG;
    if (st->depth >= RT_STATE_MAX_LAYERS)
        return ITEE_ERR_SPACE;
    st->marks[st->depth++] = st->jn;
    return ITEE_OK;
}

enum itee_err rt_state_accept(struct rt_state *st)
{
    if (st == NULL || st->depth == 0)
        return ITEE_ERR_ARG;
    st->depth--;
    /* With no outer layer nothing can undo these writes any more. */
    if (st->depth == 0) {
        for (size_t i = 0; i < st->jn; i++)
            undo_free(&st->journal[i]);
        st->jn = 0;
    }
    return ITEE_OK;
}

/* Removes the overlay entry for key entirely (the key was untouched before the layer). */
static void overlay_drop(struct rt_state *st, const uint8_t *key, size_t key_len)
{
    bool hit;
    size_t i = find(st, key, key_len, &hit);
    if (!hit)
        return;
    itee_free(st->ents[i].key);
    itee_free(st->ents[i].val);
    memmove(&st->ents[i], &st->ents[i + 1], (st->n - i - 1) * sizeof(st->ents[0]));
    st->n--;
}

enum itee_err rt_state_rollback(struct rt_state *st)
{
    if (st == NULL || st->depth == 0)
        return ITEE_ERR_ARG;
    size_t mark = st->marks[--st->depth];
    enum itee_err r = ITEE_OK;
    while (st->jn > mark) {
        struct rt_state_undo *u = &st->journal[--st->jn];
        if (!u->had) {
            overlay_drop(st, u->key, u->key_len);
        } else {
            /* Restoring an existing entry never allocates a new key slot. */
            enum itee_err e =
                overlay_put(st, u->key, u->key_len, u->present, u->val, u->val_len, false);
            if (e != ITEE_OK && r == ITEE_OK)
                r = e;
        }
        undo_free(u);
    }
    return r;
}

enum itee_err rt_state_commit(struct rt_state *st)
{
    if (st == NULL || st->depth != 0)
        return ITEE_ERR_ARG;
    if (st->trie == NULL)
        return ITEE_ERR_ARG;
    for (size_t i = 0; i < st->n; i++) {
        const struct rt_state_entry *e = &st->ents[i];
        enum itee_err r = e->present ? trie_insert(st->trie, e->key, e->key_len, e->val, e->val_len)
                                     : trie_remove(st->trie, e->key, e->key_len, NULL);
        if (r != ITEE_OK)
            return r;
    }
    rt_state_discard(st);
    return ITEE_OK;
}

/* Keys and values collected from the trie for a merged iteration. */
struct collect {
    struct itee_slice *keys; /* owned copies */
    struct itee_slice *vals; /* owned copies */
    size_t n, cap;           /* used / allocated */
    enum itee_err err;       /* first failure */
};

static bool collect_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                       size_t value_len)
{
    struct collect *c = ctx;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        struct itee_slice *nk = itee_realloc(c->keys, ncap * sizeof(*nk));
        if (nk == NULL)
            goto nomem;
        c->keys = nk;
        struct itee_slice *nv = itee_realloc(c->vals, ncap * sizeof(*nv));
        if (nv == NULL)
            goto nomem;
        c->vals = nv;
        c->cap = ncap;
    }
    bool f1, f2;
    uint8_t *k = dup_bytes(key, key_len, &f1);
    uint8_t *v = dup_bytes(value, value_len, &f2);
    if (f1 || f2) {
        itee_free(k);
        itee_free(v);
        goto nomem;
    }
    c->keys[c->n] = itee_slice_make(k, key_len);
    c->vals[c->n] = itee_slice_make(v, value_len);
    c->n++;
    return true;
nomem:
    c->err = ITEE_ERR_NOMEM;
    return false;
}

static void collect_free(struct collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        itee_free((void *)c->keys[i].ptr);
        itee_free((void *)c->vals[i].ptr);
    }
    itee_free(c->keys);
    itee_free(c->vals);
}

static bool has_prefix(const uint8_t *k, size_t kl, const uint8_t *p, size_t pl)
{
    return kl >= pl && (pl == 0 || memcmp(k, p, pl) == 0);
}

enum itee_err rt_state_iter(struct rt_state *st, const uint8_t *prefix, size_t prefix_len,
                            rt_state_iter_fn fn, void *ctx)
{
    if (st == NULL || fn == NULL || (prefix == NULL && prefix_len > 0))
        return ITEE_ERR_ARG;
    struct collect c;
    memset(&c, 0, sizeof(c));
    enum itee_err r = ITEE_OK;
    if (st->trie != NULL) {
        r = trie_iter(st->trie, prefix, prefix_len, NULL, 0, 0, true, collect_fn, &c);
        if (r == ITEE_OK)
            r = c.err;
        if (r != ITEE_OK)
            goto out;
    }
    bool hit;
    size_t oi = find(st, prefix, prefix_len, &hit);
    size_t ti = 0;
    for (;;) {
        bool o_ok =
            oi < st->n && has_prefix(st->ents[oi].key, st->ents[oi].key_len, prefix, prefix_len);
        bool t_ok = ti < c.n;
        if (!o_ok && !t_ok)
            break;
        int cmp;
        if (o_ok && t_ok)
            cmp = key_cmp(st->ents[oi].key, st->ents[oi].key_len, c.keys[ti].ptr, c.keys[ti].len);
        else
            cmp = o_ok ? -1 : 1;
        bool go = true;
        if (cmp <= 0) {
            const struct rt_state_entry *e = &st->ents[oi++];
            if (cmp == 0)
                ti++; /* the overlay shadows the trie */
            if (e->present)
                go = fn(ctx, e->key, e->key_len, e->val, e->val_len);
        } else {
            go = fn(ctx, c.keys[ti].ptr, c.keys[ti].len, c.vals[ti].ptr, c.vals[ti].len);
            ti++;
        }
        if (!go)
            break;
    }
out:
    collect_free(&c);
    return r;
}

/* Keys gathered by clear_prefix before it removes them (removal would disturb the walk). */
struct keylist {
    struct itee_slice *keys; /* owned copies */
    size_t n, cap;           /* used / allocated */
    size_t limit;            /* 0 = all */
    enum itee_err err;       /* first failure */
};

static bool keylist_fn(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                       size_t value_len)
{
    (void)value;
    (void)value_len;
    struct keylist *l = ctx;
    if (l->limit != 0 && l->n >= l->limit)
        return false;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        struct itee_slice *nk = itee_realloc(l->keys, ncap * sizeof(*nk));
        if (nk == NULL) {
            l->err = ITEE_ERR_NOMEM;
            return false;
        }
        l->keys = nk;
        l->cap = ncap;
    }
    bool f;
    uint8_t *k = dup_bytes(key, key_len, &f);
    if (f) {
        l->err = ITEE_ERR_NOMEM;
        return false;
    }
    l->keys[l->n++] = itee_slice_make(k, key_len);
    return true;
}

enum itee_err rt_state_clear_prefix(struct rt_state *st, const uint8_t *prefix, size_t prefix_len,
                                    size_t limit, size_t *removed)
{
    if (removed != NULL)
        *removed = 0;
    struct keylist l;
    memset(&l, 0, sizeof(l));
    l.limit = limit;
    enum itee_err r = rt_state_iter(st, prefix, prefix_len, keylist_fn, &l);
    if (r == ITEE_OK)
        r = l.err;
    for (size_t i = 0; r == ITEE_OK && i < l.n; i++)
        r = rt_state_remove(st, l.keys[i].ptr, l.keys[i].len);
    if (r == ITEE_OK && removed != NULL)
        *removed = l.n;
    for (size_t i = 0; i < l.n; i++)
        itee_free((void *)l.keys[i].ptr);
    itee_free(l.keys);
    return r;
}

void rt_state_key_value(uint8_t out[32], const char *pallet, const char *item)
{
    hash_storage_prefix(out, pallet, item);
}

enum itee_err rt_state_key_map(struct itee_buf *out, const char *pallet, const char *item,
                               enum hash_storage_hasher h, const uint8_t *k, size_t k_len)
{
    uint8_t p[32];
    hash_storage_prefix(p, pallet, item);
    itee_buf_reset(out);
    enum itee_err r = itee_buf_append(out, p, 32);
    if (r != ITEE_OK)
        return r;
    return hash_storage_append(out, h, k, k_len);
}

enum itee_err rt_state_key_double_map(struct itee_buf *out, const char *pallet, const char *item,
                                      enum hash_storage_hasher h1, const uint8_t *k1, size_t k1_len,
                                      enum hash_storage_hasher h2, const uint8_t *k2, size_t k2_len)
{
    enum itee_err r = rt_state_key_map(out, pallet, item, h1, k1, k1_len);
    if (r != ITEE_OK)
        return r;
    return hash_storage_append(out, h2, k2, k2_len);
}
