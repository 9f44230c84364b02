/*
 * pool.h - the transaction pool: validation of submitted extrinsics in Substrate's order
 * (spec substrate-compat §5.6), a ready/future split by nonce, replacement by a higher tip,
 * a temporary ban of included and invalid transactions, limits on count and size, and the
 * author_extrinsicUpdate watchers (ready -> inBlock -> finalized / invalid / usurped).
 */
#ifndef ITEE_POOL_H
#define ITEE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/int128.h"
#include "proto/rpc.h"

#define POOL_MAX_COUNT 8192                       /* transactions held */
#define POOL_MAX_BYTES ((size_t)20 * 1024 * 1024) /* bytes held */
#define POOL_MAX_TX    ((size_t)5 * 1024 * 1024)  /* one extrinsic (block length limit) */
#define POOL_BAN_SLOTS 4096                       /* banned hashes remembered */

struct node;

struct pool_tx {
    uint8_t *bytes;                 /* full encoding (length prefix included), owned */
    size_t len;                     /* its length */
    uint8_t hash[32];               /* blake2_256(bytes) */
    uint8_t signer[32];             /* account */
    uint32_t nonce;                 /* CheckNonce */
    itee_u128 tip;                  /* ChargeTransactionPayment tip */
    uint64_t seq;                   /* arrival order */
    bool watched;                   /* has a submitAndWatch subscription */
    char watch[RPC_SUB_ID_LEN + 1]; /* its id */
};

struct pool {
    struct pool_tx *tx;                 /* held transactions, arrival order */
    size_t n, cap;                      /* used / allocated */
    size_t bytes;                       /* sum of len */
    uint64_t seq;                       /* next arrival number */
    uint8_t banned[POOL_BAN_SLOTS][32]; /* ring of banned hashes */
    size_t n_banned;                    /* entries written so far (ring index = n % slots) */
};

/* Outcome of a submission: code 0 = accepted, else a JSON-RPC error (1010, 1012, ...). */
struct pool_verdict {
    int code;            /* 0 or the JSON-RPC error code */
    const char *message; /* error message */
    const char *data;    /* error data (reason), may be NULL */
    bool future;         /* accepted but waits for an earlier nonce */
    uint8_t hash[32];    /* transaction hash (accepted) */
    size_t index;        /* its index in pool->tx (accepted) */
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
/* Remembers hash as banned. */
void pool_ban(struct pool *p, const uint8_t hash[32]);
/* Returns: the number of held transactions of signer (for accountNextIndex). */
uint32_t pool_next_nonce(const struct pool *p, const uint8_t signer[32], uint32_t state_nonce);
/* Forgets the watcher sub_id (its subscription ended). */
void pool_unwatch(struct pool *p, const char *sub_id);
/* Text of a TransactionValidityError::Invalid reason (enum rt_validity). */
const char *pool_invalid_text(int validity);

#endif
