/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_jose: JWS compact sign/verify with an algorithm allow-list, JWK/JWKS import and export. */
#ifndef OA2_JOSE_H
#define OA2_JOSE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "oa2_error.h"

/* The signature algorithms we implement, as bit flags for allow-lists.
 * There is deliberately no "none" and no HMAC: a JWS whose alg is not one
 * of these is refused before any key is looked at. */
typedef enum {
    OA2_ALG_ES256 = 1,
    OA2_ALG_RS256 = 2,
    OA2_ALG_PS256 = 4,
    OA2_ALG_EDDSA = 8
} oa2_alg_e;

#define OA2_ALG_ALL (OA2_ALG_ES256 | OA2_ALG_RS256 | OA2_ALG_PS256 \
                     | OA2_ALG_EDDSA)

/* Compact JWS larger than this are refused before decoding. */
#define OA2_JWS_MAX_LEN 16384

/** A key usable for JWS: a public key, or a key pair for signing. */
typedef struct oa2_jwk_t {
    EVP_PKEY *pkey;          /* freed by a cleanup on the creating pool */
    const char *kty;         /* "EC", "RSA" or "OKP" */
    const char *kid;         /* the configured kid, else the thumbprint */
    const char *thumbprint;  /* RFC 7638, base64url */
    oa2_alg_e alg;           /* the algorithm this key signs with */
    unsigned int algs;       /* the algorithms it may verify */
    int is_private;
    /* Verification contexts for ES256, RS256 and PS256 (in that order),
     * set up when the key is made and copied for each signature: setting
     * one up looks the algorithms up in OpenSSL's providers every time.
     * NULL: set up per call (EdDSA, or a failed set-up). Read-only once
     * the key is made, so threads may share the key. */
    EVP_MD_CTX *verifier[3];
} oa2_jwk_t;

/** A parsed (not yet verified) compact JWS. */
typedef struct oa2_jws_t {
    json_object *header;
    json_object *payload;    /* the payload when it is a JSON object */
    const char *payload_text; /* the decoded payload it was parsed from
                               * (NUL-terminated; no NUL inside) */
    oa2_alg_e alg;
    const char *kid;         /* NULL when absent */
    const char *typ;         /* NULL when absent */
    const char *signing_input;
    apr_size_t signing_input_len;
    unsigned char *sig;
    apr_size_t sig_len;
} oa2_jws_t;

/**
 * @return the JWA name of one algorithm ("ES256", ...)
 */
const char *oa2_alg_name(oa2_alg_e alg);

/**
 * @return the algorithm named, or 0 for anything else ("none", "HS256",
 *         unknown names, NULL)
 */
oa2_alg_e oa2_alg_from_name(const char *name);

/**
 * Parses a space-separated list of algorithm names into flags.
 * @return APR_SUCCESS, or APR_EINVAL naming an unknown algorithm in *bad
 */
apr_status_t oa2_alg_list_parse(apr_pool_t *p, const char *list,
                                unsigned int *algs, const char **bad);

/**
 * Wraps an EVP_PKEY (reference taken over) after checking its strength:
 * EC must be P-256, RSA at least 2048 bits, OKP must be Ed25519.
 * @param p pool whose cleanup frees the key
 * @param kid the kid to publish, or NULL for the RFC 7638 thumbprint
 * @param why on failure, a static reason
 * @return APR_SUCCESS or APR_EINVAL (the key is freed then)
 */
apr_status_t oa2_jwk_from_pkey(apr_pool_t *p, EVP_PKEY *pkey,
                               const char *kid, oa2_jwk_t **out,
                               const char **why);

/**
 * Loads a PEM private key, public key (SubjectPublicKeyInfo) or X.509
 * certificate. Encrypted keys are refused (no passphrase prompt).
 * @param p pool that owns the key
 * @param why on failure, the reason (allocated from p)
 */
apr_status_t oa2_jwk_load_pem(apr_pool_t *p, const char *pem, apr_size_t len,
                              const char *kid, oa2_jwk_t **out,
                              const char **why);

/**
 * oa2_jwk_load_pem() on a file's contents.
 */
apr_status_t oa2_jwk_load_pem_file(apr_pool_t *p, const char *path,
                                   const char *kid, oa2_jwk_t **out,
                                   const char **why);

/**
 * The public JWK of a key, with kid, use "sig" and alg.
 * @param p pool that owns the object
 */
json_object *oa2_jwk_to_json(apr_pool_t *p, const oa2_jwk_t *key);

/**
 * The JWKS document {"keys":[...]} of an array of oa2_jwk_t *.
 * @param p pool that owns the text
 */
const char *oa2_jwks_text(apr_pool_t *p, const apr_array_header_t *keys);

/**
 * The RFC 7638 thumbprint of a public key.
 * @param p pool that owns the result
 * @return base64url SHA-256, or NULL on failure
 */
const char *oa2_jwk_thumbprint(apr_pool_t *p, EVP_PKEY *pkey);

/**
 * Imports one public JWK (EC P-256, RSA >= 2048, OKP Ed25519). Private
 * members are ignored. A key with "use" other than "sig" is refused.
 * @param why on failure, a reason allocated from p
 */
apr_status_t oa2_jwk_from_json(apr_pool_t *p, json_object *jwk,
                               oa2_jwk_t **out, const char **why);

/**
 * Parses a JWKS document. Keys of an unsupported type or use are skipped;
 * a document that is not a JWKS, or has no usable key, is refused.
 * @param keys array of oa2_jwk_t *
 */
apr_status_t oa2_jwks_parse(apr_pool_t *p, const char *text, apr_size_t len,
                            apr_array_header_t **keys, const char **why);

/**
 * Splits and decodes a compact JWS: three base64url segments, a JSON object
 * header with an allowed "alg" (see oa2_alg_from_name), no "crit", and a
 * payload that is a JSON object.
 * @param err invalid_token with a description on failure
 */
apr_status_t oa2_jws_parse(apr_pool_t *p, const char *compact,
                           apr_size_t len, oa2_jws_t **out, oa2_err_t *err);

/**
 * Verifies the signature with the keys given. The alg must be in `allowed`
 * and in the key's own algs. When the JWS names a kid, only keys with that
 * kid are tried; otherwise every compatible key is.
 * @param keys array of oa2_jwk_t *
 * @param used the key that verified, may be NULL
 * @return APR_SUCCESS, APR_NOTFOUND when no key matches the kid/alg,
 *         APR_EINVAL when the signature is wrong
 */
apr_status_t oa2_jws_verify(const oa2_jws_t *jws,
                            const apr_array_header_t *keys,
                            unsigned int allowed, const oa2_jwk_t **used);

/**
 * Signs arbitrary input with a key's algorithm (JWS signature encoding:
 * R||S for ES256).
 * @param p pool that owns the signature
 */
apr_status_t oa2_jws_sign_input(apr_pool_t *p, const oa2_jwk_t *key,
                                const void *input, apr_size_t len,
                                unsigned char **sig, apr_size_t *sig_len);

/**
 * Sets up key->verifier (oa2_jwk_from_pkey does it for every key); the
 * contexts are freed with p.
 */
void oa2_jws_prepare_verifiers(apr_pool_t *p, oa2_jwk_t *key);

/**
 * Verifies a JWS signature over arbitrary input with one key and algorithm.
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_jws_verify_input(const oa2_jwk_t *key, oa2_alg_e alg,
                                  const void *input, apr_size_t len,
                                  const unsigned char *sig,
                                  apr_size_t sig_len);

/**
 * Builds a compact JWS: header {"alg":..,"kid":..,"typ":..} + payload.
 * @param typ the typ header, or NULL
 * @param p pool that owns the result
 */
apr_status_t oa2_jws_sign(apr_pool_t *p, const oa2_jwk_t *key,
                          const char *typ, const char *payload,
                          apr_size_t payload_len, const char **compact);

#endif
