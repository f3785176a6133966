/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_grant_password: the resource owner password credentials grant (RFC 6749 §4.3), checked by Apache authn providers, throttled. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>
#include <mod_auth.h>

#include "as_client_auth.h"
#include "as_grant.h"
#include "as_issue.h"
#include "as_private.h"
#include "oa2_token.h"

/* The same answer for every failure: nothing to learn about which part
 * was wrong, or whether the account exists. */
static int refused(request_rec *r)
{
    oa2_err_t err;

    oa2_err_set(&err, 400, OA2_ERR_INVALID_GRANT,
                "invalid username or password");
    return oauth2_as_reply_error(r, &err, 0);
}

/* Asks the configured authn providers in order, like AuthBasicProvider. */
static authn_status check_password(request_rec *r, const char *user,
                                   const char *password)
{
    oauth2_as_dir_conf *d = oauth2_as_dir(r);
    authn_status st = AUTH_USER_NOT_FOUND;
    int i;

    if (d->password_providers == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(11501)
                      "the password grant is enabled but no %s is "
                      "configured for %s", AS_PASSWORD_PROVIDER, r->uri);
        return AUTH_GENERAL_ERROR;
    }
    for (i = 0; i < d->password_providers->nelts; i++) {
        const oauth2_as_password_provider *pp = &APR_ARRAY_IDX(
            d->password_providers, i, oauth2_as_password_provider);
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, pp->name);
        st = pp->provider->check_password(r, user, password);
        apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
        if (st != AUTH_USER_NOT_FOUND) {
            break;
        }
    }
    return st;
}

/* Is the user or the client over its failure budget? */
static apr_status_t throttled(request_rec *r, const char *user_key,
                              const char *client_key, int *yes)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    apr_int64_t window = oauth2_as_password_window(conf);
    int max = oauth2_as_password_max_failures(conf), fu = 0, fc = 0;
    apr_status_t rv = oauth2_as_store_throttle_get(r, user_key, window, &fu);

    if (rv == APR_SUCCESS) {
        rv = oauth2_as_store_throttle_get(r, client_key, window, &fc);
    }
    *yes = fu >= max || fc >= max;
    return rv;
}

int oauth2_as_grant_password(request_rec *r, apr_table_t *params,
                             const oauth2_as_client_auth *auth)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *user = apr_table_get(params, "username");
    const char *password = apr_table_get(params, "password");
    const char *user_key, *client_key, *refresh = NULL;
    oauth2_as_refresh_rec rec;
    oauth2_as_grant g;
    oauth2_as_token t;
    oa2_scope_t *scope;
    authn_status st;
    oa2_err_t err;
    apr_status_t rv;
    int over;

    memset(&g, 0, sizeof(g));
    if (user == NULL || *user == '\0' || password == NULL
        || strlen(user) > 256 || strlen(password) > 1024) {
        oa2_err_set(&err, 400, OA2_ERR_INVALID_REQUEST,
                    "username and password are required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    if (oauth2_as_requested_scope(r, apr_table_get(params, "scope"),
                                  auth->client, &scope, &err) != APR_SUCCESS
        || oauth2_as_audience(r, params, &g.audience, &err) != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, 0);
    }
    user_key = apr_pstrcat(r->pool, "user:", user, NULL);
    client_key = apr_pstrcat(r->pool, "client:", auth->client->client_id,
                             NULL);
    if (throttled(r, user_key, client_key, &over) != APR_SUCCESS) {
        return oauth2_as_reply_unavailable(r);
    }
    if (over) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11502)
                      "Security - password grant throttled for user %s or "
                      "client %s from %s", user, auth->client->client_id,
                      r->useragent_ip);
        return refused(r);
    }
    st = check_password(r, user, password);
    if (st == AUTH_GENERAL_ERROR) {
        return oauth2_as_reply_unavailable(r);
    }
    if (st != AUTH_GRANTED) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11503)
                      "password grant refused for user %s (client %s)",
                      user, auth->client->client_id);
        if (oauth2_as_store_throttle_fail(r, user_key,
                                          oauth2_as_password_window(conf))
                != APR_SUCCESS
            || oauth2_as_store_throttle_fail(
                   r, client_key, oauth2_as_password_window(conf))
               != APR_SUCCESS) {
            return oauth2_as_reply_unavailable(r);
        }
        return refused(r);
    }
    oauth2_as_store_throttle_clear(r, user_key);
    g.client = auth->client;
    g.sub = user;
    g.has_user = 1;
    g.scope = scope;
    g.jti = NULL;
    g.family_id = oa2_token_random(r->pool, 16);
    rv = oauth2_as_issue_access_token(r, &g, &t);
    if (rv != APR_SUCCESS) {
        return oauth2_as_reply_issue_failed(r, rv);
    }
    if (oauth2_as_new_refresh(r, &g, g.family_id, &refresh, &rec)
        != APR_SUCCESS) {
        return oauth2_as_reply_unavailable(r);
    }
    rec.access_jti = t.jti;
    rec.access_exp = t.exp;
    if (refresh != NULL
        && oauth2_as_store_refresh_insert(r, &rec) != APR_SUCCESS) {
        return oauth2_as_reply_unavailable(r);
    }
    return oauth2_as_reply_token(r, &t, scope, refresh);
}
