/*
 * test_suri.c - secret URI grammar and junction chain codes (spec §3.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "keys/suri.h"

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, n, hex, strlen(hex)), ITEE_OK);
}

/* Asserts the chain code of junction text j is want (hex, zero-padded to 32 bytes). */
static void check_cc(const char *j, const char *want_hex)
{
    uint8_t cc[32], want[32] = {0};
    size_t n = 0;
    assert_int_equal(itee_hex_decode(want, 32, &n, want_hex, strlen(want_hex)), ITEE_OK);
    assert_int_equal(suri_chain_code(cc, j, strlen(j)), ITEE_OK);
    assert_memory_equal(cc, want, 32);
}

static void test_chain_codes(void **state)
{
    (void)state;
    check_cc("Alice", "14416c696365");
    check_cc("foo", "0c666f6f");
    check_cc("1", "01");
    check_cc("0", "");
    check_cc("stash", "147374617368");
    check_cc("007", "07");                                /* leading zeros: still a number */
    check_cc("+5", "05");                                 /* Rust's u64::from_str takes '+' */
    check_cc("18446744073709551615", "ffffffffffffffff"); /* u64::MAX */
    /* u64::MAX + 1 is a 20-character string: compact(20) = 0x50. */
    check_cc("18446744073709551616", "503138343436373434303733373039353531363136");
    check_cc("-1", "082d31");
    check_cc("", "00");
    check_cc("0x01", "1030783031"); /* Substrate: a string (polkadot-js differs) */
    /* 31 bytes of text + 1 length byte fit exactly; 32 bytes of text are hashed. */
    check_cc("abcdefghijklmnopqrstuvwxyzabcde",
             "7c6162636465666768696a6b6c6d6e6f707172737475767778797a6162636465");
    uint8_t cc[32], want[32];
    assert_int_equal(suri_chain_code(cc, "this-is-a-very-long-derivation-junction-name", 44),
                     ITEE_OK);
    unhex(want, 32, "27df97997bac45c0c75e6b0755bbe3754b8e141c431d83aeac430546cb0a5785");
    assert_memory_equal(cc, want, 32);
    /* 64+ characters use a two-byte compact length before hashing: just check it differs
     * from the one-byte form and is deterministic. */
    char big[70];
    memset(big, 'a', sizeof(big));
    uint8_t c1[32], c2[32];
    assert_int_equal(suri_chain_code(c1, big, 64), ITEE_OK);
    assert_int_equal(suri_chain_code(c2, big, 64), ITEE_OK);
    assert_memory_equal(c1, c2, 32);
    assert_int_equal(suri_chain_code(c2, big, 63), ITEE_OK);
    assert_memory_not_equal(c1, c2, 32);
}

static void test_parse_shapes(void **state)
{
    (void)state;
    struct suri s;
    const char *t = "//Alice";
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.phrase_len, strlen(SURI_DEV_PHRASE));
    assert_memory_equal(s.phrase, SURI_DEV_PHRASE, s.phrase_len);
    assert_int_equal(s.njunctions, 1);
    assert_true(s.junctions[0].hard);
    assert_false(s.has_password);
    assert_null(s.password);

    t = SURI_DEV_PHRASE "//Alice/foo//1///my pass/word";
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_ptr_equal(s.phrase, t);
    assert_int_equal(s.phrase_len, strlen(SURI_DEV_PHRASE));
    assert_int_equal(s.njunctions, 3);
    assert_true(s.junctions[0].hard);
    assert_false(s.junctions[1].hard);
    assert_true(s.junctions[2].hard);
    assert_int_equal(s.junctions[1].cc[0], 0x0c);
    assert_int_equal(s.junctions[2].cc[0], 0x01);
    assert_true(s.has_password);
    assert_int_equal(s.password_len, strlen("my pass/word"));
    assert_memory_equal(s.password, "my pass/word", s.password_len);

    t = "///password";
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.njunctions, 0);
    assert_memory_equal(s.phrase, SURI_DEV_PHRASE, s.phrase_len);
    assert_int_equal(s.password_len, 8);

    t = "0x0102//x";
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.phrase_len, 6);
    assert_int_equal(s.njunctions, 1);

    t = "abc///";
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_true(s.has_password);
    assert_int_equal(s.password_len, 0);

    t = "////x"; /* no junction can start at "///", so the password is "/x" */
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.njunctions, 0);
    assert_int_equal(s.password_len, 2);

    assert_int_equal(suri_parse(&s, "", 0), ITEE_OK);
    assert_memory_equal(s.phrase, SURI_DEV_PHRASE, s.phrase_len);
    assert_int_equal(s.njunctions, 0);

    t = "//a b/ c"; /* junction text may hold spaces and any non-slash byte */
    assert_int_equal(suri_parse(&s, t, strlen(t)), ITEE_OK);
    assert_int_equal(s.njunctions, 2);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "/", "//", "a/", "a//b/", "a//b//", "abc-def", "abc//x/", "//a///pw\nx", "-//a", "a///b\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct suri s;
        assert_int_equal(suri_parse(&s, bad[i], strlen(bad[i])), ITEE_ERR_SURI);
        assert_null(s.phrase);
    }
    char many[200];
    size_t n = 0;
    for (int i = 0; i <= SURI_MAX_JUNCTIONS; i++) {
        many[n++] = '/';
        many[n++] = 'x';
    }
    struct suri s;
    assert_int_equal(suri_parse(&s, many, n), ITEE_ERR_SURI);
    assert_int_equal(suri_parse(&s, many, n - 2), ITEE_OK);
    assert_int_equal(s.njunctions, SURI_MAX_JUNCTIONS);
    assert_int_equal(suri_parse(NULL, "", 0), ITEE_ERR_ARG);
}

/* sp_core::crypto::AddressUri's own tests (test00..test21): shape of each parse. */
static void test_substrate_address_uri_cases(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int ok;               /* parses */
        size_t phrase_len;    /* 0: no phrase (dev phrase) */
        const char *hardness; /* one 'h'/'s' per junction */
        const char *pass;     /* NULL: no password */
    } v[] = {
        {"///", 1, 0, "", ""},
        {"////////", 1, 0, "", "/////"},
        {"sdasd///asda", 1, 5, "", "asda"},
        {"sdasd//asda", 1, 5, "h", NULL},
        {"sdasd//a", 1, 5, "h", NULL},
        {"sdasd//", 0, 0, "", NULL},
        {"sdasd/xx//asda", 1, 5, "sh", NULL},
        {"sdasd/xx//a/b//c///pass", 1, 5, "shsh", "pass"},
        {"sdasd/xx//a", 1, 5, "sh", NULL},
        {"sdasd/xx//", 0, 0, "", NULL},
        {"sdasd/asda", 1, 5, "s", NULL},
        {"sdasd/asda//x", 1, 5, "sh", NULL},
        {"sdasd/a", 1, 5, "s", NULL},
        {"sdasd/", 0, 0, "", NULL},
        {"sdasd", 1, 5, "", NULL},
        {"sd.asd", 0, 0, "", NULL},
        {"sd.asd/asd.a", 0, 0, "", NULL},
        {"sd.asd//asd.a", 0, 0, "", NULL},
        {"sdasd/asd.a", 1, 5, "s", NULL},
        {"sdasd//asd.a", 1, 5, "h", NULL},
        {"///\n", 0, 0, "", NULL},
        {"///a\n", 0, 0, "", NULL},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct suri s;
        enum itee_err r = suri_parse(&s, v[i].in, strlen(v[i].in));
        if (!v[i].ok) {
            assert_int_equal(r, ITEE_ERR_SURI);
            continue;
        }
        assert_int_equal(r, ITEE_OK);
        if (v[i].phrase_len == 0) {
            assert_int_equal(s.phrase_len, strlen(SURI_DEV_PHRASE));
            assert_memory_equal(s.phrase, SURI_DEV_PHRASE, s.phrase_len);
        } else {
            assert_ptr_equal(s.phrase, v[i].in);
            assert_int_equal(s.phrase_len, v[i].phrase_len);
        }
        assert_int_equal(s.njunctions, strlen(v[i].hardness));
        for (size_t k = 0; k < s.njunctions; k++)
            assert_int_equal(s.junctions[k].hard, v[i].hardness[k] == 'h');
        assert_int_equal(s.has_password, v[i].pass != NULL);
        if (v[i].pass != NULL) {
            assert_int_equal(s.password_len, strlen(v[i].pass));
            assert_memory_equal(s.password, v[i].pass, s.password_len);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_codes),
        cmocka_unit_test(test_parse_shapes),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_substrate_address_uri_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
