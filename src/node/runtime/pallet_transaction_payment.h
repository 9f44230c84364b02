/*
 * pallet_transaction_payment.h - fees of the solo node (runtime index 11; no calls).
 *
 * fee = base_fee + length_fee + multiplier * weight_fee (+ tip), with the solo node's
 * parameters (parentchain-pallets §11): WeightToFee = IdentityFee (1 planck per ref_time unit),
 * base_fee = WeightToFee(ExtrinsicBaseWeight = 125_000_000), LengthToFee = 1 MICROTEER
 * (10^6 planck) per byte of the encoded extrinsic, constant multiplier 1 (NextFeeMultiplier
 * holds FixedU128 1.0 = 10^18). Pays::No calls pay only the tip.
 *
 * Settlement (FungibleAdapter + Integritee's DealWithFees): fee + tip are withdrawn before
 * dispatch (Balances.Withdraw, keep-alive); after dispatch the over-charge is refunded
 * (Balances.Deposit); then the fee is rationed 1 : 99 (floor(fee / 100) to the treasury account,
 * Balances.Deposit; the rest burned: TotalIssuance decreases, no event) and the tip goes to the
 * treasury by PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT (100: Integritee's DealWithFees
 * source "tips go to the treasury entirely. no burning", and spec §10/§11; issue #4 words it as
 * 1 % / 99 % for tips too - set 1 for that reading); finally TransactionFeePaid{who, actual_fee
 * (incl. tip), tip} (event 0).
 */
#ifndef ITEE_PALLET_TRANSACTION_PAYMENT_H
#define ITEE_PALLET_TRANSACTION_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"

#include "common/int128.h"
#include "node/runtime/rt_ctx.h"

/* TransactionByteFee: 1 MICROTEER. */
#define PALLET_TRANSACTION_PAYMENT_BYTE_FEE ((itee_u128)1000000)
/* Share of the tip the treasury receives (floor); the rest is burned. See above. */
#ifndef PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT
#define PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT 100
#endif
/* NextFeeMultiplier = FixedU128 one. */
#define PALLET_TRANSACTION_PAYMENT_MULTIPLIER_ONE ((itee_u128)1000000000000000000ULL)

/* FeeDetails { inclusion_fee: Option<{base, len, adjusted_weight}>, tip }. */
struct pallet_transaction_payment_fee {
    bool has_inclusion;        /* false for Pays::No */
    itee_u128 base_fee;        /* WeightToFee(ExtrinsicBaseWeight) */
    itee_u128 len_fee;         /* encoded length * byte fee */
    itee_u128 adjusted_weight; /* multiplier * WeightToFee(weight) */
    itee_u128 tip;             /* the tip */
};

/* The treasury account: "modl" || PalletId "py/trsry" || zero padding (32 bytes). */
void pallet_transaction_payment_treasury(uint8_t out[RT_ACCOUNT_LEN]);
/* Fee details for an extrinsic of len bytes with the given weight and pays flag. */
void pallet_transaction_payment_details(size_t len, const struct rt_weight *weight,
                                        enum rt_pays pays, itee_u128 tip,
                                        struct pallet_transaction_payment_fee *out);
/* Returns: the final fee (inclusion fee + tip), saturating. */
itee_u128 pallet_transaction_payment_final(const struct pallet_transaction_payment_fee *f);
/* Returns: compute_fee(len, info, tip) (partial fee of payment_queryInfo with tip 0). */
itee_u128 pallet_transaction_payment_compute_fee(size_t len, const struct rt_info *info,
                                                 itee_u128 tip);

/* Withdraws fee (incl. tip) from who, keep-alive. Failure in post (-> InvalidTransaction::Payment).
 */
ITEE_MUST_CHECK enum itee_err pallet_transaction_payment_withdraw(struct rt_ctx *ctx,
                                                                  const uint8_t who[RT_ACCOUNT_LEN],
                                                                  itee_u128 fee,
                                                                  struct rt_post *post);
/*
 * Settles after dispatch: paid = what was withdrawn, actual_fee = corrected fee incl. tip.
 * Refund, 1 % / 99 % split of fee and tip, TransactionFeePaid.
 */
ITEE_MUST_CHECK enum itee_err
pallet_transaction_payment_settle(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                  itee_u128 paid, itee_u128 actual_fee, itee_u128 tip);

/*
 * TransactionPaymentApi_query_info result: RuntimeDispatchInfo {weight: Weight (two compacts),
 * class: u8, partial_fee: u128} with partial_fee = compute_fee(len, info, 0) for a signed
 * extrinsic, 0 for an unsigned one. Extension weights are taken as zero.
 */
ITEE_MUST_CHECK enum itee_err
pallet_transaction_payment_encode_query_info(const struct rt_info *info, size_t len, bool is_signed,
                                             struct itee_buf *out);
/*
 * TransactionPaymentApi_query_fee_details result: FeeDetails {inclusion_fee:
 * Option<InclusionFee{base_fee, len_fee, adjusted_weight_fee}>} (the tip is #[codec(skip)]).
 */
ITEE_MUST_CHECK enum itee_err
pallet_transaction_payment_encode_fee_details(const struct rt_info *info, size_t len,
                                              bool is_signed, struct itee_buf *out);

/* Dispatcher: the pallet has no calls (always ITEE_ERR_SCALE_VARIANT). */
ITEE_MUST_CHECK enum itee_err
pallet_transaction_payment_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                    uint8_t call_index, struct scale_reader *args, bool exec,
                                    struct rt_info *info, struct rt_post *post);

#endif
