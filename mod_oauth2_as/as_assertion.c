/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_assertion: JWT assertions (RFC 7523) for private_key_jwt client authentication and the JWT bearer grant. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>

#include "as_assertion.h"
#include "as_private.h"
#include "oa2_http.h"
#include "oa2_json.h"
#include "oa2_jwt.h"

#define AS_JWKS_MAX_BYTES (256 * 1024)

apr_status_t oauth2_as_client_keys(request_rec *r,
                                   const oauth2_as_client_rec *c,
                                   apr_array_header_t **keys)
{
    const oa2_client_t *m = c->meta;
    oa2_http_reply_t reply;
    const char *why = NULL;

    if (m->jwks != NULL) {
        if (oa2_jwks_parse(r->pool, m->jwks, strlen(m->jwks), keys, &why)
            == APR_SUCCESS) {
            return APR_SUCCESS;
        }
    }
    else if (m->jwks_uri != NULL) {
        if (oa2_http_get(r->pool, m->jwks_uri, AS_JWKS_MAX_BYTES, &reply,
                         &why) == APR_SUCCESS
            && reply.status == 200
            && oa2_jwks_parse(r->pool, reply.body, reply.len, keys, &why)
               == APR_SUCCESS) {
            return APR_SUCCESS;
        }
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11401)
                  "client %s has no usable key: %s", c->client_id,
                  why ? why : "no jwks or jwks_uri");
    return APR_NOTFOUND;
}

/* RFC 7523 §3: the audience is the AS: its issuer or its token endpoint
 * (DESIGN.md §8), or the endpoint being called (revoke, introspect). */
static int audience_ok(request_rec *r, const oa2_jws_t *jws)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *here = apr_pstrcat(r->pool, conf->endpoint_base,
                                   strrchr(r->uri, '/'), NULL);

    return oa2_jwt_has_audience(jws, conf->issuer)
           || oa2_jwt_has_audience(jws, conf->token_endpoint)
           || oa2_jwt_has_audience(jws, here);
}

apr_status_t oauth2_as_assertion_verify(request_rec *r, const oa2_jws_t *jws,
                                        const apr_array_header_t *keys,
                                        const char *expect_iss,
                                        const char **why)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    oa2_jwt_rules_t rules;
    const char *jti, *iss;
    apr_int64_t exp = 0;
    oa2_err_t err;
    apr_status_t rv;

    if (oa2_jws_verify(jws, keys, OA2_ALG_ALL, NULL) != APR_SUCCESS) {
        *why = "assertion signature not verified by a registered key";
        return APR_EINVAL;
    }
    memset(&rules, 0, sizeof(rules));
    rules.issuer = expect_iss;
    rules.now = oauth2_as_now();
    rules.leeway = 30;
    rules.require_exp = 1;
    rules.max_lifetime = oauth2_as_assertion_max_lifetime(conf);
    if (oa2_jwt_check(jws, &rules, &err) != APR_SUCCESS) {
        *why = apr_pstrcat(r->pool, "assertion: ", err.description, NULL);
        return APR_EINVAL;
    }
    if (!audience_ok(r, jws)) {
        *why = "assertion audience is not this server";
        return APR_EINVAL;
    }
    jti = oa2_json_get_string(jws->payload, "jti");
    iss = oa2_json_get_string(jws->payload, "iss");
    if (jti == NULL || *jti == '\0' || strlen(jti) > 256 || iss == NULL) {
        *why = "assertion without jti or iss";
        return APR_EINVAL;
    }
    oa2_json_get_int64(jws->payload, "exp", &exp);
    rv = oauth2_as_store_nonce_use(r, apr_pstrcat(r->pool, "jwt:", iss, "\n",
                                                  jti, NULL), exp);
    if (rv == APR_EEXIST) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11402)
                      "Security - JWT assertion replayed (iss %s, jti %s) "
                      "from %s", iss, jti, r->useragent_ip);
        *why = "assertion already used";
        return APR_EINVAL;
    }
    return rv;
}
