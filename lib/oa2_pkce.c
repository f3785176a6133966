/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_pkce: PKCE (RFC 7636) challenge and verifier checks. */
#include <string.h>
#include <apr_lib.h>

#include "oa2_pkce.h"
#include "oa2_token.h"

int oa2_pkce_syntax_valid(const char *s)
{
    apr_size_t len, i;

    if (s == NULL) {
        return 0;
    }
    len = strlen(s);
    if (len < 43 || len > 128) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (!apr_isalnum(c) && c != '-' && c != '.' && c != '_' && c != '~') {
            return 0;
        }
    }
    return 1;
}

const char *oa2_pkce_s256(apr_pool_t *p, const char *verifier)
{
    return oa2_token_hash(p, verifier);
}

int oa2_pkce_verify(apr_pool_t *p, const char *method,
                    const char *challenge, const char *verifier)
{
    if (method == NULL || !oa2_pkce_syntax_valid(verifier)
        || !oa2_pkce_syntax_valid(challenge)) {
        return 0;
    }
    if (strcmp(method, "plain") == 0) {
        return oa2_ct_streq(challenge, verifier);
    }
    if (strcmp(method, "S256") != 0) {
        return 0;
    }
    return oa2_ct_streq(challenge, oa2_pkce_s256(p, verifier));
}
