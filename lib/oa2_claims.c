/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_claims: a verified token's claims digested once, so that a cache hit needs no JSON parser. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <apr_strings.h>

#include "oa2_claims.h"
#include "oa2_json.h"
#include "oa2_scope.h"

/* The text starts with this; another version's text is simply a miss. */
#define CLAIMS_MAGIC "c1"
/* The longest length or count a text can hold (OA2_CLAIMS_MAX_TEXT). */
#define CLAIMS_MAX_DIGITS 5

static char *controls_to_spaces(char *s)
{
    char *c;

    for (c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7F) {
            *c = ' ';
        }
    }
    return s;
}

/* Strings as they are, arrays of strings space-separated, the rest as
 * JSON. */
static const char *render(apr_pool_t *p, json_object *v)
{
    if (json_object_is_type(v, json_type_array)) {
        apr_array_header_t *parts = apr_array_make(p, 4, sizeof(char *));
        size_t i;
        for (i = 0; i < json_object_array_length(v); i++) {
            APR_ARRAY_PUSH(parts, const char *) =
                render(p, json_object_array_get_idx(v, i));
        }
        return apr_array_pstrcat(p, parts, ' ');
    }
    if (json_object_is_type(v, json_type_string)) {
        return controls_to_spaces(apr_pstrdup(p, json_object_get_string(v)));
    }
    if (json_object_is_type(v, json_type_int)
        && json_object_get_int64(v) != INT64_MAX) {
        /* what json-c writes, without its print buffer */
        return apr_psprintf(p, "%" APR_INT64_T_FMT, json_object_get_int64(v));
    }
    return controls_to_spaces(apr_pstrdup(p, oa2_json_text(p, v)));
}

static const char *dup_string(apr_pool_t *p, json_object *claims,
                              const char *name)
{
    const char *s = oa2_json_get_string(claims, name);

    return s ? apr_pstrdup(p, s) : NULL;
}

/* The strings of a string or of an array (other elements skipped),
 * keeping those `keep` accepts. */
static apr_array_header_t *strings_of(apr_pool_t *p, json_object *v,
                                      int (*keep)(const char *))
{
    apr_array_header_t *a = apr_array_make(p, 2, sizeof(const char *));
    size_t i;

    if (json_object_is_type(v, json_type_string)) {
        APR_ARRAY_PUSH(a, const char *) = apr_pstrdup(
            p, json_object_get_string(v));
    }
    for (i = 0; json_object_is_type(v, json_type_array)
                && i < json_object_array_length(v); i++) {
        json_object *e = json_object_array_get_idx(v, i);
        if (json_object_is_type(e, json_type_string)
            && (keep == NULL || keep(json_object_get_string(e)))) {
            APR_ARRAY_PUSH(a, const char *) = apr_pstrdup(
                p, json_object_get_string(e));
        }
    }
    return a;
}

apr_status_t oa2_claims_digest(apr_pool_t *p, json_object *claims,
                               const char *json, oa2_claims_t **out)
{
    oa2_claims_t *c;
    json_object *v = NULL;

    *out = NULL;
    if (!json_object_is_type(claims, json_type_object)) {
        return APR_EINVAL;
    }
    c = apr_pcalloc(p, sizeof(*c));
    if (!oa2_json_get_time(claims, "exp", &c->exp, &c->has_exp)
        || !oa2_json_get_time(claims, "nbf", &c->nbf, &c->has_nbf)
        || !oa2_json_get_time(claims, "iat", &c->iat, &c->has_iat)) {
        return APR_EINVAL;
    }
    c->iss = dup_string(p, claims, "iss");
    json_object_object_get_ex(claims, "aud", &v);
    c->aud = strings_of(p, v, NULL);
    c->user = dup_string(p, claims, "sub");
    if (c->user == NULL) {
        c->user = dup_string(p, claims, "client_id");
    }
    c->scope = dup_string(p, claims, "scope");
    /* some issuers send an array "scp" instead of "scope" */
    v = oa2_json_get_typed(claims, "scp", json_type_array);
    if (c->scope == NULL && v != NULL) {
        c->scope = apr_array_pstrcat(p, strings_of(p, v,
                                                   oa2_scope_token_valid),
                                     ' ');
    }
    c->pass = apr_array_make(p, 12, sizeof(oa2_claim_pass_t));
    json_object_object_foreach(claims, key, val) {
        oa2_claim_pass_t *e = apr_array_push(c->pass);
        e->name = controls_to_spaces(apr_pstrdup(p, key));
        e->value = render(p, val);
    }
    c->json = json != NULL ? json : oa2_json_text(p, claims);
    *out = c;
    return APR_SUCCESS;
}

/* ---- the text: "c1" then fields, each "-" (absent) or
 *      "<length>:<bytes>," ---- */

/* The text is written in two passes over the same fields: one to size it,
 * one to fill it (no apr_psprintf per field on the miss path). */
typedef struct {
    char *at;            /* NULL: only count */
    apr_size_t len;
} writer;

static void put(writer *w, const char *s, apr_size_t n)
{
    if (w->at != NULL) {
        memcpy(w->at, s, n);
        w->at += n;
    }
    w->len += n;
}

/* v in decimal, without a NUL, into buf (21 bytes at least); cheaper than
 * apr_snprintf, which showed in the miss path's profile.
 * @return the length written */
static apr_size_t decimal(char *buf, apr_int64_t v)
{
    char rev[20];
    apr_uint64_t u = v < 0 ? 0 - (apr_uint64_t)v : (apr_uint64_t)v;
    apr_size_t n = 0, len = 0;

    do {
        rev[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u != 0);
    if (v < 0) {
        buf[len++] = '-';
    }
    while (n > 0) {
        buf[len++] = rev[--n];
    }
    return len;
}

static void put_bytes(writer *w, const char *s, apr_size_t n)
{
    char digits[24];

    put(w, digits, decimal(digits, (apr_int64_t)n));
    put(w, ":", 1);
    put(w, s, n);
    put(w, ",", 1);
}

static void put_field(writer *w, const char *s)
{
    if (s == NULL) {
        put(w, "-", 1);
        return;
    }
    put_bytes(w, s, strlen(s));
}

static void put_int(writer *w, int present, apr_int64_t v)
{
    char digits[24];

    if (!present) {
        put_field(w, NULL);
        return;
    }
    put_bytes(w, digits, decimal(digits, v));
}

static void write_text(writer *w, const oa2_claims_t *c)
{
    int i;

    put(w, CLAIMS_MAGIC, sizeof(CLAIMS_MAGIC) - 1);
    put_field(w, c->iss);
    put_field(w, c->user);
    put_field(w, c->scope);
    put_int(w, c->has_exp, c->exp);
    put_int(w, c->has_nbf, c->nbf);
    put_int(w, c->has_iat, c->iat);
    put_int(w, 1, c->aud->nelts);
    for (i = 0; i < c->aud->nelts; i++) {
        put_field(w, APR_ARRAY_IDX(c->aud, i, const char *));
    }
    put_int(w, 1, c->pass->nelts);
    for (i = 0; i < c->pass->nelts; i++) {
        const oa2_claim_pass_t *e = &APR_ARRAY_IDX(c->pass, i,
                                                   oa2_claim_pass_t);
        put_field(w, e->name);
        put_field(w, e->value);
    }
    put_field(w, c->json);
}

const char *oa2_claims_text(apr_pool_t *p, const oa2_claims_t *c)
{
    writer size = { NULL, 0 }, fill;
    char *text;

    write_text(&size, c);
    if (size.len > OA2_CLAIMS_MAX_TEXT) {
        return NULL;
    }
    text = apr_palloc(p, size.len + 1);
    fill.at = text;
    fill.len = 0;
    write_text(&fill, c);
    text[size.len] = '\0';
    return text;
}

typedef struct {
    char *at;
    char *end;
} cursor;

/* The next field, NUL-terminated in place (NULL when absent); lengths
 * have no leading zero, so that a text has one spelling.
 * @return 0 when the text is malformed */
static int next_field(cursor *cur, const char **out)
{
    const char *digits = cur->at;
    apr_size_t n = 0;

    if (cur->at < cur->end && *cur->at == '-') {
        cur->at++;
        *out = NULL;
        return 1;
    }
    while (cur->at < cur->end && *cur->at >= '0' && *cur->at <= '9') {
        if (cur->at - digits >= CLAIMS_MAX_DIGITS) {
            return 0;
        }
        n = n * 10 + (apr_size_t)(*cur->at++ - '0');
    }
    /* the length, its ':', the bytes and their ',' */
    if (cur->at == digits || (*digits == '0' && cur->at - digits > 1)
        || cur->at >= cur->end || *cur->at != ':'
        || n >= (apr_size_t)(cur->end - cur->at - 1)
        || cur->at[1 + n] != ',') {
        return 0;
    }
    cur->at[1 + n] = '\0';
    *out = cur->at + 1;
    cur->at += n + 2;
    return 1;
}

/* A decimal integer as apr_psprintf writes it: -?(0|[1-9][0-9]*), no
 * "-0", within apr_int64_t. */
static int read_int(const char *s, apr_int64_t *v)
{
    const char *d = *s == '-' ? s + 1 : s;
    const char *c;
    char *end;

    if (*d < '0' || *d > '9' || (*d == '0' && (d[1] != '\0' || d != s))) {
        return 0;
    }
    for (c = d; *c; c++) {
        if (*c < '0' || *c > '9') {
            return 0;
        }
    }
    errno = 0;
    *v = apr_strtoi64(s, &end, 10);
    return errno == 0 && *end == '\0';
}

/* A count: a present, non-negative field, at most max. */
static int next_count(cursor *cur, int max, int *out)
{
    const char *s;
    apr_int64_t v;

    if (!next_field(cur, &s) || s == NULL || !read_int(s, &v) || v < 0
        || v > max) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int next_time(cursor *cur, int *present, apr_int64_t *t)
{
    const char *s;

    if (!next_field(cur, &s)) {
        return 0;
    }
    *present = s != NULL;
    return s == NULL || read_int(s, t);
}

apr_status_t oa2_claims_load(apr_pool_t *p, char *text, apr_size_t len,
                             oa2_claims_t **out)
{
    oa2_claims_t *c = apr_pcalloc(p, sizeof(*c));
    cursor cur = { text, text + len };
    /* each audience takes at least 2 bytes, each claim 4 */
    int max = (int)(len / 2), n, i;

    *out = NULL;
    if (len < sizeof(CLAIMS_MAGIC) - 1 || len > OA2_CLAIMS_MAX_TEXT
        || memcmp(text, CLAIMS_MAGIC, sizeof(CLAIMS_MAGIC) - 1) != 0
        || memchr(text, '\0', len) != NULL) {
        return APR_EINVAL;
    }
    cur.at += sizeof(CLAIMS_MAGIC) - 1;
    if (!next_field(&cur, &c->iss) || !next_field(&cur, &c->user)
        || !next_field(&cur, &c->scope)
        || !next_time(&cur, &c->has_exp, &c->exp)
        || !next_time(&cur, &c->has_nbf, &c->nbf)
        || !next_time(&cur, &c->has_iat, &c->iat)
        || !next_count(&cur, max, &n)) {
        return APR_EINVAL;
    }
    c->aud = apr_array_make(p, n > 0 ? n : 1, sizeof(const char *));
    for (i = 0; i < n; i++) {
        const char **a = apr_array_push(c->aud);
        if (!next_field(&cur, a) || *a == NULL) {
            return APR_EINVAL;
        }
    }
    if (!next_count(&cur, max, &n)) {
        return APR_EINVAL;
    }
    c->pass = apr_array_make(p, n > 0 ? n : 1, sizeof(oa2_claim_pass_t));
    for (i = 0; i < n; i++) {
        oa2_claim_pass_t *e = apr_array_push(c->pass);
        if (!next_field(&cur, &e->name) || !next_field(&cur, &e->value)
            || e->name == NULL || e->value == NULL) {
            return APR_EINVAL;
        }
    }
    if (!next_field(&cur, &c->json) || c->json == NULL
        || cur.at != cur.end) {
        return APR_EINVAL;
    }
    *out = c;
    return APR_SUCCESS;
}

int oa2_claims_has_audience(const oa2_claims_t *c, const char *aud)
{
    int i;

    for (i = 0; i < c->aud->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(c->aud, i, const char *), aud) == 0) {
            return 1;
        }
    }
    return 0;
}
