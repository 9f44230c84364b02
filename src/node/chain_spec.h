/*
 * chain_spec.h - chain specification files as Substrate writes them (`build-spec`), for the
 * solo runtime: name, id, chainType, bootNodes, telemetryEndpoints, protocolId, properties,
 * codeSubstitutes and genesis, either plain (genesis.runtimeGenesis.config: the runtime's
 * GenesisConfig JSON in camelCase) or raw (genesis.raw.top: every genesis storage entry as
 * 0x-hex, sorted; genesis.raw.childrenDefault {}).
 *
 * Plain config understood (other pallets' sections must be empty objects or absent):
 *   system {}, aura {authorities: [ss58|0xhex]}, grandpa {authorities: [[ss58|0xhex, u64]]},
 *   balances {balances: [[ss58|0xhex, amount]]} (amount a JSON integer or a decimal string for
 *   u128), sudo {key: ss58|0xhex|null}, teerex {allowSgxDebugMode, allowSkippingAttestation},
 *   transactionPayment {multiplier: "1000000000000000000"} (only 1.0; the node has a constant
 *   multiplier).
 * A raw spec's storage is used as is, so its genesis hash equals that of the chain it was built
 * from. Parsing treats the file as hostile: every field is type- and range-checked, and a
 * failure names the offending field in a one-line reason.
 */
#ifndef ITEE_CHAIN_SPEC_H
#define ITEE_CHAIN_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "common/bytes.h"
#include "common/err.h"
#include "node/runtime/genesis.h"

#define CHAIN_SPEC_NAME_MAX  128                        /* bytes of name */
#define CHAIN_SPEC_ID_MAX    64                         /* bytes of id (a path component) */
#define CHAIN_SPEC_FILE_MAX  ((size_t)64 * 1024 * 1024) /* bytes of a spec file */
#define CHAIN_SPEC_VALUE_MAX ((size_t)16 * 1024 * 1024) /* bytes of one raw storage value */
#define CHAIN_SPEC_WHY_LEN   200                        /* room for a failure reason */

struct chain_spec {
    char name[CHAIN_SPEC_NAME_MAX + 1];      /* system_chain */
    char id[CHAIN_SPEC_ID_MAX + 1];          /* [A-Za-z0-9_-]+, names the database directory */
    char chain_type[16];                     /* Development / Local / Live */
    char protocol_id[CHAIN_SPEC_ID_MAX + 1]; /* "" when null */
    bool raw;                                /* storage below, else config */
    struct genesis_config config;            /* plain genesis */
    struct genesis_kv *kv;                   /* raw genesis entries (each key/value allocated) */
    size_t n_kv;
};

/* Fills s with the built-in dev or local spec. Returns: ITEE_OK, ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err chain_spec_builtin(struct chain_spec *s, enum genesis_chain chain);
/*
 * Parses a spec (plain or raw) from len bytes of JSON. On failure s is zeroed and why (at least
 * CHAIN_SPEC_WHY_LEN bytes) holds a one-line reason.
 * Returns: ITEE_OK, ITEE_ERR_SPEC_JSON, ITEE_ERR_SPEC_FIELD, ITEE_ERR_SPEC_VALUE, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err chain_spec_parse(struct chain_spec *s, const char *text, size_t len,
                                               char *why);
/* Reads and parses the file at path (at most CHAIN_SPEC_FILE_MAX bytes). Returns: as
 * chain_spec_parse, plus ITEE_ERR_IO / ITEE_ERR_NOENT / ITEE_ERR_SPEC_VALUE (too big). */
ITEE_MUST_CHECK enum itee_err chain_spec_load(struct chain_spec *s, const char *path, char *why);
/* The genesis source of s (borrowing from s). */
void chain_spec_source(const struct chain_spec *s, struct genesis_source *out);
/*
 * Appends the spec as pretty JSON (plain form, or raw with every genesis storage entry) and a
 * newline. A raw spec can only be written raw. Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM,
 * or a state error.
 */
ITEE_MUST_CHECK enum itee_err chain_spec_write(const struct chain_spec *s, bool raw,
                                               struct itee_buf *out);
/* Frees what s holds and zeroes it. */
void chain_spec_free(struct chain_spec *s);

#endif
