/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_pass: verified claims to the backend as OAUTH2_CLAIM_* variables or OAuth2-Claim-* headers. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "oa2_json.h"
#include "rs_private.h"

#define CLAIM_HEADER_PREFIX "OAuth2-Claim-"
#define CLAIM_ENV_PREFIX "OAUTH2_CLAIM_"

static int strip_one(void *rec, const char *key, const char *value)
{
    apr_array_header_t *names = rec;

    (void)value;
    if (strncasecmp(key, CLAIM_HEADER_PREFIX,
                    sizeof(CLAIM_HEADER_PREFIX) - 1) == 0) {
        APR_ARRAY_PUSH(names, const char *) = key;
    }
    return 1;
}

void oauth2_rs_strip_claim_headers(request_rec *r)
{
    apr_array_header_t *names = apr_array_make(r->pool, 1,
                                               sizeof(const char *));
    int i;

    apr_table_do(strip_one, names, r->headers_in, NULL);
    for (i = 0; i < names->nelts; i++) {
        apr_table_unset(r->headers_in, APR_ARRAY_IDX(names, i, const char *));
    }
}

/* Claim names keep their case; anything but letters, digits and `keep`
 * becomes `repl` (DESIGN.md §8: '_' in variables; headers use '-', since
 * httpd and proxies drop header names with '_'). */
static char *safe_name(apr_pool_t *p, const char *name, char keep, char repl)
{
    char *s = apr_pstrdup(p, name), *c;

    for (c = s; *c; c++) {
        if (!apr_isalnum(*c) && *c != keep) {
            *c = repl;
        }
    }
    return s;
}

/* Strings as they are, arrays of strings space-separated, the rest as
 * JSON; control characters become spaces so no header can be split. */
static const char *claim_value(apr_pool_t *p, json_object *v)
{
    const char *s;
    char *out, *c;

    if (json_object_is_type(v, json_type_string)) {
        s = json_object_get_string(v);
    }
    else if (json_object_is_type(v, json_type_array)) {
        apr_array_header_t *parts = apr_array_make(p, 4, sizeof(char *));
        size_t i;
        for (i = 0; i < json_object_array_length(v); i++) {
            APR_ARRAY_PUSH(parts, const char *) =
                claim_value(p, json_object_array_get_idx(v, i));
        }
        return apr_array_pstrcat(p, parts, ' ');
    }
    else {
        s = oa2_json_text(p, v);
    }
    out = apr_pstrdup(p, s ? s : "");
    for (c = out; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7F) {
            *c = ' ';
        }
    }
    return out;
}

void oauth2_rs_pass_claims(request_rec *r, const oauth2_rs_dir_conf *d,
                           json_object *claims)
{
    int how = oauth2_rs_pass_as(d);

    if (how & RS_PASS_NONE || claims == NULL) {
        return;
    }
    json_object_object_foreach(claims, key, val) {
        const char *value = claim_value(r->pool, val);
        if (how & RS_PASS_ENV) {
            apr_table_setn(r->subprocess_env,
                           apr_pstrcat(r->pool, CLAIM_ENV_PREFIX,
                                       safe_name(r->pool, key, '_', '_'),
                                       NULL), value);
        }
        if (how & RS_PASS_HEADERS) {
            apr_table_setn(r->headers_in,
                           apr_pstrcat(r->pool, CLAIM_HEADER_PREFIX,
                                       safe_name(r->pool, key, '-', '-'),
                                       NULL), value);
        }
    }
}
