/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_client_cache: client records reused by each process for OAuthASClientCacheTTL after a successful authentication. */
#include <string.h>
#include <apr_atomic.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_private.h"
#include "as_store.h"
#include "oa2_json.h"
#include "oa2_memo.h"

/* Why it is safe to skip the database for a while:
 * - a record enters only after it authenticated a client with a database
 *   read that found the client under its throttling budget;
 * - a failed authentication or an edit on this node retires every record
 *   cached by every process of the node at once (a generation counter in
 *   shared memory), so the next attempt reads the database again and meets
 *   the throttle or the edit; failures and edits on another node take
 *   effect here within OAuthASClientCacheTTL. */

#define CLIENT_CACHE_ENTRIES 1024

static oa2_memo_t *memo;
/* The node's generation of client records, in shared memory made before
 * the children fork; read and bumped only with apr_atomic. */
static volatile apr_uint32_t *generation;

apr_status_t oauth2_as_client_cache_post_config(apr_pool_t *pconf,
                                                server_rec *s)
{
    apr_shm_t *shm;
    apr_status_t rv = apr_shm_create(&shm, sizeof(apr_uint32_t), NULL,
                                     pconf);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, OA2LOGNO(12102)
                     "cannot create the client cache's shared memory");
        return rv;
    }
    generation = apr_shm_baseaddr_get(shm);
    apr_atomic_set32(generation, 0);
    return APR_SUCCESS;
}

void oauth2_as_client_cache_child_init(apr_pool_t *p, server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp != NULL; sp = sp->next) {
        if (oauth2_as_client_cache_ttl(oauth2_as_srv(sp)) > 0) {
            break;
        }
    }
    if (sp != NULL && generation != NULL
        && oa2_memo_create(p, CLIENT_CACHE_ENTRIES, &memo) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, OA2LOGNO(12101)
                     "cannot create the client cache: clients are read "
                     "from the database every time");
        memo = NULL;
    }
}

static void key_of(const char *client_id, unsigned char *key)
{
    oa2_sha256(client_id, strlen(client_id), key);
}

apr_status_t oauth2_as_client_cache_get(request_rec *r, const char *client_id,
                                        oauth2_as_client_rec **client)
{
    apr_int64_t ttl = oauth2_as_client_cache_ttl(oauth2_as_srv(r->server));
    apr_int64_t now = oauth2_as_now();
    unsigned char key[OA2_SHA256_LEN];
    const char *value, *f[8];
    char *rest, *nl;
    oauth2_as_client_rec *c;
    int i;

    if (memo == NULL || ttl == 0) {
        return APR_NOTFOUND;
    }
    key_of(client_id, key);
    value = oa2_memo_get(memo, r->pool, key, now);
    if (value == NULL) {
        return APR_NOTFOUND;
    }
    /* generation, read at, enabled, created, updated, client_id, secret
     * hash, registration token hash, then the metadata JSON */
    rest = (char *)value;
    for (i = 0; i < 8; i++) {
        if ((nl = strchr(rest, '\n')) == NULL) {
            return APR_NOTFOUND;
        }
        *nl = '\0';
        f[i] = rest;
        rest = nl + 1;
    }
    /* virtual hosts share the client table and this cache, but each
     * honours its own TTL */
    if (apr_atoi64(f[0]) != (apr_int64_t)apr_atomic_read32(generation)
        || now - apr_atoi64(f[1]) >= ttl) {
        return APR_NOTFOUND;
    }
    c = apr_pcalloc(r->pool, sizeof(*c));
    c->enabled = strcmp(f[2], "1") == 0;
    c->created_at = apr_atoi64(f[3]);
    c->updated_at = apr_atoi64(f[4]);
    c->client_id = f[5];
    c->secret_hash = *f[6] ? f[6] : NULL;
    c->registration_token_hash = *f[7] ? f[7] : NULL;
    if (strcmp(c->client_id, client_id) != 0
        || oa2_client_from_text(r->pool, rest, &c->meta) != APR_SUCCESS) {
        return APR_NOTFOUND;
    }
    *client = c;
    return APR_SUCCESS;
}

void oauth2_as_client_cache_put(request_rec *r, const oauth2_as_client_rec *c,
                                apr_uint32_t gen)
{
    apr_int64_t ttl = oauth2_as_client_cache_ttl(oauth2_as_srv(r->server));
    apr_int64_t now = oauth2_as_now();
    unsigned char key[OA2_SHA256_LEN];
    const char *value;

    if (memo == NULL || ttl == 0 || strchr(c->client_id, '\n') != NULL) {
        return;
    }
    value = apr_psprintf(r->pool, "%u\n%" APR_INT64_T_FMT "\n%d\n%"
                         APR_INT64_T_FMT "\n%" APR_INT64_T_FMT
                         "\n%s\n%s\n%s\n%s", gen, now, c->enabled ? 1 : 0,
                         c->created_at, c->updated_at, c->client_id,
                         c->secret_hash ? c->secret_hash : "",
                         c->registration_token_hash
                             ? c->registration_token_hash : "",
                         oa2_json_text(r->pool, oa2_client_to_json(
                             r->pool, c->meta)));
    key_of(c->client_id, key);
    oa2_memo_put(memo, key, now, now + ttl, value);
}

apr_uint32_t oauth2_as_client_cache_generation(void)
{
    return generation != NULL ? apr_atomic_read32(generation) : 0;
}

void oauth2_as_client_cache_drop(const char *client_id, int node_wide)
{
    unsigned char key[OA2_SHA256_LEN];

    if (node_wide && generation != NULL) {
        apr_atomic_inc32(generation);
    }
    if (memo != NULL && client_id != NULL) {
        key_of(client_id, key);
        oa2_memo_remove(memo, key);
    }
}
