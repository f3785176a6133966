/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_revoke: token revocation (RFC 7009): refresh tokens (with their family) and access tokens. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_client_auth.h"
#include "as_private.h"
#include "as_store.h"
#include "as_tokens.h"

/* Revokes what the facts describe; nothing when the token belongs to
 * another client (RFC 7009 §2.1: the answer is the same 200). */
static apr_status_t revoke_token(request_rec *r,
                                 const oauth2_as_token_facts *f,
                                 const char *client_id)
{
    if (strcmp(f->client_id, client_id) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11301)
                      "client %s tried to revoke a token of client %s",
                      client_id, f->client_id);
        return APR_SUCCESS;
    }
    if (f->is_refresh) {
        /* RFC 7009 §2.1: the whole grant goes with its refresh token */
        return oauth2_as_store_grant_revoke(r, f->family_id, NULL, 0);
    }
    if (f->is_jwt) {
        return oauth2_as_store_grant_revoke(r, NULL, f->jti, f->exp);
    }
    return oauth2_as_store_access_revoke(r, f->token_hash, client_id);
}

int oauth2_as_revoke_handle(request_rec *r)
{
    oauth2_as_client_auth auth;
    oauth2_as_token_facts f;
    apr_table_t *params;
    const char *token;
    oa2_err_t err;
    apr_status_t rv;

    if (oauth2_as_read_form(r, &params, &err) != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, 0);
    }
    if (oauth2_as_client_authenticate(r, params, &auth, &err)
        != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, auth.basic_used);
    }
    token = apr_table_get(params, "token");
    if (token == NULL || *token == '\0') {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_REQUEST, "token is required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    /* token_type_hint is only a hint (RFC 7009 §2.1, RFC 7662 §2.1):
     * every kind of token is looked up at once */
    rv = oauth2_as_token_facts_get(r, token, &f);
    if (rv == APR_SUCCESS && f.active) {
        rv = revoke_token(r, &f, auth.client->client_id);
        if (rv == APR_SUCCESS && strcmp(f.client_id,
                                        auth.client->client_id) == 0) {
            oauth2_as_audit(r, auth.client->client_id, "token.revoke",
                            f.client_id, f.username,
                            f.is_refresh ? "refresh token (family)"
                                         : "access token");
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11302)
                          "client %s revoked a %s token (jti %s)",
                          auth.client->client_id,
                          f.is_refresh ? "refresh" : "access",
                          f.jti ? f.jti : "-");
        }
    }
    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    /* unknown, foreign, inactive or revoked just now: all 200 */
    r->status = HTTP_OK;
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return OK;
}
