#!/usr/bin/env python3
"""Serves the single-page app (index.html) on the loopback interface.

Like a front-end dev server, it does three things and nothing OAuth-specific:
  /            index.html, the app itself (all the OAuth work happens there)
  /config.js   the app's settings, from the environment below
  /api         forwarded to the photo API with the page's Authorization header

Why /api: the page runs on http://127.0.0.1:8082 and the API on another
origin (port 8080), so the browser would first send a CORS preflight
(OPTIONS, without the token) which a bearer-protected location answers with
401. Serving the page from the API's own origin, or a proxy like this one,
avoids that; the token still lives in the page and is sent by it.

Python 3 standard library only. Configuration from the environment (tools/demo
prints the values; or: . run/samples.env):
  AS_URL         the authorization server (default http://127.0.0.1:8080)
  API_URL        the protected API (default $AS_URL/flickr/photos)
  SPA_CLIENT_ID  a client registered with grant_types ["implicit"],
                 token_endpoint_auth_method "none" and the redirect URI
                 http://<LISTEN>/ (the demo registers http://127.0.0.1:8082/)
  SCOPE          the scope to ask for (default photos)
  LISTEN         host:port to serve on (default 127.0.0.1:8082)
Then open http://127.0.0.1:8082/ and click the button.
"""
import http.server
import json
import os
import sys
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
AS_URL = os.environ.get("AS_URL", "http://127.0.0.1:8080")
API_URL = os.environ.get("API_URL", AS_URL + "/flickr/photos")
CLIENT_ID = os.environ.get("SPA_CLIENT_ID", "")
SCOPE = os.environ.get("SCOPE", "photos")
HOST, PORT = os.environ.get("LISTEN", "127.0.0.1:8082").rsplit(":", 1)


def log(*args):
    print("[spa-server]", *args, file=sys.stderr, flush=True)


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        # the page should not leak its URL (the fragment is never sent, but still)
        self.send_header("Referrer-Policy", "no-referrer")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            with open(os.path.join(HERE, "index.html"), "rb") as f:
                self.reply(200, "text/html; charset=utf-8", f.read())
        elif path == "/config.js":
            cfg = {"asUrl": AS_URL, "clientId": CLIENT_ID, "scope": SCOPE, "apiUrl": "/api"}
            self.reply(200, "text/javascript",
                       f"window.SPA_CONFIG = {json.dumps(cfg)};\n".encode())
        elif path == "/api":
            self.forward()
        else:
            self.reply(404, "text/plain", b"not found\n")

    def forward(self):
        """Passes the request on to API_URL and the answer back, as it is."""
        headers = {}
        if self.headers.get("Authorization"):
            headers["Authorization"] = self.headers["Authorization"]
        req = urllib.request.Request(API_URL, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, rheaders, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, rheaders, body = e.code, e.headers, e.read()
        extra = [("WWW-Authenticate", rheaders["WWW-Authenticate"])] \
            if rheaders.get("WWW-Authenticate") else []
        self.reply(status, rheaders.get("Content-Type", "application/json"), body, extra)

    def log_message(self, fmt, *args):
        log(fmt % args)


if __name__ == "__main__":
    if not CLIENT_ID:
        sys.exit("set SPA_CLIENT_ID (tools/demo prints it)")
    log(f"open http://{HOST}:{PORT}/ (redirect URI http://{HOST}:{PORT}/)")
    http.server.ThreadingHTTPServer((HOST, int(PORT)), Handler).serve_forever()
