/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_scope: scope strings (RFC 6749 §3.3): oa2_scope_parse, then has,
 * subset, intersect and join on two of them; the other space-separated
 * lists of lib/ (oa2_alg_list_parse, oa2_grant_list_parse) on the first.
 * Input: requested NUL granted. */
#include <stdlib.h>
#include <string.h>
#include <apr_tables.h>

#include "harness.h"
#include "oa2_client.h"
#include "oa2_error.h"
#include "oa2_jose.h"
#include "oa2_scope.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

/* parse(join(s)) is s again */
static void check_join(apr_pool_t *p, const oa2_scope_t *s)
{
    const char *j = oa2_scope_join(p, s);
    oa2_scope_t *again = NULL;
    int i;

    FZ_ASSERT(oa2_scope_parse(p, j, &again) == APR_SUCCESS);
    FZ_ASSERT(oa2_scope_count(again) == oa2_scope_count(s));
    FZ_ASSERT(strcmp(oa2_scope_join(p, again), j) == 0);
    for (i = 0; i < s->tokens->nelts; i++) {
        const char *t = APR_ARRAY_IDX(s->tokens, i, const char *);
        FZ_ASSERT(oa2_scope_token_valid(t));
        FZ_ASSERT(oa2_scope_has(s, t));
        /* sorted, without duplicates */
        FZ_ASSERT(i == 0
                  || strcmp(APR_ARRAY_IDX(s->tokens, i - 1, const char *),
                            t) < 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    fz_fields_t f;
    const char *a_str, *b_str, *bad = NULL;
    oa2_scope_t *a = NULL, *b = NULL, *ab, *ba;
    unsigned int algs = 0, grants = 0;

    fz_split(data, size, 2, &f);
    a_str = fz_field(&f, 0, NULL);
    b_str = fz_field(&f, 1, NULL);

    if (oa2_scope_parse(p, a_str, &a) == APR_SUCCESS) {
        FZ_ASSERT(oa2_scope_count(a) <= OA2_SCOPE_MAX_TOKENS);
        check_join(p, a);
        FZ_ASSERT(oa2_scope_subset(a, a));
        (void)oa2_error_bearer_challenge(p, "fuzz", NULL,
                                         oa2_scope_join(p, a));
    }
    if (oa2_scope_parse(p, b_str, &b) == APR_SUCCESS && a != NULL) {
        check_join(p, b);
        ab = oa2_scope_intersect(p, a, b);
        ba = oa2_scope_intersect(p, b, a);
        FZ_ASSERT(oa2_scope_subset(ab, a) && oa2_scope_subset(ab, b));
        FZ_ASSERT(strcmp(oa2_scope_join(p, ab), oa2_scope_join(p, ba)) == 0);
        FZ_ASSERT(oa2_scope_subset(a, b)
                  == (oa2_scope_count(ab) == oa2_scope_count(a)));
        check_join(p, ab);
    }
    (void)oa2_scope_token_valid(a_str);
    if (a_str != NULL) {
        if (oa2_alg_list_parse(p, a_str, &algs, &bad) == APR_SUCCESS) {
            FZ_ASSERT(algs != 0 && (algs & ~(unsigned int)OA2_ALG_ALL) == 0);
        }
        else {
            FZ_ASSERT(bad != NULL);
        }
        bad = NULL;
        if (oa2_grant_list_parse(p, a_str, &grants, &bad) == APR_SUCCESS) {
            (void)oa2_grant_list_text(p, grants);
        }
        else {
            FZ_ASSERT(bad != NULL && oa2_grant_from_name(bad) == 0);
        }
    }
    fz_fields_free(&f);
    fz_pool_done(p);
    return 0;
}
