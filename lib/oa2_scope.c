/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_scope: scope strings (RFC 6749 §3.3) as sorted sets, with subset tests. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "oa2_scope.h"

static int scope_char_ok(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

int oa2_scope_token_valid(const char *token)
{
    const unsigned char *c = (const unsigned char *)token;

    if (token == NULL || *c == '\0') {
        return 0;
    }
    for (; *c; c++) {
        if (!scope_char_ok(*c)) {
            return 0;
        }
    }
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

apr_status_t oa2_scope_parse(apr_pool_t *p, const char *str,
                             oa2_scope_t **out)
{
    const char *c = str ? str : "";
    apr_array_header_t *raw = apr_array_make(p, 4, sizeof(const char *));

    if (strlen(c) > OA2_SCOPE_MAX_LEN) {
        return APR_EINVAL;
    }
    while (*c) {
        const char *start;
        if (*c == ' ') {
            c++;
            continue;
        }
        start = c;
        while (*c && *c != ' ') {
            if (!scope_char_ok((unsigned char)*c)) {
                return APR_EINVAL;
            }
            c++;
        }
        if (raw->nelts >= OA2_SCOPE_MAX_TOKENS) {
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(raw, const char *) = apr_pstrmemdup(p, start,
                                                           (apr_size_t)(c - start));
    }
    *out = oa2_scope_from_array(p, raw);
    return APR_SUCCESS;
}

oa2_scope_t *oa2_scope_from_array(apr_pool_t *p,
                                  const apr_array_header_t *tokens)
{
    oa2_scope_t *set = apr_palloc(p, sizeof(*set));
    apr_array_header_t *sorted = apr_array_copy(p, tokens);
    int i;

    if (sorted->nelts > 1) {
        qsort(sorted->elts, (size_t)sorted->nelts, sizeof(const char *),
              cmp_str);
    }
    set->tokens = apr_array_make(p, sorted->nelts ? sorted->nelts : 1,
                                 sizeof(const char *));
    for (i = 0; i < sorted->nelts; i++) {
        const char *t = APR_ARRAY_IDX(sorted, i, const char *);
        if (set->tokens->nelts == 0
            || strcmp(APR_ARRAY_IDX(set->tokens, set->tokens->nelts - 1,
                                    const char *), t) != 0) {
            APR_ARRAY_PUSH(set->tokens, const char *) = t;
        }
    }
    return set;
}

int oa2_scope_has(const oa2_scope_t *set, const char *token)
{
    if (set == NULL || token == NULL) {
        return 0;
    }
    return bsearch(&token, set->tokens->elts, (size_t)set->tokens->nelts,
                   sizeof(const char *), cmp_str) != NULL;
}

int oa2_scope_subset(const oa2_scope_t *a, const oa2_scope_t *b)
{
    int i;

    for (i = 0; a != NULL && i < a->tokens->nelts; i++) {
        if (!oa2_scope_has(b, APR_ARRAY_IDX(a->tokens, i, const char *))) {
            return 0;
        }
    }
    return 1;
}

int oa2_scope_count(const oa2_scope_t *set)
{
    return set ? set->tokens->nelts : 0;
}

oa2_scope_t *oa2_scope_intersect(apr_pool_t *p, const oa2_scope_t *a,
                                 const oa2_scope_t *b)
{
    oa2_scope_t *set = apr_palloc(p, sizeof(*set));
    int i;

    set->tokens = apr_array_make(p, 4, sizeof(const char *));
    for (i = 0; a != NULL && i < a->tokens->nelts; i++) {
        const char *t = APR_ARRAY_IDX(a->tokens, i, const char *);
        if (oa2_scope_has(b, t)) {
            APR_ARRAY_PUSH(set->tokens, const char *) = t;
        }
    }
    return set;
}

const char *oa2_scope_join(apr_pool_t *p, const oa2_scope_t *set)
{
    if (set == NULL || set->tokens->nelts == 0) {
        return "";
    }
    return apr_array_pstrcat(p, set->tokens, ' ');
}
