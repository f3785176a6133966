/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* harness: APR set-up, a pool per input and a malloc-backed apr_palloc() for
 * the libFuzzer targets in tests/fuzz/. */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_allocator.h>
#include <apr_general.h>
#include <apr_pools.h>

#include "harness.h"

/* ---- apr_palloc() through malloc ------------------------------------------
 * APR carves allocations out of large blocks, so ASan sees nothing when lib/
 * reads past a pool string or uses pool memory after apr_pool_destroy(). The
 * executable's apr_palloc() takes precedence over libapr's, also for libapr's
 * own calls (apr_pstrdup, apr_array_push, apr_table_set...: they go through
 * the PLT); each block is a malloc() of the exact size, listed in a tracker
 * that a pool cleanup frees. The tracker's cleanup is the pool's first, so
 * it runs last: every other cleanup still sees live memory. apr_psprintf()
 * writes into the pool's blocks directly and stays unchecked. */

typedef void *palloc_fn(apr_pool_t *p, apr_size_t size);

typedef struct tracker {
    void **blocks;
    size_t n, cap;
    struct tracker *prev, *next;   /* every live tracker, from `trackers` */
} tracker;

static palloc_fn *real_palloc;
static int shim_on;
static __thread int in_shim;
static const char tracker_key[] = "oa2-fuzz-tracker";
/* Trackers live in malloc() memory linked from here: APR may take its
 * blocks from mmap(), which LeakSanitizer does not scan, so a block listed
 * only from pool memory would look leaked. */
static tracker *trackers;

static apr_status_t tracker_free(void *data)
{
    tracker *t = data;
    size_t i;

    for (i = 0; i < t->n; i++) {
        free(t->blocks[i]);
    }
    free(t->blocks);
    if (t->prev != NULL) {
        t->prev->next = t->next;
    }
    else {
        trackers = t->next;
    }
    if (t->next != NULL) {
        t->next->prev = t->prev;
    }
    free(t);
    return APR_SUCCESS;
}

static void *real(apr_pool_t *p, apr_size_t size)
{
    if (real_palloc == NULL) {
        *(void **)&real_palloc = dlsym(RTLD_NEXT, "apr_palloc");
        if (real_palloc == NULL) {
            fprintf(stderr, "harness: no apr_palloc in libapr\n");
            abort();
        }
    }
    return real_palloc(p, size);
}

void *apr_palloc(apr_pool_t *p, apr_size_t size);
void *apr_palloc(apr_pool_t *p, apr_size_t size)
{
    tracker *t = NULL;
    void *block;

    if (!shim_on || in_shim) {
        return real(p, size);
    }
    in_shim = 1;
    apr_pool_userdata_get((void **)&t, tracker_key, p);
    if (t == NULL) {
        t = calloc(1, sizeof(*t));
        if (t == NULL) {
            abort();
        }
        t->next = trackers;
        if (trackers != NULL) {
            trackers->prev = t;
        }
        trackers = t;
        apr_pool_cleanup_register(p, t, tracker_free, apr_pool_cleanup_null);
        apr_pool_userdata_setn(t, tracker_key, NULL, p);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        void **b = realloc(t->blocks, cap * sizeof(*b));
        if (b == NULL) {
            abort();
        }
        t->blocks = b;
        t->cap = cap;
    }
    /* malloc(0) may return NULL; pool allocations never do */
    block = malloc(size ? size : 1);
    if (block == NULL) {
        abort();
    }
    t->blocks[t->n++] = block;
    in_shim = 0;
    return block;
}

#undef apr_pcalloc
void *apr_pcalloc(apr_pool_t *p, apr_size_t size);
void *apr_pcalloc(apr_pool_t *p, apr_size_t size)
{
    return memset(apr_palloc(p, size), 0, size);
}

/* ---- set-up ---------------------------------------------------------------- */

static apr_pool_t *global_pool;
static int debug;

void fz_init(void)
{
    const char *shim = getenv("OA2_FUZZ_POOL_SHIM");

    if (global_pool != NULL) {
        return;
    }
    if (apr_initialize() != APR_SUCCESS
        || apr_pool_create(&global_pool, NULL) != APR_SUCCESS) {
        fprintf(stderr, "harness: cannot initialise APR\n");
        abort();
    }
    shim_on = !(shim && strcmp(shim, "0") == 0);
    debug = getenv("OA2_FUZZ_DEBUG") != NULL;
}

void fz_debug(const char *fmt, ...)
{
    va_list ap;

    if (!debug) {
        return;
    }
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

apr_pool_t *fz_global_pool(void)
{
    return global_pool;
}

/* Each input's pool has an allocator of its own, which goes with it: the
 * global allocator would keep the freed blocks, and libFuzzer, seeing more
 * mallocs than frees, would suspect a leak after every input. */
apr_pool_t *fz_pool(void)
{
    apr_allocator_t *a;
    apr_pool_t *p;

    if (apr_allocator_create(&a) != APR_SUCCESS
        || apr_pool_create_ex(&p, NULL, NULL, a) != APR_SUCCESS) {
        abort();
    }
    apr_allocator_owner_set(a, p);
    return p;
}

void fz_pool_done(apr_pool_t *p)
{
    apr_pool_destroy(p);
}

/* ---- inputs ---------------------------------------------------------------- */

char *fz_memdup(const void *data, size_t len)
{
    char *s = malloc(len + 1);

    if (s == NULL) {
        abort();
    }
    if (len > 0) {
        memcpy(s, data, len);
    }
    s[len] = '\0';
    return s;
}

char *fz_exact(const void *data, size_t len)
{
    char *s = malloc(len ? len : 1);

    if (s == NULL) {
        abort();
    }
    if (len > 0) {
        memcpy(s, data, len);
    }
    return s;
}

void fz_split(const uint8_t *data, size_t size, int max, fz_fields_t *out)
{
    size_t pos = 0;

    memset(out, 0, sizeof(*out));
    if (max > FZ_MAX_FIELDS) {
        max = FZ_MAX_FIELDS;
    }
    while (out->n < max && (pos < size || (pos == size && out->n == 0))) {
        const uint8_t *nul = memchr(data + pos, 0, size - pos);
        size_t len = nul ? (size_t)(nul - (data + pos)) : size - pos;

        out->f[out->n++] = fz_memdup(data + pos, len);
        if (nul == NULL) {
            break;
        }
        pos += len + 1;
        if (pos == size && out->n < max) {
            /* a trailing NUL opens an empty last field */
            out->f[out->n++] = fz_memdup("", 0);
            break;
        }
    }
}

void fz_fields_free(fz_fields_t *fields)
{
    int i;

    for (i = 0; i < fields->n; i++) {
        free(fields->f[i]);
        fields->f[i] = NULL;
    }
    fields->n = 0;
}

const char *fz_field(const fz_fields_t *fields, int i, const char *dflt)
{
    return (i < fields->n) ? fields->f[i] : dflt;
}

void fz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "==FUZZ== invariant violated: %s (%s:%d)\n", what, file,
            line);
    abort();
}
