/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_metadata: the JWKS and RFC 8414 metadata documents, computed once at startup and served as they are. */
#include <string.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>
#include <util_cfgtree.h>

#include "as_private.h"
#include "oa2_client.h"
#include "oa2_json.h"

/* Finds the <Location> holding `SetHandler oauth2-as` (depth first). */
static const char *find_handler_location(apr_pool_t *p,
                                         const ap_directive_t *d,
                                         const char *location)
{
    for (; d != NULL; d = d->next) {
        const char *args = d->args, *found;
        if (strcasecmp(d->directive, "SetHandler") == 0 && location != NULL
            && strcasecmp(ap_getword_conf(p, &args), AS_HANDLER_NAME) == 0) {
            return location;
        }
        if (d->first_child == NULL) {
            continue;
        }
        if (strcasecmp(d->directive, "<Location") == 0) {
            char *path = ap_getword_conf(p, &args);
            apr_size_t n = strlen(path);
            if (n > 0 && path[n - 1] == '>') {
                path[n - 1] = '\0';
            }
            found = find_handler_location(p, d->first_child, path);
        }
        else {
            found = find_handler_location(p, d->first_child, location);
        }
        if (found != NULL) {
            return found;
        }
    }
    return NULL;
}

static const char *strip_slash(apr_pool_t *p, const char *path)
{
    apr_size_t n = strlen(path);

    while (n > 0 && path[n - 1] == '/') {
        n--;
    }
    return apr_pstrmemdup(p, path, n);
}

static void add_strings(json_object *o, const char *key,
                        const char *const *values)
{
    json_object *a = json_object_new_array();

    for (; *values != NULL; values++) {
        json_object_array_add(a, json_object_new_string(*values));
    }
    json_object_object_add(o, key, a);
}

static const char *metadata_document(apr_pool_t *p,
                                     const oauth2_as_srv_conf *conf)
{
    static const char *const auth_methods[] = {
        OA2_AUTH_SECRET_BASIC, OA2_AUTH_SECRET_POST, OA2_AUTH_PRIVATE_KEY_JWT,
        OA2_AUTH_NONE, NULL
    };
    /* introspection refuses public clients (RFC 7662 §2.1) */
    static const char *const confidential_methods[] = {
        OA2_AUTH_SECRET_BASIC, OA2_AUTH_SECRET_POST, OA2_AUTH_PRIVATE_KEY_JWT,
        NULL
    };
    static const char *const implemented[] = {
        "authorization_code", "refresh_token", "client_credentials",
        "implicit", "password", OA2_GRANT_NAME_JWT_BEARER,
        OA2_GRANT_NAME_SAML2_BEARER, NULL
    };
    static const char *const assertion_algs[] = {
        "ES256", "RS256", "PS256", "EdDSA", NULL
    };
    static const char *const modes[] = { "query", "fragment", NULL };
    static const char *const pkce_s256[] = { "S256", NULL };
    static const char *const pkce_both[] = { "S256", "plain", NULL };
    json_object *responses = json_object_new_array();
    json_object *o = oa2_json_object(p);
    json_object *grants = json_object_new_array();
    json_object *scopes = json_object_new_array();
    unsigned int enabled = oauth2_as_grant_types(conf);
    int i;

    oa2_json_set_string(o, "issuer", conf->issuer);
    oa2_json_set_string(o, "authorization_endpoint",
                        apr_pstrcat(p, conf->endpoint_base, "/authorize",
                                    NULL));
    oa2_json_set_string(o, "token_endpoint", conf->token_endpoint);
    oa2_json_set_string(o, "jwks_uri",
                        apr_pstrcat(p, conf->endpoint_base, "/jwks", NULL));
    oa2_json_set_string(o, "revocation_endpoint",
                        apr_pstrcat(p, conf->endpoint_base, "/revoke", NULL));
    oa2_json_set_string(o, "introspection_endpoint",
                        apr_pstrcat(p, conf->endpoint_base, "/introspect",
                                    NULL));
    oa2_json_set_string(o, "registration_endpoint",
                        apr_pstrcat(p, conf->endpoint_base, "/register",
                                    NULL));
    for (i = 0; conf->scopes != NULL && i < conf->scopes->nelts; i++) {
        json_object_array_add(scopes, json_object_new_string(
            APR_ARRAY_IDX(conf->scopes, i, oauth2_as_scope_def).name));
    }
    json_object_object_add(o, "scopes_supported", scopes);
    for (i = 0; implemented[i] != NULL; i++) {
        if (enabled & oa2_grant_from_name(implemented[i])) {
            json_object_array_add(grants,
                                  json_object_new_string(implemented[i]));
        }
    }
    json_object_object_add(o, "grant_types_supported", grants);
    json_object_array_add(responses, json_object_new_string("code"));
    if (enabled & OA2_GRANT_IMPLICIT) {
        json_object_array_add(responses, json_object_new_string("token"));
    }
    json_object_object_add(o, "response_types_supported", responses);
    add_strings(o, "response_modes_supported", modes);
    add_strings(o, "token_endpoint_auth_methods_supported", auth_methods);
    add_strings(o, "token_endpoint_auth_signing_alg_values_supported",
                assertion_algs);
    add_strings(o, "revocation_endpoint_auth_methods_supported",
                auth_methods);
    add_strings(o, "introspection_endpoint_auth_methods_supported",
                confidential_methods);
    add_strings(o, "code_challenge_methods_supported",
                oauth2_as_pkce_plain(conf) ? pkce_both : pkce_s256);
    oa2_json_set_bool(o, "authorization_response_iss_parameter_supported", 1);
    return oa2_json_text(p, o);
}

apr_status_t oauth2_as_metadata_init(apr_pool_t *p, server_rec *s,
                                     oauth2_as_srv_conf *conf)
{
    apr_uri_t u;
    const char *base;
    apr_array_header_t *names;
    int i;

    base = find_handler_location(p, ap_conftree, NULL);
    conf->base_path = strip_slash(p, base ? base : "/oauth2");
    if (apr_uri_parse(p, conf->issuer, &u) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    conf->endpoint_base = apr_pstrcat(
        p, apr_uri_unparse(p, &u, APR_URI_UNP_OMITPATHINFO),
        conf->base_path, NULL);
    conf->token_endpoint = apr_pstrcat(p, conf->endpoint_base, "/token",
                                       NULL);
    conf->assertion_audiences = apr_array_make(p, 2, sizeof(const char *));
    APR_ARRAY_PUSH(conf->assertion_audiences, const char *) = conf->issuer;
    APR_ARRAY_PUSH(conf->assertion_audiences, const char *) =
        conf->token_endpoint;
    /* RFC 8414 §3: the issuer's path goes after the well-known name */
    conf->well_known_path = apr_pstrcat(p, AS_WELL_KNOWN,
                                        strip_slash(p, u.path ? u.path : ""),
                                        NULL);
    names = apr_array_make(p, 8, sizeof(const char *));
    for (i = 0; conf->scopes != NULL && i < conf->scopes->nelts; i++) {
        APR_ARRAY_PUSH(names, const char *) =
            APR_ARRAY_IDX(conf->scopes, i, oauth2_as_scope_def).name;
    }
    conf->declared = oa2_scope_from_array(p, names);
    conf->jwks_text = oa2_jwks_text(p, conf->keys);
    conf->metadata_text = metadata_document(p, conf);
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, OA2LOGNO(10501)
                 "endpoints under %s, metadata at %s", conf->endpoint_base,
                 conf->well_known_path);
    return APR_SUCCESS;
}

/* Both documents are public and change only with the configuration. */
static int reply_public_json(request_rec *r, const char *json)
{
    if (r->method_number != M_GET) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=300");
    apr_table_setn(r->headers_out, "Access-Control-Allow-Origin", "*");
    if (!r->header_only) {
        ap_rputs(json, r);
    }
    return OK;
}

int oauth2_as_jwks_handle(request_rec *r)
{
    return reply_public_json(r, oauth2_as_srv(r->server)->jwks_text);
}

int oauth2_as_metadata_handle(request_rec *r)
{
    return reply_public_json(r, oauth2_as_srv(r->server)->metadata_text);
}
