/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_pkce: PKCE (RFC 7636): oa2_pkce_syntax_valid and oa2_pkce_verify
 * with S256, plain and other methods.
 * Input: method NUL code_challenge NUL code_verifier (missing fields are
 * NULL, as when the parameter was not sent). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "oa2_pkce.h"

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
    const char *method, *challenge, *verifier;
    int ok;

    fz_split(data, size, 3, &f);
    method = fz_field(&f, 0, NULL);
    challenge = fz_field(&f, 1, NULL);
    verifier = fz_field(&f, 2, NULL);

    ok = oa2_pkce_verify(p, method, challenge, verifier);
    fz_debug("verify: %d", ok);
    if (ok) {
        FZ_ASSERT(oa2_pkce_syntax_valid(challenge)
                  && oa2_pkce_syntax_valid(verifier));
        FZ_ASSERT(strcmp(method, "S256") == 0
                  || strcmp(method, "plain") == 0);
    }
    if (oa2_pkce_syntax_valid(verifier)) {
        const char *s256 = oa2_pkce_s256(p, verifier);
        size_t n = strlen(verifier);
        FZ_ASSERT(n >= 43 && n <= 128);
        FZ_ASSERT(oa2_pkce_syntax_valid(s256));
        FZ_ASSERT(oa2_pkce_verify(p, "S256", s256, verifier));
        FZ_ASSERT(oa2_pkce_verify(p, "plain", verifier, verifier));
        FZ_ASSERT(!oa2_pkce_verify(p, "S256", verifier, verifier)
                  || strcmp(s256, verifier) == 0);
    }
    else {
        FZ_ASSERT(!oa2_pkce_verify(p, "plain", verifier, verifier));
    }
    (void)oa2_pkce_syntax_valid(challenge);
    (void)oa2_pkce_syntax_valid(method);
    fz_fields_free(&f);
    fz_pool_done(p);
    return 0;
}
