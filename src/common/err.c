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
    case ITEE_ERR_ENCLAVE:
        return "enclave refused the call";
    case ITEE_ERR_IO:
        return "read/write failed";
    case ITEE_ERR_NOENT:
        return "file or entry does not exist";
    case ITEE_ERR_FORMAT:
        return "file content malformed";
    }
    return "unknown error";
}
