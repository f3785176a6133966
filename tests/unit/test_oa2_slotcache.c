/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_slotcache: the shared slot cache: hits, expiry, replacement, eviction, sizes, a dead writer, and processes racing. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_slotcache.h"

#define SLOT_HEADER 64   /* the table's header, before the first slot */
#define SLOT_LINE 64     /* then one line per slot header, a set's adjacent */

/* A key in a chosen set (its first 8 bytes, little-endian, modulo the
 * number of sets) with a chosen identity (its last byte). */
static void make_key(unsigned char *k, uint64_t set, unsigned char id)
{
    memset(k, 0x5A, OA2_SLOTCACHE_KEY_LEN);
    memcpy(k, &set, sizeof(set));
    k[OA2_SLOTCACHE_KEY_LEN - 1] = id;
}

static oa2_slotcache_t *table(apr_pool_t *p, apr_size_t entries,
                              apr_size_t value_max, void **mem)
{
    apr_size_t size = oa2_slotcache_size(entries, value_max);
    oa2_slotcache_t *t;

    assert_true(size > 0);
    *mem = apr_palloc(p, size + 64);
    /* 64-byte alignment, as shared memory has (the table needs 8) */
    *mem = (void *)(((uintptr_t)*mem + 63) & ~(uintptr_t)63);
    assert_int_equal(oa2_slotcache_init(*mem, size, entries, value_max, &t),
                     APR_SUCCESS);
    return t;
}

static const char *get(apr_pool_t *p, oa2_slotcache_t *t,
                       const unsigned char *k, apr_int64_t now)
{
    char buf[512];
    apr_size_t len = 0;

    if (oa2_slotcache_get(t, k, now, buf, sizeof(buf), &len) != APR_SUCCESS) {
        return NULL;
    }
    return apr_pstrmemdup(p, buf, len);
}

static apr_status_t put(oa2_slotcache_t *t, const unsigned char *k,
                        apr_int64_t now, apr_int64_t expiry, const char *v)
{
    return oa2_slotcache_put(t, k, now, expiry, v, strlen(v));
}

static void test_sizes(void **state)
{
    apr_pool_t *p = *state;
    oa2_slotcache_t *t;
    void *mem;
    char *raw = apr_palloc(p, 1 << 16);
    char *aligned = (char *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);

    assert_int_equal(oa2_slotcache_size(OA2_SLOTCACHE_WAYS - 1, 100), 0);
                                                              /* too few */
    assert_int_equal(oa2_slotcache_size(100, 15), 0);         /* too small */
    assert_int_equal(oa2_slotcache_size(100, 65537), 0);      /* too big */
    assert_int_equal(oa2_slotcache_size(16 * 1024 * 1024 + 1, 100), 0);
    /* entries round up to whole sets */
    t = table(p, OA2_SLOTCACHE_WAYS + 2, 100, &mem);
    assert_int_equal(oa2_slotcache_entries(t), 2 * OA2_SLOTCACHE_WAYS);
    /* memory too small, misaligned, figures out of range */
    assert_int_equal(oa2_slotcache_init(aligned, oa2_slotcache_size(8, 100)
                                        - 1, 8, 100, &t), APR_EINVAL);
    assert_int_equal(oa2_slotcache_init(aligned + 4, 4096, 8, 100, &t),
                     APR_EINVAL);
    assert_int_equal(oa2_slotcache_init(aligned, 4096, 2, 100, &t),
                     APR_EINVAL);
    assert_int_equal(oa2_slotcache_init(NULL, 4096, 8, 100, &t), APR_EINVAL);
}

static void test_hit_miss_expiry(void **state)
{
    apr_pool_t *p = *state;
    unsigned char a[OA2_SLOTCACHE_KEY_LEN], b[OA2_SLOTCACHE_KEY_LEN];
    void *mem;
    oa2_slotcache_t *t = table(p, 64, 256, &mem);
    int i;

    make_key(a, 3, 1);
    make_key(b, 3, 2);
    assert_null(get(p, t, a, 100));
    assert_int_equal(put(t, a, 100, 200, "value a"), APR_SUCCESS);
    assert_string_equal(get(p, t, a, 100), "value a");
    assert_string_equal(get(p, t, a, 199), "value a");
    assert_null(get(p, t, a, 200));                  /* expired */
    assert_null(get(p, t, b, 100));                  /* same set, other key */
    /* a second put replaces the value in the same slot: after filling the
     * other ways the key is still there, once */
    assert_int_equal(put(t, a, 100, 300, "value a2"), APR_SUCCESS);
    assert_string_equal(get(p, t, a, 250), "value a2");
    for (i = 2; i <= OA2_SLOTCACHE_WAYS; i++) {
        make_key(b, 3, (unsigned char)i);
        assert_int_equal(put(t, b, 100, 400, "other"), APR_SUCCESS);
    }
    assert_string_equal(get(p, t, a, 250), "value a2");
    /* an empty value is a value */
    make_key(b, 9, 1);
    assert_int_equal(put(t, b, 100, 400, ""), APR_SUCCESS);
    assert_string_equal(get(p, t, b, 100), "");
}

static void test_eviction(void **state)
{
    apr_pool_t *p = *state;
    unsigned char k[OA2_SLOTCACHE_KEY_LEN];
    void *mem;
    oa2_slotcache_t *t = table(p, 4 * OA2_SLOTCACHE_WAYS, 64, &mem);
    const unsigned char ways = OA2_SLOTCACHE_WAYS;
    unsigned char id;

    /* every way of set 1: id expires at 400 + 100 id, but id 2 at 400 */
    for (id = 1; id <= ways; id++) {
        make_key(k, 1, id);
        assert_int_equal(put(t, k, 100, id == 2 ? 400 : 400 + id * 100,
                             apr_psprintf(p, "v%d", id)), APR_SUCCESS);
    }
    /* one more replaces the one that expires first (id 2) */
    make_key(k, 1, ways + 1);
    assert_int_equal(put(t, k, 100, 500 + ways * 100, "last"), APR_SUCCESS);
    make_key(k, 1, 2);
    assert_null(get(p, t, k, 100));
    for (id = 1; id <= ways + 1; id++) {
        make_key(k, 1, id);
        if (id != 2) {
            assert_string_equal(get(p, t, k, 100), id <= ways
                                ? apr_psprintf(p, "v%d", id) : "last");
        }
    }
    /* an expired entry goes before a live one that expires earlier: at
     * 550 id 1 (500) has expired, id 3 (700) expires first of the rest */
    make_key(k, 1, ways + 2);
    assert_int_equal(put(t, k, 550, 5000, "newest"), APR_SUCCESS);
    assert_string_equal(get(p, t, k, 550), "newest");
    for (id = 3; id <= ways; id++) {
        make_key(k, 1, id);
        assert_string_equal(get(p, t, k, 550), apr_psprintf(p, "v%d", id));
    }
    make_key(k, 1, ways + 1);
    assert_string_equal(get(p, t, k, 550), "last");
    /* other sets are untouched */
    make_key(k, 2, 1);
    assert_null(get(p, t, k, 100));
}

static void test_value_sizes(void **state)
{
    apr_pool_t *p = *state;
    unsigned char k[OA2_SLOTCACHE_KEY_LEN];
    void *mem;
    oa2_slotcache_t *t = table(p, 16, 100, &mem);
    char big[101], out[100];
    apr_size_t len = 0;
    int i;

    memset(big, 'x', sizeof(big));
    make_key(k, 0, 1);
    assert_int_equal(oa2_slotcache_put(t, k, 1, 100, big, 101), APR_ENOSPC);
    assert_int_equal(oa2_slotcache_put(t, k, 1, 100, big, 100), APR_SUCCESS);
    assert_int_equal(oa2_slotcache_get(t, k, 1, out, 100, &len), APR_SUCCESS);
    assert_int_equal(len, 100);
    assert_memory_equal(out, big, 100);
    /* a value that does not fit the reader's buffer is a miss */
    assert_int_equal(oa2_slotcache_get(t, k, 1, out, 99, &len),
                     APR_NOTFOUND);
    /* every length up to a word boundary and past it comes back whole */
    for (i = 0; i <= 17; i++) {
        char v[17];

        memset(v, 'a' + i, sizeof(v));
        assert_int_equal(oa2_slotcache_put(t, k, 1, 100, v, (apr_size_t)i),
                         APR_SUCCESS);
        assert_int_equal(oa2_slotcache_get(t, k, 1, out, sizeof(out), &len),
                         APR_SUCCESS);
        assert_int_equal(len, i);
        assert_memory_equal(out, v, (size_t)i);
    }
}

/* A writer that died half-way leaves its slot's count odd: readers miss
 * it, writers pass it by, the rest of the set works on. */
static void test_dead_writer(void **state)
{
    apr_pool_t *p = *state;
    unsigned char k[OA2_SLOTCACHE_KEY_LEN];
    void *mem;
    oa2_slotcache_t *t = table(p, OA2_SLOTCACHE_WAYS, 64, &mem);  /* one set */
    uint32_t seq;
    unsigned char id;

    make_key(k, 0, 1);
    assert_int_equal(put(t, k, 1, 100, "one"), APR_SUCCESS);
    /* set 0, way 0: the first slot, its count first */
    memcpy(&seq, (char *)mem + SLOT_HEADER, sizeof(seq));
    assert_int_equal(seq, 2);
    seq = 3;
    memcpy((char *)mem + SLOT_HEADER, &seq, sizeof(seq));
    assert_null(get(p, t, k, 1));
    /* the key's slot is busy, so a new value goes to another way */
    assert_int_equal(put(t, k, 1, 100, "two"), APR_SUCCESS);
    assert_string_equal(get(p, t, k, 1), "two");
    for (id = 2; id < OA2_SLOTCACHE_WAYS; id++) {
        make_key(k, 0, id);
        assert_int_equal(put(t, k, 1, 100 + id, "x"), APR_SUCCESS);
    }
    /* every way busy: the writer gives up instead of waiting */
    for (id = 0; id < OA2_SLOTCACHE_WAYS; id++) {
        char *slot = (char *)mem + SLOT_HEADER + id * SLOT_LINE;

        memcpy(slot, &seq, sizeof(seq));
    }
    make_key(k, 0, 9);
    assert_int_equal(put(t, k, 1, 100, "y"), APR_EBUSY);
}

/* The value written for key `id` in `round`: its identity, then a filler
 * whose length and byte depend on both, so that a mix of two writes
 * cannot pass for one. */
static apr_size_t value_for(unsigned char id, unsigned int round, char *v)
{
    apr_size_t len = 8 + (id * 7 + round * 13) % 240;
    char fill = (char)('a' + (id + round) % 26);

    memset(v, fill, len);
    v[0] = (char)id;
    v[1] = fill;
    return len;
}

/* valid[id][len][fill]: value_for writes that combination in some round */
static unsigned char valid[64][256][26];

static void learn_values(void)
{
    unsigned int id, round;

    for (id = 0; id < 64; id++) {
        for (round = 0; round < 26 * 240; round++) {
            char v[256];
            apr_size_t len = value_for((unsigned char)id, round, v);

            valid[id][len][v[1] - 'a'] = 1;
        }
    }
}

static int value_ok(unsigned char id, const char *v, apr_size_t len)
{
    apr_size_t i;

    if (len < 8 || len > 255 || (unsigned char)v[0] != id || v[1] < 'a'
        || v[1] > 'z' || !valid[id][len][v[1] - 'a']) {
        return 0;
    }
    for (i = 2; i < len; i++) {
        if (v[i] != v[1]) {
            return 0;
        }
    }
    return 1;
}

/* Writers and readers in separate processes hammer a small table (many
 * keys per set): every hit must be one whole write of its own key. */
static void test_processes_race(void **state)
{
    apr_size_t size = oa2_slotcache_size(32, 256);
    void *mem = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    unsigned long *counts = (unsigned long *)((char *)mem + size);
    oa2_slotcache_t *t;
    int w;

    (void)state;
    learn_values();
    assert_true(mem != MAP_FAILED);
    assert_int_equal(oa2_slotcache_init(mem, size, 32, 256, &t),
                     APR_SUCCESS);
    for (w = 0; w < 4; w++) {
        pid_t pid = fork();

        assert_true(pid >= 0);
        if (pid == 0) {
            unsigned long hits = 0, torn = 0;
            unsigned int i;

            for (i = 0; i < 1000000; i++) {
                unsigned char k[OA2_SLOTCACHE_KEY_LEN];
                unsigned char id = (unsigned char)((i * 31 + (unsigned)w)
                                                   % 64);
                char v[256];
                apr_size_t len;

                make_key(k, id % 4, id);
                if (w < 2) {
                    len = value_for(id, i % (26 * 240), v);
                    oa2_slotcache_put(t, k, 1, 100, v, len);
                }
                else if (oa2_slotcache_get(t, k, 1, v, sizeof(v), &len)
                         == APR_SUCCESS) {
                    hits++;
                    torn += !value_ok(id, v, len);
                }
            }
            counts[w * 2] = hits;
            counts[w * 2 + 1] = torn;
            _exit(0);
        }
    }
    for (w = 0; w < 4; w++) {
        int status;

        assert_true(wait(&status) > 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    printf("# readers: %lu + %lu hits, %lu + %lu torn\n", counts[4],
           counts[6], counts[5], counts[7]);
    assert_true(counts[4] + counts[6] > 1000);
    assert_int_equal(counts[5] + counts[7], 0);
    munmap(mem, size + 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_sizes),
        UNIT_TEST(test_hit_miss_expiry),
        UNIT_TEST(test_eviction),
        UNIT_TEST(test_value_sizes),
        UNIT_TEST(test_dead_writer),
        UNIT_TEST(test_processes_race),
    };

    return UNIT_RUN(tests);
}
