/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_tokens: what a presented token is (JWT or opaque access token, refresh token) and whether it is still good. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>

#include "as_private.h"
#include "as_store.h"
#include "as_tokens.h"
#include "oa2_json.h"
#include "oa2_jwt.h"
#include "oa2_token.h"

/* A JWT access token of ours: signature by one of our keys, our iss,
 * typ at+jwt, unexpired, jti not revoked. */
static apr_status_t jwt_facts(request_rec *r, const char *token,
                              oauth2_as_token_facts *f)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oa2_jwt_rules_t rules;
    oa2_jws_t *jws;
    oa2_err_t err;
    apr_status_t rv;

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
    /* tokens for a client carry sub = client_id; others name a user */
    f->username = (f->sub && strcmp(f->sub, f->client_id) != 0) ? f->sub
                                                                 : NULL;
    if (oa2_jwt_check(jws, &rules, &err) != APR_SUCCESS) {
        return APR_SUCCESS;             /* ours, but expired or malformed */
    }
    rv = oauth2_as_store_jti_revoked(r, f->jti);
    if (rv == AS_STORE_EDB) {
        return rv;
    }
    f->active = (rv == APR_NOTFOUND);
    return APR_SUCCESS;
}

static apr_status_t opaque_facts(request_rec *r, const char *hash,
                                 oauth2_as_token_facts *f)
{
    oauth2_as_access_rec *t;
    apr_status_t rv = oauth2_as_store_access_get(r, hash, &t);

    if (rv != APR_SUCCESS) {
        return rv;
    }
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
    return APR_SUCCESS;
}

static apr_status_t refresh_facts(request_rec *r, const char *hash,
                                  oauth2_as_token_facts *f)
{
    oauth2_as_refresh_rec *t;
    apr_status_t rv = oauth2_as_store_refresh_get(r, hash, &t);

    if (rv != APR_SUCCESS) {
        return rv;
    }
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
    return APR_SUCCESS;
}

apr_status_t oauth2_as_token_facts_get(request_rec *r, const char *token,
                                       const char *hint,
                                       oauth2_as_token_facts *f)
{
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
    if (hint != NULL && strcmp(hint, "refresh_token") == 0) {
        rv = refresh_facts(r, hash, f);
        return rv == APR_NOTFOUND ? opaque_facts(r, hash, f) : rv;
    }
    rv = opaque_facts(r, hash, f);
    return rv == APR_NOTFOUND ? refresh_facts(r, hash, f) : rv;
}
