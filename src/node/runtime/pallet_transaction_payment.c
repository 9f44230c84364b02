/*
 * pallet_transaction_payment.c - fee computation, withdrawal and the 1 % / 99 % settlement.
 */
#include "node/runtime/pallet_transaction_payment.h"

#include <string.h>

#include "codec/scale.h"
#include "node/runtime/pallet_balances.h"
#include "node/runtime/rt_exec.h"

static itee_u128 sat_add(itee_u128 a, itee_u128 b)
{
    return a + b < a ? ITEE_U128_MAX : a + b;
}

static itee_u128 sat_mul(itee_u128 a, itee_u128 b)
{
    if (a != 0 && b > ITEE_U128_MAX / a)
        return ITEE_U128_MAX;
    return a * b;
}

void pallet_transaction_payment_treasury(uint8_t out[RT_ACCOUNT_LEN])
{
    memset(out, 0, RT_ACCOUNT_LEN);
    memcpy(out, "modlpy/trsry", 12);
}

void pallet_transaction_payment_details(size_t len, const struct rt_weight *weight,
                                        enum rt_pays pays, itee_u128 tip,
                                        struct pallet_transaction_payment_fee *out)
{
    memset(out, 0, sizeof(*out));
    out->tip = tip;
    if (pays != RT_PAYS_YES)
        return;
    out->has_inclusion = true;
    out->base_fee = RT_EXEC_EXTRINSIC_BASE_WEIGHT; /* IdentityFee */
    out->len_fee = sat_mul((itee_u128)len, PALLET_TRANSACTION_PAYMENT_BYTE_FEE);
    /* multiplier is the constant FixedU128 1.0, so the weight fee is unadjusted */
    out->adjusted_weight = weight->ref_time;
}

itee_u128 pallet_transaction_payment_final(const struct pallet_transaction_payment_fee *f)
{
    itee_u128 inclusion = sat_add(sat_add(f->base_fee, f->len_fee), f->adjusted_weight);
    return sat_add(f->has_inclusion ? inclusion : 0, f->tip);
}

itee_u128 pallet_transaction_payment_compute_fee(size_t len, const struct rt_info *info,
                                                 itee_u128 tip)
{
    struct pallet_transaction_payment_fee f;
    pallet_transaction_payment_details(len, &info->weight, info->pays, tip, &f);
    return pallet_transaction_payment_final(&f);
}

enum itee_err pallet_transaction_payment_withdraw(struct rt_ctx *ctx,
                                                  const uint8_t who[RT_ACCOUNT_LEN], itee_u128 fee,
                                                  struct rt_post *post)
{
    if (fee == 0)
        return ITEE_OK;
    return pallet_balances_withdraw(ctx, who, fee, PALLET_BALANCES_PRESERVE, post);
}

enum itee_err pallet_transaction_payment_settle(struct rt_ctx *ctx,
                                                const uint8_t who[RT_ACCOUNT_LEN], itee_u128 paid,
                                                itee_u128 actual_fee, itee_u128 tip)
{
    enum itee_err r = ITEE_OK;
    itee_u128 credit = paid;
    if (paid > 0) {
        /* Refund the over-charge, best effort, only to a live account (FungibleAdapter). */
        itee_u128 refund = paid > actual_fee ? paid - actual_fee : 0;
        if (refund > 0) {
            itee_u128 deposited = 0;
            struct rt_post p = {.ok = true};
            r = pallet_balances_deposit(ctx, who, refund, true, &deposited, &p);
            if (r != ITEE_OK)
                return r;
            credit -= deposited;
        }
        /* (tip, fee) = credit.split(tip); the fee rationed 1 : 99, the tip per the constant. */
        itee_u128 tip_part = credit < tip ? credit : tip;
        itee_u128 fee_part = credit - tip_part;
        itee_u128 tip_share =
            PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT == 100
                ? tip_part
                : tip_part / 100 * PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT +
                      tip_part % 100 * PALLET_TRANSACTION_PAYMENT_TIP_TREASURY_PERCENT / 100;
        itee_u128 to_treasury = fee_part / 100 + tip_share;
        itee_u128 burned = credit - to_treasury;
        if (to_treasury > 0) {
            uint8_t treasury[RT_ACCOUNT_LEN];
            pallet_transaction_payment_treasury(treasury);
            itee_u128 deposited = 0;
            struct rt_post p = {.ok = true};
            r = pallet_balances_deposit(ctx, treasury, to_treasury, false, &deposited, &p);
            if (r != ITEE_OK)
                return r;
            if (!p.ok) /* ResolveTo drops a credit the treasury cannot take: burned */
                burned += to_treasury;
        }
        if (burned > 0) {
            itee_u128 ti;
            r = pallet_balances_total_issuance(ctx, &ti);
            if (r == ITEE_OK)
                r = pallet_balances_set_total_issuance(ctx, ti > burned ? ti - burned : 0);
            if (r != ITEE_OK)
                return r;
        }
    }
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_TRANSACTION_PAYMENT, 0);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, who, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, actual_fee);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, tip);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

enum itee_err pallet_transaction_payment_encode_query_info(const struct rt_info *info, size_t len,
                                                           bool is_signed, struct itee_buf *out)
{
    itee_u128 fee = is_signed ? pallet_transaction_payment_compute_fee(len, info, 0) : 0;
    enum itee_err r = rt_weight_encode(&info->weight, out);
    if (r == ITEE_OK)
        r = scale_put_u8(out, (uint8_t)info->cls);
    if (r == ITEE_OK)
        r = scale_put_u128(out, fee);
    return r;
}

enum itee_err pallet_transaction_payment_encode_fee_details(const struct rt_info *info, size_t len,
                                                            bool is_signed, struct itee_buf *out)
{
    struct pallet_transaction_payment_fee f;
    pallet_transaction_payment_details(len, &info->weight, info->pays, 0, &f);
    bool some = is_signed && f.has_inclusion;
    enum itee_err r = scale_put_option(out, some);
    if (r == ITEE_OK && some)
        r = scale_put_u128(out, f.base_fee);
    if (r == ITEE_OK && some)
        r = scale_put_u128(out, f.len_fee);
    if (r == ITEE_OK && some)
        r = scale_put_u128(out, f.adjusted_weight);
    return r;
}

enum itee_err pallet_transaction_payment_dispatch(struct rt_ctx *ctx,
                                                  const struct rt_origin *origin,
                                                  uint8_t call_index, struct scale_reader *args,
                                                  bool exec, struct rt_info *info,
                                                  struct rt_post *post)
{
    (void)ctx;
    (void)origin;
    (void)call_index;
    (void)args;
    (void)exec;
    (void)info;
    (void)post;
    return ITEE_ERR_SCALE_VARIANT;
}
