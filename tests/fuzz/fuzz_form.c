/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_form: application/x-www-form-urlencoded bodies and query strings:
 * oa2_form_parse, oa2_form_decode, oa2_form_redact. What parses must
 * re-encode (oa2_form_encode) and parse again to the same table.
 * Input: byte 0 picks the parameter name oa2_form_redact removes; the rest
 * is the body (NUL bytes included). */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "harness.h"
#include "oa2_form.h"
#include "oa2_json.h"

static const char *const REDACT[] = {
    "access_token", "code", "client_secret", "password", "refresh_token",
    "a", "token", "state"
};
#define N_REDACT (sizeof(REDACT) / sizeof(REDACT[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    return 0;
}

typedef struct {
    apr_pool_t *p;
    apr_table_t *other;
    const char *body;
} table_walk;

static int encode_one(void *baton, const char *key, const char *value)
{
    table_walk *w = baton;

    w->body = apr_pstrcat(w->p, w->body, *w->body ? "&" : "",
                          oa2_form_encode(w->p, key), "=",
                          oa2_form_encode(w->p, value), NULL);
    return 1;
}

static int same_one(void *baton, const char *key, const char *value)
{
    table_walk *w = baton;
    const char *v = apr_table_get(w->other, key);

    FZ_ASSERT(v != NULL && strcmp(v, value) == 0);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    const char *name;
    char *body, *cstr, *dec = NULL;
    apr_table_t *t = NULL, *again = NULL;
    oa2_err_t err;
    const char *red;

    if (size == 0) {
        fz_pool_done(p);
        return 0;
    }
    name = REDACT[data[0] % N_REDACT];
    body = fz_exact(data + 1, size - 1);
    cstr = fz_memdup(data + 1, strnlen((const char *)data + 1, size - 1));

    memset(&err, 0, sizeof(err));
    if (oa2_form_parse(p, body, size - 1, &t, &err) == APR_SUCCESS) {
        table_walk w = { p, NULL, "" };
        const apr_array_header_t *arr = apr_table_elts(t);
        FZ_ASSERT(arr->nelts <= OA2_FORM_MAX_PARAMS);
        apr_table_do(encode_one, &w, t, NULL);
        FZ_ASSERT(oa2_form_parse(p, w.body, strlen(w.body), &again, &err)
                  == APR_SUCCESS);
        FZ_ASSERT(apr_table_elts(again)->nelts == arr->nelts);
        w.other = again;
        apr_table_do(same_one, &w, t, NULL);
    }
    else {
        FZ_ASSERT(err.error != NULL && err.status == 400);
    }

    if (oa2_form_decode(p, body, size - 1, &dec) == APR_SUCCESS) {
        FZ_ASSERT(strlen(dec) <= size - 1);
        FZ_ASSERT(oa2_utf8_valid(dec, strlen(dec)));
    }

    red = oa2_form_redact(p, cstr, name);
    FZ_ASSERT(red != NULL);
    if (red == cstr) {
        /* unchanged: nothing to redact */
        FZ_ASSERT(strcmp(red, cstr) == 0);
    }
    FZ_ASSERT(oa2_form_redact(p, NULL, name) == NULL);
    free(body);
    free(cstr);
    fz_pool_done(p);
    return 0;
}
