/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_jose: JWS, JWK, JWKS: RFC 7515/7638/8037 vectors, round trips. */
#include <stdlib.h>
#include <string.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "unit.h"
#include "oa2_b64url.h"
#include "oa2_jose.h"
#include "oa2_json.h"

/* RFC 7515 Appendix A: the payload shared by A.1 to A.5 */
#define RFC7515_PAYLOAD \
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" \
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
#define A1_HEADER "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
#define A1_SIG "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define A2_HEADER "eyJhbGciOiJSUzI1NiJ9"
#define A2_SIG \
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7" \
    "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4" \
    "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K" \
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv" \
    "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB" \
    "p0igcN_IoypGlUPQGe77Rw"
#define A2_N \
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp" \
    "-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOW" \
    "vG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUs" \
    "LA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9k" \
    "G4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2" \
    "PAcDTW9gb54h4FRWyuXpoQ"
#define A3_HEADER "eyJhbGciOiJFUzI1NiJ9"
#define A3_SIG \
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA" \
    "pmWQxfKTUJqPP3-Kg6NU1Q"
#define A3_X "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
#define A3_Y "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
#define A3_D "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
#define A5_HEADER "eyJhbGciOiJub25lIn0"
#define RFC8037_D "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define RFC8037_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC8037_INPUT \
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
#define RFC8037_SIG \
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5B" \
    "hVsPt9g7sVvpAr_MuM0KAg"
#define RFC8037_THUMBPRINT "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
#define RFC7638_N \
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86z" \
    "wu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5Js" \
    "GY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMic" \
    "AtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-" \
    "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csF" \
    "Cur-kEgU8awapJzKnqDKgw"
#define RFC7638_THUMBPRINT "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
/* PS256 over the A.2 key, made with python3-jwcrypto: an interop check */
#define PS256_TOKEN \
    "eyJhbGciOiJQUzI1NiIsImtpZCI6IjIwMTAtMTItMjkifQ.eyJpc3MiOiJqb2UiL" \
    "CJzdWIiOiJwczI1Ni1pbnRlcm9wIn0.FVM65ryIGr8Uq0kSO8LNs1Bwd31-TXPkQ" \
    "E2jOXiDhmy8gQMk0WTtbpVZ2-efHUoTbrcE_xJH_LODoqwp6naFyRPLepoLxwfMr" \
    "eOH5kWQnLZZUGZuRJIQPXeAVeZW0h5RQA_Km1hK512U0eQAg_5CzeDFvdVhiF8Qn" \
    "2z5JNuc0py1ke2tK9xvC72wBn9w2KyUBjEulsWaq17f1jXGVXJSzBTxqYE9iljrk" \
    "87QqlqWr4CBq7C7keDzLNGi59RfgdiDjHO3WS16GpUNOjus6HK2aQxxV6YHzo5eq" \
    "QGFK0I6peZToLnApIPo-CzxrfeFLnn4CxHeQkCgXZcK8_RWhAGUhA"

static const char A2_PRIVATE_PEM[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO\n"
    "jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL\n"
    "aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn\n"
    "juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5\n"
    "ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf\n"
    "toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg\n"
    "VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW\n"
    "PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G\n"
    "O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj\n"
    "kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6\n"
    "XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB\n"
    "4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K\n"
    "pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr\n"
    "0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE\n"
    "lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6\n"
    "kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP\n"
    "rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw\n"
    "kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp\n"
    "5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2\n"
    "9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/\n"
    "evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG\n"
    "yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj\n"
    "OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2\n"
    "tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3\n"
    "ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56\n"
    "03k2+ZQwVK0JKSHuLFkuQ3U=\n"
    "-----END PRIVATE KEY-----\n";

static const char A2_PUBLIC_PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAofgWCuLjybRlzo0tZWJj\n"
    "NiuSfb4p4fAkd/wWJcyQoTbji9k0l8W26mPddxHmfHQp+Vaw+4qPCJrcS2mJPMEz\n"
    "P1Pt0Bm4d4QlL+yRT+SFd2lZS+pCgNMsD1W/YpRPEwOWvG6b32690r2jZ47soMZo\n"
    "9wGzjb/7OMg0LOL+bSf63kpaSHSXndS5z5rexMdbBYUsLA9e+KXBdQOS+UTo7WTB\n"
    "EMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6/I5IhlJH7aGhyxX\n"
    "FvUK+DWNmoudF8NAco9/h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXp\n"
    "oQIDAQAB\n"
    "-----END PUBLIC KEY-----\n";


#define A1_TOKEN A1_HEADER "." RFC7515_PAYLOAD "." A1_SIG
#define A2_INPUT A2_HEADER "." RFC7515_PAYLOAD
#define A2_TOKEN A2_INPUT "." A2_SIG
#define A3_TOKEN A3_HEADER "." RFC7515_PAYLOAD "." A3_SIG
/* A.5: the unsecured JWS, with its empty signature */
#define A5_TOKEN A5_HEADER "." RFC7515_PAYLOAD "."

#define A3_JWK "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\"," \
               "\"y\":\"" A3_Y "\"}"

/* The RFC 7638 thumbprints of the A.2 and A.3 keys, computed on their own
 * with python3-jwcrypto. */
#define A2_THUMBPRINT "IsUn6_e04MaShXFIISMp4kG62LWzMIPy_MvSA5pJgX8"
#define A3_THUMBPRINT "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"

#define WHY_WEAK_RSA "RSA keys must have at least 2048 bits"
#define WHY_NOT_P256 "EC keys must be on curve P-256"
#define WHY_KEY_TYPE "unsupported key type (use EC P-256, RSA >= 2048 or " \
                     "Ed25519)"
#define WHY_NO_PEM "no readable unencrypted PEM private key, public key or " \
                   "certificate"

/* ---- helpers ------------------------------------------------------------ */

static const char *b64s(apr_pool_t *p, const char *s)
{
    return oa2_b64url_encode(p, (const unsigned char *)s, strlen(s));
}

/* A compact JWS from a header and payload in JSON, and an encoded
 * signature. */
static const char *compact3(apr_pool_t *p, const char *header,
                            const char *payload, const char *sig)
{
    return apr_pstrcat(p, b64s(p, header), ".", b64s(p, payload), ".", sig,
                       NULL);
}

static apr_array_header_t *keyset(apr_pool_t *p, const oa2_jwk_t *a,
                                  const oa2_jwk_t *b)
{
    apr_array_header_t *keys = apr_array_make(p, 2, sizeof(oa2_jwk_t *));

    if (a != NULL) {
        APR_ARRAY_PUSH(keys, const oa2_jwk_t *) = a;
    }
    if (b != NULL) {
        APR_ARRAY_PUSH(keys, const oa2_jwk_t *) = b;
    }
    return keys;
}

static oa2_jwk_t *from_pkey(apr_pool_t *p, EVP_PKEY *pkey, const char *kid)
{
    oa2_jwk_t *key = NULL;
    const char *why = NULL;

    assert_non_null(pkey);
    assert_int_equal(oa2_jwk_from_pkey(p, pkey, kid, &key, &why),
                     APR_SUCCESS);
    assert_null(why);
    assert_non_null(key);
    return key;
}

static oa2_jwk_t *gen_ec(apr_pool_t *p, const char *kid)
{
    return from_pkey(p, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), kid);
}

static oa2_jwk_t *gen_ed25519(apr_pool_t *p, const char *kid)
{
    return from_pkey(p, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), kid);
}

static oa2_jwk_t *load_pem(apr_pool_t *p, const char *pem, const char *kid)
{
    oa2_jwk_t *key = NULL;
    const char *why = NULL;

    assert_int_equal(oa2_jwk_load_pem(p, pem, strlen(pem), kid, &key, &why),
                     APR_SUCCESS);
    assert_non_null(key);
    return key;
}

/* Loading must fail; returns the reason. */
static const char *load_pem_bad(apr_pool_t *p, const char *pem,
                                apr_size_t len)
{
    oa2_jwk_t *key = NULL;
    const char *why = NULL;

    assert_int_equal(oa2_jwk_load_pem(p, pem, len, NULL, &key, &why),
                     APR_EINVAL);
    assert_null(key);
    assert_non_null(why);
    return why;
}

static oa2_jwk_t *jwk_json(apr_pool_t *p, const char *json)
{
    json_object *o = NULL;
    oa2_jwk_t *key = NULL;
    const char *why = NULL;

    assert_int_equal(oa2_json_parse_object(p, json, strlen(json), &o),
                     APR_SUCCESS);
    assert_int_equal(oa2_jwk_from_json(p, o, &key, &why), APR_SUCCESS);
    assert_null(why);
    assert_non_null(key);
    return key;
}

/* Importing must fail; returns the reason. */
static const char *jwk_json_bad(apr_pool_t *p, const char *json)
{
    json_object *o = NULL;
    oa2_jwk_t *key = NULL;
    const char *why = NULL;

    assert_int_equal(oa2_json_parse(p, json, strlen(json), &o), APR_SUCCESS);
    assert_int_equal(oa2_jwk_from_json(p, o, &key, &why), APR_EINVAL);
    assert_null(key);
    assert_non_null(why);
    return why;
}

/* Wrapping must fail for strength or type; returns the reason. */
static const char *weak_key(apr_pool_t *p, EVP_PKEY *pkey)
{
    oa2_jwk_t *key = NULL;
    const char *why = NULL;

    assert_non_null(pkey);
    assert_int_equal(oa2_jwk_from_pkey(p, pkey, "weak", &key, &why),
                     APR_EINVAL);
    assert_null(key);
    assert_non_null(why);
    return why;
}

static oa2_jws_t *parse_ok(apr_pool_t *p, const char *compact)
{
    oa2_jws_t *jws = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_jws_parse(p, compact, strlen(compact), &jws, &err),
                     APR_SUCCESS);
    assert_non_null(jws);
    assert_null(err.error);
    return jws;
}

/* Parsing must fail with invalid_token; returns the description. */
static const char *parse_bad_len(apr_pool_t *p, const char *compact,
                                 apr_size_t len)
{
    oa2_jws_t *jws = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_jws_parse(p, compact, len, &jws, &err), APR_EINVAL);
    assert_null(jws);
    assert_non_null(err.error);
    assert_string_equal(err.error, OA2_ERR_INVALID_TOKEN);
    assert_int_equal(err.status, 401);
    assert_non_null(err.description);
    return err.description;
}

static const char *parse_bad(apr_pool_t *p, const char *compact)
{
    return parse_bad_len(p, compact, strlen(compact));
}

static const char *sign_ok(apr_pool_t *p, const oa2_jwk_t *key,
                           const char *typ, const char *payload)
{
    const char *compact = NULL;

    assert_int_equal(oa2_jws_sign(p, key, typ, payload, strlen(payload),
                                  &compact), APR_SUCCESS);
    assert_non_null(compact);
    return compact;
}

static apr_status_t verify(apr_pool_t *p, const char *compact,
                           const apr_array_header_t *keys,
                           unsigned int allowed)
{
    return oa2_jws_verify(parse_ok(p, compact), keys, allowed, NULL);
}

/* The decoded n-th segment of a compact JWS. */
static const char *segment(apr_pool_t *p, const char *compact, int n)
{
    const char *s = compact, *end;
    unsigned char *raw;
    apr_size_t raw_len;

    while (n-- > 0) {
        s = strchr(s, '.');
        assert_non_null(s);
        s++;
    }
    end = strchr(s, '.');
    if (end == NULL) {
        end = s + strlen(s);
    }
    assert_int_equal(oa2_b64url_decode(p, s, (apr_size_t)(end - s), &raw,
                                       &raw_len), APR_SUCCESS);
    return (const char *)raw;
}

/* The compact JWS with its signature replaced by sig_len bytes. */
static const char *with_sig(apr_pool_t *p, const char *compact,
                            const unsigned char *sig, apr_size_t sig_len)
{
    const char *dot = strrchr(compact, '.');

    return apr_pstrcat(p, apr_pstrmemdup(p, compact,
                                         (apr_size_t)(dot - compact) + 1),
                       oa2_b64url_encode(p, sig, sig_len), NULL);
}

static unsigned char *decode(apr_pool_t *p, const char *b64, apr_size_t *len)
{
    unsigned char *raw;

    assert_int_equal(oa2_b64url_decode(p, b64, strlen(b64), &raw, len),
                     APR_SUCCESS);
    return raw;
}

/* The text of a memory BIO, which is freed. */
static const char *bio_text(apr_pool_t *p, BIO *b)
{
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    const char *s;

    assert_true(n > 0);
    s = apr_pstrmemdup(p, data, (apr_size_t)n);
    BIO_free(b);
    return s;
}

static const char *self_signed_pem(apr_pool_t *p, EVP_PKEY *pkey)
{
    X509 *x = X509_new();
    X509_NAME *name;
    BIO *b = BIO_new(BIO_s_mem());

    assert_non_null(x);
    assert_non_null(b);
    assert_int_equal(X509_set_version(x, 2), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
    assert_int_equal(X509_set_pubkey(x, pkey), 1);
    name = X509_get_subject_name(x);
    assert_int_equal(X509_NAME_add_entry_by_txt(
                         name, "CN", MBSTRING_ASC,
                         (const unsigned char *)"unit", -1, -1, 0), 1);
    assert_int_equal(X509_set_issuer_name(x, name), 1);
    assert_true(X509_sign(x, pkey, EVP_sha256()) > 0);
    assert_int_equal(PEM_write_bio_X509(b, x), 1);
    X509_free(x);
    return bio_text(p, b);
}

/* ---- algorithms --------------------------------------------------------- */

static void test_alg_names(void **state)
{
    (void)state;
    assert_string_equal(oa2_alg_name(OA2_ALG_ES256), "ES256");
    assert_string_equal(oa2_alg_name(OA2_ALG_RS256), "RS256");
    assert_string_equal(oa2_alg_name(OA2_ALG_PS256), "PS256");
    assert_string_equal(oa2_alg_name(OA2_ALG_EDDSA), "EdDSA");

    assert_int_equal(oa2_alg_from_name("ES256"), OA2_ALG_ES256);
    assert_int_equal(oa2_alg_from_name("RS256"), OA2_ALG_RS256);
    assert_int_equal(oa2_alg_from_name("PS256"), OA2_ALG_PS256);
    assert_int_equal(oa2_alg_from_name("EdDSA"), OA2_ALG_EDDSA);
    /* no "none", no HMAC, no other sizes, no case folding */
    assert_int_equal(oa2_alg_from_name("none"), 0);
    assert_int_equal(oa2_alg_from_name("None"), 0);
    assert_int_equal(oa2_alg_from_name("HS256"), 0);
    assert_int_equal(oa2_alg_from_name("HS512"), 0);
    assert_int_equal(oa2_alg_from_name("RS512"), 0);
    assert_int_equal(oa2_alg_from_name("ES384"), 0);
    assert_int_equal(oa2_alg_from_name("ES256K"), 0);
    assert_int_equal(oa2_alg_from_name("Ed25519"), 0);
    assert_int_equal(oa2_alg_from_name("es256"), 0);
    assert_int_equal(oa2_alg_from_name("EDDSA"), 0);
    assert_int_equal(oa2_alg_from_name("ES256 "), 0);
    assert_int_equal(oa2_alg_from_name(""), 0);
    assert_int_equal(oa2_alg_from_name(NULL), 0);
}

static void test_alg_list_parse(void **state)
{
    apr_pool_t *p = *state;
    unsigned int algs = 0;
    const char *bad = NULL;

    assert_int_equal(oa2_alg_list_parse(p, "ES256 RS256", &algs, &bad),
                     APR_SUCCESS);
    assert_int_equal(algs, OA2_ALG_ES256 | OA2_ALG_RS256);
    assert_int_equal(oa2_alg_list_parse(p, " PS256,EdDSA\tES256 ", &algs,
                                        &bad), APR_SUCCESS);
    assert_int_equal(algs, OA2_ALG_PS256 | OA2_ALG_EDDSA | OA2_ALG_ES256);
    assert_int_equal(oa2_alg_list_parse(p, "ES256 ES256", &algs, &bad),
                     APR_SUCCESS);
    assert_int_equal(algs, OA2_ALG_ES256);

    algs = 77;
    assert_int_equal(oa2_alg_list_parse(p, "ES256 none", &algs, &bad),
                     APR_EINVAL);
    assert_string_equal(bad, "none");
    assert_int_equal(algs, 77);
    assert_int_equal(oa2_alg_list_parse(p, "HS256", &algs, &bad),
                     APR_EINVAL);
    assert_string_equal(bad, "HS256");
    assert_int_equal(oa2_alg_list_parse(p, "", &algs, &bad), APR_EINVAL);
    assert_string_equal(bad, "");
    assert_int_equal(oa2_alg_list_parse(p, " , ", &algs, &bad), APR_EINVAL);
    assert_int_equal(oa2_alg_list_parse(p, NULL, &algs, &bad), APR_EINVAL);
}

/* ---- RFC 7515 Appendix A ------------------------------------------------ */

/* A.2.1: RS256 is deterministic, so our signature must be the RFC's. */
static void test_rfc7515_a2_sign(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = load_pem(p, A2_PRIVATE_PEM, NULL);
    unsigned char *sig = NULL;
    apr_size_t sig_len = 0;

    assert_string_equal(key->kty, "RSA");
    assert_int_equal(key->alg, OA2_ALG_RS256);
    assert_int_equal(key->algs, OA2_ALG_RS256 | OA2_ALG_PS256);
    assert_true(key->is_private);
    assert_string_equal(key->thumbprint, A2_THUMBPRINT);
    assert_string_equal(key->kid, A2_THUMBPRINT);

    assert_int_equal(oa2_jws_sign_input(p, key, A2_INPUT, strlen(A2_INPUT),
                                        &sig, &sig_len), APR_SUCCESS);
    assert_int_equal(sig_len, 256);
    assert_string_equal(oa2_b64url_encode(p, sig, sig_len), A2_SIG);
    assert_int_equal(oa2_jws_verify_input(key, OA2_ALG_RS256, A2_INPUT,
                                          strlen(A2_INPUT), sig, sig_len),
                     APR_SUCCESS);
}

/* A.2.2 */
static void test_rfc7515_a2_verify(void **state)
{
    apr_pool_t *p = *state;
    oa2_jws_t *jws = parse_ok(p, A2_TOKEN);
    oa2_jwk_t *pub = load_pem(p, A2_PUBLIC_PEM, NULL);
    oa2_jwk_t *from_jwk = jwk_json(p, "{\"kty\":\"RSA\",\"n\":\"" A2_N "\","
                                      "\"e\":\"AQAB\"}");
    const oa2_jwk_t *used = NULL;
    apr_int64_t exp = 0;

    assert_int_equal(jws->alg, OA2_ALG_RS256);
    assert_null(jws->kid);
    assert_null(jws->typ);
    assert_string_equal(oa2_json_get_string(jws->payload, "iss"), "joe");
    assert_int_equal(oa2_json_get_int64(jws->payload, "exp", &exp),
                     APR_SUCCESS);
    assert_int_equal(exp, 1300819380);
    assert_non_null(oa2_json_get_typed(jws->payload,
                                       "http://example.com/is_root",
                                       json_type_boolean));
    assert_int_equal(jws->signing_input_len, strlen(A2_INPUT));
    assert_memory_equal(jws->signing_input, A2_INPUT, strlen(A2_INPUT));
    assert_int_equal(jws->sig_len, 256);

    assert_false(pub->is_private);
    assert_string_equal(pub->thumbprint, A2_THUMBPRINT);
    assert_int_equal(oa2_jws_verify(jws, keyset(p, pub, NULL), OA2_ALG_ALL,
                                    &used), APR_SUCCESS);
    assert_ptr_equal(used, pub);
    assert_string_equal(from_jwk->thumbprint, A2_THUMBPRINT);
    assert_int_equal(oa2_jws_verify(jws, keyset(p, from_jwk, NULL),
                                    OA2_ALG_RS256, &used), APR_SUCCESS);
    assert_ptr_equal(used, from_jwk);
    /* RS256 not allowed by the caller */
    assert_int_equal(oa2_jws_verify(jws, keyset(p, pub, NULL),
                                    OA2_ALG_ES256 | OA2_ALG_PS256, NULL),
                     APR_NOTFOUND);
}

/* A.3: ES256 with the RFC's public key, imported from its JWK. */
static void test_rfc7515_a3_verify(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = jwk_json(p, A3_JWK);
    oa2_jws_t *jws = parse_ok(p, A3_TOKEN);
    const oa2_jwk_t *used = NULL;

    assert_string_equal(key->kty, "EC");
    assert_int_equal(key->alg, OA2_ALG_ES256);
    assert_int_equal(key->algs, OA2_ALG_ES256);
    assert_false(key->is_private);
    assert_string_equal(key->thumbprint, A3_THUMBPRINT);
    assert_string_equal(key->kid, A3_THUMBPRINT);

    assert_int_equal(jws->alg, OA2_ALG_ES256);
    assert_int_equal(jws->sig_len, 64);
    assert_int_equal(oa2_jws_verify(jws, keyset(p, key, NULL), OA2_ALG_ALL,
                                    &used), APR_SUCCESS);
    assert_ptr_equal(used, key);
}

/* The private member d of the A.3 JWK is ignored: the key is public. */
static void test_rfc7515_a3_private_ignored(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = jwk_json(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                 "\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\","
                                 "\"d\":\"" A3_D "\",\"kid\":\"a3\"}");
    unsigned char *sig;
    apr_size_t sig_len;

    assert_false(key->is_private);
    assert_string_equal(key->kid, "a3");
    assert_string_equal(key->thumbprint, A3_THUMBPRINT);
    assert_int_equal(verify(p, A3_TOKEN, keyset(p, key, NULL), OA2_ALG_ALL),
                     APR_SUCCESS);
    assert_int_equal(oa2_jws_sign_input(p, key, "x", 1, &sig, &sig_len),
                     APR_EGENERAL);
    assert_null(json_object_object_get(oa2_jwk_to_json(p, key), "d"));
}

/* ES256 signatures are exactly R||S, 64 bytes. */
static void test_rfc7515_a3_signature_length(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = jwk_json(p, A3_JWK);
    apr_array_header_t *keys = keyset(p, key, NULL);
    apr_size_t len;
    unsigned char *sig = decode(p, A3_SIG, &len);
    unsigned char longer[65], der[72], zero[64];

    assert_int_equal(len, 64);
    memcpy(longer, sig, 64);
    longer[64] = 0;
    memset(der, 0x30, sizeof(der));
    memset(zero, 0, sizeof(zero));

    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, sig, 63), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, longer, 65), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, sig, 32), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, der, sizeof(der)), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, zero, sizeof(zero)),
                            keys, OA2_ALG_ALL), APR_EINVAL);
    /* S alone, R alone, R and S swapped */
    memcpy(longer, sig + 32, 32);
    memcpy(longer + 32, sig, 32);
    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, longer, 64), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    /* the original still verifies */
    assert_int_equal(verify(p, with_sig(p, A3_TOKEN, sig, 64), keys,
                            OA2_ALG_ALL), APR_SUCCESS);
}

/* A.1 (HS256) is never verified: parsing already refuses it. */
static void test_rfc7515_a1_hs256_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(parse_bad(p, A1_TOKEN),
                        "signature algorithm not allowed");
    /* the classic confusion: HS256 "signed" with an RSA public key */
    assert_string_equal(parse_bad(p, compact3(p, "{\"alg\":\"HS256\"}",
                                              "{\"sub\":\"x\"}", A2_SIG)),
                        "signature algorithm not allowed");
}

/* A.5 (alg "none") is never verified either, whatever its signature. */
static void test_rfc7515_a5_none_refused(void **state)
{
    apr_pool_t *p = *state;
    static const char *algs[] = {
        "{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}",
        "{\"alg\":\"nOnE\"}", "{\"alg\":\"\"}", "{}", "{\"typ\":\"JWT\"}",
        "{\"alg\":null}", "{\"alg\":5}", "{\"alg\":[\"ES256\"]}",
        "{\"alg\":{\"name\":\"ES256\"}}", "{\"alg\":\"HS512\"}",
        "{\"alg\":\"RS512\"}", "{\"alg\":\"ES384\"}", "{\"alg\":\"es256\"}",
        "{\"alg\":\"ES256 \"}", "{\"alg\":\"RSA-OAEP\"}",
        "{\"alg\":\"dir\"}",
    };
    apr_size_t i;

    assert_string_equal(parse_bad(p, A5_TOKEN),
                        "signature algorithm not allowed");
    for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        assert_string_equal(parse_bad(p, compact3(p, algs[i], "{}", A3_SIG)),
                            "signature algorithm not allowed");
    }
}

/* ---- RFC 8037 Appendix A ------------------------------------------------ */

static void test_rfc8037_ed25519(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t d_len, rsig_len, sig_len = 0;
    unsigned char *d = decode(p, RFC8037_D, &d_len);
    unsigned char *rsig = decode(p, RFC8037_SIG, &rsig_len);
    unsigned char *sig = NULL;
    oa2_jwk_t *key, *pub;
    json_object *jwk;
    char *input;

    /* A.1: the key pair from the private key alone */
    assert_int_equal(d_len, 32);
    key = from_pkey(p, EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
                                                    d, d_len), NULL);
    key->is_private = 1;
    assert_string_equal(key->kty, "OKP");
    assert_int_equal(key->alg, OA2_ALG_EDDSA);
    assert_int_equal(key->algs, OA2_ALG_EDDSA);

    /* A.2: the public key; A.3: its thumbprint, also the default kid */
    jwk = oa2_jwk_to_json(p, key);
    assert_string_equal(oa2_json_get_string(jwk, "x"), RFC8037_X);
    assert_string_equal(oa2_json_get_string(jwk, "crv"), "Ed25519");
    assert_string_equal(oa2_json_get_string(jwk, "kty"), "OKP");
    assert_null(json_object_object_get(jwk, "d"));
    assert_string_equal(key->thumbprint, RFC8037_THUMBPRINT);
    assert_string_equal(key->kid, RFC8037_THUMBPRINT);
    assert_string_equal(oa2_jwk_thumbprint(p, key->pkey), RFC8037_THUMBPRINT);

    /* A.4: the signing input and the (deterministic) signature */
    assert_string_equal(apr_pstrcat(p, b64s(p, "{\"alg\":\"EdDSA\"}"), ".",
                                    b64s(p, "Example of Ed25519 signing"),
                                    NULL), RFC8037_INPUT);
    assert_int_equal(oa2_jws_sign_input(p, key, RFC8037_INPUT,
                                        strlen(RFC8037_INPUT), &sig,
                                        &sig_len), APR_SUCCESS);
    assert_int_equal(sig_len, 64);
    assert_string_equal(oa2_b64url_encode(p, sig, sig_len), RFC8037_SIG);

    /* A.5: verification with the public key imported from its JWK */
    pub = jwk_json(p, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                      "\"x\":\"" RFC8037_X "\"}");
    assert_false(pub->is_private);
    assert_string_equal(pub->thumbprint, RFC8037_THUMBPRINT);
    assert_int_equal(oa2_jws_verify_input(pub, OA2_ALG_EDDSA, RFC8037_INPUT,
                                          strlen(RFC8037_INPUT), rsig,
                                          rsig_len), APR_SUCCESS);
    input = apr_pstrdup(p, RFC8037_INPUT);
    input[strlen(input) - 1] = 'h';
    assert_int_equal(oa2_jws_verify_input(pub, OA2_ALG_EDDSA, input,
                                          strlen(input), rsig, rsig_len),
                     APR_EINVAL);
    rsig[10] ^= 1;
    assert_int_equal(oa2_jws_verify_input(pub, OA2_ALG_EDDSA, RFC8037_INPUT,
                                          strlen(RFC8037_INPUT), rsig,
                                          rsig_len), APR_EINVAL);
    /* the example's payload is text, and a JWT payload must be an object */
    assert_string_equal(parse_bad(p, RFC8037_INPUT "." RFC8037_SIG),
                        "malformed JWS payload");
}

/* ---- RFC 7638 ----------------------------------------------------------- */

static void test_rfc7638_thumbprint(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = jwk_json(p, "{\"kty\":\"RSA\",\"n\":\"" RFC7638_N "\","
                                 "\"e\":\"AQAB\",\"alg\":\"RS256\","
                                 "\"kid\":\"2011-04-29\"}");
    oa2_jwk_t *bare = jwk_json(p, "{\"e\":\"AQAB\",\"n\":\"" RFC7638_N "\","
                                  "\"kty\":\"RSA\"}");

    assert_string_equal(key->thumbprint, RFC7638_THUMBPRINT);
    assert_string_equal(key->kid, "2011-04-29");
    assert_string_equal(oa2_jwk_thumbprint(p, key->pkey), RFC7638_THUMBPRINT);
    /* optional members and member order do not change it */
    assert_string_equal(bare->thumbprint, RFC7638_THUMBPRINT);
    assert_string_equal(bare->kid, RFC7638_THUMBPRINT);
}

/* ---- round trips with generated keys ------------------------------------ */

static void round_trip(apr_pool_t *p, const oa2_jwk_t *key,
                       oa2_alg_e alg, apr_size_t sig_len)
{
    const char *payload = "{\"sub\":\"alice\",\"scope\":\"read\"}";
    const char *compact = sign_ok(p, key, "at+jwt", payload);
    oa2_jws_t *jws = parse_ok(p, compact);
    const oa2_jwk_t *used = NULL;

    assert_int_equal(jws->alg, alg);
    assert_string_equal(jws->kid, key->kid);
    assert_string_equal(jws->typ, "at+jwt");
    assert_int_equal(jws->sig_len, sig_len);
    assert_string_equal(segment(p, compact, 0),
                        apr_psprintf(p, "{\"alg\":\"%s\",\"kid\":\"%s\","
                                        "\"typ\":\"at+jwt\"}",
                                     oa2_alg_name(alg), key->kid));
    assert_string_equal(segment(p, compact, 1), payload);
    assert_string_equal(oa2_json_get_string(jws->payload, "sub"), "alice");
    assert_int_equal(oa2_jws_verify(jws, keyset(p, key, NULL), OA2_ALG_ALL,
                                    &used), APR_SUCCESS);
    assert_ptr_equal(used, key);
    assert_int_equal(oa2_jws_verify(jws, keyset(p, key, NULL), alg, &used),
                     APR_SUCCESS);
    /* without typ there is no typ header */
    compact = sign_ok(p, key, NULL, payload);
    assert_string_equal(segment(p, compact, 0),
                        apr_psprintf(p, "{\"alg\":\"%s\",\"kid\":\"%s\"}",
                                     oa2_alg_name(alg), key->kid));
    assert_null(parse_ok(p, compact)->typ);
    assert_int_equal(verify(p, compact, keyset(p, key, NULL), alg),
                     APR_SUCCESS);
}

static void test_round_trip_es256(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = gen_ec(p, "ec-1");

    assert_string_equal(key->kty, "EC");
    assert_string_equal(key->kid, "ec-1");
    assert_string_equal(key->thumbprint, oa2_jwk_thumbprint(p, key->pkey));
    round_trip(p, key, OA2_ALG_ES256, 64);
}

static void test_round_trip_rs256(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = from_pkey(p, EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
                                                    (size_t)2048), "rsa-1");

    assert_string_equal(key->kty, "RSA");
    round_trip(p, key, OA2_ALG_RS256, 256);
}

static void test_round_trip_eddsa(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = gen_ed25519(p, NULL);

    assert_string_equal(key->kty, "OKP");
    assert_string_equal(key->kid, key->thumbprint);
    round_trip(p, key, OA2_ALG_EDDSA, 64);
}

static void test_round_trip_ps256(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *rsa = load_pem(p, A2_PRIVATE_PEM, "2010-12-29");
    oa2_jwk_t ps = *rsa;
    const char *c1, *c2;
    oa2_jws_t *jws;

    ps.alg = OA2_ALG_PS256;
    round_trip(p, &ps, OA2_ALG_PS256, 256);
    /* PSS is randomised: two signatures differ, both verify with the key */
    c1 = sign_ok(p, &ps, NULL, "{\"a\":1}");
    c2 = sign_ok(p, &ps, NULL, "{\"a\":1}");
    assert_string_not_equal(c1, c2);
    assert_int_equal(verify(p, c1, keyset(p, rsa, NULL), OA2_ALG_PS256),
                     APR_SUCCESS);
    assert_int_equal(verify(p, c2, keyset(p, rsa, NULL), OA2_ALG_PS256),
                     APR_SUCCESS);
    assert_int_equal(verify(p, c1, keyset(p, rsa, NULL), OA2_ALG_RS256),
                     APR_NOTFOUND);
    /* a PSS signature is no PKCS #1 v1.5 signature */
    jws = parse_ok(p, c1);
    assert_int_equal(oa2_jws_verify_input(rsa, OA2_ALG_RS256,
                                          jws->signing_input,
                                          jws->signing_input_len, jws->sig,
                                          jws->sig_len), APR_EINVAL);
}

/* Keys are shared by the threads of a process: each verification copies
 * the key's prepared context, never changes it. */
typedef struct {
    const oa2_jwk_t *ec, *rsa;
    const char *good[3];       /* ES256, RS256, PS256 */
    int failures;
} shared_keys_job;

static int verify_one(apr_pool_t *p, const char *compact, const oa2_jwk_t *key,
                      oa2_alg_e alg)
{
    oa2_jws_t *jws = NULL;
    oa2_err_t err;

    if (oa2_jws_parse(p, compact, strlen(compact), &jws, &err)
        != APR_SUCCESS) {
        return 0;
    }
    return oa2_jws_verify_input(key, alg, jws->signing_input,
                                jws->signing_input_len, jws->sig,
                                jws->sig_len) == APR_SUCCESS;
}

static void *APR_THREAD_FUNC shared_keys_thread(apr_thread_t *t, void *data)
{
    shared_keys_job *job = data;
    apr_pool_t *p;
    int i, bad = 0;

    (void)t;
    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        job->failures++;
        return NULL;
    }
    for (i = 0; i < 60; i++) {
        char *tampered = apr_pstrdup(p, job->good[i % 3]);
        tampered[strlen(tampered) - 5] ^= 1;
        bad += !verify_one(p, job->good[0], job->ec, OA2_ALG_ES256);
        bad += !verify_one(p, job->good[1], job->rsa, OA2_ALG_RS256);
        bad += !verify_one(p, job->good[2], job->rsa, OA2_ALG_PS256);
        /* the wrong padding, the wrong key, a changed signature */
        bad += verify_one(p, job->good[1], job->rsa, OA2_ALG_PS256);
        bad += verify_one(p, job->good[2], job->rsa, OA2_ALG_RS256);
        bad += verify_one(p, job->good[0], job->rsa, OA2_ALG_ES256);
        bad += verify_one(p, tampered, i % 3 ? job->rsa : job->ec,
                          i % 3 == 0 ? OA2_ALG_ES256 : i % 3 == 1
                          ? OA2_ALG_RS256 : OA2_ALG_PS256);
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
    job->failures += bad;     /* each thread has its own job */
    return NULL;
}

static void test_verify_shared_key_threads(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *ec = gen_ec(p, "e"), *rsa = load_pem(p, A2_PRIVATE_PEM, "r");
    oa2_jwk_t ps = *rsa;
    shared_keys_job jobs[4];
    apr_thread_t *threads[4];
    apr_status_t rv;
    int i;

    ps.alg = OA2_ALG_PS256;
    /* the keys carry their prepared contexts */
    assert_non_null(ec->verifier[0]);
    assert_non_null(rsa->verifier[1]);
    assert_non_null(rsa->verifier[2]);
    assert_null(ec->verifier[1]);
    for (i = 0; i < 4; i++) {
        jobs[i].ec = ec;
        jobs[i].rsa = rsa;
        jobs[i].good[0] = sign_ok(p, ec, NULL, "{\"a\":1}");
        jobs[i].good[1] = sign_ok(p, rsa, NULL, "{\"b\":2}");
        jobs[i].good[2] = sign_ok(p, &ps, NULL, "{\"c\":3}");
        jobs[i].failures = 0;
        assert_int_equal(apr_thread_create(&threads[i], NULL,
                                           shared_keys_thread, &jobs[i], p),
                         APR_SUCCESS);
    }
    for (i = 0; i < 4; i++) {
        assert_int_equal(apr_thread_join(&rv, threads[i]), APR_SUCCESS);
        assert_int_equal(jobs[i].failures, 0);
    }
}

/* A PS256 token made by another implementation (MGF1-SHA256, 32-byte
 * salt) verifies. */
static void test_ps256_interop(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *pub = load_pem(p, A2_PUBLIC_PEM, "2010-12-29");
    oa2_jws_t *jws = parse_ok(p, PS256_TOKEN);

    assert_int_equal(jws->alg, OA2_ALG_PS256);
    assert_string_equal(jws->kid, "2010-12-29");
    assert_string_equal(oa2_json_get_string(jws->payload, "sub"),
                        "ps256-interop");
    assert_int_equal(oa2_jws_verify(jws, keyset(p, pub, NULL), OA2_ALG_ALL,
                                    NULL), APR_SUCCESS);
}

/* ---- JWK export and import ---------------------------------------------- */

/* Exports the public JWK as text, imports it as a relying party would and
 * verifies a token signed with the private key. */
static void export_import(apr_pool_t *p, const oa2_jwk_t *priv)
{
    static const char *private_members[] = { "d", "p", "q", "dp", "dq", "qi" };
    json_object *jwk = oa2_jwk_to_json(p, priv);
    const char *text, *compact;
    oa2_jwk_t *pub;
    const oa2_jwk_t *used = NULL;
    apr_size_t i;

    assert_non_null(jwk);
    for (i = 0; i < sizeof(private_members) / sizeof(private_members[0]);
         i++) {
        assert_false(json_object_object_get_ex(jwk, private_members[i],
                                               NULL));
    }
    assert_string_equal(oa2_json_get_string(jwk, "kty"), priv->kty);
    assert_string_equal(oa2_json_get_string(jwk, "kid"), priv->kid);
    assert_string_equal(oa2_json_get_string(jwk, "use"), "sig");
    assert_string_equal(oa2_json_get_string(jwk, "alg"),
                        oa2_alg_name(priv->alg));

    text = oa2_json_text(p, jwk);
    pub = jwk_json(p, text);
    assert_false(pub->is_private);
    assert_string_equal(pub->kid, priv->kid);
    assert_string_equal(pub->thumbprint, priv->thumbprint);
    assert_int_equal(pub->alg, priv->alg);
    assert_int_equal(pub->algs, priv->alg);
    /* the export of the import is the same document */
    assert_string_equal(oa2_json_text(p, oa2_jwk_to_json(p, pub)), text);

    compact = sign_ok(p, priv, NULL, "{\"sub\":\"alice\"}");
    assert_int_equal(oa2_jws_verify(parse_ok(p, compact),
                                    keyset(p, pub, NULL), OA2_ALG_ALL,
                                    &used), APR_SUCCESS);
    assert_ptr_equal(used, pub);
}

static void test_jwk_export_import(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *rsa = load_pem(p, A2_PRIVATE_PEM, "rsa");
    oa2_jwk_t ps = *rsa;

    ps.alg = OA2_ALG_PS256;
    export_import(p, gen_ec(p, "ec"));
    export_import(p, gen_ed25519(p, NULL));
    export_import(p, rsa);
    export_import(p, &ps);
}

static void test_jwk_export_exact(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *ec = jwk_json(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                "\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\","
                                "\"kid\":\"k\"}");
    oa2_jwk_t *rsa = load_pem(p, A2_PUBLIC_PEM, NULL);
    oa2_jwk_t *ed = jwk_json(p, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                                "\"x\":\"" RFC8037_X "\"}");

    assert_string_equal(oa2_json_text(p, oa2_jwk_to_json(p, ec)),
                        "{\"crv\":\"P-256\",\"kty\":\"EC\","
                        "\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\","
                        "\"kid\":\"k\",\"use\":\"sig\",\"alg\":\"ES256\"}");
    assert_string_equal(oa2_json_text(p, oa2_jwk_to_json(p, rsa)),
                        "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"" A2_N "\","
                        "\"kid\":\"" A2_THUMBPRINT "\",\"use\":\"sig\","
                        "\"alg\":\"RS256\"}");
    assert_string_equal(oa2_json_text(p, oa2_jwk_to_json(p, ed)),
                        "{\"crv\":\"Ed25519\",\"kty\":\"OKP\","
                        "\"x\":\"" RFC8037_X "\","
                        "\"kid\":\"" RFC8037_THUMBPRINT "\","
                        "\"use\":\"sig\",\"alg\":\"EdDSA\"}");
}

/* A JWK that names its alg is held to it. */
static void test_jwk_alg_restricts(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *rsa = load_pem(p, A2_PRIVATE_PEM, "r");
    oa2_jwk_t ps = *rsa;
    oa2_jwk_t *ps_only = jwk_json(p, "{\"kty\":\"RSA\",\"n\":\"" A2_N "\","
                                     "\"e\":\"AQAB\",\"alg\":\"PS256\","
                                     "\"kid\":\"r\"}");
    oa2_jwk_t *rs_only = jwk_json(p, "{\"kty\":\"RSA\",\"n\":\"" A2_N "\","
                                     "\"e\":\"AQAB\",\"alg\":\"RS256\","
                                     "\"kid\":\"r\"}");
    const char *rs, *pss;

    ps.alg = OA2_ALG_PS256;
    rs = sign_ok(p, rsa, NULL, "{}");
    pss = sign_ok(p, &ps, NULL, "{}");
    assert_int_equal(ps_only->alg, OA2_ALG_PS256);
    assert_int_equal(ps_only->algs, OA2_ALG_PS256);
    assert_int_equal(verify(p, pss, keyset(p, ps_only, NULL), OA2_ALG_ALL),
                     APR_SUCCESS);
    assert_int_equal(verify(p, rs, keyset(p, ps_only, NULL), OA2_ALG_ALL),
                     APR_NOTFOUND);
    assert_int_equal(verify(p, rs, keyset(p, rs_only, NULL), OA2_ALG_ALL),
                     APR_SUCCESS);
    assert_int_equal(verify(p, pss, keyset(p, rs_only, NULL), OA2_ALG_ALL),
                     APR_NOTFOUND);
}

static void test_jwk_from_json_refused(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t n_len;
    unsigned char *n = decode(p, A2_N, &n_len);
    const char *n1024 = oa2_b64url_encode(p, n, 128);
    char *off_curve = apr_pstrdup(p, A3_JWK);
    char *y = strstr(off_curve, A3_Y);

    /* change the last character of y so the point leaves the curve */
    y[strlen(A3_Y) - 1] = y[strlen(A3_Y) - 1] == 'A' ? 'E' : 'A';

    assert_string_equal(jwk_json_bad(p, "{}"), "JWK without kty");
    assert_string_equal(jwk_json_bad(p, "[1]"), "JWK without kty");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":5}"), "JWK without kty");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"oct\",\"k\":\"AAAA\"}"),
                        "unsupported kty");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"ec\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\","
                                        "\"y\":\"" A3_Y "\"}"),
                        "unsupported kty");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"use\":\"enc\","
                                        "\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\","
                                        "\"y\":\"" A3_Y "\"}"),
                        "JWK not for signatures");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-384\","
                                        "\"x\":\"" A3_X "\","
                                        "\"y\":\"" A3_Y "\"}"),
                        "EC key not on P-256");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\"}"),
                        "EC key with bad x or y");
    /* 31 bytes, padded, standard alphabet */
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\",\"y\":\""
                                        "x_FEzRu9m36HLN_tue659LNpXW6pCyStik"
                                        "YjKIWI5\"}"),
                        "EC key with bad x or y");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "=\","
                                        "\"y\":\"" A3_Y "\"}"),
                        "EC key with bad x or y");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\",\"y\":\""
                                        "x/FEzRu9m36HLN/tue659LNpXW6pCyStik"
                                        "YjKIWI5a0\"}"),
                        "EC key with bad x or y");
    assert_string_equal(jwk_json_bad(p, off_curve),
                        "EC point not on the curve");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"RSA\","
                                        "\"n\":\"" A2_N "\"}"),
                        "RSA key with bad n or e");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"RSA\",\"n\":\"" A2_N "\","
                                        "\"e\":\"AQABAQABAQAB\"}"),
                        "RSA key with bad n or e");
    assert_string_equal(jwk_json_bad(p, apr_pstrcat(p, "{\"kty\":\"RSA\","
                                                    "\"e\":\"AQAB\",\"n\":\"",
                                                    n1024, "\"}", NULL)),
                        WHY_WEAK_RSA);
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"OKP\",\"crv\":\"X25519\","
                                        "\"x\":\"" RFC8037_X "\"}"),
                        "OKP key is not Ed25519");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"OKP\",\"crv\":\"Ed448\","
                                        "\"x\":\"" RFC8037_X "\"}"),
                        "OKP key is not Ed25519");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"OKP\","
                                        "\"crv\":\"Ed25519\","
                                        "\"x\":\"AAAA\"}"),
                        "Ed25519 key with bad x");
    /* alg members that do not fit the key */
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\","
                                        "\"y\":\"" A3_Y "\","
                                        "\"alg\":\"RS256\"}"),
                        "JWK alg does not fit the key");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                        "\"x\":\"" A3_X "\","
                                        "\"y\":\"" A3_Y "\","
                                        "\"alg\":\"none\"}"),
                        "JWK alg does not fit the key");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"RSA\",\"n\":\"" A2_N "\","
                                        "\"e\":\"AQAB\",\"alg\":\"HS256\"}"),
                        "JWK alg does not fit the key");
    assert_string_equal(jwk_json_bad(p, "{\"kty\":\"OKP\","
                                        "\"crv\":\"Ed25519\","
                                        "\"x\":\"" RFC8037_X "\","
                                        "\"alg\":\"ES256\"}"),
                        "JWK alg does not fit the key");
}

/* ---- JWKS --------------------------------------------------------------- */

static void test_jwks_round_trip(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *ec = gen_ec(p, "ec1");
    oa2_jwk_t *rsa = load_pem(p, A2_PRIVATE_PEM, "rsa1");
    oa2_jwk_t *ed = gen_ed25519(p, "ed1");
    apr_array_header_t *mine = keyset(p, ec, rsa), *theirs = NULL;
    const char *text, *why = NULL;
    const oa2_jwk_t *used = NULL;
    json_object *doc;
    int i;

    APR_ARRAY_PUSH(mine, const oa2_jwk_t *) = ed;
    text = oa2_jwks_text(p, mine);
    assert_int_equal(oa2_json_parse_object(p, text, strlen(text), &doc),
                     APR_SUCCESS);
    assert_int_equal(json_object_object_length(doc), 1);
    assert_int_equal(json_object_array_length(
                         oa2_json_get_typed(doc, "keys", json_type_array)),
                     3);
    assert_null(strstr(text, "\"d\""));

    assert_int_equal(oa2_jwks_parse(p, text, strlen(text), &theirs, &why),
                     APR_SUCCESS);
    assert_int_equal(theirs->nelts, 3);
    for (i = 0; i < 3; i++) {
        const oa2_jwk_t *a = APR_ARRAY_IDX(mine, i, const oa2_jwk_t *);
        const oa2_jwk_t *b = APR_ARRAY_IDX(theirs, i, const oa2_jwk_t *);
        const char *compact = sign_ok(p, a, NULL, "{\"i\":1}");

        assert_string_equal(b->kid, a->kid);
        assert_string_equal(b->thumbprint, a->thumbprint);
        assert_false(b->is_private);
        /* each token finds its own key by kid */
        assert_int_equal(oa2_jws_verify(parse_ok(p, compact), theirs,
                                        OA2_ALG_ALL, &used), APR_SUCCESS);
        assert_ptr_equal(used, b);
    }
}

static void test_jwks_text_exact(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *ec = jwk_json(p, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                                "\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\","
                                "\"kid\":\"k\"}");

    assert_string_equal(oa2_jwks_text(p, keyset(p, ec, NULL)),
                        "{\"keys\":[{\"crv\":\"P-256\",\"kty\":\"EC\","
                        "\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\","
                        "\"kid\":\"k\",\"use\":\"sig\",\"alg\":\"ES256\"}]}");
    assert_string_equal(oa2_jwks_text(p, keyset(p, NULL, NULL)),
                        "{\"keys\":[]}");
}

static void test_jwks_skips_unusable(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *keys = NULL;
    const char *why = NULL;
    const char *text =
        "{\"keys\":["
        "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ\"},"
        "{\"kty\":\"EC\",\"use\":\"enc\",\"crv\":\"P-256\","
        "\"x\":\"" A3_X "\",\"y\":\"" A3_Y "\",\"kid\":\"enc\"},"
        "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" A3_X "\","
        "\"y\":\"" A3_Y "\",\"kid\":\"p384\"},"
        "\"not an object\",5,null,[],"
        "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"AQAB\",\"kid\":\"tiny\"},"
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" A3_X "\","
        "\"y\":\"" A3_Y "\",\"kid\":\"good\",\"use\":\"sig\"}"
        "],\"other\":true}";

    assert_int_equal(oa2_jwks_parse(p, text, strlen(text), &keys, &why),
                     APR_SUCCESS);
    assert_int_equal(keys->nelts, 1);
    assert_string_equal(APR_ARRAY_IDX(keys, 0, oa2_jwk_t *)->kid, "good");
}

static void test_jwks_refused(void **state)
{
    apr_pool_t *p = *state;
    static const struct {
        const char *text;
        const char *why;
    } bad[] = {
        { "not json", "JWKS is not a JSON object" },
        { "[]", "JWKS is not a JSON object" },
        { "{\"keys\":[]}x", "JWKS is not a JSON object" },
        { "{}", "JWKS has no \"keys\" array" },
        { "{\"keys\":{}}", "JWKS has no \"keys\" array" },
        { "{\"keys\":\"x\"}", "JWKS has no \"keys\" array" },
        { "{\"Keys\":[]}", "JWKS has no \"keys\" array" },
        { "{\"keys\":[]}", "JWKS has no usable signature key" },
        { "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}",
          "JWKS has no usable signature key" },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        apr_array_header_t *keys = NULL;
        const char *why = NULL;

        assert_int_equal(oa2_jwks_parse(p, bad[i].text, strlen(bad[i].text),
                                        &keys, &why), APR_EINVAL);
        assert_null(keys);
        assert_non_null(why);
        assert_string_equal(why, bad[i].why);
    }
}

/* ---- key selection and refusals ----------------------------------------- */

static void test_verify_kid(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = gen_ec(p, "k1");
    oa2_jwk_t *other = gen_ec(p, "k1");
    oa2_jwk_t renamed = *key;
    const char *compact = sign_ok(p, key, NULL, "{\"sub\":\"alice\"}");
    const char *input = apr_pstrcat(p, b64s(p, "{\"alg\":\"ES256\"}"), ".",
                                    b64s(p, "{\"sub\":\"alice\"}"), NULL);
    const oa2_jwk_t *used = NULL;
    unsigned char *sig;
    apr_size_t sig_len;
    const char *no_kid;

    renamed.kid = "other";
    /* no key has the token's kid: the right key is not even tried */
    assert_int_equal(verify(p, compact, keyset(p, &renamed, NULL),
                            OA2_ALG_ALL), APR_NOTFOUND);
    /* a key with that kid whose signature does not match */
    assert_int_equal(verify(p, compact, keyset(p, other, NULL), OA2_ALG_ALL),
                     APR_EINVAL);
    /* two keys share the kid: the one that verifies is used */
    assert_int_equal(oa2_jws_verify(parse_ok(p, compact),
                                    keyset(p, other, key), OA2_ALG_ALL,
                                    &used), APR_SUCCESS);
    assert_ptr_equal(used, key);

    /* without a kid every compatible key is tried */
    assert_int_equal(oa2_jws_sign_input(p, key, input, strlen(input), &sig,
                                        &sig_len), APR_SUCCESS);
    no_kid = apr_pstrcat(p, input, ".", oa2_b64url_encode(p, sig, sig_len),
                         NULL);
    assert_null(parse_ok(p, no_kid)->kid);
    assert_int_equal(oa2_jws_verify(parse_ok(p, no_kid),
                                    keyset(p, other, &renamed), OA2_ALG_ALL,
                                    &used), APR_SUCCESS);
    assert_ptr_equal(used, &renamed);
    assert_int_equal(verify(p, no_kid, keyset(p, other, NULL), OA2_ALG_ALL),
                     APR_EINVAL);
}

/* An empty kid is a kid: it does not mean "any key". */
static void test_verify_empty_kid(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = gen_ec(p, "k1");
    const char *input = apr_pstrcat(p, b64s(p, "{\"alg\":\"ES256\","
                                               "\"kid\":\"\"}"),
                                    ".", b64s(p, "{}"), NULL);
    unsigned char *sig;
    apr_size_t sig_len;
    oa2_jws_t *jws;

    assert_int_equal(oa2_jws_sign_input(p, key, input, strlen(input), &sig,
                                        &sig_len), APR_SUCCESS);
    jws = parse_ok(p, apr_pstrcat(p, input, ".",
                                  oa2_b64url_encode(p, sig, sig_len), NULL));
    assert_string_equal(jws->kid, "");
    assert_int_equal(oa2_jws_verify(jws, keyset(p, key, NULL), OA2_ALG_ALL,
                                    NULL), APR_NOTFOUND);
}

static void test_verify_allow_list(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *key = gen_ec(p, "k1");
    const char *compact = sign_ok(p, key, NULL, "{}");
    apr_array_header_t *keys = keyset(p, key, NULL);

    assert_int_equal(verify(p, compact, keys, OA2_ALG_ES256), APR_SUCCESS);
    assert_int_equal(verify(p, compact, keys, OA2_ALG_RS256 | OA2_ALG_PS256
                                              | OA2_ALG_EDDSA),
                     APR_NOTFOUND);
    assert_int_equal(verify(p, compact, keys, 0), APR_NOTFOUND);
}

static void test_verify_no_keys(void **state)
{
    apr_pool_t *p = *state;
    oa2_jws_t *jws = parse_ok(p, A3_TOKEN);

    assert_int_equal(oa2_jws_verify(jws, NULL, OA2_ALG_ALL, NULL),
                     APR_NOTFOUND);
    assert_int_equal(oa2_jws_verify(jws, keyset(p, NULL, NULL), OA2_ALG_ALL,
                                    NULL), APR_NOTFOUND);
}

/* A token is only tried with keys of its own algorithm. */
static void test_verify_wrong_key_type(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *ec = jwk_json(p, A3_JWK);
    oa2_jwk_t *rsa = load_pem(p, A2_PUBLIC_PEM, NULL);
    oa2_jwk_t *ed = gen_ed25519(p, NULL);
    const char *ed_token = sign_ok(p, ed, NULL, "{}");
    unsigned char *sig;
    apr_size_t sig_len;

    /* RS256 presented to an EC key, ES256 to an RSA key, EdDSA to both */
    assert_int_equal(verify(p, A2_TOKEN, keyset(p, ec, ed), OA2_ALG_ALL),
                     APR_NOTFOUND);
    assert_int_equal(verify(p, A3_TOKEN, keyset(p, rsa, ed), OA2_ALG_ALL),
                     APR_NOTFOUND);
    assert_int_equal(verify(p, ed_token, keyset(p, ec, rsa), OA2_ALG_ALL),
                     APR_NOTFOUND);
    /* and verify_input refuses an algorithm the key does not do */
    sig = decode(p, A2_SIG, &sig_len);
    assert_int_equal(oa2_jws_verify_input(ec, OA2_ALG_RS256, A2_INPUT,
                                          strlen(A2_INPUT), sig, sig_len),
                     APR_EINVAL);
    assert_int_equal(oa2_jws_verify_input(rsa, OA2_ALG_ES256, A2_INPUT,
                                          strlen(A2_INPUT), sig, 64),
                     APR_EINVAL);
}

static void assert_tamper_detected(apr_pool_t *p, const oa2_jwk_t *key)
{
    const char *compact = sign_ok(p, key, NULL, "{\"sub\":\"alice\"}");
    apr_array_header_t *keys = keyset(p, key, NULL);
    const char *dot1 = strchr(compact, '.');
    const char *dot2 = strrchr(compact, '.');
    const char *head = apr_pstrmemdup(p, compact,
                                      (apr_size_t)(dot1 - compact) + 1);
    oa2_jws_t *jws = parse_ok(p, compact);
    unsigned char *sig = apr_pmemdup(p, jws->sig, jws->sig_len);
    const char *t;

    assert_int_equal(verify(p, compact, keys, OA2_ALG_ALL), APR_SUCCESS);
    /* another payload under the original header and signature */
    t = apr_pstrcat(p, head, b64s(p, "{\"sub\":\"admin\"}"), dot2, NULL);
    assert_int_equal(verify(p, t, keys, OA2_ALG_ALL), APR_EINVAL);
    /* another header with the same alg and kid */
    t = apr_pstrcat(p, b64s(p, apr_psprintf(p, "{\"alg\":\"%s\",\"kid\":"
                                               "\"%s\",\"typ\":\"at+jwt\"}",
                                            oa2_alg_name(key->alg),
                                            key->kid)),
                    dot1, NULL);
    assert_int_equal(verify(p, t, keys, OA2_ALG_ALL), APR_EINVAL);
    /* one flipped bit, first and last byte */
    sig[0] ^= 0x01;
    assert_int_equal(verify(p, with_sig(p, compact, sig, jws->sig_len), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    sig[0] ^= 0x01;
    sig[jws->sig_len - 1] ^= 0x80;
    assert_int_equal(verify(p, with_sig(p, compact, sig, jws->sig_len), keys,
                            OA2_ALG_ALL), APR_EINVAL);
    sig[jws->sig_len - 1] ^= 0x80;
    /* truncated */
    assert_int_equal(verify(p, with_sig(p, compact, sig, jws->sig_len - 1),
                            keys, OA2_ALG_ALL), APR_EINVAL);
    /* and the untouched copy still verifies */
    assert_int_equal(verify(p, with_sig(p, compact, sig, jws->sig_len), keys,
                            OA2_ALG_ALL), APR_SUCCESS);
}

static void test_verify_tampered(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *rsa = load_pem(p, A2_PRIVATE_PEM, NULL);
    oa2_jwk_t ps = *rsa;

    ps.alg = OA2_ALG_PS256;
    assert_tamper_detected(p, gen_ec(p, "ec"));
    assert_tamper_detected(p, gen_ed25519(p, "ed"));
    assert_tamper_detected(p, rsa);
    assert_tamper_detected(p, &ps);
}

/* RFC 7515 A.2 token with its payload swapped. */
static void test_verify_rfc_tampered(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *pub = load_pem(p, A2_PUBLIC_PEM, NULL);
    const char *t = apr_pstrcat(p, A2_HEADER ".",
                                b64s(p, "{\"iss\":\"joe\",\r\n "
                                        "\"exp\":1300819381,\r\n "
                                        "\"http://example.com/is_root\":"
                                        "true}"),
                                "." A2_SIG, NULL);

    assert_int_equal(verify(p, t, keyset(p, pub, NULL), OA2_ALG_ALL),
                     APR_EINVAL);
}

/* ---- key strength ------------------------------------------------------- */

static void test_weak_keys_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(weak_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
                                                      (size_t)1024)),
                        WHY_WEAK_RSA);
    assert_string_equal(weak_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "EC",
                                                      "P-384")),
                        WHY_NOT_P256);
    assert_string_equal(weak_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "EC",
                                                      "secp256k1")),
                        WHY_NOT_P256);
    assert_string_equal(weak_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "EC",
                                                      "P-521")),
                        WHY_NOT_P256);
    assert_string_equal(weak_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "ED448")),
                        WHY_KEY_TYPE);
    assert_string_equal(weak_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "X25519")),
                        WHY_KEY_TYPE);
}

/* ---- PEM ---------------------------------------------------------------- */

static void test_pem_private_and_public(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwk_t *priv = load_pem(p, A2_PRIVATE_PEM, "sig-2024");
    oa2_jwk_t *pub = load_pem(p, A2_PUBLIC_PEM, NULL);
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    BIO *b = BIO_new(BIO_s_mem());
    const char *ec_pem;
    oa2_jwk_t *ec;

    assert_true(priv->is_private);
    assert_string_equal(priv->kid, "sig-2024");
    assert_string_equal(priv->thumbprint, A2_THUMBPRINT);
    assert_false(pub->is_private);
    assert_string_equal(pub->kid, A2_THUMBPRINT);
    /* an empty kid means the thumbprint too */
    assert_string_equal(load_pem(p, A2_PUBLIC_PEM, "")->kid, A2_THUMBPRINT);

    /* SEC 1 "EC PRIVATE KEY" as well as PKCS #8 */
    assert_non_null(pkey);
    assert_int_equal(PEM_write_bio_PrivateKey_traditional(b, pkey, NULL, NULL,
                                                          0, NULL, NULL), 1);
    ec_pem = bio_text(p, b);
    assert_non_null(strstr(ec_pem, "-----BEGIN EC PRIVATE KEY-----"));
    ec = load_pem(p, ec_pem, NULL);
    assert_true(ec->is_private);
    assert_string_equal(ec->thumbprint, oa2_jwk_thumbprint(p, pkey));
    round_trip(p, ec, OA2_ALG_ES256, 64);
    EVP_PKEY_free(pkey);
}

static void test_pem_certificate(void **state)
{
    apr_pool_t *p = *state;
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    const char *cert;
    oa2_jwk_t *priv, *from_cert;

    assert_non_null(pkey);
    cert = self_signed_pem(p, pkey);
    priv = from_pkey(p, pkey, "c");
    from_cert = load_pem(p, cert, "c");
    assert_false(from_cert->is_private);
    assert_string_equal(from_cert->kty, "EC");
    assert_string_equal(from_cert->thumbprint, priv->thumbprint);
    assert_int_equal(verify(p, sign_ok(p, priv, NULL, "{}"),
                            keyset(p, from_cert, NULL), OA2_ALG_ALL),
                     APR_SUCCESS);
}

/* Encrypted keys are refused at once: no passphrase prompt. */
static void test_pem_encrypted_refused(void **state)
{
    apr_pool_t *p = *state;
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    BIO *b1 = BIO_new(BIO_s_mem()), *b2 = BIO_new(BIO_s_mem());
    const char *pkcs8, *sec1;

    assert_non_null(pkey);
    assert_int_equal(PEM_write_bio_PKCS8PrivateKey(b1, pkey,
                                                   EVP_aes_256_cbc(), NULL,
                                                   0, NULL, (void *)"secret"),
                     1);
    assert_int_equal(PEM_write_bio_PrivateKey_traditional(
                         b2, pkey, EVP_aes_128_cbc(),
                         (unsigned char *)"secret", 6, NULL, NULL), 1);
    EVP_PKEY_free(pkey);
    pkcs8 = bio_text(p, b1);
    sec1 = bio_text(p, b2);
    assert_non_null(strstr(pkcs8, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert_non_null(strstr(sec1, "Proc-Type: 4,ENCRYPTED"));

    assert_string_equal(load_pem_bad(p, pkcs8, strlen(pkcs8)), WHY_NO_PEM);
    assert_string_equal(load_pem_bad(p, sec1, strlen(sec1)), WHY_NO_PEM);
}

static void test_pem_garbage_refused(void **state)
{
    apr_pool_t *p = *state;
    char *big = apr_palloc(p, 65537);
    const char *junk[] = {
        "hello",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
        "-----END EC PARAMETERS-----\n",
        "-----BEGIN PUBLIC KEY-----\n",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        assert_string_equal(load_pem_bad(p, junk[i], strlen(junk[i])),
                            WHY_NO_PEM);
    }
    /* a truncated copy of a good key */
    assert_string_equal(load_pem_bad(p, A2_PUBLIC_PEM,
                                     strlen(A2_PUBLIC_PEM) / 2), WHY_NO_PEM);
    assert_string_equal(load_pem_bad(p, A2_PUBLIC_PEM, 0),
                        "empty or oversized PEM");
    memset(big, 'A', 65537);
    assert_string_equal(load_pem_bad(p, big, 65537),
                        "empty or oversized PEM");
}

/* (pem, len) need not be a C string: nothing past len may be read (this
 * test is for valgrind). */
static void test_pem_not_nul_terminated(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t len = strlen(A2_PUBLIC_PEM);
    char *buf = malloc(len);
    oa2_jwk_t *key = NULL;
    const char *why = NULL;
    apr_status_t rv;

    assert_non_null(buf);
    memcpy(buf, A2_PUBLIC_PEM, len);
    rv = oa2_jwk_load_pem(p, buf, len, NULL, &key, &why);
    free(buf);
    assert_int_equal(rv, APR_SUCCESS);
    assert_string_equal(key->thumbprint, A2_THUMBPRINT);

    /* the marker is past len: refused, not read */
    buf = malloc(8);
    assert_non_null(buf);
    memcpy(buf, "-----BEG", 8);
    rv = oa2_jwk_load_pem(p, buf, 8, NULL, &key, &why);
    free(buf);
    assert_int_equal(rv, APR_EINVAL);
}

static void test_pem_file(void **state)
{
    apr_pool_t *p = *state;
    const char *dir = NULL, *why = NULL;
    char *path, *empty_path;
    apr_file_t *f, *e;
    apr_size_t n = strlen(A2_PRIVATE_PEM);
    oa2_jwk_t *key = NULL;

    assert_int_equal(apr_temp_dir_get(&dir, p), APR_SUCCESS);
    path = apr_pstrcat(p, dir, "/oa2_unit_pem_XXXXXX", NULL);
    empty_path = apr_pstrcat(p, dir, "/oa2_unit_empty_XXXXXX", NULL);
    /* both files go when closed */
    assert_int_equal(apr_file_mktemp(&f, path, 0, p), APR_SUCCESS);
    assert_int_equal(apr_file_mktemp(&e, empty_path, 0, p), APR_SUCCESS);
    assert_int_equal(apr_file_write_full(f, A2_PRIVATE_PEM, n, NULL),
                     APR_SUCCESS);
    assert_int_equal(apr_file_flush(f), APR_SUCCESS);

    assert_int_equal(oa2_jwk_load_pem_file(p, path, "file-kid", &key, &why),
                     APR_SUCCESS);
    assert_string_equal(key->kid, "file-kid");
    assert_true(key->is_private);
    assert_string_equal(key->thumbprint, A2_THUMBPRINT);

    key = NULL;
    assert_int_equal(oa2_jwk_load_pem_file(p, empty_path, NULL, &key, &why),
                     APR_EINVAL);
    assert_null(key);
    assert_string_equal(why, apr_pstrcat(p, empty_path, ": empty or "
                                         "oversized PEM", NULL));

    assert_int_not_equal(oa2_jwk_load_pem_file(p, apr_pstrcat(p, path, ".no",
                                                              NULL),
                                               NULL, &key, &why),
                         APR_SUCCESS);
    assert_null(key);
    assert_non_null(strstr(why, "cannot open"));
    assert_non_null(strstr(why, ".no"));

    apr_file_close(f);
    apr_file_close(e);
}

/* ---- malformed JWS ------------------------------------------------------ */

#define GOOD_HEADER "{\"alg\":\"ES256\"}"
#define SIG "c2ln"

static void test_jws_parse_fields(void **state)
{
    apr_pool_t *p = *state;
    const char *c = compact3(p, "{\"alg\":\"ES256\",\"kid\":\"k\\\"1\","
                                "\"typ\":\"at+jwt\",\"x5u\":\"ignored\"}",
                             "{\"sub\":\"s\"}", SIG);
    oa2_jws_t *jws = parse_ok(p, c);

    assert_int_equal(jws->alg, OA2_ALG_ES256);
    assert_string_equal(jws->kid, "k\"1");
    assert_string_equal(jws->typ, "at+jwt");
    assert_string_equal(oa2_json_get_string(jws->header, "x5u"), "ignored");
    assert_string_equal(oa2_json_get_string(jws->payload, "sub"), "s");
    assert_string_equal(jws->payload_text, "{\"sub\":\"s\"}");
    assert_int_equal(jws->signing_input_len, strrchr(c, '.') - c);
    assert_memory_equal(jws->signing_input, c, jws->signing_input_len);
    assert_int_equal(jws->sig_len, 3);
    assert_memory_equal(jws->sig, "sig", 3);

    /* a typ that is not a string is no typ */
    jws = parse_ok(p, compact3(p, "{\"alg\":\"ES256\",\"typ\":5}", "{}",
                               SIG));
    assert_null(jws->typ);
}

/* A raw NUL byte inside a decoded header or payload is refused (the
 * payload's text is kept as a C string). */
static void test_jws_raw_nul(void **state)
{
    apr_pool_t *p = *state;
    const char *hdr = b64s(p, "{\"alg\":\"ES256\"}");
    const char *nul = oa2_b64url_encode(p, (const unsigned char *)
                                        "{\"a\":1}\0", 8);

    assert_string_equal(parse_bad(p, apr_pstrcat(p, hdr, ".", nul, ".",
                                                 SIG, NULL)),
                        "malformed JWS payload");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, nul, ".", hdr, ".",
                                                 SIG, NULL)),
                        "malformed JWS header");
}

static void test_jws_segments(void **state)
{
    apr_pool_t *p = *state;
    const char *h = b64s(p, GOOD_HEADER), *pl = b64s(p, "{}");
    const char *three = "not a compact JWS (three segments)";

    assert_string_equal(parse_bad(p, ""), "empty token");
    assert_string_equal(parse_bad_len(p, NULL, 0), "empty token");
    assert_string_equal(parse_bad_len(p, A3_TOKEN, 0), "empty token");
    assert_string_equal(parse_bad(p, "abc"), three);
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, NULL)),
                        three);
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".", SIG,
                                                 ".", SIG, NULL)), three);
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".", SIG,
                                                 ".", NULL)), three);
    assert_string_equal(parse_bad(p, A3_TOKEN ".x.y"), three);
    assert_string_equal(parse_bad(p, "...."), three);
    /* the JWE compact form has five */
    assert_string_equal(parse_bad(p, "a.b.c.d.e"), three);
    assert_string_equal(parse_bad(p, ".."), "malformed JWS header");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, "..", SIG, NULL)),
                        "malformed JWS payload");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".", NULL)),
                        "malformed JWS signature");
    /* len cuts the token before its signature */
    assert_string_equal(parse_bad_len(p, A3_TOKEN,
                                      strlen(A3_HEADER "." RFC7515_PAYLOAD)),
                        three);
}

static void test_jws_bad_base64(void **state)
{
    apr_pool_t *p = *state;
    const char *h = b64s(p, GOOD_HEADER), *pl = b64s(p, "{\"a\":1}");
    char *t;
    apr_size_t len;

    assert_string_equal(parse_bad(p, apr_pstrcat(p, "eyJ!", ".", pl, ".",
                                                 SIG, NULL)),
                        "malformed JWS header");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, "=.", pl, ".", SIG,
                                                 NULL)),
                        "malformed JWS header");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, " ", h, ".", pl, ".",
                                                 SIG, NULL)),
                        "malformed JWS header");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, "==.", SIG,
                                                 NULL)),
                        "malformed JWS payload");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, "\n.", SIG,
                                                 NULL)),
                        "malformed JWS payload");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".c2ln+/",
                                                 NULL)),
                        "malformed JWS signature");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".c2lu=",
                                                 NULL)),
                        "malformed JWS signature");
    /* len % 4 == 1, and non-zero trailing bits */
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".c2lnA",
                                                 NULL)),
                        "malformed JWS signature");
    assert_string_equal(parse_bad(p, apr_pstrcat(p, h, ".", pl, ".AB",
                                                 NULL)),
                        "malformed JWS signature");
    /* a NUL inside the token */
    t = apr_pstrcat(p, h, ".", pl, ".", SIG, NULL);
    len = strlen(t);
    t[len - 2] = '\0';
    assert_string_equal(parse_bad_len(p, t, len), "malformed JWS signature");
    t[len - 2] = 'l';
    t[1] = '\0';
    assert_string_equal(parse_bad_len(p, t, len), "malformed JWS header");
}

static void test_jws_bad_json(void **state)
{
    apr_pool_t *p = *state;
    static const char *headers[] = {
        "not json", "[\"ES256\"]", "\"ES256\"", "5", "null",
        GOOD_HEADER "x", GOOD_HEADER GOOD_HEADER, "{\"alg\":\"ES256\",}",
        "{\"alg\":\"ES256\",\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
        "{\"alg\":\"ES256\",\"x\":\"\xff\"}",
        "{\"alg\":\"ES\\u0000256\"}",
    };
    static const char *payloads[] = {
        "hello", "[1]", "\"s\"", "123", "true", "{\"a\":1}x", "{",
        "{\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
        "{\"sub\":\"a\xc0\xaf" "b\"}", "{\"sub\":\"a\\u0000b\"}",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        assert_string_equal(parse_bad(p, compact3(p, headers[i], "{}", SIG)),
                            "malformed JWS header");
    }
    for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
        assert_string_equal(parse_bad(p, compact3(p, GOOD_HEADER,
                                                  payloads[i], SIG)),
                            "malformed JWS payload");
    }
    /* a NUL byte in the decoded header */
    assert_string_equal(parse_bad(p, apr_pstrcat(
                                         p, oa2_b64url_encode(
                                                p, (const unsigned char *)
                                                GOOD_HEADER,
                                                sizeof(GOOD_HEADER)),
                                         ".e30." SIG, NULL)),
                        "malformed JWS header");
}

/* RFC 7515 §4.1.11: we understand no extension, so any crit fails. */
static void test_jws_crit_refused(void **state)
{
    apr_pool_t *p = *state;
    static const char *headers[] = {
        "{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}",
        "{\"alg\":\"ES256\",\"crit\":[]}",
        "{\"crit\":[\"b64\"],\"alg\":\"ES256\",\"b64\":false}",
        "{\"alg\":\"ES256\",\"crit\":null}",
        "{\"alg\":\"ES256\",\"crit\":\"x\"}",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        assert_string_equal(parse_bad(p, compact3(p, headers[i], "{}", SIG)),
                            "unsupported critical header");
    }
}

static void test_jws_kid_not_string(void **state)
{
    apr_pool_t *p = *state;
    static const char *headers[] = {
        "{\"alg\":\"ES256\",\"kid\":5}",
        "{\"alg\":\"ES256\",\"kid\":null}",
        "{\"alg\":\"ES256\",\"kid\":[\"k1\"]}",
        "{\"alg\":\"ES256\",\"kid\":{\"k1\":1}}",
        "{\"alg\":\"ES256\",\"kid\":true}",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        assert_string_equal(parse_bad(p, compact3(p, headers[i], "{}", SIG)),
                            "malformed kid");
    }
}

static void test_jws_signature_size(void **state)
{
    apr_pool_t *p = *state;
    unsigned char big[2049];
    const char *c;

    memset(big, 0x5a, sizeof(big));
    /* the largest RSA signature we accept (16384 bits) still parses */
    c = apr_pstrcat(p, A3_HEADER "." RFC7515_PAYLOAD ".",
                    oa2_b64url_encode(p, big, 2048), NULL);
    assert_int_equal(parse_ok(p, c)->sig_len, 2048);
    c = apr_pstrcat(p, A3_HEADER "." RFC7515_PAYLOAD ".",
                    oa2_b64url_encode(p, big, 2049), NULL);
    assert_string_equal(parse_bad(p, c), "malformed JWS signature");
}

static apr_size_t b64len(apr_size_t n)
{
    return (n * 4 + 2) / 3;
}

static void test_jws_size_limit(void **state)
{
    apr_pool_t *p = *state;
    /* {"alg":"ES256","kid":""} and {"x":""} around the kid and filler */
    apr_size_t hlen = 24, plen = 8, kid_len = 0, fill = 0, k, f;
    char *kid, *filler, *huge;
    const char *compact;
    oa2_jwk_t *key;
    apr_size_t mib = 1024 * 1024;

    /* a kid and filler that make the token exactly OA2_JWS_MAX_LEN long */
    for (k = 1; k <= 3 && kid_len == 0; k++) {
        for (f = 0; f < OA2_JWS_MAX_LEN; f++) {
            if (b64len(hlen + k) + 1 + b64len(plen + f) + 1 + 86
                == OA2_JWS_MAX_LEN) {
                kid_len = k;
                fill = f;
                break;
            }
        }
    }
    assert_int_not_equal(kid_len, 0);
    kid = apr_pcalloc(p, kid_len + 1);
    memset(kid, 'k', kid_len);
    filler = apr_pcalloc(p, fill + 1);
    memset(filler, 'a', fill);
    key = gen_ec(p, kid);
    compact = sign_ok(p, key, NULL, apr_pstrcat(p, "{\"x\":\"", filler, "\"}",
                                                NULL));
    assert_int_equal(strlen(compact), OA2_JWS_MAX_LEN);
    assert_int_equal(verify(p, compact, keyset(p, key, NULL), OA2_ALG_ALL),
                     APR_SUCCESS);
    /* one byte more is refused before any decoding */
    assert_string_equal(parse_bad(p, apr_pstrcat(p, compact, "A", NULL)),
                        "token too large");

    /* huge inputs, with and without dots */
    huge = apr_palloc(p, mib + 1);
    memset(huge, 'A', mib);
    huge[mib] = '\0';
    assert_string_equal(parse_bad(p, huge), "token too large");
    memset(huge, '.', mib);
    assert_string_equal(parse_bad(p, huge), "token too large");
    /* just under the limit, junk fails on its merits */
    huge[OA2_JWS_MAX_LEN] = '\0';
    memset(huge, 'A', OA2_JWS_MAX_LEN);
    assert_string_equal(parse_bad(p, huge),
                        "not a compact JWS (three segments)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_alg_names),
        UNIT_TEST(test_alg_list_parse),
        UNIT_TEST(test_rfc7515_a2_sign),
        UNIT_TEST(test_rfc7515_a2_verify),
        UNIT_TEST(test_rfc7515_a3_verify),
        UNIT_TEST(test_rfc7515_a3_private_ignored),
        UNIT_TEST(test_rfc7515_a3_signature_length),
        UNIT_TEST(test_rfc7515_a1_hs256_refused),
        UNIT_TEST(test_rfc7515_a5_none_refused),
        UNIT_TEST(test_rfc8037_ed25519),
        UNIT_TEST(test_rfc7638_thumbprint),
        UNIT_TEST(test_round_trip_es256),
        UNIT_TEST(test_round_trip_rs256),
        UNIT_TEST(test_round_trip_eddsa),
        UNIT_TEST(test_round_trip_ps256),
        UNIT_TEST(test_verify_shared_key_threads),
        UNIT_TEST(test_ps256_interop),
        UNIT_TEST(test_jwk_export_import),
        UNIT_TEST(test_jwk_export_exact),
        UNIT_TEST(test_jwk_alg_restricts),
        UNIT_TEST(test_jwk_from_json_refused),
        UNIT_TEST(test_jwks_round_trip),
        UNIT_TEST(test_jwks_text_exact),
        UNIT_TEST(test_jwks_skips_unusable),
        UNIT_TEST(test_jwks_refused),
        UNIT_TEST(test_verify_kid),
        UNIT_TEST(test_verify_empty_kid),
        UNIT_TEST(test_verify_allow_list),
        UNIT_TEST(test_verify_no_keys),
        UNIT_TEST(test_verify_wrong_key_type),
        UNIT_TEST(test_verify_tampered),
        UNIT_TEST(test_verify_rfc_tampered),
        UNIT_TEST(test_weak_keys_refused),
        UNIT_TEST(test_pem_private_and_public),
        UNIT_TEST(test_pem_certificate),
        UNIT_TEST(test_pem_encrypted_refused),
        UNIT_TEST(test_pem_garbage_refused),
        UNIT_TEST(test_pem_not_nul_terminated),
        UNIT_TEST(test_pem_file),
        UNIT_TEST(test_jws_parse_fields),
        UNIT_TEST(test_jws_segments),
        UNIT_TEST(test_jws_raw_nul),
        UNIT_TEST(test_jws_bad_base64),
        UNIT_TEST(test_jws_bad_json),
        UNIT_TEST(test_jws_crit_refused),
        UNIT_TEST(test_jws_kid_not_string),
        UNIT_TEST(test_jws_signature_size),
        UNIT_TEST(test_jws_size_limit),
    };

    return UNIT_RUN(tests);
}
