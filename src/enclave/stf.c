/*
 * stf.c - the STF engine: module registry, trusted-call execution with nonce, fee and nested
 * transactions, internal (enclave-originated) calls and getters. Semantics in stf.h.
 */
#include "stf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/mem.h"
#include "crypto/hash.h"

void stf_outcome_init(struct stf_outcome *o)
{
    memset(o, 0, sizeof(*o));
    itee_buf_init(&o->log, STF_LOG_MAX);
}

void stf_outcome_reset(struct stf_outcome *o)
{
    o->result = ITEE_OK;
    memset(o->call_hash, 0, sizeof(o->call_hash));
    memset(o->sender, 0, sizeof(o->sender));
    itee_buf_reset(&o->log);
    o->n_effects = 0;
}

void stf_outcome_free(struct stf_outcome *o)
{
    itee_buf_free(&o->log);
    itee_free(o->effects);
    memset(o, 0, sizeof(*o));
    itee_buf_init(&o->log, STF_LOG_MAX);
}

/* Finds the slot table of a schema callback's kind. */
enum slot_kind { SLOT_CALL, SLOT_PUBLIC, SLOT_TRUSTED };

static const struct stf_slot *slot_of(const struct stf *stf, enum slot_kind k, uint8_t index)
{
    const struct stf_slot *t = k == SLOT_CALL     ? stf->calls
                               : k == SLOT_PUBLIC ? stf->public_getters
                                                  : stf->trusted_getters;
    return t[index].handler != NULL ? &t[index] : NULL;
}

typedef enum itee_err (*args_fn)(void *module_ctx, uint8_t index, struct scale_reader *r);

static args_fn slot_args(const struct stf_slot *s, enum slot_kind k)
{
    if (k == SLOT_CALL)
        return ((const struct stf_call_handler *)s->handler)->args;
    return ((const struct stf_getter_handler *)s->handler)->args;
}

static enum itee_err schema_args(const struct stf *stf, enum slot_kind k, uint8_t index,
                                 struct scale_reader *r)
{
    const struct stf_slot *s = slot_of(stf, k, index);
    if (s == NULL)
        return ITEE_ERR_SCALE_VARIANT;
    return slot_args(s, k)(s->module->ctx, index, r);
}

static enum itee_err schema_call(void *ctx, uint8_t index, struct scale_reader *r)
{
    return schema_args(ctx, SLOT_CALL, index, r);
}

static enum itee_err schema_public(void *ctx, uint8_t index, struct scale_reader *r)
{
    return schema_args(ctx, SLOT_PUBLIC, index, r);
}

static enum itee_err schema_trusted(void *ctx, uint8_t index, struct scale_reader *r)
{
    return schema_args(ctx, SLOT_TRUSTED, index, r);
}

void stf_init(struct stf *stf, const uint8_t mrenclave[TRUSTED_OP_HASH_LEN],
              const uint8_t enclave_account[TRUSTED_OP_ACCOUNT_LEN])
{
    memset(stf, 0, sizeof(*stf));
    memcpy(stf->mrenclave, mrenclave, TRUSTED_OP_HASH_LEN);
    memcpy(stf->enclave_account, enclave_account, TRUSTED_OP_ACCOUNT_LEN);
    stf->schema.call_args = schema_call;
    stf->schema.public_getter_args = schema_public;
    stf->schema.trusted_getter_args = schema_trusted;
    stf->schema.ctx = stf;
}

/* Checks a handler list can be added to table t. */
static enum itee_err check_getters(const struct stf_slot *t, const struct stf_getter_handler *h,
                                   size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (h[i].args == NULL || h[i].get == NULL)
            return ITEE_ERR_ARG;
        if (t[h[i].index].handler != NULL)
            return ITEE_ERR_STF_MODULE;
        for (size_t j = 0; j < i; j++)
            if (h[j].index == h[i].index)
                return ITEE_ERR_STF_MODULE;
    }
    return ITEE_OK;
}

static enum itee_err check_module(const struct stf *stf, const struct stf_module *m)
{
    if (m->n_calls > 0 && m->calls == NULL)
        return ITEE_ERR_ARG;
    if ((m->n_public_getters > 0 && m->public_getters == NULL) ||
        (m->n_trusted_getters > 0 && m->trusted_getters == NULL))
        return ITEE_ERR_ARG;
    for (size_t i = 0; i < m->n_calls; i++) {
        if (m->calls[i].args == NULL || m->calls[i].exec == NULL)
            return ITEE_ERR_ARG;
        if (stf->calls[m->calls[i].index].handler != NULL)
            return ITEE_ERR_STF_MODULE;
        for (size_t j = 0; j < i; j++)
            if (m->calls[j].index == m->calls[i].index)
                return ITEE_ERR_STF_MODULE;
    }
    enum itee_err e = check_getters(stf->public_getters, m->public_getters, m->n_public_getters);
    if (e == ITEE_OK)
        e = check_getters(stf->trusted_getters, m->trusted_getters, m->n_trusted_getters);
    return e;
}

enum itee_err stf_register(struct stf *stf, const struct stf_module *m)
{
    if (stf == NULL || m == NULL)
        return ITEE_ERR_ARG;
    if (stf->n_modules == STF_MAX_MODULES)
        return ITEE_ERR_STF_MODULE;
    enum itee_err e = check_module(stf, m);
    if (e != ITEE_OK)
        return e;
    for (size_t i = 0; i < m->n_calls; i++)
        stf->calls[m->calls[i].index] = (struct stf_slot){&m->calls[i], m};
    for (size_t i = 0; i < m->n_public_getters; i++)
        stf->public_getters[m->public_getters[i].index] =
            (struct stf_slot){&m->public_getters[i], m};
    for (size_t i = 0; i < m->n_trusted_getters; i++)
        stf->trusted_getters[m->trusted_getters[i].index] =
            (struct stf_slot){&m->trusted_getters[i], m};
    stf->modules[stf->n_modules++] = m;
    return ITEE_OK;
}

const struct trusted_op_schema *stf_schema(const struct stf *stf)
{
    return &stf->schema;
}

const uint8_t *stf_enclave_account(const struct stf *stf)
{
    return stf->enclave_account;
}

enum itee_err stf_log(struct stf_call *c, const char *fmt, ...)
{
    char line[STF_LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ITEE_ERR_INTERNAL;
    size_t len = (size_t)n < sizeof(line) - 1 ? (size_t)n : sizeof(line) - 2;
    line[len++] = '\n';
    enum itee_err e = itee_buf_append(&c->out->log, line, len);
    /* a full log loses lines, not calls */
    return e == ITEE_ERR_SPACE ? ITEE_OK : e;
}

enum itee_err stf_effect_push(struct stf_call *c, const struct stf_effect *fx)
{
    struct stf_outcome *o = c->out;
    if (o->n_effects == o->cap_effects) {
        size_t n = o->cap_effects == 0 ? 4 : o->cap_effects * 2;
        void *p = itee_realloc(o->effects, n * sizeof(*o->effects));
        if (p == NULL)
            return ITEE_ERR_NOMEM;
        o->effects = p;
        o->cap_effects = n;
    }
    o->effects[o->n_effects++] = *fx;
    return ITEE_OK;
}

enum itee_err stf_transfer(struct stf_state *st, const uint8_t from[TRUSTED_OP_ACCOUNT_LEN],
                           const uint8_t to[TRUSTED_OP_ACCOUNT_LEN], itee_u128 amount)
{
    struct stf_account a, b;
    if (memcmp(from, to, TRUSTED_OP_ACCOUNT_LEN) == 0 || amount == 0)
        return ITEE_OK;
    enum itee_err e = stf_state_account_get(st, from, &a);
    if (e == ITEE_OK)
        e = stf_state_account_get(st, to, &b);
    if (e != ITEE_OK)
        return e;
    if (a.free < a.frozen || a.free - a.frozen < amount)
        return ITEE_ERR_STF_FUNDS;
    if (b.free > ITEE_U128_MAX - amount)
        return ITEE_ERR_STF_OVERFLOW;
    a.free -= amount;
    b.free += amount;
    stf_account_settle(&a);
    stf_account_settle(&b);
    e = stf_state_tx_begin(st);
    if (e != ITEE_OK)
        return e;
    e = stf_state_account_put(st, from, &a);
    if (e == ITEE_OK)
        e = stf_state_account_put(st, to, &b);
    if (e != ITEE_OK) {
        (void)stf_state_tx_rollback(st);
        return e;
    }
    return stf_state_tx_commit(st);
}

void stf_account_settle(struct stf_account *a)
{
    a->providers = (a->free != 0 || a->reserved != 0) ? 1 : 0;
}

/* Everything execution needs besides the state. */
struct exec_in {
    const struct stf_call_handler *h; /* the call's handler */
    const struct stf_module *m;       /* its module */
    struct itee_slice call;           /* SCALE(TrustedCall) */
    uint8_t sender[TRUSTED_OP_ACCOUNT_LEN];
    uint32_t nonce; /* the nonce the call carries */
};

/* Runs the handler in a nested transaction; its failure undoes its own writes and outputs. */
static enum itee_err dispatch(const struct stf *stf, struct stf_state *st, const uint8_t *shard,
                              const struct exec_in *in, struct stf_outcome *out)
{
    uint8_t payout_id[TRUSTED_OP_HASH_LEN], nonce_le[4];
    for (int i = 0; i < 4; i++)
        nonce_le[i] = (uint8_t)(in->nonce >> (8 * i));
    struct hash_blake2b_state hs;
    enum itee_err he = hash_blake2b_init(&hs, sizeof(payout_id), NULL, 0);
    if (he != ITEE_OK)
        return he;
    hash_blake2b_update(&hs, in->call.ptr, in->call.len);
    hash_blake2b_update(&hs, nonce_le, sizeof(nonce_le));
    hash_blake2b_update(&hs, in->sender, TRUSTED_OP_ACCOUNT_LEN);
    hash_blake2b_final(&hs, payout_id);
    struct stf_call c = {.stf = stf,
                         .state = st,
                         .shard = shard,
                         .sender = in->sender,
                         .call = in->call,
                         .call_hash = out->call_hash,
                         .payout_id = payout_id,
                         .out = out,
                         .module_ctx = in->m->ctx};
    size_t log_len = out->log.len, n_fx = out->n_effects;
    scale_reader_init(&c.args, in->call.ptr + 1, in->call.len - 1);
    enum itee_err e = stf_state_tx_begin(st);
    if (e != ITEE_OK)
        return e;
    enum itee_err r = in->h->exec(&c);
    if (r == ITEE_OK)
        return stf_state_tx_commit(st);
    (void)stf_state_tx_rollback(st);
    out->log.len = log_len;
    out->n_effects = n_fx;
    if (r == ITEE_ERR_NOMEM)
        return r;
    out->result = r;
    return stf_log(&c, "%s failed: %s", in->h->name, itee_strerror(r));
}

/* The outcome fields a call changes, to restore them when the call is undone. */
struct outcome_mark {
    enum itee_err result;
    uint8_t call_hash[TRUSTED_OP_HASH_LEN];
    uint8_t sender[TRUSTED_OP_ACCOUNT_LEN];
    size_t log_len;
    size_t n_effects;
};

static void outcome_mark(const struct stf_outcome *o, struct outcome_mark *m)
{
    m->result = o->result;
    memcpy(m->call_hash, o->call_hash, sizeof(m->call_hash));
    memcpy(m->sender, o->sender, sizeof(m->sender));
    m->log_len = o->log.len;
    m->n_effects = o->n_effects;
}

static void outcome_restore(struct stf_outcome *o, const struct outcome_mark *m)
{
    o->result = m->result;
    memcpy(o->call_hash, m->call_hash, sizeof(o->call_hash));
    memcpy(o->sender, m->sender, sizeof(o->sender));
    o->log.len = m->log_len;
    o->n_effects = m->n_effects;
}

/* Nonce already checked: consume it, charge the fee, run the call. All in one transaction. */
static enum itee_err apply(const struct stf *stf, struct stf_state *st, const uint8_t *shard,
                           const struct exec_in *in, struct stf_account *acct,
                           struct stf_outcome *out)
{
    struct outcome_mark mark;
    outcome_mark(out, &mark);
    enum itee_err e = stf_state_tx_begin(st);
    if (e != ITEE_OK)
        return e;
    acct->nonce++;
    e = stf_state_account_put(st, in->sender, acct);
    if (e != ITEE_OK)
        goto abort;
    hash_blake2_256(out->call_hash, in->call.ptr, in->call.len);
    memcpy(out->sender, in->sender, TRUSTED_OP_ACCOUNT_LEN);
    out->result = ITEE_OK;
    e = stf_transfer(st, in->sender, stf->enclave_account, in->h->fee);
    if (e == ITEE_ERR_NOMEM)
        goto abort;
    if (e != ITEE_OK) {
        struct stf_call c = {.out = out};
        out->result = e;
        e = stf_log(&c, "%s not run: fee: %s", in->h->name, itee_strerror(e));
    } else {
        e = dispatch(stf, st, shard, in, out);
    }
    if (e != ITEE_OK)
        goto abort;
    return stf_state_tx_commit(st);
abort:
    (void)stf_state_tx_rollback(st);
    outcome_restore(out, &mark);
    return e;
}

/* Looks up the handler and sender of a call. */
static enum itee_err exec_prepare(const struct stf *stf, struct itee_slice call, uint32_t nonce,
                                  struct exec_in *in)
{
    memset(in, 0, sizeof(*in));
    if (call.ptr == NULL || call.len == 0)
        return ITEE_ERR_ARG;
    const struct stf_slot *s = slot_of(stf, SLOT_CALL, call.ptr[0]);
    if (s == NULL)
        return ITEE_ERR_SCALE_VARIANT;
    in->h = s->handler;
    in->m = s->module;
    in->call = call;
    in->nonce = nonce;
    return trusted_op_sender(in->sender, call);
}

/* Checks the nonce and applies; shared by signed and internal calls. */
static enum itee_err exec_checked(const struct stf *stf, struct stf_state *st, const uint8_t *shard,
                                  const struct exec_in *in, struct stf_outcome *out)
{
    struct stf_account acct;
    enum itee_err e = stf_state_account_get(st, in->sender, &acct);
    if (e != ITEE_OK)
        return e;
    if (acct.nonce != in->nonce)
        return ITEE_ERR_STF_NONCE;
    if (acct.nonce == UINT32_MAX)
        return ITEE_ERR_STF_OVERFLOW;
    return apply(stf, st, shard, in, &acct, out);
}

enum itee_err stf_execute_op(const struct stf *stf, struct stf_state *st,
                             const uint8_t shard[TRUSTED_OP_HASH_LEN],
                             const struct trusted_op_call_signed *cs, unsigned flags,
                             struct stf_outcome *out)
{
    struct exec_in in;
    if (stf == NULL || st == NULL || shard == NULL || cs == NULL || out == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = exec_prepare(stf, cs->call, cs->nonce, &in);
    if (e != ITEE_OK)
        return e;
    if ((flags & STF_SIG_VERIFIED) == 0) {
        e = trusted_op_call_verify(cs, stf->mrenclave, shard);
        if (e != ITEE_OK)
            return e;
    }
    return exec_checked(stf, st, shard, &in, out);
}

enum itee_err stf_execute(const struct stf *stf, struct stf_state *st,
                          const uint8_t shard[TRUSTED_OP_HASH_LEN], const uint8_t *call_signed,
                          size_t len, struct stf_outcome *out)
{
    struct trusted_op_call_signed cs;
    if (stf == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = trusted_op_call_signed_decode(&cs, &stf->schema, call_signed, len);
    if (e != ITEE_OK)
        return e;
    return stf_execute_op(stf, st, shard, &cs, 0, out);
}

/* Checks a whole call against the STF's schema (internal calls are not decoded elsewhere). */
static enum itee_err check_call(const struct stf *stf, struct itee_slice call)
{
    struct scale_reader r;
    struct itee_slice whole;
    scale_reader_init(&r, call.ptr, call.len);
    enum itee_err e = trusted_op_call_read(&r, &stf->schema, &whole);
    return e != ITEE_OK ? e : scale_reader_finish(&r);
}

enum itee_err stf_execute_internal(const struct stf *stf, struct stf_state *st,
                                   const uint8_t shard[TRUSTED_OP_HASH_LEN], struct itee_slice call,
                                   struct stf_outcome *out)
{
    struct exec_in in;
    struct stf_account acct;
    if (stf == NULL || st == NULL || shard == NULL || out == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = check_call(stf, call);
    if (e == ITEE_OK)
        e = exec_prepare(stf, call, 0, &in);
    if (e != ITEE_OK)
        return e;
    if (memcmp(in.sender, stf->enclave_account, TRUSTED_OP_ACCOUNT_LEN) != 0)
        return ITEE_ERR_STF_ORIGIN;
    /* the enclave signs its own calls with its current nonce */
    e = stf_state_account_get(st, in.sender, &acct);
    if (e != ITEE_OK)
        return e;
    in.nonce = acct.nonce;
    return exec_checked(stf, st, shard, &in, out);
}

enum itee_err stf_shield(const struct stf *stf, struct stf_state *st,
                         const uint8_t shard[TRUSTED_OP_HASH_LEN],
                         const uint8_t who[TRUSTED_OP_ACCOUNT_LEN], itee_u128 amount,
                         enum trusted_op_parentchain parentchain, struct stf_outcome *out)
{
    struct trusted_op_call call = {0};
    uint8_t bytes[1 + 32 + 32 + 16 + 1];
    struct itee_buf b = {0};
    if (stf == NULL || who == NULL)
        return ITEE_ERR_ARG;
    call.index = TRUSTED_OP_CALL_SHIELD;
    memcpy(call.sender, stf->enclave_account, TRUSTED_OP_ACCOUNT_LEN);
    memcpy(call.other, who, TRUSTED_OP_ACCOUNT_LEN);
    call.amount = amount;
    call.parentchain = parentchain;
    itee_buf_init(&b, sizeof(bytes));
    enum itee_err e = trusted_op_call_put(&b, &call);
    if (e == ITEE_OK)
        e = stf_execute_internal(stf, st, shard, itee_buf_slice(&b), out);
    itee_buf_free(&b);
    return e;
}

/* Wraps a getter result as Option<Vec<u8>>. */
static enum itee_err put_option_vec(struct itee_buf *out, bool some, const struct itee_buf *v)
{
    size_t start = out->len;
    enum itee_err e = scale_put_option(out, some);
    if (e == ITEE_OK && some)
        e = scale_put_vec_u8(out, v->ptr, v->len);
    if (e != ITEE_OK)
        out->len = start;
    return e;
}

enum itee_err stf_get(const struct stf *stf, const struct stf_state *st, const uint8_t *getter,
                      size_t len, struct itee_buf *out)
{
    struct trusted_op_getter g;
    struct itee_buf value = {0};
    uint8_t sender[TRUSTED_OP_ACCOUNT_LEN];
    bool some = false;
    if (stf == NULL || st == NULL || out == NULL)
        return ITEE_ERR_ARG;
    enum itee_err e = trusted_op_getter_decode(&g, &stf->schema, getter, len);
    if (e != ITEE_OK)
        return e;
    bool trusted = g.kind == TRUSTED_OP_GETTER_TRUSTED;
    if (trusted) {
        e = trusted_op_getter_verify(&g);
        if (e == ITEE_OK)
            e = trusted_op_sender(sender, g.getter);
        if (e != ITEE_OK)
            return e;
    }
    const struct stf_slot *s = slot_of(stf, trusted ? SLOT_TRUSTED : SLOT_PUBLIC, g.getter.ptr[0]);
    if (s == NULL)
        return ITEE_ERR_SCALE_VARIANT;
    const struct stf_getter_handler *h = s->handler;
    struct stf_getter ctx = {stf, st, trusted ? sender : NULL, {0}, s->module->ctx};
    scale_reader_init(&ctx.args, g.getter.ptr + 1, g.getter.len - 1);
    itee_buf_init(&value, STF_STATE_VALUE_MAX);
    e = h->get(&ctx, &value, &some);
    if (e == ITEE_OK)
        e = put_option_vec(out, some, &value);
    itee_buf_free(&value);
    return e;
}
