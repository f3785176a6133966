/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_form: application/x-www-form-urlencoded parsing (repeats refused), encoding, HTTP Basic credentials. */
#ifndef OA2_FORM_H
#define OA2_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "oa2_error.h"

/* No OAuth request needs more parameters than this. */
#define OA2_FORM_MAX_PARAMS 64

/**
 * Parses a urlencoded body or query string. '+' is a space, %XX is a byte.
 * A repeated name (RFC 6749 §3.1, §3.2), a bad %-escape, a decoded NUL,
 * invalid UTF-8, an empty name or more than OA2_FORM_MAX_PARAMS
 * parameters are refused with invalid_request. Empty segments ("a=1&&b=2")
 * are ignored; a name without '=' has the empty value.
 * @param p pool that owns the table and its strings
 * @param out name -> value
 * @param err filled on failure
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_form_parse(apr_pool_t *p, const char *in, apr_size_t len,
                            apr_table_t **out, oa2_err_t *err);

/**
 * Percent-decodes one component ('+' is a space).
 * @param p pool that owns the result
 * @return APR_SUCCESS, or APR_EINVAL on a bad escape, NUL or bad UTF-8
 */
apr_status_t oa2_form_decode(apr_pool_t *p, const char *in, apr_size_t len,
                             char **out);

/**
 * Percent-encodes s for a query or fragment component: everything except
 * RFC 3986 unreserved characters is escaped (space as %20).
 * @param p pool that owns the result
 */
const char *oa2_form_encode(apr_pool_t *p, const char *s);

/**
 * Splits an HTTP Basic credential (the part after "Basic ") into client_id
 * and secret, form-urldecoding each as RFC 6749 §2.3.1 requires.
 * @return APR_SUCCESS, or APR_EINVAL when malformed
 */
apr_status_t oa2_form_basic_credentials(apr_pool_t *p, const char *b64,
                                        const char **user,
                                        const char **password);

/**
 * Replaces the value of every `name=` parameter of a query string with
 * "redacted", so that the request line can be logged (access tokens sent
 * in a query, RFC 6750 §2.3).
 * @param p pool that owns the result (the input itself when no change)
 */
const char *oa2_form_redact(apr_pool_t *p, const char *query,
                            const char *name);

#endif
