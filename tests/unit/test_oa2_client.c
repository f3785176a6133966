/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_client: RFC 7591 client metadata: grants, checks, stored form. */
#include <string.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_client.h"
#include "oa2_json.h"

#define ALL_GRANTS 0x7Fu
#define ALL_NAMES "authorization_code refresh_token client_credentials " \
    "password " OA2_GRANT_NAME_JWT_BEARER " " OA2_GRANT_NAME_SAML2_BEARER \
    " implicit"

/* The JSON below is written with ' for ", to stay readable in C. */
#define CB "'https://app.example/cb'"
#define REDIRECT "'redirect_uris':[" CB "]"
#define CC_ONLY "'grant_types':['client_credentials']"
/* RFC 7515 A.3's public key */
#define JWKS "{'keys':[{'kty':'EC','crv':'P-256'," \
    "'x':'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU'," \
    "'y':'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0'}]}"

#define WHY_NAME "client_name must be a string of at most 200 characters " \
    "without control characters"
#define WHY_REDIRECTS "redirect_uris must be an array of at most 20 URIs"
#define WHY_CONTACTS "contacts must be an array of at most 10 strings"
#define WHY_MISMATCH "response_types do not match grant_types (code needs " \
    "authorization_code, token needs implicit)"
#define WHY_DISABLED "a requested grant type is not enabled on this server"
#define WHY_SCOPE "scope must be a space-separated list of scopes"

static const char *quotes(apr_pool_t *p, const char *text)
{
    char *s = apr_pstrdup(p, text), *c;

    for (c = s; *c; c++) {
        if (*c == '\'') {
            *c = '"';
        }
    }
    return s;
}

static json_object *json(apr_pool_t *p, const char *text)
{
    const char *s = quotes(p, text);
    json_object *o = NULL;

    assert_int_equal(oa2_json_parse(p, s, strlen(s), &o), APR_SUCCESS);
    return o;
}

/* n quoted strings, comma-separated: 'fmt(0)','fmt(1)',... */
static const char *list(apr_pool_t *p, int n, const char *fmt)
{
    const char *s = "";
    int i;

    for (i = 0; i < n; i++) {
        s = apr_pstrcat(p, s, i ? "," : "", "'", apr_psprintf(p, fmt, i),
                        "'", NULL);
    }
    return s;
}

static const char *repeat(apr_pool_t *p, const char *unit, int n)
{
    const char *s = "";
    int i;

    for (i = 0; i < n; i++) {
        s = apr_pstrcat(p, s, unit, NULL);
    }
    return s;
}

static oa2_scope_t *scope(apr_pool_t *p, const char *s)
{
    oa2_scope_t *set = NULL;

    assert_int_equal(oa2_scope_parse(p, s, &set), APR_SUCCESS);
    return set;
}

static oa2_client_t *valid_with(apr_pool_t *p, const char *text,
                                unsigned int enabled, const char *declared)
{
    oa2_client_t *c = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_client_validate(p, json(p, text), enabled,
                                         declared ? scope(p, declared)
                                                  : NULL,
                                         &c, &err), APR_SUCCESS);
    assert_non_null(c);
    return c;
}

static oa2_client_t *valid(apr_pool_t *p, const char *text)
{
    return valid_with(p, text, ALL_GRANTS, NULL);
}

static void refused_with(apr_pool_t *p, const char *text,
                         unsigned int enabled, const char *declared,
                         const char *error, const char *why)
{
    oa2_client_t *c = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_client_validate(p, json(p, text), enabled,
                                         declared ? scope(p, declared)
                                                  : NULL,
                                         &c, &err), APR_EINVAL);
    assert_null(c);
    assert_int_equal(err.status, 400);
    assert_non_null(err.error);
    assert_string_equal(err.error, error);
    assert_non_null(err.description);
    assert_string_equal(err.description, why);
}

static void meta_bad(apr_pool_t *p, const char *text, const char *why)
{
    refused_with(p, text, ALL_GRANTS, NULL, OA2_ERR_INVALID_CLIENT_METADATA,
                 why);
}

static void redirect_bad(apr_pool_t *p, const char *text, const char *why)
{
    refused_with(p, text, ALL_GRANTS, NULL, OA2_ERR_INVALID_REDIRECT_URI,
                 why);
}

static const char *str_at(const apr_array_header_t *a, int i)
{
    return APR_ARRAY_IDX(a, i, const char *);
}

/* ---- grant names ------------------------------------------------------- */

static void test_grant_names(void **state)
{
    static const struct {
        unsigned int flag;
        const char *name;
    } grants[] = {
        { OA2_GRANT_AUTHORIZATION_CODE, "authorization_code" },
        { OA2_GRANT_REFRESH_TOKEN, "refresh_token" },
        { OA2_GRANT_CLIENT_CREDENTIALS, "client_credentials" },
        { OA2_GRANT_PASSWORD, "password" },
        { OA2_GRANT_JWT_BEARER,
          "urn:ietf:params:oauth:grant-type:jwt-bearer" },
        { OA2_GRANT_SAML2_BEARER,
          "urn:ietf:params:oauth:grant-type:saml2-bearer" },
        { OA2_GRANT_IMPLICIT, "implicit" },
    };
    apr_size_t i;

    (void)state;
    for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
        assert_string_equal(oa2_grant_name(grants[i].flag), grants[i].name);
        assert_int_equal(oa2_grant_from_name(grants[i].name),
                         grants[i].flag);
    }
    /* no flag, several flags, an unknown flag */
    assert_string_equal(oa2_grant_name(0), "");
    assert_string_equal(oa2_grant_name(OA2_GRANT_DEFAULTS), "");
    assert_string_equal(oa2_grant_name(0x80), "");
    /* names are exact */
    assert_int_equal(oa2_grant_from_name(NULL), 0);
    assert_int_equal(oa2_grant_from_name(""), 0);
    assert_int_equal(oa2_grant_from_name("Authorization_code"), 0);
    assert_int_equal(oa2_grant_from_name("authorization_code "), 0);
    assert_int_equal(oa2_grant_from_name("jwt-bearer"), 0);
    assert_int_equal(oa2_grant_from_name("device_code"), 0);
    assert_int_equal(oa2_grant_from_name(
        "urn:ietf:params:oauth:grant-type:device_code"), 0);
}

static void test_grant_list_parse(void **state)
{
    apr_pool_t *p = *state;
    unsigned int g = 0xFFFF;
    const char *bad = NULL;

    assert_int_equal(oa2_grant_list_parse(p, "authorization_code "
                                          "refresh_token", &g, &bad),
                     APR_SUCCESS);
    assert_int_equal(g, OA2_GRANT_AUTHORIZATION_CODE
                        | OA2_GRANT_REFRESH_TOKEN);
    assert_null(bad);
    assert_int_equal(oa2_grant_list_parse(p, ALL_NAMES, &g, &bad),
                     APR_SUCCESS);
    assert_int_equal(g, ALL_GRANTS);
    /* tabs, runs of blanks, duplicates */
    assert_int_equal(oa2_grant_list_parse(p, "\t implicit\t\tpassword  "
                                          "implicit ", &g, &bad),
                     APR_SUCCESS);
    assert_int_equal(g, OA2_GRANT_IMPLICIT | OA2_GRANT_PASSWORD);
    /* empty lists give no grants */
    g = 0xFFFF;
    assert_int_equal(oa2_grant_list_parse(p, "", &g, &bad), APR_SUCCESS);
    assert_int_equal(g, 0);
    g = 0xFFFF;
    assert_int_equal(oa2_grant_list_parse(p, "  \t ", &g, &bad),
                     APR_SUCCESS);
    assert_int_equal(g, 0);
    g = 0xFFFF;
    assert_int_equal(oa2_grant_list_parse(p, NULL, &g, &bad), APR_SUCCESS);
    assert_int_equal(g, 0);
    assert_null(bad);

    /* the first unknown name is reported, and *grants is left alone */
    g = 0xFFFF;
    assert_int_equal(oa2_grant_list_parse(p, "authorization_code bogus "
                                          "worse", &g, &bad), APR_EINVAL);
    assert_string_equal(bad, "bogus");
    assert_int_equal(g, 0xFFFF);
    assert_int_equal(oa2_grant_list_parse(p, "refresh_token,password", &g,
                                          &bad), APR_EINVAL);
    assert_string_equal(bad, "refresh_token,password");
    assert_int_equal(oa2_grant_list_parse(p, "implicit\nrefresh_token", &g,
                                          &bad), APR_EINVAL);
    assert_string_equal(bad, "implicit\nrefresh_token");
    assert_int_equal(g, 0xFFFF);
}

static void test_grant_list_text(void **state)
{
    apr_pool_t *p = *state;
    unsigned int i, g;
    const char *bad;

    assert_string_equal(oa2_grant_list_text(p, OA2_GRANT_DEFAULTS),
                        "authorization_code refresh_token "
                        "client_credentials");
    assert_string_equal(oa2_grant_list_text(p, 0), "");
    assert_string_equal(oa2_grant_list_text(p, ALL_GRANTS), ALL_NAMES);
    /* a fixed order whatever the order of the flags */
    assert_string_equal(oa2_grant_list_text(p, OA2_GRANT_IMPLICIT
                                               | OA2_GRANT_PASSWORD),
                        "password implicit");
    /* unknown bits are ignored */
    assert_string_equal(oa2_grant_list_text(p, 0xFF80u), "");
    assert_string_equal(oa2_grant_list_text(p, 0x80u
                                               | OA2_GRANT_REFRESH_TOKEN),
                        "refresh_token");
    /* text and parse are inverses over every combination */
    for (i = 0; i <= ALL_GRANTS; i++) {
        g = 0xFFFF;
        assert_int_equal(oa2_grant_list_parse(p, oa2_grant_list_text(p, i),
                                              &g, &bad), APR_SUCCESS);
        assert_int_equal(g, i);
    }
}

/* ---- validation: accepted metadata and defaults ------------------------- */

static void test_defaults(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c = valid_with(p, "{" REDIRECT "}", OA2_GRANT_DEFAULTS,
                                 NULL);

    assert_int_equal(c->grant_types, OA2_GRANT_AUTHORIZATION_CODE);
    assert_int_equal(c->response_types, OA2_RESPONSE_CODE);
    assert_string_equal(c->auth_method, OA2_AUTH_SECRET_BASIC);
    assert_false(oa2_client_is_public(c));
    assert_int_equal(c->redirect_uris->nelts, 1);
    assert_string_equal(str_at(c->redirect_uris, 0),
                        "https://app.example/cb");
    assert_non_null(c->scope);
    assert_int_equal(oa2_scope_count(c->scope), 0);
    assert_null(c->client_name);
    assert_null(c->jwks);
    assert_null(c->jwks_uri);
    assert_null(c->logo_uri);
    assert_null(c->client_uri);
    assert_non_null(c->contacts);
    assert_int_equal(c->contacts->nelts, 0);
    assert_false(c->require_pkce);

    /* unknown members are ignored (RFC 7591 §2) */
    c = valid(p, "{" REDIRECT ",'software_id':'x','tos_uri':5,"
                 "'x':{'y':[]}}");
    assert_int_equal(c->grant_types, OA2_GRANT_AUTHORIZATION_CODE);
    /* null members count as absent (RFC 7591 §2) */
    c = valid(p, "{" REDIRECT ",'client_name':null,'scope':null,"
                 "'contacts':null,'logo_uri':null,'client_uri':null,"
                 "'token_endpoint_auth_method':null,'grant_types':null,"
                 "'response_types':null,'jwks':null,'jwks_uri':null,"
                 "'require_pkce':null}");
    assert_int_equal(c->grant_types, OA2_GRANT_AUTHORIZATION_CODE);
    assert_int_equal(c->response_types, OA2_RESPONSE_CODE);
    assert_string_equal(c->auth_method, OA2_AUTH_SECRET_BASIC);
    assert_null(c->client_name);
    assert_null(c->logo_uri);
    assert_null(c->client_uri);
    assert_null(c->jwks);
    assert_null(c->jwks_uri);
    assert_int_equal(c->contacts->nelts, 0);
    assert_int_equal(oa2_scope_count(c->scope), 0);
    assert_false(c->require_pkce);
    /* ... and redirect_uris too, so they are still required */
    redirect_bad(p, "{'redirect_uris':null}", "redirect_uris are required "
                 "for authorization_code and implicit");
    c = valid(p, "{" CC_ONLY ",'redirect_uris':null}");
    assert_int_equal(c->redirect_uris->nelts, 0);
}

static void test_response_types_derived(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c;

    c = valid(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                 "'refresh_token']}");
    assert_int_equal(c->grant_types, OA2_GRANT_AUTHORIZATION_CODE
                                     | OA2_GRANT_REFRESH_TOKEN);
    assert_int_equal(c->response_types, OA2_RESPONSE_CODE);

    c = valid(p, "{" REDIRECT ",'grant_types':['implicit']}");
    assert_int_equal(c->grant_types, OA2_GRANT_IMPLICIT);
    assert_int_equal(c->response_types, OA2_RESPONSE_TOKEN);

    c = valid(p, "{" REDIRECT ",'grant_types':['implicit',"
                 "'authorization_code']}");
    assert_int_equal(c->response_types, OA2_RESPONSE_CODE
                                        | OA2_RESPONSE_TOKEN);

    c = valid(p, "{" CC_ONLY "}");
    assert_int_equal(c->grant_types, OA2_GRANT_CLIENT_CREDENTIALS);
    assert_int_equal(c->response_types, 0);
    assert_int_equal(c->redirect_uris->nelts, 0);

    /* given and consistent */
    c = valid(p, "{" REDIRECT ",'response_types':['code']}");
    assert_int_equal(c->grant_types, OA2_GRANT_AUTHORIZATION_CODE);
    assert_int_equal(c->response_types, OA2_RESPONSE_CODE);
    c = valid(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                 "'implicit'],'response_types':['token','code','code']}");
    assert_int_equal(c->response_types, OA2_RESPONSE_CODE
                                        | OA2_RESPONSE_TOKEN);
    c = valid(p, "{" CC_ONLY ",'response_types':[]}");
    assert_int_equal(c->response_types, 0);

    /* duplicates collapse */
    c = valid(p, "{'grant_types':['password','password',"
                 "'client_credentials']}");
    assert_int_equal(c->grant_types, OA2_GRANT_PASSWORD
                                     | OA2_GRANT_CLIENT_CREDENTIALS);
}

static void test_auth_methods(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c;

    c = valid(p, "{" REDIRECT ",'token_endpoint_auth_method':"
                 "'client_secret_post'}");
    assert_string_equal(c->auth_method, OA2_AUTH_SECRET_POST);
    assert_false(oa2_client_is_public(c));

    c = valid(p, "{" REDIRECT ",'token_endpoint_auth_method':"
                 "'client_secret_basic'}");
    assert_string_equal(c->auth_method, OA2_AUTH_SECRET_BASIC);

    c = valid(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                 "'refresh_token'],'token_endpoint_auth_method':'none'}");
    assert_string_equal(c->auth_method, OA2_AUTH_NONE);
    assert_true(oa2_client_is_public(c));

    c = valid(p, "{" REDIRECT ",'token_endpoint_auth_method':"
                 "'private_key_jwt','jwks':" JWKS "}");
    assert_string_equal(c->auth_method, OA2_AUTH_PRIVATE_KEY_JWT);
    assert_false(oa2_client_is_public(c));
    assert_string_equal(c->jwks, quotes(p, JWKS));
    assert_null(c->jwks_uri);

    c = valid(p, "{" CC_ONLY ",'token_endpoint_auth_method':"
                 "'private_key_jwt','jwks_uri':"
                 "'https://app.example/jwks.json'}");
    assert_string_equal(c->auth_method, OA2_AUTH_PRIVATE_KEY_JWT);
    assert_string_equal(c->jwks_uri, "https://app.example/jwks.json");
    assert_null(c->jwks);
}

static void test_full_metadata(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c = valid_with(
        p, "{'client_name':'Caf\\u00e9 & <Co>','redirect_uris':[" CB ","
           "'com.example.app:/cb','http://127.0.0.1/cb'],"
           "'scope':'write read','logo_uri':'https://app.example/l.png',"
           "'client_uri':'https://app.example/','contacts':"
           "['ops@app.example','dev@app.example'],'require_pkce':true}",
        OA2_GRANT_DEFAULTS, "read write admin");

    assert_string_equal(c->client_name, "Caf\xc3\xa9 & <Co>");
    assert_int_equal(c->redirect_uris->nelts, 3);
    assert_string_equal(str_at(c->redirect_uris, 0),
                        "https://app.example/cb");
    assert_string_equal(str_at(c->redirect_uris, 1), "com.example.app:/cb");
    assert_string_equal(str_at(c->redirect_uris, 2), "http://127.0.0.1/cb");
    assert_string_equal(oa2_scope_join(p, c->scope), "read write");
    assert_string_equal(c->logo_uri, "https://app.example/l.png");
    assert_string_equal(c->client_uri, "https://app.example/");
    assert_int_equal(c->contacts->nelts, 2);
    assert_string_equal(str_at(c->contacts, 0), "ops@app.example");
    assert_string_equal(str_at(c->contacts, 1), "dev@app.example");
    assert_true(c->require_pkce);

    c = valid(p, "{" REDIRECT ",'require_pkce':false}");
    assert_false(c->require_pkce);
    /* loopback http is allowed for the logo, as for the issuer */
    c = valid(p, "{" REDIRECT ",'logo_uri':'http://127.0.0.1:8080/l.png'}");
    assert_string_equal(c->logo_uri, "http://127.0.0.1:8080/l.png");
    c = valid(p, "{" REDIRECT ",'logo_uri':'http://localhost/l.png'}");
    assert_string_equal(c->logo_uri, "http://localhost/l.png");
}

/* ---- validation: refusals ---------------------------------------------- */

static void test_refused_body(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    meta_bad(p, "[]", "the body must be a JSON object");
    meta_bad(p, "'client'", "the body must be a JSON object");
    meta_bad(p, "42", "the body must be a JSON object");
    assert_int_equal(oa2_client_validate(p, NULL, ALL_GRANTS, NULL, &c,
                                         &err), APR_EINVAL);
    assert_null(c);
    assert_string_equal(err.error, OA2_ERR_INVALID_CLIENT_METADATA);
    assert_string_equal(err.description, "the body must be a JSON object");
    assert_int_equal(err.status, 400);
}

static void test_refused_grants(void **state)
{
    apr_pool_t *p = *state;
    const char *why = "grant_types must be an array of strings";

    meta_bad(p, "{" REDIRECT ",'grant_types':'authorization_code'}", why);
    meta_bad(p, "{" REDIRECT ",'grant_types':{}}", why);
    meta_bad(p, "{" REDIRECT ",'grant_types':[1]}", why);
    meta_bad(p, "{" REDIRECT ",'grant_types':[null]}", why);
    meta_bad(p, "{" REDIRECT ",'grant_types':['']}", why);
    meta_bad(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                "['implicit']]}", why);
    /* at most 8 entries of at most 64 bytes */
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'grant_types':[",
                            list(p, 9, "authorization_code"), "]}", NULL),
             why);
    valid(p, apr_pstrcat(p, "{" REDIRECT ",'grant_types':[",
                         list(p, 8, "authorization_code"), "]}", NULL));
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'grant_types':['",
                            repeat(p, "x", 65), "']}", NULL), why);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'grant_types':['",
                            repeat(p, "x", 64), "']}", NULL),
             apr_pstrcat(p, "unknown grant type \"", repeat(p, "x", 64),
                         "\"", NULL));

    meta_bad(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                "'device_code']}",
             "unknown grant type \"device_code\"");
    meta_bad(p, "{" REDIRECT ",'grant_types':['Implicit']}",
             "unknown grant type \"Implicit\"");
    /* the name is quoted as JSON in the description */
    meta_bad(p, "{" REDIRECT ",'grant_types':['a\\\"b\\nc']}",
             "unknown grant type \"a\\\"b\\nc\"");
}

static void test_refused_response_types(void **state)
{
    apr_pool_t *p = *state;
    const char *why = "response_types must be an array of strings";

    meta_bad(p, "{" REDIRECT ",'response_types':'code'}", why);
    meta_bad(p, "{" REDIRECT ",'response_types':[true]}", why);
    meta_bad(p, "{" REDIRECT ",'response_types':['']}", why);
    meta_bad(p, "{" REDIRECT ",'response_types':['code','code','code',"
                "'code','code']}", why);
    meta_bad(p, "{" REDIRECT ",'response_types':['code id_token']}",
             "unsupported response type \"code id_token\"");
    meta_bad(p, "{" REDIRECT ",'response_types':['id_token']}",
             "unsupported response type \"id_token\"");
    meta_bad(p, "{" REDIRECT ",'response_types':['Code']}",
             "unsupported response type \"Code\"");

    /* RFC 7591 §2.1: grant_types and response_types must agree */
    meta_bad(p, "{" REDIRECT ",'response_types':['token']}", WHY_MISMATCH);
    meta_bad(p, "{" REDIRECT ",'response_types':[]}", WHY_MISMATCH);
    meta_bad(p, "{" REDIRECT ",'response_types':['code','token']}",
             WHY_MISMATCH);
    meta_bad(p, "{" REDIRECT ",'grant_types':['implicit'],"
                "'response_types':['code']}", WHY_MISMATCH);
    meta_bad(p, "{" REDIRECT ",'grant_types':['implicit',"
                "'authorization_code'],'response_types':['code']}",
             WHY_MISMATCH);
    meta_bad(p, "{" CC_ONLY ",'response_types':['code']}", WHY_MISMATCH);
}

static void test_refused_not_enabled(void **state)
{
    apr_pool_t *p = *state;
    const char *imm = OA2_ERR_INVALID_CLIENT_METADATA;

    /* the default grant must be enabled too */
    refused_with(p, "{" REDIRECT "}", OA2_GRANT_CLIENT_CREDENTIALS, NULL,
                 imm, WHY_DISABLED);
    refused_with(p, "{" REDIRECT "}", 0, NULL, imm, WHY_DISABLED);
    refused_with(p, "{" REDIRECT ",'grant_types':['implicit']}",
                 OA2_GRANT_DEFAULTS, NULL, imm, WHY_DISABLED);
    refused_with(p, "{'grant_types':['password']}", OA2_GRANT_DEFAULTS,
                 NULL, imm, WHY_DISABLED);
    refused_with(p, "{'grant_types':['" OA2_GRANT_NAME_JWT_BEARER "']}",
                 OA2_GRANT_DEFAULTS, NULL, imm, WHY_DISABLED);
    /* one disabled grant among enabled ones */
    refused_with(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                 "'refresh_token']}", OA2_GRANT_AUTHORIZATION_CODE, NULL,
                 imm, WHY_DISABLED);
    /* and each is accepted once enabled */
    valid_with(p, "{'grant_types':['" OA2_GRANT_NAME_JWT_BEARER "']}",
               OA2_GRANT_DEFAULTS | OA2_GRANT_JWT_BEARER, NULL);
    valid_with(p, "{" CC_ONLY "}", OA2_GRANT_CLIENT_CREDENTIALS, NULL);
    valid_with(p, "{" REDIRECT ",'grant_types':['implicit']}",
               OA2_GRANT_IMPLICIT, NULL);
}

static void test_refused_auth(void **state)
{
    apr_pool_t *p = *state;
    const char *not_string = "token_endpoint_auth_method must be a string";
    const char *unsupported = "unsupported token_endpoint_auth_method";

    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':5}",
             not_string);
    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':['none']}",
             not_string);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'token_endpoint_auth_method':'",
                            repeat(p, "x", 65), "'}", NULL), not_string);
    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':"
                "'client_secret_jwt'}", unsupported);
    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':''}",
             unsupported);
    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':'None'}",
             unsupported);
    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':"
                "'tls_client_auth'}", unsupported);

    /* a public client has no credentials to use client_credentials */
    meta_bad(p, "{" CC_ONLY ",'token_endpoint_auth_method':'none'}",
             "a public client cannot use client_credentials");
    meta_bad(p, "{" REDIRECT ",'grant_types':['authorization_code',"
                "'client_credentials'],'token_endpoint_auth_method':"
                "'none'}",
             "a public client cannot use client_credentials");
}

static void test_refused_redirects(void **state)
{
    apr_pool_t *p = *state;
    const char *required = "redirect_uris are required for "
                           "authorization_code and implicit";
    oa2_client_t *c;

    redirect_bad(p, "{'redirect_uris':" CB "}", WHY_REDIRECTS);
    redirect_bad(p, "{'redirect_uris':[5]}", WHY_REDIRECTS);
    redirect_bad(p, "{'redirect_uris':['']}", WHY_REDIRECTS);
    redirect_bad(p, "{'redirect_uris':[" CB ",null]}", WHY_REDIRECTS);
    redirect_bad(p, apr_pstrcat(p, "{'redirect_uris':[",
                                list(p, 21, "https://app.example/cb%d"),
                                "]}", NULL), WHY_REDIRECTS);
    c = valid(p, apr_pstrcat(p, "{'redirect_uris':[",
                             list(p, 20, "https://app.example/cb%d"), "]}",
                             NULL));
    assert_int_equal(c->redirect_uris->nelts, 20);
    assert_string_equal(str_at(c->redirect_uris, 19),
                        "https://app.example/cb19");
    /* an entry longer than 2048 bytes */
    redirect_bad(p, apr_pstrcat(p, "{'redirect_uris':['https://app.example/",
                                repeat(p, "a", 2048 - 19), "']}", NULL),
                 WHY_REDIRECTS);
    valid(p, apr_pstrcat(p, "{'redirect_uris':['https://app.example/",
                         repeat(p, "a", 2048 - 20), "']}", NULL));

    /* each URI is checked (oa2_uri_check_redirect's reasons) */
    redirect_bad(p, "{'redirect_uris':['http://app.example/cb']}",
                 "http redirect URIs are allowed for loopback only");
    redirect_bad(p, "{'redirect_uris':[" CB ",'https://app.example/cb#x']}",
                 "URI must not contain a fragment");
    redirect_bad(p, "{'redirect_uris':['javascript:alert(1)']}",
                 "scheme must be https, loopback http or a reverse-domain "
                 "private-use scheme");
    redirect_bad(p, "{'redirect_uris':['/cb']}", "not an absolute URI");
    redirect_bad(p, "{'redirect_uris':['https://app.example/a b']}",
                 "URI contains spaces, control or non-ASCII characters");
    redirect_bad(p, "{'redirect_uris':['https:///cb']}", "URI has no host");

    /* required for the front-channel grants only */
    redirect_bad(p, "{}", required);
    redirect_bad(p, "{'redirect_uris':[]}", required);
    redirect_bad(p, "{'grant_types':['implicit']}", required);
    redirect_bad(p, "{'grant_types':['client_credentials',"
                    "'authorization_code']}", required);
    valid(p, "{'grant_types':['client_credentials','password',"
             "'refresh_token']}");
}

static void test_refused_keys(void **state)
{
    apr_pool_t *p = *state;
    const char *https = "jwks_uri must be an https URL";

    meta_bad(p, "{" REDIRECT ",'jwks_uri':'http://app.example/jwks'}",
             https);
    meta_bad(p, "{" REDIRECT ",'jwks_uri':'app.example/jwks'}", https);
    meta_bad(p, "{" REDIRECT ",'jwks_uri':'https://u:p@app.example/j'}",
             https);
    meta_bad(p, "{" REDIRECT ",'jwks_uri':5}", https);
    meta_bad(p, "{" REDIRECT ",'jwks':'{}'}",
             "jwks must be a JWK Set object");
    meta_bad(p, "{" REDIRECT ",'jwks':[]}", "jwks must be a JWK Set object");
    meta_bad(p, "{" REDIRECT ",'jwks':{}}",
             "jwks: JWKS has no \"keys\" array");
    meta_bad(p, "{" REDIRECT ",'jwks':{'keys':[]}}",
             "jwks: JWKS has no usable signature key");
    meta_bad(p, "{" REDIRECT ",'jwks':{'keys':[{'kty':'oct','k':'AAAA'}]}}",
             "jwks: JWKS has no usable signature key");

    meta_bad(p, "{" REDIRECT ",'jwks':" JWKS ","
                "'jwks_uri':'https://app.example/jwks'}",
             "jwks and jwks_uri are mutually exclusive");
    meta_bad(p, "{" REDIRECT ",'token_endpoint_auth_method':"
                "'private_key_jwt'}",
             "private_key_jwt needs jwks or jwks_uri");
    meta_bad(p, "{" CC_ONLY ",'token_endpoint_auth_method':"
                "'private_key_jwt','jwks':null}",
             "private_key_jwt needs jwks or jwks_uri");
}

static void test_refused_client_name(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c;

    meta_bad(p, "{" REDIRECT ",'client_name':'a\\nb'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':'a\\rb'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':'a\\tb'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':'\\u0001'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':'a\\u001bb'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':'a\\u001f'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':'a\\u007f'}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':5}", WHY_NAME);
    meta_bad(p, "{" REDIRECT ",'client_name':['a']}", WHY_NAME);
    /* at most 200 characters, counted in characters, not bytes */
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                            repeat(p, "x", 201), "'}", NULL), WHY_NAME);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                            repeat(p, "x", 801), "'}", NULL), WHY_NAME);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                            repeat(p, "\xc3\xa9", 201), "'}", NULL),
             WHY_NAME);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                            repeat(p, "\xf0\x9f\x94\x91", 201), "'}", NULL),
             WHY_NAME);
    c = valid(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                             repeat(p, "x", 200), "'}", NULL));
    assert_int_equal(strlen(c->client_name), 200);
    c = valid(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                             repeat(p, "\xc3\xa9", 200), "'}", NULL));
    assert_int_equal(strlen(c->client_name), 400);
    c = valid(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                             repeat(p, "\xf0\x9f\x94\x91", 200), "'}",
                             NULL));
    assert_int_equal(strlen(c->client_name), 800);
    /* escaped in JSON, the same characters */
    c = valid(p, apr_pstrcat(p, "{" REDIRECT ",'client_name':'",
                             repeat(p, "\\u00e9", 200), "'}", NULL));
    assert_int_equal(strlen(c->client_name), 400);
    c = valid(p, "{" REDIRECT ",'client_name':'Space \\u0020 ok ~'}");
    assert_string_equal(c->client_name, "Space   ok ~");
    c = valid(p, "{" REDIRECT ",'client_name':''}");
    assert_string_equal(c->client_name, "");
}

static void test_refused_uris(void **state)
{
    apr_pool_t *p = *state;
    const char *logo = "logo_uri must be an https URL";
    const char *client = "client_uri must be an https URL";

    meta_bad(p, "{" REDIRECT ",'logo_uri':'http://cdn.example/l.png'}",
             logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':'http://127.0.0.1.cdn.example/"
                "l.png'}", logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':'data:image/png;base64,AAAA'}",
             logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':'javascript:alert(1)'}", logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':'//cdn.example/l.png'}", logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':'https://cdn.example/l.png#x'}",
             logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':''}", logo);
    meta_bad(p, "{" REDIRECT ",'logo_uri':true}", logo);
    meta_bad(p, "{" REDIRECT ",'client_uri':'http://app.example/'}",
             client);
    meta_bad(p, "{" REDIRECT ",'client_uri':'ftp://app.example/'}", client);
    meta_bad(p, "{" REDIRECT ",'client_uri':{}}", client);
}

static void test_refused_contacts(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c;

    meta_bad(p, "{" REDIRECT ",'contacts':'ops@app.example'}", WHY_CONTACTS);
    meta_bad(p, "{" REDIRECT ",'contacts':[1]}", WHY_CONTACTS);
    meta_bad(p, "{" REDIRECT ",'contacts':['']}", WHY_CONTACTS);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'contacts':[",
                            list(p, 11, "c%d@app.example"), "]}", NULL),
             WHY_CONTACTS);
    c = valid(p, apr_pstrcat(p, "{" REDIRECT ",'contacts':[",
                             list(p, 10, "c%d@app.example"), "]}", NULL));
    assert_int_equal(c->contacts->nelts, 10);
    assert_string_equal(str_at(c->contacts, 9), "c9@app.example");
    /* at most 256 bytes each */
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'contacts':['",
                            repeat(p, "c", 257), "']}", NULL), WHY_CONTACTS);
    c = valid(p, apr_pstrcat(p, "{" REDIRECT ",'contacts':['",
                             repeat(p, "c", 256), "']}", NULL));
    assert_int_equal(strlen(str_at(c->contacts, 0)), 256);
}

static void test_refused_scope(void **state)
{
    apr_pool_t *p = *state;
    const char *imm = OA2_ERR_INVALID_CLIENT_METADATA;
    oa2_client_t *c;

    meta_bad(p, "{" REDIRECT ",'scope':5}", WHY_SCOPE);
    meta_bad(p, "{" REDIRECT ",'scope':['read']}", WHY_SCOPE);
    meta_bad(p, "{" REDIRECT ",'scope':'caf\\u00e9'}", WHY_SCOPE);
    meta_bad(p, "{" REDIRECT ",'scope':'a\\\\b'}", WHY_SCOPE);
    meta_bad(p, "{" REDIRECT ",'scope':'read\\twrite'}", WHY_SCOPE);
    meta_bad(p, apr_pstrcat(p, "{" REDIRECT ",'scope':'",
                            repeat(p, "s", 4097), "'}", NULL), WHY_SCOPE);

    /* only declared scopes, when the server declares them */
    refused_with(p, "{" REDIRECT ",'scope':'read admin'}", ALL_GRANTS,
                 "read write", imm,
                 "scope \"admin\" is not declared on this server");
    refused_with(p, "{" REDIRECT ",'scope':'read'}", ALL_GRANTS, "", imm,
                 "scope \"read\" is not declared on this server");
    refused_with(p, "{" REDIRECT ",'scope':'Read'}", ALL_GRANTS, "read",
                 imm, "scope \"Read\" is not declared on this server");
    c = valid_with(p, "{" REDIRECT ",'scope':'write read write'}",
                   ALL_GRANTS, "read write");
    assert_string_equal(oa2_scope_join(p, c->scope), "read write");
    c = valid_with(p, "{" REDIRECT "}", ALL_GRANTS, "read write");
    assert_int_equal(oa2_scope_count(c->scope), 0);
    /* with no registry any valid scope is fine */
    c = valid_with(p, "{" REDIRECT ",'scope':'anything at:all'}",
                   ALL_GRANTS, NULL);
    assert_string_equal(oa2_scope_join(p, c->scope), "anything at:all");
}

static void test_refused_require_pkce(void **state)
{
    apr_pool_t *p = *state;
    const char *why = "require_pkce must be a boolean";

    meta_bad(p, "{" REDIRECT ",'require_pkce':'true'}", why);
    meta_bad(p, "{" REDIRECT ",'require_pkce':1}", why);
    meta_bad(p, "{" REDIRECT ",'require_pkce':'false'}", why);
    meta_bad(p, "{" REDIRECT ",'require_pkce':[true]}", why);
}

/* ---- the stored form --------------------------------------------------- */

static void same_strings(const apr_array_header_t *a,
                         const apr_array_header_t *b)
{
    int i;

    assert_int_equal(a->nelts, b->nelts);
    for (i = 0; i < a->nelts; i++) {
        assert_string_equal(str_at(a, i), str_at(b, i));
    }
}

static void same_opt(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        assert_null(a);
        assert_null(b);
        return;
    }
    assert_string_equal(a, b);
}

static void same_client(apr_pool_t *p, const oa2_client_t *a,
                        const oa2_client_t *b)
{
    same_opt(a->client_name, b->client_name);
    same_strings(a->redirect_uris, b->redirect_uris);
    assert_int_equal(a->grant_types, b->grant_types);
    assert_int_equal(a->response_types, b->response_types);
    assert_string_equal(a->auth_method, b->auth_method);
    assert_string_equal(oa2_scope_join(p, a->scope),
                        oa2_scope_join(p, b->scope));
    same_opt(a->jwks, b->jwks);
    same_opt(a->jwks_uri, b->jwks_uri);
    same_opt(a->logo_uri, b->logo_uri);
    same_opt(a->client_uri, b->client_uri);
    same_strings(a->contacts, b->contacts);
    assert_int_equal(a->require_pkce, b->require_pkce);
}

/* to_json, then from_text: the same client and the same text again */
static void round_trip(apr_pool_t *p, const oa2_client_t *c,
                       const char *want)
{
    const char *text = oa2_json_text(p, oa2_client_to_json(p, c));
    oa2_client_t *back = NULL;

    assert_string_equal(text, quotes(p, want));
    assert_int_equal(oa2_client_from_text(p, text, &back), APR_SUCCESS);
    assert_non_null(back);
    same_client(p, c, back);
    assert_string_equal(oa2_json_text(p, oa2_client_to_json(p, back)),
                        text);
}

static void test_stored_form_minimal(void **state)
{
    apr_pool_t *p = *state;

    round_trip(p, valid(p, "{" CC_ONLY "}"),
               "{'redirect_uris':[],'grant_types':['client_credentials'],"
               "'response_types':[],'token_endpoint_auth_method':"
               "'client_secret_basic','scope':''}");
    round_trip(p, valid(p, "{" REDIRECT "}"),
               "{'redirect_uris':[" CB "],'grant_types':"
               "['authorization_code'],'response_types':['code'],"
               "'token_endpoint_auth_method':'client_secret_basic',"
               "'scope':''}");
}

static void test_stored_form_full(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c = valid(
        p, "{'require_pkce':true,'software_id':'dropped',"
           "'contacts':['ops@app.example','dev@app.example'],"
           "'client_uri':'https://app.example/',"
           "'logo_uri':'https://app.example/l.png','jwks':" JWKS ","
           "'scope':'write read','token_endpoint_auth_method':"
           "'private_key_jwt','grant_types':['implicit','refresh_token',"
           "'authorization_code','" OA2_GRANT_NAME_JWT_BEARER "'],"
           "'redirect_uris':[" CB ",'com.example.app:/cb'],"
           "'client_name':'Caf\\u00e9 & <Co> \\\"d\\\" \\u002f'}");

    /* fixed member order, grants in flag order, normalised scope */
    round_trip(p, c,
               "{'client_name':'Caf\xc3\xa9 & <Co> \\\"d\\\" /',"
               "'redirect_uris':[" CB ",'com.example.app:/cb'],"
               "'grant_types':['authorization_code','refresh_token','"
               OA2_GRANT_NAME_JWT_BEARER "','implicit'],'response_types':"
               "['code','token'],'token_endpoint_auth_method':"
               "'private_key_jwt','scope':'read write','jwks':" JWKS ","
               "'logo_uri':'https://app.example/l.png','client_uri':"
               "'https://app.example/','contacts':['ops@app.example',"
               "'dev@app.example'],'require_pkce':true}");

    c = valid(p, "{" REDIRECT ",'token_endpoint_auth_method':'none',"
                 "'jwks_uri':'https://app.example/jwks'}");
    round_trip(p, c,
               "{'redirect_uris':[" CB "],'grant_types':"
               "['authorization_code'],'response_types':['code'],"
               "'token_endpoint_auth_method':'none','scope':'',"
               "'jwks_uri':'https://app.example/jwks'}");
}

/* The stored form is re-read with every grant allowed and no scope
 * registry: a server whose settings changed still loads its clients. */
static void test_from_text(void **state)
{
    apr_pool_t *p = *state;
    oa2_client_t *c = NULL;

    assert_int_equal(oa2_client_from_text(
        p, quotes(p, "{'grant_types':['password'],'scope':'legacy'}"), &c),
        APR_SUCCESS);
    assert_int_equal(c->grant_types, OA2_GRANT_PASSWORD);
    assert_string_equal(oa2_scope_join(p, c->scope), "legacy");

    c = NULL;
    assert_int_equal(oa2_client_from_text(p, "", &c), APR_EINVAL);
    assert_int_equal(oa2_client_from_text(p, "not json", &c), APR_EINVAL);
    assert_int_equal(oa2_client_from_text(p, "[]", &c), APR_EINVAL);
    assert_int_equal(oa2_client_from_text(p, "{} x", &c), APR_EINVAL);
    assert_int_equal(oa2_client_from_text(p, "{}", &c), APR_EINVAL);
    assert_int_equal(oa2_client_from_text(
        p, quotes(p, "{'grant_types':'password'}"), &c), APR_EINVAL);
    assert_null(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_grant_names),
        UNIT_TEST(test_grant_list_parse),
        UNIT_TEST(test_grant_list_text),
        UNIT_TEST(test_defaults),
        UNIT_TEST(test_response_types_derived),
        UNIT_TEST(test_auth_methods),
        UNIT_TEST(test_full_metadata),
        UNIT_TEST(test_refused_body),
        UNIT_TEST(test_refused_grants),
        UNIT_TEST(test_refused_response_types),
        UNIT_TEST(test_refused_not_enabled),
        UNIT_TEST(test_refused_auth),
        UNIT_TEST(test_refused_redirects),
        UNIT_TEST(test_refused_keys),
        UNIT_TEST(test_refused_client_name),
        UNIT_TEST(test_refused_uris),
        UNIT_TEST(test_refused_contacts),
        UNIT_TEST(test_refused_scope),
        UNIT_TEST(test_refused_require_pkce),
        UNIT_TEST(test_stored_form_minimal),
        UNIT_TEST(test_stored_form_full),
        UNIT_TEST(test_from_text),
    };

    return UNIT_RUN(tests);
}
