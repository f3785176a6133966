/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_duration: durations in configuration: "90", "90s", "15m", "1h", "14d". */
#include "oa2_duration.h"

/* Large enough for any lifetime, small enough never to overflow. */
#define MAX_SECONDS ((apr_int64_t)100 * 365 * 86400)

apr_status_t oa2_duration_parse(const char *s, apr_int64_t *seconds)
{
    apr_int64_t n = 0, unit = 1;

    if (s == NULL || *s < '0' || *s > '9') {
        return APR_EINVAL;
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (*s - '0');
        if (n > MAX_SECONDS) {
            return APR_EINVAL;
        }
    }
    switch (*s) {
    case '\0': break;
    case 's': unit = 1; s++; break;
    case 'm': unit = 60; s++; break;
    case 'h': unit = 3600; s++; break;
    case 'd': unit = 86400; s++; break;
    default: return APR_EINVAL;
    }
    if (*s != '\0' || n * unit > MAX_SECONDS) {
        return APR_EINVAL;
    }
    *seconds = n * unit;
    return APR_SUCCESS;
}
