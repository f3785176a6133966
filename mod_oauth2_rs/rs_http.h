/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_http: the outbound HTTP calls of the resource server, through libcurl. */
#ifndef RS_HTTP_H
#define RS_HTTP_H

#include <httpd.h>

/** A response body collected in a pool, with a size limit. */
typedef struct oauth2_rs_http_reply {
    long status;
    char *body;
    apr_size_t len;
} oauth2_rs_http_reply;

/**
 * GETs a URL (JWKS). Redirects are not followed; at most `limit` bytes are
 * read; connect and total timeouts are a few seconds.
 * @param p pool that owns the reply
 * @param why on failure, a reason (from p)
 * @return APR_SUCCESS when a response arrived (any status)
 */
apr_status_t oauth2_rs_http_get(apr_pool_t *p, const char *url,
                                apr_size_t limit, oauth2_rs_http_reply *reply,
                                const char **why);

/**
 * POSTs a urlencoded form with HTTP Basic credentials (introspection).
 * Easy handles are kept in a per-process pool so connections are reused.
 * @param user, password form-urlencoded before Basic (RFC 6749 §2.3.1)
 */
apr_status_t oauth2_rs_http_post_form(apr_pool_t *p, const char *url,
                                      const char *user, const char *password,
                                      const char *form, apr_size_t limit,
                                      oauth2_rs_http_reply *reply,
                                      const char **why);

/** child_init: the pool of reusable libcurl handles. */
void oauth2_rs_http_child_init(apr_pool_t *p);

#endif
