/*
 * pallet_balances.h - pallet_balances (runtime index 10) with the solo node's parameters:
 * ExistentialDeposit 500 planck, DustRemoval () (dust is burned), AccountStore = System
 * (balances live in System.Account, spec substrate-compat §2.5), TotalIssuance.
 *
 * Transfers follow the fungible traits the modern pallet uses, so failures are the same
 * DispatchErrors FRAME returns: Token(FundsUnavailable) when the balance is too low,
 * Token(BelowMinimum) when a new account would get less than the ED, Token(NotExpendable)
 * when keep-alive would kill the sender, Token(Frozen), Arithmetic(..). Module errors of
 * Balances come from the reserve path (InsufficientBalance, index 2) and issuance calls.
 *
 * Indices (polkadot-sdk stable2503): calls 0 transfer_allow_death(dest, Compact value),
 * 2 force_transfer(source, dest, Compact), 3 transfer_keep_alive(dest, Compact),
 * 4 transfer_all(dest, keep_alive), 5 force_unreserve(who, u128), 6 upgrade_accounts(Vec<Id>),
 * 8 force_set_balance(who, Compact new_free), 9 force_adjust_total_issuance(direction, Compact),
 * 10 burn(Compact value, keep_alive). Events: see enum pallet_balances_event.
 */
#ifndef ITEE_PALLET_BALANCES_H
#define ITEE_PALLET_BALANCES_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/int128.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_BALANCES_ED ((itee_u128)500)

enum pallet_balances_event {
    PALLET_BALANCES_EV_ENDOWED = 0,          /* {account, free_balance} */
    PALLET_BALANCES_EV_DUST_LOST = 1,        /* {account, amount} */
    PALLET_BALANCES_EV_TRANSFER = 2,         /* {from, to, amount} */
    PALLET_BALANCES_EV_BALANCE_SET = 3,      /* {who, free} */
    PALLET_BALANCES_EV_RESERVED = 4,         /* {who, amount} */
    PALLET_BALANCES_EV_UNRESERVED = 5,       /* {who, amount} */
    PALLET_BALANCES_EV_REPATRIATED = 6,      /* {from, to, amount, destination_status} */
    PALLET_BALANCES_EV_DEPOSIT = 7,          /* {who, amount} */
    PALLET_BALANCES_EV_WITHDRAW = 8,         /* {who, amount} */
    PALLET_BALANCES_EV_SLASHED = 9,          /* {who, amount} */
    PALLET_BALANCES_EV_MINTED = 10,          /* {who, amount} */
    PALLET_BALANCES_EV_BURNED = 11,          /* {who, amount} */
    PALLET_BALANCES_EV_SUSPENDED = 12,       /* {who, amount} */
    PALLET_BALANCES_EV_RESTORED = 13,        /* {who, amount} */
    PALLET_BALANCES_EV_UPGRADED = 14,        /* {who} */
    PALLET_BALANCES_EV_ISSUED = 15,          /* {amount} */
    PALLET_BALANCES_EV_RESCINDED = 16,       /* {amount} */
    PALLET_BALANCES_EV_LOCKED = 17,          /* {who, amount} */
    PALLET_BALANCES_EV_UNLOCKED = 18,        /* {who, amount} */
    PALLET_BALANCES_EV_FROZEN = 19,          /* {who, amount} */
    PALLET_BALANCES_EV_THAWED = 20,          /* {who, amount} */
    PALLET_BALANCES_EV_ISSUANCE_FORCED = 21, /* TotalIssuanceForced {old, new} */
};

enum pallet_balances_error {
    PALLET_BALANCES_ERR_VESTING_BALANCE = 0,
    PALLET_BALANCES_ERR_LIQUIDITY_RESTRICTIONS = 1,
    PALLET_BALANCES_ERR_INSUFFICIENT_BALANCE = 2,
    PALLET_BALANCES_ERR_EXISTENTIAL_DEPOSIT = 3,
    PALLET_BALANCES_ERR_EXPENDABILITY = 4,
    PALLET_BALANCES_ERR_EXISTING_VESTING_SCHEDULE = 5,
    PALLET_BALANCES_ERR_DEAD_ACCOUNT = 6,
    PALLET_BALANCES_ERR_TOO_MANY_RESERVES = 7,
    PALLET_BALANCES_ERR_TOO_MANY_HOLDS = 8,
    PALLET_BALANCES_ERR_TOO_MANY_FREEZES = 9,
    PALLET_BALANCES_ERR_ISSUANCE_DEACTIVATED = 10,
    PALLET_BALANCES_ERR_DELTA_ZERO = 11,
};

/* frame_support::traits::tokens::Preservation. */
enum pallet_balances_preservation {
    PALLET_BALANCES_EXPENDABLE = 0, /* the account may be reaped */
    PALLET_BALANCES_PROTECT = 1,    /* keep the provider reference if it is the only one */
    PALLET_BALANCES_PRESERVE = 2,   /* the account must stay above the ED */
};

/* Reads / writes Balances.TotalIssuance. */
ITEE_MUST_CHECK enum itee_err pallet_balances_total_issuance(struct rt_ctx *ctx, itee_u128 *out);
ITEE_MUST_CHECK enum itee_err pallet_balances_set_total_issuance(struct rt_ctx *ctx, itee_u128 v);
/* fungible::Inspect::reducible_balance (force = Fortitude::Force). */
ITEE_MUST_CHECK enum itee_err pallet_balances_reducible(struct rt_ctx *ctx,
                                                        const uint8_t who[RT_ACCOUNT_LEN],
                                                        enum pallet_balances_preservation p,
                                                        bool force, itee_u128 *out);
/* fungible::Mutate::transfer (+ Transfer event). Failure: post. */
ITEE_MUST_CHECK enum itee_err
pallet_balances_transfer(struct rt_ctx *ctx, const uint8_t from[RT_ACCOUNT_LEN],
                         const uint8_t to[RT_ACCOUNT_LEN], itee_u128 amount,
                         enum pallet_balances_preservation p, struct rt_post *post);
/*
 * fungible::Balanced::withdraw (Exact, Polite) + Withdraw event. TotalIssuance is NOT
 * changed: the caller owns the resulting credit (burns it or deposits it elsewhere).
 */
ITEE_MUST_CHECK enum itee_err
pallet_balances_withdraw(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN], itee_u128 amount,
                         enum pallet_balances_preservation p, struct rt_post *post);
/*
 * fungible::Balanced::deposit + Deposit event; TotalIssuance unchanged (the caller resolves
 * an existing credit). best_effort: a deposit that cannot reach the ED yields 0 instead of
 * failing. Out: *deposited (may be NULL).
 */
ITEE_MUST_CHECK enum itee_err pallet_balances_deposit(struct rt_ctx *ctx,
                                                      const uint8_t who[RT_ACCOUNT_LEN],
                                                      itee_u128 amount, bool best_effort,
                                                      itee_u128 *deposited, struct rt_post *post);
/* ReservableCurrency::reserve (+ Reserved). Failure (InsufficientBalance, ...): post. */
ITEE_MUST_CHECK enum itee_err pallet_balances_reserve(struct rt_ctx *ctx,
                                                      const uint8_t who[RT_ACCOUNT_LEN],
                                                      itee_u128 amount, struct rt_post *post);
/* ReservableCurrency::unreserve (+ Unreserved). Out: *remaining not unreserved (may be NULL). */
ITEE_MUST_CHECK enum itee_err pallet_balances_unreserve(struct rt_ctx *ctx,
                                                        const uint8_t who[RT_ACCOUNT_LEN],
                                                        itee_u128 amount, itee_u128 *remaining);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_balances_dispatch(struct rt_ctx *ctx,
                                                       const struct rt_origin *origin,
                                                       uint8_t call_index,
                                                       struct scale_reader *args, bool exec,
                                                       struct rt_info *info, struct rt_post *post);

#endif
