/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_introspect: validating tokens by RFC 7662 introspection, with results cached in the shared cache. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "oa2_form.h"
#include "oa2_json.h"
#include "oa2_token.h"
#include "oa2_http.h"
#include "rs_private.h"

#define RS_INTROSPECT_MAX_BYTES (64 * 1024)

/* The cache key of an introspection result: the endpoint and the token,
 * so results never mix with verified JWTs or between endpoints. */
static apr_status_t cache_key(const oauth2_rs_dir_conf *d, const char *token,
                              apr_pool_t *p, unsigned char *hash)
{
    const char *in = apr_pstrcat(p, "introspect\n", d->introspect_url, "\n",
                                 token, NULL);

    return oa2_sha256(in, strlen(in), hash);
}

/* Asks the authorization server. */
static int ask(request_rec *r, const oauth2_rs_dir_conf *d,
               const char *token, oauth2_rs_token *t, json_object **claims)
{
    oa2_http_reply_t reply;
    const char *why;
    json_object *active;
    const char *form = apr_pstrcat(r->pool, "token=",
                                   oa2_form_encode(r->pool, token),
                                   "&token_type_hint=access_token", NULL);

    if (oa2_http_post_form(r->pool, d->introspect_url, d->introspect_id,
                                 d->introspect_secret, form,
                                 RS_INTROSPECT_MAX_BYTES, &reply, &why)
        != APR_SUCCESS
        || reply.status != HTTP_OK
        || oa2_json_parse_object(r->pool, reply.body, reply.len, claims)
           != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(20601)
                      "introspection at %s failed: %s", d->introspect_url,
                      reply.status && reply.status != HTTP_OK
                      ? apr_psprintf(r->pool, "HTTP %ld", reply.status)
                      : (why ? why : "no JSON object in the answer"));
        t->status = HTTP_SERVICE_UNAVAILABLE;
        oa2_err_set(&t->err, HTTP_SERVICE_UNAVAILABLE,
                    OA2_ERR_TEMPORARILY_UNAVAILABLE,
                    "the authorization server cannot be reached");
        return t->status;
    }
    active = oa2_json_get_typed(*claims, "active", json_type_boolean);
    if (active == NULL || !json_object_get_boolean(active)) {
        t->status = HTTP_UNAUTHORIZED;
        oa2_err_set(&t->err, HTTP_UNAUTHORIZED, OA2_ERR_INVALID_TOKEN,
                    "the token is not active");
        return t->status;
    }
    return OK;
}

int oauth2_rs_introspect(request_rec *r, const oauth2_rs_dir_conf *d,
                         const char *token, oauth2_rs_token *t,
                         json_object **claims, oa2_claims_t **digest)
{
    unsigned char hash[OA2_SHA256_LEN];
    const char *tag;
    char *payload;
    apr_int64_t ttl = oauth2_rs_introspect_ttl(d);
    apr_int64_t now = (apr_int64_t)apr_time_sec(r->request_time);
    oa2_claims_t *c;
    int rc;

    *claims = NULL;
    *digest = NULL;
    if (cache_key(d, token, r->pool, hash) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (ttl > 0 && oauth2_rs_cache_get(r, hash, &tag, &payload)
                   == APR_SUCCESS
        && strcmp(tag, "introspection") == 0
        && oa2_claims_load(r->pool, payload, strlen(payload), digest)
           == APR_SUCCESS) {
        return OK;
    }
    rc = ask(r, d, token, t, claims);
    if (rc != OK) {
        return rc;
    }
    if (oa2_claims_digest(r->pool, *claims, NULL, &c) != APR_SUCCESS) {
        /* a malformed time claim: the location's checks refuse it */
        return OK;
    }
    *digest = c;
    /* cached before this location's checks: another location with other
     * rules may accept the same answer (a hit checks the digest again) */
    if (ttl > 0 && c->has_exp && c->exp > now) {
        oauth2_rs_cache_put(r, hash, c->exp < now + ttl ? c->exp : now + ttl,
                            "introspection", oa2_claims_text(r->pool, c));
    }
    return OK;
}
