/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_scope: scope parsing, normalisation and set operations (RFC 6749) */
#include <string.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_scope.h"

static oa2_scope_t *scope(apr_pool_t *p, const char *s)
{
    oa2_scope_t *set = NULL;

    assert_int_equal(oa2_scope_parse(p, s, &set), APR_SUCCESS);
    assert_non_null(set);
    return set;
}

static void scope_bad(apr_pool_t *p, const char *s)
{
    oa2_scope_t *set = NULL;

    assert_int_equal(oa2_scope_parse(p, s, &set), APR_EINVAL);
    assert_null(set);
}

static const char *norm(apr_pool_t *p, const char *s)
{
    return oa2_scope_join(p, scope(p, s));
}

/* n distinct tokens "t0 t1 ..." */
static const char *tokens(apr_pool_t *p, int n, const char *fmt)
{
    const char *s = "";
    int i;

    for (i = 0; i < n; i++) {
        s = apr_pstrcat(p, s, i ? " " : "", apr_psprintf(p, fmt, i), NULL);
    }
    return s;
}

static void test_parse_sorts(void **state)
{
    apr_pool_t *p = *state;
    oa2_scope_t *set = scope(p, "openid profile email");

    assert_int_equal(oa2_scope_count(set), 3);
    assert_string_equal(APR_ARRAY_IDX(set->tokens, 0, const char *), "email");
    assert_string_equal(APR_ARRAY_IDX(set->tokens, 1, const char *), "openid");
    assert_string_equal(APR_ARRAY_IDX(set->tokens, 2, const char *),
                        "profile");
    assert_string_equal(oa2_scope_join(p, set), "email openid profile");
}

static void test_parse_dedupes_and_trims(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(norm(p, "b a b a"), "a b");
    assert_int_equal(oa2_scope_count(scope(p, "x x x x")), 1);
    assert_string_equal(norm(p, "  read    write  "), "read write");
    assert_string_equal(norm(p, "single"), "single");
    /* byte order: upper case sorts first, and case matters */
    assert_string_equal(norm(p, "b B a A"), "A B a b");
    assert_int_equal(oa2_scope_count(scope(p, "Read read")), 2);
    /* prefixes are distinct tokens */
    assert_string_equal(norm(p, "ab a abc"), "a ab abc");
}

static void test_parse_empty(void **state)
{
    apr_pool_t *p = *state;

    assert_int_equal(oa2_scope_count(scope(p, NULL)), 0);
    assert_int_equal(oa2_scope_count(scope(p, "")), 0);
    assert_int_equal(oa2_scope_count(scope(p, "    ")), 0);
    assert_string_equal(norm(p, ""), "");
    assert_string_equal(oa2_scope_join(p, NULL), "");
    assert_int_equal(oa2_scope_count(NULL), 0);
}

/* scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) */
static void test_parse_token_charset(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(norm(p, "! # [ ] ~ a:b urn:x:y/z?q=1&r=2 {}"),
                        "! # [ ] a:b urn:x:y/z?q=1&r=2 {} ~");
    scope_bad(p, "read \"write\"");
    scope_bad(p, "a\\b");
    scope_bad(p, "a\tb");
    scope_bad(p, "a\nb");
    scope_bad(p, "a\rb");
    scope_bad(p, "read\x01");
    scope_bad(p, "\x7f");
    scope_bad(p, "caf\xc3\xa9");
    scope_bad(p, "ok \xff");
    /* only the space separates: not NBSP, not a comma-list in disguise */
    scope_bad(p, "a\xc2\xa0" "b");
}

static void test_parse_limits(void **state)
{
    apr_pool_t *p = *state;
    char *s;

    assert_int_equal(oa2_scope_count(scope(p, tokens(p, OA2_SCOPE_MAX_TOKENS,
                                                     "t%d"))),
                     OA2_SCOPE_MAX_TOKENS);
    scope_bad(p, tokens(p, OA2_SCOPE_MAX_TOKENS + 1, "t%d"));
    scope_bad(p, tokens(p, 1000, "t%d"));

    /* OA2_SCOPE_MAX_LEN bytes pass, one more does not */
    s = apr_palloc(p, OA2_SCOPE_MAX_LEN + 2);
    memset(s, 'a', OA2_SCOPE_MAX_LEN + 1);
    s[OA2_SCOPE_MAX_LEN] = '\0';
    assert_int_equal(oa2_scope_count(scope(p, s)), 1);
    s[OA2_SCOPE_MAX_LEN] = 'a';
    s[OA2_SCOPE_MAX_LEN + 1] = '\0';
    scope_bad(p, s);
}

static void test_token_valid(void **state)
{
    (void)state;
    assert_true(oa2_scope_token_valid("read"));
    assert_true(oa2_scope_token_valid("!"));
    assert_true(oa2_scope_token_valid("https://api.example/read"));
    assert_false(oa2_scope_token_valid(""));
    assert_false(oa2_scope_token_valid(NULL));
    assert_false(oa2_scope_token_valid("a b"));
    assert_false(oa2_scope_token_valid(" "));
    assert_false(oa2_scope_token_valid("\""));
    assert_false(oa2_scope_token_valid("\\"));
    assert_false(oa2_scope_token_valid("a\x7f"));
    assert_false(oa2_scope_token_valid("\xc3\xa9"));
}

static void test_has(void **state)
{
    apr_pool_t *p = *state;
    oa2_scope_t *set = scope(p, "openid profile email");

    assert_true(oa2_scope_has(set, "openid"));
    assert_true(oa2_scope_has(set, "email"));
    assert_true(oa2_scope_has(set, "profile"));
    assert_false(oa2_scope_has(set, "Email"));
    assert_false(oa2_scope_has(set, "emai"));
    assert_false(oa2_scope_has(set, "emails"));
    assert_false(oa2_scope_has(set, ""));
    assert_false(oa2_scope_has(set, NULL));
    assert_false(oa2_scope_has(NULL, "openid"));
    assert_false(oa2_scope_has(scope(p, ""), "openid"));
}

static void test_subset(void **state)
{
    apr_pool_t *p = *state;
    oa2_scope_t *all = scope(p, "read write admin");

    assert_true(oa2_scope_subset(scope(p, "read"), all));
    assert_true(oa2_scope_subset(scope(p, "write read"), all));
    assert_true(oa2_scope_subset(all, all));
    assert_true(oa2_scope_subset(scope(p, ""), all));
    assert_true(oa2_scope_subset(scope(p, ""), scope(p, "")));
    assert_false(oa2_scope_subset(scope(p, "read delete"), all));
    assert_false(oa2_scope_subset(all, scope(p, "read write")));
    assert_false(oa2_scope_subset(scope(p, "READ"), all));
    assert_false(oa2_scope_subset(scope(p, "read"), scope(p, "")));
    assert_false(oa2_scope_subset(scope(p, "read"), NULL));
}

static void test_intersect(void **state)
{
    apr_pool_t *p = *state;
    oa2_scope_t *a = scope(p, "read write admin");
    oa2_scope_t *b = scope(p, "write delete read");

    assert_string_equal(oa2_scope_join(p, oa2_scope_intersect(p, a, b)),
                        "read write");
    assert_string_equal(oa2_scope_join(p, oa2_scope_intersect(p, b, a)),
                        "read write");
    assert_int_equal(oa2_scope_count(
                         oa2_scope_intersect(p, a, scope(p, "x y"))), 0);
    assert_int_equal(oa2_scope_count(oa2_scope_intersect(p, a, NULL)), 0);
    assert_int_equal(oa2_scope_count(oa2_scope_intersect(p, NULL, a)), 0);
    /* the result is a set in its own right */
    assert_true(oa2_scope_has(oa2_scope_intersect(p, a, b), "write"));
    assert_false(oa2_scope_has(oa2_scope_intersect(p, a, b), "admin"));
}

static void test_from_array(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *arr = apr_array_make(p, 4, sizeof(const char *));
    oa2_scope_t *set;
    int i;

    assert_int_equal(oa2_scope_count(oa2_scope_from_array(p, arr)), 0);
    APR_ARRAY_PUSH(arr, const char *) = "write";
    APR_ARRAY_PUSH(arr, const char *) = "read";
    APR_ARRAY_PUSH(arr, const char *) = "write";
    APR_ARRAY_PUSH(arr, const char *) = "admin";
    set = oa2_scope_from_array(p, arr);
    assert_string_equal(oa2_scope_join(p, set), "admin read write");
    assert_true(oa2_scope_has(set, "read"));
    /* the input array is left as it was */
    assert_int_equal(arr->nelts, 4);
    assert_string_equal(APR_ARRAY_IDX(arr, 0, const char *), "write");
    /* no size limit, unlike oa2_scope_parse() */
    for (i = 0; i < OA2_SCOPE_MAX_TOKENS * 2; i++) {
        APR_ARRAY_PUSH(arr, const char *) = apr_psprintf(p, "s%03d", i);
    }
    set = oa2_scope_from_array(p, arr);
    assert_int_equal(oa2_scope_count(set), OA2_SCOPE_MAX_TOKENS * 2 + 3);
    assert_string_equal(APR_ARRAY_IDX(set->tokens, 0, const char *), "admin");
    assert_string_equal(APR_ARRAY_IDX(set->tokens, 2, const char *), "s000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_parse_sorts),
        UNIT_TEST(test_parse_dedupes_and_trims),
        UNIT_TEST(test_parse_empty),
        UNIT_TEST(test_parse_token_charset),
        UNIT_TEST(test_parse_limits),
        UNIT_TEST(test_token_valid),
        UNIT_TEST(test_has),
        UNIT_TEST(test_subset),
        UNIT_TEST(test_intersect),
        UNIT_TEST(test_from_array),
    };

    return UNIT_RUN(tests);
}
