/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_jose_jws: JWS compact serialisation (RFC 7515): parse, sign and verify through OpenSSL EVP. */
#include <string.h>
#include <apr_strings.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include "oa2_b64url.h"
#include "oa2_jose.h"
#include "oa2_json.h"

#define ES256_SIG_LEN 64
#define SIG_MAX_LEN 2048

static int jws_err(oa2_err_t *err, const char *why)
{
    return oa2_err_set(err, 401, OA2_ERR_INVALID_TOKEN, why);
}

/* The JSON object of a segment, and its decoded text. */
static apr_status_t decode_json_segment(apr_pool_t *p, const char *seg,
                                        apr_size_t len, json_object **out,
                                        const char **text)
{
    unsigned char *raw;
    apr_size_t raw_len;

    if (oa2_b64url_decode(p, seg, len, &raw, &raw_len) != APR_SUCCESS
        || memchr(raw, '\0', raw_len) != NULL) {
        return APR_EINVAL;
    }
    *text = (const char *)raw;
    return oa2_json_parse_object(p, (const char *)raw, raw_len, out);
}

apr_status_t oa2_jws_parse(apr_pool_t *p, const char *compact,
                           apr_size_t len, oa2_jws_t **out, oa2_err_t *err)
{
    const char *d1, *d2, *header_text;
    oa2_jws_t *jws;

    if (compact == NULL || len == 0) {
        return jws_err(err, "empty token");
    }
    if (len > OA2_JWS_MAX_LEN) {
        return jws_err(err, "token too large");
    }
    d1 = memchr(compact, '.', len);
    d2 = d1 ? memchr(d1 + 1, '.', len - (apr_size_t)(d1 + 1 - compact))
            : NULL;
    if (d1 == NULL || d2 == NULL
        || memchr(d2 + 1, '.', len - (apr_size_t)(d2 + 1 - compact))
           != NULL) {
        return jws_err(err, "not a compact JWS (three segments)");
    }
    jws = apr_pcalloc(p, sizeof(*jws));
    if (decode_json_segment(p, compact, (apr_size_t)(d1 - compact),
                            &jws->header, &header_text) != APR_SUCCESS) {
        return jws_err(err, "malformed JWS header");
    }
    /* RFC 7515 §4.1.11: we understand no extension, so any crit fails */
    if (json_object_object_get_ex(jws->header, "crit", NULL)) {
        return jws_err(err, "unsupported critical header");
    }
    jws->alg = oa2_alg_from_name(oa2_json_get_string(jws->header, "alg"));
    if (jws->alg == 0) {
        return jws_err(err, "signature algorithm not allowed");
    }
    if (json_object_object_get_ex(jws->header, "kid", NULL)) {
        jws->kid = oa2_json_get_string(jws->header, "kid");
        if (jws->kid == NULL) {
            return jws_err(err, "malformed kid");
        }
    }
    jws->typ = oa2_json_get_string(jws->header, "typ");
    if (decode_json_segment(p, d1 + 1, (apr_size_t)(d2 - d1 - 1),
                            &jws->payload, &jws->payload_text) != APR_SUCCESS) {
        return jws_err(err, "malformed JWS payload");
    }
    if (oa2_b64url_decode(p, d2 + 1, len - (apr_size_t)(d2 + 1 - compact),
                          &jws->sig, &jws->sig_len) != APR_SUCCESS
        || jws->sig_len == 0 || jws->sig_len > SIG_MAX_LEN) {
        return jws_err(err, "malformed JWS signature");
    }
    jws->signing_input = compact;
    jws->signing_input_len = (apr_size_t)(d2 - compact);
    *out = jws;
    return APR_SUCCESS;
}

/* Sets up a digest-sign or digest-verify context for alg. */
static int ctx_init(EVP_MD_CTX *ctx, const oa2_jwk_t *key, oa2_alg_e alg,
                    int sign)
{
    EVP_PKEY_CTX *pctx = NULL;
    const EVP_MD *md = (alg == OA2_ALG_EDDSA) ? NULL : EVP_sha256();
    int ok;

    ok = sign ? EVP_DigestSignInit(ctx, &pctx, md, NULL, key->pkey)
              : EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key->pkey);
    if (ok != 1) {
        return 0;
    }
    if (alg == OA2_ALG_PS256) {
        /* RFC 7518 §3.5: MGF1 with SHA-256, salt as long as the hash */
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
               && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
                                                   RSA_PSS_SALTLEN_DIGEST)
                  == 1
               && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
    }
    if (alg == OA2_ALG_RS256) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    return 1;
}

/* JWS ES256 signatures are R||S; OpenSSL speaks DER. */
static apr_status_t es256_der_to_raw(const unsigned char *der,
                                     apr_size_t der_len, unsigned char *raw)
{
    const unsigned char *d = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &d, (long)der_len);
    const BIGNUM *r, *s;
    apr_status_t rv = APR_EGENERAL;

    if (es == NULL) {
        return rv;
    }
    ECDSA_SIG_get0(es, &r, &s);
    if (BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32) {
        rv = APR_SUCCESS;
    }
    ECDSA_SIG_free(es);
    return rv;
}

/* DER of an ECDSA P-256 signature is at most 72 bytes. */
#define ES256_DER_MAX 80

static apr_status_t es256_raw_to_der(const unsigned char *raw,
                                     unsigned char *der, apr_size_t *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL);
    BIGNUM *s = BN_bin2bn(raw + 32, 32, NULL);
    unsigned char *out = der;
    int n = 0;

    if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
        ECDSA_SIG_free(es);
        BN_free(r);
        BN_free(s);
        return APR_EGENERAL;
    }
    if (i2d_ECDSA_SIG(es, NULL) <= ES256_DER_MAX) {
        n = i2d_ECDSA_SIG(es, &out);
    }
    ECDSA_SIG_free(es);
    if (n <= 0) {
        return APR_EGENERAL;
    }
    *der_len = (apr_size_t)n;
    return APR_SUCCESS;
}

apr_status_t oa2_jws_sign_input(apr_pool_t *p, const oa2_jwk_t *key,
                                const void *input, apr_size_t len,
                                unsigned char **sig, apr_size_t *sig_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buf = NULL;
    size_t n = 0;
    apr_status_t rv = APR_EGENERAL;

    if (ctx == NULL || !ctx_init(ctx, key, key->alg, 1)
        || EVP_DigestSign(ctx, NULL, &n, input, len) != 1) {
        goto cleanup;
    }
    buf = apr_palloc(p, n);
    if (EVP_DigestSign(ctx, buf, &n, input, len) != 1) {
        goto cleanup;
    }
    if (key->alg == OA2_ALG_ES256) {
        unsigned char *raw = apr_palloc(p, ES256_SIG_LEN);
        if (es256_der_to_raw(buf, n, raw) != APR_SUCCESS) {
            goto cleanup;
        }
        buf = raw;
        n = ES256_SIG_LEN;
    }
    *sig = buf;
    *sig_len = n;
    rv = APR_SUCCESS;
cleanup:
    EVP_MD_CTX_free(ctx);
    return rv;
}

/* The slot of key->verifier for alg, or -1. */
static int verifier_slot(oa2_alg_e alg)
{
    switch (alg) {
    case OA2_ALG_ES256:
        return 0;
    case OA2_ALG_RS256:
        return 1;
    case OA2_ALG_PS256:
        return 2;
    default:
        return -1;
    }
}

static apr_status_t verifiers_free(void *data)
{
    oa2_jwk_t *key = data;
    int i;

    for (i = 0; i < 3; i++) {
        EVP_MD_CTX_free(key->verifier[i]);
        key->verifier[i] = NULL;
    }
    return APR_SUCCESS;
}

void oa2_jws_prepare_verifiers(apr_pool_t *p, oa2_jwk_t *key)
{
    const oa2_alg_e algs[3] = { OA2_ALG_ES256, OA2_ALG_RS256,
                                OA2_ALG_PS256 };
    int i;

    for (i = 0; i < 3; i++) {
        EVP_MD_CTX *ctx;
        if ((key->algs & (unsigned int)algs[i]) == 0
            || (ctx = EVP_MD_CTX_new()) == NULL) {
            continue;
        }
        if (!ctx_init(ctx, key, algs[i], 0)) {
            EVP_MD_CTX_free(ctx);
            continue;
        }
        key->verifier[i] = ctx;
    }
    apr_pool_cleanup_register(p, key, verifiers_free, apr_pool_cleanup_null);
}

/* A context ready to verify alg with key: a copy of the prepared one, else
 * a new one. */
static EVP_MD_CTX *verify_ctx(const oa2_jwk_t *key, oa2_alg_e alg)
{
    int slot = verifier_slot(alg);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    if (ctx == NULL) {
        return NULL;
    }
    if (slot >= 0 && key->verifier[slot] != NULL
        && EVP_MD_CTX_copy_ex(ctx, key->verifier[slot]) == 1) {
        return ctx;
    }
    EVP_MD_CTX_reset(ctx);
    if (!ctx_init(ctx, key, alg, 0)) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

apr_status_t oa2_jws_verify_input(const oa2_jwk_t *key, oa2_alg_e alg,
                                  const void *input, apr_size_t len,
                                  const unsigned char *sig,
                                  apr_size_t sig_len)
{
    EVP_MD_CTX *ctx;
    unsigned char der[ES256_DER_MAX];
    apr_size_t der_len = 0;
    int ok = 0;

    if ((key->algs & (unsigned int)alg) == 0) {
        return APR_EINVAL;
    }
    if (alg == OA2_ALG_ES256) {
        if (sig_len != ES256_SIG_LEN
            || es256_raw_to_der(sig, der, &der_len) != APR_SUCCESS) {
            return APR_EINVAL;
        }
        sig = der;
        sig_len = der_len;
    }
    ctx = verify_ctx(key, alg);
    if (ctx != NULL) {
        ok = EVP_DigestVerify(ctx, sig, sig_len, input, len) == 1;
    }
    EVP_MD_CTX_free(ctx);
    return ok ? APR_SUCCESS : APR_EINVAL;
}

apr_status_t oa2_jws_verify(const oa2_jws_t *jws,
                            const apr_array_header_t *keys,
                            unsigned int allowed, const oa2_jwk_t **used)
{
    apr_status_t rv = APR_NOTFOUND;
    int i;

    if ((allowed & (unsigned int)jws->alg) == 0 || keys == NULL) {
        return APR_NOTFOUND;
    }
    for (i = 0; i < keys->nelts; i++) {
        const oa2_jwk_t *key = APR_ARRAY_IDX(keys, i, const oa2_jwk_t *);
        if ((key->algs & (unsigned int)jws->alg) == 0
            || (jws->kid != NULL && strcmp(jws->kid, key->kid) != 0)) {
            continue;
        }
        if (oa2_jws_verify_input(key, jws->alg, jws->signing_input,
                                 jws->signing_input_len, jws->sig,
                                 jws->sig_len) == APR_SUCCESS) {
            if (used != NULL) {
                *used = key;
            }
            return APR_SUCCESS;
        }
        rv = APR_EINVAL;
    }
    return rv;
}

apr_status_t oa2_jws_sign(apr_pool_t *p, const oa2_jwk_t *key,
                          const char *typ, const char *payload,
                          apr_size_t payload_len, const char **compact)
{
    const char *header, *input;
    unsigned char *sig;
    apr_size_t sig_len;

    header = apr_pstrcat(p, "{\"alg\":\"", oa2_alg_name(key->alg),
                         "\",\"kid\":", oa2_json_quote(p, key->kid),
                         typ ? ",\"typ\":" : "",
                         typ ? oa2_json_quote(p, typ) : "", "}", NULL);
    input = apr_pstrcat(p, oa2_b64url_encode(p, (const unsigned char *)header,
                                             strlen(header)),
                        ".",
                        oa2_b64url_encode(p, (const unsigned char *)payload,
                                          payload_len), NULL);
    if (oa2_jws_sign_input(p, key, input, strlen(input), &sig, &sig_len)
        != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    *compact = apr_pstrcat(p, input, ".", oa2_b64url_encode(p, sig, sig_len),
                           NULL);
    return APR_SUCCESS;
}
