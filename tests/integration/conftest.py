"""pytest fixtures: one PostgreSQL cluster and one httpd for the session; the
error log is checked after every test and the tables are emptied before it."""
import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.dirname(__file__))

from harness import env  # noqa: E402
from harness.httpd import Httpd  # noqa: E402
from harness.keys import Keys  # noqa: E402
from harness.pg import PgCluster  # noqa: E402

ADMIN = ("admin", "admin-pw")


@pytest.fixture(scope="session")
def keys():
    k = Keys()
    k.create()
    return k


@pytest.fixture(scope="session")
def pg():
    cluster = PgCluster()
    cluster.start()
    yield cluster
    cluster.stop(quiet=True)


@pytest.fixture(scope="session")
def httpd(pg, keys):
    server = Httpd(pg, keys)
    server.setup()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def log_oracle(request, httpd, pg):
    """Fresh tables before each test; no unexpected [warn]/[error] after it."""
    if httpd.running():
        try:
            pg.clean()
        except Exception:
            pass
    httpd.mark_log()
    yield
    bad = httpd.unexpected_log_lines()
    assert not bad, "unexpected error log lines:\n" + "\n".join(bad)


@pytest.fixture
def default_conf(httpd):
    """Makes sure the default test.conf is the one running."""
    want = httpd.default_test_conf()
    with open(os.path.join(httpd.root, "test.conf")) as f:
        if f.read() != want or not httpd.running():
            httpd.restart(want)
    httpd.mark_log()
    return httpd


def register(httpd, **metadata):
    """Registers a client through RFC 7591 as the admin; returns the JSON."""
    r = requests.post(httpd.url + "/oauth2/register", json=metadata, auth=ADMIN, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def cc_client(httpd, scope="photos", **extra):
    meta = dict(client_name="Test client", grant_types=["client_credentials"], scope=scope)
    meta.update(extra)
    return register(httpd, **meta)


def cc_token(httpd, client, scope=None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    r = requests.post(httpd.url + "/oauth2/token", data=data,
                      auth=(client["client_id"], client["client_secret"]), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


RS_CLIENT = ("rs-introspector", "rs-introspector-secret-0123456789")


def insert_client(pg, client_id, secret, metadata):
    """A client with a known id and secret, straight into the table (the
    registration endpoint always makes random ones)."""
    import base64
    import hashlib
    import json
    h = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()).rstrip(b"=").decode()
    meta = json.dumps(metadata).replace("'", "''")
    pg.psql("INSERT INTO oauth2_client (client_id, secret_hash, registration_token_hash, "
            f"metadata, created_at, updated_at) VALUES ('{client_id}', '{h}', 'x-{client_id}', "
            f"'{meta}', 0, 0)")


@pytest.fixture
def rs_client(pg):
    insert_client(pg, RS_CLIENT[0], RS_CLIENT[1],
                  {"client_name": "The photo API", "grant_types": ["client_credentials"],
                   "response_types": [], "redirect_uris": [],
                   "token_endpoint_auth_method": "client_secret_basic", "scope": ""})
    return RS_CLIENT
