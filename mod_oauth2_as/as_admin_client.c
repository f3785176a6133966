/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_admin_client: the client pages of the admin: list, create, view, edit, rotate, enable/disable, delete, revoke. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_admin.h"
#include "as_private.h"
#include "as_store.h"
#include "oa2_client.h"
#include "oa2_form.h"
#include "oa2_html.h"
#include "oa2_token.h"

#define AS_CLIENTS_PAGE 25

#define H(s) oa2_html_escape(r->pool, (s))

static const char *client_path(request_rec *r, const char *client_id,
                               const char *tail)
{
    return apr_pstrcat(r->pool, "/clients/",
                       oa2_form_encode(r->pool, client_id), tail, NULL);
}

static const char *client_link(request_rec *r, const oauth2_as_client_rec *c)
{
    return apr_pstrcat(r->pool, "<a href=\"", H(oauth2_as_admin_base(r)),
                       H(client_path(r, c->client_id, "")), "\">",
                       H(c->meta->client_name ? c->meta->client_name
                                              : "(no name)"), "</a>", NULL);
}

static int unavailable(request_rec *r)
{
    return oauth2_as_admin_error(r, HTTP_SERVICE_UNAVAILABLE,
                                 "The database is unavailable; try again.");
}

static int uses_secret(const oa2_client_t *m)
{
    return strcmp(m->auth_method, OA2_AUTH_SECRET_BASIC) == 0
           || strcmp(m->auth_method, OA2_AUTH_SECRET_POST) == 0;
}

/* ---- list ---------------------------------------------------------- */

static int list_page(request_rec *r)
{
    apr_table_t *q = NULL;
    apr_array_header_t *clients;
    const char *search = NULL, *rows = "", *b = H(oauth2_as_admin_base(r));
    int i, page = 1, total, pages;
    oa2_err_t err;

    if (r->args && oa2_form_parse(r->pool, r->args, strlen(r->args), &q, &err)
                   != APR_SUCCESS) {
        return oauth2_as_admin_error(r, HTTP_BAD_REQUEST, err.description);
    }
    if (q != NULL) {
        search = apr_table_get(q, "q");
        page = apr_table_get(q, "page") ? atoi(apr_table_get(q, "page")) : 1;
    }
    search = search ? search : "";
    page = page < 1 ? 1 : page;
    if (oauth2_as_store_client_list(r, search, (page - 1) * AS_CLIENTS_PAGE,
                                    AS_CLIENTS_PAGE, &clients, &total)
        != APR_SUCCESS) {
        return unavailable(r);
    }
    for (i = 0; i < clients->nelts; i++) {
        const oauth2_as_client_rec *c =
            &APR_ARRAY_IDX(clients, i, oauth2_as_client_rec);
        rows = apr_pstrcat(r->pool, rows, "<tr><td>", client_link(r, c),
            "</td><td><code>", H(c->client_id), "</code></td><td>",
            oa2_client_is_public(c->meta) ? "public" : "confidential",
            "</td><td>", H(oa2_grant_list_text(r->pool,
                                               c->meta->grant_types)),
            "</td><td>", oauth2_as_admin_date(r->pool, c->created_at),
            "</td><td>", c->enabled ? "enabled"
                                    : "<strong>disabled</strong>",
            "</td></tr>\n", NULL);
    }
    pages = (total + AS_CLIENTS_PAGE - 1) / AS_CLIENTS_PAGE;
    return oauth2_as_admin_page(r, HTTP_OK, "Clients", apr_pstrcat(r->pool,
        "<p><a class=\"button\" href=\"", b, "/clients/new\">Register a "
        "client</a></p>\n<form method=\"get\" action=\"", b, "/clients\" "
        "role=\"search\"><label for=\"q\">Search by name or client_id</label> "
        "<input id=\"q\" name=\"q\" value=\"", H(search), "\"> <button "
        "type=\"submit\">Search</button></form>\n<table><thead><tr><th>Name"
        "</th><th>client_id</th><th>Type</th><th>Grant types</th><th>Created"
        "</th><th>Status</th></tr></thead><tbody>\n", rows,
        "</tbody></table>\n<p class=\"muted\">", apr_psprintf(r->pool,
        "%d client%s, page %d of %d", total, total == 1 ? "" : "s", page,
        pages ? pages : 1), "</p><p>", page > 1 ? apr_psprintf(r->pool,
        "<a href=\"%s/clients?q=%s&amp;page=%d\" rel=\"prev\">Previous</a> ",
        b, H(oa2_form_encode(r->pool, search)), page - 1) : "",
        page < pages ? apr_psprintf(r->pool, "<a href=\"%s/clients?q=%s&amp;"
        "page=%d\" rel=\"next\">Next</a>", b,
        H(oa2_form_encode(r->pool, search)), page + 1) : "", "</p>", NULL));
}

/* ---- the secret, shown once ------------------------------------------ */

static int secret_page(request_rec *r, const oauth2_as_client_rec *c,
                       const char *secret, const char *title)
{
    return oauth2_as_admin_page(r, HTTP_OK, title, apr_pstrcat(r->pool,
        "<p role=\"status\">Copy the secret now: it is stored only as a hash "
        "and will never be shown again.</p>\n<p><label for=\"client-id\">"
        "client_id</label><br><input id=\"client-id\" readonly size=\"60\" "
        "value=\"", H(c->client_id), "\"></p>\n",
        secret ? "<p><label for=\"client-secret\">client_secret</label><br>"
                 "<input id=\"client-secret\" readonly size=\"60\" value=\""
               : "", secret ? H(secret) : "",
        secret ? "\"> <button type=\"button\" class=\"copy\" data-copy="
                 "\"client-secret\">Copy</button></p>\n" : "",
        "<p><a href=\"", H(oauth2_as_admin_base(r)),
        H(client_path(r, c->client_id, "")), "\">Go to the client</a></p>",
        NULL));
}

/* ---- create and edit -------------------------------------------------- */

static int form_page(request_rec *r, const char *title, const char *action,
                     const oa2_client_t *from,
                     const oauth2_as_admin_form_t *posted, int status)
{
    return oauth2_as_admin_page(r, status, title, apr_pstrcat(r->pool,
        posted ? "<p class=\"error\" role=\"alert\">Please correct the "
                 "field marked below.</p>" : "",
        oauth2_as_admin_form(r, action, "class=\"client-form\""),
        oauth2_as_admin_form_fields(r, from, posted),
        "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">"
        "Save</button></div></form>", NULL));
}

static apr_status_t read_post(request_rec *r, apr_table_t **params)
{
    oa2_err_t err;

    if (oauth2_as_read_form(r, params, &err) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    return oauth2_as_admin_check_csrf(r, *params);
}

static int refused(request_rec *r, apr_status_t rv)
{
    if (rv == AS_STORE_EDB) {
        return unavailable(r);
    }
    return oauth2_as_admin_error(r, HTTP_FORBIDDEN, "This form has expired "
                                 "or was not issued to you. Reload the page "
                                 "and try again.");
}

static int create_client(request_rec *r)
{
    oauth2_as_admin_form_t f;
    oauth2_as_client_rec c;
    apr_table_t *params;
    const char *secret = NULL;
    apr_status_t rv = read_post(r, &params);

    if (rv != APR_SUCCESS) {
        return refused(r, rv);
    }
    if (oauth2_as_admin_form_read(r, params, &f) != APR_SUCCESS) {
        return form_page(r, "Register a client", "/clients/new", NULL, &f,
                         HTTP_BAD_REQUEST);
    }
    memset(&c, 0, sizeof(c));
    c.meta = f.meta;
    c.client_id = oa2_token_random(r->pool, 16);
    c.registration_token_hash = oa2_token_hash(
        r->pool, oa2_token_random(r->pool, 32));
    if (uses_secret(f.meta)) {
        secret = oa2_token_random(r->pool, 32);
        c.secret_hash = oa2_token_hash(r->pool, secret);
    }
    c.created_at = c.updated_at = oauth2_as_now();
    c.enabled = 1;
    if (oauth2_as_store_client_insert(r, &c, r->user) != APR_SUCCESS) {
        return unavailable(r);
    }
    oauth2_as_audit(r, r->user, "client.create", c.client_id, NULL,
                    f.meta->client_name);
    return secret_page(r, &c, secret, "Client registered");
}

static int update_client(request_rec *r, oauth2_as_client_rec *c)
{
    oauth2_as_admin_form_t f;
    apr_table_t *params;
    apr_status_t rv = read_post(r, &params);

    if (rv != APR_SUCCESS) {
        return refused(r, rv);
    }
    if (oauth2_as_admin_form_read(r, params, &f) != APR_SUCCESS) {
        return form_page(r, "Edit client", client_path(r, c->client_id,
                                                        "/edit"),
                         NULL, &f, HTTP_BAD_REQUEST);
    }
    if (uses_secret(f.meta) != uses_secret(c->meta)) {
        apr_table_setn(f.errors, "token_endpoint_auth_method",
                       "cannot switch between secret and secret-less "
                       "methods: register a new client instead");
        return form_page(r, "Edit client", client_path(r, c->client_id,
                                                        "/edit"),
                         NULL, &f, HTTP_BAD_REQUEST);
    }
    rv = oauth2_as_store_client_update(r, c->client_id, f.meta);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? oauth2_as_admin_error(r, 404,
                                                          "No such client.")
                                  : unavailable(r);
    }
    oauth2_as_audit(r, r->user, "client.update", c->client_id, NULL,
                    "admin form");
    return oauth2_as_admin_redirect(r, client_path(r, c->client_id,
                                                   "?done=saved"));
}

/* ---- one client ------------------------------------------------------- */

static const char *grants_table(request_rec *r, const oauth2_as_client_rec *c)
{
    apr_array_header_t *consents;
    const char *rows = "";
    int i;

    if (oauth2_as_store_client_consents(r, c->client_id, &consents)
        != APR_SUCCESS) {
        return NULL;
    }
    for (i = 0; i < consents->nelts; i++) {
        const oauth2_as_consent_rec *s =
            &APR_ARRAY_IDX(consents, i, oauth2_as_consent_rec);
        rows = apr_pstrcat(r->pool, rows, "<tr><td>", H(s->client_id),
            "</td><td>", H(s->scope), "</td><td>",
            oauth2_as_admin_date(r->pool, s->updated_at), "</td><td>",
            oauth2_as_admin_form(r, client_path(r, c->client_id,
                                                "/revoke-consent"), NULL),
            "<input type=\"hidden\" name=\"username\" value=\"",
            H(s->client_id), "\"><button type=\"submit\" class=\"danger\">"
            "Revoke</button></form></td></tr>\n", NULL);
    }
    return consents->nelts == 0 ? "<p class=\"muted\">No user has "
        "authorized this client.</p>" : apr_pstrcat(r->pool, "<table><thead>"
        "<tr><th>User</th><th>Scopes</th><th>Since</th><th></th></tr>"
        "</thead><tbody>\n", rows, "</tbody></table>", NULL);
}

static const char *tokens_table(request_rec *r, const oauth2_as_client_rec *c)
{
    apr_array_header_t *tokens;
    const char *rows = "";
    int i;

    if (oauth2_as_store_client_tokens(r, c->client_id, &tokens)
        != APR_SUCCESS) {
        return NULL;
    }
    for (i = 0; i < tokens->nelts; i++) {
        const oauth2_as_live_token *t =
            &APR_ARRAY_IDX(tokens, i, oauth2_as_live_token);
        rows = apr_pstrcat(r->pool, rows, "<tr><td>", t->kind, "</td><td>",
            t->username ? H(t->username) : "<span class=\"muted\">the "
            "client</span>", "</td><td>", H(t->scope), "</td><td>",
            oauth2_as_admin_date(r->pool, t->created_at), "</td><td>",
            oauth2_as_admin_date(r->pool, t->expires_at), "</td><td>",
            oauth2_as_admin_form(r, client_path(r, c->client_id,
                                                "/revoke-token"), NULL),
            "<input type=\"hidden\" name=\"token_hash\" value=\"",
            H(t->token_hash), "\"><button type=\"submit\" class=\"danger\">"
            "Revoke</button></form></td></tr>\n", NULL);
    }
    return tokens->nelts == 0 ? "<p class=\"muted\">No live refresh token "
        "or opaque access token. (JWT access tokens are not stored; they "
        "expire by themselves.)</p>" : apr_pstrcat(r->pool, "<table><thead>"
        "<tr><th>Kind</th><th>User</th><th>Scopes</th><th>Issued</th>"
        "<th>Expires</th><th></th></tr></thead><tbody>\n", rows,
        "</tbody></table>", NULL);
}

static const char *done_notice(request_rec *r)
{
    static const char *const notices[][2] = {
        { "done=saved", "Saved." }, { "done=enabled", "Client enabled." },
        { "done=disabled", "Client disabled: it can get no token and no "
          "refresh." }, { "done=revoked", "Revoked." }, { NULL, NULL }
    };
    int i;

    for (i = 0; r->args && notices[i][0] != NULL; i++) {
        if (strcmp(r->args, notices[i][0]) == 0) {
            return apr_pstrcat(r->pool, "<p class=\"note\" role=\"status\">",
                               notices[i][1], "</p>", NULL);
        }
    }
    return "";
}

static const char *meta_list(request_rec *r, const oa2_client_t *m)
{
    return apr_pstrcat(r->pool, "<dl><dt>Type</dt><dd>",
        oa2_client_is_public(m) ? "public" : "confidential",
        "</dd><dt>Authentication</dt><dd><code>", H(m->auth_method),
        "</code></dd><dt>Grant types</dt><dd>",
        H(oa2_grant_list_text(r->pool, m->grant_types)), "</dd>"
        "<dt>Scopes</dt><dd>", H(oa2_scope_join(r->pool, m->scope)), "</dd>"
        "<dt>Redirect URIs</dt><dd>",
        H(apr_array_pstrcat(r->pool, m->redirect_uris, ' ')), "</dd>"
        "<dt>Contacts</dt><dd>",
        m->contacts ? H(apr_array_pstrcat(r->pool, m->contacts, ' ')) : "",
        "</dd><dt>Keys</dt><dd>", m->jwks ? "JWKS registered"
        : (m->jwks_uri ? H(m->jwks_uri) : "none"), "</dd></dl>", NULL);
}

static int client_page(request_rec *r, const oauth2_as_client_rec *c)
{
    const char *grants = grants_table(r, c), *tokens = tokens_table(r, c);
    const char *b = H(oauth2_as_admin_base(r));

    if (grants == NULL || tokens == NULL) {
        return unavailable(r);
    }
    return oauth2_as_admin_page(r, HTTP_OK, c->meta->client_name
                                ? c->meta->client_name : c->client_id,
        apr_pstrcat(r->pool, done_notice(r), "<p>client_id <code>",
            H(c->client_id), "</code> — ", c->enabled ? "enabled"
            : "<strong>disabled</strong>", ", registered ",
            oauth2_as_admin_date(r->pool, c->created_at), "</p>\n",
            meta_list(r, c->meta), "<div class=\"buttons\"><a class=\"button\""
            " href=\"", b, H(client_path(r, c->client_id, "/edit")), "\">Edit"
            "</a>", uses_secret(c->meta) ? apr_pstrcat(r->pool,
            oauth2_as_admin_form(r, client_path(r, c->client_id, "/rotate"),
                                 NULL), "<button type=\"submit\">Rotate "
            "secret</button></form>", NULL) : "",
            oauth2_as_admin_form(r, client_path(r, c->client_id, c->enabled
                                                ? "/disable" : "/enable"),
                                 NULL), "<button type=\"submit\">",
            c->enabled ? "Disable" : "Enable", "</button></form>"
            "<a class=\"button danger\" href=\"", b,
            H(client_path(r, c->client_id, "/delete")), "\">Delete…</a></div>"
            "\n<h2>Users who authorized it</h2>\n", grants,
            "\n<h2>Live tokens</h2>\n", tokens, NULL));
}

/* ---- actions ---------------------------------------------------------- */

static int rotate_secret(request_rec *r, oauth2_as_client_rec *c)
{
    const char *secret = oa2_token_random(r->pool, 32);
    apr_status_t rv;

    if (!uses_secret(c->meta) || secret == NULL) {
        return oauth2_as_admin_error(r, HTTP_BAD_REQUEST,
                                     "This client has no secret.");
    }
    rv = oauth2_as_store_client_set_secret(r, c->client_id,
                                           oa2_token_hash(r->pool, secret));
    if (rv != APR_SUCCESS) {
        return unavailable(r);
    }
    oauth2_as_audit(r, r->user, "client.rotate", c->client_id, NULL, NULL);
    return secret_page(r, c, secret, "New secret");
}

static int set_enabled(request_rec *r, oauth2_as_client_rec *c, int on)
{
    if (oauth2_as_store_client_set_enabled(r, c->client_id, on)
        != APR_SUCCESS) {
        return unavailable(r);
    }
    oauth2_as_audit(r, r->user, on ? "client.enable" : "client.disable",
                    c->client_id, NULL, NULL);
    return oauth2_as_admin_redirect(r, client_path(r, c->client_id,
                                                   on ? "?done=enabled"
                                                      : "?done=disabled"));
}

static int delete_page(request_rec *r, const oauth2_as_client_rec *c)
{
    return oauth2_as_admin_page(r, HTTP_OK, "Delete client?",
        apr_pstrcat(r->pool, "<p>Delete <strong>",
            H(c->meta->client_name ? c->meta->client_name : c->client_id),
            "</strong> (<code>", H(c->client_id), "</code>)? Its "
            "registration, the users' permissions, its codes, refresh "
            "tokens and opaque access tokens are deleted at once. JWT access "
            "tokens already issued stay valid until they expire (at most "
            "the access token lifetime).</p>",
            oauth2_as_admin_form(r, client_path(r, c->client_id, "/delete"),
                                 NULL),
            "<div class=\"buttons\"><button type=\"submit\" class=\"danger\">"
            "Delete for good</button> <a class=\"button\" href=\"",
            H(oauth2_as_admin_base(r)), H(client_path(r, c->client_id, "")),
            "\">Cancel</a></div></form>", NULL));
}

static int delete_client(request_rec *r, oauth2_as_client_rec *c)
{
    apr_status_t rv = oauth2_as_store_client_delete(r, c->client_id);

    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return unavailable(r);
    }
    oauth2_as_audit(r, r->user, "client.delete", c->client_id, NULL,
                    c->meta->client_name);
    return oauth2_as_admin_redirect(r, "/clients");
}

static int revoke_consent(request_rec *r, oauth2_as_client_rec *c,
                          apr_table_t *params)
{
    const char *user = apr_table_get(params, "username");
    apr_status_t rv;

    if (user == NULL) {
        return oauth2_as_admin_error(r, HTTP_BAD_REQUEST, "No user named.");
    }
    rv = oauth2_as_store_consent_revoke(r, user, c->client_id);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return unavailable(r);
    }
    oauth2_as_audit(r, r->user, "consent.revoke", c->client_id, user,
                    "admin");
    return oauth2_as_admin_redirect(r, client_path(r, c->client_id,
                                                   "?done=revoked"));
}

static int revoke_token(request_rec *r, oauth2_as_client_rec *c,
                        apr_table_t *params)
{
    const char *hash = apr_table_get(params, "token_hash");
    oauth2_as_refresh_rec *t;
    apr_status_t rv;

    if (hash == NULL) {
        return oauth2_as_admin_error(r, HTTP_BAD_REQUEST, "No token named.");
    }
    rv = oauth2_as_store_refresh_get(r, hash, &t);
    if (rv == APR_SUCCESS && strcmp(t->client_id, c->client_id) == 0) {
        rv = oauth2_as_store_grant_revoke(r, t->family_id, NULL, 0);
    }
    else if (rv == APR_NOTFOUND || rv == APR_SUCCESS) {
        rv = oauth2_as_store_access_revoke(r, hash, c->client_id);
    }
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return unavailable(r);
    }
    oauth2_as_audit(r, r->user, "token.revoke", c->client_id, NULL,
                    "admin");
    return oauth2_as_admin_redirect(r, client_path(r, c->client_id,
                                                   "?done=revoked"));
}

/* POST actions on one client, after the CSRF check. */
static int client_action(request_rec *r, oauth2_as_client_rec *c,
                         const char *action)
{
    apr_table_t *params;
    apr_status_t rv = read_post(r, &params);

    if (rv != APR_SUCCESS) {
        return refused(r, rv);
    }
    if (strcmp(action, "rotate") == 0) {
        return rotate_secret(r, c);
    }
    if (strcmp(action, "enable") == 0 || strcmp(action, "disable") == 0) {
        return set_enabled(r, c, action[0] == 'e');
    }
    if (strcmp(action, "delete") == 0) {
        return delete_client(r, c);
    }
    if (strcmp(action, "revoke-consent") == 0) {
        return revoke_consent(r, c, params);
    }
    if (strcmp(action, "revoke-token") == 0) {
        return revoke_token(r, c, params);
    }
    return oauth2_as_admin_error(r, HTTP_NOT_FOUND, "No such action.");
}

static int one_client(request_rec *r, const char *rest)
{
    const char *slash = strchr(rest, '/');
    const char *id = slash ? apr_pstrmemdup(r->pool, rest, slash - rest)
                           : rest;
    const char *action = slash ? slash + 1 : "";
    oauth2_as_client_rec *c;
    apr_status_t rv = oauth2_as_store_client_get(r, id, &c);

    if (rv == AS_STORE_EDB) {
        return unavailable(r);
    }
    if (rv != APR_SUCCESS) {
        return oauth2_as_admin_error(r, HTTP_NOT_FOUND, "No such client.");
    }
    if (r->method_number == M_POST) {
        if (strcmp(action, "edit") == 0) {
            return update_client(r, c);
        }
        return client_action(r, c, action);
    }
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (*action == '\0') {
        return client_page(r, c);
    }
    if (strcmp(action, "edit") == 0) {
        return form_page(r, "Edit client", client_path(r, c->client_id,
                                                        "/edit"),
                         c->meta, NULL, HTTP_OK);
    }
    if (strcmp(action, "delete") == 0) {
        return delete_page(r, c);
    }
    return oauth2_as_admin_error(r, HTTP_NOT_FOUND, "No such page.");
}

int oauth2_as_admin_clients(request_rec *r, const char *rest)
{
    if (*rest == '\0') {
        if (r->method_number != M_GET) {
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return list_page(r);
    }
    if (strcmp(rest, "new") == 0) {
        if (r->method_number == M_POST) {
            return create_client(r);
        }
        return form_page(r, "Register a client", "/clients/new", NULL, NULL,
                         HTTP_OK);
    }
    return one_client(r, rest);
}
