/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* mod_oauth2_rs: the module record and hooks: access checker (OAuthRequireScope), authn (AuthType Bearer), challenges. */
#define RS_DECLARES_MODULE
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <mod_auth.h>
#include <curl/curl.h>

#include "oa2_log.h"
#include "oa2_http.h"
#include "oa2_token.h"
#include "rs_private.h"

static void rs_lib_log(void *baton, oa2_log_level_e level, const char *msg)
{
    ap_log_error(APLOG_MARK, (int)level, 0, baton, "%s", msg);
}

static int is_bearer(request_rec *r)
{
    const char *type = ap_auth_type(r);

    return type != NULL && strcasecmp(type, RS_AUTH_TYPE) == 0;
}

/* OAuthRequireScope: enforced on its own, with or without Require. */
static int rs_access_checker(request_rec *r)
{
    oauth2_rs_dir_conf *d = oauth2_rs_dir(r);
    oauth2_rs_token *t;

    if (d->require_scope == NULL) {
        return DECLINED;
    }
    /* a CORS preflight carries no credentials by design (Fetch standard);
     * it reaches the backend or mod_headers, which answer for the origin */
    if (r->method_number == M_OPTIONS
        && apr_table_get(r->headers_in, "Origin") != NULL
        && apr_table_get(r->headers_in, "Access-Control-Request-Method")
           != NULL) {
        return DECLINED;
    }
    t = oauth2_rs_authenticate(r, d);
    if (t->status == OK
        && oauth2_rs_missing_scope(t, d->require_scope) != NULL) {
        t->status = HTTP_FORBIDDEN;
        t->missing_scope = apr_array_pstrcat(r->pool, d->require_scope, ' ');
        oa2_err_set(&t->err, HTTP_FORBIDDEN, OA2_ERR_INSUFFICIENT_SCOPE,
                    "the token lacks a required scope");
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(20501)
                      "token of %s lacks scope %s", r->user,
                      t->missing_scope);
    }
    if (t->status != OK) {
        return oauth2_rs_deny(r, d, t);
    }
    return OK;
}

/* AuthType Bearer: authentication for Require lines. */
static int rs_check_authn(request_rec *r)
{
    oauth2_rs_dir_conf *d;
    oauth2_rs_token *t;

    if (!is_bearer(r)) {
        return DECLINED;
    }
    d = oauth2_rs_dir(r);
    t = oauth2_rs_authenticate(r, d);
    if (t->status != OK && t->status != HTTP_FORBIDDEN) {
        return oauth2_rs_deny(r, d, t);
    }
    return OK;
}

/* Called by mod_authz_core when Require denies a Bearer user. */
static int rs_note_auth_failure(request_rec *r, const char *auth_type)
{
    oauth2_rs_token *t;

    if (auth_type == NULL || strcasecmp(auth_type, RS_AUTH_TYPE) != 0) {
        return DECLINED;
    }
    t = oauth2_rs_token_of(r);
    if (t == NULL) {
        t = apr_pcalloc(r->pool, sizeof(*t));
        t->no_token = 1;
        t->status = HTTP_UNAUTHORIZED;
    }
    else if (t->status == OK && t->missing_scope != NULL) {
        t->status = HTTP_FORBIDDEN;
        oa2_err_set(&t->err, HTTP_FORBIDDEN, OA2_ERR_INSUFFICIENT_SCOPE,
                    "the token lacks a required scope");
    }
    else if (t->status == OK) {
        /* valid token, refused by another Require (e.g. oauth2-claim) */
        t->status = HTTP_FORBIDDEN;
        oa2_err_set(&t->err, HTTP_FORBIDDEN, OA2_ERR_INSUFFICIENT_SCOPE,
                    "the token does not grant access here");
    }
    oauth2_rs_deny(r, oauth2_rs_dir(r), t);
    return OK;
}

/* mod_authz_core answers 401 to every authenticated user it refuses;
 * RFC 6750 §3.1 wants 403 for a valid token without the needed scope. */
static void rs_insert_error_filter(request_rec *r)
{
    oauth2_rs_token *t = oauth2_rs_token_of(r);

    if (t != NULL && r->status == HTTP_UNAUTHORIZED
        && t->status == HTTP_FORBIDDEN && t->claims != NULL) {
        r->status = HTTP_FORBIDDEN;
        r->status_line = NULL;
    }
}

/* Backends trust OAuth2-Claim-* headers: no client may send its own, on
 * any location, protected or not. */
static int rs_strip_claims(request_rec *r)
{
    oauth2_rs_strip_claim_headers(r);
    return DECLINED;
}

static int rs_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    oauth2_rs_cache_pre_config(pconf);
    return OK;
}

static apr_status_t curl_cleanup(void *data)
{
    (void)data;
    curl_global_cleanup();
    return APR_SUCCESS;
}

static int rs_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    (void)plog;
    oa2_log_set(rs_lib_log, s, (oa2_log_level_e)ap_get_server_module_loglevel(
                    s, APLOG_MODULE_INDEX));
    /* before any thread exists: curl_global_init is not thread-safe */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    apr_pool_cleanup_register(pconf, NULL, curl_cleanup,
                              apr_pool_cleanup_null);
    if (oa2_token_init() != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(20502)
                     "OpenSSL has no SHA-256; startup stops");
        return !OK;
    }
    if (oauth2_rs_cache_post_config(pconf, ptemp, s) != APR_SUCCESS) {
        return !OK;
    }
    return OK;
}

static void rs_child_init(apr_pool_t *p, server_rec *s)
{
    oauth2_rs_cache_child_init(p, s);
    oauth2_rs_keys_child_init(p);
    oa2_http_init(p);
}

static void rs_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(rs_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(rs_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(rs_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(rs_strip_claims, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_check_access(rs_access_checker, NULL, NULL, APR_HOOK_MIDDLE,
                         AP_AUTH_INTERNAL_PER_URI);
    ap_hook_check_authn(rs_check_authn, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(rs_note_auth_failure, NULL, NULL,
                              APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(rs_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    oauth2_rs_register_authz(p);
}

AP_DECLARE_MODULE(oauth2_rs) = {
    STANDARD20_MODULE_STUFF,
    oauth2_rs_create_dir_conf,
    oauth2_rs_merge_dir_conf,
    oauth2_rs_create_srv_conf,
    oauth2_rs_merge_srv_conf,
    oauth2_rs_cmds,
    rs_register_hooks,
    AP_MODULE_FLAG_NONE
};
