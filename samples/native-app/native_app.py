#!/usr/bin/env python3
"""A command-line app that reads your photos: authorization code + PKCE for a
native app (RFC 8252).

The app cannot keep a secret (anyone can read its binary), so it is a public
client (token_endpoint_auth_method "none") and PKCE (RFC 7636) protects its
code. It never sees your password: it opens your browser at the authorization
server, where you sign in and allow access; the browser is then redirected to
a one-shot web server the app runs on the loopback interface (RFC 8252 §7.3),
which catches the code.

    1. listen on http://127.0.0.1:<random free port>/callback
    2. open the browser at /oauth2/authorize with state and a PKCE challenge
    3. catch the redirect, check state and iss (RFC 9207)
    4. exchange the code with the PKCE verifier (no client secret)
    5. call the photo API with the access token

Python 3 standard library only. Configuration from the environment (tools/demo
prints the values; or: . run/samples.env):
  AS_URL            the authorization server (default http://127.0.0.1:8080)
  API_URL           the protected API (default $AS_URL/flickr/photos)
  NATIVE_CLIENT_ID  a public client with redirect URI http://127.0.0.1/callback:
                    the server accepts any port on a loopback redirect URI
  SCOPE             the scope to ask for (default photos)
  NO_BROWSER=1      print the URL instead of opening a browser
  TIMEOUT           seconds to wait for the browser (default 300)
"""
import base64
import hashlib
import http.server
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import webbrowser

AS_URL = os.environ.get("AS_URL", "http://127.0.0.1:8080")
API_URL = os.environ.get("API_URL", AS_URL + "/flickr/photos")
CLIENT_ID = os.environ.get("NATIVE_CLIENT_ID", "")
SCOPE = os.environ.get("SCOPE", "photos")
NO_BROWSER = os.environ.get("NO_BROWSER", "") not in ("", "0")
TIMEOUT = float(os.environ.get("TIMEOUT", "300"))


def say(*args):
    print("[native-app]", *args, flush=True)


def post_form(url, fields):
    """POSTs a form and returns (status, JSON body)."""
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


class CallbackHandler(http.server.BaseHTTPRequestHandler):
    """Answers the browser's redirect to /callback and keeps its parameters."""
    params = None

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/callback":
            self.send_error(404)
            return
        CallbackHandler.params = dict(urllib.parse.parse_qsl(url.query))
        ok = "code" in CallbackHandler.params
        text = ("Done: you can close this window and go back to the terminal."
                if ok else "Authorization failed: see the terminal.")
        body = (f"<!doctype html><meta charset='utf-8'><title>Photo CLI</title>"
                f"<p>{text}</p>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    if not CLIENT_ID:
        sys.exit("set NATIVE_CLIENT_ID (tools/demo prints it)")

    # RFC 8414 discovery: the endpoints and the issuer identifier.
    with urllib.request.urlopen(AS_URL + "/.well-known/oauth-authorization-server",
                                timeout=30) as r:
        meta = json.load(r)

    # 1. The loopback listener: 127.0.0.1 (not "localhost", RFC 8252 §8.3),
    #    port 0 = any free port chosen by the OS.
    server = http.server.HTTPServer(("127.0.0.1", 0), CallbackHandler)
    redirect_uri = f"http://127.0.0.1:{server.server_port}/callback"
    say("listening on", redirect_uri)

    # 2. state (against CSRF: the answer must be to *our* request) and PKCE:
    #    a random verifier kept here, its SHA-256 (the challenge) sent now.
    state = secrets.token_urlsafe(16)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    url = meta["authorization_endpoint"] + "?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect_uri,
        "scope": SCOPE, "state": state,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    say("sign in and allow access in your browser:")
    print(url, flush=True)
    if not NO_BROWSER:
        webbrowser.open(url)

    # 3. Wait for the redirect (ignoring stray requests such as /favicon.ico).
    deadline = time.monotonic() + TIMEOUT
    while CallbackHandler.params is None:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.exit("timed out waiting for the browser")
        server.timeout = left
        server.handle_request()
    server.server_close()
    params = CallbackHandler.params
    say("the browser came back with:", ", ".join(sorted(params)))
    if params.get("state") != state:
        sys.exit("state mismatch: not the answer to our request")
    # RFC 9207: the answer must come from the server we asked (mix-up attacks).
    if params.get("iss") != meta["issuer"]:
        sys.exit(f"unexpected issuer {params.get('iss')!r}")
    if "error" in params:
        sys.exit(f"authorization refused: {params['error']} {params.get('error_description', '')}")

    # 4. The code exchange: a public client sends its client_id and the PKCE
    #    verifier instead of a secret; redirect_uri must be the same as above.
    say("exchanging the code at", meta["token_endpoint"])
    status, tokens = post_form(meta["token_endpoint"], {
        "grant_type": "authorization_code", "code": params["code"],
        "redirect_uri": redirect_uri, "client_id": CLIENT_ID, "code_verifier": verifier})
    if status != 200:
        sys.exit(f"token request failed ({status}): {tokens}")
    say(f"got an access token (scope {tokens.get('scope')!r}, expires in "
        f"{tokens.get('expires_in')} s)"
        + (" and a refresh token" if "refresh_token" in tokens else ""))
    # A real app keeps the refresh token in the OS keychain, not in a file.

    # 5. The API call.
    say("GET", API_URL)
    req = urllib.request.Request(API_URL, headers={
        "Authorization": "Bearer " + tokens["access_token"]})
    with urllib.request.urlopen(req, timeout=30) as r:
        photos = json.load(r)["photos"]
    say("your photos:", ", ".join(photos))


if __name__ == "__main__":
    main()
