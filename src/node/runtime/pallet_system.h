/*
 * pallet_system.h - frame_system (runtime index 0): accounts (System.Account, AccountInfo with
 * pallet_balances::AccountData, spec substrate-compat §2.5), reference counting (providers /
 * consumers, NewAccount / KilledAccount), origins and MultiAddress lookup, the calls remark,
 * set_heap_pages, set_storage, kill_storage, kill_prefix, remark_with_event (set_code and the
 * authorized-upgrade calls are refused: there is no wasm runtime to replace), and the
 * ExtrinsicSuccess / ExtrinsicFailed events.
 *
 * Indices (polkadot-sdk stable2503): calls 0 remark, 1 set_heap_pages, 2 set_code,
 * 3 set_code_without_checks, 4 set_storage, 5 kill_storage, 6 kill_prefix, 7 remark_with_event,
 * 9 authorize_upgrade, 10 authorize_upgrade_without_checks, 11 apply_authorized_upgrade.
 * Events 0 ExtrinsicSuccess{dispatch_info}, 1 ExtrinsicFailed{dispatch_error, dispatch_info},
 * 2 CodeUpdated, 3 NewAccount{account}, 4 KilledAccount{account}, 5 Remarked{sender, hash}.
 * Errors 0 InvalidSpecName, 1 SpecVersionNeedsToIncrease, 2 FailedToExtractRuntimeVersion,
 * 3 NonDefaultComposite, 4 NonZeroRefCount, 5 CallFiltered, 6 MultiBlockMigrationsOngoing,
 * 7 NothingAuthorized, 8 Unauthorized.
 */
#ifndef ITEE_PALLET_SYSTEM_H
#define ITEE_PALLET_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/int128.h"
#include "node/runtime/rt_ctx.h"

enum pallet_system_error {
    PALLET_SYSTEM_ERR_INVALID_SPEC_NAME = 0,
    PALLET_SYSTEM_ERR_SPEC_VERSION_NEEDS_TO_INCREASE = 1,
    PALLET_SYSTEM_ERR_FAILED_TO_EXTRACT_RUNTIME_VERSION = 2,
    PALLET_SYSTEM_ERR_NON_DEFAULT_COMPOSITE = 3,
    PALLET_SYSTEM_ERR_NON_ZERO_REF_COUNT = 4,
    PALLET_SYSTEM_ERR_CALL_FILTERED = 5,
    PALLET_SYSTEM_ERR_NOTHING_AUTHORIZED = 7,
};

/* Encoded AccountInfo length. */
#define PALLET_SYSTEM_ACCOUNT_LEN 80
/* ExtraFlags IS_NEW_LOGIC: set in every AccountData::default(). */
#define PALLET_SYSTEM_IS_NEW_LOGIC ((itee_u128)1 << 127)
/* frame_system MaxConsumers (ConstU32<16> in the solo node). */
#define PALLET_SYSTEM_MAX_CONSUMERS 16u

/* frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>. */
struct pallet_system_account {
    uint32_t nonce;       /* transactions sent */
    uint32_t consumers;   /* modules that need the account to stay */
    uint32_t providers;   /* modules that allow the account to exist */
    uint32_t sufficients; /* self-sufficient references */
    itee_u128 free;       /* AccountData.free */
    itee_u128 reserved;   /* AccountData.reserved */
    itee_u128 frozen;     /* AccountData.frozen */
    itee_u128 flags;      /* AccountData.flags (ExtraFlags) */
};

/* Fills a with the default AccountInfo (zeros, flags = IS_NEW_LOGIC). */
void pallet_system_account_default(struct pallet_system_account *a);
/* Returns: true if the AccountData part equals its default. */
bool pallet_system_data_is_default(const struct pallet_system_account *a);
/* Encodes a (80 bytes). */
void pallet_system_account_encode(const struct pallet_system_account *a,
                                  uint8_t out[PALLET_SYSTEM_ACCOUNT_LEN]);
/* Decodes an AccountInfo. Returns: ITEE_OK or a SCALE error. */
ITEE_MUST_CHECK enum itee_err pallet_system_account_decode(struct pallet_system_account *a,
                                                           const uint8_t *p, size_t len);
/* Replaces key with the System.Account(who) storage key. */
ITEE_MUST_CHECK enum itee_err pallet_system_account_key(struct itee_buf *key,
                                                        const uint8_t who[RT_ACCOUNT_LEN]);
/* Reads System.Account(who) (default when absent). Out: *exists (may be NULL). */
ITEE_MUST_CHECK enum itee_err pallet_system_account_get(struct rt_ctx *ctx,
                                                        const uint8_t who[RT_ACCOUNT_LEN],
                                                        struct pallet_system_account *a,
                                                        bool *exists);
/* Writes System.Account(who). */
ITEE_MUST_CHECK enum itee_err pallet_system_account_put(struct rt_ctx *ctx,
                                                        const uint8_t who[RT_ACCOUNT_LEN],
                                                        const struct pallet_system_account *a);
/* Removes System.Account(who). */
ITEE_MUST_CHECK enum itee_err pallet_system_account_remove(struct rt_ctx *ctx,
                                                           const uint8_t who[RT_ACCOUNT_LEN]);

/* frame_system::inc_providers (emits NewAccount when the account is created). */
ITEE_MUST_CHECK enum itee_err pallet_system_inc_providers(struct rt_ctx *ctx,
                                                          const uint8_t who[RT_ACCOUNT_LEN]);
/*
 * frame_system::dec_providers: reaps the account (KilledAccount) when the last provider goes
 * with no consumers; fails with ConsumerRemaining (post) when consumers remain.
 */
ITEE_MUST_CHECK enum itee_err pallet_system_dec_providers(struct rt_ctx *ctx,
                                                          const uint8_t who[RT_ACCOUNT_LEN],
                                                          struct rt_post *post);
/* frame_system::inc_consumers (NoProviders / TooManyConsumers into post). */
ITEE_MUST_CHECK enum itee_err pallet_system_inc_consumers(struct rt_ctx *ctx,
                                                          const uint8_t who[RT_ACCOUNT_LEN],
                                                          struct rt_post *post);
/* frame_system::dec_consumers. */
ITEE_MUST_CHECK enum itee_err pallet_system_dec_consumers(struct rt_ctx *ctx,
                                                          const uint8_t who[RT_ACCOUNT_LEN]);
/* frame_system::can_dec_provider. Out: *can. */
ITEE_MUST_CHECK enum itee_err
pallet_system_can_dec_provider(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN], bool *can);

/* ensure_signed: returns true, or false with BadOrigin in post. */
bool pallet_system_ensure_signed(const struct rt_origin *origin, struct rt_post *post);
/* ensure_root: returns true, or false with BadOrigin in post. */
bool pallet_system_ensure_root(const struct rt_origin *origin, struct rt_post *post);
/* ensure_none: returns true, or false with BadOrigin in post. */
bool pallet_system_ensure_none(const struct rt_origin *origin, struct rt_post *post);

/*
 * Decodes a MultiAddress<AccountId32, ()> (Id=0, Index=1, Raw=2, Address32=3, Address20=4)
 * and resolves it as AccountIdLookup does: only Id resolves. Out: who, *resolved (false ->
 * the call fails with CannotLookup).
 */
ITEE_MUST_CHECK enum itee_err
pallet_system_read_address(struct scale_reader *r, uint8_t who[RT_ACCOUNT_LEN], bool *resolved);

/* Deposits ExtrinsicSuccess / ExtrinsicFailed with DispatchEventInfo{weight, class, pays}. */
ITEE_MUST_CHECK enum itee_err pallet_system_note_applied(struct rt_ctx *ctx, bool ok,
                                                         const struct rt_derr *err,
                                                         const struct rt_weight *weight,
                                                         enum rt_class cls, enum rt_pays pays);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_system_dispatch(struct rt_ctx *ctx,
                                                     const struct rt_origin *origin,
                                                     uint8_t call_index, struct scale_reader *args,
                                                     bool exec, struct rt_info *info,
                                                     struct rt_post *post);

#endif
