/*
 * fuzz_trusted_op_decode.c - TrustedOperation, Request and RpcReturnValue decoders: never
 * crash; whatever they accept re-encodes to exactly the same bytes and hashes like it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/trusted_op.h"
#include "crypto/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const struct itee_buf *b, const uint8_t *data, size_t size)
{
    if (b->len != size || (size > 0 && memcmp(b->ptr, data, size) != 0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct itee_buf b;
    struct trusted_op op;
    struct trusted_op_request req;
    struct trusted_op_rpc_return rv;
    uint8_t mr[32] = {0}, shard[32] = {0}, h[32], h2[32];
    itee_buf_init(&b, 0);
    if (trusted_op_decode(&op, NULL, data, size) == ITEE_OK) {
        if (trusted_op_put(&b, &op) != ITEE_OK)
            abort();
        check_same(&b, data, size);
        if (trusted_op_hash(h, &op) != ITEE_OK)
            abort();
        hash_blake2_256(h2, data, size);
        if (memcmp(h, h2, 32) != 0)
            abort();
        if (op.kind != TRUSTED_OP_GET)
            (void)trusted_op_call_verify(&op.call, mr, shard);
        else if (op.getter.kind == TRUSTED_OP_GETTER_TRUSTED)
            (void)trusted_op_getter_verify(&op.getter);
    }
    itee_buf_reset(&b);
    if (trusted_op_request_decode(&req, data, size) == ITEE_OK) {
        if (trusted_op_request_put(&b, &req) != ITEE_OK)
            abort();
        check_same(&b, data, size);
    }
    itee_buf_reset(&b);
    if (trusted_op_rpc_return_decode(&rv, data, size) == ITEE_OK) {
        if (trusted_op_rpc_return_put(&b, &rv) != ITEE_OK)
            abort();
        check_same(&b, data, size);
    }
    itee_buf_free(&b);
    return 0;
}
