/*
 * trie.c - the in-memory node graph of a Substrate trie with cached references, lazy loading
 * from a node store, incremental roots, commit, iteration and read-proof generation.
 *
 * Invariants of the node graph (they make the encoding unique, as sp-trie's):
 *  - a node without children has a value (it is a leaf);
 *  - a node without a value has at least two children;
 *  - a clean node (no F_DIRTY) has a valid ref: its hash when its encoding is 32 bytes or
 *    longer, else its encoding; a node that changed is F_DIRTY and F_NEW up to the root,
 *    so trie_root and trie_commit only descend into flagged nodes.
 */
#include "trie/trie.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"

enum {
    F_DIRTY = 1 << 0,   /* ref is stale: re-encode on the next root */
    F_NEW = 1 << 1,     /* not yet written to the db */
    F_STUB = 1 << 2,    /* only ref (a hash) is known; load before use */
    F_VHASHED = 1 << 3, /* the value is encoded by hash (V1 rule, or as loaded) */
    F_VABSENT = 1 << 4, /* value bytes not in memory: value holds the 32-byte value hash */
    F_VNEW = 1 << 5,    /* the hashed value is not yet written to the db */
    F_MARK = 1 << 6,    /* already added to the proof being built */
    F_VMARK = 1 << 7,   /* hashed value already added to the proof being built */
    F_STORED = 1 << 8,  /* in the db under (prefix, hash of ref): a release is due on change */
    F_KINL = 1 << 9,    /* key lies in the node's own allocation (not freed apart) */
    F_VINL = 1 << 10,   /* value lies in the node's own allocation (not freed apart) */
};

/*
 * The children of a branch, with a copy of each child's reference: encoding a branch then
 * reads only this block, and a root update touches only the children that changed, not
 * all sixteen (which would be a cache miss each in a large trie).
 */
struct tkid {
    struct tnode *node;         /* the child (NULL: none) */
    uint8_t ref_len;            /* length of ref; 0: child changed since */
    bool fresh;                 /* the child has uncommitted changes */
    uint8_t ref[TRIE_HASH_LEN]; /* the child's reference as last computed */
};

/* One slot per child: a descent reads one cache line of it (pointer, ref_len, fresh). */
struct tkids {
    struct tkid c[TRIE_RADIX];
};

struct tnode {
    struct tkids *kids;         /* children, or NULL while the node has none */
    uint8_t *key;               /* partial key, one nibble per byte */
    uint8_t *value;             /* value bytes, or its hash when F_VABSENT */
    uint32_t value_len;         /* bytes at value */
    uint32_t value_cap;         /* bytes usable at value (a same-size update reuses them) */
    uint16_t key_len;           /* nibbles at key */
    uint16_t flags;             /* F_* */
    uint8_t nchildren;          /* children (non-NULL kids->c[i].node) */
    uint8_t ref_len;            /* 0: unknown; 32: ref is a hash; else ref is the encoding */
    bool has_value;             /* the node holds a value (possibly empty) */
    uint8_t ref[TRIE_HASH_LEN]; /* cached reference as the parent encodes it */
    /*
     * Nodes made by inserts carry their key and first value here, in the same allocation:
     * one allocation instead of three, and the bytes a lookup reads next to the node.
     */
    uint8_t tail[];
};

struct trie {
    struct tnode *root;      /* NULL for the empty trie */
    enum trie_layout layout; /* rule for values written by this trie */
    bool has_db;             /* db is usable */
    struct trie_db db;       /* node store */
    bool track;              /* db wants releases */
    struct itee_buf enc;     /* scratch: node encodings */
    struct itee_buf io;      /* scratch: bytes read from the db */
    struct itee_buf path;    /* scratch: a node's prefix (commit, merges) */
    struct itee_buf dead;    /* releases due at the next commit: (u16 len, nibbles, hash)* */
    const uint8_t *op_key;   /* nibbles of the key of the running insert/remove */
    size_t op_len;           /* their number */
};

/* ---- node memory ---- */

static void node_free(struct tnode *n)
{
    if (n == NULL)
        return;
    if (n->kids != NULL) {
        for (int i = 0; i < TRIE_RADIX; i++)
            node_free(n->kids->c[i].node);
        itee_free(n->kids);
    }
    if (!(n->flags & F_KINL))
        itee_free(n->key);
    if (!(n->flags & F_VINL))
        itee_free(n->value);
    itee_free(n);
}

/* A new node with key (copied) and room for a value of value_cap bytes. */
static struct tnode *node_new(const uint8_t *key, size_t key_len, size_t value_cap)
{
    struct tnode *n = itee_alloc(sizeof(*n) + key_len + value_cap);
    if (n == NULL)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->flags = F_DIRTY | F_NEW;
    if (key_len > 0) {
        n->key = n->tail;
        memcpy(n->key, key, key_len);
        n->flags |= F_KINL;
    }
    n->key_len = (uint16_t)key_len;
    if (value_cap > 0) {
        n->value = n->tail + key_len;
        n->value_cap = (uint32_t)value_cap;
        n->flags |= F_VINL;
    }
    return n;
}

/* Frees n's value bytes (the node keeps has_value as it is). */
static void value_drop(struct tnode *n)
{
    if (!(n->flags & F_VINL))
        itee_free(n->value);
    n->value = NULL;
    n->value_len = 0;
    n->value_cap = 0;
    n->flags &= (uint16_t)~F_VINL;
}

/* Notes that child i of a branch changed: its cached reference is stale and it is new. */
static void kid_changed(struct tkids *kids, unsigned i)
{
    kids->c[i].ref_len = 0;
    kids->c[i].fresh = true;
}

/* Queues the release of (prefix, hash) for the next commit. */
static enum itee_err dead_push(struct trie *t, const uint8_t *prefix, size_t plen,
                               const uint8_t hash[TRIE_HASH_LEN])
{
    uint8_t l[2] = {(uint8_t)plen, (uint8_t)(plen >> 8)};
    enum itee_err e = itee_buf_reserve(&t->dead, 2 + plen + TRIE_HASH_LEN);
    if (e == ITEE_OK)
        e = itee_buf_append(&t->dead, l, 2);
    if (e == ITEE_OK && plen > 0)
        e = itee_buf_append(&t->dead, prefix, plen);
    if (e == ITEE_OK)
        e = itee_buf_append(&t->dead, hash, TRIE_HASH_LEN);
    return e;
}

/*
 * Marks n (whose prefix is prefix) changed. A stored node leaves the state here: its old
 * (prefix, hash) is released at the next commit. Only the root (empty prefix) is stored
 * with a reference shorter than a hash, under the hash of that encoding.
 */
static enum itee_err mark_changed(struct trie *t, struct tnode *n, const uint8_t *prefix,
                                  size_t plen)
{
    enum itee_err e = ITEE_OK;
    if ((n->flags & F_STORED) && t->track) {
        uint8_t h[TRIE_HASH_LEN];
        if (n->ref_len == TRIE_HASH_LEN)
            memcpy(h, n->ref, TRIE_HASH_LEN);
        else
            trie_hash(h, n->ref, n->ref_len);
        e = dead_push(t, prefix, plen, h);
    }
    n->flags = (uint16_t)((n->flags & ~F_STORED) | F_DIRTY | F_NEW);
    n->ref_len = 0;
    return e;
}

/* Releases n's stored hashed value (whose key is the running operation's key), if any. */
static enum itee_err release_value(struct trie *t, const struct tnode *n)
{
    if (!t->track || !n->has_value || !(n->flags & F_VHASHED) || (n->flags & F_VNEW))
        return ITEE_OK;
    uint8_t h[TRIE_HASH_LEN];
    if (n->flags & F_VABSENT)
        memcpy(h, n->value, TRIE_HASH_LEN);
    else
        trie_hash(h, n->value, n->value_len);
    return dead_push(t, t->op_key, t->op_len, h);
}

/*
 * Gives n (at prefix pos of the running key, which is n's whole key) the value v (copied),
 * encoded by hash when the layout says so.
 */
static enum itee_err node_set_value(struct trie *t, struct tnode *n, size_t pos, const uint8_t *v,
                                    size_t vl, bool *changed)
{
    if (n->has_value && !(n->flags & F_VABSENT) && n->value_len == vl &&
        (vl == 0 || memcmp(n->value, v, vl) == 0))
        return ITEE_OK;
    enum itee_err e = release_value(t, n);
    if (e == ITEE_OK)
        e = mark_changed(t, n, t->op_key, pos);
    if (e != ITEE_OK)
        return e;
    if (vl > 0 && vl <= n->value_cap) {
        memcpy(n->value, v, vl); /* the common update: same size, no allocation */
    } else {
        uint8_t *copy = NULL;
        if (vl > 0) {
            copy = itee_alloc(vl);
            if (copy == NULL)
                return ITEE_ERR_NOMEM;
            memcpy(copy, v, vl);
        }
        value_drop(n);
        n->value = copy;
        n->value_cap = (uint32_t)vl;
    }
    n->value_len = (uint32_t)vl;
    n->has_value = true;
    n->flags &= (uint16_t) ~(F_VHASHED | F_VABSENT | F_VNEW);
    if (t->layout == TRIE_LAYOUT_V1 && vl >= TRIE_V1_HASH_THRESHOLD)
        n->flags |= F_VHASHED | F_VNEW;
    *changed = true;
    return ITEE_OK;
}

static size_t common_prefix(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    size_t n = al < bl ? al : bl, i = 0;
    /* eight nibbles at a time: leaf keys are long (a 64-byte key is 128 nibbles) */
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            break;
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* ---- loading from the db ---- */

/* Builds the in-memory form of a decoded node into n (whose ref the caller sets). */
static enum itee_err fill_node(struct tnode *n, const struct trie_node_view *v, int depth);

static enum itee_err fill_child(struct tnode **slot, struct itee_slice ref, int depth)
{
    struct tnode *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(c->ref, ref.ptr, ref.len);
    c->ref_len = (uint8_t)ref.len;
    if (ref.len == TRIE_HASH_LEN) {
        c->flags = F_STUB | F_STORED;
        *slot = c;
        return ITEE_OK;
    }
    /* an inline child: its whole encoding is the reference; decode it now */
    struct trie_node_view cv;
    enum itee_err e = trie_node_decode(&cv, ref.ptr, ref.len);
    if (e == ITEE_OK && (cv.kind == TRIE_NODE_EMPTY || depth > 64))
        e = ITEE_ERR_TRIE_NODE;
    if (e == ITEE_OK)
        e = fill_node(c, &cv, depth + 1);
    if (e != ITEE_OK) {
        node_free(c);
        return e;
    }
    *slot = c;
    return ITEE_OK;
}

static enum itee_err fill_node(struct tnode *n, const struct trie_node_view *v, int depth)
{
    if (v->nibble_count > 0) {
        n->key = itee_alloc(v->nibble_count);
        if (n->key == NULL)
            return ITEE_ERR_NOMEM;
        for (size_t i = 0; i < v->nibble_count; i++)
            n->key[i] = trie_node_partial_nibble(v, i);
    }
    n->key_len = (uint16_t)v->nibble_count;
    if (v->value_kind != TRIE_VALUE_NONE) {
        n->has_value = true;
        if (v->value.len > UINT32_MAX)
            return ITEE_ERR_TRIE_NODE;
        if (v->value.len > 0) {
            n->value = itee_alloc(v->value.len);
            if (n->value == NULL)
                return ITEE_ERR_NOMEM;
            n->value_cap = (uint32_t)v->value.len;
            memcpy(n->value, v->value.ptr, v->value.len);
        }
        n->value_len = (uint32_t)v->value.len;
        if (v->value_kind == TRIE_VALUE_HASHED)
            n->flags |= F_VHASHED | F_VABSENT;
    }
    if (v->kind == TRIE_NODE_BRANCH) {
        n->kids = itee_zalloc(sizeof(*n->kids));
        if (n->kids == NULL)
            return ITEE_ERR_NOMEM;
        for (int i = 0; i < TRIE_RADIX; i++) {
            if (!(v->bitmap & (1u << i)))
                continue;
            enum itee_err e = fill_child(&n->kids->c[i].node, v->children[i], depth);
            if (e != ITEE_OK)
                return e;
            memcpy(n->kids->c[i].ref, v->children[i].ptr, v->children[i].len);
            n->kids->c[i].ref_len = (uint8_t)v->children[i].len;
            n->nchildren++;
        }
        /* a branch must be a real fork or carry a value, else it is not canonical */
        if (n->nchildren < 2 && !n->has_value)
            return ITEE_ERR_TRIE_NODE;
    }
    return ITEE_OK;
}

/* Turns a stub (at prefix) into a full node by reading it from the db. */
static enum itee_err node_load(struct trie *t, struct tnode *n, const uint8_t *prefix, size_t plen)
{
    if (!(n->flags & F_STUB))
        return ITEE_OK;
    if (!t->has_db)
        return ITEE_ERR_NOENT;
    enum itee_err e = t->db.get(t->db.ctx, prefix, plen, n->ref, &t->io);
    if (e != ITEE_OK)
        return e;
    /* the store is outside the trust boundary of a hash: a flipped bit must not pass */
    uint8_t h[TRIE_HASH_LEN];
    trie_hash(h, t->io.ptr, t->io.len);
    if (memcmp(h, n->ref, TRIE_HASH_LEN) != 0)
        return ITEE_ERR_TRIE_HASH;
    struct trie_node_view v;
    if (trie_node_decode(&v, t->io.ptr, t->io.len) != ITEE_OK || v.kind == TRIE_NODE_EMPTY)
        return ITEE_ERR_TRIE_NODE;
    struct tnode *tmp = itee_zalloc(sizeof(*tmp));
    if (tmp == NULL)
        return ITEE_ERR_NOMEM;
    e = fill_node(tmp, &v, 0);
    if (e != ITEE_OK) {
        node_free(tmp);
        return e;
    }
    /* a root shorter than a hash is referenced by its encoding, like any short node */
    if (t->io.len < TRIE_HASH_LEN) {
        memcpy(tmp->ref, t->io.ptr, t->io.len);
        tmp->ref_len = (uint8_t)t->io.len;
    } else {
        memcpy(tmp->ref, n->ref, TRIE_HASH_LEN);
        tmp->ref_len = TRIE_HASH_LEN;
    }
    tmp->flags |= n->flags & F_STORED;
    *n = *tmp;
    itee_free(tmp);
    return ITEE_OK;
}

/* ---- encoding and roots ---- */

static enum itee_err encode_node(const struct tnode *n, struct itee_buf *out)
{
    enum trie_node_kind kind = n->nchildren > 0 ? TRIE_NODE_BRANCH : TRIE_NODE_LEAF;
    enum trie_value_kind vk = !n->has_value            ? TRIE_VALUE_NONE
                              : (n->flags & F_VHASHED) ? TRIE_VALUE_HASHED
                                                       : TRIE_VALUE_INLINE;
    if (kind == TRIE_NODE_LEAF && vk == TRIE_VALUE_NONE)
        return ITEE_ERR_INTERNAL;
    enum itee_err e = trie_node_put_header(out, kind, vk, n->key_len);
    if (e == ITEE_OK)
        e = trie_node_put_partial(out, n->key, n->key_len);
    if (e == ITEE_OK && kind == TRIE_NODE_BRANCH) {
        uint16_t bm = 0;
        for (int i = 0; i < TRIE_RADIX; i++)
            if (n->kids->c[i].node != NULL)
                bm |= (uint16_t)(1u << i);
        uint8_t b[2] = {(uint8_t)(bm & 0xff), (uint8_t)(bm >> 8)};
        e = itee_buf_append(out, b, 2);
    }
    if (e != ITEE_OK)
        return e;
    if (vk == TRIE_VALUE_INLINE) {
        e = scale_put_compact(out, n->value_len);
        if (e == ITEE_OK)
            e = itee_buf_append(out, n->value, n->value_len);
    } else if (vk == TRIE_VALUE_HASHED) {
        uint8_t h[TRIE_HASH_LEN];
        if (n->flags & F_VABSENT)
            memcpy(h, n->value, TRIE_HASH_LEN);
        else
            trie_hash(h, n->value, n->value_len);
        e = itee_buf_append(out, h, TRIE_HASH_LEN);
    }
    for (int i = 0; e == ITEE_OK && kind == TRIE_NODE_BRANCH && i < TRIE_RADIX; i++) {
        if (n->kids->c[i].node == NULL)
            continue;
        uint8_t len = n->kids->c[i].ref_len;
        if (len == 0)
            return ITEE_ERR_INTERNAL;
        e = itee_buf_push(out, (uint8_t)(len << 2)); /* Compact(len), len < 64 */
        if (e == ITEE_OK)
            e = itee_buf_append(out, n->kids->c[i].ref, len);
    }
    return e;
}

static enum itee_err update_ref(struct trie *t, struct tnode *n)
{
    if (!(n->flags & F_DIRTY))
        return ITEE_OK;
    for (int i = 0; n->kids != NULL && i < TRIE_RADIX; i++) {
        struct tnode *c = n->kids->c[i].node;
        if (c == NULL || n->kids->c[i].ref_len != 0)
            continue; /* clean children are not even touched */
        enum itee_err e = update_ref(t, c);
        if (e != ITEE_OK)
            return e;
        memcpy(n->kids->c[i].ref, c->ref, c->ref_len);
        n->kids->c[i].ref_len = c->ref_len;
    }
    itee_buf_reset(&t->enc);
    enum itee_err e = encode_node(n, &t->enc);
    if (e != ITEE_OK)
        return e;
    if (t->enc.len >= TRIE_HASH_LEN) {
        trie_hash(n->ref, t->enc.ptr, t->enc.len);
        n->ref_len = TRIE_HASH_LEN;
    } else {
        memcpy(n->ref, t->enc.ptr, t->enc.len);
        n->ref_len = (uint8_t)t->enc.len;
    }
    n->flags &= (uint16_t)~F_DIRTY;
    return ITEE_OK;
}

enum itee_err trie_root(struct trie *t, uint8_t root[TRIE_HASH_LEN])
{
    memset(root, 0, TRIE_HASH_LEN);
    if (t == NULL)
        return ITEE_ERR_ARG;
    if (t->root == NULL) {
        trie_empty_root(root);
        return ITEE_OK;
    }
    enum itee_err e = update_ref(t, t->root);
    if (e != ITEE_OK)
        return e;
    if (t->root->ref_len == TRIE_HASH_LEN)
        memcpy(root, t->root->ref, TRIE_HASH_LEN);
    else
        trie_hash(root, t->root->ref, t->root->ref_len);
    return ITEE_OK;
}

/* Writes n (whose prefix is t->path on entry, restored on return) and its new descendants. */
static enum itee_err commit_node(struct trie *t, struct tnode *n, const uint8_t *root_hash)
{
    if (!(n->flags & F_NEW))
        return ITEE_OK;
    size_t base = t->path.len;
    enum itee_err e = itee_buf_append(&t->path, n->key, n->key_len);
    for (int i = 0; e == ITEE_OK && n->kids != NULL && i < TRIE_RADIX; i++) {
        if (!n->kids->c[i].fresh)
            continue;
        if (n->kids->c[i].node != NULL) {
            if ((e = itee_buf_push(&t->path, (uint8_t)i)) != ITEE_OK)
                break;
            e = commit_node(t, n->kids->c[i].node, NULL);
            t->path.len = base + n->key_len;
            if (e != ITEE_OK)
                break;
        }
        n->kids->c[i].fresh = false;
    }
    if (e == ITEE_OK && (n->flags & F_VNEW) && !(n->flags & F_VABSENT)) {
        /* a value is named by its whole key, which restructuring above it never changes */
        uint8_t h[TRIE_HASH_LEN];
        trie_hash(h, n->value, n->value_len);
        e = t->db.put(t->db.ctx, t->path.ptr, t->path.len, h, n->value, n->value_len);
    }
    t->path.len = base;
    if (e != ITEE_OK)
        return e;
    if (root_hash != NULL || n->ref_len == TRIE_HASH_LEN) {
        itee_buf_reset(&t->enc);
        if ((e = encode_node(n, &t->enc)) != ITEE_OK)
            return e;
        const uint8_t *h = root_hash != NULL ? root_hash : n->ref;
        if ((e = t->db.put(t->db.ctx, t->path.ptr, base, h, t->enc.ptr, t->enc.len)) != ITEE_OK)
            return e;
        n->flags |= F_STORED;
    }
    n->flags &= (uint16_t) ~(F_NEW | F_VNEW);
    return ITEE_OK;
}

/* Hands the releases gathered since the last commit to the db. */
static enum itee_err flush_dead(struct trie *t)
{
    if (t->dead.len == 0)
        return ITEE_OK;
    const uint8_t *p = t->dead.ptr, *end = t->dead.ptr + t->dead.len;
    while (p < end) {
        size_t plen = (size_t)p[0] | (size_t)p[1] << 8;
        enum itee_err e = t->db.release(t->db.ctx, p + 2, plen, p + 2 + plen);
        if (e != ITEE_OK)
            return e;
        p += 2 + plen + TRIE_HASH_LEN;
    }
    itee_buf_reset(&t->dead);
    return ITEE_OK;
}

enum itee_err trie_commit(struct trie *t, uint8_t root[TRIE_HASH_LEN])
{
    enum itee_err e = trie_root(t, root);
    if (e != ITEE_OK)
        return e;
    if (t->root == NULL)
        return t->track ? flush_dead(t) : ITEE_OK;
    if (!t->has_db || t->db.put == NULL) {
        /* nothing to write to: forget what is new so a later db-less unload is refused */
        return ITEE_OK;
    }
    itee_buf_reset(&t->path);
    e = commit_node(t, t->root, root);
    if (e == ITEE_OK && t->track)
        e = flush_dead(t);
    if (e != ITEE_OK)
        memset(root, 0, TRIE_HASH_LEN);
    return e;
}

/* ---- construction ---- */

enum itee_err trie_new(struct trie **out, enum trie_layout layout, const struct trie_db *db)
{
    *out = NULL;
    if (layout != TRIE_LAYOUT_V0 && layout != TRIE_LAYOUT_V1)
        return ITEE_ERR_ARG;
    if (db != NULL && db->get == NULL)
        return ITEE_ERR_ARG;
    struct trie *t = itee_zalloc(sizeof(*t));
    if (t == NULL)
        return ITEE_ERR_NOMEM;
    t->layout = layout;
    if (db != NULL) {
        t->db = *db;
        t->has_db = true;
        t->track = db->put != NULL && db->release != NULL;
    }
    itee_buf_init(&t->enc, 0);
    itee_buf_init(&t->io, 0);
    itee_buf_init(&t->path, 0);
    itee_buf_init(&t->dead, 0);
    *out = t;
    return ITEE_OK;
}

enum itee_err trie_open(struct trie **out, enum trie_layout layout, const struct trie_db *db,
                        const uint8_t root[TRIE_HASH_LEN])
{
    uint8_t empty[TRIE_HASH_LEN];
    trie_empty_root(empty);
    bool is_empty = memcmp(root, empty, TRIE_HASH_LEN) == 0;
    if (!is_empty && db == NULL) {
        *out = NULL;
        return ITEE_ERR_ARG;
    }
    enum itee_err e = trie_new(out, layout, db);
    if (e != ITEE_OK || is_empty)
        return e;
    struct tnode *r = itee_zalloc(sizeof(*r));
    if (r == NULL) {
        trie_free(*out);
        *out = NULL;
        return ITEE_ERR_NOMEM;
    }
    memcpy(r->ref, root, TRIE_HASH_LEN);
    r->ref_len = TRIE_HASH_LEN;
    r->flags = F_STUB | F_STORED;
    (*out)->root = r;
    return ITEE_OK;
}

void trie_free(struct trie *t)
{
    if (t == NULL)
        return;
    node_free(t->root);
    itee_buf_free(&t->enc);
    itee_buf_free(&t->io);
    itee_buf_free(&t->path);
    itee_buf_free(&t->dead);
    itee_free(t);
}

enum itee_err trie_unload(struct trie *t)
{
    if (t == NULL || !t->has_db)
        return ITEE_ERR_ARG;
    if (t->root == NULL || (t->root->flags & F_STUB))
        return ITEE_OK;
    if ((t->root->flags & (F_NEW | F_DIRTY)) || t->dead.len > 0)
        return ITEE_ERR_ARG;
    uint8_t root[TRIE_HASH_LEN];
    enum itee_err e = trie_root(t, root);
    if (e != ITEE_OK)
        return e;
    struct tnode *r = itee_zalloc(sizeof(*r));
    if (r == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(r->ref, root, TRIE_HASH_LEN);
    r->ref_len = TRIE_HASH_LEN;
    r->flags = F_STUB | F_STORED;
    node_free(t->root);
    t->root = r;
    return ITEE_OK;
}

/* ---- keys as nibbles ---- */

/* Nibbles of a key, on the stack for typical keys. */
struct nibkey {
    uint8_t *p;         /* nibbles */
    size_t len;         /* number of nibbles */
    uint8_t small[256]; /* storage for keys up to 128 bytes */
};

static enum itee_err nibkey_init(struct nibkey *k, const uint8_t *key, size_t key_len)
{
    if ((key == NULL && key_len > 0) || key_len > TRIE_KEY_MAX)
        return ITEE_ERR_ARG;
    k->len = 2 * key_len;
    k->p = k->len <= sizeof(k->small) ? k->small : itee_alloc(k->len);
    if (k->p == NULL && k->len > 0)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < key_len; i++) {
        k->p[2 * i] = key[i] >> 4;
        k->p[2 * i + 1] = key[i] & 0x0f;
    }
    return ITEE_OK;
}

static void nibkey_free(struct nibkey *k)
{
    if (k->p != k->small)
        itee_free(k->p);
}

/* ---- insert / remove / get ---- */

static enum itee_err insert_at(struct trie *t, struct tnode **slot, const uint8_t *k, size_t kl,
                               const uint8_t *v, size_t vl, bool *changed)
{
    struct tnode *n = *slot;
    size_t pos = (size_t)(k - t->op_key); /* n's prefix is op_key[0, pos) */
    enum itee_err e;
    if (n == NULL) {
        struct tnode *leaf = node_new(k, kl, vl);
        if (leaf == NULL)
            return ITEE_ERR_NOMEM;
        if ((e = node_set_value(t, leaf, pos, v, vl, changed)) != ITEE_OK) {
            node_free(leaf);
            return e;
        }
        *slot = leaf;
        return ITEE_OK;
    }
    if ((e = node_load(t, n, t->op_key, pos)) != ITEE_OK)
        return e;
    size_t c = common_prefix(n->key, n->key_len, k, kl);
    if (c == n->key_len) {
        if (c == kl)
            return node_set_value(t, n, pos, v, vl, changed);
        if (n->kids == NULL) {
            n->kids = itee_zalloc(sizeof(*n->kids));
            if (n->kids == NULL)
                return ITEE_ERR_NOMEM;
        }
        struct tnode **cs = &n->kids->c[k[c]].node;
        bool had = *cs != NULL;
        if ((e = insert_at(t, cs, k + c + 1, kl - c - 1, v, vl, changed)) != ITEE_OK)
            return e;
        if (!had && *cs != NULL)
            n->nchildren++;
        if (*changed) {
            kid_changed(n->kids, k[c]);
            return mark_changed(t, n, t->op_key, pos);
        }
        return ITEE_OK;
    }
    /* the new key leaves n's partial key at nibble c: put a branch above n */
    struct tnode *b = node_new(k, c, c == kl ? vl : 0);
    struct tnode *leaf = NULL;
    if (b == NULL)
        return ITEE_ERR_NOMEM;
    b->kids = itee_zalloc(sizeof(*b->kids));
    if (b->kids == NULL)
        goto out_nomem;
    if (c == kl) {
        if ((e = node_set_value(t, b, pos, v, vl, changed)) != ITEE_OK)
            goto out_err;
    } else {
        leaf = node_new(k + c + 1, kl - c - 1, vl);
        if (leaf == NULL)
            goto out_nomem;
        if ((e = node_set_value(t, leaf, pos + c + 1, v, vl, changed)) != ITEE_OK)
            goto out_err;
        b->kids->c[k[c]].node = leaf;
        kid_changed(b->kids, k[c]);
        b->nchildren++;
    }
    /* n moves down: its stored entry (at prefix pos) goes, it is re-stored below b */
    if ((e = mark_changed(t, n, t->op_key, pos)) != ITEE_OK)
        goto out_err;
    uint8_t idx = n->key[c];
    memmove(n->key, n->key + c + 1, (size_t)n->key_len - c - 1);
    n->key_len = (uint16_t)(n->key_len - c - 1);
    b->kids->c[idx].node = n;
    kid_changed(b->kids, idx);
    b->nchildren++;
    *slot = b;
    *changed = true;
    return ITEE_OK;
out_nomem:
    e = ITEE_ERR_NOMEM;
out_err:
    node_free(leaf);
    if (b->kids != NULL)
        b->kids->c[k[c]].node = NULL;
    node_free(b);
    return e;
}

enum itee_err trie_insert(struct trie *t, const uint8_t *key, size_t key_len, const uint8_t *value,
                          size_t value_len)
{
    if (t == NULL || (value == NULL && value_len > 0) || value_len > UINT32_MAX)
        return ITEE_ERR_ARG;
    struct nibkey k;
    enum itee_err e = nibkey_init(&k, key, key_len);
    if (e != ITEE_OK)
        return e;
    bool changed = false;
    t->op_key = k.p;
    t->op_len = k.len;
    e = insert_at(t, &t->root, k.p, k.len, value, value_len, &changed);
    t->op_key = NULL;
    nibkey_free(&k);
    return e;
}

/*
 * Restores the invariants at *slot (whose node's prefix is op_key[0, pos) and whose partial key
 * matched the running key) after a value or child was removed below it.
 */
static enum itee_err normalize(struct trie *t, struct tnode **slot, size_t pos)
{
    struct tnode *n = *slot;
    if (n->has_value)
        return ITEE_OK;
    if (n->nchildren == 0) {
        node_free(n);
        *slot = NULL;
        return ITEE_OK;
    }
    if (n->nchildren > 1)
        return ITEE_OK;
    int i = 0;
    while (n->kids->c[i].node == NULL)
        i++;
    struct tnode *ch = n->kids->c[i].node;
    /* ch's prefix: n's path (op_key up to the end of n's partial key), then i */
    size_t cpl = pos + n->key_len;
    itee_buf_reset(&t->path);
    enum itee_err e = itee_buf_append(&t->path, t->op_key, cpl);
    if (e == ITEE_OK)
        e = itee_buf_push(&t->path, (uint8_t)i);
    if (e == ITEE_OK)
        e = node_load(t, ch, t->path.ptr, t->path.len);
    if (e == ITEE_OK)
        e = mark_changed(t, ch, t->path.ptr, t->path.len);
    if (e != ITEE_OK)
        return e;
    /* a branch with one child and no value merges into that child */
    size_t len = (size_t)n->key_len + 1 + ch->key_len;
    uint8_t *key = itee_alloc(len);
    if (key == NULL)
        return ITEE_ERR_NOMEM;
    if (n->key_len > 0)
        memcpy(key, n->key, n->key_len);
    key[n->key_len] = (uint8_t)i;
    if (ch->key_len > 0)
        memcpy(key + n->key_len + 1, ch->key, ch->key_len);
    if (!(ch->flags & F_KINL))
        itee_free(ch->key);
    ch->flags &= (uint16_t)~F_KINL;
    ch->key = key;
    ch->key_len = (uint16_t)len;
    n->kids->c[i].node = NULL;
    node_free(n);
    *slot = ch;
    return ITEE_OK;
}

static enum itee_err remove_at(struct trie *t, struct tnode **slot, const uint8_t *k, size_t kl,
                               bool *changed)
{
    struct tnode *n = *slot;
    if (n == NULL)
        return ITEE_OK;
    size_t pos = (size_t)(k - t->op_key);
    enum itee_err e = node_load(t, n, t->op_key, pos);
    if (e != ITEE_OK)
        return e;
    size_t c = common_prefix(n->key, n->key_len, k, kl);
    if (c < n->key_len)
        return ITEE_OK;
    if (c == kl) {
        if (!n->has_value)
            return ITEE_OK;
        if ((e = release_value(t, n)) != ITEE_OK)
            return e;
        value_drop(n);
        n->has_value = false;
        n->flags &= (uint16_t) ~(F_VHASHED | F_VABSENT | F_VNEW);
        *changed = true;
    } else {
        if (n->kids == NULL || n->kids->c[k[c]].node == NULL)
            return ITEE_OK;
        struct tnode **cs = &n->kids->c[k[c]].node;
        if ((e = remove_at(t, cs, k + c + 1, kl - c - 1, changed)) != ITEE_OK)
            return e;
        if (!*changed)
            return ITEE_OK;
        if (*cs == NULL)
            n->nchildren--;
        kid_changed(n->kids, k[c]);
    }
    if ((e = mark_changed(t, n, t->op_key, pos)) != ITEE_OK)
        return e;
    return normalize(t, slot, pos);
}

enum itee_err trie_remove(struct trie *t, const uint8_t *key, size_t key_len, bool *removed)
{
    if (removed != NULL)
        *removed = false;
    if (t == NULL)
        return ITEE_ERR_ARG;
    struct nibkey k;
    enum itee_err e = nibkey_init(&k, key, key_len);
    if (e != ITEE_OK)
        return e;
    bool changed = false;
    t->op_key = k.p;
    t->op_len = k.len;
    e = remove_at(t, &t->root, k.p, k.len, &changed);
    t->op_key = NULL;
    nibkey_free(&k);
    if (removed != NULL)
        *removed = changed;
    return e;
}

/* Finds the node holding exactly key k (NULL if none). */
static enum itee_err find_node(struct trie *t, const uint8_t *k, size_t kl, struct tnode **out)
{
    *out = NULL;
    struct tnode *n = t->root;
    size_t pos = 0;
    while (n != NULL) {
        enum itee_err e = node_load(t, n, k, pos);
        if (e != ITEE_OK)
            return e;
        size_t c = common_prefix(n->key, n->key_len, k + pos, kl - pos);
        if (c < n->key_len)
            return ITEE_OK;
        pos += c;
        if (pos == kl) {
            if (n->has_value)
                *out = n;
            return ITEE_OK;
        }
        if (n->kids == NULL)
            return ITEE_OK;
        n = n->kids->c[k[pos++]].node;
    }
    return ITEE_OK;
}

/*
 * Copies n's value (whose key is the nibbles key[0, kl)) into out, reading it from the db if
 * only its hash is in memory.
 */
static enum itee_err node_value(struct trie *t, struct tnode *n, const uint8_t *key, size_t kl,
                                struct itee_buf *out)
{
    itee_buf_reset(out);
    if (!(n->flags & F_VABSENT))
        return itee_buf_append(out, n->value, n->value_len);
    if (!t->has_db)
        return ITEE_ERR_NOENT;
    enum itee_err e = t->db.get(t->db.ctx, key, kl, n->value, out);
    if (e == ITEE_ERR_NOENT)
        return ITEE_ERR_TRIE_NODE; /* the node names a value the db does not have */
    if (e != ITEE_OK)
        return e;
    uint8_t h[TRIE_HASH_LEN];
    trie_hash(h, out->ptr, out->len);
    return memcmp(h, n->value, TRIE_HASH_LEN) == 0 ? ITEE_OK : ITEE_ERR_TRIE_HASH;
}

enum itee_err trie_get(struct trie *t, const uint8_t *key, size_t key_len, struct itee_buf *value,
                       bool *found)
{
    *found = false;
    if (t == NULL)
        return ITEE_ERR_ARG;
    struct nibkey k;
    enum itee_err e = nibkey_init(&k, key, key_len);
    if (e != ITEE_OK)
        return e;
    struct tnode *n;
    e = find_node(t, k.p, k.len, &n);
    if (e == ITEE_OK && n != NULL && value != NULL)
        e = node_value(t, n, k.p, k.len, value);
    if (e == ITEE_OK && n != NULL)
        *found = true;
    nibkey_free(&k);
    return e;
}

/* ---- iteration ---- */

struct iter_state {
    struct trie *t;         /* the trie */
    const uint8_t *prefix;  /* prefix, as nibbles */
    size_t prefix_len;      /* nibbles in prefix */
    const uint8_t *start;   /* exclusive lower bound, as nibbles (NULL: none) */
    size_t start_len;       /* nibbles in start */
    size_t limit;           /* max keys (0: no limit) */
    size_t count;           /* keys reported so far */
    bool with_values;       /* report values too */
    bool stop;              /* the callback or the limit ended the walk */
    trie_iter_fn fn;        /* callback */
    void *ctx;              /* callback context */
    struct itee_buf path;   /* nibbles from the root to the current node */
    struct itee_buf keybuf; /* packed key being reported */
    struct itee_buf valbuf; /* value being reported */
};

static enum itee_err iter_emit(struct iter_state *s, struct tnode *n)
{
    itee_buf_reset(&s->keybuf);
    enum itee_err e = itee_buf_reserve(&s->keybuf, s->path.len / 2);
    if (e != ITEE_OK)
        return e;
    for (size_t i = 0; i < s->path.len; i += 2)
        s->keybuf.ptr[i / 2] = (uint8_t)((s->path.ptr[i] << 4) | s->path.ptr[i + 1]);
    s->keybuf.len = s->path.len / 2;
    const uint8_t *v = NULL;
    size_t vl = 0;
    if (s->with_values) {
        if ((e = node_value(s->t, n, s->path.ptr, s->path.len, &s->valbuf)) != ITEE_OK)
            return e;
        v = s->valbuf.ptr != NULL ? s->valbuf.ptr : (const uint8_t *)"";
        vl = s->valbuf.len;
    }
    s->count++;
    if (!s->fn(s->ctx, s->keybuf.ptr, s->keybuf.len, v, vl) ||
        (s->limit != 0 && s->count >= s->limit))
        s->stop = true;
    return ITEE_OK;
}

/*
 * Visits n, whose path so far (before its partial key) is s->path. after_start says every
 * key below is already known to be greater than start.
 */
static enum itee_err iter_node(struct iter_state *s, struct tnode *n, bool after_start)
{
    enum itee_err e = node_load(s->t, n, s->path.ptr, s->path.len);
    if (e != ITEE_OK)
        return e;
    size_t base = s->path.len;
    if (base + n->key_len > 2 * TRIE_KEY_MAX + 2)
        return ITEE_ERR_TRIE_NODE;
    if ((e = itee_buf_append(&s->path, n->key, n->key_len)) != ITEE_OK)
        return e;
    const uint8_t *p = s->path.ptr;
    size_t L = s->path.len;
    /* prefix: the subtree matters only if its path agrees with the prefix */
    size_t m = L < s->prefix_len ? L : s->prefix_len;
    if (m > 0 && memcmp(p, s->prefix, m) != 0)
        goto out;
    if (!after_start && s->start != NULL) {
        size_t ms = L < s->start_len ? L : s->start_len;
        int cmp = ms > 0 ? memcmp(p, s->start, ms) : 0;
        if (cmp < 0)
            goto out;
        if (cmp > 0 || L > s->start_len)
            after_start = true;
    }
    bool key_ok = after_start || s->start == NULL;
    if (n->has_value && L >= s->prefix_len && (L & 1) == 0 && key_ok) {
        if ((e = iter_emit(s, n)) != ITEE_OK || s->stop)
            goto out;
    }
    for (int i = 0; n->kids != NULL && i < TRIE_RADIX && !s->stop; i++) {
        if (n->kids->c[i].node == NULL)
            continue;
        if (L < s->prefix_len && i != s->prefix[L])
            continue;
        bool child_after = after_start || s->start == NULL;
        if (!child_after && L < s->start_len) {
            if (i < s->start[L])
                continue;
            child_after = i > s->start[L];
        }
        if ((e = itee_buf_push(&s->path, (uint8_t)i)) != ITEE_OK)
            goto out;
        if (child_after) {
            /* the rest of this subtree is beyond start: the start test is no longer needed */
            e = iter_node(s, n->kids->c[i].node, true);
        } else {
            e = iter_node(s, n->kids->c[i].node, false);
        }
        s->path.len = L;
        if (e != ITEE_OK)
            goto out;
    }
out:
    s->path.len = base;
    return e;
}

enum itee_err trie_iter(struct trie *t, const uint8_t *prefix, size_t prefix_len,
                        const uint8_t *start, size_t start_len, size_t limit, bool with_values,
                        trie_iter_fn fn, void *ctx)
{
    if (t == NULL || fn == NULL)
        return ITEE_ERR_ARG;
    struct nibkey pk, sk;
    enum itee_err e = nibkey_init(&pk, prefix, prefix_len);
    if (e != ITEE_OK)
        return e;
    if ((e = nibkey_init(&sk, start, start != NULL ? start_len : 0)) != ITEE_OK) {
        nibkey_free(&pk);
        return e;
    }
    struct iter_state s;
    memset(&s, 0, sizeof(s));
    s.t = t;
    s.prefix = pk.p;
    s.prefix_len = pk.len;
    s.start = start != NULL ? sk.p : NULL;
    s.start_len = sk.len;
    s.limit = limit;
    s.with_values = with_values;
    s.fn = fn;
    s.ctx = ctx;
    itee_buf_init(&s.path, 0);
    itee_buf_init(&s.keybuf, 0);
    itee_buf_init(&s.valbuf, 0);
    if (t->root != NULL)
        e = iter_node(&s, t->root, false);
    itee_buf_free(&s.path);
    itee_buf_free(&s.keybuf);
    itee_buf_free(&s.valbuf);
    nibkey_free(&pk);
    nibkey_free(&sk);
    return e;
}

/* ---- proofs ---- */

void trie_proof_init(struct trie_proof *proof)
{
    memset(proof, 0, sizeof(*proof));
}

void trie_proof_free(struct trie_proof *proof)
{
    for (size_t i = 0; i < proof->count; i++)
        itee_free((void *)proof->nodes[i].ptr);
    itee_free(proof->nodes);
    memset(proof, 0, sizeof(*proof));
}

enum itee_err trie_proof_add(struct trie_proof *proof, const uint8_t *node, size_t len)
{
    if (proof->count == proof->cap) {
        size_t cap = proof->cap ? 2 * proof->cap : 16;
        struct itee_slice *p = itee_realloc(proof->nodes, cap * sizeof(*p));
        if (p == NULL)
            return ITEE_ERR_NOMEM;
        proof->nodes = p;
        proof->cap = cap;
    }
    uint8_t *copy = itee_alloc(len > 0 ? len : 1);
    if (copy == NULL)
        return ITEE_ERR_NOMEM;
    if (len > 0)
        memcpy(copy, node, len);
    proof->nodes[proof->count++] = itee_slice_make(copy, len);
    return ITEE_OK;
}

/* Nodes flagged while building a proof, so the flags can be cleared afterwards. */
struct marks {
    struct tnode **v; /* flagged nodes */
    size_t n, cap;    /* used and allocated entries */
};

static enum itee_err marks_push(struct marks *m, struct tnode *n)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        struct tnode **p = itee_realloc(m->v, cap * sizeof(*p));
        if (p == NULL)
            return ITEE_ERR_NOMEM;
        m->v = p;
        m->cap = cap;
    }
    m->v[m->n++] = n;
    return ITEE_OK;
}

static enum itee_err prove_key(struct trie *t, const uint8_t *k, size_t kl, struct marks *m,
                               struct trie_proof *proof)
{
    struct tnode *n = t->root;
    size_t pos = 0;
    bool is_root = true;
    enum itee_err e;
    while (n != NULL) {
        if ((e = node_load(t, n, k, pos)) != ITEE_OK)
            return e;
        if (!(n->flags & F_MARK)) {
            if ((e = marks_push(m, n)) != ITEE_OK)
                return e;
            n->flags |= F_MARK;
            if (is_root || n->ref_len == TRIE_HASH_LEN) {
                itee_buf_reset(&t->enc);
                if ((e = encode_node(n, &t->enc)) != ITEE_OK)
                    return e;
                if ((e = trie_proof_add(proof, t->enc.ptr, t->enc.len)) != ITEE_OK)
                    return e;
            }
        }
        is_root = false;
        size_t c = common_prefix(n->key, n->key_len, k + pos, kl - pos);
        if (c < n->key_len)
            return ITEE_OK;
        pos += c;
        if (pos == kl) {
            if (n->has_value && (n->flags & F_VHASHED) && !(n->flags & F_VMARK)) {
                n->flags |= F_VMARK;
                if ((e = node_value(t, n, k, kl, &t->io)) != ITEE_OK)
                    return e;
                if ((e = trie_proof_add(proof, t->io.ptr, t->io.len)) != ITEE_OK)
                    return e;
            }
            return ITEE_OK;
        }
        if (n->kids == NULL)
            return ITEE_OK;
        n = n->kids->c[k[pos++]].node;
    }
    return ITEE_OK;
}

enum itee_err trie_prove(struct trie *t, const struct itee_slice *keys, size_t n,
                         struct trie_proof *proof)
{
    if (t == NULL || (keys == NULL && n > 0))
        return ITEE_ERR_ARG;
    uint8_t root[TRIE_HASH_LEN];
    enum itee_err e = trie_root(t, root);
    if (e != ITEE_OK)
        return e;
    if (t->root == NULL) {
        static const uint8_t empty = 0;
        return trie_proof_add(proof, &empty, 1);
    }
    struct marks m = {NULL, 0, 0};
    for (size_t i = 0; i < n && e == ITEE_OK; i++) {
        struct nibkey k;
        if ((e = nibkey_init(&k, keys[i].ptr, keys[i].len)) != ITEE_OK)
            break;
        e = prove_key(t, k.p, k.len, &m, proof);
        nibkey_free(&k);
    }
    for (size_t i = 0; i < m.n; i++)
        m.v[i]->flags &= (uint16_t) ~(F_MARK | F_VMARK);
    itee_free(m.v);
    return e;
}

/* ---- one-shot roots ---- */

enum itee_err trie_root_of(enum trie_layout layout, const struct itee_slice *keys,
                           const struct itee_slice *values, size_t n, uint8_t root[TRIE_HASH_LEN])
{
    memset(root, 0, TRIE_HASH_LEN);
    struct trie *t;
    enum itee_err e = trie_new(&t, layout, NULL);
    if (e != ITEE_OK)
        return e;
    for (size_t i = 0; i < n && e == ITEE_OK; i++)
        e = trie_insert(t, keys[i].ptr, keys[i].len, values[i].ptr, values[i].len);
    if (e == ITEE_OK)
        e = trie_root(t, root);
    trie_free(t);
    return e;
}

enum itee_err trie_ordered_root(enum trie_layout layout, const struct itee_slice *items, size_t n,
                                uint8_t root[TRIE_HASH_LEN])
{
    memset(root, 0, TRIE_HASH_LEN);
    if (n > UINT32_MAX || (items == NULL && n > 0))
        return ITEE_ERR_ARG;
    struct trie *t;
    enum itee_err e = trie_new(&t, layout, NULL);
    if (e != ITEE_OK)
        return e;
    for (size_t i = 0; i < n && e == ITEE_OK; i++) {
        uint8_t key[SCALE_COMPACT_MAX_LEN];
        size_t kl = scale_encode_compact(key, (itee_u128)i);
        e = trie_insert(t, key, kl, items[i].ptr, items[i].len);
    }
    if (e == ITEE_OK)
        e = trie_root(t, root);
    trie_free(t);
    return e;
}
