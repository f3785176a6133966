"""RFC 7591 registration and RFC 7592 client configuration."""
import json

import pytest
import requests

from conftest import ADMIN, register


def post_register(httpd, body, auth=ADMIN, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return requests.post(httpd.url + "/oauth2/register", data=data, auth=auth,
                         headers={"Content-Type": content_type}, timeout=10)


def test_as_002_01_register_confidential(default_conf, pg):
    c = register(default_conf, client_name="Canon Print",
                 redirect_uris=["https://print.example.com/cb"],
                 grant_types=["authorization_code", "refresh_token"], scope="photos")
    assert len(c["client_id"]) >= 16
    assert len(c["client_secret"]) >= 43            # 256 bits
    assert c["client_secret_expires_at"] == 0
    assert c["token_endpoint_auth_method"] == "client_secret_basic"
    assert c["response_types"] == ["code"]
    assert c["registration_client_uri"] == f"{default_conf.url}/oauth2/clients/{c['client_id']}"
    assert c["registration_access_token"]
    # stored hashed, never in clear
    rows = pg.psql("SELECT secret_hash, registration_token_hash, metadata::text FROM oauth2_client")
    assert len(rows) == 1
    assert c["client_secret"] not in "".join(rows[0])
    assert c["registration_access_token"] not in "".join(rows[0])


def test_as_002_02_register_public(default_conf):
    c = register(default_conf, client_name="CLI", token_endpoint_auth_method="none",
                 redirect_uris=["http://127.0.0.1/cb"], grant_types=["authorization_code"])
    assert "client_secret" not in c


def test_as_002_03_register_requires_admin(default_conf):
    r = post_register(default_conf, {"client_name": "x"}, auth=None)
    assert r.status_code == 401
    r = post_register(default_conf, {"client_name": "x"}, auth=("alice", "alice-pw"))
    assert r.status_code in (401, 403)
    default_conf.expect_log("AH01631")


@pytest.mark.parametrize("meta,error", [
    ({"redirect_uris": ["http://evil.example.com/cb"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["https://x.example.com/cb#frag"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["javascript:alert(1)"]}, "invalid_redirect_uri"),
    ({"redirect_uris": "https://x.example.com/cb"}, "invalid_redirect_uri"),
    ({"grant_types": ["authorization_code"]}, "invalid_redirect_uri"),
    ({"grant_types": ["magic"]}, "invalid_client_metadata"),
    ({"grant_types": ["password"]}, "invalid_client_metadata"),   # not enabled
    ({"grant_types": ["client_credentials"], "scope": "nope"}, "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "none"},
     "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "magic"},
     "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt"},
     "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "client_name": 7}, "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "client_name": "a\nb"}, "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "logo_uri": "http://evil.example.com/l.png"},
     "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "jwks": {"keys": [{"kty": "oct", "k": "AAAA"}]}},
     "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"], "response_types": ["code"]},
     "invalid_client_metadata"),
])
def test_as_002_04_invalid_metadata(default_conf, meta, error):
    r = post_register(default_conf, meta)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == error


@pytest.mark.parametrize("body,ctype", [
    ("not json", "application/json"),
    ("[1,2,3]", "application/json"),
    ('{"client_name": "x"} trailing', "application/json"),
    ("[" * 5000 + "]" * 5000, "application/json"),
    ('{"client_name": "\xff"}'.encode("latin-1"), "application/json"),
    ('{"client_name": "x"}', "text/plain"),
    ("", "application/json"),
], ids=["not-json", "array", "trailing", "nesting-bomb", "bad-utf8", "text-plain", "empty"])
def test_as_002_05_malformed_body(default_conf, body, ctype):
    r = post_register(default_conf, body, content_type=ctype)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_client_metadata"


def test_as_002_06_oversized_body(default_conf):
    r = post_register(default_conf, {"client_name": "x" * 200000})
    assert r.status_code == 413
    assert r.json()["error"] == "invalid_client_metadata"


def test_as_002_07_client_configuration_read_update_delete(default_conf, pg):
    httpd = default_conf
    c = register(httpd, client_name="Old name", grant_types=["client_credentials"],
                 scope="photos")
    uri, rat = c["registration_client_uri"], c["registration_access_token"]
    h = {"Authorization": "Bearer " + rat}
    r = requests.get(uri, headers=h, timeout=5)
    assert r.status_code == 200
    assert r.json()["client_name"] == "Old name"
    assert "client_secret" not in r.json()
    upd = {"client_id": c["client_id"], "client_name": "New name",
           "grant_types": ["client_credentials"], "scope": "photos admin"}
    r = requests.put(uri, headers=h, json=upd, timeout=5)
    assert r.status_code == 200, r.text
    assert r.json()["client_name"] == "New name"
    assert r.json()["scope"] == "admin photos"
    assert requests.get(uri, headers=h, timeout=5).json()["client_name"] == "New name"
    # the secret still works after the update
    t = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]), timeout=5)
    assert t.status_code == 200
    r = requests.delete(uri, headers=h, timeout=5)
    assert r.status_code == 204
    assert pg.psql("SELECT count(*) FROM oauth2_client") == [["0"]]
    r = requests.get(uri, headers=h, timeout=5)
    assert r.status_code == 401
    t = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(c["client_id"], c["client_secret"]), timeout=5)
    assert t.status_code == 401
    httpd.expect_log("OA10201")


def test_as_002_08_client_configuration_auth(default_conf):
    c = register(default_conf, grant_types=["client_credentials"])
    uri = c["registration_client_uri"]
    r = requests.get(uri, timeout=5)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    r = requests.get(uri, headers={"Authorization": "Bearer wrong"}, timeout=5)
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    other = register(default_conf, grant_types=["client_credentials"])
    r = requests.get(uri, headers={"Authorization": "Bearer " + other["registration_access_token"]},
                     timeout=5)
    assert r.status_code == 401


@pytest.mark.parametrize("change", [
    {"client_id": "someone-else"},
    {"registration_access_token": "x"},
    {"client_secret": "not-the-secret"},
    {"redirect_uris": ["http://evil.example.com/"], "grant_types": ["authorization_code"]},
])
def test_as_002_09_bad_updates(default_conf, change):
    c = register(default_conf, client_name="n", grant_types=["client_credentials"])
    body = {"client_id": c["client_id"], "grant_types": ["client_credentials"]}
    body.update(change)
    r = requests.put(c["registration_client_uri"], json=body, timeout=5,
                     headers={"Authorization": "Bearer " + c["registration_access_token"]})
    assert r.status_code == 400, r.text
    assert r.json()["error"] in ("invalid_request", "invalid_client_metadata",
                                 "invalid_redirect_uri")


def test_as_002_10_register_get_not_allowed(default_conf):
    r = requests.get(default_conf.url + "/oauth2/register", auth=ADMIN, timeout=5)
    assert r.status_code == 405


def test_as_002_11_register_unprotected_refused(httpd):
    conf = httpd.default_test_conf().replace("<Location /oauth2/register>",
                                             "<Location /oauth2/register-unused>")
    httpd.restart(conf)
    try:
        r = post_register(httpd, {"grant_types": ["client_credentials"]}, auth=None)
        assert r.status_code == 403 and r.json()["error"] == "access_denied"
        httpd.expect_log("OA10404")
    finally:
        httpd.restart(httpd.default_test_conf())


def test_as_002_12_disabled_client_cannot_manage_itself(default_conf, pg):
    c = register(default_conf, grant_types=["client_credentials"])
    pg.psql("UPDATE oauth2_client SET enabled = false")
    r = requests.get(c["registration_client_uri"], timeout=5,
                     headers={"Authorization": "Bearer " + c["registration_access_token"]})
    assert r.status_code == 401


def test_as_002_13_null_members_are_absent(default_conf):
    c = register(default_conf, client_name=None, grant_types=None, redirect_uris=["https://a.example/cb"],
                 scope=None)
    assert c["grant_types"] == ["authorization_code"]
