/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_jws: a compact JWS through oa2_jws_parse, oa2_jws_verify with a
 * fixed key set and oa2_jwt_check with two fixed rule sets.
 * Input: the compact serialisation, as is; or, when it starts with '{',
 * header NUL payload NUL signature, which the harness base64url-encodes
 * into one: mutations of the JSON then reach the header and claim checks,
 * which they rarely do through base64url. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "harness.h"
#include "oa2_b64url.h"
#include "oa2_jose.h"
#include "oa2_json.h"
#include "oa2_jwt.h"

/* Public keys of published examples: RFC 7515 A.2 (RSA, kid 2010-12-29),
 * A.3 (EC P-256, no kid: the thumbprint) and RFC 8037 A.1 (Ed25519). The
 * seeds in corpus/jws/ are signed with their private halves
 * (make-corpus.py). */
static const char JWKS[] =
    "{\"keys\":["
    "{\"kty\":\"RSA\",\"kid\":\"2010-12-29\",\"e\":\"AQAB\",\"n\":\""
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp"
    "-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOW"
    "vG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUs"
    "LA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9k"
    "G4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2"
    "PAcDTW9gb54h4FRWyuXpoQ\"},"
    "{\"kty\":\"EC\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"},"
    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\","
    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"
    "]}";

static apr_array_header_t *keys;
static oa2_jwt_rules_t rules_rfc;     /* the RFC 7515 example claims */
static oa2_jwt_rules_t rules_at;      /* an RFC 9068 access token */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    apr_pool_t *g;
    apr_array_header_t *auds;
    const char *why = NULL;

    (void)argc;
    (void)argv;
    fz_init();
    g = fz_global_pool();
    if (oa2_jwks_parse(g, JWKS, strlen(JWKS), &keys, &why) != APR_SUCCESS
        || keys->nelts != 3) {
        fz_fail(why ? why : "fixed JWKS", __FILE__, __LINE__);
    }
    rules_rfc.issuer = "joe";
    rules_rfc.now = 1300819000;       /* before the example's exp */
    rules_rfc.leeway = 60;
    auds = apr_array_make(g, 2, sizeof(const char *));
    APR_ARRAY_PUSH(auds, const char *) = "https://rs.example.com";
    APR_ARRAY_PUSH(auds, const char *) = "api";
    rules_at.issuer = "https://as.example.com";
    rules_at.audiences = auds;
    rules_at.typ = "at+jwt";
    rules_at.now = 1700000000;
    rules_at.leeway = 30;
    rules_at.require_exp = 1;
    rules_at.max_lifetime = 3600;
    return 0;
}

/* header NUL payload NUL signature as a compact JWS (in malloc memory). */
static char *encode_parts(apr_pool_t *p, const uint8_t *data, size_t size,
                          size_t *len)
{
    const uint8_t *part[3] = { data, NULL, NULL };
    size_t part_len[3] = { size, 0, 0 };
    const char *compact;
    int i;

    for (i = 0; i < 2; i++) {
        const uint8_t *nul = memchr(part[i], 0, part_len[i]);
        if (nul == NULL) {
            break;
        }
        part[i + 1] = nul + 1;
        part_len[i + 1] = part_len[i] - (size_t)(nul + 1 - part[i]);
        part_len[i] = (size_t)(nul - part[i]);
    }
    compact = apr_pstrcat(
        p, oa2_b64url_encode(p, part[0], part_len[0]), ".",
        oa2_b64url_encode(p, part[1] ? part[1] : data, part_len[1]), ".",
        oa2_b64url_encode(p, part[2] ? part[2] : data, part_len[2]), NULL);
    *len = strlen(compact);
    return fz_exact(compact, *len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    char *compact;                          /* not NUL-terminated */
    oa2_jws_t *jws = NULL;
    const oa2_jwk_t *used = NULL;
    oa2_err_t err;
    apr_status_t rv;
    unsigned int allowed[] = { OA2_ALG_ALL, OA2_ALG_ES256 | OA2_ALG_EDDSA };
    int i;

    if (size > 0 && data[0] == '{') {
        compact = encode_parts(p, data, size, &size);
    }
    else {
        compact = fz_exact(data, size);
    }
    memset(&err, 0, sizeof(err));
    if (oa2_jws_parse(p, compact, size, &jws, &err) != APR_SUCCESS) {
        FZ_ASSERT(err.error != NULL && err.status == 401);
        fz_debug("parse: %s", err.description);
        goto done;
    }
    FZ_ASSERT(jws->header != NULL && jws->payload != NULL);
    FZ_ASSERT(json_object_is_type(jws->payload, json_type_object));
    FZ_ASSERT(jws->alg != 0 && jws->sig_len > 0);
    FZ_ASSERT(jws->signing_input_len < size);
    for (i = 0; i < 2; i++) {
        used = NULL;
        rv = oa2_jws_verify(jws, keys, allowed[i], &used);
        fz_debug("verify %d: %s", i, rv == APR_SUCCESS ? used->kid
                 : rv == APR_EINVAL ? "bad signature" : "no key");
        FZ_ASSERT(rv == APR_SUCCESS || rv == APR_EINVAL
                  || rv == APR_NOTFOUND);
        if (rv == APR_SUCCESS) {
            FZ_ASSERT(used != NULL && (used->algs & (unsigned int)jws->alg));
            FZ_ASSERT((allowed[i] & (unsigned int)jws->alg) != 0);
            FZ_ASSERT(jws->kid == NULL || strcmp(jws->kid, used->kid) == 0);
        }
    }
    /* the claims are checked whatever the signature said, so that a
     * mutated payload reaches the checks too */
    memset(&err, 0, sizeof(err));
    if (oa2_jwt_check(jws, &rules_rfc, &err) != APR_SUCCESS) {
        FZ_ASSERT(err.error != NULL);
    }
    fz_debug("RFC 7515 rules: %s", err.error ? err.description : "ok");
    memset(&err, 0, sizeof(err));
    if (oa2_jwt_check(jws, &rules_at, &err) == APR_SUCCESS) {
        FZ_ASSERT(oa2_jwt_has_audience(jws, "api")
                  || oa2_jwt_has_audience(jws, "https://rs.example.com"));
    }
    else {
        FZ_ASSERT(err.error != NULL);
    }
    fz_debug("at+jwt rules: %s", err.error ? err.description : "ok");
    (void)oa2_json_text(p, jws->payload);
done:
    free(compact);
    fz_pool_done(p);
    return 0;
}
