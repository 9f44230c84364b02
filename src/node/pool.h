/*
 * pool.h - the transaction pool: validation of submitted extrinsics in Substrate's order
 * (spec substrate-compat §5.6) on the best state, then the ready / future queues of txq.h
 * (priority from ChargeTransactionPayment, replacement by a higher priority, limits with
 * eviction, 30-minute bans, era longevity), and the author_extrinsicUpdate watchers
 * (future / ready -> inBlock -> finalized, or usurped / dropped / invalid).
 */
#ifndef ITEE_POOL_H
#define ITEE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/int128.h"
#include "node/runtime/txq.h"
#include "proto/rpc.h"

#define POOL_MAX_TX ((size_t)5 * 1024 * 1024) /* one extrinsic (block length limit) */

struct node;

struct pool {
    struct txq q; /* ready and future queues, bans */
};

/* Outcome of a submission: code 0 = accepted, else a JSON-RPC error (1010, 1012, ...). */
struct pool_verdict {
    int code;            /* 0 or the JSON-RPC error code */
    const char *message; /* error message */
    const char *data;    /* error data (reason), may be NULL */
    bool future;         /* accepted but waits for an earlier nonce */
    uint8_t hash[32];    /* transaction hash (accepted) */
    size_t index;        /* its index in pool->q.tx (accepted) */
};

void pool_init(struct pool *p);
void pool_free(struct pool *p);

/*
 * Validates and, when valid (or future), adds the extrinsic. Fills *v. Returns: ITEE_OK (see
 * v->code for the verdict) or a fatal error (NOMEM, store).
 */
ITEE_MUST_CHECK enum itee_err pool_submit(struct node *n, const uint8_t *p, size_t len,
                                          struct pool_verdict *v);
/* Removes entry i (no notification). */
void pool_remove(struct pool *p, size_t i);
/* Bans hash for the ban time (from now). */
void pool_ban(struct pool *p, const uint8_t hash[32]);
/*
 * After the producer removed the block's transactions: drops stale and era-expired ones
 * (watchers: invalid) and re-sorts ready / future on the new best state.
 */
ITEE_MUST_CHECK enum itee_err pool_prune(struct node *n);
/* Returns: the next nonce of signer counting its pooled transactions (accountNextIndex). */
uint32_t pool_next_nonce(const struct pool *p, const uint8_t signer[32], uint32_t state_nonce);
/* Forgets the watcher sub_id (its subscription ended). */
void pool_unwatch(struct pool *p, const char *sub_id);
/* Text of a TransactionValidityError::Invalid reason (enum rt_validity). */
const char *pool_invalid_text(int validity);

#endif
