/*
 * scale.c - SCALE codec primitives: consuming reader, buffer writers, compact integers,
 * BTreeMap entry sorting. See scale.h for the contract (atomic reads, strict compacts).
 */
#include "codec/scale.h"

#include <string.h>

#include "common/utf8.h"

void scale_reader_init(struct scale_reader *r, const uint8_t *ptr, size_t len)
{
    r->ptr = ptr;
    r->len = ptr == NULL ? 0 : len;
    r->pos = 0;
}

size_t scale_reader_remaining(const struct scale_reader *r)
{
    return r->len - r->pos;
}

enum itee_err scale_reader_finish(const struct scale_reader *r)
{
    return r->pos == r->len ? ITEE_OK : ITEE_ERR_SCALE_TRAILING;
}

/* Returns: a pointer to the next n bytes and consumes them, or NULL if fewer remain. */
static const uint8_t *take(struct scale_reader *r, size_t n)
{
    if (n > r->len - r->pos)
        return NULL;
    const uint8_t *p = r->ptr + r->pos;
    r->pos += n;
    return p;
}

enum itee_err scale_reader_sub(struct scale_reader *parent, size_t n, struct scale_reader *child)
{
    scale_reader_init(child, NULL, 0);
    const uint8_t *p = take(parent, n);
    if (p == NULL)
        return ITEE_ERR_SCALE_EOF;
    scale_reader_init(child, p, n);
    return ITEE_OK;
}

/* Little-endian load of n <= 16 bytes. */
static itee_u128 load_le(const uint8_t *p, size_t n)
{
    itee_u128 v = 0;
    for (size_t i = n; i > 0; i--)
        v = (v << 8) | p[i - 1];
    return v;
}

static void store_le(uint8_t *p, itee_u128 v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Reads an n-byte little-endian unsigned integer (n <= 16). */
static enum itee_err read_uint(struct scale_reader *r, size_t n, itee_u128 *out)
{
    *out = 0;
    const uint8_t *p = take(r, n);
    if (p == NULL)
        return ITEE_ERR_SCALE_EOF;
    *out = load_le(p, n);
    return ITEE_OK;
}

enum itee_err scale_read_u8(struct scale_reader *r, uint8_t *out)
{
    itee_u128 v;
    enum itee_err e = read_uint(r, 1, &v);
    *out = (uint8_t)v;
    return e;
}

enum itee_err scale_read_u16(struct scale_reader *r, uint16_t *out)
{
    itee_u128 v;
    enum itee_err e = read_uint(r, 2, &v);
    *out = (uint16_t)v;
    return e;
}

enum itee_err scale_read_u32(struct scale_reader *r, uint32_t *out)
{
    itee_u128 v;
    enum itee_err e = read_uint(r, 4, &v);
    *out = (uint32_t)v;
    return e;
}

enum itee_err scale_read_u64(struct scale_reader *r, uint64_t *out)
{
    itee_u128 v;
    enum itee_err e = read_uint(r, 8, &v);
    *out = (uint64_t)v;
    return e;
}

enum itee_err scale_read_u128(struct scale_reader *r, itee_u128 *out)
{
    return read_uint(r, 16, out);
}

/* Signed reads reuse the unsigned ones: the conversion is two's complement on our targets. */
enum itee_err scale_read_i8(struct scale_reader *r, int8_t *out)
{
    uint8_t v;
    enum itee_err e = scale_read_u8(r, &v);
    *out = (int8_t)v;
    return e;
}

enum itee_err scale_read_i16(struct scale_reader *r, int16_t *out)
{
    uint16_t v;
    enum itee_err e = scale_read_u16(r, &v);
    *out = (int16_t)v;
    return e;
}

enum itee_err scale_read_i32(struct scale_reader *r, int32_t *out)
{
    uint32_t v;
    enum itee_err e = scale_read_u32(r, &v);
    *out = (int32_t)v;
    return e;
}

enum itee_err scale_read_i64(struct scale_reader *r, int64_t *out)
{
    uint64_t v;
    enum itee_err e = scale_read_u64(r, &v);
    *out = (int64_t)v;
    return e;
}

enum itee_err scale_read_i128(struct scale_reader *r, itee_i128 *out)
{
    itee_u128 v;
    enum itee_err e = scale_read_u128(r, &v);
    *out = (itee_i128)v;
    return e;
}

enum itee_err scale_read_bytes(struct scale_reader *r, uint8_t *out, size_t n)
{
    const uint8_t *p = take(r, n);
    if (p == NULL) {
        if (n > 0)
            memset(out, 0, n);
        return ITEE_ERR_SCALE_EOF;
    }
    if (n > 0)
        memcpy(out, p, n);
    return ITEE_OK;
}

enum itee_err scale_read_slice(struct scale_reader *r, size_t n, struct itee_slice *out)
{
    *out = itee_slice_make(NULL, 0);
    const uint8_t *p = take(r, n);
    if (p == NULL)
        return ITEE_ERR_SCALE_EOF;
    *out = itee_slice_make(p, n);
    return ITEE_OK;
}

/* Reads one byte that must be 0 or 1; bad is the error for any other value. */
static enum itee_err read_flag(struct scale_reader *r, bool *out, enum itee_err bad)
{
    *out = false;
    if (r->pos == r->len)
        return ITEE_ERR_SCALE_EOF;
    uint8_t b = r->ptr[r->pos];
    if (b > 1)
        return bad;
    r->pos++;
    *out = b == 1;
    return ITEE_OK;
}

enum itee_err scale_read_bool(struct scale_reader *r, bool *out)
{
    return read_flag(r, out, ITEE_ERR_SCALE_BOOL);
}

enum itee_err scale_read_option(struct scale_reader *r, bool *some)
{
    return read_flag(r, some, ITEE_ERR_SCALE_OPTION);
}

enum itee_err scale_read_result(struct scale_reader *r, bool *is_err)
{
    return read_flag(r, is_err, ITEE_ERR_SCALE_VARIANT);
}

enum itee_err scale_read_variant(struct scale_reader *r, uint8_t *index)
{
    return scale_read_u8(r, index);
}

/*
 * The common compact decoder: at most max_bytes value bytes in big mode (4 for Compact<u32>,
 * 8 for u64, 16 for u128). Does not consume on failure.
 */
static enum itee_err read_compact(struct scale_reader *r, size_t max_bytes, itee_u128 *out)
{
    *out = 0;
    size_t rem = r->len - r->pos;
    if (rem == 0)
        return ITEE_ERR_SCALE_EOF;
    const uint8_t *p = r->ptr + r->pos;
    itee_u128 v;
    size_t used;
    switch (p[0] & 3) {
    case 0:
        v = p[0] >> 2;
        used = 1;
        break;
    case 1:
        if (rem < 2)
            return ITEE_ERR_SCALE_EOF;
        v = load_le(p, 2) >> 2;
        if (v < 64)
            return ITEE_ERR_SCALE_NONCANONICAL;
        used = 2;
        break;
    case 2:
        if (rem < 4)
            return ITEE_ERR_SCALE_EOF;
        v = load_le(p, 4) >> 2;
        if (v < ((itee_u128)1 << 14))
            return ITEE_ERR_SCALE_NONCANONICAL;
        used = 4;
        break;
    default: {
        size_t n = (size_t)(p[0] >> 2) + 4;
        /* parity-scale-codec rejects the prefix before reading the value bytes */
        if (n > max_bytes)
            return ITEE_ERR_SCALE_OVERFLOW;
        if (rem - 1 < n)
            return ITEE_ERR_SCALE_EOF;
        v = load_le(p + 1, n);
        if (n == 4 ? v < ((itee_u128)1 << 30) : p[n] == 0)
            return ITEE_ERR_SCALE_NONCANONICAL;
        used = 1 + n;
        break;
    }
    }
    r->pos += used;
    *out = v;
    return ITEE_OK;
}

enum itee_err scale_read_compact_u32(struct scale_reader *r, uint32_t *out)
{
    itee_u128 v;
    enum itee_err e = read_compact(r, 4, &v);
    *out = (uint32_t)v;
    return e;
}

enum itee_err scale_read_compact_u64(struct scale_reader *r, uint64_t *out)
{
    itee_u128 v;
    enum itee_err e = read_compact(r, 8, &v);
    *out = (uint64_t)v;
    return e;
}

enum itee_err scale_read_compact_u128(struct scale_reader *r, itee_u128 *out)
{
    return read_compact(r, 16, out);
}

enum itee_err scale_read_len(struct scale_reader *r, size_t *n, size_t min_elem_size)
{
    *n = 0;
    size_t start = r->pos;
    uint32_t v;
    enum itee_err e = scale_read_compact_u32(r, &v);
    if (e != ITEE_OK)
        return e;
    /* division, not multiplication, so a hostile count cannot overflow the check */
    if (min_elem_size > 0 && v > (r->len - r->pos) / min_elem_size) {
        r->pos = start;
        return ITEE_ERR_SCALE_LENGTH;
    }
    *n = v;
    return ITEE_OK;
}

enum itee_err scale_read_vec_u8(struct scale_reader *r, struct itee_slice *out)
{
    *out = itee_slice_make(NULL, 0);
    size_t start = r->pos;
    size_t n;
    enum itee_err e = scale_read_len(r, &n, 1);
    if (e != ITEE_OK)
        return e;
    e = scale_read_slice(r, n, out);
    if (e != ITEE_OK)
        r->pos = start;
    return e;
}

enum itee_err scale_read_str(struct scale_reader *r, struct itee_slice *out)
{
    size_t start = r->pos;
    enum itee_err e = scale_read_vec_u8(r, out);
    if (e != ITEE_OK)
        return e;
    if (!itee_utf8_valid(out->ptr, out->len)) {
        r->pos = start;
        *out = itee_slice_make(NULL, 0);
        return ITEE_ERR_SCALE_UTF8;
    }
    return ITEE_OK;
}

/* Writers. */

static enum itee_err put_uint(struct itee_buf *b, itee_u128 v, size_t n)
{
    uint8_t tmp[16];
    store_le(tmp, v, n);
    return itee_buf_append(b, tmp, n);
}

enum itee_err scale_put_u8(struct itee_buf *b, uint8_t v)
{
    return itee_buf_push(b, v);
}

enum itee_err scale_put_u16(struct itee_buf *b, uint16_t v)
{
    return put_uint(b, v, 2);
}

enum itee_err scale_put_u32(struct itee_buf *b, uint32_t v)
{
    return put_uint(b, v, 4);
}

enum itee_err scale_put_u64(struct itee_buf *b, uint64_t v)
{
    return put_uint(b, v, 8);
}

enum itee_err scale_put_u128(struct itee_buf *b, itee_u128 v)
{
    return put_uint(b, v, 16);
}

enum itee_err scale_put_i8(struct itee_buf *b, int8_t v)
{
    return itee_buf_push(b, (uint8_t)v);
}

enum itee_err scale_put_i16(struct itee_buf *b, int16_t v)
{
    return put_uint(b, (uint16_t)v, 2);
}

enum itee_err scale_put_i32(struct itee_buf *b, int32_t v)
{
    return put_uint(b, (uint32_t)v, 4);
}

enum itee_err scale_put_i64(struct itee_buf *b, int64_t v)
{
    return put_uint(b, (uint64_t)v, 8);
}

enum itee_err scale_put_i128(struct itee_buf *b, itee_i128 v)
{
    return put_uint(b, (itee_u128)v, 16);
}

enum itee_err scale_put_bool(struct itee_buf *b, bool v)
{
    return itee_buf_push(b, v ? 1 : 0);
}

enum itee_err scale_put_bytes(struct itee_buf *b, const uint8_t *p, size_t n)
{
    if (n == 0)
        return ITEE_OK;
    return itee_buf_append(b, p, n);
}

size_t scale_compact_len(itee_u128 v)
{
    if (v < 64)
        return 1;
    if (v < ((itee_u128)1 << 14))
        return 2;
    if (v < ((itee_u128)1 << 30))
        return 4;
    size_t n = 4;
    while (n < 16 && (v >> (8 * n)) != 0)
        n++;
    return 1 + n;
}

size_t scale_encode_compact(uint8_t out[SCALE_COMPACT_MAX_LEN], itee_u128 v)
{
    size_t len = scale_compact_len(v);
    switch (len) {
    case 1:
        out[0] = (uint8_t)(v << 2);
        break;
    case 2:
        store_le(out, (v << 2) | 1, 2);
        break;
    case 4:
        store_le(out, (v << 2) | 2, 4);
        break;
    default:
        out[0] = (uint8_t)(((len - 1 - 4) << 2) | 3);
        store_le(out + 1, v, len - 1);
        break;
    }
    return len;
}

enum itee_err scale_put_compact(struct itee_buf *b, uint64_t v)
{
    return scale_put_compact_u128(b, v);
}

enum itee_err scale_put_compact_u128(struct itee_buf *b, itee_u128 v)
{
    uint8_t tmp[SCALE_COMPACT_MAX_LEN];
    size_t n = scale_encode_compact(tmp, v);
    return itee_buf_append(b, tmp, n);
}

enum itee_err scale_put_vec_u8(struct itee_buf *b, const uint8_t *p, size_t n)
{
    /* the decoder reads lengths as Compact<u32>; do not write what it cannot read */
    if (n > UINT32_MAX)
        return ITEE_ERR_SCALE_LENGTH;
    size_t start = b->len;
    enum itee_err e = scale_put_compact(b, n);
    if (e == ITEE_OK)
        e = scale_put_bytes(b, p, n);
    if (e != ITEE_OK)
        b->len = start;
    return e;
}

enum itee_err scale_put_str(struct itee_buf *b, const char *p, size_t n)
{
    if (!itee_utf8_valid((const uint8_t *)p, n))
        return ITEE_ERR_SCALE_UTF8;
    return scale_put_vec_u8(b, (const uint8_t *)p, n);
}

enum itee_err scale_put_option(struct itee_buf *b, bool some)
{
    return itee_buf_push(b, some ? 1 : 0);
}

enum itee_err scale_put_result(struct itee_buf *b, bool is_err)
{
    return itee_buf_push(b, is_err ? 1 : 0);
}

enum itee_err scale_put_variant(struct itee_buf *b, uint8_t index)
{
    return itee_buf_push(b, index);
}

/* Key comparators. */

int scale_key_cmp_raw(const struct itee_slice *a, const struct itee_slice *b, void *ctx)
{
    (void)ctx;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n > 0 ? memcmp(a->ptr, b->ptr, n) : 0;
    if (c != 0)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

int scale_key_cmp_uint_le(const struct itee_slice *a, const struct itee_slice *b, void *ctx)
{
    (void)ctx;
    if (a->len != b->len)
        return (a->len > b->len) - (a->len < b->len);
    for (size_t i = a->len; i > 0; i--)
        if (a->ptr[i - 1] != b->ptr[i - 1])
            return a->ptr[i - 1] < b->ptr[i - 1] ? -1 : 1;
    return 0;
}

int scale_key_cmp_sint_le(const struct itee_slice *a, const struct itee_slice *b, void *ctx)
{
    if (a->len == b->len && a->len > 0) {
        bool na = (a->ptr[a->len - 1] & 0x80) != 0;
        bool nb = (b->ptr[b->len - 1] & 0x80) != 0;
        /* two's complement: with equal signs the unsigned order is the signed order */
        if (na != nb)
            return na ? -1 : 1;
    }
    return scale_key_cmp_uint_le(a, b, ctx);
}

int scale_key_cmp_vec_u8(const struct itee_slice *a, const struct itee_slice *b, void *ctx)
{
    struct scale_reader ra, rb;
    struct itee_slice sa, sb;
    scale_reader_init(&ra, a->ptr, a->len);
    scale_reader_init(&rb, b->ptr, b->len);
    /* malformed keys fall back to a raw compare so the order is still total */
    if (scale_read_vec_u8(&ra, &sa) != ITEE_OK || scale_read_vec_u8(&rb, &sb) != ITEE_OK)
        return scale_key_cmp_raw(a, b, ctx);
    return scale_key_cmp_raw(&sa, &sb, ctx);
}

/* Heapsort helper: restores the max-heap property below root in e[0..n). */
static void sift_down(struct scale_entry *e, size_t root, size_t n, scale_key_cmp cmp, void *ctx)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(&e[child].key, &e[child + 1].key, ctx) < 0)
            child++;
        if (cmp(&e[root].key, &e[child].key, ctx) >= 0)
            return;
        struct scale_entry t = e[root];
        e[root] = e[child];
        e[child] = t;
        root = child;
    }
}

enum itee_err scale_sort_entries(struct scale_entry *entries, size_t n, scale_key_cmp cmp,
                                 void *ctx)
{
    if ((entries == NULL && n > 0) || cmp == NULL)
        return ITEE_ERR_ARG;
    for (size_t i = n / 2; i > 0; i--)
        sift_down(entries, i - 1, n, cmp, ctx);
    for (size_t end = n; end > 1; end--) {
        struct scale_entry t = entries[0];
        entries[0] = entries[end - 1];
        entries[end - 1] = t;
        sift_down(entries, 0, end - 1, cmp, ctx);
    }
    for (size_t i = 1; i < n; i++)
        if (cmp(&entries[i - 1].key, &entries[i].key, ctx) == 0)
            return ITEE_ERR_SCALE_ORDER;
    return ITEE_OK;
}
