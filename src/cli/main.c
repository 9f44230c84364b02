/*
 * main.c - integritee-cli: the client for the parentchain, the workers and keys.
 *
 * Only parses the top-level command and hands over to the module that implements it.
 */
#include <stdio.h>
#include <string.h>

#include "cli_key.h"

#define CLI_VERSION "0.1.0"

static void usage(FILE *f)
{
    fprintf(f,
            "integritee-cli %s - client for the Integritee network (C implementation)\n"
            "usage: integritee-cli <command> ...\n"
            "commands:\n"
            "  key generate|inspect|sign|verify   keys and addresses (subkey-compatible)\n"
            "  --version, --help\n"
            "Run `integritee-cli key --help` for key options.\n",
            CLI_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "integritee-cli: missing command (try --help)\n");
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("integritee-cli %s\n", CLI_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "key") == 0)
        return cli_key_main(argc - 1, argv + 1, stdout, stderr);
    fprintf(stderr, "integritee-cli: unknown command: %s (try --help)\n", argv[1]);
    return 2;
}
