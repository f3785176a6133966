/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_store: every SQL statement of mod_oauth2_as, behind typed functions. */
#include <string.h>
#include <apr_dbd.h>
#include <apr_hash.h>
#include <apr_optional.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <mod_dbd.h>

#include "as_migrate.h"
#include "as_private.h"
#include "as_store.h"
#include "oa2_json.h"

static APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *dbd_prepare_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close_fn;

/* Labels: oauth2_as_<verb>_<noun> (STYLE.md §2). */
#define Q_SELECT_CLIENT "oauth2_as_select_client"
#define Q_INSERT_CLIENT "oauth2_as_insert_client"
#define Q_AUTH_CLIENT "oauth2_as_auth_client"
#define Q_UPDATE_CLIENT "oauth2_as_update_client"
#define Q_DELETE_CLIENT "oauth2_as_delete_client"
#define Q_SELECT_CONSENT "oauth2_as_select_consent"
#define Q_GRANT_CONSENT "oauth2_as_grant_consent"
#define Q_LIST_CONSENTS "oauth2_as_list_consents"
#define Q_DELETE_CONSENT "oauth2_as_delete_consent"
#define Q_REVOKE_USER_REFRESH "oauth2_as_revoke_user_refresh"
#define Q_INSERT_NONCE "oauth2_as_insert_nonce"
#define Q_INSERT_CODE "oauth2_as_insert_code"
#define Q_REDEEM_CODE "oauth2_as_redeem_code"
#define Q_SELECT_USED_CODE "oauth2_as_select_used_code"
#define Q_REVOKE_FAMILY "oauth2_as_revoke_family"
#define Q_REVOKE_FAMILY_JTIS "oauth2_as_revoke_family_jtis"
#define Q_REVOKE_FAMILY_ACCESS "oauth2_as_revoke_family_access"
#define Q_REVOKE_USER_JTIS "oauth2_as_revoke_user_jtis"
#define Q_REVOKE_USER_ACCESS "oauth2_as_revoke_user_access"
#define Q_INSERT_REVOKED_JTI "oauth2_as_insert_revoked_jti"
#define Q_INSERT_REFRESH "oauth2_as_insert_refresh"
#define Q_DELETE_REFRESH "oauth2_as_delete_refresh"
#define Q_SELECT_REFRESH "oauth2_as_select_refresh"
#define Q_ROTATE_REFRESH "oauth2_as_rotate_refresh"

#define Q_INSERT_ACCESS "oauth2_as_insert_access"
#define Q_SELECT_OPAQUE "oauth2_as_select_opaque"
#define Q_REVOKE_ACCESS "oauth2_as_revoke_access"
#define Q_SELECT_REVOKED_JTI "oauth2_as_select_revoked_jti"
#define Q_SELECT_THROTTLE "oauth2_as_select_throttle"
#define Q_UPSERT_THROTTLE "oauth2_as_upsert_throttle"
#define Q_DELETE_THROTTLE "oauth2_as_delete_throttle"

#define Q_LIST_CLIENTS "oauth2_as_list_clients"
#define Q_ENABLE_CLIENT "oauth2_as_enable_client"
#define Q_SECRET_CLIENT "oauth2_as_secret_client"
#define Q_CLIENT_CONSENTS "oauth2_as_client_consents"
#define Q_CLIENT_TOKENS "oauth2_as_client_tokens"
#define Q_INSERT_AUDIT "oauth2_as_insert_audit"
#define Q_LIST_AUDIT "oauth2_as_list_audit"

#define Q_PURGE_CODES "oauth2_as_purge_codes"
#define Q_PURGE_REFRESH "oauth2_as_purge_refresh"
#define Q_PURGE_ACCESS "oauth2_as_purge_access"
#define Q_PURGE_NONCES "oauth2_as_purge_nonces"
#define Q_PURGE_JTI "oauth2_as_purge_jti"
#define Q_PURGE_THROTTLE "oauth2_as_purge_throttle"

#define ACCESS_COLUMNS "token_hash, jti, client_id, username, scope, " \
    "audience, issued_at, expires_at, revoked_at, family_id"
#define CODE_COLUMNS "code_hash, client_id, username, redirect_uri, " \
    "redirect_uri_given, scope, audience, code_challenge, " \
    "code_challenge_method, created_at, expires_at, family_id, access_jti"
#define REFRESH_COLUMNS "token_hash, family_id, client_id, username, " \
    "scope, audience, created_at, expires_at, rotated_at, revoked_at, " \
    "access_jti, access_exp"

static const struct {
    const char *label;
    const char *sql;
} statements[] = {
    { Q_SELECT_CLIENT,
      "SELECT client_id, secret_hash, registration_token_hash, "
      "metadata::text, enabled, created_at, updated_at "
      "FROM oauth2_client WHERE client_id = %s" },
    /* always one row: the client (or NULLs) and both failure counts */
    { Q_AUTH_CLIENT,
      "SELECT c.client_id, c.secret_hash, c.registration_token_hash, "
      "c.metadata::text, c.enabled, c.created_at, c.updated_at, "
      "tc.failures, ti.failures FROM (SELECT 1) AS one "
      "LEFT JOIN oauth2_client c ON c.client_id = %s "
      "LEFT JOIN oauth2_throttle tc ON tc.key = %s "
      "AND tc.window_start > %s::bigint "
      "LEFT JOIN oauth2_throttle ti ON ti.key = %s "
      "AND ti.window_start > %s::bigint" },
    { Q_INSERT_CLIENT,
      "INSERT INTO oauth2_client (client_id, secret_hash, "
      "registration_token_hash, metadata, created_at, updated_at, "
      "created_by) VALUES (%s, %s, %s, %s::jsonb, %s::bigint, %s::bigint, %s)" },
    { Q_UPDATE_CLIENT,
      "UPDATE oauth2_client SET metadata = %s::jsonb, updated_at = "
      "%s::bigint WHERE client_id = %s" },
    { Q_DELETE_CLIENT,
      "DELETE FROM oauth2_client WHERE client_id = %s" },
    { Q_SELECT_CONSENT,
      "SELECT scope FROM oauth2_consent WHERE username = %s "
      "AND client_id = %s" },
    /* the consent form's POST in one round trip: the CSRF nonce, and only
     * when it was new, the consent (widened) and its audit event; answers
     * (nonce was new, audit rows written) */
    { Q_GRANT_CONSENT,
      "WITH n AS (INSERT INTO oauth2_used_nonce (nonce, expires_at) VALUES "
      "(%s, %s::bigint) ON CONFLICT DO NOTHING RETURNING 1), "
      "c AS (INSERT INTO oauth2_consent (username, client_id, scope, "
      "created_at, updated_at) SELECT %s, %s, %s, %s::bigint, %s::bigint "
      "FROM n ON CONFLICT (username, client_id) DO UPDATE SET scope = "
      "(SELECT string_agg(t, ' ' ORDER BY t) FROM (SELECT DISTINCT t "
      "COLLATE \"C\" AS t FROM unnest(string_to_array(oauth2_consent.scope "
      "|| ' ' || EXCLUDED.scope, ' ')) AS t WHERE t <> '') AS u), "
      "updated_at = EXCLUDED.updated_at RETURNING 1), "
      "a AS (INSERT INTO oauth2_audit (at, actor, action, client_id, "
      "username, detail, ip) SELECT %s::bigint, %s, %s, %s, %s, %s, %s "
      "FROM c RETURNING 1), "
      /* the code of a code request (none for implicit: a NULL hash) */
      "k AS (INSERT INTO oauth2_code (" CODE_COLUMNS ") SELECT %s, %s, %s, "
      "%s, %s::boolean, %s, %s, %s, %s, %s::bigint, %s::bigint, %s, %s "
      "FROM n WHERE %s::text IS NOT NULL RETURNING 1) "
      "SELECT (SELECT count(*) FROM n), (SELECT count(*) FROM a), "
      "(SELECT count(*) FROM k)" },
    { Q_LIST_CONSENTS,
      "SELECT s.client_id, c.metadata->>'client_name', s.scope, "
      "s.created_at, s.updated_at FROM oauth2_consent s JOIN oauth2_client c "
      "USING (client_id) WHERE s.username = %s ORDER BY s.updated_at DESC "
      "LIMIT 500" },
    { Q_DELETE_CONSENT,
      "DELETE FROM oauth2_consent WHERE username = %s AND client_id = %s" },
    { Q_REVOKE_USER_REFRESH,
      "UPDATE oauth2_refresh_token SET revoked_at = %s::bigint "
      "WHERE username = %s AND client_id = %s AND revoked_at IS NULL" },
    { Q_INSERT_NONCE,
      "INSERT INTO oauth2_used_nonce (nonce, expires_at) VALUES (%s, "
      "%s::bigint) ON CONFLICT DO NOTHING" },
    { Q_INSERT_CODE,
      "INSERT INTO oauth2_code (" CODE_COLUMNS ") VALUES (%s, %s, %s, %s, "
      "%s::boolean, %s, %s, %s, %s, %s::bigint, %s::bigint, %s, %s)" },
    /* the code is used up and, for its own client and if unexpired, the
     * refresh token of the grant stored, in one statement */
    { Q_REDEEM_CODE,
      "WITH c AS (UPDATE oauth2_code SET used_at = %s::bigint "
      "WHERE code_hash = %s AND used_at IS NULL RETURNING " CODE_COLUMNS
      "), f AS (INSERT INTO oauth2_refresh_token (" REFRESH_COLUMNS ") "
      "SELECT %s, family_id, client_id, username, COALESCE(scope, ''), "
      "audience, %s::bigint, %s::bigint, NULL, NULL, access_jti, "
      "%s::bigint FROM c WHERE %s::text IS NOT NULL AND client_id = %s "
      "AND expires_at >= %s::bigint RETURNING 1) "
      "SELECT " CODE_COLUMNS ", (SELECT count(*) FROM f) FROM c" },
    { Q_SELECT_USED_CODE,
      "SELECT " CODE_COLUMNS " FROM oauth2_code WHERE code_hash = %s" },
    { Q_REVOKE_FAMILY,
      "UPDATE oauth2_refresh_token SET revoked_at = %s::bigint "
      "WHERE family_id = %s AND revoked_at IS NULL" },
    /* the access tokens a grant produced go with it: JWT ids onto the
     * deny-list, opaque tokens marked revoked */
    { Q_REVOKE_FAMILY_JTIS,
      "INSERT INTO oauth2_revoked_jti (jti, expires_at) SELECT access_jti, "
      "access_exp FROM oauth2_refresh_token WHERE family_id = %s AND "
      "access_jti IS NOT NULL AND access_exp > %s::bigint "
      "ON CONFLICT DO NOTHING" },
    { Q_REVOKE_FAMILY_ACCESS,
      "UPDATE oauth2_access_token SET revoked_at = %s::bigint "
      "WHERE family_id = %s AND revoked_at IS NULL" },
    { Q_REVOKE_USER_JTIS,
      "INSERT INTO oauth2_revoked_jti (jti, expires_at) SELECT access_jti, "
      "access_exp FROM oauth2_refresh_token WHERE username = %s AND "
      "client_id = %s AND access_jti IS NOT NULL AND access_exp > "
      "%s::bigint ON CONFLICT DO NOTHING" },
    { Q_REVOKE_USER_ACCESS,
      "UPDATE oauth2_access_token SET revoked_at = %s::bigint "
      "WHERE username = %s AND client_id = %s AND revoked_at IS NULL" },
    { Q_INSERT_REVOKED_JTI,
      "INSERT INTO oauth2_revoked_jti (jti, expires_at) VALUES (%s, "
      "%s::bigint) ON CONFLICT DO NOTHING" },
    { Q_INSERT_REFRESH,
      "INSERT INTO oauth2_refresh_token (" REFRESH_COLUMNS ") VALUES (%s, "
      "%s, %s, %s, %s, %s, %s::bigint, %s::bigint, NULL, NULL, %s, "
      "%s::bigint)" },
    { Q_DELETE_REFRESH,
      "DELETE FROM oauth2_refresh_token WHERE token_hash = %s" },
    { Q_SELECT_REFRESH,
      "SELECT " REFRESH_COLUMNS " FROM oauth2_refresh_token "
      "WHERE token_hash = %s" },
    { Q_INSERT_ACCESS,
      "INSERT INTO oauth2_access_token (" ACCESS_COLUMNS ") VALUES (%s, %s, "
      "%s, %s, %s, %s, %s::bigint, %s::bigint, NULL, %s)" },
    /* an opaque token of unknown kind in one round trip: a kind column,
     * then the columns of its table (as text, padded to 12) */
    { Q_SELECT_OPAQUE,
      "SELECT 'access', token_hash, jti, client_id, username, scope, "
      "audience, issued_at::text, expires_at::text, revoked_at::text, "
      "family_id, NULL, NULL FROM oauth2_access_token WHERE token_hash = %s "
      "UNION ALL SELECT 'refresh', token_hash, family_id, client_id, "
      "username, scope, audience, created_at::text, expires_at::text, "
      "rotated_at::text, revoked_at::text, access_jti, access_exp::text "
      "FROM oauth2_refresh_token WHERE token_hash = %s" },
    { Q_REVOKE_ACCESS,
      "UPDATE oauth2_access_token SET revoked_at = %s::bigint WHERE "
      "token_hash = %s AND client_id = %s AND revoked_at IS NULL" },
    { Q_SELECT_REVOKED_JTI,
      "SELECT 1 FROM oauth2_revoked_jti WHERE jti = %s" },
    { Q_SELECT_THROTTLE,
      "SELECT failures FROM oauth2_throttle WHERE key = %s "
      "AND window_start > %s::bigint" },
    { Q_UPSERT_THROTTLE,
      "INSERT INTO oauth2_throttle (key, failures, window_start) VALUES "
      "(%s, 1, %s::bigint) ON CONFLICT (key) DO UPDATE SET failures = "
      "CASE WHEN oauth2_throttle.window_start > %s::bigint THEN "
      "oauth2_throttle.failures + 1 ELSE 1 END, window_start = CASE WHEN "
      "oauth2_throttle.window_start > %s::bigint THEN "
      "oauth2_throttle.window_start ELSE EXCLUDED.window_start END" },
    { Q_DELETE_THROTTLE,
      "DELETE FROM oauth2_throttle WHERE key = %s" },
    /* strpos, not LIKE: the search text is data, never a pattern */
    { Q_LIST_CLIENTS,
      "SELECT client_id, secret_hash, registration_token_hash, "
      "metadata::text, enabled, created_at, updated_at, count(*) OVER () "
      "FROM oauth2_client WHERE %s = '' OR strpos(lower(client_id), "
      "lower(%s)) > 0 OR strpos(lower(coalesce(metadata->>'client_name', "
      "'')), lower(%s)) > 0 ORDER BY created_at DESC, client_id "
      "LIMIT %s::integer OFFSET %s::integer" },
    { Q_ENABLE_CLIENT,
      "UPDATE oauth2_client SET enabled = %s::boolean, updated_at = "
      "%s::bigint WHERE client_id = %s" },
    { Q_SECRET_CLIENT,
      "UPDATE oauth2_client SET secret_hash = %s, secret_rotated_at = "
      "%s::bigint, updated_at = %s::bigint WHERE client_id = %s" },
    { Q_CLIENT_CONSENTS,
      "SELECT username, scope, created_at, updated_at FROM oauth2_consent "
      "WHERE client_id = %s ORDER BY updated_at DESC LIMIT 500" },
    { Q_CLIENT_TOKENS,
      "SELECT 'refresh', token_hash, family_id, username, scope, "
      "created_at, expires_at FROM oauth2_refresh_token WHERE client_id = "
      "%s AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > "
      "%s::bigint UNION ALL SELECT 'access', token_hash, NULL, username, "
      "scope, issued_at, expires_at FROM oauth2_access_token WHERE "
      "client_id = %s AND revoked_at IS NULL AND expires_at > %s::bigint "
      "ORDER BY 6 DESC LIMIT 500" },
    { Q_INSERT_AUDIT,
      "INSERT INTO oauth2_audit (at, actor, action, client_id, username, "
      "detail, ip) VALUES (%s::bigint, %s, %s, %s, %s, %s, %s)" },
    { Q_LIST_AUDIT,
      "SELECT at, actor, action, client_id, username, detail, ip FROM "
      "oauth2_audit WHERE (%s = '' OR client_id = %s) AND (%s = '' OR "
      "username = %s OR actor = %s) ORDER BY at DESC, id DESC "
      "LIMIT %s::integer OFFSET %s::integer" },
    /* purging: codes are kept an hour after expiry so that a late replay
     * is still recognised as one */
    { Q_PURGE_CODES,
      "DELETE FROM oauth2_code WHERE expires_at < %s::bigint - 3600" },
    { Q_PURGE_REFRESH,
      "DELETE FROM oauth2_refresh_token WHERE expires_at < %s::bigint" },
    { Q_PURGE_ACCESS,
      "DELETE FROM oauth2_access_token WHERE expires_at < %s::bigint" },
    { Q_PURGE_NONCES,
      "DELETE FROM oauth2_used_nonce WHERE expires_at < %s::bigint" },
    { Q_PURGE_JTI,
      "DELETE FROM oauth2_revoked_jti WHERE expires_at < %s::bigint" },
    { Q_PURGE_THROTTLE,
      "DELETE FROM oauth2_throttle WHERE window_start < %s::bigint - 86400" },
    /* one statement, so atomic without BEGIN/COMMIT: the successor is
     * inserted only if this request is the one that rotated the token */
    { Q_ROTATE_REFRESH,
      "WITH old AS (UPDATE oauth2_refresh_token SET rotated_at = %s::bigint "
      "WHERE token_hash = %s AND rotated_at IS NULL AND revoked_at IS NULL "
      "RETURNING 1) "
      "INSERT INTO oauth2_refresh_token (" REFRESH_COLUMNS ") SELECT %s, "
      "%s, %s, %s, %s, %s, %s::bigint, %s::bigint, NULL, NULL, %s, "
      "%s::bigint FROM old" },
};

#define N_STATEMENTS (sizeof(statements) / sizeof(statements[0]))

apr_status_t oauth2_as_store_prepare(server_rec *s)
{
    apr_size_t i;

    dbd_prepare_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    dbd_open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    dbd_close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    if (dbd_prepare_fn == NULL || dbd_open_fn == NULL
        || dbd_close_fn == NULL) {
        return APR_EGENERAL;
    }
    for (i = 0; i < N_STATEMENTS; i++) {
        dbd_prepare_fn(s, statements[i].sql, statements[i].label);
    }
    return APR_SUCCESS;
}

/* This request's connection. Unlike ap_dbd_acquire(), which keeps it
 * until the request ends, it can be handed back early
 * (oauth2_as_store_release), so no connection waits while a token is
 * signed or a response is written. */
typedef struct {
    ap_dbd_t *dbd;
    server_rec *s;
} as_conn;

static apr_status_t conn_release(void *data)
{
    as_conn *c = data;

    if (c->dbd != NULL) {
        dbd_close_fn(c->s, c->dbd);
        c->dbd = NULL;
    }
    return APR_SUCCESS;
}

static ap_dbd_t *conn_get(request_rec *r)
{
    as_conn *c = ap_get_module_config(r->request_config, &oauth2_as_module);

    if (c == NULL) {
        c = apr_pcalloc(r->pool, sizeof(*c));
        c->s = r->server;
        ap_set_module_config(r->request_config, &oauth2_as_module, c);
        apr_pool_cleanup_register(r->pool, c, conn_release,
                                  apr_pool_cleanup_null);
    }
    if (c->dbd == NULL) {
        c->dbd = dbd_open_fn(r->pool, r->server);
    }
    return c->dbd;
}

void oauth2_as_store_release(request_rec *r)
{
    as_conn *c = ap_get_module_config(r->request_config, &oauth2_as_module);

    if (c != NULL) {
        conn_release(c);
    }
}

/* A connection and one prepared statement for this request. */
typedef struct {
    ap_dbd_t *dbd;
    apr_dbd_prepared_t *stmt;
} as_sql;

static apr_status_t sql_open(request_rec *r, const char *label, as_sql *q)
{
    if (oauth2_as_schema_ensure(r) != APR_SUCCESS) {
        return AS_STORE_EDB;
    }
    q->dbd = conn_get(r);
    if (q->dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10101)
                      "no database connection (is PostgreSQL up?)");
        return AS_STORE_EDB;
    }
    q->stmt = apr_hash_get(q->dbd->prepared, label, APR_HASH_KEY_STRING);
    if (q->stmt == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10102)
                      "statement %s is not prepared", label);
        return AS_STORE_EDB;
    }
    return APR_SUCCESS;
}

/* After PostgreSQL restarts, a pooled connection fails its first query;
 * apr_dbd_check_conn() then reconnects the same handle with PQreset(): a
 * new session, in which the statements mod_dbd prepared do not exist. So
 * after a failure: reconnect if needed, and try to prepare ours again. If
 * the first PREPARE succeeds the session was new (prepare them all; the
 * caller retries once); if it fails they were there, and the failure was
 * something else (or we are in an aborted transaction). */
static int recover(request_rec *r, as_sql *q, const char *label)
{
    apr_size_t i;

    if (apr_dbd_check_conn(q->dbd->driver, r->pool, q->dbd->handle)
        != APR_SUCCESS) {
        return 0;
    }
    for (i = 0; i < N_STATEMENTS; i++) {
        apr_dbd_prepared_t *stmt = NULL;
        if (apr_dbd_prepare(q->dbd->driver, q->dbd->pool, q->dbd->handle,
                            statements[i].sql, statements[i].label, &stmt)
            != 0) {
            return 0;
        }
        apr_hash_set(q->dbd->prepared, statements[i].label,
                     APR_HASH_KEY_STRING, stmt);
        if (strcmp(statements[i].label, label) == 0) {
            q->stmt = stmt;
        }
    }
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, OA2LOGNO(10106)
                  "statements prepared again on a reconnected database "
                  "session");
    return 1;
}

static apr_status_t sql_failed(request_rec *r, const as_sql *q,
                               const char *label, int rc)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10103)
                  "statement %s failed: %s", label,
                  apr_dbd_error(q->dbd->driver, q->dbd->handle, rc));
    return AS_STORE_EDB;
}

/* Runs a SELECT with string arguments and collects every row as an array
 * of column strings (NULL for SQL NULL). The result set is drained. */
static apr_status_t sql_select(request_rec *r, const char *label,
                               int ncols, apr_array_header_t **rows,
                               int nargs, const char **args)
{
    as_sql q;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = sql_open(r, label, &q);
    int rc, i;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rc = apr_dbd_pselect(q.dbd->driver, r->pool, q.dbd->handle, &res,
                         q.stmt, 1, nargs, args);
    if (rc != 0 && recover(r, &q, label)) {
        rc = apr_dbd_pselect(q.dbd->driver, r->pool, q.dbd->handle, &res,
                             q.stmt, 1, nargs, args);
    }
    if (rc != 0) {
        return sql_failed(r, &q, label, rc);
    }
    *rows = apr_array_make(r->pool, 1, sizeof(const char **));
    while (apr_dbd_get_row(q.dbd->driver, r->pool, res, &row, -1) == 0) {
        const char **cols = apr_pcalloc(r->pool, sizeof(char *) * ncols);
        for (i = 0; i < ncols; i++) {
            /* apr_dbd_get_entry() gives "" for NULL; datum_get tells them
             * apart. Copied: the driver frees the result at the end. */
            char *v = NULL;
            if (apr_dbd_datum_get(q.dbd->driver, row, i, APR_DBD_TYPE_STRING,
                                  &v) == APR_SUCCESS && v != NULL) {
                cols[i] = apr_pstrdup(r->pool, v);
            }
        }
        APR_ARRAY_PUSH(*rows, const char **) = cols;
    }
    return APR_SUCCESS;
}

/* The first row of a SELECT, or APR_NOTFOUND when there is none. */
static apr_status_t sql_select_one(request_rec *r, const char *label,
                                   int ncols, const char ***cols, int nargs,
                                   const char **args)
{
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, label, ncols, &rows, nargs, args);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts == 0) {
        return APR_NOTFOUND;
    }
    *cols = APR_ARRAY_IDX(rows, 0, const char **);
    return APR_SUCCESS;
}

/* Runs an INSERT/UPDATE/DELETE with string arguments. */
static apr_status_t sql_exec(request_rec *r, const char *label, int *nrows,
                             int nargs, const char **args)
{
    as_sql q;
    apr_status_t rv = sql_open(r, label, &q);
    int rc;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rc = apr_dbd_pquery(q.dbd->driver, r->pool, q.dbd->handle, nrows,
                        q.stmt, nargs, args);
    if (rc != 0 && recover(r, &q, label)) {
        rc = apr_dbd_pquery(q.dbd->driver, r->pool, q.dbd->handle, nrows,
                            q.stmt, nargs, args);
    }
    if (rc != 0) {
        return sql_failed(r, &q, label, rc);
    }
    return APR_SUCCESS;
}

static const char *i64(apr_pool_t *p, apr_int64_t v)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

static apr_int64_t to_i64(const char *s)
{
    return s ? apr_atoi64(s) : 0;
}

/* A client from the columns client_id .. updated_at (7 of them). */
static apr_status_t client_from_row(request_rec *r, const char **cols,
                                    oauth2_as_client_rec *c)
{
    c->client_id = cols[0];
    c->secret_hash = cols[1];
    c->registration_token_hash = cols[2];
    if (cols[3] == NULL
        || oa2_client_from_text(r->pool, cols[3], &c->meta) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10104)
                      "client %s has unreadable stored metadata", cols[0]);
        return AS_STORE_EDB;
    }
    c->enabled = cols[4] != NULL && strcmp(cols[4], "t") == 0;
    c->created_at = to_i64(cols[5]);
    c->updated_at = to_i64(cols[6]);
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_client_get(request_rec *r, const char *client_id,
                                        oauth2_as_client_rec **out)
{
    const char **cols;
    oauth2_as_client_rec *c;
    apr_status_t rv = sql_select_one(r, Q_SELECT_CLIENT, 7, &cols, 1,
                                     &client_id);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    c = apr_pcalloc(r->pool, sizeof(*c));
    rv = client_from_row(r, cols, c);
    if (rv == APR_SUCCESS) {
        *out = c;
    }
    return rv;
}

apr_status_t oauth2_as_store_client_auth_get(request_rec *r,
                                             const char *client_id,
                                             const char *client_key,
                                             const char *ip_key,
                                             apr_int64_t since,
                                             oauth2_as_client_rec **out,
                                             int *client_failures,
                                             int *ip_failures)
{
    const char *s = i64(r->pool, since);
    const char *args[5] = { client_id, client_key, s, ip_key, s };
    apr_array_header_t *rows;
    const char **cols;
    apr_status_t rv = sql_select(r, Q_AUTH_CLIENT, 9, &rows, 5, args);

    *out = NULL;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts != 1) {
        return AS_STORE_EDB;
    }
    cols = APR_ARRAY_IDX(rows, 0, const char **);
    *client_failures = cols[7] ? atoi(cols[7]) : 0;
    *ip_failures = cols[8] ? atoi(cols[8]) : 0;
    if (cols[0] != NULL) {
        *out = apr_pcalloc(r->pool, sizeof(**out));
        rv = client_from_row(r, cols, *out);
    }
    return rv;
}

apr_status_t oauth2_as_store_client_insert(request_rec *r,
                                           const oauth2_as_client_rec *c,
                                           const char *created_by)
{
    const char *args[7];
    int nrows = 0;
    apr_status_t rv;

    args[0] = c->client_id;
    args[1] = c->secret_hash;
    args[2] = c->registration_token_hash;
    args[3] = oa2_json_text(r->pool, oa2_client_to_json(r->pool, c->meta));
    args[4] = i64(r->pool, c->created_at);
    args[5] = i64(r->pool, c->updated_at);
    args[6] = created_by;
    rv = sql_exec(r, Q_INSERT_CLIENT, &nrows, 7, args);
    if (rv == APR_SUCCESS && nrows != 1) {
        return AS_STORE_EDB;
    }
    return rv;
}

apr_status_t oauth2_as_store_client_update(request_rec *r,
                                           const char *client_id,
                                           const oa2_client_t *meta)
{
    const char *args[3];
    int nrows = 0;
    apr_status_t rv;

    args[0] = oa2_json_text(r->pool, oa2_client_to_json(r->pool, meta));
    args[1] = i64(r->pool, oauth2_as_now());
    args[2] = client_id;
    rv = sql_exec(r, Q_UPDATE_CLIENT, &nrows, 3, args);
    oauth2_as_client_cache_drop(client_id, 1);
    if (rv == APR_SUCCESS && nrows == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

apr_status_t oauth2_as_store_client_delete(request_rec *r,
                                           const char *client_id)
{
    int nrows = 0;
    apr_status_t rv = sql_exec(r, Q_DELETE_CLIENT, &nrows, 1, &client_id);

    oauth2_as_client_cache_drop(client_id, 1);

    if (rv == APR_SUCCESS && nrows == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

/* ---- transactions ---------------------------------------------------- */

/* Starts a transaction on this request's connection. */
static apr_status_t tx_begin(request_rec *r, apr_dbd_transaction_t **tx)
{
    ap_dbd_t *dbd;

    if (oauth2_as_schema_ensure(r) != APR_SUCCESS
        || (dbd = conn_get(r)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10105)
                      "no database connection for a transaction");
        return AS_STORE_EDB;
    }
    *tx = NULL;
    if (apr_dbd_transaction_start(dbd->driver, r->pool, dbd->handle, tx)
        != 0) {
        return AS_STORE_EDB;
    }
    return APR_SUCCESS;
}

/* Commits when rv is APR_SUCCESS, else rolls back; returns rv (or
 * AS_STORE_EDB when the commit itself fails). */
static apr_status_t tx_end(request_rec *r, apr_dbd_transaction_t *tx,
                           apr_status_t rv)
{
    ap_dbd_t *dbd = conn_get(r);

    if (rv != APR_SUCCESS) {
        apr_dbd_transaction_mode_set(dbd->driver, tx,
                                     APR_DBD_TRANSACTION_ROLLBACK);
    }
    if (apr_dbd_transaction_end(dbd->driver, r->pool, tx) != 0
        && rv == APR_SUCCESS) {
        return AS_STORE_EDB;
    }
    return rv;
}

/* ---- consents ---------------------------------------------------------- */

apr_status_t oauth2_as_store_consent_get(request_rec *r, const char *user,
                                         const char *client_id,
                                         const char **scope)
{
    const char *args[2] = { user, client_id };
    const char **cols;
    apr_status_t rv = sql_select_one(r, Q_SELECT_CONSENT, 1, &cols, 2, args);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *scope = cols[0];
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_consent_list(request_rec *r, const char *user,
                                          apr_array_header_t **out)
{
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_LIST_CONSENTS, 5, &rows, 1, &user);
    int i;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(r->pool, rows->nelts ? rows->nelts : 1,
                          sizeof(oauth2_as_consent_rec));
    for (i = 0; i < rows->nelts; i++) {
        const char **cols = APR_ARRAY_IDX(rows, i, const char **);
        oauth2_as_consent_rec *c = apr_array_push(*out);
        c->client_id = cols[0];
        c->client_name = cols[1];
        c->scope = cols[2] ? cols[2] : "";
        c->created_at = to_i64(cols[3]);
        c->updated_at = to_i64(cols[4]);
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_consent_revoke(request_rec *r, const char *user,
                                            const char *client_id)
{
    const char *now = i64(r->pool, oauth2_as_now());
    const char *del[2] = { user, client_id };
    const char *rev[3] = { now, user, client_id };
    const char *jtis[3] = { user, client_id, now };
    apr_dbd_transaction_t *tx;
    int gone = 0, n = 0;
    apr_status_t rv = tx_begin(r, &tx);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = sql_exec(r, Q_DELETE_CONSENT, &gone, 2, del);
    if (rv == APR_SUCCESS) {
        rv = sql_exec(r, Q_REVOKE_USER_JTIS, &n, 3, jtis);
    }
    if (rv == APR_SUCCESS) {
        rv = sql_exec(r, Q_REVOKE_USER_ACCESS, &n, 3, rev);
    }
    if (rv == APR_SUCCESS) {
        rv = sql_exec(r, Q_REVOKE_USER_REFRESH, &n, 3, rev);
    }
    rv = tx_end(r, tx, rv);
    if (rv == APR_SUCCESS && gone == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

apr_status_t oauth2_as_store_nonce_use(request_rec *r, const char *nonce,
                                       apr_int64_t expires_at)
{
    const char *args[2] = { nonce, i64(r->pool, expires_at) };
    int nrows = 0;
    apr_status_t rv = sql_exec(r, Q_INSERT_NONCE, &nrows, 2, args);

    if (rv == APR_SUCCESS && nrows == 0) {
        return APR_EEXIST;
    }
    return rv;
}

/* ---- authorization codes ---------------------------------------------- */

/* The 13 values of CODE_COLUMNS. */
static void code_args(apr_pool_t *p, const oauth2_as_code_rec *c,
                      const char **args)
{
    args[0] = c->code_hash;
    args[1] = c->client_id;
    args[2] = c->username;
    args[3] = c->redirect_uri;
    args[4] = c->redirect_uri_given ? "true" : "false";
    args[5] = c->scope;
    args[6] = c->audience;
    args[7] = c->code_challenge;
    args[8] = c->code_challenge_method;
    args[9] = i64(p, c->created_at);
    args[10] = i64(p, c->expires_at);
    args[11] = c->family_id;
    args[12] = c->access_jti;
}

apr_status_t oauth2_as_store_code_insert(request_rec *r,
                                         const oauth2_as_code_rec *c)
{
    const char *args[13];
    int nrows = 0;

    code_args(r->pool, c, args);
    return sql_exec(r, Q_INSERT_CODE, &nrows, 13, args);
}

static oauth2_as_code_rec *code_from_row(apr_pool_t *p, const char **cols)
{
    oauth2_as_code_rec *c = apr_pcalloc(p, sizeof(*c));

    c->code_hash = cols[0];
    c->client_id = cols[1];
    c->username = cols[2];
    c->redirect_uri = cols[3];
    c->redirect_uri_given = cols[4] != NULL && strcmp(cols[4], "t") == 0;
    c->scope = cols[5] ? cols[5] : "";
    c->audience = cols[6];
    c->code_challenge = cols[7];
    c->code_challenge_method = cols[8];
    c->created_at = to_i64(cols[9]);
    c->expires_at = to_i64(cols[10]);
    c->family_id = cols[11];
    c->access_jti = cols[12];
    return c;
}

apr_status_t oauth2_as_store_code_redeem(request_rec *r,
                                         const char *code_hash,
                                         const char *client_id,
                                         apr_int64_t now,
                                         const oauth2_as_refresh_rec *refresh,
                                         oauth2_as_code_rec **out,
                                         int *replayed, int *stored)
{
    const char *at = i64(r->pool, now);
    const char *args[10] = { at, code_hash, NULL, NULL, NULL, NULL, NULL,
                             client_id, at };
    apr_array_header_t *rows;
    apr_status_t rv;

    if (refresh != NULL) {
        args[2] = refresh->token_hash;
        args[3] = i64(r->pool, refresh->created_at);
        args[4] = i64(r->pool, refresh->expires_at);
        args[5] = i64(r->pool, refresh->access_exp);
        args[6] = refresh->token_hash;
    }
    *replayed = 0;
    *stored = 0;
    rv = sql_select(r, Q_REDEEM_CODE, 14, &rows, 9, args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts == 1) {
        const char **cols = APR_ARRAY_IDX(rows, 0, const char **);
        *out = code_from_row(r->pool, cols);
        *stored = cols[13] != NULL && strcmp(cols[13], "1") == 0;
        return APR_SUCCESS;
    }
    rv = sql_select(r, Q_SELECT_USED_CODE, 13, &rows, 1, &code_hash);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts == 1) {
        *out = code_from_row(r->pool, APR_ARRAY_IDX(rows, 0, const char **));
        *replayed = 1;
    }
    return APR_NOTFOUND;
}

apr_status_t oauth2_as_store_grant_revoke(request_rec *r,
                                          const char *family_id,
                                          const char *jti,
                                          apr_int64_t jti_expires_at)
{
    const char *now = i64(r->pool, oauth2_as_now());
    const char *fam[2] = { now, family_id };
    const char *jtis[2] = { family_id, now };
    const char *deny[2] = { jti, i64(r->pool, jti_expires_at) };
    apr_dbd_transaction_t *tx;
    int nrows = 0;
    apr_status_t rv = tx_begin(r, &tx);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (family_id != NULL) {
        rv = sql_exec(r, Q_REVOKE_FAMILY_JTIS, &nrows, 2, jtis);
        if (rv == APR_SUCCESS) {
            rv = sql_exec(r, Q_REVOKE_FAMILY_ACCESS, &nrows, 2, fam);
        }
        if (rv == APR_SUCCESS) {
            rv = sql_exec(r, Q_REVOKE_FAMILY, &nrows, 2, fam);
        }
    }
    if (rv == APR_SUCCESS && jti != NULL) {
        rv = sql_exec(r, Q_INSERT_REVOKED_JTI, &nrows, 2, deny);
    }
    return tx_end(r, tx, rv);
}

/* ---- refresh tokens -------------------------------------------------- */

static const char **refresh_args(apr_pool_t *p,
                                 const oauth2_as_refresh_rec *t)
{
    const char **args = apr_palloc(p, 10 * sizeof(char *));

    args[0] = t->token_hash;
    args[1] = t->family_id;
    args[2] = t->client_id;
    args[3] = t->username;
    args[4] = t->scope;
    args[5] = t->audience;
    args[6] = i64(p, t->created_at);
    args[7] = i64(p, t->expires_at);
    args[8] = t->access_jti;
    args[9] = t->access_jti ? i64(p, t->access_exp) : NULL;
    return args;
}

apr_status_t oauth2_as_store_refresh_insert(request_rec *r,
                                            const oauth2_as_refresh_rec *t)
{
    int nrows = 0;

    return sql_exec(r, Q_INSERT_REFRESH, &nrows, 10,
                    refresh_args(r->pool, t));
}

apr_status_t oauth2_as_store_refresh_delete(request_rec *r,
                                            const char *token_hash)
{
    int nrows = 0;

    return sql_exec(r, Q_DELETE_REFRESH, &nrows, 1, &token_hash);
}

/* A row of REFRESH_COLUMNS. */
static oauth2_as_refresh_rec *refresh_of(apr_pool_t *p, const char **cols)
{
    oauth2_as_refresh_rec *t = apr_pcalloc(p, sizeof(*t));

    t->token_hash = cols[0];
    t->family_id = cols[1];
    t->client_id = cols[2];
    t->username = cols[3];
    t->scope = cols[4] ? cols[4] : "";
    t->audience = cols[5];
    t->created_at = to_i64(cols[6]);
    t->expires_at = to_i64(cols[7]);
    t->rotated_at = to_i64(cols[8]);
    t->revoked_at = to_i64(cols[9]);
    t->access_jti = cols[10];
    t->access_exp = to_i64(cols[11]);
    return t;
}

apr_status_t oauth2_as_store_refresh_get(request_rec *r,
                                         const char *token_hash,
                                         oauth2_as_refresh_rec **out)
{
    const char **cols;
    apr_status_t rv = sql_select_one(r, Q_SELECT_REFRESH, 12, &cols, 1,
                                     &token_hash);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = refresh_of(r->pool, cols);
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_refresh_rotate(request_rec *r,
                                            const char *old_hash,
                                            const oauth2_as_refresh_rec *neu)
{
    const char **args = apr_palloc(r->pool, 12 * sizeof(char *));
    int nrows = 0;
    apr_status_t rv;

    args[0] = i64(r->pool, oauth2_as_now());
    args[1] = old_hash;
    memcpy(args + 2, refresh_args(r->pool, neu), 10 * sizeof(char *));
    rv = sql_exec(r, Q_ROTATE_REFRESH, &nrows, 12, args);
    if (rv == APR_SUCCESS && nrows != 1) {
        /* not rotated by us: already rotated, or revoked meanwhile */
        rv = APR_EEXIST;
    }
    return rv;
}

/* ---- opaque access tokens and the jti deny-list ---------------------- */

apr_status_t oauth2_as_store_access_insert(request_rec *r,
                                           const oauth2_as_access_rec *t)
{
    const char *args[9];
    int nrows = 0;

    args[0] = t->token_hash;
    args[1] = t->jti;
    args[2] = t->client_id;
    args[3] = t->username;
    args[4] = t->scope;
    args[5] = t->audience;
    args[6] = i64(r->pool, t->issued_at);
    args[7] = i64(r->pool, t->expires_at);
    args[8] = t->family_id;
    return sql_exec(r, Q_INSERT_ACCESS, &nrows, 9, args);
}

/* A row of ACCESS_COLUMNS. */
static oauth2_as_access_rec *access_of(apr_pool_t *p, const char **cols)
{
    oauth2_as_access_rec *t = apr_pcalloc(p, sizeof(*t));

    t->token_hash = cols[0];
    t->jti = cols[1];
    t->client_id = cols[2];
    t->username = cols[3];
    t->scope = cols[4] ? cols[4] : "";
    t->audience = cols[5];
    t->issued_at = to_i64(cols[6]);
    t->expires_at = to_i64(cols[7]);
    t->revoked_at = to_i64(cols[8]);
    t->family_id = cols[9];
    return t;
}

apr_status_t oauth2_as_store_opaque_get(request_rec *r,
                                        const char *token_hash,
                                        oauth2_as_access_rec **access,
                                        oauth2_as_refresh_rec **refresh)
{
    const char *args[2] = { token_hash, token_hash };
    const char **cols;
    apr_status_t rv = sql_select_one(r, Q_SELECT_OPAQUE, 13, &cols, 2, args);

    *access = NULL;
    *refresh = NULL;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (strcmp(cols[0], "access") == 0) {
        *access = access_of(r->pool, cols + 1);
    }
    else {
        *refresh = refresh_of(r->pool, cols + 1);
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_access_revoke(request_rec *r,
                                           const char *token_hash,
                                           const char *client_id)
{
    const char *args[3] = { i64(r->pool, oauth2_as_now()), token_hash,
                            client_id };
    int nrows = 0;
    apr_status_t rv = sql_exec(r, Q_REVOKE_ACCESS, &nrows, 3, args);

    if (rv == APR_SUCCESS && nrows == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

apr_status_t oauth2_as_store_jti_revoked(request_rec *r, const char *jti)
{
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_SELECT_REVOKED_JTI, 1, &rows, 1, &jti);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    return rows->nelts > 0 ? APR_SUCCESS : APR_NOTFOUND;
}

/* ---- throttling -------------------------------------------------------- */

apr_status_t oauth2_as_store_throttle_get(request_rec *r, const char *key,
                                          apr_int64_t window, int *failures)
{
    const char *args[2] = { key, i64(r->pool, oauth2_as_now() - window) };
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_SELECT_THROTTLE, 1, &rows, 2, args);

    *failures = 0;
    if (rv == APR_SUCCESS && rows->nelts > 0) {
        const char *v = APR_ARRAY_IDX(rows, 0, const char **)[0];
        *failures = v ? atoi(v) : 0;
    }
    return rv;
}

apr_status_t oauth2_as_store_throttle_fail(request_rec *r, const char *key,
                                           apr_int64_t window)
{
    const char *since = i64(r->pool, oauth2_as_now() - window);
    const char *args[4] = { key, i64(r->pool, oauth2_as_now()), since,
                            since };
    int nrows = 0;

    return sql_exec(r, Q_UPSERT_THROTTLE, &nrows, 4, args);
}

apr_status_t oauth2_as_store_throttle_clear(request_rec *r, const char *key)
{
    int nrows = 0;

    return sql_exec(r, Q_DELETE_THROTTLE, &nrows, 1, &key);
}

/* ---- purging ------------------------------------------------------------ */

apr_status_t oauth2_as_store_purge(request_rec *r, int *deleted)
{
    static const char *const labels[] = {
        Q_PURGE_CODES, Q_PURGE_REFRESH, Q_PURGE_ACCESS, Q_PURGE_NONCES,
        Q_PURGE_JTI, Q_PURGE_THROTTLE, NULL
    };
    const char *now = i64(r->pool, oauth2_as_now());
    apr_dbd_transaction_t *tx = NULL;
    apr_status_t rv = tx_begin(r, &tx);
    int i, n;

    *deleted = 0;
    for (i = 0; rv == APR_SUCCESS && labels[i] != NULL; i++) {
        n = 0;
        rv = sql_exec(r, labels[i], &n, 1, &now);
        *deleted += n;
    }
    return tx == NULL ? rv : tx_end(r, tx, rv);
}

/* ---- administration ---------------------------------------------------- */

apr_status_t oauth2_as_store_client_list(request_rec *r, const char *query,
                                         int offset, int limit,
                                         apr_array_header_t **out,
                                         int *total)
{
    const char *args[5] = { query, query, query,
                            apr_itoa(r->pool, limit),
                            apr_itoa(r->pool, offset) };
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_LIST_CLIENTS, 8, &rows, 5, args);
    int i;

    *total = 0;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(r->pool, rows->nelts ? rows->nelts : 1,
                          sizeof(oauth2_as_client_rec));
    for (i = 0; i < rows->nelts; i++) {
        const char **cols = APR_ARRAY_IDX(rows, i, const char **);
        oauth2_as_client_rec *c = apr_array_push(*out);
        memset(c, 0, sizeof(*c));
        if (client_from_row(r, cols, c) != APR_SUCCESS) {
            return AS_STORE_EDB;
        }
        *total = cols[7] ? atoi(cols[7]) : 0;
    }
    return APR_SUCCESS;
}

static apr_status_t exec_one(request_rec *r, const char *label, int nargs,
                             const char **args)
{
    int nrows = 0;
    apr_status_t rv = sql_exec(r, label, &nrows, nargs, args);

    if (rv == APR_SUCCESS && nrows == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

apr_status_t oauth2_as_store_client_set_enabled(request_rec *r,
                                                const char *client_id,
                                                int enabled)
{
    const char *args[3] = { enabled ? "true" : "false",
                            i64(r->pool, oauth2_as_now()), client_id };
    apr_status_t rv = exec_one(r, Q_ENABLE_CLIENT, 3, args);

    oauth2_as_client_cache_drop(client_id, 1);
    return rv;
}

apr_status_t oauth2_as_store_client_set_secret(request_rec *r,
                                               const char *client_id,
                                               const char *secret_hash)
{
    const char *now = i64(r->pool, oauth2_as_now());
    const char *args[4] = { secret_hash, now, now, client_id };
    apr_status_t rv = exec_one(r, Q_SECRET_CLIENT, 4, args);

    oauth2_as_client_cache_drop(client_id, 1);
    return rv;
}

apr_status_t oauth2_as_store_client_consents(request_rec *r,
                                             const char *client_id,
                                             apr_array_header_t **out)
{
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_CLIENT_CONSENTS, 4, &rows, 1,
                                 &client_id);
    int i;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(r->pool, rows->nelts ? rows->nelts : 1,
                          sizeof(oauth2_as_consent_rec));
    for (i = 0; i < rows->nelts; i++) {
        const char **cols = APR_ARRAY_IDX(rows, i, const char **);
        oauth2_as_consent_rec *c = apr_array_push(*out);
        c->client_id = cols[0];
        c->client_name = NULL;
        c->scope = cols[1] ? cols[1] : "";
        c->created_at = to_i64(cols[2]);
        c->updated_at = to_i64(cols[3]);
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_client_tokens(request_rec *r,
                                           const char *client_id,
                                           apr_array_header_t **out)
{
    const char *now = i64(r->pool, oauth2_as_now());
    const char *args[4] = { client_id, now, client_id, now };
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_CLIENT_TOKENS, 7, &rows, 4, args);
    int i;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(r->pool, rows->nelts ? rows->nelts : 1,
                          sizeof(oauth2_as_live_token));
    for (i = 0; i < rows->nelts; i++) {
        const char **cols = APR_ARRAY_IDX(rows, i, const char **);
        oauth2_as_live_token *t = apr_array_push(*out);
        t->kind = cols[0];
        t->token_hash = cols[1];
        t->family_id = cols[2];
        t->username = cols[3];
        t->scope = cols[4] ? cols[4] : "";
        t->created_at = to_i64(cols[5]);
        t->expires_at = to_i64(cols[6]);
    }
    return APR_SUCCESS;
}

apr_status_t oauth2_as_store_consent_grant(request_rec *r,
                                           const char *nonce,
                                           apr_int64_t nonce_expiry,
                                           const char *user,
                                           const char *client_id,
                                           const char *scope,
                                           const oauth2_as_audit_rec *e,
                                           const oauth2_as_code_rec *code)
{
    const char *now = i64(r->pool, oauth2_as_now());
    const char *args[28] = { nonce, i64(r->pool, nonce_expiry), user,
                             client_id, scope, now, now,
                             i64(r->pool, e->at), e->actor, e->action,
                             e->client_id, e->username, e->detail, e->ip };
    const char **cols;
    apr_status_t rv;

    if (code != NULL) {
        code_args(r->pool, code, args + 14);
        args[27] = code->code_hash;
    }
    rv = sql_select_one(r, Q_GRANT_CONSENT, 3, &cols, 28, args);
    if (rv == APR_NOTFOUND) {
        return AS_STORE_EDB;            /* the SELECT always has a row */
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (strcmp(cols[0], "1") != 0) {
        return APR_EEXIST;
    }
    /* the nonce was new, so the code went in with it */
    return code == NULL || strcmp(cols[2], "1") == 0 ? APR_SUCCESS
                                                     : AS_STORE_EDB;
}

apr_status_t oauth2_as_store_audit_insert(request_rec *r,
                                          const oauth2_as_audit_rec *e)
{
    const char *args[7] = { i64(r->pool, e->at), e->actor, e->action,
                            e->client_id, e->username, e->detail, e->ip };
    int nrows = 0;

    return sql_exec(r, Q_INSERT_AUDIT, &nrows, 7, args);
}

apr_status_t oauth2_as_store_audit_list(request_rec *r, const char *client_id,
                                        const char *username, int offset,
                                        int limit, apr_array_header_t **out)
{
    const char *args[7] = { client_id, client_id, username, username,
                            username, apr_itoa(r->pool, limit),
                            apr_itoa(r->pool, offset) };
    apr_array_header_t *rows;
    apr_status_t rv = sql_select(r, Q_LIST_AUDIT, 7, &rows, 7, args);
    int i;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(r->pool, rows->nelts ? rows->nelts : 1,
                          sizeof(oauth2_as_audit_rec));
    for (i = 0; i < rows->nelts; i++) {
        const char **cols = APR_ARRAY_IDX(rows, i, const char **);
        oauth2_as_audit_rec *e = apr_array_push(*out);
        e->at = to_i64(cols[0]);
        e->actor = cols[1];
        e->action = cols[2];
        e->client_id = cols[3];
        e->username = cols[4];
        e->detail = cols[5];
        e->ip = cols[6];
    }
    return APR_SUCCESS;
}
