/*
 * rpc_node.h - the node's JSON-RPC methods (system_*, chain_*, state_*, author_*, payment_*,
 * rpc_methods) over the chain database, the pool and the runtime, and the notifications sent
 * when a block is imported.
 */
#ifndef ITEE_RPC_NODE_H
#define ITEE_RPC_NODE_H

#include "common/err.h"

struct node;

/* Registers every method on n->rpc. Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err rpc_node_register(struct node *n);
/* After an import: new/all/finalized heads and changed storage to their subscribers. */
void rpc_node_on_block(struct node *n);

#endif
