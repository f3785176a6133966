/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_claims: the RS cache's claim digests: oa2_claims_load on any text
 * (a text it accepts must be written back byte for byte by
 * oa2_claims_text); and, for an input starting with '{', oa2_claims_digest
 * of the JSON object, whose text must load back to the same digest and
 * whose oa2_jwt_check_claims must agree with oa2_jwt_check on the JSON.
 * Input: a digest text, or a JSON object. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "harness.h"
#include "oa2_claims.h"
#include "oa2_json.h"
#include "oa2_jwt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

static int same_str(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void check_same(const oa2_claims_t *a, const oa2_claims_t *b)
{
    int i;

    FZ_ASSERT(same_str(a->iss, b->iss) && same_str(a->user, b->user)
              && same_str(a->scope, b->scope)
              && strcmp(a->json, b->json) == 0);
    FZ_ASSERT(a->has_exp == b->has_exp && a->has_nbf == b->has_nbf
              && a->has_iat == b->has_iat);
    FZ_ASSERT((!a->has_exp || a->exp == b->exp)
              && (!a->has_nbf || a->nbf == b->nbf)
              && (!a->has_iat || a->iat == b->iat));
    FZ_ASSERT(a->aud->nelts == b->aud->nelts
              && a->pass->nelts == b->pass->nelts);
    for (i = 0; i < a->aud->nelts; i++) {
        FZ_ASSERT(strcmp(APR_ARRAY_IDX(a->aud, i, const char *),
                         APR_ARRAY_IDX(b->aud, i, const char *)) == 0);
    }
    for (i = 0; i < a->pass->nelts; i++) {
        const oa2_claim_pass_t *x = &APR_ARRAY_IDX(a->pass, i,
                                                   oa2_claim_pass_t);
        const oa2_claim_pass_t *y = &APR_ARRAY_IDX(b->pass, i,
                                                   oa2_claim_pass_t);
        const char *c;
        FZ_ASSERT(strcmp(x->name, y->name) == 0
                  && strcmp(x->value, y->value) == 0);
        /* nothing that could split a header */
        for (c = x->value; *c; c++) {
            FZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7F);
        }
        for (c = x->name; *c; c++) {
            FZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7F);
        }
    }
}

/* The digest's checks agree with the JWT's, under a few rule sets. */
static void check_rules(apr_pool_t *p, json_object *o, const oa2_claims_t *c)
{
    oa2_jws_t jws;
    apr_array_header_t *auds = apr_array_make(p, 2, sizeof(const char *));
    /* `now` is a clock, never near the ends of apr_int64_t */
    const apr_int64_t nows[] = {
        0, 1700000000,
        c->has_exp && c->exp > 0 && c->exp < ((apr_int64_t)1 << 40) ? c->exp
                                                                     : 5 };
    size_t i;
    int k;

    memset(&jws, 0, sizeof(jws));
    jws.payload = o;
    APR_ARRAY_PUSH(auds, const char *) = "api";
    APR_ARRAY_PUSH(auds, const char *) =
        c->aud->nelts > 0 ? APR_ARRAY_IDX(c->aud, 0, const char *) : "x";
    for (i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
        for (k = 0; k < 4; k++) {
            oa2_jwt_rules_t r;
            oa2_err_t e1 = { NULL, NULL, 0 }, e2 = { NULL, NULL, 0 };
            apr_status_t a, b;
            memset(&r, 0, sizeof(r));
            r.now = nows[i];
            r.leeway = 30;
            r.require_exp = k & 1;
            r.issuer = (k & 2) ? (c->iss ? c->iss : "https://as") : NULL;
            r.audiences = (k & 2) ? auds : NULL;
            r.max_lifetime = k == 3 ? 3600 : 0;
            a = oa2_jwt_check(&jws, &r, &e1);
            b = oa2_jwt_check_claims(c, &r, &e2);
            FZ_ASSERT(a == b);
            FZ_ASSERT(same_str(e1.description, e2.description));
        }
    }
}

static void from_json(apr_pool_t *p, const uint8_t *data, size_t size)
{
    json_object *o;
    oa2_claims_t *c, *back;
    const char *text;
    char *copy;

    if (oa2_json_parse_object(p, (const char *)data, size, &o)
        != APR_SUCCESS || oa2_claims_digest(p, o, NULL, &c) != APR_SUCCESS) {
        return;
    }
    check_rules(p, o, c);
    text = oa2_claims_text(p, c);
    if (text == NULL) {
        return;
    }
    copy = fz_exact(text, strlen(text));
    FZ_ASSERT(oa2_claims_load(p, copy, strlen(text), &back)
              == APR_SUCCESS);
    check_same(c, back);
    FZ_ASSERT(strcmp(oa2_claims_text(p, back), text) == 0);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    char *copy = fz_exact(data, size);
    oa2_claims_t *c;

    if (oa2_claims_load(p, copy, size, &c) == APR_SUCCESS) {
        const char *again = oa2_claims_text(p, c);
        fz_debug("claims: a digest of %d claims\n", c->pass->nelts);
        FZ_ASSERT(again != NULL && strlen(again) == size
                  && memcmp(again, data, size) == 0);
    }
    if (size > 0 && data[0] == '{') {
        from_json(p, data, size);
    }
    free(copy);
    fz_pool_done(p);
    return 0;
}
