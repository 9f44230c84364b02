/*
 * fuzz_extrinsic_decode.c - the v4 extrinsic decoder (with and without the CheckMetadataHash
 * byte): never crashes, and whatever it accepts re-encodes to exactly the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/extrinsic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct extrinsic_chain c = {0};
    c.check_metadata_hash = size > 0 && (data[size - 1] & 1);
    struct extrinsic x;
    if (extrinsic_decode(&x, &c, data, size) != ITEE_OK)
        return 0;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err e = x.is_signed ? extrinsic_encode_signed(&b, &c, x.signer, x.sig_scheme, x.sig,
                                                            x.sig_len, &x.params, x.call)
                                  : extrinsic_encode_unsigned(&b, x.call);
    if (e != ITEE_OK || b.len != size || memcmp(b.ptr, data, size) != 0)
        abort();
    (void)extrinsic_verify(&x, &c, c.genesis_hash);
    itee_buf_free(&b);
    return 0;
}
