/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_admin: what the admin pages share: layout with navigation, CSRF for forms, small HTML helpers. */
#ifndef AS_ADMIN_H
#define AS_ADMIN_H

#include <httpd.h>

#include "as_store.h"

/** Sends an admin page: navigation, a title and the body (escaped HTML). */
int oauth2_as_admin_page(request_rec *r, int status, const char *title,
                         const char *body);

/** Sends an admin error page (message escaped here). */
int oauth2_as_admin_error(request_rec *r, int status, const char *message);

/**
 * A <form method="post"> opening tag for `action` (a path under the admin
 * base) with its CSRF token, bound to the admin and the action.
 */
const char *oauth2_as_admin_form(request_rec *r, const char *action,
                                 const char *attrs);

/**
 * Checks the CSRF token of a POST to this URI (single use).
 * @return APR_SUCCESS, APR_EINVAL (refused, logged as a security event),
 *         or AS_STORE_EDB
 */
apr_status_t oauth2_as_admin_check_csrf(request_rec *r, apr_table_t *params);

/** @return the admin base URL path ("/oauth2/admin") */
const char *oauth2_as_admin_base(request_rec *r);

/** @return a date as text ("2026-11-27 21:53 UTC") */
const char *oauth2_as_admin_date(apr_pool_t *p, apr_int64_t t);

/** Redirects (303) after a successful POST. */
int oauth2_as_admin_redirect(request_rec *r, const char *path);

/* ---- as_admin_client.c ---- */

/** Everything under admin/clients/... */
int oauth2_as_admin_clients(request_rec *r, const char *rest);

/* ---- as_admin_form.c ---- */

/** A client form's fields as posted, and the errors per field. */
typedef struct oauth2_as_admin_form_t {
    apr_table_t *params;
    apr_table_t *errors;          /* field name -> message */
    oa2_client_t *meta;           /* when valid */
} oauth2_as_admin_form_t;

/**
 * Validates a posted client form: builds the RFC 7591 metadata from the
 * fields and runs the same validation as the registration endpoint.
 * @return APR_SUCCESS (f->meta set) or APR_EINVAL (f->errors filled)
 */
apr_status_t oauth2_as_admin_form_read(request_rec *r, apr_table_t *params,
                                       oauth2_as_admin_form_t *f);

/**
 * The form's fields, filled from a client (edit), or from what was posted
 * (after an error), or empty (new).
 */
const char *oauth2_as_admin_form_fields(request_rec *r,
                                        const oa2_client_t *from,
                                        const oauth2_as_admin_form_t *posted);

#endif
