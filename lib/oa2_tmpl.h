/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_tmpl: fixed HTML templates with named placeholders, checked at load and filled with escaped values. */
#ifndef OA2_TMPL_H
#define OA2_TMPL_H

#include <apr_pools.h>
#include <apr_tables.h>

/* Placeholders:
 *   {{name}}    the value, HTML-escaped (text or double-quoted attribute)
 *   {{{name}}}  a fragment the module rendered itself from escaped values
 *               (lists, hidden inputs); never a value from a request
 */
typedef struct oa2_tmpl_t oa2_tmpl_t;

/**
 * Parses a template. Unknown placeholder names (not in `allowed`, a
 * NULL-terminated list) and unterminated placeholders are refused, so a
 * broken replacement template fails at startup, not in front of users.
 * @param p pool that owns the template
 * @param why on failure, the reason (from p)
 */
apr_status_t oa2_tmpl_parse(apr_pool_t *p, const char *text,
                            const char *const *allowed, oa2_tmpl_t **out,
                            const char **why);

/**
 * Fills a template. Missing values render as empty.
 * @param vars name -> value
 * @param p pool that owns the result
 */
const char *oa2_tmpl_render(apr_pool_t *p, const oa2_tmpl_t *t,
                            apr_table_t *vars);

#endif
