/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_html: escaping for HTML text and double-quoted attribute values. */
#ifndef OA2_HTML_H
#define OA2_HTML_H

#include <apr_pools.h>

/**
 * Escapes & < > " ' so that s is inert in element text and in
 * double- or single-quoted attributes. UTF-8 passes unchanged.
 * @param p pool that owns the result (s itself when nothing needs escaping)
 */
const char *oa2_html_escape(apr_pool_t *p, const char *s);

#endif
