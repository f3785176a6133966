/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_error: RFC 6749/6750/7591 errors as values, and the response shapes built from them. */
#ifndef OA2_ERROR_H
#define OA2_ERROR_H

#include <apr_pools.h>

/* The RFC error codes used across the project, written once. */
#define OA2_ERR_INVALID_REQUEST        "invalid_request"
#define OA2_ERR_INVALID_CLIENT         "invalid_client"
#define OA2_ERR_INVALID_GRANT          "invalid_grant"
#define OA2_ERR_UNAUTHORIZED_CLIENT    "unauthorized_client"
#define OA2_ERR_UNSUPPORTED_GRANT_TYPE "unsupported_grant_type"
#define OA2_ERR_INVALID_SCOPE          "invalid_scope"
#define OA2_ERR_ACCESS_DENIED          "access_denied"
#define OA2_ERR_UNSUPPORTED_RESPONSE_TYPE "unsupported_response_type"
#define OA2_ERR_SERVER_ERROR           "server_error"
#define OA2_ERR_TEMPORARILY_UNAVAILABLE "temporarily_unavailable"
#define OA2_ERR_INVALID_TOKEN          "invalid_token"
#define OA2_ERR_INSUFFICIENT_SCOPE     "insufficient_scope"
#define OA2_ERR_INVALID_CLIENT_METADATA "invalid_client_metadata"
#define OA2_ERR_INVALID_REDIRECT_URI   "invalid_redirect_uri"
#define OA2_ERR_CONSENT_REQUIRED       "consent_required"
#define OA2_ERR_LOGIN_REQUIRED         "login_required"
#define OA2_ERR_INTERACTION_REQUIRED   "interaction_required"

/** A protocol failure: which RFC error, why, and the HTTP status to use. */
typedef struct oa2_err_t {
    const char *error;        /* RFC error code, one of OA2_ERR_* */
    const char *description;  /* human readable, never contains a secret */
    int status;               /* HTTP status */
} oa2_err_t;

/**
 * Fills an error. description may be NULL.
 * @return APR_EINVAL, so that callers can `return oa2_err_set(...)`
 */
int oa2_err_set(oa2_err_t *err, int status, const char *error,
                const char *description);

/**
 * The JSON body of an error response (RFC 6749 §5.2):
 * {"error":"...","error_description":"..."}
 * @param p pool that owns the result
 */
const char *oa2_error_json(apr_pool_t *p, const oa2_err_t *err);

/**
 * The value of a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).
 * @param p pool that owns the result
 * @param realm the realm (required)
 * @param err NULL when no token was presented: then no error attributes
 * @param scope the scope needed, or NULL
 */
const char *oa2_error_bearer_challenge(apr_pool_t *p, const char *realm,
                                       const oa2_err_t *err,
                                       const char *scope);

/**
 * Appends error, error_description, state and iss to a redirect URI as
 * query or fragment parameters (RFC 6749 §4.1.2.1, RFC 9207).
 * @param p pool that owns the result
 * @param use_fragment non-zero for response_mode=fragment
 */
const char *oa2_error_redirect(apr_pool_t *p, const char *redirect_uri,
                               int use_fragment, const oa2_err_t *err,
                               const char *state, const char *iss);

#endif
