/*
 * test_bip39.c - BIP39 English mnemonics (the 24 trezor/python-mnemonic vectors: entropy and
 * mnemonic only, their seeds use standard BIP39) and substrate-bip39's mini secret (spec §3.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "keys/bip39.h"

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, n, hex, strlen(hex)), ITEE_OK);
}

static const struct {
    const char *entropy;
    const char *mnemonic;
} trezor[] = {
    {"00000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon "
                                         "abandon abandon abandon abandon about"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
     "legal winner thank year wave sausage worth useful legal winner thank yellow"},
    {"80808080808080808080808080808080",
     "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"},
    {"ffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"},
    {"000000000000000000000000000000000000000000000000",
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
     "abandon abandon abandon abandon abandon abandon agent"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
     "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth "
     "useful legal will"},
    {"808080808080808080808080808080808080808080808080",
     "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount "
     "doctor acoustic avoid letter always"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffff",
     "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when"},
    {"0000000000000000000000000000000000000000000000000000000000000000",
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
     "abandon art"},
    {"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
     "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth "
     "useful legal winner thank year wave sausage worth title"},
    {"8080808080808080808080808080808080808080808080808080808080808080",
     "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount "
     "doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo "
     "vote"},
    {"9e885d952ad362caeb4efe34a8e91bd2",
     "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic"},
    {"6610b25967cdcca9d59875f5cb50b0ea75433311869e930b",
     "gravity machine north sort system female filter attitude volume fold club stay feature "
     "office ecology stable narrow fog"},
    {"68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c",
     "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy "
     "gospel tennis maple dilemma loan word shrug inflict delay length"},
    {"c0ba5a8e914111210f2bd131f3d5e08d",
     "scheme spot photo card baby mountain device kick cradle pact join borrow"},
    {"6d9be1ee6ebd27a258115aad99b7317b9c8d28b6d76431c3",
     "horn tenant knee talent sponsor spell gate clip pulse soap slush warm silver nephew swap "
     "uncle crack brave"},
    {"9f6a2878b2520799a44ef18bc7df394e7061a224d2c33cd015b157d746869863",
     "panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol "
     "speed nation flash devote level hobby quick inner drive ghost inside"},
    {"23db8160a31d3e0dca3688ed941adbf3",
     "cat swing flag economy stadium alone churn speed unique patch report train"},
    {"8197a4a47f0425faeaa69deebc05ca29c0a5b5cc76ceacc0",
     "light rule cinnamon wrap drastic word pride squirrel upgrade then income fatal apart sustain "
     "crack supply proud access"},
    {"066dca1a2bb7e8a1db2832148ce9933eea0f3ac9548d793112d9a95c9407efad",
     "all hour make first leader extend hole alien behind guard gospel lava path output census "
     "museum junior mass reopen famous sing advance salt reform"},
    {"f30f8c1da665478f49b001d94c5fc452",
     "vessel ladder alter error federal sibling chat ability sun glass valve picture"},
    {"c10ec20dc3cd9f652c7fac2f1230f7a3c828389a14392f05",
     "scissors invite lock maple supreme raw rapid void congress muscle digital elegant little "
     "brisk hair mango congress clump"},
    {"f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f",
     "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing "
     "screen patrol group space point ten exist slush involve unfold"},
};

#define DEV_PHRASE "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

static void test_wordlist_sorted(void **state)
{
    (void)state;
    for (size_t i = 1; i < BIP39_WORDLIST_LEN; i++)
        assert_true(strcmp(bip39_english[i - 1], bip39_english[i]) < 0);
    for (size_t i = 0; i < BIP39_WORDLIST_LEN; i++) {
        uint16_t idx = 0;
        assert_int_equal(bip39_word_index(&idx, bip39_english[i], strlen(bip39_english[i])),
                         ITEE_OK);
        assert_int_equal(idx, i);
    }
    uint16_t idx;
    assert_int_equal(bip39_word_index(&idx, "abando", 6), ITEE_ERR_MNEMONIC_WORD);
    assert_int_equal(bip39_word_index(&idx, "abandonx", 8), ITEE_ERR_MNEMONIC_WORD);
    assert_int_equal(bip39_word_index(&idx, "Zoo", 3), ITEE_ERR_MNEMONIC_WORD);
    assert_int_equal(bip39_word_index(&idx, "", 0), ITEE_ERR_MNEMONIC_WORD);
    assert_int_equal(bip39_word_index(&idx, "zoo", 2), ITEE_ERR_MNEMONIC_WORD); /* "zo" */
}

static void test_trezor_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(trezor) / sizeof(trezor[0]); i++) {
        uint8_t ent[32], got[32];
        size_t n = strlen(trezor[i].entropy) / 2, glen = 0;
        unhex(ent, n, trezor[i].entropy);
        char text[BIP39_MNEMONIC_MAX];
        assert_int_equal(bip39_mnemonic_from_entropy(text, sizeof(text), ent, n), ITEE_OK);
        assert_string_equal(text, trezor[i].mnemonic);
        assert_int_equal(bip39_entropy_from_mnemonic(got, sizeof(got), &glen, trezor[i].mnemonic,
                                                     strlen(trezor[i].mnemonic)),
                         ITEE_OK);
        assert_int_equal(glen, n);
        assert_memory_equal(got, ent, n);
        /* Exact-size output buffers are enough; one byte less is not. */
        assert_int_equal(bip39_mnemonic_from_entropy(text, strlen(trezor[i].mnemonic) + 1, ent, n),
                         ITEE_OK);
        assert_int_equal(bip39_mnemonic_from_entropy(text, strlen(trezor[i].mnemonic), ent, n),
                         ITEE_ERR_SPACE);
        assert_int_equal(bip39_entropy_from_mnemonic(got, n - 1, &glen, trezor[i].mnemonic,
                                                     strlen(trezor[i].mnemonic)),
                         ITEE_ERR_SPACE);
    }
}

static void test_parse_errors(void **state)
{
    (void)state;
    uint8_t ent[32];
    size_t n = 99;
    const char *m;
    /* Extra spaces anywhere are fine. */
    m = "  abandon abandon  abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon    about ";
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, m, strlen(m)), ITEE_OK);
    assert_int_equal(n, 16);
    /* Last word changed: checksum fails. */
    m = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon";
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, m, strlen(m)),
                     ITEE_ERR_MNEMONIC_CHECKSUM);
    assert_int_equal(n, 0);
    m = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandonn";
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, m, strlen(m)),
                     ITEE_ERR_MNEMONIC_WORD);
    m = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, m, strlen(m)),
                     ITEE_ERR_MNEMONIC_LENGTH);
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, "", 0), ITEE_ERR_MNEMONIC_LENGTH);
    /* 27 words is too many even though 27 % 3 == 0. */
    char big[400] = "";
    size_t at = 0;
    for (int i = 0; i < 27; i++) {
        memcpy(big + at, "zoo ", 4);
        at += 4;
    }
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, big, at), ITEE_ERR_MNEMONIC_LENGTH);
    /* Tabs are not separators (Substrate and polkadot-js split on spaces). */
    m = "legal\twinner thank year wave sausage worth useful legal winner thank yellow";
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, m, strlen(m)),
                     ITEE_ERR_MNEMONIC_WORD);
    /* Bad entropy lengths. */
    char text[BIP39_MNEMONIC_MAX];
    assert_int_equal(bip39_mnemonic_from_entropy(text, sizeof(text), ent, 12), ITEE_ERR_ARG);
    assert_int_equal(bip39_mnemonic_from_entropy(text, sizeof(text), ent, 17), ITEE_ERR_ARG);
    assert_int_equal(bip39_mnemonic_from_entropy(text, sizeof(text), ent, 36), ITEE_ERR_ARG);
}

static void test_substrate_mini_secret(void **state)
{
    (void)state;
    uint8_t ent[32], want[64], got[64];
    size_t n = 0;
    assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, DEV_PHRASE, strlen(DEV_PHRASE)),
                     ITEE_OK);
    unhex(want, 16, "1a486a5fbe53639984cb64b070755f7b");
    assert_int_equal(n, 16);
    assert_memory_equal(ent, want, 16);

    assert_int_equal(bip39_mini_secret(got, ent, n, NULL, 0), ITEE_OK);
    unhex(want, 32, "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e");
    assert_memory_equal(got, want, 32);
    assert_int_equal(bip39_mini_secret(got, ent, n, "password", 8), ITEE_OK);
    unhex(want, 32, "7093ab08d7abbb67ff41479a98ef998e4be773901f13668a012f51d207577a88");
    assert_memory_equal(got, want, 32);

    memset(ent, 0, 16);
    assert_int_equal(bip39_mini_secret(got, ent, 16, "", 0), ITEE_OK);
    unhex(want, 32, "4ed8d4b17698ddeaa1f1559f152f87b5d472f725ca86d341bd0276f1b61197e2");
    assert_memory_equal(got, want, 32);
    assert_int_equal(bip39_seed64(got, ent, 16, "Substrate", 9), ITEE_OK);
    unhex(want, 64,
          "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e3"
          "3f50c3d5c84fa3e5399c72d6cbbbbc4a49bf76f76d952f479d74655a2ef2d453");
    assert_memory_equal(got, want, 64);

    /* Long passwords take the heap path and must agree with a prefix-free recomputation. */
    char pw[300];
    memset(pw, 'p', sizeof(pw));
    uint8_t a[64], b[64];
    assert_int_equal(bip39_seed64(a, ent, 16, pw, sizeof(pw)), ITEE_OK);
    assert_int_equal(bip39_seed64(b, ent, 16, pw, 256), ITEE_OK);
    assert_memory_not_equal(a, b, 64);
    assert_int_equal(bip39_seed64(b, ent, 16, pw, sizeof(pw)), ITEE_OK);
    assert_memory_equal(a, b, 64);

    assert_int_equal(bip39_seed64(got, ent, 15, NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(bip39_seed64(got, ent, 36, NULL, 0), ITEE_ERR_ARG);
    uint8_t zero[64] = {0};
    assert_memory_equal(got, zero, 64);
}

static void test_generate(void **state)
{
    (void)state;
    static const size_t counts[] = {12, 15, 18, 21, 24};
    for (size_t i = 0; i < 5; i++) {
        char a[BIP39_MNEMONIC_MAX], b[BIP39_MNEMONIC_MAX];
        assert_int_equal(bip39_generate(a, sizeof(a), counts[i]), ITEE_OK);
        assert_int_equal(bip39_generate(b, sizeof(b), counts[i]), ITEE_OK);
        assert_string_not_equal(a, b);
        size_t words = 1;
        for (const char *p = a; *p; p++)
            words += *p == ' ';
        assert_int_equal(words, counts[i]);
        uint8_t ent[32];
        size_t n = 0;
        assert_int_equal(bip39_entropy_from_mnemonic(ent, 32, &n, a, strlen(a)), ITEE_OK);
        assert_int_equal(n, counts[i] * 4 / 3);
    }
    char a[BIP39_MNEMONIC_MAX];
    assert_int_equal(bip39_generate(a, sizeof(a), 13), ITEE_ERR_ARG);
    assert_int_equal(bip39_generate(a, sizeof(a), 27), ITEE_ERR_ARG);
    assert_int_equal(bip39_generate(a, 10, 12), ITEE_ERR_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wordlist_sorted), cmocka_unit_test(test_trezor_vectors),
        cmocka_unit_test(test_parse_errors),    cmocka_unit_test(test_substrate_mini_secret),
        cmocka_unit_test(test_generate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
