/*
 * fuzz_rsa_json.c - the shielding public key JSON parser (the text a client fetches with
 * author_getShieldingKey) on arbitrary input. Anything it accepts must serialise back to the
 * compact form and parse again to the same key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "crypto/rsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rsa_key *key = NULL, *again = NULL;
    struct itee_buf js, js2;
    itee_buf_init(&js, 0);
    itee_buf_init(&js2, 0);
    enum itee_err r = rsa_public_from_json(&key, (const char *)data, size);
    if (r != ITEE_OK) {
        if (r != ITEE_ERR_FORMAT || key != NULL)
            abort();
        return 0;
    }
    if (rsa_public_to_json(key, &js) != ITEE_OK ||
        rsa_public_from_json(&again, (const char *)js.ptr, js.len) != ITEE_OK ||
        rsa_public_to_json(again, &js2) != ITEE_OK || js.len != js2.len ||
        memcmp(js.ptr, js2.ptr, js.len) != 0)
        abort();
    rsa_key_free(key);
    rsa_key_free(again);
    itee_buf_free(&js);
    itee_buf_free(&js2);
    return 0;
}
