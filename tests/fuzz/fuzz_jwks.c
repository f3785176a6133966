/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_jwks: key import: oa2_jwks_parse and oa2_jwk_from_json on JSON
 * text, oa2_jwk_load_pem on PEM text; every key imported is exported again
 * (oa2_jwks_text must re-import to the same keys) and used to verify fixed
 * RFC signatures.
 * Input: a JWKS or a single JWK (JSON), or PEM text ("-----BEGIN" somewhere
 * in it). */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "harness.h"
#include "oa2_b64url.h"
#include "oa2_jose.h"
#include "oa2_json.h"

/* Signatures from RFC 7515 A.2 (RS256), A.3 (ES256), RFC 8037 A.4 (EdDSA)
 * and a PS256 one over the A.2 key (test_oa2_jose.c): any imported key is
 * tried on the ones its algorithms allow. */
#define RFC7515_PAYLOAD \
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" \
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
static const struct {
    oa2_alg_e alg;
    const char *input;
    const char *sig;
} VECTORS[] = {
    { OA2_ALG_RS256, "eyJhbGciOiJSUzI1NiJ9." RFC7515_PAYLOAD,
      "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7"
      "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
      "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
      "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
      "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
      "p0igcN_IoypGlUPQGe77Rw" },
    { OA2_ALG_ES256, "eyJhbGciOiJFUzI1NiJ9." RFC7515_PAYLOAD,
      "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA"
      "pmWQxfKTUJqPP3-Kg6NU1Q" },
    { OA2_ALG_EDDSA, "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc",
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5B"
      "hVsPt9g7sVvpAr_MuM0KAg" },
    { OA2_ALG_PS256, "eyJhbGciOiJQUzI1NiIsImtpZCI6IjIwMTAtMTItMjkifQ."
      "eyJpc3MiOiJqb2UiLCJzdWIiOiJwczI1Ni1pbnRlcm9wIn0",
      "FVM65ryIGr8Uq0kSO8LNs1Bwd31-TXPkQE2jOXiDhmy8gQMk0WTtbpVZ2-efHUoT"
      "brcE_xJH_LODoqwp6naFyRPLepoLxwfMreOH5kWQnLZZUGZuRJIQPXeAVeZW0h5R"
      "QA_Km1hK512U0eQAg_5CzeDFvdVhiF8Qn2z5JNuc0py1ke2tK9xvC72wBn9w2KyU"
      "BjEulsWaq17f1jXGVXJSzBTxqYE9iljrk87QqlqWr4CBq7C7keDzLNGi59RfgdiD"
      "jHO3WS16GpUNOjus6HK2aQxxV6YHzo5eqQGFK0I6peZToLnApIPo-CzxrfeFLnn4"
      "CxHeQkCgXZcK8_RWhAGUhA" },
};
#define N_VECTORS (sizeof(VECTORS) / sizeof(VECTORS[0]))

static unsigned char *vec_sig[N_VECTORS];
static apr_size_t vec_sig_len[N_VECTORS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t i;

    (void)argc;
    (void)argv;
    fz_init();
    for (i = 0; i < N_VECTORS; i++) {
        if (oa2_b64url_decode(fz_global_pool(), VECTORS[i].sig,
                              strlen(VECTORS[i].sig), &vec_sig[i],
                              &vec_sig_len[i]) != APR_SUCCESS) {
            fz_fail("fixed signature", __FILE__, __LINE__);
        }
    }
    return 0;
}

/* A key must look sane and be usable on the fixed vectors. */
static void use_key(apr_pool_t *p, const oa2_jwk_t *key)
{
    size_t i;
    json_object *jwk;

    FZ_ASSERT(key != NULL && key->pkey != NULL && key->kid != NULL
              && key->thumbprint != NULL && key->kty != NULL);
    FZ_ASSERT(key->algs != 0 && (key->algs & (unsigned int)key->alg) != 0);
    FZ_ASSERT((key->algs & ~(unsigned int)OA2_ALG_ALL) == 0);
    for (i = 0; i < N_VECTORS; i++) {
        if (key->algs & (unsigned int)VECTORS[i].alg) {
            (void)oa2_jws_verify_input(key, VECTORS[i].alg, VECTORS[i].input,
                                       strlen(VECTORS[i].input), vec_sig[i],
                                       vec_sig_len[i]);
        }
    }
    jwk = oa2_jwk_to_json(p, key);
    FZ_ASSERT(jwk != NULL);
    FZ_ASSERT(strcmp(oa2_json_get_string(jwk, "kid"), key->kid) == 0);
}

/* oa2_jwks_text() of keys must read back as the same keys. */
static void round_trip(apr_pool_t *p, const apr_array_header_t *keys)
{
    const char *text = oa2_jwks_text(p, keys);
    apr_array_header_t *again = NULL;
    const char *why = NULL;
    int i;

    FZ_ASSERT(oa2_jwks_parse(p, text, strlen(text), &again, &why)
              == APR_SUCCESS);
    FZ_ASSERT(again->nelts == keys->nelts);
    for (i = 0; i < keys->nelts; i++) {
        const oa2_jwk_t *a = APR_ARRAY_IDX(keys, i, const oa2_jwk_t *);
        const oa2_jwk_t *b = APR_ARRAY_IDX(again, i, const oa2_jwk_t *);
        FZ_ASSERT(strcmp(a->thumbprint, b->thumbprint) == 0);
        FZ_ASSERT(strcmp(a->kid, b->kid) == 0);
        FZ_ASSERT(strcmp(a->kty, b->kty) == 0);
        FZ_ASSERT(a->alg == b->alg);
    }
}

static int has_pem_marker(const uint8_t *data, size_t size)
{
    size_t i;

    for (i = 0; i + 10 <= size; i++) {
        if (memcmp(data + i, "-----BEGIN", 10) == 0) {
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    char *text = fz_exact(data, size);
    apr_array_header_t *keys = NULL;
    const char *why = NULL;
    json_object *obj = NULL;
    oa2_jwk_t *key = NULL;
    apr_status_t rv;
    int i;

    if (has_pem_marker(data, size)) {
        rv = oa2_jwk_load_pem(p, text, size, NULL, &key, &why);
        fz_debug("pem: %s", rv == APR_SUCCESS ? key->kty : why);
        if (rv == APR_SUCCESS) {
            FZ_ASSERT(key->is_private == 0 || key->is_private == 1);
            use_key(p, key);
            keys = apr_array_make(p, 1, sizeof(oa2_jwk_t *));
            APR_ARRAY_PUSH(keys, oa2_jwk_t *) = key;
            round_trip(p, keys);
        }
        else {
            FZ_ASSERT(why != NULL);
        }
        goto done;
    }
    rv = oa2_jwks_parse(p, text, size, &keys, &why);
    fz_debug("jwks: %s (%d keys)", rv == APR_SUCCESS ? "ok" : why,
             rv == APR_SUCCESS ? keys->nelts : 0);
    if (rv == APR_SUCCESS) {
        FZ_ASSERT(keys->nelts > 0 && keys->nelts <= 100);
        for (i = 0; i < keys->nelts; i++) {
            use_key(p, APR_ARRAY_IDX(keys, i, const oa2_jwk_t *));
        }
        round_trip(p, keys);
    }
    else {
        FZ_ASSERT(why != NULL);
    }
    /* the same text as one JWK (client assertions, "jwks" members) */
    if (oa2_json_parse_object(p, text, size, &obj) == APR_SUCCESS) {
        why = NULL;
        rv = oa2_jwk_from_json(p, obj, &key, &why);
        fz_debug("jwk: %s", rv == APR_SUCCESS ? key->kid : why);
        if (rv == APR_SUCCESS) {
            FZ_ASSERT(why == NULL);
            use_key(p, key);
        }
        else {
            FZ_ASSERT(why != NULL);
        }
    }
done:
    free(text);
    fz_pool_done(p);
    return 0;
}
