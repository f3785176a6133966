/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_request: reading what clients send: bounded bodies, urlencoded forms, bearer credentials. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_protocol.h>

#include "as_private.h"
#include "oa2_form.h"

apr_int64_t oauth2_as_now(void)
{
    return (apr_int64_t)apr_time_sec(apr_time_now());
}

/* @return non-zero when the request's media type is `type` (parameters
 * such as charset are ignored). */
static int media_type_is(request_rec *r, const char *type)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    apr_size_t n = strlen(type);

    if (ct == NULL || strncasecmp(ct, type, n) != 0) {
        return 0;
    }
    return ct[n] == '\0' || ct[n] == ';' || apr_isspace(ct[n]);
}

apr_status_t oauth2_as_read_body(request_rec *r, apr_size_t limit,
                                 char **body, apr_size_t *len,
                                 oa2_err_t *err)
{
    char *buf;
    apr_size_t n = 0;
    long got;

    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "unreadable request body");
    }
    if (r->remaining > (apr_off_t)limit) {
        return oa2_err_set(err, 413, OA2_ERR_INVALID_REQUEST,
                           "request body too large");
    }
    buf = apr_palloc(r->pool, limit + 1);
    if (ap_should_client_block(r)) {
        while ((got = ap_get_client_block(r, buf + n, limit + 1 - n)) > 0) {
            n += (apr_size_t)got;
            if (n > limit) {
                return oa2_err_set(err, 413, OA2_ERR_INVALID_REQUEST,
                                   "request body too large");
            }
        }
        if (got < 0) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "unreadable request body");
        }
    }
    buf[n] = '\0';
    *body = buf;
    *len = n;
    return APR_SUCCESS;
}

apr_status_t oauth2_as_read_form(request_rec *r, apr_table_t **params,
                                 oa2_err_t *err)
{
    char *body;
    apr_size_t len;

    if (r->method_number != M_POST) {
        return oa2_err_set(err, 405, OA2_ERR_INVALID_REQUEST,
                           "use POST");
    }
    if (!media_type_is(r, "application/x-www-form-urlencoded")) {
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "the body must be "
                           "application/x-www-form-urlencoded");
    }
    if (oauth2_as_read_body(r, AS_MAX_BODY, &body, &len, err)
        != APR_SUCCESS) {
        return APR_EINVAL;
    }
    if (r->args != NULL && *r->args) {
        /* RFC 6749 §3.2: credentials travel in the body, never the URL */
        return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                           "parameters must not be sent in the query");
    }
    return oa2_form_parse(r->pool, body, len, params, err);
}

const char *oauth2_as_bearer_token(request_rec *r)
{
    const char *h = apr_table_get(r->headers_in, "Authorization");

    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
        return NULL;
    }
    h += 7;
    while (*h == ' ') {
        h++;
    }
    return *h ? h : NULL;
}

void oauth2_as_redact_query(request_rec *r, const char *name)
{
    const char *q = r->args;

    if (q == NULL || oa2_form_redact(r->pool, q, name) == q) {
        return;
    }
    /* the access log prints the request line and the query */
    r->args = apr_pstrdup(r->pool, oa2_form_redact(r->pool, q, name));
    r->the_request = apr_pstrdup(r->pool, oa2_form_redact(
        r->pool, r->the_request, name));
}
