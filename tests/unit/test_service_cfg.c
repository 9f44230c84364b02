/*
 * test_service_cfg.c - integritee-service's command line: defaults, the original's flags and
 * subcommands, the port-appending rule of -T/-U/-M, and one-line reasons for bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/service_cfg.h"

#define PARSE(cfg, err, ...)                                                                       \
    service_cfg_parse(&(cfg), (int)(sizeof((char *[]){"svc", __VA_ARGS__}) / sizeof(char *)),      \
                      (char *const[]){"svc", __VA_ARGS__}, (err))

static void test_defaults(void **state)
{
    (void)state;
    struct service_cfg c;
    char err[SERVICE_CFG_ERR_MAX];
    assert_int_equal(PARSE(c, err, "run"), ITEE_OK);
    assert_int_equal(c.cmd, SERVICE_CMD_RUN);
    assert_int_equal(c.mode, SERVICE_MODE_OFFCHAIN_WORKER);
    assert_string_equal(c.node_url, "ws://127.0.0.1");
    assert_int_equal(c.node_port, 9944);
    assert_int_equal(c.trusted_port, 2000);
    assert_int_equal(c.untrusted_port, 2001);
    assert_int_equal(c.mu_ra_port, 3443);
    assert_int_equal(c.http_port, 4545);
    assert_int_equal(c.metrics_port, 8787);
    assert_false(c.data_dir_given);
    assert_string_equal(c.trusted_external, "wss://127.0.0.1:2000");
    assert_string_equal(c.untrusted_external, "ws://127.0.0.1:2001");
    assert_string_equal(c.mu_ra_external, "127.0.0.1:3443");
    assert_false(c.skip_ra);
    assert_false(c.dev);
    assert_string_equal(c.shard, "");
}

static void test_original_flags(void **state)
{
    (void)state;
    struct service_cfg c;
    char err[SERVICE_CFG_ERR_MAX];
    /* local-setup/config/two-workers.json, worker 2 */
    assert_int_equal(PARSE(c, err, "--clean-reset", "-T", "wss://localhost", "-P", "3000", "-p",
                           "9944", "-r", "4490", "-w", "3001", "-h", "4546", "--ws-external",
                           "--data-dir", "/tmp/data-dir2", "run", "--skip-ra", "--dev"),
                     ITEE_OK);
    assert_true(c.clean_reset);
    assert_true(c.ws_external);
    assert_true(c.data_dir_given);
    assert_string_equal(c.data_dir, "/tmp/data-dir2");
    assert_string_equal(c.trusted_external, "wss://localhost:3000");
    assert_string_equal(c.untrusted_external, "ws://0.0.0.0:3001");
    assert_string_equal(c.mu_ra_external, "0.0.0.0:4490");
    assert_int_equal(c.http_port, 4546);
    assert_true(c.skip_ra && c.dev);
    /* run's -d is --dev; the global -d is the data dir */
    assert_int_equal(PARSE(c, err, "-d", "/x", "run", "-d"), ITEE_OK);
    assert_string_equal(c.data_dir, "/x");
    assert_true(c.dev);
    /* shard positional */
    assert_int_equal(PARSE(c, err, "run", "11111111111111111111111111111111"), ITEE_OK);
    assert_string_equal(c.shard, "11111111111111111111111111111111");
    assert_int_equal(PARSE(c, err, "--mode", "sidechain", "mrenclave"), ITEE_OK);
    assert_int_equal(c.cmd, SERVICE_CMD_MRENCLAVE);
    assert_int_equal(c.mode, SERVICE_MODE_SIDECHAIN);
    assert_int_equal(PARSE(c, err, "--version"), ITEE_OK);
    assert_int_equal(c.cmd, SERVICE_CMD_VERSION);
    assert_int_equal(PARSE(c, err, "-u", "ws://node", "--node-port", "9912", "signing-key"),
                     ITEE_OK);
    assert_string_equal(c.node_url, "ws://node");
    assert_int_equal(c.node_port, 9912);
}

static void test_port_rule(void **state)
{
    (void)state;
    char out[SERVICE_CFG_STR_MAX];
    assert_int_equal(service_cfg_external(out, "wss://host", 2000), ITEE_OK);
    assert_string_equal(out, "wss://host:2000");
    assert_int_equal(service_cfg_external(out, "wss://host:2011", 2000), ITEE_OK);
    assert_string_equal(out, "wss://host:2011");
    assert_int_equal(service_cfg_external(out, "host", 3443), ITEE_OK);
    assert_string_equal(out, "host:3443");
    assert_int_equal(service_cfg_external(out, "host:1234", 3443), ITEE_OK);
    assert_string_equal(out, "host:1234");
}

static void test_bad_input(void **state)
{
    (void)state;
    struct service_cfg c;
    char err[SERVICE_CFG_ERR_MAX];
    assert_int_equal(PARSE(c, err, "-p", "0", "run"), ITEE_ERR_ARG);
    assert_non_null(strstr(err, "port"));
    assert_int_equal(PARSE(c, err, "-P", "0", "-h", "0", "run"), ITEE_OK); /* any free port */
    assert_int_equal(PARSE(c, err, "-P", "70000", "run"), ITEE_ERR_ARG);
    assert_int_equal(PARSE(c, err, "-P", "12x", "run"), ITEE_ERR_ARG);
    assert_int_equal(PARSE(c, err, "-P"), ITEE_ERR_ARG);
    assert_non_null(strstr(err, "needs a value"));
    assert_int_equal(PARSE(c, err, "--bogus", "run"), ITEE_ERR_ARG);
    assert_non_null(strstr(err, "unknown option"));
    assert_int_equal(PARSE(c, err, "fly"), ITEE_ERR_ARG);
    assert_non_null(strstr(err, "unknown subcommand"));
    assert_int_equal(PARSE(c, err, "-p", "9944"), ITEE_ERR_ARG);
    assert_non_null(strstr(err, "missing subcommand"));
    assert_int_equal(PARSE(c, err, "run", "not-base58-0OIl"), ITEE_ERR_ARG);
    assert_non_null(strstr(err, "base58"));
    assert_int_equal(PARSE(c, err, "run", "--skip-ra", "--skip-ra", "extra", "more"), ITEE_ERR_ARG);
    assert_int_equal(PARSE(c, err, "--mode", "quantum", "run"), ITEE_ERR_ARG);
    assert_int_equal(PARSE(c, err, "mrenclave", "--dev"), ITEE_ERR_ARG);
    char longv[SERVICE_CFG_STR_MAX + 10];
    memset(longv, 'a', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    assert_int_equal(PARSE(c, err, "-u", longv, "run"), ITEE_ERR_ARG);
    assert_int_equal(PARSE(c, err, "-T", longv + 10, "run"), ITEE_ERR_ARG);
    /* every error is one line */
    assert_null(strchr(err, '\n'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_original_flags),
        cmocka_unit_test(test_port_rule),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
