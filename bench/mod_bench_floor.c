/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* mod_bench_floor: a yardstick for bench/run, never installed. Where
 * "BenchFloorKey <pem>" is set, each request's bearer token gets its JWS
 * signature verified with that key and nothing else: no cache key, no
 * JSON, no claims, no cache. The "new tokens" cases compare the resource
 * server's full miss path with this floor: what one signature
 * verification costs inside the same httpd, under the same load. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_config.h>
#include <http_request.h>

#include "oa2_b64url.h"
#include "oa2_jose.h"

module AP_MODULE_DECLARE_DATA bench_floor_module;

typedef struct {
    oa2_jwk_t *key;
} floor_dir_conf;

static void *floor_dir_create(apr_pool_t *p, char *dir)
{
    (void)dir;
    return apr_pcalloc(p, sizeof(floor_dir_conf));
}

static const char *set_key(cmd_parms *cmd, void *conf, const char *path)
{
    floor_dir_conf *d = conf;
    const char *why = NULL;

    if (oa2_jwk_load_pem_file(cmd->pool, ap_server_root_relative(cmd->pool,
                                                                 path),
                              NULL, &d->key, &why) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "BenchFloorKey %s: %s", path,
                            why ? why : "cannot load");
    }
    return NULL;
}

/* 401 for anything but a token whose signature verifies with the key. */
static int floor_check(request_rec *r)
{
    floor_dir_conf *d = ap_get_module_config(r->per_dir_config,
                                             &bench_floor_module);
    const char *h, *dot;
    unsigned char *sig;
    apr_size_t sig_len;

    if (d->key == NULL) {
        return DECLINED;
    }
    h = apr_table_get(r->headers_in, "Authorization");
    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0
        || (dot = strrchr(h + 7, '.')) == NULL
        || oa2_b64url_decode(r->pool, dot + 1, strlen(dot + 1), &sig,
                             &sig_len) != APR_SUCCESS
        || oa2_jws_verify_input(d->key, d->key->alg, h + 7,
                                (apr_size_t)(dot - (h + 7)), sig, sig_len)
           != APR_SUCCESS) {
        return HTTP_UNAUTHORIZED;
    }
    return OK;
}

static const command_rec floor_cmds[] = {
    AP_INIT_TAKE1("BenchFloorKey", set_key, NULL, ACCESS_CONF,
                  "a public key (PEM): verify each bearer token's signature "
                  "with it, and nothing else"),
    { NULL }
};

static void floor_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_access_checker(floor_check, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(bench_floor) = {
    STANDARD20_MODULE_STUFF,
    floor_dir_create,
    NULL,
    NULL,
    NULL,
    floor_cmds,
    floor_hooks,
    AP_MODULE_FLAG_NONE
};
