/*
 * bip39.h - BIP39 English mnemonics and Substrate's mnemonic-to-mini-secret (substrate-bip39).
 *
 * Substrate feeds the mnemonic's *entropy* (not its text) to PBKDF2-HMAC-SHA512, salt
 * "mnemonic" || password, 2048 rounds; the first 32 bytes are the mini secret.
 */
#ifndef ITEE_BIP39_H
#define ITEE_BIP39_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define BIP39_WORDLIST_LEN 2048
#define BIP39_MAX_ENTROPY_LEN 32
#define BIP39_MINI_SECRET_LEN 32
#define BIP39_SEED_LEN 64

/* The English wordlist, generated at build time from data/bip39-english.txt. */
extern const char *const bip39_english[BIP39_WORDLIST_LEN];

#endif
