#!/usr/bin/env python3
"""Calling a protected API the way RFC 6750 §3 expects a client to: read the
WWW-Authenticate challenge of a 401 or 403 and act on it.

    401, no error           the API needs a token: get one
    401 invalid_token       the token expired or was revoked: get a new one
    403 insufficient_scope  the token is fine but too narrow: the challenge's
                            scope="..." says which scope the API wants; get a
                            token with it (a user-facing app would ask the user
                            again; this client uses client credentials)
    400 invalid_request     a bug in the request: give up

To show every case out of the box, the sample starts with a stale token and
first asks for a scope the API does not accept (userinfo/readonly); set
TOKEN="" and SCOPE=photos to see the straight path.

Python 3 standard library only. Configuration from the environment (tools/demo
prints the values; or: . run/samples.env):
  AS_URL                    the authorization server (default http://127.0.0.1:8080)
  API_URL                   the protected API (default $AS_URL/flickr/photos)
  CLIENT_ID, CLIENT_SECRET  a client_credentials client registered for the
                            scopes "photos userinfo/readonly"
  TOKEN                     the token to start with (default: an invalid one)
  SCOPE                     the scope of the first token request (default userinfo/readonly)
"""
import base64
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

AS_URL = os.environ.get("AS_URL", "http://127.0.0.1:8080")
API_URL = os.environ.get("API_URL", AS_URL + "/flickr/photos")
CLIENT_ID = os.environ.get("CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("CLIENT_SECRET", "")


def say(*args):
    print("[call-api]", *args, flush=True)


# RFC 7235 §2.1 / RFC 6750 §3: challenge = auth-scheme [ auth-param *( "," auth-param ) ]
# with auth-param = token "=" ( token / quoted-string ).
PARAM = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*'
                   r'("(?:[^"\\]|\\.)*"|[!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*(?:,|$)')


def parse_bearer_challenge(header):
    """'Bearer realm="x", error="insufficient_scope", scope="a b"' -> dict.
    Returns None when the header is not a Bearer challenge."""
    if not header:
        return None
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    params = {}
    for m in PARAM.finditer(rest):
        value = m.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[m.group(1).lower()] = value
    return params


class ApiClient:
    """Holds a token and gets a new one when the API's challenge asks for it."""

    def __init__(self, token=None, scope="photos"):
        self.token = token
        self.scope = scope

    def fetch_token(self):
        """Client credentials grant (see ../client-credentials)."""
        say(f"POST {AS_URL}/oauth2/token grant_type=client_credentials scope={self.scope!r}")
        cred = base64.b64encode(
            f"{urllib.parse.quote(CLIENT_ID, safe='')}:"
            f"{urllib.parse.quote(CLIENT_SECRET, safe='')}".encode()).decode()
        req = urllib.request.Request(
            AS_URL + "/oauth2/token", headers={"Authorization": "Basic " + cred},
            data=urllib.parse.urlencode({"grant_type": "client_credentials",
                                         "scope": self.scope}).encode())
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                answer = json.load(r)
        except urllib.error.HTTPError as e:
            sys.exit(f"token request refused ({e.code}): {e.read().decode()}")
        self.token = answer["access_token"]
        say(f"  got a token for scope {answer['scope']!r}")

    def get(self, url, attempts=4):
        """GET url with the token; recovers from 401/403 as the challenge says."""
        for _ in range(attempts):
            headers = {"Authorization": "Bearer " + self.token} if self.token else {}
            say("GET", url, "with a token" if self.token else "without a token")
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                            timeout=30) as r:
                    say("  200 OK")
                    return json.load(r)
            except urllib.error.HTTPError as e:
                challenge = parse_bearer_challenge(e.headers.get("WWW-Authenticate"))
                if challenge is None:
                    raise
                error = challenge.get("error")
                say(f"  {e.code}, WWW-Authenticate: {e.headers['WWW-Authenticate']}")
                if e.code == 401 and error is None:
                    say("  -> no error code: the API wants a token; getting one")
                elif e.code == 401 and error == "invalid_token":
                    say("  -> invalid_token: expired, revoked or not ours; getting a new one")
                elif e.code == 403 and error == "insufficient_scope":
                    wanted = challenge.get("scope", "")
                    if not wanted or set(wanted.split()) <= set(self.scope.split()):
                        raise   # asking again would not help
                    say(f"  -> insufficient_scope: the API wants scope {wanted!r}; "
                        "getting a token with it")
                    self.scope = wanted
                else:
                    raise       # invalid_request or another status: a bug, not retryable
                self.fetch_token()
        sys.exit(f"giving up after {attempts} attempts")


def main():
    if not CLIENT_ID or not CLIENT_SECRET:
        sys.exit("set CLIENT_ID and CLIENT_SECRET (tools/demo prints them)")
    token = os.environ.get("TOKEN", "a-token-that-expired-long-ago")
    client = ApiClient(token=token or None,
                       scope=os.environ.get("SCOPE", "userinfo/readonly"))
    try:
        photos = client.get(API_URL)
    except urllib.error.HTTPError as e:
        sys.exit(f"the API said {e.code} {e.reason}: "
                 f"{e.headers.get('WWW-Authenticate') or e.read().decode()[:200]}")
    say("the photos:", ", ".join(photos.get("photos", [])))


if __name__ == "__main__":
    main()
