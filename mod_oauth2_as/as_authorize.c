/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_authorize: the authorization endpoint (RFC 6749 §3.1, §4.1, §4.2; RFC 7636; RFC 9207; RFC 9700). */
#include <string.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_authorize.h"
#include "as_html.h"
#include "as_issue.h"
#include "as_private.h"
#include "oa2_client.h"
#include "oa2_form.h"
#include "oa2_pkce.h"
#include "oa2_token.h"
#include "oa2_uri.h"

#define AS_STATE_MAX 2048

static int redirect_to(request_rec *r, const char *url)
{
    apr_table_setn(r->headers_out, "Location", url);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "Referrer-Policy", "no-referrer");
    /* RFC 9700 §4.12: after a POST (the consent form), 303 so the browser
     * never re-posts the form to the client */
    r->status = r->method_number == M_POST ? HTTP_SEE_OTHER
                                           : HTTP_MOVED_TEMPORARILY;
    return OK;
}

int oauth2_as_authz_redirect_error(request_rec *r,
                                   const oauth2_as_authz_req *q,
                                   const oa2_err_t *err)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10801)
                  "authorization request of client %s refused: %s (%s)",
                  q->client->client_id, err->error,
                  err->description ? err->description : "");
    return redirect_to(r, oa2_error_redirect(r->pool, q->redirect_uri,
                                             q->fragment, err, q->state,
                                             conf->issuer));
}

/* Reads the request's parameters: the query for GET, the form for POST. */
static apr_status_t read_params(request_rec *r, apr_table_t **params,
                                oa2_err_t *err)
{
    if (r->method_number == M_POST) {
        return oauth2_as_read_form(r, params, err);
    }
    if (r->method_number != M_GET) {
        return oa2_err_set(err, 405, OA2_ERR_INVALID_REQUEST,
                           "use GET or POST");
    }
    return oa2_form_parse(r->pool, r->args ? r->args : "",
                          r->args ? strlen(r->args) : 0, params, err);
}

/* Step 1 (RFC 6749 §4.1.2.1): client and redirect URI. Failures here are
 * shown to the user and never redirected. */
static int check_client(request_rec *r, oauth2_as_authz_req *q)
{
    const char *id = apr_table_get(q->params, "client_id");
    const char *uri = apr_table_get(q->params, "redirect_uri");
    apr_status_t rv;

    if (id == NULL || *id == '\0') {
        return oauth2_as_html_error(r, HTTP_BAD_REQUEST, "Invalid request",
                                    "The application did not say who it is "
                                    "(client_id is missing).");
    }
    /* a record cached by a recent token request of this client is as
     * fresh as OAuthASClientCacheTTL promises; nothing read here is cached,
     * since only a successful authentication may fill the cache */
    rv = oauth2_as_client_cache_get(r, id, &q->client);
    if (rv != APR_SUCCESS) {
        rv = oauth2_as_store_client_get(r, id, &q->client);
    }
    if (rv == AS_STORE_EDB) {
        return oauth2_as_html_error(r, HTTP_SERVICE_UNAVAILABLE,
                                    "Temporarily unavailable",
                                    "Please try again in a moment.");
    }
    if (rv != APR_SUCCESS || !q->client->enabled) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10802)
                      "authorization request for unknown or disabled "
                      "client %s", id);
        return oauth2_as_html_error(r, HTTP_BAD_REQUEST, "Unknown application",
                                    "The application that sent you here is "
                                    "not registered with this server.");
    }
    if (uri != NULL) {
        q->redirect_given = 1;
        if (!oa2_uri_redirect_match(r->pool, q->client->meta->redirect_uris,
                                    uri)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10803)
                          "redirect_uri not registered for client %s", id);
            return oauth2_as_html_error(r, HTTP_BAD_REQUEST,
                                        "Invalid redirect",
                                        "The application asked to send you "
                                        "to an address it did not register. "
                                        "You were not redirected.");
        }
        q->redirect_uri = uri;
    }
    else if (q->client->meta->redirect_uris->nelts == 1) {
        q->redirect_uri = APR_ARRAY_IDX(q->client->meta->redirect_uris, 0,
                                        const char *);
    }
    else {
        return oauth2_as_html_error(r, HTTP_BAD_REQUEST, "Invalid request",
                                    "The application must say where to "
                                    "send you back (redirect_uri).");
    }
    return DECLINED;
}

/* response_type and response_mode. */
static apr_status_t check_response_type(request_rec *r,
                                        oauth2_as_authz_req *q,
                                        oa2_err_t *err)
{
    unsigned int enabled = oauth2_as_grant_types(oauth2_as_srv(r->server));
    const char *rt = apr_table_get(q->params, "response_type");
    const char *mode = apr_table_get(q->params, "response_mode");
    unsigned int grant;

    if (rt == NULL || *rt == '\0') {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "response_type is required");
    }
    if (strcmp(rt, "code") == 0) {
        grant = OA2_GRANT_AUTHORIZATION_CODE;
    }
    else if (strcmp(rt, "token") == 0) {
        grant = OA2_GRANT_IMPLICIT;
        q->implicit = 1;
    }
    else {
        return oa2_err_set(err, 400, OA2_ERR_UNSUPPORTED_RESPONSE_TYPE, NULL);
    }
    q->fragment = q->implicit;
    if ((enabled & grant) == 0) {
        return oa2_err_set(err, 400, OA2_ERR_UNSUPPORTED_RESPONSE_TYPE,
                           "this response type is disabled on this server");
    }
    if ((q->client->meta->grant_types & grant) == 0) {
        return oa2_err_set(err, 400, OA2_ERR_UNAUTHORIZED_CLIENT,
                           "this client is not registered for this "
                           "response type");
    }
    if (mode != NULL) {
        if (strcmp(mode, "fragment") == 0) {
            q->fragment = 1;
        }
        else if (strcmp(mode, "query") != 0 || q->implicit) {
            /* tokens never travel in a query string */
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "unsupported response_mode");
        }
    }
    return APR_SUCCESS;
}

/* code_challenge / code_challenge_method (RFC 7636 §4.3, §4.4.1). */
static apr_status_t check_pkce(request_rec *r, oauth2_as_authz_req *q,
                               oa2_err_t *err)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *ch = apr_table_get(q->params, "code_challenge");
    const char *m = apr_table_get(q->params, "code_challenge_method");
    int required = oa2_client_is_public(q->client->meta)
                   || q->client->meta->require_pkce
                   || oauth2_as_require_pkce(conf);

    if (q->implicit) {
        return APR_SUCCESS;
    }
    if (ch == NULL) {
        if (m != NULL) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "code_challenge_method without "
                               "code_challenge");
        }
        if (required) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "PKCE is required: send code_challenge "
                               "with method S256");
        }
        return APR_SUCCESS;
    }
    if (m == NULL) {
        m = "plain";                    /* RFC 7636 §4.3 default */
    }
    if (strcmp(m, "S256") != 0
        && !(strcmp(m, "plain") == 0 && oauth2_as_pkce_plain(conf))) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "code_challenge_method must be S256");
    }
    if (!oa2_pkce_syntax_valid(ch)) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "malformed code_challenge");
    }
    q->code_challenge = ch;
    q->code_challenge_method = m;
    return APR_SUCCESS;
}

/* Step 2: everything else; failures are redirected to the client. */
static apr_status_t check_request(request_rec *r, oauth2_as_authz_req *q,
                                  oa2_err_t *err)
{
    const char *prompt = apr_table_get(q->params, "prompt");
    apr_status_t rv;

    q->state = apr_table_get(q->params, "state");
    /* first: it decides whether errors go in the query or the fragment */
    rv = check_response_type(r, q, err);
    if (q->state != NULL && strlen(q->state) > AS_STATE_MAX) {
        q->state = NULL;
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "state is too long");
    }
    if (rv == APR_SUCCESS) {
        rv = oauth2_as_requested_scope(r, apr_table_get(q->params, "scope"),
                                       q->client, &q->scope, err);
    }
    if (rv == APR_SUCCESS) {
        rv = check_pkce(r, q, err);
    }
    if (rv == APR_SUCCESS) {
        rv = oauth2_as_audience(r, q->params, &q->audience, err);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (prompt != NULL && strcmp(prompt, "none") != 0
        && strcmp(prompt, "consent") != 0 && strcmp(prompt, "login") != 0) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "unsupported prompt value");
    }
    q->prompt = prompt;
    return APR_SUCCESS;
}

apr_status_t oauth2_as_authz_code_new(request_rec *r,
                                      const oauth2_as_authz_req *q,
                                      oauth2_as_code_rec *c,
                                      const char **code)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    memset(c, 0, sizeof(*c));
    *code = oa2_token_random(r->pool, 32);
    c->family_id = oa2_token_random(r->pool, 16);
    c->access_jti = oa2_token_random(r->pool, 16);
    if (*code == NULL || c->family_id == NULL || c->access_jti == NULL) {
        return APR_EGENERAL;
    }
    c->code_hash = oa2_token_hash(r->pool, *code);
    c->client_id = q->client->client_id;
    c->username = q->user;
    c->redirect_uri = q->redirect_uri;
    c->redirect_uri_given = q->redirect_given;
    c->scope = oa2_scope_join(r->pool, q->scope);
    c->audience = q->audience;
    c->code_challenge = q->code_challenge;
    c->code_challenge_method = q->code_challenge_method;
    c->created_at = oauth2_as_now();
    c->expires_at = c->created_at + oauth2_as_code_lifetime(conf);
    return APR_SUCCESS;
}

/* RFC 6749 §4.1.2: the code in the query (or the fragment), with state
 * and iss (RFC 9207). */
int oauth2_as_authz_code_redirect(request_rec *r,
                                  const oauth2_as_authz_req *q,
                                  const char *code)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *url, *sep;

    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(10804)
                  "issued an authorization code for client %s and user %s",
                  q->client->client_id, q->user);
    sep = q->fragment ? "#" : (strchr(q->redirect_uri, '?') ? "&" : "?");
    url = apr_pstrcat(r->pool, q->redirect_uri, sep, "code=",
                      oa2_form_encode(r->pool, code), NULL);
    if (q->state != NULL) {
        url = apr_pstrcat(r->pool, url, "&state=",
                          oa2_form_encode(r->pool, q->state), NULL);
    }
    url = apr_pstrcat(r->pool, url, "&iss=",
                      oa2_form_encode(r->pool, conf->issuer), NULL);
    return redirect_to(r, url);
}

/* A code for a request the user had already allowed. */
static int grant_code(request_rec *r, const oauth2_as_authz_req *q)
{
    oauth2_as_code_rec c;
    const char *code;
    oa2_err_t err;

    if (oauth2_as_authz_code_new(r, q, &c, &code) != APR_SUCCESS) {
        return oauth2_as_html_error(r, 500, "Server error",
                                    "No code could be made.");
    }
    if (oauth2_as_store_code_insert(r, &c) != APR_SUCCESS) {
        oa2_err_set(&err, 503, OA2_ERR_TEMPORARILY_UNAVAILABLE, NULL);
        return oauth2_as_authz_redirect_error(r, q, &err);
    }
    return oauth2_as_authz_code_redirect(r, q, code);
}

/* RFC 6749 §4.2.2: the token in the fragment, never a refresh token. */
static int grant_implicit(request_rec *r, const oauth2_as_authz_req *q)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oauth2_as_grant g;
    oauth2_as_token t;
    const char *url;

    memset(&g, 0, sizeof(g));
    g.client = q->client;
    g.sub = q->user;
    g.has_user = 1;
    g.scope = q->scope;
    g.audience = q->audience;
    if (oauth2_as_issue_access_token(r, &g, &t) != APR_SUCCESS) {
        oa2_err_t err;
        oa2_err_set(&err, 500, OA2_ERR_TEMPORARILY_UNAVAILABLE, NULL);
        return oauth2_as_authz_redirect_error(r, q, &err);
    }
    url = apr_pstrcat(r->pool, q->redirect_uri, "#access_token=",
                      oa2_form_encode(r->pool, t.access_token),
                      "&token_type=Bearer&expires_in=",
                      apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                   t.expires_in),
                      "&scope=", oa2_form_encode(r->pool,
                                                 oa2_scope_join(r->pool,
                                                                q->scope)),
                      NULL);
    if (q->state != NULL) {
        url = apr_pstrcat(r->pool, url, "&state=",
                          oa2_form_encode(r->pool, q->state), NULL);
    }
    url = apr_pstrcat(r->pool, url, "&iss=",
                      oa2_form_encode(r->pool, conf->issuer), NULL);
    return redirect_to(r, url);
}

int oauth2_as_authz_grant(request_rec *r, const oauth2_as_authz_req *q)
{
    return q->implicit ? grant_implicit(r, q) : grant_code(r, q);
}

/* Has the user already allowed at least this much? */
static apr_status_t consented(request_rec *r, const oauth2_as_authz_req *q,
                              int *yes)
{
    const char *scope;
    oa2_scope_t *granted;
    apr_status_t rv = oauth2_as_store_consent_get(r, q->user,
                                                  q->client->client_id,
                                                  &scope);

    *yes = 0;
    if (rv == APR_NOTFOUND) {
        return APR_SUCCESS;
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *yes = oa2_scope_parse(r->pool, scope, &granted) == APR_SUCCESS
           && oa2_scope_subset(q->scope, granted);
    return APR_SUCCESS;
}

int oauth2_as_authorize_handle(request_rec *r)
{
    oauth2_as_authz_req q;
    oa2_err_t err;
    int rc, yes;

    memset(&q, 0, sizeof(q));
    if (r->user == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10805)
                      "%s/authorize is not protected by any Apache "
                      "authentication: put AuthType and Require on it",
                      oauth2_as_srv(r->server)->base_path);
        return oauth2_as_html_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                    "Server misconfigured",
                                    "Sign-in is not configured for this "
                                    "page, so no one can authorize an "
                                    "application here.");
    }
    q.user = r->user;
    if (read_params(r, &q.params, &err) != APR_SUCCESS) {
        return oauth2_as_html_error(r, err.status, "Invalid request",
                                    err.description ? err.description
                                                    : err.error);
    }
    rc = check_client(r, &q);
    if (rc != DECLINED) {
        return rc;
    }
    if (check_request(r, &q, &err) != APR_SUCCESS) {
        return oauth2_as_authz_redirect_error(r, &q, &err);
    }
    if (r->method_number == M_POST
        && apr_table_get(q.params, "decision") != NULL) {
        return oauth2_as_consent_decide(r, &q);
    }
    /* RFC 8252 §8.6: anyone can use a native app's client_id with a
     * loopback redirect, so a public client is never approved silently */
    if (oa2_client_is_public(q.client->meta)) {
        if (q.prompt != NULL && strcmp(q.prompt, "none") == 0) {
            oa2_err_set(&err, 400, OA2_ERR_CONSENT_REQUIRED,
                        "public clients always ask the user");
            return oauth2_as_authz_redirect_error(r, &q, &err);
        }
        return oauth2_as_consent_show(r, &q);
    }
    /* prompt=consent shows the page whatever was allowed before */
    if (q.prompt != NULL && strcmp(q.prompt, "consent") == 0) {
        return oauth2_as_consent_show(r, &q);
    }
    if (consented(r, &q, &yes) != APR_SUCCESS) {
        oa2_err_set(&err, 503, OA2_ERR_TEMPORARILY_UNAVAILABLE, NULL);
        return oauth2_as_authz_redirect_error(r, &q, &err);
    }
    if (q.prompt != NULL && strcmp(q.prompt, "none") == 0) {
        if (!yes) {
            oa2_err_set(&err, 400, OA2_ERR_CONSENT_REQUIRED, NULL);
            return oauth2_as_authz_redirect_error(r, &q, &err);
        }
        return oauth2_as_authz_grant(r, &q);
    }
    if (yes) {
        return oauth2_as_authz_grant(r, &q);
    }
    return oauth2_as_consent_show(r, &q);
}
