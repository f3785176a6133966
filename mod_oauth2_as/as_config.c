/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_config: mod_oauth2_as configuration: create/merge, directive handlers, getters with defaults. */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <httpd.h>
#include <http_log.h>
#include <ap_provider.h>
#include <openssl/crypto.h>

#include "as_html.h"
#include "as_private.h"
#include "oa2_client.h"
#include "oa2_duration.h"
#include "oa2_file.h"
#include "oa2_saml.h"
#include "oa2_uri.h"

/* Defaults live here and are applied by the getters at read time. */
static const struct {
    apr_int64_t access_token_lifetime;
    unsigned int grant_types;
    apr_int64_t code_lifetime;
    apr_int64_t refresh_token_lifetime;
    int require_pkce;
    int pkce_plain;
} defaults = {
    3600,
    OA2_GRANT_DEFAULTS,
    60,
    14 * 86400,
    0,
    0,
};

void *oauth2_as_create_dir_conf(apr_pool_t *p, char *dir)
{
    (void)dir;
    return apr_pcalloc(p, sizeof(oauth2_as_dir_conf));
}

void *oauth2_as_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    const oauth2_as_dir_conf *base = basev, *add = addv;
    oauth2_as_dir_conf *d = apr_pcalloc(p, sizeof(*d));

    d->password_providers = add->password_providers
        ? add->password_providers : base->password_providers;
    return d;
}

oauth2_as_dir_conf *oauth2_as_dir(request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &oauth2_as_module);
}

void *oauth2_as_create_srv_conf(apr_pool_t *p, server_rec *s)
{
    oauth2_as_srv_conf *conf = apr_pcalloc(p, sizeof(*conf));

    (void)s;
    conf->access_token_lifetime = -1;
    conf->grant_types = -1;
    conf->code_lifetime = -1;
    conf->refresh_token_lifetime = -1;
    conf->require_pkce = -1;
    conf->pkce_plain = -1;
    conf->token_format = -1;
    conf->password_max_failures = -1;
    conf->password_window = -1;
    conf->assertion_max_lifetime = -1;
    conf->purge_interval = -1;
    conf->client_auth_max_failures = -1;
    conf->client_auth_window = -1;
    conf->client_cache_ttl = -1;
    return conf;
}

void *oauth2_as_merge_srv_conf(apr_pool_t *p, void *basev, void *addv)
{
    const oauth2_as_srv_conf *base = basev, *add = addv;
    oauth2_as_srv_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->issuer = add->issuer ? add->issuer : base->issuer;
    conf->keys = add->keys ? add->keys : base->keys;
    conf->secret = add->secret ? add->secret : base->secret;
    conf->secret_len = add->secret ? add->secret_len : base->secret_len;
    conf->scopes = add->scopes ? add->scopes : base->scopes;
    conf->access_token_lifetime = add->access_token_lifetime != -1
        ? add->access_token_lifetime : base->access_token_lifetime;
    conf->default_audience = add->default_audience
        ? add->default_audience : base->default_audience;
    conf->grant_types = add->grant_types != -1 ? add->grant_types
                                               : base->grant_types;
    conf->code_lifetime = add->code_lifetime != -1 ? add->code_lifetime
                                                   : base->code_lifetime;
    conf->refresh_token_lifetime = add->refresh_token_lifetime != -1
        ? add->refresh_token_lifetime : base->refresh_token_lifetime;
    conf->require_pkce = add->require_pkce != -1 ? add->require_pkce
                                                 : base->require_pkce;
    conf->pkce_plain = add->pkce_plain != -1 ? add->pkce_plain
                                             : base->pkce_plain;
    conf->token_format = add->token_format != -1 ? add->token_format
                                                 : base->token_format;
    conf->password_max_failures = add->password_max_failures != -1
        ? add->password_max_failures : base->password_max_failures;
    conf->password_window = add->password_window != -1
        ? add->password_window : base->password_window;
    conf->jwt_issuers = add->jwt_issuers ? add->jwt_issuers
                                         : base->jwt_issuers;
    conf->assertion_max_lifetime = add->assertion_max_lifetime != -1
        ? add->assertion_max_lifetime : base->assertion_max_lifetime;
    conf->saml_idps = add->saml_idps ? add->saml_idps : base->saml_idps;
    conf->consent_template = add->consent_template
        ? add->consent_template : base->consent_template;
    conf->stylesheet = add->stylesheet ? add->stylesheet : base->stylesheet;
    conf->purge_interval = add->purge_interval != -1 ? add->purge_interval
                                                     : base->purge_interval;
    conf->client_auth_max_failures = add->client_auth_max_failures != -1
        ? add->client_auth_max_failures : base->client_auth_max_failures;
    conf->client_auth_window = add->client_auth_window != -1
        ? add->client_auth_window : base->client_auth_window;
    conf->client_cache_ttl = add->client_cache_ttl != -1
        ? add->client_cache_ttl : base->client_cache_ttl;
    conf->consent_tmpl = add->consent_template ? add->consent_tmpl
                                               : base->consent_tmpl;
    return conf;
}

oauth2_as_srv_conf *oauth2_as_srv(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &oauth2_as_module);
}

int oauth2_as_enabled(const oauth2_as_srv_conf *conf)
{
    return conf != NULL && conf->issuer != NULL;
}

apr_int64_t oauth2_as_access_token_lifetime(const oauth2_as_srv_conf *conf)
{
    return conf->access_token_lifetime != -1
        ? (apr_int64_t)apr_time_sec(conf->access_token_lifetime)
        : defaults.access_token_lifetime;
}

int oauth2_as_password_max_failures(const oauth2_as_srv_conf *conf)
{
    return conf->password_max_failures != -1 ? conf->password_max_failures
                                             : 5;
}

apr_int64_t oauth2_as_password_window(const oauth2_as_srv_conf *conf)
{
    return conf->password_window != -1
        ? (apr_int64_t)apr_time_sec(conf->password_window) : 600;
}

apr_int64_t oauth2_as_assertion_max_lifetime(const oauth2_as_srv_conf *conf)
{
    return conf->assertion_max_lifetime != -1
        ? (apr_int64_t)apr_time_sec(conf->assertion_max_lifetime) : 3600;
}

const oauth2_as_jwt_issuer *oauth2_as_jwt_issuer_find(
    const oauth2_as_srv_conf *conf, const char *iss)
{
    int i;

    for (i = 0; conf->jwt_issuers != NULL && iss != NULL
                && i < conf->jwt_issuers->nelts; i++) {
        const oauth2_as_jwt_issuer *j =
            &APR_ARRAY_IDX(conf->jwt_issuers, i, oauth2_as_jwt_issuer);
        if (strcmp(j->issuer, iss) == 0) {
            return j;
        }
    }
    return NULL;
}

const char *oauth2_as_stylesheet(apr_pool_t *p, const oauth2_as_srv_conf *c)
{
    return c->stylesheet ? c->stylesheet
                         : apr_pstrcat(p, c->base_path, "/static/oauth2.css",
                                       NULL);
}

int oauth2_as_client_auth_max_failures(const oauth2_as_srv_conf *conf)
{
    return conf->client_auth_max_failures != -1
        ? conf->client_auth_max_failures : 10;
}

apr_int64_t oauth2_as_client_auth_window(const oauth2_as_srv_conf *conf)
{
    return conf->client_auth_window != -1
        ? (apr_int64_t)apr_time_sec(conf->client_auth_window) : 600;
}

apr_int64_t oauth2_as_client_cache_ttl(const oauth2_as_srv_conf *conf)
{
    return conf->client_cache_ttl != -1
        ? (apr_int64_t)apr_time_sec(conf->client_cache_ttl) : 5;
}

apr_int64_t oauth2_as_purge_interval(const oauth2_as_srv_conf *conf)
{
    return conf->purge_interval != -1
        ? (apr_int64_t)apr_time_sec(conf->purge_interval) : 3600;
}

int oauth2_as_token_format(const oauth2_as_srv_conf *conf)
{
    return conf->token_format != -1 ? conf->token_format : AS_FORMAT_JWT;
}

apr_int64_t oauth2_as_code_lifetime(const oauth2_as_srv_conf *conf)
{
    return conf->code_lifetime != -1
        ? (apr_int64_t)apr_time_sec(conf->code_lifetime)
        : defaults.code_lifetime;
}

apr_int64_t oauth2_as_refresh_token_lifetime(const oauth2_as_srv_conf *conf)
{
    return conf->refresh_token_lifetime != -1
        ? (apr_int64_t)apr_time_sec(conf->refresh_token_lifetime)
        : defaults.refresh_token_lifetime;
}

int oauth2_as_require_pkce(const oauth2_as_srv_conf *conf)
{
    return conf->require_pkce != -1 ? conf->require_pkce
                                    : defaults.require_pkce;
}

int oauth2_as_pkce_plain(const oauth2_as_srv_conf *conf)
{
    return conf->pkce_plain != -1 ? conf->pkce_plain : defaults.pkce_plain;
}

unsigned int oauth2_as_grant_types(const oauth2_as_srv_conf *conf)
{
    return conf->grant_types != -1 ? (unsigned int)conf->grant_types
                                   : defaults.grant_types;
}

const oa2_jwk_t *oauth2_as_signing_key(const oauth2_as_srv_conf *conf)
{
    return APR_ARRAY_IDX(conf->keys, 0, const oa2_jwk_t *);
}

const char *oauth2_as_scope_text(const oauth2_as_srv_conf *conf,
                                 const char *name)
{
    int i;

    for (i = 0; conf->scopes != NULL && i < conf->scopes->nelts; i++) {
        const oauth2_as_scope_def *d =
            &APR_ARRAY_IDX(conf->scopes, i, oauth2_as_scope_def);
        if (strcmp(d->name, name) == 0) {
            return d->text;
        }
    }
    return NULL;
}

static oauth2_as_srv_conf *cmd_conf(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config,
                                &oauth2_as_module);
}

static const char *set_issuer(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_uri_t u;
    const char *why = oa2_uri_check_https(cmd->pool, arg, 1);

    (void)dc;
    if (why == NULL && (apr_uri_parse(cmd->pool, arg, &u) != APR_SUCCESS
                        || u.query != NULL)) {
        why = "must not contain a query";
    }
    if (why != NULL) {
        return apr_psprintf(cmd->pool, "%s %s: %s (an https URL, or http on "
                            "a loopback address for testing)",
                            cmd->cmd->name, arg, why);
    }
    cmd_conf(cmd)->issuer = arg;
    return NULL;
}

static const char *add_signing_key(cmd_parms *cmd, void *dc,
                                   const char *path, const char *kid)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);
    const char *file = ap_server_root_relative(cmd->pool, path);
    const char *why;
    oa2_jwk_t *key;
    int i;

    (void)dc;
    if (file == NULL) {
        return apr_psprintf(cmd->pool, "%s: invalid path %s",
                            cmd->cmd->name, path);
    }
    if (oa2_jwk_load_pem_file(cmd->pool, file, kid, &key, &why)
        != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, why);
    }
    if (conf->keys == NULL) {
        conf->keys = apr_array_make(cmd->pool, 2, sizeof(oa2_jwk_t *));
        if (!key->is_private) {
            return apr_psprintf(cmd->pool, "%s %s: the first key signs "
                                "tokens and must be a private key",
                                cmd->cmd->name, path);
        }
    }
    for (i = 0; i < conf->keys->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(conf->keys, i, oa2_jwk_t *)->kid,
                   key->kid) == 0) {
            return apr_psprintf(cmd->pool, "%s: kid %s is used twice",
                                cmd->cmd->name, key->kid);
        }
    }
    APR_ARRAY_PUSH(conf->keys, oa2_jwk_t *) = key;
    return NULL;
}

/* The secret's bytes, wiped when the configuration pool goes away. */
typedef struct {
    unsigned char *bytes;
    apr_size_t len;
} as_secret;

static apr_status_t secret_cleanup(void *data)
{
    as_secret *sec = data;

    OPENSSL_cleanse(sec->bytes, sec->len);
    return APR_SUCCESS;
}

static const char *set_secret(cmd_parms *cmd, void *dc, const char *arg)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);
    as_secret *sec = apr_pcalloc(cmd->pool, sizeof(*sec));
    const char *path, *why;
    char *buf;

    (void)dc;
    if (strncmp(arg, "file:", 5) != 0) {
        return apr_psprintf(cmd->pool, "%s must be file:<path> (a file of "
                            "at least %d bytes, e.g. 64 hex characters)",
                            cmd->cmd->name, AS_SECRET_MIN_LEN);
    }
    path = ap_server_root_relative(cmd->pool, arg + 5);
    if (path == NULL) {
        return apr_psprintf(cmd->pool, "%s: invalid path", cmd->cmd->name);
    }
    if (oa2_file_read(cmd->pool, path, 4096, &buf, &sec->len, &why)
        != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, why);
    }
    sec->bytes = (unsigned char *)buf;
    apr_pool_cleanup_register(cmd->pool, sec, secret_cleanup,
                              apr_pool_cleanup_null);
    while (sec->len > 0 && apr_isspace(sec->bytes[sec->len - 1])) {
        sec->len--;
    }
    if (sec->len < AS_SECRET_MIN_LEN) {
        return apr_psprintf(cmd->pool, "%s: %s holds %" APR_SIZE_T_FMT
                            " bytes; at least %d are needed (e.g. `openssl "
                            "rand -hex 32`)", cmd->cmd->name, path, sec->len,
                            AS_SECRET_MIN_LEN);
    }
    conf->secret = sec->bytes;
    conf->secret_len = sec->len;
    return NULL;
}

static const char *add_scope(cmd_parms *cmd, void *dc, const char *name,
                             const char *text)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);
    oauth2_as_scope_def *d;

    (void)dc;
    if (!oa2_scope_token_valid(name)) {
        return apr_psprintf(cmd->pool, "%s: %s is not a valid scope token",
                            cmd->cmd->name, name);
    }
    if (conf->scopes == NULL) {
        conf->scopes = apr_array_make(cmd->pool, 8,
                                      sizeof(oauth2_as_scope_def));
    }
    if (oauth2_as_scope_text(conf, name) != NULL) {
        return apr_psprintf(cmd->pool, "%s: scope %s is declared twice",
                            cmd->cmd->name, name);
    }
    d = apr_array_push(conf->scopes);
    d->name = name;
    d->text = text ? text : name;
    return NULL;
}

/* A duration ("90", "90s", "15m", "1h", "14d") within [min, max]. */
static const char *parse_duration(cmd_parms *cmd, const char *arg,
                                  apr_int64_t min, apr_int64_t max,
                                  const char *range,
                                  apr_interval_time_t *out)
{
    apr_int64_t secs;

    if (oa2_duration_parse(arg, &secs) != APR_SUCCESS || secs < min
        || secs > max) {
        return apr_psprintf(cmd->pool, "%s: %s is not a duration between "
                            "%s (seconds, or with a unit: 90s, 15m, 1h, 14d)",
                            cmd->cmd->name, arg, range);
    }
    *out = apr_time_from_sec(secs);
    return NULL;
}

static const char *set_access_token_lifetime(cmd_parms *cmd, void *dc,
                                             const char *arg)
{
    (void)dc;
    return parse_duration(cmd, arg, 10, 86400, "10s and 24h",
                          &cmd_conf(cmd)->access_token_lifetime);
}

static const char *set_code_lifetime(cmd_parms *cmd, void *dc,
                                     const char *arg)
{
    (void)dc;
    return parse_duration(cmd, arg, 5, 600, "5s and 10m",
                          &cmd_conf(cmd)->code_lifetime);
}

static const char *set_refresh_token_lifetime(cmd_parms *cmd, void *dc,
                                              const char *arg)
{
    (void)dc;
    return parse_duration(cmd, arg, 60, 366 * 86400, "1m and 366d",
                          &cmd_conf(cmd)->refresh_token_lifetime);
}

static const char *set_require_pkce(cmd_parms *cmd, void *dc, int on)
{
    (void)dc;
    cmd_conf(cmd)->require_pkce = on;
    return NULL;
}

static const char *set_pkce_plain(cmd_parms *cmd, void *dc, int on)
{
    (void)dc;
    cmd_conf(cmd)->pkce_plain = on;
    return NULL;
}

static const char *set_token_format(cmd_parms *cmd, void *dc,
                                    const char *arg)
{
    (void)dc;
    if (strcasecmp(arg, "jwt") == 0) {
        cmd_conf(cmd)->token_format = AS_FORMAT_JWT;
    }
    else if (strcasecmp(arg, "opaque") == 0) {
        cmd_conf(cmd)->token_format = AS_FORMAT_OPAQUE;
    }
    else {
        return apr_psprintf(cmd->pool, "%s must be jwt or opaque",
                            cmd->cmd->name);
    }
    return NULL;
}

static const char *add_password_provider(cmd_parms *cmd, void *dc,
                                         const char *name)
{
    oauth2_as_dir_conf *d = dc;
    oauth2_as_password_provider *pp;
    const authn_provider *provider = ap_lookup_provider(
        AUTHN_PROVIDER_GROUP, name, AUTHN_PROVIDER_VERSION);

    if (provider == NULL || provider->check_password == NULL) {
        return apr_psprintf(cmd->pool, "%s: unknown authn provider %s "
                            "(load mod_authn_%s?)", cmd->cmd->name, name,
                            name);
    }
    if (d->password_providers == NULL) {
        d->password_providers = apr_array_make(
            cmd->pool, 2, sizeof(oauth2_as_password_provider));
    }
    pp = apr_array_push(d->password_providers);
    pp->name = name;
    pp->provider = provider;
    return NULL;
}

/* "<failures> <window>" of the rate-limit directives. */
static const char *parse_rate_limit(cmd_parms *cmd, const char *max,
                                    const char *window, int *max_out,
                                    apr_interval_time_t *window_out)
{
    char *end;
    long n = strtol(max, &end, 10);

    if (*end != '\0' || n < 1 || n > 1000) {
        return apr_psprintf(cmd->pool, "%s: %s is not a number of failures "
                            "between 1 and 1000", cmd->cmd->name, max);
    }
    *max_out = (int)n;
    return parse_duration(cmd, window, 1, 86400, "1s and 24h", window_out);
}

static const char *set_password_rate_limit(cmd_parms *cmd, void *dc,
                                           const char *max,
                                           const char *window)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);

    (void)dc;
    return parse_rate_limit(cmd, max, window, &conf->password_max_failures,
                            &conf->password_window);
}

static const char *set_client_auth_rate_limit(cmd_parms *cmd, void *dc,
                                              const char *max,
                                              const char *window)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);

    (void)dc;
    return parse_rate_limit(cmd, max, window,
                            &conf->client_auth_max_failures,
                            &conf->client_auth_window);
}

static const char *set_client_cache_ttl(cmd_parms *cmd, void *dc,
                                        const char *arg)
{
    (void)dc;
    return parse_duration(cmd, arg, 0, 300, "0 and 5m",
                          &cmd_conf(cmd)->client_cache_ttl);
}

/* Verification keys from a PEM file (key or certificate) or file:<JWKS>. */
static apr_status_t load_keys(cmd_parms *cmd, const char *spec,
                              apr_array_header_t **keys, const char **why)
{
    const char *path = ap_server_root_relative(
        cmd->pool, strncmp(spec, "file:", 5) == 0 ? spec + 5 : spec);
    oa2_jwk_t *key;
    apr_size_t n;
    char *buf;

    if (path == NULL) {
        *why = "invalid path";
        return APR_EINVAL;
    }
    if (strncmp(spec, "file:", 5) != 0) {
        *keys = apr_array_make(cmd->pool, 1, sizeof(oa2_jwk_t *));
        if (oa2_jwk_load_pem_file(cmd->pool, path, NULL, &key, why)
            != APR_SUCCESS) {
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(*keys, oa2_jwk_t *) = key;
        return APR_SUCCESS;
    }
    if (oa2_file_read(cmd->pool, path, 1024 * 1024, &buf, &n, why)
        != APR_SUCCESS) {
        return APR_EINVAL;
    }
    return oa2_jwks_parse(cmd->pool, buf, n, keys, why);
}

static const char *add_jwt_issuer(cmd_parms *cmd, void *dc, const char *iss,
                                  const char *keys)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);
    oauth2_as_jwt_issuer *j;
    const char *why;

    apr_array_header_t *loaded;

    (void)dc;
    if (load_keys(cmd, keys, &loaded, &why) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s %s: %s", cmd->cmd->name, iss, why);
    }
    /* a second line for the same issuer adds keys (rollover) */
    j = (oauth2_as_jwt_issuer *)oauth2_as_jwt_issuer_find(conf, iss);
    if (j != NULL) {
        j->keys = apr_array_append(cmd->pool, j->keys, loaded);
        return NULL;
    }
    if (conf->jwt_issuers == NULL) {
        conf->jwt_issuers = apr_array_make(cmd->pool, 2,
                                           sizeof(oauth2_as_jwt_issuer));
    }
    j = apr_array_push(conf->jwt_issuers);
    j->issuer = iss;
    j->keys = loaded;
    return NULL;
}

static const char *add_saml_trust(cmd_parms *cmd, void *dc,
                                  const char *cert, const char *entity_id)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);
    const char *path = ap_server_root_relative(cmd->pool, cert), *why;
    oa2_saml_idp_t *idp;

    (void)dc;
    if (path == NULL
        || oa2_saml_idp_load(cmd->pool, path, entity_id, &idp, &why)
           != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s %s: %s", cmd->cmd->name, cert,
                            path ? why : "invalid path");
    }
    if (conf->saml_idps == NULL) {
        conf->saml_idps = apr_array_make(cmd->pool, 2,
                                         sizeof(oa2_saml_idp_t *));
    }
    APR_ARRAY_PUSH(conf->saml_idps, oa2_saml_idp_t *) = idp;
    return NULL;
}

static const char *set_assertion_max_lifetime(cmd_parms *cmd, void *dc,
                                              const char *arg)
{
    (void)dc;
    return parse_duration(cmd, arg, 10, 86400, "10s and 24h",
                          &cmd_conf(cmd)->assertion_max_lifetime);
}

static const char *set_stylesheet(cmd_parms *cmd, void *dc, const char *arg)
{
    (void)dc;
    /* same origin only: the pages' CSP allows style-src 'self' */
    if (arg[0] != '/' || arg[1] == '/' || strpbrk(arg, "\"'<> ") != NULL) {
        return apr_psprintf(cmd->pool, "%s must be a URL path on this server "
                            "(e.g. /css/oauth2.css)", cmd->cmd->name);
    }
    cmd_conf(cmd)->stylesheet = arg;
    return NULL;
}

static const char *set_purge_interval(cmd_parms *cmd, void *dc,
                                      const char *arg)
{
    (void)dc;
    return parse_duration(cmd, arg, 0, 7 * 86400, "0 (never) and 7d",
                          &cmd_conf(cmd)->purge_interval);
}

static const char *set_consent_template(cmd_parms *cmd, void *dc,
                                        const char *arg)
{
    oauth2_as_srv_conf *conf = cmd_conf(cmd);
    const char *path = ap_server_root_relative(cmd->pool, arg), *why;

    (void)dc;
    if (path == NULL
        || oauth2_as_consent_template_load(cmd->pool, path,
                                           &conf->consent_tmpl, &why)
           != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s %s: %s", cmd->cmd->name, arg,
                            path ? why : "invalid path");
    }
    conf->consent_template = path;
    return NULL;
}

static const char *set_default_audience(cmd_parms *cmd, void *dc,
                                        const char *arg)
{
    apr_uri_t u;

    (void)dc;
    if (apr_uri_parse(cmd->pool, arg, &u) != APR_SUCCESS
        || u.scheme == NULL || strchr(arg, '#') != NULL) {
        return apr_psprintf(cmd->pool, "%s: %s is not an absolute URI "
                            "without fragment", cmd->cmd->name, arg);
    }
    cmd_conf(cmd)->default_audience = arg;
    return NULL;
}

static const char *set_grant_types(cmd_parms *cmd, void *dc,
                                   const char *args)
{
    unsigned int grants;
    const char *bad;

    (void)dc;
    if (oa2_grant_list_parse(cmd->pool, args, &grants, &bad)
        != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: unknown grant type %s (known: "
                            "%s)", cmd->cmd->name, bad,
                            oa2_grant_list_text(cmd->pool, ~0u));
    }
    if (grants == 0) {
        return apr_psprintf(cmd->pool, "%s needs at least one grant type",
                            cmd->cmd->name);
    }
    cmd_conf(cmd)->grant_types = (int)grants;
    return NULL;
}

const command_rec oauth2_as_cmds[] = {
    AP_INIT_TAKE1(AS_ISSUER, set_issuer, NULL, RSRC_CONF,
        "The issuer URL (iss) of this authorization server; required"),
    AP_INIT_TAKE12(AS_SIGNING_KEY, add_signing_key, NULL, RSRC_CONF,
        "A PEM key (EC P-256, RSA >= 2048 or Ed25519) and optional kid; "
        "repeatable, the first signs, all are published in the JWKS"),
    AP_INIT_TAKE1(AS_SECRET, set_secret, NULL, RSRC_CONF,
        "file:<path> holding at least 32 bytes used to MAC CSRF and state "
        "values; the same on every node; required"),
    AP_INIT_TAKE12(AS_SCOPE, add_scope, NULL, RSRC_CONF,
        "Declares a scope and the text shown on the consent page; "
        "repeatable"),
    AP_INIT_TAKE1(AS_ACCESS_TOKEN_LIFETIME, set_access_token_lifetime, NULL,
        RSRC_CONF, "Lifetime of access tokens (default 1h)"),
    AP_INIT_TAKE1(AS_DEFAULT_AUDIENCE, set_default_audience, NULL, RSRC_CONF,
        "The aud of access tokens when the request names no resource "
        "(default: the issuer)"),
    AP_INIT_RAW_ARGS(AS_GRANT_TYPES, set_grant_types, NULL, RSRC_CONF,
        "Grant types enabled server-wide (default: authorization_code "
        "refresh_token client_credentials)"),
    AP_INIT_TAKE1(AS_CODE_LIFETIME, set_code_lifetime, NULL, RSRC_CONF,
        "Lifetime of authorization codes (default 60s)"),
    AP_INIT_TAKE1(AS_REFRESH_TOKEN_LIFETIME, set_refresh_token_lifetime,
        NULL, RSRC_CONF, "Lifetime of refresh tokens (default 14d; each "
        "rotation starts it again)"),
    AP_INIT_FLAG(AS_REQUIRE_PKCE, set_require_pkce, NULL, RSRC_CONF,
        "On: every client must use PKCE (default Off: public clients "
        "only)"),
    AP_INIT_FLAG(AS_PKCE_PLAIN, set_pkce_plain, NULL, RSRC_CONF,
        "On: accept code_challenge_method=plain (default Off: S256 only)"),
    AP_INIT_TAKE1(AS_ACCESS_TOKEN_FORMAT, set_token_format, NULL, RSRC_CONF,
        "jwt (RFC 9068, validated locally; the default) or opaque (random, "
        "stored hashed, validated by introspection)"),
    AP_INIT_ITERATE(AS_PASSWORD_PROVIDER, add_password_provider, NULL,
        RSRC_CONF | ACCESS_CONF, "Authn providers (file, dbd, ldap, ...) "
        "that check the password grant's username and password"),
    AP_INIT_TAKE2(AS_PASSWORD_RATE_LIMIT, set_password_rate_limit, NULL,
        RSRC_CONF, "Failed password grants allowed per user and per client "
        "within a window (default 5 10m)"),
    AP_INIT_TAKE2(AS_CLIENT_AUTH_RATE_LIMIT, set_client_auth_rate_limit,
        NULL, RSRC_CONF, "Failed client authentications allowed per "
        "client_id and per address within a window (default 10 10m)"),
    AP_INIT_TAKE1(AS_CLIENT_CACHE_TTL, set_client_cache_ttl, NULL,
        RSRC_CONF, "How long each process may reuse a client record read "
        "for authentication: the bound on how soon an edit made elsewhere "
        "takes effect (default 5s; 0: read it every time)"),
    AP_INIT_TAKE2(AS_JWT_BEARER_ISSUER, add_jwt_issuer, NULL, RSRC_CONF,
        "A trusted issuer of JWT bearer assertions and its keys (a PEM, or "
        "file:<jwks.json>); repeatable"),
    AP_INIT_TAKE1(AS_ASSERTION_MAX_LIFETIME, set_assertion_max_lifetime,
        NULL, RSRC_CONF, "Longest lifetime (exp - now) accepted for JWT "
        "assertions (default 1h)"),
    AP_INIT_TAKE2(AS_SAML_TRUST, add_saml_trust, NULL, RSRC_CONF,
        "A SAML identity provider trusted for the saml2-bearer grant: its "
        "signing certificate (PEM) and its entity id; repeatable"),
    AP_INIT_TAKE1(AS_STYLESHEET, set_stylesheet, NULL, RSRC_CONF,
        "A URL path on this server of the stylesheet the consent, account "
        "and admin pages link instead of the built-in one"),
    AP_INIT_TAKE1(AS_PURGE_INTERVAL, set_purge_interval, NULL, RSRC_CONF,
        "How often each httpd process deletes expired codes, tokens and "
        "nonces (default 1h; 0: never)"),
    AP_INIT_TAKE1(AS_CONSENT_TEMPLATE, set_consent_template, NULL, RSRC_CONF,
        "An HTML file replacing the built-in consent page (placeholders are "
        "checked at startup)"),
    { NULL }
};
