/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_client: client metadata (RFC 7591 §2): validation, defaults and the stored JSON form. */
#ifndef OA2_CLIENT_H
#define OA2_CLIENT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>

#include "oa2_error.h"
#include "oa2_scope.h"

/* Grant types as bit flags (OAuthASGrantTypes, client grant_types). */
#define OA2_GRANT_AUTHORIZATION_CODE 0x01u
#define OA2_GRANT_REFRESH_TOKEN      0x02u
#define OA2_GRANT_CLIENT_CREDENTIALS 0x04u
#define OA2_GRANT_PASSWORD           0x08u
#define OA2_GRANT_JWT_BEARER         0x10u
#define OA2_GRANT_SAML2_BEARER       0x20u
#define OA2_GRANT_IMPLICIT           0x40u

#define OA2_GRANT_NAME_JWT_BEARER \
    "urn:ietf:params:oauth:grant-type:jwt-bearer"
#define OA2_GRANT_NAME_SAML2_BEARER \
    "urn:ietf:params:oauth:grant-type:saml2-bearer"

/* The server-wide default of OAuthASGrantTypes (DESIGN.md §8). */
#define OA2_GRANT_DEFAULTS (OA2_GRANT_AUTHORIZATION_CODE \
                            | OA2_GRANT_REFRESH_TOKEN \
                            | OA2_GRANT_CLIENT_CREDENTIALS)

/* response_types as bit flags */
#define OA2_RESPONSE_CODE  0x01u
#define OA2_RESPONSE_TOKEN 0x02u

/* token_endpoint_auth_method values */
#define OA2_AUTH_SECRET_BASIC   "client_secret_basic"
#define OA2_AUTH_SECRET_POST    "client_secret_post"
#define OA2_AUTH_PRIVATE_KEY_JWT "private_key_jwt"
#define OA2_AUTH_NONE           "none"

#define OA2_CLIENT_MAX_REDIRECT_URIS 20
#define OA2_CLIENT_MAX_CONTACTS 10
#define OA2_CLIENT_MAX_NAME 200

/** A client's registered metadata, validated and normalised. */
typedef struct oa2_client_t {
    const char *client_name;
    apr_array_header_t *redirect_uris;   /* const char * */
    unsigned int grant_types;            /* OA2_GRANT_* */
    unsigned int response_types;         /* OA2_RESPONSE_* */
    const char *auth_method;             /* OA2_AUTH_* */
    oa2_scope_t *scope;                  /* scopes the client may request */
    const char *jwks;                    /* JWKS text, or NULL */
    const char *jwks_uri;
    const char *logo_uri;
    const char *client_uri;
    apr_array_header_t *contacts;        /* const char * */
    int require_pkce;                    /* PKCE required even if confidential */
} oa2_client_t;

/**
 * @return the RFC 7591 name of one grant flag
 */
const char *oa2_grant_name(unsigned int grant);

/**
 * @return the flag for a grant_type name, or 0 when unknown
 */
unsigned int oa2_grant_from_name(const char *name);

/**
 * Parses a space-separated list of grant names.
 * @param bad the first unknown name on failure
 */
apr_status_t oa2_grant_list_parse(apr_pool_t *p, const char *list,
                                  unsigned int *grants, const char **bad);

/**
 * The names of the flags set, space-separated, in a fixed order.
 */
const char *oa2_grant_list_text(apr_pool_t *p, unsigned int grants);

/**
 * Validates RFC 7591 metadata and applies defaults. Unknown members are
 * ignored (RFC 7591 §2).
 * @param meta the request's JSON object
 * @param enabled grant types the server allows (OAuthASGrantTypes)
 * @param declared the declared scopes (OAuthASScope)
 * @param err invalid_client_metadata / invalid_redirect_uri on failure
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_client_validate(apr_pool_t *p, json_object *meta,
                                 unsigned int enabled,
                                 const oa2_scope_t *declared,
                                 oa2_client_t **out, oa2_err_t *err);

/**
 * The normalised metadata as a JSON object (the stored form, and the body
 * of registration responses before credentials are added).
 * @param p pool that owns the object
 */
json_object *oa2_client_to_json(apr_pool_t *p, const oa2_client_t *c);

/**
 * Reads back the stored form (already validated when stored; trusted).
 * @return APR_SUCCESS or APR_EINVAL when the text is not usable
 */
apr_status_t oa2_client_from_text(apr_pool_t *p, const char *text,
                                  oa2_client_t **out);

/**
 * @return non-zero for a public client (token_endpoint_auth_method none)
 */
int oa2_client_is_public(const oa2_client_t *c);

#endif
