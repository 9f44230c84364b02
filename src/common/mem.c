/*
 * mem.c - allocation hooks with fault injection, and secret hygiene helpers.
 */
#include "mem.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

/* Remaining allocations before faults begin; negative disables injection. */
static _Thread_local long fail_countdown = -1;
/* Set when an allocation was refused by injection. */
static _Thread_local bool fault_hit = false;

void itee_mem_fail_after(long n)
{
    fail_countdown = n;
    fault_hit = false;
}

bool itee_mem_fault_hit(void)
{
    return fault_hit;
}

static bool inject_fault(void)
{
    if (fail_countdown < 0)
        return false;
    if (fail_countdown == 0) {
        fault_hit = true;
        return true;
    }
    fail_countdown--;
    return false;
}

void *itee_alloc(size_t n)
{
    if (n == 0 || inject_fault())
        return NULL;
    return malloc(n);
}

void *itee_zalloc(size_t n)
{
    if (n == 0 || inject_fault())
        return NULL;
    return calloc(1, n);
}

void *itee_alloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return itee_alloc(count * size);
}

void *itee_realloc(void *p, size_t n)
{
    if (n == 0 || inject_fault())
        return NULL;
    return realloc(p, n);
}

void itee_free(void *p)
{
    free(p);
}

void itee_memzero(void *p, size_t len)
{
    if (p != NULL && len > 0)
        sodium_memzero(p, len);
}

void itee_free_secret(void *p, size_t len)
{
    if (p == NULL)
        return;
    itee_memzero(p, len);
    free(p);
}

bool itee_ct_eq(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint8_t acc = 0;
    for (size_t i = 0; i < len; i++)
        acc |= (uint8_t)(x[i] ^ y[i]);
    return acc == 0;
}
