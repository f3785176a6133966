/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_migrate: applies the embedded sql/ migrations under a PostgreSQL advisory lock. */
#include <string.h>
#include <apr_dbd.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <util_cfgtree.h>

#include "as_migrate.h"
#include "as_private.h"

/* An arbitrary constant naming our advisory lock ("oa2 schema"). */
#define AS_MIGRATE_LOCK "7268637401"

/* After a failed attempt at request time, wait this long before the next. */
#define AS_MIGRATE_RETRY apr_time_from_sec(2)

/* Per-process: set once the schema is known to be current; guarded by
 * schema_mutex after startup. */
static volatile int schema_ready;
static apr_time_t last_attempt;
#if APR_HAS_THREADS
static apr_thread_mutex_t *schema_mutex;
#endif

static void dbd_directive(apr_pool_t *p, const ap_directive_t *d,
                          const char **driver, const char **params)
{
    const char *a = d->args;

    if (strcasecmp(d->directive, "DBDriver") == 0) {
        *driver = ap_getword_conf(p, &a);
    }
    else if (strcasecmp(d->directive, "DBDParams") == 0) {
        *params = ap_getword_conf(p, &a);
    }
}

int oauth2_as_dbd_config(apr_pool_t *p, server_rec *s, const char **driver,
                         const char **params)
{
    const ap_directive_t *d, *v;

    *driver = NULL;
    *params = "";
    /* top level first, then the <VirtualHost> that defines s */
    for (d = ap_conftree; d != NULL; d = d->next) {
        dbd_directive(p, d, driver, params);
    }
    if (!s->is_virtual) {
        return *driver != NULL;
    }
    for (d = ap_conftree; d != NULL; d = d->next) {
        if (strcasecmp(d->directive, "<VirtualHost") != 0
            || (unsigned int)d->line_num != s->defn_line_number
            || strcmp(d->filename, s->defn_name) != 0) {
            continue;
        }
        for (v = d->first_child; v != NULL; v = v->next) {
            dbd_directive(p, v, driver, params);
        }
    }
    return *driver != NULL;
}

/* Runs a query that returns one row and reads its first column. */
static apr_status_t select_one(apr_pool_t *p, const apr_dbd_driver_t *drv,
                               apr_dbd_t *db, const char *sql,
                               const char **value)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;

    *value = NULL;
    if (apr_dbd_select(drv, p, db, &res, sql, 1) != 0) {
        return APR_EGENERAL;
    }
    if (apr_dbd_get_row(drv, p, res, &row, -1) == 0) {
        const char *v = apr_dbd_get_entry(drv, row, 0);
        /* copied: the driver frees the result when the rows run out */
        *value = v ? apr_pstrdup(p, v) : NULL;
        while (apr_dbd_get_row(drv, p, res, &row, -1) == 0) {
            /* drain */
        }
    }
    return APR_SUCCESS;
}

static apr_status_t apply_pending(apr_pool_t *p, server_rec *s,
                                  const apr_dbd_driver_t *drv, apr_dbd_t *db)
{
    const oauth2_as_migration *m;
    const char *v;
    int current = 0, n;

    if (select_one(p, drv, db,
                   "SELECT to_regclass('oauth2_schema_version') IS NOT NULL",
                   &v) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (v != NULL && strcmp(v, "t") == 0) {
        if (select_one(p, drv, db, "SELECT COALESCE(max(version), 0) "
                       "FROM oauth2_schema_version", &v) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        current = v ? atoi(v) : 0;
    }
    for (m = oauth2_as_migrations; m->name != NULL; m++) {
        if (m->version <= current) {
            continue;
        }
        if (apr_dbd_query(drv, db, &n, "BEGIN") != 0
            || apr_dbd_query(drv, db, &n, m->sql) != 0
            || apr_dbd_query(drv, db, &n, "COMMIT") != 0) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, OA2LOGNO(10001)
                         "migration %s failed: %s", m->name,
                         apr_dbd_error(drv, db, 0));
            apr_dbd_query(drv, db, &n, "ROLLBACK");
            return APR_EGENERAL;
        }
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, OA2LOGNO(10002)
                     "applied schema migration %s", m->name);
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_as_migrate(apr_pool_t *p, server_rec *s)
{
    const char *driver_name, *params, *v, *err = NULL;
    const apr_dbd_driver_t *drv;
    apr_dbd_t *db;
    apr_status_t rv;

    if (!oauth2_as_dbd_config(p, s, &driver_name, &params)) {
        return APR_EINVAL;
    }
    rv = apr_dbd_get_driver(p, driver_name, &drv);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, OA2LOGNO(10003)
                     "cannot load the apr_dbd driver %s (install "
                     "libaprutil1-dbd-pgsql)", driver_name);
        return rv;
    }
    rv = apr_dbd_open_ex(drv, p, params, &db, &err);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, OA2LOGNO(10004)
                     "cannot connect to the database to check the schema: "
                     "%s", err ? err : "unknown error");
        return rv;
    }
    rv = select_one(p, drv, db, "SELECT pg_advisory_lock("
                    AS_MIGRATE_LOCK ")", &v);
    if (rv == APR_SUCCESS) {
        rv = apply_pending(p, s, drv, db);
        select_one(p, drv, db, "SELECT pg_advisory_unlock("
                   AS_MIGRATE_LOCK ")", &v);
    }
    else {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, OA2LOGNO(10005)
                     "cannot take the schema lock: %s",
                     apr_dbd_error(drv, db, 0));
    }
    apr_dbd_close(drv, db);
    return rv;
}

void oauth2_as_schema_set_ready(void)
{
    schema_ready = 1;
}

void oauth2_as_schema_child_init(apr_pool_t *p)
{
#if APR_HAS_THREADS
    apr_thread_mutex_create(&schema_mutex, APR_THREAD_MUTEX_DEFAULT, p);
#else
    (void)p;
#endif
}

apr_status_t oauth2_as_schema_ensure(request_rec *r)
{
    apr_pool_t *tmp;
    apr_status_t rv = APR_SUCCESS;

    if (schema_ready) {
        return APR_SUCCESS;
    }
#if APR_HAS_THREADS
    if (schema_mutex != NULL) {
        apr_thread_mutex_lock(schema_mutex);
    }
#endif
    if (schema_ready) {
        rv = APR_SUCCESS;
    }
    else if (apr_time_now() - last_attempt < AS_MIGRATE_RETRY) {
        /* the database was unreachable a moment ago: fail fast */
        rv = APR_EGENERAL;
    }
    else {
        last_attempt = apr_time_now();
        apr_pool_create(&tmp, r->pool);
        rv = oauth2_as_migrate(tmp, r->server);
        apr_pool_destroy(tmp);
        if (rv == APR_SUCCESS) {
            schema_ready = 1;
        }
    }
#if APR_HAS_THREADS
    if (schema_mutex != NULL) {
        apr_thread_mutex_unlock(schema_mutex);
    }
#endif
    return rv;
}
