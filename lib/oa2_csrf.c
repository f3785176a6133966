/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_csrf: anti-CSRF tokens: a nonce and an expiry MACed (HMAC-SHA-256) together with who and what they are for. */
#include <string.h>
#include <apr_strings.h>
#include <openssl/rand.h>

#include "oa2_b64url.h"
#include "oa2_csrf.h"
#include "oa2_token.h"

#define NONCE_LEN 16
#define BODY_LEN (NONCE_LEN + 8)

/* The MAC input keeps each field apart: lengths cannot be shifted between
 * purpose and binding because neither may contain a NUL. */
static apr_status_t mac(apr_pool_t *p, const unsigned char *key,
                        apr_size_t key_len, const char *purpose,
                        const char *binding, const unsigned char *body,
                        unsigned char out[OA2_SHA256_LEN])
{
    apr_size_t pl = strlen(purpose), bl = strlen(binding);
    unsigned char *in = apr_palloc(p, pl + bl + 2 + BODY_LEN);

    memcpy(in, purpose, pl);
    in[pl] = '\0';
    memcpy(in + pl + 1, binding, bl);
    in[pl + 1 + bl] = '\0';
    memcpy(in + pl + bl + 2, body, BODY_LEN);
    return oa2_hmac_sha256(key, key_len, in, pl + bl + 2 + BODY_LEN, out);
}

const char *oa2_csrf_make(apr_pool_t *p, const unsigned char *key,
                          apr_size_t key_len, const char *purpose,
                          const char *binding, apr_int64_t expiry)
{
    unsigned char body[BODY_LEN], md[OA2_SHA256_LEN];
    int i;

    if (RAND_bytes(body, NONCE_LEN) != 1) {
        return NULL;
    }
    for (i = 0; i < 8; i++) {
        body[NONCE_LEN + i] = (unsigned char)((apr_uint64_t)expiry
                                              >> (56 - 8 * i));
    }
    if (mac(p, key, key_len, purpose, binding, body, md) != APR_SUCCESS) {
        return NULL;
    }
    return apr_pstrcat(p, oa2_b64url_encode(p, body, BODY_LEN), ".",
                       oa2_b64url_encode(p, md, sizeof(md)), NULL);
}

apr_status_t oa2_csrf_check(apr_pool_t *p, const unsigned char *key,
                            apr_size_t key_len, const char *purpose,
                            const char *binding, const char *token,
                            apr_int64_t now, const char **nonce,
                            apr_int64_t *expiry)
{
    unsigned char *body, *sig, md[OA2_SHA256_LEN];
    apr_size_t body_len, sig_len;
    const char *dot;
    apr_uint64_t exp = 0;
    int i;

    if (token == NULL || strlen(token) > 128
        || (dot = strchr(token, '.')) == NULL
        || oa2_b64url_decode(p, token, (apr_size_t)(dot - token), &body,
                             &body_len) != APR_SUCCESS
        || body_len != BODY_LEN
        || oa2_b64url_decode(p, dot + 1, strlen(dot + 1), &sig, &sig_len)
           != APR_SUCCESS
        || mac(p, key, key_len, purpose, binding, body, md) != APR_SUCCESS
        || !oa2_ct_equal(md, sizeof(md), sig, sig_len)) {
        return APR_EINVAL;
    }
    for (i = 0; i < 8; i++) {
        exp = (exp << 8) | body[NONCE_LEN + i];
    }
    if ((apr_int64_t)exp < now) {
        return APR_TIMEUP;
    }
    *nonce = oa2_b64url_encode(p, body, NONCE_LEN);
    *expiry = (apr_int64_t)exp;
    return APR_SUCCESS;
}
