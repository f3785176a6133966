/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_grant_code: the authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6) and refresh_token (§6) grants. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_log.h>
#include <http_protocol.h>

#include "as_client_auth.h"
#include "as_grant.h"
#include "as_issue.h"
#include "as_private.h"
#include "oa2_pkce.h"
#include "oa2_token.h"

static int grant_error(request_rec *r, const char *error, const char *why)
{
    oa2_err_t err;

    oa2_err_set(&err, strcmp(error, OA2_ERR_SERVER_ERROR) == 0 ? 500 : 400,
                error, why);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA2LOGNO(11001)
                  "token request refused: %s (%s)", error, why ? why : "");
    return oauth2_as_reply_error(r, &err, 0);
}

static int unavailable(request_rec *r)
{
    return oauth2_as_reply_unavailable(r);
}

apr_status_t oauth2_as_new_refresh(request_rec *r, const oauth2_as_grant *g,
                                   const char *family_id, const char **token,
                                   oauth2_as_refresh_rec *rec)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    *token = NULL;
    if (!(g->client->meta->grant_types & OA2_GRANT_REFRESH_TOKEN)
        || !(oauth2_as_grant_types(conf) & OA2_GRANT_REFRESH_TOKEN)) {
        return APR_SUCCESS;
    }
    *token = oa2_token_random(r->pool, 32);
    if (*token == NULL) {
        return APR_EGENERAL;
    }
    memset(rec, 0, sizeof(*rec));
    rec->token_hash = oa2_token_hash(r->pool, *token);
    rec->family_id = family_id;
    rec->client_id = g->client->client_id;
    rec->username = g->sub;
    rec->scope = oa2_scope_join(r->pool, g->scope);
    rec->audience = g->audience;
    rec->created_at = oauth2_as_now();
    rec->expires_at = rec->created_at
                      + oauth2_as_refresh_token_lifetime(conf);
    return APR_SUCCESS;
}

/* A replayed code: its first redemption is presumed stolen (RFC 6749
 * §4.1.2, RFC 9700 §4.5), so what it issued is revoked. */
static int code_replayed(request_rec *r, const oauth2_as_code_rec *c)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11002)
                  "Security - authorization code replayed for client %s "
                  "from %s: revoking what it issued", c->client_id,
                  r->useragent_ip);
    if (oauth2_as_store_grant_revoke(r, c->family_id, c->access_jti,
                                     oauth2_as_now()
                                     + oauth2_as_access_token_lifetime(conf))
        != APR_SUCCESS) {
        return unavailable(r);
    }
    return grant_error(r, OA2_ERR_INVALID_GRANT, "code already used");
}

/* The checks RFC 6749 §4.1.3 and RFC 7636 §4.6 ask of a redeemed code. */
static const char *code_mismatch(request_rec *r, const oauth2_as_code_rec *c,
                                 apr_table_t *params,
                                 const oauth2_as_client_auth *auth,
                                 apr_int64_t now)
{
    const char *uri = apr_table_get(params, "redirect_uri");
    const char *verifier = apr_table_get(params, "code_verifier");

    if (strcmp(c->client_id, auth->client->client_id) != 0) {
        return "code was issued to another client";
    }
    if (c->expires_at < now) {
        return "code expired";
    }
    if (c->redirect_uri_given
        ? (uri == NULL || strcmp(uri, c->redirect_uri) != 0)
        : (uri != NULL && strcmp(uri, c->redirect_uri) != 0)) {
        return "redirect_uri differs from the authorization request";
    }
    if (c->code_challenge != NULL) {
        if (verifier == NULL
            || !oa2_pkce_verify(r->pool, c->code_challenge_method,
                                c->code_challenge, verifier)) {
            return "PKCE verification failed";
        }
    }
    else if (verifier != NULL) {
        /* RFC 9700 §2.1.1: a verifier without a challenge is a downgrade */
        return "code_verifier sent but the request had no code_challenge";
    }
    return NULL;
}

int oauth2_as_grant_authorization_code(request_rec *r, apr_table_t *params,
                                       const oauth2_as_client_auth *auth)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *code = apr_table_get(params, "code"), *why, *refresh;
    apr_int64_t now = oauth2_as_now();
    oauth2_as_code_rec *c = NULL;
    oauth2_as_refresh_rec rec;
    oauth2_as_grant g;
    oauth2_as_token t;
    oa2_scope_t *scope;
    int replayed, stored;
    apr_status_t rv;

    if (code == NULL || *code == '\0' || strlen(code) > 256) {
        return grant_error(r, OA2_ERR_INVALID_REQUEST, "code is required");
    }
    /* the refresh token is made first and stored with the code's
     * redemption, in one statement (the access token it goes with has the
     * id the code carries and is issued at `now`) */
    memset(&g, 0, sizeof(g));
    g.client = auth->client;
    if (oauth2_as_new_refresh(r, &g, NULL, &refresh, &rec) != APR_SUCCESS) {
        return grant_error(r, OA2_ERR_SERVER_ERROR, NULL);
    }
    rec.access_exp = now + oauth2_as_access_token_lifetime(conf);
    rv = oauth2_as_store_code_redeem(r, oa2_token_hash(r->pool, code),
                                     auth->client->client_id, now,
                                     refresh != NULL ? &rec : NULL, &c,
                                     &replayed, &stored);
    if (rv == AS_STORE_EDB) {
        return unavailable(r);
    }
    if (rv != APR_SUCCESS) {
        return replayed ? code_replayed(r, c)
                        : grant_error(r, OA2_ERR_INVALID_GRANT,
                                      "unknown code");
    }
    why = code_mismatch(r, c, params, auth, now);
    if (why == NULL && refresh != NULL && !stored) {
        /* the statement's own checks (client, expiry) agree with
         * code_mismatch: only a changed row could get here */
        why = "code changed while it was redeemed";
    }
    if (why != NULL) {
        if (stored) {
            /* never handed out, but not to be left lying around */
            oauth2_as_store_refresh_delete(r, rec.token_hash);
        }
        return grant_error(r, OA2_ERR_INVALID_GRANT, why);
    }
    oa2_scope_parse(r->pool, c->scope, &scope);
    g.sub = c->username;
    g.has_user = 1;
    g.scope = scope;
    g.audience = c->audience;
    g.jti = c->access_jti;
    g.family_id = c->family_id;
    g.issued_at = now;
    rv = oauth2_as_issue_access_token(r, &g, &t);
    if (rv != APR_SUCCESS) {
        if (stored) {
            oauth2_as_store_refresh_delete(r, rec.token_hash);
        }
        return oauth2_as_reply_issue_failed(r, rv);
    }
    return oauth2_as_reply_token(r, &t, scope, refresh);
}

/* Reuse of a rotated refresh token: revoke the whole family (RFC 9700
 * §4.14.2). */
static int refresh_reused(request_rec *r, const oauth2_as_refresh_rec *t)
{
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA2LOGNO(11003)
                  "Security - rotated refresh token reused for client %s "
                  "and user %s from %s: revoking the family", t->client_id,
                  t->username, r->useragent_ip);
    if (oauth2_as_store_grant_revoke(r, t->family_id, NULL, 0)
        != APR_SUCCESS) {
        return unavailable(r);
    }
    return grant_error(r, OA2_ERR_INVALID_GRANT, "refresh token reused");
}

/* RFC 6749 §6: scope may narrow, never widen; and never beyond what is
 * declared today. */
static apr_status_t refresh_scope(request_rec *r, apr_table_t *params,
                                  const oauth2_as_refresh_rec *t,
                                  oa2_scope_t **scope)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);
    const char *want = apr_table_get(params, "scope");
    oa2_scope_t *granted, *asked;

    oa2_scope_parse(r->pool, t->scope, &granted);
    if (want == NULL) {
        *scope = oa2_scope_intersect(r->pool, granted, conf->declared);
        return APR_SUCCESS;
    }
    if (oa2_scope_parse(r->pool, want, &asked) != APR_SUCCESS
        || !oa2_scope_subset(asked, granted)) {
        return APR_EINVAL;
    }
    *scope = oa2_scope_intersect(r->pool, asked, conf->declared);
    return APR_SUCCESS;
}

int oauth2_as_grant_refresh_token(request_rec *r, apr_table_t *params,
                                  const oauth2_as_client_auth *auth)
{
    const char *token = apr_table_get(params, "refresh_token"), *refresh;
    oauth2_as_refresh_rec *t, rec;
    oauth2_as_grant g;
    oauth2_as_token at;
    oa2_scope_t *scope;
    apr_status_t rv;

    if (token == NULL || *token == '\0' || strlen(token) > 256) {
        return grant_error(r, OA2_ERR_INVALID_REQUEST,
                           "refresh_token is required");
    }
    rv = oauth2_as_store_refresh_get(r, oa2_token_hash(r->pool, token), &t);
    if (rv == AS_STORE_EDB) {
        return unavailable(r);
    }
    if (rv != APR_SUCCESS
        || strcmp(t->client_id, auth->client->client_id) != 0) {
        return grant_error(r, OA2_ERR_INVALID_GRANT, "unknown refresh token");
    }
    if (t->revoked_at != 0 || t->expires_at < oauth2_as_now()) {
        return grant_error(r, OA2_ERR_INVALID_GRANT,
                           "refresh token revoked or expired");
    }
    if (t->rotated_at != 0) {
        return refresh_reused(r, t);
    }
    if (refresh_scope(r, params, t, &scope) != APR_SUCCESS) {
        return grant_error(r, OA2_ERR_INVALID_SCOPE,
                           "scope wider than the original grant");
    }
    memset(&g, 0, sizeof(g));
    g.client = auth->client;
    g.sub = t->username;
    g.has_user = 1;
    g.scope = scope;
    g.audience = t->audience;
    g.family_id = t->family_id;
    if (oauth2_as_new_refresh(r, &g, t->family_id, &refresh, &rec)
            != APR_SUCCESS
        || refresh == NULL) {
        return grant_error(r, OA2_ERR_UNAUTHORIZED_CLIENT,
                           "refresh tokens are not enabled for this client");
    }
    /* the granted scope stays with the family; the token narrows only the
     * access token issued now */
    rec.scope = t->scope;
    rv = oauth2_as_issue_access_token(r, &g, &at);
    if (rv != APR_SUCCESS) {
        return oauth2_as_reply_issue_failed(r, rv);
    }
    rec.access_jti = at.jti;
    rec.access_exp = at.exp;
    rv = oauth2_as_store_refresh_rotate(r, t->token_hash, &rec);
    if (rv == APR_EEXIST) {
        return refresh_reused(r, t);
    }
    if (rv != APR_SUCCESS) {
        return unavailable(r);
    }
    return oauth2_as_reply_token(r, &at, scope, refresh);
}
