/*
 * mem.h - allocation through one set of hooks, secret wiping, constant-time compare.
 *
 * All library allocation goes through itee_alloc/itee_realloc/itee_free so that tests can
 * inject allocation failures (itee_mem_fail_after) and prove every error path frees what it
 * took. The library never aborts on OOM: it returns ITEE_ERR_NOMEM.
 */
#ifndef ITEE_MEM_H
#define ITEE_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Returns: n bytes of uninitialised memory, or NULL on failure or n == 0. */
void *itee_alloc(size_t n);
/* Returns: n zeroed bytes, or NULL. */
void *itee_zalloc(size_t n);
/* Returns: memory for count elements of size bytes, or NULL if count*size overflows. */
void *itee_alloc_array(size_t count, size_t size);
/* Returns: p resized to n bytes (NULL on failure; p is then still valid). */
void *itee_realloc(void *p, size_t n);
/* Frees p; NULL is a no-op. */
void itee_free(void *p);
/* Wipes len bytes at p (never optimised away), then frees p. */
void itee_free_secret(void *p, size_t len);
/* Wipes len bytes at p in a way the compiler cannot elide. */
void itee_memzero(void *p, size_t len);
/* Returns: true iff the len bytes at a and b are equal; time depends only on len. */
bool itee_ct_eq(const void *a, const void *b, size_t len);

/*
 * Fault injection for tests: after n more successful allocations every allocation fails,
 * until reset with n < 0. This is the one piece of process-wide mutable state in the core,
 * and it exists only so that OOM loops can run (sqlite's faultsim).
 */
void itee_mem_fail_after(long n);
/* Returns: true if an allocation was refused since the last itee_mem_fail_after call. */
bool itee_mem_fault_hit(void);

#endif
