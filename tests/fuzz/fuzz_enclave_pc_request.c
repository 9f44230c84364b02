/*
 * fuzz_enclave_pc_request.c - the host's parentchain importer init request (enclave_pc.h) on
 * arbitrary bytes: decoding is strict and total, every view lies inside the input, and whatever
 * decodes re-encodes to exactly the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "enclave/enclave_pc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(struct itee_slice s, const uint8_t *data, size_t size)
{
    return s.len == 0 || (s.ptr >= data && s.len <= size && s.ptr + s.len <= data + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct enclave_pc_init_request rq;
    if (enclave_pc_init_request_decode(&rq, data, size) != ITEE_OK) {
        if (rq.proof != NULL || rq.n_proof != 0 || rq.genesis.len != 0)
            abort();
        return 0;
    }
    struct itee_buf b;
    itee_buf_init(&b, 0);
    int ok = inside(rq.genesis, data, size) && inside(rq.metadata, data, size) &&
             scale_put_vec_u8(&b, rq.genesis.ptr, rq.genesis.len) == ITEE_OK &&
             scale_put_compact(&b, rq.n_proof) == ITEE_OK;
    for (size_t i = 0; ok && i < rq.n_proof; i++)
        ok = inside(rq.proof[i], data, size) &&
             scale_put_vec_u8(&b, rq.proof[i].ptr, rq.proof[i].len) == ITEE_OK;
    ok = ok && scale_put_vec_u8(&b, rq.metadata.ptr, rq.metadata.len) == ITEE_OK &&
         scale_put_u32(&b, rq.spec_version) == ITEE_OK &&
         scale_put_u32(&b, rq.tx_version) == ITEE_OK && scale_put_u32(&b, rq.nonce) == ITEE_OK &&
         scale_put_bytes(&b, rq.shard, 32) == ITEE_OK;
    /* compact lengths are canonical on the wire (the reader refuses others), so equal bytes */
    if (!ok || b.len != size || memcmp(b.ptr, data, size) != 0)
        abort();
    itee_buf_free(&b);
    enclave_pc_init_request_free(&rq);
    return 0;
}
