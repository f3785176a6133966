"""The web server flow: authorize, consent, code, PKCE, token exchange, replay, refresh, implicit."""
import time
import urllib.parse

import pytest
import requests

from conftest import register
from harness.flow import (ALICE, authorize, decide, exchange, get_code, parse_form,
                          pkce_pair, redirect_params)

CB = "https://print.example.com/cb"


@pytest.fixture
def web_client(default_conf):
    return register(default_conf, client_name="Canon Print", redirect_uris=[CB],
                    grant_types=["authorization_code", "refresh_token"], scope="photos userinfo/readonly")


@pytest.fixture
def public_client(default_conf):
    return register(default_conf, client_name="Photo CLI", token_endpoint_auth_method="none",
                    redirect_uris=["http://127.0.0.1/callback"],
                    grant_types=["authorization_code", "refresh_token"], scope="photos")


def code_params(client, **kw):
    verifier, challenge = pkce_pair()
    p = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": CB,
         "scope": "photos", "state": "s-123", "code_challenge": challenge,
         "code_challenge_method": "S256"}
    p.update(kw)
    return {k: v for k, v in p.items() if v is not None}, verifier


def test_as_005_01_full_flow_with_authlib(default_conf, web_client):
    """authlib builds the URL (with PKCE), we play the user, authlib exchanges and refreshes."""
    from authlib.integrations.requests_client import OAuth2Session
    httpd = default_conf
    s = OAuth2Session(web_client["client_id"], web_client["client_secret"], scope="photos",
                      redirect_uri=CB, code_challenge_method="S256")
    verifier = "v" * 20 + pkce_pair()[0][:40]
    url, state = s.create_authorization_url(httpd.url + "/oauth2/authorize",
                                            code_verifier=verifier)
    page = requests.get(url, auth=ALICE, allow_redirects=False, timeout=10)
    assert page.status_code == 200
    assert "Canon Print" in page.text and "View your photos" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    form = parse_form(page.text)
    assert ("decision", "allow") in form.buttons and ("decision", "deny") in form.buttons
    r = decide(httpd, page)
    assert r.status_code == 303                  # after a POST (RFC 9700 §4.12)
    got, location = redirect_params(r)
    assert location.startswith(CB + "?")
    assert got["state"] == state and got["iss"] == httpd.url
    tok = s.fetch_token(httpd.url + "/oauth2/token", authorization_response=location,
                        code_verifier=verifier)
    assert tok["token_type"] == "Bearer" and tok["refresh_token"]
    assert s.get(httpd.url + "/flickr/photos", timeout=5).status_code == 200
    old_refresh = tok["refresh_token"]
    tok2 = s.refresh_token(httpd.url + "/oauth2/token")
    assert tok2["refresh_token"] != old_refresh
    assert s.get(httpd.url + "/flickr/photos", timeout=5).status_code == 200


def test_as_005_02_public_client_pkce(default_conf, public_client):
    code, verifier, uri = get_code(default_conf, public_client,
                                   redirect_uri="http://127.0.0.1:53111/callback")
    r = exchange(default_conf, public_client, code, verifier, uri)
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "photos"


def test_as_005_03_public_client_needs_pkce(default_conf, public_client):
    p, _ = code_params(public_client, redirect_uri="http://127.0.0.1/callback",
                       code_challenge=None, code_challenge_method=None)
    r = authorize(default_conf, p)
    assert r.status_code == 302
    got, _ = redirect_params(r)
    assert got["error"] == "invalid_request" and got["state"] == "s-123"
    assert got["iss"] == default_conf.url


@pytest.mark.parametrize("case", ["missing", "wrong", "plain-method"])
def test_as_005_04_pkce_failures(default_conf, web_client, case, pg):
    if case == "plain-method":
        p, _ = code_params(web_client, code_challenge="a" * 43, code_challenge_method="plain")
        r = authorize(default_conf, p)
        got, _ = redirect_params(r)
        assert got["error"] == "invalid_request"
        return
    code, verifier, uri = get_code(default_conf, web_client)
    r = exchange(default_conf, web_client, code, None if case == "missing" else "x" * 50, uri)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    # the code is used up, and the refresh token stored with its redemption is gone again
    assert pg.psql("SELECT count(*) FROM oauth2_code WHERE used_at IS NULL") == [["0"]]
    assert pg.psql("SELECT count(*) FROM oauth2_refresh_token") == [["0"]]
    assert exchange(default_conf, web_client, code, verifier, uri).status_code == 400
    default_conf.expect_log("OA11002")


def test_as_005_05_redirect_mismatch_not_redirected(default_conf, web_client):
    for bad in ("https://evil.example.com/cb", CB + "/", CB + "?x=1", CB.upper()):
        p, _ = code_params(web_client, redirect_uri=bad)
        r = authorize(default_conf, p)
        assert r.status_code == 400
        assert "Location" not in r.headers
        assert "Invalid redirect" in r.text
        assert r.headers["Content-Type"].startswith("text/html")


def test_as_005_06_unknown_client_not_redirected(default_conf):
    r = authorize(default_conf, {"response_type": "code", "client_id": "nobody",
                                 "redirect_uri": CB})
    assert r.status_code == 400 and "Location" not in r.headers
    assert "Unknown application" in r.text
    r = authorize(default_conf, {"response_type": "code", "redirect_uri": CB})
    assert r.status_code == 400 and "Location" not in r.headers


@pytest.mark.parametrize("params,error", [
    ({"response_type": None}, "invalid_request"),
    ({"response_type": "id_token"}, "unsupported_response_type"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "admin"}, "invalid_scope"),
    ({"scope": "nope"}, "invalid_scope"),
    ({"prompt": "whatever"}, "invalid_request"),
    ({"response_mode": "form_post"}, "invalid_request"),
    ({"state": "x" * 3000}, "invalid_request"),
])
def test_as_005_07_redirected_errors(default_conf, web_client, params, error):
    p, _ = code_params(web_client, **params)
    r = authorize(default_conf, p)
    assert r.status_code == 302, r.text
    got, location = redirect_params(r)
    assert location.startswith(CB)
    assert got["error"] == error
    assert got["iss"] == default_conf.url
    if "state" not in params:
        assert got["state"] == "s-123"


def test_as_005_08_code_replay_revokes(default_conf, web_client, pg):
    httpd = default_conf
    code, verifier, uri = get_code(httpd, web_client)
    first = exchange(httpd, web_client, code, verifier, uri)
    assert first.status_code == 200
    refresh = first.json()["refresh_token"]
    second = exchange(httpd, web_client, code, verifier, uri)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    # the refresh token from the first use no longer works
    r = requests.post(httpd.url + "/oauth2/token",
                      data={"grant_type": "refresh_token", "refresh_token": refresh},
                      auth=(web_client["client_id"], web_client["client_secret"]), timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    # and the access token's jti is on the deny-list
    import base64
    import json
    claims = json.loads(base64.urlsafe_b64decode(first.json()["access_token"].split(".")[1] + "=="))
    assert pg.psql(f"SELECT count(*) FROM oauth2_revoked_jti WHERE jti = '{claims['jti']}'") == [["1"]]
    # the refresh token, stored with the code's redemption, names that access token
    assert pg.psql("SELECT access_jti, access_exp, username, scope FROM oauth2_refresh_token") == [
        [claims["jti"], str(claims["exp"]), claims["sub"], claims["scope"]]]
    httpd.expect_log("OA11002")


def test_as_005_09_expired_code(default_conf, web_client, pg):
    code, verifier, uri = get_code(default_conf, web_client)
    pg.psql("UPDATE oauth2_code SET expires_at = expires_at - 3600")
    r = exchange(default_conf, web_client, code, verifier, uri)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert pg.psql("SELECT count(*) FROM oauth2_refresh_token") == [["0"]]


def test_as_005_10_code_bound_to_client_and_redirect(default_conf, web_client, pg):
    other = register(default_conf, client_name="Other", redirect_uris=[CB],
                     grant_types=["authorization_code", "refresh_token"], scope="photos")
    code, verifier, uri = get_code(default_conf, web_client)
    r = exchange(default_conf, other, code, verifier, uri)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    code, verifier, uri = get_code(default_conf, web_client)
    r = exchange(default_conf, web_client, code, verifier, None)   # redirect_uri omitted
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    # no refresh token was left behind by either redemption
    assert pg.psql("SELECT count(*) FROM oauth2_refresh_token") == [["0"]]


@pytest.mark.parametrize("case", ["missing", "forged", "other-user", "tampered-scope", "reused"])
def test_as_005_11_csrf(default_conf, web_client, case, pg):
    httpd = default_conf
    p, _ = code_params(web_client, scope="photos")
    page = authorize(httpd, p)
    assert page.status_code == 200
    if case == "reused":
        assert decide(httpd, page).status_code == 303
        r = decide(httpd, page)
    elif case == "other-user":
        r = decide(httpd, page, user=("admin", "admin-pw"))
    else:
        def tamper(data):
            if case == "missing":
                del data["csrf"]
            elif case == "forged":
                data["csrf"] = data["csrf"][:-4] + "AAAA"
            else:
                data["scope"] = "photos userinfo/readonly"
        r = decide(httpd, page, tamper=tamper)
    assert r.status_code == 403, r.text
    assert "Location" not in r.headers
    httpd.expect_log("OA10901")
    # the refused form wrote nothing: one consent, its audit event and its code at most
    # (all written by one statement, gated by the form's nonce)
    granted = pg.psql("SELECT count(*) FROM oauth2_audit WHERE action = 'consent.grant'")
    assert granted == [["1" if case == "reused" else "0"]]
    assert pg.psql("SELECT count(*) FROM oauth2_consent") == granted
    assert pg.psql("SELECT count(*) FROM oauth2_code") == granted


def test_as_005_12_deny(default_conf, web_client):
    p, _ = code_params(web_client)
    r = decide(default_conf, authorize(default_conf, p), decision="deny")
    got, _ = redirect_params(r)
    assert got["error"] == "access_denied" and got["state"] == "s-123"


def test_as_005_13_consent_remembered_and_prompt(default_conf, web_client):
    httpd = default_conf
    get_code(httpd, web_client, scope="photos userinfo/readonly")
    # within the granted scopes: no page, straight back with a code
    p, _ = code_params(web_client, scope="photos")
    r = authorize(httpd, p)
    assert r.status_code == 302 and "code" in redirect_params(r)[0]
    # prompt=consent shows the page again
    p, _ = code_params(web_client, scope="photos", prompt="consent")
    assert authorize(httpd, p).status_code == 200
    # prompt=none works silently when consented ...
    p, _ = code_params(web_client, scope="photos", prompt="none")
    r = authorize(httpd, p)
    assert "code" in redirect_params(r)[0]


def test_as_005_13b_consent_widens(default_conf, web_client, pg):
    """A consent to more scopes adds to the one remembered (never narrows it), in one
    statement; the account page shows the union."""
    httpd = default_conf
    get_code(httpd, web_client, scope="userinfo/readonly")
    # a new scope: the page again; allowing it keeps the old one
    p, _ = code_params(web_client, scope="photos")
    assert authorize(httpd, p).status_code == 200
    get_code(httpd, web_client, scope="photos")
    q = "SELECT scope FROM oauth2_consent WHERE client_id = '%s'" % web_client["client_id"]
    assert pg.psql(q) == [["photos userinfo/readonly"]]
    for scope in ("photos", "userinfo/readonly", "photos userinfo/readonly"):
        p, _ = code_params(web_client, scope=scope, prompt="none")
        assert "code" in redirect_params(authorize(httpd, p))[0], scope
    # allowing a subset again changes nothing
    get_code(httpd, web_client, scope="photos")
    assert pg.psql(q) == [["photos userinfo/readonly"]]
    page = requests.get(httpd.url + "/oauth2/account/", auth=ALICE, timeout=5).text
    assert "View your photos" in page and "Read your profile" in page


def test_as_005_14_prompt_none_without_consent(default_conf, web_client):
    p, _ = code_params(web_client, prompt="none")
    got, _ = redirect_params(authorize(default_conf, p))
    assert got["error"] == "consent_required"


def test_as_005_15_refresh_rotation_and_reuse(default_conf, web_client):
    httpd = default_conf
    auth = (web_client["client_id"], web_client["client_secret"])
    code, verifier, uri = get_code(httpd, web_client, scope="photos userinfo/readonly")
    tokens = exchange(httpd, web_client, code, verifier, uri).json()
    r1 = tokens["refresh_token"]

    def refresh(rt, **extra):
        d = {"grant_type": "refresh_token", "refresh_token": rt}
        d.update(extra)
        return requests.post(httpd.url + "/oauth2/token", data=d, auth=auth, timeout=5)
    narrow = refresh(r1, scope="photos")
    assert narrow.status_code == 200 and narrow.json()["scope"] == "photos"
    r2 = narrow.json()["refresh_token"]
    assert r2 != r1
    wide = refresh(r2, scope="photos admin")
    assert wide.status_code == 400 and wide.json()["error"] == "invalid_scope"
    full = refresh(r2)
    assert full.status_code == 200 and full.json()["scope"] == "photos userinfo/readonly"
    r3 = full.json()["refresh_token"]
    # reusing the rotated r1 revokes the family: r3 dies too
    assert refresh(r1).json()["error"] == "invalid_grant"
    assert refresh(r3).json()["error"] == "invalid_grant"
    httpd.expect_log("OA11003")


def test_as_005_16_refresh_other_client(default_conf, web_client):
    other = register(default_conf, client_name="Other", redirect_uris=[CB],
                     grant_types=["authorization_code", "refresh_token"], scope="photos")
    code, verifier, uri = get_code(default_conf, web_client)
    rt = exchange(default_conf, web_client, code, verifier, uri).json()["refresh_token"]
    r = requests.post(default_conf.url + "/oauth2/token",
                      data={"grant_type": "refresh_token", "refresh_token": rt},
                      auth=(other["client_id"], other["client_secret"]), timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_as_005_17_account_revoke_kills_refresh(default_conf, web_client):
    httpd = default_conf
    code, verifier, uri = get_code(httpd, web_client)
    rt = exchange(httpd, web_client, code, verifier, uri).json()["refresh_token"]
    page = requests.get(httpd.url + "/oauth2/account/", auth=ALICE, timeout=5)
    assert page.status_code == 200 and "Canon Print" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    form = parse_form(page.text)
    # a forged CSRF token is refused
    bad = dict(form.fields, csrf="x.y")
    r = requests.post(httpd.url + form.action, data=bad, auth=ALICE, allow_redirects=False,
                      timeout=5)
    assert r.status_code == 403
    # another user cannot use alice's form
    r = requests.post(httpd.url + form.action, data=form.fields, auth=("admin", "admin-pw"),
                      allow_redirects=False, timeout=5)
    assert r.status_code == 403
    r = requests.post(httpd.url + form.action, data=form.fields, auth=ALICE,
                      allow_redirects=False, timeout=5)
    assert r.status_code == 303
    page = requests.get(httpd.url + "/oauth2/account/", auth=ALICE, timeout=5)
    assert "Canon Print" not in page.text
    r = requests.post(httpd.url + "/oauth2/token",
                      data={"grant_type": "refresh_token", "refresh_token": rt},
                      auth=(web_client["client_id"], web_client["client_secret"]), timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    # and the consent page is shown again
    p, _ = code_params(web_client)
    assert authorize(httpd, p).status_code == 200
    httpd.expect_log("OA11101")


def test_as_005_18_disabled_client_cannot_refresh(default_conf, web_client, pg):
    code, verifier, uri = get_code(default_conf, web_client)
    rt = exchange(default_conf, web_client, code, verifier, uri).json()["refresh_token"]
    # an edit made in the database directly (as another node would) counts here once
    # the processes' cached client records are OAuthASClientCacheTTL (5 s) old
    pg.psql("UPDATE oauth2_client SET enabled = false")
    time.sleep(5.5)
    r = requests.post(default_conf.url + "/oauth2/token",
                      data={"grant_type": "refresh_token", "refresh_token": rt},
                      auth=(web_client["client_id"], web_client["client_secret"]), timeout=5)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    default_conf.expect_log("OA10201")


def test_as_005_19_no_user_is_config_error(httpd, keys):
    conf = httpd.default_test_conf().replace(
        "<Location /oauth2/authorize>\n    AuthType Basic", "<Location /oauth2/authorize>\n    AuthType None\n    #")
    conf = conf.replace("    Require valid-user\n</Location>\n<Location /oauth2/account>",
                        "    Require all granted\n</Location>\n<Location /oauth2/account>", 1)
    httpd.restart(conf)
    try:
        r = requests.get(httpd.url + "/oauth2/authorize?response_type=code&client_id=x", timeout=5)
        assert r.status_code == 500 and "Sign-in is not configured" in r.text
        httpd.expect_log("OA10805")
    finally:
        httpd.restart(httpd.default_test_conf())


def test_as_005_20_implicit(httpd, keys, pg):
    """Off by default (above: unsupported_response_type); works when enabled."""
    conf = httpd.default_test_conf().replace(
        "OAuthASScope       admin", "OAuthASGrantTypes authorization_code refresh_token "
        "client_credentials implicit\nOAuthASScope       admin")
    httpd.restart(conf)
    try:
        c = register(httpd, client_name="SPA", redirect_uris=["https://spa.example.com/"],
                     grant_types=["implicit"], token_endpoint_auth_method="none", scope="photos")
        p = {"response_type": "token", "client_id": c["client_id"], "scope": "photos",
             "state": "st"}
        page = authorize(httpd, p)
        r = decide(httpd, page)
        assert r.status_code == 303
        loc = r.headers["Location"]
        assert loc.startswith("https://spa.example.com/#access_token=")
        got, _ = redirect_params(r)
        assert got["token_type"] == "Bearer" and got["state"] == "st"
        assert "refresh_token" not in got and got["iss"] == httpd.url
        # the consent statement stored no code for a token request
        assert pg.psql("SELECT count(*) FROM oauth2_code") == [["0"]]
        assert pg.psql("SELECT count(*) FROM oauth2_consent") == [["1"]]
        assert requests.get(httpd.url + "/flickr/photos", timeout=5,
                            headers={"Authorization": "Bearer " + got["access_token"]}
                            ).status_code == 200
        # a code client may not use the implicit flow
        web = register(httpd, redirect_uris=[CB], grant_types=["authorization_code"],
                       scope="photos")
        p = {"response_type": "token", "client_id": web["client_id"], "redirect_uri": CB}
        got, _ = redirect_params(authorize(httpd, p))
        assert got["error"] == "unauthorized_client"
    finally:
        httpd.restart(httpd.default_test_conf())


def test_as_005_21_consent_page_escapes(default_conf):
    evil = register(default_conf, client_name='<script>alert(1)</script>"\' onmouseover="x',
                    redirect_uris=[CB], grant_types=["authorization_code"], scope="photos")
    p, _ = code_params(evil, state='"><img src=x onerror=alert(1)>')
    page = authorize(default_conf, p)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onmouseover=&quot;x" in page.text
    assert "<img src=x" not in page.text


def test_as_005_22_metadata_lists_flow(default_conf):
    m = requests.get(default_conf.url + "/.well-known/oauth-authorization-server", timeout=5).json()
    assert m["authorization_endpoint"] == default_conf.url + "/oauth2/authorize"
    assert m["code_challenge_methods_supported"] == ["S256"]
    assert "authorization_code" in m["grant_types_supported"]
    assert "refresh_token" in m["grant_types_supported"]
    assert "implicit" not in m["grant_types_supported"]
    assert m["response_types_supported"] == ["code"]
    assert m["authorization_response_iss_parameter_supported"] is True


def test_as_005_23_confidential_without_pkce(default_conf, web_client):
    """PKCE is optional for confidential clients; a verifier without a challenge is refused."""
    code, _, uri = get_code(default_conf, web_client, pkce=False)
    r = exchange(default_conf, web_client, code, None, uri)
    assert r.status_code == 200, r.text
    code, _, uri = get_code(default_conf, web_client, pkce=False)
    r = exchange(default_conf, web_client, code, "x" * 50, uri)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_as_005_24_public_clients_always_ask(default_conf, public_client):
    """RFC 8252 §8.6: no silent approval for a client anyone can impersonate."""
    httpd = default_conf
    get_code(httpd, public_client, redirect_uri="http://127.0.0.1:5000/callback")
    p, _ = code_params(public_client, redirect_uri="http://127.0.0.1:5000/callback")
    assert authorize(httpd, p).status_code == 200          # the page again
    p, _ = code_params(public_client, redirect_uri="http://127.0.0.1:5000/callback",
                       prompt="none")
    got, _ = redirect_params(authorize(httpd, p))
    assert got["error"] == "consent_required"
