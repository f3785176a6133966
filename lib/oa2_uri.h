/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_uri: redirect-URI rules (RFC 6749 §3.1.2, RFC 8252, RFC 9700) and URL checks. */
#ifndef OA2_URI_H
#define OA2_URI_H

#include <apr_pools.h>
#include <apr_tables.h>

#define OA2_URI_MAX_LEN 2048

/**
 * @return non-zero when host is 127.0.0.1 (any 127/8), ::1 or localhost
 */
int oa2_uri_host_is_loopback(const char *host);

/**
 * Checks a URL the server will fetch or show (issuer, jwks_uri, logo_uri):
 * absolute, https (or http on a loopback host when allow_loopback_http),
 * with a host, without fragment or user info, printable ASCII only.
 * @return NULL when acceptable, else a static reason
 */
const char *oa2_uri_check_https(apr_pool_t *p, const char *uri,
                                int allow_loopback_http);

/**
 * Checks a redirect URI offered at registration: absolute, no fragment,
 * printable ASCII only, at most OA2_URI_MAX_LEN bytes, and either https,
 * http on a loopback host (RFC 8252 §7.3), or a private-use scheme
 * containing a '.' (RFC 8252 §7.1). javascript:, data: and file: are refused.
 * @return NULL when acceptable, else a static reason
 */
const char *oa2_uri_check_redirect(apr_pool_t *p, const char *uri);

/**
 * Exact string comparison of a requested redirect URI with each registered
 * one (RFC 9700 §4.1.3: no pattern, no prefix, no normalisation). The one
 * exception is RFC 8252 §7.3: an http redirect to the loopback IP literals
 * 127.0.0.1 or [::1] matches with any port.
 * @param p pool for parsing
 * @param registered array of const char *
 * @return non-zero on a match
 */
int oa2_uri_redirect_match(apr_pool_t *p,
                           const apr_array_header_t *registered,
                           const char *requested);

#endif
