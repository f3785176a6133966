/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_admin: the web administration: dispatch, layout, CSRF, and the scopes, audit-log and signing-key pages. */
#include <string.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_admin.h"
#include "as_html.h"
#include "as_private.h"
#include "oa2_csrf.h"
#include "oa2_form.h"
#include "oa2_html.h"

#define AS_CSRF_ADMIN "admin"
#define AS_ADMIN_FORM_TTL 3600
#define AS_AUDIT_PAGE 50

const char *oauth2_as_admin_base(request_rec *r)
{
    return apr_pstrcat(r->pool, oauth2_as_srv(r->server)->base_path,
                       "/admin", NULL);
}

const char *oauth2_as_admin_date(apr_pool_t *p, apr_int64_t t)
{
    apr_time_exp_t x;
    char buf[32];
    apr_size_t n;

    if (t <= 0) {
        return "";
    }
    apr_time_exp_gmt(&x, apr_time_from_sec(t));
    apr_strftime(buf, &n, sizeof(buf), "%Y-%m-%d %H:%M UTC", &x);
    return apr_pstrdup(p, buf);
}

int oauth2_as_admin_page(request_rec *r, int status, const char *title,
                         const char *body)
{
    const char *b = oa2_html_escape(r->pool, oauth2_as_admin_base(r));
    const char *base = oa2_html_escape(r->pool,
                                       oauth2_as_srv(r->server)->base_path);

    r->status = status;
    oauth2_as_html_headers(r, NULL);
    /* the copy button's script is a file of ours: never inline */
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'none'; style-src 'self'; img-src 'self' "
                   "https:; script-src 'self'; frame-ancestors 'none'; "
                   "base-uri 'none'; form-action 'self'");
    if (r->header_only) {
        return OK;
    }
    ap_rvputs(r, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
        "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\">\n<title>",
        oa2_html_escape(r->pool, title), " — OAuth administration</title>\n"
        "<link rel=\"stylesheet\" href=\"",
        oa2_html_escape(r->pool, oauth2_as_stylesheet(
            r->pool, oauth2_as_srv(r->server))), "\">\n"
        "<script src=\"", base, "/static/admin.js\" defer></script>\n"
        "</head>\n<body>\n<header class=\"admin\"><nav aria-label=\"Main\">"
        "<a href=\"", b, "/clients\">Clients</a> <a href=\"", b,
        "/scopes\">Scopes</a> <a href=\"", b, "/audit\">Audit log</a> "
        "<a href=\"", b, "/keys\">Signing keys</a></nav>"
        "<span class=\"muted\">Signed in as ",
        oa2_html_escape(r->pool, r->user), "</span></header>\n<main>\n<h1>",
        oa2_html_escape(r->pool, title), "</h1>\n", body,
        "\n</main>\n</body>\n</html>\n", NULL);
    return OK;
}

int oauth2_as_admin_error(request_rec *r, int status, const char *message)
{
    return oauth2_as_admin_page(r, status, status == 404 ? "Not found"
                                : "Request refused",
                                apr_pstrcat(r->pool, "<p class=\"error\" "
                                            "role=\"alert\">",
                                            oa2_html_escape(r->pool, message),
                                            "</p>", NULL));
}

const char *oauth2_as_admin_form(request_rec *r, const char *action,
                                 const char *attrs)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *path = apr_pstrcat(r->pool, oauth2_as_admin_base(r), action,
                                   NULL);
    const char *csrf = oa2_csrf_make(r->pool, conf->secret, conf->secret_len,
                                     AS_CSRF_ADMIN,
                                     apr_pstrcat(r->pool, r->user, "\n",
                                                 path, NULL),
                                     oauth2_as_now() + AS_ADMIN_FORM_TTL);

    return apr_pstrcat(r->pool, "<form method=\"post\" action=\"",
                       oa2_html_escape(r->pool, path), "\"",
                       attrs ? " " : "", attrs ? attrs : "", ">"
                       "<input type=\"hidden\" name=\"csrf\" value=\"",
                       oa2_html_escape(r->pool, csrf ? csrf : ""), "\">",
                       NULL);
}

apr_status_t oauth2_as_admin_check_csrf(request_rec *r, apr_table_t *params)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *nonce;
    apr_int64_t expiry;
    apr_status_t rv;

    rv = oa2_csrf_check(r->pool, conf->secret, conf->secret_len,
                        AS_CSRF_ADMIN,
                        apr_pstrcat(r->pool, r->user, "\n", r->uri, NULL),
                        apr_table_get(params, "csrf"), oauth2_as_now(),
                        &nonce, &expiry);
    if (rv == APR_SUCCESS) {
        rv = oauth2_as_store_nonce_use(r, nonce, expiry);
    }
    if (rv != APR_SUCCESS && rv != AS_STORE_EDB) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11801)
                      "Security - admin form %s refused for %s from %s: "
                      "missing, forged, reused or expired CSRF token",
                      r->uri, r->user, r->useragent_ip);
        return APR_EINVAL;
    }
    return rv;
}

int oauth2_as_admin_redirect(request_rec *r, const char *path)
{
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, oauth2_as_admin_base(r), path, NULL));
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    r->status = HTTP_SEE_OTHER;
    return OK;
}

/* Declared scopes, their texts, and the clients allowed each. */
static int scopes_page(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    apr_array_header_t *clients;
    const char *rows = "";
    int i, j, total;

    if (oauth2_as_store_client_list(r, "", 0, 1000, &clients, &total)
        != APR_SUCCESS) {
        return oauth2_as_admin_error(r, HTTP_SERVICE_UNAVAILABLE,
                                     "The database is unavailable.");
    }
    for (i = 0; conf->scopes != NULL && i < conf->scopes->nelts; i++) {
        const oauth2_as_scope_def *d =
            &APR_ARRAY_IDX(conf->scopes, i, oauth2_as_scope_def);
        const char *who = "";
        for (j = 0; j < clients->nelts; j++) {
            const oauth2_as_client_rec *c =
                &APR_ARRAY_IDX(clients, j, oauth2_as_client_rec);
            if (oa2_scope_has(c->meta->scope, d->name)) {
                who = apr_pstrcat(r->pool, who, *who ? ", " : "",
                    "<a href=\"", oa2_html_escape(r->pool,
                        oauth2_as_admin_base(r)), "/clients/",
                    oa2_html_escape(r->pool,
                                    oa2_form_encode(r->pool, c->client_id)),
                    "\">", oa2_html_escape(r->pool, c->meta->client_name
                        ? c->meta->client_name : c->client_id), "</a>", NULL);
            }
        }
        rows = apr_pstrcat(r->pool, rows, "<tr><td><code>",
                           oa2_html_escape(r->pool, d->name), "</code></td><td>",
                           oa2_html_escape(r->pool, d->text), "</td><td>",
                           *who ? who : "<span class=\"muted\">none</span>",
                           "</td></tr>\n", NULL);
    }
    return oauth2_as_admin_page(r, HTTP_OK, "Scopes", apr_pstrcat(r->pool,
        "<p class=\"note\">Scopes are declared in the server configuration "
        "with <code>OAuthASScope</code>; this page is read-only.</p>"
        "<table><thead><tr><th>Scope</th><th>Consent text</th>"
        "<th>Clients allowed</th></tr></thead><tbody>\n", rows,
        "</tbody></table>", NULL));
}

/* The configured keys: kid, algorithm, which one signs. */
static int keys_page(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *rows = "";
    int i;

    for (i = 0; i < conf->keys->nelts; i++) {
        const oa2_jwk_t *k = APR_ARRAY_IDX(conf->keys, i, const oa2_jwk_t *);
        rows = apr_pstrcat(r->pool, rows, "<tr><td><code>",
                           oa2_html_escape(r->pool, k->kid), "</code></td><td>",
                           oa2_alg_name(k->alg), "</td><td>", k->kty,
                           "</td><td><code>",
                           oa2_html_escape(r->pool, k->thumbprint),
                           "</code></td><td>", i == 0 ? "<strong>signs "
                           "tokens</strong>" : "published for verification",
                           "</td></tr>\n", NULL);
    }
    return oauth2_as_admin_page(r, HTTP_OK, "Signing keys", apr_pstrcat(
        r->pool, "<p class=\"note\">Keys come from "
        "<code>OAuthASSigningKey</code>; the first signs, all are published "
        "in the JWKS. To rotate: add the new key second, wait for resource "
        "servers to fetch the JWKS, move it first, and later remove the old "
        "one.</p><table><thead><tr><th>kid</th><th>Algorithm</th>"
        "<th>Type</th><th>RFC 7638 thumbprint</th><th>Role</th></tr></thead>"
        "<tbody>\n", rows, "</tbody></table>", NULL));
}

static const char *query_param(request_rec *r, apr_table_t *q,
                               const char *name)
{
    const char *v = q ? apr_table_get(q, name) : NULL;

    (void)r;
    return v ? v : "";
}

/* The audit log, filterable by client and user. */
static int audit_page(request_rec *r)
{
    apr_table_t *q = NULL;
    apr_array_header_t *events;
    const char *rows = "", *client, *user, *b = oauth2_as_admin_base(r);
    oa2_err_t err;
    int i, page;

    if (r->args && oa2_form_parse(r->pool, r->args, strlen(r->args), &q, &err)
                   != APR_SUCCESS) {
        return oauth2_as_admin_error(r, HTTP_BAD_REQUEST, err.description);
    }
    client = query_param(r, q, "client");
    user = query_param(r, q, "user");
    page = atoi(query_param(r, q, "page"));
    page = page < 1 ? 1 : page;
    if (oauth2_as_store_audit_list(r, client, user, (page - 1) * AS_AUDIT_PAGE,
                                   AS_AUDIT_PAGE, &events) != APR_SUCCESS) {
        return oauth2_as_admin_error(r, HTTP_SERVICE_UNAVAILABLE,
                                     "The database is unavailable.");
    }
    for (i = 0; i < events->nelts; i++) {
        const oauth2_as_audit_rec *e =
            &APR_ARRAY_IDX(events, i, oauth2_as_audit_rec);
        rows = apr_pstrcat(r->pool, rows, "<tr><td>",
            oauth2_as_admin_date(r->pool, e->at), "</td><td>",
            oa2_html_escape(r->pool, e->actor), "</td><td><code>",
            oa2_html_escape(r->pool, e->action), "</code></td><td>",
            oa2_html_escape(r->pool, e->client_id), "</td><td>",
            oa2_html_escape(r->pool, e->username), "</td><td>",
            oa2_html_escape(r->pool, e->detail), "</td><td>",
            oa2_html_escape(r->pool, e->ip), "</td></tr>\n", NULL);
    }
    return oauth2_as_admin_page(r, HTTP_OK, "Audit log", apr_pstrcat(r->pool,
        "<form method=\"get\" action=\"", oa2_html_escape(r->pool, b),
        "/audit\" class=\"filters\"><label for=\"f-client\">Client "
        "ID</label> <input id=\"f-client\" name=\"client\" value=\"",
        oa2_html_escape(r->pool, client), "\"> <label for=\"f-user\">User"
        "</label> <input id=\"f-user\" name=\"user\" value=\"",
        oa2_html_escape(r->pool, user), "\"> <button type=\"submit\">"
        "Filter</button></form>\n<table><thead><tr><th>When</th><th>Who</th>"
        "<th>What</th><th>Client</th><th>User</th><th>Detail</th>"
        "<th>From</th></tr></thead><tbody>\n", rows, "</tbody></table>\n"
        "<p>", page > 1 ? apr_psprintf(r->pool, "<a href=\"%s/audit?client="
        "%s&amp;user=%s&amp;page=%d\">Newer</a> ", oa2_html_escape(r->pool, b),
        oa2_html_escape(r->pool, oa2_form_encode(r->pool, client)),
        oa2_html_escape(r->pool, oa2_form_encode(r->pool, user)), page - 1)
        : "", events->nelts == AS_AUDIT_PAGE ? apr_psprintf(r->pool,
        "<a href=\"%s/audit?client=%s&amp;user=%s&amp;page=%d\">Older</a>",
        oa2_html_escape(r->pool, b),
        oa2_html_escape(r->pool, oa2_form_encode(r->pool, client)),
        oa2_html_escape(r->pool, oa2_form_encode(r->pool, user)), page + 1)
        : "", "</p>", NULL));
}

int oauth2_as_admin_handle(request_rec *r, const char *rest)
{
    if (r->user == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(11802)
                      "%s is not protected by any Apache authentication: "
                      "put AuthType and Require on it",
                      oauth2_as_admin_base(r));
        return oauth2_as_html_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                    "Server misconfigured",
                                    "Sign-in is not configured for the "
                                    "administration pages.");
    }
    if (*rest == '\0') {
        return oauth2_as_admin_redirect(r, "/clients");
    }
    if (strncmp(rest, "clients", 7) == 0
        && (rest[7] == '\0' || rest[7] == '/')) {
        return oauth2_as_admin_clients(r, rest[7] ? rest + 8 : "");
    }
    if (r->method_number != M_GET) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (strcmp(rest, "scopes") == 0) {
        return scopes_page(r);
    }
    if (strcmp(rest, "audit") == 0) {
        return audit_page(r);
    }
    if (strcmp(rest, "keys") == 0) {
        return keys_page(r);
    }
    return oauth2_as_admin_error(r, HTTP_NOT_FOUND, "No such page.");
}
