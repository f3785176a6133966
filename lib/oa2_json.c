/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_json: json-c objects owned by an APR pool, bounded parsing and typed getters. */
#include <string.h>
#include <apr_strings.h>

#include "oa2_json.h"

static apr_status_t json_cleanup(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

json_object *oa2_json_own(apr_pool_t *p, json_object *obj)
{
    if (obj != NULL) {
        apr_pool_cleanup_register(p, obj, json_cleanup,
                                  apr_pool_cleanup_null);
    }
    return obj;
}

json_object *oa2_json_object(apr_pool_t *p)
{
    return oa2_json_own(p, json_object_new_object());
}

int oa2_utf8_valid(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0;

    while (i < len) {
        unsigned char c = u[i];
        apr_size_t n, k;
        unsigned int cp;

        if (c == 0) {
            return 0;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1; cp = c & 0x1F;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2; cp = c & 0x0F;
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            n = 3; cp = c & 0x07;
        }
        else {
            return 0;
        }
        if (i + n >= len) {
            return 0;
        }
        for (k = 1; k <= n; k++) {
            if ((u[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        /* overlong forms, surrogates and values past U+10FFFF */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)
            || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

/* json-c decodes \u0000 into a NUL inside a C string, which would cut the
 * value (or a member name) short: refuse it like a raw NUL. A backslash
 * can only start an escape, so skipping each escaped character is enough
 * to tell "\u0000" from "\\u0000". */
static int has_escaped_nul(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i + 1 < len; i++) {
        if (s[i] == '\\') {
            if (s[i + 1] == 'u' && len - i >= 6
                && memcmp(s + i + 2, "0000", 4) == 0) {
                return 1;
            }
            i++;
        }
    }
    return 0;
}

apr_status_t oa2_json_parse(apr_pool_t *p, const char *text, apr_size_t len,
                            json_object **out)
{
    json_tokener *tok;
    json_object *obj;
    enum json_tokener_error jerr;
    apr_size_t used;

    *out = NULL;
    if (text == NULL || len == 0 || len > INT32_MAX
        || !oa2_utf8_valid(text, len) || has_escaped_nul(text, len)) {
        return APR_EINVAL;
    }
    tok = json_tokener_new_ex(OA2_JSON_MAX_DEPTH);
    if (tok == NULL) {
        return APR_ENOMEM;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    obj = json_tokener_parse_ex(tok, text, (int)len);
    jerr = json_tokener_get_error(tok);
    used = (apr_size_t)json_tokener_get_parse_end(tok);
    if (obj == NULL && jerr == json_tokener_continue) {
        /* a bare number or literal ends only at a terminator: give it the
         * NUL that marks the end of input (anything unfinished fails) */
        obj = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
    }
    json_tokener_free(tok);
    if (obj == NULL || jerr != json_tokener_success) {
        json_object_put(obj);
        return APR_EINVAL;
    }
    /* only whitespace may follow the value */
    while (used < len && strchr(" \t\r\n", text[used]) != NULL) {
        used++;
    }
    if (used != len) {
        json_object_put(obj);
        return APR_EINVAL;
    }
    *out = oa2_json_own(p, obj);
    return APR_SUCCESS;
}

apr_status_t oa2_json_parse_object(apr_pool_t *p, const char *text,
                                   apr_size_t len, json_object **out)
{
    apr_status_t rv = oa2_json_parse(p, text, len, out);

    if (rv == APR_SUCCESS && !json_object_is_type(*out, json_type_object)) {
        *out = NULL;
        return APR_EINVAL;
    }
    return rv;
}

const char *oa2_json_text(apr_pool_t *p, json_object *obj)
{
    return apr_pstrdup(p, json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

json_object *oa2_json_get_typed(json_object *obj, const char *key,
                                json_type type)
{
    json_object *v = NULL;

    if (obj == NULL || !json_object_is_type(obj, json_type_object)
        || !json_object_object_get_ex(obj, key, &v)
        || !json_object_is_type(v, type)) {
        return NULL;
    }
    return v;
}

const char *oa2_json_get_string(json_object *obj, const char *key)
{
    json_object *v = oa2_json_get_typed(obj, key, json_type_string);

    return v ? json_object_get_string(v) : NULL;
}

apr_status_t oa2_json_get_int64(json_object *obj, const char *key,
                                apr_int64_t *out)
{
    json_object *v = NULL;

    if (obj == NULL || !json_object_is_type(obj, json_type_object)
        || !json_object_object_get_ex(obj, key, &v)) {
        return APR_NOTFOUND;
    }
    if (!json_object_is_type(v, json_type_int)) {
        return APR_EINVAL;
    }
    /* json-c keeps integers above INT64_MAX as uint64 and would clamp them
     * here; such a value does not fit, so refuse it */
    if (json_object_get_int64(v) == INT64_MAX
        && json_object_get_uint64(v) != (uint64_t)INT64_MAX) {
        return APR_EINVAL;
    }
    *out = json_object_get_int64(v);
    return APR_SUCCESS;
}

int oa2_json_get_time(json_object *obj, const char *key, apr_int64_t *out,
                      int *present)
{
    apr_status_t rv = oa2_json_get_int64(obj, key, out);

    *present = (rv == APR_SUCCESS);
    return rv == APR_SUCCESS || rv == APR_NOTFOUND;
}

void oa2_json_set_string(json_object *obj, const char *key, const char *val)
{
    if (val != NULL) {
        json_object_object_add(obj, key, json_object_new_string(val));
    }
}

void oa2_json_set_int64(json_object *obj, const char *key, apr_int64_t val)
{
    json_object_object_add(obj, key, json_object_new_int64(val));
}

void oa2_json_set_bool(json_object *obj, const char *key, int val)
{
    json_object_object_add(obj, key, json_object_new_boolean(val));
}

const char *oa2_json_quote(apr_pool_t *p, const char *s)
{
    json_object *str = json_object_new_string(s ? s : "");
    const char *out = apr_pstrdup(p, json_object_to_json_string_ext(
        str, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

    json_object_put(str);
    return out;
}
