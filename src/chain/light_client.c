/*
 * light_client.c - GRANDPA light client of the parentchain (see light_client.h).
 *
 * Held headers live in one array in block order: the first n_final are finalized (the last of
 * them is the finalized head), the rest are unjustified. Consecutive entries always link
 * (number + 1, parent hash), so "extends the best header" and "is an ancestor of" are index
 * arithmetic.
 *
 * Every mutating call checks everything and reserves all memory first, then commits with steps
 * that cannot fail: a refused import leaves the state byte-for-byte unchanged.
 *
 * Encoded state (version 1):
 *   u8 version || u8 layout || genesis_hash[32] || u64 set_id || Authorities ||
 *   Vec<HeldHeader> || Compact<u32> n_final ||
 *   Vec<(u32 announced, u32 effective, Authorities)> pending changes
 *   Authorities = Vec<(id[32], u64 weight)>
 *   HeldHeader = hash[32] || parent_hash[32] || u32 number || state_root[32] ||
 *                extrinsics_root[32]
 */
#include "chain/light_client.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"
#include "crypto/hash.h"

#define RECORD_LEN (4 * HEADER_HASH_LEN + 4)
#define AUTH_LEN   (ED25519_PUBLIC_LEN + 8)

/* ConsensusLog variants of pallet_grandpa. */
enum cl_kind {
    CL_SCHEDULED = 1, /* ScheduledChange{next_authorities, delay} */
    CL_FORCED = 2,    /* ForcedChange(u32, ScheduledChange) */
    CL_DISABLED = 3,  /* OnDisabled(u64) */
    CL_PAUSE = 4,     /* Pause(u32) */
    CL_RESUME = 5,    /* Resume(u32) */
};

/* An authority set: owned array. */
struct auth_set {
    struct grandpa_authority *list; /* authorities */
    size_t n;                       /* entries in list */
};

/* A scheduled change announced in a held unjustified header. */
struct pending_change {
    uint32_t announced;  /* number of the announcing block */
    uint32_t effective;  /* announced + delay: enacted when this block is finalized */
    struct auth_set set; /* the next authorities */
};

struct light_client {
    enum trie_layout layout;                                 /* layout of extrinsics roots */
    uint8_t genesis_hash[HEADER_HASH_LEN];                   /* hash of block 0 */
    uint64_t set_id;                                         /* id of the current authority set */
    struct auth_set auth;                                    /* current authority set */
    struct light_client_header *held;                        /* held headers in block order */
    size_t n_held;                                           /* entries in held (>= 1) */
    size_t cap_held;                                         /* allocated entries */
    size_t n_final;                                          /* finalized prefix of held (>= 1) */
    struct pending_change pending[LIGHT_CLIENT_MAX_PENDING]; /* by increasing effective */
    size_t n_pending;                                        /* entries in pending */
};

static void auth_set_free(struct auth_set *s)
{
    itee_free(s->list);
    s->list = NULL;
    s->n = 0;
}

/* Checks the rules Substrate's VoterSet applies, plus our size bound. */
static enum itee_err auth_check(const struct grandpa_authority *a, size_t n)
{
    if (n == 0 || n > LIGHT_CLIENT_MAX_AUTHORITIES)
        return ITEE_ERR_LC_AUTHORITIES;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i].weight == 0 || a[i].weight > UINT64_MAX - total)
            return ITEE_ERR_LC_AUTHORITIES;
        total += a[i].weight;
        for (size_t k = 0; k < i; k++)
            if (memcmp(a[k].id.bytes, a[i].id.bytes, ED25519_PUBLIC_LEN) == 0)
                return ITEE_ERR_LC_AUTHORITIES;
    }
    return ITEE_OK;
}

static enum itee_err auth_copy(struct auth_set *out, const struct grandpa_authority *a, size_t n)
{
    enum itee_err e = auth_check(a, n);
    if (e != ITEE_OK)
        return e;
    if ((out->list = itee_alloc_array(n, sizeof(*a))) == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(out->list, a, n * sizeof(*a));
    out->n = n;
    return ITEE_OK;
}

/* Reads Vec<(id, u64)>. A bad set is ITEE_ERR_LC_AUTHORITIES; SCALE errors pass through. */
static enum itee_err auth_read(struct scale_reader *r, struct auth_set *out)
{
    size_t n;
    enum itee_err e = scale_read_len(r, &n, AUTH_LEN);
    if (e != ITEE_OK)
        return e;
    if (n == 0 || n > LIGHT_CLIENT_MAX_AUTHORITIES)
        return ITEE_ERR_LC_AUTHORITIES;
    struct grandpa_authority *a = itee_alloc_array(n, sizeof(*a));
    if (a == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n && e == ITEE_OK; i++)
        if ((e = scale_read_bytes(r, a[i].id.bytes, ED25519_PUBLIC_LEN)) == ITEE_OK)
            e = scale_read_u64(r, &a[i].weight);
    if (e == ITEE_OK)
        e = auth_check(a, n);
    if (e != ITEE_OK) {
        itee_free(a);
        return e;
    }
    out->list = a;
    out->n = n;
    return ITEE_OK;
}

static enum itee_err auth_put(struct itee_buf *b, const struct auth_set *s)
{
    enum itee_err e = scale_put_compact(b, s->n);
    for (size_t i = 0; i < s->n && e == ITEE_OK; i++)
        if ((e = scale_put_bytes(b, s->list[i].id.bytes, ED25519_PUBLIC_LEN)) == ITEE_OK)
            e = scale_put_u64(b, s->list[i].weight);
    return e;
}

static void pending_free(struct light_client *lc)
{
    for (size_t i = 0; i < lc->n_pending; i++)
        auth_set_free(&lc->pending[i].set);
    lc->n_pending = 0;
}

void light_client_free(struct light_client *lc)
{
    if (lc == NULL)
        return;
    auth_set_free(&lc->auth);
    pending_free(lc);
    itee_free(lc->held);
    itee_free(lc);
}

static const struct light_client_header *best(const struct light_client *lc)
{
    return &lc->held[lc->n_held - 1];
}

static const struct light_client_header *fin(const struct light_client *lc)
{
    return &lc->held[lc->n_final - 1];
}

/* Makes room for one more held header without changing what is held. */
static enum itee_err held_reserve(struct light_client *lc)
{
    if (lc->n_held < lc->cap_held)
        return ITEE_OK;
    size_t cap = lc->cap_held < 16 ? 16 : lc->cap_held * 2;
    if (cap > LIGHT_CLIENT_MAX_HISTORY + LIGHT_CLIENT_MAX_UNJUSTIFIED + 1)
        cap = LIGHT_CLIENT_MAX_HISTORY + LIGHT_CLIENT_MAX_UNJUSTIFIED + 1;
    if (cap <= lc->n_held)
        return ITEE_ERR_INTERNAL;
    if (cap > SIZE_MAX / sizeof(*lc->held))
        return ITEE_ERR_NOMEM;
    struct light_client_header *p = itee_realloc(lc->held, cap * sizeof(*p));
    if (p == NULL)
        return ITEE_ERR_NOMEM;
    lc->held = p;
    lc->cap_held = cap;
    return ITEE_OK;
}

/* Decodes and summarises a header. Out: *h views bytes; *rec its summary. */
static enum itee_err header_load(struct header *h, struct light_client_header *rec,
                                 const uint8_t *bytes, size_t len)
{
    memset(rec, 0, sizeof(*rec));
    if (bytes == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = header_decode(h, bytes, len);
    if (e != ITEE_OK)
        return e;
    /* the decoder is strict, so hashing the input equals hashing the re-encoding */
    hash_blake2_256(rec->hash, bytes, len);
    memcpy(rec->parent_hash, h->parent_hash, HEADER_HASH_LEN);
    rec->number = h->number;
    memcpy(rec->state_root, h->state_root, HEADER_HASH_LEN);
    memcpy(rec->extrinsics_root, h->extrinsics_root, HEADER_HASH_LEN);
    return ITEE_OK;
}

static enum itee_err lc_create(struct light_client **out, enum trie_layout layout,
                               const struct light_client_header *genesis)
{
    if (layout != TRIE_LAYOUT_V0 && layout != TRIE_LAYOUT_V1)
        return ITEE_ERR_ARG;
    struct light_client *lc = itee_zalloc(sizeof(*lc));
    if (lc == NULL)
        return ITEE_ERR_NOMEM;
    lc->layout = layout;
    memcpy(lc->genesis_hash, genesis->hash, HEADER_HASH_LEN);
    if (held_reserve(lc) != ITEE_OK) {
        itee_free(lc);
        return ITEE_ERR_NOMEM;
    }
    lc->held[0] = *genesis;
    lc->n_held = lc->n_final = 1;
    *out = lc;
    return ITEE_OK;
}

static enum itee_err load_genesis(struct light_client_header *rec, const uint8_t *genesis,
                                  size_t len)
{
    struct header h;
    enum itee_err e = header_load(&h, rec, genesis, len);
    if (e == ITEE_OK && rec->number != 0)
        e = ITEE_ERR_ARG;
    return e;
}

enum itee_err light_client_new(struct light_client **out, enum trie_layout layout,
                               const uint8_t *genesis, size_t genesis_len,
                               const struct grandpa_authority *auth, size_t n_auth)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (auth == NULL && n_auth != 0)
        return ITEE_ERR_ARG;
    struct light_client_header g;
    struct light_client *lc = NULL;
    enum itee_err e;
    if ((e = load_genesis(&g, genesis, genesis_len)) != ITEE_OK ||
        (e = auth_check(auth, n_auth)) != ITEE_OK || (e = lc_create(&lc, layout, &g)) != ITEE_OK)
        return e;
    if ((e = auth_copy(&lc->auth, auth, n_auth)) != ITEE_OK) {
        light_client_free(lc);
        return e;
    }
    *out = lc;
    return ITEE_OK;
}

/* Reads the authority set from a storage value of the given form. */
static enum itee_err auth_from_value(struct auth_set *out, enum light_client_auth_key which,
                                     struct itee_slice v)
{
    struct scale_reader r;
    scale_reader_init(&r, v.ptr, v.len);
    uint8_t version = 0;
    enum itee_err e = ITEE_OK;
    if (which == LIGHT_CLIENT_AUTH_WELL_KNOWN &&
        (scale_read_u8(&r, &version) != ITEE_OK || version != 1))
        return ITEE_ERR_LC_AUTHORITIES;
    if ((e = auth_read(&r, out)) == ITEE_OK && (e = scale_reader_finish(&r)) != ITEE_OK)
        auth_set_free(out);
    return e == ITEE_OK || e == ITEE_ERR_NOMEM ? e : ITEE_ERR_LC_AUTHORITIES;
}

enum itee_err light_client_new_from_proof(struct light_client **out, enum trie_layout layout,
                                          const uint8_t *genesis, size_t genesis_len,
                                          enum light_client_auth_key which,
                                          const struct itee_slice *nodes, size_t n_nodes)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    uint8_t key[32];
    struct itee_slice k;
    if (which == LIGHT_CLIENT_AUTH_WELL_KNOWN) {
        k = itee_slice_make((const uint8_t *)LIGHT_CLIENT_GRANDPA_KEY,
                            LIGHT_CLIENT_GRANDPA_KEY_LEN);
    } else if (which == LIGHT_CLIENT_AUTH_PALLET) {
        hash_storage_prefix(key, "Grandpa", "Authorities");
        k = itee_slice_make(key, sizeof(key));
    } else {
        return ITEE_ERR_ARG;
    }
    struct light_client_header g;
    struct trie_proof_value v;
    struct auth_set set = {0};
    enum itee_err e;
    if ((e = load_genesis(&g, genesis, genesis_len)) != ITEE_OK ||
        (e = trie_proof_verify(g.state_root, nodes, n_nodes, &k, 1, &v, 0)) != ITEE_OK)
        return e;
    if (!v.present)
        return ITEE_ERR_LC_AUTHORITIES;
    if ((e = auth_from_value(&set, which, v.value)) != ITEE_OK)
        return e;
    struct light_client *lc = NULL;
    if ((e = lc_create(&lc, layout, &g)) != ITEE_OK) {
        auth_set_free(&set);
        return e;
    }
    lc->auth = set;
    *out = lc;
    return ITEE_OK;
}

/* What a header's GRANDPA digests ask for. */
struct digest_info {
    bool has_change;     /* a ScheduledChange was announced */
    uint32_t delay;      /* its delay */
    struct auth_set set; /* its next authorities (owned) */
};

static enum itee_err read_consensus_log(struct scale_reader *r, struct digest_info *d)
{
    uint8_t kind;
    uint32_t u32;
    uint64_t u64;
    enum itee_err e = scale_read_variant(r, &kind);
    if (e != ITEE_OK)
        return ITEE_ERR_LC_DIGEST;
    switch (kind) {
    case CL_SCHEDULED:
        if (d->has_change)
            return ITEE_ERR_LC_DIGEST; /* one change per block */
        if ((e = auth_read(r, &d->set)) != ITEE_OK)
            return e == ITEE_ERR_NOMEM || e == ITEE_ERR_LC_AUTHORITIES ? e : ITEE_ERR_LC_DIGEST;
        d->has_change = true;
        return scale_read_u32(r, &d->delay) == ITEE_OK ? ITEE_OK : ITEE_ERR_LC_DIGEST;
    case CL_FORCED:
        return ITEE_ERR_LC_FORCED_CHANGE;
    case CL_DISABLED:
        return scale_read_u64(r, &u64) == ITEE_OK ? ITEE_OK : ITEE_ERR_LC_DIGEST;
    case CL_PAUSE:
    case CL_RESUME:
        return scale_read_u32(r, &u32) == ITEE_OK ? ITEE_OK : ITEE_ERR_LC_DIGEST;
    default:
        return ITEE_ERR_LC_DIGEST;
    }
}

/* Parses the FRNK consensus items of h. Out: *d (free d->set on success too). */
static enum itee_err parse_digests(const struct header *h, struct digest_info *d)
{
    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i < h->n_logs; i++) {
        const struct header_digest_item *it = &h->logs[i];
        if (it->kind != HEADER_DIGEST_CONSENSUS ||
            memcmp(it->engine, HEADER_ENGINE_GRANDPA, HEADER_ENGINE_LEN) != 0)
            continue;
        struct scale_reader r;
        scale_reader_init(&r, it->data.ptr, it->data.len);
        enum itee_err e = read_consensus_log(&r, d);
        if (e == ITEE_OK && scale_reader_finish(&r) != ITEE_OK)
            e = ITEE_ERR_LC_DIGEST;
        if (e != ITEE_OK) {
            auth_set_free(&d->set);
            d->has_change = false;
            return e;
        }
    }
    return ITEE_OK;
}

/* Checks a change announced in block `number` may join the pending list. */
static enum itee_err change_admissible(const struct light_client *lc, uint32_t number,
                                       uint32_t delay)
{
    if (delay > UINT32_MAX - number)
        return ITEE_ERR_LC_DIGEST;
    if (lc->n_pending == LIGHT_CLIENT_MAX_PENDING)
        return ITEE_ERR_LC_SET_CHANGE;
    /* pallet_grandpa schedules a change only once the previous one has been enacted */
    if (lc->n_pending > 0 && lc->pending[lc->n_pending - 1].effective >= number)
        return ITEE_ERR_LC_SET_CHANGE;
    return ITEE_OK;
}

/* Sums the weight of the signers, refusing strangers and repeats before any signature check. */
static enum itee_err check_signers(const struct light_client *lc,
                                   const struct grandpa_justification *j)
{
    const struct auth_set *s = &lc->auth;
    bool *seen = itee_zalloc(s->n * sizeof(bool));
    if (seen == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err e = ITEE_OK;
    uint64_t total = 0, weight = 0;
    for (size_t a = 0; a < s->n; a++)
        total += s->list[a].weight; /* cannot overflow: auth_check */
    for (size_t i = 0; i < j->n_precommits && e == ITEE_OK; i++) {
        size_t a = 0;
        while (a < s->n &&
               memcmp(s->list[a].id.bytes, j->precommits[i].id.bytes, ED25519_PUBLIC_LEN) != 0)
            a++;
        if (a == s->n)
            e = ITEE_ERR_LC_UNKNOWN_SIGNER;
        else if (seen[a])
            e = ITEE_ERR_LC_DUPLICATE_SIGNER;
        else
            weight += s->list[a].weight;
        if (a < s->n)
            seen[a] = true;
    }
    if (e == ITEE_OK && weight < total - (total - 1) / 3)
        e = ITEE_ERR_LC_WEIGHT;
    itee_free(seen);
    return e;
}

/* Verifies j as the justification of target (a held unjustified or the incoming header). */
static enum itee_err check_justification(const struct light_client *lc,
                                         const struct grandpa_justification *j,
                                         const struct light_client_header *target)
{
    if (j->target_number != target->number ||
        memcmp(j->target_hash, target->hash, HEADER_HASH_LEN) != 0)
        return ITEE_ERR_LC_TARGET;
    /* a block past an unenacted change was voted on by the next set: justify the change first */
    if (lc->n_pending > 0 && lc->pending[0].effective < target->number)
        return ITEE_ERR_LC_SET_CHANGE;
    enum itee_err e = check_signers(lc, j);
    if (e != ITEE_OK)
        return e;
    e = grandpa_justification_verify(j, lc->set_id, lc->auth.list, lc->auth.n);
    return e == ITEE_ERR_FORMAT ? ITEE_ERR_LC_ANCESTRY : e;
}

/*
 * Drops old finalized headers, keeping the `newly` just finalized and at least
 * LIGHT_CLIENT_MIN_HISTORY; cutting only past twice that keeps the memmove amortised.
 */
static void history_trim(struct light_client *lc, size_t newly)
{
    size_t keep = newly > LIGHT_CLIENT_MIN_HISTORY ? newly : LIGHT_CLIENT_MIN_HISTORY;
    if (lc->n_final <= keep + LIGHT_CLIENT_MIN_HISTORY)
        return;
    size_t drop = lc->n_final - keep;
    memmove(lc->held, lc->held + drop, (lc->n_held - drop) * sizeof(*lc->held));
    lc->n_held -= drop;
    lc->n_final -= drop;
}

/* Finalizes held[0..=t] and enacts the change that block completes (cannot fail). */
static void finalize_to(struct light_client *lc, size_t t, struct light_client_outcome *o)
{
    size_t newly = t + 1 - lc->n_final;
    lc->n_final = t + 1;
    bool changed = false;
    if (lc->n_pending > 0 && lc->pending[0].effective == lc->held[t].number) {
        auth_set_free(&lc->auth);
        lc->auth = lc->pending[0].set;
        lc->set_id++;
        lc->n_pending--;
        memmove(lc->pending, lc->pending + 1, lc->n_pending * sizeof(lc->pending[0]));
        memset(&lc->pending[lc->n_pending], 0, sizeof(lc->pending[0]));
        changed = true;
    }
    history_trim(lc, newly);
    if (o != NULL) {
        o->n_finalized = newly;
        o->finalized_number = fin(lc)->number;
        o->set_changed = changed;
    }
}

static void outcome_none(const struct light_client *lc, struct light_client_outcome *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof(*o));
    o->finalized_number = fin(lc)->number;
}

static enum itee_err check_extends(const struct light_client *lc,
                                   const struct light_client_header *rec)
{
    const struct light_client_header *b = best(lc);
    if (rec->number <= b->number)
        return ITEE_ERR_LC_NUMBER;
    if (rec->number - b->number > 1)
        return ITEE_ERR_LC_GAP;
    if (memcmp(rec->parent_hash, b->hash, HEADER_HASH_LEN) != 0)
        return ITEE_ERR_LC_PARENT;
    return ITEE_OK;
}

/* Checks the incoming header and its optional justification; commits nothing. */
static enum itee_err import_check(struct light_client *lc, const struct header *h,
                                  const struct light_client_header *rec, struct digest_info *d,
                                  const uint8_t *just, size_t just_len)
{
    enum itee_err e;
    if ((e = check_extends(lc, rec)) != ITEE_OK || (e = parse_digests(h, d)) != ITEE_OK)
        return e;
    if (d->has_change && (e = change_admissible(lc, rec->number, d->delay)) != ITEE_OK)
        return e;
    bool justified = just != NULL && just_len > 0;
    /* a justified header empties the queue, so only an unjustified one can overflow it */
    if (!justified && lc->n_held - lc->n_final >= LIGHT_CLIENT_MAX_UNJUSTIFIED)
        return ITEE_ERR_LC_QUEUE_FULL;
    if (justified) {
        struct grandpa_justification j;
        if ((e = grandpa_justification_decode(&j, just, just_len)) != ITEE_OK)
            return e;
        e = check_justification(lc, &j, rec);
        grandpa_justification_free(&j);
        if (e != ITEE_OK)
            return e;
    }
    return held_reserve(lc);
}

enum itee_err light_client_import(struct light_client *lc, const uint8_t *header, size_t header_len,
                                  const uint8_t *just, size_t just_len,
                                  struct light_client_outcome *outcome)
{
    if (outcome != NULL)
        memset(outcome, 0, sizeof(*outcome));
    if (lc == NULL || (just == NULL && just_len != 0))
        return ITEE_ERR_ARG;
    struct header h;
    struct light_client_header rec;
    struct digest_info d = {0};
    enum itee_err e = header_load(&h, &rec, header, header_len);
    if (e == ITEE_OK)
        e = import_check(lc, &h, &rec, &d, just, just_len);
    if (e != ITEE_OK) {
        auth_set_free(&d.set);
        return e;
    }
    lc->held[lc->n_held++] = rec;
    if (d.has_change) {
        struct pending_change *p = &lc->pending[lc->n_pending++];
        p->announced = rec.number;
        p->effective = rec.number + d.delay;
        p->set = d.set;
    }
    if (just != NULL && just_len > 0)
        finalize_to(lc, lc->n_held - 1, outcome);
    else
        outcome_none(lc, outcome);
    return ITEE_OK;
}

enum itee_err light_client_import_justification(struct light_client *lc, const uint8_t *just,
                                                size_t just_len,
                                                struct light_client_outcome *outcome)
{
    if (outcome != NULL)
        memset(outcome, 0, sizeof(*outcome));
    if (lc == NULL || just == NULL)
        return ITEE_ERR_ARG;
    struct grandpa_justification j;
    enum itee_err e = grandpa_justification_decode(&j, just, just_len);
    if (e != ITEE_OK)
        return e;
    /* the target must be unjustified: its number fixes its index among the held headers */
    const struct light_client_header *f = fin(lc);
    size_t t = 0;
    if (j.target_number <= f->number || j.target_number > best(lc)->number) {
        e = ITEE_ERR_LC_TARGET;
    } else {
        t = lc->n_final - 1 + (j.target_number - f->number);
        e = check_justification(lc, &j, &lc->held[t]);
    }
    grandpa_justification_free(&j);
    if (e != ITEE_OK)
        return e;
    finalize_to(lc, t, outcome);
    return ITEE_OK;
}

void light_client_finalized(const struct light_client *lc, struct light_client_header *out)
{
    *out = *fin(lc);
}

void light_client_best(const struct light_client *lc, struct light_client_header *out)
{
    *out = *best(lc);
}

void light_client_genesis_hash(const struct light_client *lc, uint8_t out[HEADER_HASH_LEN])
{
    memcpy(out, lc->genesis_hash, HEADER_HASH_LEN);
}

size_t light_client_unjustified_count(const struct light_client *lc)
{
    return lc->n_held - lc->n_final;
}

void light_client_authorities(const struct light_client *lc, const struct grandpa_authority **auth,
                              size_t *n_auth, uint64_t *set_id)
{
    *auth = lc->auth.list;
    *n_auth = lc->auth.n;
    *set_id = lc->set_id;
}

static const struct light_client_header *find_final_number(const struct light_client *lc,
                                                           uint32_t number)
{
    uint32_t first = lc->held[0].number;
    if (number < first || number > fin(lc)->number)
        return NULL;
    return &lc->held[number - first];
}

static const struct light_client_header *find_final_hash(const struct light_client *lc,
                                                         const uint8_t hash[HEADER_HASH_LEN])
{
    for (size_t i = lc->n_final; i-- > 0;)
        if (memcmp(lc->held[i].hash, hash, HEADER_HASH_LEN) == 0)
            return &lc->held[i];
    return NULL;
}

enum itee_err light_client_finalized_by_number(const struct light_client *lc, uint32_t number,
                                               struct light_client_header *out)
{
    memset(out, 0, sizeof(*out));
    const struct light_client_header *h = find_final_number(lc, number);
    if (h == NULL)
        return ITEE_ERR_LC_NOT_FINALIZED;
    *out = *h;
    return ITEE_OK;
}

enum itee_err light_client_finalized_by_hash(const struct light_client *lc,
                                             const uint8_t hash[HEADER_HASH_LEN],
                                             struct light_client_header *out)
{
    memset(out, 0, sizeof(*out));
    const struct light_client_header *h = find_final_hash(lc, hash);
    if (h == NULL)
        return ITEE_ERR_LC_NOT_FINALIZED;
    *out = *h;
    return ITEE_OK;
}

void light_client_prune(struct light_client *lc, uint32_t below)
{
    uint32_t first = lc->held[0].number;
    if (below <= first)
        return;
    size_t drop = below - first;
    if (drop > lc->n_final - 1)
        drop = lc->n_final - 1;
    memmove(lc->held, lc->held + drop, (lc->n_held - drop) * sizeof(*lc->held));
    lc->n_held -= drop;
    lc->n_final -= drop;
}

enum itee_err light_client_verify_extrinsics(const struct light_client *lc,
                                             const uint8_t hash[HEADER_HASH_LEN],
                                             const struct itee_slice *items, size_t n)
{
    if (lc == NULL || hash == NULL || (items == NULL && n != 0))
        return ITEE_ERR_ARG;
    const struct light_client_header *h = find_final_hash(lc, hash);
    if (h == NULL)
        return ITEE_ERR_LC_NOT_FINALIZED;
    uint8_t root[HEADER_HASH_LEN];
    enum itee_err e = trie_ordered_root(lc->layout, items, n, root);
    if (e != ITEE_OK)
        return e;
    return memcmp(root, h->extrinsics_root, HEADER_HASH_LEN) == 0 ? ITEE_OK
                                                                  : ITEE_ERR_LC_EXTRINSICS_ROOT;
}

enum itee_err light_client_verify_storage(const struct light_client *lc,
                                          const uint8_t hash[HEADER_HASH_LEN],
                                          const struct itee_slice *nodes, size_t n_nodes,
                                          const struct itee_slice *keys, size_t n_keys,
                                          struct trie_proof_value *results)
{
    if (lc == NULL || hash == NULL)
        return ITEE_ERR_ARG;
    if (results != NULL)
        memset(results, 0, n_keys * sizeof(*results));
    const struct light_client_header *h = find_final_hash(lc, hash);
    if (h == NULL)
        return ITEE_ERR_LC_NOT_FINALIZED;
    /* non-strict like sp-trie: extra nodes prove nothing false */
    return trie_proof_verify(h->state_root, nodes, n_nodes, keys, n_keys, results, 0);
}

static enum itee_err record_put(struct itee_buf *b, const struct light_client_header *h)
{
    enum itee_err e;
    if ((e = scale_put_bytes(b, h->hash, HEADER_HASH_LEN)) ||
        (e = scale_put_bytes(b, h->parent_hash, HEADER_HASH_LEN)) ||
        (e = scale_put_u32(b, h->number)) ||
        (e = scale_put_bytes(b, h->state_root, HEADER_HASH_LEN)))
        return e;
    return scale_put_bytes(b, h->extrinsics_root, HEADER_HASH_LEN);
}

enum itee_err light_client_encode(const struct light_client *lc, struct itee_buf *b)
{
    if (lc == NULL || b == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = scale_put_u8(b, LIGHT_CLIENT_STATE_VERSION)) ||
        (e = scale_put_u8(b, (uint8_t)lc->layout)) ||
        (e = scale_put_bytes(b, lc->genesis_hash, HEADER_HASH_LEN)) ||
        (e = scale_put_u64(b, lc->set_id)) || (e = auth_put(b, &lc->auth)) ||
        (e = scale_put_compact(b, lc->n_held)))
        return e;
    for (size_t i = 0; i < lc->n_held; i++)
        if ((e = record_put(b, &lc->held[i])) != ITEE_OK)
            return e;
    if ((e = scale_put_compact(b, lc->n_final)) || (e = scale_put_compact(b, lc->n_pending)))
        return e;
    for (size_t i = 0; i < lc->n_pending; i++) {
        const struct pending_change *p = &lc->pending[i];
        if ((e = scale_put_u32(b, p->announced)) || (e = scale_put_u32(b, p->effective)) ||
            (e = auth_put(b, &p->set)))
            return e;
    }
    return ITEE_OK;
}

static enum itee_err record_read(struct scale_reader *r, struct light_client_header *h)
{
    enum itee_err e;
    if ((e = scale_read_bytes(r, h->hash, HEADER_HASH_LEN)) ||
        (e = scale_read_bytes(r, h->parent_hash, HEADER_HASH_LEN)) ||
        (e = scale_read_u32(r, &h->number)) ||
        (e = scale_read_bytes(r, h->state_root, HEADER_HASH_LEN)))
        return e;
    return scale_read_bytes(r, h->extrinsics_root, HEADER_HASH_LEN);
}

/* Reads the held headers and checks that they form one chain. */
static enum itee_err held_read(struct scale_reader *r, struct light_client *lc)
{
    size_t n;
    enum itee_err e = scale_read_len(r, &n, RECORD_LEN);
    if (e != ITEE_OK)
        return e;
    if (n == 0 || n > LIGHT_CLIENT_MAX_HISTORY + LIGHT_CLIENT_MAX_UNJUSTIFIED)
        return ITEE_ERR_LC_STATE;
    if ((lc->held = itee_alloc_array(n, sizeof(*lc->held))) == NULL)
        return ITEE_ERR_NOMEM;
    lc->cap_held = n;
    for (size_t i = 0; i < n; i++) {
        if ((e = record_read(r, &lc->held[i])) != ITEE_OK)
            return e;
        lc->n_held = i + 1;
        if (i > 0 && (lc->held[i - 1].number == UINT32_MAX ||
                      lc->held[i].number != lc->held[i - 1].number + 1 ||
                      memcmp(lc->held[i].parent_hash, lc->held[i - 1].hash, HEADER_HASH_LEN)))
            return ITEE_ERR_LC_STATE;
    }
    if (lc->held[0].number == 0 && memcmp(lc->held[0].hash, lc->genesis_hash, HEADER_HASH_LEN) != 0)
        return ITEE_ERR_LC_STATE;
    return ITEE_OK;
}

/* Reads the pending changes and checks the invariants import keeps. */
static enum itee_err pending_read(struct scale_reader *r, struct light_client *lc)
{
    size_t n;
    enum itee_err e = scale_read_len(r, &n, 8 + 1 + AUTH_LEN);
    if (e != ITEE_OK)
        return e;
    if (n > LIGHT_CLIENT_MAX_PENDING)
        return ITEE_ERR_LC_STATE;
    for (size_t i = 0; i < n; i++) {
        struct pending_change *p = &lc->pending[i];
        if ((e = scale_read_u32(r, &p->announced)) || (e = scale_read_u32(r, &p->effective)) ||
            (e = auth_read(r, &p->set)))
            return e;
        lc->n_pending = i + 1;
        /* announced in a held block, not yet enacted, after the previous one was enacted */
        if (p->announced == 0 || p->announced > best(lc)->number || p->effective < p->announced ||
            p->effective <= fin(lc)->number ||
            (i > 0 && p->announced <= lc->pending[i - 1].effective))
            return ITEE_ERR_LC_STATE;
    }
    return ITEE_OK;
}

static enum itee_err state_read(struct scale_reader *r, struct light_client *lc)
{
    uint8_t version, layout;
    size_t n_final;
    enum itee_err e;
    if ((e = scale_read_u8(r, &version)) != ITEE_OK)
        return e;
    if (version != LIGHT_CLIENT_STATE_VERSION)
        return ITEE_ERR_LC_STATE;
    if ((e = scale_read_u8(r, &layout)) != ITEE_OK)
        return e;
    if (layout != TRIE_LAYOUT_V0 && layout != TRIE_LAYOUT_V1)
        return ITEE_ERR_LC_STATE;
    lc->layout = (enum trie_layout)layout;
    if ((e = scale_read_bytes(r, lc->genesis_hash, HEADER_HASH_LEN)) ||
        (e = scale_read_u64(r, &lc->set_id)) || (e = auth_read(r, &lc->auth)) ||
        (e = held_read(r, lc)) || (e = scale_read_len(r, &n_final, 0)))
        return e;
    if (n_final == 0 || n_final > lc->n_held || n_final > LIGHT_CLIENT_MAX_HISTORY ||
        lc->n_held - n_final > LIGHT_CLIENT_MAX_UNJUSTIFIED)
        return ITEE_ERR_LC_STATE;
    lc->n_final = n_final;
    if ((e = pending_read(r, lc)) != ITEE_OK)
        return e;
    return scale_reader_finish(r);
}

enum itee_err light_client_decode(struct light_client **out, const uint8_t *p, size_t len)
{
    if (out == NULL || (p == NULL && len != 0))
        return ITEE_ERR_ARG;
    *out = NULL;
    struct light_client *lc = itee_zalloc(sizeof(*lc));
    if (lc == NULL)
        return ITEE_ERR_NOMEM;
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e = state_read(&r, lc);
    if (e != ITEE_OK) {
        light_client_free(lc);
        return e;
    }
    *out = lc;
    return ITEE_OK;
}
