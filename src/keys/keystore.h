/*
 * keystore.h - a Substrate-layout key store directory: one file per key named
 * <hex of the 4-byte key type><hex of the public key> (e.g. 61757261d435...), holding the JSON
 * string of the secret URI (a phrase, 0x seed, with junctions), mode 0600, directory 0700.
 * A file is written to a temporary name, fsynced and renamed, so a crash never leaves a torn
 * key. Loading re-derives the pair and checks that it matches the name's public key.
 *
 * Key types and their schemes: "aura", "babe", "imon", "audi", "para", "asgn", "acco", "sr25"
 * sr25519; "gran", "ed25" ed25519; "beef" ecdsa. Other types are refused. ("sr25"/"ed25" are
 * the account keystores of integritee-cli, as sp_core's SR25519/ED25519 key type ids.)
 */
#ifndef ITEE_KEYSTORE_H
#define ITEE_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "keys/pair.h"

#define KEYSTORE_TYPE_LEN 4    /* bytes of a key type id */
#define KEYSTORE_PATH_MAX 3072 /* bytes of the directory path */
#define KEYSTORE_FILE_MAX 4096 /* bytes of one key file */
#define KEYSTORE_WORDS    12   /* words of a generated phrase */

struct keystore {
    char dir[KEYSTORE_PATH_MAX]; /* directory, NUL-terminated */
};

/* Creates (mode 0700) or opens the directory. Returns: ITEE_OK, ITEE_ERR_ARG (too long),
 * ITEE_ERR_IO. */
ITEE_MUST_CHECK enum itee_err keystore_open(struct keystore *ks, const char *dir);
/* The scheme of a key type. Returns: ITEE_OK, ITEE_ERR_KEY_TYPE. */
ITEE_MUST_CHECK enum itee_err keystore_scheme(const char *type, size_t type_len,
                                              enum keys_scheme *out);
/*
 * Stores suri under type and the public key it derives, which must equal pub.
 * Returns: ITEE_OK, ITEE_ERR_KEY_TYPE, ITEE_ERR_KEY_MISMATCH, a SURI/mnemonic error, ITEE_ERR_IO.
 */
ITEE_MUST_CHECK enum itee_err keystore_insert(const struct keystore *ks, const char *type,
                                              size_t type_len, const char *suri, size_t suri_len,
                                              const uint8_t *pub, size_t pub_len);
/*
 * Generates a new key of type from a fresh KEYSTORE_WORDS-word phrase and stores it.
 * Out: pub (KEYS_PUBLIC_MAX bytes) and *pub_len. Returns: as keystore_insert, ITEE_ERR_RNG.
 */
ITEE_MUST_CHECK enum itee_err keystore_generate(const struct keystore *ks, const char *type,
                                                size_t type_len, uint8_t pub[KEYS_PUBLIC_MAX],
                                                size_t *pub_len);
/* Whether a file for (type, pub) exists. Returns: ITEE_OK, ITEE_ERR_KEY_TYPE, ITEE_ERR_ARG. */
ITEE_MUST_CHECK enum itee_err keystore_has(const struct keystore *ks, const char *type,
                                           size_t type_len, const uint8_t *pub, size_t pub_len,
                                           bool *out);
/*
 * Loads the pair of (type, pub). Returns: ITEE_OK, ITEE_ERR_NOENT, ITEE_ERR_KEY_FILE (not a JSON
 * string), ITEE_ERR_KEY_MISMATCH, ITEE_ERR_KEY_TYPE, ITEE_ERR_IO, a SURI error.
 * Out: *out (keys_pair_clear it).
 */
ITEE_MUST_CHECK enum itee_err keystore_load(const struct keystore *ks, const char *type,
                                            size_t type_len, const uint8_t *pub, size_t pub_len,
                                            struct keys_pair *out);
/* Receives one public key of the listed type (a view valid during the call). */
typedef void (*keystore_list_fn)(void *ctx, const uint8_t *pub, size_t pub_len);
/*
 * Calls fn for every key of type in the directory (in directory order; a missing directory
 * lists nothing). Files whose names are not <type hex><public hex> are skipped.
 * Returns: ITEE_OK, ITEE_ERR_KEY_TYPE, ITEE_ERR_ARG, ITEE_ERR_IO.
 */
ITEE_MUST_CHECK enum itee_err keystore_list(const struct keystore *ks, const char *type,
                                            size_t type_len, keystore_list_fn fn, void *ctx);
/* Removes the key files and the directory (throwaway --tmp keystores). */
void keystore_purge(const struct keystore *ks);

#endif
