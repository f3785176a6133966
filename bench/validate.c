/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* bench/validate: what one uncached token validation costs in-process,
 * next to the signature verification alone, on one core.
 *
 * The resource server's miss path outside httpd: SHA-256 of the token (its
 * cache key), the JWS parse (base64url, header and payload JSON), the
 * signature, the claim checks, the digest and its cache text, the scope
 * set, and the store in the cache table. For scale, a cache hit's share:
 * the table lookup and copy, the digest read back and checked. bench/run
 * prints the table; it is a benchmark, not a test: it fails only when a
 * token does not validate.
 *
 * Usage: validate [tokens per round (10000)] [rounds (3)]
 * Prints one markdown table of medians over interleaved rounds, CPU time
 * of this process (CLOCK_PROCESS_CPUTIME_ID: other load on the machine
 * slows it down less than wall time would). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "oa2_claims.h"
#include "oa2_jose.h"
#include "oa2_jwt.h"
#include "oa2_scope.h"
#include "oa2_slotcache.h"
#include "oa2_token.h"

#define ISS "https://as.example.test"
#define AUD "https://rs.example.test"
#define MAX_ROUNDS 15
#define VALUE_MAX 4096          /* as mod_oauth2_rs's table */

typedef struct {
    const char *name;
    oa2_alg_e alg;
    apr_array_header_t *keys;     /* the one public key, as the RS has it */
    const char **tokens;
    oa2_jws_t **parsed;           /* for the signature-only loop */
    double sig_us[MAX_ROUNDS], full_us[MAX_ROUNDS], hit_us[MAX_ROUNDS];
    oa2_slotcache_t *table;       /* the verified tokens, as the RS keeps them */
} bench_alg_t;

static int ntokens = 10000;
static long hit_misses;         /* tokens the table did not keep (a full set) */

static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "validate: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    exit(1);
}

static apr_array_header_t *make_key(apr_pool_t *p, const char *name,
                                    oa2_jwk_t **signer)
{
    EVP_PKEY *pkey = strcmp(name, "ES256") == 0
                         ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")
                         : EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    apr_array_header_t *keys = apr_array_make(p, 1, sizeof(oa2_jwk_t *));
    const char *why = NULL;
    oa2_jwk_t *pub;
    unsigned char *der = NULL;
    const unsigned char *q;
    int len;

    if (pkey == NULL || oa2_jwk_from_pkey(p, pkey, "k1", signer, &why)
                            != APR_SUCCESS) {
        die("cannot make a key", why);
    }
    /* the RS holds only the public half, as from a PEM or a JWKS */
    len = i2d_PUBKEY(pkey, &der);
    q = der;
    if (len <= 0 || oa2_jwk_from_pkey(p, d2i_PUBKEY(NULL, &q, len), "k1",
                                      &pub, &why) != APR_SUCCESS) {
        die("cannot make the public key", why);
    }
    OPENSSL_free(der);
    APR_ARRAY_PUSH(keys, oa2_jwk_t *) = pub;
    return keys;
}

/* Tokens shaped like bench/gen_tokens.py's: the same claims and sizes. */
static void make_tokens(apr_pool_t *p, bench_alg_t *b)
{
    oa2_jwk_t *signer;
    apr_int64_t now = (apr_int64_t)apr_time_sec(apr_time_now());
    int i;

    b->keys = make_key(p, b->name, &signer);
    b->tokens = apr_pcalloc(p, sizeof(char *) * (apr_size_t)ntokens);
    b->parsed = apr_pcalloc(p, sizeof(oa2_jws_t *) * (apr_size_t)ntokens);
    for (i = 0; i < ntokens; i++) {
        const char *payload = apr_psprintf(p,
            "{\"iss\":\"" ISS "\",\"sub\":\"user-%d\",\"aud\":\"" AUD "\","
            "\"exp\":4102444800,\"iat\":%" APR_INT64_T_FMT ","
            "\"scope\":\"read write\",\"client_id\":\"bench-client\","
            "\"jti\":\"new-%d-%s\"}", i, now - 60, i,
            oa2_token_random(p, 6));
        oa2_err_t err = { NULL, NULL, 0 };

        if (oa2_jws_sign(p, signer, "at+jwt", payload, strlen(payload),
                         &b->tokens[i]) != APR_SUCCESS
            || oa2_jws_parse(p, b->tokens[i], strlen(b->tokens[i]),
                             &b->parsed[i], &err) != APR_SUCCESS) {
            die("cannot make a token", err.description);
        }
    }
}

static oa2_jwt_rules_t rules(void)
{
    static apr_array_header_t *auds;
    oa2_jwt_rules_t r;

    if (auds == NULL) {
        apr_pool_t *p;

        apr_pool_create(&p, NULL);
        auds = apr_array_make(p, 1, sizeof(const char *));
        APR_ARRAY_PUSH(auds, const char *) = AUD;
    }
    memset(&r, 0, sizeof(r));
    r.issuer = ISS;
    r.audiences = auds;
    r.now = (apr_int64_t)apr_time_sec(apr_time_now());
    r.leeway = 60;
    r.require_exp = 1;
    r.typ = "at+jwt";
    return r;
}

/* The signature alone, on tokens already parsed. */
static double loop_signature(const bench_alg_t *b)
{
    const oa2_jwk_t *key = APR_ARRAY_IDX(b->keys, 0, const oa2_jwk_t *);
    double t0 = cpu_now();
    int i;

    for (i = 0; i < ntokens; i++) {
        const oa2_jws_t *j = b->parsed[i];

        if (oa2_jws_verify_input(key, b->alg, j->signing_input,
                                 j->signing_input_len, j->sig, j->sig_len)
            != APR_SUCCESS) {
            die("a signature did not verify", b->name);
        }
    }
    return (cpu_now() - t0) / ntokens;
}

/* A table with room for every token (heap memory: the same code as in
 * shared memory). */
static oa2_slotcache_t *make_table(apr_pool_t *p)
{
    apr_size_t size = oa2_slotcache_size((apr_size_t)ntokens * 2, VALUE_MAX);
    oa2_slotcache_t *t;

    if (size == 0 || oa2_slotcache_init(apr_palloc(p, size), size,
                                        (apr_size_t)ntokens * 2, VALUE_MAX,
                                        &t) != APR_SUCCESS) {
        die("cannot make the cache table", NULL);
    }
    return t;
}

/* What the resource server does for a token it has not seen, but httpd:
 * the token validated, its digest stored in the table. */
static void validate_one(apr_pool_t *rp, bench_alg_t *b, const char *tok,
                         const oa2_jwt_rules_t *r)
{
    unsigned char hash[OA2_SHA256_LEN];
    oa2_err_t err = { NULL, NULL, 0 };
    const oa2_jwk_t *used;
    oa2_jws_t *jws;
    oa2_claims_t *c;
    oa2_scope_t *scope;
    const char *text;

    if (oa2_sha256(tok, strlen(tok), hash) != APR_SUCCESS
        || oa2_jws_parse(rp, tok, strlen(tok), &jws, &err) != APR_SUCCESS
        || oa2_jws_verify(jws, b->keys, OA2_ALG_ALL, &used) != APR_SUCCESS
        || oa2_jwt_check(jws, r, &err) != APR_SUCCESS
        || oa2_claims_digest(rp, jws->payload, jws->payload_text, &c)
           != APR_SUCCESS
        || (text = oa2_claims_text(rp, c)) == NULL
        || oa2_scope_parse(rp, c->scope, &scope) != APR_SUCCESS) {
        die("a token did not validate", err.description);
    }
    /* a full set now and then: the entry is verified again next time */
    oa2_slotcache_put(b->table, hash, r->now, r->now + 3600, text,
                      strlen(text));
}

/* A cache hit's share of the work, for scale: the table lookup and copy,
 * the digest read back and checked. */
static void hit_one(apr_pool_t *rp, bench_alg_t *b, const char *tok,
                    const oa2_jwt_rules_t *r)
{
    unsigned char hash[OA2_SHA256_LEN];
    oa2_err_t err = { NULL, NULL, 0 };
    char buf[VALUE_MAX];
    apr_size_t len;
    oa2_claims_t *c;
    oa2_scope_t *scope;

    if (oa2_sha256(tok, strlen(tok), hash) != APR_SUCCESS) {
        die("cannot hash a token", NULL);
    }
    if (oa2_slotcache_get(b->table, hash, r->now, buf, sizeof(buf), &len)
        != APR_SUCCESS) {
        hit_misses++;
        return;
    }
    if (oa2_claims_load(rp, apr_pstrmemdup(rp, buf, len), len, &c)
        != APR_SUCCESS
        || oa2_jwt_check_claims(c, r, &err) != APR_SUCCESS
        || oa2_scope_parse(rp, c->scope, &scope) != APR_SUCCESS) {
        die("a digest did not load", err.description);
    }
}

/* CPU time per token of one of the above over every token, with one pool
 * per request, cleared as httpd clears it. */
static double per_token(apr_pool_t *rp, bench_alg_t *b,
                        void (*one)(apr_pool_t *, bench_alg_t *,
                                    const char *, const oa2_jwt_rules_t *))
{
    oa2_jwt_rules_t r = rules();
    double t0 = cpu_now();
    int i;

    for (i = 0; i < ntokens; i++) {
        one(rp, b, b->tokens[i], &r);
        apr_pool_clear(rp);
    }
    return (cpu_now() - t0) / ntokens;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_ROUNDS];

    memcpy(s, v, sizeof(double) * (size_t)n);
    qsort(s, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    bench_alg_t algs[2] = { { .name = "ES256", .alg = OA2_ALG_ES256 },
                            { .name = "RS256", .alg = OA2_ALG_RS256 } };
    int rounds = 3, a, k;
    apr_pool_t *p, *rp;

    if (argc > 1) {
        ntokens = atoi(argv[1]);
    }
    if (argc > 2) {
        rounds = atoi(argv[2]);
    }
    if (ntokens < 1 || ntokens > 1000000 || rounds < 1
        || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: validate [tokens 1..1000000] [rounds 1..%d]\n",
                MAX_ROUNDS);
        return 2;
    }
    if (apr_initialize() != APR_SUCCESS || oa2_token_init() != APR_SUCCESS) {
        die("cannot initialise APR or OpenSSL", NULL);
    }
    apr_pool_create(&p, NULL);
    apr_pool_create(&rp, p);
    for (a = 0; a < 2; a++) {
        make_tokens(p, &algs[a]);
        algs[a].table = make_table(p);
    }
    /* interleaved, so that a slow moment of the machine spreads over
     * every column instead of spoiling one */
    for (k = 0; k < rounds; k++) {
        for (a = 0; a < 2; a++) {
            algs[a].sig_us[k] = loop_signature(&algs[a]);
            algs[a].full_us[k] = per_token(rp, &algs[a], validate_one);
            algs[a].hit_us[k] = per_token(rp, &algs[a], hit_one);
        }
    }
    printf("| alg | signature alone µs | full validation µs | overhead µs "
           "| full / signature | cache-hit work µs |\n"
           "|---|---|---|---|---|---|\n");
    for (a = 0; a < 2; a++) {
        double s = median(algs[a].sig_us, rounds);
        double f = median(algs[a].full_us, rounds);

        printf("| %s | %.1f | %.1f | %.1f | %.2f | %.1f |\n", algs[a].name,
               s, f, f - s, f / s, median(algs[a].hit_us, rounds));
    }
    printf("\n(in-process, one thread, CPU time per token, medians of %d "
           "interleaved rounds of %d distinct tokens; the token %zu / %zu "
           "characters; %ld lookups of %d missed)\n", rounds, ntokens,
           strlen(algs[0].tokens[0]), strlen(algs[1].tokens[0]), hit_misses,
           rounds * ntokens * 2);
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
