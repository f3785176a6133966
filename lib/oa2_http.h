/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_http: outbound HTTP calls (JWKS, introspection) through libcurl, with reusable handles. */
#ifndef OA2_HTTP_H
#define OA2_HTTP_H

#include <apr_pools.h>

/** A response body collected in a pool, with a size limit. */
typedef struct oa2_http_reply_t {
    long status;
    char *body;
    apr_size_t len;
} oa2_http_reply_t;

/**
 * GETs a URL (JWKS). Redirects are not followed; at most `limit` bytes are
 * read; connect and total timeouts are a few seconds.
 * @param p pool that owns the reply
 * @param why on failure, a reason (from p)
 * @return APR_SUCCESS when a response arrived (any status)
 */
apr_status_t oa2_http_get(apr_pool_t *p, const char *url,
                                apr_size_t limit, oa2_http_reply_t *reply,
                                const char **why);

/**
 * POSTs a urlencoded form with HTTP Basic credentials (introspection).
 * Easy handles are kept in a per-process pool so connections are reused.
 * @param user, password form-urlencoded before Basic (RFC 6749 §2.3.1)
 */
apr_status_t oa2_http_post_form(apr_pool_t *p, const char *url,
                                      const char *user, const char *password,
                                      const char *form, apr_size_t limit,
                                      oa2_http_reply_t *reply,
                                      const char **why);

/**
 * Sets up the per-process pool of reusable libcurl handles. Call in
 * child_init (after curl_global_init in the parent); the handles are
 * cleaned up with p.
 */
void oa2_http_init(apr_pool_t *p);

#endif
