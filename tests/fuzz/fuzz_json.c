/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* fuzz_json: JSON request bodies: oa2_json_parse and the typed getters on
 * any text, oa2_client_validate on objects (RFC 7591 registration
 * metadata); what validates must serialise (oa2_client_to_json) and read
 * back (oa2_client_from_text) to the same client.
 * Input: the body, as is. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "harness.h"
#include "oa2_client.h"
#include "oa2_json.h"
#include "oa2_scope.h"

static oa2_scope_t *declared;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init();
    if (oa2_scope_parse(fz_global_pool(),
                        "openid profile email read write admin offline_access",
                        &declared) != APR_SUCCESS) {
        fz_fail("fixed scope", __FILE__, __LINE__);
    }
    return 0;
}

static int same_strings(const apr_array_header_t *a,
                        const apr_array_header_t *b)
{
    int i, na = a ? a->nelts : 0, nb = b ? b->nelts : 0;

    if (na != nb) {
        return 0;
    }
    for (i = 0; i < na; i++) {
        if (strcmp(APR_ARRAY_IDX(a, i, const char *),
                   APR_ARRAY_IDX(b, i, const char *)) != 0) {
            return 0;
        }
    }
    return 1;
}

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL)
           || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void check_client(apr_pool_t *p, const oa2_client_t *c)
{
    json_object *stored = oa2_client_to_json(p, c);
    const char *text;
    oa2_client_t *again = NULL;

    FZ_ASSERT(c->auth_method != NULL && c->scope != NULL
              && c->redirect_uris != NULL);
    FZ_ASSERT(oa2_scope_count(c->scope) <= OA2_SCOPE_MAX_TOKENS);
    FZ_ASSERT(stored != NULL);
    text = oa2_json_text(p, stored);
    FZ_ASSERT(oa2_client_from_text(p, text, &again) == APR_SUCCESS);
    FZ_ASSERT(again->grant_types == c->grant_types);
    FZ_ASSERT(again->response_types == c->response_types);
    FZ_ASSERT(strcmp(again->auth_method, c->auth_method) == 0);
    FZ_ASSERT(strcmp(oa2_scope_join(p, again->scope),
                     oa2_scope_join(p, c->scope)) == 0);
    FZ_ASSERT(same_strings(again->redirect_uris, c->redirect_uris));
    FZ_ASSERT(same_strings(again->contacts, c->contacts));
    FZ_ASSERT(same_str(again->client_name, c->client_name));
    FZ_ASSERT(same_str(again->jwks_uri, c->jwks_uri));
    FZ_ASSERT(same_str(again->logo_uri, c->logo_uri));
    FZ_ASSERT(same_str(again->client_uri, c->client_uri));
    FZ_ASSERT((again->jwks == NULL) == (c->jwks == NULL));
    FZ_ASSERT(again->require_pkce == c->require_pkce);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fz_pool();
    char *text = fz_exact(data, size);
    json_object *obj = NULL;
    oa2_client_t *c = NULL;
    oa2_err_t err;
    apr_int64_t n;
    const char *out;
    json_object *again = NULL;

    if (oa2_json_parse(p, text, size, &obj) != APR_SUCCESS) {
        FZ_ASSERT(obj == NULL);
        fz_debug("not JSON");
        goto done;
    }
    FZ_ASSERT(obj != NULL);
    FZ_ASSERT(oa2_utf8_valid(text, size));
    /* what we serialise must parse again */
    out = oa2_json_text(p, obj);
    FZ_ASSERT(oa2_json_parse(p, out, strlen(out), &again) == APR_SUCCESS);
    if (!json_object_is_type(obj, json_type_object)) {
        goto done;
    }
    (void)oa2_json_get_string(obj, "client_name");
    (void)oa2_json_get_int64(obj, "exp", &n);
    (void)oa2_json_get_typed(obj, "redirect_uris", json_type_array);
    (void)oa2_json_quote(p, oa2_json_get_string(obj, "scope"));

    /* as an open registration: every grant the server knows, scopes
     * declared; then as an operator's stored client (no registry) */
    memset(&err, 0, sizeof(err));
    if (oa2_client_validate(p, obj, ~0u, declared, &c, &err)
        == APR_SUCCESS) {
        check_client(p, c);
    }
    else {
        FZ_ASSERT(err.error != NULL && err.status == 400);
    }
    fz_debug("open registration: %s", err.error ? err.description : "ok");
    memset(&err, 0, sizeof(err));
    if (oa2_client_validate(p, obj, OA2_GRANT_DEFAULTS, NULL, &c, &err)
        == APR_SUCCESS) {
        FZ_ASSERT((c->grant_types & ~OA2_GRANT_DEFAULTS) == 0);
        check_client(p, c);
    }
    else {
        FZ_ASSERT(err.error != NULL && err.status == 400);
    }
    fz_debug("default grants: %s", err.error ? err.description : "ok");
done:
    free(text);
    fz_pool_done(p);
    return 0;
}
