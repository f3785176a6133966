/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_log: level check and formatting for lib/ messages. */
#include <stdarg.h>
#include <apr_strings.h>

#include "oa2_log.h"

/* Set once at startup, read-only afterwards. */
static oa2_log_fn *log_fn;
static void *log_baton;
static oa2_log_level_e log_max = OA2_LOG_ERR;

void oa2_log_set(oa2_log_fn *fn, void *baton, oa2_log_level_e max_level)
{
    log_fn = fn;
    log_baton = baton;
    log_max = max_level;
}

int oa2_log_enabled(oa2_log_level_e level)
{
    return log_fn != NULL && level <= log_max;
}

void oa2_log_msg(oa2_log_level_e level, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    if (!oa2_log_enabled(level)) {
        return;
    }
    va_start(ap, fmt);
    apr_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_fn(log_baton, level, buf);
}
