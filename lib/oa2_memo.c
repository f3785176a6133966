/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_memo: a small per-process memo of short values keyed by a SHA-256, safe for many threads. */
#include <stdlib.h>
#include <string.h>
#include <apr_atomic.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "oa2_memo.h"

#define MEMO_WAYS 4
#define MEMO_STRIPES 64

typedef struct {
    unsigned char key[OA2_SHA256_LEN];
    apr_int64_t expiry;            /* 0: empty */
    apr_uint32_t stamp;            /* insertion order, to find the oldest */
    char *value;                   /* malloc'd */
} memo_slot;

struct oa2_memo_t {
    memo_slot *slots;              /* sets * MEMO_WAYS */
    unsigned int sets;             /* a power of two */
    volatile apr_uint32_t stamp;   /* apr_atomic: shared by all stripes; a
                                    * wrap only misplaces one eviction */
    apr_thread_mutex_t *stripe[MEMO_STRIPES];
};

static apr_status_t memo_free(void *data)
{
    oa2_memo_t *m = data;
    unsigned int i;

    for (i = 0; i < m->sets * MEMO_WAYS; i++) {
        free(m->slots[i].value);
        m->slots[i].value = NULL;
    }
    return APR_SUCCESS;
}

apr_status_t oa2_memo_create(apr_pool_t *p, unsigned int entries,
                             oa2_memo_t **memo)
{
    oa2_memo_t *m = apr_pcalloc(p, sizeof(*m));
    unsigned int i;
    apr_status_t rv;

    m->sets = 1;
    while (m->sets * MEMO_WAYS < entries && m->sets < (1u << 20)) {
        m->sets <<= 1;
    }
    m->slots = apr_pcalloc(p, sizeof(memo_slot) * m->sets * MEMO_WAYS);
    for (i = 0; i < MEMO_STRIPES; i++) {
        rv = apr_thread_mutex_create(&m->stripe[i],
                                     APR_THREAD_MUTEX_DEFAULT, p);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    apr_pool_cleanup_register(p, m, memo_free, apr_pool_cleanup_null);
    *memo = m;
    return APR_SUCCESS;
}

/* The key is a digest: any four of its bytes are already uniform. */
static unsigned int set_of(const oa2_memo_t *m, const unsigned char *key)
{
    return ((unsigned int)key[0] | (unsigned int)key[1] << 8
            | (unsigned int)key[2] << 16 | (unsigned int)key[3] << 24)
           & (m->sets - 1);
}

char *oa2_memo_get(oa2_memo_t *memo, apr_pool_t *p,
                         const unsigned char key[OA2_SHA256_LEN],
                         apr_int64_t now)
{
    unsigned int set = set_of(memo, key);
    memo_slot *s = memo->slots + (apr_size_t)set * MEMO_WAYS;
    apr_thread_mutex_t *mx = memo->stripe[set % MEMO_STRIPES];
    char *found = NULL;
    int i;

    apr_thread_mutex_lock(mx);
    for (i = 0; i < MEMO_WAYS; i++) {
        if (s[i].expiry > now && memcmp(s[i].key, key, OA2_SHA256_LEN) == 0) {
            found = apr_pstrdup(p, s[i].value);
            break;
        }
    }
    apr_thread_mutex_unlock(mx);
    return found;
}

/* The slot for key in its set: its own, an empty or expired one, else the
 * oldest. */
static memo_slot *victim(memo_slot *s, const unsigned char *key,
                         apr_int64_t now)
{
    memo_slot *oldest = s;
    int i;

    for (i = 0; i < MEMO_WAYS; i++) {
        if (s[i].expiry != 0 && memcmp(s[i].key, key, OA2_SHA256_LEN) == 0) {
            return &s[i];
        }
    }
    for (i = 0; i < MEMO_WAYS; i++) {
        if (s[i].expiry <= now) {
            return &s[i];
        }
        if (s[i].stamp < oldest->stamp) {
            oldest = &s[i];
        }
    }
    return oldest;
}

void oa2_memo_put(oa2_memo_t *memo, const unsigned char key[OA2_SHA256_LEN],
                  apr_int64_t now, apr_int64_t expiry, const char *value)
{
    unsigned int set = set_of(memo, key);
    memo_slot *s = memo->slots + (apr_size_t)set * MEMO_WAYS, *v;
    apr_thread_mutex_t *mx = memo->stripe[set % MEMO_STRIPES];
    apr_size_t len = strlen(value);
    char *copy, *old;

    if (len > OA2_MEMO_MAX_VALUE || expiry <= now
        || (copy = malloc(len + 1)) == NULL) {
        return;
    }
    memcpy(copy, value, len + 1);
    apr_thread_mutex_lock(mx);
    v = victim(s, key, now);
    old = v->value;
    memcpy(v->key, key, OA2_SHA256_LEN);
    v->expiry = expiry;
    v->stamp = apr_atomic_inc32(&memo->stamp) + 1;
    v->value = copy;
    apr_thread_mutex_unlock(mx);
    free(old);
}

void oa2_memo_remove(oa2_memo_t *memo,
                     const unsigned char key[OA2_SHA256_LEN])
{
    unsigned int set = set_of(memo, key);
    memo_slot *s = memo->slots + (apr_size_t)set * MEMO_WAYS;
    apr_thread_mutex_t *mx = memo->stripe[set % MEMO_STRIPES];
    char *old = NULL;
    int i;

    apr_thread_mutex_lock(mx);
    for (i = 0; i < MEMO_WAYS; i++) {
        if (s[i].expiry != 0 && memcmp(s[i].key, key, OA2_SHA256_LEN) == 0) {
            old = s[i].value;
            s[i].value = NULL;
            s[i].expiry = 0;
            s[i].stamp = 0;
            break;
        }
    }
    apr_thread_mutex_unlock(mx);
    free(old);
}
