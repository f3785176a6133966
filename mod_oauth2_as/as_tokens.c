/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_tokens: what a presented token is (JWT or opaque access token, refresh token) and whether it is still good. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_private.h"
#include "as_store.h"
#include "as_tokens.h"
#include "oa2_json.h"
#include "oa2_jwt.h"
#include "oa2_memo.h"
#include "oa2_token.h"

/* The claims of JWTs this process has verified, until they expire: an
 * introspecting resource server asks about the same token on every API
 * call, and the signature is the largest cost of the answer. Only the
 * signature and the claims are remembered; the deny-list is read every
 * time, so a revocation on any node counts at once. */
#define VERIFIED_ENTRIES 4096
#define VERIFIED_FIELDS 7

static oa2_memo_t *verified;

void oauth2_as_tokens_child_init(apr_pool_t *p, server_rec *s)
{
    if (oa2_memo_create(p, VERIFIED_ENTRIES, &verified) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, OA2LOGNO(12201)
                     "cannot create the memo of verified tokens: every "
                     "introspection verifies the signature");
        verified = NULL;
    }
}

/* Keyed by the token and the server's configuration: a virtual host with
 * other keys or another issuer must verify for itself. */
static void verified_key(request_rec *r, const char *token,
                         unsigned char *key)
{
    const char *k = apr_psprintf(r->pool, "%pp\n%s",
                                 (void *)oauth2_as_srv(r->server), token);

    oa2_sha256(k, strlen(k), key);
}

static int verified_get(request_rec *r, const unsigned char *key,
                        oauth2_as_token_facts *f)
{
    const char *value, *v[VERIFIED_FIELDS];
    char *rest, *nl;
    int i;

    if (verified == NULL
        || (value = oa2_memo_get(verified, r->pool, key, oauth2_as_now()))
               == NULL) {
        return 0;
    }
    rest = (char *)value;
    for (i = 0; i < VERIFIED_FIELDS; i++) {
        if ((nl = strchr(rest, '\n')) == NULL) {
            return 0;
        }
        *nl = '\0';
        v[i] = rest;
        rest = nl + 1;
    }
    f->is_jwt = 1;
    f->exp = apr_atoi64(v[0]);
    f->iat = apr_atoi64(v[1]);
    f->jti = v[2];
    f->client_id = v[3];
    f->sub = *v[4] ? v[4] : NULL;
    f->scope = *v[5] ? v[5] : NULL;
    f->aud = *v[6] ? v[6] : NULL;
    return 1;
}

static void verified_put(request_rec *r, const unsigned char *key,
                         const oauth2_as_token_facts *f)
{
    const char *v[] = { f->jti, f->client_id, f->sub, f->scope, f->aud };
    const char *value;
    size_t i;

    if (verified == NULL) {
        return;
    }
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        if (v[i] != NULL && strchr(v[i], '\n') != NULL) {
            return;
        }
    }
    value = apr_psprintf(r->pool, "%" APR_INT64_T_FMT "\n%" APR_INT64_T_FMT
                         "\n%s\n%s\n%s\n%s\n%s\n", f->exp, f->iat, f->jti,
                         f->client_id, f->sub ? f->sub : "",
                         f->scope ? f->scope : "", f->aud ? f->aud : "");
    oa2_memo_put(verified, key, oauth2_as_now(), f->exp, value);
}

/* Is the jti of a verified, unexpired JWT on the deny-list? */
static apr_status_t jwt_revocation(request_rec *r, oauth2_as_token_facts *f)
{
    apr_status_t rv = oauth2_as_store_jti_revoked(r, f->jti);

    if (rv == AS_STORE_EDB) {
        return rv;
    }
    f->active = (rv == APR_NOTFOUND);
    return APR_SUCCESS;
}

static void jwt_username(oauth2_as_token_facts *f)
{
    /* tokens for a client carry sub = client_id; others name a user */
    f->username = (f->sub && strcmp(f->sub, f->client_id) != 0) ? f->sub
                                                                 : NULL;
}

/* A JWT access token of ours: signature by one of our keys, our iss,
 * typ at+jwt, unexpired, jti not revoked. */
static apr_status_t jwt_facts(request_rec *r, const char *token,
                              oauth2_as_token_facts *f)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    unsigned char key[OA2_SHA256_LEN];
    oa2_jwt_rules_t rules;
    oa2_jws_t *jws;
    oa2_err_t err;

    verified_key(r, token, key);
    if (verified_get(r, key, f)) {
        jwt_username(f);
        return jwt_revocation(r, f);
    }
    if (oa2_jws_parse(r->pool, token, strlen(token), &jws, &err)
            != APR_SUCCESS
        || oa2_jws_verify(jws, conf->keys, OA2_ALG_ALL, NULL) != APR_SUCCESS) {
        return APR_NOTFOUND;
    }
    memset(&rules, 0, sizeof(rules));
    rules.issuer = conf->issuer;
    rules.typ = "at+jwt";
    rules.now = oauth2_as_now();
    rules.require_exp = 1;
    f->is_jwt = 1;
    f->jti = oa2_json_get_string(jws->payload, "jti");
    f->client_id = oa2_json_get_string(jws->payload, "client_id");
    f->sub = oa2_json_get_string(jws->payload, "sub");
    f->scope = oa2_json_get_string(jws->payload, "scope");
    f->aud = oa2_json_get_string(jws->payload, "aud");
    oa2_json_get_int64(jws->payload, "exp", &f->exp);
    oa2_json_get_int64(jws->payload, "iat", &f->iat);
    if (f->jti == NULL || f->client_id == NULL) {
        return APR_NOTFOUND;
    }
    jwt_username(f);
    if (oa2_jwt_check(jws, &rules, &err) != APR_SUCCESS) {
        return APR_SUCCESS;             /* ours, but expired or malformed */
    }
    verified_put(r, key, f);
    return jwt_revocation(r, f);
}

static void access_facts(const char *hash, const oauth2_as_access_rec *t,
                         oauth2_as_token_facts *f)
{
    f->token_hash = hash;
    f->jti = t->jti;
    f->client_id = t->client_id;
    f->username = t->username;
    f->sub = t->username ? t->username : t->client_id;
    f->scope = t->scope;
    f->aud = t->audience;
    f->exp = t->expires_at;
    f->iat = t->issued_at;
    f->active = t->revoked_at == 0 && t->expires_at > oauth2_as_now();
}

static void refresh_facts(const char *hash, const oauth2_as_refresh_rec *t,
                          oauth2_as_token_facts *f)
{
    f->is_refresh = 1;
    f->token_hash = hash;
    f->family_id = t->family_id;
    f->client_id = t->client_id;
    f->username = t->username;
    f->sub = t->username;
    f->scope = t->scope;
    f->aud = t->audience;
    f->exp = t->expires_at;
    f->iat = t->created_at;
    f->active = t->revoked_at == 0 && t->rotated_at == 0
                && t->expires_at > oauth2_as_now();
}

apr_status_t oauth2_as_token_facts_get(request_rec *r, const char *token,
                                       oauth2_as_token_facts *f)
{
    oauth2_as_access_rec *access;
    oauth2_as_refresh_rec *refresh;
    const char *hash;
    apr_status_t rv;

    memset(f, 0, sizeof(*f));
    if (token == NULL || *token == '\0' || strlen(token) > OA2_JWS_MAX_LEN) {
        return APR_NOTFOUND;
    }
    if (strchr(token, '.') != NULL) {
        return jwt_facts(r, token, f);
    }
    hash = oa2_token_hash(r->pool, token);
    /* both tables in one statement, so no token_type_hint is needed */
    rv = oauth2_as_store_opaque_get(r, hash, &access, &refresh);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (access != NULL) {
        access_facts(hash, access, f);
    }
    else {
        refresh_facts(hash, refresh, f);
    }
    return APR_SUCCESS;
}
