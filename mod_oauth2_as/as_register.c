/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_register: dynamic client registration (RFC 7591) and the client configuration endpoint (RFC 7592). */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_private.h"
#include "as_store.h"
#include "oa2_form.h"
#include "oa2_json.h"
#include "oa2_token.h"

/* Reads and validates a JSON metadata body. */
static apr_status_t read_metadata(request_rec *r, json_object **meta,
                                  oa2_client_t **client, oa2_err_t *err)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    char *body;
    apr_size_t len;

    if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0
        || (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_CLIENT_METADATA,
                           "the body must be application/json");
    }
    if (oauth2_as_read_body(r, AS_MAX_BODY, &body, &len, err)
        != APR_SUCCESS) {
        err->error = OA2_ERR_INVALID_CLIENT_METADATA;
        return APR_EINVAL;
    }
    if (oa2_json_parse_object(r->pool, body, len, meta) != APR_SUCCESS) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_CLIENT_METADATA,
                           "the body is not a JSON object (or nests too "
                           "deeply)");
    }
    return oa2_client_validate(r->pool, *meta, oauth2_as_grant_types(conf),
                               conf->declared, client, err);
}

static const char *client_uri(request_rec *r, const char *client_id)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    return apr_pstrcat(r->pool, conf->endpoint_base, "/clients/",
                       oa2_form_encode(r->pool, client_id), NULL);
}

/* The body of registration and read responses. */
static json_object *client_json(request_rec *r,
                                const oauth2_as_client_rec *c)
{
    json_object *o = oa2_client_to_json(r->pool, c->meta);

    oa2_json_set_string(o, "client_id", c->client_id);
    oa2_json_set_int64(o, "client_id_issued_at", c->created_at);
    oa2_json_set_string(o, "registration_client_uri",
                        client_uri(r, c->client_id));
    return o;
}

static int reply_store_error(request_rec *r, apr_status_t rv)
{
    oa2_err_t err;

    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    oa2_err_set(&err, 500, OA2_ERR_SERVER_ERROR, NULL);
    return oauth2_as_reply_error(r, &err, 0);
}

int oauth2_as_register_handle(request_rec *r)
{
    oauth2_as_client_rec c;
    json_object *meta, *body;
    const char *secret = NULL, *regtoken;
    oa2_err_t err;
    apr_status_t rv;

    if (r->method_number != M_POST) {
        oa2_err_set(&err, 405, OA2_ERR_INVALID_REQUEST, "use POST");
        return oauth2_as_reply_error(r, &err, 0);
    }
    if (r->user == NULL) {
        /* open registration is a decision, not an accident */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10404)
                      "%s/register is not protected by any Apache "
                      "authentication: put AuthType and Require on it",
                      oauth2_as_srv(r->server)->base_path);
        oa2_err_set(&err, 403, OA2_ERR_ACCESS_DENIED,
                    "registration is not configured on this server");
        return oauth2_as_reply_error(r, &err, 0);
    }
    memset(&c, 0, sizeof(c));
    if (read_metadata(r, &meta, &c.meta, &err) != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, 0);
    }
    c.client_id = oa2_token_random(r->pool, 16);
    regtoken = oa2_token_random(r->pool, 32);
    if (strcmp(c.meta->auth_method, OA2_AUTH_SECRET_BASIC) == 0
        || strcmp(c.meta->auth_method, OA2_AUTH_SECRET_POST) == 0) {
        secret = oa2_token_random(r->pool, 32);
        c.secret_hash = oa2_token_hash(r->pool, secret);
    }
    if (c.client_id == NULL || regtoken == NULL
        || (c.secret_hash == NULL && secret != NULL)) {
        return reply_store_error(r, APR_EGENERAL);
    }
    c.registration_token_hash = oa2_token_hash(r->pool, regtoken);
    c.created_at = c.updated_at = oauth2_as_now();
    c.enabled = 1;
    rv = oauth2_as_store_client_insert(r, &c, r->user);
    if (rv != APR_SUCCESS) {
        return reply_store_error(r, rv);
    }
    oauth2_as_audit(r, r->user, "client.create", c.client_id, NULL,
                    "registration API");
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10401)
                  "registered client %s (%s) by %s", c.client_id,
                  c.meta->client_name ? c.meta->client_name : "unnamed",
                  r->user);
    body = client_json(r, &c);
    if (secret != NULL) {
        oa2_json_set_string(body, "client_secret", secret);
        oa2_json_set_int64(body, "client_secret_expires_at", 0);
    }
    oa2_json_set_string(body, "registration_access_token", regtoken);
    apr_table_setn(r->headers_out, "Location", client_uri(r, c.client_id));
    return oauth2_as_reply_json(r, HTTP_CREATED,
                                oa2_json_text(r->pool, body));
}

static int reply_invalid_token(request_rec *r)
{
    oa2_err_t err;

    oa2_err_set(&err, 401, OA2_ERR_INVALID_TOKEN,
                "unknown client or registration access token");
    apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                   oa2_error_bearer_challenge(r->pool, "oauth2", &err,
                                              NULL));
    return oauth2_as_reply_error(r, &err, 0);
}

/* RFC 7592 §2.2: the update must name the same client and may not carry
 * server-issued fields; a secret, if sent, must be the current one. */
static apr_status_t check_update(request_rec *r, json_object *meta,
                                 const oauth2_as_client_rec *old,
                                 const oa2_client_t *neu, oa2_err_t *err)
{
    static const char *const forbidden[] = {
        "registration_access_token", "registration_client_uri",
        "client_secret_expires_at", "client_id_issued_at", NULL
    };
    const char *id = oa2_json_get_string(meta, "client_id");
    const char *secret = oa2_json_get_string(meta, "client_secret");
    int i;

    if (id == NULL || strcmp(id, old->client_id) != 0) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "client_id must be present and unchanged");
    }
    for (i = 0; forbidden[i] != NULL; i++) {
        if (json_object_object_get_ex(meta, forbidden[i], NULL)) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                apr_psprintf(r->pool, "%s must not be sent", forbidden[i]));
        }
    }
    if (secret != NULL
        && !oa2_ct_streq(old->secret_hash, oa2_token_hash(r->pool, secret))) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "client_secret does not match");
    }
    if ((old->secret_hash != NULL)
        != (strcmp(neu->auth_method, OA2_AUTH_SECRET_BASIC) == 0
            || strcmp(neu->auth_method, OA2_AUTH_SECRET_POST) == 0)) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_CLIENT_METADATA,
                           "token_endpoint_auth_method cannot switch "
                           "between secret and secret-less methods");
    }
    return APR_SUCCESS;
}

static int client_update(request_rec *r, oauth2_as_client_rec *c)
{
    json_object *meta;
    oa2_client_t *neu;
    oa2_err_t err;
    apr_status_t rv;

    if (read_metadata(r, &meta, &neu, &err) != APR_SUCCESS
        || check_update(r, meta, c, neu, &err) != APR_SUCCESS) {
        return oauth2_as_reply_error(r, &err, 0);
    }
    rv = oauth2_as_store_client_update(r, c->client_id, neu);
    if (rv == APR_NOTFOUND) {
        return reply_invalid_token(r);
    }
    if (rv != APR_SUCCESS) {
        return reply_store_error(r, rv);
    }
    c->meta = neu;
    oauth2_as_audit(r, c->client_id, "client.update", c->client_id, NULL,
                    "RFC 7592");
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10402)
                  "client %s updated its registration", c->client_id);
    return oauth2_as_reply_json(r, HTTP_OK,
                                oa2_json_text(r->pool, client_json(r, c)));
}

int oauth2_as_client_config_handle(request_rec *r, const char *client_id)
{
    const char *token = oauth2_as_bearer_token(r);
    oauth2_as_client_rec *c;
    oa2_err_t err;
    apr_status_t rv;

    if (token == NULL) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       oa2_error_bearer_challenge(r->pool, "oauth2", NULL,
                                                  NULL));
        oa2_err_set(&err, 401, OA2_ERR_INVALID_TOKEN,
                    "the registration access token is required");
        return oauth2_as_reply_error(r, &err, 0);
    }
    rv = oauth2_as_store_client_get(r, client_id, &c);
    if (rv == AS_STORE_EDB) {
        return oauth2_as_reply_unavailable(r);
    }
    if (rv != APR_SUCCESS || !c->enabled
        || !oa2_ct_streq(c->registration_token_hash,
                         oa2_token_hash(r->pool, token))) {
        /* a disabled client is managed by the administrator only */
        return reply_invalid_token(r);
    }
    switch (r->method_number) {
    case M_GET:
        return oauth2_as_reply_json(
            r, HTTP_OK, oa2_json_text(r->pool, client_json(r, c)));
    case M_PUT:
        return client_update(r, c);
    case M_DELETE:
        rv = oauth2_as_store_client_delete(r, client_id);
        if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
            return reply_store_error(r, rv);
        }
        oauth2_as_audit(r, client_id, "client.delete", client_id, NULL,
                        "RFC 7592");
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(10403)
                      "client %s deleted its registration", client_id);
        r->status = HTTP_NO_CONTENT;
        apr_table_setn(r->headers_out, "Cache-Control", "no-store");
        return OK;
    default:
        apr_table_setn(r->headers_out, "Allow", "GET, PUT, DELETE");
        oa2_err_set(&err, 405, OA2_ERR_INVALID_REQUEST,
                    "use GET, PUT or DELETE");
        return oauth2_as_reply_json(r, 405, oa2_error_json(r->pool, &err));
    }
}
