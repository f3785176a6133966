/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_tmpl: fixed HTML templates with named placeholders, checked at load and filled with escaped values. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "oa2_html.h"
#include "oa2_tmpl.h"

typedef struct {
    const char *text;    /* literal text, or the placeholder name */
    int kind;            /* 0 literal, 1 escaped value, 2 raw fragment */
} segment;

struct oa2_tmpl_t {
    apr_array_header_t *segments;
};

static int name_allowed(const char *name, const char *const *allowed)
{
    for (; *allowed != NULL; allowed++) {
        if (strcmp(name, *allowed) == 0) {
            return 1;
        }
    }
    return 0;
}

apr_status_t oa2_tmpl_parse(apr_pool_t *p, const char *text,
                            const char *const *allowed, oa2_tmpl_t **out,
                            const char **why)
{
    oa2_tmpl_t *t = apr_palloc(p, sizeof(*t));
    const char *c = text;

    t->segments = apr_array_make(p, 16, sizeof(segment));
    while (*c) {
        const char *open = strstr(c, "{{");
        segment *s;
        int raw;
        const char *name, *end;
        if (open == NULL) {
            open = c + strlen(c);
        }
        if (open > c) {
            s = apr_array_push(t->segments);
            s->text = apr_pstrmemdup(p, c, (apr_size_t)(open - c));
            s->kind = 0;
        }
        if (*open == '\0') {
            break;
        }
        raw = open[2] == '{';
        name = open + (raw ? 3 : 2);
        end = strstr(name, raw ? "}}}" : "}}");
        if (end == NULL) {
            *why = "unterminated placeholder";
            return APR_EINVAL;
        }
        s = apr_array_push(t->segments);
        s->text = apr_pstrmemdup(p, name, (apr_size_t)(end - name));
        s->kind = raw ? 2 : 1;
        if (!name_allowed(s->text, allowed)) {
            *why = apr_psprintf(p, "unknown placeholder {{%s}}", s->text);
            return APR_EINVAL;
        }
        c = end + (raw ? 3 : 2);
    }
    *out = t;
    return APR_SUCCESS;
}

const char *oa2_tmpl_render(apr_pool_t *p, const oa2_tmpl_t *t,
                            apr_table_t *vars)
{
    apr_array_header_t *parts = apr_array_make(p, t->segments->nelts,
                                               sizeof(const char *));
    int i;

    for (i = 0; i < t->segments->nelts; i++) {
        const segment *s = &APR_ARRAY_IDX(t->segments, i, segment);
        const char *v = s->text;
        if (s->kind != 0) {
            v = apr_table_get(vars, s->text);
            if (v == NULL) {
                v = "";
            }
            else if (s->kind == 1) {
                v = oa2_html_escape(p, v);
            }
        }
        APR_ARRAY_PUSH(parts, const char *) = v;
    }
    return apr_array_pstrcat(p, parts, 0);
}
