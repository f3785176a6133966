/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_csrf: anti-CSRF tokens: a nonce and an expiry MACed (HMAC-SHA-256) together with who and what they are for. */
#ifndef OA2_CSRF_H
#define OA2_CSRF_H

#include <apr_pools.h>

/**
 * Makes a token: base64url(nonce || expiry) "." base64url(HMAC(key,
 * purpose, binding, nonce, expiry)). The binding names the user and the
 * request the form is for, so a token is useless anywhere else.
 * @param p pool that owns the result
 * @return the token, or NULL when randomness failed
 */
const char *oa2_csrf_make(apr_pool_t *p, const unsigned char *key,
                          apr_size_t key_len, const char *purpose,
                          const char *binding, apr_int64_t expiry);

/**
 * Checks a token made by oa2_csrf_make() (constant-time MAC compare).
 * Single use is the caller's job: remember *nonce until the expiry.
 * @param nonce on success, the token's nonce (base64url, from p)
 * @param expiry on success, the token's expiry
 * @return APR_SUCCESS, APR_EINVAL (forged or malformed), APR_TIMEUP
 *         (expired)
 */
apr_status_t oa2_csrf_check(apr_pool_t *p, const unsigned char *key,
                            apr_size_t key_len, const char *purpose,
                            const char *binding, const char *token,
                            apr_int64_t now, const char **nonce,
                            apr_int64_t *expiry);

#endif
