/*
 * rt_check_weight.h - frame_system's block bookkeeping and its CheckWeight transaction extension
 * (polkadot-sdk stable2503): System.BlockWeight (PerDispatchClass<Weight>, consumed so far),
 * System.AllExtrinsicsLen (u32, transient) and the solo node's limits
 * BlockWeights::with_sensible_defaults(2 s ref-time x u64::MAX proof, 75 % normal) and
 * BlockLength::max_with_normal_ratio(5 MiB, 75 %) - the values rt_metadata.c exposes.
 *
 * Per extrinsic (signed or inherent): check_block_length (every class, Mandatory included),
 * check_extrinsic_weight,
 * calculate_consumed_weight (weight + base_extrinsic + (0, len) accrued to its class, then the
 * class's max_total and, above max_block, its reserved pool), and after dispatch the unspent
 * weight is refunded. A refusal is InvalidTransaction::ExhaustsResources: the extrinsic stays
 * out of this block (the pool keeps it for the next one).
 */
#ifndef ITEE_RT_CHECK_WEIGHT_H
#define ITEE_RT_CHECK_WEIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "node/runtime/rt_ctx.h"

#define RT_CHECK_WEIGHT_MAX_BLOCK_REF  2000000000000ULL /* 2 s */
#define RT_CHECK_WEIGHT_BASE_BLOCK_REF 5000000000ULL    /* BlockExecutionWeight 5 ms */
#define RT_CHECK_WEIGHT_BASE_EXTRINSIC 125000000ULL     /* ExtrinsicBaseWeight 125 µs */
#define RT_CHECK_WEIGHT_MAX_LEN_NORMAL 3932160u         /* 75 % of 5 MiB */
#define RT_CHECK_WEIGHT_MAX_LEN_BLOCK  5242880u         /* 5 MiB (operational, mandatory) */

/* frame_system::limits::WeightsPerClass (an absent limit: has_* false). */
struct rt_check_weight_class {
    struct rt_weight base_extrinsic; /* added to every extrinsic of the class */
    bool has_max_extrinsic;          /* max_extrinsic is Some */
    struct rt_weight max_extrinsic;  /* heaviest single extrinsic */
    bool has_max_total;              /* max_total is Some */
    struct rt_weight max_total;      /* most the class may consume per block */
    bool has_reserved;               /* reserved is Some */
    struct rt_weight reserved;       /* what the class may still use above max_block */
};

/* The limits of class cls (RT_CLASS_*). */
void rt_check_weight_limits(enum rt_class cls, struct rt_check_weight_class *out);

/* Reads System.BlockWeight (zeros when absent). */
ITEE_MUST_CHECK enum itee_err rt_check_weight_get(struct rt_ctx *ctx, struct rt_weight w[3]);
/* Writes System.BlockWeight. */
ITEE_MUST_CHECK enum itee_err rt_check_weight_put(struct rt_ctx *ctx, const struct rt_weight w[3]);

/*
 * CheckWeight pre-dispatch for an extrinsic of encoded length len with DispatchInfo info:
 * updates AllExtrinsicsLen and BlockWeight when it fits. Out: *fits (false = ExhaustsResources;
 * nothing is written then).
 */
ITEE_MUST_CHECK enum itee_err
rt_check_weight_prepare(struct rt_ctx *ctx, const struct rt_info *info, size_t len, bool *fits);
/* CheckWeight post-dispatch: gives back declared - actual weight of the class. */
ITEE_MUST_CHECK enum itee_err rt_check_weight_refund(struct rt_ctx *ctx, enum rt_class cls,
                                                     struct rt_weight declared,
                                                     struct rt_weight actual);
/* register_extra_weight_unchecked: adds w to class cls (block initialisation's base weight). */
ITEE_MUST_CHECK enum itee_err rt_check_weight_register(struct rt_ctx *ctx, enum rt_class cls,
                                                       struct rt_weight w);
/*
 * Block start / end: BlockWeight is killed by System::initialize, AllExtrinsicsLen by
 * System::finalize (so neither that nor ExtrinsicCount is in a block's final state).
 */
ITEE_MUST_CHECK enum itee_err rt_check_weight_reset_len(struct rt_ctx *ctx);

#endif
