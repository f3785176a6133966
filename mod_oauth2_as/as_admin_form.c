/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_admin_form: the client form of the admin pages: fields to RFC 7591 metadata (same validation as register) and back. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>

#include "as_admin.h"
#include "as_private.h"
#include "oa2_client.h"
#include "oa2_html.h"
#include "oa2_json.h"

/* The grant checkboxes, in display order. */
static const unsigned int grant_order[] = {
    OA2_GRANT_AUTHORIZATION_CODE, OA2_GRANT_REFRESH_TOKEN,
    OA2_GRANT_CLIENT_CREDENTIALS, OA2_GRANT_IMPLICIT, OA2_GRANT_PASSWORD,
    OA2_GRANT_JWT_BEARER, OA2_GRANT_SAML2_BEARER, 0
};

static const char *const auth_methods[] = {
    OA2_AUTH_SECRET_BASIC, OA2_AUTH_SECRET_POST, OA2_AUTH_PRIVATE_KEY_JWT,
    OA2_AUTH_NONE, NULL
};

/* The member names the validator's messages start with, and the form
 * field that shows each message. */
static const char *const field_of[][2] = {
    { "redirect_uris", "redirect_uris" }, { "grant_types", "grant_types" },
    { "response_types", "response_types" }, { "a requested grant",
    "grant_types" }, { "a public client", "token_endpoint_auth_method" },
    { "token_endpoint_auth_method", "token_endpoint_auth_method" },
    { "private_key_jwt", "jwks" }, { "jwks_uri", "jwks_uri" },
    { "jwks", "jwks" }, { "client_name", "client_name" },
    { "logo_uri", "logo_uri" }, { "client_uri", "logo_uri" },
    { "contacts", "contacts" }, { "scope", "scope" },
    { "http redirect", "redirect_uris" }, { NULL, NULL }
};

/* One value per line, blank lines dropped. */
static json_object *lines_array(apr_pool_t *p, const char *text)
{
    json_object *a = json_object_new_array();
    char *copy = apr_pstrdup(p, text ? text : ""), *last, *line;

    for (line = apr_strtok(copy, "\r\n", &last); line != NULL;
         line = apr_strtok(NULL, "\r\n", &last)) {
        apr_collapse_spaces(line, line);
        if (*line) {
            json_object_array_add(a, json_object_new_string(line));
        }
    }
    return a;
}

typedef struct {
    apr_array_header_t *values;
    const char *prefix;
} collect_ctx;

static int collect_checked(void *rec, const char *key, const char *value)
{
    collect_ctx *c = rec;
    apr_size_t n = strlen(c->prefix);

    if (strncmp(key, c->prefix, n) == 0 && strcmp(value, "on") == 0) {
        APR_ARRAY_PUSH(c->values, const char *) = key + n;
    }
    return 1;
}

/* Checkbox names are "<prefix><value>" so repeated names never occur. */
static apr_array_header_t *checked(apr_pool_t *p, apr_table_t *params,
                                   const char *prefix)
{
    collect_ctx c = { apr_array_make(p, 4, sizeof(const char *)), prefix };

    apr_table_do(collect_checked, &c, params, NULL);
    return c.values;
}

static json_object *strings_json(const apr_array_header_t *a)
{
    json_object *o = json_object_new_array();
    int i;

    for (i = 0; i < a->nelts; i++) {
        json_object_array_add(o, json_object_new_string(
            APR_ARRAY_IDX(a, i, const char *)));
    }
    return o;
}

static void set_text(json_object *o, const char *key, apr_table_t *params)
{
    const char *v = apr_table_get(params, key);

    if (v != NULL && *v != '\0') {
        oa2_json_set_string(o, key, v);
    }
}

static const char *field_for(const char *description)
{
    int i;

    for (i = 0; description && field_of[i][0] != NULL; i++) {
        if (strncmp(description, field_of[i][0],
                    strlen(field_of[i][0])) == 0) {
            return field_of[i][1];
        }
    }
    return "client_name";
}

apr_status_t oauth2_as_admin_form_read(request_rec *r, apr_table_t *params,
                                       oauth2_as_admin_form_t *f)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    json_object *meta = oa2_json_object(r->pool), *jwks;
    const char *jwks_text = apr_table_get(params, "jwks");
    apr_array_header_t *grants = checked(r->pool, params, "grant:");
    apr_array_header_t *responses = checked(r->pool, params, "response:");
    oa2_err_t err;

    f->params = params;
    f->errors = apr_table_make(r->pool, 4);
    f->meta = NULL;
    set_text(meta, "client_name", params);
    set_text(meta, "token_endpoint_auth_method", params);
    set_text(meta, "jwks_uri", params);
    set_text(meta, "logo_uri", params);
    json_object_object_add(meta, "redirect_uris", lines_array(
        r->pool, apr_table_get(params, "redirect_uris")));
    json_object_object_add(meta, "contacts", lines_array(
        r->pool, apr_table_get(params, "contacts")));
    json_object_object_add(meta, "grant_types", strings_json(grants));
    if (responses->nelts > 0) {
        /* none ticked: derived from the grant types (RFC 7591 §2.1) */
        json_object_object_add(meta, "response_types",
                               strings_json(responses));
    }
    oa2_json_set_string(meta, "scope", apr_array_pstrcat(
        r->pool, checked(r->pool, params, "scope:"), ' '));
    if (apr_table_get(params, "require_pkce") != NULL) {
        oa2_json_set_bool(meta, "require_pkce", 1);
    }
    if (jwks_text != NULL && *jwks_text != '\0') {
        if (oa2_json_parse_object(r->pool, jwks_text, strlen(jwks_text),
                                  &jwks) != APR_SUCCESS) {
            apr_table_setn(f->errors, "jwks", "not a JSON object");
            return APR_EINVAL;
        }
        json_object_object_add(meta, "jwks", json_object_get(jwks));
    }
    if (grants->nelts == 0) {
        apr_table_setn(f->errors, "grant_types", "choose at least one");
        return APR_EINVAL;
    }
    if (oa2_client_validate(r->pool, meta, oauth2_as_grant_types(conf),
                            conf->declared, &f->meta, &err) != APR_SUCCESS) {
        apr_table_setn(f->errors, field_for(err.description),
                       err.description ? err.description : err.error);
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* ---- rendering ------------------------------------------------------ */

static const char *error_of(apr_pool_t *p, const oauth2_as_admin_form_t *f,
                            const char *field)
{
    const char *e = f ? apr_table_get(f->errors, field) : NULL;

    return e ? apr_pstrcat(p, "<p class=\"error\" id=\"err-", field,
                           "\" role=\"alert\">", oa2_html_escape(p, e),
                           "</p>", NULL) : "";
}

static const char *described_by(apr_pool_t *p,
                                const oauth2_as_admin_form_t *f,
                                const char *field)
{
    return (f && apr_table_get(f->errors, field))
           ? apr_pstrcat(p, " aria-invalid=\"true\" aria-describedby=\"err-",
                         field, "\"", NULL) : "";
}

static const char *text_field(apr_pool_t *p, const oauth2_as_admin_form_t *f,
                              const char *name, const char *label,
                              const char *value, const char *hint)
{
    return apr_pstrcat(p, "<p><label for=\"f-", name, "\">", label,
                       "</label><br><input id=\"f-", name, "\" name=\"",
                       name, "\" value=\"", oa2_html_escape(p, value),
                       "\" size=\"60\"", described_by(p, f, name), ">",
                       hint ? "<br><span class=\"note\">" : "",
                       hint ? hint : "", hint ? "</span>" : "",
                       error_of(p, f, name), "</p>\n", NULL);
}

static const char *area_field(apr_pool_t *p, const oauth2_as_admin_form_t *f,
                              const char *name, const char *label,
                              const char *value, const char *hint)
{
    return apr_pstrcat(p, "<p><label for=\"f-", name, "\">", label,
                       "</label><br><textarea id=\"f-", name, "\" name=\"",
                       name, "\" rows=\"3\" cols=\"60\"",
                       described_by(p, f, name), ">",
                       oa2_html_escape(p, value), "</textarea>",
                       hint ? "<br><span class=\"note\">" : "",
                       hint ? hint : "", hint ? "</span>" : "",
                       error_of(p, f, name), "</p>\n", NULL);
}

static const char *checkbox(apr_pool_t *p, const char *name,
                            const char *label, int on)
{
    return apr_pstrcat(p, "<label><input type=\"checkbox\" name=\"",
                       oa2_html_escape(p, name), "\"", on ? " checked" : "",
                       "> ", label, "</label><br>\n", NULL);
}

static const char *join_lines(apr_pool_t *p, const apr_array_header_t *a)
{
    return a ? apr_array_pstrcat(p, a, '\n') : "";
}

/* The values shown: posted ones after an error, else the client's. */
static const char *value_of(request_rec *r, const oa2_client_t *from,
                            const oauth2_as_admin_form_t *posted,
                            const char *name)
{
    if (posted != NULL) {
        const char *v = apr_table_get(posted->params, name);
        return v ? v : "";
    }
    if (from == NULL) {
        return "";
    }
    if (strcmp(name, "client_name") == 0) {
        return from->client_name ? from->client_name : "";
    }
    if (strcmp(name, "redirect_uris") == 0) {
        return join_lines(r->pool, from->redirect_uris);
    }
    if (strcmp(name, "contacts") == 0) {
        return join_lines(r->pool, from->contacts);
    }
    if (strcmp(name, "jwks_uri") == 0) {
        return from->jwks_uri ? from->jwks_uri : "";
    }
    if (strcmp(name, "jwks") == 0) {
        return from->jwks ? from->jwks : "";
    }
    if (strcmp(name, "logo_uri") == 0) {
        return from->logo_uri ? from->logo_uri : "";
    }
    return "";
}

static int is_checked(const oa2_client_t *from,
                      const oauth2_as_admin_form_t *posted,
                      const char *name, int from_value)
{
    if (posted != NULL) {
        return apr_table_get(posted->params, name) != NULL;
    }
    return from != NULL && from_value;
}

static const char *grant_boxes(request_rec *r, const oa2_client_t *from,
                               const oauth2_as_admin_form_t *posted)
{
    unsigned int enabled = oauth2_as_grant_types(oauth2_as_srv(r->server));
    const char *out = "";
    int i;

    for (i = 0; grant_order[i] != 0; i++) {
        const char *name = oa2_grant_name(grant_order[i]);
        if (!(enabled & grant_order[i])) {
            continue;
        }
        out = apr_pstrcat(r->pool, out, checkbox(
            r->pool, apr_pstrcat(r->pool, "grant:", name, NULL),
            oa2_html_escape(r->pool, name),
            is_checked(from, posted, apr_pstrcat(r->pool, "grant:", name,
                                                 NULL),
                       from && (from->grant_types & grant_order[i]))), NULL);
    }
    return out;
}

static const char *scope_boxes(request_rec *r, const oa2_client_t *from,
                               const oauth2_as_admin_form_t *posted)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *out = "";
    int i;

    for (i = 0; conf->scopes != NULL && i < conf->scopes->nelts; i++) {
        const oauth2_as_scope_def *d =
            &APR_ARRAY_IDX(conf->scopes, i, oauth2_as_scope_def);
        const char *name = apr_pstrcat(r->pool, "scope:", d->name, NULL);
        out = apr_pstrcat(r->pool, out, checkbox(
            r->pool, name, apr_pstrcat(r->pool, "<code>",
                oa2_html_escape(r->pool, d->name), "</code> — ",
                oa2_html_escape(r->pool, d->text), NULL),
            is_checked(from, posted, name,
                       from && oa2_scope_has(from->scope, d->name))), NULL);
    }
    return out;
}

static const char *method_select(request_rec *r, const oa2_client_t *from,
                                 const oauth2_as_admin_form_t *posted)
{
    const char *cur = posted ? apr_table_get(posted->params,
                                             "token_endpoint_auth_method")
                             : (from ? from->auth_method : NULL);
    const char *out = "";
    int i;

    for (i = 0; auth_methods[i] != NULL; i++) {
        out = apr_pstrcat(r->pool, out, "<option",
                          cur && strcmp(cur, auth_methods[i]) == 0
                          ? " selected" : "", ">", auth_methods[i],
                          "</option>", NULL);
    }
    return out;
}

const char *oauth2_as_admin_form_fields(request_rec *r,
                                        const oa2_client_t *from,
                                        const oauth2_as_admin_form_t *posted)
{
    apr_pool_t *p = r->pool;
    unsigned int enabled = oauth2_as_grant_types(oauth2_as_srv(r->server));

    return apr_pstrcat(p,
        text_field(p, posted, "client_name", "Name",
                   value_of(r, from, posted, "client_name"),
                   "Shown to users on the consent page."),
        area_field(p, posted, "redirect_uris", "Redirect URIs",
                   value_of(r, from, posted, "redirect_uris"),
                   "One per line, compared exactly: https, http on "
                   "127.0.0.1, or a reverse-domain scheme for native apps."),
        "<fieldset><legend>Grant types</legend>",
        grant_boxes(r, from, posted), error_of(p, posted, "grant_types"),
        "</fieldset>\n<fieldset><legend>Response types</legend>",
        checkbox(p, "response:code", "code", is_checked(from, posted,
                 "response:code", from && (from->response_types
                                           & OA2_RESPONSE_CODE))),
        (enabled & OA2_GRANT_IMPLICIT) ? checkbox(p, "response:token",
            "token", is_checked(from, posted, "response:token",
                                from && (from->response_types
                                         & OA2_RESPONSE_TOKEN))) : "",
        error_of(p, posted, "response_types"),
        "</fieldset>\n<p><label for=\"f-token_endpoint_auth_method\">Client "
        "authentication</label><br><select id=\"f-token_endpoint_auth_method\""
        " name=\"token_endpoint_auth_method\">",
        method_select(r, from, posted), "</select>",
        error_of(p, posted, "token_endpoint_auth_method"), "</p>\n"
        "<fieldset><legend>Allowed scopes</legend>",
        scope_boxes(r, from, posted), error_of(p, posted, "scope"),
        "</fieldset>\n",
        checkbox(p, "require_pkce", "Require PKCE even though confidential",
                 is_checked(from, posted, "require_pkce",
                            from && from->require_pkce)),
        area_field(p, posted, "jwks", "JWKS (for private_key_jwt and JWT "
                   "assertions)", value_of(r, from, posted, "jwks"),
                   "A JSON JWK Set with public keys, or leave empty."),
        text_field(p, posted, "jwks_uri", "JWKS URI",
                   value_of(r, from, posted, "jwks_uri"),
                   "Instead of a JWKS: an https URL serving it."),
        area_field(p, posted, "contacts", "Contacts",
                   value_of(r, from, posted, "contacts"), "One per line."),
        text_field(p, posted, "logo_uri", "Logo URI",
                   value_of(r, from, posted, "logo_uri"),
                   "An https image shown on the consent page."),
        NULL);
}
