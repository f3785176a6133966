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
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire_fn;

/* Labels: oauth2_as_<verb>_<noun> (STYLE.md §2). */
#define Q_SELECT_CLIENT "oauth2_as_select_client"
#define Q_INSERT_CLIENT "oauth2_as_insert_client"
#define Q_UPDATE_CLIENT "oauth2_as_update_client"
#define Q_DELETE_CLIENT "oauth2_as_delete_client"

static const struct {
    const char *label;
    const char *sql;
} statements[] = {
    { Q_SELECT_CLIENT,
      "SELECT client_id, secret_hash, registration_token_hash, "
      "metadata::text, enabled, created_at, updated_at "
      "FROM oauth2_client WHERE client_id = %s" },
    { Q_INSERT_CLIENT,
      "INSERT INTO oauth2_client (client_id, secret_hash, "
      "registration_token_hash, metadata, created_at, updated_at, "
      "created_by) VALUES (%s, %s, %s, %s::jsonb, %s::bigint, %s::bigint, %s)" },
    { Q_UPDATE_CLIENT,
      "UPDATE oauth2_client SET metadata = %s::jsonb, updated_at = "
      "%s::bigint WHERE client_id = %s" },
    { Q_DELETE_CLIENT,
      "DELETE FROM oauth2_client WHERE client_id = %s" },
};

#define N_STATEMENTS (sizeof(statements) / sizeof(statements[0]))

apr_status_t oauth2_as_store_prepare(server_rec *s)
{
    apr_size_t i;

    dbd_prepare_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    dbd_acquire_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (dbd_prepare_fn == NULL || dbd_acquire_fn == NULL) {
        return APR_EGENERAL;
    }
    for (i = 0; i < N_STATEMENTS; i++) {
        dbd_prepare_fn(s, statements[i].sql, statements[i].label);
    }
    return APR_SUCCESS;
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
    q->dbd = dbd_acquire_fn(r);
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
    if (rc != 0) {
        return sql_failed(r, &q, label, rc);
    }
    *rows = apr_array_make(r->pool, 1, sizeof(const char **));
    while (apr_dbd_get_row(q.dbd->driver, r->pool, res, &row, -1) == 0) {
        const char **cols = apr_pcalloc(r->pool, sizeof(char *) * ncols);
        for (i = 0; i < ncols; i++) {
            /* copied: the driver frees the result when the rows run out */
            const char *v = apr_dbd_get_entry(q.dbd->driver, row, i);
            cols[i] = v ? apr_pstrdup(r->pool, v) : NULL;
        }
        APR_ARRAY_PUSH(*rows, const char **) = cols;
    }
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

apr_status_t oauth2_as_store_client_get(request_rec *r, const char *client_id,
                                        oauth2_as_client_rec **out)
{
    apr_array_header_t *rows;
    const char **cols;
    oauth2_as_client_rec *c;
    apr_status_t rv = sql_select(r, Q_SELECT_CLIENT, 7, &rows, 1,
                                 &client_id);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts == 0) {
        return APR_NOTFOUND;
    }
    cols = APR_ARRAY_IDX(rows, 0, const char **);
    c = apr_pcalloc(r->pool, sizeof(*c));
    c->client_id = cols[0];
    c->secret_hash = cols[1];
    c->registration_token_hash = cols[2];
    if (cols[3] == NULL
        || oa2_client_from_text(r->pool, cols[3], &c->meta) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA2LOGNO(10104)
                      "client %s has unreadable stored metadata", client_id);
        return AS_STORE_EDB;
    }
    c->enabled = cols[4] != NULL && strcmp(cols[4], "t") == 0;
    c->created_at = to_i64(cols[5]);
    c->updated_at = to_i64(cols[6]);
    *out = c;
    return APR_SUCCESS;
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

    if (rv == APR_SUCCESS && nrows == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}
