/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_keys: the keys a location accepts: static keys plus a per-process cache of fetched JWKS. */
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "oa2_http.h"
#include "rs_private.h"

/* A JWKS is refetched after this long, and on an unknown kid at most once
 * per RS_JWKS_MIN_INTERVAL. */
#define RS_JWKS_MAX_AGE apr_time_from_sec(3600)
#define RS_JWKS_MIN_INTERVAL apr_time_from_sec(10)
#define RS_JWKS_MAX_BYTES (256 * 1024)

/* One JWKS URL's keys. A refresh builds a new generation in a new pool;
 * the generation before the previous one is destroyed then. Generations
 * live at least RS_JWKS_MIN_INTERVAL, far longer than a verification that
 * picked up a key pointer, so no request ever sees freed keys. */
typedef struct {
    apr_thread_mutex_t *first_fetch;   /* makes threads wait for the first */
    apr_pool_t *pool;
    apr_pool_t *old_pool;
    apr_array_header_t *keys;      /* oa2_jwk_t *, in pool */
    apr_time_t fetched;
    apr_time_t attempted;
    int fetching;
} jwks_entry;

/* The per-process registry (created in child_init), guarded by mutex.
 * Subpools of registry_pool are created and destroyed only under it too:
 * the parent's child list is not otherwise protected. */
static apr_pool_t *registry_pool;
static apr_hash_t *registry;
static apr_thread_mutex_t *registry_mutex;

void oauth2_rs_keys_child_init(apr_pool_t *p)
{
    apr_pool_create(&registry_pool, p);
    registry = apr_hash_make(registry_pool);
    apr_thread_mutex_create(&registry_mutex, APR_THREAD_MUTEX_DEFAULT, p);
}

static jwks_entry *entry_for(const char *url)
{
    jwks_entry *e = apr_hash_get(registry, url, APR_HASH_KEY_STRING);

    if (e == NULL) {
        e = apr_pcalloc(registry_pool, sizeof(*e));
        apr_thread_mutex_create(&e->first_fetch, APR_THREAD_MUTEX_DEFAULT,
                                registry_pool);
        apr_hash_set(registry, apr_pstrdup(registry_pool, url),
                     APR_HASH_KEY_STRING, e);
    }
    return e;
}

static apr_pool_t *new_pool(void)
{
    apr_pool_t *p;

    apr_thread_mutex_lock(registry_mutex);
    apr_pool_create(&p, registry_pool);
    apr_thread_mutex_unlock(registry_mutex);
    return p;
}

static void drop_pool(apr_pool_t *p)
{
    apr_thread_mutex_lock(registry_mutex);
    apr_pool_destroy(p);
    apr_thread_mutex_unlock(registry_mutex);
}

/* Fetches and parses the JWKS outside the registry mutex into a new pool. */
static apr_status_t fetch(request_rec *r, const char *url, apr_pool_t **pool,
                          apr_array_header_t **keys)
{
    oa2_http_reply_t reply;
    const char *why;
    apr_pool_t *p = new_pool();

    if (oa2_http_get(p, url, RS_JWKS_MAX_BYTES, &reply, &why)
        != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(20101)
                      "cannot fetch JWKS %s: %s", url, why);
        drop_pool(p);
        return APR_EGENERAL;
    }
    if (reply.status != 200
        || oa2_jwks_parse(p, reply.body, reply.len, keys, &why)
           != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(20102)
                      "JWKS %s is unusable (HTTP %ld): %s", url,
                      reply.status, reply.status == 200 ? why : "bad status");
        drop_pool(p);
        return APR_EGENERAL;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA2LOGNO(20103)
                  "fetched JWKS %s: %d keys", url, (*keys)->nelts);
    *pool = p;
    return APR_SUCCESS;
}

/* Decides under the mutex whether this thread should fetch. */
static int should_fetch(jwks_entry *e, int refresh, apr_time_t now)
{
    if (e->fetching || now - e->attempted < RS_JWKS_MIN_INTERVAL) {
        return 0;
    }
    return e->keys == NULL || refresh || now - e->fetched > RS_JWKS_MAX_AGE;
}

/* Installs freshly fetched keys (under the mutex). */
static void install(jwks_entry *e, apr_pool_t *pool, apr_array_header_t *keys,
                    apr_time_t now)
{
    if (e->old_pool != NULL) {
        apr_pool_destroy(e->old_pool);
    }
    e->old_pool = e->pool;
    e->pool = pool;
    e->keys = keys;
    e->fetched = now;
}

/* No key yet: every thread needs this fetch, so one does it while the
 * others for the same URL wait on the entry's mutex; threads checking
 * other URLs are not held up. */
static apr_array_header_t *first_fetch(request_rec *r, jwks_entry *e,
                                       const char *url)
{
    apr_array_header_t *keys, *fresh = NULL;
    apr_pool_t *pool = NULL;
    apr_time_t now;
    int due;

    apr_thread_mutex_lock(e->first_fetch);
    now = apr_time_now();
    apr_thread_mutex_lock(registry_mutex);
    keys = e->keys;
    due = keys == NULL && now - e->attempted >= RS_JWKS_MIN_INTERVAL;
    if (due) {
        e->attempted = now;
    }
    apr_thread_mutex_unlock(registry_mutex);
    if (due && fetch(r, url, &pool, &fresh) == APR_SUCCESS) {
        apr_thread_mutex_lock(registry_mutex);
        install(e, pool, fresh, now);
        keys = e->keys;
        apr_thread_mutex_unlock(registry_mutex);
    }
    apr_thread_mutex_unlock(e->first_fetch);
    return keys;
}

static apr_array_header_t *jwks_keys(request_rec *r, const char *url,
                                     int refresh)
{
    apr_time_t now = apr_time_now();
    apr_array_header_t *keys, *fresh = NULL;
    apr_pool_t *pool = NULL;
    jwks_entry *e;
    int go;

    apr_thread_mutex_lock(registry_mutex);
    e = entry_for(url);
    if (e->keys == NULL) {
        apr_thread_mutex_unlock(registry_mutex);
        return first_fetch(r, e, url);
    }
    go = should_fetch(e, refresh, now);
    if (go) {
        e->fetching = 1;
        e->attempted = now;
    }
    keys = e->keys;
    apr_thread_mutex_unlock(registry_mutex);
    if (!go) {
        return keys;
    }
    /* a refresh: the other threads go on with the keys they have */
    fetch(r, url, &pool, &fresh);
    apr_thread_mutex_lock(registry_mutex);
    e->fetching = 0;
    if (fresh != NULL) {
        install(e, pool, fresh, now);
    }
    keys = e->keys;
    apr_thread_mutex_unlock(registry_mutex);
    return keys;
}

apr_status_t oauth2_rs_keys(request_rec *r, const oauth2_rs_dir_conf *d,
                            int refresh, apr_array_header_t **keys)
{
    apr_array_header_t *remote = NULL;

    if (d->jwks_url != NULL) {
        remote = jwks_keys(r, d->jwks_url, refresh);
    }
    if (remote == NULL && d->static_keys == NULL) {
        if (d->jwks_url == NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(20104)
                          "no %s or %s configured for this location",
                          RS_JWKS, RS_VERIFY_KEY);
        }
        return APR_EGENERAL;
    }
    if (remote == NULL) {
        *keys = d->static_keys;
    }
    else if (d->static_keys == NULL) {
        *keys = remote;
    }
    else {
        *keys = apr_array_append(r->pool, d->static_keys, remote);
    }
    return APR_SUCCESS;
}
