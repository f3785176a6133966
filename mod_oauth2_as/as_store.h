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
 * Hands this request's database connection back to mod_dbd's pool now
 * (it would be at the end of the request). A later statement of the same
 * request takes one again. Call before signing or writing a response.
 */
void oauth2_as_store_release(request_rec *r);

/**
 * Reads one client.
 * @param out allocated from r->pool
 */
apr_status_t oauth2_as_store_client_get(request_rec *r, const char *client_id,
                                        oauth2_as_client_rec **out);

/**
 * Reads a client for authentication, together with the recent failure
 * counts of its client_id and of the caller's address (throttling), in one
 * round trip.
 * @param out the client, or NULL when unknown
 * @param since failures counted in windows starting after this time
 * @return APR_SUCCESS (whether or not the client exists) or AS_STORE_EDB
 */
apr_status_t oauth2_as_store_client_auth_get(request_rec *r,
                                             const char *client_id,
                                             const char *client_key,
                                             const char *ip_key,
                                             apr_int64_t since,
                                             oauth2_as_client_rec **out,
                                             int *client_failures,
                                             int *ip_failures);

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

/** An authorization code as stored (RFC 6749 §4.1.2 binding). */
typedef struct oauth2_as_code_rec {
    const char *code_hash;
    const char *client_id;
    const char *username;
    const char *redirect_uri;
    int redirect_uri_given;             /* the request named it */
    const char *scope;
    const char *audience;
    const char *code_challenge;         /* NULL without PKCE */
    const char *code_challenge_method;
    apr_int64_t created_at;
    apr_int64_t expires_at;
    const char *family_id;              /* of the refresh tokens it yields */
    const char *access_jti;             /* of the access token it yields */
} oauth2_as_code_rec;

/** A refresh token as stored. Times are 0 when NULL. */
typedef struct oauth2_as_refresh_rec {
    const char *token_hash;
    const char *family_id;
    const char *client_id;
    const char *username;
    const char *scope;
    const char *audience;
    apr_int64_t created_at;
    apr_int64_t expires_at;
    apr_int64_t rotated_at;
    apr_int64_t revoked_at;
    const char *access_jti;    /* the access token issued with it */
    apr_int64_t access_exp;
} oauth2_as_refresh_rec;

/** A remembered consent, with the client's display name. */
typedef struct oauth2_as_consent_rec {
    const char *client_id;
    const char *client_name;
    const char *scope;
    apr_int64_t created_at;
    apr_int64_t updated_at;
} oauth2_as_consent_rec;

/**
 * The scope a user consented to for a client.
 * @return APR_SUCCESS, APR_NOTFOUND or AS_STORE_EDB
 */
apr_status_t oauth2_as_store_consent_get(request_rec *r, const char *user,
                                         const char *client_id,
                                         const char **scope);

/**
 * The user's consents, newest first.
 * @param out array of oauth2_as_consent_rec
 */
apr_status_t oauth2_as_store_consent_list(request_rec *r, const char *user,
                                          apr_array_header_t **out);

/**
 * Forgets a consent and revokes the refresh tokens and access tokens the
 * client holds for the user, in one transaction.
 * @return APR_NOTFOUND when there was no consent
 */
apr_status_t oauth2_as_store_consent_revoke(request_rec *r, const char *user,
                                            const char *client_id);

/**
 * Marks a CSRF nonce used until `expires_at`.
 * @return APR_SUCCESS the first time, APR_EEXIST when already used
 */
apr_status_t oauth2_as_store_nonce_use(request_rec *r, const char *nonce,
                                       apr_int64_t expires_at);

/** Stores a new authorization code. */
apr_status_t oauth2_as_store_code_insert(request_rec *r,
                                         const oauth2_as_code_rec *c);

/**
 * Redeems a code in one statement: uses it up (UPDATE ... WHERE used_at IS
 * NULL RETURNING, so two concurrent redemptions cannot both succeed) and,
 * when `refresh` is given and the code belongs to client_id and has not
 * expired at `now`, stores that refresh token for the code's grant (its
 * family, user, scope, audience and access token id; access_exp from
 * `refresh`). The code itself is checked by the caller: a refresh token
 * stored for a code that then fails a check is to be deleted.
 * @param refresh token_hash, created_at, expires_at and access_exp of a new
 *        refresh token, or NULL
 * @param replayed set when the code exists but was used before (then *out
 *        is filled so the caller can revoke what the first use issued)
 * @param stored set when the refresh token was stored
 * @return APR_SUCCESS, APR_NOTFOUND (unknown or replayed) or AS_STORE_EDB
 */
apr_status_t oauth2_as_store_code_redeem(request_rec *r,
                                         const char *code_hash,
                                         const char *client_id,
                                         apr_int64_t now,
                                         const oauth2_as_refresh_rec *refresh,
                                         oauth2_as_code_rec **out,
                                         int *replayed, int *stored);

/**
 * Revokes a whole grant in one transaction: every refresh token of the
 * family, the access tokens issued with them (JWT ids onto the deny-list,
 * opaque ones marked revoked), and the access token id `jti` (kept on the
 * deny-list until jti_expires_at). family_id and jti may be NULL.
 */
apr_status_t oauth2_as_store_grant_revoke(request_rec *r,
                                          const char *family_id,
                                          const char *jti,
                                          apr_int64_t jti_expires_at);

/** Stores a new refresh token. */
apr_status_t oauth2_as_store_refresh_insert(request_rec *r,
                                            const oauth2_as_refresh_rec *t);

/** Deletes a refresh token that was stored but never handed out. */
apr_status_t oauth2_as_store_refresh_delete(request_rec *r,
                                            const char *token_hash);

/** Reads a refresh token by its hash. */
apr_status_t oauth2_as_store_refresh_get(request_rec *r,
                                         const char *token_hash,
                                         oauth2_as_refresh_rec **out);

/**
 * Rotates: marks the old token used and stores its successor, in one
 * transaction.
 * @return APR_SUCCESS, APR_EEXIST when the old one was rotated or revoked
 *         meanwhile (a concurrent reuse), or AS_STORE_EDB
 */
apr_status_t oauth2_as_store_refresh_rotate(request_rec *r,
                                            const char *old_hash,
                                            const oauth2_as_refresh_rec *neu);

/** An opaque access token as stored. Times are 0 when NULL. */
typedef struct oauth2_as_access_rec {
    const char *token_hash;
    const char *jti;
    const char *client_id;
    const char *username;                /* NULL: the client itself */
    const char *scope;
    const char *audience;
    apr_int64_t issued_at;
    apr_int64_t expires_at;
    apr_int64_t revoked_at;
    const char *family_id;               /* the grant it came from, or NULL */
} oauth2_as_access_rec;

/** Stores an opaque access token. */
apr_status_t oauth2_as_store_access_insert(request_rec *r,
                                           const oauth2_as_access_rec *t);

/**
 * Reads an opaque token of either kind by its hash, in one statement:
 * sets *access or *refresh (the other is NULL).
 * @return APR_SUCCESS, APR_NOTFOUND or AS_STORE_EDB
 */
apr_status_t oauth2_as_store_opaque_get(request_rec *r,
                                        const char *token_hash,
                                        oauth2_as_access_rec **access,
                                        oauth2_as_refresh_rec **refresh);

/**
 * Revokes an opaque access token, only when it belongs to client_id.
 * @return APR_SUCCESS, APR_NOTFOUND (unknown, foreign or already revoked)
 */
apr_status_t oauth2_as_store_access_revoke(request_rec *r,
                                           const char *token_hash,
                                           const char *client_id);

/**
 * @return APR_SUCCESS when the jti is on the deny-list, APR_NOTFOUND when
 *         not, AS_STORE_EDB
 */
apr_status_t oauth2_as_store_jti_revoked(request_rec *r, const char *jti);

/**
 * Reads a failure counter (throttling).
 * @param failures failures within the current window (0 when the window
 *        has passed or the key is unknown)
 */
apr_status_t oauth2_as_store_throttle_get(request_rec *r, const char *key,
                                          apr_int64_t window, int *failures);

/**
 * Counts one failure for key, starting a new window when the old one has
 * passed (one upsert statement).
 */
apr_status_t oauth2_as_store_throttle_fail(request_rec *r, const char *key,
                                           apr_int64_t window);

/** Forgets the failures of key (after a success). */
apr_status_t oauth2_as_store_throttle_clear(request_rec *r, const char *key);

/**
 * Deletes what has expired: codes, refresh and opaque access tokens, used
 * nonces, revoked jtis and old throttling counters, in one transaction.
 * @param deleted how many rows went
 */
apr_status_t oauth2_as_store_purge(request_rec *r, int *deleted);

/* ---- administration ---------------------------------------------------- */

/**
 * A page of clients, newest first, whose name or client_id contains
 * `query` (case-insensitive; "" for all).
 * @param out array of oauth2_as_client_rec
 * @param total how many clients match in all
 */
apr_status_t oauth2_as_store_client_list(request_rec *r, const char *query,
                                         int offset, int limit,
                                         apr_array_header_t **out,
                                         int *total);

/** Enables or disables a client. @return APR_NOTFOUND when unknown */
apr_status_t oauth2_as_store_client_set_enabled(request_rec *r,
                                                const char *client_id,
                                                int enabled);

/** Replaces a client's secret hash. @return APR_NOTFOUND when unknown */
apr_status_t oauth2_as_store_client_set_secret(request_rec *r,
                                               const char *client_id,
                                               const char *secret_hash);

/**
 * The consents given to a client, newest first (client_name unset).
 * @param out array of oauth2_as_consent_rec; client_id holds the username
 */
apr_status_t oauth2_as_store_client_consents(request_rec *r,
                                             const char *client_id,
                                             apr_array_header_t **out);

/** A live credential of a client, as the admin pages show it. */
typedef struct oauth2_as_live_token {
    const char *kind;             /* "refresh" or "access" */
    const char *token_hash;
    const char *family_id;        /* refresh tokens */
    const char *username;         /* NULL: the client itself */
    const char *scope;
    apr_int64_t created_at;
    apr_int64_t expires_at;
} oauth2_as_live_token;

/**
 * The client's live refresh tokens and opaque access tokens (not rotated,
 * revoked or expired), newest first.
 * @param out array of oauth2_as_live_token
 */
apr_status_t oauth2_as_store_client_tokens(request_rec *r,
                                           const char *client_id,
                                           apr_array_header_t **out);

/** One audit event. */
typedef struct oauth2_as_audit_rec {
    apr_int64_t at;
    const char *actor;
    const char *action;
    const char *client_id;
    const char *username;
    const char *detail;
    const char *ip;
} oauth2_as_audit_rec;

/**
 * The consent form's "allow" in one statement: marks the CSRF nonce used
 * until `nonce_expiry` and, only if it was new, remembers the consent
 * (adding these scopes to the remembered ones), appends the audit event
 * and, when `code` is not NULL, stores the authorization code.
 * @return APR_SUCCESS, APR_EEXIST (nonce already used: nothing written) or
 *         AS_STORE_EDB
 */
apr_status_t oauth2_as_store_consent_grant(request_rec *r,
                                           const char *nonce,
                                           apr_int64_t nonce_expiry,
                                           const char *user,
                                           const char *client_id,
                                           const char *scope,
                                           const oauth2_as_audit_rec *e,
                                           const oauth2_as_code_rec *code);

/** Appends an audit event. */
apr_status_t oauth2_as_store_audit_insert(request_rec *r,
                                          const oauth2_as_audit_rec *e);

/**
 * A page of audit events, newest first, filtered by client and/or user
 * ("" for any).
 * @param out array of oauth2_as_audit_rec
 */
apr_status_t oauth2_as_store_audit_list(request_rec *r, const char *client_id,
                                        const char *username, int offset,
                                        int limit, apr_array_header_t **out);

#endif
