/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_duration: durations in directives ("90", "15m", "14d"):
 * oa2_duration_parse, checked against a plain re-implementation.
 * Input: the directive argument (up to the first NUL). */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "harness.h"
#include "oa2_duration.h"

#define MAX_SECONDS ((apr_int64_t)100 * 365 * 86400)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

/* The reference: digits, then at most one unit, value within 100 years. */
static int reference(const char *s, apr_int64_t *out)
{
    size_t n = strspn(s, "0123456789"), i;
    apr_int64_t v = 0, unit = 1;

    if (n == 0) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > MAX_SECONDS) {
            return 0;
        }
    }
    if (s[n] != '\0') {
        if (s[n + 1] != '\0') {
            return 0;
        }
        switch (s[n]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return 0;
        }
    }
    if (v > MAX_SECONDS / unit) {
        return 0;
    }
    *out = v * unit;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    char *s = fz_memdup(data, strnlen((const char *)data, size));
    apr_int64_t got = -1, want = -1;
    int ok = oa2_duration_parse(s, &got) == APR_SUCCESS;

    FZ_ASSERT(ok == reference(s, &want));
    if (ok) {
        const char *again = apr_psprintf(p, "%" APR_INT64_T_FMT, got);
        FZ_ASSERT(got == want && got >= 0 && got <= MAX_SECONDS);
        FZ_ASSERT(oa2_duration_parse(again, &want) == APR_SUCCESS
                  && want == got);
    }
    FZ_ASSERT(oa2_duration_parse(NULL, &got) == APR_EINVAL);
    free(s);
    fz_pool_done(p);
    return 0;
}
