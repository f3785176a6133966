"""The token endpoint: client_credentials with every client authentication and every RFC 6749 §5.2 error."""
import time

import pytest
import requests

from conftest import cc_client, cc_token, register
from harness.tokens import decode


def token_request(httpd, data, auth=None, headers=None, **kw):
    return requests.post(httpd.url + "/oauth2/token", data=data, auth=auth,
                         headers=headers, timeout=10, **kw)


def test_as_003_01_client_credentials_basic(default_conf):
    httpd = default_conf
    c = cc_client(httpd, scope="photos admin")
    r = token_request(httpd, {"grant_type": "client_credentials", "scope": "photos"},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Pragma"] == "no-cache"
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "photos"
    assert "refresh_token" not in body
    jwks = requests.get(httpd.url + "/oauth2/jwks", timeout=5).text
    header, claims = decode(body["access_token"], jwks)
    assert header["typ"] == "at+jwt" and header["kid"] == "k1" and header["alg"] == "ES256"
    assert claims["iss"] == httpd.url
    assert claims["sub"] == c["client_id"] and claims["client_id"] == c["client_id"]
    assert claims["aud"] == httpd.url
    assert claims["scope"] == "photos"
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["exp"] - claims["iat"] == 3600
    assert len(claims["jti"]) >= 16


def test_as_003_02_default_scope_is_registered_scope(default_conf):
    c = cc_client(default_conf, scope="photos admin")
    r = token_request(default_conf, {"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.json()["scope"] == "admin photos"


def test_as_003_03_client_secret_post(default_conf):
    c = cc_client(default_conf, token_endpoint_auth_method="client_secret_post")
    r = token_request(default_conf, {"grant_type": "client_credentials",
                                     "client_id": c["client_id"],
                                     "client_secret": c["client_secret"]})
    assert r.status_code == 200, r.text
    # the registered method is the only one accepted
    r = token_request(default_conf, {"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 401
    default_conf.expect_log("OA10201")


def test_as_003_04_authlib_session(default_conf):
    """A real client library: authlib's OAuth2Session."""
    from authlib.integrations.requests_client import OAuth2Session
    c = cc_client(default_conf)
    s = OAuth2Session(c["client_id"], c["client_secret"], scope="photos")
    tok = s.fetch_token(default_conf.url + "/oauth2/token", grant_type="client_credentials")
    assert tok["token_type"] == "Bearer"
    r = s.get(default_conf.url + "/flickr/photos", timeout=5)
    assert r.status_code == 200
    assert "beach.jpg" in r.text


def test_as_003_05_basic_credentials_are_form_encoded(default_conf, pg):
    """RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic."""
    import base64
    import urllib.parse
    c = cc_client(default_conf)
    raw = (urllib.parse.quote(c["client_id"], safe="") + ":" +
           urllib.parse.quote(c["client_secret"], safe=""))
    h = {"Authorization": "Basic " + base64.b64encode(raw.encode()).decode()}
    r = token_request(default_conf, {"grant_type": "client_credentials"}, headers=h)
    assert r.status_code == 200


@pytest.mark.parametrize("auth", [
    ("unknown-client", "x"),
    "wrong-secret",
    "empty-secret",
])
def test_as_003_06_invalid_client(default_conf, auth):
    c = cc_client(default_conf)
    if auth == "wrong-secret":
        auth = (c["client_id"], "wrong")
    elif auth == "empty-secret":
        auth = (c["client_id"], "")
    r = token_request(default_conf, {"grant_type": "client_credentials"}, auth=auth)
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    default_conf.expect_log("OA10201")


def test_as_003_07_no_client_authentication(default_conf):
    r = token_request(default_conf, {"grant_type": "client_credentials"})
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert "WWW-Authenticate" not in r.headers


def test_as_003_08_post_secret_for_unknown_client(default_conf):
    r = token_request(default_conf, {"grant_type": "client_credentials",
                                     "client_id": "nobody", "client_secret": "x"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    default_conf.expect_log("OA10201")


@pytest.mark.parametrize("data,error", [
    ({}, "invalid_request"),
    ({"grant_type": ""}, "invalid_request"),
    ({"grant_type": "magic"}, "unsupported_grant_type"),
    ({"grant_type": "implicit"}, "unsupported_grant_type"),
    ({"grant_type": "password", "username": "a", "password": "b"}, "unsupported_grant_type"),
    ({"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"}, "unsupported_grant_type"),
    ({"grant_type": "client_credentials", "scope": "undeclared"}, "invalid_scope"),
    ({"grant_type": "client_credentials", "scope": "admin"}, "invalid_scope"),
    ({"grant_type": "client_credentials", "scope": "pho\"tos"}, "invalid_scope"),
    ({"grant_type": "client_credentials", "resource": "not a uri"}, "invalid_target"),
    ({"grant_type": "client_credentials", "resource": "https://x.example/#f"}, "invalid_target"),
])
def test_as_003_09_errors(default_conf, data, error):
    c = cc_client(default_conf, scope="photos")
    r = token_request(default_conf, data, auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 400, r.text
    assert r.json()["error"] == error
    assert r.headers["Cache-Control"] == "no-store"


def test_as_003_10_unauthorized_client(default_conf):
    c = register(default_conf, grant_types=["authorization_code"],
                 redirect_uris=["https://app.example.com/cb"])
    r = token_request(default_conf, {"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 400
    assert r.json()["error"] == "unauthorized_client"


def test_as_003_11_resource_sets_audience(default_conf):
    c = cc_client(default_conf)
    r = token_request(default_conf, {"grant_type": "client_credentials",
                                     "resource": "https://api.example.com"},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 200
    jwks = requests.get(default_conf.url + "/oauth2/jwks", timeout=5).text
    assert decode(r.json()["access_token"], jwks)[1]["aud"] == "https://api.example.com"


@pytest.mark.parametrize("body,ctype,status", [
    ("grant_type=client_credentials&grant_type=client_credentials",
     "application/x-www-form-urlencoded", 400),
    ("grant_type=client_credentials&scope=a&scope=b", "application/x-www-form-urlencoded", 400),
    ("grant_type=client%ZZcredentials", "application/x-www-form-urlencoded", 400),
    ("grant_type=client_credentials%00", "application/x-www-form-urlencoded", 400),
    ("grant_type=%C3%28", "application/x-www-form-urlencoded", 400),
    ("=x", "application/x-www-form-urlencoded", 400),
    ('{"grant_type":"client_credentials"}', "application/json", 400),
    ("grant_type=client_credentials", "text/plain", 400),
    ("&".join(f"p{i}=v" for i in range(100)), "application/x-www-form-urlencoded", 400),
    ("grant_type=client_credentials&x=" + "a" * 70000, "application/x-www-form-urlencoded", 413),
], ids=["repeated-grant", "repeated-scope", "bad-escape", "nul", "bad-utf8", "empty-name",
        "json", "text", "too-many", "too-large"])
def test_as_003_12_malformed_requests(default_conf, body, ctype, status):
    c = cc_client(default_conf)
    r = token_request(default_conf, body, auth=(c["client_id"], c["client_secret"]),
                      headers={"Content-Type": ctype})
    assert r.status_code == status, r.text
    assert r.json()["error"] == "invalid_request"


def test_as_003_13_get_and_query_refused(default_conf):
    c = cc_client(default_conf)
    r = requests.get(default_conf.url + "/oauth2/token?grant_type=client_credentials",
                     auth=(c["client_id"], c["client_secret"]), timeout=5)
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"
    r = requests.post(default_conf.url + "/oauth2/token?client_secret=x",
                      data={"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]), timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_as_003_14_two_auth_methods(default_conf):
    c = cc_client(default_conf)
    r = token_request(default_conf, {"grant_type": "client_credentials",
                                     "client_secret": c["client_secret"]},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


@pytest.mark.parametrize("header", [
    "Basic !!!", "Basic " + "QQ==", "Basic", "Basic " + "A" * 10000,
], ids=["bad-chars", "no-colon", "empty", "huge"])
def test_as_003_15_malformed_basic(default_conf, header):
    r = token_request(default_conf, {"grant_type": "client_credentials"},
                      headers={"Authorization": header})
    assert r.status_code in (400, 401), r.text
    assert r.json()["error"] in ("invalid_client", "invalid_request")


def test_as_003_16_disabled_client(default_conf, pg):
    c = cc_client(default_conf)
    pg.psql(f"UPDATE oauth2_client SET enabled = false WHERE client_id = '{c['client_id']}'",
            user="postgres")
    r = token_request(default_conf, {"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    default_conf.expect_log("OA10201")


def test_as_003_17_server_keeps_serving(default_conf):
    """After all the hostile input above, the server still issues tokens."""
    c = cc_client(default_conf)
    assert cc_token(default_conf, c)
