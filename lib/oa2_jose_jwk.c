/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_jose_jwk: keys for JWS: PEM loading with strength checks, JWK/JWKS import and export, RFC 7638 thumbprints. */
#include <string.h>
#include <apr_strings.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "oa2_b64url.h"
#include "oa2_file.h"
#include "oa2_jose.h"
#include "oa2_json.h"
#include "oa2_token.h"

#define EC_COORD_LEN 32
#define ED25519_LEN 32
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 16384
#define PEM_MAX_LEN 65536

static apr_status_t pkey_cleanup(void *data)
{
    EVP_PKEY_free(data);
    return APR_SUCCESS;
}

const char *oa2_alg_name(oa2_alg_e alg)
{
    switch (alg) {
    case OA2_ALG_ES256: return "ES256";
    case OA2_ALG_RS256: return "RS256";
    case OA2_ALG_PS256: return "PS256";
    case OA2_ALG_EDDSA: return "EdDSA";
    }
    return "";
}

oa2_alg_e oa2_alg_from_name(const char *name)
{
    if (name == NULL) {
        return 0;
    }
    if (strcmp(name, "ES256") == 0) {
        return OA2_ALG_ES256;
    }
    if (strcmp(name, "RS256") == 0) {
        return OA2_ALG_RS256;
    }
    if (strcmp(name, "PS256") == 0) {
        return OA2_ALG_PS256;
    }
    if (strcmp(name, "EdDSA") == 0) {
        return OA2_ALG_EDDSA;
    }
    return 0;
}

apr_status_t oa2_alg_list_parse(apr_pool_t *p, const char *list,
                                unsigned int *algs, const char **bad)
{
    char *copy = apr_pstrdup(p, list ? list : ""), *last, *w;
    unsigned int set = 0;

    for (w = apr_strtok(copy, " \t,", &last); w != NULL;
         w = apr_strtok(NULL, " \t,", &last)) {
        oa2_alg_e a = oa2_alg_from_name(w);
        if (a == 0) {
            *bad = w;
            return APR_EINVAL;
        }
        set |= (unsigned int)a;
    }
    if (set == 0) {
        *bad = "";
        return APR_EINVAL;
    }
    *algs = set;
    return APR_SUCCESS;
}

/* Reads a big-endian BIGNUM parameter as base64url of exactly `pad` bytes,
 * or of its minimal length when pad is 0 (RSA n and e, RFC 7518 §6.3.1). */
static const char *bn_param_b64(apr_pool_t *p, EVP_PKEY *pkey,
                                const char *name, int pad)
{
    BIGNUM *bn = NULL;
    unsigned char buf[RSA_MAX_BITS / 8];
    int n;
    const char *out = NULL;

    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) {
        return NULL;
    }
    n = pad ? pad : BN_num_bytes(bn);
    if (n > 0 && n <= (int)sizeof(buf) && BN_bn2binpad(bn, buf, n) == n) {
        out = oa2_b64url_encode(p, buf, (apr_size_t)n);
    }
    BN_free(bn);
    return out;
}

static const char *okp_x_b64(apr_pool_t *p, EVP_PKEY *pkey)
{
    unsigned char x[ED25519_LEN];
    size_t len = sizeof(x);

    if (EVP_PKEY_get_raw_public_key(pkey, x, &len) != 1
        || len != ED25519_LEN) {
        return NULL;
    }
    return oa2_b64url_encode(p, x, len);
}

/* The required public members in the lexicographic order RFC 7638 wants;
 * also the body of our exported JWKs. */
static const char *jwk_required_members(apr_pool_t *p, EVP_PKEY *pkey)
{
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_EC: {
        const char *x = bn_param_b64(p, pkey, OSSL_PKEY_PARAM_EC_PUB_X,
                                     EC_COORD_LEN);
        const char *y = bn_param_b64(p, pkey, OSSL_PKEY_PARAM_EC_PUB_Y,
                                     EC_COORD_LEN);
        if (x == NULL || y == NULL) {
            return NULL;
        }
        return apr_pstrcat(p, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"", x,
                           "\",\"y\":\"", y, "\"}", NULL);
    }
    case EVP_PKEY_RSA: {
        const char *e = bn_param_b64(p, pkey, OSSL_PKEY_PARAM_RSA_E, 0);
        const char *n = bn_param_b64(p, pkey, OSSL_PKEY_PARAM_RSA_N, 0);
        if (e == NULL || n == NULL) {
            return NULL;
        }
        return apr_pstrcat(p, "{\"e\":\"", e, "\",\"kty\":\"RSA\",\"n\":\"",
                           n, "\"}", NULL);
    }
    case EVP_PKEY_ED25519: {
        const char *x = okp_x_b64(p, pkey);
        if (x == NULL) {
            return NULL;
        }
        return apr_pstrcat(p, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"",
                           x, "\"}", NULL);
    }
    }
    return NULL;
}

const char *oa2_jwk_thumbprint(apr_pool_t *p, EVP_PKEY *pkey)
{
    const char *json = jwk_required_members(p, pkey);

    return json ? oa2_token_hash(p, json) : NULL;
}

/* Checks the key type and strength; sets kty and algorithms. */
static const char *classify_key(EVP_PKEY *pkey, oa2_jwk_t *key)
{
    char group[64];

    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_EC:
        if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                           group, sizeof(group), NULL) != 1
            || strcmp(group, "prime256v1") != 0) {
            return "EC keys must be on curve P-256";
        }
        key->kty = "EC";
        key->alg = OA2_ALG_ES256;
        key->algs = OA2_ALG_ES256;
        return NULL;
    case EVP_PKEY_RSA:
        if (EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS) {
            return "RSA keys must have at least 2048 bits";
        }
        if (EVP_PKEY_get_bits(pkey) > RSA_MAX_BITS) {
            return "RSA key too large";
        }
        key->kty = "RSA";
        key->alg = OA2_ALG_RS256;
        key->algs = OA2_ALG_RS256 | OA2_ALG_PS256;
        return NULL;
    case EVP_PKEY_ED25519:
        key->kty = "OKP";
        key->alg = OA2_ALG_EDDSA;
        key->algs = OA2_ALG_EDDSA;
        return NULL;
    }
    return "unsupported key type (use EC P-256, RSA >= 2048 or Ed25519)";
}

apr_status_t oa2_jwk_from_pkey(apr_pool_t *p, EVP_PKEY *pkey,
                               const char *kid, oa2_jwk_t **out,
                               const char **why)
{
    oa2_jwk_t *key = apr_pcalloc(p, sizeof(*key));

    apr_pool_cleanup_register(p, pkey, pkey_cleanup, apr_pool_cleanup_null);
    key->pkey = pkey;
    *why = classify_key(pkey, key);
    if (*why != NULL) {
        return APR_EINVAL;
    }
    key->thumbprint = oa2_jwk_thumbprint(p, pkey);
    if (key->thumbprint == NULL) {
        *why = "cannot read the public key";
        return APR_EINVAL;
    }
    key->kid = (kid && *kid) ? apr_pstrdup(p, kid) : key->thumbprint;
    oa2_jws_prepare_verifiers(p, key);
    *out = key;
    return APR_SUCCESS;
}

/* strstr() within len bytes: the PEM need not be NUL-terminated. */
static int pem_has(const char *pem, apr_size_t len, const char *marker)
{
    apr_size_t n = strlen(marker), i;

    for (i = 0; i + n <= len; i++) {
        if (memcmp(pem + i, marker, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A passphrase callback that refuses, so OpenSSL never prompts. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

apr_status_t oa2_jwk_load_pem(apr_pool_t *p, const char *pem, apr_size_t len,
                              const char *kid, oa2_jwk_t **out,
                              const char **why)
{
    BIO *bio;
    EVP_PKEY *pkey = NULL;
    int is_private = 0;

    if (len == 0 || len > PEM_MAX_LEN) {
        *why = "empty or oversized PEM";
        return APR_EINVAL;
    }
    bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL) {
        *why = "out of memory";
        return APR_ENOMEM;
    }
    if (pem_has(pem, len, "PRIVATE KEY-----")) {
        pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
        is_private = 1;
    }
    else if (pem_has(pem, len, "-----BEGIN PUBLIC KEY-----")) {
        pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    }
    else if (pem_has(pem, len, "-----BEGIN CERTIFICATE-----")) {
        X509 *x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
        if (x != NULL) {
            pkey = X509_get_pubkey(x);
            X509_free(x);
        }
    }
    BIO_free(bio);
    if (pkey == NULL) {
        *why = "no readable unencrypted PEM private key, public key or "
               "certificate";
        return APR_EINVAL;
    }
    if (oa2_jwk_from_pkey(p, pkey, kid, out, why) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    (*out)->is_private = is_private;
    return APR_SUCCESS;
}

apr_status_t oa2_jwk_load_pem_file(apr_pool_t *p, const char *path,
                                   const char *kid, oa2_jwk_t **out,
                                   const char **why)
{
    char *buf;
    apr_size_t n;
    apr_status_t rv = oa2_file_read(p, path, PEM_MAX_LEN, &buf, &n, why);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = oa2_jwk_load_pem(p, buf, n, kid, out, why);
    OPENSSL_cleanse(buf, n);
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "%s: %s", path, *why);
    }
    return rv;
}

json_object *oa2_jwk_to_json(apr_pool_t *p, const oa2_jwk_t *key)
{
    const char *members = jwk_required_members(p, key->pkey);
    json_object *jwk;

    if (members == NULL
        || oa2_json_parse_object(p, members, strlen(members), &jwk)
           != APR_SUCCESS) {
        return NULL;
    }
    oa2_json_set_string(jwk, "kid", key->kid);
    oa2_json_set_string(jwk, "use", "sig");
    oa2_json_set_string(jwk, "alg", oa2_alg_name(key->alg));
    return jwk;
}

const char *oa2_jwks_text(apr_pool_t *p, const apr_array_header_t *keys)
{
    json_object *doc = oa2_json_object(p);
    json_object *arr = json_object_new_array();
    int i;

    json_object_object_add(doc, "keys", arr);
    for (i = 0; i < keys->nelts; i++) {
        json_object *jwk = oa2_jwk_to_json(
            p, APR_ARRAY_IDX(keys, i, const oa2_jwk_t *));
        if (jwk != NULL) {
            json_object_array_add(arr, json_object_get(jwk));
        }
    }
    return oa2_json_text(p, doc);
}

/* Decodes a base64url member of exactly `want` bytes (0: any, up to max). */
static const unsigned char *jwk_bytes(apr_pool_t *p, json_object *jwk,
                                      const char *name, apr_size_t want,
                                      apr_size_t max, apr_size_t *len)
{
    const char *s = oa2_json_get_string(jwk, name);
    unsigned char *raw;

    if (s == NULL || strlen(s) > max * 2
        || oa2_b64url_decode(p, s, strlen(s), &raw, len) != APR_SUCCESS
        || *len == 0 || (want && *len != want) || *len > max) {
        return NULL;
    }
    return raw;
}

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *pkey = NULL;

    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *jwk_ec(apr_pool_t *p, json_object *jwk, const char **why)
{
    apr_size_t xl, yl;
    const unsigned char *x, *y;
    unsigned char point[1 + 2 * EC_COORD_LEN];
    OSSL_PARAM_BLD *bld;
    EVP_PKEY *pkey = NULL;
    const char *crv = oa2_json_get_string(jwk, "crv");

    if (crv == NULL || strcmp(crv, "P-256") != 0) {
        *why = "EC key not on P-256";
        return NULL;
    }
    x = jwk_bytes(p, jwk, "x", EC_COORD_LEN, EC_COORD_LEN, &xl);
    y = jwk_bytes(p, jwk, "y", EC_COORD_LEN, EC_COORD_LEN, &yl);
    if (x == NULL || y == NULL) {
        *why = "EC key with bad x or y";
        return NULL;
    }
    point[0] = 0x04;
    memcpy(point + 1, x, EC_COORD_LEN);
    memcpy(point + 1 + EC_COORD_LEN, y, EC_COORD_LEN);
    bld = OSSL_PARAM_BLD_new();
    if (bld != NULL
        && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                           "prime256v1", 0) == 1
        && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                            point, sizeof(point)) == 1) {
        pkey = pkey_fromdata("EC", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    if (pkey == NULL) {
        *why = "EC point not on the curve";
    }
    return pkey;
}

static EVP_PKEY *jwk_rsa(apr_pool_t *p, json_object *jwk, const char **why)
{
    apr_size_t nl, el;
    const unsigned char *n = jwk_bytes(p, jwk, "n", 0, RSA_MAX_BITS / 8, &nl);
    const unsigned char *e = jwk_bytes(p, jwk, "e", 0, 8, &el);
    BIGNUM *bn_n, *bn_e;
    OSSL_PARAM_BLD *bld;
    EVP_PKEY *pkey = NULL;

    if (n == NULL || e == NULL) {
        *why = "RSA key with bad n or e";
        return NULL;
    }
    bn_n = BN_bin2bn(n, (int)nl, NULL);
    bn_e = BN_bin2bn(e, (int)el, NULL);
    bld = OSSL_PARAM_BLD_new();
    if (bn_n != NULL && bn_e != NULL && bld != NULL
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
        pkey = pkey_fromdata("RSA", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    if (pkey == NULL) {
        *why = "invalid RSA key";
    }
    return pkey;
}

static EVP_PKEY *jwk_okp(apr_pool_t *p, json_object *jwk, const char **why)
{
    apr_size_t xl;
    const unsigned char *x;
    const char *crv = oa2_json_get_string(jwk, "crv");
    EVP_PKEY *pkey;

    if (crv == NULL || strcmp(crv, "Ed25519") != 0) {
        *why = "OKP key is not Ed25519";
        return NULL;
    }
    x = jwk_bytes(p, jwk, "x", ED25519_LEN, ED25519_LEN, &xl);
    pkey = x ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, xl)
             : NULL;
    if (pkey == NULL) {
        *why = "Ed25519 key with bad x";
    }
    return pkey;
}

apr_status_t oa2_jwk_from_json(apr_pool_t *p, json_object *jwk,
                               oa2_jwk_t **out, const char **why)
{
    const char *kty = oa2_json_get_string(jwk, "kty");
    const char *use = oa2_json_get_string(jwk, "use");
    const char *alg = oa2_json_get_string(jwk, "alg");
    const char *kid = oa2_json_get_string(jwk, "kid");
    EVP_PKEY *pkey = NULL;
    oa2_jwk_t *key;

    *why = NULL;
    if (kty == NULL) {
        *why = "JWK without kty";
        return APR_EINVAL;
    }
    if (use != NULL && strcmp(use, "sig") != 0) {
        *why = "JWK not for signatures";
        return APR_EINVAL;
    }
    if (strcmp(kty, "EC") == 0) {
        pkey = jwk_ec(p, jwk, why);
    }
    else if (strcmp(kty, "RSA") == 0) {
        pkey = jwk_rsa(p, jwk, why);
    }
    else if (strcmp(kty, "OKP") == 0) {
        pkey = jwk_okp(p, jwk, why);
    }
    else {
        *why = "unsupported kty";
    }
    if (pkey == NULL) {
        return APR_EINVAL;
    }
    if (oa2_jwk_from_pkey(p, pkey, kid, &key, why) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    key->is_private = 0;
    /* a JWK that names its alg may only be used with that alg */
    if (alg != NULL) {
        oa2_alg_e a = oa2_alg_from_name(alg);
        if (a == 0 || (key->algs & (unsigned int)a) == 0) {
            *why = "JWK alg does not fit the key";
            return APR_EINVAL;
        }
        key->alg = a;
        key->algs = (unsigned int)a;
    }
    *out = key;
    return APR_SUCCESS;
}

apr_status_t oa2_jwks_parse(apr_pool_t *p, const char *text, apr_size_t len,
                            apr_array_header_t **keys, const char **why)
{
    json_object *doc, *arr;
    apr_array_header_t *out;
    size_t i, n;

    if (oa2_json_parse_object(p, text, len, &doc) != APR_SUCCESS) {
        *why = "JWKS is not a JSON object";
        return APR_EINVAL;
    }
    arr = oa2_json_get_typed(doc, "keys", json_type_array);
    if (arr == NULL) {
        *why = "JWKS has no \"keys\" array";
        return APR_EINVAL;
    }
    n = json_object_array_length(arr);
    out = apr_array_make(p, n ? (int)n : 1, sizeof(oa2_jwk_t *));
    for (i = 0; i < n && i < 100; i++) {
        oa2_jwk_t *key;
        const char *skip;
        json_object *jwk = json_object_array_get_idx(arr, i);
        if (json_object_is_type(jwk, json_type_object)
            && oa2_jwk_from_json(p, jwk, &key, &skip) == APR_SUCCESS) {
            APR_ARRAY_PUSH(out, oa2_jwk_t *) = key;
        }
    }
    if (out->nelts == 0) {
        *why = "JWKS has no usable signature key";
        return APR_EINVAL;
    }
    *keys = out;
    return APR_SUCCESS;
}
