/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_duration: durations in configuration: "90", "90s", "15m", "1h", "14d". */
#ifndef OA2_DURATION_H
#define OA2_DURATION_H

#include <apr.h>
#include <apr_errno.h>

/**
 * Parses a whole number with an optional unit s, m, h or d (seconds when
 * none). Signs, fractions, spaces and overflow are refused.
 * @param seconds the result
 * @return APR_SUCCESS or APR_EINVAL
 */
apr_status_t oa2_duration_parse(const char *s, apr_int64_t *seconds);

#endif
