/*
 * fuzz_getter_decode.c - Getter decoding and execution: the built-in decoder round-trips what
 * it accepts, and stf_get over a small balances state never crashes on any input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/trusted_op.h"
#include "enclave/stf.h"
#include "enclave/stf_balances.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct trusted_op_getter g;
    struct itee_buf b;
    struct stf stf;
    struct stf_state *st = NULL;
    uint8_t mr[32] = {1}, enclave[32] = {2};
    struct stf_account acct = {.nonce = 1, .free = 5};
    itee_buf_init(&b, 0);
    if (trusted_op_getter_decode(&g, NULL, data, size) == ITEE_OK) {
        if (trusted_op_getter_put(&b, &g) != ITEE_OK || b.len != size ||
            memcmp(b.ptr, data, size) != 0)
            abort();
    }
    itee_buf_reset(&b);
    stf_init(&stf, mr, enclave);
    if (stf_register(&stf, stf_balances_module()) != ITEE_OK || stf_state_new(&st) != ITEE_OK)
        abort();
    if (size > 34 && stf_state_account_put(st, data + 2, &acct) != ITEE_OK)
        abort();
    (void)stf_get(&stf, st, data, size, &b);
    stf_state_free(st);
    itee_buf_free(&b);
    return 0;
}
