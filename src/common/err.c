/*
 * err.c - text for every itee_err value.
 */
#include "err.h"

const char *itee_strerror(enum itee_err err)
{
    switch (err) {
    case ITEE_OK:
        return "success";
    case ITEE_ERR_INTERNAL:
        return "a bug: an invariant did not hold";
    case ITEE_ERR_NOMEM:
        return "allocation failed";
    case ITEE_ERR_ARG:
        return "an argument is invalid (NULL, bad length)";
    case ITEE_ERR_SPACE:
        return "output buffer too small or hard maximum reached";
    case ITEE_ERR_HEX:
        return "not valid hex";
    case ITEE_ERR_BASE58:
        return "not valid base58";
    case ITEE_ERR_UNSUPPORTED:
        return "valid input we do not support";
    case ITEE_ERR_PARSE:
        return "text input could not be parsed";
    case ITEE_ERR_SCALE_EOF:
        return "input ended before the value did";
    case ITEE_ERR_SCALE_NONCANONICAL:
        return "compact integer not in its shortest form";
    case ITEE_ERR_SCALE_BOOL:
        return "bool byte other than 0 or 1";
    case ITEE_ERR_SCALE_OPTION:
        return "Option tag other than 0 or 1";
    case ITEE_ERR_SCALE_VARIANT:
        return "enum / Result index not known";
    case ITEE_ERR_SCALE_OVERFLOW:
        return "value does not fit the target type";
    case ITEE_ERR_SCALE_TRAILING:
        return "bytes left after a complete value";
    case ITEE_ERR_SCALE_UTF8:
        return "String is not valid UTF-8";
    case ITEE_ERR_SCALE_LENGTH:
        return "length prefix larger than input or limit";
    case ITEE_ERR_SCALE_ORDER:
        return "BTreeMap/Set keys not strictly ascending";
    case ITEE_ERR_TRIE_NODE:
        return "malformed trie node";
    case ITEE_ERR_TRIE_PROOF:
        return "proof does not prove what is asked";
    case ITEE_ERR_TRIE_HASH:
        return "stored trie node or value does not match its hash";
    case ITEE_ERR_BAD_SIG:
        return "signature does not verify";
    case ITEE_ERR_BAD_KEY:
        return "key bytes are not a valid key";
    case ITEE_ERR_BAD_POINT:
        return "curve point encoding invalid";
    case ITEE_ERR_NOT_MARKED:
        return "sr25519 signature lacks the schnorrkel marker bit";
    case ITEE_ERR_DECRYPT:
        return "decryption failed (padding, length)";
    case ITEE_ERR_AUTH:
        return "AEAD tag did not authenticate";
    case ITEE_ERR_RNG:
        return "randomness source failed";
    case ITEE_ERR_CRYPTO_LIB:
        return "a crypto library call failed unexpectedly";
    case ITEE_ERR_SCALAR_RANGE:
        return "scalar not below the group order";
    case ITEE_ERR_MNEMONIC_WORD:
        return "word not in the BIP39 English list";
    case ITEE_ERR_MNEMONIC_LENGTH:
        return "word count not 12/15/18/21/24";
    case ITEE_ERR_MNEMONIC_CHECKSUM:
        return "BIP39 checksum mismatch";
    case ITEE_ERR_SURI:
        return "secret URI malformed";
    case ITEE_ERR_SOFT_JUNCTION:
        return "soft derivation asked of a scheme without it";
    case ITEE_ERR_SS58:
        return "SS58 address malformed";
    case ITEE_ERR_SS58_CHECKSUM:
        return "SS58 checksum mismatch";
    case ITEE_ERR_SS58_PREFIX:
        return "SS58 prefix reserved or out of range";
    case ITEE_ERR_SCHEME:
        return "unknown crypto scheme name";
    case ITEE_ERR_RPC:
        return "malformed JSON-RPC";
    case ITEE_ERR_TLS:
        return "TLS protocol failure";
    case ITEE_ERR_TLS_VERIFY:
        return "TLS peer certificate did not verify";
    case ITEE_ERR_TLS_PEER_KEY:
        return "TLS peer key is not the pinned key";
    case ITEE_ERR_TLS_LIMIT:
        return "TLS pending bytes over the limit";
    case ITEE_ERR_TLS_CLOSED:
        return "TLS session closed";
    case ITEE_ERR_TLS_PEM:
        return "PEM certificate or key invalid";
    case ITEE_ERR_RPC_REMOTE:
        return "the server answered with a JSON-RPC error";
    case ITEE_ERR_TIMEOUT:
        return "no answer before the deadline";
    case ITEE_ERR_CONN:
        return "connection failed or closed";
    case ITEE_ERR_URL:
        return "URL malformed or of an unsupported scheme";
    case ITEE_ERR_ENCLAVE:
        return "enclave refused the call";
    case ITEE_ERR_ENCLAVE_STATE:
        return "ecall not permitted in the enclave's current state";
    case ITEE_ERR_ENCLAVE_VERSION:
        return "host and enclave built for different EDL versions";
    case ITEE_ERR_ENCLAVE_UNSEAL:
        return "sealed file not openable by this enclave build/secret";
    case ITEE_ERR_ENCLAVE_OCALL:
        return "an ocall returned an invalid result";
    case ITEE_ERR_ENCLAVE_LOAD:
        return "enclave library not loadable or lacks an ecall";
    case ITEE_ERR_ENCLAVE_NAME:
        return "file name not a plain relative name";
    case ITEE_ERR_ENCLAVE_MODE:
        return "requested enclave mode not available in this build";
    case ITEE_ERR_LC_PARENT:
        return "header's parent is not the last imported header";
    case ITEE_ERR_LC_GAP:
        return "header number skips blocks";
    case ITEE_ERR_LC_NUMBER:
        return "header number not above the last imported one";
    case ITEE_ERR_LC_QUEUE_FULL:
        return "too many unjustified headers held";
    case ITEE_ERR_LC_TARGET:
        return "justification is not for the expected header";
    case ITEE_ERR_LC_UNKNOWN_SIGNER:
        return "precommit by a key outside the authority set";
    case ITEE_ERR_LC_DUPLICATE_SIGNER:
        return "two precommits by the same authority";
    case ITEE_ERR_LC_WEIGHT:
        return "justification signers below the GRANDPA threshold";
    case ITEE_ERR_LC_ANCESTRY:
        return "precommit target not proven a descendant of the commit target";
    case ITEE_ERR_LC_SET_CHANGE:
        return "authority set change out of order";
    case ITEE_ERR_LC_DIGEST:
        return "malformed GRANDPA consensus digest";
    case ITEE_ERR_LC_FORCED_CHANGE:
        return "GRANDPA forced authority change (not supported)";
    case ITEE_ERR_LC_AUTHORITIES:
        return "authority set empty, malformed or missing";
    case ITEE_ERR_LC_NOT_FINALIZED:
        return "header is not a held finalized header";
    case ITEE_ERR_LC_EXTRINSICS_ROOT:
        return "extrinsics do not match the extrinsics root";
    case ITEE_ERR_LC_STATE:
        return "encoded light-client state malformed";
    case ITEE_ERR_STF_NONCE:
        return "trusted call nonce is not the sender's account nonce";
    case ITEE_ERR_STF_FUNDS:
        return "free balance too low for the amount or fee";
    case ITEE_ERR_STF_ORIGIN:
        return "sender may not make this call (not root / enclave)";
    case ITEE_ERR_STF_OVERFLOW:
        return "balance or nonce arithmetic would overflow";
    case ITEE_ERR_STF_STATE:
        return "encoded STF state, diff or stored value malformed";
    case ITEE_ERR_STF_SHARD:
        return "call names a shard other than the executing one";
    case ITEE_ERR_STF_MODULE:
        return "module registration conflicts or table is full";
    case ITEE_ERR_STF_TX:
        return "state transaction misuse (none open, or one open)";
    case ITEE_ERR_PC_NOT_INIT:
        return "parentchain importer not initialised";
    case ITEE_ERR_PC_GENESIS:
        return "sealed light client follows another chain";
    case ITEE_ERR_PC_SHARD:
        return "sealed parentchain importer follows another shard";
    case ITEE_ERR_PC_PENDING:
        return "too many unfinalized parentchain blocks held";
    case ITEE_ERR_TRPC_LIMIT:
        return "trusted RPC connection limit reached";
    case ITEE_ERR_TRPC_CONN:
        return "unknown (or already open) trusted RPC connection id";
    case ITEE_ERR_IO:
        return "read/write failed";
    case ITEE_ERR_NOENT:
        return "file or entry does not exist";
    case ITEE_ERR_FORMAT:
        return "file content malformed";
    case ITEE_ERR_STORE_FORMAT:
        return "data directory of an older or unknown store format (remove or move it)";
    case ITEE_ERR_STATE_PRUNED:
        return "state already discarded (pruned)";
    case ITEE_ERR_SPEC_JSON:
        return "chain spec is not valid JSON";
    case ITEE_ERR_SPEC_FIELD:
        return "chain spec field missing or of the wrong type";
    case ITEE_ERR_SPEC_VALUE:
        return "chain spec value malformed or out of range";
    case ITEE_ERR_KEY_FILE:
        return "keystore file malformed";
    case ITEE_ERR_KEY_TYPE:
        return "unsupported key type";
    case ITEE_ERR_KEY_MISMATCH:
        return "secret does not match the public key";
    }
    return "unknown error";
}
