/*
 * scale_value.h - a dynamic, type-driven SCALE codec: values are jansson JSON trees shaped
 * exactly as polkadot-js's `registry.createType(type, v).toJSON()` (v16) shapes them, so the
 * conformance suites, the CLI and the RPC layer can move values in and out as JSON.
 *
 * Types are polkadot-js type strings:
 *   bool  u8 u16 u32 u64 u128 u256  i8 i16 i32 i64 i128 i256  Null  ()
 *   Compact<T> (T = u8..u128)  Option<T>  Result<T,E>  Vec<T>  Bytes  Text (= String, Str)
 *   (T1,T2,...)  [T;N]  BTreeMap<K,V>  BTreeSet<T>
 * and JSON type definitions, at top level or in place of any type:
 *   struct  {"a":"u32","b":"Compact<u64>"}
 *   enum    {"_enum":{"A":"Null","B":"u32","C":"(bool,u8)"}}  {"_enum":["A","B"]}
 *           {"_enum":{"A":3,"B":7}}   (explicit indices, unit variants only)
 * As in polkadot-js, Vec<u8> is Bytes and (T) is T.
 *
 * JSON shapes (decode output; encode accepts these and a few more, noted):
 *   integers  number when |v| < 2^52 and the type is at most 128 bits, else "0x" + the
 *             type-width two's-complement big-endian hex (u64 2^53 -> "0x0020000000000000",
 *             u256 always hex). Encode also takes decimal strings ("-5") and shorter hex.
 *   Compact<T> as T.  bool true/false.  Null null.  () [].
 *   Option    null for None, the value for Some (so Option<Null> / Option<Option<T>> Some(None)
 *             are not distinguishable from None, as in polkadot-js).
 *   Result    {"ok": v} / {"err": e} (encode also takes "Ok"/"Err").
 *   Vec, tuple, [T;N], BTreeSet  arrays (BTreeSet in key order).
 *   Bytes, [u8;N]  "0x.." hex (encode: hex, a byte array, or - like polkadot-js - a non-hex
 *             string taken as its UTF-8 bytes).  Text  JSON string.
 *   struct    object, fields in declaration order.
 *   enum      unit-only enums: the variant name; otherwise {camelCase(name): value}
 *             (polkadot-js stringCamelCase; encode accepts the name or its camelCase).
 *   BTreeMap  object keyed by polkadot-js's key.toString(): decimal for integers, the text
 *             for Text, hex for bytes, "true"/"false", "" for None/Null, "[a, b]" for
 *             Vec/[T;N], compact JSON for tuples/structs/enums with data. Encode also takes
 *             an array of [key, value] pairs.
 *
 * Strictness (a hostile-input boundary): decoding rejects BTreeMap/BTreeSet keys that are not
 * strictly ascending (ITEE_ERR_SCALE_ORDER), so anything that decodes re-encodes to the same
 * bytes; structs must carry exactly their fields; unknown enum indices are
 * ITEE_ERR_SCALE_VARIANT; a JSON value of the wrong shape is ITEE_ERR_ARG. A map whose two
 * distinct keys print the same (Option<Text> None and Some("")) cannot be JSON and decodes to
 * ITEE_ERR_UNSUPPORTED. Not modelled: Compact<u256>, _set/_alias/_fallback definitions,
 * named registry types (AccountId, H256, ...): spell them out ([u8;32]).
 *
 * Key order for BTreeMap/BTreeSet follows Rust's Ord (and polkadot-js's sortAsc): numeric for
 * integers (Compact keys too; polkadot-js orders those by their encoding - a divergence that
 * only matters for Compact keys, which Rust code does not use), byte-lexicographic then
 * shorter-first for Text/Bytes/[u8;N], element-wise for Vec/tuples/structs, None < Some,
 * enums by variant index then payload.
 *
 * Limits: type text <= SCALE_TYPE_MAX_TEXT bytes, nesting <= SCALE_TYPE_MAX_DEPTH,
 * <= SCALE_TYPE_MAX_NODES type nodes, [T;N] with N <= SCALE_TYPE_MAX_ARRAY; one decode creates
 * at most SCALE_VALUE_MAX_ITEMS JSON nodes (bounds Vec<()> and similar zero-size bombs).
 * Type parsing allocates through common/mem.h; JSON values are allocated by jansson.
 */
#ifndef ITEE_SCALE_VALUE_H
#define ITEE_SCALE_VALUE_H

#include <stddef.h>

#include <jansson.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "common/err.h"

#define SCALE_TYPE_MAX_TEXT   65536
#define SCALE_TYPE_MAX_DEPTH  32
#define SCALE_TYPE_MAX_NODES  4096
#define SCALE_TYPE_MAX_ARRAY  (1u << 20)
#define SCALE_VALUE_MAX_ITEMS (1u << 20)

/* A parsed type (opaque; immutable once parsed, so it may be shared read-only). */
struct scale_type;

/*
 * Parses a type string or JSON type definition of len bytes (no NUL needed).
 * Returns: ITEE_OK; ITEE_ERR_PARSE for malformed text or unknown type names;
 * ITEE_ERR_UNSUPPORTED for polkadot-js constructs we do not model (_set, _alias, ...);
 * ITEE_ERR_SPACE when a limit is exceeded; ITEE_ERR_NOMEM. Out: *out (free with
 * scale_type_free), NULL on failure.
 */
ITEE_MUST_CHECK enum itee_err scale_type_parse(const char *text, size_t len,
                                               struct scale_type **out);
/* Frees a type from scale_type_parse; NULL is a no-op. */
void scale_type_free(struct scale_type *t);
/* Returns: the least number of bytes any value of type t encodes to. */
size_t scale_type_min_size(const struct scale_type *t);

/*
 * Appends the SCALE encoding of value (shaped as described above) to out.
 * Returns: ITEE_OK; ITEE_ERR_ARG if value does not fit the type's shape;
 * ITEE_ERR_SCALE_OVERFLOW for an integer out of range; ITEE_ERR_SCALE_ORDER for duplicate
 * BTreeMap/BTreeSet keys; ITEE_ERR_SPACE / ITEE_ERR_NOMEM. On failure out->len is restored.
 */
ITEE_MUST_CHECK enum itee_err scale_value_encode(const struct scale_type *t, const json_t *value,
                                                 struct itee_buf *out);

/*
 * Decodes one value of type t from r (which need not be at its end afterwards; call
 * scale_reader_finish to require that).
 * Returns: ITEE_OK or the SCALE error found; r is left where it was on failure.
 * Out: *out, a new JSON reference (json_decref it), NULL on failure.
 */
ITEE_MUST_CHECK enum itee_err scale_value_decode(const struct scale_type *t, struct scale_reader *r,
                                                 json_t **out);

/*
 * Compares two encodings of values of type t by the key ordering described above.
 * Matches scale_key_cmp, with ctx the (const struct scale_type *), for scale_sort_entries.
 * Malformed encodings compare as equal to anything.
 */
int scale_value_key_cmp(const struct itee_slice *a, const struct itee_slice *b, void *ctx);

#endif
