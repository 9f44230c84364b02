/*
 * test_rpc.c - the JSON-RPC engine: framing errors with jsonrpsee's codes and messages,
 * batches, rpc_methods, subscriptions (order, limit, unsubscribe, end on close), deferred
 * answers (also in batches and after the connection went), and an OOM loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/mem.h"
#include "proto/rpc.h"

/* Output of a test connection: every text sent, in order. */
struct sink {
    char msgs[16][4096]; /* texts */
    size_t n;            /* how many */
};

static enum itee_err sink_send(void *ctx, const char *text, size_t len)
{
    struct sink *s = ctx;
    if (s->n >= 16 || len >= sizeof(s->msgs[0]))
        return ITEE_ERR_SPACE;
    memcpy(s->msgs[s->n], text, len);
    s->msgs[s->n][len] = '\0';
    s->n++;
    return ITEE_OK;
}

/* Program state the handlers use. */
struct app {
    struct rpc_server *srv;            /* server */
    char last_sub[RPC_SUB_ID_LEN + 1]; /* id of the last subscription accepted */
    uint64_t token;                    /* last deferred token */
    int ended;                         /* on_end calls */
};

static enum itee_err h_echo(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    return rpc_call_reply(call, json_incref(params));
}

static enum itee_err h_fail(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    (void)params;
    (void)call;
    return ITEE_ERR_INTERNAL; /* no answer: the engine says Internal error */
}

static enum itee_err h_custom_err(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    (void)params;
    return rpc_call_error(call, 1010, "Invalid Transaction", json_string("Stale"));
}

static enum itee_err h_need_param(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    if (!json_is_integer(json_array_get(params, 0)))
        return rpc_call_invalid_params(call, "expected a number");
    return rpc_call_reply(call, json_integer(json_integer_value(json_array_get(params, 0)) + 1));
}

static enum itee_err h_defer(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    return rpc_call_defer(call, &a->token);
}

static enum itee_err h_sub(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    enum itee_err r = rpc_call_sub_accept(call, a, a->last_sub);
    if (r != ITEE_OK)
        return r == ITEE_ERR_SPACE ? ITEE_OK : r;
    /* the current value first, as Substrate does; it must arrive after the id */
    return rpc_server_notify(a->srv, a->last_sub, json_string("initial"));
}

static enum itee_err h_sub_defer(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    return rpc_call_defer(call, &a->token);
}

static void on_end(void *ctx, const char *id, void *data)
{
    struct app *a = ctx;
    assert_non_null(id);
    assert_ptr_equal(data == NULL ? a : data, a);
    a->ended++;
}

static void setup_app(struct app *a, const struct rpc_limits *lim)
{
    memset(a, 0, sizeof(*a));
    assert_int_equal(rpc_server_new(&a->srv, lim), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "echo", h_echo, a), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "fail", h_fail, a), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "custom", h_custom_err, a), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "inc", h_need_param, a), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "later", h_defer, a), ITEE_OK);
    assert_int_equal(rpc_register_sub(a->srv, "chain_subscribeNewHeads", "chain_newHead",
                                      "chain_unsubscribeNewHeads", h_sub, a, on_end, a),
                     ITEE_OK);
    assert_int_equal(rpc_register_sub(a->srv, "chain_subscribeNewHead", "chain_newHead",
                                      "chain_unsubscribeNewHead", h_sub, a, on_end, a),
                     ITEE_OK);
    assert_int_equal(rpc_register_sub(a->srv, "author_submitAndWatchExtrinsic",
                                      "author_extrinsicUpdate", "author_unwatchExtrinsic",
                                      h_sub_defer, a, on_end, a),
                     ITEE_OK);
    /* duplicates and mismatched unsubscribe names are refused */
    assert_int_equal(rpc_register(a->srv, "echo", h_echo, a), ITEE_ERR_ARG);
    assert_int_equal(rpc_register_sub(a->srv, "x_sub", "other_notif", "chain_unsubscribeNewHeads",
                                      h_sub, a, NULL, NULL),
                     ITEE_ERR_ARG);
}

/* Feeds text and checks the one answer. */
static void expect1(struct rpc_conn *c, struct sink *s, const char *req, const char *want)
{
    s->n = 0;
    assert_int_equal(rpc_conn_handle(c, req, strlen(req)), ITEE_OK);
    assert_int_equal(s->n, 1);
    assert_string_equal(s->msgs[0], want);
}

static void test_rpc_basic_and_errors(void **state)
{
    (void)state;
    struct app a;
    setup_app(&a, NULL);
    struct sink s = {0};
    struct rpc_conn *c;
    assert_int_equal(rpc_conn_new(&c, a.srv, sink_send, &s, true), ITEE_OK);
    expect1(c, &s, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1,\"a\"]}",
            "{\"jsonrpc\":\"2.0\",\"result\":[1,\"a\"],\"id\":1}");
    expect1(c, &s, "{\"id\":\"x\",\"jsonrpc\":\"2.0\",\"method\":\"echo\"}",
            "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":\"x\"}");
    expect1(c, &s, "{\"id\":null,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"k\":2}}",
            "{\"jsonrpc\":\"2.0\",\"result\":{\"k\":2},\"id\":null}");
    const char *parse = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse "
                        "error\"},\"id\":null}";
    expect1(c, &s, "{\"id\":1,", parse);
    expect1(c, &s, "", parse);
    expect1(c, &s, "\xff\xfe", parse);
    expect1(c, &s, "[1,2", parse);
    const char *inval = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid "
                        "request\"},\"id\":null}";
    expect1(c, &s, "[]", inval);
    expect1(c, &s, "42", inval);
    expect1(c, &s, "{\"id\":{},\"jsonrpc\":\"2.0\",\"method\":\"echo\"}", inval);
    expect1(c, &s, "{\"id\":[1],\"jsonrpc\":\"2.0\",\"method\":\"echo\"}", inval);
    expect1(c, &s, "{\"id\":7,\"jsonrpc\":\"1.0\",\"method\":\"echo\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid "
            "request\"},\"id\":7}");
    expect1(c, &s, "{\"id\":7,\"jsonrpc\":\"2.0\",\"method\":5}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid "
            "request\"},\"id\":7}");
    expect1(c, &s, "{\"id\":7,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":\"s\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid "
            "request\"},\"id\":7}");
    expect1(c, &s, "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"nope\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not "
            "found\"},\"id\":3}");
    /* NUL in a string is refused at parse time, so handlers never see truncated strings */
    expect1(c, &s, "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"ech\\u0000o\"}", parse);
    expect1(c, &s, "{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"fail\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Internal "
            "error\"},\"id\":4}");
    expect1(c, &s, "{\"id\":5,\"jsonrpc\":\"2.0\",\"method\":\"custom\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1010,\"message\":\"Invalid "
            "Transaction\",\"data\":\"Stale\"},\"id\":5}");
    expect1(c, &s, "{\"id\":6,\"jsonrpc\":\"2.0\",\"method\":\"inc\",\"params\":[\"x\"]}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid "
            "params\",\"data\":\"expected a number\"},\"id\":6}");
    expect1(c, &s, "{\"id\":6,\"jsonrpc\":\"2.0\",\"method\":\"inc\",\"params\":[41]}",
            "{\"jsonrpc\":\"2.0\",\"result\":42,\"id\":6}");
    /* a notification (no id) runs but gets no answer, even when unknown */
    s.n = 0;
    const char *notif = "{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}";
    assert_int_equal(rpc_conn_handle(c, notif, strlen(notif)), ITEE_OK);
    assert_int_equal(s.n, 0);
    rpc_conn_free(c);
    rpc_server_free(a.srv);
}

static void test_rpc_depth_and_size(void **state)
{
    (void)state;
    struct app a;
    struct rpc_limits lim = {.max_request = 4096, .max_depth = 16, .max_batch = 3};
    setup_app(&a, &lim);
    struct sink s = {0};
    struct rpc_conn *c;
    assert_int_equal(rpc_conn_new(&c, a.srv, sink_send, &s, true), ITEE_OK);
    char req[4200];
    /* params nested 14 deep (plus the request object): accepted */
    int n = snprintf(req, sizeof(req),
                     "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\","
                     "\"params\":%s}",
                     "[[[[[[[[[[[[[[]]]]]]]]]]]]]]");
    assert_true(n > 0);
    s.n = 0;
    assert_int_equal(rpc_conn_handle(c, req, strlen(req)), ITEE_OK);
    assert_non_null(strstr(s.msgs[0], "\"result\":[[[["));
    /* 20 deep: Parse error; brackets inside strings do not count */
    expect1(c, &s, "{\"id\":1,\"params\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse "
            "error\"},\"id\":null}");
    expect1(c, &s,
            "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"[[[[[[[[[[[[[[[[["
            "[[[[[\\\"[[[[\"]}",
            "{\"jsonrpc\":\"2.0\",\"result\":[\"[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"],\"id\":1}");
    /* over max_request */
    memset(req, ' ', sizeof(req));
    memcpy(req, "[1]", 3);
    s.n = 0;
    assert_int_equal(rpc_conn_handle(c, req, sizeof(req)), ITEE_OK);
    assert_string_equal(s.msgs[0], "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32007,\"message\":"
                                   "\"Request is too big\"},\"id\":null}");
    /* batch over max_batch */
    expect1(c, &s, "[1,2,3,4]",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32010,\"message\":\"The batch request "
            "was too large\"},\"id\":null}");
    rpc_conn_free(c);
    rpc_server_free(a.srv);
}

static void test_rpc_batch(void **state)
{
    (void)state;
    struct app a;
    setup_app(&a, NULL);
    struct sink s = {0};
    struct rpc_conn *c;
    assert_int_equal(rpc_conn_new(&c, a.srv, sink_send, &s, true), ITEE_OK);
    expect1(c, &s,
            "[{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]},"
            "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},5,"
            "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"nope\"}]",
            "[{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1},"
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid request\"},"
            "\"id\":null},"
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},"
            "\"id\":2}]");
    /* only notifications: no answer at all */
    s.n = 0;
    const char *t = "[{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},{\"jsonrpc\":\"2.0\","
                    "\"method\":\"x\"}]";
    assert_int_equal(rpc_conn_handle(c, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.n, 0);
    /* a deferred call holds its batch until answered */
    s.n = 0;
    t = "[{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"later\"},{\"id\":2,\"jsonrpc\":\"2.0\","
        "\"method\":\"echo\"}]";
    assert_int_equal(rpc_conn_handle(c, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(rpc_conn_pending(c), 1);
    assert_int_equal(rpc_server_reply(a.srv, a.token, json_string("done")), ITEE_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.msgs[0], "[{\"jsonrpc\":\"2.0\",\"result\":\"done\",\"id\":1},"
                                   "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2}]");
    assert_int_equal(rpc_conn_pending(c), 0);
    assert_int_equal(rpc_server_reply(a.srv, a.token, json_true()), ITEE_ERR_NOENT);
    /* a single deferred call, answered with an error */
    s.n = 0;
    t = "{\"id\":9,\"jsonrpc\":\"2.0\",\"method\":\"later\"}";
    assert_int_equal(rpc_conn_handle(c, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(rpc_server_reply_error(a.srv, a.token, 1014, "Priority is too low", NULL),
                     ITEE_OK);
    assert_string_equal(s.msgs[0], "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1014,\"message\":"
                                   "\"Priority is too low\"},\"id\":9}");
    /* a deferred call whose connection closes: the late answer is dropped */
    assert_int_equal(rpc_conn_handle(c, t, strlen(t)), ITEE_OK);
    uint64_t tok = a.token;
    rpc_conn_free(c);
    assert_int_equal(rpc_server_reply(a.srv, tok, json_true()), ITEE_ERR_NOENT);
    rpc_server_free(a.srv);
}

static void test_rpc_methods_list(void **state)
{
    (void)state;
    struct app a;
    setup_app(&a, NULL);
    struct sink s = {0};
    struct rpc_conn *c;
    assert_int_equal(rpc_conn_new(&c, a.srv, sink_send, &s, true), ITEE_OK);
    expect1(c, &s, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"rpc_methods\",\"params\":[]}",
            "{\"jsonrpc\":\"2.0\",\"result\":{\"methods\":[\"author_submitAndWatchExtrinsic\","
            "\"author_unwatchExtrinsic\",\"chain_subscribeNewHead\",\"chain_subscribeNewHeads\","
            "\"chain_unsubscribeNewHead\",\"chain_unsubscribeNewHeads\",\"custom\",\"echo\","
            "\"fail\",\"inc\",\"later\",\"rpc_methods\"]},\"id\":1}");
    /* the original worker's form: a string with Rust's Debug of the name list */
    rpc_server_set_methods_style(a.srv, RPC_METHODS_WORKER);
    expect1(c, &s, "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"rpc_methods\",\"params\":[]}",
            "{\"jsonrpc\":\"2.0\",\"result\":\"methods: [\\\"author_submitAndWatchExtrinsic\\\", "
            "\\\"author_unwatchExtrinsic\\\", \\\"chain_subscribeNewHead\\\", "
            "\\\"chain_subscribeNewHeads\\\", \\\"chain_unsubscribeNewHead\\\", "
            "\\\"chain_unsubscribeNewHeads\\\", \\\"custom\\\", \\\"echo\\\", \\\"fail\\\", "
            "\\\"inc\\\", \\\"later\\\", \\\"rpc_methods\\\"]\",\"id\":2}");
    rpc_conn_free(c);
    rpc_server_free(a.srv);
}

/* Visitor: notifies each subscription with its own id. */
static void visit_notify(void *ctx, const char *id, void *data)
{
    struct app *a = ctx;
    (void)data;
    assert_int_equal(rpc_server_notify(a->srv, id, json_integer(7)), ITEE_OK);
}

static void test_rpc_subscriptions(void **state)
{
    (void)state;
    struct app a;
    struct rpc_limits lim = {.max_subs = 2};
    setup_app(&a, &lim);
    struct sink s = {0};
    struct rpc_conn *c;
    assert_int_equal(rpc_conn_new(&c, a.srv, sink_send, &s, true), ITEE_OK);
    const char *sub = "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHeads\"}";
    assert_int_equal(rpc_conn_handle(c, sub, strlen(sub)), ITEE_OK);
    assert_int_equal(s.n, 2);
    char want[256];
    assert_int_equal(strlen(a.last_sub), RPC_SUB_ID_LEN);
    snprintf(want, sizeof(want), "{\"jsonrpc\":\"2.0\",\"result\":\"%s\",\"id\":1}", a.last_sub);
    assert_string_equal(s.msgs[0], want);
    snprintf(want, sizeof(want),
             "{\"jsonrpc\":\"2.0\",\"method\":\"chain_newHead\",\"params\":{\"subscription\":"
             "\"%s\",\"result\":\"initial\"}}",
             a.last_sub);
    assert_string_equal(s.msgs[1], want);
    char first[RPC_SUB_ID_LEN + 1];
    memcpy(first, a.last_sub, sizeof(first));
    /* second (alias) is fine, third hits the limit */
    s.n = 0;
    const char *sub2 = "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHead\"}";
    assert_int_equal(rpc_conn_handle(c, sub2, strlen(sub2)), ITEE_OK);
    assert_int_equal(s.n, 2);
    assert_string_not_equal(first, a.last_sub);
    expect1(c, &s, "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHeads\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32006,\"message\":\"Too many "
            "subscriptions on the connection\"},\"id\":3}");
    assert_int_equal(rpc_conn_sub_count(c), 2);
    /* notify all chain_newHead subscriptions */
    s.n = 0;
    rpc_server_sub_foreach(a.srv, "chain_newHead", visit_notify, &a);
    assert_int_equal(s.n, 2);
    /* unsubscribe: true once, then false; a wrong unsubscribe method is false too */
    char req[256];
    snprintf(req, sizeof(req),
             "{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"author_unwatchExtrinsic\","
             "\"params\":[\"%s\"]}",
             first);
    expect1(c, &s, req, "{\"jsonrpc\":\"2.0\",\"result\":false,\"id\":4}");
    snprintf(req, sizeof(req),
             "{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"chain_unsubscribeNewHeads\","
             "\"params\":[\"%s\"]}",
             first);
    expect1(c, &s, req, "{\"jsonrpc\":\"2.0\",\"result\":true,\"id\":4}");
    assert_int_equal(a.ended, 1);
    expect1(c, &s, req, "{\"jsonrpc\":\"2.0\",\"result\":false,\"id\":4}");
    expect1(c, &s, "{\"id\":5,\"jsonrpc\":\"2.0\",\"method\":\"chain_unsubscribeNewHeads\"}",
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params\","
            "\"data\":\"expected the subscription id\"},\"id\":5}");
    assert_int_equal(rpc_server_notify(a.srv, first, json_true()), ITEE_ERR_NOENT);
    /* a deferred subscription (submitAndWatch): id after acceptance, then updates */
    s.n = 0;
    const char *w = "{\"id\":6,\"jsonrpc\":\"2.0\",\"method\":\"author_submitAndWatchExtrinsic\","
                    "\"params\":[\"0x00\"]}";
    assert_int_equal(rpc_conn_handle(c, w, strlen(w)), ITEE_OK);
    assert_int_equal(s.n, 0);
    char wid[RPC_SUB_ID_LEN + 1];
    assert_int_equal(rpc_server_sub_accept(a.srv, a.token, NULL, wid), ITEE_OK);
    assert_int_equal(rpc_server_notify(a.srv, wid, json_string("ready")), ITEE_OK);
    assert_int_equal(s.n, 2);
    snprintf(want, sizeof(want), "{\"jsonrpc\":\"2.0\",\"result\":\"%s\",\"id\":6}", wid);
    assert_string_equal(s.msgs[0], want);
    assert_int_equal(rpc_server_sub_end(a.srv, wid), ITEE_OK);
    assert_int_equal(a.ended, 2);
    /* the connection's remaining subscription ends when it closes */
    rpc_conn_free(c);
    assert_int_equal(a.ended, 3);
    /* over HTTP (no subscriptions): Internal error, as jsonrpsee */
    assert_int_equal(rpc_conn_new(&c, a.srv, sink_send, &s, false), ITEE_OK);
    expect1(c, &s, sub,
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Internal "
            "error\"},\"id\":1}");
    rpc_conn_free(c);
    rpc_server_free(a.srv);
}

static void test_rpc_oom(void **state)
{
    (void)state;
    const char *t = "[{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHeads\"},"
                    "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"later\"},"
                    "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"rpc_methods\"}]";
    bool done = false;
    for (long n = 0; n < 200 && !done; n++) {
        struct app a;
        setup_app(&a, NULL);
        struct sink s = {0};
        struct rpc_conn *c = NULL;
        itee_mem_fail_after(n);
        enum itee_err r = rpc_conn_new(&c, a.srv, sink_send, &s, true);
        if (r == ITEE_OK) {
            r = rpc_conn_handle(c, t, strlen(t));
            if (r == ITEE_OK && a.token != 0)
                r = rpc_server_reply(a.srv, a.token, json_null());
        }
        bool hit = itee_mem_fault_hit();
        itee_mem_fail_after(-1);
        if (r == ITEE_OK && !hit) {
            assert_int_equal(s.n, 2);
            done = true;
        }
        rpc_conn_free(c);
        rpc_server_free(a.srv);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpc_basic_and_errors),
        cmocka_unit_test(test_rpc_depth_and_size),
        cmocka_unit_test(test_rpc_batch),
        cmocka_unit_test(test_rpc_methods_list),
        cmocka_unit_test(test_rpc_subscriptions),
        cmocka_unit_test(test_rpc_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
