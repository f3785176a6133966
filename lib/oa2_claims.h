/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_claims: a verified token's claims digested once, so that a cache hit needs no JSON parser. */
#ifndef OA2_CLAIMS_H
#define OA2_CLAIMS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>

/* A resource server checks the same few claims of a token on every
 * request and hands all of them to the backend. Parsing the JSON again on
 * every cache hit cost more than the rest of the hit (json-c also
 * switches the thread's locale around each parse), so the cache keeps
 * this digest instead: the checked claims as plain values, every claim
 * already rendered for the backend, and the JSON itself for the rare rule
 * that needs a typed value. */

/** A claim as the backend receives it. */
typedef struct oa2_claim_pass_t {
    const char *name;   /* control characters replaced by spaces */
    const char *value;  /* see oa2_claims_digest */
} oa2_claim_pass_t;

typedef struct oa2_claims_t {
    const char *iss;              /* NULL unless a string */
    apr_array_header_t *aud;      /* const char *: the string "aud", or the
                                   * strings of an array "aud" */
    const char *user;             /* "sub", else "client_id" (strings) */
    const char *scope;            /* "scope" (a string), else the valid
                                   * scope tokens of an array "scp" joined
                                   * by spaces, else NULL */
    apr_int64_t exp, nbf, iat;
    int has_exp, has_nbf, has_iat;
    apr_array_header_t *pass;     /* oa2_claim_pass_t, in the JSON's order */
    const char *json;             /* the claims object as JSON text */
} oa2_claims_t;

/* A digest's text is at most this long (a bigger one is not cached). */
#define OA2_CLAIMS_MAX_TEXT 8192

/**
 * Digests a claims object. Strings pass as they are, arrays as their
 * elements space-separated, anything else as its JSON text; control
 * characters become spaces, so that no header can be split.
 * @param json the JSON text claims was parsed from (a token's payload),
 *        kept as it is; NULL: claims is written out again
 * @return APR_SUCCESS, or APR_EINVAL when claims is not an object or
 *         exp/nbf/iat is present but not an integer (such a token fails
 *         every check: it is not worth caching)
 */
apr_status_t oa2_claims_digest(apr_pool_t *p, json_object *claims,
                               const char *json, oa2_claims_t **out);

/**
 * The digest as one NUL-free line of text for a cache, which
 * oa2_claims_load reads back.
 * @return the text, or NULL when longer than OA2_CLAIMS_MAX_TEXT
 */
const char *oa2_claims_text(apr_pool_t *p, const oa2_claims_t *c);

/**
 * Reads the text of oa2_claims_text. The strings of the digest point into
 * `text`, which is changed in place and must live as long as the digest.
 * @return APR_SUCCESS, or APR_EINVAL when text is not such a text (from
 *         another version, truncated or damaged)
 */
apr_status_t oa2_claims_load(apr_pool_t *p, char *text, apr_size_t len,
                             oa2_claims_t **out);

/** @return non-zero when aud is one of the digest's audiences */
int oa2_claims_has_audience(const oa2_claims_t *c, const char *aud);

#endif
