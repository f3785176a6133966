/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_token: the token endpoint (RFC 6749 §3.2): request checks, client authentication, grant dispatch. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_client_auth.h"
#include "as_grant.h"
#include "as_issue.h"
#include "as_private.h"
#include "oa2_client.h"

/* RFC 6749 §4.4: the client acts on its own behalf. */
int oauth2_as_grant_client_credentials(request_rec *r, apr_table_t *params,
                                       const oauth2_as_client_auth *auth)
{
    oauth2_as_grant g;
    oauth2_as_token t;
    oa2_scope_t *scope;
    oa2_err_t err;
    apr_status_t rv;

    memset(&g, 0, sizeof(g));
    if (oauth2_as_requested_scope(r, apr_table_get(params, "scope"),
                                  auth->client, &scope, &err) != APR_SUCCESS
        || oauth2_as_audience(r, params, &g.audience, &err) != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, 0);
    }
    g.client = auth->client;
    g.sub = auth->client->client_id;
    g.scope = scope;
    rv = oauth2_as_issue_access_token(r, &g, &t);
    if (rv != APR_SUCCESS) {
        return oauth2_as_reply_issue_failed(r, rv);
    }
    /* RFC 6749 §4.4.3: no refresh token for client credentials */
    return oauth2_as_reply_token(r, &t, scope, NULL);
}

int oauth2_as_token_handle(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oauth2_as_client_auth auth;
    apr_table_t *params;
    const char *grant_type;
    unsigned int grant;
    oa2_err_t err;

    if (oauth2_as_read_form(r, &params, &err) != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, 0);
    }
    grant_type = apr_table_get(params, "grant_type");
    if (grant_type == NULL || *grant_type == '\0') {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_REQUEST,
                    "grant_type is required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    grant = oa2_grant_from_name(grant_type);
    /* implicit is a response_type at authorize, never a grant_type here */
    if (grant == 0 || grant == OA2_GRANT_IMPLICIT
        || (oauth2_as_grant_types(conf) & grant) == 0) {
        oa2_err_set(&err, 400, OA2_ERR_UNSUPPORTED_GRANT_TYPE, NULL);
        return oauth2_as_reply_error(r, &err, 0);
    }
    if (oauth2_as_client_authenticate(r, params, &auth, &err)
        != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, auth.basic_used);
    }
    if ((auth.client->meta->grant_types & grant) == 0) {
        oa2_err_set(&err, 400, OA2_ERR_UNAUTHORIZED_CLIENT,
                    "this client is not registered for this grant type");
        return oauth2_as_reply_error(r, &err, 0);
    }
    switch (grant) {
    case OA2_GRANT_CLIENT_CREDENTIALS:
        return oauth2_as_grant_client_credentials(r, params, &auth);
    case OA2_GRANT_AUTHORIZATION_CODE:
        return oauth2_as_grant_authorization_code(r, params, &auth);
    case OA2_GRANT_REFRESH_TOKEN:
        return oauth2_as_grant_refresh_token(r, params, &auth);
    case OA2_GRANT_PASSWORD:
        return oauth2_as_grant_password(r, params, &auth);
    case OA2_GRANT_JWT_BEARER:
        return oauth2_as_grant_jwt_bearer(r, params, &auth);
    case OA2_GRANT_SAML2_BEARER:
        return oauth2_as_grant_saml2_bearer(r, params, &auth);
    default:
        oa2_err_set(&err, 400, OA2_ERR_UNSUPPORTED_GRANT_TYPE, NULL);
        return oauth2_as_reply_error(r, &err, 0);
    }
}
