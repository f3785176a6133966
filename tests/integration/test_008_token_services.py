"""Revocation (RFC 7009), introspection (RFC 7662), tokeninfo, opaque tokens and RS introspection mode."""
import time

import pytest
import requests

from conftest import cc_client, cc_token, register
from harness.flow import exchange, get_code
from harness.tokens import forge, load_key

CB = "https://print.example.com/cb"


def post(httpd, path, data, auth=None, headers=None):
    return requests.post(httpd.url + "/oauth2/" + path, data=data, auth=auth,
                         headers=headers, timeout=10)


def introspect(httpd, token, auth, hint=None):
    data = {"token": token}
    if hint:
        data["token_type_hint"] = hint
    r = post(httpd, "introspect", data, auth=auth)
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    return r.json()


def creds(c):
    return (c["client_id"], c["client_secret"])


@pytest.fixture
def user_tokens(default_conf):
    c = register(default_conf, client_name="Canon Print", redirect_uris=[CB],
                 grant_types=["authorization_code", "refresh_token"], scope="photos")
    code, verifier, uri = get_code(default_conf, c)
    return c, exchange(default_conf, c, code, verifier, uri).json()


def test_as_008_01_introspect_active(default_conf, user_tokens, rs_client):
    c, t = user_tokens
    info = introspect(default_conf, t["access_token"], rs_client)
    assert info["active"] is True
    assert info["client_id"] == c["client_id"]
    assert info["username"] == "alice" and info["sub"] == "alice"
    assert info["scope"] == "photos" and info["token_type"] == "Bearer"
    assert info["iss"] == default_conf.url and info["jti"]
    assert info["exp"] > time.time() and info["iat"] <= time.time() + 5
    assert info["aud"] == default_conf.url


def test_as_008_02_introspect_inactive(default_conf, keys, rs_client, user_tokens):
    httpd = default_conf
    c, t = user_tokens
    now = int(time.time())
    expired = forge(load_key(keys.path("es256.pem")), iss=httpd.url, exp=now - 100, iat=now - 200)
    foreign = forge(load_key(keys.path("other-es256.pem")), iss=httpd.url)
    wrong_iss = forge(load_key(keys.path("es256.pem")), iss="https://elsewhere.example")
    for tok in (expired, foreign, wrong_iss, "unknown-opaque-token", "a.b.c"):
        assert introspect(httpd, tok, rs_client) == {"active": False}
    # a refresh token is only shown to the client that holds it
    assert introspect(httpd, t["refresh_token"], rs_client) == {"active": False}
    mine = introspect(httpd, t["refresh_token"], creds(c), hint="refresh_token")
    assert mine["active"] is True and mine["token_type"] == "refresh_token"
    # the hint is only a hint: none, or a wrong one, finds the same token
    for hint in (None, "access_token", "no-such-type"):
        assert introspect(httpd, t["refresh_token"], creds(c), hint=hint) == mine


def test_as_008_03_introspect_needs_confidential_client(default_conf, user_tokens):
    _, t = user_tokens
    r = post(default_conf, "introspect", {"token": t["access_token"]})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    pub = register(default_conf, token_endpoint_auth_method="none",
                   redirect_uris=["http://127.0.0.1/cb"], grant_types=["authorization_code"])
    r = post(default_conf, "introspect", {"token": t["access_token"], "client_id": pub["client_id"]})
    assert r.status_code == 401
    r = post(default_conf, "introspect", {}, auth=creds(user_tokens[0]))
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_as_008_04_revoke_refresh_token(default_conf, user_tokens):
    c, t = user_tokens
    r = post(default_conf, "revoke", {"token": t["refresh_token"],
                                      "token_type_hint": "refresh_token"}, auth=creds(c))
    assert r.status_code == 200 and r.text == ""
    r = post(default_conf, "token", {"grant_type": "refresh_token",
                                     "refresh_token": t["refresh_token"]}, auth=creds(c))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    default_conf.expect_log("OA11001")


def test_as_008_05_revoke_access_token(default_conf, user_tokens, rs_client):
    httpd = default_conf
    c, t = user_tokens
    at = t["access_token"]
    assert requests.get(httpd.url + "/introspected/", timeout=5,
                        headers={"Authorization": "Bearer " + at}).status_code == 404
    assert post(httpd, "revoke", {"token": at}, auth=creds(c)).status_code == 200
    assert introspect(httpd, at, rs_client) == {"active": False}
    r = requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": at}, timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "invalid_token"
    # the introspecting RS location refuses it at once (cache TTL 0)
    r = requests.get(httpd.url + "/introspected/", headers={"Authorization": "Bearer " + at},
                     timeout=5)
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["WWW-Authenticate"]


def test_as_008_06_revoke_foreign_and_unknown(default_conf, user_tokens, rs_client):
    c, t = user_tokens
    other = cc_client(default_conf)
    r = post(default_conf, "revoke", {"token": t["access_token"]}, auth=creds(other))
    assert r.status_code == 200                       # silently refused
    assert introspect(default_conf, t["access_token"], rs_client)["active"] is True
    r = post(default_conf, "revoke", {"token": t["refresh_token"]}, auth=creds(other))
    assert r.status_code == 200
    assert introspect(default_conf, t["refresh_token"], creds(c))["active"] is True
    assert post(default_conf, "revoke", {"token": "never-issued"}, auth=creds(c)).status_code == 200
    r = post(default_conf, "revoke", {"token": t["access_token"]})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = post(default_conf, "revoke", {}, auth=creds(c))
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_as_008_07_tokeninfo(default_conf, user_tokens):
    httpd = default_conf
    c, t = user_tokens
    r = requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": t["access_token"]},
                     timeout=5)
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["audience"] == c["client_id"] and info["client_id"] == c["client_id"]
    assert info["user_id"] == "alice" and info["sub"] == "alice"
    assert info["scope"] == "photos" and info["active"] is True
    assert 3500 < info["expires_in"] <= 3600 and info["exp"] > time.time()
    r2 = requests.post(httpd.url + "/oauth2/tokeninfo", data={"access_token": t["access_token"]},
                       timeout=5)
    assert r2.json()["user_id"] == "alice"
    r3 = requests.get(httpd.url + "/oauth2/tokeninfo", timeout=5,
                      headers={"Authorization": "Bearer " + t["access_token"]})
    assert r3.json()["user_id"] == "alice"
    # client credentials tokens have no user_id
    cc = cc_token(httpd, cc_client(httpd))
    info = requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": cc},
                        timeout=5).json()
    assert "user_id" not in info and info["sub"] == info["client_id"]


@pytest.mark.parametrize("case", ["garbage", "refresh", "missing", "twice", "put"])
def test_as_008_08_tokeninfo_errors(default_conf, user_tokens, case):
    _, t = user_tokens
    url = default_conf.url + "/oauth2/tokeninfo"
    if case == "garbage":
        r = requests.get(url, params={"access_token": "garbage"}, timeout=5)
        assert r.status_code == 400 and r.json()["error"] == "invalid_token"
    elif case == "refresh":
        r = requests.get(url, params={"access_token": t["refresh_token"]}, timeout=5)
        assert r.status_code == 400 and r.json()["error"] == "invalid_token"
    elif case == "missing":
        r = requests.get(url, timeout=5)
        assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    elif case == "twice":
        r = requests.get(url, params={"access_token": t["access_token"]}, timeout=5,
                         headers={"Authorization": "Bearer " + t["access_token"]})
        assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    else:
        r = requests.put(url, timeout=5)
        assert r.status_code == 405


def test_as_008_09_introspection_cache_and_as_down(default_conf, user_tokens, rs_client):
    httpd = default_conf
    c, t = user_tokens
    h = {"Authorization": "Bearer " + t["access_token"]}
    assert requests.get(httpd.url + "/introspected-cached/", headers=h, timeout=5).status_code == 404
    post(httpd, "revoke", {"token": t["access_token"]}, auth=creds(c))
    # cached for up to OAuthRSIntrospectCacheTTL: still accepted there ...
    assert requests.get(httpd.url + "/introspected-cached/", headers=h, timeout=5).status_code == 404
    # ... but not where the TTL is 0
    assert requests.get(httpd.url + "/introspected/", headers=h, timeout=5).status_code == 401
    # the AS cannot be reached: 503, never 200
    r = requests.get(httpd.url + "/introspect-down/", headers=h, timeout=10)
    assert r.status_code == 503
    httpd.expect_log("OA20601")


def test_as_008_10_opaque_tokens(httpd, pg, keys):
    conf = httpd.default_test_conf().replace("OAuthASScope       admin",
                                             "OAuthASAccessTokenFormat opaque\nOAuthASScope       admin")
    httpd.restart(conf)
    try:
        from conftest import RS_CLIENT, insert_client
        insert_client(pg, RS_CLIENT[0], RS_CLIENT[1],
                      {"grant_types": ["client_credentials"], "response_types": [],
                       "redirect_uris": [], "token_endpoint_auth_method": "client_secret_basic",
                       "scope": ""})
        c = cc_client(httpd)
        tok = cc_token(httpd, c)
        assert "." not in tok and len(tok) >= 43
        rows = pg.psql("SELECT token_hash, username FROM oauth2_access_token")
        assert len(rows) == 1 and tok not in rows[0][0] and rows[0][1] == ""
        h = {"Authorization": "Bearer " + tok}
        assert requests.get(httpd.url + "/introspected/", headers=h, timeout=5).status_code == 404
        # a JWT-validating location cannot use it
        assert requests.get(httpd.url + "/flickr/photos", headers=h, timeout=5).status_code == 401
        info = introspect(httpd, tok, RS_CLIENT)
        assert info["active"] and info["client_id"] == c["client_id"] and "username" not in info
        assert post(httpd, "revoke", {"token": tok}, auth=creds(c)).status_code == 200
        assert introspect(httpd, tok, RS_CLIENT) == {"active": False}
        assert requests.get(httpd.url + "/introspected/", headers=h, timeout=5).status_code == 401
    finally:
        httpd.restart(httpd.default_test_conf())


def test_as_008_11_metadata(default_conf):
    m = requests.get(default_conf.url + "/.well-known/oauth-authorization-server", timeout=5).json()
    assert m["revocation_endpoint"] == default_conf.url + "/oauth2/revoke"
    assert m["introspection_endpoint"] == default_conf.url + "/oauth2/introspect"


def test_as_008_12_revoking_a_grant_revokes_its_access_tokens(default_conf, user_tokens,
                                                               rs_client):
    """RFC 7009 §2.1: the access tokens of a revoked refresh token's grant go too."""
    httpd = default_conf
    c, t = user_tokens
    auth = creds(c)
    t2 = requests.post(httpd.url + "/oauth2/token", auth=auth, timeout=5, data={
        "grant_type": "refresh_token", "refresh_token": t["refresh_token"]}).json()
    for at in (t["access_token"], t2["access_token"]):
        assert introspect(httpd, at, rs_client)["active"] is True
    assert post(httpd, "revoke", {"token": t2["refresh_token"]}, auth=auth).status_code == 200
    for at in (t["access_token"], t2["access_token"]):
        assert introspect(httpd, at, rs_client) == {"active": False}


def test_as_008_13_withdrawn_consent_revokes_access_tokens(default_conf, user_tokens, rs_client):
    from harness.flow import ALICE, parse_form
    httpd = default_conf
    c, t = user_tokens
    page = requests.get(httpd.url + "/oauth2/account/", auth=ALICE, timeout=5)
    form = parse_form(page.text)
    requests.post(httpd.url + form.action, data=form.fields, auth=ALICE, timeout=5)
    assert introspect(httpd, t["access_token"], rs_client) == {"active": False}


def test_as_008_14_introspection_methods_in_metadata(default_conf):
    m = requests.get(default_conf.url + "/.well-known/oauth-authorization-server", timeout=5).json()
    assert "none" not in m["introspection_endpoint_auth_methods_supported"]
    assert "none" in m["token_endpoint_auth_methods_supported"]


def test_as_008_15_verified_tokens_memo(default_conf, keys, user_tokens, rs_client):
    """Each process remembers the claims of the JWTs it verified until they expire (no
    signature on the next introspection), but reads the deny-list every time and drops a
    token at its exp."""
    httpd = default_conf
    c, t = user_tokens
    at = t["access_token"]
    # enough requests for every child process to verify and remember the token
    for _ in range(12):
        assert introspect(httpd, at, rs_client)["active"] is True
        r = requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": at}, timeout=5)
        assert r.status_code == 200 and r.json()["active"] is True
    assert post(httpd, "revoke", {"token": at}, auth=creds(c)).status_code == 200
    for _ in range(12):
        assert introspect(httpd, at, rs_client) == {"active": False}
        r = requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": at}, timeout=5)
        assert r.status_code == 400
    # a token of ours that expires in 2 s: active while valid, inactive after exp
    now = int(time.time())
    short = forge(load_key(keys.path("es256.pem")), iss=httpd.url, exp=now + 2, iat=now)
    for _ in range(6):
        assert introspect(httpd, short, rs_client)["active"] is True
    # the same claims with another signature are not taken from the memo
    head, payload, sig = short.split(".")
    assert introspect(httpd, ".".join((head, payload, sig[:-4] + "AAAA")), rs_client) == \
        {"active": False}
    time.sleep(max(0, now + 3 - time.time()))
    for _ in range(6):
        assert introspect(httpd, short, rs_client) == {"active": False}
