/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_grant_assertion: the JWT bearer (RFC 7523 §2.1) and SAML 2.0 bearer (RFC 7522) assertion grants. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_assertion.h"
#include "as_grant.h"
#include "as_private.h"
#include "oa2_b64url.h"
#include "oa2_json.h"
#include "oa2_saml.h"

static int assertion_refused(request_rec *r, const char *client_id,
                             const char *why)
{
    oa2_err_t err;

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11601)
                  "assertion of client %s refused: %s", client_id, why);
    oa2_err_set(&err, 400, OA2_ERR_INVALID_GRANT, why);
    return oauth2_as_reply_error(r, &err, 0);
}

/* Issues the access token of an assertion grant: no refresh token, the
 * assertion is the long-lived credential (RFC 7521 §4.1). */
static int issue_for(request_rec *r, apr_table_t *params,
                     const oauth2_as_client_auth *auth, const char *sub)
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
    g.sub = sub;
    g.has_user = strcmp(sub, auth->client->client_id) != 0;
    g.scope = scope;
    rv = oauth2_as_issue_access_token(r, &g, &t);
    if (rv != APR_SUCCESS) {
        return oauth2_as_reply_issue_failed(r, rv);
    }
    return oauth2_as_reply_token(r, &t, scope, NULL);
}

int oauth2_as_grant_jwt_bearer(request_rec *r, apr_table_t *params,
                               const oauth2_as_client_auth *auth)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *jwt = apr_table_get(params, "assertion"), *iss, *sub, *why;
    const oauth2_as_jwt_issuer *trusted;
    apr_array_header_t *keys;
    oa2_jws_t *jws;
    oa2_err_t err;
    apr_status_t rv;

    if (jwt == NULL || *jwt == '\0') {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_REQUEST,
                    "assertion is required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    if (oa2_jws_parse(r->pool, jwt, strlen(jwt), &jws, &err)
        != APR_SUCCESS) {
        return assertion_refused(r, auth->client->client_id,
                                 "malformed assertion");
    }
    iss = oa2_json_get_string(jws->payload, "iss");
    sub = oa2_json_get_string(jws->payload, "sub");
    if (iss == NULL || sub == NULL || *sub == '\0' || strlen(sub) > 256) {
        return assertion_refused(r, auth->client->client_id,
                                 "assertion without iss or sub");
    }
    /* who vouches for sub: a configured issuer, or the client itself */
    trusted = oauth2_as_jwt_issuer_find(conf, iss);
    if (trusted != NULL) {
        keys = trusted->keys;
    }
    else if (strcmp(iss, auth->client->client_id) != 0
             || oauth2_as_client_keys(r, auth->client, &keys)
                != APR_SUCCESS) {
        return assertion_refused(r, auth->client->client_id,
                                 "assertion issuer is not trusted");
    }
    rv = oauth2_as_assertion_verify(r, jws, keys, iss, &why);
    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    if (rv != APR_SUCCESS) {
        return assertion_refused(r, auth->client->client_id, why);
    }
    return issue_for(r, params, auth, sub);
}

int oauth2_as_grant_saml2_bearer(request_rec *r, apr_table_t *params,
                                 const oauth2_as_client_auth *auth)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *b64 = apr_table_get(params, "assertion");
    oa2_saml_assertion_t *a;
    oa2_saml_rules_t rules;
    unsigned char *xml;
    apr_size_t len;
    oa2_err_t err;
    apr_status_t rv;

    if (b64 == NULL || *b64 == '\0') {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_REQUEST,
                    "assertion is required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    /* RFC 7522 §2.1: base64url, padding tolerated */
    len = strlen(b64);
    while (len > 0 && b64[len - 1] == '=') {
        len--;
    }
    if (conf->saml_idps == NULL) {
        return assertion_refused(r, auth->client->client_id,
                                 "no SAML identity provider is trusted");
    }
    if (oa2_b64url_decode(r->pool, b64, len, &xml, &len) != APR_SUCCESS) {
        return assertion_refused(r, auth->client->client_id,
                                 "assertion is not base64url");
    }
    memset(&rules, 0, sizeof(rules));
    rules.idps = conf->saml_idps;
    rules.audiences = conf->assertion_audiences;
    rules.recipient = conf->token_endpoint;
    rules.now = oauth2_as_now();
    rules.leeway = 30;
    rules.max_lifetime = oauth2_as_assertion_max_lifetime(conf);
    if (oa2_saml_verify(r->pool, (const char *)xml, len, &rules, &a, &err)
        != APR_SUCCESS) {
        return assertion_refused(r, auth->client->client_id,
                                 err.description ? err.description
                                                 : "invalid assertion");
    }
    rv = oauth2_as_store_nonce_use(r, apr_pstrcat(r->pool, "saml:", a->issuer,
                                                  "\n", a->id, NULL),
                                   a->not_on_or_after);
    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11602)
                      "Security - SAML assertion replayed (issuer %s, ID %s) "
                      "from %s", a->issuer, a->id, r->useragent_ip);
        return assertion_refused(r, auth->client->client_id,
                                 "assertion already used");
    }
    return issue_for(r, params, auth, a->subject);
}
