/*
 * store.c - LMDB environment, tables, cached read transaction, replayable write batches with
 * map growth (see store.h).
 */
#include "store/store.h"

#include <errno.h>
#include <lmdb.h>
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

enum { OP_PUT = 1, OP_DEL = 2 };
#define REC_HDR 10 /* op u8, table u8, key len u32, value len u32 */
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
    unsigned env_flags = MDB_NOTLS | ((flags & STORE_NOSYNC) ? MDB_NOSYNC : 0);
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

/* Applies all records in one transaction. Returns: an LMDB code (0 on success). */
static int apply(struct store *s, const struct store_batch *b)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(s->env, NULL, 0, &txn);
    if (rc != 0)
        return rc;
    const uint8_t *p = b->ops.ptr, *end = b->ops.ptr + b->ops.len;
    while (p < end) {
        uint32_t kl, vl;
        memcpy(&kl, p + 2, 4);
        memcpy(&vl, p + 6, 4);
        MDB_val k = {kl, (void *)(p + REC_HDR)};
        MDB_val v = {vl, (void *)(p + REC_HDR + kl)};
        if (p[0] == OP_PUT) {
            rc = mdb_put(txn, s->dbi[p[1]], &k, &v, 0);
        } else {
            rc = mdb_del(txn, s->dbi[p[1]], &k, NULL);
            if (rc == MDB_NOTFOUND)
                rc = 0;
        }
        if (rc != 0) {
            mdb_txn_abort(txn);
            return rc;
        }
        p += REC_HDR + kl + vl;
    }
    return mdb_txn_commit(txn);
}

enum itee_err store_commit(struct store *s, struct store_batch *b)
{
    if (s == NULL || b == NULL)
        return ITEE_ERR_ARG;
    const uint8_t *p = b->ops.ptr, *end = b->ops.ptr + b->ops.len;
    while (p < end) {
        if (p[1] >= s->n_tables)
            return ITEE_ERR_ARG;
        uint32_t kl, vl;
        memcpy(&kl, p + 2, 4);
        memcpy(&vl, p + 6, 4);
        p += REC_HDR + kl + vl;
    }
    /* no transaction may be live while the map is resized */
    read_txn_reset(s);
    for (;;) {
        int rc = apply(s, b);
        if (rc == 0)
            break;
        if (rc == MDB_MAP_RESIZED) {
            if ((rc = mdb_env_set_mapsize(s->env, 0)) != 0)
                return lmdb_err(s, rc);
            MDB_envinfo info;
            if (mdb_env_info(s->env, &info) == 0)
                s->map_size = info.me_mapsize;
            continue;
        }
        if (rc != MDB_MAP_FULL || s->map_size >= MAP_MAX)
            return lmdb_err(s, rc);
        /* grow and replay the whole batch: the aborted transaction left nothing behind */
        if (s->rtxn != NULL) {
            mdb_txn_abort(s->rtxn);
            s->rtxn = NULL;
            s->rtxn_live = false;
        }
        size_t grown = s->map_size * 2;
        if ((rc = mdb_env_set_mapsize(s->env, grown)) != 0)
            return lmdb_err(s, rc);
        s->map_size = grown;
    }
    store_batch_reset(b);
    return ITEE_OK;
}
