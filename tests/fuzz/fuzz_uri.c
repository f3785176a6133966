/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_uri: redirect URIs and fetched URLs: oa2_uri_check_redirect,
 * oa2_uri_check_https, oa2_uri_redirect_match (exact, plus RFC 8252 §7.3
 * loopback ports), and the error redirect built on a matched URI.
 * Input: requested NUL registered NUL registered ... (up to 8). */
#include <stdlib.h>
#include <string.h>
#include <apr_tables.h>
#include <apr_uri.h>

#include "harness.h"
#include "oa2_error.h"
#include "oa2_uri.h"

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
    const char *req;
    apr_array_header_t *reg = NULL;
    int i, exact = 0, matched;
    oa2_err_t err;

    fz_split(data, size, 9, &f);
    req = fz_field(&f, 0, NULL);
    (void)oa2_uri_host_is_loopback(req);
    for (i = 0; i < f.n; i++) {
        const char *u = f.f[i];
        const char *why = oa2_uri_check_redirect(p, u);
        const char *why_https = oa2_uri_check_https(p, u, 0);
        const char *why_loop = oa2_uri_check_https(p, u, 1);
        if (why == NULL || why_https == NULL) {
            FZ_ASSERT(strlen(u) <= OA2_URI_MAX_LEN);
            FZ_ASSERT(strchr(u, '#') == NULL && strchr(u, ' ') == NULL);
        }
        /* allowing loopback http only ever allows more */
        FZ_ASSERT(why_https != NULL || why_loop == NULL);
    }
    if (f.n > 1) {
        reg = apr_array_make(p, f.n - 1, sizeof(const char *));
        for (i = 1; i < f.n; i++) {
            APR_ARRAY_PUSH(reg, const char *) = f.f[i];
            exact |= strcmp(f.f[i], req) == 0;
        }
    }
    matched = oa2_uri_redirect_match(p, reg, req);
    fz_debug("redirect check: %s, match: %d",
             oa2_uri_check_redirect(p, req) ? oa2_uri_check_redirect(p, req)
             : "ok", matched);
    FZ_ASSERT(!exact || matched);
    if (matched && !exact) {
        /* only the loopback port may differ */
        apr_uri_t u;
        FZ_ASSERT(apr_uri_parse(p, req, &u) == APR_SUCCESS);
        FZ_ASSERT(u.scheme != NULL && strcmp(u.scheme, "http") == 0);
        FZ_ASSERT(u.hostname != NULL
                  && (strcmp(u.hostname, "127.0.0.1") == 0
                      || strcmp(u.hostname, "::1") == 0));
    }
    if (matched) {
        oa2_err_set(&err, 302, OA2_ERR_ACCESS_DENIED, "fuzz");
        (void)oa2_error_redirect(p, req, 0, &err, fz_field(&f, 1, NULL),
                                 "https://as.example.com");
        (void)oa2_error_redirect(p, req, 1, &err, NULL,
                                 "https://as.example.com");
    }
    FZ_ASSERT(!oa2_uri_redirect_match(p, NULL, req));
    fz_fields_free(&f);
    fz_pool_done(p);
    return 0;
}
