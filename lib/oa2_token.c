/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_token: random credentials, SHA-256, HMAC and constant-time comparison, all through OpenSSL. */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "oa2_b64url.h"
#include "oa2_token.h"

const char *oa2_token_random(apr_pool_t *p, apr_size_t nbytes)
{
    unsigned char buf[64];
    const char *out;

    if (nbytes == 0 || nbytes > sizeof(buf)
        || RAND_bytes(buf, (int)nbytes) != 1) {
        return NULL;
    }
    out = oa2_b64url_encode(p, buf, nbytes);
    OPENSSL_cleanse(buf, sizeof(buf));
    return out;
}

/* Set once by oa2_token_init before threads start, then only read. */
static EVP_MD *sha256_md;

apr_status_t oa2_token_init(void)
{
    if (sha256_md == NULL) {
        sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    }
    return sha256_md != NULL ? APR_SUCCESS : APR_EGENERAL;
}

apr_status_t oa2_sha256(const void *data, apr_size_t len,
                        unsigned char out[OA2_SHA256_LEN])
{
    const EVP_MD *md = sha256_md != NULL ? sha256_md : EVP_sha256();
    unsigned int n = 0;

    if (EVP_Digest(data, len, out, &n, md, NULL) != 1
        || n != OA2_SHA256_LEN) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

const char *oa2_token_hash(apr_pool_t *p, const char *s)
{
    unsigned char md[OA2_SHA256_LEN];

    if (s == NULL || oa2_sha256(s, strlen(s), md) != APR_SUCCESS) {
        return NULL;
    }
    return oa2_b64url_encode(p, md, sizeof(md));
}

apr_status_t oa2_hmac_sha256(const void *key, apr_size_t key_len,
                             const void *data, apr_size_t len,
                             unsigned char out[OA2_SHA256_LEN])
{
    size_t n = 0;

    if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, key_len, data,
                  len, out, OA2_SHA256_LEN, &n) == NULL
        || n != OA2_SHA256_LEN) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

int oa2_ct_equal(const void *a, apr_size_t a_len, const void *b,
                 apr_size_t b_len)
{
    if (a_len != b_len) {
        return 0;
    }
    return CRYPTO_memcmp(a, b, a_len) == 0;
}

int oa2_ct_streq(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return 0;
    }
    return oa2_ct_equal(a, strlen(a), b, strlen(b));
}
