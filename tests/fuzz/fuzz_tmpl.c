/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_tmpl: HTML templates: oa2_tmpl_parse of a replacement template,
 * oa2_tmpl_render with values (HTML-escaped where {{name}}).
 * Input: template NUL value NUL value ...: the values go to the allowed
 * names in order. */
#include <stdlib.h>
#include <string.h>
#include <apr_tables.h>

#include "harness.h"
#include "oa2_html.h"
#include "oa2_tmpl.h"

/* the names of the consent page (consent_names, mod_oauth2_as/as_html.c) */
static const char *const NAMES[] = {
    "client_name", "logo", "scopes", "action", "hidden", "csrf", "user",
    "stylesheet", "client_uri", NULL
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    fz_fields_t f;
    oa2_tmpl_t *t = NULL;
    const char *why = NULL, *out;
    apr_table_t *vars = apr_table_make(p, 8);
    int i;

    fz_split(data, size, 10, &f);
    for (i = 1; i < f.n && NAMES[i - 1] != NULL; i++) {
        apr_table_setn(vars, NAMES[i - 1], f.f[i]);
        /* escaped text has no markup left */
        out = oa2_html_escape(p, f.f[i]);
        FZ_ASSERT(strpbrk(out, "<>\"'") == NULL);
    }
    if (oa2_tmpl_parse(p, fz_field(&f, 0, ""), NAMES, &t, &why)
        == APR_SUCCESS) {
        out = oa2_tmpl_render(p, t, vars);
        FZ_ASSERT(out != NULL);
        /* with no values, the output is the template's literal text:
         * never longer than the template */
        FZ_ASSERT(strlen(oa2_tmpl_render(p, t, apr_table_make(p, 1)))
                  <= strlen(fz_field(&f, 0, "")));
    }
    else {
        FZ_ASSERT(why != NULL);
    }
    fz_fields_free(&f);
    fz_pool_done(p);
    return 0;
}
