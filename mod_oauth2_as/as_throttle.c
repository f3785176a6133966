/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_throttle: failed client authentications counted per client_id and per address (across processes and nodes). */
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_private.h"
#include "as_store.h"

/* The counts live in PostgreSQL (oauth2_throttle), so they add up across
 * processes and nodes; they are read with the client itself, in the same
 * statement, so checking costs no extra round trip. */

static const char *client_key(request_rec *r, const char *client_id)
{
    return apr_pstrcat(r->pool, "client-auth:", client_id, NULL);
}

static const char *ip_key(request_rec *r)
{
    return apr_pstrcat(r->pool, "ip:", r->useragent_ip, NULL);
}

apr_status_t oauth2_as_throttle_client_get(request_rec *r,
                                           const char *client_id,
                                           oauth2_as_client_rec **client,
                                           int *throttled)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    int max = oauth2_as_client_auth_max_failures(conf), fc = 0, fi = 0;
    apr_status_t rv = oauth2_as_store_client_auth_get(
        r, client_id, client_key(r, client_id), ip_key(r),
        oauth2_as_now() - oauth2_as_client_auth_window(conf), client, &fc,
        &fi);

    /* an address may be shared (NAT, a proxy) by many clients: it gets ten
     * times the budget of one client_id */
    *throttled = rv == APR_SUCCESS && (fc >= max || fi >= max * 10);
    if (*throttled) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(12001)
                      "Security - client authentication throttled for "
                      "client_id %s from %s", client_id, r->useragent_ip);
    }
    return rv;
}

void oauth2_as_throttle_failed(request_rec *r, const char *client_id)
{
    apr_int64_t window = oauth2_as_client_auth_window(
        oauth2_as_srv(r->server));

    if (oauth2_as_store_throttle_fail(r, client_key(r, client_id), window)
            != APR_SUCCESS
        || oauth2_as_store_throttle_fail(r, ip_key(r), window)
           != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(12002)
                      "a failed client authentication could not be "
                      "counted");
    }
}
