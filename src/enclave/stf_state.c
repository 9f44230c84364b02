/*
 * stf_state.c - the STF state map (stf_state.h).
 *
 * Open addressing with linear probing over entry pointers; the table is keyed by SipHash with
 * a random per-state key, so hostile keys cannot force long probe chains. An entry deleted
 * while changes are tracked stays as a tombstone (present == false) until the diff is cleared,
 * because the diff must report the deletion. Transactions keep an undo journal: each record
 * owns the value it replaced; marks delimit nested transactions.
 */
#include "stf_state.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <sodium.h>

#include "codec/scale.h"
#include "common/mem.h"
#include "crypto/aead.h"
#include "crypto/hash.h"

#define MIN_CAP 16

static const uint8_t SEAL_MAGIC_BYTES[4] = {'I', 'S', 'T', 'F'};
#define SEAL_VERSION_BYTE 1
#define SEAL_HDR_LEN      5

struct entry {
    uint64_t h;     /* SipHash of the key (probe start) */
    uint8_t *key;   /* owned key bytes */
    size_t key_len; /* key length */
    uint8_t *val;   /* owned value bytes (NULL when empty or absent) */
    size_t val_len; /* value length */
    bool present;   /* false: a tombstone kept for the diff */
    bool dirty;     /* listed in the dirty array */
};

struct undo {
    struct entry *e;  /* entry written */
    uint8_t *old_val; /* value it had (owned by this record) */
    size_t old_len;   /* its length */
    bool created;     /* the write created e */
    bool old_present; /* e->present before */
    bool old_dirty;   /* e->dirty before */
};

struct stf_state {
    uint8_t sip_key[crypto_shorthash_KEYBYTES]; /* per-state hash-table key */
    struct entry **slots;                       /* table, cap slots, NULL = free */
    size_t cap;                                 /* power of two */
    size_t used;                                /* entries in the table (tombstones too) */
    size_t live;                                /* entries with a value */
    struct undo *journal;                       /* undo records, oldest first */
    size_t j_len, j_cap;                        /* records used / allocated */
    size_t *marks;                              /* journal length at each open begin */
    size_t m_len, m_cap;                        /* open transactions / allocated */
    struct entry **dirty;                       /* entries changed since diff_clear */
    size_t d_len, d_cap;                        /* used / allocated */
    uint8_t hash[STF_STATE_HASH_LEN];           /* cached state hash */
    bool hash_valid;                            /* hash matches the contents */
};

static uint64_t key_hash(const struct stf_state *st, const uint8_t *key, size_t len)
{
    uint8_t out[crypto_shorthash_BYTES];
    uint64_t h = 0;
    crypto_shorthash(out, key, len, st->sip_key);
    for (int i = 0; i < 8; i++)
        h |= (uint64_t)out[i] << (8 * i);
    return h;
}

enum itee_err stf_state_new(struct stf_state **out)
{
    *out = NULL;
    struct stf_state *st = itee_zalloc(sizeof(*st));
    if (st == NULL)
        return ITEE_ERR_NOMEM;
    st->slots = itee_zalloc(MIN_CAP * sizeof(*st->slots));
    if (st->slots == NULL) {
        itee_free(st);
        return ITEE_ERR_NOMEM;
    }
    st->cap = MIN_CAP;
    randombytes_buf(st->sip_key, sizeof(st->sip_key));
    *out = st;
    return ITEE_OK;
}

static void entry_free(struct entry *e)
{
    if (e == NULL)
        return;
    if (e->val != NULL)
        itee_free_secret(e->val, e->val_len);
    itee_free(e->key);
    itee_free(e);
}

void stf_state_free(struct stf_state *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->j_len; i++)
        if (st->journal[i].old_val != NULL)
            itee_free_secret(st->journal[i].old_val, st->journal[i].old_len);
    for (size_t i = 0; i < st->cap; i++)
        entry_free(st->slots[i]);
    itee_free(st->slots);
    itee_free(st->journal);
    itee_free(st->marks);
    itee_free(st->dirty);
    itee_free_secret(st, sizeof(*st));
}

size_t stf_state_count(const struct stf_state *st)
{
    return st->live;
}

/* Returns: the slot holding key, or the free slot where it would go. */
static size_t find_slot(const struct stf_state *st, uint64_t h, const uint8_t *key, size_t len)
{
    size_t mask = st->cap - 1, i = (size_t)h & mask;
    for (;;) {
        const struct entry *e = st->slots[i];
        if (e == NULL || (e->h == h && e->key_len == len && memcmp(e->key, key, len) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

static struct entry *lookup(const struct stf_state *st, const uint8_t *key, size_t len)
{
    return st->slots[find_slot(st, key_hash(st, key, len), key, len)];
}

enum itee_err stf_state_get(const struct stf_state *st, const uint8_t *key, size_t key_len,
                            struct itee_slice *val)
{
    *val = itee_slice_make(NULL, 0);
    if (st == NULL || key == NULL || key_len == 0 || key_len > STF_STATE_KEY_MAX)
        return ITEE_ERR_ARG;
    const struct entry *e = lookup(st, key, key_len);
    if (e == NULL || !e->present)
        return ITEE_ERR_NOENT;
    *val = itee_slice_make(e->val, e->val_len);
    return ITEE_OK;
}

static enum itee_err grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return ITEE_OK;
    size_t n = *cap < 8 ? 8 : *cap * 2;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / elem)
        return ITEE_ERR_NOMEM;
    void *p = itee_realloc(*arr, n * elem);
    if (p == NULL)
        return ITEE_ERR_NOMEM;
    *arr = p;
    *cap = n;
    return ITEE_OK;
}

static enum itee_err table_rehash(struct stf_state *st, size_t new_cap)
{
    struct entry **slots = itee_zalloc(new_cap * sizeof(*slots));
    if (slots == NULL)
        return ITEE_ERR_NOMEM;
    struct entry **old = st->slots;
    size_t old_cap = st->cap;
    st->slots = slots;
    st->cap = new_cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != NULL)
            st->slots[find_slot(st, old[i]->h, old[i]->key, old[i]->key_len)] = old[i];
    itee_free(old);
    return ITEE_OK;
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstone slots. */
static void table_remove(struct stf_state *st, struct entry *e)
{
    size_t mask = st->cap - 1, i = find_slot(st, e->h, e->key, e->key_len), j = i;
    st->slots[i] = NULL;
    for (;;) {
        j = (j + 1) & mask;
        if (st->slots[j] == NULL)
            break;
        size_t k = (size_t)st->slots[j]->h & mask;
        /* move slots[j] back to i unless its home k lies cyclically in (i, j] */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) {
            st->slots[i] = st->slots[j];
            st->slots[j] = NULL;
            i = j;
        }
    }
    st->used--;
}

/* Everything a write may need, allocated before anything changes. */
struct write_prep {
    struct entry *fresh; /* new entry (key copied) when the key is new */
    uint8_t *val;        /* copy of the new value (NULL for delete or empty) */
};

static enum itee_err write_prepare(struct stf_state *st, struct entry *e, const uint8_t *key,
                                   size_t key_len, const uint8_t *val, size_t val_len,
                                   struct write_prep *p)
{
    enum itee_err r = ITEE_ERR_NOMEM;
    memset(p, 0, sizeof(*p));
    if (st->m_len > 0 && grow_array((void **)&st->journal, &st->j_cap, st->j_len + 1,
                                    sizeof(*st->journal)) != ITEE_OK)
        goto fail;
    if ((e == NULL || !e->dirty) &&
        grow_array((void **)&st->dirty, &st->d_cap, st->d_len + 1, sizeof(*st->dirty)) != ITEE_OK)
        goto fail;
    if (e == NULL && (st->used + 1) * 4 > st->cap * 3) {
        r = table_rehash(st, st->cap * 2);
        if (r != ITEE_OK)
            goto fail;
        r = ITEE_ERR_NOMEM;
    }
    if (val != NULL && val_len > 0) {
        p->val = itee_alloc(val_len);
        if (p->val == NULL)
            goto fail;
        memcpy(p->val, val, val_len);
    }
    if (e == NULL) {
        p->fresh = itee_zalloc(sizeof(*p->fresh));
        if (p->fresh == NULL)
            goto fail;
        p->fresh->key = itee_alloc(key_len);
        if (p->fresh->key == NULL)
            goto fail;
        memcpy(p->fresh->key, key, key_len);
        p->fresh->key_len = key_len;
        p->fresh->h = key_hash(st, key, key_len);
    }
    return ITEE_OK;
fail:
    itee_free(p->val);
    entry_free(p->fresh);
    memset(p, 0, sizeof(*p));
    return r;
}

/* Sets (present) or deletes (!present) key; val/val_len as given. */
static enum itee_err state_write(struct stf_state *st, const uint8_t *key, size_t key_len,
                                 const uint8_t *val, size_t val_len, bool present)
{
    struct write_prep p;
    if (st == NULL || key == NULL || key_len == 0 || key_len > STF_STATE_KEY_MAX ||
        val_len > STF_STATE_VALUE_MAX || (val == NULL && val_len > 0))
        return ITEE_ERR_ARG;
    struct entry *e = lookup(st, key, key_len);
    if (!present && (e == NULL || !e->present))
        return ITEE_OK;
    enum itee_err r = write_prepare(st, e, key, key_len, val, val_len, &p);
    if (r != ITEE_OK)
        return r;
    bool created = e == NULL;
    if (created) {
        e = p.fresh;
        st->slots[find_slot(st, e->h, e->key, e->key_len)] = e;
        st->used++;
    }
    if (st->m_len > 0) {
        struct undo *u = &st->journal[st->j_len++];
        u->e = e;
        u->old_val = e->val;
        u->old_len = e->val_len;
        u->created = created;
        u->old_present = e->present;
        u->old_dirty = e->dirty;
    } else if (e->val != NULL) {
        itee_free_secret(e->val, e->val_len);
    }
    if (present && !e->present)
        st->live++;
    else if (!present && e->present)
        st->live--;
    e->val = p.val;
    e->val_len = present ? val_len : 0;
    e->present = present;
    if (!e->dirty) {
        st->dirty[st->d_len++] = e;
        e->dirty = true;
    }
    st->hash_valid = false;
    return ITEE_OK;
}

enum itee_err stf_state_put(struct stf_state *st, const uint8_t *key, size_t key_len,
                            const uint8_t *val, size_t val_len)
{
    return state_write(st, key, key_len, val, val_len, true);
}

enum itee_err stf_state_delete(struct stf_state *st, const uint8_t *key, size_t key_len)
{
    return state_write(st, key, key_len, NULL, 0, false);
}

enum itee_err stf_state_tx_begin(struct stf_state *st)
{
    if (grow_array((void **)&st->marks, &st->m_cap, st->m_len + 1, sizeof(*st->marks)) != ITEE_OK)
        return ITEE_ERR_NOMEM;
    st->marks[st->m_len++] = st->j_len;
    return ITEE_OK;
}

enum itee_err stf_state_tx_commit(struct stf_state *st)
{
    if (st->m_len == 0)
        return ITEE_ERR_STF_TX;
    st->m_len--;
    if (st->m_len == 0) {
        /* outermost commit: nothing can be undone any more */
        for (size_t i = 0; i < st->j_len; i++)
            if (st->journal[i].old_val != NULL)
                itee_free_secret(st->journal[i].old_val, st->journal[i].old_len);
        st->j_len = 0;
    }
    return ITEE_OK;
}

static void undo_one(struct stf_state *st, struct undo *u)
{
    struct entry *e = u->e;
    if (!u->old_dirty && e->dirty) {
        /* journal order equals dirty-list order, so e is the last dirty entry */
        st->d_len--;
        e->dirty = false;
    }
    st->live -= (size_t)e->present;
    if (u->created) {
        table_remove(st, e);
        entry_free(e);
        return;
    }
    if (e->val != NULL)
        itee_free_secret(e->val, e->val_len);
    e->val = u->old_val;
    e->val_len = u->old_len;
    e->present = u->old_present;
    st->live += (size_t)e->present;
}

enum itee_err stf_state_tx_rollback(struct stf_state *st)
{
    if (st->m_len == 0)
        return ITEE_ERR_STF_TX;
    size_t mark = st->marks[--st->m_len];
    if (st->j_len > mark)
        st->hash_valid = false;
    while (st->j_len > mark)
        undo_one(st, &st->journal[--st->j_len]);
    return ITEE_OK;
}

size_t stf_state_tx_depth(const struct stf_state *st)
{
    return st->m_len;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct entry *a = *(const struct entry *const *)pa;
    const struct entry *b = *(const struct entry *const *)pb;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c != 0)
        return c;
    return a->key_len < b->key_len ? -1 : (a->key_len > b->key_len ? 1 : 0);
}

/* Out: *out = sorted entries that are present (all) or dirty (diff). Caller frees. */
static enum itee_err sorted_entries(const struct stf_state *st, bool diff, struct entry ***out,
                                    size_t *n)
{
    size_t want = diff ? st->d_len : st->live, k = 0;
    *out = NULL;
    *n = 0;
    if (want == 0)
        return ITEE_OK;
    struct entry **v = itee_alloc_array(want, sizeof(*v));
    if (v == NULL)
        return ITEE_ERR_NOMEM;
    if (diff) {
        memcpy(v, st->dirty, want * sizeof(*v));
        k = want;
    } else {
        for (size_t i = 0; i < st->cap; i++)
            if (st->slots[i] != NULL && st->slots[i]->present)
                v[k++] = st->slots[i];
    }
    qsort(v, k, sizeof(*v), entry_cmp);
    *out = v;
    *n = k;
    return ITEE_OK;
}

static enum itee_err encode_map(const struct stf_state *st, bool diff, struct itee_buf *out)
{
    struct entry **v = NULL;
    size_t n = 0;
    enum itee_err r = sorted_entries(st, diff, &v, &n);
    if (r != ITEE_OK)
        return r;
    r = scale_put_compact(out, n);
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = scale_put_vec_u8(out, v[i]->key, v[i]->key_len);
        if (r == ITEE_OK && diff)
            r = scale_put_option(out, v[i]->present);
        if (r == ITEE_OK && (!diff || v[i]->present))
            r = scale_put_vec_u8(out, v[i]->val, v[i]->val_len);
    }
    itee_free(v);
    return r;
}

enum itee_err stf_state_encode(const struct stf_state *st, struct itee_buf *out)
{
    return encode_map(st, false, out);
}

enum itee_err stf_state_diff_encode(const struct stf_state *st, struct itee_buf *out)
{
    return encode_map(st, true, out);
}

static void hash_compact(struct hash_blake2b_state *h, size_t v)
{
    uint8_t c[SCALE_COMPACT_MAX_LEN];
    size_t n = scale_encode_compact(c, v);
    hash_blake2b_update(h, c, n);
}

enum itee_err stf_state_hash(struct stf_state *st, uint8_t out[STF_STATE_HASH_LEN])
{
    struct hash_blake2b_state h;
    struct entry **v = NULL;
    size_t n = 0;
    if (!st->hash_valid) {
        /* hashed as it would be encoded, without building the encoding */
        enum itee_err r = sorted_entries(st, false, &v, &n);
        if (r == ITEE_OK)
            r = hash_blake2b_init(&h, STF_STATE_HASH_LEN, NULL, 0);
        if (r != ITEE_OK) {
            itee_free(v);
            memset(out, 0, STF_STATE_HASH_LEN);
            return r;
        }
        hash_compact(&h, n);
        for (size_t i = 0; i < n; i++) {
            hash_compact(&h, v[i]->key_len);
            hash_blake2b_update(&h, v[i]->key, v[i]->key_len);
            hash_compact(&h, v[i]->val_len);
            if (v[i]->val_len > 0)
                hash_blake2b_update(&h, v[i]->val, v[i]->val_len);
        }
        hash_blake2b_final(&h, st->hash);
        itee_free(v);
        st->hash_valid = true;
    }
    memcpy(out, st->hash, STF_STATE_HASH_LEN);
    return ITEE_OK;
}

/* One (key, Option<value>) of an encoded map; is_diff selects the value form. */
static enum itee_err read_item(struct scale_reader *r, bool is_diff, struct itee_slice *key,
                               bool *present, struct itee_slice *val)
{
    enum itee_err e = scale_read_vec_u8(r, key);
    *present = true;
    *val = itee_slice_make(NULL, 0);
    if (e != ITEE_OK)
        return e;
    if (key->len == 0 || key->len > STF_STATE_KEY_MAX)
        return ITEE_ERR_STF_STATE;
    if (is_diff) {
        e = scale_read_option(r, present);
        if (e != ITEE_OK || !*present)
            return e;
    }
    e = scale_read_vec_u8(r, val);
    if (e == ITEE_OK && val->len > STF_STATE_VALUE_MAX)
        e = ITEE_ERR_STF_STATE;
    return e;
}

static bool key_less(struct itee_slice a, struct itee_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = memcmp(a.ptr, b.ptr, n);
    return c < 0 || (c == 0 && a.len < b.len);
}

/*
 * Reads an encoded map; with st non-NULL also writes each item to it.
 * Keys must ascend strictly (the encoding is canonical, so equal states give equal bytes).
 */
static enum itee_err walk_map(const uint8_t *in, size_t len, bool is_diff, struct stf_state *st)
{
    struct scale_reader r;
    struct itee_slice key, val, prev = {NULL, 0};
    bool present;
    size_t n = 0;
    scale_reader_init(&r, in, len);
    enum itee_err e = scale_read_len(&r, &n, 3);
    for (size_t i = 0; i < n && e == ITEE_OK; i++) {
        e = read_item(&r, is_diff, &key, &present, &val);
        if (e != ITEE_OK)
            break;
        if (i > 0 && !key_less(prev, key)) {
            e = ITEE_ERR_STF_STATE;
            break;
        }
        prev = key;
        if (st != NULL)
            e = state_write(st, key.ptr, key.len, val.ptr, val.len, present);
    }
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    return e;
}

enum itee_err stf_state_decode(struct stf_state **out, const uint8_t *in, size_t len)
{
    struct stf_state *st = NULL;
    *out = NULL;
    enum itee_err e = walk_map(in, len, false, NULL);
    if (e == ITEE_OK)
        e = stf_state_new(&st);
    if (e == ITEE_OK)
        e = walk_map(in, len, false, st);
    if (e == ITEE_OK)
        e = stf_state_diff_clear(st);
    if (e != ITEE_OK) {
        stf_state_free(st);
        return e;
    }
    *out = st;
    return ITEE_OK;
}

enum itee_err stf_state_diff_clear(struct stf_state *st)
{
    if (st->m_len > 0)
        return ITEE_ERR_STF_TX;
    for (size_t i = 0; i < st->d_len; i++) {
        struct entry *e = st->dirty[i];
        e->dirty = false;
        if (!e->present) {
            table_remove(st, e);
            entry_free(e);
        }
    }
    st->d_len = 0;
    return ITEE_OK;
}

enum itee_err stf_state_diff_apply(struct stf_state *st, const uint8_t *in, size_t len)
{
    enum itee_err e = walk_map(in, len, true, NULL);
    if (e != ITEE_OK)
        return e;
    e = stf_state_tx_begin(st);
    if (e != ITEE_OK)
        return e;
    e = walk_map(in, len, true, st);
    if (e != ITEE_OK) {
        (void)stf_state_tx_rollback(st);
        return e;
    }
    return stf_state_tx_commit(st);
}

void stf_state_account_key(uint8_t out[STF_STATE_ACCOUNT_KEY_LEN], const uint8_t id[32])
{
    hash_storage_prefix(out, "System", "Account");
    hash_blake2_128(out + 32, id, 32);
    memcpy(out + 48, id, 32);
}

enum itee_err stf_state_account_get(const struct stf_state *st, const uint8_t id[32],
                                    struct stf_account *out)
{
    uint8_t key[STF_STATE_ACCOUNT_KEY_LEN];
    struct itee_slice v;
    struct scale_reader r;
    memset(out, 0, sizeof(*out));
    stf_state_account_key(key, id);
    if (stf_state_get(st, key, sizeof(key), &v) != ITEE_OK)
        return ITEE_OK;
    scale_reader_init(&r, v.ptr, v.len);
    enum itee_err e = scale_read_u32(&r, &out->nonce);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &out->consumers);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &out->providers);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &out->sufficients);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &out->free);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &out->reserved);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &out->frozen);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &out->flags);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK) {
        memset(out, 0, sizeof(*out));
        return ITEE_ERR_STF_STATE;
    }
    return ITEE_OK;
}

enum itee_err stf_state_account_encode(const struct stf_account *a, struct itee_buf *out)
{
    enum itee_err e = scale_put_u32(out, a->nonce);
    if (e == ITEE_OK)
        e = scale_put_u32(out, a->consumers);
    if (e == ITEE_OK)
        e = scale_put_u32(out, a->providers);
    if (e == ITEE_OK)
        e = scale_put_u32(out, a->sufficients);
    if (e == ITEE_OK)
        e = scale_put_u128(out, a->free);
    if (e == ITEE_OK)
        e = scale_put_u128(out, a->reserved);
    if (e == ITEE_OK)
        e = scale_put_u128(out, a->frozen);
    if (e == ITEE_OK)
        e = scale_put_u128(out, a->flags);
    return e;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static bool account_is_empty(const struct stf_account *a)
{
    return a->nonce == 0 && a->consumers == 0 && a->providers == 0 && a->sufficients == 0 &&
           a->free == 0 && a->reserved == 0 && a->frozen == 0 && a->flags == 0;
}

enum itee_err stf_state_account_put(struct stf_state *st, const uint8_t id[32],
                                    const struct stf_account *a)
{
    uint8_t key[STF_STATE_ACCOUNT_KEY_LEN], v[STF_STATE_ACCOUNT_LEN];
    stf_state_account_key(key, id);
    if (account_is_empty(a))
        return stf_state_delete(st, key, sizeof(key));
    /* fixed layout written in place: no allocation beyond the state's own */
    put_le(v, a->nonce, 4);
    put_le(v + 4, a->consumers, 4);
    put_le(v + 8, a->providers, 4);
    put_le(v + 12, a->sufficients, 4);
    const itee_u128 *w[4] = {&a->free, &a->reserved, &a->frozen, &a->flags};
    for (int i = 0; i < 4; i++) {
        put_le(v + 16 + 16 * i, (uint64_t)*w[i], 8);
        put_le(v + 24 + 16 * i, (uint64_t)(*w[i] >> 64), 8);
    }
    return stf_state_put(st, key, sizeof(key), v, sizeof(v));
}

static void seal_aad(uint8_t aad[SEAL_HDR_LEN + 32], const uint8_t shard[32])
{
    memcpy(aad, SEAL_MAGIC_BYTES, 4);
    aad[4] = SEAL_VERSION_BYTE;
    memcpy(aad + SEAL_HDR_LEN, shard, 32);
}

enum itee_err stf_state_seal(const struct stf_state *st, const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                             const uint8_t shard[32], struct itee_buf *out)
{
    struct itee_buf plain = {0};
    uint8_t aad[SEAL_HDR_LEN + 32], nonce[AEAD_NONCE_LEN];
    size_t start = out->len;
    itee_buf_init(&plain, STF_STATE_ENCODED_MAX);
    enum itee_err e = stf_state_encode(st, &plain);
    if (e != ITEE_OK)
        goto out;
    if (RAND_bytes(nonce, sizeof(nonce)) != 1) {
        e = ITEE_ERR_RNG;
        goto out;
    }
    seal_aad(aad, shard);
    e = itee_buf_reserve(out, SEAL_HDR_LEN + sizeof(nonce) + plain.len + AEAD_TAG_LEN);
    if (e != ITEE_OK)
        goto out;
    memcpy(out->ptr + out->len, aad, SEAL_HDR_LEN);
    memcpy(out->ptr + out->len + SEAL_HDR_LEN, nonce, sizeof(nonce));
    e = aead_aes256gcm_encrypt(out->ptr + out->len + SEAL_HDR_LEN + sizeof(nonce), key, nonce, aad,
                               sizeof(aad), plain.ptr, plain.len);
    if (e != ITEE_OK)
        goto out;
    out->len += SEAL_HDR_LEN + sizeof(nonce) + plain.len + AEAD_TAG_LEN;
out:
    if (e != ITEE_OK)
        out->len = start;
    itee_buf_free_secret(&plain);
    return e;
}

/* Moves b's contents into a (a's old contents end up in b, to be freed by the caller). */
static void state_swap(struct stf_state *a, struct stf_state *b)
{
    struct stf_state t = *a;
    *a = *b;
    *b = t;
}

enum itee_err stf_state_unseal(struct stf_state *st, const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                               const uint8_t shard[32], const uint8_t *blob, size_t len)
{
    uint8_t aad[SEAL_HDR_LEN + 32];
    uint8_t *plain = NULL;
    size_t plain_len = 0;
    struct stf_state *fresh = NULL;
    enum itee_err e;
    if (st->m_len > 0)
        return ITEE_ERR_STF_TX;
    seal_aad(aad, shard);
    if (blob == NULL || len < STF_STATE_SEAL_OVERHEAD || memcmp(blob, aad, SEAL_HDR_LEN) != 0)
        return ITEE_ERR_FORMAT;
    plain_len = len - STF_STATE_SEAL_OVERHEAD;
    plain = itee_alloc(plain_len > 0 ? plain_len : 1);
    if (plain == NULL)
        return ITEE_ERR_NOMEM;
    e = aead_aes256gcm_decrypt(plain, key, blob + SEAL_HDR_LEN, aad, sizeof(aad),
                               blob + SEAL_HDR_LEN + AEAD_NONCE_LEN,
                               len - SEAL_HDR_LEN - AEAD_NONCE_LEN);
    if (e == ITEE_OK)
        e = stf_state_decode(&fresh, plain, plain_len);
    if (e == ITEE_OK) {
        state_swap(st, fresh);
        st->hash_valid = false;
    }
    stf_state_free(fresh);
    itee_free_secret(plain, plain_len > 0 ? plain_len : 1);
    return e;
}
