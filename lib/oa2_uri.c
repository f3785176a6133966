/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_uri: redirect-URI rules (RFC 6749 §3.1.2, RFC 8252, RFC 9700) and URL checks. */
#include <string.h>
#include <arpa/inet.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>

#include "oa2_uri.h"

int oa2_uri_host_is_loopback(const char *host)
{
    struct in_addr a4;

    if (host == NULL) {
        return 0;
    }
    /* a whole dotted-quad address: "127.0.0.1.evil.example" is a DNS name */
    if (inet_pton(AF_INET, host, &a4) == 1) {
        return (ntohl(a4.s_addr) >> 24) == 127;
    }
    return strcmp(host, "::1") == 0
           || strcmp(host, "[::1]") == 0
           || strcasecmp(host, "localhost") == 0;
}

static int printable_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F) {
            return 0;
        }
    }
    return 1;
}

/* Parses and applies the checks shared by every absolute URL. */
static const char *parse_absolute(apr_pool_t *p, const char *uri,
                                  apr_uri_t *u)
{
    if (uri == NULL || *uri == '\0') {
        return "empty URI";
    }
    if (strlen(uri) > OA2_URI_MAX_LEN) {
        return "URI too long";
    }
    if (!printable_ascii(uri)) {
        return "URI contains spaces, control or non-ASCII characters";
    }
    if (apr_uri_parse(p, uri, u) != APR_SUCCESS || u->scheme == NULL) {
        return "not an absolute URI";
    }
    if (strchr(uri, '#') != NULL) {
        return "URI must not contain a fragment";
    }
    return NULL;
}

const char *oa2_uri_check_https(apr_pool_t *p, const char *uri,
                                int allow_loopback_http)
{
    apr_uri_t u;
    const char *why = parse_absolute(p, uri, &u);

    if (why != NULL) {
        return why;
    }
    if (u.hostname == NULL || *u.hostname == '\0') {
        return "URI has no host";
    }
    if (u.user != NULL || u.password != NULL) {
        return "URI must not contain user information";
    }
    if (strcasecmp(u.scheme, "https") == 0) {
        return NULL;
    }
    if (allow_loopback_http && strcasecmp(u.scheme, "http") == 0
        && oa2_uri_host_is_loopback(u.hostname)) {
        return NULL;
    }
    return "URI must use https";
}

const char *oa2_uri_check_redirect(apr_pool_t *p, const char *uri)
{
    apr_uri_t u;
    const char *why = parse_absolute(p, uri, &u);
    const char *s;

    if (why != NULL) {
        return why;
    }
    for (s = u.scheme; *s; s++) {
        if (!apr_isalnum(*s) && *s != '+' && *s != '-' && *s != '.') {
            return "invalid URI scheme";
        }
    }
    if (strcasecmp(u.scheme, "https") == 0) {
        return (u.hostname && *u.hostname) ? NULL : "URI has no host";
    }
    if (strcasecmp(u.scheme, "http") == 0) {
        return oa2_uri_host_is_loopback(u.hostname)
               ? NULL : "http redirect URIs are allowed for loopback only";
    }
    /* RFC 8252 §7.1: private-use schemes are reverse domain names */
    if (strchr(u.scheme, '.') == NULL) {
        return "scheme must be https, loopback http or a reverse-domain "
               "private-use scheme";
    }
    return NULL;
}

/* RFC 8252 §7.3: for loopback IP redirects the port may differ, since a
 * native app takes whatever port is free. Everything else stays exact. */
static int loopback_match(apr_pool_t *p, const char *registered,
                          const char *requested)
{
    apr_uri_t a, b;

    if (apr_uri_parse(p, registered, &a) != APR_SUCCESS
        || apr_uri_parse(p, requested, &b) != APR_SUCCESS
        || a.scheme == NULL || b.scheme == NULL
        || strcmp(a.scheme, "http") != 0 || strcmp(b.scheme, "http") != 0
        || a.hostname == NULL || b.hostname == NULL
        || strcmp(a.hostname, b.hostname) != 0
        || (strcmp(a.hostname, "127.0.0.1") != 0
            && strcmp(a.hostname, "::1") != 0)
        || a.user != NULL || b.user != NULL
        || a.fragment != NULL || b.fragment != NULL) {
        return 0;
    }
    return strcmp(a.path ? a.path : "", b.path ? b.path : "") == 0
           && strcmp(a.query ? a.query : "", b.query ? b.query : "") == 0
           && (a.query == NULL) == (b.query == NULL);
}

int oa2_uri_redirect_match(apr_pool_t *p,
                           const apr_array_header_t *registered,
                           const char *requested)
{
    int i;

    if (registered == NULL || requested == NULL) {
        return 0;
    }
    for (i = 0; i < registered->nelts; i++) {
        const char *r = APR_ARRAY_IDX(registered, i, const char *);
        if (strcmp(r, requested) == 0 || loopback_match(p, r, requested)) {
            return 1;
        }
    }
    return 0;
}
