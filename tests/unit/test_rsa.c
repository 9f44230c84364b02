/*
 * test_rsa.c - the RSA-3072 shielding key: generation, OAEP chunked round trips, the original's
 * JSON forms, wrong keys, damaged ciphertexts, and hostile JSON.
 *
 * Key generation takes up to a second, so two keys are made once in the group setup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/rsa.h"

/* The keys every test shares (made by group_setup). */
struct fixture {
    struct rsa_key *key;   /* main key pair */
    struct rsa_key *other; /* an unrelated key pair, for wrong-key tests */
};

static int group_setup(void **state)
{
    static struct fixture fx;
    if (rsa_key_generate(&fx.key) != ITEE_OK || rsa_key_generate(&fx.other) != ITEE_OK)
        return -1;
    *state = &fx;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *fx = *state;
    rsa_key_free(fx->key);
    rsa_key_free(fx->other);
    return 0;
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + seed * 7 + (i >> 8));
}

static void test_generate(void **state)
{
    struct fixture *fx = *state;
    uint8_t n[RSA_SHIELD_MOD_LEN];
    assert_true(rsa_key_has_private(fx->key));
    assert_int_equal(rsa_public_n_le(fx->key, n), ITEE_OK);
    assert_true((n[0] & 1) == 1);                         /* odd */
    assert_true((n[RSA_SHIELD_MOD_LEN - 1] & 0x80) != 0); /* full 3072 bits, little-endian */
    uint8_t n2[RSA_SHIELD_MOD_LEN];
    assert_int_equal(rsa_public_n_le(fx->other, n2), ITEE_OK);
    assert_memory_not_equal(n, n2, RSA_SHIELD_MOD_LEN);
    assert_int_equal(rsa_public_n_le(NULL, n2), ITEE_ERR_ARG);
    assert_int_equal(rsa_key_generate(NULL), ITEE_ERR_ARG);
    assert_false(rsa_key_has_private(NULL));
    assert_int_equal(rsa_mod_len(), 384);
    assert_int_equal(rsa_chunk_len(), 318);
}

static void test_roundtrip_lengths(void **state)
{
    struct fixture *fx = *state;
    static const size_t lens[] = {0, 1, 317, 318, 319, 636, 637, 1000};
    static uint8_t plain[1000];
    fill(plain, sizeof(plain), 1);
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        size_t len = lens[i];
        struct itee_buf ct, back;
        itee_buf_init(&ct, 0);
        itee_buf_init(&back, 0);
        assert_int_equal(rsa_encrypt(fx->key, plain, len, &ct), ITEE_OK);
        size_t blocks = (len + RSA_OAEP_CHUNK_LEN - 1) / RSA_OAEP_CHUNK_LEN;
        assert_int_equal(ct.len, blocks * RSA_SHIELD_MOD_LEN);
        assert_int_equal(rsa_ciphertext_len(len), ct.len);
        assert_int_equal(rsa_decrypt(fx->key, ct.ptr, ct.len, &back), ITEE_OK);
        assert_int_equal(back.len, len);
        if (len > 0)
            assert_memory_equal(back.ptr, plain, len);
        /* OAEP is randomised: a second encryption differs. */
        if (len > 0) {
            struct itee_buf ct2;
            itee_buf_init(&ct2, 0);
            assert_int_equal(rsa_encrypt(fx->key, plain, len, &ct2), ITEE_OK);
            assert_memory_not_equal(ct.ptr, ct2.ptr, RSA_SHIELD_MOD_LEN);
            itee_buf_free(&ct2);
        }
        itee_buf_free(&ct);
        itee_buf_free_secret(&back);
    }
}

static void test_public_json(void **state)
{
    struct fixture *fx = *state;
    struct itee_buf js, js2, ct, back;
    itee_buf_init(&js, 0);
    itee_buf_init(&js2, 0);
    itee_buf_init(&ct, 0);
    itee_buf_init(&back, 0);
    assert_int_equal(rsa_public_to_json(fx->key, &js), ITEE_OK);
    /* serde_json compact form, exactly as the original. */
    const char *tail = "],\"e\":[1,0,0,1]}";
    assert_true(js.len > 400);
    assert_memory_equal(js.ptr, "{\"n\":[", 6);
    assert_memory_equal(js.ptr + js.len - strlen(tail), tail, strlen(tail));
    assert_null(memchr(js.ptr, ' ', js.len));
    size_t commas = 0;
    for (size_t i = 0; i < js.len; i++)
        commas += js.ptr[i] == ',';
    assert_int_equal(commas, 383 + 1 + 3);
    /* A caller's buffer with a modest maximum is enough; a tiny one is refused cleanly. */
    struct itee_buf capped;
    itee_buf_init(&capped, 2048);
    assert_int_equal(rsa_public_to_json(fx->key, &capped), ITEE_OK);
    assert_int_equal(capped.len, js.len);
    itee_buf_free(&capped);
    itee_buf_init(&capped, 100);
    assert_int_equal(rsa_public_to_json(fx->key, &capped), ITEE_ERR_SPACE);
    assert_int_equal(capped.len, 0);
    itee_buf_free(&capped);

    struct rsa_key *pub = NULL;
    assert_int_equal(rsa_public_from_json(&pub, (const char *)js.ptr, js.len), ITEE_OK);
    assert_false(rsa_key_has_private(pub));
    assert_int_equal(rsa_public_to_json(pub, &js2), ITEE_OK);
    assert_int_equal(js2.len, js.len);
    assert_memory_equal(js2.ptr, js.ptr, js.len);

    /* Encrypt to the parsed public key, decrypt with the full key. */
    uint8_t plain[700];
    fill(plain, sizeof(plain), 2);
    assert_int_equal(rsa_encrypt(pub, plain, sizeof(plain), &ct), ITEE_OK);
    assert_int_equal(rsa_decrypt(fx->key, ct.ptr, ct.len, &back), ITEE_OK);
    assert_int_equal(back.len, sizeof(plain));
    assert_memory_equal(back.ptr, plain, sizeof(plain));
    /* A public-only key cannot decrypt or export a key pair. */
    assert_int_equal(rsa_decrypt(pub, ct.ptr, ct.len, &back), ITEE_ERR_ARG);
    assert_int_equal(rsa_keypair_to_json(pub, &js2), ITEE_ERR_ARG);
    assert_int_equal(js2.len, 0);

    /* Whitespace is valid JSON and accepted. */
    struct itee_buf spaced;
    itee_buf_init(&spaced, 0);
    assert_int_equal(itee_buf_append(&spaced, " { \"e\" : [1, 0, 0, 1] ,\n", 24), ITEE_OK);
    assert_int_equal(itee_buf_append(&spaced, js.ptr + 1, js.len - 1 - strlen(tail)), ITEE_OK);
    assert_int_equal(itee_buf_append(&spaced, "] }", 3), ITEE_OK);
    rsa_key_free(pub);
    pub = NULL;
    assert_int_equal(rsa_public_from_json(&pub, (const char *)spaced.ptr, spaced.len), ITEE_OK);
    rsa_key_free(pub);

    itee_buf_free(&spaced);
    itee_buf_free(&js);
    itee_buf_free(&js2);
    itee_buf_free(&ct);
    itee_buf_free_secret(&back);
}

static void test_keypair_json(void **state)
{
    struct fixture *fx = *state;
    struct itee_buf js, js2, ct, back;
    itee_buf_init(&js, 0);
    itee_buf_init(&js2, 0);
    itee_buf_init(&ct, 0);
    itee_buf_init(&back, 0);
    assert_int_equal(rsa_keypair_to_json(fx->key, &js), ITEE_OK);
    static const char *const order[] = {"{\"n\":[",    "],\"d\":[",    "],\"e\":[1,0,0,1],\"p\":[",
                                        "],\"q\":[",   "],\"dmp1\":[", "],\"dmq1\":[",
                                        "],\"iqmp\":["};
    const char *s = (const char *)js.ptr;
    const char *end = s + js.len;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const char *hit = NULL;
        for (const char *p = s; p + strlen(order[i]) <= end; p++)
            if (memcmp(p, order[i], strlen(order[i])) == 0) {
                hit = p;
                break;
            }
        assert_non_null(hit);
        s = hit + strlen(order[i]);
    }
    assert_int_equal(js.ptr[js.len - 1], '}');
    assert_int_equal(js.ptr[js.len - 2], ']');

    struct rsa_key *kp = NULL;
    assert_int_equal(rsa_keypair_from_json(&kp, (const char *)js.ptr, js.len), ITEE_OK);
    assert_true(rsa_key_has_private(kp));
    assert_int_equal(rsa_keypair_to_json(kp, &js2), ITEE_OK);
    assert_int_equal(js2.len, js.len);
    assert_memory_equal(js2.ptr, js.ptr, js.len);

    /* The reloaded key decrypts what the original key's public half encrypted. */
    uint8_t plain[400];
    fill(plain, sizeof(plain), 3);
    assert_int_equal(rsa_encrypt(fx->key, plain, sizeof(plain), &ct), ITEE_OK);
    assert_int_equal(rsa_decrypt(kp, ct.ptr, ct.len, &back), ITEE_OK);
    assert_memory_equal(back.ptr, plain, sizeof(plain));

    /* A key pair text is not a public key text, nor the other way round. */
    struct rsa_key *bad = NULL;
    assert_int_equal(rsa_public_from_json(&bad, (const char *)js.ptr, js.len), ITEE_ERR_FORMAT);
    assert_null(bad);
    assert_int_equal(rsa_public_to_json(fx->key, &js2), ITEE_OK);
    assert_int_equal(rsa_keypair_from_json(&bad, (const char *)js2.ptr, js2.len), ITEE_ERR_FORMAT);

    /* Inconsistent key pairs: change one number inside d, then inside iqmp. */
    static const char *const members[] = {"\"d\":[", "\"iqmp\":[", "\"p\":["};
    for (size_t m = 0; m < sizeof(members) / sizeof(members[0]); m++) {
        itee_buf_reset(&js2);
        assert_int_equal(itee_buf_append(&js2, js.ptr, js.len), ITEE_OK);
        char *t = (char *)js2.ptr;
        char *at = NULL;
        for (size_t i = 0; i + strlen(members[m]) <= js2.len; i++)
            if (memcmp(t + i, members[m], strlen(members[m])) == 0) {
                at = t + i + strlen(members[m]);
                break;
            }
        assert_non_null(at);
        /* The first (least significant) number: make it a different single digit value. */
        char *comma = memchr(at, ',', (size_t)(t + js2.len - at));
        assert_non_null(comma);
        int same = (comma - at == 1 && at[0] == '2');
        for (char *p = at; p < comma; p++)
            *p = ' ';
        comma[-1] = same ? '4' : '2';
        assert_int_equal(rsa_keypair_from_json(&bad, t, js2.len), ITEE_ERR_BAD_KEY);
        assert_null(bad);
    }

    rsa_key_free(kp);
    itee_buf_free_secret(&js);
    itee_buf_free_secret(&js2);
    itee_buf_free(&ct);
    itee_buf_free_secret(&back);
}

static void test_wrong_key_and_damage(void **state)
{
    struct fixture *fx = *state;
    struct itee_buf ct, back;
    itee_buf_init(&ct, 0);
    itee_buf_init(&back, 0);
    uint8_t plain[900];
    fill(plain, sizeof(plain), 4);
    assert_int_equal(rsa_encrypt(fx->key, plain, sizeof(plain), &ct), ITEE_OK);
    assert_int_equal(ct.len, 3 * RSA_SHIELD_MOD_LEN);

    assert_int_equal(rsa_decrypt(fx->other, ct.ptr, ct.len, &back), ITEE_ERR_DECRYPT);
    assert_int_equal(back.len, 0);
    /* Lengths that are not whole blocks. */
    static const size_t bad_lens[] = {1, 383, 385, 767, 1151};
    for (size_t i = 0; i < sizeof(bad_lens) / sizeof(bad_lens[0]); i++)
        assert_int_equal(rsa_decrypt(fx->key, ct.ptr, bad_lens[i], &back), ITEE_ERR_DECRYPT);
    /* Dropping a whole block is undetectable by RSA itself: it decrypts the rest. */
    assert_int_equal(rsa_decrypt(fx->key, ct.ptr, 2 * RSA_SHIELD_MOD_LEN, &back), ITEE_OK);
    assert_int_equal(back.len, 2 * RSA_OAEP_CHUNK_LEN);
    /* A flipped bit in any block fails the whole message, and no plaintext is left behind. */
    static const size_t positions[] = {0, 1, 200, 383, 384, 700, 768, 1000, 1151};
    for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++) {
        ct.ptr[positions[i]] ^= 0x10;
        assert_int_equal(rsa_decrypt(fx->key, ct.ptr, ct.len, &back), ITEE_ERR_DECRYPT);
        assert_int_equal(back.len, 0);
        for (size_t j = 0; j < back.cap; j++)
            assert_int_equal(back.ptr[j], 0);
        ct.ptr[positions[i]] ^= 0x10;
    }
    /* All-zero and all-ones blocks (the latter is >= n). */
    uint8_t junk[RSA_SHIELD_MOD_LEN];
    memset(junk, 0, sizeof(junk));
    assert_int_equal(rsa_decrypt(fx->key, junk, sizeof(junk), &back), ITEE_ERR_DECRYPT);
    memset(junk, 0xff, sizeof(junk));
    assert_int_equal(rsa_decrypt(fx->key, junk, sizeof(junk), &back), ITEE_ERR_DECRYPT);
    /* Intact, it still works; empty decrypts to empty. */
    assert_int_equal(rsa_decrypt(fx->key, ct.ptr, ct.len, &back), ITEE_OK);
    assert_memory_equal(back.ptr, plain, sizeof(plain));
    assert_int_equal(rsa_decrypt(fx->key, NULL, 0, &back), ITEE_OK);
    assert_int_equal(back.len, 0);
    /* Arguments. */
    assert_int_equal(rsa_encrypt(NULL, plain, 1, &ct), ITEE_ERR_ARG);
    assert_int_equal(rsa_encrypt(fx->key, NULL, 1, &ct), ITEE_ERR_ARG);
    assert_int_equal(rsa_encrypt(fx->key, plain, 1, NULL), ITEE_ERR_ARG);
    assert_int_equal(rsa_decrypt(NULL, junk, 384, &back), ITEE_ERR_ARG);
    struct itee_buf small;
    itee_buf_init(&small, RSA_SHIELD_MOD_LEN);
    assert_int_equal(rsa_encrypt(fx->key, plain, RSA_OAEP_CHUNK_LEN + 1, &small), ITEE_ERR_SPACE);
    assert_int_equal(rsa_encrypt(fx->key, plain, RSA_OAEP_CHUNK_LEN, &small), ITEE_OK);
    itee_buf_free(&small);
    itee_buf_free(&ct);
    itee_buf_free_secret(&back);
}

/* Builds {"n":[...],"e":[...]} from the given arrays and expects rejection with want. */
static void expect_pub(const char *json, enum itee_err want)
{
    struct rsa_key *k = (struct rsa_key *)1;
    enum itee_err r = rsa_public_from_json(&k, json, strlen(json));
    if (r != want)
        print_error("input %.80s...: got %d want %d\n", json, r, want);
    assert_int_equal(r, want);
    if (r == ITEE_OK)
        rsa_key_free(k);
    else
        assert_null(k);
}

/* Writes a JSON array of count numbers: first, then fill..., last. */
static size_t put_array(char *out, size_t cap, size_t count, const char *first, const char *fillv,
                        const char *last)
{
    size_t k = 0;
    k += (size_t)snprintf(out + k, cap - k, "[");
    for (size_t i = 0; i < count; i++) {
        const char *v = i == 0 ? first : i + 1 == count ? last : fillv;
        k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "," : "", v);
    }
    k += (size_t)snprintf(out + k, cap - k, "]");
    return k;
}

static void make_pub(char *out, size_t cap, size_t ncount, const char *nfirst, const char *nfill,
                     const char *nlast, const char *e)
{
    size_t k = (size_t)snprintf(out, cap, "{\"n\":");
    k += put_array(out + k, cap - k, ncount, nfirst, nfill, nlast);
    snprintf(out + k, cap - k, ",\"e\":%s}", e);
}

static void test_hostile_public_json(void **state)
{
    (void)state;
    static char j[8192];
    const char *e = "[1,0,0,1]";
    make_pub(j, sizeof(j), 384, "1", "7", "200", e);
    expect_pub(j, ITEE_OK); /* the baseline is good */
    make_pub(j, sizeof(j), 383, "1", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 385, "1", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "256", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "-1", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1.0", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1e0", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "\"1\"", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "null", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "true", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "[1]", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "{}", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "99999999999999999999999", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "01", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    /* Not a real 3072-bit odd modulus. */
    make_pub(j, sizeof(j), 384, "2", "7", "200", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "127", e);
    expect_pub(j, ITEE_ERR_FORMAT);
    /* Bad exponents. */
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[1,0,0]");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[1,0,0,1,0]");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[2,0,0,1]");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[1,0,0,0]");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[3,0,0,0]");
    expect_pub(j, ITEE_OK);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "\"AQAB\"");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "{\"x\":[1,0,0,1]}");
    expect_pub(j, ITEE_ERR_FORMAT);
    /* Extra, duplicate and missing members; trailing junk; other shapes. */
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[1,0,0,1],\"x\":0");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", "[1,0,0,1],\"e\":[1,0,0,1]");
    expect_pub(j, ITEE_ERR_FORMAT);
    make_pub(j, sizeof(j), 384, "1", "7", "200", e);
    size_t len = strlen(j);
    snprintf(j + len, sizeof(j) - len, "x");
    expect_pub(j, ITEE_ERR_FORMAT);
    j[len] = '\0';
    snprintf(j + len, sizeof(j) - len, "{}");
    expect_pub(j, ITEE_ERR_FORMAT);
    expect_pub("{\"e\":[1,0,0,1]}", ITEE_ERR_FORMAT);
    expect_pub("{\"n\":[1],\"e\":[1,0,0,1]}", ITEE_ERR_FORMAT);
    expect_pub("{}", ITEE_ERR_FORMAT);
    expect_pub("[]", ITEE_ERR_FORMAT);
    expect_pub("null", ITEE_ERR_FORMAT);
    expect_pub("", ITEE_ERR_FORMAT);
    expect_pub(
        "{\"n\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"e\":[]}",
        ITEE_ERR_FORMAT);
    expect_pub("{\"n\":{\"n\":{\"n\":{}}},\"e\":[1,0,0,1]}", ITEE_ERR_FORMAT);
    /* NUL inside the text, and an over-long text. */
    make_pub(j, sizeof(j), 384, "1", "7", "200", e);
    struct rsa_key *k = NULL;
    size_t jl = strlen(j);
    j[10] = '\0';
    assert_int_equal(rsa_public_from_json(&k, j, jl), ITEE_ERR_FORMAT);
    static char big[RSA_JSON_MAX_LEN + 2];
    memset(big, ' ', sizeof(big));
    make_pub(j, sizeof(j), 384, "1", "7", "200", e);
    memcpy(big, j, strlen(j));
    assert_int_equal(rsa_public_from_json(&k, big, RSA_JSON_MAX_LEN), ITEE_OK);
    rsa_key_free(k);
    assert_int_equal(rsa_public_from_json(&k, big, RSA_JSON_MAX_LEN + 1), ITEE_ERR_FORMAT);
    assert_int_equal(rsa_public_from_json(&k, NULL, 10), ITEE_ERR_ARG);
    assert_int_equal(rsa_public_from_json(NULL, j, strlen(j)), ITEE_ERR_ARG);
}

static void test_hostile_keypair_json(void **state)
{
    struct fixture *fx = *state;
    struct itee_buf js;
    itee_buf_init(&js, 0);
    assert_int_equal(rsa_keypair_to_json(fx->key, &js), ITEE_OK);
    struct rsa_key *k = NULL;
    /* Every truncation is malformed JSON (check a spread of cut points). */
    for (size_t cut = 0; cut < js.len; cut += 97) {
        assert_int_equal(rsa_keypair_from_json(&k, (const char *)js.ptr, cut), ITEE_ERR_FORMAT);
        assert_null(k);
    }
    /* Renaming a member. */
    char *t = (char *)js.ptr;
    for (size_t i = 0; i + 6 < js.len; i++)
        if (memcmp(t + i, "\"dmq1\"", 6) == 0) {
            t[i + 4] = 'p';
            break;
        }
    assert_int_equal(rsa_keypair_from_json(&k, t, js.len), ITEE_ERR_FORMAT);
    assert_int_equal(rsa_keypair_from_json(&k, "{}", 2), ITEE_ERR_FORMAT);
    assert_int_equal(rsa_keypair_from_json(NULL, "{}", 2), ITEE_ERR_ARG);
    itee_buf_free_secret(&js);
}

static void test_oom(void **state)
{
    struct fixture *fx = *state;
    struct itee_buf js;
    itee_buf_init(&js, 0);
    assert_int_equal(rsa_public_to_json(fx->key, &js), ITEE_OK);
    int done = 0;
    for (long n = 0; n < 10 && !done; n++) {
        struct rsa_key *k = NULL;
        itee_mem_fail_after(n);
        enum itee_err r = rsa_public_from_json(&k, (const char *)js.ptr, js.len);
        itee_mem_fail_after(-1);
        assert_true(r == ITEE_OK || r == ITEE_ERR_NOMEM);
        if (r == ITEE_OK)
            done = 1;
        else
            assert_null(k);
        rsa_key_free(k);
    }
    assert_true(done);
    itee_buf_free(&js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_roundtrip_lengths),
        cmocka_unit_test(test_public_json),
        cmocka_unit_test(test_keypair_json),
        cmocka_unit_test(test_wrong_key_and_damage),
        cmocka_unit_test(test_hostile_public_json),
        cmocka_unit_test(test_hostile_keypair_json),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
