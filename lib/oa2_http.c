/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* oa2_http: outbound HTTP calls (JWKS, introspection) through libcurl, with reusable handles. */
#include <string.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <curl/curl.h>

#include "oa2_form.h"
#include "oa2_http.h"

/* Reusable easy handles (each keeps its connections alive), guarded by a
 * mutex; created in child_init, cleaned up with the child's pool. */
#define OA2_HTTP_POOL_MAX 16
static CURL *handles[OA2_HTTP_POOL_MAX];
static int nhandles;
static apr_thread_mutex_t *handles_mutex;

static apr_status_t handles_cleanup(void *data)
{
    (void)data;
    while (nhandles > 0) {
        curl_easy_cleanup(handles[--nhandles]);
    }
    return APR_SUCCESS;
}

void oa2_http_init(apr_pool_t *p)
{
    apr_thread_mutex_create(&handles_mutex, APR_THREAD_MUTEX_DEFAULT, p);
    apr_pool_cleanup_register(p, NULL, handles_cleanup,
                              apr_pool_cleanup_null);
}

static CURL *handle_get(void)
{
    CURL *c = NULL;

    apr_thread_mutex_lock(handles_mutex);
    if (nhandles > 0) {
        c = handles[--nhandles];
    }
    apr_thread_mutex_unlock(handles_mutex);
    return c ? c : curl_easy_init();
}

static void handle_put(CURL *c)
{
    curl_easy_reset(c);
    apr_thread_mutex_lock(handles_mutex);
    if (nhandles < OA2_HTTP_POOL_MAX) {
        handles[nhandles++] = c;
        c = NULL;
    }
    apr_thread_mutex_unlock(handles_mutex);
    if (c != NULL) {
        curl_easy_cleanup(c);
    }
}

typedef struct {
    apr_pool_t *p;
    char *buf;
    apr_size_t len;
    apr_size_t cap;
    apr_size_t limit;
} body_sink;

static size_t write_body(char *data, size_t size, size_t n, void *baton)
{
    body_sink *sink = baton;
    size_t add = size * n;

    if (sink->len + add > sink->limit) {
        return 0;   /* aborts the transfer */
    }
    if (sink->len + add + 1 > sink->cap) {
        apr_size_t cap = (sink->len + add + 1) * 2;
        char *buf = apr_palloc(sink->p, cap);
        if (sink->len > 0) {
            memcpy(buf, sink->buf, sink->len);
        }
        sink->buf = buf;
        sink->cap = cap;
    }
    memcpy(sink->buf + sink->len, data, add);
    sink->len += add;
    sink->buf[sink->len] = '\0';
    return add;
}

apr_status_t oa2_http_get(apr_pool_t *p, const char *url,
                                apr_size_t limit, oa2_http_reply_t *reply,
                                const char **why)
{
    CURL *curl = curl_easy_init();
    body_sink sink = { p, NULL, 0, 0, limit };
    CURLcode rc;

    if (curl == NULL) {
        *why = "libcurl initialisation failed";
        return APR_EGENERAL;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "mod_oauth2");
    rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        *why = apr_pstrdup(p, curl_easy_strerror(rc));
        curl_easy_cleanup(curl);
        return APR_EGENERAL;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    curl_easy_cleanup(curl);
    reply->body = sink.buf ? sink.buf : apr_pstrdup(p, "");
    reply->len = sink.len;
    return APR_SUCCESS;
}

apr_status_t oa2_http_post_form(apr_pool_t *p, const char *url,
                                      const char *user, const char *password,
                                      const char *form, apr_size_t limit,
                                      oa2_http_reply_t *reply,
                                      const char **why)
{
    CURL *curl = handle_get();
    body_sink sink = { p, NULL, 0, 0, limit };
    struct curl_slist *headers;
    CURLcode rc;

    if (curl == NULL) {
        *why = "libcurl initialisation failed";
        return APR_EGENERAL;
    }
    headers = curl_slist_append(NULL, "Accept: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, oa2_form_encode(p, user));
    curl_easy_setopt(curl, CURLOPT_PASSWORD, oa2_form_encode(p, password));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "mod_oauth2");
    rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    }
    curl_slist_free_all(headers);
    handle_put(curl);
    if (rc != CURLE_OK) {
        *why = apr_pstrdup(p, curl_easy_strerror(rc));
        return APR_EGENERAL;
    }
    reply->body = sink.buf ? sink.buf : apr_pstrdup(p, "");
    reply->len = sink.len;
    return APR_SUCCESS;
}
