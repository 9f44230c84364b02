/*
 * pallet_sudo.h - pallet_sudo (runtime index 5) of polkadot-sdk stable2503.
 * Calls: 0 sudo(call), 1 sudo_unchecked_weight(call, weight), 2 set_key(new: MultiAddress),
 * 3 sudo_as(who: MultiAddress, call), 4 remove_key(). Every successful call is Pays::No.
 * Events: 0 Sudid{sudo_result: DispatchResult}, 1 KeyChanged{old: Option<AccountId>, new},
 * 2 KeyRemoved, 3 SudoAsDone{sudo_result}. Error 0 RequireSudo. Storage Key: Option<AccountId>.
 */
#ifndef ITEE_PALLET_SUDO_H
#define ITEE_PALLET_SUDO_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_SUDO_ERR_REQUIRE_SUDO 0

/* Reads Sudo.Key. Out: key, *has. */
ITEE_MUST_CHECK enum itee_err pallet_sudo_key(struct rt_ctx *ctx, uint8_t key[RT_ACCOUNT_LEN],
                                              bool *has);
/* Writes Sudo.Key (genesis). */
ITEE_MUST_CHECK enum itee_err pallet_sudo_set_key(struct rt_ctx *ctx,
                                                  const uint8_t key[RT_ACCOUNT_LEN]);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_sudo_dispatch(struct rt_ctx *ctx,
                                                   const struct rt_origin *origin,
                                                   uint8_t call_index, struct scale_reader *args,
                                                   bool exec, struct rt_info *info,
                                                   struct rt_post *post);

#endif
