"""Faults: PostgreSQL stopped while requests flow; the AS answers 503 fast, the RS keeps
validating JWTs, and everything comes back by itself when the database does."""
import time

import pytest
import requests

from conftest import cc_client, cc_token, register
from harness.flow import ALICE, authorize, exchange, get_code, pkce_pair

# what mod_dbd and we log while the database is away
DB_DOWN_TAGS = ("OA10101", "OA10103", "OA10105", "OA10004", "OA11701", "AH00629", "AH00639",
                "AH02655")


@pytest.fixture
def db_outage(default_conf, pg):
    """Yields a function that stops PostgreSQL; restarts it afterwards in any case."""
    state = {"down": False}

    def stop():
        pg.stop()
        state["down"] = True
    yield stop
    if state["down"] and not pg.wait_ready(timeout=1):
        pg.restart()
        assert pg.wait_ready()
    default_conf.expect_log(*DB_DOWN_TAGS)


def test_fault_012_01_db_down_and_back(default_conf, pg, db_outage):
    httpd = default_conf
    web = register(httpd, client_name="Outage", redirect_uris=["https://o.example/cb"],
                   grant_types=["authorization_code", "refresh_token"], scope="photos")
    svc = cc_client(httpd)
    code, verifier, uri = get_code(httpd, web)
    tokens = exchange(httpd, web, code, verifier, uri).json()
    jwt = cc_token(httpd, svc)
    db_outage()
    # a client record authenticated less than OAuthASClientCacheTTL (5 s) ago
    # may still serve client_credentials, which stores nothing ...
    t0 = time.time()
    r = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(svc["client_id"], svc["client_secret"]), timeout=10)
    assert time.time() - t0 < 5
    assert r.status_code in (200, 503), r.text
    # ... past it, the AS answers at once with a proper error
    time.sleep(max(0.0, t0 + 5.5 - time.time()))
    t0 = time.time()
    r = requests.post(httpd.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(svc["client_id"], svc["client_secret"]), timeout=10)
    assert time.time() - t0 < 5
    assert r.status_code == 503 and r.json()["error"] == "temporarily_unavailable"
    assert r.headers.get("Retry-After")
    # ... on browser endpoints as an HTML page ...
    _, ch = pkce_pair()
    page = authorize(httpd, {"response_type": "code", "client_id": web["client_id"],
                             "code_challenge": ch, "code_challenge_method": "S256"})
    assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
    # ... and the RS keeps validating JWTs (keys were fetched before)
    r = requests.get(httpd.url + "/flickr/photos", headers={"Authorization": "Bearer " + jwt},
                     timeout=10)
    assert r.status_code == 200
    # introspection and tokeninfo need the database: 503, never a wrong answer
    r = requests.get(httpd.url + "/oauth2/tokeninfo", params={"access_token": jwt}, timeout=10)
    assert r.status_code == 503
    pg.restart()
    assert pg.wait_ready()
    # recovers by itself within seconds, no httpd restart
    deadline = time.time() + 15
    while time.time() < deadline:
        r = requests.post(httpd.url + "/oauth2/token", timeout=10,
                          data={"grant_type": "client_credentials"},
                          auth=(svc["client_id"], svc["client_secret"]))
        if r.status_code == 200:
            break
        time.sleep(0.5)
    assert r.status_code == 200, r.text
    # and every pooled connection heals on its first use: no more 503
    for _ in range(40):
        assert requests.post(httpd.url + "/oauth2/token", timeout=10,
                             data={"grant_type": "client_credentials"},
                             auth=(svc["client_id"], svc["client_secret"])).status_code == 200
    # what was committed before the outage still works
    r = requests.post(httpd.url + "/oauth2/token", timeout=10,
                      auth=(web["client_id"], web["client_secret"]),
                      data={"grant_type": "refresh_token",
                            "refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200, r.text
    page = requests.get(httpd.url + "/oauth2/account/", auth=ALICE, timeout=10)
    assert "Outage" in page.text


def test_fault_012_02_many_requests_while_down(default_conf, pg, db_outage):
    """No child crashes and no hang under concurrent requests with the database gone."""
    import concurrent.futures
    httpd = default_conf
    svc = cc_client(httpd)
    db_outage()

    def one(_):
        return requests.post(httpd.url + "/oauth2/token", timeout=10,
                             data={"grant_type": "client_credentials"},
                             auth=(svc["client_id"], svc["client_secret"])).status_code
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(one, range(200)))
    assert set(codes) == {503}
