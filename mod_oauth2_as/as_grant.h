/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_grant: the grant handlers the token endpoint dispatches to. */
#ifndef AS_GRANT_H
#define AS_GRANT_H

#include <httpd.h>

#include "as_client_auth.h"

/** grant_type=client_credentials (RFC 6749 §4.4). */
int oauth2_as_grant_client_credentials(request_rec *r, apr_table_t *params,
                                       const oauth2_as_client_auth *auth);

/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636). */
int oauth2_as_grant_authorization_code(request_rec *r, apr_table_t *params,
                                       const oauth2_as_client_auth *auth);

/** grant_type=refresh_token (RFC 6749 §6), with rotation. */
int oauth2_as_grant_refresh_token(request_rec *r, apr_table_t *params,
                                  const oauth2_as_client_auth *auth);

#endif
