/*
 * test_pair.c - scheme-generic key pairs from secret URIs: the whole dev-accounts table of
 * spec §3.6 (public keys and SS58 under prefixes 42 and 13), signing and MultiSignature
 * verification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "keys/pair.h"
#include "keys/ss58.h"
#include "keys/suri.h"

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, n, hex, strlen(hex)), ITEE_OK);
}

static const struct {
    const char *suri;
    enum keys_scheme scheme;
    const char *pub;
    const char *a42; /* NULL when the table has none */
    const char *a13;
} dev[] = {
    {"", KEYS_SCHEME_SR25519, "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
     "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV",
     "2KqZnChw7NEEpReRFUixDC2kVLG9xKt5WMcVH2hSfRm6frSK"},
    {"//Alice", KEYS_SCHEME_SR25519,
     "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
     "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
     "2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH"},
    {"//Bob", KEYS_SCHEME_SR25519,
     "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
     "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
     "2MTf9jMQoqAcLP32TV8n7jt9EC3UBZdPQYVPJCpyJW6wyqoQ"},
    {"//Charlie", KEYS_SCHEME_SR25519,
     "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22",
     "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y",
     "2MWKDuVT8q4ExzSgzGj77QLS4KirAsWEqKkiqD85auHUGzbx"},
    {"//Dave", KEYS_SCHEME_SR25519,
     "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20",
     "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy",
     "2KL3J62RLr6vG5HiEk95QnFsCVNLVw7AGMuggezpUxoFJ5EU"},
    {"//Eve", KEYS_SCHEME_SR25519,
     "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e",
     "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw",
     "2PSc1PwZ5Dt7yh9Gyy7oXteZBut1J3VoTQjoPjxUJHtcKAcs"},
    {"//Ferdie", KEYS_SCHEME_SR25519,
     "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c",
     "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL",
     "2JtFu6wqEnqXE2mkJer6nF6S7cQCmXWEKMrE1d8vKyCArvTo"},
    {"//Alice//stash", KEYS_SCHEME_SR25519,
     "be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f",
     "5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY",
     "2NYBLghHEPoHf3k35vVeSG9dni7HKCGiAksZbx7WNYNkoR6g"},
    {"//Alice/foo", KEYS_SCHEME_SR25519,
     "f2d22c92a77441efe17f5f4e5e9fc535df36943a88f81ab941cbecfe1b55367f",
     "5HZ5szcUx9cL6xa1xDwRsQnSHt39YiyLNW7vjagw19bY4NkB",
     "2PixPDunoiFFaFqZgnRjvH57YotcxQiEuE47tm3CaMMPu1d7"},
    {"/foo", KEYS_SCHEME_SR25519,
     "40b9675df90efa6069ff623b0fdfcf706cd47ca7452a5056c7ad58194d23440a",
     "5DXZzrDxHbkQov4QBAY4TjpwnHCMrKXkomTnKSw8UArBEY5v",
     "2KhSW5XG9APLHDKwuj2NWc7d3D3qG1GfLVPyUdHQ3Nc358Vz"},
    {"//1", KEYS_SCHEME_SR25519, "b606fc73f57f03cdb4c932d475ab426043e429cecc2ffff0d2672b0df8398c48",
     "5GBNeWRhZc2jXu7D55rBimKYDk8PGk8itRYFTPfC8RJLKG5o",
     "2NMF9jj1RAff1CNkoeLVmdcDUfyrgRsdR9USca1Thd4C9cr7"},
    {"//Alice/1", KEYS_SCHEME_SR25519,
     "96f56ff25557d90198ffdea4a317664140e7f33a3cb4ec5edc9640104ddbbd79",
     "5FUdx3xPJdh2ZdD7DwPQRN2eMAFVUKpfPeoEZZiSraow9iVQ",
     "2MeWTHFhACKx2vUexVsiUEKKc66xt1ZZvNjRik4iRnZnzXQR"},
    {"//Alice///password", KEYS_SCHEME_SR25519,
     "32fc18294f88e02ec071e59bb3996aa21f4519d92593dc6e01fda2921d459b23", NULL, NULL},
    {"///password", KEYS_SCHEME_SR25519,
     "b69355deefa7a8f33e9297f5af22e680f03597a99d4f4b1c44be47e7a2275802", NULL, NULL},
    {"", KEYS_SCHEME_ED25519, "345071da55e5dccefaaa440339415ef9f2663338a38f7da0df21be5ab4e055ef",
     "5DFJF7tY4bpbpcKPJcBTQaKuCDEPCpiz8TRjpmLeTtweqmXL",
     "2KRAkMBqvATXHuaw3AfmTScaT95rcWTtfBMvywgv36hWgCvG"},
    {"//Alice", KEYS_SCHEME_ED25519,
     "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee",
     "5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu",
     "2ML2HdWoXaj2gXtgVa4HsPcs3rDaqwhTUD3yo1noqv81JDQS"},
    {"//Bob", KEYS_SCHEME_ED25519,
     "d17c2d7823ebf260fd138f2d7e27d114c0145d968b5ff5006125f2414fadae69",
     "5GoNkf6WdbxCFnPdAnYYQyCjAKPJgLNxXwPjwTh6DGg6gN3E",
     "2NyFFtPpVAb7j5fAuM2rTqVQRFEn627s4fKw6e3MnURxWzwv"},
    {"//Charlie", KEYS_SCHEME_ED25519,
     "439660b36c6c03afafca027b910b4fecf99801834c62a5e6006f27d978de234f",
     "5DbKjhNLpqX3zqZdNBc9BGb4fHU1cRBaDhJUskrvkwfraDi6",
     "2KmCEvfegQ9yU8qB6k6TE8sjvDKV26vUkREg2wDCL9RiQvHG"},
    {"//Dave", KEYS_SCHEME_ED25519,
     "5e639b43e0052c47447dac87d6fd2b6ec50bdd4d0f614e4299c665249bbd09d9",
     "5ECTwv6cZ5nJQPk6tWfaTrEk8YH2L7X1VT4EL5Tx2ikfFwb7",
     "2LNLT9PvQeRDsh1ed59tWiXRPU8VjoFv2AzRVFpDbvWX6S7u"},
    {"//Eve", KEYS_SCHEME_ED25519,
     "1dfe3e22cc0d45c70779c1095f7489a8ef3cf52d62fbd8c2fa38c9f1723502b5",
     "5Ck2miBfCe1JQ4cY3NDsXyBaD6EcsgiVmEFTWwqNSs25XDEq",
     "2JuuGwUy4CeDsMt5mviBaqUFU266HNTQHxBeg8Be24mwMmZ4"},
    {"//Ferdie", KEYS_SCHEME_ED25519,
     "568cb4a574c6d178feb39c27dfc8b3f789e5f5423e19c71633c748b9acf086b5",
     "5E2BmpVFzYGd386XRCZ76cDePMB3sfbZp5ZKGUsrG1m6gomN",
     "2LC4H3nZr6uYWRN59m3R9UWKeH2XHMLULoVWRfE7qDWxXXX5"},
    {"//Alice//stash", KEYS_SCHEME_ED25519,
     "451781cd0c5504504f69ceec484cc66e4c22a2b6a9d20fb1a426d91ad074a2a8",
     "5DdJ9KX9gm9UvZpcpY6av29Q4uzbjuHdp5zEmV6FCh2FXiBc",
     "2KoAeYpTYKnQPs6AZ6atxtS5Kqr59b2YLovRvfSWmtn7NWFi"},
    {"//Alice", KEYS_SCHEME_ECDSA,
     "020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1",
     "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X",
     "2JH4XnPBNAcpPb6T52RJNn5U3MntNMcvGSn3VPS8H7NFvBZp"},
    {"//Bob", KEYS_SCHEME_ECDSA,
     "0390084fdbf27d2b79d26a4f13f0ccd982cb755a661969143c37cbc49ef5b91f27",
     "5DVskgSC9ncWQpxFMeUn45NU43RUq93ByEge6ApbnLk6BR9N", NULL},
    {"//Charlie", KEYS_SCHEME_ECDSA,
     "0389411795514af1627765eceffcbd002719f031604fadd7d188e2dc585b4e1afb",
     "5EP2cMaCxLzhfD3aFAqqgu3kfXH7GcwweEv6JXZRP6ysRHkQ", NULL},
};

static void test_dev_accounts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++) {
        struct keys_pair p;
        enum itee_err r = keys_pair_from_suri(&p, dev[i].scheme, dev[i].suri, strlen(dev[i].suri));
        if (r != ITEE_OK)
            fail_msg("%s %s: %s", keys_scheme_name(dev[i].scheme), dev[i].suri, itee_strerror(r));
        uint8_t pub[KEYS_PUBLIC_MAX], want[KEYS_PUBLIC_MAX], acc[32];
        size_t n = keys_pair_public(&p, pub);
        assert_int_equal(n, strlen(dev[i].pub) / 2);
        unhex(want, n, dev[i].pub);
        assert_memory_equal(pub, want, n);
        keys_pair_account_id(&p, acc);
        uint8_t acc2[32];
        assert_int_equal(keys_account_id_from_public(acc2, dev[i].scheme, pub, n), ITEE_OK);
        assert_memory_equal(acc, acc2, 32);
        char text[SS58_ADDRESS_MAX];
        if (dev[i].a42 != NULL) {
            assert_int_equal(ss58_encode(text, sizeof(text), 42, acc, 32), ITEE_OK);
            assert_string_equal(text, dev[i].a42);
        }
        if (dev[i].a13 != NULL) {
            assert_int_equal(ss58_encode(text, sizeof(text), 13, acc, 32), ITEE_OK);
            assert_string_equal(text, dev[i].a13);
        }
        /* The seed exists unless an sr25519 soft junction was taken. */
        struct suri su;
        assert_int_equal(suri_parse(&su, dev[i].suri, strlen(dev[i].suri)), ITEE_OK);
        bool soft = false;
        for (size_t k = 0; k < su.njunctions; k++)
            soft = soft || !su.junctions[k].hard;
        assert_int_equal(p.has_seed, !soft);

        /* Sign and verify through both entry points; a changed message fails. */
        uint8_t sig[KEYS_SIG_MAX];
        size_t slen = 0;
        const uint8_t msg[] = "integritee";
        assert_int_equal(keys_pair_sign(&p, msg, 10, sig, &slen), ITEE_OK);
        assert_int_equal(slen, dev[i].scheme == KEYS_SCHEME_ECDSA ? 65 : 64);
        assert_int_equal(keys_verify(dev[i].scheme, sig, slen, msg, 10, pub, n), ITEE_OK);
        assert_int_equal(keys_verify_account(dev[i].scheme, sig, slen, msg, 10, acc), ITEE_OK);
        assert_int_equal(keys_verify(dev[i].scheme, sig, slen, msg, 9, pub, n), ITEE_ERR_BAD_SIG);
        assert_int_equal(keys_verify_account(dev[i].scheme, sig, slen, msg, 9, acc),
                         ITEE_ERR_BAD_SIG);
        assert_int_equal(keys_verify(dev[i].scheme, sig, slen - 1, msg, 10, pub, n),
                         ITEE_ERR_BAD_SIG);
        keys_pair_clear(&p);
    }
}

static void test_seeds(void **state)
{
    (void)state;
    /* The dev phrase's mini secret given as a 0x seed is the same root; a password is then
     * ignored (Substrate and polkadot-js agree). */
    const char *t = "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e//Alice"
                    "///ignored";
    struct keys_pair p;
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, t, strlen(t)), ITEE_OK);
    uint8_t pub[33], want[32];
    assert_int_equal(keys_pair_public(&p, pub), 32);
    unhex(want, 32, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    assert_memory_equal(pub, want, 32);
    /* After //Alice the seed is the hard-derived mini secret (spec §3.5.8). */
    assert_true(p.has_seed);
    unhex(want, 32, "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a");
    assert_memory_equal(p.seed, want, 32);

    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_ED25519, "//Alice", 7), ITEE_OK);
    unhex(want, 32, "abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115");
    assert_memory_equal(p.seed, want, 32);
    struct keys_pair q;
    assert_int_equal(keys_pair_from_seed(&q, KEYS_SCHEME_ED25519, want), ITEE_OK);
    assert_memory_equal(&q, &p, sizeof(p));

    t = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        "abandon about";
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, t, strlen(t)), ITEE_OK);
    assert_int_equal(keys_pair_public(&p, pub), 32);
    unhex(want, 32, "66933bd1f37070ef87bd1198af3dacceb095237f803f3d32b173e6b425ed7972");
    assert_memory_equal(pub, want, 32);

    /* The long-junction vector: polkadot-js derives 7c59f953...5825. */
    t = "//this-is-a-very-long-derivation-junction-name";
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, t, strlen(t)), ITEE_OK);
    assert_int_equal(keys_pair_public(&p, pub), 32);
    assert_int_equal(pub[0], 0x7c);
    assert_int_equal(pub[1], 0x59);
    assert_int_equal(pub[30], 0x58);
    assert_int_equal(pub[31], 0x25);
}

static void test_derive_hard(void **state)
{
    (void)state;
    /* deriving a junction's chain code by hand equals the SURI path, for each scheme */
    const enum keys_scheme schemes[] = {KEYS_SCHEME_SR25519, KEYS_SCHEME_ED25519,
                                        KEYS_SCHEME_ECDSA};
    for (size_t i = 0; i < 3; i++) {
        struct keys_pair a, b;
        assert_int_equal(keys_pair_from_suri(&a, schemes[i], "//Alice//vault", 14), ITEE_OK);
        assert_int_equal(keys_pair_from_suri(&b, schemes[i], "//Alice", 7), ITEE_OK);
        uint8_t cc[32];
        assert_int_equal(suri_chain_code(cc, "vault", 5), ITEE_OK);
        assert_int_equal(keys_pair_derive_hard(&b, cc), ITEE_OK);
        uint8_t pa[KEYS_PUBLIC_MAX], pb[KEYS_PUBLIC_MAX];
        size_t la = keys_pair_public(&a, pa), lb = keys_pair_public(&b, pb);
        assert_int_equal(la, lb);
        assert_memory_equal(pa, pb, la);
        /* another chain code gives another key */
        cc[0] ^= 1;
        assert_int_equal(keys_pair_derive_hard(&b, cc), ITEE_OK);
        lb = keys_pair_public(&b, pb);
        assert_memory_not_equal(pa, pb, la);
        keys_pair_clear(&a);
        keys_pair_clear(&b);
    }
    assert_int_equal(keys_pair_derive_hard(NULL, (const uint8_t *)"x"), ITEE_ERR_ARG);
}

static void test_errors(void **state)
{
    (void)state;
    struct keys_pair p;
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_ED25519, "//Alice/foo", 11),
                     ITEE_ERR_SOFT_JUNCTION);
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_ECDSA, "/foo", 4), ITEE_ERR_SOFT_JUNCTION);
    uint8_t zero[sizeof(p)];
    memset(zero, 0, sizeof(zero));
    assert_memory_equal(&p, zero, sizeof(p));
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, "0x0102", 6), ITEE_ERR_SURI);
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, "a/", 2), ITEE_ERR_SURI);
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, "hellox world", 12),
                     ITEE_ERR_MNEMONIC_WORD);
    const char *t = "bottom drive obey lake curtain smoke basket hold race lonely fit fit";
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, t, strlen(t)),
                     ITEE_ERR_MNEMONIC_CHECKSUM);
    assert_int_equal(keys_pair_from_suri(&p, (enum keys_scheme)7, "", 0), ITEE_ERR_SCHEME);
    uint8_t seed[32] = {0};
    assert_int_equal(keys_pair_from_seed(&p, KEYS_SCHEME_ECDSA, seed), ITEE_ERR_BAD_KEY);

    enum keys_scheme s;
    assert_int_equal(keys_scheme_parse(&s, "sr25519"), ITEE_OK);
    assert_int_equal(s, KEYS_SCHEME_SR25519);
    assert_int_equal(keys_scheme_parse(&s, "ed25519"), ITEE_OK);
    assert_int_equal(s, KEYS_SCHEME_ED25519);
    assert_int_equal(keys_scheme_parse(&s, "ecdsa"), ITEE_OK);
    assert_int_equal(s, KEYS_SCHEME_ECDSA);
    assert_int_equal(keys_scheme_parse(&s, "rsa"), ITEE_ERR_SCHEME);
    assert_string_equal(keys_scheme_name(KEYS_SCHEME_ECDSA), "ecdsa");

    uint8_t acc[32], pub[33] = {2};
    assert_int_equal(keys_account_id_from_public(acc, KEYS_SCHEME_ECDSA, pub, 32), ITEE_ERR_ARG);
    assert_int_equal(keys_account_id_from_public(acc, KEYS_SCHEME_SR25519, pub, 33), ITEE_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dev_accounts),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_derive_hard),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
