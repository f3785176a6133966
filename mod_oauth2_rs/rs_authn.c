/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_authn: finding the bearer token (RFC 6750 §2), validating it (cache, JWS, claims) and the §3 challenges. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>

#include "oa2_claims.h"
#include "oa2_form.h"
#include "oa2_json.h"
#include "oa2_jwt.h"
#include "oa2_token.h"
#include "rs_private.h"

/* Clock skew allowed on exp/nbf/iat. */
#define RS_LEEWAY 30

static int fail(oauth2_rs_token *t, int status, const char *error,
                const char *why)
{
    t->status = status;
    oa2_err_set(&t->err, status, error, why);
    return status;
}

/* RFC 6750 §2.1 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+"
 * / "/" ) *"=" */
static int b64token_valid(const char *s)
{
    const char *c = s;

    while (*c != '\0' && (apr_isalnum(*c) || strchr("-._~+/", *c))) {
        c++;
    }
    if (c == s) {
        return 0;
    }
    while (*c == '=') {
        c++;
    }
    return *c == '\0';
}

/* Reads access_token from the query string (RFC 6750 §2.3). */
static const char *query_token(request_rec *r, int *dup)
{
    const char *args = r->args, *found = NULL;

    while (args != NULL && *args) {
        const char *amp = strchr(args, '&');
        apr_size_t n = amp ? (apr_size_t)(amp - args) : strlen(args);
        if (n > 13 && strncmp(args, "access_token=", 13) == 0) {
            char *v = apr_pstrmemdup(r->pool, args + 13, n - 13);
            if (found != NULL || ap_unescape_urlencoded(v) != OK) {
                *dup = 1;
            }
            found = v;
        }
        args = amp ? amp + 1 : NULL;
    }
    return found;
}

/* Finds the token where the location accepts it; two places is an error. */
static const char *find_token(request_rec *r, const oauth2_rs_dir_conf *d,
                              oauth2_rs_token *t)
{
    int in = oauth2_rs_token_in(d), n = 0, dup = 0;
    const char *h = apr_table_get(r->headers_in, "Authorization");
    const char *token = NULL, *q;

    if (h != NULL && strncasecmp(h, "Bearer", 6) == 0
        && (h[6] == ' ' || h[6] == '\0')) {
        if (!(in & RS_TOKEN_IN_HEADER)) {
            fail(t, HTTP_BAD_REQUEST, OA2_ERR_INVALID_REQUEST,
                 "tokens are not accepted in the header here");
            return NULL;
        }
        token = h + 6;
        while (*token == ' ') {
            token++;
        }
        if (!b64token_valid(token)) {
            fail(t, HTTP_BAD_REQUEST, OA2_ERR_INVALID_REQUEST,
                 "malformed Authorization header");
            return NULL;
        }
        n++;
    }
    if (in & RS_TOKEN_IN_QUERY) {
        q = query_token(r, &dup);
        if (q != NULL) {
            token = q;
            n++;
            /* the access log prints the request line and the query */
            r->args = apr_pstrdup(r->pool, oa2_form_redact(
                r->pool, r->args, "access_token"));
            r->the_request = apr_pstrdup(r->pool, oa2_form_redact(
                r->pool, r->the_request, "access_token"));
        }
    }
    if (n > 1 || dup) {
        fail(t, HTTP_BAD_REQUEST, OA2_ERR_INVALID_REQUEST,
             "more than one access token");
        return NULL;
    }
    if (token == NULL) {
        t->no_token = 1;
        fail(t, HTTP_UNAUTHORIZED, NULL, NULL);
    }
    return token;
}

/* @return non-zero when the key that verified a cached token is one this
 * location accepts */
static int key_accepted(const apr_array_header_t *keys, const char *tp)
{
    int i;

    for (i = 0; keys != NULL && i < keys->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(keys, i, const oa2_jwk_t *)->thumbprint,
                   tp) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Verifies the signature; fetches the JWKS again once for an unknown kid. */
static int verify(request_rec *r, const oauth2_rs_dir_conf *d,
                  const char *token, oauth2_rs_token *t, oa2_jws_t **jws,
                  const oa2_jwk_t **used)
{
    apr_array_header_t *keys;
    apr_status_t rv;

    if (oa2_jws_parse(r->pool, token, strlen(token), jws, &t->err)
        != APR_SUCCESS) {
        return fail(t, HTTP_UNAUTHORIZED, OA2_ERR_INVALID_TOKEN,
                    t->err.description);
    }
    if (oauth2_rs_keys(r, d, 0, &keys) != APR_SUCCESS) {
        return fail(t, HTTP_SERVICE_UNAVAILABLE, OA2_ERR_TEMPORARILY_UNAVAILABLE,
                    "no key available to verify tokens");
    }
    rv = oa2_jws_verify(*jws, keys, oauth2_rs_algs(d), used);
    if (rv == APR_NOTFOUND && d->jwks_url != NULL
        && oauth2_rs_keys(r, d, 1, &keys) == APR_SUCCESS) {
        rv = oa2_jws_verify(*jws, keys, oauth2_rs_algs(d), used);
    }
    if (rv != APR_SUCCESS) {
        return fail(t, HTTP_UNAUTHORIZED, OA2_ERR_INVALID_TOKEN,
                    rv == APR_NOTFOUND ? "unknown signing key or algorithm"
                                       : "bad signature");
    }
    return OK;
}

/* The digest of a verified token from the cache, when the key and the
 * algorithm that verified it are both accepted here. */
static oa2_claims_t *cached_claims(request_rec *r,
                                   const oauth2_rs_dir_conf *d,
                                   const unsigned char *hash)
{
    const char *tp, *alg;
    char *payload;
    apr_array_header_t *keys;
    oa2_claims_t *c;

    if (oauth2_rs_cache_get(r, hash, &tp, &payload) != APR_SUCCESS
        || (alg = strchr(tp, ' ')) == NULL
        || (oauth2_rs_algs(d) & (unsigned int)oa2_alg_from_name(alg + 1)) == 0
        || oauth2_rs_keys(r, d, 0, &keys) != APR_SUCCESS
        || !key_accepted(keys, apr_pstrmemdup(r->pool, tp,
                                              (apr_size_t)(alg - tp)))
        || oa2_claims_load(r->pool, payload, strlen(payload), &c)
           != APR_SUCCESS) {
        return NULL;
    }
    return c;
}

/* The location's own rules, checked on every request: on the parsed
 * token (jws) when it was just verified or introspected, else on the
 * cached digest. */
static int check_claims(request_rec *r, const oauth2_rs_dir_conf *d,
                        const oa2_jws_t *jws, const oa2_claims_t *c,
                        oauth2_rs_token *t)
{
    oa2_jwt_rules_t rules;
    apr_status_t rv;

    memset(&rules, 0, sizeof(rules));
    rules.issuer = d->issuer;
    rules.audiences = d->audiences;
    rules.now = (apr_int64_t)apr_time_sec(r->request_time);
    rules.leeway = RS_LEEWAY;
    rules.require_exp = 1;
    rules.typ = "at+jwt";
    rv = jws != NULL ? oa2_jwt_check(jws, &rules, &t->err)
                     : oa2_jwt_check_claims(c, &rules, &t->err);
    if (rv != APR_SUCCESS) {
        return fail(t, HTTP_UNAUTHORIZED, OA2_ERR_INVALID_TOKEN,
                    t->err.description);
    }
    return OK;
}

/* Claims already vouched for (a cached verification or the AS's
 * introspection) stand for a verified access token. */
static oa2_jws_t *vouched(request_rec *r, json_object *claims)
{
    oa2_jws_t *jws = apr_pcalloc(r->pool, sizeof(*jws));

    jws->payload = claims;
    jws->typ = "at+jwt";
    return jws;
}

static int validate(request_rec *r, const oauth2_rs_dir_conf *d,
                    oauth2_rs_token *t)
{
    unsigned char hash[OA2_SHA256_LEN];
    const oa2_jwk_t *used = NULL;
    const char *token = find_token(r, d, t);
    oa2_jws_t *jws = NULL;
    json_object *claims = NULL;
    oa2_claims_t *c = NULL;
    int rc;

    if (token == NULL) {
        return t->status;
    }
    if (strlen(token) > OA2_JWS_MAX_LEN
        || oa2_sha256(token, strlen(token), hash) != APR_SUCCESS) {
        return fail(t, HTTP_UNAUTHORIZED, OA2_ERR_INVALID_TOKEN,
                    "token too large");
    }
    if (d->introspect_url != NULL) {
        /* the digest, and the claims too when the AS was just asked */
        rc = oauth2_rs_introspect(r, d, token, t, &claims, &c);
        if (rc != OK) {
            return rc;
        }
        if (claims != NULL) {
            /* the AS vouched for the token: only this location's rules
             * are left to check */
            jws = vouched(r, claims);
        }
    }
    else if ((c = cached_claims(r, d, hash)) == NULL) {
        rc = verify(r, d, token, t, &jws, &used);
        if (rc != OK) {
            return rc;
        }
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "token signature verified (key %s)", used->kid);
        claims = jws->payload;
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "token found in the validation cache");
    }
    rc = check_claims(r, d, jws, c, t);
    if (rc != OK) {
        return rc;
    }
    /* a token just verified: its own payload text serves as the JSON */
    if (c == NULL && oa2_claims_digest(r->pool, claims, jws->payload_text,
                                       &c) != APR_SUCCESS) {
        /* the checks have passed: only a failed allocation gets here */
        return fail(t, HTTP_INTERNAL_SERVER_ERROR, OA2_ERR_SERVER_ERROR,
                    "cannot read the claims");
    }
    if (used != NULL) {
        apr_int64_t ttl = oauth2_rs_cache_ttl(oauth2_rs_srv(r->server));
        apr_int64_t now = (apr_int64_t)apr_time_sec(r->request_time);
        oauth2_rs_cache_put(r, hash,
                            c->exp < now + ttl ? c->exp : now + ttl,
                            apr_pstrcat(r->pool, used->thumbprint, " ",
                                        oa2_alg_name(jws->alg), NULL),
                            oa2_claims_text(r->pool, c));
    }
    t->json = claims;
    t->claims = c;
    if (oa2_scope_parse(r->pool, c->scope, &t->scope) != APR_SUCCESS) {
        oa2_scope_parse(r->pool, NULL, &t->scope);
    }
    t->user = c->user;
    t->status = OK;
    return OK;
}

json_object *oauth2_rs_token_json(request_rec *r, oauth2_rs_token *t)
{
    if (t->json == NULL && t->claims != NULL
        && oa2_json_parse_object(r->pool, t->claims->json,
                                 strlen(t->claims->json), &t->json)
           != APR_SUCCESS) {
        t->json = NULL;
    }
    return t->json;
}

oauth2_rs_token *oauth2_rs_token_of(request_rec *r)
{
    return ap_get_module_config(r->request_config, &oauth2_rs_module);
}

oauth2_rs_token *oauth2_rs_authenticate(request_rec *r,
                                        const oauth2_rs_dir_conf *d)
{
    oauth2_rs_token *t = oauth2_rs_token_of(r);

    if (t != NULL) {
        return t;
    }
    t = apr_pcalloc(r->pool, sizeof(*t));
    ap_set_module_config(r->request_config, &oauth2_rs_module, t);
    if (validate(r, d, t) != OK) {
        if (!t->no_token) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(20301)
                          "bearer token refused: %s",
                          t->err.description ? t->err.description
                                             : t->err.error);
        }
        return t;
    }
    r->user = apr_pstrdup(r->pool, t->user ? t->user : "");
    r->ap_auth_type = RS_AUTH_TYPE;
    oauth2_rs_pass_claims(r, d, t->claims);
    return t;
}

int oauth2_rs_deny(request_rec *r, const oauth2_rs_dir_conf *d,
                   oauth2_rs_token *t)
{
    const oa2_err_t *err = t->no_token ? NULL : &t->err;
    const char *scope = t->status == HTTP_FORBIDDEN ? t->missing_scope
                                                    : NULL;

    if (t->status != HTTP_SERVICE_UNAVAILABLE) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       oa2_error_bearer_challenge(r->pool,
                                                  oauth2_rs_realm(r, d),
                                                  err, scope));
    }
    return t->status;
}
