/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_account: the signed-in user's authorized applications, each revocable (CSRF-protected). */
#include <string.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_html.h"
#include "as_private.h"
#include "as_store.h"
#include "oa2_csrf.h"
#include "oa2_html.h"
#include "oa2_scope.h"

#define AS_CSRF_ACCOUNT "account-revoke"
#define AS_ACCOUNT_FORM_TTL 3600

static const char *date_text(apr_pool_t *p, apr_int64_t t)
{
    char buf[APR_RFC822_DATE_LEN];

    apr_rfc822_date(buf, apr_time_from_sec(t));
    return apr_pstrdup(p, buf);
}

/* Scope names as the consent page showed them. */
static const char *scope_texts(request_rec *r, const char *scope)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oa2_scope_t *set;
    const char *out = "";
    int i;

    if (oa2_scope_parse(r->pool, scope, &set) != APR_SUCCESS) {
        return oa2_html_escape(r->pool, scope);
    }
    for (i = 0; i < set->tokens->nelts; i++) {
        const char *s = APR_ARRAY_IDX(set->tokens, i, const char *);
        const char *text = oauth2_as_scope_text(conf, s);
        out = apr_pstrcat(r->pool, out, i ? "<br>" : "",
                          oa2_html_escape(r->pool, text ? text : s), NULL);
    }
    return *out ? out : "<span class=\"muted\">no access beyond sign-in</span>";
}

static const char *app_row(request_rec *r, const oauth2_as_consent_rec *c)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *csrf = oa2_csrf_make(r->pool, conf->secret, conf->secret_len,
                                     AS_CSRF_ACCOUNT,
                                     apr_pstrcat(r->pool, r->user, "\n",
                                                 c->client_id, NULL),
                                     oauth2_as_now() + AS_ACCOUNT_FORM_TTL);
    const char *name = c->client_name ? c->client_name : c->client_id;

    return apr_pstrcat(r->pool, "<tr><td><strong>",
        oa2_html_escape(r->pool, name), "</strong></td><td>",
        scope_texts(r, c->scope), "</td><td>",
        date_text(r->pool, c->updated_at), "</td><td>"
        "<form method=\"post\" action=\"",
        oa2_html_escape(r->pool, conf->base_path), "/account/revoke\">"
        "<input type=\"hidden\" name=\"client_id\" value=\"",
        oa2_html_escape(r->pool, c->client_id), "\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"",
        oa2_html_escape(r->pool, csrf ? csrf : ""), "\">"
        "<button type=\"submit\" class=\"danger\" aria-label=\"Revoke ",
        oa2_html_escape(r->pool, name), "\">Revoke</button></form>"
        "</td></tr>\n", NULL);
}

static int account_list(request_rec *r, const char *notice)
{
    apr_array_header_t *apps;
    const char *rows = "";
    int i;

    if (oauth2_as_store_consent_list(r, r->user, &apps) != APR_SUCCESS) {
        return oauth2_as_html_error(r, HTTP_SERVICE_UNAVAILABLE,
                                    "Temporarily unavailable",
                                    "Please try again in a moment.");
    }
    for (i = 0; i < apps->nelts; i++) {
        rows = apr_pstrcat(r->pool, rows,
            app_row(r, &APR_ARRAY_IDX(apps, i, oauth2_as_consent_rec)),
            NULL);
    }
    return oauth2_as_html_page(r, HTTP_OK, "Authorized applications",
        apr_pstrcat(r->pool, "<h1>Applications you have authorized</h1>"
            "<p>Signed in as <strong>", oa2_html_escape(r->pool, r->user),
            "</strong>. Revoking an application deletes your permission and "
            "its refresh tokens; it must ask you again.</p>",
            notice ? "<p class=\"note\" role=\"status\">" : "",
            notice ? oa2_html_escape(r->pool, notice) : "",
            notice ? "</p>" : "",
            apps->nelts == 0
            ? "<p>You have not authorized any application.</p>"
            : apr_pstrcat(r->pool, "<table><thead><tr><th>Application</th>"
                          "<th>Access</th><th>Since</th><th></th></tr>"
                          "</thead><tbody>\n", rows, "</tbody></table>",
                          NULL), NULL));
}

static int account_revoke(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *client_id, *nonce;
    apr_table_t *params;
    apr_int64_t expiry;
    oa2_err_t err;
    apr_status_t rv;

    if (oauth2_as_read_form(r, &params, &err) != APR_SUCCESS) {
        return oauth2_as_html_error(r, err.status, "Invalid request",
                                    err.description ? err.description
                                                    : err.error);
    }
    client_id = apr_table_get(params, "client_id");
    rv = client_id == NULL ? APR_EINVAL : oa2_csrf_check(
        r->pool, conf->secret, conf->secret_len, AS_CSRF_ACCOUNT,
        apr_pstrcat(r->pool, r->user, "\n", client_id, NULL),
        apr_table_get(params, "csrf"), oauth2_as_now(), &nonce, &expiry);
    if (rv == APR_SUCCESS) {
        rv = oauth2_as_store_nonce_use(r, nonce, expiry);
    }
    if (rv == APR_SUCCESS) {
        rv = oauth2_as_store_consent_revoke(r, r->user, client_id);
    }
    if (rv == AS_STORE_EDB) {
        return oauth2_as_html_error(r, HTTP_SERVICE_UNAVAILABLE,
                                    "Temporarily unavailable",
                                    "Please try again in a moment.");
    }
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11101)
                      "Security - account revoke refused for user %s from "
                      "%s: bad CSRF token", r->user, r->useragent_ip);
        return oauth2_as_html_error(r, HTTP_FORBIDDEN, "Request expired",
                                    "This form was already used or has "
                                    "expired. Reload the page and try "
                                    "again.");
    }
    if (rv == APR_SUCCESS) {
        oauth2_as_audit(r, r->user, "consent.revoke", client_id, r->user,
                        "account page");
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11102)
                      "user %s revoked client %s", r->user, client_id);
    }
    /* POST-redirect-GET so a reload does not post again */
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, conf->base_path,
                               "/account/?revoked=1", NULL));
    r->status = HTTP_SEE_OTHER;
    return OK;
}

int oauth2_as_account_handle(request_rec *r, const char *rest)
{
    if (r->user == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(11103)
                      "%s/account/ is not protected by any Apache "
                      "authentication: put AuthType and Require on it",
                      oauth2_as_srv(r->server)->base_path);
        return oauth2_as_html_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                    "Server misconfigured",
                                    "Sign-in is not configured for this "
                                    "page.");
    }
    if (strcmp(rest, "revoke") == 0) {
        if (r->method_number != M_POST) {
            r->allowed = (AP_METHOD_BIT << M_POST);
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return account_revoke(r);
    }
    if (*rest != '\0') {
        return HTTP_NOT_FOUND;
    }
    if (r->method_number != M_GET) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    return account_list(r, r->args && strstr(r->args, "revoked=1")
                           ? "The application's access was revoked." : NULL);
}
