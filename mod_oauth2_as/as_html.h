/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_html: what every HTML page of the AS shares: security headers, layout, error pages, the stylesheet. */
#ifndef AS_HTML_H
#define AS_HTML_H

#include <httpd.h>

#include "oa2_tmpl.h"

/**
 * Sets the headers of every HTML page: text/html; charset=utf-8,
 * Cache-Control: no-store, X-Frame-Options: DENY, a CSP with
 * frame-ancestors 'none', Referrer-Policy: no-referrer.
 * @param img_src an extra origin allowed for images (a client logo), or
 *        NULL
 */
void oauth2_as_html_headers(request_rec *r, const char *img_src);

/**
 * Sends a page: the layout around `body` (already escaped HTML).
 * @return OK
 */
int oauth2_as_html_page(request_rec *r, int status, const char *title,
                        const char *body);

/**
 * Sends an error page; title and message are escaped here.
 * @return OK
 */
int oauth2_as_html_error(request_rec *r, int status, const char *title,
                         const char *message);

/** Serves the module's stylesheet (GET <base>/static/oauth2.css). */
int oauth2_as_static_handle(request_rec *r, const char *name);

/**
 * The hidden inputs of a form, escaped, from a NULL-terminated list of
 * name/value pairs (NULL values skipped).
 */
const char *oauth2_as_html_hidden(apr_pool_t *p, const char *const *pairs);

/**
 * Loads and checks a consent template (OAuthASConsentTemplate).
 * @param why on failure, the reason
 */
apr_status_t oauth2_as_consent_template_load(apr_pool_t *p, const char *path,
                                             oa2_tmpl_t **out,
                                             const char **why);

/** @return the built-in consent template, parsed once per process */
const oa2_tmpl_t *oauth2_as_consent_template_default(apr_pool_t *pconf);

#endif
