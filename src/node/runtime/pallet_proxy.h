/*
 * pallet_proxy.h - pallet_proxy (runtime index 7) of polkadot-sdk stable2503 with the solo
 * node's ProxyType: Any=0, NonTransfer=1 (System, Timestamp, Grandpa, Treasury, Proxy,
 * Multisig), Governance=2 (Treasury), CancelProxy=3 (Proxy.reject_announcement), and deposits
 * ProxyDepositBase = deposit(1, 8) = 20.008 TEER, ProxyDepositFactor = deposit(0, 33) =
 * 0.033 TEER (reserved from the delegator), MaxProxies 32.
 *
 * Implemented calls: 0 proxy(real, force_proxy_type: Option<ProxyType>, call),
 * 1 add_proxy(delegate, proxy_type, delay: u32), 2 remove_proxy(delegate, proxy_type, delay),
 * 3 remove_proxies(). Pure proxies and announcements (4..9) are refused (ITEE_ERR_UNSUPPORTED).
 * Events: 0 ProxyExecuted{result}, 1 PureCreated, 2 Announced, 3 ProxyAdded{delegator,
 * delegatee, proxy_type, delay}, 4 ProxyRemoved{delegator, delegatee, proxy_type, delay}.
 * Errors: 0 TooMany, 1 NotFound, 2 NotProxy, 3 Unproxyable, 4 Duplicate, 5 NoPermission,
 * 6 Unannounced, 7 NoSelfProxy.
 * Storage Proxies: Twox64Concat(AccountId) -> (Vec<ProxyDefinition{delegate, proxy_type,
 * delay}>, Balance deposit), definitions sorted (delegate, proxy_type, delay).
 */
#ifndef ITEE_PALLET_PROXY_H
#define ITEE_PALLET_PROXY_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/int128.h"
#include "node/runtime/rt_ctx.h"

enum pallet_proxy_type {
    PALLET_PROXY_ANY = 0,
    PALLET_PROXY_NON_TRANSFER = 1,
    PALLET_PROXY_GOVERNANCE = 2,
    PALLET_PROXY_CANCEL_PROXY = 3,
};

enum pallet_proxy_error {
    PALLET_PROXY_ERR_TOO_MANY = 0,
    PALLET_PROXY_ERR_NOT_FOUND = 1,
    PALLET_PROXY_ERR_NOT_PROXY = 2,
    PALLET_PROXY_ERR_UNPROXYABLE = 3,
    PALLET_PROXY_ERR_DUPLICATE = 4,
    PALLET_PROXY_ERR_NO_PERMISSION = 5,
    PALLET_PROXY_ERR_UNANNOUNCED = 6,
    PALLET_PROXY_ERR_NO_SELF_PROXY = 7,
};

#define PALLET_PROXY_MAX_PROXIES    32u
#define PALLET_PROXY_DEPOSIT_BASE   ((itee_u128)20008000000000ULL)
#define PALLET_PROXY_DEPOSIT_FACTOR ((itee_u128)33000000000ULL)

/* One ProxyDefinition. */
struct pallet_proxy_def {
    uint8_t delegate[RT_ACCOUNT_LEN]; /* the proxy account */
    uint8_t proxy_type;               /* enum pallet_proxy_type */
    uint32_t delay;                   /* announcement delay in blocks */
};

/*
 * Reads Proxies(real). Out: defs (up to PALLET_PROXY_MAX_PROXIES), *n, *deposit.
 */
ITEE_MUST_CHECK enum itee_err pallet_proxy_get(struct rt_ctx *ctx,
                                               const uint8_t real[RT_ACCOUNT_LEN],
                                               struct pallet_proxy_def *defs, size_t *n,
                                               itee_u128 *deposit);

/*
 * The call filter of proxy_type (InstanceFilter + pallet_proxy's own add/remove superset rule)
 * for the call at r (peeked, not consumed). Returns: true if allowed.
 */
bool pallet_proxy_filter(uint8_t proxy_type, const struct scale_reader *r);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_proxy_dispatch(struct rt_ctx *ctx,
                                                    const struct rt_origin *origin,
                                                    uint8_t call_index, struct scale_reader *args,
                                                    bool exec, struct rt_info *info,
                                                    struct rt_post *post);

#endif
