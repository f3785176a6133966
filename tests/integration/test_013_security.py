"""Abuse and secrecy: client-auth throttling, hostile input on every endpoint, no secret in any log."""
import base64
import json
import os
import re
import time

import pytest
import requests

from conftest import ADMIN, cc_client, cc_token, register
from harness.flow import ALICE, authorize, decide, exchange, get_code, pkce_pair, redirect_params


def token(httpd, c, secret=None):
    return requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                         auth=(c["client_id"], secret or c["client_secret"]), timeout=10)


def test_sec_013_01_client_auth_throttled(httpd):
    httpd.restart(httpd.default_test_conf() + "\nOAuthASClientAuthRateLimit 3 60\n")
    try:
        victim, bystander = cc_client(httpd), cc_client(httpd)
        for _ in range(3):
            assert token(httpd, victim, "wrong").status_code == 401
        r = token(httpd, victim)                   # even the right secret, for now
        assert r.status_code == 429 and r.json()["error"] == "invalid_client"
        assert r.headers["Retry-After"] == "60"
        assert token(httpd, bystander).status_code == 200     # others are unaffected
        httpd.expect_log("OA10201", "OA12001")
    finally:
        httpd.restart(httpd.default_test_conf())


HOSTILE_VALUES = ["' OR 1=1 --", "../../../../etc/passwd", "%00", "\u202e\u0000",
                  "a" * 5000, "<script>alert(1)</script>", "${jndi:ldap://x}",
                  "\r\nSet-Cookie: x=1"]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_sec_013_02_hostile_values_everywhere(default_conf, value):
    httpd = default_conf
    c = cc_client(httpd)
    auth = (c["client_id"], c["client_secret"])
    calls = [
        ("post", "/oauth2/token", dict(data={"grant_type": value}, auth=auth)),
        ("post", "/oauth2/token", dict(data={"grant_type": "client_credentials", "scope": value},
                                       auth=auth)),
        ("post", "/oauth2/token", dict(data={"grant_type": "client_credentials"}, headers={
            "Authorization": "Basic " + base64.b64encode(
                (value + ":" + value).encode()).decode()})),
        ("post", "/oauth2/revoke", dict(data={"token": value}, auth=auth)),
        ("post", "/oauth2/introspect", dict(data={"token": value}, auth=auth)),
        ("get", "/oauth2/tokeninfo", dict(params={"access_token": value})),
        ("get", "/oauth2/authorize", dict(params={"client_id": value, "redirect_uri": value},
                                          auth=ALICE)),
        ("get", "/oauth2/clients/" + requests.utils.quote(value, safe=""),
         dict(headers={"Authorization": "Bearer " + value.replace("\r\n", "").encode()
                       .decode("latin-1")})),
        ("post", "/oauth2/register", dict(json={"client_name": value, "redirect_uris": [value]},
                                          auth=ADMIN)),
        ("get", "/flickr/photos", dict(headers={"Authorization": "Bearer x" + re.sub(
            r"[^A-Za-z0-9]", "", value)})),
    ]
    for method, path, kw in calls:
        r = getattr(requests, method)(httpd.url + path, timeout=10, allow_redirects=False, **kw)
        assert 400 <= r.status_code < 500 or (r.status_code == 200 and path in (
            "/oauth2/revoke", "/oauth2/introspect")), (path, r.status_code, r.text[:200])
        assert "Set-Cookie" not in r.headers
    assert token(httpd, c).status_code == 200                  # still serving
    # AH00127: httpd itself refuses to map a 5000-byte path (403)
    httpd.expect_log("OA10201", "OA20301", "AH00126", "AH00127")


def test_sec_013_03_redirect_header_injection(default_conf):
    """state is echoed URL-encoded: no raw CR/LF or quotes reach the Location header."""
    c = register(default_conf, redirect_uris=["https://x.example/cb"],
                 grant_types=["authorization_code"], scope="photos")
    _, ch = pkce_pair()
    r = authorize(default_conf, {"response_type": "code", "client_id": c["client_id"],
                                 "scope": "nope", "state": "a\r\nSet-Cookie: evil=1",
                                 "code_challenge": ch, "code_challenge_method": "S256"})
    assert r.status_code == 302 and "Set-Cookie" not in r.headers
    assert "\r" not in r.headers["Location"] and "%0D%0A" in r.headers["Location"]
    assert redirect_params(r)[0]["state"] == "a\r\nSet-Cookie: evil=1"


def test_sec_013_04_open_redirect_attempts(default_conf):
    c = register(default_conf, redirect_uris=["https://x.example/cb"],
                 grant_types=["authorization_code"], scope="photos")
    _, ch = pkce_pair()
    for bad in ("https://x.example/cb/../../evil", "https://x.example/cb?next=https://evil",
                "https://x.example.evil.com/cb", "https://x.example/cb#", "//evil.example/cb",
                "https://x.example@evil.example/cb", "HTTPS://X.EXAMPLE/cb"):
        r = authorize(default_conf, {"response_type": "code", "client_id": c["client_id"],
                                     "redirect_uri": bad, "code_challenge": ch,
                                     "code_challenge_method": "S256"})
        assert r.status_code == 400 and "Location" not in r.headers, bad


def test_sec_013_05_no_secret_in_logs(httpd, pg):
    """Every module that handles our data at trace8: no token, code, secret or password
    in the error log or the access log. (httpd's own core and http modules dump raw
    request lines and headers, Authorization included, from trace4 on: that is
    theirs to avoid in production and is left at info here.)"""
    conf = httpd.default_test_conf() + "\nLogLevel info oauth2_as:trace8 oauth2_rs:trace8 " \
        "dbd:trace8 auth_basic:trace8 authn_file:trace8 authz_core:trace8 " \
        "socache_shmcb:trace8 env:trace8 cgid:trace8\nOAuthASGrantTypes " \
        "authorization_code refresh_token client_credentials password\n"
    conf = conf.replace("<Location /oauth2>\n    SetHandler oauth2-as\n",
                        "<Location /oauth2>\n    SetHandler oauth2-as\n"
                        f"    OAuthASPasswordProvider file\n"
                        f"    AuthUserFile {httpd.keys.path('htpasswd')}\n")
    httpd.restart(conf)
    secrets = ["alice-pw", "admin-pw"]
    try:
        reg = requests.post(httpd.url + "/oauth2/register", auth=ADMIN, timeout=10, json={
            "client_name": "Logged", "redirect_uris": ["https://l.example/cb"],
            "grant_types": ["authorization_code", "refresh_token", "client_credentials",
                            "password"], "scope": "photos"}).json()
        secrets += [reg["client_secret"], reg["registration_access_token"]]
        code, verifier, uri = get_code(httpd, reg)
        secrets += [code, verifier]
        t = exchange(httpd, reg, code, verifier, uri).json()
        secrets += [t["access_token"], t["refresh_token"]]
        t2 = requests.post(httpd.url + "/oauth2/token", auth=(reg["client_id"], reg["client_secret"]),
                           data={"grant_type": "refresh_token", "refresh_token": t["refresh_token"]},
                           timeout=10).json()
        secrets += [t2["access_token"], t2["refresh_token"]]
        t3 = requests.post(httpd.url + "/oauth2/token", auth=(reg["client_id"], reg["client_secret"]),
                           data={"grant_type": "password", "username": "alice",
                                 "password": "alice-pw"}, timeout=10).json()
        secrets += [t3["access_token"]]
        at = cc_token(httpd, reg)
        secrets.append(at)
        requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": at}, timeout=10)
        requests.get(httpd.url + "/query/", params={"access_token": at}, timeout=10)
        requests.get(httpd.url + "/flickr/photos", headers={"Authorization": "Bearer " + at},
                     timeout=10)
        requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(reg["client_id"], "wrong-secret-value-123"), timeout=10)
        secrets.append("wrong-secret-value-123")
        requests.post(httpd.url + "/oauth2/revoke", data={"token": at},
                      auth=(reg["client_id"], reg["client_secret"]), timeout=10)
        requests.get(reg["registration_client_uri"], timeout=10,
                     headers={"Authorization": "Bearer " + reg["registration_access_token"]})
        time.sleep(0.5)
        logs = ""
        for name in ("error.log", "access.log"):
            with open(os.path.join(httpd.root, "logs", name), errors="replace") as f:
                logs += f.read()
        # Basic credentials would appear base64-encoded
        for s in list(secrets):
            secrets.append(base64.b64encode(f"{reg['client_id']}:{s}".encode()).decode())
        leaked = [s[:12] + "..." for s in secrets if s and s in logs]
        assert not leaked, leaked
        assert "[oauth2_as:debug]" in logs and "[authz_core:debug]" in logs
    finally:
        httpd.expect_log("OA10201", "OA11503")
        httpd.restart(httpd.default_test_conf())
