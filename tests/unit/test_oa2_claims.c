/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_claims: digests of verified claims, their cache text, and hostile texts. */
#include <string.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_claims.h"
#include "oa2_json.h"

static const char *TYPICAL =
    "{\"iss\":\"https://as.test\",\"sub\":\"alice\",\"aud\":[\"api\",7,"
    "\"other\"],\"exp\":1900000000,\"nbf\":1700000000,\"iat\":1700000001,"
    "\"scope\":\"read write\",\"client_id\":\"c1\",\"jti\":\"j-1\","
    "\"act\":{\"sub\":\"svc\"},\"admin\":true,\"n\":null,\"f\":1.5,"
    "\"line\":\"a\\nb\\tc\\u007f\",\"bad\\nname\":\"x\",\"roles\":[\"r1\","
    "\"r2\",3]}";

static oa2_claims_t *digest_of(apr_pool_t *p, const char *json)
{
    json_object *o;
    oa2_claims_t *c;

    assert_int_equal(oa2_json_parse_object(p, json, strlen(json), &o),
                     APR_SUCCESS);
    assert_int_equal(oa2_claims_digest(p, o, NULL, &c), APR_SUCCESS);
    return c;
}

static apr_status_t load(apr_pool_t *p, const char *text, oa2_claims_t **c)
{
    return oa2_claims_load(p, apr_pstrdup(p, text), strlen(text), c);
}

static const char *pass_value(const oa2_claims_t *c, const char *name)
{
    int i;

    for (i = 0; i < c->pass->nelts; i++) {
        const oa2_claim_pass_t *e = &APR_ARRAY_IDX(c->pass, i,
                                                   oa2_claim_pass_t);
        if (strcmp(e->name, name) == 0) {
            return e->value;
        }
    }
    return NULL;
}

static void assert_same(const oa2_claims_t *a, const oa2_claims_t *b)
{
    int i;

#define SAME_STR(x, y) \
    ((x) == NULL ? assert_null(y) : assert_string_equal((x), (y)))
    SAME_STR(a->iss, b->iss);
    SAME_STR(a->user, b->user);
    SAME_STR(a->scope, b->scope);
    assert_string_equal(a->json, b->json);
    assert_int_equal(a->has_exp, b->has_exp);
    assert_int_equal(a->has_nbf, b->has_nbf);
    assert_int_equal(a->has_iat, b->has_iat);
    assert_true(a->exp == b->exp && a->nbf == b->nbf && a->iat == b->iat);
    assert_int_equal(a->aud->nelts, b->aud->nelts);
    for (i = 0; i < a->aud->nelts; i++) {
        assert_string_equal(APR_ARRAY_IDX(a->aud, i, const char *),
                            APR_ARRAY_IDX(b->aud, i, const char *));
    }
    assert_int_equal(a->pass->nelts, b->pass->nelts);
    for (i = 0; i < a->pass->nelts; i++) {
        const oa2_claim_pass_t *x = &APR_ARRAY_IDX(a->pass, i,
                                                   oa2_claim_pass_t);
        const oa2_claim_pass_t *y = &APR_ARRAY_IDX(b->pass, i,
                                                   oa2_claim_pass_t);
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->value, y->value);
    }
#undef SAME_STR
}

static void test_digest_typical(void **state)
{
    apr_pool_t *p = *state;
    oa2_claims_t *c = digest_of(p, TYPICAL);

    assert_string_equal(c->iss, "https://as.test");
    assert_string_equal(c->user, "alice");
    assert_string_equal(c->scope, "read write");
    assert_true(c->has_exp && c->exp == 1900000000);
    assert_true(c->has_nbf && c->nbf == 1700000000);
    assert_true(c->has_iat && c->iat == 1700000001);
    /* the strings of the array only */
    assert_int_equal(c->aud->nelts, 2);
    assert_true(oa2_claims_has_audience(c, "api"));
    assert_true(oa2_claims_has_audience(c, "other"));
    assert_false(oa2_claims_has_audience(c, "7"));
    assert_false(oa2_claims_has_audience(c, "ap"));
    /* every claim, in order, rendered for the backend */
    assert_int_equal(c->pass->nelts, 16);
    assert_string_equal(APR_ARRAY_IDX(c->pass, 0, oa2_claim_pass_t).name,
                        "iss");
    assert_string_equal(pass_value(c, "aud"), "api 7 other");
    assert_string_equal(pass_value(c, "exp"), "1900000000");
    assert_string_equal(pass_value(c, "act"), "{\"sub\":\"svc\"}");
    assert_string_equal(pass_value(c, "admin"), "true");
    assert_string_equal(pass_value(c, "n"), "null");
    assert_string_equal(pass_value(c, "f"), "1.5");
    assert_string_equal(pass_value(c, "roles"), "r1 r2 3");
    /* no control character reaches a header, in a value or a name */
    assert_string_equal(pass_value(c, "line"), "a b c ");
    assert_string_equal(pass_value(c, "bad name"), "x");
    assert_null(strchr(c->json, '\n'));
}

static void test_digest_user_scope_aud(void **state)
{
    apr_pool_t *p = *state;
    oa2_claims_t *c;

    /* client_id when there is no (string) sub */
    c = digest_of(p, "{\"sub\":5,\"client_id\":\"c\"}");
    assert_string_equal(c->user, "c");
    c = digest_of(p, "{}");
    assert_null(c->user);
    assert_null(c->iss);
    assert_null(c->scope);
    assert_int_equal(c->aud->nelts, 0);
    assert_false(c->has_exp || c->has_nbf || c->has_iat);
    assert_int_equal(c->pass->nelts, 0);
    /* an array "scp": its valid scope tokens; "scope" wins over it */
    c = digest_of(p, "{\"scp\":[\"a\",\"b c\",1,\"d\",\"\"]}");
    assert_string_equal(c->scope, "a d");
    c = digest_of(p, "{\"scope\":\"x\",\"scp\":[\"a\"]}");
    assert_string_equal(c->scope, "x");
    c = digest_of(p, "{\"scope\":7,\"scp\":\"a\"}");
    assert_null(c->scope);
    /* a string "aud"; non-string iss */
    c = digest_of(p, "{\"aud\":\"api\",\"iss\":[\"x\"]}");
    assert_int_equal(c->aud->nelts, 1);
    assert_true(oa2_claims_has_audience(c, "api"));
    assert_null(c->iss);
    c = digest_of(p, "{\"aud\":{\"api\":1}}");
    assert_int_equal(c->aud->nelts, 0);
    /* negative and extreme integers are still integers, and pass as
     * json-c writes them */
    c = digest_of(p, "{\"exp\":-5,\"iat\":9223372036854775807,"
                     "\"big\":18446744073709551615,\"z\":-0,"
                     "\"min\":-9223372036854775808}");
    assert_true(c->exp == -5 && c->iat == INT64_MAX);
    {
        const char *ints = "{\"exp\":-5,\"iat\":9223372036854775807,"
                           "\"big\":18446744073709551615,\"z\":-0,"
                           "\"min\":-9223372036854775808}";
        json_object *o;
        assert_int_equal(oa2_json_parse_object(p, ints, strlen(ints), &o),
                         APR_SUCCESS);
        json_object_object_foreach(o, key, val) {
            assert_string_equal(pass_value(c, key), oa2_json_text(p, val));
        }
        assert_string_equal(pass_value(c, "big"), "18446744073709551615");
    }
}

/* A token's own payload text is kept as it is (no second serialisation). */
static void test_digest_keeps_payload_text(void **state)
{
    apr_pool_t *p = *state;
    const char *text = "{ \"sub\" : \"a\",\n \"exp\": 5 }";
    json_object *o;
    oa2_claims_t *c, *back;

    assert_int_equal(oa2_json_parse_object(p, text, strlen(text), &o),
                     APR_SUCCESS);
    assert_int_equal(oa2_claims_digest(p, o, text, &c), APR_SUCCESS);
    assert_ptr_equal(c->json, text);
    assert_int_equal(load(p, oa2_claims_text(p, c), &back), APR_SUCCESS);
    assert_string_equal(back->json, text);
    assert_string_equal(back->user, "a");
    assert_int_equal(oa2_claims_digest(p, o, NULL, &c), APR_SUCCESS);
    assert_string_equal(c->json, "{\"sub\":\"a\",\"exp\":5}");
}

static void test_digest_refuses(void **state)
{
    apr_pool_t *p = *state;
    const char *bad[] = {
        "{\"exp\":1.5}", "{\"exp\":\"1900000000\"}", "{\"nbf\":true}",
        "{\"iat\":null}", "{\"exp\":9223372036854775808}", "[1]", "\"s\"",
    };
    oa2_claims_t *c = (oa2_claims_t *)p;
    json_object *o;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(oa2_json_parse(p, bad[i], strlen(bad[i]), &o),
                         APR_SUCCESS);
        assert_int_equal(oa2_claims_digest(p, o, NULL, &c), APR_EINVAL);
        assert_null(c);
    }
    assert_int_equal(oa2_claims_digest(p, NULL, NULL, &c), APR_EINVAL);
}

static void test_text_round_trip(void **state)
{
    apr_pool_t *p = *state;
    const char *samples[] = {
        TYPICAL, "{}", "{\"aud\":\"a\",\"exp\":-1}",
        /* separators of the text inside values and names */
        "{\"-\":\"3:a,\",\"x,y\":\":\",\"sub\":\"-\",\"iss\":\"\","
        "\"scope\":\"\",\"aud\":[\"\",\"c1\"]}",
        "{\"\\u00e9t\\u00e9\":\"\\u2603\",\"sub\":\"\\ud83d\\ude00\"}",
        /* the integers' extremes and zero */
        "{\"exp\":9223372036854775807,\"nbf\":-9223372036854775808,"
        "\"iat\":0}",
    };
    size_t i;

    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        oa2_claims_t *c = digest_of(p, samples[i]), *back;
        const char *text = oa2_claims_text(p, c);
        assert_non_null(text);
        assert_int_equal(load(p, text, &back), APR_SUCCESS);
        assert_same(c, back);
        /* the loaded digest writes the same text again */
        assert_string_equal(oa2_claims_text(p, back), text);
    }
    /* the integers as decimals, each "<length>:<digits>," */
    {
        const char *text = oa2_claims_text(p, digest_of(p,
            "{\"exp\":-12,\"nbf\":-9223372036854775808,\"iat\":0}"));
        assert_non_null(strstr(text, "---3:-12,20:-9223372036854775808,1:0,"));
    }
}

static void test_text_too_big(void **state)
{
    apr_pool_t *p = *state;
    char *big = apr_palloc(p, OA2_CLAIMS_MAX_TEXT + 64);
    oa2_claims_t *c;

    memset(big, 'a', OA2_CLAIMS_MAX_TEXT + 63);
    big[OA2_CLAIMS_MAX_TEXT + 63] = '\0';
    c = digest_of(p, apr_psprintf(p, "{\"x\":\"%s\"}", big));
    assert_null(oa2_claims_text(p, c));
    /* and a text over the limit is not read */
    assert_int_equal(oa2_claims_load(p, big, strlen(big), &c), APR_EINVAL);
}

/* Every prefix of a good text, and the text with anything after it, is
 * refused. */
static void test_load_truncated_and_trailing(void **state)
{
    apr_pool_t *p = *state;
    const char *text = oa2_claims_text(p, digest_of(p, TYPICAL));
    apr_size_t n, len = strlen(text);
    oa2_claims_t *c = (oa2_claims_t *)p;

    for (n = 0; n < len; n++) {
        char *copy = apr_pstrmemdup(p, text, n);
        assert_int_equal(oa2_claims_load(p, copy, n, &c), APR_EINVAL);
        assert_null(c);
    }
    assert_int_equal(load(p, apr_pstrcat(p, text, "-", NULL), &c),
                     APR_EINVAL);
    assert_int_equal(load(p, apr_pstrcat(p, text, "0:,", NULL), &c),
                     APR_EINVAL);
    assert_int_equal(load(p, text, &c), APR_SUCCESS);
}

static void test_load_hostile(void **state)
{
    apr_pool_t *p = *state;
    const char *bad[] = {
        "",
        "c2------1:0,1:0,2:{},",           /* another version */
        "c1------1:0,1:0,-",               /* no JSON */
        "c1------1:0,1:0,3:{},",           /* length past the end */
        "c1------1:0,1:0,2:{}",            /* no closing comma */
        "c1------1:0,1:0,2:{};",           /* a wrong closing byte */
        "c1------1:0,1:0,2{},",            /* no colon */
        "c1------1:0,1:0,:{},",            /* no length */
        "c1------1:0,1:0,000002:{},",      /* too many digits */
        "c1------1:0,1:0,99999:{},",       /* a huge length */
        "c1-----1:0,1:0,2:{},",            /* a field missing */
        "c1------1:1,-1:0,2:{},",          /* an absent audience */
        "c1------1:9,1:0,2:{},",           /* more audiences than bytes */
        "c1------2:-1,1:0,2:{},",          /* a negative count */
        "c1------1:x,1:0,2:{},",           /* a count that is no number */
        "c1------1:0,1:1,1:a,-2:{},",      /* an absent claim value */
        "c1------1:0,1:1,-1:a,2:{},",      /* an absent claim name */
        "c1---1:x--1:0,1:0,2:{},",         /* exp that is no number */
        "c1---0:--1:0,1:0,2:{},",          /* an empty exp */
        "c1---2:1 --1:0,1:0,2:{},",        /* exp with a space */
        "c1---20:99999999999999999999--1:0,1:0,2:{},", /* exp overflow */
        "c1------1:0,1:0,2:{},2:{},",      /* a field too many */
        "c1 -----1:0,1:0,2:{},",           /* a stray byte */
        "c1------1:0,1:0,02:{},",          /* a length with a leading 0 */
        "c1------2:00,1:0,2:{},",          /* a count with a leading 0 */
        "c1---2:-0,--1:0,1:0,2:{},",       /* exp "-0" */
        "c1---3:+12,--1:0,1:0,2:{},",      /* exp with a plus sign */
        "c1---3:012,--1:0,1:0,2:{},",      /* exp with a leading 0 */
        "c1---1:-,--1:0,1:0,2:{},",        /* exp "-" */
    };
    oa2_claims_t *c;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c = (oa2_claims_t *)p;
        assert_int_equal(load(p, bad[i], &c), APR_EINVAL);
        assert_null(c);
    }
    /* the smallest good text, for contrast */
    assert_int_equal(load(p, "c1------1:0,1:0,2:{},", &c), APR_SUCCESS);
    assert_string_equal(c->json, "{}");
    assert_int_equal(load(p, "c1---11:-1700000000,--1:0,1:0,2:{},", &c),
                     APR_SUCCESS);
    assert_true(c->has_exp && c->exp == -1700000000 && !c->has_nbf);
    assert_int_equal(load(p, "c1---1:0,--1:0,1:0,2:{},", &c), APR_SUCCESS);
    assert_true(c->has_exp && c->exp == 0);
    /* a NUL inside the given length */
    {
        char text[] = "c1------1:0,1:0,2:{},";
        text[5] = '\0';
        assert_int_equal(oa2_claims_load(p, text, sizeof(text) - 1, &c),
                         APR_EINVAL);
    }
}

/* Any single changed byte of a good text is refused or read as a
 * well-formed digest, never past the text. */
static void test_load_mutations(void **state)
{
    apr_pool_t *p = *state;
    const char *text = oa2_claims_text(p, digest_of(p, TYPICAL));
    const char repl[] = { '0', '9', ':', ',', '-', 'x', '\x7f' };
    apr_size_t i, len = strlen(text);
    size_t k;
    oa2_claims_t *c;

    for (i = 0; i < len; i++) {
        for (k = 0; k < sizeof(repl); k++) {
            apr_pool_t *sub;
            char *copy;
            assert_int_equal(apr_pool_create(&sub, p), APR_SUCCESS);
            copy = apr_pstrdup(sub, text);
            copy[i] = repl[k];
            if (oa2_claims_load(sub, copy, len, &c) == APR_SUCCESS) {
                assert_non_null(c->json);
                assert_non_null(c->aud);
                assert_non_null(c->pass);
                assert_true(strlen(c->json) < len);
            }
            apr_pool_destroy(sub);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_digest_typical),
        UNIT_TEST(test_digest_user_scope_aud),
        UNIT_TEST(test_digest_keeps_payload_text),
        UNIT_TEST(test_digest_refuses),
        UNIT_TEST(test_text_round_trip),
        UNIT_TEST(test_text_too_big),
        UNIT_TEST(test_load_truncated_and_trailing),
        UNIT_TEST(test_load_hostile),
        UNIT_TEST(test_load_mutations),
    };

    return UNIT_RUN(tests);
}
