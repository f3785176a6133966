/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_form: application/x-www-form-urlencoded parsing (repeats refused), encoding, HTTP Basic credentials. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "oa2_b64url.h"
#include "oa2_form.h"
#include "oa2_json.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

apr_status_t oa2_form_decode(apr_pool_t *p, const char *in, apr_size_t len,
                             char **out)
{
    char *buf = apr_palloc(p, len + 1);
    apr_size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (in[i] == '+') {
            buf[n++] = ' ';
        }
        else if (in[i] == '%') {
            int hi, lo;
            if (i + 2 >= len) {
                return APR_EINVAL;
            }
            hi = hex_value(in[i + 1]);
            lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return APR_EINVAL;
            }
            buf[n++] = (char)((hi << 4) | lo);
            i += 2;
        }
        else {
            buf[n++] = in[i];
        }
    }
    buf[n] = '\0';
    if (!oa2_utf8_valid(buf, n)) {
        return APR_EINVAL;
    }
    *out = buf;
    return APR_SUCCESS;
}

apr_status_t oa2_form_parse(apr_pool_t *p, const char *in, apr_size_t len,
                            apr_table_t **out, oa2_err_t *err)
{
    apr_table_t *t = apr_table_make(p, 8);
    apr_size_t pos = 0;
    int count = 0;

    while (pos < len) {
        const char *seg = in + pos;
        const char *amp = memchr(seg, '&', len - pos);
        apr_size_t seg_len = amp ? (apr_size_t)(amp - seg) : len - pos;
        const char *eq = memchr(seg, '=', seg_len);
        apr_size_t name_len = eq ? (apr_size_t)(eq - seg) : seg_len;
        char *name, *value;

        pos += seg_len + 1;
        if (seg_len == 0) {
            continue;
        }
        if (++count > OA2_FORM_MAX_PARAMS) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "too many parameters");
        }
        if (name_len == 0
            || oa2_form_decode(p, seg, name_len, &name) != APR_SUCCESS) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                               "malformed parameter name");
        }
        if (eq == NULL) {
            value = "";
        }
        else if (oa2_form_decode(p, eq + 1, seg_len - name_len - 1, &value)
                 != APR_SUCCESS) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                apr_psprintf(p, "malformed value of parameter %s",
                             oa2_json_quote(p, name)));
        }
        if (apr_table_get(t, name) != NULL) {
            return oa2_err_set(err, 400, OA2_ERR_INVALID_REQUEST,
                apr_psprintf(p, "parameter %s is repeated",
                             oa2_json_quote(p, name)));
        }
        apr_table_setn(t, name, value);
    }
    *out = t;
    return APR_SUCCESS;
}

const char *oa2_form_encode(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t len = strlen(s), i;
    char *out = apr_palloc(p, len * 3 + 1), *o = out;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (apr_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

apr_status_t oa2_form_basic_credentials(apr_pool_t *p, const char *b64,
                                        const char **user,
                                        const char **password)
{
    unsigned char *raw;
    apr_size_t raw_len;
    const char *colon;
    char *u, *pw;

    if (b64 == NULL || strlen(b64) > 4096
        || oa2_b64_decode(p, b64, strlen(b64), &raw, &raw_len)
           != APR_SUCCESS
        || memchr(raw, '\0', raw_len) != NULL) {
        return APR_EINVAL;
    }
    colon = memchr(raw, ':', raw_len);
    if (colon == NULL || colon == (const char *)raw) {
        return APR_EINVAL;
    }
    if (oa2_form_decode(p, (const char *)raw,
                        (apr_size_t)(colon - (const char *)raw), &u)
            != APR_SUCCESS
        || oa2_form_decode(p, colon + 1,
                           raw_len - (apr_size_t)(colon + 1 - (const char *)raw),
                           &pw) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    *user = u;
    *password = pw;
    return APR_SUCCESS;
}

const char *oa2_form_redact(apr_pool_t *p, const char *query,
                            const char *name)
{
    apr_size_t n = strlen(name), off;
    const char *c, *start, *end;
    char *out;
    int changed = 0;

    if (query == NULL) {
        return NULL;
    }
    out = apr_pstrdup(p, query);
    /* a query, or a request line "GET /x?a=b&c=d HTTP/1.1": a parameter
     * starts the string or follows '?' or '&'; its value ends at '&', a
     * space, a '#' or the end */
    for (c = strstr(out, name); c != NULL; c = strstr(c + 1, name)) {
        if ((c != out && c[-1] != '?' && c[-1] != '&') || c[n] != '=') {
            continue;
        }
        start = c + n + 1;
        end = start + strcspn(start, "& #");
        off = (apr_size_t)(start - out);
        out = apr_pstrcat(p, apr_pstrmemdup(p, out, off), "redacted", end,
                          NULL);
        c = out + off;
        changed = 1;
    }
    return changed ? out : query;
}
