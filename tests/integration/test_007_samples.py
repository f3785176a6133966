"""The samples run against a freshly started server and do what they say."""
import json
import os
import shutil
import subprocess
import time
import urllib.parse

import pytest
import requests

from conftest import cc_token, register
from harness import env, samples
from harness.flow import ALICE, authorize, decide, exchange, get_code, redirect_params
from harness.httpd import render

SAMPLES = os.path.join(env.TOP, "samples")


@pytest.fixture
def printing_site(default_conf):
    port = env.free_port()
    cb = f"http://127.0.0.1:{port}/callback"
    client = register(default_conf, client_name="Canon Print", redirect_uris=[cb],
                      grant_types=["authorization_code", "refresh_token"], scope="photos")
    proc = subprocess.Popen(
        ["/usr/bin/python3", os.path.join(SAMPLES, "web-app", "printing_site.py")],
        env=dict(os.environ, AS_URL=default_conf.url, CLIENT_ID=client["client_id"],
                 CLIENT_SECRET=client["client_secret"], LISTEN=f"127.0.0.1:{port}"),
        stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            requests.get(url + "/", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(5)


def test_sample_007_01_printing_site(default_conf, printing_site):
    s = requests.Session()
    r = s.get(printing_site + "/print", allow_redirects=False, timeout=5)
    assert r.status_code == 302
    assert r.headers["Location"].startswith(default_conf.url + "/oauth2/authorize?")
    consent = requests.get(r.headers["Location"], auth=ALICE, allow_redirects=False, timeout=5)
    assert "Canon Print" in consent.text
    back = decide(default_conf, consent)
    assert back.headers["Location"].startswith(printing_site + "/callback?")
    page = s.get(back.headers["Location"], timeout=10)
    assert page.status_code == 200, page.text
    assert "beach.jpg" in page.text and "mountain.jpg" in page.text


def test_sample_007_02_printing_site_denied(default_conf, printing_site):
    r = requests.get(printing_site + "/print", allow_redirects=False, timeout=5)
    consent = requests.get(r.headers["Location"], auth=ALICE, allow_redirects=False, timeout=5)
    back = decide(default_conf, consent, decision="deny")
    page = requests.get(back.headers["Location"], timeout=10)
    assert "access_denied" in page.text


# ---- every other sample, run as a separate process --------------------------
#
# Each sample gets its settings through the environment only (as in
# run/samples.env written by tools/demo), runs against the test server and is
# judged by its exit code and the key lines it prints.

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SAML_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
IDP = "https://idp.example.com"
ALICE_ENV = dict(OAUTH_USER=ALICE[0], OAUTH_PASSWORD=ALICE[1])


def all_grants_conf(httpd, keys):
    """The default test.conf with what tools/demo enables for the samples:
    every grant, the password provider and a trusted SAML IdP."""
    conf = httpd.default_test_conf()
    conf = conf.replace("OAuthASScope       admin", f"""OAuthASGrantTypes authorization_code refresh_token client_credentials password implicit {JWT_BEARER} {SAML_BEARER}
OAuthASSAMLTrust {keys.path("saml-idp.crt")} {IDP}
OAuthASScope       admin""")
    return conf.replace("<Location /oauth2>\n    SetHandler oauth2-as\n",
                        "<Location /oauth2>\n    SetHandler oauth2-as\n"
                        "    OAuthASPasswordProvider file\n"
                        f"    AuthUserFile {keys.path('htpasswd')}\n")


def use_conf(httpd, conf):
    """Restarts httpd with conf unless it already runs it."""
    with open(os.path.join(httpd.root, "test.conf")) as f:
        if f.read() != conf or not httpd.running():
            httpd.restart(conf)
    httpd.mark_log()
    return httpd


@pytest.fixture(scope="module", autouse=True)
def default_conf_afterwards(httpd):
    yield
    use_conf(httpd, httpd.default_test_conf())


@pytest.fixture
def grants_conf(httpd, keys):
    return use_conf(httpd, all_grants_conf(httpd, keys))


def demo_client(httpd, **extra):
    """Like tools/demo's "Demo service": one confidential client for the curl samples."""
    meta = dict(client_name="Demo service", scope="photos userinfo/readonly",
                grant_types=["client_credentials"])
    meta.update(extra)
    c = register(httpd, **meta)
    return dict(AS_URL=httpd.url, CLIENT_ID=c["client_id"], CLIENT_SECRET=c["client_secret"])


def api_ok(out):
    return 'HTTP 200 {"photos": ["beach.jpg", "mountain.jpg"]}' in out


# ---- native app: authorization code + PKCE on a loopback port ----------------

@pytest.fixture
def native_client(default_conf):
    return register(default_conf, client_name="Photo CLI", token_endpoint_auth_method="none",
                    redirect_uris=["http://127.0.0.1/callback"],
                    grant_types=["authorization_code", "refresh_token"], scope="photos")


def start_native(httpd, client):
    """Starts the native app without a browser; returns it and the URL it printed."""
    app = samples.Background("native-app/native_app.py", AS_URL=httpd.url,
                             NATIVE_CLIENT_ID=client["client_id"], NO_BROWSER=1, TIMEOUT=30)
    url = app.wait_line(lambda line: line.startswith(httpd.url + "/oauth2/authorize?"))
    return app, url


def test_sample_007_03_native_app(default_conf, native_client):
    httpd = default_conf
    app, url = start_native(httpd, native_client)
    try:
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        assert q["code_challenge_method"] == "S256" and q["state"]
        assert q["redirect_uri"].startswith("http://127.0.0.1:")
        assert q["redirect_uri"].endswith("/callback")
        # the user (alice, signing in with Basic) allows on the consent page ...
        consent = requests.get(url, auth=ALICE, allow_redirects=False, timeout=5)
        assert "Photo CLI" in consent.text
        back = decide(httpd, consent)
        location = back.headers["Location"]
        assert location.startswith(q["redirect_uri"] + "?")
        # ... and her browser follows the redirect to the app's loopback listener
        page = requests.get(location, timeout=10)
        assert page.status_code == 200 and "you can close this window" in page.text
        rc, out = app.finish()
    finally:
        app.stop()
    assert rc == 0, out
    assert "got an access token (scope 'photos'" in out and "and a refresh token" in out
    assert "your photos: beach.jpg, mountain.jpg" in out


def test_sample_007_04_native_app_denied_and_forged(default_conf, native_client):
    httpd = default_conf
    app, url = start_native(httpd, native_client)
    try:
        redirect = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["redirect_uri"]
        # a forged callback (wrong state) is refused, without an exchange
        requests.get(redirect + "?code=forged&state=other&iss=" + httpd.url, timeout=10)
        rc, out = app.finish()
    finally:
        app.stop()
    assert rc != 0 and "state mismatch" in out, out
    app, url = start_native(httpd, native_client)
    try:
        back = decide(httpd, requests.get(url, auth=ALICE, allow_redirects=False, timeout=5),
                      decision="deny")
        requests.get(back.headers["Location"], timeout=10)
        rc, out = app.finish()
    finally:
        app.stop()
    assert rc != 0 and "authorization refused: access_denied" in out, out


# ---- the sh + curl samples on the default grants ----------------------------

def test_sample_007_05_client_credentials(default_conf):
    rc, out = samples.run("client-credentials/client_credentials.sh", **demo_client(default_conf))
    assert rc == 0, out
    assert '"token_type": "Bearer"' in out and 'an access token for scope "photos"' in out
    assert api_ok(out)
    # a wrong secret: the sample says so and fails
    bad = dict(demo_client(default_conf), CLIENT_SECRET="wrong")
    rc, out = samples.run("client-credentials/client_credentials.sh", **bad)
    assert rc != 0 and "no access token: invalid_client" in out, out
    default_conf.expect_log("OA10201", "OA10202")


def test_sample_007_06_introspection(default_conf, rs_client):
    values = demo_client(default_conf)
    rc, out = samples.run("introspection/introspect.sh", **values)
    assert rc == 0, out
    assert '"active": true' in out and '<== {"active":false}' in out
    assert f'active: client {values["CLIENT_ID"]}, scope "photos"' in out
    # as the resource server's own client, about a token given in TOKEN
    token = cc_token(default_conf, {"client_id": values["CLIENT_ID"],
                                    "client_secret": values["CLIENT_SECRET"]})
    rc, out = samples.run("introspection/introspect.sh", TOKEN=token, AS_URL=default_conf.url,
                          RS_CLIENT_ID=rs_client[0], RS_CLIENT_SECRET=rs_client[1])
    assert rc == 0, out
    assert f"(as {rs_client[0]})" in out and '"active": true' in out


def test_sample_007_07_tokeninfo(default_conf):
    values = demo_client(default_conf)
    rc, out = samples.run("tokeninfo/tokeninfo.sh", **values)
    assert rc == 0, out
    assert f'"audience": "{values["CLIENT_ID"]}"' in out
    assert "user (none: the client acts for itself)" in out
    assert 'HTTP 400 {"error":"invalid_token"' in out
    # a user's token, from the code flow
    web = register(default_conf, redirect_uris=["https://print.example.com/cb"],
                   grant_types=["authorization_code"], scope="photos")
    code, verifier, uri = get_code(default_conf, web)
    token = exchange(default_conf, web, code, verifier, uri).json()["access_token"]
    rc, out = samples.run("tokeninfo/tokeninfo.sh", AS_URL=default_conf.url, TOKEN=token)
    assert rc == 0, out
    assert f'issued to client {web["client_id"]}, user alice, scope "photos"' in out


def test_sample_007_08_resource_server_call(default_conf):
    values = demo_client(default_conf)
    rc, out = samples.run("resource-server-call/call_api.py", **values)
    assert rc == 0, out
    lines = [line for line in out.splitlines() if "->" in line]
    assert lines == [
        "[call-api]   -> invalid_token: expired, revoked or not ours; getting a new one",
        "[call-api]   -> insufficient_scope: the API wants scope 'photos'; "
        "getting a token with it"], out
    assert "[call-api]   200 OK" in out
    assert "the photos: beach.jpg, mountain.jpg" in out
    # no token at first, and the right scope: one 401 then 200
    rc, out = samples.run("resource-server-call/call_api.py", TOKEN="", SCOPE="photos", **values)
    assert rc == 0, out
    assert "-> no error code: the API wants a token; getting one" in out
    assert "insufficient_scope" not in out and "the photos: beach.jpg" in out
    # a scope the API never accepts and the client cannot get: a clear failure
    rc, out = samples.run("resource-server-call/call_api.py", SCOPE="admin", **values)
    assert rc != 0 and "token request refused (400)" in out and "invalid_scope" in out, out


# ---- the samples of the grants tools/demo enables ----------------------------

def test_sample_007_10_password(grants_conf):
    values = demo_client(grants_conf, grant_types=["password", "refresh_token"])
    rc, out = samples.run("password/password.sh", **values, **ALICE_ENV)
    assert rc == 0, out
    assert '"refresh_token":' in out and "an access token for alice" in out
    assert api_ok(out)
    rc, out = samples.run("password/password.sh", **dict(values, OAUTH_USER="alice",
                                                          OAUTH_PASSWORD="wrong"))
    assert rc != 0
    assert "no access token: invalid_grant: invalid username or password" in out, out
    grants_conf.expect_log("AH01617")


def test_sample_007_11_refresh(grants_conf):
    values = demo_client(grants_conf, grant_types=["password", "refresh_token"])
    rc, out = samples.run("refresh/refresh.sh", **values, **ALICE_ENV)
    assert rc == 0, out
    assert "no REFRESH_TOKEN given: getting one with the password grant as alice" in out
    assert api_ok(out)
    assert '{"error":"invalid_grant","error_description":"refresh token reused"}' in out
    assert "done: rotation and reuse detection work" in out
    # with a refresh token of the code flow, given in REFRESH_TOKEN
    web = register(grants_conf, redirect_uris=["https://print.example.com/cb"],
                   grant_types=["authorization_code", "refresh_token"], scope="photos")
    code, verifier, uri = get_code(grants_conf, web)
    tokens = exchange(grants_conf, web, code, verifier, uri).json()
    rc, out = samples.run("refresh/refresh.sh", AS_URL=grants_conf.url,
                          CLIENT_ID=web["client_id"], CLIENT_SECRET=web["client_secret"],
                          REFRESH_TOKEN=tokens["refresh_token"])
    assert rc == 0, out
    assert "password grant" not in out and api_ok(out)
    grants_conf.expect_log("OA11003")


def test_sample_007_12_revoke(grants_conf, rs_client):
    values = demo_client(grants_conf, grant_types=["password", "refresh_token"])
    rc, out = samples.run("revoke/revoke.sh", **values, **ALICE_ENV)
    assert rc == 0, out
    assert out.count("<== HTTP 200") == 2
    assert '"user_id":"alice"' in out
    assert "refresh token revoked or expired" in out
    assert 'tokeninfo after: {"error":"invalid_token"' in out
    assert "done: both tokens are revoked" in out


def test_sample_007_13_jwt_bearer(grants_conf):
    httpd = grants_conf
    workdir = os.path.join(env.GEN, "samples")
    os.makedirs(workdir, exist_ok=True)
    key = os.path.join(workdir, "client-rsa.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                    "rsa_keygen_bits:2048", "-out", key], check=True, capture_output=True)
    # jwk.sh makes the JWK Set to register; compare it with an independent library
    jwks = json.loads(subprocess.run(["sh", samples.sample_path("jwt-bearer/jwk.sh"), key,
                                      "k-test"], check=True, capture_output=True,
                                     text=True).stdout)
    from jwcrypto import jwk
    with open(key, "rb") as f:
        expected = json.loads(jwk.JWK.from_pem(f.read()).export_public())
    got = jwks["keys"][0]
    assert (got["kty"], got["n"], got["e"], got["kid"]) == \
        ("RSA", expected["n"], expected["e"], "k-test")
    values = demo_client(httpd, grant_types=[JWT_BEARER], scope="photos", jwks=jwks)
    rc, out = samples.run("jwt-bearer/jwt_bearer.sh", CLIENT_KEY=key, KEY_ID="k-test",
                          SUBJECT="bob", **values)
    assert rc == 0, out
    assert '"kid":"k-test"' in out and '"sub":"bob"' in out
    assert f'"aud":"{httpd.url}/oauth2/token"' in out
    assert "an access token for bob" in out and api_ok(out)
    # the key the server does not know: refused, and the sample says why
    other = os.path.join(workdir, "other-rsa.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                    "rsa_keygen_bits:2048", "-out", other], check=True, capture_output=True)
    rc, out = samples.run("jwt-bearer/jwt_bearer.sh", CLIENT_KEY=other, KEY_ID="k-test",
                          **values)
    assert rc != 0 and "no access token: invalid_grant" in out, out


def test_sample_007_14_saml_bearer(grants_conf, keys):
    values = demo_client(grants_conf, grant_types=[SAML_BEARER], scope="photos")
    rc, out = samples.run("saml-bearer/saml_bearer.sh", IDP_KEY=keys.path("saml-idp.key"),
                          IDP_CERT=keys.path("saml-idp.crt"), IDP_ENTITY_ID=IDP,
                          SUBJECT="alice@example.com", **values)
    assert rc == 0, out
    assert "SignatureValue" in out and "an access token for alice@example.com" in out
    assert api_ok(out)
    # signed by an IdP the server does not trust
    rc, out = samples.run("saml-bearer/saml_bearer.sh", IDP_KEY=keys.path("saml-untrusted.key"),
                          IDP_CERT=keys.path("saml-untrusted.crt"), IDP_ENTITY_ID=IDP,
                          **values)
    assert rc != 0 and "no access token: invalid_grant" in out, out


# ---- the single-page app (implicit) ------------------------------------------

@pytest.fixture
def spa(httpd):
    """serve.py on a free port, with a client registered for its URL."""
    def start(server):
        port = env.free_port()
        url = f"http://127.0.0.1:{port}"
        client = register(server, client_name="Photo SPA", token_endpoint_auth_method="none",
                          redirect_uris=[url + "/"], grant_types=["implicit"], scope="photos")
        proc = samples.Background("spa-implicit/serve.py", AS_URL=server.url,
                                  SPA_CLIENT_ID=client["client_id"], LISTEN=f"127.0.0.1:{port}")
        started.append(proc)
        assert samples.wait_http(url + "/"), proc.text()
        return url, client
    started = []
    yield start
    for proc in started:
        proc.stop()


def test_sample_007_15_spa_implicit(grants_conf, spa):
    """The page's steps played with requests: its server, config, redirect and API call."""
    httpd = grants_conf
    url, client = spa(httpd)
    page = requests.get(url + "/", timeout=5)
    assert page.status_code == 200 and 'response_type: "token"' in page.text
    cfg = requests.get(url + "/config.js", timeout=5).text
    assert f'"clientId": "{client["client_id"]}"' in cfg and f'"asUrl": "{httpd.url}"' in cfg
    # what signIn() does: the authorization request, answered in the fragment
    r = authorize(httpd, {"response_type": "token", "client_id": client["client_id"],
                          "redirect_uri": url + "/", "scope": "photos", "state": "st-1"})
    back = decide(httpd, r)
    got, location = redirect_params(back)
    assert location.startswith(url + "/#access_token=")
    assert got["state"] == "st-1" and got["iss"] == httpd.url
    # what handleRedirect() does: the API call, through serve.py's /api
    api = requests.get(url + "/api", timeout=10,
                       headers={"Authorization": "Bearer " + got["access_token"]})
    assert api.status_code == 200 and api.json()["photos"] == ["beach.jpg", "mountain.jpg"]
    # without the token the API's challenge comes through
    api = requests.get(url + "/api", timeout=10)
    assert api.status_code == 401 and api.headers["WWW-Authenticate"].startswith("Bearer")


def chromium_available():
    import importlib.util
    return (importlib.util.find_spec("selenium") is not None
            and os.path.exists("/usr/bin/chromium") and os.path.exists("/usr/bin/chromedriver"))


@pytest.mark.skipif(not chromium_available(), reason="needs chromium, chromedriver, selenium")
def test_sample_007_16_spa_implicit_in_chromium(httpd, keys, spa):
    """The page's own JavaScript in a real browser, with Apache's form login."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_006_browser import browser, find
    conf = all_grants_conf(httpd, keys)
    conf = conf.split("# the resource owner signs in with Basic here")[0] + \
        "<Location /oauth2/register>" + conf.split("<Location /oauth2/register>", 1)[1]
    use_conf(httpd, conf + render("form_login.conf.template", **httpd.values))
    url, _ = spa(httpd)
    d = browser()
    try:
        d.get(url + "/")
        find(d, By.ID, "signin").click()
        find(d, By.ID, "user").send_keys(ALICE[0])
        find(d, By.ID, "pass").send_keys(ALICE[1])
        find(d, By.CSS_SELECTOR, "button[type=submit]").click()
        find(d, By.CSS_SELECTOR, "button[name=decision][value=allow]").click()
        WebDriverWait(d, 15).until(
            lambda drv: "showing" in drv.find_element(By.ID, "log").text
            or "API answered" in drv.find_element(By.ID, "log").text)
        log = d.find_element(By.ID, "log").text
        assert "showing 2 photos" in log, log
        assert d.find_element(By.ID, "photos").text.split() == ["beach.jpg", "mountain.jpg"]
        # the token is gone from the address bar
        assert d.current_url == url + "/"
    finally:
        d.quit()
        for name in os.listdir(env.GEN):
            if name.startswith("chromium-"):
                shutil.rmtree(os.path.join(env.GEN, name), ignore_errors=True)


# ---- tools/demo's configuration ----------------------------------------------

def test_sample_007_17_demo_conf_is_valid(keys):
    """conf/demo.conf.in, which turns on what the samples need, passes apache2 -t
    (every directive parsed, every key and certificate it names loaded)."""
    run_dir = os.path.join(env.GEN, "demo-conf")
    os.makedirs(os.path.join(run_dir, "keys"), exist_ok=True)
    os.makedirs(os.path.join(run_dir, "htdocs"), exist_ok=True)
    for src, dst in (("es256.pem", "es256.pem"), ("secret", "as-secret"),
                     ("secret", "session-key"), ("saml-idp.crt", "saml-idp.crt"),
                     ("htpasswd", "../htpasswd")):
        shutil.copy(keys.path(src), os.path.join(run_dir, "keys", dst))
    with open(os.path.join(env.TOP, "conf", "demo.conf.in")) as f:
        text = f.read()
    for k, v in {"@RUN@": run_dir, "@PORT@": str(env.free_port()), "@PGPORT@": "5432",
                 "@BUILD@": env.BUILD, "@MODULES@": env.MODULES, "@TOP@": env.TOP}.items():
        text = text.replace(k, v)
    assert "OAuthASGrantTypes" in text and "OAuthASSAMLTrust" in text
    conf = os.path.join(run_dir, "httpd.conf")
    with open(conf, "w") as f:
        f.write(text)
    environ = dict(os.environ, LD_PRELOAD=env.LD_PRELOAD) if env.LD_PRELOAD else None
    p = subprocess.run([env.APACHE2, "-t", "-f", conf], capture_output=True, text=True,
                       env=environ)
    assert p.returncode == 0, p.stdout + p.stderr
    # and tools/demo itself is valid sh
    p = subprocess.run(["sh", "-n", os.path.join(env.TOP, "tools", "demo")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
