/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_memo: a small per-process memo of short values keyed by a SHA-256, safe for many threads. */
#ifndef OA2_MEMO_H
#define OA2_MEMO_H

#include <apr_pools.h>

#include "oa2_token.h"

/* A memo sits in front of a slower shared cache (shmcb, memcache) so that
 * a hit takes one short-held, striped thread mutex instead of a
 * cross-process lock. It is 4-way set associative: a value replaces an
 * expired one first, else the oldest of its set. Values live in malloc'd
 * memory owned by the memo, freed when its pool goes. */
typedef struct oa2_memo_t oa2_memo_t;

/* Values larger than this are not kept. */
#define OA2_MEMO_MAX_VALUE 4096

/**
 * A memo of about `entries` values (rounded up to a power of two, at
 * least 4), allocated in p and freed with it.
 * @return APR_SUCCESS, or an error from the mutexes
 */
apr_status_t oa2_memo_create(apr_pool_t *p, unsigned int entries,
                             oa2_memo_t **memo);

/**
 * A copy in p of the value stored under key if it has not expired at
 * `now` (seconds, the caller's clock).
 * @return the NUL-terminated copy, or NULL
 */
char *oa2_memo_get(oa2_memo_t *memo, apr_pool_t *p,
                         const unsigned char key[OA2_SHA256_LEN],
                         apr_int64_t now);

/**
 * Stores a copy of value (NUL-terminated) under key until `expiry`
 * (seconds, after `now`); too large a value, an expiry not after now or a
 * failed allocation is ignored.
 */
void oa2_memo_put(oa2_memo_t *memo, const unsigned char key[OA2_SHA256_LEN],
                  apr_int64_t now, apr_int64_t expiry, const char *value);

/** Forgets the value stored under key, if any. */
void oa2_memo_remove(oa2_memo_t *memo,
                     const unsigned char key[OA2_SHA256_LEN]);

#endif
