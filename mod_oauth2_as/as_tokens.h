/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_tokens: what a presented token is (JWT or opaque access token, refresh token) and whether it is still good. */
#ifndef AS_TOKENS_H
#define AS_TOKENS_H

#include <httpd.h>

/** The facts about a token this server issued. */
typedef struct oauth2_as_token_facts {
    int active;                 /* known, unexpired, not revoked */
    int is_refresh;             /* a refresh token (else an access token) */
    int is_jwt;                 /* a JWT access token */
    const char *token_hash;     /* opaque and refresh tokens */
    const char *jti;
    const char *client_id;
    const char *sub;            /* the resource owner, or the client */
    const char *username;       /* the resource owner, NULL for clients */
    const char *scope;
    const char *aud;
    const char *family_id;      /* refresh tokens */
    apr_int64_t exp;
    apr_int64_t iat;
} oauth2_as_token_facts;

/** child_init: the per-process memo of verified JWTs. */
void oauth2_as_tokens_child_init(apr_pool_t *p, server_rec *s);

/**
 * Finds out what a token is. JWTs are verified with this server's keys
 * and issuer, and their jti checked against the deny-list; other tokens
 * are looked up by hash among opaque access tokens and refresh tokens
 * at once (so a token_type_hint changes nothing).
 * @return APR_SUCCESS (see f->active), APR_NOTFOUND (not ours), or
 *         AS_STORE_EDB
 */
apr_status_t oauth2_as_token_facts_get(request_rec *r, const char *token,
                                       oauth2_as_token_facts *f);

#endif
