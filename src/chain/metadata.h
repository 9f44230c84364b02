/*
 * metadata.h - a builder for Substrate runtime metadata V14 and V15 (spec substrate-compat.md
 * section 8): a scale-info portable type registry plus pallet, extrinsic and (V15) runtime-API
 * descriptions, encoded as the RuntimeMetadataPrefixed blob ("meta" || version || body).
 *
 * Where each encoding is served (spec 8.1):
 *   state_getMetadata                 -> metadata_encode_v14()            (raw prefixed bytes)
 *   Metadata_metadata                 -> metadata_encode_opaque()         (Vec<u8> of the blob)
 *   Metadata_metadata_at_version(u32) -> metadata_encode_at_version()     (Option<Vec<u8>>)
 *   Metadata_metadata_versions        -> metadata_encode_versions()       (Vec<u32>: [14, 15])
 *
 * Error handling is "sticky" so that a pallet's description reads as a declaration: every
 * builder call that can fail records the first error in the builder and returns
 * METADATA_TY_NONE (for functions returning a type id); later calls are no-ops once an error
 * is recorded, and passing METADATA_TY_NONE where a type is required records ITEE_ERR_ARG.
 * metadata_builder_status() and every metadata_encode_*() return that first error.
 *
 * Type registry. Ids are positions (0..n-1) in registration order, as polkadot-js requires.
 * A type is identified by its path and type parameters when it has a path (so registering
 * `Option<u32>` or `frame_system::AccountInfo<Nonce=u32,...>` twice returns the same id, and
 * registering the same identity with a different definition is ITEE_ERR_ARG), and by its
 * whole description when it has none (so `Vec<u8>` is registered once however often asked).
 * Recursive types (RuntimeCall -> utility::Call -> Vec<RuntimeCall>) are declared first with
 * metadata_type_reserve() and defined later with metadata_type_define().
 * All strings and tables passed in are copied; the caller's memory may be temporary.
 *
 * HOW A PALLET DESCRIBES ITSELF (the shape runtime pallets follow; the complete worked example
 * is tests/unit/metadata_mini.h, which rebuilds the spec's mini metadata byte for byte):
 *
 *   1. Types. Register what the pallet's calls/events/errors/storage use, then the pallet's
 *      Call / Event / Error enums: one variant per call (index = call index, fields = args),
 *      per event (named fields) and per error (unit variants).
 *
 *     uint32_t u128 = metadata_type_u128(b), acc = metadata_type_account_id32(b);
 *     uint32_t addr = metadata_type_multi_address(b, acc, metadata_type_unit(b));
 *     uint32_t cu128 = metadata_type_compact(b, u128);
 *     struct metadata_field xfer[] = {
 *         {.name = "dest", .ty = addr, .type_name = "AccountIdLookupOf<T>"},
 *         {.name = "value", .ty = cu128, .type_name = "T::Balance"}};
 *     struct metadata_variant calls[] = {
 *         {.name = "transfer_allow_death", .index = 0, .fields = xfer, .n_fields = 2},
 *         {.name = "transfer_keep_alive", .index = 3, .fields = xfer, .n_fields = 2}};
 *     uint32_t call = metadata_type_pallet_enum(b, "pallet_balances::pallet::Call", "T,I",
 *                                               calls, METADATA_LEN(calls));
 *     static const char *const errs[] = {"VestingBalance", "LiquidityRestrictions"};
 *     uint32_t error = metadata_type_unit_enum(b, "pallet_balances::pallet::Error", "T,I",
 *                                              errs, METADATA_LEN(errs));
 *
 *   2. Outer enums, from (pallet name, pallet index, type) rows of all pallets:
 *
 *     struct metadata_outer_entry rows[] = {{"System", 0, sys_call}, {"Balances", 4, call}};
 *     uint32_t rt_call = metadata_type_outer_enum(b, "integritee_node_runtime",
 *                                                 METADATA_OUTER_CALL, rows, 2);
 *     (the same with METADATA_OUTER_EVENT and METADATA_OUTER_ERROR; V15 needs all three)
 *
 *   3. The pallet: storage (a NULL default is computed: the type's zero value for
 *      METADATA_DEFAULT, None for METADATA_OPTIONAL), constants (encoded values), the enums.
 *
 *     uint8_t b2c = METADATA_BLAKE2_128_CONCAT;
 *     struct metadata_storage_entry st[] = {
 *         {.name = "TotalIssuance", .modifier = METADATA_DEFAULT, .value = u128},
 *         {.name = "Account", .modifier = METADATA_DEFAULT, .hashers = &b2c, .n_hashers = 1,
 *          .key = acc, .value = account_info}};
 *     static const uint8_t ed[16] = {0xe8, 0x03}; // 1000 as u128 LE
 *     struct metadata_constant cs[] = {
 *         {.name = "ExistentialDeposit", .ty = u128, .value = ed, .value_len = 16}};
 *     metadata_pallet_add(b, &(struct metadata_pallet){
 *         .name = "Balances", .index = 4, .storage_prefix = "Balances", .storage = st,
 *         .n_storage = 2, .calls = call, .events = event, .errors = error,
 *         .constants = cs, .n_constants = 1});
 *
 *      A pallet without calls/events/errors sets them to METADATA_TY_NONE (0 is a real type
 *      id); storage_prefix NULL means no storage at all.
 *
 *   4. Once: metadata_extrinsic_set() (UncheckedExtrinsic type with params Address, Call,
 *      Signature, Extra; signed extensions in wire order), metadata_runtime_type_set(), and
 *      for V15 metadata_api_add() per runtime API.
 *
 * metadata_decode() parses a V14/V15 blob back into a builder (for the CLI and for tests).
 */
#ifndef ITEE_METADATA_H
#define ITEE_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

/* "No type": an absent calls/events/errors, or a type parameter without a type (Option<None>). */
#define METADATA_TY_NONE UINT32_MAX
/* Number of elements of an array (for the table arguments below). */
#define METADATA_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The metadata versions this builder encodes, and the 4-byte magic "meta". */
#define METADATA_V14   14
#define METADATA_V15   15
#define METADATA_MAGIC 0x6174656du

/* scale-info TypeDef discriminants. */
enum metadata_def {
    METADATA_DEF_COMPOSITE = 0,
    METADATA_DEF_VARIANT = 1,
    METADATA_DEF_SEQUENCE = 2,
    METADATA_DEF_ARRAY = 3,
    METADATA_DEF_TUPLE = 4,
    METADATA_DEF_PRIMITIVE = 5,
    METADATA_DEF_COMPACT = 6,
    METADATA_DEF_BITSEQ = 7,
};

/* scale-info TypeDefPrimitive discriminants. */
enum metadata_prim {
    METADATA_PRIM_BOOL = 0,
    METADATA_PRIM_CHAR = 1,
    METADATA_PRIM_STR = 2,
    METADATA_PRIM_U8 = 3,
    METADATA_PRIM_U16 = 4,
    METADATA_PRIM_U32 = 5,
    METADATA_PRIM_U64 = 6,
    METADATA_PRIM_U128 = 7,
    METADATA_PRIM_U256 = 8,
    METADATA_PRIM_I8 = 9,
    METADATA_PRIM_I16 = 10,
    METADATA_PRIM_I32 = 11,
    METADATA_PRIM_I64 = 12,
    METADATA_PRIM_I128 = 13,
    METADATA_PRIM_I256 = 14,
};

/* StorageHasher discriminants (spec 2.2). */
enum metadata_hasher {
    METADATA_BLAKE2_128 = 0,
    METADATA_BLAKE2_256 = 1,
    METADATA_BLAKE2_128_CONCAT = 2,
    METADATA_TWOX128 = 3,
    METADATA_TWOX256 = 4,
    METADATA_TWOX64_CONCAT = 5,
    METADATA_IDENTITY = 6,
};

/* StorageEntryModifier. */
enum metadata_modifier {
    METADATA_OPTIONAL = 0, /* OptionQuery: absent reads as None */
    METADATA_DEFAULT = 1,  /* ValueQuery: absent reads as the default bytes */
};

/* A type parameter: `T` with a type, or with METADATA_TY_NONE (a phantom / erased param). */
struct metadata_param {
    const char *name; /* parameter name, e.g. "T", "Balance" */
    uint32_t ty;      /* its type id, or METADATA_TY_NONE */
};

/* A field of a composite or of a variant. */
struct metadata_field {
    const char *name;      /* field name; NULL for tuple-struct (unnamed) fields */
    uint32_t ty;           /* field type id */
    const char *type_name; /* the Rust type as written (e.g. "T::Balance"), or NULL */
    const char *docs;      /* doc lines separated by '\n', or NULL for none */
};

/* One variant of an enum (a call, an event, an error, ...). */
struct metadata_variant {
    const char *name;                    /* variant name, e.g. "transfer_keep_alive" */
    uint8_t index;                       /* its encoded index (call / event / error index) */
    const struct metadata_field *fields; /* its fields (n_fields of them) */
    size_t n_fields;                     /* number of fields; 0 for a unit variant */
    const char *docs;                    /* doc lines separated by '\n', or NULL */
};

/* A full type description, for metadata_type_add / metadata_type_define. */
struct metadata_type {
    const char *path;                        /* "a::b::Name", or NULL / "" for no path */
    const struct metadata_param *params;     /* type parameters */
    size_t n_params;                         /* number of type parameters */
    enum metadata_def def;                   /* which kind of type */
    const struct metadata_field *fields;     /* COMPOSITE: fields */
    size_t n_fields;                         /* COMPOSITE: number of fields */
    const struct metadata_variant *variants; /* VARIANT: variants (distinct indices) */
    size_t n_variants;                       /* VARIANT: number of variants */
    uint32_t elem;                           /* SEQUENCE/ARRAY/COMPACT element; BITSEQ store */
    uint32_t len;                            /* ARRAY: length */
    uint32_t order;                          /* BITSEQ: bit order type */
    const uint32_t *tuple;                   /* TUPLE: element types */
    size_t n_tuple;                          /* TUPLE: number of elements (0 = unit ()) */
    enum metadata_prim prim;                 /* PRIMITIVE: which one */
    const char *docs;                        /* doc lines separated by '\n', or NULL */
};

/* A storage entry of a pallet. */
struct metadata_storage_entry {
    const char *name;                /* entry name, e.g. "Account" */
    enum metadata_modifier modifier; /* Optional or Default */
    const uint8_t *hashers;          /* enum metadata_hasher values; n_hashers 0 = Plain */
    size_t n_hashers;                /* 0 for a plain value, else one per key part */
    uint32_t key;                    /* key type (maps only; a tuple for n_hashers > 1) */
    uint32_t value;                  /* value type */
    const uint8_t *default_value;    /* default bytes; NULL = computed: 00 (None) for Optional,
                                      * the type's zero value (metadata_type_default) for Default */
    size_t default_len;              /* length of default_value */
    const char *docs;                /* doc lines separated by '\n', or NULL */
};

/* A pallet constant. */
struct metadata_constant {
    const char *name;     /* constant name, e.g. "ExistentialDeposit" */
    uint32_t ty;          /* its type */
    const uint8_t *value; /* SCALE-encoded value */
    size_t value_len;     /* length of value */
    const char *docs;     /* doc lines separated by '\n', or NULL */
};

/* A pallet. */
struct metadata_pallet {
    const char *name;                             /* pallet name, e.g. "Balances" */
    uint8_t index;                                /* pallet index (first byte of calls/events) */
    const char *storage_prefix;                   /* storage prefix; NULL = no storage */
    const struct metadata_storage_entry *storage; /* storage entries */
    size_t n_storage;                             /* number of storage entries */
    uint32_t calls;                               /* Call variant type, or METADATA_TY_NONE */
    uint32_t events;                              /* Event variant type, or METADATA_TY_NONE */
    uint32_t errors;                              /* Error variant type, or METADATA_TY_NONE */
    const struct metadata_constant *constants;    /* constants */
    size_t n_constants;                           /* number of constants */
    const char *docs;                             /* (V15 only) doc lines, or NULL */
};

/* A signed extension, in wire order. */
struct metadata_signed_ext {
    const char *identifier;     /* e.g. "CheckMortality" */
    uint32_t ty;                /* the extension's own type (what goes in the extrinsic) */
    uint32_t additional_signed; /* what it adds to the signing payload: (), u32, H256 ... */
};

/* The extrinsic description. */
struct metadata_extrinsic {
    uint32_t ty;                            /* the UncheckedExtrinsic type (V14 `ty`) */
    uint8_t version;                        /* extrinsic version, 4 */
    const struct metadata_signed_ext *exts; /* signed extensions in wire order */
    size_t n_exts;                          /* number of signed extensions */
    bool explicit_parts;                    /* V15: use the 4 ids below; false = take them from
                                             * ty's params Address, Call, Signature, Extra */
    uint32_t address_ty;                    /* V15 address type */
    uint32_t call_ty;                       /* V15 call type */
    uint32_t signature_ty;                  /* V15 signature type */
    uint32_t extra_ty;                      /* V15 extra (signed extensions tuple) type */
};

/* A runtime API method argument (V15). */
struct metadata_api_param {
    const char *name; /* argument name */
    uint32_t ty;      /* argument type */
};

/* A runtime API method (V15). */
struct metadata_api_method {
    const char *name;                        /* method name, e.g. "account_nonce" */
    const struct metadata_api_param *inputs; /* arguments */
    size_t n_inputs;                         /* number of arguments */
    uint32_t output;                         /* output type */
    const char *docs;                        /* doc lines, or NULL */
};

/* A runtime API (V15). */
struct metadata_api {
    const char *name;                          /* trait name, e.g. "AccountNonceApi" */
    const struct metadata_api_method *methods; /* methods */
    size_t n_methods;                          /* number of methods */
    const char *docs;                          /* doc lines, or NULL */
};

/* Which outer enum metadata_type_outer_enum builds. */
enum metadata_outer {
    METADATA_OUTER_CALL,  /* <runtime>::RuntimeCall, variants hold each pallet's Call */
    METADATA_OUTER_EVENT, /* <runtime>::RuntimeEvent, variants hold each pallet's Event */
    METADATA_OUTER_ERROR, /* <runtime>::RuntimeError, variants hold each pallet's Error */
};

/* One row of an outer enum: a pallet and its Call/Event/Error type. */
struct metadata_outer_entry {
    const char *pallet; /* pallet name (the variant name) */
    uint8_t index;      /* pallet index (the variant index) */
    uint32_t ty;        /* the pallet's Call/Event/Error type; METADATA_TY_NONE rows are skipped */
};

/* The builder (opaque). */
struct metadata_builder;

/* Allocates an empty builder. Returns: ITEE_OK or ITEE_ERR_NOMEM (*out NULL). */
ITEE_MUST_CHECK enum itee_err metadata_builder_new(struct metadata_builder **out);
/* Frees a builder and everything it copied; NULL is a no-op. */
void metadata_builder_free(struct metadata_builder *b);
/* Returns: the first error recorded by a builder call, or ITEE_OK. */
ITEE_MUST_CHECK enum itee_err metadata_builder_status(const struct metadata_builder *b);

/* ---- types (each returns the id, or METADATA_TY_NONE after recording an error) ---- */

/* Registers a type described in full (or returns the id of the same identity). */
uint32_t metadata_type_add(struct metadata_builder *b, const struct metadata_type *t);
/* Reserves an id for a path+params identity defined later with metadata_type_define. */
uint32_t metadata_type_reserve(struct metadata_builder *b, const char *path,
                               const struct metadata_param *params, size_t n_params);
/* Defines a reserved type; t's path and params must be those it was reserved with. */
void metadata_type_define(struct metadata_builder *b, uint32_t id, const struct metadata_type *t);

uint32_t metadata_type_prim(struct metadata_builder *b, enum metadata_prim p);
uint32_t metadata_type_bool(struct metadata_builder *b);
uint32_t metadata_type_str(struct metadata_builder *b);
uint32_t metadata_type_u8(struct metadata_builder *b);
uint32_t metadata_type_u16(struct metadata_builder *b);
uint32_t metadata_type_u32(struct metadata_builder *b);
uint32_t metadata_type_u64(struct metadata_builder *b);
uint32_t metadata_type_u128(struct metadata_builder *b);
/* [elem; len] */
uint32_t metadata_type_array(struct metadata_builder *b, uint32_t len, uint32_t elem);
/* Vec<elem> */
uint32_t metadata_type_vec(struct metadata_builder *b, uint32_t elem);
/* Vec<u8> */
uint32_t metadata_type_bytes(struct metadata_builder *b);
/* Compact<elem> */
uint32_t metadata_type_compact(struct metadata_builder *b, uint32_t elem);
/* (elems...) */
uint32_t metadata_type_tuple(struct metadata_builder *b, const uint32_t *elems, size_t n);
/* () */
uint32_t metadata_type_unit(struct metadata_builder *b);
/* Option<inner>, shaped as scale-info emits it (path "Option", None=0, Some(T)=1). */
uint32_t metadata_type_option(struct metadata_builder *b, uint32_t inner);
/* Result<ok, err> (path "Result", Ok(T)=0, Err(E)=1). */
uint32_t metadata_type_result(struct metadata_builder *b, uint32_t ok, uint32_t err);
/* A composite with a path (NULL for none), params and fields. */
uint32_t metadata_type_composite(struct metadata_builder *b, const char *path,
                                 const struct metadata_param *params, size_t n_params,
                                 const struct metadata_field *fields, size_t n_fields);
/* A variant (enum) type with a path, params and variants. */
uint32_t metadata_type_variant(struct metadata_builder *b, const char *path,
                               const struct metadata_param *params, size_t n_params,
                               const struct metadata_variant *variants, size_t n_variants);
/*
 * A pallet's Call/Event/Error enum: path like "pallet_balances::pallet::Call", generics a
 * comma-separated list of type-less parameter names ("T", "T,I", or NULL for none).
 */
uint32_t metadata_type_pallet_enum(struct metadata_builder *b, const char *path,
                                   const char *generics, const struct metadata_variant *variants,
                                   size_t n_variants);
/* An enum of unit variants names[0..n-1] with indices 0..n-1 (errors, DispatchClass ...). */
uint32_t metadata_type_unit_enum(struct metadata_builder *b, const char *path, const char *generics,
                                 const char *const *names, size_t n);
/*
 * The outer RuntimeCall / RuntimeEvent / RuntimeError enum at path "<runtime_crate>::Runtime*",
 * one variant per row (name = pallet, index = pallet index, one unnamed field of the row's
 * type with the type name construct_runtime! writes).
 */
uint32_t metadata_type_outer_enum(struct metadata_builder *b, const char *runtime_crate,
                                  enum metadata_outer kind, const struct metadata_outer_entry *rows,
                                  size_t n_rows);

/* Well-known Substrate types with the exact paths polkadot-js looks for (spec 8.5). */
uint32_t metadata_type_account_id32(struct metadata_builder *b); /* sp_core::crypto::AccountId32 */
uint32_t metadata_type_h256(struct metadata_builder *b);         /* primitive_types::H256 */
/* sp_runtime::multiaddress::MultiAddress<AccountId=account, AccountIndex=index> */
uint32_t metadata_type_multi_address(struct metadata_builder *b, uint32_t account, uint32_t index);
uint32_t metadata_type_multi_signature(struct metadata_builder *b); /* sp_runtime::MultiSignature */
uint32_t metadata_type_era(struct metadata_builder *b);    /* sp_runtime::generic::era::Era */
uint32_t metadata_type_weight(struct metadata_builder *b); /* sp_weights::weight_v2::Weight */
/* frame_support::dispatch::DispatchInfo (with DispatchClass, Pays) */
uint32_t metadata_type_dispatch_info(struct metadata_builder *b);
/*
 * sp_runtime::DispatchError. full = false: variants 0..6 (Other .. TooManyConsumers, as the
 * spec's mini metadata); full = true: all 15 of polkadot-sdk (Token, Arithmetic, Transactional,
 * Exhausted, Corruption, Unavailable, RootNotAllowed, Trie).
 */
uint32_t metadata_type_dispatch_error(struct metadata_builder *b, bool full);
/* frame_system::Phase */
uint32_t metadata_type_phase(struct metadata_builder *b);

/* Returns: number of registered types. */
uint32_t metadata_type_count(const struct metadata_builder *b);
/*
 * Returns: the (copied) description of type id, or NULL if id is unknown or only reserved.
 * Valid until the builder is freed.
 */
const struct metadata_type *metadata_type_get(const struct metadata_builder *b, uint32_t id);
/* Returns: the first registered type whose path is exactly path, or METADATA_TY_NONE. */
uint32_t metadata_type_find(const struct metadata_builder *b, const char *path);
/*
 * Appends the "zero" value of type id: 0 / false / empty for integers, bools, strings and
 * sequences, the lowest-index variant with zero fields for enums, fields in order for
 * composites, tuples and arrays. (polkadot-js's createType(T) default differs only for an enum
 * without a variant of index 0: it picks its placeholder `__Unused0`, which is not a value.)
 * Returns: ITEE_OK, ITEE_ERR_ARG (unknown type or a variant type without variants), ITEE_ERR_SPACE
 * (nesting deeper than 64) or the buffer's errors.
 */
ITEE_MUST_CHECK enum itee_err metadata_type_default(const struct metadata_builder *b, uint32_t id,
                                                    struct itee_buf *out);

/* ---- pallets, extrinsic, runtime, V15 extras (sticky errors) ---- */

/* Adds a pallet (copied; pallets are encoded in the order added). */
void metadata_pallet_add(struct metadata_builder *b, const struct metadata_pallet *p);
/* Sets the extrinsic description (copied). */
void metadata_extrinsic_set(struct metadata_builder *b, const struct metadata_extrinsic *x);
/* Returns: the extrinsic description, or NULL if none was set. Valid until the builder is freed. */
const struct metadata_extrinsic *metadata_extrinsic_get(const struct metadata_builder *b);
/* Sets the Runtime type id (V14/V15 `ty`). */
void metadata_runtime_type_set(struct metadata_builder *b, uint32_t ty);
/* V15: adds a runtime API (copied). */
void metadata_api_add(struct metadata_builder *b, const struct metadata_api *api);
/*
 * V15: sets the outer enums. If never called, V15 takes call from the extrinsic's Call param
 * and event/error from the types whose path ends in "::RuntimeEvent" / "::RuntimeError".
 */
void metadata_outer_enums_set(struct metadata_builder *b, uint32_t call, uint32_t event,
                              uint32_t error);
/* V15: adds a custom metadata entry (key unique; encoded in key order). */
void metadata_custom_add(struct metadata_builder *b, const char *name, uint32_t ty,
                         const uint8_t *value, size_t value_len);

/* Returns: number of pallets added. */
size_t metadata_pallet_count(const struct metadata_builder *b);
/* Returns: the (copied) pallet i in the order added, or NULL. Valid until the builder is freed. */
const struct metadata_pallet *metadata_pallet_get(const struct metadata_builder *b, size_t i);

/* ---- decoding ---- */

/*
 * Decodes a RuntimeMetadataPrefixed blob (V14 or V15, as state_getMetadata returns it) into a
 * new builder, for inspection (metadata_type_get, metadata_pallet_get) or re-encoding. Types
 * keep their wire ids (no deduplication) and may refer forward. Strict, so that whatever
 * decodes re-encodes to the same bytes with metadata_encode_v14/v15.
 * Returns: ITEE_OK; ITEE_ERR_SCALE_* for malformed SCALE (incl. trailing bytes);
 * ITEE_ERR_FORMAT for a bad magic, type ids that are not their positions, references to
 * unknown types, calls/events/errors that are not variant types, duplicate variant indices or
 * custom keys out of order; ITEE_ERR_UNSUPPORTED for other versions and for what the builder's
 * C strings cannot represent (a NUL in a string, a path segment that is empty or contains ':',
 * a doc line containing a newline, a doc list of one empty line, a storage map without
 * hashers); ITEE_ERR_NOMEM. Out: *out (NULL on failure), *version (14 or 15; 0 on failure).
 */
ITEE_MUST_CHECK enum itee_err metadata_decode(const uint8_t *blob, size_t len,
                                              struct metadata_builder **out, uint32_t *version);

/* ---- encoding ---- */

/* Appends the V14 RuntimeMetadataPrefixed blob ("meta" 0e ...). Returns: the sticky error,
 * ITEE_ERR_ARG for an inconsistent description (undefined reserved type, missing extrinsic
 * or runtime type), or the buffer's errors. out->len is restored on failure. */
ITEE_MUST_CHECK enum itee_err metadata_encode_v14(const struct metadata_builder *b,
                                                  struct itee_buf *out);
/* Appends the V15 blob ("meta" 0f ...). Returns: as metadata_encode_v14. */
ITEE_MUST_CHECK enum itee_err metadata_encode_v15(const struct metadata_builder *b,
                                                  struct itee_buf *out);
/* Appends OpaqueMetadata (Vec<u8>) of the V14 blob: the Metadata_metadata output. */
ITEE_MUST_CHECK enum itee_err metadata_encode_opaque(const struct metadata_builder *b,
                                                     struct itee_buf *out);
/* Appends Option<OpaqueMetadata> for version (14, 15 -> Some(blob), others -> None): the
 * Metadata_metadata_at_version output. */
ITEE_MUST_CHECK enum itee_err metadata_encode_at_version(const struct metadata_builder *b,
                                                         uint32_t version, struct itee_buf *out);
/*
 * Appends Vec<u32> of the versions b can encode: [14, 15], or [14] when V15 cannot be encoded
 * (e.g. no RuntimeError enum), so polkadot-js never asks for a version that would fail. This
 * is the Metadata_metadata_versions output. Returns: as metadata_encode_v14.
 */
ITEE_MUST_CHECK enum itee_err metadata_encode_versions(const struct metadata_builder *b,
                                                       struct itee_buf *out);

#endif
