"""Driving the authorization endpoint like a browser would, with requests."""
import base64
import hashlib
import html.parser
import secrets
import urllib.parse

import requests

ALICE = ("alice", "alice-pw")


class FormParser(html.parser.HTMLParser):
    """Collects the inputs of the page's first form."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}
        self.buttons = []
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action")
            self._in_form = True
        elif tag == "input" and self._in_form and a.get("type") == "hidden":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and self._in_form:
            self.buttons.append((a.get("name"), a.get("value")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def parse_form(page):
    p = FormParser()
    p.feed(page)
    return p


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(httpd, params, user=ALICE, session=None):
    """GET /oauth2/authorize; returns the response (redirects not followed)."""
    s = session or requests.Session()
    return s.get(httpd.url + "/oauth2/authorize", params=params, auth=user,
                 allow_redirects=False, timeout=10)


def decide(httpd, consent_page, decision="allow", user=ALICE, tamper=None):
    """Posts the consent form back with the chosen button."""
    form = parse_form(consent_page.text)
    data = dict(form.fields)
    data["decision"] = decision
    if tamper:
        tamper(data)
    return requests.post(httpd.url + form.action, data=data, auth=user,
                         allow_redirects=False, timeout=10)


def redirect_params(resp):
    """The parameters of a redirect Location (query or fragment)."""
    loc = resp.headers["Location"]
    u = urllib.parse.urlsplit(loc)
    part = u.fragment or u.query
    return {k: v[0] for k, v in urllib.parse.parse_qs(part).items()}, loc


def get_code(httpd, client, scope="photos", redirect_uri=None, pkce=True, state="xyz",
             extra=None):
    """Runs authorize + consent and returns (code, verifier, redirect_uri)."""
    redirect_uri = redirect_uri or client["redirect_uris"][0]
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": client["client_id"],
              "redirect_uri": redirect_uri, "scope": scope, "state": state}
    if pkce:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra or {})
    r = authorize(httpd, params)
    if r.status_code == 200:
        r = decide(httpd, r)
        assert r.status_code == 303, r.text      # after the consent POST
    else:
        assert r.status_code == 302, r.text      # remembered consent
    got, _ = redirect_params(r)
    assert got.get("state") == state and "code" in got, got
    return got["code"], verifier if pkce else None, redirect_uri


def exchange(httpd, client, code, verifier=None, redirect_uri=None):
    data = {"grant_type": "authorization_code", "code": code}
    if verifier:
        data["code_verifier"] = verifier
    if redirect_uri:
        data["redirect_uri"] = redirect_uri
    auth = None
    if "client_secret" in client:
        auth = (client["client_id"], client["client_secret"])
    else:
        data["client_id"] = client["client_id"]
    return requests.post(httpd.url + "/oauth2/token", data=data, auth=auth, timeout=10)
