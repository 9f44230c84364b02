/*
 * txq.h - the transaction pool's queues, without validation or I/O: Substrate's
 * sc-transaction-pool base pool for a nonce-tagged runtime. Every transaction provides
 * (signer, nonce) and requires (signer, nonce - 1) unless its nonce is the account's; it is
 * *ready* when that is provided by the state or by a ready transaction, *future* otherwise.
 *
 * - Replacement: a transaction providing the same tag replaces the held one only with a
 *   strictly higher priority (else 1014 "Priority is too low"); the old one is *usurped*.
 * - Limits (sc-cli defaults of the integritee-node binary: --pool-limit 8192,
 *   --pool-kbytes 20480, future = ready / 10): ready 8192 transactions / 20 MiB, future 819 /
 *   2 MiB. Over a ready limit the lowest-priority transaction (ties: the oldest) goes with its
 *   dependents; over a future limit the oldest future one goes. Evicted transactions are
 *   banned and *dropped*; when the new one itself goes, the submission is 1016.
 * - Bans: included, invalid, evicted and stale transactions are banned for 30 minutes
 *   (Substrate's default ban time; 1012 "Transaction is temporarily banned").
 * - Longevity: valid_till = validation block + longevity (mortal era); after each block every
 *   transaction with valid_till <= block number is banned and reported *invalid*
 *   (ValidatedPool::clear_stale), as are those whose nonce the chain has passed.
 * - Block building order (BestIterator): ready transactions by priority (high first), then
 *   valid_till (sooner first), then arrival; a transaction becomes a candidate once its
 *   predecessor of the same signer was included.
 */
#ifndef ITEE_TXQ_H
#define ITEE_TXQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/int128.h"

#define TXQ_READY_COUNT  8192u
#define TXQ_READY_BYTES  ((size_t)20 * 1024 * 1024)
#define TXQ_FUTURE_COUNT 819u
#define TXQ_FUTURE_BYTES ((size_t)20 * 1024 * 1024 / 10)
#define TXQ_BAN_MS       ((uint64_t)30 * 60 * 1000)
#define TXQ_BAN_SLOTS    4096u /* banned hashes remembered (oldest forgotten first) */
#define TXQ_WATCH_LEN    40u   /* room for a subscription id */

/* A held transaction. */
struct txq_tx {
    uint8_t *bytes;      /* full encoding (length prefix included), owned */
    size_t len;          /* its length */
    uint8_t hash[32];    /* blake2_256(bytes) */
    uint8_t signer[32];  /* account */
    uint32_t nonce;      /* CheckNonce: provides (signer, nonce) */
    uint64_t priority;   /* ChargeTransactionPayment priority */
    uint64_t valid_till; /* last block it may still be valid after (UINT64_MAX: immortal) */
    uint64_t seq;        /* arrival order */
    bool ready;          /* in the ready queue (else future) */
    bool watched;        /* has a submitAndWatch subscription */
    char watch[TXQ_WATCH_LEN + 1]; /* its id */
};

/* Why a transaction left the queue (the watcher status Substrate sends). */
enum txq_gone { TXQ_GONE_USURPED, TXQ_GONE_DROPPED, TXQ_GONE_INVALID };

/* Called for each transaction the queue removes on its own, before it is freed. */
typedef void (*txq_gone_fn)(void *ctx, struct txq_tx *t, enum txq_gone why, const uint8_t by[32]);

struct txq_limits {
    size_t ready_count, ready_bytes;   /* ready queue */
    size_t future_count, future_bytes; /* future queue */
    uint64_t ban_ms;                   /* ban time */
};

struct txq_ban {
    uint8_t hash[32]; /* banned transaction */
    uint64_t until;   /* ms: banned while now < until */
};

struct txq {
    struct txq_tx *tx;                 /* held transactions, arrival order */
    size_t n, cap;                     /* used / allocated */
    uint64_t seq;                      /* next arrival number */
    struct txq_limits lim;             /* limits */
    struct txq_ban ban[TXQ_BAN_SLOTS]; /* ring of bans */
    size_t n_ban;                      /* written so far (ring index = n_ban % slots) */
};

/* A transaction to insert (bytes copied). */
struct txq_new {
    const uint8_t *bytes;
    size_t len;
    const uint8_t *hash;   /* 32 bytes */
    const uint8_t *signer; /* 32 bytes */
    uint32_t nonce;
    uint64_t priority;
    uint64_t valid_till;
};

/* Outcome of txq_insert: code 0 = held (index, ready), else 1014 / 1016. */
struct txq_result {
    int code;
    size_t index; /* where it is held (code 0) */
    bool ready;   /* in the ready queue */
};

/* Initialises q with the default limits (lim NULL) or lim. */
void txq_init(struct txq *q, const struct txq_limits *lim);
void txq_free(struct txq *q);

/* Returns: index of hash, or SIZE_MAX. */
size_t txq_find(const struct txq *q, const uint8_t hash[32]);
/* Returns: index of (signer, nonce), or SIZE_MAX. */
size_t txq_find_tag(const struct txq *q, const uint8_t signer[32], uint32_t nonce);
/* Bans hash until now + ban time. */
void txq_ban(struct txq *q, const uint8_t hash[32], uint64_t now_ms);
/* Returns: true while hash is banned. */
bool txq_is_banned(const struct txq *q, const uint8_t hash[32], uint64_t now_ms);
/* Removes entry i (no callback). */
void txq_remove(struct txq *q, size_t i);
/* Bytes held in the ready (ready true) or future queue; count via *n. */
size_t txq_bytes(const struct txq *q, bool ready, size_t *n);

/*
 * Inserts nt; state_nonce is the signer's account nonce (readiness). Replaced and evicted
 * transactions go through gone (may be NULL). Returns: ITEE_OK (see res) or ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err txq_insert(struct txq *q, const struct txq_new *nt,
                                         uint32_t state_nonce, uint64_t now_ms, txq_gone_fn gone,
                                         void *gone_ctx, struct txq_result *res);

/* The signer's account nonce on the new best state. */
typedef enum itee_err (*txq_nonce_fn)(void *ctx, const uint8_t signer[32], uint32_t *nonce);

/*
 * After block `number` became best: drops (invalid, banned) transactions whose nonce is below
 * the account's or whose valid_till <= number, re-sorts ready / future, forgets expired bans.
 */
ITEE_MUST_CHECK enum itee_err txq_prune(struct txq *q, uint64_t number, uint64_t now_ms,
                                        txq_nonce_fn nonce, void *nonce_ctx, txq_gone_fn gone,
                                        void *gone_ctx);

/* Returns: the next nonce after the signer's ready/future chain from state_nonce. */
uint32_t txq_next_nonce(const struct txq *q, const uint8_t signer[32], uint32_t state_nonce);

/* Block building: the ready transactions in BestIterator order (see above). */
struct txq_best {
    const struct txq *q;
    size_t *heap;    /* candidate indices, a max-heap by rank */
    size_t n_heap;   /* used */
    size_t *by_tag;  /* ready indices sorted by (signer, nonce) */
    size_t n_by_tag; /* used */
};

ITEE_MUST_CHECK enum itee_err txq_best_init(struct txq_best *b, const struct txq *q);
/* Next candidate index. Returns: false when none is left. */
bool txq_best_next(struct txq_best *b, size_t *index);
/* The candidate i was included: its successor (same signer, nonce + 1) becomes a candidate. */
void txq_best_included(struct txq_best *b, size_t i);
void txq_best_free(struct txq_best *b);

#endif
