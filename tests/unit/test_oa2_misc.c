/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_misc: oa2_token, oa2_pkce, oa2_html, oa2_error, oa2_uri, oa2_log. */
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_b64url.h"
#include "oa2_error.h"
#include "oa2_html.h"
#include "oa2_log.h"
#include "oa2_pkce.h"
#include "oa2_token.h"
#include "oa2_uri.h"

static const char *hex(apr_pool_t *p, const unsigned char *b, apr_size_t n)
{
    char *s = apr_palloc(p, n * 2 + 1);
    apr_size_t i;

    for (i = 0; i < n; i++) {
        apr_snprintf(s + i * 2, 3, "%02x", b[i]);
    }
    s[n * 2] = '\0';
    return s;
}

static int is_b64url(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_") == strlen(s);
}

/* ---- oa2_token ---------------------------------------------------------- */

static void test_token_random(void **state)
{
    apr_pool_t *p = *state;
    const char *a = oa2_token_random(p, 32);
    const char *b = oa2_token_random(p, 32);
    unsigned char *raw;
    apr_size_t raw_len;

    assert_non_null(a);
    assert_non_null(b);
    /* 256 bits are 43 base64url characters */
    assert_int_equal(strlen(a), 43);
    assert_true(is_b64url(a));
    assert_string_not_equal(a, b);
    assert_int_equal(oa2_b64url_decode(p, a, strlen(a), &raw, &raw_len),
                     APR_SUCCESS);
    assert_int_equal(raw_len, 32);

    assert_int_equal(strlen(oa2_token_random(p, 1)), 2);
    assert_int_equal(strlen(oa2_token_random(p, 16)), 22);
    assert_int_equal(strlen(oa2_token_random(p, 64)), 86);
    assert_null(oa2_token_random(p, 0));
    assert_null(oa2_token_random(p, 65));
}

static void test_token_random_unique(void **state)
{
    apr_pool_t *p = *state;
    apr_hash_t *seen = apr_hash_make(p);
    int i;

    for (i = 0; i < 1000; i++) {
        const char *t = oa2_token_random(p, 16);
        assert_null(apr_hash_get(seen, t, APR_HASH_KEY_STRING));
        apr_hash_set(seen, t, APR_HASH_KEY_STRING, t);
    }
    assert_int_equal(apr_hash_count(seen), 1000);
}

/* FIPS 180-2 / NIST examples */
static void test_sha256(void **state)
{
    apr_pool_t *p = *state;
    unsigned char md[OA2_SHA256_LEN];

    assert_int_equal(oa2_sha256("abc", 3, md), APR_SUCCESS);
    assert_string_equal(hex(p, md, sizeof(md)),
                        "ba7816bf8f01cfea414140de5dae2223"
                        "b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(oa2_sha256("", 0, md), APR_SUCCESS);
    assert_string_equal(hex(p, md, sizeof(md)),
                        "e3b0c44298fc1c149afbf4c8996fb924"
                        "27ae41e4649b934ca495991b7852b855");
}

static void test_token_hash(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(oa2_token_hash(p, "abc"),
                        "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    assert_string_equal(oa2_token_hash(p, ""),
                        "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    assert_null(oa2_token_hash(p, NULL));
}

/* RFC 4231 §4.2 and §4.3 */
static void test_hmac_sha256_rfc4231(void **state)
{
    apr_pool_t *p = *state;
    unsigned char key1[20], out[OA2_SHA256_LEN];
    const char *data2 = "what do ya want for nothing?";

    assert_int_equal(oa2_hmac_sha256("Jefe", 4, data2, strlen(data2), out),
                     APR_SUCCESS);
    assert_string_equal(hex(p, out, sizeof(out)),
                        "5bdcc146bf60754e6a042426089575c7"
                        "5a003f089d2739839dec58b964ec3843");

    memset(key1, 0x0b, sizeof(key1));
    assert_int_equal(oa2_hmac_sha256(key1, sizeof(key1), "Hi There", 8, out),
                     APR_SUCCESS);
    assert_string_equal(hex(p, out, sizeof(out)),
                        "b0344c61d8db38535ca8afceaf0bf12b"
                        "881dc200c9833da726e9376c2e32cff7");
}

static void test_ct_equal(void **state)
{
    (void)state;
    assert_true(oa2_ct_equal("abc", 3, "abc", 3));
    assert_false(oa2_ct_equal("abc", 3, "abd", 3));
    assert_false(oa2_ct_equal("abc", 3, "abc", 2));
    assert_false(oa2_ct_equal("abc", 3, "abcd", 4));
    assert_true(oa2_ct_equal("x", 0, "y", 0));
    assert_true(oa2_ct_equal("a\0b", 3, "a\0b", 3));
    assert_false(oa2_ct_equal("a\0b", 3, "a\0c", 3));

    assert_true(oa2_ct_streq("secret", "secret"));
    assert_true(oa2_ct_streq("", ""));
    assert_false(oa2_ct_streq("secret", "Secret"));
    assert_false(oa2_ct_streq("secret", "secret "));
    assert_false(oa2_ct_streq("secret", "secre"));
    assert_false(oa2_ct_streq(NULL, "x"));
    assert_false(oa2_ct_streq("x", NULL));
    assert_false(oa2_ct_streq(NULL, NULL));
}

/* ---- oa2_pkce ----------------------------------------------------------- */

#define RFC7636_VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC7636_CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
/* the verifier with its last character changed */
#define WRONG_VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj"

static void test_pkce_rfc7636(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(oa2_pkce_s256(p, RFC7636_VERIFIER),
                        RFC7636_CHALLENGE);
    assert_true(oa2_pkce_verify(p, "S256", RFC7636_CHALLENGE,
                                RFC7636_VERIFIER));
}

static void test_pkce_wrong(void **state)
{
    apr_pool_t *p = *state;

    /* one character off */
    assert_false(oa2_pkce_verify(p, "S256", RFC7636_CHALLENGE,
                                 WRONG_VERIFIER));
    /* the challenge itself is not a verifier */
    assert_false(oa2_pkce_verify(p, "S256", RFC7636_CHALLENGE,
                                 RFC7636_CHALLENGE));
    /* plain comparison of an S256 pair */
    assert_false(oa2_pkce_verify(p, "plain", RFC7636_CHALLENGE,
                                 RFC7636_VERIFIER));
    /* methods are case-sensitive and must be known */
    assert_false(oa2_pkce_verify(p, "s256", RFC7636_CHALLENGE,
                                 RFC7636_VERIFIER));
    assert_false(oa2_pkce_verify(p, "S512", RFC7636_CHALLENGE,
                                 RFC7636_VERIFIER));
    assert_false(oa2_pkce_verify(p, "", RFC7636_CHALLENGE,
                                 RFC7636_VERIFIER));
    assert_false(oa2_pkce_verify(p, NULL, RFC7636_CHALLENGE,
                                 RFC7636_VERIFIER));
    assert_false(oa2_pkce_verify(p, "S256", NULL, RFC7636_VERIFIER));
    assert_false(oa2_pkce_verify(p, "S256", RFC7636_CHALLENGE, NULL));
}

static void test_pkce_plain(void **state)
{
    apr_pool_t *p = *state;

    assert_true(oa2_pkce_verify(p, "plain", RFC7636_VERIFIER,
                                RFC7636_VERIFIER));
    assert_false(oa2_pkce_verify(p, "plain", RFC7636_VERIFIER,
                                 WRONG_VERIFIER));
    assert_false(oa2_pkce_verify(p, "PLAIN", RFC7636_VERIFIER,
                                 RFC7636_VERIFIER));
}

static void test_pkce_length_and_charset(void **state)
{
    apr_pool_t *p = *state;
    char s[131];
    const char *v;

    memset(s, 'a', sizeof(s));
    s[42] = '\0';
    assert_false(oa2_pkce_syntax_valid(s));
    s[42] = 'a';
    s[43] = '\0';
    assert_true(oa2_pkce_syntax_valid(s));
    s[43] = 'a';
    s[128] = '\0';
    assert_true(oa2_pkce_syntax_valid(s));
    s[128] = 'a';
    s[129] = '\0';
    assert_false(oa2_pkce_syntax_valid(s));
    assert_false(oa2_pkce_syntax_valid(""));
    assert_false(oa2_pkce_syntax_valid(NULL));

    /* the unreserved characters pass */
    assert_true(oa2_pkce_syntax_valid("ABCXYZabcxyz0189-._~"
                                      "ABCXYZabcxyz0189-._~abc"));
    /* base64 (not url) characters, padding, spaces, non-ASCII do not */
    assert_false(oa2_pkce_syntax_valid("dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWF"
                                       "OEjXk"));
    assert_false(oa2_pkce_syntax_valid(RFC7636_VERIFIER "="));
    assert_false(oa2_pkce_syntax_valid(RFC7636_VERIFIER " "));
    assert_false(oa2_pkce_syntax_valid(RFC7636_VERIFIER "\xc3\xa9"));

    /* verify applies the syntax to both sides, even for plain */
    v = "short";
    assert_false(oa2_pkce_verify(p, "plain", v, v));
    assert_false(oa2_pkce_verify(p, "plain", RFC7636_VERIFIER "=",
                                 RFC7636_VERIFIER "="));
    s[129] = 'a';
    s[130] = '\0';
    assert_false(oa2_pkce_verify(p, "S256", oa2_pkce_s256(p, s), s));
    s[128] = '\0';
    assert_true(oa2_pkce_verify(p, "S256", oa2_pkce_s256(p, s), s));
}

/* ---- oa2_html ----------------------------------------------------------- */

static void test_html_escape(void **state)
{
    apr_pool_t *p = *state;
    const char *plain = "caf\xc3\xa9 \xe2\x82\xac nothing to do";

    assert_string_equal(oa2_html_escape(p, "<a href=\"x\">Tom & Jerry's</a>"),
                        "&lt;a href=&quot;x&quot;&gt;Tom &amp; "
                        "Jerry&#39;s&lt;/a&gt;");
    assert_string_equal(oa2_html_escape(p, "&amp;"), "&amp;amp;");
    assert_string_equal(oa2_html_escape(p, "\"'\"'"),
                        "&quot;&#39;&quot;&#39;");
    assert_string_equal(oa2_html_escape(p, "<\xc3\xa9>"),
                        "&lt;\xc3\xa9&gt;");
    /* nothing to escape: the string itself comes back */
    assert_ptr_equal(oa2_html_escape(p, plain), plain);
    assert_string_equal(oa2_html_escape(p, ""), "");
    assert_string_equal(oa2_html_escape(p, NULL), "");
}

/* ---- oa2_error ---------------------------------------------------------- */

static void test_err_set(void **state)
{
    oa2_err_t err = { NULL, NULL, 0 };

    (void)state;
    assert_int_equal(oa2_err_set(&err, 400, OA2_ERR_INVALID_GRANT, "why"),
                     APR_EINVAL);
    assert_string_equal(err.error, "invalid_grant");
    assert_string_equal(err.description, "why");
    assert_int_equal(err.status, 400);
    assert_int_equal(oa2_err_set(&err, 401, OA2_ERR_INVALID_CLIENT, NULL),
                     APR_EINVAL);
    assert_string_equal(err.error, "invalid_client");
    assert_null(err.description);
    assert_int_equal(err.status, 401);
    assert_int_equal(oa2_err_set(NULL, 500, OA2_ERR_SERVER_ERROR, NULL),
                     APR_EINVAL);
}

static void test_error_json(void **state)
{
    apr_pool_t *p = *state;
    oa2_err_t err = { OA2_ERR_INVALID_REQUEST, NULL, 400 };

    assert_string_equal(oa2_error_json(p, &err),
                        "{\"error\":\"invalid_request\"}");
    err.description = "missing \"code\"\nparameter\\";
    assert_string_equal(oa2_error_json(p, &err),
                        "{\"error\":\"invalid_request\","
                        "\"error_description\":"
                        "\"missing \\\"code\\\"\\nparameter\\\\\"}");
}

static void test_bearer_challenge_no_token(void **state)
{
    apr_pool_t *p = *state;

    /* RFC 6750 §3.1: no error attributes when no token was presented */
    assert_string_equal(oa2_error_bearer_challenge(p, "api", NULL, NULL),
                        "Bearer realm=\"api\"");
    assert_string_equal(oa2_error_bearer_challenge(p, "api", NULL, "read"),
                        "Bearer realm=\"api\", scope=\"read\"");
    assert_string_equal(oa2_error_bearer_challenge(p, "api", NULL, ""),
                        "Bearer realm=\"api\"");
    assert_string_equal(oa2_error_bearer_challenge(p, NULL, NULL, NULL),
                        "Bearer realm=\"\"");
}

static void test_bearer_challenge_error(void **state)
{
    apr_pool_t *p = *state;
    oa2_err_t err = { OA2_ERR_INVALID_TOKEN, "The access token expired",
                      401 };
    oa2_err_t none = { NULL, "ignored", 401 };

    assert_string_equal(oa2_error_bearer_challenge(p, "example", &err, NULL),
                        "Bearer realm=\"example\", error=\"invalid_token\", "
                        "error_description=\"The access token expired\"");
    err.error = OA2_ERR_INSUFFICIENT_SCOPE;
    err.description = NULL;
    assert_string_equal(oa2_error_bearer_challenge(p, "example", &err,
                                                   "read write"),
                        "Bearer realm=\"example\", "
                        "error=\"insufficient_scope\", "
                        "scope=\"read write\"");
    /* an err without an error code adds nothing */
    assert_string_equal(oa2_error_bearer_challenge(p, "example", &none, NULL),
                        "Bearer realm=\"example\"");
}

/* Quotes, backslashes, control and non-ASCII characters are dropped so
 * that no input can break out of the quoted-string or the header. */
static void test_bearer_challenge_strips(void **state)
{
    apr_pool_t *p = *state;
    oa2_err_t err = { OA2_ERR_INVALID_TOKEN,
                      "bad \"token\"\\\r\nX-Injected: 1\x01\x7f caf\xc3\xa9",
                      401 };

    assert_string_equal(oa2_error_bearer_challenge(p, "r\"e\\a\nlm", &err,
                                                   "a\"b"),
                        "Bearer realm=\"realm\", error=\"invalid_token\", "
                        "error_description=\"bad tokenX-Injected: 1 caf\", "
                        "scope=\"ab\"");
}

static void test_error_redirect(void **state)
{
    apr_pool_t *p = *state;
    oa2_err_t err = { OA2_ERR_ACCESS_DENIED, "user said no", 302 };

    assert_string_equal(oa2_error_redirect(p, "https://c.example/cb", 0, &err,
                                           "xyz", "https://as.example"),
                        "https://c.example/cb?error=access_denied"
                        "&error_description=user%20said%20no&state=xyz"
                        "&iss=https%3A%2F%2Fas.example");
    /* an existing query is extended */
    assert_string_equal(oa2_error_redirect(p, "https://c.example/cb?x=1", 0,
                                           &err, NULL, NULL),
                        "https://c.example/cb?x=1&error=access_denied"
                        "&error_description=user%20said%20no");
    /* fragment response mode */
    assert_string_equal(oa2_error_redirect(p, "https://c.example/cb?x=1", 1,
                                           &err, "s", NULL),
                        "https://c.example/cb?x=1#error=access_denied"
                        "&error_description=user%20said%20no&state=s");
    /* no description; state is encoded so it cannot add parameters */
    err.description = NULL;
    assert_string_equal(oa2_error_redirect(p, "com.example.app:/cb", 0, &err,
                                           "a&error=x#y", NULL),
                        "com.example.app:/cb?error=access_denied"
                        "&state=a%26error%3Dx%23y");
}

/* ---- oa2_uri ------------------------------------------------------------ */

#define REASON_HTTP "http redirect URIs are allowed for loopback only"
#define REASON_FRAG "URI must not contain a fragment"
#define REASON_CHARS "URI contains spaces, control or non-ASCII characters"
#define REASON_SCHEME "scheme must be https, loopback http or a " \
                      "reverse-domain private-use scheme"

/* assert_string_equal() cannot take NULL: an accepted URI would crash it */
#define assert_reason(got, want) \
    do { \
        const char *why_ = (got); \
        assert_non_null(why_); \
        assert_string_equal(why_, want); \
    } while (0)

static void test_uri_loopback(void **state)
{
    (void)state;
    assert_true(oa2_uri_host_is_loopback("127.0.0.1"));
    assert_true(oa2_uri_host_is_loopback("127.255.1.2"));
    assert_true(oa2_uri_host_is_loopback("::1"));
    assert_true(oa2_uri_host_is_loopback("[::1]"));
    assert_true(oa2_uri_host_is_loopback("localhost"));
    assert_true(oa2_uri_host_is_loopback("LocalHost"));
    assert_false(oa2_uri_host_is_loopback("128.0.0.1"));
    assert_false(oa2_uri_host_is_loopback("10.0.0.1"));
    assert_false(oa2_uri_host_is_loopback("0.0.0.0"));
    assert_false(oa2_uri_host_is_loopback("localhost.evil.example"));
    /* DNS names that merely start like a loopback address */
    assert_false(oa2_uri_host_is_loopback("127.0.0.1.evil.example"));
    assert_false(oa2_uri_host_is_loopback("127.evil.example"));
    assert_false(oa2_uri_host_is_loopback("127.0.0.1a"));
    assert_false(oa2_uri_host_is_loopback("127.0.0.256"));
    assert_false(oa2_uri_host_is_loopback(""));
    assert_false(oa2_uri_host_is_loopback(NULL));
}

static void test_uri_redirect_ok(void **state)
{
    apr_pool_t *p = *state;

    assert_null(oa2_uri_check_redirect(p, "https://client.example.com/cb"));
    assert_null(oa2_uri_check_redirect(p, "https://client.example.com:8443/"
                                          "cb?x=1&y=2"));
    assert_null(oa2_uri_check_redirect(p, "HTTPS://client.example.com/cb"));
    /* RFC 8252 §7.3 loopback */
    assert_null(oa2_uri_check_redirect(p, "http://127.0.0.1:51004/cb"));
    assert_null(oa2_uri_check_redirect(p, "http://127.1.2.3/cb"));
    assert_null(oa2_uri_check_redirect(p, "http://[::1]:51004/cb"));
    assert_null(oa2_uri_check_redirect(p, "http://localhost/cb"));
    /* RFC 8252 §7.1 private-use reverse-domain scheme */
    assert_null(oa2_uri_check_redirect(p, "com.example.app:/oauth2redirect"));
    assert_null(oa2_uri_check_redirect(p, "com.example.app:/cb?x=1"));
}

static void test_uri_redirect_refused(void **state)
{
    apr_pool_t *p = *state;
    char *big;

    assert_reason(oa2_uri_check_redirect(p, "http://client.example/cb"),
                        REASON_HTTP);
    assert_reason(oa2_uri_check_redirect(p, "http://10.0.0.1/cb"),
                        REASON_HTTP);
    assert_reason(oa2_uri_check_redirect(p, "http://127.0.0.1.evil."
                                                  "example/cb"), REASON_HTTP);
    assert_reason(oa2_uri_check_redirect(p, "http://127.evil.example/"),
                        REASON_HTTP);
    assert_reason(oa2_uri_check_redirect(p, "http://localhost.evil."
                                                  "example/"), REASON_HTTP);
    /* fragments, even empty ones */
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/cb#x"),
                        REASON_FRAG);
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/cb#"),
                        REASON_FRAG);
    /* dangerous and non-reverse-domain schemes */
    assert_reason(oa2_uri_check_redirect(p, "javascript:alert(1)"),
                        REASON_SCHEME);
    assert_reason(oa2_uri_check_redirect(p, "JavaScript://x/%0aalert(1)"),
                        REASON_SCHEME);
    assert_reason(oa2_uri_check_redirect(p, "data:text/html;base64,"
                                                  "PHNjcmlwdD4="),
                        REASON_SCHEME);
    assert_reason(oa2_uri_check_redirect(p, "file:///etc/passwd"),
                        REASON_SCHEME);
    assert_reason(oa2_uri_check_redirect(p, "myapp:/cb"), REASON_SCHEME);
    assert_reason(oa2_uri_check_redirect(p, "ftp://c.example/cb"),
                        REASON_SCHEME);
    /* spaces, controls, non-ASCII */
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/a b"),
                        REASON_CHARS);
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/\tb"),
                        REASON_CHARS);
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/\x7f"),
                        REASON_CHARS);
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/"
                                                  "caf\xc3\xa9"),
                        REASON_CHARS);
    assert_reason(oa2_uri_check_redirect(p, "https://c.example/cb\r\n"),
                        REASON_CHARS);
    /* not absolute, empty, no host */
    assert_reason(oa2_uri_check_redirect(p, "/cb"),
                        "not an absolute URI");
    assert_reason(oa2_uri_check_redirect(p, "//c.example/cb"),
                        "not an absolute URI");
    assert_reason(oa2_uri_check_redirect(p, ""), "empty URI");
    assert_reason(oa2_uri_check_redirect(p, NULL), "empty URI");
    assert_reason(oa2_uri_check_redirect(p, "https:///cb"),
                        "URI has no host");

    /* at most OA2_URI_MAX_LEN bytes */
    big = apr_palloc(p, OA2_URI_MAX_LEN + 2);
    memset(big, 'a', OA2_URI_MAX_LEN + 1);
    memcpy(big, "https://c.example/", 18);
    big[OA2_URI_MAX_LEN] = '\0';
    assert_null(oa2_uri_check_redirect(p, big));
    big[OA2_URI_MAX_LEN] = 'a';
    big[OA2_URI_MAX_LEN + 1] = '\0';
    assert_reason(oa2_uri_check_redirect(p, big), "URI too long");
}

static void test_uri_check_https(void **state)
{
    apr_pool_t *p = *state;

    assert_null(oa2_uri_check_https(p, "https://as.example", 0));
    assert_null(oa2_uri_check_https(p, "https://as.example/.well-known/"
                                       "jwks.json", 0));
    assert_null(oa2_uri_check_https(p, "http://127.0.0.1:8443/jwks", 1));
    assert_null(oa2_uri_check_https(p, "http://localhost/jwks", 1));
    assert_null(oa2_uri_check_https(p, "http://[::1]/jwks", 1));

    assert_reason(oa2_uri_check_https(p, "http://127.0.0.1:8443/jwks",
                                            0), "URI must use https");
    assert_reason(oa2_uri_check_https(p, "http://as.example/jwks", 1),
                        "URI must use https");
    assert_reason(oa2_uri_check_https(p, "http://127.0.0.1.evil."
                                               "example/jwks", 1),
                        "URI must use https");
    assert_reason(oa2_uri_check_https(p, "ftp://as.example/", 0),
                        "URI must use https");
    assert_reason(oa2_uri_check_https(p, "https://user:pw@as.example/",
                                            0),
                        "URI must not contain user information");
    assert_reason(oa2_uri_check_https(p, "https://user@as.example/", 0),
                        "URI must not contain user information");
    assert_reason(oa2_uri_check_https(p, "https:///x", 0),
                        "URI has no host");
    assert_reason(oa2_uri_check_https(p, "com.example.app:/x", 0),
                        "URI has no host");
    assert_reason(oa2_uri_check_https(p, "https://as.example/#f", 0),
                        REASON_FRAG);
    assert_reason(oa2_uri_check_https(p, "https://as.example/ x", 0),
                        REASON_CHARS);
    assert_reason(oa2_uri_check_https(p, "as.example/x", 0),
                        "not an absolute URI");
}

/* RFC 9700 §4.1.3: exact string comparison only. */
static void test_uri_redirect_match(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *reg = apr_array_make(p, 2, sizeof(const char *));
    apr_array_header_t *none = apr_array_make(p, 1, sizeof(const char *));

    APR_ARRAY_PUSH(reg, const char *) = "https://c.example/cb";
    APR_ARRAY_PUSH(reg, const char *) = "com.example.app:/cb";

    assert_true(oa2_uri_redirect_match(p, reg, "https://c.example/cb"));
    assert_true(oa2_uri_redirect_match(p, reg, "com.example.app:/cb"));
    /* no prefix, no suffix, no extra query */
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/c"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/cb/"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/cb/x"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/cb?x=1"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/cb#"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/cbx"));
    /* no case folding and no normalisation */
    assert_false(oa2_uri_redirect_match(p, reg, "HTTPS://c.example/cb"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://C.example/cb"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/CB"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example:443/cb"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/%63b"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://c.example/./cb"));
    /* the port exception is for loopback http only */
    assert_false(oa2_uri_redirect_match(p, reg,
                                        "https://c.example:8443/cb"));
    assert_false(oa2_uri_redirect_match(p, reg, "com.example.app:/cb2"));
    assert_false(oa2_uri_redirect_match(p, reg, ""));
    assert_false(oa2_uri_redirect_match(p, reg, NULL));
    assert_false(oa2_uri_redirect_match(p, none, "https://c.example/cb"));
    assert_false(oa2_uri_redirect_match(p, NULL, "https://c.example/cb"));
}

/* RFC 8252 §7.3: a native app's loopback redirect may use any port, but
 * everything else about it is still compared exactly. */
static void test_uri_redirect_match_loopback_port(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *reg = apr_array_make(p, 4, sizeof(const char *));

    APR_ARRAY_PUSH(reg, const char *) = "http://127.0.0.1:8080/cb";
    APR_ARRAY_PUSH(reg, const char *) = "http://[::1]/native?app=1";
    APR_ARRAY_PUSH(reg, const char *) = "http://localhost:8080/local";

    assert_true(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:8080/cb"));
    assert_true(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:51004/cb"));
    assert_true(oa2_uri_redirect_match(p, reg, "http://127.0.0.1/cb"));
    assert_true(oa2_uri_redirect_match(p, reg,
                                       "http://[::1]:4711/native?app=1"));
    /* path, query, host, scheme, user info and fragment stay exact */
    assert_false(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:5/cb2"));
    assert_false(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:5/CB"));
    assert_false(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:5/cb/"));
    assert_false(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:5/cb?x"));
    assert_false(oa2_uri_redirect_match(p, reg, "http://127.0.0.1:5/cb#f"));
    assert_false(oa2_uri_redirect_match(p, reg, "http://127.0.0.2:5/cb"));
    assert_false(oa2_uri_redirect_match(p, reg, "https://127.0.0.1:5/cb"));
    assert_false(oa2_uri_redirect_match(p, reg,
                                        "http://u@127.0.0.1:5/cb"));
    assert_false(oa2_uri_redirect_match(p, reg,
                                        "http://127.0.0.1:5@evil.example/"
                                        "cb"));
    assert_false(oa2_uri_redirect_match(p, reg,
                                        "http://127.0.0.1.evil.example:5/"
                                        "cb"));
    assert_false(oa2_uri_redirect_match(p, reg, "http://[::1]:4711/native"));
    assert_false(oa2_uri_redirect_match(p, reg,
                                        "http://[::1]:4711/native?app=2"));
    /* a host name is not an IP literal: localhost keeps its port */
    assert_true(oa2_uri_redirect_match(p, reg,
                                       "http://localhost:8080/local"));
    assert_false(oa2_uri_redirect_match(p, reg,
                                        "http://localhost:9090/local"));
}

/* ---- oa2_log ------------------------------------------------------------ */

typedef struct {
    int calls;
    oa2_log_level_e level;
    char msg[1024];
} log_capture_t;

static void capture(void *baton, oa2_log_level_e level, const char *msg)
{
    log_capture_t *c = baton;

    c->calls++;
    c->level = level;
    apr_cpystrn(c->msg, msg, sizeof(c->msg));
}

static int evaluated;

static int count_evaluation(void)
{
    return ++evaluated;
}

static int log_teardown(void **state)
{
    oa2_log_set(NULL, NULL, OA2_LOG_ERR);
    return unit_teardown(state);
}

static void test_log_levels(void **state)
{
    log_capture_t c;

    (void)state;
    memset(&c, 0, sizeof(c));
    oa2_log_set(capture, &c, OA2_LOG_INFO);
    assert_true(oa2_log_enabled(OA2_LOG_ERR));
    assert_true(oa2_log_enabled(OA2_LOG_WARNING));
    assert_true(oa2_log_enabled(OA2_LOG_INFO));
    assert_false(oa2_log_enabled(OA2_LOG_DEBUG));
    assert_false(oa2_log_enabled(OA2_LOG_TRACE));

    oa2_log_msg(OA2_LOG_WARNING, "key %s has %d bits", "k1", 1024);
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.level, OA2_LOG_WARNING);
    assert_string_equal(c.msg, "key k1 has 1024 bits");

    oa2_log_msg(OA2_LOG_DEBUG, "not delivered");
    assert_int_equal(c.calls, 1);
    assert_string_equal(c.msg, "key k1 has 1024 bits");
}

static void test_log_macro_skips_formatting(void **state)
{
    log_capture_t c;

    (void)state;
    memset(&c, 0, sizeof(c));
    evaluated = 0;
    oa2_log_set(capture, &c, OA2_LOG_WARNING);
    OA2_LOG(OA2_LOG_TRACE, "%d", count_evaluation());
    assert_int_equal(evaluated, 0);
    assert_int_equal(c.calls, 0);
    OA2_LOG(OA2_LOG_ERR, "n=%d", count_evaluation());
    assert_int_equal(evaluated, 1);
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.level, OA2_LOG_ERR);
    assert_string_equal(c.msg, "n=1");
}

static void test_log_silenced(void **state)
{
    log_capture_t c;

    (void)state;
    memset(&c, 0, sizeof(c));
    oa2_log_set(capture, &c, OA2_LOG_TRACE);
    assert_true(oa2_log_enabled(OA2_LOG_TRACE));
    oa2_log_set(NULL, &c, OA2_LOG_TRACE);
    assert_false(oa2_log_enabled(OA2_LOG_ERR));
    oa2_log_msg(OA2_LOG_ERR, "dropped");
    assert_int_equal(c.calls, 0);
}

static void test_log_long_message_truncated(void **state)
{
    apr_pool_t *p = *state;
    log_capture_t c;
    char *big = apr_palloc(p, 2001);

    memset(&c, 0, sizeof(c));
    memset(big, 'x', 2000);
    big[2000] = '\0';
    oa2_log_set(capture, &c, OA2_LOG_DEBUG);
    oa2_log_msg(OA2_LOG_DEBUG, "%s", big);
    assert_int_equal(c.calls, 1);
    /* bounded, NUL-terminated, and a prefix of what was asked */
    assert_true(strlen(c.msg) > 0 && strlen(c.msg) < 1000);
    assert_int_equal(strspn(c.msg, "x"), strlen(c.msg));
}

#define LOG_TEST(f) \
    cmocka_unit_test_setup_teardown(f, unit_setup, log_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_token_random),
        UNIT_TEST(test_token_random_unique),
        UNIT_TEST(test_sha256),
        UNIT_TEST(test_token_hash),
        UNIT_TEST(test_hmac_sha256_rfc4231),
        UNIT_TEST(test_ct_equal),
        UNIT_TEST(test_pkce_rfc7636),
        UNIT_TEST(test_pkce_wrong),
        UNIT_TEST(test_pkce_plain),
        UNIT_TEST(test_pkce_length_and_charset),
        UNIT_TEST(test_html_escape),
        UNIT_TEST(test_err_set),
        UNIT_TEST(test_error_json),
        UNIT_TEST(test_bearer_challenge_no_token),
        UNIT_TEST(test_bearer_challenge_error),
        UNIT_TEST(test_bearer_challenge_strips),
        UNIT_TEST(test_error_redirect),
        UNIT_TEST(test_uri_loopback),
        UNIT_TEST(test_uri_redirect_ok),
        UNIT_TEST(test_uri_redirect_refused),
        UNIT_TEST(test_uri_check_https),
        UNIT_TEST(test_uri_redirect_match),
        UNIT_TEST(test_uri_redirect_match_loopback_port),
        LOG_TEST(test_log_levels),
        LOG_TEST(test_log_macro_skips_formatting),
        LOG_TEST(test_log_silenced),
        LOG_TEST(test_log_long_message_truncated),
    };

    return UNIT_RUN(tests);
}
