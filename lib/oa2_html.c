/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_html: escaping for HTML text and double-quoted attribute values. */
#include <string.h>
#include <apr_strings.h>

#include "oa2_html.h"

static const char *entity(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

const char *oa2_html_escape(apr_pool_t *p, const char *s)
{
    apr_size_t extra = 0, i, len;
    char *out, *o;

    if (s == NULL) {
        return "";
    }
    len = strlen(s);
    for (i = 0; i < len; i++) {
        const char *e = entity(s[i]);
        if (e != NULL) {
            extra += strlen(e) - 1;
        }
    }
    if (extra == 0) {
        return s;
    }
    out = o = apr_palloc(p, len + extra + 1);
    for (i = 0; i < len; i++) {
        const char *e = entity(s[i]);
        if (e != NULL) {
            apr_size_t n = strlen(e);
            memcpy(o, e, n);
            o += n;
        }
        else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}
