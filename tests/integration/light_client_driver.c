/*
 * light_client_driver.c - a line protocol over the parentchain light client (src/chain/
 * light_client), so tests/integration/light_client_node.mjs can feed it headers,
 * justifications, extrinsics and read proofs fetched from a running integritee-node.
 *
 * Requests on stdin, one per line, fields separated by single spaces, bytes as hex:
 *   G <genesis header>             remember the genesis header
 *   P <node>                       add a node of the genesis Grandpa.Authorities read proof
 *   I                              start from genesis + proof       -> ok
 *   B <header> <justification|->   import a header                  -> ok <n_finalized> <hash>
 *   J <justification>              import a late justification      -> ok <n_finalized>
 *   E <block hash> <extrinsic>...  check a finalized block's body    -> ok
 *   S <block hash> <key> <node>... read proof of key at that block   -> ok present <hex> | absent
 *   R                              encode, decode, re-encode the state -> ok <state bytes>
 * Each answer is one line: the above, or "err <code> <text>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/light_client.h"
#include "common/hex.h"
#include "common/mem.h"

#define MAX_LINE   (8u << 20)
#define MAX_FIELDS 4096

/* A request split in place into fields. */
struct req {
    char *f[MAX_FIELDS]; /* fields */
    size_t n;            /* fields in use */
};

static void split(char *line, struct req *r)
{
    r->n = 0;
    char *p = line;
    while (*p != '\0' && r->n < MAX_FIELDS) {
        r->f[r->n++] = p;
        char *sp = strchr(p, ' ');
        if (sp == NULL)
            break;
        *sp = '\0';
        p = sp + 1;
    }
}

/* Decodes field s into a fresh allocation. Returns: ITEE_OK or a hex error. */
static enum itee_err unhex(const char *s, struct itee_slice *out)
{
    size_t len = strlen(s), n = 0;
    uint8_t *p = itee_alloc(len / 2 + 1);
    if (p == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err e = itee_hex_decode(p, len / 2 + 1, &n, s, len);
    if (e != ITEE_OK) {
        itee_free(p);
        return e;
    }
    *out = itee_slice_make(p, n);
    return ITEE_OK;
}

static void free_slices(struct itee_slice *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        itee_free((void *)s[i].ptr);
}

static void put_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
}

/* Decodes fields [from, to) into slices (out must hold to - from entries). */
static enum itee_err unhex_range(const struct req *r, size_t from, size_t to,
                                 struct itee_slice *out, size_t *n)
{
    *n = 0;
    for (size_t i = from; i < to; i++) {
        enum itee_err e = unhex(r->f[i], &out[*n]);
        if (e != ITEE_OK)
            return e;
        (*n)++;
    }
    return ITEE_OK;
}

static enum itee_err unhex_all(const struct req *r, size_t from, struct itee_slice *out, size_t *n)
{
    return unhex_range(r, from, r->n, out, n);
}

/* The driver's state (this program's main owns it). */
struct driver {
    struct light_client *lc;           /* NULL until I */
    struct itee_slice genesis;         /* G */
    struct itee_slice nodes[256];      /* P */
    size_t n_nodes;                    /* nodes in use */
    struct itee_slice tmp[MAX_FIELDS]; /* per-request decoded fields */
};

static enum itee_err do_import(struct driver *d, const struct req *r)
{
    size_t n, to = r->n;
    if (to == 3 && strcmp(r->f[2], "-") == 0)
        to = 2; /* no justification */
    enum itee_err e = unhex_range(r, 1, to, d->tmp, &n);
    if (e == ITEE_OK && (n < 1 || n > 2))
        e = ITEE_ERR_ARG;
    struct light_client_outcome o;
    if (e == ITEE_OK)
        e = light_client_import(d->lc, d->tmp[0].ptr, d->tmp[0].len, n == 2 ? d->tmp[1].ptr : NULL,
                                n == 2 ? d->tmp[1].len : 0, &o);
    if (e == ITEE_OK) {
        struct light_client_header b;
        light_client_best(d->lc, &b);
        printf("ok %zu ", o.n_finalized);
        put_hex(b.hash, sizeof(b.hash));
        printf("\n");
    }
    free_slices(d->tmp, n);
    return e;
}

static enum itee_err do_late(struct driver *d, const struct req *r)
{
    size_t n;
    enum itee_err e = unhex_all(r, 1, d->tmp, &n);
    if (e == ITEE_OK && n != 1)
        e = ITEE_ERR_ARG;
    struct light_client_outcome o;
    if (e == ITEE_OK)
        e = light_client_import_justification(d->lc, d->tmp[0].ptr, d->tmp[0].len, &o);
    if (e == ITEE_OK)
        printf("ok %zu\n", o.n_finalized);
    free_slices(d->tmp, n);
    return e;
}

static enum itee_err do_extrinsics(struct driver *d, const struct req *r)
{
    size_t n;
    enum itee_err e = unhex_all(r, 1, d->tmp, &n);
    if (e == ITEE_OK && (n < 1 || d->tmp[0].len != HEADER_HASH_LEN))
        e = ITEE_ERR_ARG;
    if (e == ITEE_OK)
        e = light_client_verify_extrinsics(d->lc, d->tmp[0].ptr, d->tmp + 1, n - 1);
    if (e == ITEE_OK)
        printf("ok\n");
    free_slices(d->tmp, n);
    return e;
}

static enum itee_err do_storage(struct driver *d, const struct req *r)
{
    size_t n;
    enum itee_err e = unhex_all(r, 1, d->tmp, &n);
    if (e == ITEE_OK && (n < 2 || d->tmp[0].len != HEADER_HASH_LEN))
        e = ITEE_ERR_ARG;
    struct trie_proof_value v;
    if (e == ITEE_OK)
        e = light_client_verify_storage(d->lc, d->tmp[0].ptr, d->tmp + 2, n - 2, &d->tmp[1], 1, &v);
    if (e == ITEE_OK) {
        printf(v.present ? "ok present " : "ok absent");
        put_hex(v.value.ptr, v.value.len);
        printf("\n");
    }
    free_slices(d->tmp, n);
    return e;
}

static enum itee_err do_roundtrip(struct driver *d)
{
    struct itee_buf a, b;
    itee_buf_init(&a, 0);
    itee_buf_init(&b, 0);
    struct light_client *copy = NULL;
    enum itee_err e = light_client_encode(d->lc, &a);
    if (e == ITEE_OK)
        e = light_client_decode(&copy, a.ptr, a.len);
    if (e == ITEE_OK)
        e = light_client_encode(copy, &b);
    if (e == ITEE_OK && (a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0))
        e = ITEE_ERR_INTERNAL;
    if (e == ITEE_OK) {
        /* continue on the decoded copy, as an enclave does after a restart */
        light_client_free(d->lc);
        d->lc = copy;
        copy = NULL;
        printf("ok %zu\n", a.len);
    }
    light_client_free(copy);
    itee_buf_free(&a);
    itee_buf_free(&b);
    return e;
}

static enum itee_err handle(struct driver *d, const struct req *r)
{
    const char *op = r->f[0];
    if (strcmp(op, "G") == 0 && r->n == 2 && d->genesis.ptr == NULL) {
        enum itee_err e = unhex(r->f[1], &d->genesis);
        if (e == ITEE_OK)
            printf("ok\n");
        return e;
    }
    if (strcmp(op, "P") == 0 && r->n == 2 && d->n_nodes < 256) {
        enum itee_err e = unhex(r->f[1], &d->nodes[d->n_nodes]);
        if (e == ITEE_OK) {
            d->n_nodes++;
            printf("ok\n");
        }
        return e;
    }
    if (strcmp(op, "I") == 0 && d->lc == NULL) {
        enum itee_err e =
            light_client_new_from_proof(&d->lc, TRIE_LAYOUT_V0, d->genesis.ptr, d->genesis.len,
                                        LIGHT_CLIENT_AUTH_PALLET, d->nodes, d->n_nodes);
        if (e == ITEE_OK)
            printf("ok\n");
        return e;
    }
    if (d->lc == NULL)
        return ITEE_ERR_ARG;
    if (strcmp(op, "B") == 0)
        return do_import(d, r);
    if (strcmp(op, "J") == 0)
        return do_late(d, r);
    if (strcmp(op, "E") == 0)
        return do_extrinsics(d, r);
    if (strcmp(op, "S") == 0)
        return do_storage(d, r);
    if (strcmp(op, "R") == 0)
        return do_roundtrip(d);
    return ITEE_ERR_ARG;
}

int main(void)
{
    static struct driver d;
    static struct req r;
    char *line = malloc(MAX_LINE);
    if (line == NULL)
        return 1;
    while (fgets(line, (int)MAX_LINE, stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        split(line, &r);
        if (r.n == 0)
            continue;
        enum itee_err e = handle(&d, &r);
        if (e != ITEE_OK)
            printf("err %d %s\n", (int)e, itee_strerror(e));
        fflush(stdout);
    }
    light_client_free(d.lc);
    free_slices(&d.genesis, 1);
    free_slices(d.nodes, d.n_nodes);
    free(line);
    return 0;
}
