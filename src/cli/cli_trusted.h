/*
 * cli_trusted.h - `integritee-cli trusted ...`: commands against a worker's enclave (spec
 * worker-protocol.md §7, SDK v0.13.0). Getters go over the worker's trusted JSON-RPC (wss, TLS
 * ending in the enclave); calls go indirectly, RSA-encrypted to the enclave's shielding key,
 * inside EnclaveBridge.invoke on the parentchain.
 *
 * Unlike the original client, the TLS connection is verified: the worker must present the
 * ed25519 key of an enclave registered in Teerex with the expected MRENCLAVE (and, when one is
 * registered with it, the worker URL). --insecure-skip-tls-verify turns this off for debugging.
 */
#ifndef ITEE_CLI_TRUSTED_H
#define ITEE_CLI_TRUSTED_H

#include <stdio.h>

#include "cli_base.h"

/* Runs `trusted [options] <command> ...` (argv[0] = "trusted"). Returns: the exit code. */
int cli_trusted_main(const struct cli_opts *o, int argc, char **argv, FILE *out, FILE *err);

/* `shield-funds <from> <to_incognito> <amount> <shard_b58>` (a base command that needs the
 * worker's shielding key). Returns: the exit code. */
int cli_trusted_shield_funds(const struct cli_opts *o, int argc, char **argv, FILE *out, FILE *err);

#endif
