/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_form: urlencoded parsing and encoding, HTTP Basic credentials. */
#include <string.h>
#include <apr_strings.h>
#include <openssl/evp.h>

#include "unit.h"
#include "oa2_form.h"

/* Parses s, which must succeed. */
static apr_table_t *parse_ok(apr_pool_t *p, const char *s)
{
    apr_table_t *t = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_form_parse(p, s, strlen(s), &t, &err),
                     APR_SUCCESS);
    assert_non_null(t);
    assert_null(err.error);
    return t;
}

/* Parses len bytes at s, which must fail with invalid_request; returns the
 * error description. */
static const char *parse_bad_len(apr_pool_t *p, const char *s,
                                 apr_size_t len)
{
    apr_table_t *t = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_form_parse(p, s, len, &t, &err), APR_EINVAL);
    assert_null(t);
    assert_non_null(err.error);
    assert_string_equal(err.error, OA2_ERR_INVALID_REQUEST);
    assert_int_equal(err.status, 400);
    assert_non_null(err.description);
    return err.description;
}

static const char *parse_bad(apr_pool_t *p, const char *s)
{
    return parse_bad_len(p, s, strlen(s));
}

static int table_count(const apr_table_t *t)
{
    return apr_table_elts(t)->nelts;
}

/* Standard base64 of s, as a client would send after "Basic ". */
static const char *basic(apr_pool_t *p, const char *s)
{
    apr_size_t len = strlen(s);
    unsigned char *out = apr_palloc(p, (len + 2) / 3 * 4 + 1);

    EVP_EncodeBlock(out, (const unsigned char *)s, (int)len);
    return (const char *)out;
}

static void test_parse_token_request(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = parse_ok(p, "grant_type=authorization_code&code=Splx"
                                 "lOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F"
                                 "%2Fclient%2Eexample%2Ecom%2Fcb");

    assert_int_equal(table_count(t), 3);
    assert_string_equal(apr_table_get(t, "grant_type"),
                        "authorization_code");
    assert_string_equal(apr_table_get(t, "code"), "SplxlOBeZQQYbYS6WxSbIA");
    assert_string_equal(apr_table_get(t, "redirect_uri"),
                        "https://client.example.com/cb");
}

static void test_parse_plus_and_escapes(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = parse_ok(p, "scope=read+write&x=%41%62%2b%2F%2f"
                                 "&sp%20ace+name=a%20b&utf8=caf%C3%A9");

    assert_string_equal(apr_table_get(t, "scope"), "read write");
    /* %2b is a literal '+', not a space; hex is case-insensitive */
    assert_string_equal(apr_table_get(t, "x"), "Ab+//");
    assert_string_equal(apr_table_get(t, "sp ace name"), "a b");
    assert_string_equal(apr_table_get(t, "utf8"), "caf\xc3\xa9");
}

static void test_parse_values_and_names(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = parse_ok(p, "a=&b&c=x=y&d=%3D");

    assert_int_equal(table_count(t), 4);
    assert_string_equal(apr_table_get(t, "a"), "");
    /* a name without '=' has the empty value */
    assert_string_equal(apr_table_get(t, "b"), "");
    /* only the first '=' splits */
    assert_string_equal(apr_table_get(t, "c"), "x=y");
    assert_string_equal(apr_table_get(t, "d"), "=");
}

static void test_parse_empty_segments_ignored(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = parse_ok(p, "&a=1&&b=2&");

    assert_int_equal(table_count(t), 2);
    assert_string_equal(apr_table_get(t, "a"), "1");
    assert_string_equal(apr_table_get(t, "b"), "2");

    assert_int_equal(table_count(parse_ok(p, "")), 0);
    assert_int_equal(table_count(parse_ok(p, "&&&")), 0);
}

static void test_parse_respects_len(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = NULL;
    oa2_err_t err = { NULL, NULL, 0 };

    assert_int_equal(oa2_form_parse(p, "a=1&b=2", 3, &t, &err),
                     APR_SUCCESS);
    assert_int_equal(table_count(t), 1);
    assert_string_equal(apr_table_get(t, "a"), "1");
    assert_null(apr_table_get(t, "b"));
}

/* RFC 6749 §3.1, §3.2: parameters MUST NOT be included more than once. */
static void test_parse_repeated_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(parse_bad(p, "a=1&a=2"), "parameter \"a\" is repeated");
    assert_string_equal(parse_bad(p, "client_id=x&scope=a&client_id=x"),
                        "parameter \"client_id\" is repeated");
    /* the same name once decoded */
    assert_string_equal(parse_bad(p, "a=1&%61=2"),
                        "parameter \"a\" is repeated");
    assert_string_equal(parse_bad(p, "a&a"), "parameter \"a\" is repeated");
    assert_string_equal(parse_bad(p, "a=&a="), "parameter \"a\" is repeated");
}

static void test_parse_bad_escape_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(parse_bad(p, "a=%"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "a=%4"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "a=%G1"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "a=%4g&b=1"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "a=%%41"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "%zz=1"), "malformed parameter name");
    assert_string_equal(parse_bad(p, "b=1&a%=1"), "malformed parameter name");
}

static void test_parse_nul_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(parse_bad(p, "a=b%00c"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "a%00b=c"), "malformed parameter name");
    /* a raw NUL inside the body */
    assert_string_equal(parse_bad_len(p, "a=b\0c", 5),
                        "malformed value of parameter \"a\"");
}

static void test_parse_invalid_utf8_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(parse_bad(p, "a=%C3%28"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "a=%FF"),
                        "malformed value of parameter \"a\"");
    /* overlong '/' */
    assert_string_equal(parse_bad(p, "a=%C0%AF"),
                        "malformed value of parameter \"a\"");
    /* UTF-16 surrogate */
    assert_string_equal(parse_bad(p, "a=%ED%A0%80"),
                        "malformed value of parameter \"a\"");
    /* truncated sequence */
    assert_string_equal(parse_bad(p, "a=%E2%82"),
                        "malformed value of parameter \"a\"");
    /* raw (unescaped) invalid bytes too */
    assert_string_equal(parse_bad(p, "a=\xff"),
                        "malformed value of parameter \"a\"");
    assert_string_equal(parse_bad(p, "%FF=1"), "malformed parameter name");
}

static void test_parse_empty_name_refused(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(parse_bad(p, "=x"), "malformed parameter name");
    assert_string_equal(parse_bad(p, "a=1&=x"), "malformed parameter name");
    assert_string_equal(parse_bad(p, "="), "malformed parameter name");
}

static void test_parse_param_limit(void **state)
{
    apr_pool_t *p = *state;
    char *body = "";
    int i;

    for (i = 0; i < OA2_FORM_MAX_PARAMS; i++) {
        body = apr_psprintf(p, "%s%sp%d=%d", body, i ? "&" : "", i, i);
    }
    assert_int_equal(table_count(parse_ok(p, body)), OA2_FORM_MAX_PARAMS);
    assert_string_equal(apr_table_get(parse_ok(p, body), "p63"), "63");
    /* empty segments do not count */
    assert_int_equal(table_count(parse_ok(p, apr_pstrcat(p, body, "&&&",
                                                         NULL))),
                     OA2_FORM_MAX_PARAMS);
    assert_string_equal(parse_bad(p, apr_pstrcat(p, body, "&one=more",
                                                 NULL)),
                        "too many parameters");
}

static void test_decode(void **state)
{
    apr_pool_t *p = *state;
    char *out;

    assert_int_equal(oa2_form_decode(p, "a+b%20c%7E", 10, &out),
                     APR_SUCCESS);
    assert_string_equal(out, "a b c~");
    assert_int_equal(oa2_form_decode(p, "", 0, &out), APR_SUCCESS);
    assert_string_equal(out, "");
    /* stops at len */
    assert_int_equal(oa2_form_decode(p, "ab%41", 2, &out), APR_SUCCESS);
    assert_string_equal(out, "ab");
    /* an escape cut by len is malformed */
    assert_int_equal(oa2_form_decode(p, "ab%41", 4, &out), APR_EINVAL);
    assert_int_equal(oa2_form_decode(p, "%00", 3, &out), APR_EINVAL);
    assert_int_equal(oa2_form_decode(p, "%C3", 3, &out), APR_EINVAL);
}

static void test_encode(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(oa2_form_encode(p, ""), "");
    /* RFC 3986 unreserved characters pass */
    assert_string_equal(oa2_form_encode(p, "AZaz09-._~"), "AZaz09-._~");
    assert_string_equal(oa2_form_encode(p, "a b"), "a%20b");
    assert_string_equal(oa2_form_encode(p, "a+b&c=d/e?f#g%h"),
                        "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h");
    assert_string_equal(oa2_form_encode(p, "\"<'>\\"), "%22%3C%27%3E%5C");
    assert_string_equal(oa2_form_encode(p, "caf\xc3\xa9"), "caf%C3%A9");
    assert_string_equal(oa2_form_encode(p, "\x01\x7f"), "%01%7F");
    assert_string_equal(oa2_form_encode(p, "https://as.example/x?y=1"),
                        "https%3A%2F%2Fas.example%2Fx%3Fy%3D1");
}

static void test_encode_decode_round_trip(void **state)
{
    apr_pool_t *p = *state;
    const char *s = "weird &=+%/?#\"' value caf\xc3\xa9 \xe2\x82\xac";
    const char *enc = oa2_form_encode(p, s);
    char *out;

    assert_int_equal(oa2_form_decode(p, enc, strlen(enc), &out),
                     APR_SUCCESS);
    assert_string_equal(out, s);
}

/* RFC 6749 §2.3.1 example. */
static void test_basic_rfc6749(void **state)
{
    apr_pool_t *p = *state;
    const char *user = NULL, *pw = NULL;

    assert_int_equal(oa2_form_basic_credentials(
                         p, "czZCaGRSa3F0MzpnWDFmQmF0M2JW", &user, &pw),
                     APR_SUCCESS);
    assert_string_equal(user, "s6BhdRkqt3");
    assert_string_equal(pw, "gX1fBat3bV");
}

/* RFC 6749 §2.3.1: id and secret are form-urlencoded before base64, so a
 * ':' inside either arrives as %3A and the first raw ':' splits. */
static void test_basic_urlencoded(void **state)
{
    apr_pool_t *p = *state;
    const char *user = NULL, *pw = NULL;

    assert_int_equal(oa2_form_basic_credentials(
                         p, basic(p, "my%3Aclient:se%3Acret%2Bx+y%25"),
                         &user, &pw), APR_SUCCESS);
    assert_string_equal(user, "my:client");
    assert_string_equal(pw, "se:cret+x y%");

    /* a raw ':' in the secret belongs to the secret */
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "id:a:b"),
                                                &user, &pw), APR_SUCCESS);
    assert_string_equal(user, "id");
    assert_string_equal(pw, "a:b");

    /* an empty secret is well-formed (whether it is allowed is policy) */
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "id:"),
                                                &user, &pw), APR_SUCCESS);
    assert_string_equal(user, "id");
    assert_string_equal(pw, "");
}

static void test_basic_malformed(void **state)
{
    apr_pool_t *p = *state;
    const char *user = NULL, *pw = NULL;
    char *big;

    /* no colon */
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "nocolon"),
                                                &user, &pw), APR_EINVAL);
    /* empty client_id */
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, ":secret"),
                                                &user, &pw), APR_EINVAL);
    /* bad base64: characters, length, whitespace, unpadded */
    assert_int_equal(oa2_form_basic_credentials(p, "!!!!", &user, &pw),
                     APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, "czZCaGRSa3F0Mzpn"
                                                   "WDFmQmF0M2J", &user, &pw),
                     APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, "czZCaGRSa3F0 MzpnWDFm"
                                                   "QmF0M2JW", &user, &pw),
                     APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, "aWQ6cHc", &user, &pw),
                     APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, "", &user, &pw),
                     APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, NULL, &user, &pw),
                     APR_EINVAL);
    /* bad %-escapes, NUL (raw or escaped), invalid UTF-8 */
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "id%:pw"),
                                                &user, &pw), APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "id:pw%G0"),
                                                &user, &pw), APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "id:p%00w"),
                                                &user, &pw), APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, "aWQ6cAB3", &user, &pw),
                     APR_EINVAL);
    assert_int_equal(oa2_form_basic_credentials(p, basic(p, "id:\xff"),
                                                &user, &pw), APR_EINVAL);
    /* nothing was written on failure */
    assert_null(user);
    assert_null(pw);

    /* oversized */
    big = apr_palloc(p, 8193);
    memset(big, 'A', 8192);
    big[8192] = '\0';
    assert_int_equal(oa2_form_basic_credentials(p, big, &user, &pw),
                     APR_EINVAL);
}

static void test_form_redact(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(oa2_form_redact(p, "access_token=abc", "access_token"),
                        "access_token=redacted");
    assert_string_equal(oa2_form_redact(p, "a=1&access_token=abc&b=2",
                                        "access_token"),
                        "a=1&access_token=redacted&b=2");
    assert_string_equal(oa2_form_redact(
        p, "GET /x?access_token=abc.def HTTP/1.1", "access_token"),
        "GET /x?access_token=redacted HTTP/1.1");
    assert_string_equal(oa2_form_redact(
        p, "GET /x?access_token=a&access_token=b HTTP/1.1", "access_token"),
        "GET /x?access_token=redacted&access_token=redacted HTTP/1.1");
    /* a longer name that ends with it, and the name as a value: untouched */
    assert_string_equal(oa2_form_redact(p, "my_access_token=abc&x=access_token",
                                        "access_token"),
                        "my_access_token=abc&x=access_token");
    assert_null(oa2_form_redact(p, NULL, "access_token"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_form_redact),
        UNIT_TEST(test_parse_token_request),
        UNIT_TEST(test_parse_plus_and_escapes),
        UNIT_TEST(test_parse_values_and_names),
        UNIT_TEST(test_parse_empty_segments_ignored),
        UNIT_TEST(test_parse_respects_len),
        UNIT_TEST(test_parse_repeated_refused),
        UNIT_TEST(test_parse_bad_escape_refused),
        UNIT_TEST(test_parse_nul_refused),
        UNIT_TEST(test_parse_invalid_utf8_refused),
        UNIT_TEST(test_parse_empty_name_refused),
        UNIT_TEST(test_parse_param_limit),
        UNIT_TEST(test_decode),
        UNIT_TEST(test_encode),
        UNIT_TEST(test_encode_decode_round_trip),
        UNIT_TEST(test_basic_rfc6749),
        UNIT_TEST(test_basic_urlencoded),
        UNIT_TEST(test_basic_malformed),
    };

    return UNIT_RUN(tests);
}
