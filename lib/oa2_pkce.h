/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_pkce: PKCE (RFC 7636) challenge and verifier checks. */
#ifndef OA2_PKCE_H
#define OA2_PKCE_H

#include <apr_pools.h>

/**
 * @return non-zero when s is 43..128 characters of ALPHA / DIGIT / "-" /
 *         "." / "_" / "~" (the syntax of both verifier and challenge)
 */
int oa2_pkce_syntax_valid(const char *s);

/**
 * Checks a code_verifier against the stored challenge, in constant time.
 * @param p pool for the temporary hash
 * @param method "S256" or "plain" (the caller decides whether plain is
 *        allowed)
 * @return non-zero when they match
 */
int oa2_pkce_verify(apr_pool_t *p, const char *method,
                    const char *challenge, const char *verifier);

/**
 * The S256 challenge of a verifier: BASE64URL(SHA256(verifier)).
 * @param p pool that owns the result
 */
const char *oa2_pkce_s256(apr_pool_t *p, const char *verifier);

#endif
