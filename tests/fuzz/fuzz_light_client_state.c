/*
 * fuzz_light_client_state.c - the light-client state decoder (sealed state read back after a
 * restart): never crashes or leaks, whatever it accepts re-encodes to exactly the same bytes,
 * and the queries on an accepted state stay in bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/light_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct light_client *lc = NULL;
    if (light_client_decode(&lc, data, size) != ITEE_OK)
        return 0;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (light_client_encode(lc, &b) != ITEE_OK || b.len != size || memcmp(b.ptr, data, size) != 0)
        abort();
    struct light_client_header f, best, h;
    light_client_finalized(lc, &f);
    light_client_best(lc, &best);
    if (best.number < f.number ||
        light_client_unjustified_count(lc) != (size_t)(best.number - f.number) ||
        light_client_finalized_by_number(lc, f.number, &h) != ITEE_OK ||
        memcmp(h.hash, f.hash, sizeof(h.hash)) != 0 ||
        light_client_finalized_by_hash(lc, f.hash, &h) != ITEE_OK)
        abort();
    light_client_prune(lc, f.number);
    itee_buf_free(&b);
    light_client_free(lc);
    return 0;
}
