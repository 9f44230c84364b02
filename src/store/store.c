/*
 * store.c - LMDB environment, tables, cached read transaction, replayable write batches with
 * map growth (see store.h).
 */
#include "store/store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "common/mem.h"

struct store {
    MDB_env *env;                  /* the environment */
    MDB_dbi dbi[STORE_TABLES_MAX]; /* one handle per table */
    size_t n_tables;               /* tables opened */
    MDB_txn *rtxn;                 /* cached read transaction (reset between commits) */
    bool rtxn_live;                /* rtxn is begun or renewed, not reset */
    size_t map_size;               /* current map size */
    int last_rc;                   /* last LMDB error code (0: none) */
};

/* A batch is one buffer of records: op, table, key length, value length, key, value. */
struct store_batch {
    struct itee_buf ops; /* the records */
    size_t count;        /* number of records */
};

enum { OP_PUT = 1, OP_DEL = 2, OP_INCREF = 3, OP_DECREF = 4 };
#define COUNT_LEN 4  /* u32 LE reference count after a counted value */
#define REC_HDR   10 /* op u8, table u8, key len u32, value len u32 */
/* Batches may be large (an initial state import); this bounds them at 16 GiB. */
#define BATCH_MAX ((size_t)16 << 30)
/* Map growth stops here (1 TiB). */
#define MAP_MAX ((size_t)1 << 40)

static enum itee_err lmdb_err(struct store *s, int rc)
{
    s->last_rc = rc;
    if (rc == MDB_NOTFOUND)
        return ITEE_ERR_NOENT;
    if (rc == ENOMEM)
        return ITEE_ERR_NOMEM;
    return ITEE_ERR_IO;
}

const char *store_last_error(const struct store *s)
{
    return s->last_rc == 0 ? "" : mdb_strerror(s->last_rc);
}

size_t store_map_size(const struct store *s)
{
    return s->map_size;
}

enum itee_err store_open(struct store **out, const char *dir, const char *const *tables,
                         size_t n_tables, size_t map_size, unsigned flags)
{
    *out = NULL;
    if (dir == NULL || n_tables == 0 || n_tables > STORE_TABLES_MAX || tables == NULL)
        return ITEE_ERR_ARG;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return ITEE_ERR_IO;
    struct store *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err e = ITEE_ERR_IO;
    MDB_txn *txn = NULL;
    s->map_size = map_size ? map_size : STORE_DEFAULT_MAP_SIZE;
    int rc = mdb_env_create(&s->env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(s->env, (MDB_dbi)n_tables);
    if (rc == 0)
        rc = mdb_env_set_mapsize(s->env, s->map_size);
    /* MDB_NOTLS: the cached read transaction is not tied to a thread's slot */
    unsigned env_flags = MDB_NOTLS | ((flags & STORE_NOSYNC) ? MDB_NOSYNC : 0) |
                         ((flags & STORE_WRITEMAP) ? MDB_WRITEMAP : 0);
    if (rc == 0)
        rc = mdb_env_open(s->env, dir, env_flags, 0600);
    if (rc != 0)
        goto out_lmdb;
    /* an existing environment may be larger than asked: adopt its size */
    MDB_envinfo info;
    if (mdb_env_info(s->env, &info) == 0 && info.me_mapsize > s->map_size)
        s->map_size = info.me_mapsize;
    if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0)
        goto out_lmdb;
    for (size_t i = 0; i < n_tables; i++) {
        if ((rc = mdb_dbi_open(txn, tables[i], MDB_CREATE, &s->dbi[i])) != 0)
            goto out_lmdb;
    }
    rc = mdb_txn_commit(txn);
    txn = NULL;
    if (rc != 0)
        goto out_lmdb;
    s->n_tables = n_tables;
    *out = s;
    return ITEE_OK;
out_lmdb:
    e = lmdb_err(s, rc);
    if (txn != NULL)
        mdb_txn_abort(txn);
    if (s->env != NULL)
        mdb_env_close(s->env);
    itee_free(s);
    return e;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    if (s->rtxn != NULL)
        mdb_txn_abort(s->rtxn);
    mdb_env_close(s->env);
    itee_free(s);
}

/* Makes the cached read transaction current (it sees the last commit). */
static enum itee_err read_txn(struct store *s, MDB_txn **txn)
{
    int rc = 0;
    if (s->rtxn == NULL)
        rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &s->rtxn);
    else if (!s->rtxn_live)
        rc = mdb_txn_renew(s->rtxn);
    if (rc == MDB_MAP_RESIZED) {
        /* another process grew the map: adopt the new size and try again */
        if (s->rtxn != NULL)
            mdb_txn_abort(s->rtxn);
        s->rtxn = NULL;
        if ((rc = mdb_env_set_mapsize(s->env, 0)) == 0)
            rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &s->rtxn);
    }
    if (rc != 0) {
        if (s->rtxn != NULL && !s->rtxn_live) {
            mdb_txn_abort(s->rtxn);
            s->rtxn = NULL;
        }
        return lmdb_err(s, rc);
    }
    s->rtxn_live = true;
    *txn = s->rtxn;
    return ITEE_OK;
}

static void read_txn_reset(struct store *s)
{
    if (s->rtxn != NULL && s->rtxn_live) {
        mdb_txn_reset(s->rtxn);
        s->rtxn_live = false;
    }
}

enum itee_err store_get(struct store *s, unsigned table, const uint8_t *key, size_t key_len,
                        struct itee_buf *out)
{
    if (s == NULL || table >= s->n_tables || key_len == 0 || key_len > STORE_KEY_MAX)
        return ITEE_ERR_ARG;
    MDB_txn *txn;
    enum itee_err e = read_txn(s, &txn);
    if (e != ITEE_OK)
        return e;
    MDB_val k = {key_len, (void *)key}, v;
    int rc = mdb_get(txn, s->dbi[table], &k, &v);
    if (rc != 0)
        return rc == MDB_NOTFOUND ? ITEE_ERR_NOENT : lmdb_err(s, rc);
    itee_buf_reset(out);
    return itee_buf_append(out, v.mv_data, v.mv_size);
}

enum itee_err store_get_counted(struct store *s, unsigned table, const uint8_t *key, size_t key_len,
                                struct itee_buf *out, uint32_t *count)
{
    enum itee_err e = store_get(s, table, key, key_len, out);
    if (e != ITEE_OK)
        return e;
    if (out->len < COUNT_LEN)
        return ITEE_ERR_FORMAT;
    out->len -= COUNT_LEN;
    if (count != NULL)
        memcpy(count, out->ptr + out->len, COUNT_LEN);
    return ITEE_OK;
}

enum itee_err store_scan(struct store *s, unsigned table, const uint8_t *start, size_t start_len,
                         store_scan_fn fn, void *ctx)
{
    if (s == NULL || table >= s->n_tables || fn == NULL || start_len > STORE_KEY_MAX)
        return ITEE_ERR_ARG;
    MDB_txn *txn;
    enum itee_err e = read_txn(s, &txn);
    if (e != ITEE_OK)
        return e;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, s->dbi[table], &cur);
    if (rc != 0)
        return lmdb_err(s, rc);
    MDB_val k = {start_len, (void *)start}, v;
    rc = (start != NULL && start_len > 0) ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE)
                                          : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (rc == 0) {
        if (!fn(ctx, k.mv_data, k.mv_size, v.mv_data, v.mv_size))
            break;
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (rc != 0 && rc != MDB_NOTFOUND)
        return lmdb_err(s, rc);
    return ITEE_OK;
}

enum itee_err store_batch_new(struct store_batch **out)
{
    *out = itee_zalloc(sizeof(**out));
    if (*out == NULL)
        return ITEE_ERR_NOMEM;
    itee_buf_init(&(*out)->ops, BATCH_MAX);
    return ITEE_OK;
}

void store_batch_free(struct store_batch *b)
{
    if (b == NULL)
        return;
    itee_buf_free(&b->ops);
    itee_free(b);
}

void store_batch_reset(struct store_batch *b)
{
    itee_buf_reset(&b->ops);
    b->count = 0;
}

size_t store_batch_count(const struct store_batch *b)
{
    return b->count;
}

static enum itee_err batch_add(struct store_batch *b, uint8_t op, unsigned table,
                               const uint8_t *key, size_t key_len, const uint8_t *value,
                               size_t value_len)
{
    if (b == NULL || table >= STORE_TABLES_MAX || key == NULL || key_len == 0 ||
        key_len > STORE_KEY_MAX || (value == NULL && value_len > 0) || value_len > UINT32_MAX)
        return ITEE_ERR_ARG;
    size_t start = b->ops.len;
    uint8_t hdr[REC_HDR];
    hdr[0] = op;
    hdr[1] = (uint8_t)table;
    uint32_t kl = (uint32_t)key_len, vl = (uint32_t)value_len;
    memcpy(hdr + 2, &kl, 4);
    memcpy(hdr + 6, &vl, 4);
    enum itee_err e = itee_buf_reserve(&b->ops, REC_HDR + key_len + value_len);
    if (e == ITEE_OK)
        e = itee_buf_append(&b->ops, hdr, REC_HDR);
    if (e == ITEE_OK)
        e = itee_buf_append(&b->ops, key, key_len);
    if (e == ITEE_OK && value_len > 0)
        e = itee_buf_append(&b->ops, value, value_len);
    if (e != ITEE_OK) {
        b->ops.len = start;
        return e;
    }
    b->count++;
    return ITEE_OK;
}

enum itee_err store_batch_put(struct store_batch *b, unsigned table, const uint8_t *key,
                              size_t key_len, const uint8_t *value, size_t value_len)
{
    return batch_add(b, OP_PUT, table, key, key_len, value, value_len);
}

enum itee_err store_batch_del(struct store_batch *b, unsigned table, const uint8_t *key,
                              size_t key_len)
{
    return batch_add(b, OP_DEL, table, key, key_len, NULL, 0);
}

enum itee_err store_batch_incref(struct store_batch *b, unsigned table, const uint8_t *key,
                                 size_t key_len, const uint8_t *value, size_t value_len)
{
    if (value_len > UINT32_MAX - COUNT_LEN)
        return ITEE_ERR_ARG;
    return batch_add(b, OP_INCREF, table, key, key_len, value, value_len);
}

enum itee_err store_batch_decref(struct store_batch *b, unsigned table, const uint8_t *key,
                                 size_t key_len)
{
    return batch_add(b, OP_DECREF, table, key, key_len, NULL, 0);
}

/* Orders records by table, then key; equal keys keep their batch order (address order). */
static int rec_cmp(const void *pa, const void *pb)
{
    const uint8_t *a = *(const uint8_t *const *)pa, *b = *(const uint8_t *const *)pb;
    if (a[1] != b[1])
        return a[1] < b[1] ? -1 : 1;
    uint32_t al, bl;
    memcpy(&al, a + 2, 4);
    memcpy(&bl, b + 2, 4);
    int c = memcmp(a + REC_HDR, b + REC_HDR, al < bl ? al : bl);
    if (c == 0 && al != bl)
        c = al < bl ? -1 : 1;
    if (c == 0 && a != b)
        c = a < b ? -1 : 1;
    return c;
}

/*
 * Changes the count of a counted entry by +1 (inserting v when absent) or -1 (deleting at
 * 0). scratch holds a copy of the old value while it is rewritten.
 */
static int apply_ref(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, const MDB_val *v, bool inc,
                     struct itee_buf *scratch)
{
    MDB_val cur = {v->mv_size + COUNT_LEN, NULL};
    int rc;
    if (inc) {
        rc = mdb_put(txn, dbi, k, &cur, MDB_NOOVERWRITE | MDB_RESERVE);
        if (rc == 0) {
            uint32_t one = 1;
            if (v->mv_size > 0)
                memcpy(cur.mv_data, v->mv_data, v->mv_size);
            memcpy((uint8_t *)cur.mv_data + v->mv_size, &one, COUNT_LEN);
            return 0;
        }
        if (rc != MDB_KEYEXIST)
            return rc;
    } else if ((rc = mdb_get(txn, dbi, k, &cur)) != 0) {
        return rc == MDB_NOTFOUND ? 0 : rc;
    }
    if (cur.mv_size < COUNT_LEN)
        return MDB_CORRUPTED;
    uint32_t n;
    memcpy(&n, (uint8_t *)cur.mv_data + cur.mv_size - COUNT_LEN, COUNT_LEN);
    if (!inc && n <= 1)
        return mdb_del(txn, dbi, k, NULL);
    n = inc ? (n == UINT32_MAX ? n : n + 1) : n - 1;
    /* the old value may sit in a page the put rewrites: copy it out first */
    itee_buf_reset(scratch);
    if (itee_buf_append(scratch, cur.mv_data, cur.mv_size) != ITEE_OK)
        return ENOMEM;
    memcpy(scratch->ptr + scratch->len - COUNT_LEN, &n, COUNT_LEN);
    MDB_val nv = {scratch->len, scratch->ptr};
    return mdb_put(txn, dbi, k, &nv, 0);
}

static int apply_rec(MDB_txn *txn, struct store *s, const uint8_t *p, struct itee_buf *scratch)
{
    uint32_t kl, vl;
    memcpy(&kl, p + 2, 4);
    memcpy(&vl, p + 6, 4);
    MDB_val k = {kl, (void *)(p + REC_HDR)};
    MDB_val v = {vl, (void *)(p + REC_HDR + kl)};
    MDB_dbi dbi = s->dbi[p[1]];
    int rc;
    switch (p[0]) {
    case OP_PUT:
        return mdb_put(txn, dbi, &k, &v, 0);
    case OP_DEL:
        rc = mdb_del(txn, dbi, &k, NULL);
        return rc == MDB_NOTFOUND ? 0 : rc;
    default:
        return apply_ref(txn, dbi, &k, &v, p[0] == OP_INCREF, scratch);
    }
}

/*
 * Applies all records in one transaction, in (table, key) order (recs: the records' starts,
 * sorted). Returns: an LMDB code (0 on success).
 */
static int apply(struct store *s, const uint8_t *const *recs, size_t n)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(s->env, NULL, 0, &txn);
    if (rc != 0)
        return rc;
    struct itee_buf scratch;
    itee_buf_init(&scratch, 0);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = apply_rec(txn, s, recs[i], &scratch);
    itee_buf_free(&scratch);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return rc;
    }
    return mdb_txn_commit(txn);
}

enum itee_err store_commit(struct store *s, struct store_batch *b)
{
    if (s == NULL || b == NULL)
        return ITEE_ERR_ARG;
    const uint8_t **recs = itee_alloc(b->count > 0 ? b->count * sizeof(*recs) : 1);
    if (recs == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err e = ITEE_OK;
    const uint8_t *p = b->ops.ptr, *end = p != NULL ? p + b->ops.len : p;
    for (size_t i = 0; p < end && i < b->count; i++) {
        if (p[1] >= s->n_tables) {
            e = ITEE_ERR_ARG;
            goto out;
        }
        recs[i] = p;
        uint32_t kl, vl;
        memcpy(&kl, p + 2, 4);
        memcpy(&vl, p + 6, 4);
        p += REC_HDR + kl + vl;
    }
    qsort(recs, b->count, sizeof(*recs), rec_cmp);
    /* no transaction may be live while the map is resized */
    read_txn_reset(s);
    for (;;) {
        int rc = apply(s, recs, b->count);
        if (rc == 0)
            break;
        if (rc == MDB_MAP_RESIZED) {
            if ((rc = mdb_env_set_mapsize(s->env, 0)) != 0) {
                e = lmdb_err(s, rc);
                goto out;
            }
            MDB_envinfo info;
            if (mdb_env_info(s->env, &info) == 0)
                s->map_size = info.me_mapsize;
            continue;
        }
        if (rc != MDB_MAP_FULL || s->map_size >= MAP_MAX) {
            e = lmdb_err(s, rc);
            goto out;
        }
        /* grow and replay the whole batch: the aborted transaction left nothing behind */
        if (s->rtxn != NULL) {
            mdb_txn_abort(s->rtxn);
            s->rtxn = NULL;
            s->rtxn_live = false;
        }
        size_t grown = s->map_size * 2;
        if ((rc = mdb_env_set_mapsize(s->env, grown)) != 0) {
            e = lmdb_err(s, rc);
            goto out;
        }
        s->map_size = grown;
    }
    store_batch_reset(b);
out:
    itee_free(recs);
    return e;
}
