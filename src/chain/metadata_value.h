/*
 * metadata_value.h - reading a chain's data with nothing but its metadata: SCALE values of any
 * type of the portable registry decoded to JSON (or skipped), and lookups of pallets, calls,
 * storage entries and events by name. This is what lets the CLI and the worker talk to a node
 * whose runtime they were not compiled against, as subxt and polkadot-js do.
 *
 * JSON shapes (close to polkadot-js toJSON): bool, integers up to 2^53 as numbers and larger ones
 * as decimal strings, u8 sequences and arrays as "0x…" hex, composites with named fields as
 * objects, a single unnamed field as its value, several as arrays, enums as {"Variant": value}
 * (unit variants as "Variant"), Option as null or the value, compact as its value.
 */
#ifndef ITEE_METADATA_VALUE_H
#define ITEE_METADATA_VALUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/metadata.h"
#include "codec/scale.h"
#include "common/err.h"

#define METADATA_VALUE_MAX_DEPTH 64    /* nesting deeper than this is refused (ITEE_ERR_SPACE) */
#define METADATA_VALUE_MAX_ZST   65536 /* longest sequence of zero-sized values accepted */

/*
 * Decodes one value of type ty from r into *out (a new reference). Returns: ITEE_OK;
 * ITEE_ERR_SCALE_* for malformed input; ITEE_ERR_FORMAT for a type id the metadata lacks;
 * ITEE_ERR_SPACE (too deep); ITEE_ERR_NOMEM. On failure *out is NULL and r's position undefined.
 */
ITEE_MUST_CHECK enum itee_err metadata_value_decode(const struct metadata_builder *md, uint32_t ty,
                                                    struct scale_reader *r, json_t **out);
/* Consumes one value of type ty from r without building it. Returns: as decode. */
ITEE_MUST_CHECK enum itee_err metadata_value_skip(const struct metadata_builder *md, uint32_t ty,
                                                  struct scale_reader *r);

/* Returns: the pallet called name, or NULL. */
const struct metadata_pallet *metadata_find_pallet(const struct metadata_builder *md,
                                                   const char *name);
/* Returns: the pallet with index, or NULL. */
const struct metadata_pallet *metadata_find_pallet_index(const struct metadata_builder *md,
                                                         uint8_t index);
/* Returns: the variant of enum type ty called name (or with index, for _index), or NULL. */
const struct metadata_variant *metadata_find_variant(const struct metadata_builder *md, uint32_t ty,
                                                     const char *name);
const struct metadata_variant *metadata_find_variant_index(const struct metadata_builder *md,
                                                           uint32_t ty, uint8_t index);
/*
 * Finds call `pallet.call`. Out: idx[0] pallet index, idx[1] call index.
 * Returns: ITEE_OK, ITEE_ERR_NOENT (no such pallet or call).
 */
ITEE_MUST_CHECK enum itee_err metadata_find_call(const struct metadata_builder *md,
                                                 const char *pallet, const char *call,
                                                 uint8_t idx[2]);
/* Returns: the storage entry `pallet.item` (and its pallet in *p_out), or NULL. */
const struct metadata_storage_entry *metadata_find_storage(const struct metadata_builder *md,
                                                           const char *pallet, const char *item,
                                                           const struct metadata_pallet **p_out);
/* Returns: the constant `pallet.name`, or NULL. */
const struct metadata_constant *metadata_find_constant(const struct metadata_builder *md,
                                                       const char *pallet, const char *name);

/*
 * Decodes Vec<EventRecord> (the System.Events value) into a JSON array of objects
 * {"phase": {"ApplyExtrinsic": n} | "Finalization" | "Initialization", "pallet": name,
 *  "event": name, "fields": value, "topics": ["0x…"]}; fields as the event's variant would
 * decode (an object for named fields). Returns: as metadata_value_decode; trailing bytes are
 * ITEE_ERR_SCALE_TRAILING.
 */
ITEE_MUST_CHECK enum itee_err metadata_events_decode(const struct metadata_builder *md,
                                                     const uint8_t *data, size_t len, json_t **out);

#endif
