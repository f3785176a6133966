"""The samples run against a freshly started server and do what they say."""
import os
import subprocess
import sys
import time

import pytest
import requests

from conftest import register
from harness import env
from harness.flow import ALICE, decide

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
