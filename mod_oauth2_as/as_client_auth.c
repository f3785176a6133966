/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_client_auth: client authentication at the token endpoint (RFC 6749 §2.3): secret_basic, secret_post, none. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_client_auth.h"
#include "as_private.h"
#include "oa2_form.h"
#include "oa2_token.h"

static int auth_fail(oa2_err_t *err, const char *why)
{
    return oa2_err_set(err, 401, OA2_ERR_INVALID_CLIENT, why);
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

    *id = body_id;
    *secret = body_secret;
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
    apr_status_t rv;

    memset(a, 0, sizeof(*a));
    rv = collect(r, params, a, &id, &secret, err);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = oauth2_as_store_client_get(r, id, &a->client);
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
    if (rv == APR_SUCCESS && strcmp(a->method, OA2_AUTH_NONE) != 0
        && !oa2_ct_streq(a->client->secret_hash,
                         oa2_token_hash(r->pool, secret))) {
        rv = APR_EINVAL;
    }
    if (rv != APR_SUCCESS) {
        /* one answer for unknown, disabled and wrong: nothing to probe */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10201)
                      "client authentication failed for client_id %s "
                      "(method %s)", id, a->method);
        a->client = NULL;
        return auth_fail(err, "client authentication failed");
    }
    return APR_SUCCESS;
}
