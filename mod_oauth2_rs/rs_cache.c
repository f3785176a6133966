/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_cache: verified tokens keyed by the token's SHA-256: in a lock-free table in shared memory, or in an ap_socache (shmcb, memcache, redis) behind a per-process memo. */
#include <string.h>
#include <apr_lib.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <httpd.h>
#include <ap_provider.h>
#include <http_log.h>
#include <util_mutex.h>

#include "oa2_memo.h"
#include "oa2_slotcache.h"
#include "oa2_token.h"
#include "rs_private.h"

#define RS_CACHE_MUTEX "oauth2-rs-cache"
#define RS_CACHE_ID "oauth2_rs"
#define RS_CACHE_MAX_VALUE 8192
/* The largest entry of the built-in table (a typical one is 600 to 900
 * bytes; the memo keeps no bigger ones either). */
#define RS_SHM_MAX_VALUE 4096
/* Tokens each process keeps in its memo (at most OA2_MEMO_MAX_VALUE bytes
 * each; a typical entry is 600 to 900 bytes, so about 3 MiB). */
#define RS_MEMO_ENTRIES 4096

/* Created in post_config, re-attached in child_init. */
static apr_global_mutex_t *cache_mutex;
static const char *cache_mutex_file;
/* Created in child_init in front of an ap_socache (the built-in table is
 * as quick to read as the memo); the memo itself is thread-safe. */
static oa2_memo_t *memo;

/* Taken on every miss of the per-process memo (a lookup, then a store),
 * by up to every worker thread of every process. APR's default process
 * mutex on Linux is a robust priority-inheriting pthread mutex, whose
 * contended lock and unlock go through the kernel's rt-mutex code: with
 * new tokens it cost more than the lookups it guards (docs/performance.md).
 * A SysV semaphore is a plain syscall each way; `Mutex` still chooses. */
#if APR_HAS_SYSVSEM_SERIALIZE
#define RS_CACHE_MUTEX_MECH APR_LOCK_SYSVSEM
#else
#define RS_CACHE_MUTEX_MECH APR_LOCK_DEFAULT
#endif

void oauth2_rs_cache_pre_config(apr_pool_t *pconf)
{
    ap_mutex_register(pconf, RS_CACHE_MUTEX, NULL, RS_CACHE_MUTEX_MECH, 0);
}

apr_status_t oauth2_rs_cache_shm_entries(const char *spec,
                                         apr_size_t *entries)
{
    apr_int64_t n = RS_CACHE_SHM_DEFAULT;
    char *end;

    if (strncasecmp(spec, "shm", 3) != 0
        || (spec[3] != '\0' && spec[3] != ':')) {
        return APR_NOTFOUND;
    }
    if (spec[3] == ':') {
        if (!apr_isdigit(spec[4])) {
            return APR_EINVAL;
        }
        n = apr_strtoi64(spec + 4, &end, 10);
        if (*end != '\0' || n < RS_CACHE_SHM_MIN || n > RS_CACHE_SHM_MAX) {
            return APR_EINVAL;
        }
    }
    if (entries != NULL) {
        *entries = (apr_size_t)n;
    }
    return APR_SUCCESS;
}

/* The built-in table: anonymous shared memory, made before the children
 * are forked, so that all of them find it at the same address. */
static apr_status_t create_table(apr_pool_t *pconf, server_rec *s,
                                 oauth2_rs_srv_conf *c, apr_size_t entries)
{
    apr_size_t size = oa2_slotcache_size(entries, RS_SHM_MAX_VALUE);
    apr_shm_t *shm;
    apr_status_t rv;

    rv = apr_shm_create(&shm, size, NULL, pconf);
    if (rv == APR_SUCCESS) {
        rv = oa2_slotcache_init(apr_shm_baseaddr_get(shm),
                                apr_shm_size_get(shm), entries,
                                RS_SHM_MAX_VALUE, &c->slots);
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, OA2LOGNO(20208)
                     "%s: cannot create a shared table of %" APR_SIZE_T_FMT
                     " entries (%" APR_SIZE_T_FMT " bytes)", RS_CACHE,
                     entries, size);
    }
    return rv;
}

static apr_status_t create_instance(apr_pool_t *pconf, apr_pool_t *ptemp,
                                    server_rec *s, oauth2_rs_srv_conf *c)
{
    /* a SHA-256 key and "<expiry> <thumbprint> <alg>\n<digest>" of about
     * 750 bytes: shmcb's default 512,000 bytes hold about 600 tokens */
    static struct ap_socache_hints hints = { 32, 750, 300 * APR_USEC_PER_SEC };
    const char *spec = c->cache_spec ? c->cache_spec : "shm";
    const char *sep = strchr(spec, ':');
    const char *name = sep ? apr_pstrmemdup(ptemp, spec, sep - spec) : spec;
    const char *err;
    apr_size_t entries;
    apr_status_t rv;

    if (strcasecmp(spec, "none") == 0) {
        return APR_SUCCESS;
    }
    if (oauth2_rs_cache_shm_entries(spec, &entries) == APR_SUCCESS) {
        return create_table(pconf, s, c, entries);
    }
    c->cache = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name,
                                  AP_SOCACHE_PROVIDER_VERSION);
    if (c->cache == NULL) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(20202)
                     "%s %s: no such socache provider (load "
                     "mod_socache_%s)", RS_CACHE, spec, name);
        return APR_EGENERAL;
    }
    err = c->cache->create(&c->cache_inst, sep ? sep + 1 : NULL, ptemp,
                           pconf);
    if (err != NULL) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, OA2LOGNO(20203)
                     "%s %s: %s", RS_CACHE, spec, err);
        return APR_EGENERAL;
    }
    rv = c->cache->init(c->cache_inst, RS_CACHE_ID, &hints, s, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, OA2LOGNO(20204)
                     "%s %s: cannot initialise the cache", RS_CACHE, spec);
        return rv;
    }
    return APR_SUCCESS;
}

static apr_status_t destroy_instance(void *data)
{
    oauth2_rs_srv_conf *c = data;

    if (c->cache != NULL && c->cache_inst != NULL) {
        c->cache->destroy(c->cache_inst, NULL);
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_rs_cache_post_config(apr_pool_t *pconf,
                                         apr_pool_t *ptemp, server_rec *s)
{
    oauth2_rs_srv_conf *main = oauth2_rs_srv(s);
    server_rec *sp;
    apr_status_t rv;

    /* one instance, made for the main server and shared by vhosts */
    rv = create_instance(pconf, ptemp, s, main);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (main->cache_inst != NULL) {
        apr_pool_cleanup_register(pconf, main, destroy_instance,
                                  apr_pool_cleanup_null);
    }
    for (sp = s->next; sp != NULL; sp = sp->next) {
        oauth2_rs_srv_conf *c = oauth2_rs_srv(sp);
        c->slots = main->slots;
        c->cache = main->cache;
        c->cache_inst = main->cache_inst;
    }
    if (main->cache != NULL
        && (main->cache->flags & AP_SOCACHE_FLAG_NOTMPSAFE)) {
        rv = ap_global_mutex_create(&cache_mutex, &cache_mutex_file,
                                    RS_CACHE_MUTEX, NULL, s, pconf, 0);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, OA2LOGNO(20205)
                         "cannot create the cache mutex");
            return rv;
        }
    }
    return APR_SUCCESS;
}

void oauth2_rs_cache_child_init(apr_pool_t *p, server_rec *s)
{
    if (oauth2_rs_srv(s)->cache != NULL
        && oa2_memo_create(p, RS_MEMO_ENTRIES, &memo) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, OA2LOGNO(20207)
                     "cannot create the per-process token memo");
        memo = NULL;
    }
    if (cache_mutex != NULL) {
        apr_status_t rv = apr_global_mutex_child_init(
            &cache_mutex, cache_mutex_file, p);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, OA2LOGNO(20206)
                         "cannot attach the cache mutex in a child");
        }
    }
}

/* Entry layout: "<expiry> <thumbprint> <alg>\n<oa2_claims_text>", the
 * same in the memo and the shared cache. */
static apr_status_t split(request_rec *r, char *value,
                          const char **thumbprint, char **payload,
                          apr_int64_t *expiry)
{
    char *nl = strchr(value, '\n');
    char *end;

    *expiry = apr_strtoi64(value, &end, 10);
    if (nl == NULL || end == value || *end != ' ' || end > nl) {
        return APR_NOTFOUND;
    }
    *thumbprint = apr_pstrmemdup(r->pool, end + 1,
                                 (apr_size_t)(nl - end - 1));
    *payload = nl + 1;
    return APR_SUCCESS;
}

static char *shared_get(request_rec *r, oauth2_rs_srv_conf *c,
                              const unsigned char *hash)
{
    unsigned char buf[RS_CACHE_MAX_VALUE];
    unsigned int len = sizeof(buf) - 1;
    apr_status_t rv;

    if (cache_mutex != NULL && apr_global_mutex_lock(cache_mutex)
                               != APR_SUCCESS) {
        return NULL;
    }
    rv = c->cache->retrieve(c->cache_inst, r->server, hash, OA2_SHA256_LEN,
                            buf, &len, r->pool);
    if (cache_mutex != NULL) {
        apr_global_mutex_unlock(cache_mutex);
    }
    if (rv != APR_SUCCESS || len == 0 || len >= sizeof(buf)
        || memchr(buf, '\0', len) != NULL) {
        return NULL;
    }
    return apr_pstrmemdup(r->pool, (const char *)buf, len);
}

static char *table_get(request_rec *r, oauth2_rs_srv_conf *c,
                       const unsigned char *hash, apr_int64_t now)
{
    char buf[RS_SHM_MAX_VALUE];
    apr_size_t len;

    if (oa2_slotcache_get(c->slots, hash, now, buf, sizeof(buf), &len)
        != APR_SUCCESS || memchr(buf, '\0', len) != NULL) {
        return NULL;
    }
    return apr_pstrmemdup(r->pool, buf, len);
}

apr_status_t oauth2_rs_cache_get(request_rec *r, const unsigned char *hash,
                                 const char **thumbprint, char **payload)
{
    oauth2_rs_srv_conf *c = oauth2_rs_srv(r->server);
    apr_int64_t now = (apr_int64_t)apr_time_sec(r->request_time), expiry;
    char *value = NULL;
    int from_memo = 0;

    if (c->slots == NULL && c->cache == NULL) {
        return APR_NOTFOUND;
    }
    if (memo != NULL) {
        value = oa2_memo_get(memo, r->pool, hash, now);
        from_memo = value != NULL;
    }
    if (value == NULL) {
        value = c->slots != NULL ? table_get(r, c, hash, now)
                                 : shared_get(r, c, hash);
    }
    if (value == NULL
        || split(r, value, thumbprint, payload, &expiry) != APR_SUCCESS
        || expiry <= now) {
        return APR_NOTFOUND;
    }
    if (!from_memo && memo != NULL) {
        oa2_memo_put(memo, hash, now, expiry, value);
    }
    return APR_SUCCESS;
}

void oauth2_rs_cache_put(request_rec *r, const unsigned char *hash,
                         apr_int64_t expiry, const char *thumbprint,
                         const char *payload)
{
    oauth2_rs_srv_conf *c = oauth2_rs_srv(r->server);
    apr_int64_t now = (apr_int64_t)apr_time_sec(r->request_time);
    const char *value;
    apr_size_t len;

    if ((c->slots == NULL && c->cache == NULL) || payload == NULL) {
        return;
    }
    /* apr_pstrcat: apr_psprintf's formatter showed in the miss profile */
    value = apr_pstrcat(r->pool, apr_off_t_toa(r->pool, (apr_off_t)expiry),
                        " ", thumbprint, "\n", payload, NULL);
    len = strlen(value);
    if (len >= RS_CACHE_MAX_VALUE) {
        return;
    }
    if (c->slots != NULL) {
        /* busy or too big: the next request verifies the token again */
        oa2_slotcache_put(c->slots, hash, now, expiry, value, len);
        return;
    }
    if (memo != NULL) {
        oa2_memo_put(memo, hash, now, expiry, value);
    }
    if (cache_mutex != NULL && apr_global_mutex_lock(cache_mutex)
                               != APR_SUCCESS) {
        return;
    }
    c->cache->store(c->cache_inst, r->server, hash, OA2_SHA256_LEN,
                    apr_time_from_sec(expiry), (unsigned char *)value,
                    (unsigned int)len, r->pool);
    if (cache_mutex != NULL) {
        apr_global_mutex_unlock(cache_mutex);
    }
}
