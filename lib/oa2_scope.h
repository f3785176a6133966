/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_scope: scope strings (RFC 6749 §3.3) as sorted sets, with subset tests. */
#ifndef OA2_SCOPE_H
#define OA2_SCOPE_H

#include <apr_pools.h>
#include <apr_tables.h>

#define OA2_SCOPE_MAX_TOKENS 64
#define OA2_SCOPE_MAX_LEN 4096

/** A set of scope tokens, sorted and without duplicates. */
typedef struct oa2_scope_t {
    apr_array_header_t *tokens;   /* const char * */
} oa2_scope_t;

/**
 * Parses a space-delimited scope string. Tokens are 1*( %x21 / %x23-5B /
 * %x5D-7E ); runs of spaces are allowed, any other character is refused.
 * Duplicates collapse. NULL or "" gives the empty set.
 * @param p pool that owns the set
 * @return APR_SUCCESS or APR_EINVAL (also for more than
 *         OA2_SCOPE_MAX_TOKENS tokens or OA2_SCOPE_MAX_LEN bytes)
 */
apr_status_t oa2_scope_parse(apr_pool_t *p, const char *str,
                             oa2_scope_t **out);

/**
 * Makes a set from an array of tokens (const char *) already known to be
 * valid: sorts and removes duplicates; no size limit.
 * @param p pool that owns the set
 */
oa2_scope_t *oa2_scope_from_array(apr_pool_t *p,
                                  const apr_array_header_t *tokens);

/** @return non-zero when the token syntax is valid */
int oa2_scope_token_valid(const char *token);

/** @return non-zero when token is in set */
int oa2_scope_has(const oa2_scope_t *set, const char *token);

/** @return non-zero when every token of a is in b */
int oa2_scope_subset(const oa2_scope_t *a, const oa2_scope_t *b);

/** @return the number of tokens */
int oa2_scope_count(const oa2_scope_t *set);

/**
 * The intersection of a and b.
 * @param p pool that owns the result
 */
oa2_scope_t *oa2_scope_intersect(apr_pool_t *p, const oa2_scope_t *a,
                                 const oa2_scope_t *b);

/**
 * The normalised string form (sorted, single spaces).
 * @param p pool that owns the result
 */
const char *oa2_scope_join(apr_pool_t *p, const oa2_scope_t *set);

#endif
