/*
 * test_chain_spec.c - chain spec files: the built-in dev spec written plain and raw, both
 * parsed back to the same genesis state (root equal to genesis_state_root), a raw spec
 * rewritten byte for byte, hostile files refused with the right error and a reason, files
 * read from disk, and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/mem.h"
#include "node/chain_spec.h"
#include "node/runtime/rt_state.h"

/* The state root of a spec's genesis. */
static void spec_root(const struct chain_spec *s, uint8_t root[32])
{
    struct trie *t = NULL;
    struct rt_state *st = NULL;
    struct genesis_source src;
    chain_spec_source(s, &src);
    assert_int_equal(trie_new(&t, TRIE_LAYOUT_V0, NULL), ITEE_OK);
    assert_int_equal(rt_state_new(&st, t), ITEE_OK);
    assert_int_equal(genesis_build_source(st, &src), ITEE_OK);
    assert_int_equal(rt_state_commit(st), ITEE_OK);
    assert_int_equal(trie_root(t, root), ITEE_OK);
    rt_state_free(st);
    trie_free(t);
}

static void write_spec(const struct chain_spec *s, bool raw, struct itee_buf *out)
{
    itee_buf_init(out, 0);
    assert_int_equal(chain_spec_write(s, raw, out), ITEE_OK);
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct chain_spec dev, plain, raw;
    struct itee_buf p, r, r2, r3;
    char why[CHAIN_SPEC_WHY_LEN];
    uint8_t want[32], got[32];
    assert_int_equal(genesis_state_root(GENESIS_DEV, TRIE_LAYOUT_V0, want), ITEE_OK);
    assert_int_equal(chain_spec_builtin(&dev, GENESIS_DEV), ITEE_OK);
    spec_root(&dev, got);
    assert_memory_equal(got, want, 32);
    write_spec(&dev, false, &p);
    write_spec(&dev, true, &r);
    assert_non_null(strstr((const char *)p.ptr, "\"runtimeGenesis\""));
    assert_non_null(strstr((const char *)p.ptr, "\"allowSkippingAttestation\": true"));
    assert_non_null(strstr((const char *)r.ptr, "\"childrenDefault\": {}"));

    /* plain parsed back: same storage */
    assert_int_equal(chain_spec_parse(&plain, (const char *)p.ptr, p.len, why), ITEE_OK);
    assert_false(plain.raw);
    assert_string_equal(plain.id, "dev");
    assert_string_equal(plain.chain_type, "Development");
    assert_int_equal(plain.config.n_balances, GENESIS_ENDOWED_COUNT);
    spec_root(&plain, got);
    assert_memory_equal(got, want, 32);
    write_spec(&plain, true, &r2);
    assert_int_equal(r2.len, r.len);
    assert_memory_equal(r2.ptr, r.ptr, r.len);

    /* raw parsed back: taken as is */
    assert_int_equal(chain_spec_parse(&raw, (const char *)r.ptr, r.len, why), ITEE_OK);
    assert_true(raw.raw);
    assert_true(raw.n_kv > 10);
    spec_root(&raw, got);
    assert_memory_equal(got, want, 32);
    write_spec(&raw, true, &r3);
    assert_int_equal(r3.len, r.len);
    assert_memory_equal(r3.ptr, r.ptr, r.len);
    struct itee_buf none;
    itee_buf_init(&none, 0);
    assert_int_equal(chain_spec_write(&raw, false, &none), ITEE_ERR_ARG);

    /* local differs only in names */
    struct chain_spec local;
    assert_int_equal(chain_spec_builtin(&local, GENESIS_LOCAL), ITEE_OK);
    assert_string_equal(local.id, "local_testnet");
    spec_root(&local, got);
    assert_memory_equal(got, want, 32);

    itee_buf_free(&none);
    itee_buf_free(&p);
    itee_buf_free(&r);
    itee_buf_free(&r2);
    itee_buf_free(&r3);
    chain_spec_free(&local);
    chain_spec_free(&dev);
    chain_spec_free(&plain);
    chain_spec_free(&raw);
}

static void test_custom_config(void **state)
{
    (void)state;
    /* Bob alone, u128 amount as a string, no sudo, teerex off, legacy "runtime" key */
    static const char text[] =
        "{\"name\":\"Mine\",\"id\":\"my_chain-1\",\"chainType\":\"Live\",\"genesis\":{\"runtime\":"
        "{\"aura\":{\"authorities\":["
        "\"0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f2"
        "6a48\"]},\"grandpa\":{\"authorities\":[["
        "\"5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu\","
        "3]]},\"balances\":{\"balances\":[[\"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\","
        "\"340282366920938463463374607431768211455\"]]},\"sudo\":{\"key\":null}}}}";
    struct chain_spec s;
    char why[CHAIN_SPEC_WHY_LEN];
    assert_int_equal(chain_spec_parse(&s, text, sizeof(text) - 1, why), ITEE_OK);
    assert_string_equal(s.name, "Mine");
    assert_string_equal(s.chain_type, "Live");
    assert_int_equal(s.config.n_aura, 1);
    assert_int_equal(s.config.aura[0][0], 0x8e);
    assert_int_equal(s.config.n_grandpa, 1);
    assert_int_equal(s.config.grandpa[0].weight, 3);
    assert_true(s.config.balances[0].amount == ~(itee_u128)0);
    assert_false(s.config.has_sudo);
    assert_false(s.config.allow_skipping_attestation);
    uint8_t a[32], b[32];
    spec_root(&s, a);
    assert_int_equal(genesis_state_root(GENESIS_DEV, TRIE_LAYOUT_V0, b), ITEE_OK);
    assert_memory_not_equal(a, b, 32);
    /* written plain, the big amount stays a string and parses back the same */
    struct itee_buf p;
    write_spec(&s, false, &p);
    assert_non_null(strstr((const char *)p.ptr, "\"340282366920938463463374607431768211455\""));
    struct chain_spec s2;
    assert_int_equal(chain_spec_parse(&s2, (const char *)p.ptr, p.len, why), ITEE_OK);
    spec_root(&s2, b);
    assert_memory_equal(a, b, 32);
    itee_buf_free(&p);
    chain_spec_free(&s2);
    chain_spec_free(&s);
}

#define HEAD   "{\"name\":\"x\",\"id\":\"x\",\"genesis\":"
#define CFG(c) HEAD "{\"runtimeGenesis\":{\"config\":" c "}}}"
#define ALICE  "\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\""

static void test_hostile(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum itee_err err;
    } cases[] = {
        {"", ITEE_ERR_SPEC_JSON},
        {"{", ITEE_ERR_SPEC_JSON},
        {"{\"name\":\"a\",\"name\":\"b\"}", ITEE_ERR_SPEC_JSON},
        {"[]", ITEE_ERR_SPEC_FIELD},
        {"{\"id\":\"x\",\"genesis\":{}}", ITEE_ERR_SPEC_FIELD},
        {"{\"name\":7,\"id\":\"x\"}", ITEE_ERR_SPEC_FIELD},
        {"{\"name\":\"a\\u0001\",\"id\":\"x\"}", ITEE_ERR_SPEC_VALUE},
        {"{\"name\":\"x\",\"id\":\"../../etc\",\"genesis\":{}}", ITEE_ERR_SPEC_VALUE},
        {"{\"name\":\"x\",\"id\":\"\",\"genesis\":{}}", ITEE_ERR_SPEC_VALUE},
        {"{\"name\":\"x\",\"id\":\"x\",\"chainType\":{\"Custom\":\"y\"},\"genesis\":{}}",
         ITEE_ERR_SPEC_VALUE},
        {"{\"name\":\"x\",\"id\":\"x\",\"bootNodes\":5,\"genesis\":{}}", ITEE_ERR_SPEC_FIELD},
        {"{\"name\":\"x\",\"id\":\"x\",\"codeSubstitutes\":{\"1\":\"0x00\"},\"genesis\":{}}",
         ITEE_ERR_SPEC_VALUE},
        {HEAD "null}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{}}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{\"raw\":{\"top\":{}},\"runtime\":{}}}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{\"raw\":{\"top\":[]}}}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{\"raw\":{\"top\":{\"0x00\":1}}}}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{\"raw\":{\"top\":{\"00\":\"0x00\"}}}}", ITEE_ERR_SPEC_VALUE},
        {HEAD "{\"raw\":{\"top\":{\"0x0\":\"0x00\"}}}}", ITEE_ERR_SPEC_VALUE},
        {HEAD "{\"raw\":{\"top\":{\"0xgg\":\"0x00\"}}}}", ITEE_ERR_SPEC_VALUE},
        {HEAD "{\"raw\":{\"top\":{\"0x00\":\"0xabc\"}}}}", ITEE_ERR_SPEC_VALUE},
        {HEAD "{\"raw\":{\"top\":{},\"childrenDefault\":{\"a\":{}}}}}", ITEE_ERR_SPEC_VALUE},
        {HEAD "{\"raw\":{\"top\":{},\"extra\":1}}}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{\"runtimeGenesis\":{\"config\":{},\"patch\":{}}}}", ITEE_ERR_SPEC_FIELD},
        {HEAD "{\"runtimeGe\\nesis\":{}}}", ITEE_ERR_SPEC_FIELD},
        {"{\"name\":\"x\",\n\"id\":\"x\"\n,}", ITEE_ERR_SPEC_JSON},
        {CFG("{\"evil\":{}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"aura\":[]}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"aura\":{\"authorities\":[7]}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"aura\":{\"authorities\":[\"5Grw\"]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"aura\":{\"authorities\":[\"0x1234\"]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"aura\":{\"authorities\":[" ALICE "," ALICE "]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"grandpa\":{\"authorities\":[[" ALICE "]]}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"grandpa\":{\"authorities\":[[" ALICE ",0]]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"grandpa\":{\"authorities\":[[" ALICE ",-1]]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE ",-5]]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE ",499]]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE ",1.5]]}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"balances\":{\"balances\":[[" ALICE ",\"12a\"]]}}"), ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE
             ",\"340282366920938463463374607431768211456\"]]}}"),
         ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE
             ",\"340282366920938463463374607431768211455\"],["
             "\"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\",500]]}}"),
         ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE ",500],[" ALICE ",600]]}}"),
         ITEE_ERR_SPEC_VALUE},
        {CFG("{\"balances\":{\"balances\":[[" ALICE ",500,1]]}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"sudo\":{\"key\":5}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"teerex\":{\"allowSgxDebugMode\":1}}"), ITEE_ERR_SPEC_FIELD},
        {CFG("{\"transactionPayment\":{\"multiplier\":\"2000000000000000000\"}}"),
         ITEE_ERR_SPEC_VALUE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct chain_spec s;
        char why[CHAIN_SPEC_WHY_LEN];
        enum itee_err e = chain_spec_parse(&s, cases[i].text, strlen(cases[i].text), why);
        if (e != cases[i].err)
            fail_msg("case %zu: got %d (%s), want %d", i, e, why, cases[i].err);
        assert_true(strlen(why) > 0);
        assert_null(strchr(why, '\n'));
        assert_null(s.kv);
        assert_null(s.config.balances);
    }
}

static void test_load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_chain_spec_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    struct chain_spec dev, s;
    struct itee_buf r;
    char why[CHAIN_SPEC_WHY_LEN];
    assert_int_equal(chain_spec_builtin(&dev, GENESIS_DEV), ITEE_OK);
    write_spec(&dev, true, &r);
    assert_int_equal(write(fd, r.ptr, r.len), (ssize_t)r.len);
    close(fd);
    assert_int_equal(chain_spec_load(&s, path, why), ITEE_OK);
    assert_true(s.raw);
    chain_spec_free(&s);
    unlink(path);
    assert_int_equal(chain_spec_load(&s, path, why), ITEE_ERR_NOENT);
    assert_true(strlen(why) > 0);
    assert_int_equal(chain_spec_load(&s, "/tmp", why), ITEE_ERR_IO);
    itee_buf_free(&r);
    chain_spec_free(&dev);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    struct chain_spec dev;
    struct itee_buf p, r;
    assert_int_equal(chain_spec_builtin(&dev, GENESIS_DEV), ITEE_OK);
    write_spec(&dev, false, &p);
    write_spec(&dev, true, &r);
    const struct itee_buf *texts[2] = {&p, &r};
    for (size_t k = 0; k < 2; k++) {
        for (long n = 0;; n++) {
            struct chain_spec s;
            char why[CHAIN_SPEC_WHY_LEN];
            itee_mem_fail_after(n);
            enum itee_err e = chain_spec_parse(&s, (const char *)texts[k]->ptr, texts[k]->len, why);
            bool hit = itee_mem_fault_hit();
            itee_mem_fail_after(-1);
            if (e == ITEE_OK) {
                chain_spec_free(&s);
                break;
            }
            assert_true(hit);
            assert_int_equal(e, ITEE_ERR_NOMEM);
        }
    }
    itee_buf_free(&p);
    itee_buf_free(&r);
    chain_spec_free(&dev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),      cmocka_unit_test(test_custom_config),
        cmocka_unit_test(test_hostile),        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
