/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_audit: writes the audit log (oauth2_audit) as events happen; a failed write is logged, never fatal. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_private.h"
#include "as_store.h"

/* Request-controlled text (a client_id someone tried) is cut short. */
#define AS_AUDIT_MAX 200

static const char *cut(apr_pool_t *p, const char *s)
{
    return (s && strlen(s) > AS_AUDIT_MAX) ? apr_pstrndup(p, s, AS_AUDIT_MAX)
                                           : s;
}

void oauth2_as_audit_event(request_rec *r, const char *actor,
                           const char *action, const char *client_id,
                           const char *username, const char *detail,
                           oauth2_as_audit_rec *e)
{
    e->at = oauth2_as_now();
    e->actor = cut(r->pool, actor ? actor : "anonymous");
    e->action = action;
    e->client_id = cut(r->pool, client_id);
    e->username = cut(r->pool, username);
    e->detail = cut(r->pool, detail);
    e->ip = r->useragent_ip;
}

void oauth2_as_audit(request_rec *r, const char *actor, const char *action,
                     const char *client_id, const char *username,
                     const char *detail)
{
    oauth2_as_audit_rec e;

    oauth2_as_audit_event(r, actor, action, client_id, username, detail, &e);
    if (oauth2_as_store_audit_insert(r, &e) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(11701)
                      "audit event %s by %s could not be stored", action,
                      e.actor);
    }
}
