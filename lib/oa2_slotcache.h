/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_slotcache: a cache of fixed-size slots in memory shared by processes, read and written without a lock. */
#ifndef OA2_SLOTCACHE_H
#define OA2_SLOTCACHE_H

#include <apr.h>
#include <apr_errno.h>

/* Keys are this long: a SHA-256, so that the slot is chosen by bits an
 * outsider cannot steer. */
#define OA2_SLOTCACHE_KEY_LEN 32
/* Entries are kept in sets of this many slots (the choice of the set is
 * the key's first bytes; inside it, the same key, else an empty or
 * expired slot, else the one that expires first). Eight rather than four:
 * at half load four ways lost 3.6% of the lookups to sets that drew more
 * keys than ways, eight lose 0.8% (docs/performance.md, item 14); a
 * lookup reads at most eight slot headers, which lie side by side. */
#define OA2_SLOTCACHE_WAYS 8

/** The table: a header and its slots, all inside the caller's memory. */
typedef struct oa2_slotcache_t oa2_slotcache_t;

/**
 * @return the bytes a table of `entries` entries (rounded up to a whole
 *         number of sets) of at most `value_max` bytes each takes, or 0
 *         when the figures are out of range (entries 8..16M, value_max
 *         16..64 KiB)
 */
apr_size_t oa2_slotcache_size(apr_size_t entries, apr_size_t value_max);

/**
 * Lays an empty table out in `mem` (8-byte aligned, zeroed or not), once,
 * before the processes that share it are started; they find it at the
 * same address.
 * @param size at least oa2_slotcache_size(entries, value_max)
 * @return APR_SUCCESS, or APR_EINVAL when size or the figures do not fit
 */
apr_status_t oa2_slotcache_init(void *mem, apr_size_t size,
                                apr_size_t entries, apr_size_t value_max,
                                oa2_slotcache_t **out);

/**
 * Copies out the value stored under `key` unless it has expired
 * (expiry <= now). A slot being written at that moment, or rewritten
 * while it is copied, counts as a miss: a reader never waits and never
 * returns a mix of two entries.
 * @param buf receives the value; a value that does not fit is a miss
 * @param len receives the value's length
 * @return APR_SUCCESS or APR_NOTFOUND
 */
apr_status_t oa2_slotcache_get(oa2_slotcache_t *t, const unsigned char *key,
                               apr_int64_t now, void *buf, apr_size_t size,
                               apr_size_t *len);

/**
 * Stores a value until `expiry` (seconds, as `now`), replacing the key's
 * older value. Never waits: when the slot chosen is being written by
 * someone else, the value is not stored.
 * @return APR_SUCCESS, APR_ENOSPC when the value is larger than the
 *         table's value_max, or APR_EBUSY when the slot was busy
 */
apr_status_t oa2_slotcache_put(oa2_slotcache_t *t, const unsigned char *key,
                               apr_int64_t now, apr_int64_t expiry,
                               const void *value, apr_size_t len);

/** @return the number of entries the table holds (a multiple of the ways) */
apr_size_t oa2_slotcache_entries(const oa2_slotcache_t *t);

#endif
