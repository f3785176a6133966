/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_private: what the files of mod_oauth2_rs share: the module, log tags, the per-request token context. */
#ifndef RS_PRIVATE_H
#define RS_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <json-c/json.h>

#include "oa2_claims.h"
#include "oa2_error.h"
#include "oa2_scope.h"
#include "rs_config.h"

/* Our own log tags (STYLE.md §5): OA2xxxx for the RS. */
#define OA2LOGNO(n) "OA" #n ": "

extern module AP_MODULE_DECLARE_DATA oauth2_rs_module;
#ifndef RS_DECLARES_MODULE
APLOG_USE_MODULE(oauth2_rs);
#endif

/** The outcome of validating the request's token, kept for the request. */
typedef struct oauth2_rs_token {
    int status;                 /* OK, or the HTTP status of the failure */
    oa2_err_t err;              /* when status is 400/401/403/503 */
    int no_token;               /* no token was presented */
    oa2_claims_t *claims;       /* the verified claims, digested */
    json_object *json;          /* the same as JSON: parsed when a rule
                                 * needs it (oauth2_rs_token_json) */
    oa2_scope_t *scope;         /* the token's scope */
    const char *user;           /* sub, else client_id */
    const char *missing_scope;  /* for insufficient_scope challenges */
} oauth2_rs_token;

/* ---- rs_authn.c ---- */

/**
 * Finds and validates the token of this request against the location's
 * rules (keys, issuer, audience, lifetime), at most once per request and
 * location; sets r->user and passes the claims on when valid.
 * @return the context, never NULL (allocated from r->pool)
 */
oauth2_rs_token *oauth2_rs_authenticate(request_rec *r,
                                        const oauth2_rs_dir_conf *d);

/**
 * Sends the RFC 6750 §3 challenge of a failed context.
 * @return the status to return from the hook
 */
int oauth2_rs_deny(request_rec *r, const oauth2_rs_dir_conf *d,
                   oauth2_rs_token *t);

/** @return the context already computed for r, or NULL */
oauth2_rs_token *oauth2_rs_token_of(request_rec *r);

/** @return the verified claims of a valid token as a JSON object (parsed
 *          at the first call), or NULL */
json_object *oauth2_rs_token_json(request_rec *r, oauth2_rs_token *t);

/* ---- rs_authz.c ---- */
void oauth2_rs_register_authz(apr_pool_t *p);

/** @return the first required scope the token lacks, or NULL */
const char *oauth2_rs_missing_scope(const oauth2_rs_token *t,
                                    const apr_array_header_t *required);

/* ---- rs_keys.c: keys for a location ---- */

/**
 * The keys a location accepts: its static keys plus the current keys of
 * its JWKS URL (fetched when missing; refetched on an unknown kid when
 * `refresh` and not fetched in the last few seconds).
 * @param keys array of const oa2_jwk_t *, allocated from r->pool
 * @return APR_SUCCESS, or APR_EGENERAL when no key can be had (logged)
 */
apr_status_t oauth2_rs_keys(request_rec *r, const oauth2_rs_dir_conf *d,
                            int refresh, apr_array_header_t **keys);

/** child_init: the per-process JWKS registry. */
void oauth2_rs_keys_child_init(apr_pool_t *p);

/* ---- rs_cache.c: the shared validation cache ---- */

/* The built-in table ("shm[:entries]"): its bounds and default size. */
#define RS_CACHE_SHM_MIN 64
#define RS_CACHE_SHM_MAX 1048576
#define RS_CACHE_SHM_DEFAULT 4096

/**
 * Reads an OAuthRSCache argument that names the built-in table.
 * @param entries receives the number of entries (may be NULL)
 * @return APR_SUCCESS for a valid "shm[:entries]", APR_EINVAL for an
 *         invalid one, APR_NOTFOUND when spec names something else
 */
apr_status_t oauth2_rs_cache_shm_entries(const char *spec,
                                         apr_size_t *entries);

/** post_config: creates the server's cache (table or socache instance). */
apr_status_t oauth2_rs_cache_post_config(apr_pool_t *pconf,
                                         apr_pool_t *ptemp, server_rec *s);

/** child_init: re-attaches the global mutex. */
void oauth2_rs_cache_child_init(apr_pool_t *p, server_rec *s);

/** pre_config: registers the mutex type. */
void oauth2_rs_cache_pre_config(apr_pool_t *pconf);

/**
 * Looks up a verified token by the SHA-256 of its text.
 * @param thumbprint what verified it: "<key thumbprint> <alg>"
 * @param payload what was stored (oa2_claims_text), a copy in r->pool
 * @return APR_SUCCESS or APR_NOTFOUND
 */
apr_status_t oauth2_rs_cache_get(request_rec *r, const unsigned char *hash,
                                 const char **thumbprint, char **payload);

/**
 * Remembers a verified token until `expiry` (seconds since the epoch).
 */
void oauth2_rs_cache_put(request_rec *r, const unsigned char *hash,
                         apr_int64_t expiry, const char *thumbprint,
                         const char *payload);

/* ---- rs_introspect.c ---- */

/**
 * Validates a token by introspection (OAuthRSIntrospect), reusing a cached
 * answer for at most OAuthRSIntrospectCacheTTL and never past its exp.
 * @param claims the introspection response of an active token, when the
 *        AS was asked (NULL when the answer was cached)
 * @param digest its digest (NULL only when claims has a malformed time
 *        claim, which the location's checks refuse)
 * @return OK, HTTP_UNAUTHORIZED (inactive) or HTTP_SERVICE_UNAVAILABLE
 *         (the AS cannot be reached; logged), with t->err filled
 */
int oauth2_rs_introspect(request_rec *r, const oauth2_rs_dir_conf *d,
                         const char *token, oauth2_rs_token *t,
                         json_object **claims, oa2_claims_t **digest);

/* ---- rs_pass.c ---- */

/** Removes incoming OAuth2-Claim-* headers so backends cannot be fooled. */
void oauth2_rs_strip_claim_headers(request_rec *r);

/** Exports claims as OAUTH2_CLAIM_* env vars and/or OAuth2-Claim-* headers. */
void oauth2_rs_pass_claims(request_rec *r, const oauth2_rs_dir_conf *d,
                           const oa2_claims_t *claims);

#endif
