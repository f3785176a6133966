/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* as_html: what every HTML page of the AS shares: security headers, layout, error pages, the stylesheet. */
#include <string.h>
#include <apr_strings.h>
#include <httpd.h>
#include <http_protocol.h>

#include "as_html.h"
#include "as_private.h"
#include "oa2_file.h"
#include "oa2_html.h"

/* The placeholders a consent template may use. */
static const char *const consent_names[] = {
    "client_name", "logo", "scopes", "action", "hidden", "csrf", "user",
    "stylesheet", "client_uri", NULL
};

static const char consent_default[] =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Allow {{client_name}}?</title>\n"
    "<link rel=\"stylesheet\" href=\"{{stylesheet}}\">\n</head>\n<body>\n"
    "<main class=\"card\">\n{{{logo}}}\n"
    "<h1>Do you want to allow <strong>{{client_name}}</strong> to access "
    "your account?</h1>\n"
    "<p>You are signed in as <strong>{{user}}</strong>. "
    "{{client_name}} is asking to:</p>\n<ul class=\"scopes\">\n{{{scopes}}}"
    "</ul>\n"
    "<form method=\"post\" action=\"{{action}}\">\n{{{hidden}}}"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">\n"
    "<div class=\"buttons\">\n"
    "<button type=\"submit\" name=\"decision\" value=\"allow\" "
    "class=\"primary\" autofocus>Allow</button>\n"
    "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
    "</div>\n</form>\n"
    "<p class=\"note\">You can withdraw this permission at any time on your "
    "authorized applications page.</p>\n"
    "</main>\n</body>\n</html>\n";

static const char stylesheet[] =
    ":root{color-scheme:light dark;--fg:#1b1f24;--bg:#f5f6f8;--card:#fff;"
    "--line:#d0d7de;--accent:#0b5fff;--muted:#57606a;--bad:#b3261e}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;"
    "--card:#161b22;--line:#30363d;--accent:#4493f8;--muted:#8b949e}}\n"
    "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;"
    "color:var(--fg);background:var(--bg)}\n"
    "main{max-width:56rem;margin:2rem auto;padding:0 1rem}\n"
    ".card{max-width:32rem;background:var(--card);border:1px solid var(--line);"
    "border-radius:12px;padding:1.5rem 2rem}\n"
    "h1{font-size:1.35rem;line-height:1.3}ul.scopes li{margin:.25rem 0}\n"
    ".logo{max-width:64px;max-height:64px}\n"
    ".buttons{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1rem}\n"
    "button,.button{font:inherit;padding:.55rem 1.2rem;border-radius:8px;"
    "border:1px solid var(--line);background:var(--card);color:var(--fg);"
    "cursor:pointer}\n"
    "button.primary{background:var(--accent);border-color:var(--accent);"
    "color:#fff}\nbutton.danger{color:var(--bad)}\n"
    "button:focus-visible,a:focus-visible,input:focus-visible,"
    "textarea:focus-visible,select:focus-visible{outline:3px solid "
    "var(--accent);outline-offset:2px}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;"
    "padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}\n"
    ".note,.muted{color:var(--muted);font-size:.9rem}.error{color:var(--bad)}\n"
    "header.admin{display:flex;justify-content:space-between;flex-wrap:"
    "wrap;gap:.5rem;padding:.75rem 1rem;border-bottom:1px solid var(--line);"
    "background:var(--card)}header.admin nav a{margin-right:1rem}\n"
    "a.button{display:inline-block;text-decoration:none}a.button.danger,"
    "button.danger{color:var(--bad)}\n"
    "fieldset{border:1px solid var(--line);border-radius:8px;margin:1rem 0}"
    "input,textarea,select{font:inherit;max-width:100%}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}"
    "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\n"
    ".buttons form{display:inline}code{overflow-wrap:anywhere}\n"
    "@media (max-width:40rem){.card{padding:1rem}table,thead,tbody,tr,th,td"
    "{display:block}thead{display:none}td{border:0;padding:.2rem 0}"
    "tr{border-bottom:1px solid var(--line);padding:.5rem 0}}\n";

/* The copy button of the admin's secret page: the only script, a file. */
static const char admin_script[] =
    "document.addEventListener('DOMContentLoaded',function(){\n"
    "  document.querySelectorAll('button.copy').forEach(function(b){\n"
    "    b.addEventListener('click',function(){\n"
    "      var f=document.getElementById(b.getAttribute('data-copy'));\n"
    "      f.select();\n"
    "      if(navigator.clipboard){navigator.clipboard.writeText(f.value);}\n"
    "      else{document.execCommand('copy');}\n"
    "      b.textContent='Copied';\n"
    "    });\n"
    "  });\n"
    "});\n";

void oauth2_as_html_headers(request_rec *r, const char *img_src)
{
    ap_set_content_type(r, "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "Pragma", "no-cache");
    apr_table_setn(r->headers_out, "X-Frame-Options", "DENY");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Referrer-Policy", "no-referrer");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   apr_pstrcat(r->pool, "default-src 'none'; style-src "
                               "'self'; img-src 'self' https:",
                               img_src ? " " : "", img_src ? img_src : "",
                               "; frame-ancestors 'none'; base-uri 'none'",
                               NULL));
}

int oauth2_as_html_page(request_rec *r, int status, const char *title,
                        const char *body)
{
    oauth2_as_srv_conf *conf = oauth2_as_srv(r->server);

    r->status = status;
    oauth2_as_html_headers(r, NULL);
    if (r->header_only) {
        return OK;
    }
    ap_rvputs(r, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
              "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
              "content=\"width=device-width, initial-scale=1\">\n<title>",
              oa2_html_escape(r->pool, title), "</title>\n"
              "<link rel=\"stylesheet\" href=\"",
              oa2_html_escape(r->pool, oauth2_as_stylesheet(r->pool, conf)),
              "\">\n</head>\n<body>\n<main>\n", body,
              "\n</main>\n</body>\n</html>\n", NULL);
    return OK;
}

int oauth2_as_html_error(request_rec *r, int status, const char *title,
                         const char *message)
{
    return oauth2_as_html_page(
        r, status, title,
        apr_pstrcat(r->pool, "<div class=\"card\"><h1>",
                    oa2_html_escape(r->pool, title), "</h1><p class=\"error\">",
                    oa2_html_escape(r->pool, message), "</p></div>", NULL));
}

int oauth2_as_static_handle(request_rec *r, const char *name)
{
    const char *body, *type;
    apr_size_t len;

    if (strcmp(name, "oauth2.css") == 0) {
        body = stylesheet;
        len = sizeof(stylesheet) - 1;
        type = "text/css; charset=utf-8";
    }
    else if (strcmp(name, "admin.js") == 0) {
        body = admin_script;
        len = sizeof(admin_script) - 1;
        type = "text/javascript; charset=utf-8";
    }
    else {
        return HTTP_NOT_FOUND;
    }
    if (r->method_number != M_GET) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, type);
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=3600");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (!r->header_only) {
        ap_rwrite(body, len, r);
    }
    return OK;
}

const char *oauth2_as_html_hidden(apr_pool_t *p, const char *const *pairs)
{
    const char *out = "";

    for (; pairs[0] != NULL; pairs += 2) {
        if (pairs[1] == NULL) {
            continue;
        }
        out = apr_pstrcat(p, out, "<input type=\"hidden\" name=\"",
                          oa2_html_escape(p, pairs[0]), "\" value=\"",
                          oa2_html_escape(p, pairs[1]), "\">\n", NULL);
    }
    return out;
}

apr_status_t oauth2_as_consent_template_load(apr_pool_t *p, const char *path,
                                             oa2_tmpl_t **out,
                                             const char **why)
{
    char *buf;
    apr_size_t n;
    apr_status_t rv = oa2_file_read(p, path, 256 * 1024, &buf, &n, why);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (strstr(buf, "{{csrf}}") == NULL || strstr(buf, "decision") == NULL) {
        *why = "the form must carry {{csrf}} and the decision buttons";
        return APR_EINVAL;
    }
    return oa2_tmpl_parse(p, buf, consent_names, out, why);
}

const oa2_tmpl_t *oauth2_as_consent_template_default(apr_pool_t *pconf)
{
    oa2_tmpl_t *t = NULL;
    const char *why;

    oa2_tmpl_parse(pconf, consent_default, consent_names, &t, &why);
    return t;
}
