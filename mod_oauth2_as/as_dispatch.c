/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_dispatch: the oauth2-as handler: maps the sub-path under the handler's Location to one endpoint. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_html.h"
#include "as_private.h"

/* The part of the URI after the handler's Location ("/token", ...). */
static const char *sub_path(request_rec *r, const oauth2_as_srv_conf *conf)
{
    apr_size_t n = strlen(conf->base_path);

    if (strncmp(r->uri, conf->base_path, n) == 0
        && (r->uri[n] == '/' || r->uri[n] == '\0')) {
        return r->uri + n;
    }
    /* the handler was set somewhere else: route on the last segment */
    return strrchr(r->uri, '/') ? strrchr(r->uri, '/') : r->uri;
}

static int not_found(request_rec *r)
{
    oa2_err_t err;

    oa2_err_set(&err, HTTP_NOT_FOUND, OA2_ERR_INVALID_REQUEST,
                "no such endpoint");
    return oauth2_as_reply_error(r, &err, 0);
}

int oauth2_as_handler(request_rec *r)
{
    oauth2_as_srv_conf *conf;
    const char *path;

    if (r->handler == NULL || strcmp(r->handler, AS_HANDLER_NAME) != 0) {
        return DECLINED;
    }
    conf = oauth2_as_srv(r->server);
    if (!oauth2_as_enabled(conf)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10701)
                      "SetHandler %s is used in a server without %s",
                      AS_HANDLER_NAME, AS_ISSUER);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    path = sub_path(r, conf);
    if (strcmp(path, "/token") == 0) {
        return oauth2_as_token_handle(r);
    }
    if (strcmp(path, "/revoke") == 0) {
        return oauth2_as_revoke_handle(r);
    }
    if (strcmp(path, "/introspect") == 0) {
        return oauth2_as_introspect_handle(r);
    }
    if (strcmp(path, "/tokeninfo") == 0) {
        return oauth2_as_tokeninfo_handle(r);
    }
    if (strcmp(path, "/jwks") == 0) {
        return oauth2_as_jwks_handle(r);
    }
    if (strcmp(path, "/authorize") == 0) {
        return oauth2_as_authorize_handle(r);
    }
    if (strncmp(path, "/account/", 9) == 0) {
        return oauth2_as_account_handle(r, path + 9);
    }
    if (strcmp(path, "/account") == 0) {
        apr_table_setn(r->headers_out, "Location",
                       apr_pstrcat(r->pool, conf->base_path, "/account/",
                                   NULL));
        return HTTP_MOVED_PERMANENTLY;
    }
    if (strncmp(path, "/admin/", 7) == 0) {
        return oauth2_as_admin_handle(r, path + 7);
    }
    if (strcmp(path, "/admin") == 0) {
        apr_table_setn(r->headers_out, "Location",
                       apr_pstrcat(r->pool, conf->base_path, "/admin/",
                                   NULL));
        return HTTP_MOVED_PERMANENTLY;
    }
    if (strncmp(path, "/static/", 8) == 0) {
        return oauth2_as_static_handle(r, path + 8);
    }
    if (strcmp(path, "/register") == 0) {
        return oauth2_as_register_handle(r);
    }
    if (strncmp(path, "/clients/", 9) == 0 && path[9] != '\0'
        && strchr(path + 9, '/') == NULL) {
        return oauth2_as_client_config_handle(r, path + 9);
    }
    return not_found(r);
}

int oauth2_as_well_known_handler(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    if (!oauth2_as_enabled(conf) || conf->well_known_path == NULL
        || strcmp(r->uri, conf->well_known_path) != 0) {
        return DECLINED;
    }
    return oauth2_as_metadata_handle(r);
}
