/*
 * cli_base.h - the CLI's base commands against the parentchain node, with the original
 * integritee-cli's syntax and output lines (spec worker-protocol.md §7): balance, new-account,
 * list-accounts, print-metadata, faucet, transfer, list-workers.
 */
#ifndef ITEE_CLI_BASE_H
#define ITEE_CLI_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "keys/pair.h"
#include "net/node_api.h"

/* Global options, as the original: -u/--node-url, -p/--node-port, -U/--worker-url,
 * -P/--trusted-worker-port, plus our --keystore and --timeout-ms. */
struct cli_opts {
    const char *node_url;    /* "ws://127.0.0.1" */
    const char *node_port;   /* "9944" */
    const char *worker_url;  /* "wss://127.0.0.1" */
    const char *worker_port; /* "2000" */
    const char *keystore;    /* "./my_keystore" */
    unsigned timeout_ms;     /* per node request and per wait */
};

/* An enclave registered in Teerex.SovereignEnclaves. */
struct cli_enclave {
    uint8_t signer[32];    /* its account = its ed25519 signing key = its TLS key */
    uint8_t mrenclave[32]; /* measurement */
    long long timestamp;   /* registration time (ms) */
    char url[256];         /* registered worker URL */
    char method[64];       /* attestation method (JSON) */
};
typedef void (*cli_enclave_fn)(void *ctx, const struct cli_enclave *e);
/*
 * Calls fn (may be NULL) for every registered enclave. Out: *count.
 * Returns: ITEE_OK, ITEE_ERR_NOENT (no Teerex on this chain), node_api errors.
 */
ITEE_MUST_CHECK enum itee_err cli_base_enclaves(struct node_api *api, cli_enclave_fn fn, void *ctx,
                                                size_t *count);
/* Connects to the node of the global options. */
ITEE_MUST_CHECK enum itee_err cli_base_connect(const struct cli_opts *o, struct node_api *api);
/* Resolves an account argument (SS58, 0x public key, or a secret URI which also gives a pair
 * when pair != NULL). Returns: ITEE_OK or the SURI's error. */
ITEE_MUST_CHECK enum itee_err cli_base_account(const char *arg, uint8_t who[32],
                                               struct keys_pair *pair, bool *have_pair);

/* Returns: true if name is a base command. */
bool cli_base_is_command(const char *name);
/*
 * Runs base command argv[0] with its arguments. Results go to out, errors to err as one line.
 * Returns: the process exit code (0 success, 1 failure, 2 usage).
 */
int cli_base_main(const struct cli_opts *o, int argc, char **argv, FILE *out, FILE *err);

#endif
