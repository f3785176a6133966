#!/usr/bin/env python3
"""The "printing site": a server-side web app using the authorization code flow.

It asks the user's permission to read their photos from the photo site
(protected by mod_oauth2_rs with OAuthRequireScope photos), exchanges the code
for tokens with its client secret, and prints the list it fetched.

Python 3 standard library only. Configuration comes from the environment:
  AS_URL          the authorization server, e.g. http://127.0.0.1:8080
  API_URL         the protected API, e.g. http://127.0.0.1:8080/flickr/photos
  CLIENT_ID, CLIENT_SECRET   from the registration (tools/demo prints them)
  LISTEN          host:port to serve on (default 127.0.0.1:8081)
The redirect URI registered for this client must be http://<LISTEN>/callback.
"""
import base64
import hashlib
import html
import http.server
import json
import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

AS_URL = os.environ.get("AS_URL", "http://127.0.0.1:8080")
API_URL = os.environ.get("API_URL", AS_URL + "/flickr/photos")
CLIENT_ID = os.environ.get("CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("CLIENT_SECRET", "")
HOST, PORT = os.environ.get("LISTEN", "127.0.0.1:8081").rsplit(":", 1)
REDIRECT_URI = f"http://{HOST}:{PORT}/callback"

# Pending authorization requests by state: the PKCE verifier to send later.
# (A real site keeps this in the user's server-side session.)
PENDING = {}


def log(*args):
    print("[printing-site]", *args, file=sys.stderr, flush=True)


def metadata():
    """RFC 8414: find the endpoints instead of hard-coding them."""
    with urllib.request.urlopen(AS_URL + "/.well-known/oauth-authorization-server") as r:
        return json.load(r)


def page(body):
    return ("<!doctype html><meta charset='utf-8'><title>Canon Print</title>"
            "<body style='font-family:sans-serif;max-width:40rem;margin:2rem auto'>"
            f"<h1>Canon Print</h1>{body}</body>").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def send_page(self, status, body, headers=()):
        data = page(body)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self.send_page(200, "<p>Print the photos you keep on the photo site.</p>"
                           "<p><a href='/print'><button>Print my photos</button></a></p>")
        elif url.path == "/print":
            self.start_flow()
        elif url.path == "/callback":
            self.callback(dict(urllib.parse.parse_qsl(url.query)))
        else:
            self.send_page(404, "<p>Not found</p>")

    def start_flow(self):
        """Step 1: send the user to the authorization endpoint (with PKCE and state)."""
        state = secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        PENDING[state] = verifier
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
            "scope": "photos", "state": state,
            "code_challenge": challenge, "code_challenge_method": "S256"})
        target = metadata()["authorization_endpoint"] + "?" + query
        log("redirecting the user to", target.split("?")[0])
        self.send_page(302, "<p>Redirecting…</p>", [("Location", target)])

    def callback(self, params):
        """Step 2: the user is back with a code (or an error)."""
        if "error" in params:
            log("authorization refused:", params["error"])
            self.send_page(200, f"<p>No photos: {html.escape(params['error'])}</p>")
            return
        verifier = PENDING.pop(params.get("state", ""), None)
        if verifier is None or params.get("iss") != AS_URL:
            self.send_page(400, "<p>Unexpected callback (state or issuer mismatch).</p>")
            return
        # Step 3: exchange the code, authenticating with client_secret_basic.
        body = urllib.parse.urlencode({"grant_type": "authorization_code",
                                       "code": params["code"],
                                       "redirect_uri": REDIRECT_URI,
                                       "code_verifier": verifier}).encode()
        cred = base64.b64encode(
            f"{urllib.parse.quote(CLIENT_ID, safe='')}:"
            f"{urllib.parse.quote(CLIENT_SECRET, safe='')}".encode()).decode()
        req = urllib.request.Request(metadata()["token_endpoint"], data=body,
                                     headers={"Authorization": "Basic " + cred})
        try:
            with urllib.request.urlopen(req) as r:
                tokens = json.load(r)
        except urllib.error.HTTPError as e:
            self.send_page(502, f"<p>Token request failed: {html.escape(e.read().decode())}</p>")
            return
        log("got an access token, scope:", tokens.get("scope"))
        # Step 4: call the protected API with the bearer token.
        api = urllib.request.Request(API_URL, headers={
            "Authorization": "Bearer " + tokens["access_token"]})
        with urllib.request.urlopen(api) as r:
            photos = json.load(r)["photos"]
        log("fetched", len(photos), "photos")
        items = "".join(f"<li>{html.escape(p)}</li>" for p in photos)
        self.send_page(200, f"<p>Printing these photos:</p><ul id='photos'>{items}</ul>")

    def log_message(self, fmt, *args):
        log(fmt % args)


if __name__ == "__main__":
    if not CLIENT_ID or not CLIENT_SECRET:
        sys.exit("set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)")
    log(f"listening on http://{HOST}:{PORT}/ (redirect URI {REDIRECT_URI})")
    http.server.ThreadingHTTPServer((HOST, int(PORT)), Handler).serve_forever()
