/*
 * scale_value.c - dynamic SCALE codec: polkadot-js type strings / JSON definitions parsed into
 * a type tree, and values moved between SCALE bytes and polkadot-js-shaped JSON.
 * See scale_value.h for the type grammar, the JSON shapes and the limits.
 *
 * Every integer goes through a 264-bit two's-complement little-endian scratch value
 * (struct big), wide enough for u256 and i256 with a sign, so one code path does parsing,
 * range checks, hex and decimal output for all widths.
 */
#include "codec/scale_value.h"

#include <string.h>

#include "common/hex.h"
#include "common/mem.h"

/* What a type node is. */
enum kind {
    K_NULL,    /* Null: no bytes */
    K_BOOL,    /* bool */
    K_UINT,    /* u8..u256 (bits) */
    K_INT,     /* i8..i256 (bits) */
    K_COMPACT, /* Compact<uN> (bits = N) */
    K_OPTION,  /* Option<sub[0]> */
    K_RESULT,  /* Result<sub[0], sub[1]> */
    K_VEC,     /* Vec<sub[0]> (never u8: that is K_BYTES) */
    K_BYTES,   /* Bytes / Vec<u8> */
    K_TEXT,    /* Text / String */
    K_TUPLE,   /* (sub[0], ...); () when nsub == 0 */
    K_ARRAY,   /* [sub[0]; count] */
    K_MAP,     /* BTreeMap<sub[0], sub[1]> */
    K_SET,     /* BTreeSet<sub[0]> */
    K_STRUCT,  /* fields sub[i] named names[i] */
    K_ENUM,    /* variants sub[i] named names[i] with wire index index[i] */
};

struct scale_type {
    enum kind kind;          /* what this node is */
    unsigned bits;           /* integer width for K_UINT / K_INT / K_COMPACT */
    size_t count;            /* K_ARRAY: element count N */
    size_t nsub;             /* number of entries in sub (and names / index) */
    struct scale_type **sub; /* child types, meaning per kind (see enum kind) */
    char **names;            /* K_STRUCT field names, K_ENUM variant names (NUL-terminated) */
    uint8_t *index;          /* K_ENUM: wire index of each variant */
    bool basic;              /* K_ENUM with only Null variants: JSON is the bare name */
    size_t min_size;         /* least encoded size of a value (saturating) */
};

/* Longest struct field / enum variant name we accept. */
#define NAME_MAX_LEN 256

/* ---- type nodes ---- */

void scale_type_free(struct scale_type *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nsub; i++) {
        scale_type_free(t->sub[i]);
        if (t->names != NULL)
            itee_free(t->names[i]);
    }
    itee_free(t->sub);
    itee_free(t->names);
    itee_free(t->index);
    itee_free(t);
}

size_t scale_type_min_size(const struct scale_type *t)
{
    return t->min_size;
}

/* Parser state shared by the whole parse: the node budget. */
struct parse_ctx {
    size_t nodes; /* nodes created so far */
};

static enum itee_err type_new(struct parse_ctx *pc, enum kind k, struct scale_type **out)
{
    *out = NULL;
    if (++pc->nodes > SCALE_TYPE_MAX_NODES)
        return ITEE_ERR_SPACE;
    struct scale_type *t = itee_zalloc(sizeof(*t));
    if (t == NULL)
        return ITEE_ERR_NOMEM;
    t->kind = k;
    *out = t;
    return ITEE_OK;
}

/*
 * Appends child (taking ownership, also on failure) to t, with a name when name != NULL.
 * Growing one slot at a time is fine: the node budget bounds the total.
 */
static enum itee_err add_sub(struct scale_type *t, struct scale_type *child, const char *name,
                             size_t name_len)
{
    enum itee_err r = ITEE_ERR_NOMEM;
    char *copy = NULL;
    if (name != NULL) {
        if (name_len == 0 || name_len > NAME_MAX_LEN || memchr(name, 0, name_len) != NULL) {
            r = ITEE_ERR_PARSE;
            goto out_free;
        }
        copy = itee_alloc(name_len + 1);
        if (copy == NULL)
            goto out_free;
        memcpy(copy, name, name_len);
        copy[name_len] = '\0';
    }
    struct scale_type **sub = itee_realloc(t->sub, (t->nsub + 1) * sizeof(*sub));
    if (sub == NULL)
        goto out_free;
    t->sub = sub;
    if (name != NULL) {
        char **names = itee_realloc(t->names, (t->nsub + 1) * sizeof(*names));
        if (names == NULL)
            goto out_free;
        t->names = names;
        names[t->nsub] = copy;
        copy = NULL;
    }
    sub[t->nsub++] = child;
    return ITEE_OK;
out_free:
    itee_free(copy);
    scale_type_free(child);
    return r;
}

static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
    return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

static bool is_u8(const struct scale_type *t)
{
    return t->kind == K_UINT && t->bits == 8;
}

/* Computes min_size (and basic for enums) once the children are in place. */
static void type_finish(struct scale_type *t)
{
    size_t m = 0;
    switch (t->kind) {
    case K_NULL:
        m = 0;
        break;
    case K_UINT:
    case K_INT:
        m = t->bits / 8;
        break;
    case K_TUPLE:
    case K_STRUCT:
        for (size_t i = 0; i < t->nsub; i++)
            m = sat_add(m, t->sub[i]->min_size);
        break;
    case K_ARRAY:
        m = sat_mul(t->sub[0]->min_size, t->count);
        break;
    case K_ENUM: {
        size_t least = SIZE_MAX;
        t->basic = true;
        for (size_t i = 0; i < t->nsub; i++) {
            if (t->sub[i]->min_size < least)
                least = t->sub[i]->min_size;
            if (t->sub[i]->kind != K_NULL)
                t->basic = false;
        }
        m = sat_add(1, t->nsub == 0 ? 0 : least);
        break;
    }
    default: /* bool, compact, option, result, and the length-prefixed kinds */
        m = 1;
        break;
    }
    t->min_size = m;
}

/* ---- type strings ---- */

/* A cursor over type text. */
struct tparser {
    const char *s;         /* the text */
    size_t len;            /* its length */
    size_t pos;            /* next unread character */
    struct parse_ctx *ctx; /* shared budget */
};

static enum itee_err parse_type(struct tparser *p, unsigned depth, struct scale_type **out);
static enum itee_err parse_json_def(const json_t *j, struct parse_ctx *pc, unsigned depth,
                                    struct scale_type **out);

static void skip_ws(struct tparser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                               p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

/* Consumes c (after whitespace) if it is next. */
static bool eat(struct tparser *p, char c)
{
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == c) {
        p->pos++;
        return true;
    }
    return false;
}

/* Parses a whole text as exactly one type. */
static enum itee_err parse_text(const char *s, size_t len, struct parse_ctx *pc, unsigned depth,
                                struct scale_type **out)
{
    struct tparser p = {s, len, 0, pc};
    enum itee_err r = parse_type(&p, depth, out);
    if (r != ITEE_OK)
        return r;
    skip_ws(&p);
    if (p.pos != p.len) {
        scale_type_free(*out);
        *out = NULL;
        return ITEE_ERR_PARSE;
    }
    return ITEE_OK;
}

/* An embedded JSON definition: jansson stops after the first complete value. */
static enum itee_err parse_inline_json(struct tparser *p, unsigned depth, struct scale_type **out)
{
    json_error_t jerr;
    json_t *j = json_loadb(p->s + p->pos, p->len - p->pos,
                           JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL)
        return ITEE_ERR_PARSE;
    p->pos += (size_t)jerr.position;
    enum itee_err r = parse_json_def(j, p->ctx, depth, out);
    json_decref(j);
    return r;
}

/* "(A, B, ...)" after the '(' was consumed. (T) is T, as in polkadot-js. */
static enum itee_err parse_tuple(struct tparser *p, unsigned depth, struct scale_type **out)
{
    struct scale_type *t = NULL;
    enum itee_err r = type_new(p->ctx, K_TUPLE, &t);
    if (r != ITEE_OK)
        return r;
    if (!eat(p, ')')) {
        for (;;) {
            struct scale_type *child = NULL;
            r = parse_type(p, depth + 1, &child);
            if (r == ITEE_OK)
                r = add_sub(t, child, NULL, 0);
            if (r != ITEE_OK)
                goto out_free;
            if (eat(p, ')'))
                break;
            if (!eat(p, ',')) {
                r = ITEE_ERR_PARSE;
                goto out_free;
            }
        }
    }
    if (t->nsub == 1) {
        *out = t->sub[0];
        t->nsub = 0;
        scale_type_free(t);
        return ITEE_OK;
    }
    type_finish(t);
    *out = t;
    return ITEE_OK;
out_free:
    scale_type_free(t);
    return r;
}

/* "[T; N]" after the '[' was consumed. */
static enum itee_err parse_array(struct tparser *p, unsigned depth, struct scale_type **out)
{
    struct scale_type *t = NULL, *elem = NULL;
    enum itee_err r = type_new(p->ctx, K_ARRAY, &t);
    if (r != ITEE_OK)
        return r;
    r = parse_type(p, depth + 1, &elem);
    if (r == ITEE_OK)
        r = add_sub(t, elem, NULL, 0);
    if (r != ITEE_OK)
        goto out_free;
    r = ITEE_ERR_PARSE;
    if (!eat(p, ';'))
        goto out_free;
    skip_ws(p);
    size_t n = 0, digits = 0;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        n = n * 10 + (size_t)(p->s[p->pos++] - '0');
        if (n > SCALE_TYPE_MAX_ARRAY) {
            r = ITEE_ERR_SPACE;
            goto out_free;
        }
        digits++;
    }
    if (digits == 0 || !eat(p, ']'))
        goto out_free;
    t->count = n;
    type_finish(t);
    *out = t;
    return ITEE_OK;
out_free:
    scale_type_free(t);
    return r;
}

/* Type names without parameters. */
static const struct {
    const char *name; /* as written in a type string */
    enum kind kind;   /* node kind */
    unsigned bits;    /* integer width */
} simple_types[] = {
    {"bool", K_BOOL, 0},  {"u8", K_UINT, 8},     {"u16", K_UINT, 16},   {"u32", K_UINT, 32},
    {"u64", K_UINT, 64},  {"u128", K_UINT, 128}, {"u256", K_UINT, 256}, {"i8", K_INT, 8},
    {"i16", K_INT, 16},   {"i32", K_INT, 32},    {"i64", K_INT, 64},    {"i128", K_INT, 128},
    {"i256", K_INT, 256}, {"Bytes", K_BYTES, 0}, {"Text", K_TEXT, 0},   {"String", K_TEXT, 0},
    {"Str", K_TEXT, 0},   {"Null", K_NULL, 0},
};

/* Type constructors with parameters. */
static const struct {
    const char *name; /* as written, before '<' */
    enum kind kind;   /* node kind */
    size_t nargs;     /* number of type parameters */
} generic_types[] = {
    {"Compact", K_COMPACT, 1}, {"Option", K_OPTION, 1}, {"Result", K_RESULT, 2},
    {"Vec", K_VEC, 1},         {"BTreeMap", K_MAP, 2},  {"BTreeSet", K_SET, 1},
};

static bool name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* "Name<A, B>" with the name at s[0..n) and p positioned after it. */
static enum itee_err parse_generic(struct tparser *p, const char *s, size_t n, unsigned depth,
                                   struct scale_type **out)
{
    size_t g = 0;
    while (g < sizeof(generic_types) / sizeof(generic_types[0]) &&
           !name_is(s, n, generic_types[g].name))
        g++;
    if (g == sizeof(generic_types) / sizeof(generic_types[0]) || !eat(p, '<'))
        return ITEE_ERR_PARSE;
    struct scale_type *t = NULL;
    enum itee_err r = type_new(p->ctx, generic_types[g].kind, &t);
    if (r != ITEE_OK)
        return r;
    for (size_t i = 0; i < generic_types[g].nargs; i++) {
        struct scale_type *child = NULL;
        r = ITEE_ERR_PARSE;
        if (i > 0 && !eat(p, ','))
            goto out_free;
        r = parse_type(p, depth + 1, &child);
        if (r == ITEE_OK)
            r = add_sub(t, child, NULL, 0);
        if (r != ITEE_OK)
            goto out_free;
    }
    r = ITEE_ERR_PARSE;
    if (!eat(p, '>'))
        goto out_free;
    if (t->kind == K_COMPACT) {
        if (t->sub[0]->kind != K_UINT || t->sub[0]->bits > 128)
            goto out_free;
        t->bits = t->sub[0]->bits;
    }
    if (t->kind == K_VEC && is_u8(t->sub[0])) {
        /* polkadot-js maps Vec<u8> to Bytes (hex JSON) */
        scale_type_free(t->sub[0]);
        t->nsub = 0;
        t->kind = K_BYTES;
    }
    type_finish(t);
    *out = t;
    return ITEE_OK;
out_free:
    scale_type_free(t);
    return r;
}

static bool is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static enum itee_err parse_type(struct tparser *p, unsigned depth, struct scale_type **out)
{
    *out = NULL;
    if (depth > SCALE_TYPE_MAX_DEPTH)
        return ITEE_ERR_SPACE;
    skip_ws(p);
    if (p->pos == p->len)
        return ITEE_ERR_PARSE;
    char c = p->s[p->pos];
    if (c == '{')
        return parse_inline_json(p, depth, out);
    if (c == '(') {
        p->pos++;
        return parse_tuple(p, depth, out);
    }
    if (c == '[') {
        p->pos++;
        return parse_array(p, depth, out);
    }
    const char *name = p->s + p->pos;
    size_t n = 0;
    while (p->pos < p->len && is_ident_char(p->s[p->pos])) {
        p->pos++;
        n++;
    }
    if (n == 0)
        return ITEE_ERR_PARSE;
    for (size_t i = 0; i < sizeof(simple_types) / sizeof(simple_types[0]); i++) {
        if (!name_is(name, n, simple_types[i].name))
            continue;
        enum itee_err r = type_new(p->ctx, simple_types[i].kind, out);
        if (r != ITEE_OK)
            return r;
        (*out)->bits = simple_types[i].bits;
        type_finish(*out);
        return ITEE_OK;
    }
    return parse_generic(p, name, n, depth, out);
}

/* ---- JSON type definitions ---- */

/* Adds one enum variant; index_value < 0 means "declaration position". */
static enum itee_err enum_add(struct scale_type *t, const char *name, size_t name_len,
                              struct scale_type *vtype, long long index_value)
{
    if (t->nsub >= 256) {
        scale_type_free(vtype);
        return ITEE_ERR_PARSE;
    }
    uint8_t idx = (uint8_t)(index_value < 0 ? (long long)t->nsub : index_value);
    for (size_t i = 0; i < t->nsub; i++) {
        if (t->index[i] == idx || name_is(name, name_len, t->names[i])) {
            scale_type_free(vtype);
            return ITEE_ERR_PARSE;
        }
    }
    uint8_t *index = itee_realloc(t->index, t->nsub + 1);
    if (index == NULL) {
        scale_type_free(vtype);
        return ITEE_ERR_NOMEM;
    }
    t->index = index;
    index[t->nsub] = idx;
    return add_sub(t, vtype, name, name_len);
}

static enum itee_err parse_enum(const json_t *def, struct parse_ctx *pc, unsigned depth,
                                struct scale_type **out)
{
    struct scale_type *t = NULL;
    enum itee_err r = type_new(pc, K_ENUM, &t);
    if (r != ITEE_OK)
        return r;
    if (json_is_array(def)) {
        for (size_t i = 0; i < json_array_size(def); i++) {
            const json_t *name = json_array_get(def, i);
            struct scale_type *unit = NULL;
            r = ITEE_ERR_PARSE;
            if (!json_is_string(name))
                goto out_free;
            r = type_new(pc, K_NULL, &unit);
            if (r == ITEE_OK)
                r = enum_add(t, json_string_value(name), json_string_length(name), unit, -1);
            if (r != ITEE_OK)
                goto out_free;
        }
    } else if (json_is_object(def)) {
        int indexed = -1; /* unknown until the first variant: explicit indices or types */
        const char *key;
        json_t *val;
        size_t key_len;
        json_object_keylen_foreach((json_t *)def, key, key_len, val)
        {
            struct scale_type *vtype = NULL;
            long long idx = -1;
            int this_indexed = json_is_integer(val);
            r = ITEE_ERR_PARSE;
            if (indexed >= 0 && indexed != this_indexed)
                goto out_free;
            indexed = this_indexed;
            if (this_indexed) {
                idx = json_integer_value(val);
                if (idx < 0 || idx > 255)
                    goto out_free;
                r = type_new(pc, K_NULL, &vtype);
            } else {
                r = parse_json_def(val, pc, depth + 1, &vtype);
            }
            if (r == ITEE_OK)
                r = enum_add(t, key, key_len, vtype, idx);
            if (r != ITEE_OK)
                goto out_free;
        }
    } else {
        r = ITEE_ERR_PARSE;
        goto out_free;
    }
    type_finish(t);
    *out = t;
    return ITEE_OK;
out_free:
    scale_type_free(t);
    return r;
}

static enum itee_err parse_json_def(const json_t *j, struct parse_ctx *pc, unsigned depth,
                                    struct scale_type **out)
{
    *out = NULL;
    if (depth > SCALE_TYPE_MAX_DEPTH)
        return ITEE_ERR_SPACE;
    if (json_is_string(j))
        return parse_text(json_string_value(j), json_string_length(j), pc, depth, out);
    if (!json_is_object(j))
        return ITEE_ERR_PARSE;
    const json_t *en = json_object_get(j, "_enum");
    if (en != NULL) {
        if (json_object_size(j) != 1)
            return ITEE_ERR_PARSE;
        return parse_enum(en, pc, depth, out);
    }
    struct scale_type *t = NULL;
    enum itee_err r = type_new(pc, K_STRUCT, &t);
    if (r != ITEE_OK)
        return r;
    const char *key;
    json_t *val;
    size_t key_len;
    json_object_keylen_foreach((json_t *)j, key, key_len, val)
    {
        struct scale_type *field = NULL;
        /* _set, _alias, _fallback, ...: polkadot-js features we do not model */
        r = ITEE_ERR_UNSUPPORTED;
        if (key_len > 0 && key[0] == '_')
            goto out_free;
        r = parse_json_def(val, pc, depth + 1, &field);
        if (r == ITEE_OK)
            r = add_sub(t, field, key, key_len);
        if (r != ITEE_OK)
            goto out_free;
    }
    type_finish(t);
    *out = t;
    return ITEE_OK;
out_free:
    scale_type_free(t);
    return r;
}

enum itee_err scale_type_parse(const char *text, size_t len, struct scale_type **out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (text == NULL && len > 0)
        return ITEE_ERR_ARG;
    if (len > SCALE_TYPE_MAX_TEXT)
        return ITEE_ERR_SPACE;
    struct parse_ctx pc = {0};
    return parse_text(text, len, &pc, 0, out);
}

/* ---- wide integers ---- */

#define BIG_LEN 33

/* A 264-bit two's-complement integer, little-endian. */
struct big {
    uint8_t b[BIG_LEN]; /* value bytes, least significant first */
};

static bool big_is_neg(const struct big *v)
{
    return (v->b[BIG_LEN - 1] & 0x80) != 0;
}

static void big_negate(struct big *v)
{
    unsigned carry = 1;
    for (size_t i = 0; i < BIG_LEN; i++) {
        unsigned x = (unsigned)(uint8_t)~v->b[i] + carry;
        v->b[i] = (uint8_t)x;
        carry = x >> 8;
    }
}

/* Loads n little-endian bytes, sign-extending when is_signed. */
static void big_from_le(struct big *v, const uint8_t *p, size_t n, bool is_signed)
{
    uint8_t fill = is_signed && n > 0 && (p[n - 1] & 0x80) ? 0xff : 0;
    memset(v->b, fill, BIG_LEN);
    memcpy(v->b, p, n);
}

static void big_from_u128(struct big *v, itee_u128 x)
{
    memset(v->b, 0, BIG_LEN);
    for (size_t i = 0; i < 16; i++, x >>= 8)
        v->b[i] = (uint8_t)x;
}

static itee_u128 big_low_u128(const struct big *v)
{
    itee_u128 x = 0;
    for (size_t i = 16; i > 0; i--)
        x = (x << 8) | v->b[i - 1];
    return x;
}

/* v = v * 10 + d on the magnitude; false once it no longer fits 256 bits. */
static bool big_mul10_add(struct big *v, unsigned d)
{
    unsigned carry = d;
    for (size_t i = 0; i < BIG_LEN; i++) {
        unsigned x = v->b[i] * 10u + carry;
        v->b[i] = (uint8_t)x;
        carry = x >> 8;
    }
    return carry == 0 && v->b[BIG_LEN - 1] == 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * "0x..." is big-endian hex; for signed types it is two's complement over its own byte
 * length, as polkadot-js hexToBn(..., {isNegative: true}) reads it.
 */
static enum itee_err big_from_hex(struct big *v, const char *s, size_t n, bool is_signed)
{
    memset(v->b, 0, BIG_LEN);
    if (n > 64)
        return ITEE_ERR_SCALE_OVERFLOW;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(s[n - 1 - i]);
        if (d < 0)
            return ITEE_ERR_ARG;
        v->b[i / 2] |= (uint8_t)(d << (4 * (i % 2)));
    }
    size_t nbytes = (n + 1) / 2;
    if (is_signed && nbytes > 0 && (v->b[nbytes - 1] & 0x80))
        memset(v->b + nbytes, 0xff, BIG_LEN - nbytes);
    return ITEE_OK;
}

static enum itee_err big_from_decimal(struct big *v, const char *s, size_t n)
{
    memset(v->b, 0, BIG_LEN);
    bool neg = n > 0 && s[0] == '-';
    size_t i = neg ? 1 : 0;
    if (i == n)
        return ITEE_ERR_ARG;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return ITEE_ERR_ARG;
        if (!big_mul10_add(v, (unsigned)(s[i] - '0')))
            return ITEE_ERR_SCALE_OVERFLOW;
    }
    if (neg)
        big_negate(v);
    return ITEE_OK;
}

/* An integer from JSON: a number, a decimal string, or a 0x hex string. */
static enum itee_err big_from_json(struct big *v, const json_t *j, bool is_signed)
{
    memset(v->b, 0, BIG_LEN);
    long long x;
    if (json_is_integer(j)) {
        x = json_integer_value(j);
    } else if (json_is_real(j)) {
        double d = json_real_value(j);
        /* JS numbers arrive as reals only when written with an exponent or fraction */
        if (!(d > -9.2e18 && d < 9.2e18) || (double)(long long)d != d)
            return ITEE_ERR_ARG;
        x = (long long)d;
    } else if (json_is_string(j)) {
        const char *s = json_string_value(j);
        size_t n = json_string_length(j);
        if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            return big_from_hex(v, s + 2, n - 2, is_signed);
        return big_from_decimal(v, s, n);
    } else {
        return ITEE_ERR_ARG;
    }
    memset(v->b, x < 0 ? 0xff : 0, BIG_LEN);
    unsigned long long u = (unsigned long long)x;
    for (size_t i = 0; i < 8; i++, u >>= 8)
        v->b[i] = (uint8_t)u;
    return ITEE_OK;
}

/* Returns: true iff v fits a bits-wide integer of the given signedness. */
static bool big_fits(const struct big *v, unsigned bits, bool is_signed)
{
    size_t nb = bits / 8;
    uint8_t fill = 0;
    if (is_signed && (v->b[nb - 1] & 0x80))
        fill = 0xff;
    for (size_t i = nb; i < BIG_LEN; i++)
        if (v->b[i] != fill)
            return false;
    return true;
}

static int big_cmp(const struct big *a, const struct big *b)
{
    bool na = big_is_neg(a), nb = big_is_neg(b);
    if (na != nb)
        return na ? -1 : 1;
    for (size_t i = BIG_LEN; i > 0; i--)
        if (a->b[i - 1] != b->b[i - 1])
            return a->b[i - 1] < b->b[i - 1] ? -1 : 1;
    return 0;
}

/* polkadot-js AbstractInt.toJSON: a number up to 52 significant bits, else full-width hex. */
static json_t *big_to_json(const struct big *v, unsigned bits)
{
    struct big mag = *v;
    bool neg = big_is_neg(v);
    if (neg)
        big_negate(&mag);
    size_t top = BIG_LEN;
    while (top > 0 && mag.b[top - 1] == 0)
        top--;
    bool small = top <= 6 || (top == 7 && mag.b[6] < 0x10); /* < 2^52 */
    if (bits <= 128 && small) {
        long long m = 0;
        for (size_t i = top; i > 0; i--)
            m = (m << 8) | mag.b[i - 1];
        return json_integer(neg ? -m : m);
    }
    char text[2 + 64 + 1] = "0x";
    size_t nb = bits / 8;
    for (size_t i = 0; i < nb; i++) {
        static const char digits[] = "0123456789abcdef";
        text[2 + 2 * i] = digits[v->b[nb - 1 - i] >> 4];
        text[3 + 2 * i] = digits[v->b[nb - 1 - i] & 15];
    }
    return json_stringn(text, 2 + 2 * nb);
}

/* Appends the decimal form of v (BN.toString()). */
static enum itee_err big_to_decimal(const struct big *v, struct itee_buf *out)
{
    struct big mag = *v;
    bool neg = big_is_neg(v);
    if (neg)
        big_negate(&mag);
    char digits[90];
    size_t n = 0;
    bool nonzero;
    do {
        unsigned rem = 0;
        nonzero = false;
        for (size_t i = BIG_LEN; i > 0; i--) {
            unsigned cur = (rem << 8) | mag.b[i - 1];
            mag.b[i - 1] = (uint8_t)(cur / 10);
            rem = cur % 10;
            nonzero |= mag.b[i - 1] != 0;
        }
        digits[n++] = (char)('0' + rem);
    } while (nonzero && n < sizeof(digits));
    enum itee_err r = neg ? itee_buf_push(out, '-') : ITEE_OK;
    for (size_t i = n; i > 0 && r == ITEE_OK; i--)
        r = itee_buf_push(out, (uint8_t)digits[i - 1]);
    return r;
}

/* ---- names ---- */

static bool is_sep(char c)
{
    return c == '-' || c == '_' || c == '.' || c == ' ';
}

static bool is_upper_digit(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static char to_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/*
 * polkadot-js stringCamelCase (ASCII): split on runs of - _ . space; an all-caps/digit word
 * is lowercased; a leading run of 2+ capitals keeps only its last capital ("NFTOrder" ->
 * "nftOrder"); then the first word starts lowercase and the others uppercase.
 * out has room for strlen(in) + 1. Returns: the output length.
 */
static size_t camel_case(const char *in, char *out)
{
    size_t n = strlen(in), i = 0, o = 0, words = 0;
    while (i < n) {
        while (i < n && is_sep(in[i]))
            i++;
        if (i == n)
            break;
        size_t start = i;
        while (i < n && !is_sep(in[i]))
            i++;
        char *w = out + o;
        size_t wl = i - start;
        memcpy(w, in + start, wl);
        size_t run = 0;
        while (run < wl && is_upper_digit(w[run]))
            run++;
        if (run == wl) {
            for (size_t k = 0; k < wl; k++)
                w[k] = to_lower(w[k]);
        } else {
            /* the regex /^[\dA-Z]{2,}[^a-z]/ with its backtracking */
            size_t m = 0;
            if (run >= 2 && !is_lower(w[run]))
                m = run + 1;
            else if (run >= 3)
                m = run;
            for (size_t k = 0; k + 1 < m; k++)
                w[k] = to_lower(w[k]);
            if (m > 0)
                w[m - 1] = to_upper(w[m - 1]);
        }
        w[0] = words == 0 ? to_lower(w[0]) : to_upper(w[0]);
        o += wl;
        words++;
    }
    out[o] = '\0';
    return o;
}

/* Returns: the variant whose name or camelCase name is s[0..n), or -1. */
static long find_variant(const struct scale_type *t, const char *s, size_t n)
{
    char camel[NAME_MAX_LEN + 1];
    for (size_t i = 0; i < t->nsub; i++)
        if (name_is(s, n, t->names[i]))
            return (long)i;
    for (size_t i = 0; i < t->nsub; i++) {
        size_t cl = camel_case(t->names[i], camel);
        if (cl == n && memcmp(camel, s, n) == 0)
            return (long)i;
    }
    return -1;
}

static long find_index(const struct scale_type *t, uint8_t index)
{
    for (size_t i = 0; i < t->nsub; i++)
        if (t->index[i] == index)
            return (long)i;
    return -1;
}

/* ---- encoding ---- */

static enum itee_err enc(const struct scale_type *t, const json_t *v, struct itee_buf *out);

/*
 * Bytes from JSON the way polkadot-js u8aToU8a reads them: "0x" + even hex, an array of
 * bytes, or any other string as its UTF-8. Out: *p (itee_free it; NULL when empty), *n.
 */
static enum itee_err json_bytes(const json_t *v, uint8_t **p, size_t *n)
{
    *p = NULL;
    *n = 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        bool hex = len >= 2 && s[0] == '0' && s[1] == 'x' && len % 2 == 0;
        for (size_t i = 2; hex && i < len; i++)
            hex = hex_digit(s[i]) >= 0;
        size_t bytes = hex ? (len - 2) / 2 : len;
        if (bytes == 0)
            return ITEE_OK;
        *p = itee_alloc(bytes);
        if (*p == NULL)
            return ITEE_ERR_NOMEM;
        if (hex) {
            size_t got = 0;
            if (itee_hex_decode(*p, bytes, &got, s, len) != ITEE_OK)
                return ITEE_ERR_INTERNAL;
        } else {
            memcpy(*p, s, len);
        }
        *n = bytes;
        return ITEE_OK;
    }
    if (!json_is_array(v))
        return ITEE_ERR_ARG;
    size_t count = json_array_size(v);
    if (count == 0)
        return ITEE_OK;
    *p = itee_alloc(count);
    if (*p == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < count; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 255) {
            itee_free(*p);
            *p = NULL;
            return ITEE_ERR_ARG;
        }
        (*p)[i] = (uint8_t)json_integer_value(e);
    }
    *n = count;
    return ITEE_OK;
}

static enum itee_err enc_int(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    struct big b;
    bool is_signed = t->kind == K_INT;
    enum itee_err r = big_from_json(&b, v, is_signed);
    if (r != ITEE_OK)
        return r;
    if (!big_fits(&b, t->bits, is_signed))
        return ITEE_ERR_SCALE_OVERFLOW;
    if (t->kind == K_COMPACT)
        return scale_put_compact_u128(out, big_low_u128(&b));
    return scale_put_bytes(out, b.b, t->bits / 8);
}

static enum itee_err enc_bytes(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    uint8_t *p = NULL;
    size_t n = 0;
    enum itee_err r = json_bytes(v, &p, &n);
    if (r != ITEE_OK)
        return r;
    if (t->kind == K_BYTES)
        r = scale_put_vec_u8(out, p, n);
    else if (n != t->count)
        r = ITEE_ERR_ARG;
    else
        r = scale_put_bytes(out, p, n);
    itee_free(p);
    return r;
}

/* Vec / tuple / [T;N] elements from a JSON array. */
static enum itee_err enc_seq(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    if (t->kind == K_TUPLE && t->nsub == 0 && json_is_null(v))
        return ITEE_OK;
    if (!json_is_array(v))
        return ITEE_ERR_ARG;
    size_t n = json_array_size(v);
    enum itee_err r = ITEE_OK;
    if (t->kind == K_VEC) {
        if (n > UINT32_MAX)
            return ITEE_ERR_SCALE_LENGTH;
        r = scale_put_compact(out, n);
    } else if (n != (t->kind == K_TUPLE ? t->nsub : t->count)) {
        return ITEE_ERR_ARG;
    }
    for (size_t i = 0; i < n && r == ITEE_OK; i++)
        r = enc(t->kind == K_TUPLE ? t->sub[i] : t->sub[0], json_array_get(v, i), out);
    return r;
}

static enum itee_err enc_struct(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    if (!json_is_object(v) || json_object_size(v) != t->nsub)
        return ITEE_ERR_ARG;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < t->nsub && r == ITEE_OK; i++) {
        const json_t *f = json_object_get(v, t->names[i]);
        r = f == NULL ? ITEE_ERR_ARG : enc(t->sub[i], f, out);
    }
    return r;
}

static enum itee_err enc_enum(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    long i = -1;
    const json_t *payload = NULL;
    if (json_is_string(v)) {
        i = find_variant(t, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        long long x = json_integer_value(v);
        if (x >= 0 && x <= 255)
            i = find_index(t, (uint8_t)x);
    } else if (json_is_object(v) && json_object_size(v) == 1) {
        void *it = json_object_iter((json_t *)v);
        i = find_variant(t, json_object_iter_key(it), json_object_iter_key_len(it));
        payload = json_object_iter_value(it);
    }
    if (i < 0)
        return ITEE_ERR_ARG;
    if (payload == NULL && t->sub[i]->kind != K_NULL)
        return ITEE_ERR_ARG;
    enum itee_err r = scale_put_variant(out, t->index[i]);
    if (r == ITEE_OK && payload != NULL)
        r = enc(t->sub[i], payload, out);
    return r;
}

static enum itee_err enc_result(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    if (!json_is_object(v) || json_object_size(v) != 1)
        return ITEE_ERR_ARG;
    void *it = json_object_iter((json_t *)v);
    const char *k = json_object_iter_key(it);
    size_t kl = json_object_iter_key_len(it);
    bool is_err;
    if (name_is(k, kl, "ok") || name_is(k, kl, "Ok"))
        is_err = false;
    else if (name_is(k, kl, "err") || name_is(k, kl, "Err"))
        is_err = true;
    else
        return ITEE_ERR_ARG;
    enum itee_err r = scale_put_result(out, is_err);
    if (r == ITEE_OK)
        r = enc(t->sub[is_err ? 1 : 0], json_object_iter_value(it), out);
    return r;
}

/*
 * The JSON value a map key string stands for (the inverse of key_string below, for the
 * shapes polkadot-js produces). Returns: a new reference, or NULL.
 */
static json_t *key_from_string(const struct scale_type *k, const char *s, size_t n)
{
    switch (k->kind) {
    case K_TEXT:
    case K_BYTES:
    case K_UINT:
    case K_INT:
    case K_COMPACT:
        return json_stringn(s, n);
    case K_BOOL:
        if (name_is(s, n, "true"))
            return json_true();
        return name_is(s, n, "false") ? json_false() : NULL;
    case K_NULL:
        return n == 0 ? json_null() : NULL;
    case K_OPTION:
        return n == 0 ? json_null() : key_from_string(k->sub[0], s, n);
    case K_ARRAY:
        if (is_u8(k->sub[0]))
            return json_stringn(s, n);
        break;
    case K_ENUM:
        if (n == 0 || s[0] != '{')
            return json_stringn(s, n);
        break;
    case K_RESULT:
        /* Ok(Null) / Err(Null) print as the bare variant name */
        if (name_is(s, n, "Ok") || name_is(s, n, "Err"))
            return json_pack("{s:n}", n == 2 ? "ok" : "err");
        break;
    default:
        break;
    }
    return json_loadb(s, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
}

/* Offsets of one encoded entry inside the scratch buffer (pointers move as it grows). */
struct entry_pos {
    size_t koff, klen; /* key bytes */
    size_t voff, vlen; /* value bytes */
};

/* Encodes one map/set entry into scratch. */
static enum itee_err enc_entry(const struct scale_type *t, const json_t *key, const json_t *val,
                               struct itee_buf *scratch, struct entry_pos *pos)
{
    pos->koff = scratch->len;
    enum itee_err r = enc(t->sub[0], key, scratch);
    pos->klen = scratch->len - pos->koff;
    pos->voff = scratch->len;
    if (r == ITEE_OK && t->kind == K_MAP)
        r = val == NULL ? ITEE_ERR_ARG : enc(t->sub[1], val, scratch);
    pos->vlen = scratch->len - pos->voff;
    return r;
}

/* BTreeMap / BTreeSet: encode entries apart, sort by key, reject duplicates, emit. */
static enum itee_err enc_collection(const struct scale_type *t, const json_t *v,
                                    struct itee_buf *out)
{
    bool as_object = t->kind == K_MAP && json_is_object(v);
    if (!as_object && !json_is_array(v))
        return ITEE_ERR_ARG;
    size_t n = as_object ? json_object_size(v) : json_array_size(v);
    if (n > UINT32_MAX)
        return ITEE_ERR_SCALE_LENGTH;
    struct itee_buf scratch;
    itee_buf_init(&scratch, out->max);
    struct entry_pos *pos = NULL;
    struct scale_entry *entries = NULL;
    enum itee_err r = ITEE_ERR_NOMEM;
    if (n > 0) {
        pos = itee_alloc_array(n, sizeof(*pos));
        entries = itee_alloc_array(n, sizeof(*entries));
        if (pos == NULL || entries == NULL)
            goto out_free;
    }
    r = ITEE_OK;
    if (as_object) {
        size_t i = 0;
        for (void *it = json_object_iter((json_t *)v); it != NULL && r == ITEE_OK;
             it = json_object_iter_next((json_t *)v, it), i++) {
            json_t *key =
                key_from_string(t->sub[0], json_object_iter_key(it), json_object_iter_key_len(it));
            r = key == NULL ? ITEE_ERR_ARG
                            : enc_entry(t, key, json_object_iter_value(it), &scratch, &pos[i]);
            json_decref(key);
        }
    } else {
        for (size_t i = 0; i < n && r == ITEE_OK; i++) {
            const json_t *e = json_array_get(v, i);
            if (t->kind == K_SET)
                r = enc_entry(t, e, NULL, &scratch, &pos[i]);
            else if (!json_is_array(e) || json_array_size(e) != 2)
                r = ITEE_ERR_ARG;
            else
                r = enc_entry(t, json_array_get(e, 0), json_array_get(e, 1), &scratch, &pos[i]);
        }
    }
    if (r != ITEE_OK)
        goto out_free;
    for (size_t i = 0; i < n; i++) {
        entries[i].key = itee_slice_make(scratch.ptr + pos[i].koff, pos[i].klen);
        entries[i].value = itee_slice_make(scratch.ptr + pos[i].voff, pos[i].vlen);
    }
    r = scale_sort_entries(entries, n, scale_value_key_cmp, (void *)t->sub[0]);
    if (r == ITEE_OK)
        r = scale_put_compact(out, n);
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = scale_put_bytes(out, entries[i].key.ptr, entries[i].key.len);
        if (r == ITEE_OK)
            r = scale_put_bytes(out, entries[i].value.ptr, entries[i].value.len);
    }
out_free:
    itee_free(pos);
    itee_free(entries);
    itee_buf_free(&scratch);
    return r;
}

static enum itee_err enc(const struct scale_type *t, const json_t *v, struct itee_buf *out)
{
    if (v == NULL)
        return ITEE_ERR_ARG;
    switch (t->kind) {
    case K_NULL:
        return json_is_null(v) ? ITEE_OK : ITEE_ERR_ARG;
    case K_BOOL:
        return json_is_boolean(v) ? scale_put_bool(out, json_is_true(v)) : ITEE_ERR_ARG;
    case K_UINT:
    case K_INT:
    case K_COMPACT:
        return enc_int(t, v, out);
    case K_OPTION:
        if (json_is_null(v))
            return scale_put_option(out, false);
        {
            enum itee_err r = scale_put_option(out, true);
            return r != ITEE_OK ? r : enc(t->sub[0], v, out);
        }
    case K_RESULT:
        return enc_result(t, v, out);
    case K_BYTES:
        return enc_bytes(t, v, out);
    case K_TEXT:
        if (!json_is_string(v))
            return ITEE_ERR_ARG;
        return scale_put_str(out, json_string_value(v), json_string_length(v));
    case K_ARRAY:
        if (is_u8(t->sub[0]))
            return enc_bytes(t, v, out);
        return enc_seq(t, v, out);
    case K_VEC:
    case K_TUPLE:
        return enc_seq(t, v, out);
    case K_MAP:
    case K_SET:
        return enc_collection(t, v, out);
    case K_STRUCT:
        return enc_struct(t, v, out);
    case K_ENUM:
        return enc_enum(t, v, out);
    }
    return ITEE_ERR_INTERNAL;
}

enum itee_err scale_value_encode(const struct scale_type *t, const json_t *value,
                                 struct itee_buf *out)
{
    if (t == NULL || value == NULL || out == NULL)
        return ITEE_ERR_ARG;
    size_t start = out->len;
    enum itee_err r = enc(t, value, out);
    if (r != ITEE_OK)
        out->len = start;
    return r;
}

/* ---- key ordering ---- */

static int cmp_val(const struct scale_type *t, struct scale_reader *a, struct scale_reader *b,
                   bool *bad);

/* Reads an integer of type t (fixed or compact) as a big. */
static enum itee_err read_big(const struct scale_type *t, struct scale_reader *r, struct big *v)
{
    if (t->kind == K_COMPACT) {
        itee_u128 x;
        enum itee_err e = scale_read_compact_u128(r, &x);
        big_from_u128(v, x);
        if (e == ITEE_OK && t->bits < 128 && (x >> t->bits) != 0)
            e = ITEE_ERR_SCALE_OVERFLOW;
        return e;
    }
    struct itee_slice s;
    enum itee_err e = scale_read_slice(r, t->kind == K_BOOL ? 1 : t->bits / 8, &s);
    if (e != ITEE_OK) {
        memset(v->b, 0, BIG_LEN);
        return e;
    }
    big_from_le(v, s.ptr, s.len, t->kind == K_INT);
    return ITEE_OK;
}

/* Element-wise comparison of two sequences of count elements (types from sub). */
static int cmp_seq(const struct scale_type *t, size_t na, size_t nb, struct scale_reader *a,
                   struct scale_reader *b, bool *bad)
{
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n && !*bad; i++) {
        const struct scale_type *et =
            t->kind == K_TUPLE || t->kind == K_STRUCT ? t->sub[i] : t->sub[0];
        int c = cmp_val(et, a, b, bad);
        if (c == 0 && t->kind == K_MAP)
            c = cmp_val(t->sub[1], a, b, bad);
        if (c != 0)
            return c;
    }
    return (na > nb) - (na < nb);
}

static int cmp_tag(struct scale_reader *a, struct scale_reader *b, uint8_t *ta, uint8_t *tb,
                   bool *bad)
{
    if (scale_read_u8(a, ta) != ITEE_OK || scale_read_u8(b, tb) != ITEE_OK)
        *bad = true;
    return (*ta > *tb) - (*ta < *tb);
}

static int cmp_val(const struct scale_type *t, struct scale_reader *a, struct scale_reader *b,
                   bool *bad)
{
    struct big x, y;
    struct itee_slice sa, sb;
    uint8_t ta = 0, tb = 0;
    size_t na = 0, nb = 0;
    int c;
    if (*bad)
        return 0;
    switch (t->kind) {
    case K_NULL:
        return 0;
    case K_BOOL:
    case K_UINT:
    case K_INT:
    case K_COMPACT:
        if (read_big(t, a, &x) != ITEE_OK || read_big(t, b, &y) != ITEE_OK)
            *bad = true;
        return big_cmp(&x, &y);
    case K_OPTION:
    case K_RESULT:
    case K_ENUM:
        c = cmp_tag(a, b, &ta, &tb, bad);
        if (c != 0 || *bad)
            return c;
        if (t->kind == K_OPTION)
            return ta == 0 ? 0 : cmp_val(t->sub[0], a, b, bad);
        if (t->kind == K_RESULT)
            return ta > 1 ? (*bad = true, 0) : cmp_val(t->sub[ta], a, b, bad);
        {
            long i = find_index(t, ta);
            return i < 0 ? (*bad = true, 0) : cmp_val(t->sub[i], a, b, bad);
        }
    case K_TEXT:
    case K_BYTES:
        if (scale_read_vec_u8(a, &sa) != ITEE_OK || scale_read_vec_u8(b, &sb) != ITEE_OK)
            *bad = true;
        return scale_key_cmp_raw(&sa, &sb, NULL);
    case K_ARRAY:
        if (is_u8(t->sub[0])) {
            if (scale_read_slice(a, t->count, &sa) != ITEE_OK ||
                scale_read_slice(b, t->count, &sb) != ITEE_OK)
                *bad = true;
            return scale_key_cmp_raw(&sa, &sb, NULL);
        }
        return cmp_seq(t, t->count, t->count, a, b, bad);
    case K_TUPLE:
    case K_STRUCT:
        return cmp_seq(t, t->nsub, t->nsub, a, b, bad);
    case K_VEC:
    case K_SET:
    case K_MAP:
        if (scale_read_len(a, &na, 0) != ITEE_OK || scale_read_len(b, &nb, 0) != ITEE_OK)
            *bad = true;
        return *bad ? 0 : cmp_seq(t, na, nb, a, b, bad);
    }
    *bad = true;
    return 0;
}

int scale_value_key_cmp(const struct itee_slice *a, const struct itee_slice *b, void *ctx)
{
    const struct scale_type *t = ctx;
    struct scale_reader ra, rb;
    bool bad = false;
    scale_reader_init(&ra, a->ptr, a->len);
    scale_reader_init(&rb, b->ptr, b->len);
    int c = cmp_val(t, &ra, &rb, &bad);
    return bad ? 0 : c;
}

/* ---- decoding ---- */

/* Decoder state for one scale_value_decode call. */
struct dec_ctx {
    struct scale_reader *r; /* input */
    size_t items;           /* JSON nodes created so far (bounded by SCALE_VALUE_MAX_ITEMS) */
};

static enum itee_err dec(const struct scale_type *t, struct dec_ctx *d, json_t **out);

/* "0x" + hex of n bytes as a JSON string. */
static json_t *hex_json(const uint8_t *p, size_t n)
{
    size_t cap = 2 + 2 * n + 1;
    char *s = itee_alloc(cap);
    if (s == NULL)
        return NULL;
    s[0] = '0';
    s[1] = 'x';
    json_t *j = NULL;
    if (itee_hex_encode(s + 2, cap - 2, p, n) == ITEE_OK)
        j = json_stringn(s, cap - 1);
    itee_free(s);
    return j;
}

/* Appends JSON.stringify-style compact JSON of v. */
static enum itee_err append_dump(const json_t *v, struct itee_buf *out)
{
    size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
    size_t need = json_dumpb(v, NULL, 0, flags);
    if (need == 0)
        return ITEE_ERR_NOMEM;
    enum itee_err r = itee_buf_reserve(out, need);
    if (r != ITEE_OK)
        return r;
    if (json_dumpb(v, (char *)out->ptr + out->len, need, flags) != need)
        return ITEE_ERR_INTERNAL;
    out->len += need;
    return ITEE_OK;
}

static enum itee_err append_str(struct itee_buf *out, const char *s, size_t n)
{
    return n == 0 ? ITEE_OK : itee_buf_append(out, s, n);
}

/* Appends polkadot-js's key.toString() for a key of type k with JSON value v. */
static enum itee_err key_string(const struct scale_type *k, const json_t *v, struct itee_buf *out)
{
    struct big b;
    enum itee_err r;
    switch (k->kind) {
    case K_BOOL:
        return json_is_true(v) ? append_str(out, "true", 4) : append_str(out, "false", 5);
    case K_UINT:
    case K_INT:
    case K_COMPACT:
        r = big_from_json(&b, v, k->kind == K_INT);
        return r != ITEE_OK ? r : big_to_decimal(&b, out);
    case K_TEXT:
    case K_BYTES:
        return append_str(out, json_string_value(v), json_string_length(v));
    case K_NULL:
        return ITEE_OK;
    case K_OPTION:
        return json_is_null(v) ? ITEE_OK : key_string(k->sub[0], v, out);
    case K_ARRAY:
        if (is_u8(k->sub[0]))
            return append_str(out, json_string_value(v), json_string_length(v));
        /* [T;N] prints like Vec */
        /* fall through */
    case K_VEC:
        r = itee_buf_push(out, '[');
        for (size_t i = 0; i < json_array_size(v) && r == ITEE_OK; i++) {
            if (i > 0)
                r = append_str(out, ", ", 2);
            if (r == ITEE_OK)
                r = key_string(k->sub[0], json_array_get(v, i), out);
        }
        return r != ITEE_OK ? r : itee_buf_push(out, ']');
    case K_ENUM:
        if (json_is_string(v))
            return append_str(out, json_string_value(v), json_string_length(v));
        /* fall through */
    case K_RESULT: {
        /* Enum.toString: the variant name when its payload is Null, else JSON */
        void *it = json_object_iter((json_t *)v);
        if (it == NULL)
            return ITEE_ERR_INTERNAL;
        const char *key = json_object_iter_key(it);
        size_t kl = json_object_iter_key_len(it);
        if (k->kind == K_RESULT) {
            bool is_err = name_is(key, kl, "err");
            if (k->sub[is_err ? 1 : 0]->kind == K_NULL)
                return is_err ? append_str(out, "Err", 3) : append_str(out, "Ok", 2);
        } else {
            long i = find_variant(k, key, kl);
            if (i >= 0 && k->sub[i]->kind == K_NULL)
                return append_str(out, k->names[i], strlen(k->names[i]));
        }
        return append_dump(v, out);
    }
    default:
        return append_dump(v, out);
    }
}

/* Decodes a BTreeMap or BTreeSet, requiring strictly ascending keys. */
static enum itee_err dec_collection(const struct scale_type *t, struct dec_ctx *d, json_t **out)
{
    struct scale_reader *r = d->r;
    bool is_map = t->kind == K_MAP;
    size_t min = t->sub[0]->min_size;
    if (is_map)
        min = sat_add(min, t->sub[1]->min_size);
    size_t n;
    enum itee_err e = scale_read_len(r, &n, min);
    if (e != ITEE_OK)
        return e;
    json_t *coll = is_map ? json_object() : json_array();
    struct itee_buf ks;
    itee_buf_init(&ks, 0);
    struct itee_slice prev = {NULL, 0};
    if (coll == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t kstart = r->pos;
        json_t *key = NULL, *val = NULL;
        e = dec(t->sub[0], d, &key);
        if (e != ITEE_OK)
            goto out_free;
        struct itee_slice cur = itee_slice_make(r->ptr + kstart, r->pos - kstart);
        if (i > 0 && scale_value_key_cmp(&prev, &cur, (void *)t->sub[0]) >= 0) {
            json_decref(key);
            e = ITEE_ERR_SCALE_ORDER;
            goto out_free;
        }
        prev = cur;
        if (!is_map) {
            e = json_array_append_new(coll, key) == 0 ? ITEE_OK : ITEE_ERR_NOMEM;
            if (e != ITEE_OK)
                goto out_free;
            continue;
        }
        itee_buf_reset(&ks);
        e = key_string(t->sub[0], key, &ks);
        json_decref(key);
        if (e == ITEE_OK)
            e = dec(t->sub[1], d, &val);
        if (e != ITEE_OK)
            goto out_free;
        const char *kp = ks.ptr != NULL ? (const char *)ks.ptr : "";
        /* distinct keys with one string form (None vs Some("")) cannot be JSON */
        if (json_object_getn(coll, kp, ks.len) != NULL) {
            json_decref(val);
            e = ITEE_ERR_UNSUPPORTED;
            goto out_free;
        }
        if (json_object_setn_new(coll, kp, ks.len, val) != 0) {
            e = ITEE_ERR_NOMEM;
            goto out_free;
        }
    }
    itee_buf_free(&ks);
    *out = coll;
    return ITEE_OK;
out_free:
    itee_buf_free(&ks);
    json_decref(coll);
    return e;
}

/* Vec / tuple / [T;N] / struct: n elements into an array or object. */
static enum itee_err dec_seq(const struct scale_type *t, size_t n, struct dec_ctx *d, json_t **out)
{
    bool is_struct = t->kind == K_STRUCT;
    json_t *c = is_struct ? json_object() : json_array();
    if (c == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *e = NULL;
        const struct scale_type *et = t->kind == K_TUPLE || is_struct ? t->sub[i] : t->sub[0];
        enum itee_err r = dec(et, d, &e);
        if (r == ITEE_OK) {
            int rc =
                is_struct ? json_object_set_new(c, t->names[i], e) : json_array_append_new(c, e);
            r = rc == 0 ? ITEE_OK : ITEE_ERR_NOMEM;
        }
        if (r != ITEE_OK) {
            json_decref(c);
            return r;
        }
    }
    *out = c;
    return ITEE_OK;
}

static enum itee_err dec_enum(const struct scale_type *t, struct dec_ctx *d, json_t **out)
{
    uint8_t idx;
    enum itee_err r = scale_read_variant(d->r, &idx);
    if (r != ITEE_OK)
        return r;
    long i = find_index(t, idx);
    if (i < 0)
        return ITEE_ERR_SCALE_VARIANT;
    if (t->basic) {
        *out = json_string(t->names[i]);
        return *out == NULL ? ITEE_ERR_NOMEM : ITEE_OK;
    }
    json_t *payload = NULL;
    r = dec(t->sub[i], d, &payload);
    if (r != ITEE_OK)
        return r;
    char camel[NAME_MAX_LEN + 1];
    camel_case(t->names[i], camel);
    json_t *o = json_object();
    if (o == NULL || json_object_set_new(o, camel, payload) != 0) {
        json_decref(o);
        return ITEE_ERR_NOMEM;
    }
    *out = o;
    return ITEE_OK;
}

static enum itee_err dec_result(const struct scale_type *t, struct dec_ctx *d, json_t **out)
{
    bool is_err;
    enum itee_err r = scale_read_result(d->r, &is_err);
    json_t *payload = NULL;
    if (r == ITEE_OK)
        r = dec(t->sub[is_err ? 1 : 0], d, &payload);
    if (r != ITEE_OK)
        return r;
    json_t *o = json_object();
    if (o == NULL || json_object_set_new(o, is_err ? "err" : "ok", payload) != 0) {
        json_decref(o);
        return ITEE_ERR_NOMEM;
    }
    *out = o;
    return ITEE_OK;
}

static enum itee_err dec_bytes_like(const struct scale_type *t, struct dec_ctx *d, json_t **out)
{
    struct itee_slice s;
    enum itee_err r;
    if (t->kind == K_ARRAY)
        r = scale_read_slice(d->r, t->count, &s);
    else if (t->kind == K_BYTES)
        r = scale_read_vec_u8(d->r, &s);
    else
        r = scale_read_str(d->r, &s);
    if (r != ITEE_OK)
        return r;
    if (t->kind == K_TEXT)
        *out = json_stringn(s.len > 0 ? (const char *)s.ptr : "", s.len);
    else
        *out = hex_json(s.ptr, s.len);
    return *out == NULL ? ITEE_ERR_NOMEM : ITEE_OK;
}

static enum itee_err dec(const struct scale_type *t, struct dec_ctx *d, json_t **out)
{
    struct big b;
    bool flag;
    size_t n;
    enum itee_err r;
    *out = NULL;
    /* every node counts, so zero-size elements cannot make a decode unbounded */
    if (++d->items > SCALE_VALUE_MAX_ITEMS)
        return ITEE_ERR_SCALE_LENGTH;
    switch (t->kind) {
    case K_NULL:
        *out = json_null();
        return ITEE_OK;
    case K_BOOL:
        r = scale_read_bool(d->r, &flag);
        if (r == ITEE_OK)
            *out = flag ? json_true() : json_false();
        return r;
    case K_UINT:
    case K_INT:
    case K_COMPACT:
        r = read_big(t, d->r, &b);
        if (r != ITEE_OK)
            return r;
        *out = big_to_json(&b, t->bits);
        return *out == NULL ? ITEE_ERR_NOMEM : ITEE_OK;
    case K_OPTION:
        r = scale_read_option(d->r, &flag);
        if (r != ITEE_OK)
            return r;
        if (!flag) {
            *out = json_null();
            return ITEE_OK;
        }
        return dec(t->sub[0], d, out);
    case K_RESULT:
        return dec_result(t, d, out);
    case K_BYTES:
    case K_TEXT:
        return dec_bytes_like(t, d, out);
    case K_ARRAY:
        if (is_u8(t->sub[0]))
            return dec_bytes_like(t, d, out);
        return dec_seq(t, t->count, d, out);
    case K_TUPLE:
    case K_STRUCT:
        return dec_seq(t, t->nsub, d, out);
    case K_VEC:
        r = scale_read_len(d->r, &n, t->sub[0]->min_size);
        return r != ITEE_OK ? r : dec_seq(t, n, d, out);
    case K_MAP:
    case K_SET:
        return dec_collection(t, d, out);
    case K_ENUM:
        return dec_enum(t, d, out);
    }
    return ITEE_ERR_INTERNAL;
}

enum itee_err scale_value_decode(const struct scale_type *t, struct scale_reader *r, json_t **out)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (t == NULL || r == NULL)
        return ITEE_ERR_ARG;
    struct dec_ctx d = {r, 0};
    size_t start = r->pos;
    enum itee_err e = dec(t, &d, out);
    if (e != ITEE_OK) {
        r->pos = start;
        json_decref(*out);
        *out = NULL;
    }
    return e;
}
