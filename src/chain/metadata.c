/*
 * metadata.c - the runtime metadata builder (see metadata.h; spec substrate-compat.md 8).
 *
 * Everything the caller passes is deep-copied into an arena owned by the builder, so a pallet
 * may describe itself from stack tables. Each type is kept both as its description (for
 * metadata_type_default and for consumers walking the registry) and as its encoding, whose
 * identity part (path+params, or the whole encoding for path-less types) deduplicates.
 * Pallets, APIs and custom entries are kept as descriptions and encoded on demand, because
 * storage defaults may depend on types defined after the pallet was added.
 */
#include "chain/metadata.h"

#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"

/* Largest nesting metadata_type_default follows (recursive types must pass through a Vec). */
#define MD_MAX_DEPTH 64
/* Arena chunk size; larger requests get a chunk of their own. */
#define MD_CHUNK 16384

/* One arena chunk; the data follows the header. */
struct md_chunk {
    struct md_chunk *next; /* previously filled chunk */
    size_t used;           /* bytes handed out */
    size_t cap;            /* bytes available after the header */
    alignas(max_align_t) unsigned char data[];
};

/* One registry slot. */
struct md_slot {
    uint64_t hash;          /* FNV-1a of key, to skip most comparisons */
    uint8_t *key;           /* identity bytes (arena) */
    size_t key_len;         /* length of key */
    uint8_t *enc;           /* full Type encoding without the id (arena); NULL while reserved */
    size_t enc_len;         /* length of enc */
    bool defined;           /* false for a reserved, not yet defined slot */
    struct metadata_type t; /* the copied description (valid once defined) */
};

/* One V15 custom metadata entry. */
struct md_custom {
    const char *name;     /* key */
    uint32_t ty;          /* value type */
    const uint8_t *value; /* encoded value (arena) */
    size_t len;           /* length of value */
};

struct metadata_builder {
    enum itee_err err;               /* first error recorded (sticky) */
    struct md_chunk *arena;          /* newest arena chunk */
    struct md_slot *types;           /* the registry, id = index */
    size_t n_types;                  /* number of types */
    size_t cap_types;                /* allocated slots */
    struct metadata_pallet *pallets; /* pallets (copies) in order added */
    size_t n_pallets;                /* number of pallets */
    size_t cap_pallets;              /* allocated pallets */
    struct metadata_api *apis;       /* V15 runtime APIs (copies) */
    size_t n_apis;                   /* number of APIs */
    size_t cap_apis;                 /* allocated APIs */
    struct md_custom *custom;        /* V15 custom entries */
    size_t n_custom;                 /* number of custom entries */
    size_t cap_custom;               /* allocated custom entries */
    bool has_extrinsic;              /* metadata_extrinsic_set was called */
    struct metadata_extrinsic ext;   /* the extrinsic description (copy) */
    uint32_t runtime_ty;             /* the Runtime type, or METADATA_TY_NONE */
    bool has_outer;                  /* metadata_outer_enums_set was called */
    uint32_t outer[3];               /* V15 outer enums: call, event, error */
};

/* ---- sticky errors and the arena ---- */

static void fail(struct metadata_builder *b, enum itee_err e)
{
    if (b->err == ITEE_OK)
        b->err = e;
}

static void *arena_alloc(struct metadata_builder *b, size_t n)
{
    if (b->err != ITEE_OK)
        return NULL;
    n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    if (n == 0)
        n = alignof(max_align_t);
    struct md_chunk *c = b->arena;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > MD_CHUNK ? n : MD_CHUNK;
        struct md_chunk *nc = itee_alloc(sizeof(*nc) + cap);
        if (nc == NULL) {
            fail(b, ITEE_ERR_NOMEM);
            return NULL;
        }
        nc->cap = cap;
        nc->used = 0;
        /* a big one-off chunk goes behind the current one so its free space stays usable */
        if (c != NULL && n > MD_CHUNK) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            b->arena = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

static void *arena_dup(struct metadata_builder *b, const void *p, size_t n)
{
    if (p == NULL || n == 0)
        return NULL;
    void *q = arena_alloc(b, n);
    if (q != NULL)
        memcpy(q, p, n);
    return q;
}

static const char *arena_str(struct metadata_builder *b, const char *s)
{
    if (s == NULL)
        return NULL;
    return arena_dup(b, s, strlen(s) + 1);
}

/* Grows *arr (elements of size sz) to hold n+1; returns false (error recorded) on failure. */
static bool grow(struct metadata_builder *b, void **arr, size_t *cap, size_t n, size_t sz)
{
    if (b->err != ITEE_OK)
        return false;
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    if (ncap > SIZE_MAX / sz) {
        fail(b, ITEE_ERR_NOMEM);
        return false;
    }
    void *p = itee_realloc(*arr, ncap * sz);
    if (p == NULL) {
        fail(b, ITEE_ERR_NOMEM);
        return false;
    }
    *arr = p;
    *cap = ncap;
    return true;
}

/* ---- a sticky encoder over an itee_buf ---- */

struct enc {
    struct itee_buf *out; /* destination */
    enum itee_err err;    /* first error */
};

static void e_u8(struct enc *e, uint8_t v)
{
    if (e->err == ITEE_OK)
        e->err = scale_put_u8(e->out, v);
}

static void e_u32(struct enc *e, uint32_t v)
{
    if (e->err == ITEE_OK)
        e->err = scale_put_u32(e->out, v);
}

static void e_compact(struct enc *e, uint64_t v)
{
    if (e->err == ITEE_OK)
        e->err = scale_put_compact(e->out, v);
}

static void e_raw(struct enc *e, const uint8_t *p, size_t n)
{
    if (e->err == ITEE_OK && n > 0)
        e->err = scale_put_bytes(e->out, p, n);
}

static void e_bytes(struct enc *e, const uint8_t *p, size_t n)
{
    if (e->err == ITEE_OK)
        e->err = scale_put_vec_u8(e->out, p, n);
}

static void e_strn(struct enc *e, const char *s, size_t n)
{
    if (e->err == ITEE_OK)
        e->err = scale_put_str(e->out, s, n);
}

static void e_str(struct enc *e, const char *s)
{
    e_strn(e, s, s != NULL ? strlen(s) : 0);
}

static void e_opt_str(struct enc *e, const char *s)
{
    e_u8(e, s != NULL);
    if (s != NULL)
        e_str(e, s);
}

/* Vec<String> of the pieces of s separated by sep (NULL or "" -> empty Vec). */
static void e_split(struct enc *e, const char *s, const char *sep)
{
    if (s == NULL || s[0] == '\0') {
        e_compact(e, 0);
        return;
    }
    size_t seplen = strlen(sep), n = 1;
    for (const char *p = strstr(s, sep); p != NULL; p = strstr(p + seplen, sep))
        n++;
    e_compact(e, n);
    const char *start = s;
    for (const char *p = strstr(s, sep); p != NULL; p = strstr(p + seplen, sep)) {
        e_strn(e, start, (size_t)(p - start));
        start = p + seplen;
    }
    e_str(e, start);
}

static void e_docs(struct enc *e, const char *docs)
{
    e_split(e, docs, "\n");
}

/* ---- type descriptions: checking, copying, encoding ---- */

/* True iff ty names a slot (reserved or defined) of b, given the registry size limit. */
static bool ref_ok(uint32_t ty, size_t limit)
{
    return ty != METADATA_TY_NONE && ty < limit;
}

static bool fields_ok(const struct metadata_field *f, size_t n, size_t limit)
{
    if (n > 0 && f == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ref_ok(f[i].ty, limit))
            return false;
    return true;
}

/* Checks every reference in t is below limit and the definition is well-formed. */
static bool type_ok(const struct metadata_type *t, size_t limit)
{
    if (t->n_params > 0 && t->params == NULL)
        return false;
    for (size_t i = 0; i < t->n_params; i++)
        if (t->params[i].name == NULL ||
            (t->params[i].ty != METADATA_TY_NONE && t->params[i].ty >= limit))
            return false;
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        return fields_ok(t->fields, t->n_fields, limit);
    case METADATA_DEF_VARIANT: {
        uint8_t seen[32] = {0};
        if (t->n_variants > 256 || (t->n_variants > 0 && t->variants == NULL))
            return false;
        for (size_t i = 0; i < t->n_variants; i++) {
            const struct metadata_variant *v = &t->variants[i];
            if (v->name == NULL || (seen[v->index / 8] & (1u << (v->index % 8))) != 0 ||
                !fields_ok(v->fields, v->n_fields, limit))
                return false;
            seen[v->index / 8] |= (uint8_t)(1u << (v->index % 8));
        }
        return true;
    }
    case METADATA_DEF_SEQUENCE:
    case METADATA_DEF_ARRAY:
    case METADATA_DEF_COMPACT:
        return ref_ok(t->elem, limit);
    case METADATA_DEF_TUPLE:
        if (t->n_tuple > 0 && t->tuple == NULL)
            return false;
        for (size_t i = 0; i < t->n_tuple; i++)
            if (!ref_ok(t->tuple[i], limit))
                return false;
        return true;
    case METADATA_DEF_PRIMITIVE:
        return (unsigned)t->prim <= METADATA_PRIM_I256;
    case METADATA_DEF_BITSEQ:
        return ref_ok(t->elem, limit) && ref_ok(t->order, limit);
    }
    return false;
}

static const struct metadata_field *fields_copy(struct metadata_builder *b,
                                                const struct metadata_field *f, size_t n)
{
    if (n == 0)
        return NULL;
    struct metadata_field *c = arena_alloc(b, n * sizeof(*c));
    if (c == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        c[i].name = arena_str(b, f[i].name);
        c[i].ty = f[i].ty;
        c[i].type_name = arena_str(b, f[i].type_name);
        c[i].docs = arena_str(b, f[i].docs);
    }
    return c;
}

/* Deep-copies t into the arena (errors recorded in b). */
static void type_copy(struct metadata_builder *b, struct metadata_type *dst,
                      const struct metadata_type *t)
{
    *dst = *t;
    dst->path = arena_str(b, t->path != NULL && t->path[0] != '\0' ? t->path : NULL);
    dst->docs = arena_str(b, t->docs);
    struct metadata_param *p = NULL;
    if (t->n_params > 0 && (p = arena_alloc(b, t->n_params * sizeof(*p))) != NULL)
        for (size_t i = 0; i < t->n_params; i++) {
            p[i].name = arena_str(b, t->params[i].name);
            p[i].ty = t->params[i].ty;
        }
    dst->params = p;
    dst->fields = NULL;
    dst->variants = NULL;
    dst->tuple = NULL;
    if (t->def == METADATA_DEF_COMPOSITE)
        dst->fields = fields_copy(b, t->fields, t->n_fields);
    else
        dst->n_fields = 0;
    if (t->def == METADATA_DEF_VARIANT && t->n_variants > 0) {
        struct metadata_variant *v = arena_alloc(b, t->n_variants * sizeof(*v));
        if (v != NULL)
            for (size_t i = 0; i < t->n_variants; i++) {
                v[i] = t->variants[i];
                v[i].name = arena_str(b, t->variants[i].name);
                v[i].docs = arena_str(b, t->variants[i].docs);
                v[i].fields = fields_copy(b, t->variants[i].fields, t->variants[i].n_fields);
            }
        dst->variants = v;
    } else if (t->def != METADATA_DEF_VARIANT) {
        dst->n_variants = 0;
    }
    if (t->def == METADATA_DEF_TUPLE)
        dst->tuple = arena_dup(b, t->tuple, t->n_tuple * sizeof(uint32_t));
    else
        dst->n_tuple = 0;
}

static void enc_path_params(struct enc *e, const char *path, const struct metadata_param *p,
                            size_t n)
{
    e_split(e, path != NULL && path[0] != '\0' ? path : NULL, "::");
    e_compact(e, n);
    for (size_t i = 0; i < n; i++) {
        e_str(e, p[i].name);
        e_u8(e, p[i].ty != METADATA_TY_NONE);
        if (p[i].ty != METADATA_TY_NONE)
            e_compact(e, p[i].ty);
    }
}

static void enc_fields(struct enc *e, const struct metadata_field *f, size_t n)
{
    e_compact(e, n);
    for (size_t i = 0; i < n; i++) {
        e_opt_str(e, f[i].name);
        e_compact(e, f[i].ty);
        e_opt_str(e, f[i].type_name);
        e_docs(e, f[i].docs);
    }
}

/* Encodes a Type (path, params, def, docs). */
static void enc_type(struct enc *e, const struct metadata_type *t)
{
    enc_path_params(e, t->path, t->params, t->n_params);
    e_u8(e, (uint8_t)t->def);
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        enc_fields(e, t->fields, t->n_fields);
        break;
    case METADATA_DEF_VARIANT:
        e_compact(e, t->n_variants);
        for (size_t i = 0; i < t->n_variants; i++) {
            const struct metadata_variant *v = &t->variants[i];
            e_str(e, v->name);
            enc_fields(e, v->fields, v->n_fields);
            e_u8(e, v->index);
            e_docs(e, v->docs);
        }
        break;
    case METADATA_DEF_SEQUENCE:
    case METADATA_DEF_COMPACT:
        e_compact(e, t->elem);
        break;
    case METADATA_DEF_ARRAY:
        e_u32(e, t->len);
        e_compact(e, t->elem);
        break;
    case METADATA_DEF_TUPLE:
        e_compact(e, t->n_tuple);
        for (size_t i = 0; i < t->n_tuple; i++)
            e_compact(e, t->tuple[i]);
        break;
    case METADATA_DEF_PRIMITIVE:
        e_u8(e, (uint8_t)t->prim);
        break;
    case METADATA_DEF_BITSEQ:
        e_compact(e, t->elem);
        e_compact(e, t->order);
        break;
    }
    e_docs(e, t->docs);
}

/* Identity bytes: 01 || path || params for a type with a path, 00 || encoding otherwise. */
static void enc_key(struct enc *e, const struct metadata_type *t)
{
    bool has_path = t->path != NULL && t->path[0] != '\0';
    e_u8(e, has_path);
    if (has_path)
        enc_path_params(e, t->path, t->params, t->n_params);
    else
        enc_type(e, t);
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

/* Returns: the id of the slot with this key, or METADATA_TY_NONE. */
static uint32_t slot_find(const struct metadata_builder *b, const uint8_t *key, size_t len,
                          uint64_t h)
{
    for (size_t i = 0; i < b->n_types; i++) {
        const struct md_slot *s = &b->types[i];
        if (s->hash == h && s->key_len == len && memcmp(s->key, key, len) == 0)
            return (uint32_t)i;
    }
    return METADATA_TY_NONE;
}

/* Fills slot s from t (checked against limit); records errors. */
static void slot_define(struct metadata_builder *b, struct md_slot *s,
                        const struct metadata_type *t, const struct itee_buf *enc)
{
    type_copy(b, &s->t, t);
    s->enc = arena_dup(b, enc->ptr, enc->len);
    s->enc_len = enc->len;
    if (b->err == ITEE_OK)
        s->defined = true;
}

/*
 * Adds or finds a type. reserve_only: register the identity only (t holds path/params).
 * define_id: fill that reserved slot instead of looking up.
 */
static uint32_t type_put(struct metadata_builder *b, const struct metadata_type *t,
                         bool reserve_only, uint32_t define_id)
{
    uint32_t id = METADATA_TY_NONE;
    struct itee_buf kb, eb;
    itee_buf_init(&kb, 0);
    itee_buf_init(&eb, 0);
    if (b->err != ITEE_OK)
        goto out;
    if (t == NULL || b->n_types >= UINT32_MAX - 1 || (!reserve_only && !type_ok(t, b->n_types))) {
        fail(b, ITEE_ERR_ARG);
        goto out;
    }
    struct enc ke = {&kb, ITEE_OK}, ee = {&eb, ITEE_OK};
    enc_key(&ke, t);
    if (!reserve_only)
        enc_type(&ee, t);
    if (ke.err != ITEE_OK || ee.err != ITEE_OK) {
        fail(b, ke.err != ITEE_OK ? ke.err : ee.err);
        goto out;
    }
    uint64_t h = fnv(kb.ptr, kb.len);
    uint32_t found = slot_find(b, kb.ptr, kb.len, h);
    if (define_id != METADATA_TY_NONE) {
        if (found != define_id || b->types[found].defined) {
            fail(b, ITEE_ERR_ARG);
            goto out;
        }
        slot_define(b, &b->types[found], t, &eb);
        id = b->err == ITEE_OK ? found : METADATA_TY_NONE;
        goto out;
    }
    if (found != METADATA_TY_NONE) {
        const struct md_slot *s = &b->types[found];
        /* same identity: fine if reserving again, or identical definition, or still reserved */
        if (!reserve_only && s->defined &&
            (s->enc_len != eb.len || memcmp(s->enc, eb.ptr, eb.len) != 0)) {
            fail(b, ITEE_ERR_ARG);
            goto out;
        }
        if (!reserve_only && !s->defined) {
            fail(b, ITEE_ERR_ARG); /* a reserved type must be defined with metadata_type_define */
            goto out;
        }
        id = found;
        goto out;
    }
    if (!grow(b, (void **)&b->types, &b->cap_types, b->n_types, sizeof(*b->types)))
        goto out;
    struct md_slot *s = &b->types[b->n_types];
    memset(s, 0, sizeof(*s));
    s->hash = h;
    s->key = arena_dup(b, kb.ptr, kb.len);
    s->key_len = kb.len;
    if (reserve_only) {
        /* keep path and params so metadata_type_find and V15 derivation can see them */
        type_copy(b, &s->t, t);
    } else {
        slot_define(b, s, t, &eb);
    }
    if (b->err != ITEE_OK)
        goto out;
    id = (uint32_t)b->n_types++;
out:
    itee_buf_free(&kb);
    itee_buf_free(&eb);
    return id;
}

/* ---- public: builder ---- */

enum itee_err metadata_builder_new(struct metadata_builder **out)
{
    *out = NULL;
    struct metadata_builder *b = itee_zalloc(sizeof(*b));
    if (b == NULL)
        return ITEE_ERR_NOMEM;
    b->runtime_ty = METADATA_TY_NONE;
    *out = b;
    return ITEE_OK;
}

void metadata_builder_free(struct metadata_builder *b)
{
    if (b == NULL)
        return;
    struct md_chunk *c = b->arena;
    while (c != NULL) {
        struct md_chunk *next = c->next;
        itee_free(c);
        c = next;
    }
    itee_free(b->types);
    itee_free(b->pallets);
    itee_free(b->apis);
    itee_free(b->custom);
    itee_free(b);
}

enum itee_err metadata_builder_status(const struct metadata_builder *b)
{
    return b->err;
}

/* ---- public: types ---- */

uint32_t metadata_type_add(struct metadata_builder *b, const struct metadata_type *t)
{
    return type_put(b, t, false, METADATA_TY_NONE);
}

uint32_t metadata_type_reserve(struct metadata_builder *b, const char *path,
                               const struct metadata_param *params, size_t n_params)
{
    if (path == NULL || path[0] == '\0') {
        fail(b, ITEE_ERR_ARG);
        return METADATA_TY_NONE;
    }
    struct metadata_type t = {
        .path = path, .params = params, .n_params = n_params, .def = METADATA_DEF_TUPLE};
    return type_put(b, &t, true, METADATA_TY_NONE);
}

void metadata_type_define(struct metadata_builder *b, uint32_t id, const struct metadata_type *t)
{
    if (b->err == ITEE_OK && (id >= b->n_types || t == NULL || !type_ok(t, b->n_types))) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    (void)type_put(b, t, false, id);
}

uint32_t metadata_type_prim(struct metadata_builder *b, enum metadata_prim p)
{
    struct metadata_type t = {.def = METADATA_DEF_PRIMITIVE, .prim = p};
    return metadata_type_add(b, &t);
}

uint32_t metadata_type_bool(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_BOOL);
}

uint32_t metadata_type_str(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_STR);
}

uint32_t metadata_type_u8(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_U8);
}

uint32_t metadata_type_u16(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_U16);
}

uint32_t metadata_type_u32(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_U32);
}

uint32_t metadata_type_u64(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_U64);
}

uint32_t metadata_type_u128(struct metadata_builder *b)
{
    return metadata_type_prim(b, METADATA_PRIM_U128);
}

uint32_t metadata_type_array(struct metadata_builder *b, uint32_t len, uint32_t elem)
{
    struct metadata_type t = {.def = METADATA_DEF_ARRAY, .len = len, .elem = elem};
    return metadata_type_add(b, &t);
}

uint32_t metadata_type_vec(struct metadata_builder *b, uint32_t elem)
{
    struct metadata_type t = {.def = METADATA_DEF_SEQUENCE, .elem = elem};
    return metadata_type_add(b, &t);
}

uint32_t metadata_type_bytes(struct metadata_builder *b)
{
    return metadata_type_vec(b, metadata_type_u8(b));
}

uint32_t metadata_type_compact(struct metadata_builder *b, uint32_t elem)
{
    struct metadata_type t = {.def = METADATA_DEF_COMPACT, .elem = elem};
    return metadata_type_add(b, &t);
}

uint32_t metadata_type_tuple(struct metadata_builder *b, const uint32_t *elems, size_t n)
{
    struct metadata_type t = {.def = METADATA_DEF_TUPLE, .tuple = elems, .n_tuple = n};
    return metadata_type_add(b, &t);
}

uint32_t metadata_type_unit(struct metadata_builder *b)
{
    return metadata_type_tuple(b, NULL, 0);
}

uint32_t metadata_type_option(struct metadata_builder *b, uint32_t inner)
{
    struct metadata_param p[] = {{"T", inner}};
    struct metadata_field f[] = {{.ty = inner, .type_name = "T"}};
    struct metadata_variant v[] = {{.name = "None", .index = 0},
                                   {.name = "Some", .index = 1, .fields = f, .n_fields = 1}};
    return metadata_type_variant(b, "Option", p, 1, v, 2);
}

uint32_t metadata_type_result(struct metadata_builder *b, uint32_t ok, uint32_t err)
{
    struct metadata_param p[] = {{"T", ok}, {"E", err}};
    struct metadata_field fo[] = {{.ty = ok, .type_name = "T"}};
    struct metadata_field fe[] = {{.ty = err, .type_name = "E"}};
    struct metadata_variant v[] = {{.name = "Ok", .index = 0, .fields = fo, .n_fields = 1},
                                   {.name = "Err", .index = 1, .fields = fe, .n_fields = 1}};
    return metadata_type_variant(b, "Result", p, 2, v, 2);
}

uint32_t metadata_type_composite(struct metadata_builder *b, const char *path,
                                 const struct metadata_param *params, size_t n_params,
                                 const struct metadata_field *fields, size_t n_fields)
{
    struct metadata_type t = {.path = path,
                              .params = params,
                              .n_params = n_params,
                              .def = METADATA_DEF_COMPOSITE,
                              .fields = fields,
                              .n_fields = n_fields};
    return metadata_type_add(b, &t);
}

uint32_t metadata_type_variant(struct metadata_builder *b, const char *path,
                               const struct metadata_param *params, size_t n_params,
                               const struct metadata_variant *variants, size_t n_variants)
{
    struct metadata_type t = {.path = path,
                              .params = params,
                              .n_params = n_params,
                              .def = METADATA_DEF_VARIANT,
                              .variants = variants,
                              .n_variants = n_variants};
    return metadata_type_add(b, &t);
}

/* Splits "T,I" into type-less params (at most 8). Returns: the count, or -1 if too many. */
static int generics_parse(struct metadata_builder *b, const char *g, struct metadata_param p[8])
{
    int n = 0;
    if (g == NULL || g[0] == '\0')
        return 0;
    const char *s = g;
    for (;;) {
        const char *c = strchr(s, ',');
        size_t len = c != NULL ? (size_t)(c - s) : strlen(s);
        if (n == 8)
            return -1;
        char *name = arena_alloc(b, len + 1);
        if (name == NULL)
            return -1;
        memcpy(name, s, len);
        name[len] = '\0';
        p[n].name = name;
        p[n].ty = METADATA_TY_NONE;
        n++;
        if (c == NULL)
            return n;
        s = c + 1;
    }
}

uint32_t metadata_type_pallet_enum(struct metadata_builder *b, const char *path,
                                   const char *generics, const struct metadata_variant *variants,
                                   size_t n_variants)
{
    struct metadata_param p[8];
    int n = generics_parse(b, generics, p);
    if (n < 0) {
        fail(b, ITEE_ERR_ARG);
        return METADATA_TY_NONE;
    }
    return metadata_type_variant(b, path, p, (size_t)n, variants, n_variants);
}

uint32_t metadata_type_unit_enum(struct metadata_builder *b, const char *path, const char *generics,
                                 const char *const *names, size_t n)
{
    if (b->err != ITEE_OK)
        return METADATA_TY_NONE;
    if (n > 256 || (n > 0 && names == NULL)) {
        fail(b, ITEE_ERR_ARG);
        return METADATA_TY_NONE;
    }
    struct metadata_variant *v = arena_alloc(b, (n ? n : 1) * sizeof(*v));
    if (v == NULL)
        return METADATA_TY_NONE;
    for (size_t i = 0; i < n; i++)
        v[i] = (struct metadata_variant){.name = names[i], .index = (uint8_t)i};
    return metadata_type_pallet_enum(b, path, generics, v, n);
}

/* Returns: an arena string "<a><b><c>" (any may be NULL). */
static const char *arena_cat3(struct metadata_builder *b, const char *x, const char *y,
                              const char *z)
{
    size_t lx = x ? strlen(x) : 0, ly = y ? strlen(y) : 0, lz = z ? strlen(z) : 0;
    char *s = arena_alloc(b, lx + ly + lz + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, x ? x : "", lx);
    memcpy(s + lx, y ? y : "", ly);
    memcpy(s + lx + ly, z ? z : "", lz);
    s[lx + ly + lz] = '\0';
    return s;
}

uint32_t metadata_type_outer_enum(struct metadata_builder *b, const char *runtime_crate,
                                  enum metadata_outer kind, const struct metadata_outer_entry *rows,
                                  size_t n_rows)
{
    static const char *const names[] = {"::RuntimeCall", "::RuntimeEvent", "::RuntimeError"};
    if (b->err != ITEE_OK)
        return METADATA_TY_NONE;
    if (runtime_crate == NULL || (unsigned)kind > METADATA_OUTER_ERROR || n_rows > 256 ||
        (n_rows > 0 && rows == NULL)) {
        fail(b, ITEE_ERR_ARG);
        return METADATA_TY_NONE;
    }
    struct metadata_variant *v = arena_alloc(b, (n_rows ? n_rows : 1) * sizeof(*v));
    struct metadata_field *f = arena_alloc(b, (n_rows ? n_rows : 1) * sizeof(*f));
    if (v == NULL || f == NULL)
        return METADATA_TY_NONE;
    size_t n = 0;
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i].ty == METADATA_TY_NONE)
            continue;
        const char *tn = NULL;
        if (kind == METADATA_OUTER_CALL) {
            tn = arena_cat3(b,
                            "self::sp_api_hidden_includes_construct_runtime::hidden_include::"
                            "dispatch::CallableCallFor<",
                            rows[i].pallet, ", Runtime>");
        } else {
            /* construct_runtime! names the pallet crate: the first segment of the type path */
            const struct metadata_type *t = metadata_type_get(b, rows[i].ty);
            const char *path = t != NULL && t->path != NULL ? t->path : "";
            const char *sep = strstr(path, "::");
            size_t len = sep != NULL ? (size_t)(sep - path) : strlen(path);
            char *crate = arena_alloc(b, len + 1);
            if (crate == NULL)
                return METADATA_TY_NONE;
            memcpy(crate, path, len);
            crate[len] = '\0';
            tn = arena_cat3(b, crate,
                            kind == METADATA_OUTER_EVENT ? "::Event<Runtime>" : "::Error<Runtime>",
                            NULL);
        }
        f[n] = (struct metadata_field){.ty = rows[i].ty, .type_name = tn};
        v[n] = (struct metadata_variant){
            .name = rows[i].pallet, .index = rows[i].index, .fields = &f[n], .n_fields = 1};
        n++;
    }
    const char *path = arena_cat3(b, runtime_crate, names[kind], NULL);
    return metadata_type_variant(b, path, NULL, 0, v, n);
}

/* A composite of one unnamed field. */
static uint32_t newtype(struct metadata_builder *b, const char *path, uint32_t ty,
                        const char *type_name)
{
    struct metadata_field f[] = {{.ty = ty, .type_name = type_name}};
    return metadata_type_composite(b, path, NULL, 0, f, 1);
}

uint32_t metadata_type_account_id32(struct metadata_builder *b)
{
    uint32_t a32 = metadata_type_array(b, 32, metadata_type_u8(b));
    return newtype(b, "sp_core::crypto::AccountId32", a32, "[u8; 32]");
}

uint32_t metadata_type_h256(struct metadata_builder *b)
{
    uint32_t a32 = metadata_type_array(b, 32, metadata_type_u8(b));
    return newtype(b, "primitive_types::H256", a32, "[u8; 32]");
}

uint32_t metadata_type_multi_address(struct metadata_builder *b, uint32_t account, uint32_t index)
{
    uint32_t u8t = metadata_type_u8(b);
    uint32_t bytes = metadata_type_vec(b, u8t);
    uint32_t a32 = metadata_type_array(b, 32, u8t);
    uint32_t a20 = metadata_type_array(b, 20, u8t);
    uint32_t cidx = metadata_type_compact(b, index);
    struct metadata_param p[] = {{"AccountId", account}, {"AccountIndex", index}};
    struct metadata_field f[] = {{.ty = account, .type_name = "AccountId"},
                                 {.ty = cidx, .type_name = "AccountIndex"},
                                 {.ty = bytes, .type_name = "Vec<u8>"},
                                 {.ty = a32, .type_name = "[u8; 32]"},
                                 {.ty = a20, .type_name = "[u8; 20]"}};
    struct metadata_variant v[] = {
        {.name = "Id", .index = 0, .fields = &f[0], .n_fields = 1},
        {.name = "Index", .index = 1, .fields = &f[1], .n_fields = 1},
        {.name = "Raw", .index = 2, .fields = &f[2], .n_fields = 1},
        {.name = "Address32", .index = 3, .fields = &f[3], .n_fields = 1},
        {.name = "Address20", .index = 4, .fields = &f[4], .n_fields = 1}};
    return metadata_type_variant(b, "sp_runtime::multiaddress::MultiAddress", p, 2, v, 5);
}

uint32_t metadata_type_multi_signature(struct metadata_builder *b)
{
    uint32_t u8t = metadata_type_u8(b);
    uint32_t a64 = metadata_type_array(b, 64, u8t);
    uint32_t a65 = metadata_type_array(b, 65, u8t);
    struct metadata_field f[] = {{.ty = a64, .type_name = "[u8; 64]"},
                                 {.ty = a65, .type_name = "[u8; 65]"}};
    struct metadata_variant v[] = {{.name = "Ed25519", .index = 0, .fields = &f[0], .n_fields = 1},
                                   {.name = "Sr25519", .index = 1, .fields = &f[0], .n_fields = 1},
                                   {.name = "Ecdsa", .index = 2, .fields = &f[1], .n_fields = 1}};
    return metadata_type_variant(b, "sp_runtime::MultiSignature", NULL, 0, v, 3);
}

uint32_t metadata_type_era(struct metadata_builder *b)
{
    uint32_t u8t = metadata_type_u8(b);
    if (b->err != ITEE_OK)
        return METADATA_TY_NONE;
    struct metadata_variant *v = arena_alloc(b, 256 * sizeof(*v));
    struct metadata_field f[] = {{.ty = u8t}};
    if (v == NULL)
        return METADATA_TY_NONE;
    v[0] = (struct metadata_variant){.name = "Immortal", .index = 0};
    for (unsigned i = 1; i < 256; i++) {
        char name[16];
        (void)snprintf(name, sizeof(name), "Mortal%u", i);
        v[i] = (struct metadata_variant){
            .name = arena_str(b, name), .index = (uint8_t)i, .fields = f, .n_fields = 1};
    }
    return metadata_type_variant(b, "sp_runtime::generic::era::Era", NULL, 0, v, 256);
}

uint32_t metadata_type_weight(struct metadata_builder *b)
{
    uint32_t c64 = metadata_type_compact(b, metadata_type_u64(b));
    struct metadata_field f[] = {{.name = "ref_time", .ty = c64, .type_name = "u64"},
                                 {.name = "proof_size", .ty = c64, .type_name = "u64"}};
    return metadata_type_composite(b, "sp_weights::weight_v2::Weight", NULL, 0, f, 2);
}

uint32_t metadata_type_dispatch_info(struct metadata_builder *b)
{
    static const char *const classes[] = {"Normal", "Operational", "Mandatory"};
    static const char *const pays[] = {"Yes", "No"};
    uint32_t w = metadata_type_weight(b);
    uint32_t c =
        metadata_type_unit_enum(b, "frame_support::dispatch::DispatchClass", NULL, classes, 3);
    uint32_t p = metadata_type_unit_enum(b, "frame_support::dispatch::Pays", NULL, pays, 2);
    struct metadata_field f[] = {{.name = "weight", .ty = w, .type_name = "Weight"},
                                 {.name = "class", .ty = c, .type_name = "DispatchClass"},
                                 {.name = "pays_fee", .ty = p, .type_name = "Pays"}};
    return metadata_type_composite(b, "frame_support::dispatch::DispatchInfo", NULL, 0, f, 3);
}

uint32_t metadata_type_dispatch_error(struct metadata_builder *b, bool full)
{
    static const char *const token[] = {
        "FundsUnavailable", "OnlyProvider", "BelowMinimum",     "CannotCreate",  "UnknownAsset",
        "Frozen",           "Unsupported",  "CannotCreateHold", "NotExpendable", "Blocked"};
    static const char *const arith[] = {"Underflow", "Overflow", "DivisionByZero"};
    static const char *const trans[] = {"LimitReached", "NoLayer"};
    static const char *const trie[] = {
        "InvalidStateRoot",      "IncompleteDatabase", "ValueAtIncompleteKey",
        "DecoderError",          "InvalidHash",        "DuplicateKey",
        "ExtraneousNode",        "ExtraneousValue",    "ExtraneousHashReference",
        "InvalidChildReference", "ValueMismatch",      "IncompleteProof",
        "RootMismatch",          "DecodeError"};
    uint32_t u8t = metadata_type_u8(b);
    uint32_t a4 = metadata_type_array(b, 4, u8t);
    struct metadata_field mf[] = {
        {.name = "index", .ty = u8t, .type_name = "u8"},
        {.name = "error", .ty = a4, .type_name = "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]"}};
    uint32_t me = metadata_type_composite(b, "sp_runtime::ModuleError", NULL, 0, mf, 2);
    uint32_t tk = METADATA_TY_NONE, ar = METADATA_TY_NONE, tr = METADATA_TY_NONE,
             te = METADATA_TY_NONE;
    if (full) {
        tk = metadata_type_unit_enum(b, "sp_runtime::TokenError", NULL, token, 10);
        ar = metadata_type_unit_enum(b, "sp_arithmetic::ArithmeticError", NULL, arith, 3);
        tr = metadata_type_unit_enum(b, "sp_runtime::TransactionalError", NULL, trans, 2);
        te = metadata_type_unit_enum(b, "sp_runtime::proving_trie::TrieError", NULL, trie, 14);
    }
    struct metadata_field f[] = {{.ty = me, .type_name = "ModuleError"},
                                 {.ty = tk, .type_name = "TokenError"},
                                 {.ty = ar, .type_name = "ArithmeticError"},
                                 {.ty = tr, .type_name = "TransactionalError"},
                                 {.ty = te, .type_name = "TrieError"}};
    struct metadata_variant v[] = {
        {.name = "Other", .index = 0},
        {.name = "CannotLookup", .index = 1},
        {.name = "BadOrigin", .index = 2},
        {.name = "Module", .index = 3, .fields = &f[0], .n_fields = 1},
        {.name = "ConsumerRemaining", .index = 4},
        {.name = "NoProviders", .index = 5},
        {.name = "TooManyConsumers", .index = 6},
        {.name = "Token", .index = 7, .fields = &f[1], .n_fields = 1},
        {.name = "Arithmetic", .index = 8, .fields = &f[2], .n_fields = 1},
        {.name = "Transactional", .index = 9, .fields = &f[3], .n_fields = 1},
        {.name = "Exhausted", .index = 10},
        {.name = "Corruption", .index = 11},
        {.name = "Unavailable", .index = 12},
        {.name = "RootNotAllowed", .index = 13},
        {.name = "Trie", .index = 14, .fields = &f[4], .n_fields = 1}};
    return metadata_type_variant(b, "sp_runtime::DispatchError", NULL, 0, v, full ? 15 : 7);
}

uint32_t metadata_type_phase(struct metadata_builder *b)
{
    struct metadata_field f[] = {{.ty = metadata_type_u32(b), .type_name = "u32"}};
    struct metadata_variant v[] = {
        {.name = "ApplyExtrinsic", .index = 0, .fields = f, .n_fields = 1},
        {.name = "Finalization", .index = 1},
        {.name = "Initialization", .index = 2}};
    return metadata_type_variant(b, "frame_system::Phase", NULL, 0, v, 3);
}

uint32_t metadata_type_count(const struct metadata_builder *b)
{
    return (uint32_t)b->n_types;
}

const struct metadata_type *metadata_type_get(const struct metadata_builder *b, uint32_t id)
{
    if (id >= b->n_types || !b->types[id].defined)
        return NULL;
    return &b->types[id].t;
}

uint32_t metadata_type_find(const struct metadata_builder *b, const char *path)
{
    for (size_t i = 0; i < b->n_types; i++)
        if (b->types[i].t.path != NULL && strcmp(b->types[i].t.path, path) == 0)
            return (uint32_t)i;
    return METADATA_TY_NONE;
}

/* Returns: the encoded width of a fixed-size primitive, 0 for str (empty = one 00 byte). */
static size_t prim_width(enum metadata_prim p)
{
    static const uint8_t w[] = {1, 4, 0, 1, 2, 4, 8, 16, 32, 1, 2, 4, 8, 16, 32};
    return w[p];
}

static enum itee_err type_default(const struct metadata_builder *b, uint32_t id,
                                  struct itee_buf *out, unsigned depth)
{
    static const uint8_t zeros[32] = {0};
    const struct metadata_type *t = metadata_type_get(b, id);
    enum itee_err r = ITEE_OK;
    if (t == NULL)
        return ITEE_ERR_ARG;
    if (depth > MD_MAX_DEPTH)
        return ITEE_ERR_SPACE;
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        for (size_t i = 0; i < t->n_fields && r == ITEE_OK; i++)
            r = type_default(b, t->fields[i].ty, out, depth + 1);
        return r;
    case METADATA_DEF_VARIANT: {
        if (t->n_variants == 0)
            return ITEE_ERR_ARG;
        const struct metadata_variant *v = &t->variants[0];
        for (size_t i = 1; i < t->n_variants; i++)
            if (t->variants[i].index < v->index)
                v = &t->variants[i];
        r = scale_put_u8(out, v->index);
        for (size_t i = 0; i < v->n_fields && r == ITEE_OK; i++)
            r = type_default(b, v->fields[i].ty, out, depth + 1);
        return r;
    }
    case METADATA_DEF_SEQUENCE:
    case METADATA_DEF_COMPACT:
    case METADATA_DEF_BITSEQ:
        return scale_put_u8(out, 0);
    case METADATA_DEF_ARRAY:
        for (uint32_t i = 0; i < t->len && r == ITEE_OK; i++)
            r = type_default(b, t->elem, out, depth + 1);
        return r;
    case METADATA_DEF_TUPLE:
        for (size_t i = 0; i < t->n_tuple && r == ITEE_OK; i++)
            r = type_default(b, t->tuple[i], out, depth + 1);
        return r;
    case METADATA_DEF_PRIMITIVE:
        if (t->prim == METADATA_PRIM_STR)
            return scale_put_u8(out, 0);
        return scale_put_bytes(out, zeros, prim_width(t->prim));
    }
    return ITEE_ERR_ARG;
}

enum itee_err metadata_type_default(const struct metadata_builder *b, uint32_t id,
                                    struct itee_buf *out)
{
    size_t mark = out->len;
    enum itee_err r = type_default(b, id, out, 0);
    if (r != ITEE_OK)
        out->len = mark;
    return r;
}

/* ---- public: pallets and the rest ---- */

/* True iff ty is NONE or below the current registry size. */
static bool opt_ref_ok(const struct metadata_builder *b, uint32_t ty)
{
    return ty == METADATA_TY_NONE || ty < b->n_types;
}

void metadata_pallet_add(struct metadata_builder *b, const struct metadata_pallet *p)
{
    if (b->err != ITEE_OK)
        return;
    bool ok = p != NULL && p->name != NULL && opt_ref_ok(b, p->calls) && opt_ref_ok(b, p->events) &&
              opt_ref_ok(b, p->errors) &&
              (p->n_storage == 0 || (p->storage != NULL && p->storage_prefix != NULL)) &&
              (p->n_constants == 0 || p->constants != NULL);
    for (size_t i = 0; ok && i < p->n_storage; i++) {
        const struct metadata_storage_entry *s = &p->storage[i];
        ok = s->name != NULL && ref_ok(s->value, b->n_types) &&
             (s->n_hashers == 0 || (s->hashers != NULL && ref_ok(s->key, b->n_types))) &&
             (unsigned)s->modifier <= METADATA_DEFAULT;
        for (size_t j = 0; ok && j < s->n_hashers; j++)
            ok = s->hashers[j] <= METADATA_IDENTITY;
    }
    for (size_t i = 0; ok && i < p->n_constants; i++)
        ok = p->constants[i].name != NULL && ref_ok(p->constants[i].ty, b->n_types);
    if (!ok) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    if (!grow(b, (void **)&b->pallets, &b->cap_pallets, b->n_pallets, sizeof(*b->pallets)))
        return;
    struct metadata_pallet *c = &b->pallets[b->n_pallets];
    *c = *p;
    c->name = arena_str(b, p->name);
    c->storage_prefix = arena_str(b, p->storage_prefix);
    c->docs = arena_str(b, p->docs);
    struct metadata_storage_entry *st = NULL;
    if (p->n_storage > 0 && (st = arena_alloc(b, p->n_storage * sizeof(*st))) != NULL)
        for (size_t i = 0; i < p->n_storage; i++) {
            st[i] = p->storage[i];
            st[i].name = arena_str(b, p->storage[i].name);
            st[i].docs = arena_str(b, p->storage[i].docs);
            st[i].hashers = arena_dup(b, p->storage[i].hashers, p->storage[i].n_hashers);
            st[i].default_value =
                arena_dup(b, p->storage[i].default_value, p->storage[i].default_len);
            if (st[i].default_value == NULL && p->storage[i].default_value != NULL)
                st[i].default_value = (const uint8_t *)""; /* given but empty */
        }
    c->storage = st;
    struct metadata_constant *cs = NULL;
    if (p->n_constants > 0 && (cs = arena_alloc(b, p->n_constants * sizeof(*cs))) != NULL)
        for (size_t i = 0; i < p->n_constants; i++) {
            cs[i] = p->constants[i];
            cs[i].name = arena_str(b, p->constants[i].name);
            cs[i].docs = arena_str(b, p->constants[i].docs);
            cs[i].value = arena_dup(b, p->constants[i].value, p->constants[i].value_len);
        }
    c->constants = cs;
    if (b->err == ITEE_OK)
        b->n_pallets++;
}

const struct metadata_extrinsic *metadata_extrinsic_get(const struct metadata_builder *b)
{
    return b->has_extrinsic ? &b->ext : NULL;
}

void metadata_extrinsic_set(struct metadata_builder *b, const struct metadata_extrinsic *x)
{
    if (b->err != ITEE_OK)
        return;
    bool ok = x != NULL && ref_ok(x->ty, b->n_types) && (x->n_exts == 0 || x->exts != NULL);
    for (size_t i = 0; ok && i < x->n_exts; i++)
        ok = x->exts[i].identifier != NULL && ref_ok(x->exts[i].ty, b->n_types) &&
             ref_ok(x->exts[i].additional_signed, b->n_types);
    if (ok && x->explicit_parts)
        ok = ref_ok(x->address_ty, b->n_types) && ref_ok(x->call_ty, b->n_types) &&
             ref_ok(x->signature_ty, b->n_types) && ref_ok(x->extra_ty, b->n_types);
    if (!ok) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    b->ext = *x;
    struct metadata_signed_ext *e = NULL;
    if (x->n_exts > 0 && (e = arena_alloc(b, x->n_exts * sizeof(*e))) != NULL)
        for (size_t i = 0; i < x->n_exts; i++) {
            e[i] = x->exts[i];
            e[i].identifier = arena_str(b, x->exts[i].identifier);
        }
    b->ext.exts = e;
    b->has_extrinsic = b->err == ITEE_OK;
}

void metadata_runtime_type_set(struct metadata_builder *b, uint32_t ty)
{
    if (b->err != ITEE_OK)
        return;
    if (!ref_ok(ty, b->n_types)) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    b->runtime_ty = ty;
}

void metadata_api_add(struct metadata_builder *b, const struct metadata_api *api)
{
    if (b->err != ITEE_OK)
        return;
    bool ok = api != NULL && api->name != NULL && (api->n_methods == 0 || api->methods != NULL);
    for (size_t i = 0; ok && i < api->n_methods; i++) {
        const struct metadata_api_method *m = &api->methods[i];
        ok = m->name != NULL && ref_ok(m->output, b->n_types) &&
             (m->n_inputs == 0 || m->inputs != NULL);
        for (size_t j = 0; ok && j < m->n_inputs; j++)
            ok = m->inputs[j].name != NULL && ref_ok(m->inputs[j].ty, b->n_types);
    }
    if (!ok) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    if (!grow(b, (void **)&b->apis, &b->cap_apis, b->n_apis, sizeof(*b->apis)))
        return;
    struct metadata_api *c = &b->apis[b->n_apis];
    *c = *api;
    c->name = arena_str(b, api->name);
    c->docs = arena_str(b, api->docs);
    struct metadata_api_method *m = NULL;
    if (api->n_methods > 0 && (m = arena_alloc(b, api->n_methods * sizeof(*m))) != NULL)
        for (size_t i = 0; i < api->n_methods; i++) {
            m[i] = api->methods[i];
            m[i].name = arena_str(b, api->methods[i].name);
            m[i].docs = arena_str(b, api->methods[i].docs);
            struct metadata_api_param *in = NULL;
            if (m[i].n_inputs > 0 && (in = arena_alloc(b, m[i].n_inputs * sizeof(*in))) != NULL)
                for (size_t j = 0; j < m[i].n_inputs; j++) {
                    in[j].name = arena_str(b, api->methods[i].inputs[j].name);
                    in[j].ty = api->methods[i].inputs[j].ty;
                }
            m[i].inputs = in;
        }
    c->methods = m;
    if (b->err == ITEE_OK)
        b->n_apis++;
}

void metadata_outer_enums_set(struct metadata_builder *b, uint32_t call, uint32_t event,
                              uint32_t error)
{
    if (b->err != ITEE_OK)
        return;
    if (!ref_ok(call, b->n_types) || !ref_ok(event, b->n_types) || !ref_ok(error, b->n_types)) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    b->outer[0] = call;
    b->outer[1] = event;
    b->outer[2] = error;
    b->has_outer = true;
}

void metadata_custom_add(struct metadata_builder *b, const char *name, uint32_t ty,
                         const uint8_t *value, size_t value_len)
{
    if (b->err != ITEE_OK)
        return;
    bool ok = name != NULL && ref_ok(ty, b->n_types) && (value_len == 0 || value != NULL);
    for (size_t i = 0; ok && i < b->n_custom; i++)
        ok = strcmp(b->custom[i].name, name) != 0;
    if (!ok) {
        fail(b, ITEE_ERR_ARG);
        return;
    }
    if (!grow(b, (void **)&b->custom, &b->cap_custom, b->n_custom, sizeof(*b->custom)))
        return;
    struct md_custom *c = &b->custom[b->n_custom];
    c->name = arena_str(b, name);
    c->ty = ty;
    c->value = arena_dup(b, value, value_len);
    c->len = value_len;
    if (b->err == ITEE_OK)
        b->n_custom++;
}

/* ---- encoding ---- */

/* True iff ty is a defined Variant type (what calls/events/errors must point at). */
static bool is_variant(const struct metadata_builder *b, uint32_t ty)
{
    const struct metadata_type *t = metadata_type_get(b, ty);
    return t != NULL && t->def == METADATA_DEF_VARIANT;
}

static void e_opt_ty(struct enc *e, uint32_t ty)
{
    e_u8(e, ty != METADATA_TY_NONE);
    if (ty != METADATA_TY_NONE)
        e_compact(e, ty);
}

static void enc_storage_entry(struct enc *e, const struct metadata_builder *b,
                              const struct metadata_storage_entry *s)
{
    e_str(e, s->name);
    e_u8(e, (uint8_t)s->modifier);
    if (s->n_hashers == 0) {
        e_u8(e, 0);
        e_compact(e, s->value);
    } else {
        e_u8(e, 1);
        e_bytes(e, s->hashers, s->n_hashers);
        e_compact(e, s->key);
        e_compact(e, s->value);
    }
    if (s->default_value != NULL) {
        e_bytes(e, s->default_value, s->default_len);
    } else if (s->modifier == METADATA_OPTIONAL) {
        e_compact(e, 1);
        e_u8(e, 0);
    } else if (e->err == ITEE_OK) {
        struct itee_buf d;
        itee_buf_init(&d, 0);
        e->err = metadata_type_default(b, s->value, &d);
        e_bytes(e, d.ptr, d.len);
        itee_buf_free(&d);
    }
    e_docs(e, s->docs);
}

static void enc_pallet(struct enc *e, const struct metadata_builder *b,
                       const struct metadata_pallet *p, bool v15)
{
    if ((p->calls != METADATA_TY_NONE && !is_variant(b, p->calls)) ||
        (p->events != METADATA_TY_NONE && !is_variant(b, p->events)) ||
        (p->errors != METADATA_TY_NONE && !is_variant(b, p->errors))) {
        if (e->err == ITEE_OK)
            e->err = ITEE_ERR_ARG;
        return;
    }
    e_str(e, p->name);
    e_u8(e, p->storage_prefix != NULL);
    if (p->storage_prefix != NULL) {
        e_str(e, p->storage_prefix);
        e_compact(e, p->n_storage);
        for (size_t i = 0; i < p->n_storage; i++)
            enc_storage_entry(e, b, &p->storage[i]);
    }
    e_opt_ty(e, p->calls);
    e_opt_ty(e, p->events);
    e_compact(e, p->n_constants);
    for (size_t i = 0; i < p->n_constants; i++) {
        const struct metadata_constant *c = &p->constants[i];
        e_str(e, c->name);
        e_compact(e, c->ty);
        e_bytes(e, c->value, c->value_len);
        e_docs(e, c->docs);
    }
    e_opt_ty(e, p->errors);
    e_u8(e, p->index);
    if (v15)
        e_docs(e, p->docs);
}

static void enc_signed_exts(struct enc *e, const struct metadata_extrinsic *x)
{
    e_compact(e, x->n_exts);
    for (size_t i = 0; i < x->n_exts; i++) {
        e_str(e, x->exts[i].identifier);
        e_compact(e, x->exts[i].ty);
        e_compact(e, x->exts[i].additional_signed);
    }
}

/* Returns: the type of the param called name of type id, or METADATA_TY_NONE. */
static uint32_t param_of(const struct metadata_builder *b, uint32_t id, const char *name)
{
    const struct metadata_type *t = metadata_type_get(b, id);
    for (size_t i = 0; t != NULL && i < t->n_params; i++)
        if (strcmp(t->params[i].name, name) == 0)
            return t->params[i].ty;
    return METADATA_TY_NONE;
}

/* Returns: the first type whose path ends in suffix, or METADATA_TY_NONE. */
static uint32_t find_suffix(const struct metadata_builder *b, const char *suffix)
{
    size_t ls = strlen(suffix);
    for (size_t i = 0; i < b->n_types; i++) {
        const char *p = b->types[i].t.path;
        size_t lp = p != NULL ? strlen(p) : 0;
        if (lp >= ls && strcmp(p + lp - ls, suffix) == 0)
            return (uint32_t)i;
    }
    return METADATA_TY_NONE;
}

static int custom_cmp(const struct md_custom *a, const struct md_custom *c)
{
    return strcmp(a->name, c->name);
}

static void enc_v15_tail(struct enc *e, const struct metadata_builder *b)
{
    e_compact(e, b->n_apis);
    for (size_t i = 0; i < b->n_apis; i++) {
        const struct metadata_api *a = &b->apis[i];
        e_str(e, a->name);
        e_compact(e, a->n_methods);
        for (size_t j = 0; j < a->n_methods; j++) {
            const struct metadata_api_method *m = &a->methods[j];
            e_str(e, m->name);
            e_compact(e, m->n_inputs);
            for (size_t k = 0; k < m->n_inputs; k++) {
                e_str(e, m->inputs[k].name);
                e_compact(e, m->inputs[k].ty);
            }
            e_compact(e, m->output);
            e_docs(e, m->docs);
        }
        e_docs(e, a->docs);
    }
    uint32_t outer[3];
    if (b->has_outer) {
        memcpy(outer, b->outer, sizeof(outer));
    } else {
        outer[0] = param_of(b, b->ext.ty, "Call");
        outer[1] = find_suffix(b, "::RuntimeEvent");
        outer[2] = find_suffix(b, "::RuntimeError");
    }
    for (int i = 0; i < 3; i++) {
        if (outer[i] == METADATA_TY_NONE && e->err == ITEE_OK)
            e->err = ITEE_ERR_ARG;
        e_compact(e, outer[i]);
    }
    /* BTreeMap<String, _>: ascending keys; entries are few, so a selection order suffices */
    e_compact(e, b->n_custom);
    const struct md_custom *last = NULL;
    for (size_t k = 0; k < b->n_custom; k++) {
        const struct md_custom *next = NULL;
        for (size_t i = 0; i < b->n_custom; i++) {
            const struct md_custom *c = &b->custom[i];
            if ((last == NULL || custom_cmp(c, last) > 0) &&
                (next == NULL || custom_cmp(c, next) < 0))
                next = c;
        }
        e_str(e, next->name);
        e_compact(e, next->ty);
        e_bytes(e, next->value, next->len);
        last = next;
    }
}

static enum itee_err encode(const struct metadata_builder *b, bool v15, struct itee_buf *out)
{
    size_t mark = out->len;
    struct enc e = {out, b->err};
    if (e.err == ITEE_OK && (!b->has_extrinsic || b->runtime_ty == METADATA_TY_NONE))
        e.err = ITEE_ERR_ARG;
    for (size_t i = 0; i < b->n_types && e.err == ITEE_OK; i++)
        if (!b->types[i].defined)
            e.err = ITEE_ERR_ARG;
    e_u32(&e, METADATA_MAGIC);
    e_u8(&e, v15 ? METADATA_V15 : METADATA_V14);
    e_compact(&e, b->n_types);
    for (size_t i = 0; i < b->n_types && e.err == ITEE_OK; i++) {
        e_compact(&e, i);
        e_raw(&e, b->types[i].enc, b->types[i].enc_len);
    }
    e_compact(&e, b->n_pallets);
    for (size_t i = 0; i < b->n_pallets && e.err == ITEE_OK; i++)
        enc_pallet(&e, b, &b->pallets[i], v15);
    const struct metadata_extrinsic *x = &b->ext;
    if (!v15) {
        e_compact(&e, x->ty);
        e_u8(&e, x->version);
        enc_signed_exts(&e, x);
        e_compact(&e, b->runtime_ty);
    } else if (e.err == ITEE_OK) {
        uint32_t parts[4] = {x->address_ty, x->call_ty, x->signature_ty, x->extra_ty};
        if (!x->explicit_parts) {
            static const char *const names[] = {"Address", "Call", "Signature", "Extra"};
            for (int i = 0; i < 4; i++)
                parts[i] = param_of(b, x->ty, names[i]);
        }
        e_u8(&e, x->version);
        for (int i = 0; i < 4; i++) {
            if (parts[i] == METADATA_TY_NONE && e.err == ITEE_OK)
                e.err = ITEE_ERR_ARG;
            e_compact(&e, parts[i]);
        }
        enc_signed_exts(&e, x);
        e_compact(&e, b->runtime_ty);
        enc_v15_tail(&e, b);
    }
    if (e.err != ITEE_OK)
        out->len = mark;
    return e.err;
}

enum itee_err metadata_encode_v14(const struct metadata_builder *b, struct itee_buf *out)
{
    return encode(b, false, out);
}

enum itee_err metadata_encode_v15(const struct metadata_builder *b, struct itee_buf *out)
{
    return encode(b, true, out);
}

/* Appends Vec<u8> of the blob of version v. */
static enum itee_err encode_vec(const struct metadata_builder *b, bool v15, struct itee_buf *out)
{
    struct itee_buf blob;
    itee_buf_init(&blob, out->max);
    enum itee_err r = encode(b, v15, &blob);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(out, blob.ptr, blob.len);
    itee_buf_free(&blob);
    return r;
}

enum itee_err metadata_encode_opaque(const struct metadata_builder *b, struct itee_buf *out)
{
    return encode_vec(b, false, out);
}

enum itee_err metadata_encode_at_version(const struct metadata_builder *b, uint32_t version,
                                         struct itee_buf *out)
{
    size_t mark = out->len;
    if (version != METADATA_V14 && version != METADATA_V15)
        return scale_put_option(out, false);
    enum itee_err r = scale_put_option(out, true);
    if (r == ITEE_OK)
        r = encode_vec(b, version == METADATA_V15, out);
    if (r != ITEE_OK)
        out->len = mark;
    return r;
}

enum itee_err metadata_encode_versions(const struct metadata_builder *b, struct itee_buf *out)
{
    size_t mark = out->len;
    struct itee_buf probe;
    itee_buf_init(&probe, out->max);
    enum itee_err r = encode(b, false, &probe);
    bool v15 = false;
    if (r == ITEE_OK) {
        itee_buf_reset(&probe);
        v15 = encode(b, true, &probe) == ITEE_OK;
    }
    itee_buf_free(&probe);
    if (r == ITEE_OK)
        r = scale_put_compact(out, v15 ? 2 : 1);
    if (r == ITEE_OK)
        r = scale_put_u32(out, METADATA_V14);
    if (r == ITEE_OK && v15)
        r = scale_put_u32(out, METADATA_V15);
    if (r != ITEE_OK)
        out->len = mark;
    return r;
}

size_t metadata_pallet_count(const struct metadata_builder *b)
{
    return b->n_pallets;
}

const struct metadata_pallet *metadata_pallet_get(const struct metadata_builder *b, size_t i)
{
    return i < b->n_pallets ? &b->pallets[i] : NULL;
}

/* ---- decoding ---- */

/* A sticky decoder over the blob; strings and tables go into the builder's arena. */
struct dec {
    struct scale_reader *r;     /* input */
    struct metadata_builder *b; /* destination (its arena) */
    enum itee_err err;          /* first error */
};

static void d_fail(struct dec *d, enum itee_err e)
{
    if (d->err == ITEE_OK)
        d->err = e;
}

static bool d_ok(struct dec *d)
{
    if (d->err == ITEE_OK && d->b->err != ITEE_OK)
        d->err = d->b->err;
    return d->err == ITEE_OK;
}

static uint8_t d_u8(struct dec *d)
{
    uint8_t v = 0;
    if (d_ok(d))
        d_fail(d, scale_read_u8(d->r, &v));
    return v;
}

static uint32_t d_u32(struct dec *d)
{
    uint32_t v = 0;
    if (d_ok(d))
        d_fail(d, scale_read_u32(d->r, &v));
    return v;
}

/* A type reference: Compact<u32>, never METADATA_TY_NONE (which the builder reserves). */
static uint32_t d_ty(struct dec *d)
{
    uint32_t v = 0;
    if (d_ok(d))
        d_fail(d, scale_read_compact_u32(d->r, &v));
    if (v == METADATA_TY_NONE)
        d_fail(d, ITEE_ERR_FORMAT);
    return v;
}

static size_t d_len(struct dec *d, size_t min_elem)
{
    size_t n = 0;
    if (d_ok(d))
        d_fail(d, scale_read_len(d->r, &n, min_elem));
    return d->err == ITEE_OK ? n : 0;
}

static bool d_bool_tag(struct dec *d)
{
    bool some = false;
    if (d_ok(d))
        d_fail(d, scale_read_option(d->r, &some));
    return some;
}

/* A String as an arena C string (NUL bytes are unrepresentable: UNSUPPORTED). */
static const char *d_str(struct dec *d)
{
    struct itee_slice s = {NULL, 0};
    if (d_ok(d))
        d_fail(d, scale_read_str(d->r, &s));
    if (!d_ok(d))
        return NULL;
    if (s.len > 0 && memchr(s.ptr, 0, s.len) != NULL) {
        d_fail(d, ITEE_ERR_UNSUPPORTED);
        return NULL;
    }
    char *c = arena_alloc(d->b, s.len + 1);
    if (c == NULL) {
        d_fail(d, ITEE_ERR_NOMEM);
        return NULL;
    }
    if (s.len > 0)
        memcpy(c, s.ptr, s.len);
    c[s.len] = '\0';
    return c;
}

static const char *d_opt_str(struct dec *d)
{
    return d_bool_tag(d) ? d_str(d) : NULL;
}

/* Vec<String> joined with sep; parts containing bad (or, if !allow_empty, empty) rejected. */
static const char *d_joined(struct dec *d, const char *sep, const char *bad, bool allow_empty)
{
    size_t n = d_len(d, 1);
    if (n == 0)
        return NULL;
    const char **parts = arena_alloc(d->b, n * sizeof(*parts));
    size_t total = 0, seplen = strlen(sep);
    if (parts == NULL) {
        d_fail(d, ITEE_ERR_NOMEM);
        return NULL;
    }
    for (size_t i = 0; i < n && d_ok(d); i++) {
        parts[i] = d_str(d);
        if (parts[i] == NULL)
            return NULL;
        size_t l = strlen(parts[i]);
        if ((l == 0 && (!allow_empty || n == 1)) || strpbrk(parts[i], bad) != NULL)
            d_fail(d, ITEE_ERR_UNSUPPORTED);
        total += l + seplen;
    }
    if (!d_ok(d))
        return NULL;
    char *s = arena_alloc(d->b, total + 1);
    if (s == NULL) {
        d_fail(d, ITEE_ERR_NOMEM);
        return NULL;
    }
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(parts[i]);
        if (i > 0) {
            memcpy(s + pos, sep, seplen);
            pos += seplen;
        }
        memcpy(s + pos, parts[i], l);
        pos += l;
    }
    s[pos] = '\0';
    return s;
}

static const char *d_docs(struct dec *d)
{
    return d_joined(d, "\n", "\n", true);
}

static const struct metadata_field *d_fields(struct dec *d, size_t *n_out)
{
    size_t n = d_len(d, 4);
    *n_out = 0;
    if (n == 0)
        return NULL;
    struct metadata_field *f = arena_alloc(d->b, n * sizeof(*f));
    if (f == NULL) {
        d_fail(d, ITEE_ERR_NOMEM);
        return NULL;
    }
    for (size_t i = 0; i < n && d_ok(d); i++) {
        f[i].name = d_opt_str(d);
        f[i].ty = d_ty(d);
        f[i].type_name = d_opt_str(d);
        f[i].docs = d_docs(d);
    }
    *n_out = n;
    return f;
}

/* Decodes one Type (after its id) into t. */
static void d_type(struct dec *d, struct metadata_type *t)
{
    memset(t, 0, sizeof(*t));
    t->path = d_joined(d, "::", ":", false);
    size_t np = d_len(d, 2);
    struct metadata_param *p = np > 0 ? arena_alloc(d->b, np * sizeof(*p)) : NULL;
    if (np > 0 && p == NULL)
        d_fail(d, ITEE_ERR_NOMEM);
    for (size_t i = 0; i < np && d_ok(d); i++) {
        p[i].name = d_str(d);
        p[i].ty = d_bool_tag(d) ? d_ty(d) : METADATA_TY_NONE;
    }
    t->params = p;
    t->n_params = np;
    uint8_t def = d_u8(d);
    t->def = (enum metadata_def)def;
    switch (def) {
    case METADATA_DEF_COMPOSITE:
        t->fields = d_fields(d, &t->n_fields);
        break;
    case METADATA_DEF_VARIANT: {
        size_t nv = d_len(d, 4);
        if (nv > 256) {
            d_fail(d, ITEE_ERR_FORMAT);
            break;
        }
        struct metadata_variant *v = nv > 0 ? arena_alloc(d->b, nv * sizeof(*v)) : NULL;
        if (nv > 0 && v == NULL)
            d_fail(d, ITEE_ERR_NOMEM);
        for (size_t i = 0; i < nv && d_ok(d); i++) {
            v[i].name = d_str(d);
            v[i].fields = d_fields(d, &v[i].n_fields);
            v[i].index = d_u8(d);
            v[i].docs = d_docs(d);
        }
        t->variants = v;
        t->n_variants = nv;
        break;
    }
    case METADATA_DEF_SEQUENCE:
    case METADATA_DEF_COMPACT:
        t->elem = d_ty(d);
        break;
    case METADATA_DEF_ARRAY:
        t->len = d_u32(d);
        t->elem = d_ty(d);
        break;
    case METADATA_DEF_TUPLE: {
        size_t nt = d_len(d, 1);
        uint32_t *tu = nt > 0 ? arena_alloc(d->b, nt * sizeof(*tu)) : NULL;
        if (nt > 0 && tu == NULL)
            d_fail(d, ITEE_ERR_NOMEM);
        for (size_t i = 0; i < nt && d_ok(d); i++)
            tu[i] = d_ty(d);
        t->tuple = tu;
        t->n_tuple = nt;
        break;
    }
    case METADATA_DEF_PRIMITIVE:
        t->prim = (enum metadata_prim)d_u8(d);
        break;
    case METADATA_DEF_BITSEQ:
        t->elem = d_ty(d);
        t->order = d_ty(d);
        break;
    default:
        d_fail(d, ITEE_ERR_FORMAT);
    }
    t->docs = d_docs(d);
}

/* Decodes the registry straight into b's slots (ids must be positions; refs may go forward). */
static void d_registry(struct dec *d)
{
    struct metadata_builder *b = d->b;
    size_t n = d_len(d, 6);
    if (!d_ok(d))
        return;
    if (n >= UINT32_MAX - 1) {
        d_fail(d, ITEE_ERR_FORMAT);
        return;
    }
    b->types = itee_alloc_array(n ? n : 1, sizeof(*b->types));
    if (b->types == NULL) {
        d_fail(d, ITEE_ERR_NOMEM);
        return;
    }
    b->cap_types = n ? n : 1;
    struct itee_buf kb, eb;
    itee_buf_init(&kb, 0);
    itee_buf_init(&eb, 0);
    for (size_t i = 0; i < n && d_ok(d); i++) {
        if (d_ty(d) != i) {
            d_fail(d, ITEE_ERR_FORMAT);
            break;
        }
        struct md_slot *s = &b->types[i];
        memset(s, 0, sizeof(*s));
        d_type(d, &s->t);
        b->n_types = i + 1;
    }
    for (size_t i = 0; i < b->n_types && d_ok(d); i++) {
        struct md_slot *s = &b->types[i];
        if (!type_ok(&s->t, n)) {
            d_fail(d, ITEE_ERR_FORMAT);
            break;
        }
        itee_buf_reset(&kb);
        itee_buf_reset(&eb);
        struct enc ke = {&kb, ITEE_OK}, ee = {&eb, ITEE_OK};
        enc_key(&ke, &s->t);
        enc_type(&ee, &s->t);
        d_fail(d, ke.err != ITEE_OK ? ke.err : ee.err);
        if (!d_ok(d))
            break;
        s->hash = fnv(kb.ptr, kb.len);
        s->key = arena_dup(b, kb.ptr, kb.len);
        s->key_len = kb.len;
        s->enc = arena_dup(b, eb.ptr, eb.len);
        s->enc_len = eb.len;
        s->defined = true;
    }
    itee_buf_free(&kb);
    itee_buf_free(&eb);
}

/* Optional type reference (Option<{ty}>). */
static uint32_t d_opt_ty(struct dec *d)
{
    return d_bool_tag(d) ? d_ty(d) : METADATA_TY_NONE;
}

static void d_pallet(struct dec *d, bool v15)
{
    struct metadata_pallet p = {0};
    p.name = d_str(d);
    if (d_bool_tag(d)) {
        p.storage_prefix = d_str(d);
        size_t n = d_len(d, 6);
        struct metadata_storage_entry *st = n > 0 ? arena_alloc(d->b, n * sizeof(*st)) : NULL;
        if (n > 0 && st == NULL)
            d_fail(d, ITEE_ERR_NOMEM);
        for (size_t i = 0; i < n && d_ok(d); i++) {
            memset(&st[i], 0, sizeof(st[i]));
            st[i].name = d_str(d);
            uint8_t m = d_u8(d);
            if (m > METADATA_DEFAULT)
                d_fail(d, ITEE_ERR_FORMAT);
            st[i].modifier = (enum metadata_modifier)m;
            uint8_t kind = d_u8(d);
            if (kind == 0) {
                st[i].value = d_ty(d);
            } else if (kind == 1) {
                struct itee_slice h = {NULL, 0};
                if (d_ok(d))
                    d_fail(d, scale_read_vec_u8(d->r, &h));
                if (d_ok(d) && h.len == 0)
                    d_fail(d, ITEE_ERR_UNSUPPORTED);
                st[i].hashers = h.ptr; /* copied by metadata_pallet_add */
                st[i].n_hashers = h.len;
                st[i].key = d_ty(d);
                st[i].value = d_ty(d);
            } else {
                d_fail(d, ITEE_ERR_FORMAT);
            }
            struct itee_slice def = {NULL, 0};
            if (d_ok(d))
                d_fail(d, scale_read_vec_u8(d->r, &def));
            st[i].default_value = def.len > 0 ? def.ptr : (const uint8_t *)"";
            st[i].default_len = def.len;
            st[i].docs = d_docs(d);
        }
        p.storage = st;
        p.n_storage = n;
    }
    p.calls = d_opt_ty(d);
    p.events = d_opt_ty(d);
    size_t nc = d_len(d, 4);
    struct metadata_constant *cs = nc > 0 ? arena_alloc(d->b, nc * sizeof(*cs)) : NULL;
    if (nc > 0 && cs == NULL)
        d_fail(d, ITEE_ERR_NOMEM);
    for (size_t i = 0; i < nc && d_ok(d); i++) {
        struct itee_slice v = {NULL, 0};
        cs[i].name = d_str(d);
        cs[i].ty = d_ty(d);
        if (d_ok(d))
            d_fail(d, scale_read_vec_u8(d->r, &v));
        cs[i].value = v.ptr;
        cs[i].value_len = v.len;
        cs[i].docs = d_docs(d);
    }
    p.constants = cs;
    p.n_constants = nc;
    p.errors = d_opt_ty(d);
    p.index = d_u8(d);
    if (v15)
        p.docs = d_docs(d);
    if (!d_ok(d))
        return;
    if ((p.calls != METADATA_TY_NONE && !is_variant(d->b, p.calls)) ||
        (p.events != METADATA_TY_NONE && !is_variant(d->b, p.events)) ||
        (p.errors != METADATA_TY_NONE && !is_variant(d->b, p.errors))) {
        d_fail(d, ITEE_ERR_FORMAT);
        return;
    }
    metadata_pallet_add(d->b, &p);
}

static const struct metadata_signed_ext *d_exts(struct dec *d, size_t *n_out)
{
    size_t n = d_len(d, 3);
    *n_out = n;
    struct metadata_signed_ext *e = n > 0 ? arena_alloc(d->b, n * sizeof(*e)) : NULL;
    if (n > 0 && e == NULL)
        d_fail(d, ITEE_ERR_NOMEM);
    for (size_t i = 0; i < n && d_ok(d); i++) {
        e[i].identifier = d_str(d);
        e[i].ty = d_ty(d);
        e[i].additional_signed = d_ty(d);
    }
    return e;
}

static void d_v15_tail(struct dec *d)
{
    size_t na = d_len(d, 3);
    for (size_t i = 0; i < na && d_ok(d); i++) {
        struct metadata_api a = {0};
        a.name = d_str(d);
        size_t nm = d_len(d, 4);
        struct metadata_api_method *m = nm > 0 ? arena_alloc(d->b, nm * sizeof(*m)) : NULL;
        if (nm > 0 && m == NULL)
            d_fail(d, ITEE_ERR_NOMEM);
        for (size_t j = 0; j < nm && d_ok(d); j++) {
            m[j].name = d_str(d);
            size_t ni = d_len(d, 2);
            struct metadata_api_param *in = ni > 0 ? arena_alloc(d->b, ni * sizeof(*in)) : NULL;
            if (ni > 0 && in == NULL)
                d_fail(d, ITEE_ERR_NOMEM);
            for (size_t k = 0; k < ni && d_ok(d); k++) {
                in[k].name = d_str(d);
                in[k].ty = d_ty(d);
            }
            m[j].inputs = in;
            m[j].n_inputs = ni;
            m[j].output = d_ty(d);
            m[j].docs = d_docs(d);
        }
        a.methods = m;
        a.n_methods = nm;
        a.docs = d_docs(d);
        if (d_ok(d))
            metadata_api_add(d->b, &a);
    }
    uint32_t call = d_ty(d), event = d_ty(d), error = d_ty(d);
    if (d_ok(d))
        metadata_outer_enums_set(d->b, call, event, error);
    size_t nc = d_len(d, 3);
    const char *prev = NULL;
    for (size_t i = 0; i < nc && d_ok(d); i++) {
        const char *name = d_str(d);
        uint32_t ty = d_ty(d);
        struct itee_slice v = {NULL, 0};
        if (d_ok(d))
            d_fail(d, scale_read_vec_u8(d->r, &v));
        if (d_ok(d) && prev != NULL && strcmp(prev, name) >= 0)
            d_fail(d, ITEE_ERR_FORMAT);
        if (d_ok(d))
            metadata_custom_add(d->b, name, ty, v.ptr, v.len);
        prev = name;
    }
}

enum itee_err metadata_decode(const uint8_t *blob, size_t len, struct metadata_builder **out,
                              uint32_t *version)
{
    struct metadata_builder *b = NULL;
    struct scale_reader r;
    *out = NULL;
    *version = 0;
    enum itee_err err = metadata_builder_new(&b);
    if (err != ITEE_OK)
        return err;
    scale_reader_init(&r, blob, len);
    struct dec d = {&r, b, ITEE_OK};
    uint32_t magic = d_u32(&d);
    uint8_t v = d_u8(&d);
    if (d_ok(&d) && magic != METADATA_MAGIC)
        d_fail(&d, ITEE_ERR_FORMAT);
    if (d_ok(&d) && v != METADATA_V14 && v != METADATA_V15)
        d_fail(&d, ITEE_ERR_UNSUPPORTED);
    d_registry(&d);
    size_t np = d_len(&d, 7);
    for (size_t i = 0; i < np && d_ok(&d); i++)
        d_pallet(&d, v == METADATA_V15);
    struct metadata_extrinsic x = {0};
    if (v == METADATA_V14) {
        x.ty = d_ty(&d);
        x.version = d_u8(&d);
        x.exts = d_exts(&d, &x.n_exts);
    } else {
        x.version = d_u8(&d);
        x.explicit_parts = true;
        x.address_ty = d_ty(&d);
        x.call_ty = d_ty(&d);
        x.signature_ty = d_ty(&d);
        x.extra_ty = d_ty(&d);
        x.exts = d_exts(&d, &x.n_exts);
        /* V15 has no UncheckedExtrinsic id: find it by path for a later V14 encoding */
        x.ty =
            metadata_type_find(b, "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic");
        if (x.ty == METADATA_TY_NONE)
            x.ty = x.call_ty;
    }
    uint32_t rt = d_ty(&d);
    if (d_ok(&d)) {
        metadata_extrinsic_set(b, &x);
        metadata_runtime_type_set(b, rt);
    }
    if (v == METADATA_V15)
        d_v15_tail(&d);
    if (d_ok(&d))
        d_fail(&d, scale_reader_finish(&r));
    err = d.err;
    /* builder argument errors on decoded input are format errors of the input */
    if (err == ITEE_ERR_ARG)
        err = ITEE_ERR_FORMAT;
    if (err != ITEE_OK) {
        metadata_builder_free(b);
        return err;
    }
    *out = b;
    *version = v;
    return ITEE_OK;
}
