/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* harness: what every libFuzzer target in tests/fuzz/ shares: APR set-up, a
 * pool per input, inputs split into fields, invariant checks. */
#ifndef OA2_FUZZ_HARNESS_H
#define OA2_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <apr_pools.h>

/* The libFuzzer entry points every target defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * apr_initialize() once (call from LLVMFuzzerInitialize). Unless
 * OA2_FUZZ_POOL_SHIM=0, apr_palloc() and apr_pcalloc() are served from
 * malloc() while fuzzing, each block freed when its pool is cleared or
 * destroyed: pools then hide no overflow or use-after-free from ASan.
 */
void fz_init(void);

/** A new root pool for one input, and its end. */
apr_pool_t *fz_pool(void);
void fz_pool_done(apr_pool_t *p);

/** A long-lived pool for what LLVMFuzzerInitialize sets up. */
apr_pool_t *fz_global_pool(void);

/* At most this many NUL-separated fields per input. */
#define FZ_MAX_FIELDS 16

/** An input cut at its NUL bytes into C strings. */
typedef struct fz_fields_t {
    int n;                        /* fields present */
    char *f[FZ_MAX_FIELDS];       /* each in a malloc block of its exact
                                   * size; NULL past n */
} fz_fields_t;

/**
 * Splits data at NUL bytes into at most max fields (the last one ends at
 * the next NUL or at the end; anything after it is ignored).
 */
void fz_split(const uint8_t *data, size_t size, int max, fz_fields_t *out);
void fz_fields_free(fz_fields_t *fields);

/** Field i, or dflt when the input has fewer fields. */
const char *fz_field(const fz_fields_t *fields, int i, const char *dflt);

/** A copy of len bytes in a malloc block of exactly len + 1 bytes. */
char *fz_memdup(const void *data, size_t len);

/** A copy of len bytes in a malloc block of exactly len bytes (no NUL):
 * reading one byte past the end is an ASan report. */
char *fz_exact(const void *data, size_t len);

/** Prints to stderr when OA2_FUZZ_DEBUG is set: what an input led to, to
 * check that a seed goes where it is meant to. */
void fz_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Aborts (a finding) with the message when cond is false. */
#define FZ_ASSERT(cond) \
    ((cond) ? (void)0 : fz_fail(#cond, __FILE__, __LINE__))
void fz_fail(const char *what, const char *file, int line)
    __attribute__((noreturn));

#endif
