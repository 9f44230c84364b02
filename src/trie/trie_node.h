/*
 * trie_node.h - the node codec of Substrate's base-16 Merkle-Patricia trie (sp-trie NodeCodec,
 * LayoutV0 and LayoutV1), spec/substrate-compat.md section 7.2.
 *
 * A node is: header (kind + nibble count) || packed partial key || leaf value, or
 * bitmap (u16 LE) || optional value || child references. Values are inline (Compact(len) ||
 * bytes) or, under V1 for values of 33 bytes or more, the 32-byte blake2-256 of the value.
 * A child reference is Compact(len) || data: 32 bytes of data are the child's hash, fewer are
 * the child's whole (inline) encoding.
 *
 * The decoder is strict: every byte string it accepts is the unique encoding of its node, so
 * trie_node_encode(trie_node_decode(x)) == x. That is what makes a proof node's hash a
 * commitment to exactly one node.
 */
#ifndef ITEE_TRIE_NODE_H
#define ITEE_TRIE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

/* Node and value hashes are blake2-256. */
#define TRIE_HASH_LEN 32
/* Under LayoutV1 a value of this many bytes or more is stored by hash. */
#define TRIE_V1_HASH_THRESHOLD 33
/* The largest partial key (in nibbles) the header can describe. */
#define TRIE_NIBBLE_MAX 65535
/* Number of children of a branch (radix 16). */
#define TRIE_RADIX 16

/* Which sp-trie layout the trie follows. */
enum trie_layout {
    TRIE_LAYOUT_V0 = 0, /* values always inline */
    TRIE_LAYOUT_V1 = 1, /* values of >= 33 bytes stored by hash */
};

enum trie_node_kind {
    TRIE_NODE_EMPTY = 0,  /* the single byte 00: the root of an empty trie */
    TRIE_NODE_LEAF = 1,   /* partial key and a value, no children */
    TRIE_NODE_BRANCH = 2, /* partial key, children, maybe a value */
};

enum trie_value_kind {
    TRIE_VALUE_NONE = 0,   /* branch without value */
    TRIE_VALUE_INLINE = 1, /* value bytes are in the node */
    TRIE_VALUE_HASHED = 2, /* the node holds blake2_256(value); the value is stored apart */
};

/* A decoded node: a view into the encoded bytes (nothing is copied). */
struct trie_node_view {
    enum trie_node_kind kind;               /* empty, leaf or branch */
    size_t nibble_count;                    /* length of the partial key in nibbles */
    const uint8_t *partial;                 /* packed partial key, (nibble_count+1)/2 bytes */
    enum trie_value_kind value_kind;        /* none (branch only), inline or hashed */
    struct itee_slice value;                /* inline value bytes, or the 32-byte value hash */
    uint16_t bitmap;                        /* bit i set when child i exists (branch only) */
    struct itee_slice children[TRIE_RADIX]; /* child references: 32 bytes = hash, else inline */
};

/* Returns: nibble i (0 <= i < nibble_count) of the node's partial key. */
uint8_t trie_node_partial_nibble(const struct trie_node_view *node, size_t i);

/*
 * Decodes one node strictly (canonical header and compacts, zero padding nibble, no trailing
 * bytes, non-empty bitmap, child references of at most 32 bytes).
 * Out: node (views into in; zeroed on failure).
 * Returns: ITEE_OK or ITEE_ERR_TRIE_NODE.
 */
ITEE_MUST_CHECK enum itee_err trie_node_decode(struct trie_node_view *node, const uint8_t *in,
                                               size_t len);

/*
 * Appends the encoding of node to out (the inverse of trie_node_decode).
 * Returns: ITEE_OK, ITEE_ERR_ARG for a node that cannot be encoded, or an itee_buf error.
 */
ITEE_MUST_CHECK enum itee_err trie_node_encode(struct itee_buf *out,
                                               const struct trie_node_view *node);

/*
 * Appends a node header: kind/value kind prefix and nibble count (nibble_count <= 65535).
 * Returns: ITEE_OK, ITEE_ERR_ARG or an itee_buf error.
 */
ITEE_MUST_CHECK enum itee_err trie_node_put_header(struct itee_buf *out, enum trie_node_kind kind,
                                                   enum trie_value_kind value_kind,
                                                   size_t nibble_count);

/*
 * Appends a partial key given as n nibbles (one per byte, each < 16), packed two per byte
 * with a leading zero pad nibble when n is odd.
 */
ITEE_MUST_CHECK enum itee_err trie_node_put_partial(struct itee_buf *out, const uint8_t *nibbles,
                                                    size_t n);

/* Writes blake2_256(in) to out. */
void trie_hash(uint8_t out[TRIE_HASH_LEN], const uint8_t *in, size_t len);

/* The root of the empty trie: blake2_256(00). */
void trie_empty_root(uint8_t out[TRIE_HASH_LEN]);

#endif
