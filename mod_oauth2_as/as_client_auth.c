/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_client_auth: client authentication at the token endpoint (RFC 6749 §2.3): secret_basic, secret_post, none. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_assertion.h"
#include "as_client_auth.h"
#include "as_private.h"
#include "oa2_form.h"
#include "oa2_json.h"
#include "oa2_token.h"

static int auth_fail(oa2_err_t *err, const char *why)
{
    return oa2_err_set(err, 401, OA2_ERR_INVALID_CLIENT, why);
}

#define CLIENT_ASSERTION_TYPE \
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

/* RFC 7523 §2.2: a JWT signed by the client, iss = sub = client_id. The
 * signature is checked once the client (and its keys) are known. */
static apr_status_t collect_assertion(request_rec *r, apr_table_t *params,
                                      oauth2_as_client_auth *a,
                                      const char **id, oa2_err_t *err)
{
    const char *type = apr_table_get(params, "client_assertion_type");
    const char *jwt = apr_table_get(params, "client_assertion");
    const char *iss, *sub;

    if (type == NULL || strcmp(type, CLIENT_ASSERTION_TYPE) != 0
        || jwt == NULL) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "client_assertion_type must be " CLIENT_ASSERTION_TYPE
                           " with a client_assertion");
    }
    if (oa2_jws_parse(r->pool, jwt, strlen(jwt), &a->assertion, err)
        != APR_SUCCESS) {
        return oa2_err_set(err, 401, OA2_ERR_INVALID_CLIENT,
                           "malformed client_assertion");
    }
    iss = oa2_json_get_string(a->assertion->payload, "iss");
    sub = oa2_json_get_string(a->assertion->payload, "sub");
    if (iss == NULL || sub == NULL || strcmp(iss, sub) != 0
        || (*id != NULL && strcmp(*id, iss) != 0)) {
        return oa2_err_set(err, 401, OA2_ERR_INVALID_CLIENT,
                           "client_assertion iss and sub must be the "
                           "client_id");
    }
    *id = iss;
    a->method = OA2_AUTH_PRIVATE_KEY_JWT;
    return APR_SUCCESS;
}

/* Finds which credentials the request carries; more than one method is an
 * error (RFC 6749 §2.3). */
static apr_status_t collect(request_rec *r, apr_table_t *params,
                            oauth2_as_client_auth *a, const char **id,
                            const char **secret, oa2_err_t *err)
{
    const char *h = apr_table_get(r->headers_in, "Authorization");
    const char *body_id = apr_table_get(params, "client_id");
    const char *body_secret = apr_table_get(params, "client_secret");
    int has_assertion = apr_table_get(params, "client_assertion") != NULL
        || apr_table_get(params, "client_assertion_type") != NULL;

    *id = body_id;
    *secret = body_secret;
    if (has_assertion) {
        if (body_secret != NULL
            || (h != NULL && strncasecmp(h, "Basic ", 6) == 0)) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "use one client authentication method only");
        }
        return collect_assertion(r, params, a, id, err);
    }
    if (h != NULL && strncasecmp(h, "Basic ", 6) == 0) {
        const char *user, *pw;
        a->basic_used = 1;
        if (body_secret != NULL) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "use one client authentication method only");
        }
        if (oa2_form_basic_credentials(r->pool, h + 6, &user, &pw)
            != APR_SUCCESS) {
            return auth_fail(err, "malformed Basic credentials");
        }
        if (body_id != NULL && strcmp(body_id, user) != 0) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "client_id differs from the Basic user");
        }
        *id = user;
        *secret = pw;
        a->method = OA2_AUTH_SECRET_BASIC;
    }
    else if (body_secret != NULL) {
        a->method = OA2_AUTH_SECRET_POST;
    }
    else {
        a->method = OA2_AUTH_NONE;
    }
    if (*id == NULL || **id == '\0') {
        return auth_fail(err, "client authentication required");
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_as_client_authenticate(request_rec *r,
                                           apr_table_t *params,
                                           oauth2_as_client_auth *a,
                                           oa2_err_t *err)
{
    const char *id, *secret;
    int throttled = 0, cached;
    apr_uint32_t gen = oauth2_as_client_cache_generation();
    apr_status_t rv;

    memset(a, 0, sizeof(*a));
    rv = collect(r, params, a, &id, &secret, err);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    cached = oauth2_as_client_cache_get(r, id, &a->client) == APR_SUCCESS;
    rv = cached ? APR_SUCCESS
                : oauth2_as_throttle_client_get(r, id, &a->client,
                                                &throttled);
    if (rv == APR_SUCCESS && throttled) {
        apr_table_setn(r->headers_out, "Retry-After", apr_psprintf(
            r->pool, "%" APR_INT64_T_FMT, oauth2_as_client_auth_window(
                oauth2_as_srv(r->server))));
        return oa2_err_set(err, 429, OA2_ERR_INVALID_CLIENT,
                           "too many failed client authentications: try "
                           "again later");
    }
    if (rv == APR_SUCCESS && a->client == NULL) {
        rv = APR_NOTFOUND;
    }
    if (rv == AS_STORE_EDB) {
        return oa2_err_set(err, 503, OA2_ERR_TEMPORARILY_UNAVAILABLE,
                           "the authorization server's database is "
                           "unavailable");
    }
    if (rv == APR_SUCCESS && !a->client->enabled) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS
        && strcmp(a->client->meta->auth_method, a->method) != 0) {
        /* a confidential client sending no secret, or the wrong method */
        rv = APR_EINVAL;
    }
    if (rv == APR_SUCCESS && a->assertion != NULL) {
        apr_array_header_t *keys;
        const char *why = "no usable key";
        rv = oauth2_as_client_keys(r, a->client, &keys);
        if (rv == APR_SUCCESS) {
            rv = oauth2_as_assertion_verify(r, a->assertion, keys, NULL,
                                            &why);
        }
        if (rv == AS_STORE_EDB) {
            return oa2_err_set(err, 503, OA2_ERR_TEMPORARILY_UNAVAILABLE,
                               NULL);
        }
        if (rv != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10202)
                          "private_key_jwt of client %s refused: %s", id,
                          why);
        }
    }
    else if (rv == APR_SUCCESS && strcmp(a->method, OA2_AUTH_NONE) != 0
             && !oa2_ct_streq(a->client->secret_hash,
                              oa2_token_hash(r->pool, secret))) {
        rv = APR_EINVAL;
    }
    if (rv != APR_SUCCESS) {
        /* one answer for unknown, disabled and wrong: nothing to probe */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10201)
                      "client authentication failed for client_id %s "
                      "(method %s)", id, a->method);
        oauth2_as_audit(r, id, "client.auth_failed", id, NULL, a->method);
        /* the throttle then holds in every process of this node at once */
        oauth2_as_client_cache_drop(id, 1);
        oauth2_as_throttle_failed(r, id);
        a->client = NULL;
        return auth_fail(err, "client authentication failed");
    }
    if (!cached) {
        oauth2_as_client_cache_put(r, a->client, gen);
    }
    return APR_SUCCESS;
}
