/*
 * test_metrics.c - the Prometheus exposition text: every line a comment or a sample in the
 * 0.0.4 text format (checked with a regular expression), label values escaped, the block
 * construction histogram cumulative with matching _count and _sum, per-method RPC counters,
 * and the cap on distinct method labels.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "node/metrics.h"

static const char k_line_re[] =
    "^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|"
    "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\""
    "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\")*\\})? [-+]?[0-9.eE+-]+)$";

static char *render(const struct metrics *m, const struct metrics_gauges *g)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(metrics_render(m, g, &b), ITEE_OK);
    assert_int_equal(itee_buf_push(&b, 0), ITEE_OK);
    char *s = strdup((const char *)b.ptr);
    itee_buf_free(&b);
    return s;
}

static void check_lines(char *text)
{
    regex_t re;
    assert_int_equal(regcomp(&re, k_line_re, REG_EXTENDED | REG_NOSUB), 0);
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), n++)
        if (regexec(&re, line, 0, NULL, 0) != 0)
            fail_msg("not an exposition line: %s", line);
    regfree(&re);
    assert_true(n > 20);
}

static void test_render(void **state)
{
    (void)state;
    struct metrics m;
    metrics_init(&m, 1700000000.0);
    metrics_observe_block(&m, 0.001);
    metrics_observe_block(&m, 0.3);
    metrics_observe_block(&m, 20.0);
    static const char meth[] = "chain_getBlockHash";
    metrics_rpc_call(&m, meth, false);
    metrics_rpc_call(&m, meth, true);
    metrics_rpc_call(&m, "a\"b\\c", false);
    m.validations_scheduled = 5;
    m.validations_finished = 4;
    struct metrics_gauges g = {.best = 42,
                               .finalized = 41,
                               .ready = 3,
                               .leaves = 1,
                               .name = "we\"ird\\name\n",
                               .version = "1.0",
                               .chain = "dev"};
    char *text = render(&m, &g);
    assert_non_null(strstr(text, "\nsubstrate_block_height{status=\"best\"} 42\n"));
    assert_non_null(strstr(text, "\nsubstrate_block_height{status=\"finalized\"} 41\n"));
    assert_non_null(strstr(text, "\nsubstrate_ready_transactions_number 3\n"));
    assert_non_null(strstr(
        text,
        "substrate_build_info{name=\"we\\\"ird\\\\name\\n\",version=\"1.0\",chain=\"dev\"} 1"));
    assert_non_null(strstr(text, "\nsubstrate_process_start_time_seconds 1700000000\n"));
    assert_non_null(strstr(text, "substrate_proposer_block_constructed_bucket{le=\"0.005\"} 1\n"));
    assert_non_null(strstr(text, "substrate_proposer_block_constructed_bucket{le=\"0.5\"} 2\n"));
    assert_non_null(strstr(text, "substrate_proposer_block_constructed_bucket{le=\"10\"} 2\n"));
    assert_non_null(strstr(text, "substrate_proposer_block_constructed_bucket{le=\"+Inf\"} 3\n"));
    assert_non_null(strstr(text, "substrate_proposer_block_constructed_count 3\n"));
    assert_non_null(strstr(text, "substrate_proposer_block_constructed_sum 20.301000\n"));
    assert_non_null(strstr(text, "substrate_sub_txpool_validations_finished 4\n"));
    assert_non_null(strstr(text, "substrate_rpc_calls_started{method=\"chain_getBlockHash\"} 1\n"));
    assert_non_null(
        strstr(text, "substrate_rpc_calls_finished{method=\"chain_getBlockHash\"} 1\n"));
    assert_non_null(strstr(text, "substrate_rpc_calls_started{method=\"a\\\"b\\\\c\"} 1\n"));
    assert_non_null(strstr(text, "substrate_rpc_calls_finished{method=\"a\\\"b\\\\c\"} 0\n"));
    check_lines(text);
    free(text);
}

static void test_method_cap(void **state)
{
    (void)state;
    static char names[METRICS_MAX_METHODS + 5][16];
    struct metrics *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    metrics_init(m, 0);
    for (size_t i = 0; i < METRICS_MAX_METHODS + 5; i++) {
        int k = snprintf(names[i], sizeof(names[i]), "m%zu", i);
        assert_true(k > 0);
        metrics_rpc_call(m, names[i], false);
    }
    assert_int_equal(m->n_rpc, METRICS_MAX_METHODS);
    /* a name equal by content (not by pointer) hits the same counter */
    char copy[16];
    memcpy(copy, names[0], sizeof(copy));
    metrics_rpc_call(m, copy, false);
    assert_int_equal(m->rpc[0].started, 2);
    struct metrics_gauges g = {.name = "n", .version = "v", .chain = "c"};
    char *text = render(m, &g);
    check_lines(text);
    free(text);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_method_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
