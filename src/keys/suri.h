/*
 * suri.h - Substrate secret URIs: "<phrase | 0x seed>[//hard | /soft]*[///password]".
 *
 * The grammar is Substrate's (sp_core::crypto::SecretUri):
 *   ^(?P<phrase>[a-zA-Z0-9 ]+)?(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$
 * A missing phrase means the dev phrase, so "//Alice" is the dev phrase with a hard junction
 * "Alice". Junction text becomes a 32-byte chain code (suri_chain_code).
 */
#ifndef ITEE_SURI_H
#define ITEE_SURI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Substrate's well-known development mnemonic (sp_core::crypto::DEV_PHRASE). */
#define SURI_DEV_PHRASE     "bottom drive obey lake curtain smoke basket hold race lonely fit walk"
#define SURI_MAX_JUNCTIONS  32
#define SURI_CHAIN_CODE_LEN 32

struct suri_junction {
    bool hard;                       /* "//" (hard) rather than "/" (soft) */
    uint8_t cc[SURI_CHAIN_CODE_LEN]; /* chain code of the junction text */
};

struct suri {
    const char *phrase; /* view into the input (mnemonic or "0x" hex seed), or SURI_DEV_PHRASE
                           when the input has no phrase */
    size_t phrase_len;  /* bytes at phrase */
    struct suri_junction junctions[SURI_MAX_JUNCTIONS]; /* in application order */
    size_t njunctions;                                  /* junctions used */
    const char *password; /* view into the input after "///" (NULL if none) */
    size_t password_len;  /* bytes at password */
    bool has_password;    /* "///" was present (the password may still be empty) */
};

/*
 * Parses len bytes of text. The views in *out point into text (or at SURI_DEV_PHRASE).
 * Returns: ITEE_OK, ITEE_ERR_SURI (not in the grammar, or more than SURI_MAX_JUNCTIONS
 * junctions), ITEE_ERR_ARG. Out: *out (zeroed on failure; holds chain codes, not secrets).
 */
ITEE_MUST_CHECK enum itee_err suri_parse(struct suri *out, const char *text, size_t len);

/*
 * Chain code of one junction's text (without its slashes), as Substrate's DeriveJunction:
 * text that u64::from_str accepts (digits, optional leading '+') is the u64 LE; other text is
 * its SCALE String encoding; either is zero-padded to 32 bytes, or blake2_256'd if longer.
 * polkadot-js differs for "+n", hex-looking text ("0x01") and numbers above u64.
 * Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err suri_chain_code(uint8_t cc[SURI_CHAIN_CODE_LEN], const char *junction,
                                              size_t len);

#endif
