/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_purge: deletes expired rows now and then, after a response has been sent (log_transaction). */
#include <string.h>
#include <apr_thread_mutex.h>
#include <httpd.h>
#include <http_log.h>

#include "as_private.h"
#include "as_store.h"

/* Per process: when the next purge is due, guarded by the mutex. Several
 * processes and nodes purging is harmless: the deletes are idempotent. */
static apr_time_t next_purge;
#if APR_HAS_THREADS
static apr_thread_mutex_t *purge_mutex;
#endif

void oauth2_as_purge_child_init(apr_pool_t *p)
{
#if APR_HAS_THREADS
    apr_thread_mutex_create(&purge_mutex, APR_THREAD_MUTEX_DEFAULT, p);
#else
    (void)p;
#endif
    next_purge = 0;         /* the first request of a process purges */
}

/* Takes the turn to purge when it is due, so one thread does it. */
static int my_turn(apr_int64_t interval)
{
    apr_time_t now = apr_time_now();
    int due = 0;

#if APR_HAS_THREADS
    if (purge_mutex == NULL
        || apr_thread_mutex_trylock(purge_mutex) != APR_SUCCESS) {
        return 0;
    }
#endif
    if (now >= next_purge) {
        next_purge = now + apr_time_from_sec(interval);
        due = 1;
    }
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(purge_mutex);
#endif
    return due;
}

int oauth2_as_purge_hook(request_rec *r)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    apr_int64_t interval;
    int deleted;

    if (r->handler == NULL || strcmp(r->handler, AS_HANDLER_NAME) != 0
        || !oauth2_as_enabled(conf)
        || (interval = oauth2_as_purge_interval(conf)) == 0
        || !my_turn(interval)) {
        return DECLINED;
    }
    if (oauth2_as_store_purge(r, &deleted) == APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(11901)
                      "purged %d expired rows", deleted);
    }
    return DECLINED;
}
