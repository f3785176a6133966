/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_token: random credentials, SHA-256, HMAC and constant-time comparison, all through OpenSSL. */
#ifndef OA2_TOKEN_H
#define OA2_TOKEN_H

#include <apr_pools.h>

#define OA2_SHA256_LEN 32

/**
 * A new random credential: nbytes from RAND_bytes, base64url encoded.
 * Use 32 bytes (256 bits) for codes, refresh tokens and secrets.
 * @param p pool that owns the result
 * @return the string, or NULL if the random generator failed
 */
const char *oa2_token_random(apr_pool_t *p, apr_size_t nbytes);

/**
 * Fetches the SHA-256 implementation once for every later oa2_sha256
 * (OpenSSL 3 otherwise looks the algorithm up again on every digest).
 * Call it before any thread exists (post_config); calling it again does
 * nothing. Without it oa2_sha256 still works, only slower.
 * @return APR_SUCCESS or APR_EGENERAL
 */
apr_status_t oa2_token_init(void);

/**
 * SHA-256 of len bytes into out (OA2_SHA256_LEN bytes).
 * @return APR_SUCCESS or APR_EGENERAL
 */
apr_status_t oa2_sha256(const void *data, apr_size_t len,
                        unsigned char out[OA2_SHA256_LEN]);

/**
 * The base64url SHA-256 of a NUL-terminated string: the form in which
 * codes, tokens and secrets are stored.
 * @param p pool that owns the result
 */
const char *oa2_token_hash(apr_pool_t *p, const char *s);

/**
 * HMAC-SHA-256 of data under key into out.
 * @return APR_SUCCESS or APR_EGENERAL
 */
apr_status_t oa2_hmac_sha256(const void *key, apr_size_t key_len,
                             const void *data, apr_size_t len,
                             unsigned char out[OA2_SHA256_LEN]);

/**
 * Compares two byte strings in time that depends only on their lengths.
 * @return non-zero when equal
 */
int oa2_ct_equal(const void *a, apr_size_t a_len, const void *b,
                 apr_size_t b_len);

/**
 * oa2_ct_equal() on two NUL-terminated strings; NULL never matches.
 */
int oa2_ct_streq(const char *a, const char *b);

#endif
