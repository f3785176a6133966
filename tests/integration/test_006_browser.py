"""A real browser (headless Debian chromium via chromedriver) through form login and consent."""
import os
import shutil
import tempfile
import urllib.parse

import pytest

from conftest import register
from harness import env
from harness.flow import pkce_pair
from harness.httpd import render

SHOTS = os.path.join(env.GEN, "screenshots")


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--disable-quic", "--window-size=1000,800"):
        opts.add_argument(a)
    opts.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="chromium-", dir=env.GEN))
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


@pytest.fixture(scope="module")
def form_httpd(httpd):
    conf = httpd.default_test_conf()
    # form login replaces the Basic login of the default configuration
    conf = conf.split("# the resource owner signs in with Basic here")[0] + \
        "<Location /oauth2/register>" + conf.split("<Location /oauth2/register>", 1)[1]
    conf += render("form_login.conf.template", **httpd.values)
    httpd.restart(conf)
    os.makedirs(SHOTS, exist_ok=True)
    yield httpd
    httpd.restart(httpd.default_test_conf())


@pytest.fixture
def driver(form_httpd):
    d = browser()
    yield d
    d.quit()
    for name in os.listdir(env.GEN):
        if name.startswith("chromium-"):
            shutil.rmtree(os.path.join(env.GEN, name), ignore_errors=True)


def wait_for(d, fragment):
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(d, 10).until(lambda drv: fragment in drv.current_url)
    return urllib.parse.urlsplit(d.current_url)


def find(d, how, what):
    """Waits (up to 10 s) for an element: pages arrive through redirects."""
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(d, 10).until(ec.presence_of_element_located((how, what)))


def click(d, how, what):
    """Clicks a button that leaves the page, and waits until the page it was on is gone:
    the next page may have elements (an h1) and even a URL like the one it replaces."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    page = d.find_element(By.TAG_NAME, "html")
    find(d, how, what).click()

    def gone(_):
        # chromedriver reports a node of an unloaded page either as stale or, mid-navigation,
        # as "Node with given id does not belong to the document": both mean the page is gone
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            return True
    WebDriverWait(d, 10).until(gone)


def shot(d, name):
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def test_as_006_01_login_consent_allow(form_httpd, driver):
    from selenium.webdriver.common.by import By
    httpd = form_httpd
    cb = httpd.url + "/client/index.json"
    client = register(httpd, client_name="Canon Print", redirect_uris=[cb],
                      grant_types=["authorization_code", "refresh_token"], scope="photos")
    _, challenge = pkce_pair()
    url = httpd.url + "/oauth2/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": cb,
        "scope": "photos", "state": "browser-state", "code_challenge": challenge,
        "code_challenge_method": "S256"})
    driver.get(url)
    assert find(driver, By.TAG_NAME, "h1").text == "Sign in"
    shot(driver, "01-login")
    find(driver, By.ID, "user").send_keys("alice")
    find(driver, By.ID, "pass").send_keys("alice-pw")
    click(driver, By.CSS_SELECTOR, "button[type=submit]")
    wait_for(driver, "/oauth2/authorize")
    heading = find(driver, By.TAG_NAME, "h1").text
    assert "Do you want to allow Canon Print" in heading, heading
    assert "View your photos" in driver.page_source
    shot(driver, "02-consent")
    click(driver, By.CSS_SELECTOR, "button[name=decision][value=allow]")
    landed = wait_for(driver, "/client/")
    assert landed.path == "/client/index.json"
    got = dict(urllib.parse.parse_qsl(landed.query))
    assert got["state"] == "browser-state" and got["iss"] == httpd.url and got["code"]


def test_as_006_02_deny_and_account_page(form_httpd, driver):
    from selenium.webdriver.common.by import By
    httpd = form_httpd
    cb = httpd.url + "/client/index.json"
    client = register(httpd, client_name="Photo Album", redirect_uris=[cb],
                      grant_types=["authorization_code"], scope="photos")
    _, challenge = pkce_pair()
    base = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": cb,
            "scope": "photos", "code_challenge": challenge, "code_challenge_method": "S256"}
    driver.get(httpd.url + "/oauth2/authorize?" + urllib.parse.urlencode(dict(base, state="d")))
    find(driver, By.ID, "user").send_keys("alice")
    find(driver, By.ID, "pass").send_keys("alice-pw")
    click(driver, By.CSS_SELECTOR, "button[type=submit]")
    click(driver, By.CSS_SELECTOR, "button[name=decision][value=deny]")
    got = dict(urllib.parse.parse_qsl(wait_for(driver, "/client/").query))
    assert got["error"] == "access_denied" and got["state"] == "d"
    # allow this time, then revoke on the account page (same browser session)
    driver.get(httpd.url + "/oauth2/authorize?" + urllib.parse.urlencode(dict(base, state="a")))
    click(driver, By.CSS_SELECTOR, "button[name=decision][value=allow]")
    wait_for(driver, "/client/")
    driver.get(httpd.url + "/oauth2/account/")
    assert "Photo Album" in driver.page_source
    shot(driver, "03-account")
    click(driver, By.CSS_SELECTOR, "button.danger")
    wait_for(driver, "revoked=1")
    assert "revoked" in driver.page_source
    assert "Photo Album" not in driver.page_source
    shot(driver, "04-account-revoked")
