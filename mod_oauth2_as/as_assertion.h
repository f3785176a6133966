/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_assertion: JWT assertions (RFC 7523) for private_key_jwt client authentication and the JWT bearer grant. */
#ifndef AS_ASSERTION_H
#define AS_ASSERTION_H

#include <httpd.h>

#include "as_store.h"
#include "oa2_jose.h"

/**
 * The verification keys a client registered: its jwks, or its jwks_uri
 * (fetched now).
 * @return APR_SUCCESS or APR_NOTFOUND (no usable key; logged)
 */
apr_status_t oauth2_as_client_keys(request_rec *r,
                                   const oauth2_as_client_rec *c,
                                   apr_array_header_t **keys);

/**
 * Verifies a JWT assertion: signature by one of `keys`, iss (when
 * expect_iss), aud the issuer, the token endpoint or this endpoint's URL,
 * exp present and within OAuthASAssertionMaxLifetime, nbf and iat not in
 * the future, jti present and never seen before (remembered in the
 * database until exp, so a replay fails on every node).
 * @param err its error code is the caller's (invalid_client or
 *        invalid_grant); the description says what failed
 * @return APR_SUCCESS, APR_EINVAL, or AS_STORE_EDB
 */
apr_status_t oauth2_as_assertion_verify(request_rec *r, const oa2_jws_t *jws,
                                        const apr_array_header_t *keys,
                                        const char *expect_iss,
                                        const char **why);

#endif
