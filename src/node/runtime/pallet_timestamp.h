/*
 * pallet_timestamp.h - pallet_timestamp (runtime index 3): the `set(now: Compact<u64>)` inherent
 * (call 0, origin None, class Mandatory), storage Now (u64 ms) and DidUpdate (bool), and the
 * solo node's MinimumPeriod of 3000 ms (slot 6000 ms = 2 * MinimumPeriod). No events.
 */
#ifndef ITEE_PALLET_TIMESTAMP_H
#define ITEE_PALLET_TIMESTAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_TIMESTAMP_MINIMUM_PERIOD 3000u

/* Reads Timestamp.Now (0 when unset). */
ITEE_MUST_CHECK enum itee_err pallet_timestamp_now(struct rt_ctx *ctx, uint64_t *now);
/*
 * on_finalize: the inherent must have run this block (DidUpdate is then removed).
 * Out: *did_update (false means the block is invalid; FRAME panics).
 */
ITEE_MUST_CHECK enum itee_err pallet_timestamp_finalize(struct rt_ctx *ctx, bool *did_update);

/*
 * Dispatcher. set fails with BadOrigin unless origin is None; a second set in a block, or a
 * time earlier than Now + MinimumPeriod, is refused with DispatchError::Other (FRAME panics:
 * the block is invalid).
 */
ITEE_MUST_CHECK enum itee_err pallet_timestamp_dispatch(struct rt_ctx *ctx,
                                                        const struct rt_origin *origin,
                                                        uint8_t call_index,
                                                        struct scale_reader *args, bool exec,
                                                        struct rt_info *info, struct rt_post *post);

#endif
