/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_grant: the grant handlers the token endpoint dispatches to. */
#ifndef AS_GRANT_H
#define AS_GRANT_H

#include <httpd.h>

#include "as_client_auth.h"
#include "as_issue.h"

/** grant_type=client_credentials (RFC 6749 §4.4). */
int oauth2_as_grant_client_credentials(request_rec *r, apr_table_t *params,
                                       const oauth2_as_client_auth *auth);

/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636). */
int oauth2_as_grant_authorization_code(request_rec *r, apr_table_t *params,
                                       const oauth2_as_client_auth *auth);

/** grant_type=refresh_token (RFC 6749 §6), with rotation. */
int oauth2_as_grant_refresh_token(request_rec *r, apr_table_t *params,
                                  const oauth2_as_client_auth *auth);

/** grant_type=password (RFC 6749 §4.3). */
int oauth2_as_grant_password(request_rec *r, apr_table_t *params,
                             const oauth2_as_client_auth *auth);

/** grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer (RFC 7523). */
int oauth2_as_grant_jwt_bearer(request_rec *r, apr_table_t *params,
                               const oauth2_as_client_auth *auth);

/** grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer (RFC 7522). */
int oauth2_as_grant_saml2_bearer(request_rec *r, apr_table_t *params,
                                 const oauth2_as_client_auth *auth);

/**
 * Creates a refresh token for a grant when the client and the server allow
 * refresh tokens; *token stays NULL otherwise. Nothing is stored yet.
 * @param family_id the family it belongs to
 */
apr_status_t oauth2_as_new_refresh(request_rec *r, const oauth2_as_grant *g,
                                   const char *family_id, const char **token,
                                   oauth2_as_refresh_rec *rec);

#endif
