/*
 * trie_node.c - strict codec for sp-trie nodes (see trie_node.h and spec section 7.2).
 */
#include "trie/trie_node.h"

#include <string.h>

#include "codec/scale.h"
#include "crypto/hash.h"

/* Header prefixes and the number of bits left for the nibble count. */
#define PFX_LEAF          0x40
#define PFX_BRANCH        0x80
#define PFX_BRANCH_VALUE  0xC0
#define PFX_LEAF_HASHED   0x20
#define PFX_BRANCH_HASHED 0x10

uint8_t trie_node_partial_nibble(const struct trie_node_view *node, size_t i)
{
    /* odd counts carry a pad nibble in front, so shift the index by one */
    size_t j = i + (node->nibble_count & 1);
    uint8_t b = node->partial[j / 2];
    return (j & 1) ? (uint8_t)(b & 0x0f) : (uint8_t)(b >> 4);
}

void trie_hash(uint8_t out[TRIE_HASH_LEN], const uint8_t *in, size_t len)
{
    hash_blake2_256(out, in, len);
}

void trie_empty_root(uint8_t out[TRIE_HASH_LEN])
{
    static const uint8_t empty = 0;
    trie_hash(out, &empty, 1);
}

/* Reads the rest of the nibble count after a first byte whose count field is max. */
static enum itee_err read_count(struct scale_reader *r, size_t first_field, size_t max, size_t *n)
{
    size_t count = first_field;
    if (count < max) {
        *n = count;
        return ITEE_OK;
    }
    for (;;) {
        uint8_t b;
        if (scale_read_u8(r, &b) != ITEE_OK)
            return ITEE_ERR_TRIE_NODE;
        count += b;
        if (count > TRIE_NIBBLE_MAX)
            return ITEE_ERR_TRIE_NODE;
        if (b < 255)
            break;
    }
    *n = count;
    return ITEE_OK;
}

/* Reads an inline value: Compact(len) || bytes. */
static enum itee_err read_inline(struct scale_reader *r, struct itee_slice *out)
{
    return scale_read_vec_u8(r, out) == ITEE_OK ? ITEE_OK : ITEE_ERR_TRIE_NODE;
}

static enum itee_err decode_body(struct trie_node_view *node, struct scale_reader *r)
{
    size_t pbytes = (node->nibble_count + 1) / 2;
    struct itee_slice partial;
    if (scale_read_slice(r, pbytes, &partial) != ITEE_OK)
        return ITEE_ERR_TRIE_NODE;
    node->partial = partial.ptr;
    /* the pad nibble of an odd-length key must be zero, or two encodings would mean one node */
    if ((node->nibble_count & 1) && (partial.ptr[0] & 0xf0) != 0)
        return ITEE_ERR_TRIE_NODE;
    if (node->kind == TRIE_NODE_BRANCH) {
        uint16_t bitmap;
        if (scale_read_u16(r, &bitmap) != ITEE_OK || bitmap == 0)
            return ITEE_ERR_TRIE_NODE;
        node->bitmap = bitmap;
    }
    if (node->value_kind == TRIE_VALUE_INLINE) {
        if (read_inline(r, &node->value) != ITEE_OK)
            return ITEE_ERR_TRIE_NODE;
    } else if (node->value_kind == TRIE_VALUE_HASHED) {
        if (scale_read_slice(r, TRIE_HASH_LEN, &node->value) != ITEE_OK)
            return ITEE_ERR_TRIE_NODE;
    }
    for (int i = 0; i < TRIE_RADIX; i++) {
        if (!(node->bitmap & (1u << i)))
            continue;
        if (read_inline(r, &node->children[i]) != ITEE_OK)
            return ITEE_ERR_TRIE_NODE;
        /* 32 bytes are a hash; an inline child is shorter; nothing longer is valid */
        if (node->children[i].len > TRIE_HASH_LEN || node->children[i].len == 0)
            return ITEE_ERR_TRIE_NODE;
    }
    return scale_reader_finish(r) == ITEE_OK ? ITEE_OK : ITEE_ERR_TRIE_NODE;
}

enum itee_err trie_node_decode(struct trie_node_view *node, const uint8_t *in, size_t len)
{
    memset(node, 0, sizeof(*node));
    if (in == NULL || len == 0)
        return ITEE_ERR_TRIE_NODE;
    struct scale_reader r;
    scale_reader_init(&r, in, len);
    uint8_t h = in[0];
    r.pos = 1;
    size_t field, max;
    if (h == 0) {
        if (len != 1)
            goto fail;
        node->kind = TRIE_NODE_EMPTY;
        return ITEE_OK;
    }
    switch (h & 0xC0) {
    case PFX_LEAF:
        node->kind = TRIE_NODE_LEAF;
        node->value_kind = TRIE_VALUE_INLINE;
        field = h & 0x3f, max = 0x3f;
        break;
    case PFX_BRANCH:
        node->kind = TRIE_NODE_BRANCH;
        node->value_kind = TRIE_VALUE_NONE;
        field = h & 0x3f, max = 0x3f;
        break;
    case PFX_BRANCH_VALUE:
        node->kind = TRIE_NODE_BRANCH;
        node->value_kind = TRIE_VALUE_INLINE;
        field = h & 0x3f, max = 0x3f;
        break;
    default:
        if ((h & 0xE0) == PFX_LEAF_HASHED) {
            node->kind = TRIE_NODE_LEAF;
            node->value_kind = TRIE_VALUE_HASHED;
            field = h & 0x1f, max = 0x1f;
        } else if ((h & 0xF0) == PFX_BRANCH_HASHED) {
            node->kind = TRIE_NODE_BRANCH;
            node->value_kind = TRIE_VALUE_HASHED;
            field = h & 0x0f, max = 0x0f;
        } else {
            goto fail; /* 01 is reserved for compact proofs; 02..0f are unused */
        }
    }
    if (read_count(&r, field, max, &node->nibble_count) != ITEE_OK)
        goto fail;
    if (decode_body(node, &r) != ITEE_OK)
        goto fail;
    return ITEE_OK;
fail:
    memset(node, 0, sizeof(*node));
    return ITEE_ERR_TRIE_NODE;
}

enum itee_err trie_node_put_header(struct itee_buf *out, enum trie_node_kind kind,
                                   enum trie_value_kind value_kind, size_t nibble_count)
{
    uint8_t prefix;
    size_t max;
    if (nibble_count > TRIE_NIBBLE_MAX)
        return ITEE_ERR_ARG;
    if (kind == TRIE_NODE_EMPTY)
        return itee_buf_push(out, 0);
    if (kind == TRIE_NODE_LEAF) {
        if (value_kind == TRIE_VALUE_INLINE)
            prefix = PFX_LEAF, max = 0x3f;
        else if (value_kind == TRIE_VALUE_HASHED)
            prefix = PFX_LEAF_HASHED, max = 0x1f;
        else
            return ITEE_ERR_ARG;
    } else if (kind == TRIE_NODE_BRANCH) {
        if (value_kind == TRIE_VALUE_NONE)
            prefix = PFX_BRANCH, max = 0x3f;
        else if (value_kind == TRIE_VALUE_INLINE)
            prefix = PFX_BRANCH_VALUE, max = 0x3f;
        else
            prefix = PFX_BRANCH_HASHED, max = 0x0f;
    } else {
        return ITEE_ERR_ARG;
    }
    uint8_t tmp[1 + TRIE_NIBBLE_MAX / 255 + 2];
    size_t n = 0;
    if (nibble_count < max) {
        tmp[n++] = (uint8_t)(prefix | nibble_count);
    } else {
        tmp[n++] = (uint8_t)(prefix | max);
        size_t rest = nibble_count - max;
        while (rest >= 255) {
            tmp[n++] = 255;
            rest -= 255;
        }
        tmp[n++] = (uint8_t)rest;
    }
    return itee_buf_append(out, tmp, n);
}

enum itee_err trie_node_put_partial(struct itee_buf *out, const uint8_t *nibbles, size_t n)
{
    enum itee_err e = itee_buf_reserve(out, (n + 1) / 2);
    if (e != ITEE_OK)
        return e;
    uint8_t *p = out->ptr + out->len;
    size_t i = 0;
    if (n & 1)
        *p++ = nibbles[i++] & 0x0f;
    for (; i < n; i += 2)
        *p++ = (uint8_t)((nibbles[i] << 4) | (nibbles[i + 1] & 0x0f));
    out->len += (n + 1) / 2;
    return ITEE_OK;
}

/* Appends Compact(len) || bytes. */
static enum itee_err put_inline(struct itee_buf *out, struct itee_slice s)
{
    enum itee_err e = scale_put_compact(out, s.len);
    if (e != ITEE_OK)
        return e;
    return itee_buf_append(out, s.ptr, s.len);
}

enum itee_err trie_node_encode(struct itee_buf *out, const struct trie_node_view *node)
{
    enum itee_err e = trie_node_put_header(out, node->kind, node->value_kind, node->nibble_count);
    if (e != ITEE_OK || node->kind == TRIE_NODE_EMPTY)
        return e;
    e = itee_buf_append(out, node->partial, (node->nibble_count + 1) / 2);
    if (e != ITEE_OK)
        return e;
    if (node->kind == TRIE_NODE_BRANCH) {
        uint8_t bm[2] = {(uint8_t)(node->bitmap & 0xff), (uint8_t)(node->bitmap >> 8)};
        if ((e = itee_buf_append(out, bm, 2)) != ITEE_OK)
            return e;
    }
    if (node->value_kind == TRIE_VALUE_INLINE)
        e = put_inline(out, node->value);
    else if (node->value_kind == TRIE_VALUE_HASHED)
        e = itee_buf_append(out, node->value.ptr, node->value.len);
    if (e != ITEE_OK)
        return e;
    for (int i = 0; i < TRIE_RADIX && node->kind == TRIE_NODE_BRANCH; i++) {
        if (!(node->bitmap & (1u << i)))
            continue;
        if ((e = put_inline(out, node->children[i])) != ITEE_OK)
            return e;
    }
    return ITEE_OK;
}
