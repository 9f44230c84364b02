/*
 * scale.h - SCALE codec primitives (Substrate's "Simple Concatenated Aggregate Little-Endian").
 *
 * Decoding goes through a consuming reader modelled on openssh's sshbuf: every scale_read_*
 * checks the remaining length first, never reads past the input, and either consumes exactly
 * the value's bytes and returns ITEE_OK, or consumes nothing, zeroes its output and returns an
 * error. Lengths read from the wire (scale_read_len) are checked against the remaining input
 * before the caller allocates anything.
 *
 * Encoding appends to an owned struct itee_buf (common/bytes.h), whose hard maximum bounds
 * what a hostile value can make us allocate.
 *
 * Compact integers are decoded strictly as parity-scale-codec does: a value that fits a
 * shorter mode, a big-mode value below 2^30 or with a zero most-significant byte is
 * ITEE_ERR_SCALE_NONCANONICAL; a value that does not fit the target type (including any
 * big-mode length other than 4 for Compact<u32>) is ITEE_ERR_SCALE_OVERFLOW.
 *
 * BTreeMap / BTreeSet: the wire carries entries in ascending key order. These primitives take
 * entries in the order given; encoders sort with scale_sort_entries and a comparator that
 * implements the KEY's ordering (see the scale_key_cmp_* comparators below).
 */
#ifndef ITEE_SCALE_H
#define ITEE_SCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"

/* Largest encoded size of a Compact<u128>: one prefix byte and 16 value bytes. */
#define SCALE_COMPACT_MAX_LEN 17

/* A consuming cursor over a read-only byte range. */
struct scale_reader {
    const uint8_t *ptr; /* start of the input (may be NULL only when len is 0) */
    size_t len;         /* input length in bytes */
    size_t pos;         /* bytes consumed so far; always <= len */
};

/* Starts a reader over len bytes at ptr. */
void scale_reader_init(struct scale_reader *r, const uint8_t *ptr, size_t len);
/* Returns: the number of bytes not yet consumed. */
size_t scale_reader_remaining(const struct scale_reader *r);
/* Returns: ITEE_OK if all input was consumed, else ITEE_ERR_SCALE_TRAILING. */
ITEE_MUST_CHECK enum itee_err scale_reader_finish(const struct scale_reader *r);
/*
 * Consumes the next n bytes of parent and makes child a reader over exactly those bytes
 * (a read-only view; no copy).
 * Returns: ITEE_OK or ITEE_ERR_SCALE_EOF (parent unchanged, child empty).
 */
ITEE_MUST_CHECK enum itee_err scale_reader_sub(struct scale_reader *parent, size_t n,
                                               struct scale_reader *child);

/* Fixed-width little-endian integers. Returns: ITEE_OK or ITEE_ERR_SCALE_EOF. */
ITEE_MUST_CHECK enum itee_err scale_read_u8(struct scale_reader *r, uint8_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_u16(struct scale_reader *r, uint16_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_u32(struct scale_reader *r, uint32_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_u64(struct scale_reader *r, uint64_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_u128(struct scale_reader *r, itee_u128 *out);
ITEE_MUST_CHECK enum itee_err scale_read_i8(struct scale_reader *r, int8_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_i16(struct scale_reader *r, int16_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_i32(struct scale_reader *r, int32_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_i64(struct scale_reader *r, int64_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_i128(struct scale_reader *r, itee_i128 *out);

/* Copies the next n bytes to out. Returns: ITEE_OK or ITEE_ERR_SCALE_EOF. */
ITEE_MUST_CHECK enum itee_err scale_read_bytes(struct scale_reader *r, uint8_t *out, size_t n);
/* Out: *out views the next n bytes of the input (zero-copy). Returns: ITEE_OK or _EOF. */
ITEE_MUST_CHECK enum itee_err scale_read_slice(struct scale_reader *r, size_t n,
                                               struct itee_slice *out);
/* Returns: ITEE_OK, ITEE_ERR_SCALE_EOF, or ITEE_ERR_SCALE_BOOL for a byte other than 0/1. */
ITEE_MUST_CHECK enum itee_err scale_read_bool(struct scale_reader *r, bool *out);
/* Option tag: 0 None, 1 Some. Returns: ITEE_OK, _EOF or ITEE_ERR_SCALE_OPTION. */
ITEE_MUST_CHECK enum itee_err scale_read_option(struct scale_reader *r, bool *some);
/* Result tag: 0 Ok, 1 Err. Returns: ITEE_OK, _EOF or ITEE_ERR_SCALE_VARIANT. */
ITEE_MUST_CHECK enum itee_err scale_read_result(struct scale_reader *r, bool *is_err);
/* Enum variant index (one byte; the caller checks it is known). Returns: ITEE_OK or _EOF. */
ITEE_MUST_CHECK enum itee_err scale_read_variant(struct scale_reader *r, uint8_t *index);

/*
 * Compact integers. Returns: ITEE_OK, ITEE_ERR_SCALE_EOF, ITEE_ERR_SCALE_NONCANONICAL, or
 * ITEE_ERR_SCALE_OVERFLOW when the value does not fit the target type.
 */
ITEE_MUST_CHECK enum itee_err scale_read_compact_u32(struct scale_reader *r, uint32_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_compact_u64(struct scale_reader *r, uint64_t *out);
ITEE_MUST_CHECK enum itee_err scale_read_compact_u128(struct scale_reader *r, itee_u128 *out);

/*
 * Reads a collection length (Compact<u32>, as parity-scale-codec does for Vec/String/Map)
 * and checks that n elements of at least min_elem_size bytes each can still be in the input,
 * so a caller may allocate n elements afterwards without trusting the wire.
 * Returns: as scale_read_compact_u32, or ITEE_ERR_SCALE_LENGTH (nothing consumed).
 */
ITEE_MUST_CHECK enum itee_err scale_read_len(struct scale_reader *r, size_t *n,
                                             size_t min_elem_size);
/* Vec<u8> / Bytes: compact length then bytes. Out: zero-copy slice. */
ITEE_MUST_CHECK enum itee_err scale_read_vec_u8(struct scale_reader *r, struct itee_slice *out);
/* String: like scale_read_vec_u8 but the bytes must be UTF-8 (else ITEE_ERR_SCALE_UTF8). */
ITEE_MUST_CHECK enum itee_err scale_read_str(struct scale_reader *r, struct itee_slice *out);

/* Writers. Each returns ITEE_OK, ITEE_ERR_SPACE (buffer maximum) or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err scale_put_u8(struct itee_buf *b, uint8_t v);
ITEE_MUST_CHECK enum itee_err scale_put_u16(struct itee_buf *b, uint16_t v);
ITEE_MUST_CHECK enum itee_err scale_put_u32(struct itee_buf *b, uint32_t v);
ITEE_MUST_CHECK enum itee_err scale_put_u64(struct itee_buf *b, uint64_t v);
ITEE_MUST_CHECK enum itee_err scale_put_u128(struct itee_buf *b, itee_u128 v);
ITEE_MUST_CHECK enum itee_err scale_put_i8(struct itee_buf *b, int8_t v);
ITEE_MUST_CHECK enum itee_err scale_put_i16(struct itee_buf *b, int16_t v);
ITEE_MUST_CHECK enum itee_err scale_put_i32(struct itee_buf *b, int32_t v);
ITEE_MUST_CHECK enum itee_err scale_put_i64(struct itee_buf *b, int64_t v);
ITEE_MUST_CHECK enum itee_err scale_put_i128(struct itee_buf *b, itee_i128 v);
ITEE_MUST_CHECK enum itee_err scale_put_bool(struct itee_buf *b, bool v);
/* Raw bytes, no length prefix (fixed arrays, already-encoded values). */
ITEE_MUST_CHECK enum itee_err scale_put_bytes(struct itee_buf *b, const uint8_t *p, size_t n);
ITEE_MUST_CHECK enum itee_err scale_put_compact(struct itee_buf *b, uint64_t v);
ITEE_MUST_CHECK enum itee_err scale_put_compact_u128(struct itee_buf *b, itee_u128 v);
/* Vec<u8>: compact length then the bytes. ITEE_ERR_SCALE_LENGTH if n exceeds u32. */
ITEE_MUST_CHECK enum itee_err scale_put_vec_u8(struct itee_buf *b, const uint8_t *p, size_t n);
/* String: as scale_put_vec_u8, but ITEE_ERR_SCALE_UTF8 unless p is valid UTF-8. */
ITEE_MUST_CHECK enum itee_err scale_put_str(struct itee_buf *b, const char *p, size_t n);
/* Option tag (0 / 1); the caller appends the Some value. */
ITEE_MUST_CHECK enum itee_err scale_put_option(struct itee_buf *b, bool some);
/* Result tag (0 Ok / 1 Err); the caller appends the payload. */
ITEE_MUST_CHECK enum itee_err scale_put_result(struct itee_buf *b, bool is_err);
/* Enum variant index; the caller appends the variant's fields. */
ITEE_MUST_CHECK enum itee_err scale_put_variant(struct itee_buf *b, uint8_t index);

/* Returns: the encoded size of Compact(v), 1..17. */
size_t scale_compact_len(itee_u128 v);
/* Writes Compact(v) to out. Returns: the number of bytes written (scale_compact_len(v)). */
size_t scale_encode_compact(uint8_t out[SCALE_COMPACT_MAX_LEN], itee_u128 v);

/* One BTreeMap entry (or BTreeSet element, value empty) as already-encoded bytes. */
struct scale_entry {
    struct itee_slice key;   /* encoded key */
    struct itee_slice value; /* encoded value (empty for sets) */
};

/*
 * Orders two encoded keys by the key type's Ord. Returns: <0, 0, >0 like memcmp.
 * ctx is passed through from scale_sort_entries.
 */
typedef int (*scale_key_cmp)(const struct itee_slice *a, const struct itee_slice *b, void *ctx);

/*
 * Stock comparators:
 *  raw      - byte-lexicographic, then shorter first: right for [u8; N] keys (AccountId32,
 *             H256) and for anything whose encoding is big-endian fixed width.
 *  uint_le  - unsigned little-endian integers of equal width (u8..u256 keys).
 *  sint_le  - signed two's-complement little-endian integers of equal width.
 *  vec_u8   - Vec<u8> / String keys: skips the compact length, compares contents
 *             lexicographically, shorter first (Rust's Ord for slices and str).
 * Anything else (tuples, enums, ...) needs a comparator written for the type; scale_value.h
 * provides a generic one for dynamic types.
 */
int scale_key_cmp_raw(const struct itee_slice *a, const struct itee_slice *b, void *ctx);
int scale_key_cmp_uint_le(const struct itee_slice *a, const struct itee_slice *b, void *ctx);
int scale_key_cmp_sint_le(const struct itee_slice *a, const struct itee_slice *b, void *ctx);
int scale_key_cmp_vec_u8(const struct itee_slice *a, const struct itee_slice *b, void *ctx);

/*
 * Sorts n entries in place by key with cmp (heapsort: O(n log n), no allocation) and checks
 * the keys are distinct.
 * Returns: ITEE_OK, ITEE_ERR_ARG (NULL with n > 0), or ITEE_ERR_SCALE_ORDER if two keys
 * compare equal (a BTreeMap cannot hold duplicates; the entries are still sorted).
 */
ITEE_MUST_CHECK enum itee_err scale_sort_entries(struct scale_entry *entries, size_t n,
                                                 scale_key_cmp cmp, void *ctx);

#endif
