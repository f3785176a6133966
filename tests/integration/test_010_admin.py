"""The web administration: requests for the rules, a real browser for the flows."""
import os
import re
import shutil
import tempfile
import urllib.parse

import pytest
import requests

from conftest import ADMIN, cc_client, register
from harness import env
from harness.flow import authorize, decide, exchange, get_code, parse_form, pkce_pair

SHOTS = os.path.join(env.GEN, "screenshots")


def admin_get(httpd, path, auth=ADMIN):
    return requests.get(httpd.url + "/oauth2/admin" + path, auth=auth, timeout=10,
                        allow_redirects=False)


def form_of(page, action_suffix):
    """The hidden fields of the form whose action ends with action_suffix."""
    for m in re.finditer(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S):
        if m.group(1).endswith(action_suffix):
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                     m.group(2)))
            return m.group(1), fields
    raise AssertionError("no form for " + action_suffix)


def test_as_010_01_pages_need_admin(default_conf):
    assert admin_get(default_conf, "/clients", auth=None).status_code == 401
    assert admin_get(default_conf, "/clients", auth=("alice", "alice-pw")).status_code in (401, 403)
    r = admin_get(default_conf, "/clients")
    assert r.status_code == 200
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Cache-Control"] == "no-store"
    for page in ("/scopes", "/audit", "/keys", "/clients/new"):
        assert admin_get(default_conf, page).status_code == 200, page
    assert admin_get(default_conf, "/").status_code == 303
    default_conf.expect_log("AH01631")


def test_as_010_02_csrf_required(default_conf):
    httpd = default_conf
    c = cc_client(httpd)
    page = admin_get(httpd, "/clients/" + c["client_id"]).text
    action, fields = form_of(page, "/disable")
    url = httpd.url + action
    for bad in ({}, {"csrf": "forged.token"}, {"csrf": fields["csrf"][:-3] + "abc"}):
        r = requests.post(url, data=bad, auth=ADMIN, timeout=5, allow_redirects=False)
        assert r.status_code == 403, bad
    # a token for one action does not work for another
    other, _ = form_of(page, "/rotate")
    r = requests.post(httpd.url + other, data=fields, auth=ADMIN, timeout=5,
                      allow_redirects=False)
    assert r.status_code == 403
    # the real one works once
    r = requests.post(url, data=fields, auth=ADMIN, timeout=5, allow_redirects=False)
    assert r.status_code == 303
    r = requests.post(url, data=fields, auth=ADMIN, timeout=5, allow_redirects=False)
    assert r.status_code == 403
    httpd.expect_log("OA11801")


def test_as_010_03_escaping(default_conf):
    evil = '<script>alert(1)</script>" onmouseover="alert(2)'
    c = register(default_conf, client_name=evil, grant_types=["client_credentials"],
                 scope="photos", contacts=['"><img src=x onerror=alert(3)>'])
    for path in ("/clients", "/clients/" + c["client_id"], "/clients/" + c["client_id"] + "/edit",
                 "/scopes", "/audit"):
        page = admin_get(default_conf, path).text
        assert "<script>alert(1)</script>" not in page, path
        assert "<img src=x" not in page, path
        assert 'onmouseover="alert(2)' not in page, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;alert(2)" in \
        admin_get(default_conf, "/clients/" + c["client_id"]).text
    # the search text is escaped too and is not a SQL/LIKE pattern
    r = admin_get(default_conf, "/clients?q=%25%27%22%3E%3Cb%3E")
    assert r.status_code == 200 and "<b>" not in r.text and "0 clients" in r.text


def test_as_010_04_search_and_pages(default_conf):
    for i in range(30):
        register(default_conf, client_name=f"Batch client {i:02d}",
                 grant_types=["client_credentials"])
    register(default_conf, client_name="Needle", grant_types=["client_credentials"])
    page = admin_get(default_conf, "/clients").text
    assert "31 clients, page 1 of 2" in page and 'rel="next"' in page
    second = admin_get(default_conf, "/clients?page=2").text
    names = re.findall(r"Batch client \d\d|Needle", page + second)
    assert len(names) == 31 and len(set(names)) == 31      # no overlap, none missing
    found = admin_get(default_conf, "/clients?q=needle").text
    assert "Needle" in found and "1 client," in found


def test_as_010_05_form_errors_and_create(default_conf):
    httpd = default_conf
    page = admin_get(httpd, "/clients/new").text
    action, fields = form_of(page, "/clients/new")
    bad = dict(fields, client_name="Bad", redirect_uris="http://evil.example.com/cb")
    bad["grant:authorization_code"] = "on"
    bad["token_endpoint_auth_method"] = "client_secret_basic"
    r = requests.post(httpd.url + action, data=bad, auth=ADMIN, timeout=5)
    assert r.status_code == 400
    assert 'id="err-redirect_uris"' in r.text and "loopback" in r.text
    assert 'value="Bad"' in r.text                       # what was typed is kept
    action, fields = form_of(r.text, "/clients/new")
    good = dict(fields, client_name="Form client", redirect_uris="https://app.example.com/cb")
    good.update({"grant:authorization_code": "on", "grant:client_credentials": "on",
                 "response:code": "on", "scope:photos": "on",
                 "token_endpoint_auth_method": "client_secret_basic"})
    r = requests.post(httpd.url + action, data=good, auth=ADMIN, timeout=5)
    assert r.status_code == 200, r.text
    cid = re.search(r'id="client-id" readonly size="60" value="([^"]+)"', r.text).group(1)
    secret = re.search(r'id="client-secret" readonly size="60" value="([^"]+)"', r.text).group(1)
    t = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(cid, secret), timeout=5)
    assert t.status_code == 200 and t.json()["scope"] == "photos"
    # the secret is never shown again
    assert secret not in admin_get(httpd, "/clients/" + cid).text
    audit = admin_get(httpd, "/audit?client=" + cid).text
    assert "client.create" in audit and "admin" in audit


def test_as_010_06_rotate_disable_delete(default_conf, pg):
    httpd = default_conf
    c = register(httpd, client_name="Lifecycle", redirect_uris=["https://l.example/cb"],
                 grant_types=["authorization_code", "refresh_token", "client_credentials"],
                 scope="photos")
    code, verifier, uri = get_code(httpd, c)
    rt = exchange(httpd, c, code, verifier, uri).json()["refresh_token"]
    page = admin_get(httpd, "/clients/" + c["client_id"]).text
    assert "alice" in page and "refresh" in page           # grants and live tokens
    # rotate: the old secret fails, the new one works
    action, fields = form_of(page, "/rotate")
    r = requests.post(httpd.url + action, data=fields, auth=ADMIN, timeout=5)
    new = re.search(r'id="client-secret" readonly size="60" value="([^"]+)"', r.text).group(1)
    old_auth, new_auth = (c["client_id"], c["client_secret"]), (c["client_id"], new)
    cc = {"grant_type": "client_credentials"}
    assert requests.post(httpd.url + "/oauth2/token", data=cc, auth=old_auth,
                         timeout=5).status_code == 401
    assert requests.post(httpd.url + "/oauth2/token", data=cc, auth=new_auth,
                         timeout=5).status_code == 200
    # disable: no token, no refresh
    page = admin_get(httpd, "/clients/" + c["client_id"]).text
    action, fields = form_of(page, "/disable")
    assert requests.post(httpd.url + action, data=fields, auth=ADMIN, timeout=5,
                         allow_redirects=False).status_code == 303
    assert requests.post(httpd.url + "/oauth2/token", data=cc, auth=new_auth,
                         timeout=5).status_code == 401
    r = requests.post(httpd.url + "/oauth2/token", auth=new_auth, timeout=5,
                      data={"grant_type": "refresh_token", "refresh_token": rt})
    assert r.status_code == 401
    page = admin_get(httpd, "/clients/" + c["client_id"]).text
    action, fields = form_of(page, "/enable")
    requests.post(httpd.url + action, data=fields, auth=ADMIN, timeout=5)
    # delete (after the confirmation page): refresh tokens are gone
    confirm = admin_get(httpd, "/clients/" + c["client_id"] + "/delete").text
    assert "Delete for good" in confirm
    action, fields = form_of(confirm, "/delete")
    assert requests.post(httpd.url + action, data=fields, auth=ADMIN, timeout=5,
                         allow_redirects=False).status_code == 303
    assert pg.psql("SELECT count(*) FROM oauth2_refresh_token") == [["0"]]
    assert admin_get(httpd, "/clients/" + c["client_id"]).status_code == 404
    audit = admin_get(httpd, "/audit?client=" + c["client_id"]).text
    for what in ("client.rotate", "client.disable", "client.enable", "client.delete",
                 "consent.grant", "client.auth_failed"):
        assert what in audit, what
    httpd.expect_log("OA10201")


def test_as_010_07_revoke_grant_and_token(default_conf):
    httpd = default_conf
    c = register(httpd, client_name="Revokable", redirect_uris=["https://r.example/cb"],
                 grant_types=["authorization_code", "refresh_token"], scope="photos")
    code, verifier, uri = get_code(httpd, c)
    rt = exchange(httpd, c, code, verifier, uri).json()["refresh_token"]
    page = admin_get(httpd, "/clients/" + c["client_id"]).text
    action, fields = form_of(page, "/revoke-token")
    requests.post(httpd.url + action, data=fields, auth=ADMIN, timeout=5)
    r = requests.post(httpd.url + "/oauth2/token", timeout=5,
                      auth=(c["client_id"], c["client_secret"]),
                      data={"grant_type": "refresh_token", "refresh_token": rt})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    page = admin_get(httpd, "/clients/" + c["client_id"]).text
    action, fields = form_of(page, "/revoke-consent")
    assert fields["username"] == "alice"
    requests.post(httpd.url + action, data=fields, auth=ADMIN, timeout=5)
    assert "No user has authorized" in admin_get(httpd, "/clients/" + c["client_id"]).text
    audit = admin_get(httpd, "/audit?user=alice").text
    assert "consent.revoke" in audit


def test_as_010_08_scopes_and_keys(default_conf):
    c = register(default_conf, client_name="Scoped", grant_types=["client_credentials"],
                 scope="admin")
    page = admin_get(default_conf, "/scopes").text
    assert "Administer everything" in page and "Scoped" in page
    keys = admin_get(default_conf, "/keys").text
    assert "k1" in keys and "ES256" in keys and "signs tokens" in keys and "k2" in keys


# ---- the browser -------------------------------------------------------------

@pytest.fixture
def driver(default_conf):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--disable-quic", "--window-size=1100,900"):
        opts.add_argument(a)
    profile = tempfile.mkdtemp(prefix="chromium-", dir=env.GEN)
    opts.add_argument("--user-data-dir=" + profile)
    opts.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    os.makedirs(SHOTS, exist_ok=True)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def admin_url(httpd, path):
    u = urllib.parse.urlsplit(httpd.url)
    return f"http://admin:admin-pw@{u.netloc}/oauth2/admin{path}"


def test_as_010_20_browser_create_edit(default_conf, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    httpd = default_conf
    wait = WebDriverWait(driver, 10)
    driver.get(admin_url(httpd, "/clients/new"))
    wait.until(ec.presence_of_element_located((By.ID, "f-client_name")))
    driver.find_element(By.ID, "f-client_name").send_keys("Canon Print")
    driver.find_element(By.ID, "f-redirect_uris").send_keys("https://print.example.com/cb")
    for name in ("grant:authorization_code", "grant:client_credentials", "response:code",
                 "scope:photos"):
        driver.find_element(By.NAME, name).click()
    driver.save_screenshot(os.path.join(SHOTS, "10-admin-new-client.png"))
    driver.find_element(By.CSS_SELECTOR, "form.client-form button.primary").click()
    secret_box = wait.until(ec.presence_of_element_located((By.ID, "client-secret")))
    client_id = driver.find_element(By.ID, "client-id").get_attribute("value")
    secret = secret_box.get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, "button.copy").click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "button.copy").text == "Copied")
    driver.save_screenshot(os.path.join(SHOTS, "11-admin-secret-once.png"))
    # the copied secret works
    t = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(client_id, secret), timeout=5)
    assert t.status_code == 200
    # edit the redirect URIs: the next authorize follows
    driver.get(admin_url(httpd, f"/clients/{client_id}/edit"))
    box = wait.until(ec.presence_of_element_located((By.ID, "f-redirect_uris")))
    box.clear()
    box.send_keys("https://print.example.com/new-cb")
    driver.find_element(By.CSS_SELECTOR, "form.client-form button.primary").click()
    wait.until(lambda d: "done=saved" in d.current_url)
    driver.save_screenshot(os.path.join(SHOTS, "12-admin-client.png"))
    _, ch = pkce_pair()
    p = {"response_type": "code", "client_id": client_id, "scope": "photos",
         "code_challenge": ch, "code_challenge_method": "S256"}
    assert authorize(httpd, dict(p, redirect_uri="https://print.example.com/cb")).status_code == 400
    assert authorize(httpd, dict(p, redirect_uri="https://print.example.com/new-cb")).status_code == 200
    driver.get(admin_url(httpd, "/clients"))
    wait.until(ec.presence_of_element_located((By.ID, "q")))
    driver.save_screenshot(os.path.join(SHOTS, "13-admin-clients.png"))
    for page, shot in (("/scopes", "14-admin-scopes"), ("/audit", "15-admin-audit"),
                       ("/keys", "16-admin-keys")):
        driver.get(admin_url(httpd, page))
        wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
        driver.save_screenshot(os.path.join(SHOTS, shot + ".png"))
    # a phone-sized screen still works
    driver.set_window_size(390, 844)
    driver.get(admin_url(httpd, "/clients"))
    wait.until(ec.presence_of_element_located((By.ID, "q")))
    driver.save_screenshot(os.path.join(SHOTS, "17-admin-phone.png"))
