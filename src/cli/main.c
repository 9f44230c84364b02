/*
 * main.c - integritee-cli: the client for the parentchain, the workers and keys.
 *
 * Only parses the top-level command and hands over to the module that implements it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_base.h"
#include "cli_key.h"
#include "cli_trusted.h"

#define CLI_VERSION "0.1.0"

static void usage(FILE *f)
{
    fprintf(
        f,
        "integritee-cli %s - client for the Integritee network (C implementation)\n"
        "usage: integritee-cli <command> ...\n"
        "global options (before the command):\n"
        "  -u, --node-url <ws://host>          node (default ws://127.0.0.1)\n"
        "  -p, --node-port <port>              node RPC port (default 9944)\n"
        "  -U, --worker-url <wss://host>       worker (default wss://127.0.0.1)\n"
        "  -P, --trusted-worker-port <port>    worker trusted RPC port (default 2000)\n"
        "  --timeout-ms <ms>                   per request and per wait (default 60000)\n"
        "commands:\n"
        "  key generate|inspect|sign|verify   keys and addresses (subkey-compatible)\n"
        "  balance <account>                   free balance in planck\n"
        "  transfer <from> <to> <amount>       Balances.transfer_keep_alive, waits for finality\n"
        "  faucet <account>...                 1 TEER from //Alice to each (dev chains)\n"
        "  print-metadata                      pallets, calls, events, storage of the node\n"
        "  list-workers                        enclaves registered in Teerex\n"
        "  --version, --help\n"
        "Run `integritee-cli key --help` for key options.\n",
        CLI_VERSION);
}

/* Consumes global options from argv; returns the index of the command or -1 on error. */
static int parse_globals(int argc, char **argv, struct cli_opts *o)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--help") != 0 &&
           strcmp(argv[i], "--version") != 0) {
        const char *f = argv[i];
        const char **slot = NULL;
        if (strcmp(f, "-u") == 0 || strcmp(f, "--node-url") == 0)
            slot = &o->node_url;
        else if (strcmp(f, "-p") == 0 || strcmp(f, "--node-port") == 0)
            slot = &o->node_port;
        else if (strcmp(f, "-U") == 0 || strcmp(f, "--worker-url") == 0)
            slot = &o->worker_url;
        else if (strcmp(f, "-P") == 0 || strcmp(f, "--trusted-worker-port") == 0)
            slot = &o->worker_port;
        else if (strcmp(f, "--keystore") == 0)
            slot = &o->keystore;
        if (i + 1 >= argc) {
            fprintf(stderr, "integritee-cli: %s needs a value\n", f);
            return -1;
        }
        if (slot != NULL) {
            *slot = argv[i + 1];
        } else if (strcmp(f, "--timeout-ms") == 0) {
            char *end = NULL;
            unsigned long v = strtoul(argv[i + 1], &end, 10);
            if (*argv[i + 1] == '\0' || *end != '\0' || v == 0 || v > 3600000) {
                fprintf(stderr, "integritee-cli: --timeout-ms must be 1..3600000\n");
                return -1;
            }
            o->timeout_ms = (unsigned)v;
        } else {
            fprintf(stderr, "integritee-cli: unknown option: %s (try --help)\n", f);
            return -1;
        }
        i += 2;
    }
    return i;
}

int main(int argc, char **argv)
{
    struct cli_opts o = {.node_url = "ws://127.0.0.1",
                         .node_port = "9944",
                         .worker_url = "wss://127.0.0.1",
                         .worker_port = "2000",
                         .keystore = "./my_keystore",
                         .timeout_ms = 60000};
    int cmd = parse_globals(argc, argv, &o);
    if (cmd < 0)
        return 2;
    if (cmd >= argc) {
        fprintf(stderr, "integritee-cli: missing command (try --help)\n");
        return 2;
    }
    if (strcmp(argv[cmd], "--help") == 0 || strcmp(argv[cmd], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[cmd], "--version") == 0) {
        printf("integritee-cli %s\n", CLI_VERSION);
        return 0;
    }
    if (strcmp(argv[cmd], "key") == 0)
        return cli_key_main(argc - cmd, argv + cmd, stdout, stderr);
    if (strcmp(argv[cmd], "trusted") == 0)
        return cli_trusted_main(&o, argc - cmd, argv + cmd, stdout, stderr);
    if (strcmp(argv[cmd], "shield-funds") == 0)
        return cli_trusted_shield_funds(&o, argc - cmd, argv + cmd, stdout, stderr);
    if (cli_base_is_command(argv[cmd]))
        return cli_base_main(&o, argc - cmd, argv + cmd, stdout, stderr);
    fprintf(stderr, "integritee-cli: unknown command: %s (try --help)\n", argv[cmd]);
    return 2;
}
