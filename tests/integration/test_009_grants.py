"""Password, JWT bearer (RFC 7523), private_key_jwt and SAML 2.0 bearer (RFC 7522) grants.

Assertions are made by independent tools: JWTs by python3-jwcrypto, SAML by
the xmlsec1 command line."""
import json
import re
import time
import uuid

import pytest
import requests
from jwcrypto import jwk, jwt

from conftest import register
from harness import saml
from harness.httpd import render

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SAML_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
CLIENT_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
IDP = "https://idp.example.com"


@pytest.fixture(scope="module")
def grants_httpd(httpd, keys):
    conf = httpd.default_test_conf()
    conf = conf.replace("OAuthASScope       admin", f"""OAuthASGrantTypes authorization_code refresh_token client_credentials password {JWT_BEARER} {SAML_BEARER}
OAuthASPasswordRateLimit 3 60
OAuthASJWTBearerIssuer {IDP} {keys.path("other-es256.pub.pem")}
OAuthASSAMLTrust {keys.path("saml-old.crt")} {IDP}
OAuthASSAMLTrust {keys.path("saml-idp.crt")} {IDP}
OAuthASScope       admin""")
    conf = conf.replace("<Location /oauth2>\n    SetHandler oauth2-as\n",
                        f"<Location /oauth2>\n    SetHandler oauth2-as\n"
                        f"    OAuthASPasswordProvider file\n"
                        f"    AuthUserFile {keys.path('htpasswd')}\n")
    httpd.restart(conf)
    yield httpd
    httpd.restart(httpd.default_test_conf())


def key_of(keys, name):
    with open(keys.path(name), "rb") as f:
        return jwk.JWK.from_pem(f.read())


def public_jwks(key, kid="c1"):
    pub = json.loads(key.export_public())
    pub["kid"] = kid
    return {"keys": [pub]}


def assertion(key, kid="c1", **claims):
    now = int(time.time())
    body = {"iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    header = {"alg": "ES256"}
    if kid is not None:
        header["kid"] = kid
    t = jwt.JWT(header=header, claims=body)
    t.make_signed_token(key)
    return t.serialize()


def token(httpd, data, auth=None):
    return requests.post(httpd.url + "/oauth2/token", data=data, auth=auth, timeout=10)


# ---- password --------------------------------------------------------------

def test_as_009_01_password_grant(grants_httpd):
    httpd = grants_httpd
    c = register(httpd, grant_types=["password", "refresh_token"], scope="photos")
    r = token(httpd, {"grant_type": "password", "username": "alice", "password": "alice-pw",
                      "scope": "photos"}, auth=(c["client_id"], c["client_secret"]))
    assert r.status_code == 200, r.text
    assert r.json()["refresh_token"]
    info = requests.get(httpd.url + "/oauth2/tokeninfo",
                        params={"access_token": r.json()["access_token"]}, timeout=5).json()
    assert info["user_id"] == "alice"
    assert requests.get(httpd.url + "/flickr/photos", timeout=5, headers={
        "Authorization": "Bearer " + r.json()["access_token"]}).status_code == 200


def test_as_009_02_password_wrong_same_answer(grants_httpd):
    httpd = grants_httpd
    c = register(httpd, grant_types=["password"], scope="photos")
    auth = (c["client_id"], c["client_secret"])
    wrong = token(httpd, {"grant_type": "password", "username": "alice", "password": "x"}, auth)
    nobody = token(httpd, {"grant_type": "password", "username": "nobody", "password": "x"}, auth)
    assert wrong.status_code == nobody.status_code == 400
    assert wrong.json() == nobody.json() == {"error": "invalid_grant",
                                             "error_description": "invalid username or password"}
    httpd.expect_log("AH01617")


def test_as_009_04_password_unauthorized_client(grants_httpd):
    c = register(grants_httpd, grant_types=["client_credentials"], scope="photos")
    r = token(grants_httpd, {"grant_type": "password", "username": "alice",
                             "password": "alice-pw"}, (c["client_id"], c["client_secret"]))
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"


def test_as_009_05_password_rate_limit(grants_httpd):
    httpd = grants_httpd
    c = register(httpd, grant_types=["password"], scope="photos")
    auth = (c["client_id"], c["client_secret"])
    for _ in range(3):
        assert token(httpd, {"grant_type": "password", "username": "alice",
                             "password": "bad"}, auth).status_code == 400
    # now even the right password is refused, for this user and this client
    r = token(httpd, {"grant_type": "password", "username": "alice", "password": "alice-pw"},
              auth)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    # other callers are unaffected
    other = register(httpd, grant_types=["password"], scope="photos")
    r = token(httpd, {"grant_type": "password", "username": "admin", "password": "admin-pw"},
              (other["client_id"], other["client_secret"]))
    assert r.status_code == 200, r.text
    httpd.expect_log("AH01617", "OA11502")


# ---- JWT bearer ------------------------------------------------------------

@pytest.fixture
def jwt_client(grants_httpd, keys):
    key = key_of(keys, "client-es256.pem")
    c = register(grants_httpd, grant_types=[JWT_BEARER], scope="photos",
                 jwks=public_jwks(key))
    return c, key


def test_as_009_10_jwt_bearer_self_issued(grants_httpd, jwt_client):
    httpd = grants_httpd
    c, key = jwt_client
    a = assertion(key, iss=c["client_id"], sub="bob", aud=httpd.url + "/oauth2/token")
    r = token(httpd, {"grant_type": JWT_BEARER, "assertion": a, "scope": "photos"},
              (c["client_id"], c["client_secret"]))
    assert r.status_code == 200, r.text
    assert "refresh_token" not in r.json()
    info = requests.get(httpd.url + "/oauth2/tokeninfo",
                        params={"access_token": r.json()["access_token"]}, timeout=5).json()
    assert info["sub"] == "bob" and info["user_id"] == "bob"
    # the audience may also be the issuer
    a = assertion(key, iss=c["client_id"], sub="bob", aud=httpd.url)
    assert token(httpd, {"grant_type": JWT_BEARER, "assertion": a},
                 (c["client_id"], c["client_secret"])).status_code == 200


def test_as_009_11_jwt_bearer_trusted_issuer(grants_httpd, jwt_client, keys):
    httpd = grants_httpd
    c, _ = jwt_client
    a = assertion(key_of(keys, "other-es256.pem"), kid=None, iss=IDP, sub="carol",
                  aud=httpd.url + "/oauth2/token")
    r = token(httpd, {"grant_type": JWT_BEARER, "assertion": a},
              (c["client_id"], c["client_secret"]))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("case", ["wrong-key", "wrong-aud", "expired", "too-long", "replayed",
                                  "untrusted-iss", "no-jti", "future-nbf", "garbage", "none"])
def test_as_009_12_jwt_bearer_rejections(grants_httpd, jwt_client, keys, case):
    httpd = grants_httpd
    c, key = jwt_client
    now = int(time.time())
    base = dict(iss=c["client_id"], sub="bob", aud=httpd.url + "/oauth2/token")
    if case == "wrong-key":
        a = assertion(key_of(keys, "es256.pem"), **base)
    elif case == "wrong-aud":
        a = assertion(key, **dict(base, aud="https://other.example"))
    elif case == "expired":
        a = assertion(key, exp=now - 120, iat=now - 400, **base)
    elif case == "too-long":
        a = assertion(key, exp=now + 7200, **base)
    elif case == "replayed":
        a = assertion(key, **base)
        assert token(httpd, {"grant_type": JWT_BEARER, "assertion": a},
                     (c["client_id"], c["client_secret"])).status_code == 200
        httpd.expect_log("OA11402")
    elif case == "untrusted-iss":
        a = assertion(key, **dict(base, iss="https://unknown.example"))
    elif case == "no-jti":
        a = assertion(key, jti=None, **base)
    elif case == "future-nbf":
        a = assertion(key, nbf=now + 600, **base)
    elif case == "garbage":
        a = "not.a.jwt"
    else:
        a = None
    data = {"grant_type": JWT_BEARER}
    if a:
        data["assertion"] = a
    r = token(httpd, data, (c["client_id"], c["client_secret"]))
    assert r.status_code == 400, r.text
    assert r.json()["error"] == ("invalid_request" if case == "none" else "invalid_grant")


# ---- private_key_jwt -------------------------------------------------------

@pytest.fixture
def pkjwt_client(grants_httpd, keys):
    key = key_of(keys, "client-es256.pem")
    c = register(grants_httpd, grant_types=["client_credentials"], scope="photos",
                 token_endpoint_auth_method="private_key_jwt", jwks=public_jwks(key))
    assert "client_secret" not in c
    return c, key


def client_assertion(httpd, c, key, **over):
    claims = dict(iss=c["client_id"], sub=c["client_id"], aud=httpd.url + "/oauth2/token")
    claims.update(over)
    return {"client_assertion_type": CLIENT_ASSERTION,
            "client_assertion": assertion(key, **claims)}


def test_as_009_20_private_key_jwt(grants_httpd, pkjwt_client, rs_client):
    httpd = grants_httpd
    c, key = pkjwt_client
    data = dict(grant_type="client_credentials", **client_assertion(httpd, c, key))
    r = token(httpd, data)
    assert r.status_code == 200, r.text
    # the same assertion again: replay
    r2 = token(httpd, data)
    assert r2.status_code == 401 and r2.json()["error"] == "invalid_client"
    # revoke with private_key_jwt (audience: the issuer)
    at = r.json()["access_token"]
    rv = requests.post(httpd.url + "/oauth2/revoke", timeout=5,
                       data=dict(token=at, **client_assertion(httpd, c, key, aud=httpd.url)))
    assert rv.status_code == 200
    info = requests.post(httpd.url + "/oauth2/introspect", data={"token": at},
                         auth=rs_client, timeout=5).json()
    assert info == {"active": False}
    httpd.expect_log("OA11402")


@pytest.mark.parametrize("case", ["wrong-key", "wrong-aud", "iss-not-sub", "wrong-type",
                                  "with-secret", "expired"])
def test_as_009_21_private_key_jwt_rejections(grants_httpd, pkjwt_client, keys, case):
    httpd = grants_httpd
    c, key = pkjwt_client
    now = int(time.time())
    if case == "wrong-key":
        data = client_assertion(httpd, c, key_of(keys, "es256.pem"))
    elif case == "wrong-aud":
        data = client_assertion(httpd, c, key, aud="https://other.example")
    elif case == "iss-not-sub":
        data = client_assertion(httpd, c, key, sub="someone")
    elif case == "wrong-type":
        data = dict(client_assertion(httpd, c, key), client_assertion_type="x")
    elif case == "with-secret":
        data = dict(client_assertion(httpd, c, key), client_secret="x")
    else:
        data = client_assertion(httpd, c, key, exp=now - 100, iat=now - 300)
    r = token(httpd, dict(grant_type="client_credentials", **data))
    assert r.status_code in (400, 401), r.text
    assert r.json()["error"] in ("invalid_client", "invalid_request")
    httpd.expect_log("OA10201", "OA10202")


# ---- SAML 2.0 bearer ---------------------------------------------------------

@pytest.fixture
def saml_client(grants_httpd):
    return register(grants_httpd, grant_types=[SAML_BEARER], scope="photos")


def saml_token(httpd, c, xml):
    return token(httpd, {"grant_type": SAML_BEARER, "assertion": saml.b64url(xml)},
                 (c["client_id"], c["client_secret"]))


def signed(keys, httpd, key="saml-idp", **kw):
    kw.setdefault("issuer", IDP)
    kw.setdefault("audience", httpd.url + "/oauth2/token")
    kw.setdefault("recipient", httpd.url + "/oauth2/token")
    aid, xml = saml.assertion_xml(**kw)
    return aid, saml.sign(xml, keys.path(key + ".key"), keys.path(key + ".crt"))


def test_as_009_30_saml_bearer(grants_httpd, saml_client, keys):
    httpd = grants_httpd
    _, xml = signed(keys, httpd)
    r = saml_token(httpd, saml_client, xml)
    assert r.status_code == 200, r.text
    # key rollover: the IdP's old key (configured first) still works too
    _, old = signed(keys, httpd, key="saml-old")
    assert saml_token(httpd, saml_client, old).status_code == 200
    info = requests.get(httpd.url + "/oauth2/tokeninfo",
                        params={"access_token": r.json()["access_token"]}, timeout=5).json()
    assert info["user_id"] == "alice@example.com"
    # the audience may be the issuer too
    _, xml = signed(keys, httpd, audience=httpd.url)
    assert saml_token(httpd, saml_client, xml).status_code == 200
    # replay of the first one
    r = saml_token(httpd, saml_client, signed(keys, httpd, assertion_id="_fixed-id")[1])
    assert r.status_code == 200
    r = saml_token(httpd, saml_client, signed(keys, httpd, assertion_id="_fixed-id")[1])
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    httpd.expect_log("OA11602")


@pytest.mark.parametrize("case", ["untrusted-issuer", "wrong-key", "expired", "wrong-audience",
                                  "wrong-recipient", "not-bearer", "tampered", "wrapped",
                                  "not-xml", "not-yet"])
def test_as_009_31_saml_rejections(grants_httpd, saml_client, keys, case):
    httpd = grants_httpd
    if case == "untrusted-issuer":
        _, xml = signed(keys, httpd, issuer="https://evil.example")
    elif case == "wrong-key":
        _, xml = signed(keys, httpd, key="saml-untrusted")
    elif case == "expired":
        _, xml = signed(keys, httpd, lifetime=-120, not_before=-600)
    elif case == "wrong-audience":
        _, xml = signed(keys, httpd, audience="https://other.example")
    elif case == "wrong-recipient":
        _, xml = signed(keys, httpd, recipient="https://other.example/token")
    elif case == "not-bearer":
        _, xml = signed(keys, httpd, method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")
    elif case == "tampered":
        _, xml = signed(keys, httpd)
        xml = xml.replace("alice@example.com", "admin@example.com")
    elif case == "wrapped":
        # the signed assertion hidden in the Advice of an unsigned evil one
        aid, good = signed(keys, httpd)
        inner = good.split("?>", 1)[1]
        _, evil = saml.assertion_xml(IDP, httpd.url + "/oauth2/token",
                                     httpd.url + "/oauth2/token", subject="admin@example.com")
        evil = re.sub(r"<ds:Signature.*?</ds:Signature>", "", evil, flags=re.S)
        xml = evil.replace("</saml:Conditions>",
                           "</saml:Conditions>\n  <saml:Advice>" + inner + "</saml:Advice>")
    elif case == "not-xml":
        xml = "this is not xml"
    else:
        _, xml = signed(keys, httpd, not_before=600, lifetime=900)
    r = saml_token(httpd, saml_client, xml)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_grant"
