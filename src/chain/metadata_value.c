/*
 * metadata_value.c - SCALE values walked by their registry type; name lookups in metadata.
 */
#include "chain/metadata_value.h"

#include <string.h>

#include "common/hex.h"
#include "common/int128.h"
#include "common/mem.h"

struct walk {
    const struct metadata_builder *md;
    struct scale_reader *r;
    bool build; /* false: skip only */
    unsigned depth;
};

static enum itee_err walk_value(struct walk *w, uint32_t ty, json_t **out);

static json_t *json_u128(itee_u128 v)
{
    if (v <= ((itee_u128)1 << 53))
        return json_integer((json_int_t)v);
    char dec[ITEE_U128_DEC_MAX];
    itee_u128_to_dec(dec, v);
    return json_string(dec);
}

static json_t *json_hex(const uint8_t *p, size_t n)
{
    char *s = itee_alloc(2 * n + 3);
    if (s == NULL)
        return NULL;
    s[0] = '0';
    s[1] = 'x';
    json_t *j = NULL;
    if (itee_hex_encode(s + 2, 2 * n + 1, p, n) == ITEE_OK)
        j = json_string(s);
    itee_free(s);
    return j;
}

/* Stores v into *out when building (NULL v means allocation failed). */
static enum itee_err emit(struct walk *w, json_t *v, json_t **out)
{
    if (!w->build) {
        json_decref(v);
        return ITEE_OK;
    }
    if (v == NULL)
        return ITEE_ERR_NOMEM;
    *out = v;
    return ITEE_OK;
}

static enum itee_err walk_int(struct walk *w, enum metadata_prim p, json_t **out)
{
    enum itee_err r;
    switch (p) {
    case METADATA_PRIM_U8:
    case METADATA_PRIM_I8: {
        uint8_t v;
        if ((r = scale_read_u8(w->r, &v)) != ITEE_OK)
            return r;
        return emit(w, json_integer(p == METADATA_PRIM_I8 ? (int8_t)v : v), out);
    }
    case METADATA_PRIM_U16:
    case METADATA_PRIM_I16: {
        uint16_t v;
        if ((r = scale_read_u16(w->r, &v)) != ITEE_OK)
            return r;
        return emit(w, json_integer(p == METADATA_PRIM_I16 ? (int16_t)v : v), out);
    }
    case METADATA_PRIM_U32:
    case METADATA_PRIM_I32:
    case METADATA_PRIM_CHAR: {
        uint32_t v;
        if ((r = scale_read_u32(w->r, &v)) != ITEE_OK)
            return r;
        return emit(w, json_integer(p == METADATA_PRIM_I32 ? (int32_t)v : (json_int_t)v), out);
    }
    case METADATA_PRIM_U64:
    case METADATA_PRIM_I64: {
        uint64_t v;
        if ((r = scale_read_u64(w->r, &v)) != ITEE_OK)
            return r;
        if (p == METADATA_PRIM_I64)
            return emit(w, json_integer((int64_t)v), out);
        return emit(w, json_u128(v), out);
    }
    case METADATA_PRIM_U128: {
        itee_u128 v;
        if ((r = scale_read_u128(w->r, &v)) != ITEE_OK)
            return r;
        return emit(w, json_u128(v), out);
    }
    default: { /* i128, u256, i256: fixed-size little-endian, shown as hex */
        size_t n = p == METADATA_PRIM_I128 ? 16 : 32;
        struct itee_slice s;
        if ((r = scale_read_slice(w->r, n, &s)) != ITEE_OK)
            return r;
        return emit(w, w->build ? json_hex(s.ptr, s.len) : NULL, out);
    }
    }
}

static enum itee_err walk_prim(struct walk *w, enum metadata_prim p, json_t **out)
{
    enum itee_err r;
    if (p == METADATA_PRIM_BOOL) {
        bool b;
        if ((r = scale_read_bool(w->r, &b)) != ITEE_OK)
            return r;
        return emit(w, json_boolean(b), out);
    }
    if (p == METADATA_PRIM_STR) {
        struct itee_slice s;
        if ((r = scale_read_str(w->r, &s)) != ITEE_OK)
            return r;
        return emit(w, w->build ? json_stringn((const char *)s.ptr, s.len) : NULL, out);
    }
    return walk_int(w, p, out);
}

static bool is_u8(const struct metadata_builder *md, uint32_t ty)
{
    const struct metadata_type *t = metadata_type_get(md, ty);
    return t != NULL && t->def == METADATA_DEF_PRIMITIVE && t->prim == METADATA_PRIM_U8;
}

/* n elements of type elem: u8 runs become hex, others arrays. */
static enum itee_err walk_seq(struct walk *w, uint32_t elem, size_t n, json_t **out)
{
    if (is_u8(w->md, elem)) {
        struct itee_slice s;
        enum itee_err r = scale_read_slice(w->r, n, &s);
        if (r != ITEE_OK)
            return r;
        return emit(w, w->build ? json_hex(s.ptr, s.len) : NULL, out);
    }
    json_t *arr = w->build ? json_array() : NULL;
    if (w->build && arr == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *v = NULL;
        enum itee_err r = walk_value(w, elem, &v);
        if (r == ITEE_OK && w->build && json_array_append_new(arr, v) != 0)
            r = ITEE_ERR_NOMEM;
        if (r != ITEE_OK) {
            json_decref(arr);
            return r;
        }
    }
    return emit(w, arr, out);
}

static enum itee_err walk_fields(struct walk *w, const struct metadata_field *f, size_t n,
                                 json_t **out)
{
    if (n == 1 && f[0].name == NULL) /* newtype: the value itself */
        return walk_value(w, f[0].ty, out);
    bool named = n > 0 && f[0].name != NULL;
    json_t *obj = w->build ? (named ? json_object() : json_array()) : NULL;
    if (w->build && obj == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *v = NULL;
        enum itee_err r = walk_value(w, f[i].ty, &v);
        if (r == ITEE_OK && w->build) {
            int rc = named ? json_object_set_new(obj, f[i].name ? f[i].name : "", v)
                           : json_array_append_new(obj, v);
            if (rc != 0)
                r = ITEE_ERR_NOMEM;
        }
        if (r != ITEE_OK) {
            json_decref(obj);
            return r;
        }
    }
    if (w->build && n == 0) { /* unit struct */
        json_decref(obj);
        obj = json_null();
    }
    return emit(w, obj, out);
}

static enum itee_err walk_variant(struct walk *w, uint32_t ty, const struct metadata_type *t,
                                  json_t **out)
{
    uint8_t idx;
    enum itee_err r = scale_read_u8(w->r, &idx);
    if (r != ITEE_OK)
        return r;
    const struct metadata_variant *v = metadata_find_variant_index(w->md, ty, idx);
    if (v == NULL)
        return ITEE_ERR_SCALE_VARIANT;
    bool option = t->path != NULL && strcmp(t->path, "Option") == 0;
    if (option && v->n_fields == 0)
        return emit(w, json_null(), out);
    if (v->n_fields == 0)
        return emit(w, json_string(v->name), out);
    json_t *inner = NULL;
    if ((r = walk_fields(w, v->fields, v->n_fields, &inner)) != ITEE_OK)
        return r;
    if (!w->build || option) {
        if (w->build)
            *out = inner;
        return ITEE_OK;
    }
    json_t *obj = json_object();
    if (obj == NULL || json_object_set_new(obj, v->name, inner) != 0) {
        json_decref(obj);
        return ITEE_ERR_NOMEM;
    }
    *out = obj;
    return ITEE_OK;
}

static enum itee_err walk_compact(struct walk *w, json_t **out)
{
    itee_u128 v;
    enum itee_err r = scale_read_compact_u128(w->r, &v);
    if (r != ITEE_OK)
        return r;
    return emit(w, json_u128(v), out);
}

static enum itee_err walk_bitseq(struct walk *w, json_t **out)
{
    uint64_t bits;
    enum itee_err r = scale_read_compact_u64(w->r, &bits);
    if (r != ITEE_OK)
        return r;
    /* bitvec's default store is u8 (the only one Substrate uses in practice) */
    uint64_t bytes = bits / 8 + (bits % 8 != 0);
    if (bytes > scale_reader_remaining(w->r))
        return ITEE_ERR_SCALE_LENGTH;
    struct itee_slice s;
    if ((r = scale_read_slice(w->r, (size_t)bytes, &s)) != ITEE_OK)
        return r;
    return emit(w, w->build ? json_hex(s.ptr, s.len) : NULL, out);
}

/* Returns: a lower bound of the encoded size of a value of type ty (0 for zero-sized types). */
static size_t min_size(const struct metadata_builder *md, uint32_t ty, unsigned depth)
{
    const struct metadata_type *t = metadata_type_get(md, ty);
    if (t == NULL || depth > 8)
        return 1; /* unknown: decoding will fail anyway; deep: a safe non-zero guess is wrong for
                   * nested zero-sized types only, which then hit the length check as malformed */
    size_t sum = 0;
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        for (size_t i = 0; i < t->n_fields; i++)
            sum += min_size(md, t->fields[i].ty, depth + 1);
        return sum;
    case METADATA_DEF_TUPLE:
        for (size_t i = 0; i < t->n_tuple; i++)
            sum += min_size(md, t->tuple[i], depth + 1);
        return sum;
    case METADATA_DEF_ARRAY:
        return t->len == 0 ? 0 : (min_size(md, t->elem, depth + 1) > 0 ? 1 : 0);
    default:
        return 1;
    }
}

static enum itee_err walk_body(struct walk *w, uint32_t ty, const struct metadata_type *t,
                               json_t **out)
{
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        return walk_fields(w, t->fields, t->n_fields, out);
    case METADATA_DEF_VARIANT:
        return walk_variant(w, ty, t, out);
    case METADATA_DEF_SEQUENCE: {
        /* a count the input cannot hold is refused before any work: each element takes at
         * least min bytes; sequences of zero-sized elements get a fixed bound */
        size_t min = min_size(w->md, t->elem, 0), n;
        enum itee_err r = scale_read_len(w->r, &n, min);
        if (r != ITEE_OK)
            return r;
        if (min == 0 && n > METADATA_VALUE_MAX_ZST)
            return ITEE_ERR_SCALE_LENGTH;
        return walk_seq(w, t->elem, n, out);
    }
    case METADATA_DEF_ARRAY:
        return walk_seq(w, t->elem, t->len, out);
    case METADATA_DEF_TUPLE: {
        json_t *arr = w->build ? json_array() : NULL;
        if (w->build && arr == NULL)
            return ITEE_ERR_NOMEM;
        for (size_t i = 0; i < t->n_tuple; i++) {
            json_t *v = NULL;
            enum itee_err r = walk_value(w, t->tuple[i], &v);
            if (r == ITEE_OK && w->build && json_array_append_new(arr, v) != 0)
                r = ITEE_ERR_NOMEM;
            if (r != ITEE_OK) {
                json_decref(arr);
                return r;
            }
        }
        if (w->build && t->n_tuple == 0) {
            json_decref(arr);
            arr = json_null();
        }
        return emit(w, arr, out);
    }
    case METADATA_DEF_PRIMITIVE:
        return walk_prim(w, t->prim, out);
    case METADATA_DEF_COMPACT:
        return walk_compact(w, out);
    case METADATA_DEF_BITSEQ:
        return walk_bitseq(w, out);
    }
    return ITEE_ERR_FORMAT;
}

static enum itee_err walk_value(struct walk *w, uint32_t ty, json_t **out)
{
    const struct metadata_type *t = metadata_type_get(w->md, ty);
    if (t == NULL)
        return ITEE_ERR_FORMAT;
    if (w->depth >= METADATA_VALUE_MAX_DEPTH)
        return ITEE_ERR_SPACE;
    w->depth++;
    enum itee_err r = walk_body(w, ty, t, out);
    w->depth--;
    return r;
}

enum itee_err metadata_value_decode(const struct metadata_builder *md, uint32_t ty,
                                    struct scale_reader *r, json_t **out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (md == NULL || r == NULL)
        return ITEE_ERR_ARG;
    struct walk w = {.md = md, .r = r, .build = true};
    json_t *v = NULL;
    enum itee_err e = walk_value(&w, ty, &v);
    if (e != ITEE_OK) {
        json_decref(v);
        return e;
    }
    *out = v;
    return ITEE_OK;
}

enum itee_err metadata_value_skip(const struct metadata_builder *md, uint32_t ty,
                                  struct scale_reader *r)
{
    if (md == NULL || r == NULL)
        return ITEE_ERR_ARG;
    struct walk w = {.md = md, .r = r, .build = false};
    json_t *unused = NULL;
    return walk_value(&w, ty, &unused);
}

const struct metadata_pallet *metadata_find_pallet(const struct metadata_builder *md,
                                                   const char *name)
{
    size_t n = metadata_pallet_count(md);
    for (size_t i = 0; i < n; i++) {
        const struct metadata_pallet *p = metadata_pallet_get(md, i);
        if (p != NULL && p->name != NULL && strcmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}

const struct metadata_pallet *metadata_find_pallet_index(const struct metadata_builder *md,
                                                         uint8_t index)
{
    size_t n = metadata_pallet_count(md);
    for (size_t i = 0; i < n; i++) {
        const struct metadata_pallet *p = metadata_pallet_get(md, i);
        if (p != NULL && p->index == index)
            return p;
    }
    return NULL;
}

const struct metadata_variant *metadata_find_variant(const struct metadata_builder *md, uint32_t ty,
                                                     const char *name)
{
    const struct metadata_type *t = metadata_type_get(md, ty);
    if (t == NULL || t->def != METADATA_DEF_VARIANT || name == NULL)
        return NULL;
    for (size_t i = 0; i < t->n_variants; i++)
        if (strcmp(t->variants[i].name, name) == 0)
            return &t->variants[i];
    return NULL;
}

const struct metadata_variant *metadata_find_variant_index(const struct metadata_builder *md,
                                                           uint32_t ty, uint8_t index)
{
    const struct metadata_type *t = metadata_type_get(md, ty);
    if (t == NULL || t->def != METADATA_DEF_VARIANT)
        return NULL;
    for (size_t i = 0; i < t->n_variants; i++)
        if (t->variants[i].index == index)
            return &t->variants[i];
    return NULL;
}

enum itee_err metadata_find_call(const struct metadata_builder *md, const char *pallet,
                                 const char *call, uint8_t idx[2])
{
    const struct metadata_pallet *p = metadata_find_pallet(md, pallet);
    if (p == NULL || p->calls == METADATA_TY_NONE)
        return ITEE_ERR_NOENT;
    const struct metadata_variant *v = metadata_find_variant(md, p->calls, call);
    if (v == NULL)
        return ITEE_ERR_NOENT;
    idx[0] = p->index;
    idx[1] = v->index;
    return ITEE_OK;
}

const struct metadata_storage_entry *metadata_find_storage(const struct metadata_builder *md,
                                                           const char *pallet, const char *item,
                                                           const struct metadata_pallet **p_out)
{
    const struct metadata_pallet *p = metadata_find_pallet(md, pallet);
    if (p == NULL)
        return NULL;
    for (size_t i = 0; i < p->n_storage; i++)
        if (strcmp(p->storage[i].name, item) == 0) {
            if (p_out != NULL)
                *p_out = p;
            return &p->storage[i];
        }
    return NULL;
}

const struct metadata_constant *metadata_find_constant(const struct metadata_builder *md,
                                                       const char *pallet, const char *name)
{
    const struct metadata_pallet *p = metadata_find_pallet(md, pallet);
    if (p == NULL)
        return NULL;
    for (size_t i = 0; i < p->n_constants; i++)
        if (strcmp(p->constants[i].name, name) == 0)
            return &p->constants[i];
    return NULL;
}

static json_t *phase_json(uint8_t tag, uint32_t ext)
{
    if (tag == 0)
        return json_pack("{s:I}", "ApplyExtrinsic", (json_int_t)ext);
    return json_string(tag == 1 ? "Finalization" : "Initialization");
}

static enum itee_err event_decode_one(const struct metadata_builder *md, struct scale_reader *r,
                                      json_t **out)
{
    uint8_t tag, pallet_idx, ev_idx;
    uint32_t ext = 0;
    enum itee_err e = scale_read_u8(r, &tag);
    if (e == ITEE_OK && tag > 2)
        e = ITEE_ERR_SCALE_VARIANT;
    if (e == ITEE_OK && tag == 0)
        e = scale_read_u32(r, &ext);
    if (e == ITEE_OK)
        e = scale_read_u8(r, &pallet_idx);
    if (e == ITEE_OK)
        e = scale_read_u8(r, &ev_idx);
    if (e != ITEE_OK)
        return e;
    const struct metadata_pallet *p = metadata_find_pallet_index(md, pallet_idx);
    if (p == NULL || p->events == METADATA_TY_NONE)
        return ITEE_ERR_SCALE_VARIANT;
    const struct metadata_variant *v = metadata_find_variant_index(md, p->events, ev_idx);
    if (v == NULL)
        return ITEE_ERR_SCALE_VARIANT;
    struct walk w = {.md = md, .r = r, .build = true};
    json_t *fields = NULL;
    if ((e = walk_fields(&w, v->fields, v->n_fields, &fields)) != ITEE_OK)
        return e;
    size_t n_topics;
    json_t *topics = json_array();
    e = topics ? scale_read_len(r, &n_topics, 32) : ITEE_ERR_NOMEM;
    for (size_t i = 0; e == ITEE_OK && i < n_topics; i++) {
        struct itee_slice t;
        e = scale_read_slice(r, 32, &t);
        if (e == ITEE_OK && json_array_append_new(topics, json_hex(t.ptr, 32)) != 0)
            e = ITEE_ERR_NOMEM;
    }
    json_t *rec = NULL;
    if (e == ITEE_OK) {
        rec = json_pack("{s:o, s:s, s:s, s:o, s:o}", "phase", phase_json(tag, ext), "pallet",
                        p->name, "event", v->name, "fields", fields, "topics", topics);
        fields = topics = NULL; /* stolen, also on failure */
        if (rec == NULL)
            e = ITEE_ERR_NOMEM;
    }
    json_decref(fields);
    json_decref(topics);
    *out = rec;
    return e;
}

enum itee_err metadata_events_decode(const struct metadata_builder *md, const uint8_t *data,
                                     size_t len, json_t **out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (md == NULL || (data == NULL && len > 0))
        return ITEE_ERR_ARG;
    struct scale_reader r;
    scale_reader_init(&r, data, len);
    size_t n;
    /* every record takes at least 3 bytes (phase, pallet, event) */
    enum itee_err e = scale_read_len(&r, &n, 3);
    if (e != ITEE_OK)
        return e;
    json_t *arr = json_array();
    if (arr == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n && e == ITEE_OK; i++) {
        json_t *rec = NULL;
        e = event_decode_one(md, &r, &rec);
        if (e == ITEE_OK && json_array_append_new(arr, rec) != 0)
            e = ITEE_ERR_NOMEM;
    }
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK) {
        json_decref(arr);
        return e;
    }
    *out = arr;
    return ITEE_OK;
}
