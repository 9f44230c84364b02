/*
 * pallet_utility.h - pallet_utility (runtime index 9) of polkadot-sdk stable2503.
 * Calls: 0 batch(calls), 1 as_derivative(index: u16, call), 2 batch_all(calls),
 * 3 dispatch_as(as_origin: OriginCaller, call) (Root; OriginCaller = system(RawOrigin) = 0,
 * Void = 1), 4 force_batch(calls),
 * 5 with_weight(call, weight). Events: 0 BatchInterrupted{index: u32, error},
 * 1 BatchCompleted, 2 BatchCompletedWithErrors, 3 ItemCompleted, 4 ItemFailed{error},
 * 5 DispatchedAs{result}. Error 0 TooManyCalls.
 */
#ifndef ITEE_PALLET_UTILITY_H
#define ITEE_PALLET_UTILITY_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_UTILITY_ERR_TOO_MANY_CALLS 0
/*
 * batched_calls_limit = MAX_POSSIBLE_ALLOCATION (32 MiB) / 3 / size_of::<RuntimeCall>(); the
 * Rust call size is not observable here, 1024 bytes is assumed.
 */
#define PALLET_UTILITY_BATCHED_CALLS_LIMIT 10922u

/* utility::derivative_account_id: blake2_256("modlpy/utilisuba" || who || u16 index). */
void pallet_utility_derivative_account(uint8_t out[RT_ACCOUNT_LEN],
                                       const uint8_t who[RT_ACCOUNT_LEN], uint16_t index);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_utility_dispatch(struct rt_ctx *ctx,
                                                      const struct rt_origin *origin,
                                                      uint8_t call_index, struct scale_reader *args,
                                                      bool exec, struct rt_info *info,
                                                      struct rt_post *post);

#endif
