/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_reply: the glue side of oa2_error: JSON responses with status and caching headers. */
#include <apr_strings.h>
#include <httpd.h>
#include <http_protocol.h>

#include "as_private.h"

int oauth2_as_reply_json(request_rec *r, int status, const char *json)
{
    r->status = status;
    ap_set_content_type(r, "application/json");
    /* RFC 6749 §5.1: token responses must not be cached */
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "Pragma", "no-cache");
    if (status == HTTP_METHOD_NOT_ALLOWED
        && apr_table_get(r->headers_out, "Allow") == NULL) {
        apr_table_setn(r->headers_out, "Allow", "POST");
    }
    if (r->header_only) {
        return OK;
    }
    ap_rputs(json, r);
    ap_rputs("\n", r);
    return OK;
}

int oauth2_as_reply_error(request_rec *r, const oa2_err_t *err,
                          int basic_used)
{
    if ((err->status == HTTP_SERVICE_UNAVAILABLE
         || err->status == HTTP_TOO_MANY_REQUESTS)
        && apr_table_get(r->headers_out, "Retry-After") == NULL) {
        apr_table_setn(r->headers_out, "Retry-After", "5");
    }
    if (err->status == HTTP_UNAUTHORIZED && basic_used) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       "Basic realm=\"oauth2\", charset=\"UTF-8\"");
    }
    return oauth2_as_reply_json(r, err->status, oa2_error_json(r->pool, err));
}

int oauth2_as_reply_unavailable(request_rec *r)
{
    oa2_err_t err;

    oa2_err_set(&err, HTTP_SERVICE_UNAVAILABLE,
                OA2_ERR_TEMPORARILY_UNAVAILABLE,
                "the authorization server's database is unavailable");
    return oauth2_as_reply_error(r, &err, 0);
}
