/*
 * rt_ctx.h - the block execution context every pallet call receives: the state view, the
 * block number / parent hash, the execution phase, the events deposited so far, and the
 * FRAME types a dispatch produces (weights, DispatchInfo, DispatchError, origins).
 *
 * Events live in the context, not in storage, until rt_ctx_events_flush writes System.Events
 * (Vec<EventRecord>) and System.EventCount. Transactional layers (rt_ctx_layer_*) cover both
 * storage and events, because FRAME keeps events in storage and so rolls them back with the
 * failed call.
 *
 * Encodings follow polkadot-sdk stable2503 (the solo node's integritee-node v1.18.8):
 * EventRecord { phase: Phase, event: RuntimeEvent, topics: Vec<H256> } with
 * Phase = ApplyExtrinsic(u32)=0 | Finalization=1 | Initialization=2; RuntimeEvent = pallet
 * index u8 || variant u8 || fields; sp_runtime::DispatchError as listed in enum rt_derr_kind.
 */
#ifndef ITEE_RT_CTX_H
#define ITEE_RT_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "node/runtime/rt_state.h"

#define RT_ACCOUNT_LEN 32

/* sp_weights::Weight (encoded as two Compact<u64>). */
struct rt_weight {
    uint64_t ref_time;   /* picoseconds of execution */
    uint64_t proof_size; /* bytes of PoV */
};

/* frame_support DispatchClass. */
enum rt_class { RT_CLASS_NORMAL = 0, RT_CLASS_OPERATIONAL = 1, RT_CLASS_MANDATORY = 2 };
/* frame_support Pays. */
enum rt_pays { RT_PAYS_YES = 0, RT_PAYS_NO = 1 };

/* DispatchInfo known before dispatch (from the call and its arguments). */
struct rt_info {
    struct rt_weight weight; /* declared weight of the call */
    enum rt_class cls;       /* dispatch class */
    enum rt_pays pays;       /* whether the sender pays fees */
};

/* sp_runtime::DispatchError variant indices. */
enum rt_derr_kind {
    RT_DERR_OTHER = 0,
    RT_DERR_CANNOT_LOOKUP = 1,
    RT_DERR_BAD_ORIGIN = 2,
    RT_DERR_MODULE = 3, /* ModuleError { index: u8, error: [u8; 4] } */
    RT_DERR_CONSUMER_REMAINING = 4,
    RT_DERR_NO_PROVIDERS = 5,
    RT_DERR_TOO_MANY_CONSUMERS = 6,
    RT_DERR_TOKEN = 7,         /* TokenError (sub) */
    RT_DERR_ARITHMETIC = 8,    /* ArithmeticError (sub) */
    RT_DERR_TRANSACTIONAL = 9, /* TransactionalError (sub) */
    RT_DERR_EXHAUSTED = 10,
    RT_DERR_CORRUPTION = 11,
    RT_DERR_UNAVAILABLE = 12,
    RT_DERR_ROOT_NOT_ALLOWED = 13,
};

/* sp_runtime::TokenError. */
enum rt_token_err {
    RT_TOKEN_FUNDS_UNAVAILABLE = 0,
    RT_TOKEN_ONLY_PROVIDER = 1,
    RT_TOKEN_BELOW_MINIMUM = 2,
    RT_TOKEN_CANNOT_CREATE = 3,
    RT_TOKEN_UNKNOWN_ASSET = 4,
    RT_TOKEN_FROZEN = 5,
    RT_TOKEN_UNSUPPORTED = 6,
    RT_TOKEN_CANNOT_CREATE_HOLD = 7,
    RT_TOKEN_NOT_EXPENDABLE = 8,
    RT_TOKEN_BLOCKED = 9,
};
/* sp_arithmetic::ArithmeticError. */
enum rt_arith_err { RT_ARITH_UNDERFLOW = 0, RT_ARITH_OVERFLOW = 1, RT_ARITH_DIV_ZERO = 2 };
/* sp_runtime::TransactionalError. */
enum rt_txl_err { RT_TXL_LIMIT_REACHED = 0, RT_TXL_NO_LAYER = 1 };

/* A DispatchError value. */
struct rt_derr {
    uint8_t kind;     /* enum rt_derr_kind */
    uint8_t index;    /* Module: pallet index */
    uint8_t error[4]; /* Module: error index, nested bytes, zero padding */
    uint8_t sub;      /* Token / Arithmetic / Transactional: inner variant */
};

/* Outcome of a dispatch (DispatchResultWithPostInfo). */
struct rt_post {
    bool ok;                 /* Ok(..) */
    struct rt_derr err;      /* the error when !ok */
    bool has_actual;         /* actual_weight is Some */
    struct rt_weight actual; /* PostDispatchInfo.actual_weight */
    enum rt_pays pays;       /* PostDispatchInfo.pays_fee */
};

/* frame_system::RawOrigin (Root=0, Signed=1, None=2) plus the call filter FRAME attaches. */
enum rt_origin_kind { RT_ORIGIN_ROOT = 0, RT_ORIGIN_SIGNED = 1, RT_ORIGIN_NONE = 2 };
struct rt_origin {
    enum rt_origin_kind kind;    /* caller */
    uint8_t who[RT_ACCOUNT_LEN]; /* Signed: the account */
    bool proxy_filter;           /* calls are filtered by proxy_type (set by Proxy.proxy) */
    uint8_t proxy_type;          /* ProxyType whose filter applies */
    bool deny_batch_all;         /* Utility.batch_all may not be nested (set by batch_all) */
};

/* frame_system Phase. */
enum rt_phase { RT_PHASE_APPLY = 0, RT_PHASE_FINALIZATION = 1, RT_PHASE_INITIALIZATION = 2 };

/* One deposited event. */
struct rt_event {
    uint8_t phase;      /* enum rt_phase */
    uint32_t ext_index; /* ApplyExtrinsic index */
    uint8_t *bytes;     /* RuntimeEvent encoding (owned) */
    size_t len;         /* its length */
    uint8_t *topics;    /* n_topics H256 topics, 32 bytes each (owned, NULL when none) */
    size_t n_topics;    /* their count */
};

struct rt_ctx {
    struct rt_state *state;                   /* storage view (not owned) */
    uint32_t number;                          /* block being built */
    uint8_t parent_hash[32];                  /* its parent */
    uint8_t phase;                            /* enum rt_phase */
    uint32_t ext_index;                       /* index of the extrinsic being applied */
    struct rt_event *events;                  /* events so far */
    size_t n_events, cap_events;              /* used / allocated */
    size_t layer_events[RT_STATE_MAX_LAYERS]; /* n_events at each open layer */
    size_t depth;                             /* open layers */
    uint32_t call_depth;                      /* nesting of rt_exec_call (bounded) */
};

/* Initialises ctx over state for block number with the given parent. */
void rt_ctx_init(struct rt_ctx *ctx, struct rt_state *state, uint32_t number,
                 const uint8_t parent_hash[32]);
/* Frees the events. */
void rt_ctx_free(struct rt_ctx *ctx);

/* Deposits an event (pallet index, variant, fields already in bytes). Copies bytes. */
ITEE_MUST_CHECK enum itee_err rt_ctx_deposit_event(struct rt_ctx *ctx, const uint8_t *bytes,
                                                   size_t len);
/*
 * Deposits an event with topics (frame_system deposit_event_indexed): topics is n_topics
 * consecutive 32-byte hashes, copied. They go into EventRecord.topics and, at the flush, into
 * System.EventTopics(topic) as (block number, event index).
 */
ITEE_MUST_CHECK enum itee_err rt_ctx_deposit_event_topics(struct rt_ctx *ctx, const uint8_t *bytes,
                                                          size_t len, const uint8_t *topics,
                                                          size_t n_topics);
/* Resets buf and writes the event header (pallet index, variant) into it. */
ITEE_MUST_CHECK enum itee_err rt_ctx_event_begin(struct itee_buf *buf, uint8_t pallet,
                                                 uint8_t variant);
/* Most topics one event may carry (FRAME bounds them by the caller; ours: publish_hash's 6). */
#define RT_CTX_MAX_TOPICS 16
/* Drops all events (block initialisation). */
void rt_ctx_events_clear(struct rt_ctx *ctx);
/* Appends SCALE(Vec<EventRecord>) of the current events to out. */
ITEE_MUST_CHECK enum itee_err rt_ctx_events_encode(const struct rt_ctx *ctx, struct itee_buf *out);
/*
 * Writes System.Events, System.EventCount and System.EventTopics (for the topics of the
 * current events; block initialisation clears the earlier block's) from the current events.
 */
ITEE_MUST_CHECK enum itee_err rt_ctx_events_flush(struct rt_ctx *ctx);

/*
 * Opens a layer over storage and events. Returns: ITEE_ERR_SPACE at the depth limit
 * (FRAME then fails the call with Transactional(LimitReached)).
 */
ITEE_MUST_CHECK enum itee_err rt_ctx_layer_begin(struct rt_ctx *ctx);
/* Closes the innermost layer keeping (accept) or undoing (!accept) its effects. */
ITEE_MUST_CHECK enum itee_err rt_ctx_layer_end(struct rt_ctx *ctx, bool accept);

/* Appends SCALE(DispatchError). */
ITEE_MUST_CHECK enum itee_err rt_derr_encode(const struct rt_derr *e, struct itee_buf *out);
/* Appends SCALE(DispatchResult) = Ok(()) 0x00 | Err(DispatchError) 0x01 ... */
ITEE_MUST_CHECK enum itee_err rt_derr_encode_result(const struct rt_post *p, struct itee_buf *out);
/* Appends SCALE(Weight) (two compacts). */
ITEE_MUST_CHECK enum itee_err rt_weight_encode(const struct rt_weight *w, struct itee_buf *out);

/* Error constructors (return the value for brevity at call sites). */
struct rt_derr rt_derr_module(uint8_t pallet, uint8_t error);
struct rt_derr rt_derr_simple(enum rt_derr_kind kind);
struct rt_derr rt_derr_token(enum rt_token_err t);
struct rt_derr rt_derr_arith(enum rt_arith_err a);
/* Marks post as failed with e. */
void rt_post_fail(struct rt_post *post, struct rt_derr e);
/* Returns: true if a and b are the same DispatchError. */
bool rt_derr_eq(const struct rt_derr *a, const struct rt_derr *b);

/* frame_support extract_actual_weight: post's actual weight capped by info's, else info's. */
struct rt_weight rt_post_actual_weight(const struct rt_info *info, const struct rt_post *post);

/* Weight helpers. */
struct rt_weight rt_weight_make(uint64_t ref_time, uint64_t proof_size);
struct rt_weight rt_weight_add(struct rt_weight a, struct rt_weight b);

#endif
