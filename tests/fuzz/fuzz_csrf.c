/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_csrf: anti-CSRF tokens: oa2_csrf_check on a token posted by a
 * browser, under a fixed key; and oa2_csrf_make then check for arbitrary
 * purposes and bindings (must verify, must not verify for another one).
 * Input: token NUL purpose NUL binding (purpose and binding default to the
 * ones the seeds were made for). */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "harness.h"
#include "oa2_csrf.h"

/* The key, purpose, binding and time the seeds in corpus/csrf/ were made
 * with (make-corpus.py). */
static const unsigned char KEY[32] = "fuzz-csrf-key-0123456789abcdef!";
static const unsigned char OTHER_KEY[32] = "fuzz-csrf-key-0123456789abcdef?";
#define PURPOSE "consent"
#define BINDING "alice\nclient-1\n/authorize?x=1"
#define NOW APR_INT64_C(1700000000)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    fz_fields_t f;
    const char *token, *purpose, *binding, *nonce = NULL, *made;
    apr_int64_t expiry = 0, exp2 = 0;
    apr_status_t rv;

    fz_split(data, size, 3, &f);
    token = fz_field(&f, 0, NULL);
    purpose = fz_field(&f, 1, PURPOSE);
    binding = fz_field(&f, 2, BINDING);

    rv = oa2_csrf_check(p, KEY, sizeof(KEY), purpose, binding, token, NOW,
                        &nonce, &expiry);
    FZ_ASSERT(rv == APR_SUCCESS || rv == APR_EINVAL || rv == APR_TIMEUP);
    fz_debug("check: %s", rv == APR_SUCCESS ? "ok"
             : rv == APR_TIMEUP ? "expired" : "refused");
    if (rv == APR_SUCCESS) {
        FZ_ASSERT(nonce != NULL && expiry >= NOW);
        /* the same token under another key is refused */
        FZ_ASSERT(oa2_csrf_check(p, OTHER_KEY, sizeof(OTHER_KEY), purpose,
                                 binding, token, NOW, &nonce, &exp2)
                  == APR_EINVAL);
    }
    /* a token made for purpose + binding checks for them only */
    made = oa2_csrf_make(p, KEY, sizeof(KEY), purpose, binding,
                         NOW + (apr_int64_t)(size % 7200));
    FZ_ASSERT(made != NULL);
    FZ_ASSERT(oa2_csrf_check(p, KEY, sizeof(KEY), purpose, binding, made,
                             NOW, &nonce, &exp2) == APR_SUCCESS);
    FZ_ASSERT(exp2 == NOW + (apr_int64_t)(size % 7200));
    FZ_ASSERT(oa2_csrf_check(p, KEY, sizeof(KEY), purpose,
                             apr_pstrcat(p, binding, "x", NULL), made, NOW,
                             &nonce, &exp2) == APR_EINVAL);
    FZ_ASSERT(oa2_csrf_check(p, KEY, sizeof(KEY),
                             apr_pstrcat(p, purpose, "x", NULL), binding,
                             made, NOW, &nonce, &exp2) == APR_EINVAL);
    fz_fields_free(&f);
    fz_pool_done(p);
    return 0;
}
