/*
 * trie_proof.c - read-proof verification: index the proof's nodes by hash, walk each key from
 * the root, and account for every node used (see trie_proof.h).
 */
#include "trie/trie_proof.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

/* One proof node, indexed by its hash. */
struct entry {
    uint8_t hash[TRIE_HASH_LEN]; /* blake2_256 of the node */
    size_t idx;                  /* position in the caller's node array */
};

struct index {
    struct entry *e; /* sorted by hash */
    size_t n;        /* entries */
    bool *used;      /* used[idx]: some key needed node idx */
};

static int entry_cmp(const void *a, const void *b)
{
    return memcmp(((const struct entry *)a)->hash, ((const struct entry *)b)->hash, TRIE_HASH_LEN);
}

/* Returns: the node array position of the node with this hash, or -1. */
static long index_find(const struct index *ix, const uint8_t *hash)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(ix->e[mid].hash, hash, TRIE_HASH_LEN);
        if (c == 0)
            return (long)ix->e[mid].idx;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Looks a hash up, marking the node used. Out: *out the node bytes. */
static enum itee_err fetch(struct index *ix, const struct itee_slice *nodes, const uint8_t *hash,
                           struct itee_slice *out)
{
    long i = index_find(ix, hash);
    if (i < 0)
        return ITEE_ERR_TRIE_PROOF;
    ix->used[i] = true;
    *out = nodes[i];
    return ITEE_OK;
}

static uint8_t key_nibble(const struct itee_slice *key, size_t i)
{
    uint8_t b = key->ptr[i / 2];
    return (i & 1) ? (uint8_t)(b & 0x0f) : (uint8_t)(b >> 4);
}

/* Walks one key. Out: *res. */
static enum itee_err walk(struct index *ix, const struct itee_slice *nodes, const uint8_t *root,
                          const struct itee_slice *key, struct trie_proof_value *res)
{
    struct itee_slice cur;
    enum itee_err e = fetch(ix, nodes, root, &cur);
    if (e != ITEE_OK)
        return e;
    size_t kn = 2 * key->len, pos = 0;
    bool at_root = true;
    for (;;) {
        struct trie_node_view v;
        if (trie_node_decode(&v, cur.ptr, cur.len) != ITEE_OK)
            return ITEE_ERR_TRIE_PROOF;
        if (v.kind == TRIE_NODE_EMPTY) {
            /* only the root of an empty trie may be the empty node */
            return at_root ? ITEE_OK : ITEE_ERR_TRIE_PROOF;
        }
        at_root = false;
        for (size_t i = 0; i < v.nibble_count; i++) {
            if (pos + i >= kn || trie_node_partial_nibble(&v, i) != key_nibble(key, pos + i))
                return ITEE_OK; /* the key leaves the trie inside this partial key: absent */
        }
        pos += v.nibble_count;
        if (pos == kn) {
            if (v.value_kind == TRIE_VALUE_NONE)
                return ITEE_OK;
            if (v.value_kind == TRIE_VALUE_HASHED) {
                if ((e = fetch(ix, nodes, v.value.ptr, &res->value)) != ITEE_OK)
                    return e;
            } else {
                res->value = v.value;
            }
            res->present = true;
            return ITEE_OK;
        }
        if (v.kind == TRIE_NODE_LEAF)
            return ITEE_OK;
        struct itee_slice child = v.children[key_nibble(key, pos++)];
        if (child.ptr == NULL)
            return ITEE_OK;
        if (child.len == TRIE_HASH_LEN) {
            if ((e = fetch(ix, nodes, child.ptr, &cur)) != ITEE_OK)
                return e;
        } else {
            cur = child; /* an inline node, decoded in place */
        }
    }
}

enum itee_err trie_proof_verify(const uint8_t root[TRIE_HASH_LEN], const struct itee_slice *nodes,
                                size_t n_nodes, const struct itee_slice *keys, size_t n_keys,
                                struct trie_proof_value *results, unsigned flags)
{
    if (results != NULL && n_keys > 0)
        memset(results, 0, n_keys * sizeof(*results));
    if (root == NULL || (nodes == NULL && n_nodes > 0) || (keys == NULL && n_keys > 0) ||
        (results == NULL && n_keys > 0))
        return ITEE_ERR_ARG;
    for (size_t i = 0; i < n_nodes; i++)
        if (nodes[i].ptr == NULL && nodes[i].len > 0)
            return ITEE_ERR_ARG;
    for (size_t i = 0; i < n_keys; i++)
        if (keys[i].ptr == NULL && keys[i].len > 0)
            return ITEE_ERR_ARG;
    enum itee_err e = ITEE_ERR_NOMEM;
    struct index ix = {NULL, n_nodes, NULL};
    ix.e = itee_alloc_array(n_nodes > 0 ? n_nodes : 1, sizeof(*ix.e));
    ix.used = itee_zalloc(n_nodes > 0 ? n_nodes : 1);
    if (ix.e == NULL || ix.used == NULL)
        goto out;
    for (size_t i = 0; i < n_nodes; i++) {
        trie_hash(ix.e[i].hash, nodes[i].ptr, nodes[i].len);
        ix.e[i].idx = i;
    }
    qsort(ix.e, n_nodes, sizeof(*ix.e), entry_cmp);
    e = ITEE_ERR_TRIE_PROOF;
    if (flags & TRIE_PROOF_STRICT) {
        for (size_t i = 1; i < n_nodes; i++)
            if (memcmp(ix.e[i - 1].hash, ix.e[i].hash, TRIE_HASH_LEN) == 0)
                goto out;
    }
    for (size_t i = 0; i < n_keys; i++) {
        if ((e = walk(&ix, nodes, root, &keys[i], &results[i])) != ITEE_OK)
            goto out;
    }
    e = ITEE_OK;
    if (flags & TRIE_PROOF_STRICT) {
        for (size_t i = 0; i < n_nodes; i++)
            if (!ix.used[i])
                e = ITEE_ERR_TRIE_PROOF;
    }
out:
    if (e != ITEE_OK && results != NULL && n_keys > 0)
        memset(results, 0, n_keys * sizeof(*results));
    itee_free(ix.e);
    itee_free(ix.used);
    return e;
}
