/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* mod_oauth2_as: the module record, hook registration, startup checks and child init. */
#define AS_DECLARES_MODULE
#include <apr_strings.h>
#include <httpd.h>
#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <curl/curl.h>

#include "as_html.h"
#include "as_migrate.h"
#include "oa2_token.h"
#include "as_private.h"
#include "as_store.h"
#include "as_tokens.h"
#include "oa2_http.h"
#include "oa2_log.h"
#include "oa2_saml.h"

static void as_lib_log(void *baton, oa2_log_level_e level, const char *msg)
{
    ap_log_error(APLOG_MARK, (int)level, 0, baton, "%s", msg);
}

/* Refuses startup (CRIT + !OK) when a configured server is incomplete. */
static int check_server(apr_pool_t *ptemp, server_rec *s,
                        oauth2_as_srv_conf *conf)
{
    const char *driver, *params;

    if (conf->keys == NULL) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10601)
                     "%s is set but no %s: tokens cannot be signed",
                     AS_ISSUER, AS_SIGNING_KEY);
        return !OK;
    }
    if (conf->secret == NULL) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10602)
                     "%s is set but no %s (file:<path>, >= %d bytes, the "
                     "same on every node)", AS_ISSUER, AS_SECRET,
                     AS_SECRET_MIN_LEN);
        return !OK;
    }
    if (!oauth2_as_dbd_config(ptemp, s, &driver, &params)) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10603)
                     "%s is set but no DBDriver is configured: load "
                     "mod_dbd and set DBDriver pgsql and DBDParams",
                     AS_ISSUER);
        return !OK;
    }
    if (strcasecmp(driver, "pgsql") != 0) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10604)
                     "DBDriver %s is not supported: use pgsql", driver);
        return !OK;
    }
    return OK;
}

/* Settings without OAuthASIssuer are a mistake worth refusing. */
static int orphan_settings(const oauth2_as_srv_conf *conf)
{
    return conf->keys != NULL || conf->secret != NULL
           || conf->scopes != NULL || conf->access_token_lifetime != -1
           || conf->default_audience != NULL || conf->grant_types != -1
           || conf->code_lifetime != -1 || conf->refresh_token_lifetime != -1
           || conf->require_pkce != -1 || conf->pkce_plain != -1
           || conf->consent_template != NULL || conf->token_format != -1
           || conf->password_max_failures != -1 || conf->jwt_issuers != NULL
           || conf->assertion_max_lifetime != -1 || conf->saml_idps != NULL
           || conf->stylesheet != NULL || conf->purge_interval != -1
           || conf->client_auth_max_failures != -1;
}

static int as_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    server_rec *sp, *first = NULL;

    (void)plog;
    oa2_log_set(as_lib_log, s, (oa2_log_level_e)ap_get_server_module_loglevel(
                    s, APLOG_MODULE_INDEX));
    if (oa2_token_init() != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10610)
                     "OpenSSL has no SHA-256; startup stops");
        return !OK;
    }
    for (sp = s; sp != NULL; sp = sp->next) {
        oauth2_as_srv_conf *conf = oauth2_as_srv(sp);
        if (!oauth2_as_enabled(conf)) {
            if (orphan_settings(conf)) {
                ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp, OA2LOGNO(10605)
                             "OAuthAS* directives are set but %s is not",
                             AS_ISSUER);
                return !OK;
            }
            continue;
        }
        if (check_server(ptemp, sp, conf) != OK) {
            return !OK;
        }
        if (conf->consent_tmpl == NULL) {
            conf->consent_tmpl = (oa2_tmpl_t *)
                oauth2_as_consent_template_default(pconf);
        }
        if (oauth2_as_metadata_init(pconf, sp, conf) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp, OA2LOGNO(10606)
                         "cannot build the metadata documents");
            return !OK;
        }
        first = first ? first : sp;
    }
    if (first == NULL) {
        return OK;
    }
    /* before any thread: libxml2 and xmlsec global state */
    if (oa2_saml_global_init() != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10609)
                     "cannot initialise xmlsec (SAML)");
        return !OK;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (oauth2_as_client_cache_post_config(pconf, s) != APR_SUCCESS) {
        return !OK;
    }
    if (oauth2_as_store_prepare(s) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(10607)
                     "mod_dbd is not loaded: mod_oauth2_as needs "
                     "LoadModule dbd_module");
        return !OK;
    }
    /* The first pass only checks the configuration; config tests
     * (apachectl -t) never touch the database. */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG
        && ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_NORMAL) {
        if (oauth2_as_migrate(ptemp, first) == APR_SUCCESS) {
            oauth2_as_schema_set_ready();
        }
        else {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, first, OA2LOGNO(10608)
                         "the database schema could not be checked at "
                         "startup; requests will retry and answer 503 "
                         "until PostgreSQL is reachable");
        }
    }
    return OK;
}

static void as_child_init(apr_pool_t *p, server_rec *s)
{
    oauth2_as_schema_child_init(p);
    oauth2_as_client_cache_child_init(p, s);
    oauth2_as_tokens_child_init(p, s);
    oa2_http_init(p);
    oauth2_as_purge_child_init(p);
}

static void as_register_hooks(apr_pool_t *p)
{
    /* statements must reach mod_dbd before its own post_config */
    static const char *const before_dbd[] = { "mod_dbd.c", NULL };

    (void)p;
    ap_hook_post_config(as_post_config, NULL, before_dbd, APR_HOOK_MIDDLE);
    ap_hook_child_init(as_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(oauth2_as_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(oauth2_as_well_known_handler, NULL, NULL,
                    APR_HOOK_MIDDLE);
    ap_hook_log_transaction(oauth2_as_purge_hook, NULL, NULL,
                            APR_HOOK_LAST);
}

AP_DECLARE_MODULE(oauth2_as) = {
    STANDARD20_MODULE_STUFF,
    oauth2_as_create_dir_conf,
    oauth2_as_merge_dir_conf,
    oauth2_as_create_srv_conf,
    oauth2_as_merge_srv_conf,
    oauth2_as_cmds,
    as_register_hooks,
    AP_MODULE_FLAG_NONE
};
