/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* rs_config: mod_oauth2_rs configuration: create/merge, directive handlers, getters with defaults. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_core.h>

#include "oa2_duration.h"
#include "oa2_file.h"
#include "oa2_uri.h"
#include "rs_private.h"

/* Defaults live here and are applied by the getters at read time. */
static const struct {
    int token_in;
    int pass_as;
    unsigned int algs;
    apr_int64_t cache_ttl;
} defaults = {
    RS_TOKEN_IN_HEADER,
    RS_PASS_ENV,
    OA2_ALG_ALL,
    300,
};

void *oauth2_rs_create_dir_conf(apr_pool_t *p, char *dir)
{
    oauth2_rs_dir_conf *d = apr_pcalloc(p, sizeof(*d));

    (void)dir;
    d->token_in = -1;
    d->pass_as = -1;
    d->algs = -1;
    d->introspect_ttl = -1;
    return d;
}

#define MERGE_PTR(f) d->f = add->f ? add->f : base->f
#define MERGE_INT(f) d->f = add->f != -1 ? add->f : base->f

void *oauth2_rs_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    const oauth2_rs_dir_conf *base = basev, *add = addv;
    oauth2_rs_dir_conf *d = apr_pcalloc(p, sizeof(*d));

    MERGE_PTR(issuer);
    MERGE_PTR(audiences);
    /* a location naming its own keys replaces every inherited key source,
     * so that it never trusts more than it says */
    if (add->jwks_url != NULL || add->static_keys != NULL) {
        d->jwks_url = add->jwks_url;
        d->static_keys = add->static_keys;
    }
    else {
        d->jwks_url = base->jwks_url;
        d->static_keys = base->static_keys;
    }
    MERGE_PTR(require_scope);
    MERGE_INT(token_in);
    MERGE_INT(pass_as);
    MERGE_INT(algs);
    MERGE_PTR(realm);
    if (add->introspect_url != NULL) {
        d->introspect_url = add->introspect_url;
        d->introspect_id = add->introspect_id;
        d->introspect_secret = add->introspect_secret;
    }
    else {
        d->introspect_url = base->introspect_url;
        d->introspect_id = base->introspect_id;
        d->introspect_secret = base->introspect_secret;
    }
    MERGE_INT(introspect_ttl);
    return d;
}

void *oauth2_rs_create_srv_conf(apr_pool_t *p, server_rec *s)
{
    oauth2_rs_srv_conf *c = apr_pcalloc(p, sizeof(*c));

    (void)s;
    c->cache_ttl = -1;
    return c;
}

void *oauth2_rs_merge_srv_conf(apr_pool_t *p, void *basev, void *addv)
{
    const oauth2_rs_srv_conf *base = basev, *add = addv;
    oauth2_rs_srv_conf *d = apr_pcalloc(p, sizeof(*d));

    MERGE_PTR(cache_spec);
    MERGE_INT(cache_ttl);
    return d;
}

oauth2_rs_dir_conf *oauth2_rs_dir(request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &oauth2_rs_module);
}

oauth2_rs_srv_conf *oauth2_rs_srv(server_rec *s)
{
    return ap_get_module_config(s->module_config, &oauth2_rs_module);
}

int oauth2_rs_token_in(const oauth2_rs_dir_conf *d)
{
    return d->token_in != -1 ? d->token_in : defaults.token_in;
}

int oauth2_rs_pass_as(const oauth2_rs_dir_conf *d)
{
    return d->pass_as != -1 ? d->pass_as : defaults.pass_as;
}

unsigned int oauth2_rs_algs(const oauth2_rs_dir_conf *d)
{
    return d->algs != -1 ? (unsigned int)d->algs : defaults.algs;
}

const char *oauth2_rs_realm(request_rec *r, const oauth2_rs_dir_conf *d)
{
    const char *name;

    if (d->realm != NULL) {
        return d->realm;
    }
    name = ap_auth_name(r);
    return name ? name : "oauth2";
}

apr_int64_t oauth2_rs_cache_ttl(const oauth2_rs_srv_conf *s)
{
    return s->cache_ttl != -1 ? (apr_int64_t)apr_time_sec(s->cache_ttl)
                              : defaults.cache_ttl;
}

apr_int64_t oauth2_rs_introspect_ttl(const oauth2_rs_dir_conf *d)
{
    return d->introspect_ttl != -1
        ? (apr_int64_t)apr_time_sec(d->introspect_ttl) : 30;
}

int oauth2_rs_has_keys(const oauth2_rs_dir_conf *d)
{
    return d->introspect_url != NULL || d->jwks_url != NULL
           || (d->static_keys != NULL && d->static_keys->nelts > 0);
}

static const char *push_string(cmd_parms *cmd, apr_array_header_t **arr,
                               const char *arg)
{
    if (*arr == NULL) {
        *arr = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(*arr, const char *) = arg;
    return NULL;
}

static const char *set_issuer(cmd_parms *cmd, void *dc, const char *arg)
{
    ((oauth2_rs_dir_conf *)dc)->issuer = arg;
    (void)cmd;
    return NULL;
}

static const char *add_audience(cmd_parms *cmd, void *dc, const char *arg)
{
    return push_string(cmd, &((oauth2_rs_dir_conf *)dc)->audiences, arg);
}

static const char *add_key(cmd_parms *cmd, oauth2_rs_dir_conf *d,
                           oa2_jwk_t *key)
{
    if (d->static_keys == NULL) {
        d->static_keys = apr_array_make(cmd->pool, 2, sizeof(oa2_jwk_t *));
    }
    APR_ARRAY_PUSH(d->static_keys, oa2_jwk_t *) = key;
    return NULL;
}

static const char *load_jwks_file(cmd_parms *cmd, oauth2_rs_dir_conf *d,
                                  const char *path)
{
    const char *file = ap_server_root_relative(cmd->pool, path), *why;
    apr_array_header_t *keys;
    char *buf;
    apr_size_t n;
    int i;

    if (file == NULL) {
        return apr_psprintf(cmd->pool, "%s: invalid path %s",
                            cmd->cmd->name, path);
    }
    if (oa2_file_read(cmd->pool, file, 1024 * 1024, &buf, &n, &why)
            != APR_SUCCESS
        || oa2_jwks_parse(cmd->pool, buf, n, &keys, &why) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s: %s", cmd->cmd->name, path,
                            why);
    }
    for (i = 0; i < keys->nelts; i++) {
        add_key(cmd, d, APR_ARRAY_IDX(keys, i, oa2_jwk_t *));
    }
    return NULL;
}

static const char *set_jwks(cmd_parms *cmd, void *dc, const char *arg)
{
    oauth2_rs_dir_conf *d = dc;
    const char *why;

    if (strncmp(arg, "file:", 5) == 0) {
        return load_jwks_file(cmd, d, arg + 5);
    }
    why = oa2_uri_check_https(cmd->pool, arg, 1);
    if (why != NULL) {
        return apr_psprintf(cmd->pool, "%s %s: %s (use an https URL, http "
                            "on loopback, or file:/path)", cmd->cmd->name,
                            arg, why);
    }
    d->jwks_url = arg;
    return NULL;
}

static const char *add_verify_key(cmd_parms *cmd, void *dc,
                                  const char *path, const char *kid)
{
    const char *file = ap_server_root_relative(cmd->pool, path), *why;
    oa2_jwk_t *key;

    if (file == NULL
        || oa2_jwk_load_pem_file(cmd->pool, file, kid, &key, &why)
           != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name,
                            file ? why : "invalid path");
    }
    return add_key(cmd, dc, key);
}

static const char *set_cache(cmd_parms *cmd, void *dc, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    (void)dc;
    if (err != NULL) {
        return err;
    }
    if (oauth2_rs_cache_shm_entries(arg, NULL) == APR_EINVAL) {
        return apr_psprintf(cmd->pool, "%s %s: the built-in cache takes a "
                            "number of entries from %d to %d, e.g. shm:10000",
                            RS_CACHE, arg, RS_CACHE_SHM_MIN, RS_CACHE_SHM_MAX);
    }
    oauth2_rs_srv(cmd->server)->cache_spec = arg;
    return NULL;
}

static const char *set_cache_ttl(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t secs;

    (void)dc;
    if (oa2_duration_parse(arg, &secs) != APR_SUCCESS || secs > 86400) {
        return apr_psprintf(cmd->pool, "%s: %s is not a duration up to 24h "
                            "(e.g. 300, 5m, 1h)", cmd->cmd->name, arg);
    }
    oauth2_rs_srv(cmd->server)->cache_ttl = apr_time_from_sec(secs);
    return NULL;
}

/* Flag words of an ITERATE directive; "none" only alone. */
static const char *set_flag_word(cmd_parms *cmd, int *field, const char *arg,
                                 const char *const *names, const int *bits)
{
    int i;

    if (*field == -1) {
        *field = 0;
    }
    for (i = 0; names[i] != NULL; i++) {
        if (strcasecmp(arg, names[i]) == 0) {
            *field |= bits[i];
            return NULL;
        }
    }
    return apr_psprintf(cmd->pool, "%s: unknown value %s", cmd->cmd->name,
                        arg);
}

static const char *add_pass_as(cmd_parms *cmd, void *dc, const char *arg)
{
    static const char *const names[] = { "env", "headers", "none", NULL };
    static const int bits[] = { RS_PASS_ENV, RS_PASS_HEADERS, RS_PASS_NONE };

    return set_flag_word(cmd, &((oauth2_rs_dir_conf *)dc)->pass_as, arg,
                         names, bits);
}

static const char *add_token_in(cmd_parms *cmd, void *dc, const char *arg)
{
    static const char *const names[] = { "header", "form", "query", NULL };
    static const int bits[] = { RS_TOKEN_IN_HEADER, RS_TOKEN_IN_FORM,
                                RS_TOKEN_IN_QUERY };

    return set_flag_word(cmd, &((oauth2_rs_dir_conf *)dc)->token_in, arg,
                         names, bits);
}

static const char *add_algorithm(cmd_parms *cmd, void *dc, const char *arg)
{
    oauth2_rs_dir_conf *d = dc;
    oa2_alg_e alg = oa2_alg_from_name(arg);

    if (alg == 0) {
        return apr_psprintf(cmd->pool, "%s: %s is not supported (ES256, "
                            "RS256, PS256, EdDSA)", cmd->cmd->name, arg);
    }
    d->algs = (d->algs == -1 ? 0 : d->algs) | (int)alg;
    return NULL;
}

static const char *add_require_scope(cmd_parms *cmd, void *dc,
                                     const char *arg)
{
    if (!oa2_scope_token_valid(arg)) {
        return apr_psprintf(cmd->pool, "%s: %s is not a valid scope",
                            cmd->cmd->name, arg);
    }
    return push_string(cmd, &((oauth2_rs_dir_conf *)dc)->require_scope, arg);
}

/* The secret is written in the file (file:<path>) or, for tests and
 * quick setups, inline. */
static const char *read_secret(cmd_parms *cmd, const char *arg,
                               const char **out)
{
    const char *path, *why;
    char *buf;
    apr_size_t n;

    if (strncmp(arg, "file:", 5) != 0) {
        *out = arg;
        return NULL;
    }
    path = ap_server_root_relative(cmd->pool, arg + 5);
    if (path == NULL
        || oa2_file_read(cmd->pool, path, 1024, &buf, &n, &why)
           != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name,
                            path ? why : "invalid path");
    }
    while (n > 0 && apr_isspace(buf[n - 1])) {
        n--;
    }
    *out = apr_pstrmemdup(cmd->pool, buf, n);
    return NULL;
}

static const char *set_introspect(cmd_parms *cmd, void *dc, const char *url,
                                  const char *id, const char *secret)
{
    oauth2_rs_dir_conf *d = dc;
    const char *why = oa2_uri_check_https(cmd->pool, url, 1);

    if (why != NULL) {
        return apr_psprintf(cmd->pool, "%s %s: %s", cmd->cmd->name, url, why);
    }
    d->introspect_url = url;
    d->introspect_id = id;
    return read_secret(cmd, secret, &d->introspect_secret);
}

static const char *set_introspect_ttl(cmd_parms *cmd, void *dc,
                                      const char *arg)
{
    apr_int64_t secs;

    if (oa2_duration_parse(arg, &secs) != APR_SUCCESS || secs > 3600) {
        return apr_psprintf(cmd->pool, "%s: %s is not a duration up to 1h",
                            cmd->cmd->name, arg);
    }
    ((oauth2_rs_dir_conf *)dc)->introspect_ttl = apr_time_from_sec(secs);
    return NULL;
}

static const char *set_realm(cmd_parms *cmd, void *dc, const char *arg)
{
    (void)cmd;
    ((oauth2_rs_dir_conf *)dc)->realm = arg;
    return NULL;
}

#define TRUST_CONF (RSRC_CONF | ACCESS_CONF)
#define ENFORCE_CONF (RSRC_CONF | ACCESS_CONF | OR_AUTHCFG)

const command_rec oauth2_rs_cmds[] = {
    AP_INIT_TAKE1(RS_ISSUER, set_issuer, NULL, TRUST_CONF,
        "The iss that tokens must carry (default: not checked)"),
    AP_INIT_ITERATE(RS_AUDIENCE, add_audience, NULL, TRUST_CONF,
        "Audiences of which a token's aud must contain one (default: not "
        "checked)"),
    AP_INIT_TAKE1(RS_JWKS, set_jwks, NULL, TRUST_CONF,
        "The JWKS holding the token signing keys: an https URL (http on "
        "loopback) fetched and cached, or file:/path"),
    AP_INIT_TAKE12(RS_VERIFY_KEY, add_verify_key, NULL, TRUST_CONF,
        "A PEM public key or certificate trusted to sign tokens, and an "
        "optional kid; repeatable"),
    AP_INIT_TAKE1(RS_CACHE, set_cache, NULL, RSRC_CONF,
        "Where verified tokens are cached: shm[:entries] (the default, "
        "shared memory without a lock), an socache provider[:args], or "
        "none"),
    AP_INIT_TAKE1(RS_CACHE_TTL, set_cache_ttl, NULL, RSRC_CONF,
        "How long a verified token stays cached at most (default 300s; "
        "never past its exp)"),
    AP_INIT_ITERATE(RS_PASS_CLAIMS_AS, add_pass_as, NULL, ENFORCE_CONF,
        "env, headers or none: how claims reach the backend (default env)"),
    AP_INIT_ITERATE(RS_ACCEPT_TOKEN_IN, add_token_in, NULL, ENFORCE_CONF,
        "header, form, query: where the bearer token may be sent (default "
        "header)"),
    AP_INIT_ITERATE(RS_REQUIRE_SCOPE, add_require_scope, NULL, ENFORCE_CONF,
        "Scopes a valid bearer token must all carry; alone it protects the "
        "location"),
    AP_INIT_ITERATE(RS_ALGORITHMS, add_algorithm, NULL, TRUST_CONF,
        "Signature algorithms accepted (default ES256 RS256 PS256 EdDSA)"),
    AP_INIT_TAKE3(RS_INTROSPECT, set_introspect, NULL, TRUST_CONF,
        "Validate tokens by RFC 7662 introspection: the endpoint URL, this "
        "resource server's client_id and its secret (or file:<path>)"),
    AP_INIT_TAKE1(RS_INTROSPECT_CACHE_TTL, set_introspect_ttl, NULL,
        TRUST_CONF, "How long an introspection result is reused (default "
        "30s, 0 to ask every time; never past the token's exp)"),
    AP_INIT_TAKE1(RS_REALM, set_realm, NULL, ENFORCE_CONF,
        "The realm of WWW-Authenticate challenges (default AuthName, else "
        "oauth2)"),
    { NULL }
};
