/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_b64url: base64url without padding (RFC 4648 §5, RFC 7515 §2) and standard base64 decoding. */
#include "oa2_b64url.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *oa2_b64url_encode(apr_pool_t *p, const unsigned char *data,
                              apr_size_t len)
{
    char *out = apr_palloc(p, (len + 2) / 3 * 4 + 1);
    char *o = out;
    apr_size_t i;

    for (i = 0; i + 2 < len; i += 3) {
        unsigned long v = ((unsigned long)data[i] << 16)
                          | ((unsigned long)data[i + 1] << 8) | data[i + 2];
        *o++ = b64url_alphabet[(v >> 18) & 63];
        *o++ = b64url_alphabet[(v >> 12) & 63];
        *o++ = b64url_alphabet[(v >> 6) & 63];
        *o++ = b64url_alphabet[v & 63];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)data[i] << 16;
        *o++ = b64url_alphabet[(v >> 18) & 63];
        *o++ = b64url_alphabet[(v >> 12) & 63];
    }
    else if (len - i == 2) {
        unsigned long v = ((unsigned long)data[i] << 16)
                          | ((unsigned long)data[i + 1] << 8);
        *o++ = b64url_alphabet[(v >> 18) & 63];
        *o++ = b64url_alphabet[(v >> 12) & 63];
        *o++ = b64url_alphabet[(v >> 6) & 63];
    }
    *o = '\0';
    return out;
}

/* The value of each byte in the base64url alphabet, -1 for the others:
 * one lookup per character (every new token is decoded). */
static const signed char b64url_values[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};


/* Value of one character in the chosen alphabet, or -1. */
static int b64_value(char c, int url)
{
    if (url) {
        return b64url_values[(unsigned char)c];
    }
    /* standard base64 has '+' and '/' where base64url has '-' and '_' */
    if (c == '+' || c == '/') {
        return c == '+' ? 62 : 63;
    }
    return c == '-' || c == '_' ? -1 : b64url_values[(unsigned char)c];
}

/* Decodes four characters at a time (three bytes), then the 2- or
 * 3-character tail; every new token's three segments go through here. */
static apr_status_t b64_decode(apr_pool_t *p, const char *in, apr_size_t len,
                               int url, unsigned char **out,
                               apr_size_t *out_len)
{
    unsigned char *buf;
    apr_size_t i, n = 0, rest;
    unsigned long v;

    if (len % 4 == 1) {
        return APR_EINVAL;
    }
    buf = apr_palloc(p, len / 4 * 3 + 3);
    for (i = 0; i + 4 <= len; i += 4) {
        int a = b64_value(in[i], url), b = b64_value(in[i + 1], url);
        int c = b64_value(in[i + 2], url), d = b64_value(in[i + 3], url);

        if ((a | b | c | d) < 0) {
            return APR_EINVAL;
        }
        v = ((unsigned long)a << 18) | ((unsigned long)b << 12)
            | ((unsigned long)c << 6) | (unsigned long)d;
        buf[n++] = (unsigned char)(v >> 16);
        buf[n++] = (unsigned char)((v >> 8) & 0xFF);
        buf[n++] = (unsigned char)(v & 0xFF);
    }
    rest = len - i;
    if (rest > 0) {
        int a = b64_value(in[i], url), b = b64_value(in[i + 1], url);
        int c = rest == 3 ? b64_value(in[i + 2], url) : 0;

        if ((a | b | c) < 0) {
            return APR_EINVAL;
        }
        v = ((unsigned long)a << 18) | ((unsigned long)b << 12)
            | ((unsigned long)c << 6);
        buf[n++] = (unsigned char)(v >> 16);
        if (rest == 3) {
            buf[n++] = (unsigned char)((v >> 8) & 0xFF);
        }
        /* the unused low bits of the last character must be zero */
        if ((v & (rest == 3 ? 0xFFUL : 0xFFFFUL)) != 0) {
            return APR_EINVAL;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return APR_SUCCESS;
}

apr_status_t oa2_b64url_decode(apr_pool_t *p, const char *in, apr_size_t len,
                               unsigned char **out, apr_size_t *out_len)
{
    return b64_decode(p, in, len, 1, out, out_len);
}

apr_status_t oa2_b64_decode(apr_pool_t *p, const char *in, apr_size_t len,
                            unsigned char **out, apr_size_t *out_len)
{
    apr_size_t pad = 0;

    if (len % 4 != 0) {
        return APR_EINVAL;
    }
    while (pad < 2 && len > pad && in[len - 1 - pad] == '=') {
        pad++;
    }
    return b64_decode(p, in, len - pad, 0, out, out_len);
}
