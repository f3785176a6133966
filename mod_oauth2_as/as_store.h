/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_store: every SQL statement of mod_oauth2_as, behind typed functions. */
#ifndef AS_STORE_H
#define AS_STORE_H

#include <httpd.h>

#include "oa2_client.h"

/* Store results: APR_SUCCESS, APR_NOTFOUND, or AS_STORE_EDB when the
 * database is unavailable or a statement failed (already logged). */
#define AS_STORE_EDB APR_EGENERAL

/** A registered client as stored. */
typedef struct oauth2_as_client_rec {
    const char *client_id;
    const char *secret_hash;              /* NULL for public clients */
    const char *registration_token_hash;
    oa2_client_t *meta;
    int enabled;
    apr_int64_t created_at;
    apr_int64_t updated_at;
} oauth2_as_client_rec;

/**
 * post_config: hands every statement to mod_dbd (ap_dbd_prepare), which
 * prepares them on each new connection.
 * @return APR_SUCCESS, or APR_EGENERAL when mod_dbd is not loaded
 */
apr_status_t oauth2_as_store_prepare(server_rec *s);

/**
 * Reads one client.
 * @param out allocated from r->pool
 */
apr_status_t oauth2_as_store_client_get(request_rec *r, const char *client_id,
                                        oauth2_as_client_rec **out);

/**
 * Inserts a new client (one statement).
 * @param created_by who registered it (admin user, or "register")
 */
apr_status_t oauth2_as_store_client_insert(request_rec *r,
                                           const oauth2_as_client_rec *c,
                                           const char *created_by);

/**
 * Replaces a client's metadata.
 * @return APR_NOTFOUND when no such client
 */
apr_status_t oauth2_as_store_client_update(request_rec *r,
                                           const char *client_id,
                                           const oa2_client_t *meta);

/**
 * Deletes a client and, through foreign keys, everything it holds.
 * @return APR_NOTFOUND when no such client
 */
apr_status_t oauth2_as_store_client_delete(request_rec *r,
                                           const char *client_id);

#endif
