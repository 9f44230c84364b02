/*
 * producer.h - AURA block production for the single dev authority: a timer on the node's loop
 * fires at every slot boundary and builds, seals, finalizes (one-authority GRANDPA
 * justification) and imports a block, then notifies the RPC subscribers and the pool's
 * watchers.
 */
#ifndef ITEE_PRODUCER_H
#define ITEE_PRODUCER_H

#include <stdint.h>

#include "common/err.h"

struct node;

/* Starts the slot timer. Returns: ITEE_OK. */
ITEE_MUST_CHECK enum itee_err producer_start(struct node *n);
/* Builds and imports one block for slot now (used by the timer). */
ITEE_MUST_CHECK enum itee_err producer_produce(struct node *n, uint64_t now_ms);

#endif
