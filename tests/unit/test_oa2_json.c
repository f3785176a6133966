/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_json: bounded parsing (depth, junk, NUL, UTF-8), getters, quote. */
#include <string.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_json.h"

static json_object *parse_ok(apr_pool_t *p, const char *s)
{
    json_object *o = NULL;

    assert_int_equal(oa2_json_parse(p, s, strlen(s), &o), APR_SUCCESS);
    assert_non_null(o);
    return o;
}

static void parse_bad_len(apr_pool_t *p, const char *s, apr_size_t len)
{
    json_object *o = (json_object *)1;

    assert_int_equal(oa2_json_parse(p, s, len, &o), APR_EINVAL);
    assert_null(o);
}

static void parse_bad(apr_pool_t *p, const char *s)
{
    parse_bad_len(p, s, strlen(s));
}

/* depth levels of nested arrays */
static const char *nested(apr_pool_t *p, int depth)
{
    char *s = apr_palloc(p, (apr_size_t)depth * 2 + 1);

    memset(s, '[', (apr_size_t)depth);
    memset(s + depth, ']', (apr_size_t)depth);
    s[depth * 2] = '\0';
    return s;
}

static void test_parse_object(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = parse_ok(p, "{\"iss\":\"https://as.example\","
                                 "\"exp\":1300819380,\"ok\":true,"
                                 "\"aud\":[\"a\",\"b\"],\"n\":null}");
    apr_int64_t v = 0;

    assert_true(json_object_is_type(o, json_type_object));
    assert_string_equal(oa2_json_get_string(o, "iss"), "https://as.example");
    assert_int_equal(oa2_json_get_int64(o, "exp", &v), APR_SUCCESS);
    assert_int_equal(v, 1300819380);
    assert_non_null(oa2_json_get_typed(o, "ok", json_type_boolean));
    assert_int_equal(json_object_array_length(
                         oa2_json_get_typed(o, "aud", json_type_array)), 2);
    assert_true(json_object_object_get_ex(o, "n", NULL));
}

static void test_parse_any_type(void **state)
{
    apr_pool_t *p = *state;

    assert_true(json_object_is_type(parse_ok(p, "[1,2]"), json_type_array));
    assert_string_equal(json_object_get_string(parse_ok(p, "\"s\"")), "s");
    /* bare scalars need the end of input to finish */
    assert_int_equal(json_object_get_int64(parse_ok(p, "123")), 123);
    assert_int_equal(json_object_get_int64(parse_ok(p, "-7")), -7);
    assert_true(json_object_is_type(parse_ok(p, "1.5"), json_type_double));
    assert_true(json_object_get_boolean(parse_ok(p, "true")));
    assert_false(json_object_get_boolean(parse_ok(p, "false")));
    /* json-c has no object for a bare null: documented as refused */
    parse_bad(p, "null");
}

static void test_parse_whitespace(void **state)
{
    apr_pool_t *p = *state;

    assert_non_null(parse_ok(p, " \t\r\n{ \"a\" : 1 }\r\n \t"));
    assert_int_equal(json_object_get_int64(parse_ok(p, "42 ")), 42);
}

static void test_parse_trailing_garbage(void **state)
{
    apr_pool_t *p = *state;

    parse_bad(p, "{}x");
    parse_bad(p, "{}{}");
    parse_bad(p, "{} }");
    parse_bad(p, "[1]]");
    parse_bad(p, "{\"a\":1},");
    parse_bad(p, "1 2");
    parse_bad(p, "\"a\"\"b\"");
    /* a form feed is not JSON whitespace */
    parse_bad(p, "{}\f");
}

static void test_parse_truncated_and_empty(void **state)
{
    apr_pool_t *p = *state;
    json_object *o;

    parse_bad(p, "");
    parse_bad(p, "   ");
    parse_bad(p, "{");
    parse_bad(p, "{\"a\":");
    parse_bad(p, "{\"a\":1");
    parse_bad(p, "[1,");
    parse_bad(p, "\"abc");
    parse_bad(p, "tru");
    /* only len bytes are read */
    parse_bad_len(p, "{\"a\":1}", 6);
    assert_int_equal(oa2_json_parse(p, NULL, 0, &o), APR_EINVAL);
}

static void test_parse_syntax_errors(void **state)
{
    apr_pool_t *p = *state;

    parse_bad(p, "[1,]");
    parse_bad(p, "{\"a\":1,}");
    parse_bad(p, "{\"a\":01}");
    parse_bad(p, "{a:1}");
    parse_bad(p, "{\"a\" 1}");
    parse_bad(p, "[1 2]");
}

static void test_parse_depth_limit(void **state)
{
    apr_pool_t *p = *state;
    const char *obj16 = apr_pstrcat(p, "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":",
                                    "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":",
                                    "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{}",
                                    "}}}}}}}}}}}}}}}", NULL);
    const char *obj17 = apr_pstrcat(p, "{\"b\":", obj16, "}", NULL);

    assert_non_null(parse_ok(p, nested(p, OA2_JSON_MAX_DEPTH)));
    parse_bad(p, nested(p, OA2_JSON_MAX_DEPTH + 1));
    assert_non_null(parse_ok(p, obj16));
    parse_bad(p, obj17);
}

/* A depth bomb must fail fast, not exhaust the stack. */
static void test_parse_depth_bomb(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t n = 100000;
    char *s = apr_palloc(p, n + 1);

    memset(s, '[', n);
    s[n] = '\0';
    parse_bad(p, s);
    parse_bad(p, nested(p, 5000));
    s = apr_pstrcat(p, "{\"a\":", nested(p, 20), "}", NULL);
    parse_bad(p, s);
}

static void test_parse_nul_refused(void **state)
{
    apr_pool_t *p = *state;

    parse_bad_len(p, "{\"a\":\"b\0c\"}", 11);
    parse_bad_len(p, "{}\0", 3);
    parse_bad_len(p, "\0{}", 3);
    /* an escaped NUL would cut the C string short just the same */
    parse_bad(p, "{\"a\":\"good\\u0000evil\"}");
    parse_bad(p, "{\"a\\u0000b\":1}");
    parse_bad(p, "\"\\u0000\"");
    /* but an escaped backslash followed by "u0000" is just text */
    assert_string_equal(oa2_json_get_string(
                            parse_ok(p, "{\"a\":\"\\\\u0000\"}"), "a"),
                        "\\u0000");
    assert_string_equal(oa2_json_get_string(
                            parse_ok(p, "{\"a\":\"\\u0001\"}"), "a"),
                        "\x01");
}

static void test_parse_invalid_utf8_refused(void **state)
{
    apr_pool_t *p = *state;

    parse_bad(p, "{\"a\":\"\xff\"}");
    parse_bad(p, "{\"a\":\"\x80\"}");
    /* overlong encodings */
    parse_bad(p, "{\"a\":\"\xc0\xaf\"}");
    parse_bad(p, "{\"a\":\"\xe0\x80\xaf\"}");
    parse_bad(p, "{\"a\":\"\xf0\x80\x80\xaf\"}");
    /* surrogates and values past U+10FFFF */
    parse_bad(p, "{\"a\":\"\xed\xa0\x80\"}");
    parse_bad(p, "{\"a\":\"\xf4\x90\x80\x80\"}");
    parse_bad(p, "{\"a\":\"\xf5\x80\x80\x80\"}");
    /* truncated sequences, also at the very end */
    parse_bad(p, "{\"a\":\"\xe2\x82\"}");
    parse_bad(p, "\"\xc3");
    parse_bad(p, "{\"\xc3\":1}");

    assert_string_equal(oa2_json_get_string(
                            parse_ok(p, "{\"a\":\"caf\xc3\xa9 \xe2\x82\xac "
                                        "\xf0\x9f\x98\x80\"}"), "a"),
                        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(oa2_utf8_valid("", 0));
    assert_true(oa2_utf8_valid("plain", 5));
    assert_true(oa2_utf8_valid("\xc2\x80", 2));
    assert_true(oa2_utf8_valid("\xdf\xbf", 2));
    assert_true(oa2_utf8_valid("\xe0\xa0\x80", 3));
    assert_true(oa2_utf8_valid("\xed\x9f\xbf", 3));
    assert_true(oa2_utf8_valid("\xee\x80\x80", 3));
    assert_true(oa2_utf8_valid("\xf0\x90\x80\x80", 4));
    assert_true(oa2_utf8_valid("\xf4\x8f\xbf\xbf", 4));
    assert_false(oa2_utf8_valid("a\0b", 3));
    assert_false(oa2_utf8_valid("\xc1\xbf", 2));
    assert_false(oa2_utf8_valid("\xe0\x9f\xbf", 3));
    assert_false(oa2_utf8_valid("\xed\xbf\xbf", 3));
    assert_false(oa2_utf8_valid("\xf0\x8f\xbf\xbf", 4));
    assert_false(oa2_utf8_valid("\xf4\x90\x80\x80", 4));
    assert_false(oa2_utf8_valid("\xc3\xc3", 2));
    assert_false(oa2_utf8_valid("\xe2\x82", 2));
    assert_false(oa2_utf8_valid("\xfe", 1));
    /* only len bytes are looked at */
    assert_true(oa2_utf8_valid("ok\xff", 2));
    assert_false(oa2_utf8_valid("\xc3\xa9", 1));
}

static void test_parse_object_only(void **state)
{
    apr_pool_t *p = *state;
    json_object *o;

    assert_int_equal(oa2_json_parse_object(p, "{\"a\":1}", 7, &o),
                     APR_SUCCESS);
    assert_true(json_object_is_type(o, json_type_object));
    o = (json_object *)1;
    assert_int_equal(oa2_json_parse_object(p, "[1]", 3, &o), APR_EINVAL);
    assert_null(o);
    o = (json_object *)1;
    assert_int_equal(oa2_json_parse_object(p, "\"x\"", 3, &o), APR_EINVAL);
    assert_null(o);
    assert_int_equal(oa2_json_parse_object(p, "1", 1, &o), APR_EINVAL);
    assert_int_equal(oa2_json_parse_object(p, "null", 4, &o), APR_EINVAL);
    assert_null(o);
    assert_int_equal(oa2_json_parse_object(p, "{}x", 3, &o), APR_EINVAL);
}

static void test_get_string(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = parse_ok(p, "{\"s\":\"v\",\"i\":1,\"b\":true,\"n\":null,"
                                 "\"a\":[\"v\"],\"o\":{\"s\":\"v\"},"
                                 "\"e\":\"\"}");

    assert_string_equal(oa2_json_get_string(o, "s"), "v");
    assert_string_equal(oa2_json_get_string(o, "e"), "");
    assert_null(oa2_json_get_string(o, "i"));
    assert_null(oa2_json_get_string(o, "b"));
    assert_null(oa2_json_get_string(o, "n"));
    assert_null(oa2_json_get_string(o, "a"));
    assert_null(oa2_json_get_string(o, "o"));
    assert_null(oa2_json_get_string(o, "missing"));
    /* keys are case-sensitive */
    assert_null(oa2_json_get_string(o, "S"));
    /* not an object */
    assert_null(oa2_json_get_string(parse_ok(p, "[\"s\"]"), "s"));
    assert_null(oa2_json_get_string(NULL, "s"));
}

static void test_get_int64(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = parse_ok(p, "{\"i\":42,\"neg\":-7,\"zero\":0,"
                                 "\"max\":9223372036854775807,"
                                 "\"min\":-9223372036854775808,"
                                 "\"over\":9223372036854775808,"
                                 "\"huge\":99999999999999999999,"
                                 "\"d\":1.5,\"d0\":1.0,\"e\":1e3,"
                                 "\"s\":\"5\",\"b\":true,\"n\":null,"
                                 "\"a\":[1],\"o\":{}}");
    apr_int64_t v = 0;

    assert_int_equal(oa2_json_get_int64(o, "i", &v), APR_SUCCESS);
    assert_int_equal(v, 42);
    assert_int_equal(oa2_json_get_int64(o, "neg", &v), APR_SUCCESS);
    assert_int_equal(v, -7);
    assert_int_equal(oa2_json_get_int64(o, "zero", &v), APR_SUCCESS);
    assert_int_equal(v, 0);
    assert_int_equal(oa2_json_get_int64(o, "max", &v), APR_SUCCESS);
    assert_true(v == APR_INT64_MAX);
    assert_int_equal(oa2_json_get_int64(o, "min", &v), APR_SUCCESS);
    assert_true(v == APR_INT64_MIN);

    v = 99;
    assert_int_equal(oa2_json_get_int64(o, "missing", &v), APR_NOTFOUND);
    assert_int_equal(v, 99);
    /* integers that do not fit are not silently clamped */
    assert_int_equal(oa2_json_get_int64(o, "over", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "huge", &v), APR_EINVAL);
    /* numbers with a fraction or exponent, and other types */
    assert_int_equal(oa2_json_get_int64(o, "d", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "d0", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "e", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "s", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "b", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "n", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "a", &v), APR_EINVAL);
    assert_int_equal(oa2_json_get_int64(o, "o", &v), APR_EINVAL);
    assert_int_equal(v, 99);

    assert_int_equal(oa2_json_get_int64(NULL, "i", &v), APR_NOTFOUND);
    assert_int_equal(oa2_json_get_int64(parse_ok(p, "[42]"), "i", &v),
                     APR_NOTFOUND);
}

static void test_get_typed(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = parse_ok(p, "{\"a\":[1],\"o\":{\"x\":1},\"s\":\"v\","
                                 "\"b\":false}");

    assert_ptr_equal(oa2_json_get_typed(o, "a", json_type_array),
                     json_object_object_get(o, "a"));
    assert_null(oa2_json_get_typed(o, "a", json_type_object));
    assert_non_null(oa2_json_get_typed(o, "o", json_type_object));
    assert_null(oa2_json_get_typed(o, "o", json_type_array));
    assert_non_null(oa2_json_get_typed(o, "s", json_type_string));
    assert_null(oa2_json_get_typed(o, "s", json_type_int));
    assert_non_null(oa2_json_get_typed(o, "b", json_type_boolean));
    assert_null(oa2_json_get_typed(o, "missing", json_type_string));
    assert_null(oa2_json_get_typed(NULL, "a", json_type_array));
}

static void test_build_and_text(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = oa2_json_object(p);

    assert_string_equal(oa2_json_text(p, o), "{}");
    oa2_json_set_string(o, "iss", "https://as.example/x");
    oa2_json_set_string(o, "skipped", NULL);
    oa2_json_set_int64(o, "exp", APR_INT64_C(1300819380));
    oa2_json_set_int64(o, "neg", -1);
    oa2_json_set_bool(o, "active", 1);
    oa2_json_set_bool(o, "off", 0);
    oa2_json_set_string(o, "q", "a\"b");
    /* compact, and '/' is not escaped */
    assert_string_equal(oa2_json_text(p, o),
                        "{\"iss\":\"https://as.example/x\",\"exp\":1300819380,"
                        "\"neg\":-1,\"active\":true,\"off\":false,"
                        "\"q\":\"a\\\"b\"}");
    /* setting again replaces */
    oa2_json_set_int64(o, "exp", 5);
    assert_string_equal(oa2_json_text(p, o),
                        "{\"iss\":\"https://as.example/x\",\"exp\":5,"
                        "\"neg\":-1,\"active\":true,\"off\":false,"
                        "\"q\":\"a\\\"b\"}");
}

/* The pool drops exactly the reference it was given. */
static void test_own(void **state)
{
    apr_pool_t *p = *state, *sub;
    json_object *obj = json_object_new_object();

    assert_null(oa2_json_own(p, NULL));
    assert_int_equal(apr_pool_create(&sub, p), APR_SUCCESS);
    json_object_get(obj);
    assert_ptr_equal(oa2_json_own(sub, obj), obj);
    apr_pool_destroy(sub);
    /* ours is now the last reference: putting it frees the object */
    assert_int_equal(json_object_put(obj), 1);
}

static void test_quote(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(oa2_json_quote(p, "plain"), "\"plain\"");
    assert_string_equal(oa2_json_quote(p, ""), "\"\"");
    assert_string_equal(oa2_json_quote(p, NULL), "\"\"");
    assert_string_equal(oa2_json_quote(p, "a\"b\\c/d"),
                        "\"a\\\"b\\\\c/d\"");
    assert_string_equal(oa2_json_quote(p, "\n\r\t\b\f"),
                        "\"\\n\\r\\t\\b\\f\"");
    assert_string_equal(oa2_json_quote(p, "\x01\x1f"),
                        "\"\\u0001\\u001f\"");
    /* UTF-8 passes unchanged */
    assert_string_equal(oa2_json_quote(p, "caf\xc3\xa9 \xe2\x82\xac"),
                        "\"caf\xc3\xa9 \xe2\x82\xac\"");
    /* a quoted string parses back to itself */
    {
        const char *s = "x\"}\\,{\n\x01</script>";
        const char *q = oa2_json_quote(p, s);

        assert_string_equal(json_object_get_string(parse_ok(p, q)), s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_parse_object),
        UNIT_TEST(test_parse_any_type),
        UNIT_TEST(test_parse_whitespace),
        UNIT_TEST(test_parse_trailing_garbage),
        UNIT_TEST(test_parse_truncated_and_empty),
        UNIT_TEST(test_parse_syntax_errors),
        UNIT_TEST(test_parse_depth_limit),
        UNIT_TEST(test_parse_depth_bomb),
        UNIT_TEST(test_parse_nul_refused),
        UNIT_TEST(test_parse_invalid_utf8_refused),
        UNIT_TEST(test_utf8_valid),
        UNIT_TEST(test_parse_object_only),
        UNIT_TEST(test_get_string),
        UNIT_TEST(test_get_int64),
        UNIT_TEST(test_get_typed),
        UNIT_TEST(test_build_and_text),
        UNIT_TEST(test_own),
        UNIT_TEST(test_quote),
    };

    return UNIT_RUN(tests);
}
