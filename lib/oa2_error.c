/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_error: RFC 6749/6750/7591 errors as values, and the response shapes built from them. */
#include <string.h>
#include <apr_strings.h>

#include "oa2_error.h"
#include "oa2_form.h"
#include "oa2_json.h"

int oa2_err_set(oa2_err_t *err, int status, const char *error,
                const char *description)
{
    if (err != NULL) {
        err->status = status;
        err->error = error;
        err->description = description;
    }
    return APR_EINVAL;
}

const char *oa2_error_json(apr_pool_t *p, const oa2_err_t *err)
{
    if (err->description != NULL) {
        return apr_pstrcat(p, "{\"error\":", oa2_json_quote(p, err->error),
                           ",\"error_description\":",
                           oa2_json_quote(p, err->description), "}", NULL);
    }
    return apr_pstrcat(p, "{\"error\":", oa2_json_quote(p, err->error), "}",
                       NULL);
}

/* A quoted-string (RFC 7230 §3.2.6) with the characters RFC 6750 §3 allows:
 * %x20-21 / %x23-5B / %x5D-7E. Anything else is dropped, so a description
 * can never break the header. */
static const char *challenge_quote(apr_pool_t *p, const char *s)
{
    apr_size_t len = strlen(s), i;
    char *out = apr_palloc(p, len + 3), *o = out;

    *o++ = '"';
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B)
            || (c >= 0x5D && c <= 0x7E)) {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

const char *oa2_error_bearer_challenge(apr_pool_t *p, const char *realm,
                                       const oa2_err_t *err,
                                       const char *scope)
{
    const char *v = apr_pstrcat(p, "Bearer realm=",
                                challenge_quote(p, realm ? realm : ""),
                                NULL);

    if (err != NULL && err->error != NULL) {
        v = apr_pstrcat(p, v, ", error=", challenge_quote(p, err->error),
                        NULL);
        if (err->description != NULL) {
            v = apr_pstrcat(p, v, ", error_description=",
                            challenge_quote(p, err->description), NULL);
        }
    }
    if (scope != NULL && *scope) {
        v = apr_pstrcat(p, v, ", scope=", challenge_quote(p, scope), NULL);
    }
    return v;
}

const char *oa2_error_redirect(apr_pool_t *p, const char *redirect_uri,
                               int use_fragment, const oa2_err_t *err,
                               const char *state, const char *iss)
{
    const char *sep;
    const char *params = apr_pstrcat(p, "error=",
                                     oa2_form_encode(p, err->error), NULL);

    if (err->description != NULL) {
        params = apr_pstrcat(p, params, "&error_description=",
                             oa2_form_encode(p, err->description), NULL);
    }
    if (state != NULL) {
        params = apr_pstrcat(p, params, "&state=",
                             oa2_form_encode(p, state), NULL);
    }
    if (iss != NULL) {
        params = apr_pstrcat(p, params, "&iss=", oa2_form_encode(p, iss),
                             NULL);
    }
    if (use_fragment) {
        sep = "#";
    }
    else {
        sep = strchr(redirect_uri, '?') ? "&" : "?";
    }
    return apr_pstrcat(p, redirect_uri, sep, params, NULL);
}
