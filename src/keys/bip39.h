/*
 * bip39.h - BIP39 English mnemonics and Substrate's mnemonic-to-mini-secret (substrate-bip39).
 *
 * Substrate feeds the mnemonic's *entropy* (not its text) to PBKDF2-HMAC-SHA512, salt
 * "mnemonic" || password, 2048 rounds; the first 32 bytes are the mini secret.
 * Passwords are used as given: polkadot-js NFKD-normalises them first, which changes nothing
 * for ASCII but may for other text.
 */
#ifndef ITEE_BIP39_H
#define ITEE_BIP39_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define BIP39_WORDLIST_LEN    2048
#define BIP39_MIN_ENTROPY_LEN 16
#define BIP39_MAX_ENTROPY_LEN 32
#define BIP39_MINI_SECRET_LEN 32
#define BIP39_SEED_LEN        64
#define BIP39_MAX_WORDS       24
/* Buffer size that holds any mnemonic text: 24 words of up to 8 letters, 23 spaces, a NUL. */
#define BIP39_MNEMONIC_MAX 216

/* The English wordlist, generated at build time from data/bip39-english.txt. */
extern const char *const bip39_english[BIP39_WORDLIST_LEN];

/*
 * Looks up one word (len bytes, not NUL-terminated) in the sorted English list.
 * Returns: ITEE_OK or ITEE_ERR_MNEMONIC_WORD. Out: *index 0..2047.
 */
ITEE_MUST_CHECK enum itee_err bip39_word_index(uint16_t *index, const char *word, size_t len);

/*
 * Writes the mnemonic of entropy (16, 20, 24, 28 or 32 bytes) as NUL-terminated words
 * separated by single spaces.
 * Returns: ITEE_OK, ITEE_ERR_ARG (bad entropy length), ITEE_ERR_SPACE (cap too small; at most
 * BIP39_MNEMONIC_MAX is needed).
 */
ITEE_MUST_CHECK enum itee_err bip39_mnemonic_from_entropy(char *out, size_t cap,
                                                          const uint8_t *entropy, size_t len);

/*
 * Parses a mnemonic: words separated by one or more spaces (leading and trailing spaces are
 * ignored), 12/15/18/21/24 of them, with a valid checksum.
 * Returns: ITEE_OK, ITEE_ERR_MNEMONIC_WORD, ITEE_ERR_MNEMONIC_LENGTH,
 * ITEE_ERR_MNEMONIC_CHECKSUM, ITEE_ERR_SPACE (cap below the entropy length) or ITEE_ERR_ARG.
 * Out: *out_len entropy bytes (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err bip39_entropy_from_mnemonic(uint8_t *out, size_t cap, size_t *out_len,
                                                          const char *phrase, size_t len);

/*
 * Substrate's 64-byte seed: PBKDF2-HMAC-SHA512(entropy, "mnemonic" || password, 2048).
 * entropy must be 16..32 bytes and a multiple of 4; password may be NULL when plen is 0.
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM (passwords over 256 bytes are copied to the
 * heap) or ITEE_ERR_CRYPTO_LIB. Out: out (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err bip39_seed64(uint8_t out[BIP39_SEED_LEN], const uint8_t *entropy,
                                           size_t len, const char *password, size_t plen);

/* The mini secret: the first 32 bytes of bip39_seed64. Returns: as bip39_seed64. */
ITEE_MUST_CHECK enum itee_err bip39_mini_secret(uint8_t out[BIP39_MINI_SECRET_LEN],
                                                const uint8_t *entropy, size_t len,
                                                const char *password, size_t plen);

/*
 * Generates a fresh mnemonic of words (12, 15, 18, 21 or 24) words from libsodium's CSPRNG.
 * Returns: ITEE_OK, ITEE_ERR_ARG (word count) or ITEE_ERR_SPACE.
 */
ITEE_MUST_CHECK enum itee_err bip39_generate(char *out, size_t cap, size_t words);

#endif
