/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_memo: the per-process memo: hits, expiry, replacement, eviction, sizes and many threads. */
#include <string.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

#include "unit.h"
#include "oa2_memo.h"

/* A key whose first bytes (the set) and last byte (the identity) are
 * chosen, so that tests can fill one set on purpose. */
static void make_key(unsigned char *k, unsigned int set, unsigned char id)
{
    memset(k, 0xA5, OA2_SHA256_LEN);
    k[0] = (unsigned char)set;
    k[1] = k[2] = k[3] = 0;
    k[OA2_SHA256_LEN - 1] = id;
}

static void test_hit_and_miss(void **state)
{
    apr_pool_t *p = *state;
    unsigned char a[OA2_SHA256_LEN], b[OA2_SHA256_LEN];
    oa2_memo_t *m;

    assert_int_equal(oa2_memo_create(p, 64, &m), APR_SUCCESS);
    make_key(a, 1, 1);
    make_key(b, 1, 2);
    assert_null(oa2_memo_get(m, p, a, 100));
    oa2_memo_put(m, a, 100, 200, "value a");
    assert_string_equal(oa2_memo_get(m, p, a, 100), "value a");
    /* same set, other key */
    assert_null(oa2_memo_get(m, p, b, 100));
    /* the copy belongs to the caller: changing it changes nothing */
    char *c = (char *)oa2_memo_get(m, p, a, 100);
    c[0] = 'X';
    assert_string_equal(oa2_memo_get(m, p, a, 100), "value a");
    /* a second put of a key replaces its value, never duplicates it */
    oa2_memo_put(m, a, 100, 300, "value a2");
    assert_string_equal(oa2_memo_get(m, p, a, 150), "value a2");
    oa2_memo_put(m, b, 100, 300, "");
    assert_string_equal(oa2_memo_get(m, p, b, 150), "");
    /* remove forgets one key only, and twice is harmless */
    oa2_memo_remove(m, a);
    assert_null(oa2_memo_get(m, p, a, 150));
    assert_string_equal(oa2_memo_get(m, p, b, 150), "");
    oa2_memo_remove(m, a);
    oa2_memo_put(m, a, 100, 300, "back");
    assert_string_equal(oa2_memo_get(m, p, a, 150), "back");
}

static void test_expiry(void **state)
{
    apr_pool_t *p = *state;
    unsigned char a[OA2_SHA256_LEN];
    oa2_memo_t *m;

    assert_int_equal(oa2_memo_create(p, 16, &m), APR_SUCCESS);
    make_key(a, 0, 1);
    oa2_memo_put(m, a, 100, 110, "v");
    assert_non_null(oa2_memo_get(m, p, a, 109));
    assert_null(oa2_memo_get(m, p, a, 110));
    assert_null(oa2_memo_get(m, p, a, 1000));
    /* an expiry not after now is not stored */
    make_key(a, 0, 2);
    oa2_memo_put(m, a, 100, 100, "v");
    assert_null(oa2_memo_get(m, p, a, 99));
    oa2_memo_put(m, a, 100, -5, "v");
    assert_null(oa2_memo_get(m, p, a, 0));
}

static void test_eviction(void **state)
{
    apr_pool_t *p = *state;
    unsigned char k[OA2_SHA256_LEN];
    oa2_memo_t *m;
    unsigned char id;

    assert_int_equal(oa2_memo_create(p, 16, &m), APR_SUCCESS);
    /* five keys in a 4-way set: the oldest goes */
    for (id = 1; id <= 5; id++) {
        make_key(k, 3, id);
        oa2_memo_put(m, k, 100, 200, apr_psprintf(p, "v%d", id));
    }
    make_key(k, 3, 1);
    assert_null(oa2_memo_get(m, p, k, 100));
    for (id = 2; id <= 5; id++) {
        make_key(k, 3, id);
        assert_string_equal(oa2_memo_get(m, p, k, 100),
                            apr_psprintf(p, "v%d", id));
    }
    /* an expired entry is taken before the oldest live one */
    make_key(k, 3, 2);
    oa2_memo_put(m, k, 100, 150, "short");
    make_key(k, 3, 6);
    oa2_memo_put(m, k, 160, 300, "v6");
    make_key(k, 3, 3);
    assert_string_equal(oa2_memo_get(m, p, k, 160), "v3");
    make_key(k, 3, 6);
    assert_string_equal(oa2_memo_get(m, p, k, 160), "v6");
    /* other sets are untouched */
    make_key(k, 4, 1);
    assert_null(oa2_memo_get(m, p, k, 100));
}

static void test_sizes(void **state)
{
    apr_pool_t *p = *state;
    unsigned char k[OA2_SHA256_LEN];
    char *big = apr_palloc(p, OA2_MEMO_MAX_VALUE + 2);
    oa2_memo_t *m;

    memset(big, 'x', OA2_MEMO_MAX_VALUE + 1);
    big[OA2_MEMO_MAX_VALUE + 1] = '\0';
    /* zero and one entries still make a working memo */
    assert_int_equal(oa2_memo_create(p, 0, &m), APR_SUCCESS);
    make_key(k, 9, 9);
    oa2_memo_put(m, k, 1, 2, big);
    assert_null(oa2_memo_get(m, p, k, 1));
    big[OA2_MEMO_MAX_VALUE] = '\0';
    oa2_memo_put(m, k, 1, 2, big);
    assert_int_equal(strlen(oa2_memo_get(m, p, k, 1)), OA2_MEMO_MAX_VALUE);
    /* a huge request is capped, not overflowed */
    assert_int_equal(oa2_memo_create(p, 0xFFFFFFFFu, &m), APR_SUCCESS);
    oa2_memo_put(m, k, 1, 2, "capped");
    assert_string_equal(oa2_memo_get(m, p, k, 1), "capped");
}

#define THREADS 8
#define ROUNDS 20000

typedef struct {
    oa2_memo_t *m;
    long bad;
} worker_t;

/* Each thread stores and reads keys that every thread shares; the value
 * of a key is derived from it, so a torn or misplaced entry shows. It
 * returns rather than calling apr_thread_exit(): pthread_exit() unwinds
 * past ASan's frame epilogues and leaves poisoned stack behind, which
 * ASan then reports against its own thread teardown. */
static void *APR_THREAD_FUNC worker(apr_thread_t *t, void *data)
{
    worker_t *w = data;
    oa2_memo_t *m = w->m;
    apr_pool_t *p;
    unsigned char k[OA2_SHA256_LEN];
    long bad = 0;
    int i;

    apr_pool_create(&p, NULL);
    for (i = 0; i < ROUNDS; i++) {
        unsigned int n = (unsigned int)(i * 7919) % 300;
        const char *want = apr_psprintf(p, "value-%u", n);
        const char *got;
        make_key(k, n % 64, (unsigned char)(n / 64));
        got = oa2_memo_get(m, p, k, 10);
        if (got != NULL && strcmp(got, want) != 0) {
            bad++;
        }
        oa2_memo_put(m, k, 10, 20, want);
        if (i % 1000 == 0) {
            apr_pool_clear(p);
        }
    }
    apr_pool_destroy(p);
    (void)t;
    w->bad = bad;
    return NULL;
}

static void test_threads(void **state)
{
    apr_pool_t *p = *state;
    apr_thread_t *t[THREADS];
    worker_t w[THREADS];
    oa2_memo_t *m;
    apr_status_t rv;
    int i;

    assert_int_equal(oa2_memo_create(p, 128, &m), APR_SUCCESS);
    for (i = 0; i < THREADS; i++) {
        w[i].m = m;
        w[i].bad = -1;
        assert_int_equal(apr_thread_create(&t[i], NULL, worker, &w[i], p),
                         APR_SUCCESS);
    }
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(apr_thread_join(&rv, t[i]), APR_SUCCESS);
        assert_int_equal(w[i].bad, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_hit_and_miss),
        UNIT_TEST(test_expiry),
        UNIT_TEST(test_eviction),
        UNIT_TEST(test_sizes),
        UNIT_TEST(test_threads),
    };

    return UNIT_RUN(tests);
}
