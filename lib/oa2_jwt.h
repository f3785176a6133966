/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_jwt: JWT claim checks (RFC 7519, RFC 9068, RFC 7523) on a parsed JWS. */
#ifndef OA2_JWT_H
#define OA2_JWT_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "oa2_claims.h"
#include "oa2_error.h"
#include "oa2_jose.h"

/** What a JWT must satisfy. Unset members (NULL / 0) are not checked. */
typedef struct oa2_jwt_rules_t {
    const char *issuer;                    /* exact "iss" */
    const apr_array_header_t *audiences;   /* const char *: one must be in "aud" */
    const char *typ;                       /* header typ, e.g. "at+jwt" */
    apr_int64_t now;                       /* seconds since the epoch */
    int leeway;                            /* seconds allowed for clock skew */
    int require_exp;                       /* "exp" must be present */
    apr_int64_t max_lifetime;              /* exp may be at most now + this */
} oa2_jwt_rules_t;

/**
 * Checks the claims of a parsed (and separately verified) JWS.
 * `typ` compares case-insensitively and accepts an "application/" prefix
 * (RFC 9068 §4). exp/nbf/iat must be integers when present; iat may not be
 * in the future beyond the leeway.
 * @param err invalid_token with a description on failure
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_jwt_check(const oa2_jws_t *jws, const oa2_jwt_rules_t *rules,
                           oa2_err_t *err);

/**
 * The same checks, but `typ`, on claims digested from an already verified
 * token (oa2_claims_digest): the time claims are known to be integers.
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_jwt_check_claims(const oa2_claims_t *c,
                                  const oa2_jwt_rules_t *rules,
                                  oa2_err_t *err);

/**
 * @return non-zero when the "aud" claim (string or array) contains aud
 */
int oa2_jwt_has_audience(const oa2_jws_t *jws, const char *aud);

#endif
