/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_log: the one way lib/ reports what it does, through a callback the glue installs. */
#ifndef OA2_LOG_H
#define OA2_LOG_H

#include <apr.h>

/* Levels follow syslog numbering, like httpd's APLOG_*; TRACE is 8. */
typedef enum {
    OA2_LOG_ERR = 3,
    OA2_LOG_WARNING = 4,
    OA2_LOG_INFO = 6,
    OA2_LOG_DEBUG = 7,
    OA2_LOG_TRACE = 8
} oa2_log_level_e;

/**
 * Receives one formatted message.
 * @param baton what was given to oa2_log_set()
 * @param level the message's level
 * @param msg the text, owned by the caller, valid during the call only
 */
typedef void oa2_log_fn(void *baton, oa2_log_level_e level, const char *msg);

/**
 * Installs the callback and the highest level it wants. Call once at startup
 * (post_config), before any thread exists.
 * @param fn the callback, or NULL to silence lib/
 * @param baton passed back to fn
 * @param max_level messages above this level are not even formatted
 */
void oa2_log_set(oa2_log_fn *fn, void *baton, oa2_log_level_e max_level);

/**
 * @return non-zero when a message at this level would be delivered
 */
int oa2_log_enabled(oa2_log_level_e level);

/**
 * Formats and delivers a message (checks the level first). Never pass a
 * token, code, secret or key here.
 */
void oa2_log_msg(oa2_log_level_e level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define OA2_LOG(level, ...) \
    do { if (oa2_log_enabled(level)) oa2_log_msg(level, __VA_ARGS__); } while (0)

#endif
