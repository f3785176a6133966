/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_slotcache: a cache of fixed-size slots in memory shared by processes, read and written without a lock. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "oa2_slotcache.h"

/* Each slot is a sequence lock (Lamport; the C11 form is H.-J. Boehm's,
 * "Can seqlocks get along with programming language memory models?",
 * 2012): a writer makes the count odd, writes, makes it even again; a
 * reader copies the slot and keeps the copy only when the count was the
 * same even number before and after. Every shared word is an atomic read
 * and written relaxed, so that a reader racing a writer reads stale
 * words, never undefined ones, and throws them away. A writer takes a
 * slot by a compare-and-swap of the count and gives up when it is odd:
 * no one ever waits, so no process can hold up another, even by dying
 * half-way (that slot simply stays unusable until the table is made
 * again, at the next restart).
 *
 * Layout: the table's header, then every slot's header (one cache line
 * each, a set's side by side, so that a lookup reads one run of adjacent
 * lines in one page instead of one line in each of eight pages), then the
 * values, value_max bytes each rounded up to a cache line. */

#define HEADER_SIZE 64
#define LINE 64
#define KEY_WORDS (OA2_SLOTCACHE_KEY_LEN / 8)

struct oa2_slotcache_t {       /* HEADER_SIZE bytes are kept for it */
    uint64_t nsets;
    uint64_t value_max;
    uint64_t value_size;       /* value_max rounded up to a line */
};

typedef struct {
    _Atomic uint32_t seq;        /* odd while written; 0: never written */
    _Atomic uint32_t len;
    _Atomic int64_t expiry;
    _Atomic uint64_t key[KEY_WORDS];
} slot_t;

_Static_assert(sizeof(slot_t) <= LINE, "a slot header fits a cache line");

static apr_size_t round_up(apr_size_t n, apr_size_t to)
{
    return (n + to - 1) / to * to;
}

static apr_size_t value_size_for(apr_size_t value_max)
{
    return round_up(value_max, LINE);
}

/* A slot's share of the table: its header line and its value. */
static apr_size_t slot_size_for(apr_size_t value_max)
{
    return LINE + value_size_for(value_max);
}

apr_size_t oa2_slotcache_size(apr_size_t entries, apr_size_t value_max)
{
    if (entries < OA2_SLOTCACHE_WAYS || entries > 16 * 1024 * 1024
        || value_max < 16 || value_max > 65536) {
        return 0;
    }
    return HEADER_SIZE
           + round_up(entries, OA2_SLOTCACHE_WAYS) * slot_size_for(value_max);
}

apr_status_t oa2_slotcache_init(void *mem, apr_size_t size,
                                apr_size_t entries, apr_size_t value_max,
                                oa2_slotcache_t **out)
{
    apr_size_t need = oa2_slotcache_size(entries, value_max);
    oa2_slotcache_t *t = mem;

    if (need == 0 || size < need || mem == NULL
        || (uintptr_t)mem % 8 != 0) {
        return APR_EINVAL;
    }
    memset(mem, 0, need);
    t->nsets = round_up(entries, OA2_SLOTCACHE_WAYS) / OA2_SLOTCACHE_WAYS;
    t->value_max = value_max;
    t->value_size = value_size_for(value_max);
    *out = t;
    return APR_SUCCESS;
}

apr_size_t oa2_slotcache_entries(const oa2_slotcache_t *t)
{
    return (apr_size_t)(t->nsets * OA2_SLOTCACHE_WAYS);
}

static slot_t *slot_at(oa2_slotcache_t *t, uint64_t set, unsigned int way)
{
    unsigned char *headers = (unsigned char *)t + HEADER_SIZE;

    return (slot_t *)(void *)(headers + (set * OA2_SLOTCACHE_WAYS + way)
                                        * LINE);
}

/* The value of the slot whose header is s. */
static _Atomic uint64_t *value_of(oa2_slotcache_t *t, const slot_t *s)
{
    unsigned char *headers = (unsigned char *)t + HEADER_SIZE;
    uint64_t i = (uint64_t)((const unsigned char *)s - headers) / LINE;
    unsigned char *values = headers + t->nsets * OA2_SLOTCACHE_WAYS * LINE;

    return (_Atomic uint64_t *)(void *)(values + i * t->value_size);
}

static uint64_t set_of(const oa2_slotcache_t *t, const uint64_t *kw)
{
    return kw[0] % t->nsets;
}

static int key_is(slot_t *s, const uint64_t *kw)
{
    unsigned int i;

    for (i = 0; i < KEY_WORDS; i++) {
        if (atomic_load_explicit(&s->key[i], memory_order_relaxed)
            != kw[i]) {
            return 0;
        }
    }
    return 1;
}

/* Copies one slot's value out; the caller checks the count afterwards. */
static void copy_out(_Atomic uint64_t *value, unsigned char *buf,
                     apr_size_t len)
{
    apr_size_t i, words = len / 8;

    for (i = 0; i < words; i++) {
        uint64_t w = atomic_load_explicit(&value[i], memory_order_relaxed);
        memcpy(buf + i * 8, &w, 8);
    }
    if (len % 8) {
        uint64_t w = atomic_load_explicit(&value[words],
                                          memory_order_relaxed);
        memcpy(buf + words * 8, &w, len % 8);
    }
}

static void copy_in(_Atomic uint64_t *dst, const unsigned char *value,
                    apr_size_t len)
{
    apr_size_t i, words = len / 8;

    for (i = 0; i < words; i++) {
        uint64_t w;

        memcpy(&w, value + i * 8, 8);
        atomic_store_explicit(&dst[i], w, memory_order_relaxed);
    }
    if (len % 8) {
        uint64_t w = 0;

        memcpy(&w, value + words * 8, len % 8);
        atomic_store_explicit(&dst[words], w, memory_order_relaxed);
    }
}

apr_status_t oa2_slotcache_get(oa2_slotcache_t *t, const unsigned char *key,
                               apr_int64_t now, void *buf, apr_size_t size,
                               apr_size_t *len)
{
    uint64_t kw[KEY_WORDS];
    uint64_t set;
    unsigned int way;

    memcpy(kw, key, sizeof(kw));
    set = set_of(t, kw);
    for (way = 0; way < OA2_SLOTCACHE_WAYS; way++) {
        slot_t *s = slot_at(t, set, way);
        uint32_t before = atomic_load_explicit(&s->seq, memory_order_acquire);
        apr_size_t n;
        apr_int64_t expiry;

        if (before == 0 || (before & 1) || !key_is(s, kw)) {
            continue;
        }
        n = atomic_load_explicit(&s->len, memory_order_relaxed);
        expiry = atomic_load_explicit(&s->expiry, memory_order_relaxed);
        if (n > size || n > t->value_max) {
            continue;
        }
        copy_out(value_of(t, s), buf, n);
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&s->seq, memory_order_relaxed) != before) {
            continue;              /* rewritten meanwhile: the copy is torn */
        }
        if (expiry <= now) {
            return APR_NOTFOUND;
        }
        *len = n;
        return APR_SUCCESS;
    }
    return APR_NOTFOUND;
}

/* The slot of a set to (re)write: the key's own, else an empty or expired
 * one, else the one that expires first. What is read here may be changing
 * under us; the compare-and-swap that follows is what counts. */
static slot_t *victim(oa2_slotcache_t *t, const uint64_t *kw,
                      apr_int64_t now, uint32_t *seen)
{
    uint64_t set = set_of(t, kw);
    slot_t *best = NULL;
    apr_int64_t best_exp = 0;
    unsigned int way;

    for (way = 0; way < OA2_SLOTCACHE_WAYS; way++) {
        slot_t *s = slot_at(t, set, way);
        uint32_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
        apr_int64_t exp = atomic_load_explicit(&s->expiry,
                                               memory_order_relaxed);

        if (seq & 1) {
            continue;
        }
        if (seq != 0 && key_is(s, kw)) {
            *seen = seq;
            return s;
        }
        if (seq == 0 || exp <= now) {
            exp = APR_INT64_MIN;
        }
        if (best == NULL || exp < best_exp) {
            best = s;
            best_exp = exp;
            *seen = seq;
        }
    }
    return best;
}

apr_status_t oa2_slotcache_put(oa2_slotcache_t *t, const unsigned char *key,
                               apr_int64_t now, apr_int64_t expiry,
                               const void *value, apr_size_t len)
{
    uint64_t kw[KEY_WORDS];
    uint32_t seen = 0, next;
    unsigned int i;
    slot_t *s;

    if (len > t->value_max) {
        return APR_ENOSPC;
    }
    memcpy(kw, key, sizeof(kw));
    s = victim(t, kw, now, &seen);
    if (s == NULL
        || !atomic_compare_exchange_strong_explicit(&s->seq, &seen, seen + 1,
                                                    memory_order_acquire,
                                                    memory_order_relaxed)) {
        return APR_EBUSY;
    }
    atomic_thread_fence(memory_order_release);
    for (i = 0; i < KEY_WORDS; i++) {
        atomic_store_explicit(&s->key[i], kw[i], memory_order_relaxed);
    }
    atomic_store_explicit(&s->expiry, expiry, memory_order_relaxed);
    atomic_store_explicit(&s->len, (uint32_t)len, memory_order_relaxed);
    copy_in(value_of(t, s), value, len);
    next = seen + 2;
    atomic_store_explicit(&s->seq, next != 0 ? next : 2,
                          memory_order_release);
    return APR_SUCCESS;
}
