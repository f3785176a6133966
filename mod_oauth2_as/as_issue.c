/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_issue: minting access tokens (RFC 9068 JWTs) and token responses, shared by every grant. */
#include <string.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <httpd.h>
#include <http_log.h>

#include "as_issue.h"
#include "as_private.h"
#include "oa2_jose.h"
#include "oa2_json.h"
#include "oa2_token.h"

/* OAuthASAccessTokenFormat opaque: a random token, stored hashed. */
static apr_status_t issue_opaque(request_rec *r, const oauth2_as_grant *g,
                                 oauth2_as_token *out)
{
    oauth2_as_access_rec rec;
    apr_status_t rv;

    out->access_token = oa2_token_random(r->pool, 32);
    if (out->access_token == NULL) {
        return APR_EGENERAL;
    }
    memset(&rec, 0, sizeof(rec));
    rec.token_hash = oa2_token_hash(r->pool, out->access_token);
    rec.jti = out->jti;
    rec.client_id = g->client->client_id;
    rec.username = g->has_user ? g->sub : NULL;
    rec.scope = oa2_scope_join(r->pool, g->scope);
    rec.audience = g->audience;
    rec.issued_at = out->exp - out->expires_in;
    rec.expires_at = out->exp;
    rec.family_id = g->family_id;
    rv = oauth2_as_store_access_insert(r, &rec);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(10304)
                  "issued opaque access token jti %s to client %s", out->jti,
                  g->client->client_id);
    return APR_SUCCESS;
}

apr_status_t oauth2_as_issue_access_token(request_rec *r,
                                          const oauth2_as_grant *g,
                                          oauth2_as_token *out)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    json_object *claims = oa2_json_object(r->pool);
    apr_int64_t now = g->issued_at ? g->issued_at : oauth2_as_now();
    const char *payload;

    out->jti = g->jti ? g->jti : oa2_token_random(r->pool, 16);
    if (out->jti == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10301)
                      "the random generator failed");
        return APR_EGENERAL;
    }
    out->expires_in = oauth2_as_access_token_lifetime(conf);
    out->exp = now + out->expires_in;
    if (oauth2_as_token_format(conf) == AS_FORMAT_OPAQUE) {
        return issue_opaque(r, g, out);
    }
    oa2_json_set_string(claims, "iss", conf->issuer);
    oa2_json_set_string(claims, "sub", g->sub);
    oa2_json_set_string(claims, "aud", g->audience);
    oa2_json_set_int64(claims, "exp", out->exp);
    oa2_json_set_int64(claims, "iat", now);
    oa2_json_set_string(claims, "jti", out->jti);
    oa2_json_set_string(claims, "client_id", g->client->client_id);
    if (oa2_scope_count(g->scope) > 0) {
        oa2_json_set_string(claims, "scope",
                            oa2_scope_join(r->pool, g->scope));
    }
    payload = oa2_json_text(r->pool, claims);
    /* no database connection waits while we sign */
    oauth2_as_store_release(r);
    if (oa2_jws_sign(r->pool, oauth2_as_signing_key(conf), "at+jwt", payload,
                     strlen(payload), &out->access_token) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10302)
                      "signing an access token failed");
        return APR_EGENERAL;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(10303)
                  "issued access token jti %s to client %s", out->jti,
                  g->client->client_id);
    return APR_SUCCESS;
}

int oauth2_as_reply_issue_failed(request_rec *r, apr_status_t rv)
{
    oa2_err_t err;

    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    oa2_err_set(&err, 500, OA2_ERR_SERVER_ERROR, NULL);
    return oauth2_as_reply_error(r, &err, 0);
}

int oauth2_as_reply_token(request_rec *r, const oauth2_as_token *t,
                          const oa2_scope_t *scope,
                          const char *refresh_token)
{
    json_object *body = oa2_json_object(r->pool);

    oa2_json_set_string(body, "access_token", t->access_token);
    oa2_json_set_string(body, "token_type", "Bearer");
    oa2_json_set_int64(body, "expires_in", t->expires_in);
    if (oa2_scope_count(scope) > 0) {
        oa2_json_set_string(body, "scope", oa2_scope_join(r->pool, scope));
    }
    oa2_json_set_string(body, "refresh_token", refresh_token);
    return oauth2_as_reply_json(r, HTTP_OK, oa2_json_text(r->pool, body));
}

apr_status_t oauth2_as_audience(request_rec *r, apr_table_t *params,
                                const char **aud, oa2_err_t *err)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *resource = apr_table_get(params, "resource");
    apr_uri_t u;

    if (resource != NULL) {
        if (strlen(resource) > 2048
            || apr_uri_parse(r->pool, resource, &u) != APR_SUCCESS
            || u.scheme == NULL || strchr(resource, '#') != NULL) {
            return oa2_err_set(err, 400, "invalid_target",
                               "resource must be an absolute URI without "
                               "fragment");
        }
        *aud = resource;
        return APR_SUCCESS;
    }
    *aud = conf->default_audience ? conf->default_audience : conf->issuer;
    return APR_SUCCESS;
}

apr_status_t oauth2_as_requested_scope(request_rec *r, const char *requested,
                                       const oauth2_as_client_rec *client,
                                       oa2_scope_t **scope, oa2_err_t *err)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oa2_scope_t *want;

    if (requested == NULL) {
        /* RFC 6749 §3.3: absent scope means the client's default, still
         * limited to what is declared today */
        *scope = oa2_scope_intersect(r->pool, client->meta->scope,
                                     conf->declared);
        return APR_SUCCESS;
    }
    if (oa2_scope_parse(r->pool, requested, &want) != APR_SUCCESS) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_SCOPE,
                           "malformed scope");
    }
    if (!oa2_scope_subset(want, conf->declared)) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_SCOPE,
                           "unknown scope");
    }
    if (!oa2_scope_subset(want, client->meta->scope)) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_SCOPE,
                           "scope not allowed for this client");
    }
    *scope = want;
    return APR_SUCCESS;
}
