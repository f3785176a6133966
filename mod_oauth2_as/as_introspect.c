/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_introspect: token introspection (RFC 7662) and the gateway-style token information service. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_client_auth.h"
#include "as_private.h"
#include "as_tokens.h"
#include "oa2_form.h"
#include "oa2_json.h"

static int reply_inactive(request_rec *r)
{
    return oauth2_as_reply_json(r, HTTP_OK, "{\"active\":false}");
}

int oauth2_as_introspect_handle(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oauth2_as_client_auth auth;
    oauth2_as_token_facts f;
    apr_table_t *params;
    json_object *o;
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
    if (oa2_client_is_public(auth.client->meta)) {
        /* RFC 7662 §2.1: the caller must be able to keep a secret */
        oa2_err_set(&err, 401, OA2_ERR_INVALID_CLIENT,
                    "public clients cannot introspect");
        return oauth2_as_reply_error(r, &err, 0);
    }
    token = apr_table_get(params, "token");
    if (token == NULL || *token == '\0') {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_REQUEST, "token is required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    /* token_type_hint is only a hint (RFC 7009 §2.1, RFC 7662 §2.1):
     * every kind of token is looked up at once */
    rv = oauth2_as_token_facts_get(r, token, &f);
    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    /* refresh tokens are the business of the client that holds them */
    if (rv != APR_SUCCESS || !f.active
        || (f.is_refresh
            && strcmp(f.client_id, auth.client->client_id) != 0)) {
        return reply_inactive(r);
    }
    o = oa2_json_object(r->pool);
    oa2_json_set_bool(o, "active", 1);
    oa2_json_set_string(o, "scope", f.scope);
    oa2_json_set_string(o, "client_id", f.client_id);
    oa2_json_set_string(o, "username", f.username);
    oa2_json_set_string(o, "sub", f.sub);
    oa2_json_set_string(o, "token_type",
                        f.is_refresh ? "refresh_token" : "Bearer");
    oa2_json_set_int64(o, "exp", f.exp);
    oa2_json_set_int64(o, "iat", f.iat);
    oa2_json_set_int64(o, "nbf", f.iat);
    oa2_json_set_string(o, "aud", f.aud);
    oa2_json_set_string(o, "iss", conf->issuer);
    oa2_json_set_string(o, "jti", f.jti);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(11201)
                  "client %s introspected an active token of client %s",
                  auth.client->client_id, f.client_id);
    return oauth2_as_reply_json(r, HTTP_OK, oa2_json_text(r->pool, o));
}

/* The access token of a tokeninfo request: ?access_token=, a form body or
 * an Authorization: Bearer header, exactly one of them. */
static apr_status_t tokeninfo_token(request_rec *r, const char **token,
                                    oa2_err_t *err)
{
    const char *bearer = oauth2_as_bearer_token(r);
    apr_table_t *params = NULL;
    apr_status_t rv = APR_SUCCESS;

    if (r->method_number == M_POST) {
        rv = oauth2_as_read_form(r, &params, err);
    }
    else if (r->method_number == M_GET) {
        rv = oa2_form_parse(r->pool, r->args ? r->args : "",
                            r->args ? strlen(r->args) : 0, &params, err);
        oauth2_as_redact_query(r, "access_token");
    }
    else {
        return oa2_err_set(err, 405, OA2_ERR_INVALID_REQUEST,
                           "use GET or POST");
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *token = apr_table_get(params, "access_token");
    if (*token != NULL && bearer != NULL) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "send the token once");
    }
    if (*token == NULL) {
        *token = bearer;
    }
    if (*token == NULL || **token == '\0') {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "access_token is required");
    }
    return APR_SUCCESS;
}

int oauth2_as_tokeninfo_handle(request_rec *r)
{
    oauth2_as_token_facts f;
    json_object *o;
    const char *token = NULL;
    oa2_err_t err;
    apr_status_t rv;

    if (tokeninfo_token(r, &token, &err) != APR_SUCCESS) {
        if (err.status == 405) {
            apr_table_setn(r->headers_out, "Allow", "GET, POST");
        }
        return oauth2_as_reply_error(r, &err, 0);
    }
    rv = oauth2_as_token_facts_get(r, token, &f);
    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    if (rv != APR_SUCCESS || !f.active || f.is_refresh) {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_TOKEN,
                    "the access token is invalid, expired or revoked");
        return oauth2_as_reply_error(r, &err, 0);
    }
    o = oa2_json_object(r->pool);
    oa2_json_set_string(o, "audience", f.client_id);
    oa2_json_set_string(o, "user_id", f.username);
    oa2_json_set_string(o, "scope", f.scope ? f.scope : "");
    oa2_json_set_int64(o, "expires_in", f.exp - oauth2_as_now());
    oa2_json_set_bool(o, "active", 1);
    oa2_json_set_string(o, "client_id", f.client_id);
    oa2_json_set_string(o, "sub", f.sub);
    oa2_json_set_int64(o, "exp", f.exp);
    return oauth2_as_reply_json(r, HTTP_OK, oa2_json_text(r->pool, o));
}
