/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_b64url: base64url without padding (RFC 4648 §5, RFC 7515 §2) and standard base64 decoding. */
#ifndef OA2_B64URL_H
#define OA2_B64URL_H

#include <apr_pools.h>

/**
 * Encodes len bytes as unpadded base64url.
 * @param p pool that owns the NUL-terminated result
 */
const char *oa2_b64url_encode(apr_pool_t *p, const unsigned char *data,
                              apr_size_t len);

/**
 * Decodes unpadded base64url. Padding, whitespace, characters outside the
 * alphabet, an impossible length (len % 4 == 1) and non-zero trailing bits
 * are refused, so each value has exactly one encoding.
 * @param p pool that owns the result (NUL-terminated for convenience)
 * @param out_len the decoded length
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_b64url_decode(apr_pool_t *p, const char *in, apr_size_t len,
                               unsigned char **out, apr_size_t *out_len);

/**
 * Decodes standard base64 (RFC 4648 §4), as in HTTP Basic credentials. The
 * length must be a multiple of 4, with the '=' padding §4 requires (so
 * unpadded input is refused); whitespace, other characters and non-zero
 * trailing bits are refused too.
 */
apr_status_t oa2_b64_decode(apr_pool_t *p, const char *in, apr_size_t len,
                            unsigned char **out, apr_size_t *out_len);

#endif
