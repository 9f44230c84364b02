/*
 * enclave_keys.c - load-or-generate of the enclave's sealed keys (see enclave_keys.h).
 * Verify first, write last: every existing file is unsealed and parsed before any new key is
 * sealed and written, so a refused start changes nothing on disk.
 */
#include "enclave_keys.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/rand.h>

#include "common/mem.h"
#include "crypto/hash.h"
#include "crypto/seal.h"
#include "enclave/enclave_ocall.h"

enum { KEYS_SHIELDING = 0, KEYS_SIGNING = 1, KEYS_STATE = 2, KEYS_COUNT = 3 };

/* One sealed file: where it lives, its seal label, and its plaintext while loading. */
struct keys_slot {
    const char *name;     /* file name in the data directory (also the seal aad) */
    const char *label;    /* HKDF label of its sealing key */
    struct itee_buf data; /* plaintext (secret) */
    bool present;         /* the file existed and unsealed */
};

/* Everything a load needs to reach the sealed files. */
struct keys_io {
    const struct edl_ocalls *oc; /* ocall table */
    const uint8_t *measurement;  /* MRENCLAVE: salt of every sealing key */
    const uint8_t *secret;       /* local seal secret */
    size_t secret_len;           /* its length */
};

static enum itee_err keys_read(const struct keys_io *io, struct keys_slot *slot)
{
    uint8_t key[SEAL_KEY_LEN];
    struct itee_buf blob;
    itee_buf_init(&blob, ENCLAVE_KEYS_FILE_MAX);
    enum itee_err r = enclave_ocall_read_file(io->oc, slot->name, ENCLAVE_KEYS_FILE_MAX, &blob);
    if (r == ITEE_ERR_NOENT) {
        r = ITEE_OK;
        goto out;
    }
    if (r != ITEE_OK)
        goto out;
    r = seal_key_derive(key, io->measurement, io->secret, io->secret_len, slot->label);
    if (r != ITEE_OK)
        goto out;
    r = unseal(&slot->data, key, (const uint8_t *)slot->name, strlen(slot->name), blob.ptr,
               blob.len);
    /* Another measurement, another secret and tampering all look the same, by design. */
    if (r == ITEE_ERR_AUTH || r == ITEE_ERR_FORMAT)
        r = ITEE_ERR_ENCLAVE_UNSEAL;
    slot->present = r == ITEE_OK;
out:
    itee_memzero(key, sizeof(key));
    itee_buf_free(&blob);
    return r;
}

static enum itee_err keys_write(const struct keys_io *io, const struct keys_slot *slot)
{
    uint8_t key[SEAL_KEY_LEN];
    struct itee_buf blob;
    itee_buf_init(&blob, ENCLAVE_KEYS_FILE_MAX);
    enum itee_err r =
        seal_key_derive(key, io->measurement, io->secret, io->secret_len, slot->label);
    if (r != ITEE_OK)
        goto out;
    r = seal(&blob, key, (const uint8_t *)slot->name, strlen(slot->name), slot->data.ptr,
             slot->data.len);
    if (r != ITEE_OK)
        goto out;
    r = enclave_ocall_write_file(io->oc, slot->name, blob.ptr, blob.len);
out:
    itee_memzero(key, sizeof(key));
    itee_buf_free(&blob);
    return r;
}

/* Fills a slot with fresh random bytes. */
static enum itee_err keys_random(struct keys_slot *slot, size_t len)
{
    itee_buf_reset(&slot->data);
    enum itee_err r = itee_buf_reserve(&slot->data, len);
    if (r != ITEE_OK)
        return r;
    if (RAND_bytes(slot->data.ptr, (int)len) != 1)
        return ITEE_ERR_RNG;
    slot->data.len = len;
    return ITEE_OK;
}

static enum itee_err keys_generate_shielding(struct enclave_keys *keys, struct keys_slot *slot)
{
    enum itee_err r = rsa_key_generate(&keys->shielding);
    if (r != ITEE_OK)
        return r;
    return rsa_keypair_to_json(keys->shielding, &slot->data);
}

/* Turns unsealed (or generated) plaintexts into keys; malformed content is refused. */
static enum itee_err keys_adopt(struct enclave_keys *keys, struct keys_slot *slots)
{
    struct keys_slot *sh = &slots[KEYS_SHIELDING];
    if (keys->shielding == NULL) {
        enum itee_err r =
            rsa_keypair_from_json(&keys->shielding, (const char *)sh->data.ptr, sh->data.len);
        if (r == ITEE_ERR_FORMAT || r == ITEE_ERR_BAD_KEY)
            r = ITEE_ERR_ENCLAVE_UNSEAL;
        if (r != ITEE_OK)
            return r;
    }
    if (slots[KEYS_SIGNING].data.len != ED25519_SEED_LEN ||
        slots[KEYS_STATE].data.len != ENCLAVE_STATE_KEY_LEN)
        return ITEE_ERR_ENCLAVE_UNSEAL;
    enum itee_err r = ed25519_keypair_from_seed(&keys->signer, slots[KEYS_SIGNING].data.ptr);
    if (r != ITEE_OK)
        return r;
    memcpy(keys->state_key, slots[KEYS_STATE].data.ptr, ENCLAVE_STATE_KEY_LEN);
    /* The STF account seed is the hash of the key pair JSON exactly as sealed (§4.5). */
    uint8_t seed[ED25519_SEED_LEN];
    hash_blake2_256(seed, sh->data.ptr, sh->data.len);
    r = ed25519_keypair_from_seed(&keys->account, seed);
    itee_memzero(seed, sizeof(seed));
    return r;
}

static enum itee_err keys_generate_missing(struct enclave_keys *keys, struct keys_slot *slots)
{
    enum itee_err r = ITEE_OK;
    if (!slots[KEYS_SHIELDING].present)
        r = keys_generate_shielding(keys, &slots[KEYS_SHIELDING]);
    if (r == ITEE_OK && !slots[KEYS_SIGNING].present)
        r = keys_random(&slots[KEYS_SIGNING], ED25519_SEED_LEN);
    if (r == ITEE_OK && !slots[KEYS_STATE].present)
        r = keys_random(&slots[KEYS_STATE], ENCLAVE_STATE_KEY_LEN);
    return r;
}

enum itee_err enclave_keys_load(struct enclave_keys *keys, const struct edl_ocalls *oc,
                                const uint8_t measurement[EDL_MEASUREMENT_LEN],
                                const uint8_t *secret, size_t secret_len)
{
    if (keys == NULL)
        return ITEE_ERR_ARG;
    memset(keys, 0, sizeof(*keys));
    if (oc == NULL || measurement == NULL || secret == NULL)
        return ITEE_ERR_ARG;
    struct keys_io io = {oc, measurement, secret, secret_len};
    struct keys_slot slots[KEYS_COUNT] = {
        {ENCLAVE_KEYS_SHIELDING_FILE, "shielding-key", {0}, false},
        {ENCLAVE_KEYS_SIGNING_FILE, "signing-key", {0}, false},
        {ENCLAVE_KEYS_STATE_FILE, "state-key", {0}, false},
    };
    enum itee_err r = ITEE_OK;
    for (int i = 0; i < KEYS_COUNT; i++)
        itee_buf_init(&slots[i].data, ENCLAVE_KEYS_FILE_MAX);
    for (int i = 0; i < KEYS_COUNT && r == ITEE_OK; i++)
        r = keys_read(&io, &slots[i]);
    if (r == ITEE_OK)
        r = keys_generate_missing(keys, slots);
    if (r == ITEE_OK)
        r = keys_adopt(keys, slots);
    for (int i = 0; i < KEYS_COUNT && r == ITEE_OK; i++) {
        if (!slots[i].present) {
            r = keys_write(&io, &slots[i]);
            keys->generated++;
        }
    }
    for (int i = 0; i < KEYS_COUNT; i++)
        itee_buf_free_secret(&slots[i].data);
    if (r != ITEE_OK)
        enclave_keys_clear(keys);
    return r;
}

void enclave_keys_clear(struct enclave_keys *keys)
{
    if (keys == NULL)
        return;
    rsa_key_free(keys->shielding);
    ed25519_keypair_clear(&keys->signer);
    ed25519_keypair_clear(&keys->account);
    itee_memzero(keys, sizeof(*keys));
}

enum itee_err enclave_keys_shielding_json(const struct enclave_keys *keys, struct itee_buf *out)
{
    if (keys == NULL || keys->shielding == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return rsa_public_to_json(keys->shielding, out);
}
