/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_config: mod_oauth2_rs configuration: structs, directive names, getters that apply defaults. */
#ifndef RS_CONFIG_H
#define RS_CONFIG_H

#include <httpd.h>
#include <http_config.h>
#include <ap_socache.h>

#include "oa2_jose.h"

/* Directive names, written once for the command table and the messages. */
#define RS_ISSUER          "OAuthRSIssuer"
#define RS_AUDIENCE        "OAuthRSAudience"
#define RS_JWKS            "OAuthRSJWKS"
#define RS_VERIFY_KEY      "OAuthRSVerifyKey"
#define RS_CACHE           "OAuthRSCache"
#define RS_CACHE_TTL       "OAuthRSCacheTTL"
#define RS_PASS_CLAIMS_AS  "OAuthRSPassClaimsAs"
#define RS_ACCEPT_TOKEN_IN "OAuthRSAcceptTokenIn"
#define RS_REQUIRE_SCOPE   "OAuthRequireScope"
#define RS_ALGORITHMS      "OAuthRSAlgorithms"
#define RS_REALM           "OAuthRSRealm"
#define RS_INTROSPECT      "OAuthRSIntrospect"
#define RS_INTROSPECT_CACHE_TTL "OAuthRSIntrospectCacheTTL"

#define RS_AUTH_TYPE "Bearer"

/* Where tokens are accepted from (OAuthRSAcceptTokenIn). */
#define RS_TOKEN_IN_HEADER 0x1
#define RS_TOKEN_IN_FORM   0x2
#define RS_TOKEN_IN_QUERY  0x4

/* How claims are passed on (OAuthRSPassClaimsAs). */
#define RS_PASS_ENV     0x1
#define RS_PASS_HEADERS 0x2
#define RS_PASS_NONE    0x4

/** Per-directory configuration. Unset: NULL pointers, -1 numbers. */
typedef struct oauth2_rs_dir_conf {
    const char *issuer;
    apr_array_header_t *audiences;     /* const char * */
    const char *jwks_url;              /* http(s) JWKS, fetched at run time */
    apr_array_header_t *static_keys;   /* oa2_jwk_t *: file: JWKS and PEMs */
    apr_array_header_t *require_scope; /* const char *: all required */
    int token_in;                      /* RS_TOKEN_IN_* */
    int pass_as;                       /* RS_PASS_* */
    int algs;                          /* OA2_ALG_* */
    const char *realm;
    const char *introspect_url;        /* OAuthRSIntrospect */
    const char *introspect_id;
    const char *introspect_secret;
    apr_interval_time_t introspect_ttl; /* -1: unset */
} oauth2_rs_dir_conf;

/** Per-server configuration. */
typedef struct oauth2_rs_srv_conf {
    const char *cache_spec;            /* "shm[:entries]", "provider[:args]"
                                        * or "none"; NULL: "shm" */
    apr_interval_time_t cache_ttl;     /* -1: unset */

    /* Set up in post_config: the built-in table, or an ap_socache. */
    struct oa2_slotcache_t *slots;
    const ap_socache_provider_t *cache;
    ap_socache_instance_t *cache_inst;
} oauth2_rs_srv_conf;

extern const command_rec oauth2_rs_cmds[];

void *oauth2_rs_create_dir_conf(apr_pool_t *p, char *dir);
void *oauth2_rs_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
void *oauth2_rs_create_srv_conf(apr_pool_t *p, server_rec *s);
void *oauth2_rs_merge_srv_conf(apr_pool_t *p, void *basev, void *addv);

oauth2_rs_dir_conf *oauth2_rs_dir(request_rec *r);
oauth2_rs_srv_conf *oauth2_rs_srv(server_rec *s);

/** @return RS_TOKEN_IN_* (default header only) */
int oauth2_rs_token_in(const oauth2_rs_dir_conf *d);

/** @return RS_PASS_* (default env) */
int oauth2_rs_pass_as(const oauth2_rs_dir_conf *d);

/** @return allowed algorithms (default all we implement) */
unsigned int oauth2_rs_algs(const oauth2_rs_dir_conf *d);

/** @return the realm of challenges (default AuthName, else "oauth2") */
const char *oauth2_rs_realm(request_rec *r, const oauth2_rs_dir_conf *d);

/** @return seconds a verified token stays cached at most (default 300) */
apr_int64_t oauth2_rs_cache_ttl(const oauth2_rs_srv_conf *s);

/** @return seconds an introspection result stays cached (default 30) */
apr_int64_t oauth2_rs_introspect_ttl(const oauth2_rs_dir_conf *d);

/** @return non-zero when the location has something for us to validate */
int oauth2_rs_has_keys(const oauth2_rs_dir_conf *d);

#endif
