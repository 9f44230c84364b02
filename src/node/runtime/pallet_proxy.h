/*
 * pallet_proxy.h - pallet_proxy (runtime index 7) of polkadot-sdk stable2503 with the solo
 * node's ProxyType: Any=0, NonTransfer=1 (System, Timestamp, Grandpa, Treasury, Proxy,
 * Multisig), Governance=2 (Treasury), CancelProxy=3 (Proxy.reject_announcement), and deposits
 * ProxyDepositBase = deposit(1, 8) = 20.008 TEER, ProxyDepositFactor = deposit(0, 33) =
 * 0.033 TEER (reserved from the delegator), MaxProxies 32.
 *
 * Calls: 0 proxy(real, force_proxy_type: Option<ProxyType>, call),
 * 1 add_proxy(delegate, proxy_type, delay: u32), 2 remove_proxy(delegate, proxy_type, delay),
 * 3 remove_proxies(), 4 create_pure(proxy_type, delay, index: u16),
 * 5 kill_pure(spawner, proxy_type, index: u16, height: Compact<u32>, ext_index: Compact<u32>),
 * 6 announce(real, call_hash), 7 remove_announcement(real, call_hash),
 * 8 reject_announcement(delegate, call_hash), 9 proxy_announced(delegate, real,
 * force_proxy_type, call). Announcements reserve AnnouncementDepositBase = deposit(1, 8) =
 * 20.008 TEER + AnnouncementDepositFactor = deposit(0, 66) = 0.066 TEER each from the
 * announcing delegate, MaxPending 32; the call hash is blake2_256 of the call's encoding.
 * Events: 0 ProxyExecuted{result}, 1 PureCreated, 2 Announced, 3 ProxyAdded{delegator,
 * delegatee, proxy_type, delay}, 4 ProxyRemoved{delegator, delegatee, proxy_type, delay}.
 * Errors: 0 TooMany, 1 NotFound, 2 NotProxy, 3 Unproxyable, 4 Duplicate, 5 NoPermission,
 * 6 Unannounced, 7 NoSelfProxy.
 * Storage Proxies: Twox64Concat(AccountId) -> (Vec<ProxyDefinition{delegate, proxy_type,
 * delay}>, Balance deposit), definitions sorted (delegate, proxy_type, delay);
 * Announcements: Twox64Concat(AccountId) -> (Vec<Announcement{real, call_hash: H256,
 * height: u32}>, Balance deposit).
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

#define PALLET_PROXY_MAX_PROXIES                 32u
#define PALLET_PROXY_DEPOSIT_BASE                ((itee_u128)20008000000000ULL)
#define PALLET_PROXY_DEPOSIT_FACTOR              ((itee_u128)33000000000ULL)
#define PALLET_PROXY_MAX_PENDING                 32u
#define PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_BASE   ((itee_u128)20008000000000ULL)
#define PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_FACTOR ((itee_u128)66000000000ULL)

/* One pending Announcement. */
struct pallet_proxy_announcement {
    uint8_t real[RT_ACCOUNT_LEN]; /* account the call will be made for */
    uint8_t call_hash[32];        /* blake2_256 of the call */
    uint32_t height;              /* block of the announcement */
};

/*
 * pallet_proxy::pure_account: blake2_256(b"modlpy/proxy____" ++ who ++ height u32 ++
 * ext_index u32 ++ proxy_type u8 ++ index u16).
 */
void pallet_proxy_pure_account(uint8_t out[RT_ACCOUNT_LEN], const uint8_t who[RT_ACCOUNT_LEN],
                               uint8_t proxy_type, uint16_t index, uint32_t height,
                               uint32_t ext_index);
/* Reads Announcements(delegate). Out: anns (up to PALLET_PROXY_MAX_PENDING), *n, *deposit. */
ITEE_MUST_CHECK enum itee_err pallet_proxy_announcements_get(struct rt_ctx *ctx,
                                                             const uint8_t delegate[RT_ACCOUNT_LEN],
                                                             struct pallet_proxy_announcement *anns,
                                                             size_t *n, itee_u128 *deposit);

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
