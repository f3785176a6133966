/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_pass: verified claims to the backend as OAUTH2_CLAIM_* variables or OAuth2-Claim-* headers. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

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

void oauth2_rs_pass_claims(request_rec *r, const oauth2_rs_dir_conf *d,
                           const oa2_claims_t *claims)
{
    int how = oauth2_rs_pass_as(d), i;

    if (how & RS_PASS_NONE || claims == NULL) {
        return;
    }
    for (i = 0; i < claims->pass->nelts; i++) {
        const oa2_claim_pass_t *c = &APR_ARRAY_IDX(claims->pass, i,
                                                   oa2_claim_pass_t);
        if (how & RS_PASS_ENV) {
            apr_table_setn(r->subprocess_env,
                           apr_pstrcat(r->pool, CLAIM_ENV_PREFIX,
                                       safe_name(r->pool, c->name, '_', '_'),
                                       NULL), c->value);
        }
        if (how & RS_PASS_HEADERS) {
            apr_table_setn(r->headers_in,
                           apr_pstrcat(r->pool, CLAIM_HEADER_PREFIX,
                                       safe_name(r->pool, c->name, '-', '-'),
                                       NULL), c->value);
        }
    }
}
