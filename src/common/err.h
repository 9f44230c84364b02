/*
 * err.h - the project's single error enum.
 *
 * Every fallible function returns enum itee_err. Values are grouped in numeric
 * ranges per module so a code read in a log says where it came from:
 * generic 1-99, SCALE 100-199, TRIE 200-299, CRYPTO 300-349, KEYS 350-399,
 * RPC 400-499, ENCLAVE 500-599, IO 600-699.
 */
#ifndef ITEE_ERR_H
#define ITEE_ERR_H

#define ITEE_MUST_CHECK __attribute__((warn_unused_result))

enum itee_err {
    ITEE_OK = 0,

    /* generic */
    ITEE_ERR_INTERNAL = 1,    /* a bug: an invariant did not hold */
    ITEE_ERR_NOMEM = 2,       /* allocation failed */
    ITEE_ERR_ARG = 3,         /* an argument is invalid (NULL, bad length) */
    ITEE_ERR_SPACE = 4,       /* output buffer too small or hard maximum reached */
    ITEE_ERR_HEX = 5,         /* not valid hex */
    ITEE_ERR_BASE58 = 6,      /* not valid base58 */
    ITEE_ERR_UNSUPPORTED = 7, /* valid input we do not support */
    ITEE_ERR_PARSE = 8,       /* text input could not be parsed */

    /* SCALE codec */
    ITEE_ERR_SCALE_EOF = 100,          /* input ended before the value did */
    ITEE_ERR_SCALE_NONCANONICAL = 101, /* compact integer not in its shortest form */
    ITEE_ERR_SCALE_BOOL = 102,         /* bool byte other than 0 or 1 */
    ITEE_ERR_SCALE_OPTION = 103,       /* Option tag other than 0 or 1 */
    ITEE_ERR_SCALE_VARIANT = 104,      /* enum / Result index not known */
    ITEE_ERR_SCALE_OVERFLOW = 105,     /* value does not fit the target type */
    ITEE_ERR_SCALE_TRAILING = 106,     /* bytes left after a complete value */
    ITEE_ERR_SCALE_UTF8 = 107,         /* String is not valid UTF-8 */
    ITEE_ERR_SCALE_LENGTH = 108,       /* length prefix larger than input or limit */
    ITEE_ERR_SCALE_ORDER = 109,        /* BTreeMap/Set keys not strictly ascending */

    /* trie (issue #3) */
    ITEE_ERR_TRIE_NODE = 200,  /* malformed trie node */
    ITEE_ERR_TRIE_PROOF = 201, /* proof does not prove what is asked */

    /* crypto */
    ITEE_ERR_BAD_SIG = 300,      /* signature does not verify */
    ITEE_ERR_BAD_KEY = 301,      /* key bytes are not a valid key */
    ITEE_ERR_BAD_POINT = 302,    /* curve point encoding invalid */
    ITEE_ERR_NOT_MARKED = 303,   /* sr25519 signature lacks the schnorrkel marker bit */
    ITEE_ERR_DECRYPT = 304,      /* decryption failed (padding, length) */
    ITEE_ERR_AUTH = 305,         /* AEAD tag did not authenticate */
    ITEE_ERR_RNG = 306,          /* randomness source failed */
    ITEE_ERR_CRYPTO_LIB = 307,   /* a crypto library call failed unexpectedly */
    ITEE_ERR_SCALAR_RANGE = 308, /* scalar not below the group order */

    /* keys */
    ITEE_ERR_MNEMONIC_WORD = 350,     /* word not in the BIP39 English list */
    ITEE_ERR_MNEMONIC_LENGTH = 351,   /* word count not 12/15/18/21/24 */
    ITEE_ERR_MNEMONIC_CHECKSUM = 352, /* BIP39 checksum mismatch */
    ITEE_ERR_SURI = 353,              /* secret URI malformed */
    ITEE_ERR_SOFT_JUNCTION = 354,     /* soft derivation asked of a scheme without it */
    ITEE_ERR_SS58 = 355,              /* SS58 address malformed */
    ITEE_ERR_SS58_CHECKSUM = 356,     /* SS58 checksum mismatch */
    ITEE_ERR_SS58_PREFIX = 357,       /* SS58 prefix reserved or out of range */
    ITEE_ERR_SCHEME = 358,            /* unknown crypto scheme name */

    /* RPC (issue #4) */
    ITEE_ERR_RPC = 400, /* malformed JSON-RPC */

    /* enclave (issue #5) */
    ITEE_ERR_ENCLAVE = 500, /* enclave refused the call */

    /* I/O */
    ITEE_ERR_IO = 600,     /* read/write failed */
    ITEE_ERR_NOENT = 601,  /* file or entry does not exist */
    ITEE_ERR_FORMAT = 602, /* file content malformed */
};

/* Returns: a static, human-readable, one-line description of err. Never NULL. */
const char *itee_strerror(enum itee_err err);

#endif
