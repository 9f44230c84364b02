/*
 * driver_metadata.c - conformance driver commands for the metadata builder (see driver.h).
 *
 *   metadata_mini                        -> ok <hex>   the spec's mini metadata, V14
 *   metadata_mini_v15                    -> ok <hex>   the same as V15 (+ outer enums, one API)
 *   metadata_random <seed> <ntypes> <v>  -> ok <hex>   mini + ntypes random types, V14/V15 (v)
 *   metadata_reencode <hex>              -> ok <hex> <version>  metadata_decode then encode
 *
 * A random registry extends the mini runtime with ntypes random types (composites named and
 * unnamed, variants with sparse indices and all field kinds, sequences, arrays, tuples,
 * compacts, Option, Result, primitives incl. str/u256/i256), each referring only to earlier
 * types, plus a pallet "Random" (index 9) with: one Plain storage entry "S<id>" per random type
 * (default = metadata_type_default), one constant "C<id>" per random type holding a random
 * value of that type (generated here by walking the registry), and a Call enum whose variants
 * take random types as arguments. The suite then checks polkadot-js decodes all of it.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/metadata.h"
#include "codec/scale.h"
#include "common/bytes.h"
#include "driver.h"

#include "../unit/metadata_mini.h"

/* splitmix64: a seeded generator (the library bans rand()). */
struct rng {
    uint64_t s; /* state */
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Returns: uniform-ish in [0, n). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return n == 0 ? 0 : (uint32_t)(rng_next(r) % n);
}

static void answer(struct drv_ctx *ctx, enum itee_err r, const struct itee_buf *out)
{
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
        return;
    }
    char *h = drv_hex_str(out->ptr, out->len);
    if (h == NULL) {
        drv_err(ctx, "oom");
        return;
    }
    drv_ok(ctx, "0x%s", h);
    free(h);
}

static void cmd_mini(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct metadata_builder *b = NULL;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err r = metadata_builder_new(&b);
    if (r == ITEE_OK) {
        metadata_mini_build(b);
        r = metadata_encode_v14(b, &out);
    }
    answer(ctx, r, &out);
    itee_buf_free(&out);
    metadata_builder_free(b);
}

/* Adds the V15 extras to a mini builder: a RuntimeError, outer enums, an API, a custom value. */
static void add_v15_extras(struct metadata_builder *b)
{
    uint32_t sys_err = metadata_type_find(b, "frame_system::pallet::Error");
    uint32_t bal_err = metadata_type_find(b, "pallet_balances::pallet::Error");
    struct metadata_outer_entry rows[] = {{"System", 0, sys_err}, {"Balances", 4, bal_err}};
    (void)metadata_type_outer_enum(b, "mini_runtime", METADATA_OUTER_ERROR, rows, 2);
    uint32_t acc = metadata_type_account_id32(b), u32t = metadata_type_u32(b);
    struct metadata_api_param in[] = {{"account", acc}};
    struct metadata_api_method m[] = {{.name = "account_nonce",
                                       .inputs = in,
                                       .n_inputs = 1,
                                       .output = u32t,
                                       .docs = "Get current account nonce of given `AccountId`."}};
    metadata_api_add(
        b, &(struct metadata_api){.name = "AccountNonceApi", .methods = m, .n_methods = 1});
    static const uint8_t v[] = {42, 0, 0, 0};
    metadata_custom_add(b, "answer", u32t, v, sizeof(v));
}

static void cmd_mini_v15(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct metadata_builder *b = NULL;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err r = metadata_builder_new(&b);
    if (r == ITEE_OK) {
        metadata_mini_build(b);
        add_v15_extras(b);
        r = metadata_encode_v15(b, &out);
    }
    answer(ctx, r, &out);
    itee_buf_free(&out);
    metadata_builder_free(b);
}

/* ---- random registries ---- */

/* Appends a random value of type id (the registry has no recursion among random types). */
static enum itee_err rand_value(const struct metadata_builder *b, struct rng *g, uint32_t id,
                                struct itee_buf *out, unsigned depth)
{
    const struct metadata_type *t = metadata_type_get(b, id);
    enum itee_err r = ITEE_OK;
    if (t == NULL || depth > 40)
        return ITEE_ERR_ARG;
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        for (size_t i = 0; i < t->n_fields && r == ITEE_OK; i++)
            r = rand_value(b, g, t->fields[i].ty, out, depth + 1);
        return r;
    case METADATA_DEF_VARIANT: {
        if (t->n_variants == 0)
            return ITEE_ERR_ARG;
        const struct metadata_variant *v = &t->variants[rng_below(g, (uint32_t)t->n_variants)];
        r = scale_put_u8(out, v->index);
        for (size_t i = 0; i < v->n_fields && r == ITEE_OK; i++)
            r = rand_value(b, g, v->fields[i].ty, out, depth + 1);
        return r;
    }
    case METADATA_DEF_SEQUENCE: {
        uint32_t n = rng_below(g, 4);
        r = scale_put_compact(out, n);
        for (uint32_t i = 0; i < n && r == ITEE_OK; i++)
            r = rand_value(b, g, t->elem, out, depth + 1);
        return r;
    }
    case METADATA_DEF_ARRAY:
        for (uint32_t i = 0; i < t->len && r == ITEE_OK; i++)
            r = rand_value(b, g, t->elem, out, depth + 1);
        return r;
    case METADATA_DEF_TUPLE:
        for (size_t i = 0; i < t->n_tuple && r == ITEE_OK; i++)
            r = rand_value(b, g, t->tuple[i], out, depth + 1);
        return r;
    case METADATA_DEF_COMPACT: {
        const struct metadata_type *e = metadata_type_get(b, t->elem);
        if (e == NULL || e->def != METADATA_DEF_PRIMITIVE)
            return ITEE_ERR_ARG;
        unsigned bits = e->prim == METADATA_PRIM_U8    ? 8
                        : e->prim == METADATA_PRIM_U16 ? 16
                        : e->prim == METADATA_PRIM_U32 ? 32
                                                       : 64;
        uint64_t v = rng_next(g);
        v >>= rng_below(g, 64); /* small values too, to hit every compact mode */
        if (bits < 64)
            v &= (UINT64_C(1) << bits) - 1;
        if (e->prim == METADATA_PRIM_U128 && rng_below(g, 4) == 0) {
            itee_u128 w = ((itee_u128)rng_next(g) << 64) | rng_next(g);
            return scale_put_compact_u128(out, w >> rng_below(g, 128));
        }
        return scale_put_compact(out, v);
    }
    case METADATA_DEF_PRIMITIVE: {
        static const uint8_t width[] = {1, 4, 0, 1, 2, 4, 8, 16, 32, 1, 2, 4, 8, 16, 32};
        if (t->prim == METADATA_PRIM_BOOL)
            return scale_put_u8(out, (uint8_t)rng_below(g, 2));
        if (t->prim == METADATA_PRIM_STR) {
            char s[12];
            uint32_t n = rng_below(g, sizeof(s));
            for (uint32_t i = 0; i < n; i++)
                s[i] = (char)('a' + rng_below(g, 26));
            return scale_put_str(out, s, n);
        }
        for (unsigned i = 0; i < width[t->prim] && r == ITEE_OK; i++)
            r = scale_put_u8(out, (uint8_t)rng_next(g));
        return r;
    }
    case METADATA_DEF_BITSEQ:
        return ITEE_ERR_UNSUPPORTED;
    }
    return ITEE_ERR_ARG;
}

/* Picks a random existing random-area type (or a primitive) as a child. */
static uint32_t pick(struct rng *g, const uint32_t *ids, size_t n)
{
    return ids[rng_below(g, (uint32_t)n)];
}

/* Registers one random type built from earlier ones; returns its id. */
static uint32_t rand_type(struct metadata_builder *b, struct rng *g, const uint32_t *ids, size_t n,
                          uint32_t serial)
{
    char path[48];
    struct metadata_field f[6];
    struct metadata_variant v[6];
    struct metadata_field vf[6][3];
    static const char *const fnames[] = {"a", "b_c", "dest", "value", "who", "x_y_z"};
    static const char *const vnames[] = {"Alpha", "beta_call", "Gamma", "Delta", "eps", "Zeta"};
    uint32_t kind = rng_below(g, 10);
    switch (kind) {
    case 0:
    case 1: { /* composite, named or unnamed fields */
        size_t nf = rng_below(g, 5);
        bool named = rng_below(g, 2) == 0;
        for (size_t i = 0; i < nf; i++)
            f[i] = (struct metadata_field){.name = named ? fnames[i] : NULL,
                                           .ty = pick(g, ids, n),
                                           .type_name = rng_below(g, 2) ? "T::Thing" : NULL};
        (void)snprintf(path, sizeof(path), "rnd::module%u::Struct%u", serial % 7, serial);
        return metadata_type_composite(b, path, NULL, 0, f, nf);
    }
    case 2:
    case 3: { /* variant with sparse indices */
        size_t nv = 1 + rng_below(g, 5);
        uint8_t used[256] = {0};
        for (size_t i = 0; i < nv; i++) {
            uint8_t idx;
            do
                idx = (uint8_t)(rng_below(g, 3) == 0 ? rng_below(g, 256) : rng_below(g, 8));
            while (used[idx]);
            used[idx] = 1;
            size_t nf = rng_below(g, 4);
            bool named = rng_below(g, 2) == 0;
            for (size_t j = 0; j < nf; j++)
                vf[i][j] = (struct metadata_field){.name = named ? fnames[j] : NULL,
                                                   .ty = pick(g, ids, n)};
            v[i] = (struct metadata_variant){
                .name = vnames[i], .index = idx, .fields = vf[i], .n_fields = nf};
        }
        (void)snprintf(path, sizeof(path), "rnd::Enum%u", serial);
        struct metadata_param p[] = {{"T", METADATA_TY_NONE}};
        return metadata_type_variant(b, path, p, rng_below(g, 2), v, nv);
    }
    case 4:
        return metadata_type_vec(b, pick(g, ids, n));
    case 5:
        return metadata_type_array(b, 1 + rng_below(g, 4), pick(g, ids, n));
    case 6: {
        uint32_t tup[4];
        size_t nt = rng_below(g, 5);
        for (size_t i = 0; i < nt; i++)
            tup[i] = pick(g, ids, n);
        return metadata_type_tuple(b, tup, nt);
    }
    case 7: {
        static const enum metadata_prim un[] = {METADATA_PRIM_U8, METADATA_PRIM_U16,
                                                METADATA_PRIM_U32, METADATA_PRIM_U64,
                                                METADATA_PRIM_U128};
        return metadata_type_compact(b, metadata_type_prim(b, un[rng_below(g, 5)]));
    }
    case 8:
        return metadata_type_option(b, pick(g, ids, n));
    default:
        return metadata_type_result(b, pick(g, ids, n), pick(g, ids, n));
    }
}

static void cmd_random(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct rng g = {strtoull(argv[0], NULL, 10)};
    size_t ntypes = strtoul(argv[1], NULL, 10);
    int version = (int)strtol(argv[2], NULL, 10);
    if (ntypes == 0 || ntypes > 2000 || (version != 14 && version != 15)) {
        drv_err(ctx, "bad arguments");
        return;
    }
    struct metadata_builder *b = NULL;
    struct itee_buf out, val;
    itee_buf_init(&out, 0);
    itee_buf_init(&val, 0);
    uint32_t *ids = calloc(ntypes + 16, sizeof(*ids));
    uint32_t *mine = calloc(ntypes, sizeof(*mine));
    struct metadata_storage_entry *st = calloc(ntypes, sizeof(*st));
    struct metadata_constant *cs = calloc(ntypes, sizeof(*cs));
    char(*names)[16] = calloc(2 * ntypes, sizeof(*names));
    uint8_t **vals = calloc(ntypes, sizeof(*vals));
    enum itee_err r = ITEE_ERR_NOMEM;
    if (ids == NULL || mine == NULL || st == NULL || cs == NULL || names == NULL || vals == NULL)
        goto out;
    r = metadata_builder_new(&b);
    if (r != ITEE_OK)
        goto out;
    metadata_mini_build(b);
    if (version == 15)
        add_v15_extras(b);
    /* the pool children are drawn from: primitives, then every random type */
    static const enum metadata_prim prims[] = {
        METADATA_PRIM_BOOL, METADATA_PRIM_STR, METADATA_PRIM_U8,   METADATA_PRIM_U16,
        METADATA_PRIM_U32,  METADATA_PRIM_U64, METADATA_PRIM_U128, METADATA_PRIM_U256,
        METADATA_PRIM_I8,   METADATA_PRIM_I16, METADATA_PRIM_I32,  METADATA_PRIM_I64,
        METADATA_PRIM_I128, METADATA_PRIM_I256};
    size_t n = 0;
    for (size_t i = 0; i < METADATA_LEN(prims); i++)
        ids[n++] = metadata_type_prim(b, prims[i]);
    for (size_t i = 0; i < ntypes; i++) {
        mine[i] = rand_type(b, &g, ids, n, (uint32_t)i);
        ids[n++] = mine[i];
    }
    /* a Call enum with random argument types */
    struct metadata_field cf[4][2];
    struct metadata_variant cv[4];
    static const char *const cnames[] = {"do_it", "set_thing", "force_x", "noop"};
    for (size_t i = 0; i < 4; i++) {
        size_t nf = rng_below(&g, 3);
        for (size_t j = 0; j < nf; j++)
            cf[i][j] = (struct metadata_field){
                .name = j ? "second" : "first", .ty = pick(&g, ids, n), .type_name = "Arg"};
        cv[i] = (struct metadata_variant){
            .name = cnames[i], .index = (uint8_t)(i * 3), .fields = cf[i], .n_fields = nf};
    }
    uint32_t call = metadata_type_pallet_enum(b, "pallet_random::pallet::Call", "T", cv, 4);
    r = metadata_builder_status(b);
    if (r != ITEE_OK)
        goto out;
    for (size_t i = 0; i < ntypes; i++) {
        (void)snprintf(names[2 * i], 16, "S%zu", i);
        (void)snprintf(names[2 * i + 1], 16, "C%zu", i);
        itee_buf_reset(&val);
        r = rand_value(b, &g, mine[i], &val, 0);
        if (r != ITEE_OK)
            goto out;
        vals[i] = malloc(val.len + 1);
        if (vals[i] == NULL) {
            r = ITEE_ERR_NOMEM;
            goto out;
        }
        if (val.len > 0)
            memcpy(vals[i], val.ptr, val.len);
        st[i] = (struct metadata_storage_entry){
            .name = names[2 * i], .modifier = METADATA_DEFAULT, .value = mine[i]};
        cs[i] = (struct metadata_constant){
            .name = names[2 * i + 1], .ty = mine[i], .value = vals[i], .value_len = val.len};
    }
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Random",
                                                     .index = 9,
                                                     .storage_prefix = "Random",
                                                     .storage = st,
                                                     .n_storage = ntypes,
                                                     .calls = call,
                                                     .events = METADATA_TY_NONE,
                                                     .errors = METADATA_TY_NONE,
                                                     .constants = cs,
                                                     .n_constants = ntypes});
    r = version == 14 ? metadata_encode_v14(b, &out) : metadata_encode_v15(b, &out);
out:
    answer(ctx, r, &out);
    if (vals != NULL)
        for (size_t i = 0; i < ntypes; i++)
            free(vals[i]);
    free(vals);
    free(names);
    free(cs);
    free(st);
    free(mine);
    free(ids);
    itee_buf_free(&val);
    itee_buf_free(&out);
    metadata_builder_free(b);
}

static void cmd_reencode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len = 0;
    uint8_t *blob = drv_hex_arg(argv[0], &len);
    if (blob == NULL) {
        drv_err(ctx, "bad hex");
        return;
    }
    struct metadata_builder *b = NULL;
    uint32_t version = 0;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err r = metadata_decode(blob, len, &b, &version);
    if (r == ITEE_OK)
        r = version == METADATA_V14 ? metadata_encode_v14(b, &out) : metadata_encode_v15(b, &out);
    char *h = r == ITEE_OK ? drv_hex_str(out.ptr, out.len) : NULL;
    if (r != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(r));
    else if (h == NULL)
        drv_err(ctx, "oom");
    else
        drv_ok(ctx, "0x%s %u", h, version);
    free(h);
    free(blob);
    itee_buf_free(&out);
    metadata_builder_free(b);
}

const struct drv_cmd drv_cmds_metadata[] = {
    {"metadata_mini", 0, cmd_mini},
    {"metadata_mini_v15", 0, cmd_mini_v15},
    {"metadata_random", 3, cmd_random},
    {"metadata_reencode", 1, cmd_reencode},
    {NULL, 0, NULL},
};
