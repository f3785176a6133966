/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_jwt: JWT claims: iss, aud, typ, exp/nbf/iat with leeway, lifetime */
#include <string.h>
#include <apr_strings.h>
#include <openssl/evp.h>

#include "unit.h"
#include "oa2_claims.h"
#include "oa2_json.h"
#include "oa2_jwt.h"

#define NOW 1700000000

/* A parsed JWS with the given typ header and payload; the signature does
 * not matter to oa2_jwt_check. */
static oa2_jws_t *jwt(apr_pool_t *p, const char *typ, const char *payload)
{
    oa2_jws_t *jws = apr_pcalloc(p, sizeof(*jws));

    assert_int_equal(oa2_json_parse_object(p, payload, strlen(payload),
                                           &jws->payload), APR_SUCCESS);
    jws->header = oa2_json_object(p);
    oa2_json_set_string(jws->header, "alg", "ES256");
    oa2_json_set_string(jws->header, "typ", typ);
    jws->alg = OA2_ALG_ES256;
    jws->typ = typ;
    return jws;
}

static oa2_jwt_rules_t rules_at(apr_int64_t now, int leeway)
{
    oa2_jwt_rules_t r;

    memset(&r, 0, sizeof(r));
    r.now = now;
    r.leeway = leeway;
    return r;
}

/* The digest of the payload (what a cache hit checks) must meet the same
 * fate, with the same description (`why` NULL: accepted); `typ` is not
 * part of it. A malformed time claim cannot be digested at all. */
static void check_digest(const oa2_jws_t *jws, const oa2_jwt_rules_t *r,
                         const char *why)
{
    oa2_err_t err = { NULL, NULL, 0 };
    oa2_jwt_rules_t without_typ = *r;
    oa2_claims_t *c;
    apr_pool_t *p;
    apr_status_t rv;

    if (why != NULL && strcmp(why, "wrong token type") == 0) {
        return;
    }
    without_typ.typ = NULL;
    assert_int_equal(apr_pool_create(&p, NULL), APR_SUCCESS);
    rv = oa2_claims_digest(p, jws->payload, NULL, &c);
    if (why != NULL && strcmp(why, "malformed time claim") == 0) {
        assert_int_equal(rv, APR_EINVAL);
        apr_pool_destroy(p);
        return;
    }
    assert_int_equal(rv, APR_SUCCESS);
    assert_int_equal(oa2_jwt_check_claims(c, &without_typ, &err),
                     why == NULL ? APR_SUCCESS : APR_EINVAL);
    if (why == NULL) {
        assert_null(err.error);
    }
    else {
        assert_string_equal(err.description, why);
    }
    apr_pool_destroy(p);
}

static void check_ok(const oa2_jws_t *jws, const oa2_jwt_rules_t *r)
{
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_jwt_check(jws, r, &err), APR_SUCCESS);
    assert_null(err.error);
    check_digest(jws, r, NULL);
}

/* Fails with invalid_token; the description must be `why`. */
static void check_bad(const oa2_jws_t *jws, const oa2_jwt_rules_t *r,
                      const char *why)
{
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_jwt_check(jws, r, &err), APR_EINVAL);
    assert_non_null(err.error);
    assert_string_equal(err.error, OA2_ERR_INVALID_TOKEN);
    assert_int_equal(err.status, 401);
    assert_non_null(err.description);
    assert_string_equal(err.description, why);
    check_digest(jws, r, why);
}

/* A payload with one time claim. */
static oa2_jws_t *with_time(apr_pool_t *p, const char *name, apr_int64_t v)
{
    return jwt(p, NULL, apr_psprintf(p, "{\"%s\":%" APR_INT64_T_FMT "}",
                                     name, v));
}

static apr_array_header_t *auds(apr_pool_t *p, const char *a, const char *b)
{
    apr_array_header_t *arr = apr_array_make(p, 2, sizeof(const char *));

    APR_ARRAY_PUSH(arr, const char *) = a;
    if (b != NULL) {
        APR_ARRAY_PUSH(arr, const char *) = b;
    }
    return arr;
}

static void test_no_rules(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    check_ok(jwt(p, NULL, "{}"), &r);
    check_ok(jwt(p, "whatever", "{\"iss\":\"x\",\"aud\":5}"), &r);
}

static void test_issuer(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    r.issuer = "https://as.example";
    check_ok(jwt(p, NULL, "{\"iss\":\"https://as.example\"}"), &r);
    check_bad(jwt(p, NULL, "{\"iss\":\"https://evil.example\"}"), &r,
              "wrong issuer");
    /* exact comparison: no trailing slash, no case folding, no prefix */
    check_bad(jwt(p, NULL, "{\"iss\":\"https://as.example/\"}"), &r,
              "wrong issuer");
    check_bad(jwt(p, NULL, "{\"iss\":\"https://AS.example\"}"), &r,
              "wrong issuer");
    check_bad(jwt(p, NULL, "{\"iss\":\"https://as.exampl\"}"), &r,
              "wrong issuer");
    check_bad(jwt(p, NULL, "{}"), &r, "wrong issuer");
    check_bad(jwt(p, NULL, "{\"iss\":null}"), &r, "wrong issuer");
    check_bad(jwt(p, NULL, "{\"iss\":[\"https://as.example\"]}"), &r,
              "wrong issuer");
}

static void test_audience_string(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    r.audiences = auds(p, "https://rs.example", NULL);
    check_ok(jwt(p, NULL, "{\"aud\":\"https://rs.example\"}"), &r);
    check_bad(jwt(p, NULL, "{\"aud\":\"https://rs.example/\"}"), &r,
              "wrong audience");
    check_bad(jwt(p, NULL, "{\"aud\":\"https://other.example\"}"), &r,
              "wrong audience");
    check_bad(jwt(p, NULL, "{}"), &r, "wrong audience");
    check_bad(jwt(p, NULL, "{\"aud\":{\"x\":\"https://rs.example\"}}"), &r,
              "wrong audience");
    check_bad(jwt(p, NULL, "{\"aud\":5}"), &r, "wrong audience");

    /* any of several accepted audiences */
    r.audiences = auds(p, "a", "https://rs.example");
    check_ok(jwt(p, NULL, "{\"aud\":\"https://rs.example\"}"), &r);
    check_ok(jwt(p, NULL, "{\"aud\":\"a\"}"), &r);

    /* an empty list checks nothing */
    r.audiences = apr_array_make(p, 1, sizeof(const char *));
    check_ok(jwt(p, NULL, "{}"), &r);
}

static void test_audience_array(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    r.audiences = auds(p, "rs", NULL);
    check_ok(jwt(p, NULL, "{\"aud\":[\"x\",\"rs\",\"y\"]}"), &r);
    check_ok(jwt(p, NULL, "{\"aud\":[\"rs\"]}"), &r);
    check_bad(jwt(p, NULL, "{\"aud\":[]}"), &r, "wrong audience");
    check_bad(jwt(p, NULL, "{\"aud\":[\"x\",\"y\"]}"), &r, "wrong audience");
    /* nested arrays and non-strings do not count */
    check_bad(jwt(p, NULL, "{\"aud\":[[\"rs\"],{\"rs\":1},5]}"), &r,
              "wrong audience");
}

static void test_has_audience(void **state)
{
    apr_pool_t *p = *state;

    assert_true(oa2_jwt_has_audience(jwt(p, NULL, "{\"aud\":\"a\"}"), "a"));
    assert_false(oa2_jwt_has_audience(jwt(p, NULL, "{\"aud\":\"a\"}"), "b"));
    assert_false(oa2_jwt_has_audience(jwt(p, NULL, "{\"aud\":\"ab\"}"), "a"));
    assert_true(oa2_jwt_has_audience(jwt(p, NULL, "{\"aud\":[1,\"b\"]}"),
                                     "b"));
    assert_false(oa2_jwt_has_audience(jwt(p, NULL, "{\"aud\":[\"A\"]}"),
                                      "a"));
    assert_false(oa2_jwt_has_audience(jwt(p, NULL, "{}"), "a"));
    assert_false(oa2_jwt_has_audience(jwt(p, NULL, "{\"aud\":true}"), "a"));
}

/* RFC 9068 §4: typ "at+jwt", also as "application/at+jwt". */
static void test_typ(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    r.typ = "at+jwt";
    check_ok(jwt(p, "at+jwt", "{}"), &r);
    check_ok(jwt(p, "application/at+jwt", "{}"), &r);
    check_ok(jwt(p, "AT+JWT", "{}"), &r);
    check_ok(jwt(p, "Application/At+Jwt", "{}"), &r);
    check_bad(jwt(p, "JWT", "{}"), &r, "wrong token type");
    check_bad(jwt(p, "at+jwt2", "{}"), &r, "wrong token type");
    check_bad(jwt(p, "application/", "{}"), &r, "wrong token type");
    check_bad(jwt(p, "xapplication/at+jwt", "{}"), &r, "wrong token type");
    check_bad(jwt(p, "application/application/at+jwt", "{}"), &r,
              "wrong token type");
    check_bad(jwt(p, "", "{}"), &r, "wrong token type");
    /* missing typ: an ID token or other JWT must not pass as an AT */
    check_bad(jwt(p, NULL, "{}"), &r, "wrong token type");
}

static void test_exp(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    check_ok(with_time(p, "exp", NOW + 1), &r);
    /* RFC 7519 §4.1.4: on or after exp the token is invalid */
    check_bad(with_time(p, "exp", NOW), &r, "expired");
    check_bad(with_time(p, "exp", NOW - 1), &r, "expired");
    check_bad(with_time(p, "exp", 0), &r, "expired");
    check_bad(with_time(p, "exp", -5), &r, "expired");

    r.leeway = 60;
    check_ok(with_time(p, "exp", NOW), &r);
    check_ok(with_time(p, "exp", NOW - 59), &r);
    check_bad(with_time(p, "exp", NOW - 60), &r, "expired");
    check_bad(with_time(p, "exp", NOW - 61), &r, "expired");
}

static void test_nbf(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    check_ok(with_time(p, "nbf", NOW), &r);
    check_ok(with_time(p, "nbf", NOW - 1000), &r);
    check_bad(with_time(p, "nbf", NOW + 1), &r, "not yet valid");

    r.leeway = 60;
    check_ok(with_time(p, "nbf", NOW + 60), &r);
    check_bad(with_time(p, "nbf", NOW + 61), &r, "not yet valid");
}

static void test_iat(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    check_ok(with_time(p, "iat", NOW), &r);
    check_ok(with_time(p, "iat", NOW - 86400), &r);
    check_bad(with_time(p, "iat", NOW + 1), &r, "issued in the future");

    r.leeway = 30;
    check_ok(with_time(p, "iat", NOW + 30), &r);
    check_bad(with_time(p, "iat", NOW + 31), &r, "issued in the future");
}

static void test_require_exp(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    check_ok(jwt(p, NULL, "{\"iat\":1}"), &r);
    r.require_exp = 1;
    check_bad(jwt(p, NULL, "{\"iat\":1}"), &r, "no expiry");
    check_ok(with_time(p, "exp", NOW + 10), &r);
}

/* NumericDate claims must be integers; anything else is refused, not
 * skipped. */
static void test_time_not_integer(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);
    static const char *bad[] = {
        "{\"exp\":1700000100.5}",
        "{\"exp\":1.7000001e9}",
        "{\"exp\":\"1700000100\"}",
        "{\"exp\":true}",
        "{\"exp\":null}",
        "{\"exp\":[1700000100]}",
        "{\"exp\":{}}",
        "{\"exp\":99999999999999999999}",
        "{\"nbf\":\"0\"}",
        "{\"nbf\":0.0}",
        "{\"iat\":1.0}",
        "{\"iat\":false}",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        check_bad(jwt(p, NULL, bad[i]), &r, "malformed time claim");
    }
    /* even when expiry is not required */
    r.require_exp = 0;
    check_bad(jwt(p, NULL, "{\"exp\":\"never\"}"), &r,
              "malformed time claim");
}

static void test_max_lifetime(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 0);

    r.max_lifetime = 300;
    check_ok(with_time(p, "exp", NOW + 300), &r);
    check_bad(with_time(p, "exp", NOW + 301), &r, "lifetime too long");
    check_bad(with_time(p, "exp", APR_INT64_C(4102444800)), &r,
              "lifetime too long");
    /* no exp: nothing to bound unless exp is required */
    check_ok(jwt(p, NULL, "{}"), &r);

    r.leeway = 60;
    check_ok(with_time(p, "exp", NOW + 360), &r);
    check_bad(with_time(p, "exp", NOW + 361), &r, "lifetime too long");
}

/* Extreme but integral values must not overflow the comparisons. */
static void test_time_extremes(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 60);

    check_ok(with_time(p, "exp", APR_INT64_MAX), &r);
    check_ok(with_time(p, "exp", APR_INT64_MAX - 30), &r);
    check_bad(with_time(p, "exp", APR_INT64_MIN), &r, "expired");
    check_ok(with_time(p, "nbf", APR_INT64_MIN), &r);
    check_ok(with_time(p, "nbf", APR_INT64_MIN + 30), &r);
    check_bad(with_time(p, "nbf", APR_INT64_MAX), &r, "not yet valid");
    check_ok(with_time(p, "iat", APR_INT64_MIN), &r);
    check_bad(with_time(p, "iat", APR_INT64_MAX), &r,
              "issued in the future");
    r.max_lifetime = 3600;
    check_bad(with_time(p, "exp", APR_INT64_MAX), &r, "lifetime too long");
}

static void test_all_rules(void **state)
{
    apr_pool_t *p = *state;
    oa2_jwt_rules_t r = rules_at(NOW, 30);
    const char *claims = "{\"iss\":\"https://as.example\","
                         "\"aud\":[\"https://rs.example\"],"
                         "\"sub\":\"alice\",\"iat\":1700000000,"
                         "\"nbf\":1700000000,\"exp\":1700000300}";

    r.issuer = "https://as.example";
    r.audiences = auds(p, "https://rs.example", NULL);
    r.typ = "at+jwt";
    r.require_exp = 1;
    r.max_lifetime = 3600;
    check_ok(jwt(p, "at+jwt", claims), &r);
    /* each rule alone can still refuse it */
    check_bad(jwt(p, "jwt", claims), &r, "wrong token type");
    r.now = NOW + 330;
    check_bad(jwt(p, "at+jwt", claims), &r, "expired");
    r.now = NOW - 31;
    check_bad(jwt(p, "at+jwt", claims), &r, "not yet valid");
}

/* From signing to claim checks, as the resource server does it. */
static void test_signed_access_token(void **state)
{
    apr_pool_t *p = *state;
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    oa2_jwk_t *key;
    const char *why = NULL, *compact;
    const char *claims = "{\"iss\":\"https://as.example\","
                         "\"aud\":\"https://rs.example\",\"sub\":\"alice\","
                         "\"client_id\":\"c1\",\"iat\":1700000000,"
                         "\"exp\":1700000300,\"jti\":\"j1\"}";
    apr_array_header_t *keys = apr_array_make(p, 1, sizeof(oa2_jwk_t *));
    oa2_jws_t *jws;
    oa2_err_t err = { NULL, NULL, 0 };
    oa2_jwt_rules_t r = rules_at(NOW + 10, 0);

    assert_non_null(pkey);
    assert_int_equal(oa2_jwk_from_pkey(p, pkey, "k1", &key, &why),
                     APR_SUCCESS);
    APR_ARRAY_PUSH(keys, oa2_jwk_t *) = key;
    assert_int_equal(oa2_jws_sign(p, key, "at+jwt", claims, strlen(claims),
                                  &compact), APR_SUCCESS);
    assert_int_equal(oa2_jws_parse(p, compact, strlen(compact), &jws, &err),
                     APR_SUCCESS);
    assert_int_equal(oa2_jws_verify(jws, keys, OA2_ALG_ES256, NULL),
                     APR_SUCCESS);
    r.issuer = "https://as.example";
    r.audiences = auds(p, "https://rs.example", NULL);
    r.typ = "at+jwt";
    r.require_exp = 1;
    check_ok(jws, &r);
    assert_string_equal(oa2_json_get_string(jws->payload, "sub"), "alice");
    r.now = NOW + 300;
    check_bad(jws, &r, "expired");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_no_rules),
        UNIT_TEST(test_issuer),
        UNIT_TEST(test_audience_string),
        UNIT_TEST(test_audience_array),
        UNIT_TEST(test_has_audience),
        UNIT_TEST(test_typ),
        UNIT_TEST(test_exp),
        UNIT_TEST(test_nbf),
        UNIT_TEST(test_iat),
        UNIT_TEST(test_require_exp),
        UNIT_TEST(test_time_not_integer),
        UNIT_TEST(test_max_lifetime),
        UNIT_TEST(test_time_extremes),
        UNIT_TEST(test_all_rules),
        UNIT_TEST(test_signed_access_token),
    };

    return UNIT_RUN(tests);
}
