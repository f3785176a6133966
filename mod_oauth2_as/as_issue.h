/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_issue: minting access tokens (RFC 9068 JWTs) and token responses, shared by every grant. */
#ifndef AS_ISSUE_H
#define AS_ISSUE_H

#include <httpd.h>

#include "as_store.h"
#include "oa2_error.h"
#include "oa2_scope.h"

/** What an access token is issued for. */
typedef struct oauth2_as_grant {
    const oauth2_as_client_rec *client;
    const char *sub;            /* the resource owner, or the client_id */
    int has_user;               /* sub is a resource owner */
    const oa2_scope_t *scope;   /* granted scope */
    const char *audience;       /* aud */
    const char *jti;            /* a pre-assigned jti, or NULL for a new one */
    const char *family_id;      /* the grant's refresh family, or NULL */
    apr_int64_t issued_at;      /* iat (what a store already recorded), or
                                 * 0 for now */
} oauth2_as_grant;

/** A minted access token. */
typedef struct oauth2_as_token {
    const char *access_token;
    const char *jti;
    apr_int64_t expires_in;
    apr_int64_t exp;
} oauth2_as_token;

/**
 * Mints an access token: a JWT signed with the first OAuthASSigningKey,
 * header typ at+jwt, claims iss sub aud exp iat jti client_id scope; or,
 * with OAuthASAccessTokenFormat opaque, a random token stored hashed.
 * @return APR_SUCCESS, APR_EGENERAL (logged) or AS_STORE_EDB
 */
apr_status_t oauth2_as_issue_access_token(request_rec *r,
                                          const oauth2_as_grant *g,
                                          oauth2_as_token *out);

/**
 * Answers a failed oauth2_as_issue_access_token(): 503
 * temporarily_unavailable when the database failed (opaque tokens), 500
 * server_error otherwise.
 */
int oauth2_as_reply_issue_failed(request_rec *r, apr_status_t rv);

/**
 * Sends the RFC 6749 §5.1 token response.
 * @param refresh_token may be NULL
 */
int oauth2_as_reply_token(request_rec *r, const oauth2_as_token *t,
                          const oa2_scope_t *scope,
                          const char *refresh_token);

/**
 * Resolves the audience of a token request: the `resource` parameter
 * (RFC 8707, an absolute URI without fragment), else
 * OAuthASDefaultAudience, else the issuer.
 * @param err invalid_target on a malformed resource
 */
apr_status_t oauth2_as_audience(request_rec *r, apr_table_t *params,
                                const char **aud, oa2_err_t *err);

/**
 * Resolves the requested scope against the client and the registry:
 * absent means the client's registered scope; a scope that is undeclared
 * or not registered for the client is invalid_scope.
 */
apr_status_t oauth2_as_requested_scope(request_rec *r, const char *requested,
                                       const oauth2_as_client_rec *client,
                                       oa2_scope_t **scope, oa2_err_t *err);

#endif
