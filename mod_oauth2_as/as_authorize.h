/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_authorize: the authorization request (RFC 6749 §4.1.1, §4.2.1) as the endpoint and the consent page share it. */
#ifndef AS_AUTHORIZE_H
#define AS_AUTHORIZE_H

#include <httpd.h>

#include "as_store.h"
#include "oa2_error.h"
#include "oa2_scope.h"

/** A validated authorization request. */
typedef struct oauth2_as_authz_req {
    apr_table_t *params;
    const char *user;                   /* r->user: the resource owner */
    oauth2_as_client_rec *client;
    const char *redirect_uri;           /* the one to use */
    int redirect_given;                 /* the request named it */
    int implicit;                       /* response_type=token */
    int fragment;                       /* response_mode=fragment */
    oa2_scope_t *scope;
    const char *state;
    const char *code_challenge;
    const char *code_challenge_method;
    const char *prompt;                 /* none, consent, login or NULL */
    const char *audience;
} oauth2_as_authz_req;

/**
 * Sends the user back to the client with an error (query or fragment,
 * with state and iss).
 */
int oauth2_as_authz_redirect_error(request_rec *r,
                                   const oauth2_as_authz_req *q,
                                   const oa2_err_t *err);

/**
 * Completes an allowed request: issues the code (or, implicit, the token)
 * and redirects to the client.
 */
int oauth2_as_authz_grant(request_rec *r, const oauth2_as_authz_req *q);

/**
 * A new authorization code for an allowed code request, bound to
 * everything the request said; not stored yet.
 * @param code the code itself (c holds only its hash)
 * @return APR_SUCCESS, or APR_EGENERAL when no random bytes could be had
 */
apr_status_t oauth2_as_authz_code_new(request_rec *r,
                                      const oauth2_as_authz_req *q,
                                      oauth2_as_code_rec *c,
                                      const char **code);

/** Sends the user back to the client with a stored code. */
int oauth2_as_authz_code_redirect(request_rec *r,
                                  const oauth2_as_authz_req *q,
                                  const char *code);

/* ---- as_consent.c ---- */

/** Sends the consent page for a validated request. */
int oauth2_as_consent_show(request_rec *r, const oauth2_as_authz_req *q);

/**
 * Handles the consent form's POST: checks the CSRF token (bound to the
 * user and the request, single use), then allows or denies.
 */
int oauth2_as_consent_decide(request_rec *r, const oauth2_as_authz_req *q);

#endif
