/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_config: mod_oauth2_as configuration: structs, directive names, getters that apply defaults. */
#ifndef AS_CONFIG_H
#define AS_CONFIG_H

#include <httpd.h>
#include <http_config.h>
#include <http_request.h>
#include <mod_auth.h>

#include "oa2_jose.h"
#include "oa2_scope.h"

/* Directive names, written once for the command table and the messages. */
#define AS_ISSUER               "OAuthASIssuer"
#define AS_SIGNING_KEY          "OAuthASSigningKey"
#define AS_SECRET               "OAuthASSecret"
#define AS_SCOPE                "OAuthASScope"
#define AS_ACCESS_TOKEN_LIFETIME "OAuthASAccessTokenLifetime"
#define AS_DEFAULT_AUDIENCE     "OAuthASDefaultAudience"
#define AS_GRANT_TYPES          "OAuthASGrantTypes"
#define AS_CODE_LIFETIME        "OAuthASCodeLifetime"
#define AS_REFRESH_TOKEN_LIFETIME "OAuthASRefreshTokenLifetime"
#define AS_REQUIRE_PKCE         "OAuthASRequirePKCE"
#define AS_PKCE_PLAIN           "OAuthASPKCEPlain"
#define AS_CONSENT_TEMPLATE     "OAuthASConsentTemplate"
#define AS_ACCESS_TOKEN_FORMAT  "OAuthASAccessTokenFormat"
#define AS_PASSWORD_PROVIDER    "OAuthASPasswordProvider"
#define AS_PASSWORD_RATE_LIMIT  "OAuthASPasswordRateLimit"
#define AS_JWT_BEARER_ISSUER    "OAuthASJWTBearerIssuer"
#define AS_ASSERTION_MAX_LIFETIME "OAuthASAssertionMaxLifetime"
#define AS_SAML_TRUST           "OAuthASSAMLTrust"
#define AS_STYLESHEET           "OAuthASStylesheet"
#define AS_PURGE_INTERVAL       "OAuthASPurgeInterval"
#define AS_CLIENT_AUTH_RATE_LIMIT "OAuthASClientAuthRateLimit"
#define AS_CLIENT_CACHE_TTL     "OAuthASClientCacheTTL"

/* Secrets shorter than this refuse startup (DESIGN.md §8). */
#define AS_SECRET_MIN_LEN 32

/* OAuthASAccessTokenFormat */
#define AS_FORMAT_JWT 0
#define AS_FORMAT_OPAQUE 1

/** One declared scope (OAuthASScope). */
typedef struct oauth2_as_scope_def {
    const char *name;
    const char *text;
} oauth2_as_scope_def;

/** A trusted issuer of JWT bearer assertions (OAuthASJWTBearerIssuer). */
typedef struct oauth2_as_jwt_issuer {
    const char *issuer;
    apr_array_header_t *keys;          /* oa2_jwk_t * */
} oauth2_as_jwt_issuer;

/** An authn provider for the password grant (OAuthASPasswordProvider). */
typedef struct oauth2_as_password_provider {
    const char *name;
    const authn_provider *provider;
} oauth2_as_password_provider;

/** Per-directory configuration (the location of the handler). */
typedef struct oauth2_as_dir_conf {
    apr_array_header_t *password_providers;  /* oauth2_as_password_provider */
} oauth2_as_dir_conf;

/** Per-server configuration. Unset: NULL pointers, -1 numbers. */
typedef struct oauth2_as_srv_conf {
    const char *issuer;
    apr_array_header_t *keys;          /* oa2_jwk_t *: the first one signs */
    const unsigned char *secret;       /* OAuthASSecret bytes */
    apr_size_t secret_len;
    apr_array_header_t *scopes;        /* oauth2_as_scope_def */
    apr_interval_time_t access_token_lifetime;   /* -1: unset */
    const char *default_audience;
    int grant_types;                   /* OA2_GRANT_* mask, -1: unset */
    apr_interval_time_t code_lifetime;           /* -1: unset */
    apr_interval_time_t refresh_token_lifetime;  /* -1: unset */
    int require_pkce;                  /* -1: unset */
    int pkce_plain;                    /* -1: unset */
    int token_format;                  /* AS_FORMAT_*, -1: unset */
    int password_max_failures;         /* -1: unset */
    apr_interval_time_t password_window;         /* -1: unset */
    apr_array_header_t *jwt_issuers;   /* oauth2_as_jwt_issuer */
    apr_interval_time_t assertion_max_lifetime;  /* -1: unset */
    apr_array_header_t *saml_idps;     /* oa2_saml_idp_t * */
    const char *consent_template;      /* the file, NULL: built in */
    const char *stylesheet;            /* URL path of the pages' CSS */
    apr_interval_time_t purge_interval;  /* -1: unset, 0: never */
    int client_auth_max_failures;      /* -1: unset */
    apr_interval_time_t client_auth_window;      /* -1: unset */
    apr_interval_time_t client_cache_ttl;        /* -1: unset, 0: off */
    struct oa2_tmpl_t *consent_tmpl;   /* parsed from that file */

    /* Derived in post_config, read-only afterwards. */
    oa2_scope_t *declared;             /* the scope registry as a set */
    const char *base_path;             /* Location of SetHandler oauth2-as */
    const char *jwks_text;             /* the JWKS document */
    const char *metadata_text;         /* RFC 8414 document */
    const char *well_known_path;       /* where the metadata is served */
    const char *endpoint_base;         /* issuer origin + base_path */
    const char *token_endpoint;        /* absolute URL */
    apr_array_header_t *assertion_audiences;  /* issuer, token endpoint */
} oauth2_as_srv_conf;

extern const command_rec oauth2_as_cmds[];

void *oauth2_as_create_dir_conf(apr_pool_t *p, char *dir);
void *oauth2_as_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
void *oauth2_as_create_srv_conf(apr_pool_t *p, server_rec *s);
void *oauth2_as_merge_srv_conf(apr_pool_t *p, void *basev, void *addv);

/** @return the server's configuration */
oauth2_as_srv_conf *oauth2_as_srv(const server_rec *s);

/** @return non-zero when the AS is configured for this server */
int oauth2_as_enabled(const oauth2_as_srv_conf *conf);

/** @return access token lifetime in seconds (default 3600) */
apr_int64_t oauth2_as_access_token_lifetime(const oauth2_as_srv_conf *conf);

/** @return the request's directory configuration */
oauth2_as_dir_conf *oauth2_as_dir(request_rec *r);

/** @return failed password attempts allowed per window (default 5) */
int oauth2_as_password_max_failures(const oauth2_as_srv_conf *conf);

/** @return the throttling window in seconds (default 600) */
apr_int64_t oauth2_as_password_window(const oauth2_as_srv_conf *conf);

/** @return the longest accepted assertion lifetime in seconds (default
 *          3600) */
apr_int64_t oauth2_as_assertion_max_lifetime(const oauth2_as_srv_conf *conf);

/** @return the trusted JWT issuer named iss, or NULL */
const oauth2_as_jwt_issuer *oauth2_as_jwt_issuer_find(
    const oauth2_as_srv_conf *conf, const char *iss);

/** @return the URL of the stylesheet the HTML pages link (default: the
 *          module's own, <base>/static/oauth2.css) */
const char *oauth2_as_stylesheet(apr_pool_t *p, const oauth2_as_srv_conf *c);

/** @return failed client authentications allowed per client and per
 *          address within the window (default 10) */
int oauth2_as_client_auth_max_failures(const oauth2_as_srv_conf *conf);

/** @return the client authentication throttling window (default 600 s) */
apr_int64_t oauth2_as_client_auth_window(const oauth2_as_srv_conf *conf);

/** @return seconds between purges of expired rows (default 3600; 0 off) */
apr_int64_t oauth2_as_purge_interval(const oauth2_as_srv_conf *conf);

/** @return how long, in seconds, a process may reuse a client record
 *          read for authentication (default 5, 0: never) */
apr_int64_t oauth2_as_client_cache_ttl(const oauth2_as_srv_conf *conf);

/** @return AS_FORMAT_JWT (default) or AS_FORMAT_OPAQUE */
int oauth2_as_token_format(const oauth2_as_srv_conf *conf);

/** @return code lifetime in seconds (default 60) */
apr_int64_t oauth2_as_code_lifetime(const oauth2_as_srv_conf *conf);

/** @return refresh token lifetime in seconds (default 14 days) */
apr_int64_t oauth2_as_refresh_token_lifetime(const oauth2_as_srv_conf *conf);

/** @return non-zero when PKCE is required of every client (default off;
 *          public clients always need it) */
int oauth2_as_require_pkce(const oauth2_as_srv_conf *conf);

/** @return non-zero when code_challenge_method=plain is accepted */
int oauth2_as_pkce_plain(const oauth2_as_srv_conf *conf);

/** @return enabled grants (default OA2_GRANT_DEFAULTS) */
unsigned int oauth2_as_grant_types(const oauth2_as_srv_conf *conf);

/** @return the key that signs tokens */
const oa2_jwk_t *oauth2_as_signing_key(const oauth2_as_srv_conf *conf);

/** @return the consent text of a declared scope, or NULL */
const char *oauth2_as_scope_text(const oauth2_as_srv_conf *conf,
                                 const char *name);

#endif
