/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_client_auth: client authentication at the token endpoint (RFC 6749 §2.3). */
#ifndef AS_CLIENT_AUTH_H
#define AS_CLIENT_AUTH_H

#include <httpd.h>

#include "as_store.h"
#include "oa2_jose.h"
#include "oa2_error.h"

/** The outcome of client authentication. */
typedef struct oauth2_as_client_auth {
    oauth2_as_client_rec *client;   /* the authenticated client */
    const char *method;             /* OA2_AUTH_* actually used */
    int basic_used;                 /* an Authorization: Basic was sent */
    oa2_jws_t *assertion;           /* private_key_jwt: the client_assertion */
} oauth2_as_client_auth;

/**
 * Authenticates the client of a token-endpoint request: Basic
 * (client_secret_basic), client_id + client_secret in the body
 * (client_secret_post), a signed client_assertion (private_key_jwt, RFC
 * 7523 §2.2), or client_id alone for a public client (none).
 * The method used must be the one the client registered. Unknown,
 * disabled and wrong-secret clients get the same invalid_client answer.
 * Logs failures at INFO (never the secret).
 * @param err invalid_client (401), invalid_request, or
 *        temporarily_unavailable (503)
 */
apr_status_t oauth2_as_client_authenticate(request_rec *r,
                                           apr_table_t *params,
                                           oauth2_as_client_auth *a,
                                           oa2_err_t *err);

#endif
