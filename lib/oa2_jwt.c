/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_jwt: JWT claim checks (RFC 7519, RFC 9068, RFC 7523) on a parsed JWS. */
#include <string.h>
#include <apr_strings.h>

#include "oa2_claims.h"
#include "oa2_json.h"
#include "oa2_jwt.h"

static int jwt_err(oa2_err_t *err, const char *why)
{
    return oa2_err_set(err, 401, OA2_ERR_INVALID_TOKEN, why);
}

int oa2_jwt_has_audience(const oa2_jws_t *jws, const char *aud)
{
    json_object *v = NULL;
    size_t i, n;

    if (!json_object_object_get_ex(jws->payload, "aud", &v)) {
        return 0;
    }
    if (json_object_is_type(v, json_type_string)) {
        return strcmp(json_object_get_string(v), aud) == 0;
    }
    if (!json_object_is_type(v, json_type_array)) {
        return 0;
    }
    n = json_object_array_length(v);
    for (i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(v, i);
        if (json_object_is_type(e, json_type_string)
            && strcmp(json_object_get_string(e), aud) == 0) {
            return 1;
        }
    }
    return 0;
}

static int typ_matches(const char *have, const char *want)
{
    if (have == NULL) {
        return 0;
    }
    if (strncasecmp(have, "application/", 12) == 0) {
        have += 12;
    }
    return strcasecmp(have, want) == 0;
}

/* How the checks below find an audience: in a JWS's payload, or in a
 * digest's list. */
typedef int (*has_audience_fn)(const void *src, const char *aud);

static int jws_has_audience(const void *src, const char *aud)
{
    return oa2_jwt_has_audience(src, aud);
}

static int claims_has_audience(const void *src, const char *aud)
{
    return oa2_claims_has_audience(src, aud);
}

/* Every check but `typ`, on the issuer and times of f; the audiences are
 * looked up in src. */
static apr_status_t check_claims(const oa2_claims_t *f,
                                 has_audience_fn has_audience,
                                 const void *src,
                                 const oa2_jwt_rules_t *rules, oa2_err_t *err)
{
    if (rules->issuer != NULL
        && (f->iss == NULL || strcmp(f->iss, rules->issuer) != 0)) {
        return jwt_err(err, "wrong issuer");
    }
    if (rules->audiences != NULL && rules->audiences->nelts > 0) {
        int i, ok = 0;
        for (i = 0; i < rules->audiences->nelts && !ok; i++) {
            ok = has_audience(
                src, APR_ARRAY_IDX(rules->audiences, i, const char *));
        }
        if (!ok) {
            return jwt_err(err, "wrong audience");
        }
    }
    if (rules->require_exp && !f->has_exp) {
        return jwt_err(err, "no expiry");
    }
    /* the leeway moves `now`, never the claim: claims are attacker-sized
     * and exp + leeway could overflow */
    if (f->has_exp && f->exp <= rules->now - rules->leeway) {
        return jwt_err(err, "expired");
    }
    if (f->has_nbf && f->nbf > rules->now + rules->leeway) {
        return jwt_err(err, "not yet valid");
    }
    if (f->has_iat && f->iat > rules->now + rules->leeway) {
        return jwt_err(err, "issued in the future");
    }
    if (rules->max_lifetime > 0 && f->has_exp
        && f->exp > rules->now + rules->max_lifetime + rules->leeway) {
        return jwt_err(err, "lifetime too long");
    }
    return APR_SUCCESS;
}

apr_status_t oa2_jwt_check(const oa2_jws_t *jws, const oa2_jwt_rules_t *rules,
                           oa2_err_t *err)
{
    oa2_claims_t f;

    if (rules->typ != NULL && !typ_matches(jws->typ, rules->typ)) {
        return jwt_err(err, "wrong token type");
    }
    /* only what check_claims reads */
    memset(&f, 0, sizeof(f));
    f.iss = oa2_json_get_string(jws->payload, "iss");
    if (!oa2_json_get_time(jws->payload, "exp", &f.exp, &f.has_exp)
        || !oa2_json_get_time(jws->payload, "nbf", &f.nbf, &f.has_nbf)
        || !oa2_json_get_time(jws->payload, "iat", &f.iat, &f.has_iat)) {
        return jwt_err(err, "malformed time claim");
    }
    return check_claims(&f, jws_has_audience, jws, rules, err);
}

apr_status_t oa2_jwt_check_claims(const oa2_claims_t *c,
                                  const oa2_jwt_rules_t *rules,
                                  oa2_err_t *err)
{
    return check_claims(c, claims_has_audience, c, rules, err);
}
