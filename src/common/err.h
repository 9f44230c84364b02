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
    ITEE_ERR_TRIE_HASH = 202,  /* stored trie node or value does not match its hash */

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

    /* TLS (src/proto/tls, issue #5) */
    ITEE_ERR_TLS = 420,          /* TLS protocol failure or alert (reason in tls_session_reason) */
    ITEE_ERR_TLS_VERIFY = 421,   /* peer certificate chain or host name did not verify */
    ITEE_ERR_TLS_PEER_KEY = 422, /* peer's TLS key is not the pinned ed25519 key */
    ITEE_ERR_TLS_LIMIT = 423,    /* pending TLS bytes over the session's bound */
    ITEE_ERR_TLS_CLOSED = 424,   /* TLS session already closed */
    ITEE_ERR_TLS_PEM = 425,      /* PEM certificate or key unparsable or mismatched */

    ITEE_ERR_RPC_REMOTE = 440, /* the server answered with a JSON-RPC error */
    ITEE_ERR_TIMEOUT = 441,    /* no answer before the deadline */
    ITEE_ERR_CONN = 442,       /* connection failed or closed */
    ITEE_ERR_URL = 443,        /* URL malformed or of an unsupported scheme */

    /* enclave (issue #5) */
    ITEE_ERR_ENCLAVE = 500,         /* enclave refused the call */
    ITEE_ERR_ENCLAVE_STATE = 501,   /* ecall not permitted in the enclave's current state */
    ITEE_ERR_ENCLAVE_VERSION = 502, /* host and enclave built for different EDL versions */
    ITEE_ERR_ENCLAVE_UNSEAL = 503,  /* sealed file not openable by this enclave build/secret */
    ITEE_ERR_ENCLAVE_OCALL = 504,   /* an ocall returned an invalid result */
    ITEE_ERR_ENCLAVE_LOAD = 505,    /* enclave library not loadable or lacks an ecall */
    ITEE_ERR_ENCLAVE_NAME = 506,    /* file name not a plain relative name */
    ITEE_ERR_ENCLAVE_MODE = 507,    /* requested enclave mode not available in this build */
    /* parentchain light client (src/chain/light_client, issue #5) */
    ITEE_ERR_LC_PARENT = 520,           /* header's parent is not the last imported header */
    ITEE_ERR_LC_GAP = 521,              /* header number skips blocks */
    ITEE_ERR_LC_NUMBER = 522,           /* header number not above the last imported */
    ITEE_ERR_LC_QUEUE_FULL = 523,       /* too many unjustified headers held */
    ITEE_ERR_LC_TARGET = 524,           /* justification is not for the expected header */
    ITEE_ERR_LC_UNKNOWN_SIGNER = 525,   /* precommit by a key outside the authority set */
    ITEE_ERR_LC_DUPLICATE_SIGNER = 526, /* two precommits by the same authority */
    ITEE_ERR_LC_WEIGHT = 527,           /* signers below the GRANDPA threshold */
    ITEE_ERR_LC_ANCESTRY = 528,         /* precommit target not proven a descendant */
    ITEE_ERR_LC_SET_CHANGE = 529,       /* authority set change out of order */
    ITEE_ERR_LC_DIGEST = 530,           /* malformed GRANDPA consensus digest */
    ITEE_ERR_LC_FORCED_CHANGE = 531,    /* GRANDPA forced change (not supported) */
    ITEE_ERR_LC_AUTHORITIES = 532,      /* authority set empty, malformed or missing */
    ITEE_ERR_LC_NOT_FINALIZED = 533,    /* header not a held finalized header */
    ITEE_ERR_LC_EXTRINSICS_ROOT = 534,  /* extrinsics do not match the extrinsics root */
    ITEE_ERR_LC_STATE = 535,            /* encoded light-client state malformed */

    /* STF (issue #5): trusted calls, state, modules */
    ITEE_ERR_STF_NONCE = 540,    /* trusted call nonce is not the sender's account nonce */
    ITEE_ERR_STF_FUNDS = 541,    /* free balance too low for the amount or fee */
    ITEE_ERR_STF_ORIGIN = 542,   /* sender may not make this call (not root / enclave) */
    ITEE_ERR_STF_OVERFLOW = 543, /* balance or nonce arithmetic would overflow */
    ITEE_ERR_STF_STATE = 544,    /* encoded STF state, diff or stored value malformed */
    ITEE_ERR_STF_SHARD = 545,    /* call names a shard other than the executing one */
    ITEE_ERR_STF_MODULE = 546,   /* module registration conflicts or table is full */
    ITEE_ERR_STF_TX = 547,       /* state transaction misuse (none open, or one open) */

    /* parentchain importer in the enclave (issue #5, enclave_pc.h) */
    ITEE_ERR_PC_NOT_INIT = 570, /* parentchain importer not initialised */
    ITEE_ERR_PC_GENESIS = 571,  /* sealed light client follows another chain */
    ITEE_ERR_PC_SHARD = 572,    /* sealed importer follows another shard */
    ITEE_ERR_PC_PENDING = 573,  /* too many unfinalized bundles held */

    /* trusted RPC in the enclave (issue #5) */
    ITEE_ERR_TRPC_LIMIT = 590, /* trusted RPC connection limit reached */
    ITEE_ERR_TRPC_CONN = 591,  /* unknown (or already open) trusted RPC connection id */

    /* I/O */
    ITEE_ERR_IO = 600,           /* read/write failed */
    ITEE_ERR_NOENT = 601,        /* file or entry does not exist */
    ITEE_ERR_FORMAT = 602,       /* file content malformed */
    ITEE_ERR_STORE_FORMAT = 603, /* data directory of an older or unknown store format */
    ITEE_ERR_STATE_PRUNED = 604, /* state of that block already discarded (pruning) */

    /* chain spec and keystore files (issue #4) */
    ITEE_ERR_SPEC_JSON = 610,    /* chain spec is not valid JSON */
    ITEE_ERR_SPEC_FIELD = 611,   /* chain spec field missing or of the wrong type */
    ITEE_ERR_SPEC_VALUE = 612,   /* chain spec value malformed or out of range */
    ITEE_ERR_KEY_FILE = 613,     /* keystore file malformed */
    ITEE_ERR_KEY_TYPE = 614,     /* unsupported key type */
    ITEE_ERR_KEY_MISMATCH = 615, /* secret does not match the public key */
};

/* Returns: a static, human-readable, one-line description of err. Never NULL. */
const char *itee_strerror(enum itee_err err);

#endif
