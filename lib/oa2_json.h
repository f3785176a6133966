/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_json: json-c objects owned by an APR pool, bounded parsing and typed getters. */
#ifndef OA2_JSON_H
#define OA2_JSON_H

#include <apr_pools.h>
#include <json-c/json.h>

#include "oa2_error.h"

/* Nesting deeper than this is refused: no legitimate OAuth document needs it. */
#define OA2_JSON_MAX_DEPTH 16

/**
 * Parses exactly `len` bytes of JSON text; trailing garbage, NUL bytes
 * (also escaped as \u0000), nesting deeper than OA2_JSON_MAX_DEPTH and
 * invalid UTF-8 are refused.
 * @param p pool whose cleanup releases the object
 * @param out the parsed value (any JSON type but a bare null, which json-c
 *        cannot return as an object and is refused)
 * @return APR_SUCCESS or APR_EINVAL; logs nothing
 */
apr_status_t oa2_json_parse(apr_pool_t *p, const char *text, apr_size_t len,
                            json_object **out);

/**
 * Like oa2_json_parse() but the value must be an object.
 */
apr_status_t oa2_json_parse_object(apr_pool_t *p, const char *text,
                                   apr_size_t len, json_object **out);

/**
 * Hands a json-c object (reference held by the caller) to the pool: the
 * pool's cleanup drops that reference.
 * @return obj
 */
json_object *oa2_json_own(apr_pool_t *p, json_object *obj);

/**
 * A new empty object owned by p.
 */
json_object *oa2_json_object(apr_pool_t *p);

/**
 * Serialises compactly, without escaping '/'.
 * @param p pool that owns the copy returned
 */
const char *oa2_json_text(apr_pool_t *p, json_object *obj);

/**
 * @return the member's string value, or NULL when absent or not a string
 */
const char *oa2_json_get_string(json_object *obj, const char *key);

/**
 * Reads an integer member (JSON number without fraction).
 * @return APR_SUCCESS, APR_NOTFOUND when absent, APR_EINVAL when not an
 *         integer or above INT64_MAX
 */
apr_status_t oa2_json_get_int64(json_object *obj, const char *key,
                                apr_int64_t *out);

/**
 * Reads an optional NumericDate (exp, nbf, iat): *present says whether it
 * was there.
 * @return non-zero unless it is present but not an integer
 */
int oa2_json_get_time(json_object *obj, const char *key, apr_int64_t *out,
                      int *present);

/**
 * @return the member when it has the given type, else NULL
 */
json_object *oa2_json_get_typed(json_object *obj, const char *key,
                                json_type type);

/** Adds a string member (value copied by json-c); NULL values are skipped. */
void oa2_json_set_string(json_object *obj, const char *key, const char *val);

/** Adds an integer member. */
void oa2_json_set_int64(json_object *obj, const char *key, apr_int64_t val);

/** Adds a boolean member. */
void oa2_json_set_bool(json_object *obj, const char *key, int val);

/**
 * Writes a JSON string literal (with quotes) for s.
 * @param p pool that owns the result
 */
const char *oa2_json_quote(apr_pool_t *p, const char *s);

/**
 * @return non-zero when the len bytes at s are well-formed UTF-8 without NUL
 */
int oa2_utf8_valid(const char *s, apr_size_t len);

#endif
