/*
 * cli_key.h - `integritee-cli key ...`: generate, inspect, sign and verify, with output in the
 * shape of Substrate's `subkey`, so scripts written for subkey can read ours.
 */
#ifndef ITEE_CLI_KEY_H
#define ITEE_CLI_KEY_H

#include <stdio.h>

/*
 * Runs `key <subcommand> ...`; argv[0] is "key".
 * Returns: the process exit code (0 ok, 1 failure, 2 usage). Errors are one line on err.
 */
int cli_key_main(int argc, char **argv, FILE *out, FILE *err);

#endif
