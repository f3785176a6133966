/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_csrf: CSRF tokens: round trip, forgery, expiry, hostile input. */
#include <string.h>
#include <apr_strings.h>

#include "unit.h"
#include "oa2_b64url.h"
#include "oa2_csrf.h"

#define KEY "0123456789abcdef0123456789abcdef"
#define KEY_LEN 32
#define PURPOSE "consent"
#define BINDING "alice\nreq-1"
#define EXPIRY 1700000600
#define NOW 1700000000

/* base64url(16-byte nonce || 8-byte expiry) "." base64url(32-byte MAC) */
#define BODY_CHARS 32
#define MAC_CHARS 43
#define TOKEN_CHARS (BODY_CHARS + 1 + MAC_CHARS)
#define NONCE_CHARS 22

static const unsigned char *key = (const unsigned char *)KEY;

static const char *make(apr_pool_t *p, const char *purpose,
                        const char *binding, apr_int64_t expiry)
{
    const char *t = oa2_csrf_make(p, key, KEY_LEN, purpose, binding, expiry);

    assert_non_null(t);
    assert_int_equal(strlen(t), TOKEN_CHARS);
    assert_int_equal(t[BODY_CHARS], '.');
    return t;
}

/* Checks with the default key, purpose and binding. */
static apr_status_t check(apr_pool_t *p, const char *token, apr_int64_t now,
                          const char **nonce, apr_int64_t *expiry)
{
    return oa2_csrf_check(p, key, KEY_LEN, PURPOSE, BINDING, token, now,
                          nonce, expiry);
}

/* A refused token must leave the outputs alone. */
static void refused(apr_pool_t *p, const unsigned char *k, apr_size_t k_len,
                    const char *purpose, const char *binding,
                    const char *token, apr_int64_t now, apr_status_t want)
{
    const char *nonce = "untouched";
    apr_int64_t expiry = -42;

    assert_int_equal(oa2_csrf_check(p, k, k_len, purpose, binding, token,
                                    now, &nonce, &expiry), want);
    assert_string_equal(nonce, "untouched");
    assert_int_equal(expiry, -42);
}

static void forged(apr_pool_t *p, const char *token)
{
    refused(p, key, KEY_LEN, PURPOSE, BINDING, token, NOW, APR_EINVAL);
}

/* The token with character i replaced by another base64url character. */
static const char *flip(apr_pool_t *p, const char *token, apr_size_t i)
{
    char *t = apr_pstrdup(p, token);

    t[i] = t[i] == 'A' ? 'B' : 'A';
    return t;
}

static int is_b64url(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_") == strlen(s);
}

static void test_round_trip(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);
    const char *nonce = NULL;
    apr_int64_t expiry = 0;
    unsigned char *body;
    apr_size_t body_len;

    assert_true(is_b64url(apr_pstrndup(p, t, BODY_CHARS)));
    assert_true(is_b64url(t + BODY_CHARS + 1));
    assert_int_equal(check(p, t, NOW, &nonce, &expiry), APR_SUCCESS);
    assert_int_equal(expiry, EXPIRY);
    assert_non_null(nonce);
    assert_int_equal(strlen(nonce), NONCE_CHARS);

    /* the nonce is the first 16 bytes of the body; the expiry follows,
     * big-endian */
    assert_int_equal(oa2_b64url_decode(p, t, BODY_CHARS, &body, &body_len),
                     APR_SUCCESS);
    assert_int_equal(body_len, 24);
    assert_string_equal(nonce, oa2_b64url_encode(p, body, 16));
    assert_memory_equal(body + 16, "\x00\x00\x00\x00\x65\x53\xf3\x58", 8);

    /* checking does not consume: single use is the caller's job */
    nonce = NULL;
    assert_int_equal(check(p, t, NOW, &nonce, &expiry), APR_SUCCESS);
    assert_string_equal(nonce, oa2_b64url_encode(p, body, 16));
}

static void test_expiry_values(void **state)
{
    apr_pool_t *p = *state;
    const char *nonce;
    apr_int64_t expiry;
    const char *t;

    t = oa2_csrf_make(p, key, KEY_LEN, PURPOSE, BINDING, 0);
    assert_int_equal(check(p, t, 0, &nonce, &expiry), APR_SUCCESS);
    assert_int_equal(expiry, 0);
    t = oa2_csrf_make(p, key, KEY_LEN, PURPOSE, BINDING, APR_INT64_MAX);
    assert_int_equal(check(p, t, NOW, &nonce, &expiry), APR_SUCCESS);
    assert_int_equal(expiry, APR_INT64_MAX);
    t = oa2_csrf_make(p, key, KEY_LEN, PURPOSE, BINDING, -5);
    assert_int_equal(check(p, t, -10, &nonce, &expiry), APR_SUCCESS);
    assert_int_equal(expiry, -5);
    refused(p, key, KEY_LEN, PURPOSE, BINDING, t, 0, APR_TIMEUP);
}

static void test_expired(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);
    const char *nonce;
    apr_int64_t expiry;

    /* valid up to and including the expiry second */
    assert_int_equal(check(p, t, EXPIRY, &nonce, &expiry), APR_SUCCESS);
    refused(p, key, KEY_LEN, PURPOSE, BINDING, t, EXPIRY + 1, APR_TIMEUP);
    refused(p, key, KEY_LEN, PURPOSE, BINDING, t, APR_INT64_MAX, APR_TIMEUP);
    /* a forged token is forged, expired or not: the MAC is checked first */
    refused(p, key, KEY_LEN, PURPOSE, "bob\nreq-1", t, EXPIRY + 1,
            APR_EINVAL);
    refused(p, key, KEY_LEN, PURPOSE, BINDING, flip(p, t, 40), EXPIRY + 1,
            APR_EINVAL);
}

static void test_wrong_context(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);
    const unsigned char *other = (const unsigned char *)
        "0123456789abcdef0123456789abcdeF";

    refused(p, key, KEY_LEN, "account", BINDING, t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, "", BINDING, t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, "consent ", BINDING, t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, PURPOSE, "bob\nreq-1", t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, PURPOSE, "alice\nreq-2", t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, PURPOSE, "alice", t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, PURPOSE, "", t, NOW, APR_EINVAL);
    refused(p, other, KEY_LEN, PURPOSE, BINDING, t, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN - 1, PURPOSE, BINDING, t, NOW, APR_EINVAL);
}

/* The MAC input keeps purpose and binding apart: moving bytes from one to
 * the other gives a different MAC. */
static void test_fields_cannot_shift(void **state)
{
    apr_pool_t *p = *state;
    const char *t1 = make(p, "x", "y\nz", EXPIRY);
    const char *t2 = make(p, "x\ny", "z", EXPIRY);
    const char *t3 = make(p, "xy", "", EXPIRY);
    const char *nonce;
    apr_int64_t expiry;

    refused(p, key, KEY_LEN, "x\ny", "z", t1, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, "x", "y\nz", t2, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, "x", "y", t3, NOW, APR_EINVAL);
    refused(p, key, KEY_LEN, "", "xy", t3, NOW, APR_EINVAL);
    /* and each still works where it belongs */
    assert_int_equal(oa2_csrf_check(p, key, KEY_LEN, "x", "y\nz", t1, NOW,
                                    &nonce, &expiry), APR_SUCCESS);
    assert_int_equal(oa2_csrf_check(p, key, KEY_LEN, "x\ny", "z", t2, NOW,
                                    &nonce, &expiry), APR_SUCCESS);
    assert_int_equal(oa2_csrf_check(p, key, KEY_LEN, "xy", "", t3, NOW,
                                    &nonce, &expiry), APR_SUCCESS);
}

static void test_tampered(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);
    const char *dot = t + BODY_CHARS;
    unsigned char *body;
    apr_size_t body_len, i;

    /* one character of the nonce, of the expiry, of the MAC */
    forged(p, flip(p, t, 0));
    forged(p, flip(p, t, 10));
    forged(p, flip(p, t, 25));
    forged(p, flip(p, t, BODY_CHARS + 1));
    forged(p, flip(p, t, BODY_CHARS + 20));
    forged(p, flip(p, t, TOKEN_CHARS - 2));

    /* a later expiry with the old MAC */
    assert_int_equal(oa2_b64url_decode(p, t, BODY_CHARS, &body, &body_len),
                     APR_SUCCESS);
    body[20] ^= 0x01;
    forged(p, apr_pstrcat(p, oa2_b64url_encode(p, body, body_len), dot,
                          NULL));
    body[20] ^= 0x01;
    /* re-encoding the untouched body gives the token back */
    assert_string_equal(apr_pstrcat(p, oa2_b64url_encode(p, body, body_len),
                                    dot, NULL), t);

    /* the body with bytes appended or removed, the MAC unchanged: the
     * first 24 bytes still match, so only the length check stops these */
    forged(p, apr_pstrcat(p, apr_pstrndup(p, t, BODY_CHARS), "AAAA", dot,
                          NULL));
    forged(p, apr_pstrcat(p, apr_pstrndup(p, t, BODY_CHARS), "AA", dot,
                          NULL));
    forged(p, apr_pstrcat(p, oa2_b64url_encode(p, body, body_len - 1), dot,
                          NULL));

    /* swapped halves, and a MAC from another token */
    forged(p, apr_pstrcat(p, dot + 1, ".", apr_pstrndup(p, t, BODY_CHARS),
                          NULL));
    forged(p, apr_pstrcat(p, apr_pstrndup(p, t, BODY_CHARS),
                          make(p, PURPOSE, BINDING, EXPIRY) + BODY_CHARS,
                          NULL));

    /* every single-character change is caught */
    for (i = 0; i < TOKEN_CHARS; i++) {
        if (i != BODY_CHARS) {
            forged(p, flip(p, t, i));
        }
    }
}

static void test_truncated(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);
    apr_size_t n;

    for (n = 0; n < TOKEN_CHARS; n++) {
        forged(p, apr_pstrndup(p, t, n));
    }
    /* the body alone, the MAC alone, a MAC one character short */
    forged(p, apr_pstrndup(p, t, BODY_CHARS));
    forged(p, apr_pstrndup(p, t, BODY_CHARS + 1));
    forged(p, t + BODY_CHARS);
    forged(p, t + BODY_CHARS + 1);
    forged(p, apr_pstrcat(p, t + 1, NULL));
}

static void test_garbage(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);

    forged(p, NULL);
    forged(p, "");
    forged(p, ".");
    forged(p, "..");
    forged(p, "not a token");
    forged(p, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!.????");
    forged(p, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA."
              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    /* padding, whitespace, a second dot, standard base64 characters */
    forged(p, apr_pstrcat(p, t, "=", NULL));
    forged(p, apr_pstrcat(p, t, " ", NULL));
    forged(p, apr_pstrcat(p, " ", t, NULL));
    forged(p, apr_pstrcat(p, t, "\n", NULL));
    forged(p, apr_pstrcat(p, t, ".", NULL));
    forged(p, apr_pstrcat(p, t, ".x", NULL));
    forged(p, apr_pstrcat(p, apr_pstrndup(p, t, BODY_CHARS), "..",
                          t + BODY_CHARS + 1, NULL));
    forged(p, apr_pstrcat(p, apr_pstrndup(p, t, 5), "+",
                          t + 6, NULL));
    forged(p, apr_pstrcat(p, apr_pstrndup(p, t, 5), "/",
                          t + 6, NULL));
}

static void test_over_long(void **state)
{
    apr_pool_t *p = *state;
    const char *t = make(p, PURPOSE, BINDING, EXPIRY);
    char *big = apr_palloc(p, 100001);

    forged(p, apr_pstrcat(p, t, apr_psprintf(p, "%0*d", 129 - TOKEN_CHARS,
                                               0), NULL));
    memset(big, 'A', 100000);
    big[100000] = '\0';
    forged(p, big);
    big[BODY_CHARS] = '.';
    forged(p, big);
    big[129] = '\0';
    forged(p, big);
}

static void test_tokens_differ(void **state)
{
    apr_pool_t *p = *state;
    const char *t1 = make(p, PURPOSE, BINDING, EXPIRY);
    const char *t2 = make(p, PURPOSE, BINDING, EXPIRY);
    const char *n1 = NULL, *n2 = NULL;
    apr_int64_t e1 = 0, e2 = 0;

    assert_string_not_equal(t1, t2);
    /* the random part differs, the expiry part is the same */
    assert_memory_not_equal(t1, t2, NONCE_CHARS - 1);
    assert_memory_equal(t1 + NONCE_CHARS, t2 + NONCE_CHARS,
                        BODY_CHARS - NONCE_CHARS);
    assert_int_equal(check(p, t1, NOW, &n1, &e1), APR_SUCCESS);
    assert_int_equal(check(p, t2, NOW, &n2, &e2), APR_SUCCESS);
    assert_string_not_equal(n1, n2);
    assert_int_equal(e1, e2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_round_trip),
        UNIT_TEST(test_expiry_values),
        UNIT_TEST(test_expired),
        UNIT_TEST(test_wrong_context),
        UNIT_TEST(test_fields_cannot_shift),
        UNIT_TEST(test_tampered),
        UNIT_TEST(test_truncated),
        UNIT_TEST(test_garbage),
        UNIT_TEST(test_over_long),
        UNIT_TEST(test_tokens_differ),
    };

    return UNIT_RUN(tests);
}
