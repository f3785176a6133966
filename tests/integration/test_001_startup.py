"""Startup: metadata and JWKS are served; bad configurations refuse to start with a clear message."""
import os

import pytest
import requests

from conftest import register
from harness.httpd import render


def test_as_001_01_metadata(default_conf):
    httpd = default_conf
    r = requests.get(httpd.url + "/.well-known/oauth-authorization-server", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    m = r.json()
    assert m["issuer"] == httpd.url
    assert m["token_endpoint"] == httpd.url + "/oauth2/token"
    assert m["jwks_uri"] == httpd.url + "/oauth2/jwks"
    assert m["registration_endpoint"] == httpd.url + "/oauth2/register"
    assert set(m["scopes_supported"]) == {"photos", "userinfo/readonly", "admin"}
    assert "client_credentials" in m["grant_types_supported"]
    assert "password" not in m["grant_types_supported"]
    assert "client_secret_basic" in m["token_endpoint_auth_methods_supported"]


def test_as_001_02_jwks(default_conf, keys):
    from jwcrypto import jwk
    r = requests.get(default_conf.url + "/oauth2/jwks", timeout=5)
    assert r.status_code == 200
    jwks = r.json()["keys"]
    assert [k["kid"] for k in jwks] == ["k1", "k2"]
    assert jwks[0]["kty"] == "EC" and jwks[0]["alg"] == "ES256" and jwks[0]["crv"] == "P-256"
    assert jwks[1]["kty"] == "RSA" and jwks[1]["alg"] == "RS256"
    for k in jwks:
        assert "d" not in k and "p" not in k, "private key material published"
    # the published key is the configured one
    with open(keys.path("es256.pem"), "rb") as f:
        mine = jwk.JWK.from_pem(f.read())
    assert jwk.JWK(**jwks[0]).thumbprint() == mine.thumbprint()


def test_as_001_03_thumbprint_kid(httpd, keys):
    """Without a kid, the key is published under its RFC 7638 thumbprint."""
    from jwcrypto import jwk
    conf = httpd.default_test_conf().replace(f"{keys.dir}/es256.pem k1", f"{keys.dir}/es256.pem")
    httpd.restart(conf)
    try:
        jwks = requests.get(httpd.url + "/oauth2/jwks", timeout=5).json()["keys"]
        with open(keys.path("es256.pem"), "rb") as f:
            assert jwks[0]["kid"] == jwk.JWK.from_pem(f.read()).thumbprint()
    finally:
        httpd.restart(httpd.default_test_conf())


def test_as_001_04_jwks_not_post(default_conf):
    r = requests.post(default_conf.url + "/oauth2/jwks", timeout=5)
    assert r.status_code == 405


def test_as_001_05_unknown_endpoint(default_conf):
    r = requests.get(default_conf.url + "/oauth2/nope", timeout=5)
    assert r.status_code == 404
    assert r.json()["error"] == "invalid_request"


BAD_CONFIGS = [
    ("weak-rsa1024.pem k1", "RSA keys must have at least 2048 bits"),
    ("p384.pem k1", "EC keys must be on curve P-256"),
    ("garbage.pem k1", "no readable unencrypted PEM"),
    ("encrypted.pem k1", "no readable unencrypted PEM"),
    ("missing.pem k1", "cannot open"),
    ("es256.pub.pem k1", "must be a private key"),
]


@pytest.mark.parametrize("key,message", BAD_CONFIGS)
def test_as_001_10_bad_signing_key(httpd, keys, key, message):
    conf = httpd.default_test_conf().replace(f"{keys.dir}/es256.pem k1", f"{keys.dir}/{key}")
    httpd.stop()
    httpd.write_test_conf(conf)
    rc, out = httpd.config_test()
    assert rc != 0
    assert "OAuthASSigningKey" in out and message in out, out
    httpd.restart(httpd.default_test_conf())


@pytest.mark.parametrize("old,new,message", [
    ("OAuthASIssuer      {url}", "OAuthASIssuer http://example.com", "must use https"),
    ("OAuthASIssuer      {url}", "OAuthASIssuer https://example.com/?q=1", "must not contain a query"),
    ("file:{keys}/secret", "file:{keys}/short-secret", "at least 32 are needed"),
    ("file:{keys}/secret", "{keys}/secret", "must be file:<path>"),
    ("OAuthASScope       photos", "OAuthASScope       pho\"tos", "not a valid scope"),
    ("OAuthASScope       admin", "OAuthASScope       photos", "declared twice"),
])
def test_as_001_11_bad_directives(httpd, keys, old, new, message):
    old = old.format(url=httpd.url, keys=keys.dir)
    new = new.format(url=httpd.url, keys=keys.dir)
    conf = httpd.default_test_conf()
    assert old in conf
    httpd.stop()
    httpd.write_test_conf(conf.replace(old, new))
    rc, out = httpd.config_test()
    assert rc != 0 and message in out, out
    httpd.restart(httpd.default_test_conf())


def test_as_001_12_no_secret_refuses_start(httpd, keys):
    conf = "\n".join(l for l in httpd.default_test_conf().splitlines()
                     if not l.startswith("OAuthASSecret"))
    httpd.stop()
    httpd.write_test_conf(conf)
    rc, out = httpd.start(expect_fail=True)
    assert rc != 0
    assert "OA10602" in httpd.recent_log()
    httpd.expect_log("OA10602", "AH00016")
    httpd.restart(httpd.default_test_conf())


def test_as_001_13_no_dbdriver_refuses_start(httpd, keys):
    httpd.stop()
    main = os.path.join(httpd.root, "httpd.conf")
    with open(main) as f:
        original = f.read()
    try:
        with open(main, "w") as f:
            f.write("\n".join(l for l in original.splitlines() if not l.startswith("DBD")))
        rc, out = httpd.start(expect_fail=True)
        assert rc != 0
        assert "OA10603" in httpd.recent_log()
        httpd.expect_log("OA10603", "AH00016")
    finally:
        with open(main, "w") as f:
            f.write(original)
    httpd.restart(httpd.default_test_conf())


def test_as_001_14_fresh_database_migrated(default_conf, pg):
    """The module applied sql/ itself: the schema version table is current."""
    versions = [int(r[0]) for r in pg.psql("SELECT version FROM oauth2_schema_version")]
    files = sorted(f for f in os.listdir(os.path.join(os.path.dirname(__file__), "..", "..", "sql"))
                   if f.endswith(".sql"))
    assert versions == sorted(int(f.split("_")[0]) for f in files)


@pytest.mark.parametrize("line,message", [
    ("OAuthASCodeLifetime 0", "not a duration between 5s and 10m"),
    ("OAuthASCodeLifetime 11m", "not a duration between 5s and 10m"),
    ("OAuthASRefreshTokenLifetime 1x", "not a duration"),
    ("OAuthASAccessTokenLifetime -5", "not a duration"),
    ("OAuthASRequirePKCE maybe", "must be On or Off"),
    ("OAuthASGrantTypes password magic", "unknown grant type magic"),
    ("OAuthASConsentTemplate {keys}/nope.html", "cannot open"),
    ("OAuthASConsentTemplate {gen}/bad-template.html", "unknown placeholder {{secret}}"),
    ("OAuthASConsentTemplate {gen}/no-csrf.html", "must carry {{csrf}}"),
    ("OAuthASDefaultAudience not-a-uri", "not an absolute URI"),
    ("OAuthASStylesheet https://cdn.example.com/x.css", "must be a URL path"),
    ("OAuthASAccessTokenFormat paseto", "must be jwt or opaque"),
    ("OAuthASPasswordProvider nosuch", "unknown authn provider nosuch"),
    ("OAuthASPasswordRateLimit 0 10m", "not a number of failures"),
    ("OAuthASJWTBearerIssuer https://i.example {keys}/nope.pem", "cannot open"),
    ("OAuthASAssertionMaxLifetime 2d", "not a duration"),
    ("OAuthASSAMLTrust {keys}/nope.crt https://idp.example", "OAuthASSAMLTrust"),
])
def test_as_001_15_refused_directives(httpd, keys, line, message):
    with open(os.path.join(httpd.root, "..", "bad-template.html"), "w") as f:
        f.write("<form>{{csrf}} decision {{secret}}</form>")
    with open(os.path.join(httpd.root, "..", "no-csrf.html"), "w") as f:
        f.write("<p>{{client_name}}</p>")
    line = line.format(keys=keys.dir, gen=os.path.dirname(httpd.root))
    httpd.stop()
    httpd.write_test_conf(httpd.default_test_conf() + "\n" + line + "\n")
    rc, out = httpd.config_test()
    assert rc != 0 and message in out, out
    httpd.restart(httpd.default_test_conf())


def test_as_001_16_accepted_directives(httpd, keys):
    """Every optional directive with a valid value, and a custom consent page."""
    tmpl = os.path.join(os.path.dirname(httpd.root), "consent.html")
    with open(tmpl, "w") as f:
        f.write("<!doctype html><title>Custom</title><h1>CUSTOM {{client_name}}</h1>"
                "<ul>{{{scopes}}}</ul><form method=post action=\"{{action}}\">{{{hidden}}}"
                "<input type=hidden name=csrf value=\"{{csrf}}\">"
                "<button name=decision value=allow>Yes</button>"
                "<button name=decision value=deny>No</button></form>")
    extra = f"""
OAuthASAccessTokenLifetime 15m
OAuthASCodeLifetime 30s
OAuthASRefreshTokenLifetime 30d
OAuthASRequirePKCE On
OAuthASPKCEPlain Off
OAuthASDefaultAudience https://api.example.com
OAuthASConsentTemplate {tmpl}
OAuthASStylesheet /css/site.css
"""
    httpd.restart(httpd.default_test_conf() + extra)
    try:
        from harness.flow import authorize, pkce_pair
        c = register(httpd, client_name="<b>Bold</b>", redirect_uris=["https://x.example/cb"],
                     grant_types=["authorization_code"], scope="photos")
        _, ch = pkce_pair()
        page = authorize(httpd, {"response_type": "code", "client_id": c["client_id"],
                                 "scope": "photos", "code_challenge": ch,
                                 "code_challenge_method": "S256"})
        assert page.status_code == 200
        assert "<h1>CUSTOM &lt;b&gt;Bold&lt;/b&gt;</h1>" in page.text
        acct = requests.get(httpd.url + "/oauth2/account/", auth=("alice", "alice-pw"), timeout=5)
        assert 'href="/css/site.css"' in acct.text
        assert "View your photos" in page.text
        # OAuthASRequirePKCE On: a confidential client without PKCE is refused
        from harness.flow import redirect_params
        r = authorize(httpd, {"response_type": "code", "client_id": c["client_id"],
                              "scope": "photos", "state": "s"})
        assert redirect_params(r)[0]["error"] == "invalid_request"
        cc = register(httpd, grant_types=["client_credentials"], scope="photos")
        t = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                          auth=(cc["client_id"], cc["client_secret"]), timeout=5).json()
        assert t["expires_in"] == 900
    finally:
        httpd.restart(httpd.default_test_conf())


def test_as_001_17_example_conf_is_valid(httpd, keys, tmp_path):
    """conf/example.conf, with real paths, passes apache2 -t."""
    import subprocess
    from harness import env
    with open(os.path.join(env.TOP, "conf", "example.conf")) as f:
        text = f.read()
    for old, new in (("/etc/apache2/oauth2/es256.pem", keys.path("es256.pem")),
                     ("/etc/apache2/oauth2/as-secret", keys.path("secret")),
                     ("/etc/apache2/oauth2/admins", keys.path("htpasswd")),
                     ("/etc/apache2/oauth2/users", keys.path("htpasswd")),
                     ("modules/", env.MODULES + "/")):
        text = text.replace(old, new)
    text = text.replace(env.MODULES + "/mod_oauth2_as.so", env.module_path("mod_oauth2_as"))
    text = text.replace(env.MODULES + "/mod_oauth2_rs.so", env.module_path("mod_oauth2_rs"))
    conf = tmp_path / "httpd.conf"
    conf.write_text(f"""ServerRoot {tmp_path}
Listen 127.0.0.1:{env.free_port()}
PidFile {tmp_path}/httpd.pid
ErrorLog {tmp_path}/error.log
LoadModule mpm_event_module {env.MODULES}/mod_mpm_event.so
LoadModule authz_core_module {env.MODULES}/mod_authz_core.so
LoadModule authz_user_module {env.MODULES}/mod_authz_user.so
LoadModule authn_core_module {env.MODULES}/mod_authn_core.so
LoadModule authn_file_module {env.MODULES}/mod_authn_file.so
LoadModule auth_basic_module {env.MODULES}/mod_auth_basic.so
""" + text)
    environ = dict(os.environ, LD_PRELOAD=env.LD_PRELOAD) if env.LD_PRELOAD else None
    p = subprocess.run([env.APACHE2, "-t", "-f", str(conf)], capture_output=True, text=True,
                       env=environ)
    assert p.returncode == 0, p.stdout + p.stderr
