/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_b64url: RFC 4648 vectors and hostile input, base64url and base64. */
#include <string.h>

#include "unit.h"
#include "oa2_b64url.h"

/* RFC 4648 §10, without the padding base64url leaves out (RFC 7515 §2). */
static const struct {
    const char *plain;
    const char *encoded;
} rfc4648[] = {
    { "", "" },
    { "f", "Zg" },
    { "fo", "Zm8" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg" },
    { "fooba", "Zm9vYmE" },
    { "foobar", "Zm9vYmFy" },
};

#define N_RFC4648 (sizeof(rfc4648) / sizeof(rfc4648[0]))

static void assert_url_refused(apr_pool_t *p, const char *in, apr_size_t len)
{
    unsigned char *out;
    apr_size_t out_len;

    assert_int_equal(oa2_b64url_decode(p, in, len, &out, &out_len),
                     APR_EINVAL);
}

static void assert_std_refused(apr_pool_t *p, const char *in)
{
    unsigned char *out;
    apr_size_t out_len;

    assert_int_equal(oa2_b64_decode(p, in, strlen(in), &out, &out_len),
                     APR_EINVAL);
}

static void test_encode_rfc4648(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t i;

    for (i = 0; i < N_RFC4648; i++) {
        assert_string_equal(
            oa2_b64url_encode(p, (const unsigned char *)rfc4648[i].plain,
                              strlen(rfc4648[i].plain)),
            rfc4648[i].encoded);
    }
}

static void test_decode_rfc4648(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t i;

    for (i = 0; i < N_RFC4648; i++) {
        unsigned char *out = NULL;
        apr_size_t out_len = 99;

        assert_int_equal(oa2_b64url_decode(p, rfc4648[i].encoded,
                                           strlen(rfc4648[i].encoded),
                                           &out, &out_len), APR_SUCCESS);
        assert_int_equal(out_len, strlen(rfc4648[i].plain));
        assert_memory_equal(out, rfc4648[i].plain, out_len);
        /* NUL-terminated for convenience */
        assert_int_equal(out[out_len], '\0');
    }
}

/* The two characters where base64url differs from base64. */
static void test_url_alphabet(void **state)
{
    apr_pool_t *p = *state;
    static const unsigned char minus[] = { 0xfb, 0xef, 0xbe };
    static const unsigned char under[] = { 0xff, 0xff, 0xff };
    static const unsigned char mixed[] = { 0xfb, 0xff };
    unsigned char *out;
    apr_size_t out_len;

    assert_string_equal(oa2_b64url_encode(p, minus, 3), "----");
    assert_string_equal(oa2_b64url_encode(p, under, 3), "____");
    assert_string_equal(oa2_b64url_encode(p, mixed, 2), "-_8");

    assert_int_equal(oa2_b64url_decode(p, "-_8", 3, &out, &out_len),
                     APR_SUCCESS);
    assert_int_equal(out_len, 2);
    assert_memory_equal(out, mixed, 2);
}

static void test_round_trip_all_bytes(void **state)
{
    apr_pool_t *p = *state;
    unsigned char data[256];
    apr_size_t len, i;

    for (i = 0; i < sizeof(data); i++) {
        data[i] = (unsigned char)(255 - i);
    }
    /* every length, so every tail (0, 1 or 2 leftover bytes) is covered */
    for (len = 0; len <= sizeof(data); len++) {
        const char *enc = oa2_b64url_encode(p, data, len);
        unsigned char *out;
        apr_size_t out_len;

        assert_int_equal(strlen(enc), (len * 4 + 2) / 3);
        assert_null(strpbrk(enc, "+/="));
        assert_int_equal(oa2_b64url_decode(p, enc, strlen(enc), &out,
                                           &out_len), APR_SUCCESS);
        assert_int_equal(out_len, len);
        assert_memory_equal(out, data, len);
    }
}

static void test_decode_refuses_padding(void **state)
{
    apr_pool_t *p = *state;

    assert_url_refused(p, "Zg==", 4);
    assert_url_refused(p, "Zm8=", 4);
    assert_url_refused(p, "Zg=", 3);
    assert_url_refused(p, "====", 4);
    assert_url_refused(p, "Zm9vYmFy====", 12);
}

static void test_decode_refuses_std_alphabet(void **state)
{
    apr_pool_t *p = *state;

    assert_url_refused(p, "+_8", 3);
    assert_url_refused(p, "-/8", 3);
    assert_url_refused(p, "++++", 4);
    assert_url_refused(p, "////", 4);
}

static void test_decode_refuses_whitespace(void **state)
{
    apr_pool_t *p = *state;

    assert_url_refused(p, "Zm9v Ym", 7);
    assert_url_refused(p, " Zm9v", 5);
    assert_url_refused(p, "Zm9v\n", 5);
    assert_url_refused(p, "Zm9v\r\nYmFy", 10);
    assert_url_refused(p, "Zm\t9v", 5);
}

static void test_decode_refuses_impossible_length(void **state)
{
    apr_pool_t *p = *state;

    /* one character carries 6 bits: never a whole byte */
    assert_url_refused(p, "Z", 1);
    assert_url_refused(p, "Zm9vY", 5);
    assert_url_refused(p, "Zm9vYmFyZ", 9);
    /* even when that character carries only zero bits */
    assert_url_refused(p, "A", 1);
    assert_url_refused(p, "Zm9vA", 5);
}

static void test_decode_refuses_trailing_bits(void **state)
{
    apr_pool_t *p = *state;
    unsigned char *out;
    apr_size_t out_len;

    /* "f" is Zg; Zh..Zv carry the same byte plus non-zero padding bits */
    assert_url_refused(p, "Zh", 2);
    assert_url_refused(p, "Zv", 2);
    /* "fo" is Zm8; Zm9 sets one of the two spare bits */
    assert_url_refused(p, "Zm9", 3);
    assert_url_refused(p, "Zm_", 3);
    /* the canonical forms still decode */
    assert_int_equal(oa2_b64url_decode(p, "Zg", 2, &out, &out_len),
                     APR_SUCCESS);
    assert_int_equal(out_len, 1);
    assert_int_equal(out[0], 'f');
}

/* Every 2- and 3-character tail after a whole group, and a bad character
 * at each position of a longer text: a text decodes exactly when it is
 * the encoding of what it decodes to (one spelling per value). */
static void test_decode_exhaustive_tails(void **state)
{
    apr_pool_t *p = *state;
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char text[8] = "QUJD";     /* "ABC", then the tail */
    unsigned char *out;
    apr_size_t out_len;
    int i, j, k, ok, canonical = 0;

    for (i = 0; i < 64; i++) {
        for (j = 0; j < 64; j++) {
            for (k = -1; k < 64; k++) {
                apr_size_t len = k < 0 ? 6 : 7;

                text[4] = abc[i];
                text[5] = abc[j];
                text[6] = k < 0 ? '\0' : abc[k];
                ok = oa2_b64url_decode(p, text, len, &out, &out_len)
                     == APR_SUCCESS;
                assert_int_equal(ok, ok && out_len == len * 3 / 4
                                     && memcmp(out, "ABC", 3) == 0
                                     && strcmp(oa2_b64url_encode(p, out,
                                                                 out_len),
                                               text) == 0);
                canonical += ok;
            }
        }
        apr_pool_clear(p);
    }
    /* 256 one-byte values and 65,536 two-byte values, one spelling each */
    assert_int_equal(canonical, 256 + 65536);
    /* a character outside the alphabet anywhere in 3 groups and a tail */
    assert_int_equal(oa2_b64url_decode(p, "QUJDREVGR0hJSg", 14, &out,
                                       &out_len), APR_SUCCESS);
    assert_true(out_len == 10 && memcmp(out, "ABCDEFGHIJ", 10) == 0);
    for (i = 0; i < 14; i++) {
        char bad[] = "QUJDREVGR0hJSg";
        const char junk[] = "=+/ .\x80";

        for (j = 0; junk[j] != '\0'; j++) {
            bad[i] = junk[j];
            assert_int_equal(oa2_b64url_decode(p, bad, 14, &out, &out_len),
                             APR_EINVAL);
        }
    }
}

static void test_decode_refuses_nul_and_junk(void **state)
{
    apr_pool_t *p = *state;

    assert_url_refused(p, "Zm\0v", 4);
    assert_url_refused(p, "Zm9v\0", 5);
    assert_url_refused(p, "Zm9.", 4);
    assert_url_refused(p, "Zm9\x80", 4);
    assert_url_refused(p, "Zm9\xff", 4);
    assert_url_refused(p, "Zm%76", 5);
}

static void test_decode_respects_len(void **state)
{
    apr_pool_t *p = *state;
    unsigned char *out;
    apr_size_t out_len;

    /* only the first 4 characters are read, the junk after is not */
    assert_int_equal(oa2_b64url_decode(p, "Zm9v!!!!", 4, &out, &out_len),
                     APR_SUCCESS);
    assert_int_equal(out_len, 3);
    assert_memory_equal(out, "foo", 3);
}

static void test_std_decode_rfc4648(void **state)
{
    apr_pool_t *p = *state;
    static const struct {
        const char *plain;
        const char *encoded;
    } v[] = {
        { "", "" },
        { "f", "Zg==" },
        { "fo", "Zm8=" },
        { "foo", "Zm9v" },
        { "foob", "Zm9vYg==" },
        { "fooba", "Zm9vYmE=" },
        { "foobar", "Zm9vYmFy" },
    };
    apr_size_t i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        unsigned char *out = NULL;
        apr_size_t out_len = 99;

        assert_int_equal(oa2_b64_decode(p, v[i].encoded,
                                        strlen(v[i].encoded), &out,
                                        &out_len), APR_SUCCESS);
        assert_int_equal(out_len, strlen(v[i].plain));
        assert_memory_equal(out, v[i].plain, out_len);
    }
}

static void test_std_decode_alphabet(void **state)
{
    apr_pool_t *p = *state;
    static const unsigned char want[] = { 0xfb, 0xff };
    unsigned char *out;
    apr_size_t out_len;

    assert_int_equal(oa2_b64_decode(p, "+/8=", 4, &out, &out_len),
                     APR_SUCCESS);
    assert_int_equal(out_len, 2);
    assert_memory_equal(out, want, 2);
    /* the base64url characters are not part of this alphabet */
    assert_std_refused(p, "-_8=");
    assert_std_refused(p, "-/8=");
}

/* HTTP Basic credentials are standard base64 (RFC 7617 §2). */
static void test_std_decode_basic_credentials(void **state)
{
    apr_pool_t *p = *state;
    unsigned char *out;
    apr_size_t out_len;
    const char *in = "QWxhZGRpbjpvcGVuIHNlc2FtZQ==";

    assert_int_equal(oa2_b64_decode(p, in, strlen(in), &out, &out_len),
                     APR_SUCCESS);
    assert_int_equal(out_len, strlen("Aladdin:open sesame"));
    assert_string_equal((const char *)out, "Aladdin:open sesame");
}

static void test_std_decode_refuses_hostile(void **state)
{
    apr_pool_t *p = *state;

    /* RFC 4648 §4 pads to a multiple of 4 */
    assert_std_refused(p, "Zg");
    assert_std_refused(p, "Zm8");
    assert_std_refused(p, "Zg=");
    assert_std_refused(p, "Zg===");
    /* padding only at the end, at most two */
    assert_std_refused(p, "====");
    assert_std_refused(p, "Z===");
    assert_std_refused(p, "Zm=v");
    assert_std_refused(p, "Zg==Zg==");
    /* whitespace and line breaks */
    assert_std_refused(p, "Zm9v YmFy");
    assert_std_refused(p, "Zm9v\r\nYmFy");
    assert_std_refused(p, " Zm9vYmFy   ");
    /* non-zero trailing bits */
    assert_std_refused(p, "Zh==");
    assert_std_refused(p, "Zm9=");
    /* other characters */
    assert_std_refused(p, "Zm9v!mFy");
}

static void test_std_decode_refuses_nul(void **state)
{
    apr_pool_t *p = *state;
    unsigned char *out;
    apr_size_t out_len;

    assert_int_equal(oa2_b64_decode(p, "Zm\0v", 4, &out, &out_len),
                     APR_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_encode_rfc4648),
        UNIT_TEST(test_decode_rfc4648),
        UNIT_TEST(test_url_alphabet),
        UNIT_TEST(test_round_trip_all_bytes),
        UNIT_TEST(test_decode_refuses_padding),
        UNIT_TEST(test_decode_refuses_std_alphabet),
        UNIT_TEST(test_decode_refuses_whitespace),
        UNIT_TEST(test_decode_refuses_impossible_length),
        UNIT_TEST(test_decode_refuses_trailing_bits),
        UNIT_TEST(test_decode_exhaustive_tails),
        UNIT_TEST(test_decode_refuses_nul_and_junk),
        UNIT_TEST(test_decode_respects_len),
        UNIT_TEST(test_std_decode_rfc4648),
        UNIT_TEST(test_std_decode_alphabet),
        UNIT_TEST(test_std_decode_basic_credentials),
        UNIT_TEST(test_std_decode_refuses_hostile),
        UNIT_TEST(test_std_decode_refuses_nul),
    };

    return UNIT_RUN(tests);
}
