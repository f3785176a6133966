/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_client: client metadata (RFC 7591 §2): validation, defaults and the stored JSON form. */
#include <string.h>
#include <apr_strings.h>

#include "oa2_client.h"
#include "oa2_jose.h"
#include "oa2_json.h"
#include "oa2_uri.h"

static const struct {
    unsigned int flag;
    const char *name;
} grant_names[] = {
    { OA2_GRANT_AUTHORIZATION_CODE, "authorization_code" },
    { OA2_GRANT_REFRESH_TOKEN, "refresh_token" },
    { OA2_GRANT_CLIENT_CREDENTIALS, "client_credentials" },
    { OA2_GRANT_PASSWORD, "password" },
    { OA2_GRANT_JWT_BEARER, OA2_GRANT_NAME_JWT_BEARER },
    { OA2_GRANT_SAML2_BEARER, OA2_GRANT_NAME_SAML2_BEARER },
    { OA2_GRANT_IMPLICIT, "implicit" },
};

#define N_GRANTS (sizeof(grant_names) / sizeof(grant_names[0]))

const char *oa2_grant_name(unsigned int grant)
{
    apr_size_t i;

    for (i = 0; i < N_GRANTS; i++) {
        if (grant_names[i].flag == grant) {
            return grant_names[i].name;
        }
    }
    return "";
}

unsigned int oa2_grant_from_name(const char *name)
{
    apr_size_t i;

    for (i = 0; name != NULL && i < N_GRANTS; i++) {
        if (strcmp(grant_names[i].name, name) == 0) {
            return grant_names[i].flag;
        }
    }
    return 0;
}

apr_status_t oa2_grant_list_parse(apr_pool_t *p, const char *list,
                                  unsigned int *grants, const char **bad)
{
    char *copy = apr_pstrdup(p, list ? list : ""), *last, *w;
    unsigned int set = 0;

    for (w = apr_strtok(copy, " \t", &last); w != NULL;
         w = apr_strtok(NULL, " \t", &last)) {
        unsigned int g = oa2_grant_from_name(w);
        if (g == 0) {
            *bad = w;
            return APR_EINVAL;
        }
        set |= g;
    }
    *grants = set;
    return APR_SUCCESS;
}

const char *oa2_grant_list_text(apr_pool_t *p, unsigned int grants)
{
    apr_array_header_t *names = apr_array_make(p, 4, sizeof(const char *));
    apr_size_t i;

    for (i = 0; i < N_GRANTS; i++) {
        if (grants & grant_names[i].flag) {
            APR_ARRAY_PUSH(names, const char *) = grant_names[i].name;
        }
    }
    return apr_array_pstrcat(p, names, ' ');
}

int oa2_client_is_public(const oa2_client_t *c)
{
    return strcmp(c->auth_method, OA2_AUTH_NONE) == 0;
}

static int meta_err(oa2_err_t *err, const char *error, const char *why)
{
    return oa2_err_set(err, 400, error, why);
}

/* An optional array of strings with at most `max` entries. */
static apr_status_t string_array(apr_pool_t *p, json_object *meta,
                                 const char *name, int max,
                                 apr_size_t max_len,
                                 apr_array_header_t **out)
{
    json_object *v = NULL;
    size_t i, n;

    *out = apr_array_make(p, 2, sizeof(const char *));
    /* a member set to null is treated as absent (RFC 7591 §2) */
    if (!json_object_object_get_ex(meta, name, &v) || v == NULL) {
        return APR_SUCCESS;
    }
    if (!json_object_is_type(v, json_type_array)) {
        return APR_EINVAL;
    }
    n = json_object_array_length(v);
    if (n > (size_t)max) {
        return APR_EINVAL;
    }
    for (i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(v, i);
        if (!json_object_is_type(e, json_type_string)
            || (apr_size_t)json_object_get_string_len(e) > max_len
            || json_object_get_string_len(e) == 0) {
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(*out, const char *) = apr_pstrdup(
            p, json_object_get_string(e));
    }
    return APR_SUCCESS;
}

/* An optional string member; present but not a string is an error. */
static apr_status_t opt_string(json_object *meta, const char *name,
                               apr_size_t max_len, const char **out)
{
    json_object *v = NULL;

    *out = NULL;
    if (!json_object_object_get_ex(meta, name, &v) || v == NULL) {
        return APR_SUCCESS;
    }
    if (!json_object_is_type(v, json_type_string)
        || (apr_size_t)json_object_get_string_len(v) > max_len) {
        return APR_EINVAL;
    }
    *out = json_object_get_string(v);
    return APR_SUCCESS;
}

/* Present and not null. */
static int has_member(json_object *meta, const char *name)
{
    json_object *v = NULL;

    return json_object_object_get_ex(meta, name, &v) && v != NULL;
}

/* Characters, not bytes: the text is valid UTF-8 already. */
static apr_size_t utf8_chars(const char *s)
{
    apr_size_t n = 0;

    for (; s && *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

/* C0, DEL and the C1 range U+0080..U+009F (UTF-8 C2 80..C2 9F). */
static int has_control_chars(const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F
            || (c == 0xC2 && (unsigned char)s[1] >= 0x80
                && (unsigned char)s[1] <= 0x9F)) {
            return 1;
        }
    }
    return 0;
}

static apr_status_t read_grants(apr_pool_t *p, json_object *meta,
                                oa2_client_t *c, oa2_err_t *err)
{
    apr_array_header_t *arr;
    int i;

    if (string_array(p, meta, "grant_types", 8, 64, &arr) != APR_SUCCESS) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "grant_types must be an array of strings");
    }
    if (arr->nelts == 0 && !has_member(meta, "grant_types")) {
        c->grant_types = OA2_GRANT_AUTHORIZATION_CODE;   /* RFC 7591 §2 */
    }
    for (i = 0; i < arr->nelts; i++) {
        const char *name = APR_ARRAY_IDX(arr, i, const char *);
        unsigned int g = oa2_grant_from_name(name);
        if (g == 0) {
            return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                            apr_psprintf(p, "unknown grant type %s",
                                         oa2_json_quote(p, name)));
        }
        c->grant_types |= g;
    }
    if (string_array(p, meta, "response_types", 4, 32, &arr)
        != APR_SUCCESS) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "response_types must be an array of strings");
    }
    for (i = 0; i < arr->nelts; i++) {
        const char *name = APR_ARRAY_IDX(arr, i, const char *);
        if (strcmp(name, "code") == 0) {
            c->response_types |= OA2_RESPONSE_CODE;
        }
        else if (strcmp(name, "token") == 0) {
            c->response_types |= OA2_RESPONSE_TOKEN;
        }
        else {
            return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                            apr_psprintf(p, "unsupported response type %s",
                                         oa2_json_quote(p, name)));
        }
    }
    return APR_SUCCESS;
}

/* RFC 7591 §2.1: grant_types and response_types must agree. */
static apr_status_t check_grant_consistency(oa2_client_t *c,
                                            int response_types_given,
                                            unsigned int enabled,
                                            oa2_err_t *err)
{
    unsigned int want = 0;

    if (c->grant_types & OA2_GRANT_AUTHORIZATION_CODE) {
        want |= OA2_RESPONSE_CODE;
    }
    if (c->grant_types & OA2_GRANT_IMPLICIT) {
        want |= OA2_RESPONSE_TOKEN;
    }
    if (!response_types_given) {
        c->response_types = want;
    }
    else if (c->response_types != want) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "response_types do not match grant_types "
                        "(code needs authorization_code, token needs "
                        "implicit)");
    }
    if ((c->grant_types & ~enabled) != 0) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "a requested grant type is not enabled on this "
                        "server");
    }
    return APR_SUCCESS;
}

static apr_status_t read_auth(apr_pool_t *p, json_object *meta,
                              oa2_client_t *c, oa2_err_t *err)
{
    const char *m;

    if (opt_string(meta, "token_endpoint_auth_method", 64, &m)
        != APR_SUCCESS) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "token_endpoint_auth_method must be a string");
    }
    if (m == NULL) {
        m = OA2_AUTH_SECRET_BASIC;
    }
    if (strcmp(m, OA2_AUTH_SECRET_BASIC) && strcmp(m, OA2_AUTH_SECRET_POST)
        && strcmp(m, OA2_AUTH_PRIVATE_KEY_JWT) && strcmp(m, OA2_AUTH_NONE)) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "unsupported token_endpoint_auth_method");
    }
    c->auth_method = apr_pstrdup(p, m);
    if (oa2_client_is_public(c)
        && (c->grant_types & OA2_GRANT_CLIENT_CREDENTIALS)) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "a public client cannot use client_credentials");
    }
    return APR_SUCCESS;
}

static apr_status_t read_keys(apr_pool_t *p, json_object *meta,
                              oa2_client_t *c, oa2_err_t *err)
{
    json_object *jwks = NULL;
    const char *why;

    /* fetched by the server: https only, never a loopback service */
    if (opt_string(meta, "jwks_uri", 2048, &c->jwks_uri) != APR_SUCCESS
        || (c->jwks_uri && oa2_uri_check_https(p, c->jwks_uri, 0))) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "jwks_uri must be an https URL");
    }
    if (json_object_object_get_ex(meta, "jwks", &jwks) && jwks != NULL) {
        apr_array_header_t *keys;
        const char *text;
        if (!json_object_is_type(jwks, json_type_object)) {
            return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                            "jwks must be a JWK Set object");
        }
        text = oa2_json_text(p, jwks);
        if (oa2_jwks_parse(p, text, strlen(text), &keys, &why)
            != APR_SUCCESS) {
            return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                            apr_pstrcat(p, "jwks: ", why, NULL));
        }
        c->jwks = text;
    }
    if (c->jwks != NULL && c->jwks_uri != NULL) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "jwks and jwks_uri are mutually exclusive");
    }
    if (strcmp(c->auth_method, OA2_AUTH_PRIVATE_KEY_JWT) == 0
        && c->jwks == NULL && c->jwks_uri == NULL) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "private_key_jwt needs jwks or jwks_uri");
    }
    return APR_SUCCESS;
}

static apr_status_t read_redirects(apr_pool_t *p, json_object *meta,
                                   oa2_client_t *c, oa2_err_t *err)
{
    int i;

    if (string_array(p, meta, "redirect_uris", OA2_CLIENT_MAX_REDIRECT_URIS,
                     2048, &c->redirect_uris) != APR_SUCCESS) {
        return meta_err(err, OA2_ERR_INVALID_REDIRECT_URI,
                        "redirect_uris must be an array of at most 20 URIs");
    }
    for (i = 0; i < c->redirect_uris->nelts; i++) {
        const char *why = oa2_uri_check_redirect(
            p, APR_ARRAY_IDX(c->redirect_uris, i, const char *));
        if (why != NULL) {
            return meta_err(err, OA2_ERR_INVALID_REDIRECT_URI, why);
        }
    }
    if ((c->grant_types & (OA2_GRANT_AUTHORIZATION_CODE | OA2_GRANT_IMPLICIT))
        && c->redirect_uris->nelts == 0) {
        return meta_err(err, OA2_ERR_INVALID_REDIRECT_URI,
                        "redirect_uris are required for authorization_code "
                        "and implicit");
    }
    return APR_SUCCESS;
}

static apr_status_t read_display(apr_pool_t *p, json_object *meta,
                                 oa2_client_t *c, oa2_err_t *err)
{
    if (opt_string(meta, "client_name", OA2_CLIENT_MAX_NAME * 4,
                   &c->client_name) != APR_SUCCESS
        || utf8_chars(c->client_name) > OA2_CLIENT_MAX_NAME
        || has_control_chars(c->client_name)) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "client_name must be a string of at most 200 "
                        "characters without control characters");
    }
    if (opt_string(meta, "logo_uri", 2048, &c->logo_uri) != APR_SUCCESS
        || (c->logo_uri && oa2_uri_check_https(p, c->logo_uri, 1))) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "logo_uri must be an https URL");
    }
    if (opt_string(meta, "client_uri", 2048, &c->client_uri) != APR_SUCCESS
        || (c->client_uri && oa2_uri_check_https(p, c->client_uri, 1))) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "client_uri must be an https URL");
    }
    if (string_array(p, meta, "contacts", OA2_CLIENT_MAX_CONTACTS, 256,
                     &c->contacts) != APR_SUCCESS) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "contacts must be an array of at most 10 strings");
    }
    return APR_SUCCESS;
}

static apr_status_t read_scope(apr_pool_t *p, json_object *meta,
                               const oa2_scope_t *declared, oa2_client_t *c,
                               oa2_err_t *err)
{
    const char *scope;
    int i;

    if (opt_string(meta, "scope", OA2_SCOPE_MAX_LEN, &scope) != APR_SUCCESS
        || oa2_scope_parse(p, scope, &c->scope) != APR_SUCCESS) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "scope must be a space-separated list of scopes");
    }
    for (i = 0; declared != NULL && i < c->scope->tokens->nelts; i++) {
        const char *t = APR_ARRAY_IDX(c->scope->tokens, i, const char *);
        if (!oa2_scope_has(declared, t)) {
            return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                            apr_psprintf(p, "scope %s is not declared on "
                                         "this server",
                                         oa2_json_quote(p, t)));
        }
    }
    return APR_SUCCESS;
}

apr_status_t oa2_client_validate(apr_pool_t *p, json_object *meta,
                                 unsigned int enabled,
                                 const oa2_scope_t *declared,
                                 oa2_client_t **out, oa2_err_t *err)
{
    oa2_client_t *c = apr_pcalloc(p, sizeof(*c));
    json_object *v = NULL;

    if (meta == NULL || !json_object_is_type(meta, json_type_object)) {
        return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                        "the body must be a JSON object");
    }
    if (read_grants(p, meta, c, err) != APR_SUCCESS
        || check_grant_consistency(
               c, has_member(meta, "response_types"),
               enabled, err) != APR_SUCCESS
        || read_auth(p, meta, c, err) != APR_SUCCESS
        || read_redirects(p, meta, c, err) != APR_SUCCESS
        || read_keys(p, meta, c, err) != APR_SUCCESS
        || read_display(p, meta, c, err) != APR_SUCCESS
        || read_scope(p, meta, declared, c, err) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    if (json_object_object_get_ex(meta, "require_pkce", &v) && v != NULL) {
        if (!json_object_is_type(v, json_type_boolean)) {
            return meta_err(err, OA2_ERR_INVALID_CLIENT_METADATA,
                            "require_pkce must be a boolean");
        }
        c->require_pkce = json_object_get_boolean(v);
    }
    *out = c;
    return APR_SUCCESS;
}

static json_object *string_array_json(const apr_array_header_t *arr)
{
    json_object *a = json_object_new_array();
    int i;

    for (i = 0; arr != NULL && i < arr->nelts; i++) {
        json_object_array_add(a, json_object_new_string(
            APR_ARRAY_IDX(arr, i, const char *)));
    }
    return a;
}

json_object *oa2_client_to_json(apr_pool_t *p, const oa2_client_t *c)
{
    json_object *o = oa2_json_object(p);
    json_object *grants = json_object_new_array();
    json_object *responses = json_object_new_array();
    apr_size_t i;

    oa2_json_set_string(o, "client_name", c->client_name);
    json_object_object_add(o, "redirect_uris",
                           string_array_json(c->redirect_uris));
    for (i = 0; i < N_GRANTS; i++) {
        if (c->grant_types & grant_names[i].flag) {
            json_object_array_add(grants,
                                  json_object_new_string(grant_names[i].name));
        }
    }
    json_object_object_add(o, "grant_types", grants);
    if (c->response_types & OA2_RESPONSE_CODE) {
        json_object_array_add(responses, json_object_new_string("code"));
    }
    if (c->response_types & OA2_RESPONSE_TOKEN) {
        json_object_array_add(responses, json_object_new_string("token"));
    }
    json_object_object_add(o, "response_types", responses);
    oa2_json_set_string(o, "token_endpoint_auth_method", c->auth_method);
    oa2_json_set_string(o, "scope", oa2_scope_join(p, c->scope));
    if (c->jwks != NULL) {
        json_object *jwks;
        if (oa2_json_parse_object(p, c->jwks, strlen(c->jwks), &jwks)
            == APR_SUCCESS) {
            json_object_object_add(o, "jwks", json_object_get(jwks));
        }
    }
    oa2_json_set_string(o, "jwks_uri", c->jwks_uri);
    oa2_json_set_string(o, "logo_uri", c->logo_uri);
    oa2_json_set_string(o, "client_uri", c->client_uri);
    if (c->contacts != NULL && c->contacts->nelts > 0) {
        json_object_object_add(o, "contacts", string_array_json(c->contacts));
    }
    if (c->require_pkce) {
        oa2_json_set_bool(o, "require_pkce", 1);
    }
    return o;
}

apr_status_t oa2_client_from_text(apr_pool_t *p, const char *text,
                                  oa2_client_t **out)
{
    json_object *meta;
    oa2_err_t err;

    if (oa2_json_parse_object(p, text, strlen(text), &meta) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    /* stored metadata was validated on write; re-reading applies the same
     * parser with every grant allowed and no scope registry */
    return oa2_client_validate(p, meta, ~0u, NULL, out, &err);
}
