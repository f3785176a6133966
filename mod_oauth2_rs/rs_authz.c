/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_authz: the authz providers `Require oauth2-scope` and `Require oauth2-claim`. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <ap_provider.h>
#include <http_request.h>
#include <mod_auth.h>

#include "oa2_json.h"
#include "rs_private.h"

const char *oauth2_rs_missing_scope(const oauth2_rs_token *t,
                                    const apr_array_header_t *required)
{
    int i;

    for (i = 0; required != NULL && i < required->nelts; i++) {
        const char *s = APR_ARRAY_IDX(required, i, const char *);
        if (!oa2_scope_has(t->scope, s)) {
            return s;
        }
    }
    return NULL;
}

/* Compiles "scope1 scope2 ..." once at configuration time. */
static const char *scope_parse(cmd_parms *cmd, const char *require_line,
                               const void **parsed)
{
    apr_array_header_t *scopes = apr_array_make(cmd->pool, 2,
                                                sizeof(const char *));
    const char *w, *line = require_line;

    while (*(w = ap_getword_conf(cmd->pool, &line)) != '\0') {
        if (!oa2_scope_token_valid(w)) {
            return apr_psprintf(cmd->pool, "Require oauth2-scope: %s is not "
                                "a valid scope", w);
        }
        APR_ARRAY_PUSH(scopes, const char *) = w;
    }
    if (scopes->nelts == 0) {
        return "Require oauth2-scope needs at least one scope";
    }
    *parsed = scopes;
    return NULL;
}

static authz_status scope_check(request_rec *r, const char *require_line,
                                const void *parsed)
{
    oauth2_rs_token *t = oauth2_rs_token_of(r);
    const apr_array_header_t *scopes = parsed;

    (void)require_line;
    if (r->user == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    if (t == NULL || t->status != OK) {
        return AUTHZ_DENIED;
    }
    if (oauth2_rs_missing_scope(t, scopes) != NULL) {
        /* remembered for the challenge: 403 insufficient_scope */
        t->missing_scope = apr_array_pstrcat(r->pool, scopes, ' ');
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(20401)
                      "Require oauth2-scope %s: denied",
                      t->missing_scope);
        return AUTHZ_DENIED;
    }
    return AUTHZ_GRANTED;
}

/* "claim value..." */
typedef struct {
    const char *claim;
    apr_array_header_t *values;
} claim_rule;

static const char *claim_parse(cmd_parms *cmd, const char *require_line,
                               const void **parsed)
{
    claim_rule *rule = apr_pcalloc(cmd->pool, sizeof(*rule));
    const char *w, *line = require_line;

    rule->claim = ap_getword_conf(cmd->pool, &line);
    rule->values = apr_array_make(cmd->pool, 2, sizeof(const char *));
    while (*(w = ap_getword_conf(cmd->pool, &line)) != '\0') {
        APR_ARRAY_PUSH(rule->values, const char *) = w;
    }
    if (*rule->claim == '\0' || rule->values->nelts == 0) {
        return "Require oauth2-claim needs a claim name and at least one "
               "value";
    }
    *parsed = rule;
    return NULL;
}

/* A string claim equal to one value, or an array containing one. */
static int claim_matches(json_object *v, const apr_array_header_t *values)
{
    int i;

    if (json_object_is_type(v, json_type_array)) {
        size_t k;
        for (k = 0; k < json_object_array_length(v); k++) {
            if (claim_matches(json_object_array_get_idx(v, k), values)) {
                return 1;
            }
        }
        return 0;
    }
    if (json_object_is_type(v, json_type_object) || v == NULL) {
        return 0;
    }
    for (i = 0; i < values->nelts; i++) {
        if (strcmp(json_object_get_string(v),
                   APR_ARRAY_IDX(values, i, const char *)) == 0) {
            return 1;
        }
    }
    return 0;
}

static authz_status claim_check(request_rec *r, const char *require_line,
                                const void *parsed)
{
    oauth2_rs_token *t = oauth2_rs_token_of(r);
    const claim_rule *rule = parsed;
    json_object *v = NULL;

    (void)require_line;
    if (r->user == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    if (t == NULL || t->status != OK
        || !json_object_object_get_ex(oauth2_rs_token_json(r, t), rule->claim,
                                      &v)
        || !claim_matches(v, rule->values)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(20402)
                      "Require oauth2-claim %s: denied", rule->claim);
        return AUTHZ_DENIED;
    }
    return AUTHZ_GRANTED;
}

static const authz_provider scope_provider = { scope_check, scope_parse };
static const authz_provider claim_provider = { claim_check, claim_parse };

void oauth2_rs_register_authz(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "oauth2-scope",
                              AUTHZ_PROVIDER_VERSION, &scope_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "oauth2-claim",
                              AUTHZ_PROVIDER_VERSION, &claim_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}
