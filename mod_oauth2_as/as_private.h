/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_private: what the files of mod_oauth2_as share: the module, log tags, endpoint prototypes. */
#ifndef AS_PRIVATE_H
#define AS_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

#include "as_config.h"
#include "oa2_error.h"

/* Our own log tags (STYLE.md §5): OA1xxxx for the AS. */
#define OA2LOGNO(n) "OA" #n ": "

extern module AP_MODULE_DECLARE_DATA oauth2_as_module;
#ifndef AS_DECLARES_MODULE
APLOG_USE_MODULE(oauth2_as);
#endif

#define AS_HANDLER_NAME "oauth2-as"
#define AS_WELL_KNOWN "/.well-known/oauth-authorization-server"

/* Request bodies larger than this are refused (413 / invalid_request). */
#define AS_MAX_BODY 65536

/* ---- as_request.c: reading requests ---- */

/**
 * Reads a POSTed application/x-www-form-urlencoded body into a table
 * (repeated parameters refused).
 * @param err invalid_request (400, or 405/415/413 where fitting)
 */
apr_status_t oauth2_as_read_form(request_rec *r, apr_table_t **params,
                                 oa2_err_t *err);

/**
 * Reads a request body of at most `limit` bytes; the result is
 * NUL-terminated.
 */
apr_status_t oauth2_as_read_body(request_rec *r, apr_size_t limit,
                                 char **body, apr_size_t *len,
                                 oa2_err_t *err);

/**
 * @return the Bearer token of the Authorization header, or NULL
 */
const char *oauth2_as_bearer_token(request_rec *r);

/**
 * Redacts a credential sent in the query string from r->args and the
 * request line, so that access logs never hold it.
 */
void oauth2_as_redact_query(request_rec *r, const char *name);

/** @return the current time in whole seconds */
apr_int64_t oauth2_as_now(void);

/* ---- as_reply.c: writing responses ---- */

/** Sends JSON with the given status and no-store caching headers. */
int oauth2_as_reply_json(request_rec *r, int status, const char *json);

/**
 * Sends an RFC 6749 §5.2 error. With `basic_used` and 401, adds
 * `WWW-Authenticate: Basic`.
 */
int oauth2_as_reply_error(request_rec *r, const oa2_err_t *err,
                          int basic_used);

/** Sends a 503 temporarily_unavailable JSON error. */
int oauth2_as_reply_unavailable(request_rec *r);

/* ---- as_audit.c ---- */

/**
 * Appends an event to the audit log (client.create, consent.revoke, ...).
 * Never fails the request: a write error is logged (ERR).
 * @param actor who acted: an admin, a user or a client_id
 */
void oauth2_as_audit(request_rec *r, const char *actor, const char *action,
                     const char *client_id, const char *username,
                     const char *detail);

struct oauth2_as_audit_rec;

/** Fills an audit event as oauth2_as_audit() would write it. */
void oauth2_as_audit_event(request_rec *r, const char *actor,
                           const char *action, const char *client_id,
                           const char *username, const char *detail,
                           struct oauth2_as_audit_rec *e);

/* ---- as_client_cache.c ---- */

/** post_config: the node-wide generation counter (shared memory). */
apr_status_t oauth2_as_client_cache_post_config(apr_pool_t *pconf,
                                                server_rec *s);

/** child_init: the per-process cache, when a server has a TTL. */
void oauth2_as_client_cache_child_init(apr_pool_t *p, server_rec *s);

struct oauth2_as_client_rec;

/**
 * A client record this process read for a successful authentication less
 * than OAuthASClientCacheTTL ago.
 * @return APR_SUCCESS or APR_NOTFOUND
 */
apr_status_t oauth2_as_client_cache_get(request_rec *r, const char *client_id,
                                        struct oauth2_as_client_rec **client);

/**
 * The generation to pass to oauth2_as_client_cache_put(): read it before
 * the database, so that an edit made during the read is not hidden.
 */
apr_uint32_t oauth2_as_client_cache_generation(void);

/** Remembers a record that has just authenticated its client. */
void oauth2_as_client_cache_put(request_rec *r,
                                const struct oauth2_as_client_rec *c,
                                apr_uint32_t gen);

/**
 * Forgets a client in this process; with `node_wide` (after an edit or a
 * failed authentication), also retires every record cached by the
 * processes of this node.
 */
void oauth2_as_client_cache_drop(const char *client_id, int node_wide);

/* ---- as_throttle.c ---- */

/**
 * Reads the client to authenticate and tells whether its client_id, or the
 * caller's address, failed OAuthASClientAuthRateLimit times within the
 * window (one statement). Logs a security event when throttled.
 * @param client the client, or NULL when unknown
 * @return APR_SUCCESS (see *throttled) or AS_STORE_EDB
 */
apr_status_t oauth2_as_throttle_client_get(request_rec *r,
                                           const char *client_id,
                                           struct oauth2_as_client_rec **client,
                                           int *throttled);

/** Counts a failed client authentication (client_id and address). */
void oauth2_as_throttle_failed(request_rec *r, const char *client_id);

/* ---- as_purge.c ---- */

/** child_init: the per-process purge timer. */
void oauth2_as_purge_child_init(apr_pool_t *p);

/** log_transaction: purges expired rows when OAuthASPurgeInterval says. */
int oauth2_as_purge_hook(request_rec *r);

/* ---- as_dispatch.c: the handlers ---- */
int oauth2_as_handler(request_rec *r);
int oauth2_as_well_known_handler(request_rec *r);

/* ---- endpoints ---- */
int oauth2_as_token_handle(request_rec *r);
int oauth2_as_authorize_handle(request_rec *r);
int oauth2_as_revoke_handle(request_rec *r);
int oauth2_as_introspect_handle(request_rec *r);
int oauth2_as_tokeninfo_handle(request_rec *r);
int oauth2_as_account_handle(request_rec *r, const char *rest);
int oauth2_as_admin_handle(request_rec *r, const char *rest);
int oauth2_as_register_handle(request_rec *r);
int oauth2_as_client_config_handle(request_rec *r, const char *client_id);
int oauth2_as_jwks_handle(request_rec *r);
int oauth2_as_metadata_handle(request_rec *r);

/* ---- as_metadata.c ---- */

/**
 * Computes the derived, read-only parts of a server's configuration:
 * declared scope set, JWKS and RFC 8414 metadata documents.
 * @param p pconf
 */
apr_status_t oauth2_as_metadata_init(apr_pool_t *p, server_rec *s,
                                     oauth2_as_srv_conf *conf);

#endif
