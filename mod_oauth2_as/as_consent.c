/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_consent: the consent page and its form: CSRF bound to user and request, single use, allow or deny. */
#include <string.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_authorize.h"
#include "as_html.h"
#include "as_private.h"
#include "oa2_csrf.h"
#include "oa2_html.h"

/* How long the user has to answer the consent page. */
#define AS_CONSENT_TTL 600
#define AS_CSRF_CONSENT "consent"

/* The request as the CSRF token binds it: user and every parameter that
 * shapes the grant, in a fixed order, NUL-free (form decoding refuses NUL). */
static const char *binding(request_rec *r, const oauth2_as_authz_req *q)
{
    static const char *const names[] = {
        "client_id", "redirect_uri", "response_type", "response_mode",
        "scope", "state", "code_challenge", "code_challenge_method",
        "resource", NULL
    };
    const char *b = q->user;
    int i;

    for (i = 0; names[i] != NULL; i++) {
        const char *v = apr_table_get(q->params, names[i]);
        b = apr_pstrcat(r->pool, b, "\n", names[i], v ? "=" : "",
                        v ? v : "", NULL);
    }
    return b;
}

static const char *scope_items(request_rec *r, const oauth2_as_authz_req *q)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *items = "";
    int i;

    for (i = 0; i < q->scope->tokens->nelts; i++) {
        const char *s = APR_ARRAY_IDX(q->scope->tokens, i, const char *);
        const char *text = oauth2_as_scope_text(conf, s);
        items = apr_pstrcat(r->pool, items, "<li>",
                            oa2_html_escape(r->pool, text ? text : s),
                            "</li>\n", NULL);
    }
    if (*items == '\0') {
        items = "<li>Know who you are (no other access)</li>\n";
    }
    return items;
}

/* The logo's origin, allowed as an image source for this page only. */
static const char *logo_origin(request_rec *r, const char *logo)
{
    apr_uri_t u;

    if (logo == NULL || apr_uri_parse(r->pool, logo, &u) != APR_SUCCESS) {
        return NULL;
    }
    return apr_uri_unparse(r->pool, &u, APR_URI_UNP_OMITPATHINFO);
}

int oauth2_as_consent_show(request_rec *r, const oauth2_as_authz_req *q)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const oa2_client_t *m = q->client->meta;
    const char *name = m->client_name ? m->client_name : q->client->client_id;
    const char *csrf = oa2_csrf_make(r->pool, conf->secret, conf->secret_len,
                                     AS_CSRF_CONSENT, binding(r, q),
                                     oauth2_as_now() + AS_CONSENT_TTL);
    const char *const hidden[] = {
        "client_id", apr_table_get(q->params, "client_id"),
        "redirect_uri", apr_table_get(q->params, "redirect_uri"),
        "response_type", apr_table_get(q->params, "response_type"),
        "response_mode", apr_table_get(q->params, "response_mode"),
        "scope", apr_table_get(q->params, "scope"),
        "state", apr_table_get(q->params, "state"),
        "code_challenge", apr_table_get(q->params, "code_challenge"),
        "code_challenge_method",
        apr_table_get(q->params, "code_challenge_method"),
        "resource", apr_table_get(q->params, "resource"),
        NULL, NULL
    };
    apr_table_t *vars = apr_table_make(r->pool, 10);

    if (csrf == NULL) {
        return oauth2_as_html_error(r, 500, "Server error",
                                    "The page could not be prepared.");
    }
    apr_table_setn(vars, "client_name", name);
    apr_table_setn(vars, "user", q->user);
    apr_table_setn(vars, "scopes", scope_items(r, q));
    apr_table_setn(vars, "action", apr_pstrcat(r->pool, conf->base_path,
                                               "/authorize", NULL));
    apr_table_setn(vars, "hidden", oauth2_as_html_hidden(r->pool, hidden));
    apr_table_setn(vars, "csrf", csrf);
    apr_table_setn(vars, "stylesheet", oauth2_as_stylesheet(r->pool, conf));
    apr_table_setn(vars, "client_uri", m->client_uri ? m->client_uri : "");
    apr_table_setn(vars, "logo", m->logo_uri == NULL ? "" : apr_pstrcat(
        r->pool, "<img class=\"logo\" alt=\"\" src=\"",
        oa2_html_escape(r->pool, m->logo_uri), "\">", NULL));
    r->status = HTTP_OK;
    oauth2_as_html_headers(r, logo_origin(r, m->logo_uri));
    if (!r->header_only) {
        ap_rputs(oa2_tmpl_render(r->pool, conf->consent_tmpl, vars), r);
    }
    return OK;
}

/* Marks the form's nonce used and, for "allow", remembers the consent,
 * audits it and stores the code (code requests), all in one statement. */
static apr_status_t record_decision(request_rec *r,
                                    const oauth2_as_authz_req *q, int allow,
                                    const char *nonce, apr_int64_t expiry,
                                    const oauth2_as_code_rec *code)
{
    oauth2_as_audit_rec e;
    const char *scope = oa2_scope_join(r->pool, q->scope);

    if (!allow) {
        return oauth2_as_store_nonce_use(r, nonce, expiry);
    }
    oauth2_as_audit_event(r, q->user, "consent.grant", q->client->client_id,
                          q->user, scope, &e);
    return oauth2_as_store_consent_grant(r, nonce, expiry, q->user,
                                         q->client->client_id, scope, &e,
                                         code);
}

int oauth2_as_consent_decide(request_rec *r, const oauth2_as_authz_req *q)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *decision = apr_table_get(q->params, "decision");
    int allow = strcmp(decision, "allow") == 0;
    oauth2_as_code_rec c;
    const char *nonce, *code = NULL;
    apr_int64_t expiry;
    oa2_err_t err;
    apr_status_t rv;

    if (allow && !q->implicit
        && oauth2_as_authz_code_new(r, q, &c, &code) != APR_SUCCESS) {
        return oauth2_as_html_error(r, 500, "Server error",
                                    "No code could be made.");
    }
    rv = oa2_csrf_check(r->pool, conf->secret, conf->secret_len,
                        AS_CSRF_CONSENT, binding(r, q),
                        apr_table_get(q->params, "csrf"), oauth2_as_now(),
                        &nonce, &expiry);
    if (rv == APR_SUCCESS) {
        rv = record_decision(r, q, allow, nonce, expiry,
                             code != NULL ? &c : NULL);
    }
    if (rv != APR_SUCCESS) {
        if (rv == AS_STORE_EDB) {
            return oauth2_as_html_error(r, HTTP_SERVICE_UNAVAILABLE,
                                        "Temporarily unavailable",
                                        "Please try again in a moment.");
        }
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(10901)
                      "Security - consent form refused for user %s and "
                      "client %s from %s: %s CSRF token", q->user,
                      q->client->client_id, r->useragent_ip,
                      rv == APR_TIMEUP ? "expired" : rv == APR_EEXIST
                      ? "reused" : "missing or forged");
        return oauth2_as_html_error(r, HTTP_FORBIDDEN, "Request expired",
                                    "This form was already used, has "
                                    "expired or was not issued to you. Go "
                                    "back to the application and start "
                                    "again.");
    }
    if (!allow) {
        oa2_err_set(&err, 400, OA2_ERR_ACCESS_DENIED,
                    "the user denied the request");
        return oauth2_as_authz_redirect_error(r, q, &err);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10902)
                  "user %s allowed client %s scope \"%s\"", q->user,
                  q->client->client_id, oa2_scope_join(r->pool, q->scope));
    return code != NULL ? oauth2_as_authz_code_redirect(r, q, code)
                        : oauth2_as_authz_grant(r, q);
}
