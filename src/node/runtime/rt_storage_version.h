/*
 * rt_storage_version.h - the pallets' on-chain storage versions: FRAME's genesis writes, for
 * every pallet, twox128(pallet prefix) ++ twox128(":__STORAGE_VERSION__:") = u16 LE with the
 * pallet's in-code STORAGE_VERSION (0 for pallets that declare none).
 */
#ifndef ITEE_RT_STORAGE_VERSION_H
#define ITEE_RT_STORAGE_VERSION_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "node/runtime/rt_state.h"

/* One pallet's in-code storage version. */
struct rt_storage_version {
    const char *pallet; /* storage prefix (construct_runtime name) */
    uint16_t version;   /* StorageVersion */
};

/* The table, one row per pallet of this runtime. Out: *n rows. */
const struct rt_storage_version *rt_storage_version_table(size_t *n);
/* The storage key of pallet's version. */
void rt_storage_version_key(uint8_t out[32], const char *pallet);
/* Writes every pallet's version (genesis). */
ITEE_MUST_CHECK enum itee_err rt_storage_version_write_all(struct rt_state *st);

#endif
