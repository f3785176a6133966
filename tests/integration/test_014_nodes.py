"""Several nodes on one PostgreSQL, graceful restarts under load, a tiny connection pool."""
import concurrent.futures
import threading
import time

import pytest
import requests

from conftest import cc_client, cc_token, register
from harness.flow import exchange, get_code
from harness.httpd import Httpd


@pytest.fixture(scope="module")
def node_b(httpd, pg, keys):
    """A second httpd with the same keys, secret and issuer, on its own port."""
    b = Httpd(pg, keys, name="httpd-b")
    b.setup()
    b.write_test_conf(b.default_test_conf().replace(
        f"OAuthASIssuer      {b.url}", f"OAuthASIssuer      {httpd.url}"))
    b.start()
    yield b
    b.stop()


def test_nodes_014_01_shared_state(default_conf, node_b, rs_client):
    a, b = default_conf, node_b
    b.mark_log()
    # the JWKS of both is identical
    assert requests.get(a.url + "/oauth2/jwks", timeout=5).json() == \
        requests.get(b.url + "/oauth2/jwks", timeout=5).json()
    c = register(a, client_name="Two nodes", redirect_uris=["https://n.example/cb"],
                 grant_types=["authorization_code", "refresh_token"], scope="photos")
    # a code issued on A is redeemed on B
    code, verifier, uri = get_code(a, c)
    t = exchange(b, c, code, verifier, uri)
    assert t.status_code == 200, t.text
    t = t.json()
    auth = (c["client_id"], c["client_secret"])
    # a refresh token rotated on A and replayed on B is detected
    r1 = requests.post(a.url + "/oauth2/token", auth=auth, timeout=5, data={
        "grant_type": "refresh_token", "refresh_token": t["refresh_token"]})
    assert r1.status_code == 200
    r2 = requests.post(b.url + "/oauth2/token", auth=auth, timeout=5, data={
        "grant_type": "refresh_token", "refresh_token": t["refresh_token"]})
    assert r2.status_code == 400 and r2.json()["error"] == "invalid_grant"
    # ... and the family is gone on A too
    r3 = requests.post(a.url + "/oauth2/token", auth=auth, timeout=5, data={
        "grant_type": "refresh_token", "refresh_token": r1.json()["refresh_token"]})
    assert r3.status_code == 400
    # a token revoked on A is inactive at B's introspection
    svc = cc_client(a)
    at = cc_token(a, svc)
    assert requests.post(b.url + "/oauth2/introspect", data={"token": at}, auth=rs_client,
                         timeout=5).json()["active"] is True
    requests.post(a.url + "/oauth2/revoke", data={"token": at},
                  auth=(svc["client_id"], svc["client_secret"]), timeout=5)
    assert requests.post(b.url + "/oauth2/introspect", data={"token": at}, auth=rs_client,
                         timeout=5).json() == {"active": False}
    a.expect_log("OA11003")
    bad = b.unexpected_log_lines()
    bad = [l for l in bad if "OA11003" not in l]
    assert not bad, bad


def test_nodes_014_02_graceful_under_load(default_conf):
    httpd = default_conf
    svc = cc_client(httpd)
    tok = cc_token(httpd, svc)
    stop = threading.Event()
    results = []

    def hammer():
        # a new connection per request: a keep-alive connection that the
        # old generation closes while a request is sent is a race every
        # HTTP client must handle by retrying (RFC 9112 §9.3.1)
        s = requests
        while not stop.is_set():
            try:
                r1 = s.post(httpd.url + "/oauth2/token", timeout=10,
                            data={"grant_type": "client_credentials"},
                            auth=(svc["client_id"], svc["client_secret"]))
                r2 = s.get(httpd.url + "/flickr/photos", timeout=10,
                           headers={"Authorization": "Bearer " + tok})
                results.extend([r1.status_code, r2.status_code])
            except requests.RequestException as e:
                results.append(repr(e))
    threads = [threading.Thread(target=hammer) for _ in range(6)]
    for t in threads:
        t.start()
    time.sleep(1)
    for _ in range(2):
        httpd.graceful()
        time.sleep(1)
    stop.set()
    for t in threads:
        t.join()
    failures = [x for x in results if x != 200]
    assert len(results) > 100 and not failures, failures[:5]


def test_nodes_014_03_pool_exhausted(httpd):
    """DBDMax 1 and 32 concurrent token requests: they wait or fail cleanly, none crash."""
    main = httpd.root + "/httpd.conf"
    with open(main) as f:
        original = f.read()
    try:
        with open(main, "w") as f:
            f.write(original.replace("DBDMax 16", "DBDMax 1").replace("DBDKeep 4", "DBDKeep 1"))
        httpd.restart()
        svc = cc_client(httpd)

        def one(_):
            return requests.post(httpd.url + "/oauth2/token", timeout=30,
                                 data={"grant_type": "client_credentials"},
                                 auth=(svc["client_id"], svc["client_secret"])).status_code
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            codes = list(pool.map(one, range(200)))
        assert set(codes) <= {200, 503}, set(codes)
        assert codes.count(200) > 100
    finally:
        with open(main, "w") as f:
            f.write(original)
        httpd.restart()


def _token_status(node, client):
    return requests.post(node.url + "/oauth2/token", data={"grant_type": "client_credentials"},
                         auth=(client["client_id"], client["client_secret"]),
                         timeout=5).status_code


def test_nodes_014_04_client_edits_reach_every_node(default_conf, node_b):
    """Client records are cached per process (OAuthASClientCacheTTL, default 5 s):
    an edit takes effect at once on the node that made it, in every one of its
    processes, and within the TTL on the others."""
    a, b = default_conf, node_b
    c = cc_client(a)
    # both nodes authenticate it, several times over new connections so that
    # every process of each reads (and caches) the record
    for _ in range(12):
        assert _token_status(a, c) == 200
        assert _token_status(b, c) == 200
    # RFC 7592 delete on A
    d = requests.delete(c["registration_client_uri"], timeout=5,
                        headers={"Authorization": "Bearer " + c["registration_access_token"]})
    assert d.status_code == 204, d.text
    deleted = time.monotonic()
    # A: at once, whichever process answers (few tries: each failure counts
    # towards OAuthASClientAuthRateLimit, 10 by default)
    for _ in range(3):
        assert _token_status(a, c) == 401
    # B: within the TTL
    while _token_status(b, c) != 401:
        assert time.monotonic() - deleted < 5 + 2, "node B still accepts a deleted client"
        time.sleep(0.2)
    for _ in range(3):
        assert _token_status(b, c) == 401


def test_nodes_014_05_failed_auth_is_not_cached(default_conf):
    """A wrong secret after good ones is refused, and a cached record never
    lets a throttled client_id past the database's failure count."""
    c = cc_client(default_conf)
    for _ in range(4):
        assert _token_status(default_conf, c) == 200
    wrong = dict(c, client_secret=c["client_secret"][:-2] + "xx")
    for _ in range(4):
        assert _token_status(default_conf, wrong) == 401
    assert _token_status(default_conf, c) == 200
