/*
 * enclave_shards.c - per-shard states: lookup, load on first use, write-through.
 */
#include "enclave_shards.h"

#include <stdio.h>
#include <string.h>

#include "common/base58.h"
#include "common/bytes.h"
#include "enclave/enclave_ocall.h"

/* state_ + at most 44 base58 digits + .bin fits EDL_FILE_NAME_MAX. */
static enum itee_err shards_file_name(char name[EDL_FILE_NAME_MAX + 1], const uint8_t shard[32])
{
    char b58[64];
    enum itee_err r = itee_base58_encode(b58, sizeof(b58), shard, 32);
    if (r != ITEE_OK)
        return r;
    int n = snprintf(name, EDL_FILE_NAME_MAX + 1, "state_%s.bin", b58);
    return (n < 0 || n > EDL_FILE_NAME_MAX) ? ITEE_ERR_INTERNAL : ITEE_OK;
}

static enum itee_err shards_load(struct stf_state *st, const struct edl_ocalls *oc,
                                 const uint8_t *key, const uint8_t shard[32])
{
    char name[EDL_FILE_NAME_MAX + 1];
    struct itee_buf blob;
    itee_buf_init(&blob, EDL_FILE_MAX);
    enum itee_err r = shards_file_name(name, shard);
    if (r == ITEE_OK)
        r = enclave_ocall_read_file(oc, name, EDL_FILE_MAX, &blob);
    if (r == ITEE_ERR_NOENT) {
        r = ITEE_OK; /* a new shard starts empty */
        goto out;
    }
    if (r != ITEE_OK)
        goto out;
    r = stf_state_unseal(st, key, shard, blob.ptr, blob.len);
    if (r == ITEE_ERR_FORMAT || r == ITEE_ERR_AUTH || r == ITEE_ERR_STF_STATE ||
        (r >= ITEE_ERR_SCALE_EOF && r <= ITEE_ERR_SCALE_ORDER))
        r = ITEE_ERR_ENCLAVE_UNSEAL;
out:
    itee_buf_free(&blob);
    return r;
}

enum itee_err enclave_shards_state(struct enclave_shards *sh, const struct edl_ocalls *oc,
                                   const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                                   const uint8_t shard[32], struct stf_state **out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (sh == NULL || oc == NULL || key == NULL || shard == NULL)
        return ITEE_ERR_ARG;
    for (size_t i = 0; i < sh->n; i++) {
        if (memcmp(sh->shards[i].id, shard, 32) == 0) {
            *out = sh->shards[i].state;
            return ITEE_OK;
        }
    }
    if (sh->n == ENCLAVE_SHARDS_MAX)
        return ITEE_ERR_SPACE;
    struct stf_state *st = NULL;
    enum itee_err r = stf_state_new(&st);
    if (r == ITEE_OK)
        r = shards_load(st, oc, key, shard);
    if (r != ITEE_OK) {
        stf_state_free(st);
        return r;
    }
    memcpy(sh->shards[sh->n].id, shard, 32);
    sh->shards[sh->n].state = st;
    sh->n++;
    *out = st;
    return ITEE_OK;
}

enum itee_err enclave_shards_save(const struct edl_ocalls *oc,
                                  const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                                  const uint8_t shard[32], const struct stf_state *st)
{
    if (oc == NULL || key == NULL || shard == NULL || st == NULL)
        return ITEE_ERR_ARG;
    char name[EDL_FILE_NAME_MAX + 1];
    struct itee_buf blob;
    itee_buf_init(&blob, EDL_FILE_MAX);
    enum itee_err r = shards_file_name(name, shard);
    if (r == ITEE_OK)
        r = stf_state_seal(st, key, shard, &blob);
    if (r == ITEE_OK)
        r = enclave_ocall_write_file(oc, name, blob.ptr, blob.len);
    itee_buf_free(&blob);
    return r;
}

void enclave_shards_free(struct enclave_shards *sh)
{
    if (sh == NULL)
        return;
    for (size_t i = 0; i < sh->n; i++)
        stf_state_free(sh->shards[i].state);
    memset(sh, 0, sizeof(*sh));
}
