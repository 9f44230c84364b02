/*
 * service_cfg.h - integritee-service's command line, as the original worker's (spec
 * worker-protocol.md §2): global flags, then a subcommand with its own flags. Parsing is pure
 * (no I/O) so every rule is unit-tested: defaults, the port-appending rule of -T/-U/-M, and a
 * one-line reason for anything wrong.
 */
#ifndef ITEE_SERVICE_CFG_H
#define ITEE_SERVICE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define SERVICE_CFG_STR_MAX 512 /* longest URL / path accepted */
#define SERVICE_CFG_ERR_MAX 256 /* longest error text */

enum service_cmd {
    SERVICE_CMD_RUN,           /* run [SHARD] [--skip-ra] [--dev] */
    SERVICE_CMD_MRENCLAVE,     /* print base58 MRENCLAVE */
    SERVICE_CMD_SHIELDING_KEY, /* write enclave-shielding-pubkey.json */
    SERVICE_CMD_SIGNING_KEY,   /* write enclave-signing-pubkey.bin */
    SERVICE_CMD_INIT_SHARD,    /* init-shard [SHARD] */
    SERVICE_CMD_HELP,          /* --help */
    SERVICE_CMD_VERSION,       /* --version */
};

enum service_mode {
    SERVICE_MODE_OFFCHAIN_WORKER, /* indirect invocation (issue #5) */
    SERVICE_MODE_SIDECHAIN,       /* validateer (a later issue) */
    SERVICE_MODE_TEERACLE,        /* oracle (a later issue) */
};

struct service_cfg {
    enum service_cmd cmd;
    enum service_mode mode;                       /* --mode */
    char node_url[SERVICE_CFG_STR_MAX];           /* -u, default ws://127.0.0.1 */
    uint16_t node_port;                           /* -p, default 9944 */
    char data_dir[SERVICE_CFG_STR_MAX];           /* -d, default "." */
    bool data_dir_given;                          /* -d was given (else warn) */
    bool ws_external;                             /* --ws-external */
    uint16_t mu_ra_port;                          /* -r, 3443 */
    uint16_t trusted_port;                        /* -P, 2000 */
    uint16_t untrusted_port;                      /* -w, 2001 */
    uint16_t http_port;                           /* -h, 4545 */
    uint16_t metrics_port;                        /* -i, 8787 */
    bool enable_metrics;                          /* --enable-metrics */
    bool clean_reset;                             /* -c */
    char trusted_external[SERVICE_CFG_STR_MAX];   /* -T, after the port rule */
    char untrusted_external[SERVICE_CFG_STR_MAX]; /* -U, after the port rule */
    char mu_ra_external[SERVICE_CFG_STR_MAX];     /* -M, after the port rule */
    char enclave_path[SERVICE_CFG_STR_MAX];       /* --enclave, default next to the binary */
    bool skip_ra;                                 /* run --skip-ra */
    bool dev;                                     /* run --dev */
    char shard[SERVICE_CFG_STR_MAX]; /* run/init-shard positional (base58), "" = MRENCLAVE */
    char log_level[16];              /* --log-level */
};

/*
 * Parses argv (argv[0] is the program). Out: *cfg with defaults filled in; err gets a one-line
 * reason on failure. Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err service_cfg_parse(struct service_cfg *cfg, int argc,
                                                char *const *argv, char err[SERVICE_CFG_ERR_MAX]);
/*
 * The original's rule for -T/-U/-M: with 3 ':'-separated parts keep; with 2 parts append ":port"
 * if it contains "ws", else keep; with 1 part append ":port". Returns: ITEE_OK, ITEE_ERR_SPACE.
 */
ITEE_MUST_CHECK enum itee_err service_cfg_external(char out[SERVICE_CFG_STR_MAX], const char *in,
                                                   uint16_t port);
/* Returns: the usage text. */
const char *service_cfg_usage(void);

#endif
