"""The resource server: RFC 6750 answers for every kind of token, scopes, Require composition, claims."""
import re
import time

import pytest
import requests

from conftest import cc_client, cc_token
from harness.tokens import forge, hs256_with_public_key, load_key, unsigned


def get(httpd, path, token=None, headers=None):
    h = dict(headers or {})
    if token is not None:
        h["Authorization"] = "Bearer " + token
    return requests.get(httpd.url + path, headers=h, timeout=10)


def challenge(r):
    return r.headers.get("WWW-Authenticate", "")


@pytest.fixture
def as_key(keys):
    return load_key(keys.path("es256.pem"))


def test_rs_004_01_valid_token(default_conf):
    tok = cc_token(default_conf, cc_client(default_conf))
    r = get(default_conf, "/flickr/photos", tok)
    assert r.status_code == 200
    assert "beach.jpg" in r.text
    # again: served from the validation cache, same answer
    assert get(default_conf, "/flickr/photos", tok).status_code == 200


def test_rs_004_02_no_token(default_conf):
    r = get(default_conf, "/flickr/photos")
    assert r.status_code == 401
    assert challenge(r) == 'Bearer realm="oauth2"'       # no error attribute


@pytest.mark.parametrize("case", [
    "tampered-payload", "tampered-signature", "expired", "not-yet-valid", "wrong-iss",
    "no-exp", "alg-none", "hs256-public-key", "unknown-kid", "wrong-typ",
    "rs256-with-ec-kid", "foreign-key", "garbage",
])
def test_rs_004_03_invalid_tokens(default_conf, keys, as_key, case):
    httpd = default_conf
    iss = httpd.url
    now = int(time.time())
    if case == "tampered-payload":
        good = cc_token(httpd, cc_client(httpd))
        h, p, s = good.split(".")
        import base64
        import json
        claims = json.loads(base64.urlsafe_b64decode(p + "=="))
        claims["scope"] = "photos admin"
        p = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        tok = ".".join([h, p, s])
    elif case == "tampered-signature":
        good = cc_token(httpd, cc_client(httpd))
        tok = good[:-6] + ("AAAAAA" if not good.endswith("AAAAAA") else "BBBBBB")
    elif case == "expired":
        tok = forge(as_key, iss=iss, exp=now - 120, iat=now - 600)
    elif case == "not-yet-valid":
        tok = forge(as_key, iss=iss, nbf=now + 600)
    elif case == "wrong-iss":
        tok = forge(as_key, iss="https://evil.example.com")
    elif case == "no-exp":
        tok = forge(as_key, iss=iss, exp=None)
    elif case == "alg-none":
        tok = unsigned({"iss": iss, "sub": "x", "exp": now + 300, "scope": "photos"})
    elif case == "hs256-public-key":
        with open(keys.path("es256.pub.pem"), "rb") as f:
            tok = hs256_with_public_key(f.read(), {"iss": iss, "sub": "x", "exp": now + 300,
                                                   "scope": "photos"})
    elif case == "unknown-kid":
        tok = forge(as_key, iss=iss, kid="k9")
    elif case == "wrong-typ":
        tok = forge(as_key, iss=iss, typ="JWT")
    elif case == "rs256-with-ec-kid":
        tok = forge(load_key(keys.path("rs256.pem")), iss=iss, kid="k1", alg="RS256")
    elif case == "foreign-key":
        tok = forge(load_key(keys.path("other-es256.pem")), iss=iss, kid="k1")
    else:
        tok = "not.a.jwt"
    r = get(httpd, "/flickr/photos", tok)
    assert r.status_code == 401, (case, r.status_code)
    assert 'error="invalid_token"' in challenge(r)


def test_rs_004_04_forged_valid_token_accepted(default_conf, as_key):
    """The control for the cases above: the same forging, done right, passes."""
    tok = forge(as_key, iss=default_conf.url)
    assert get(default_conf, "/flickr/photos", tok).status_code == 200


def test_rs_004_05_second_key_rs256(default_conf, keys):
    tok = forge(load_key(keys.path("rs256.pem")), iss=default_conf.url, kid="k2", alg="RS256")
    assert get(default_conf, "/flickr/photos", tok).status_code == 200


def test_rs_004_06_insufficient_scope(default_conf):
    c = cc_client(default_conf, scope="userinfo/readonly")
    tok = cc_token(default_conf, c)
    r = get(default_conf, "/flickr/photos", tok)
    assert r.status_code == 403
    assert 'error="insufficient_scope"' in challenge(r)
    assert 'scope="photos"' in challenge(r)


def test_rs_004_07_audience(default_conf, as_key):
    httpd = default_conf
    ok = forge(as_key, iss=httpd.url, aud="https://api.example.com")
    both = forge(as_key, iss=httpd.url, aud=["https://other.example", "https://api.example.com"])
    wrong = forge(as_key, iss=httpd.url, aud="https://other.example")
    none = forge(as_key, iss=httpd.url)
    assert get(httpd, "/aud/index.json", ok).status_code == 200
    assert get(httpd, "/aud/index.json", both).status_code == 200
    for tok in (wrong, none):
        r = get(httpd, "/aud/index.json", tok)
        assert r.status_code == 401 and 'error="invalid_token"' in challenge(r)


def test_rs_004_08_require_any(default_conf, as_key):
    """<RequireAny> Require oauth2-scope admin | Require oauth2-claim client_id trusted-app."""
    httpd = default_conf
    admin = forge(as_key, iss=httpd.url, scope="admin")
    trusted = forge(as_key, iss=httpd.url, scope="photos", client_id="trusted-app")
    neither = forge(as_key, iss=httpd.url, scope="photos", client_id="someone")
    assert get(httpd, "/api/index.json", admin).status_code == 200
    assert get(httpd, "/api/index.json", trusted).status_code == 200
    r = get(httpd, "/api/index.json", neither)
    assert r.status_code == 403
    assert 'error="insufficient_scope"' in challenge(r)
    r = get(httpd, "/api/index.json")
    assert r.status_code == 401 and challenge(r) == 'Bearer realm="oauth2"'
    r = get(httpd, "/api/index.json", "garbage.x.y")
    assert r.status_code == 401 and 'error="invalid_token"' in challenge(r)
    httpd.expect_log("AH01631")


def test_rs_004_09_claims_passed(default_conf, as_key):
    httpd = default_conf
    tok = forge(as_key, iss=httpd.url, sub="alice@example.com", client_id="app-1",
                extra_claim="a\r\nInjected: yes")
    r = get(httpd, "/cgi-bin/echo", tok, headers={"OAuth2-Claim-sub": "mallory"})
    assert r.status_code == 200, r.text
    lines = r.text.splitlines()
    assert "REMOTE_USER=alice@example.com" in lines
    assert "AUTH_TYPE=Bearer" in lines
    assert "OAUTH2_CLAIM_sub=alice@example.com" in lines
    assert "OAUTH2_CLAIM_client_id=app-1" in lines
    assert "OAUTH2_CLAIM_scope=photos" in lines
    assert "HTTP_OAUTH2_CLAIM_SUB=alice@example.com" in lines       # header form
    assert "HTTP_OAUTH2_CLAIM_CLIENT_ID=app-1" in lines              # '_' became '-' 
    assert "mallory" not in r.text                                   # spoof stripped
    assert "Injected: yes" not in r.headers
    assert any(l.startswith("OAUTH2_CLAIM_extra_claim=a  Injected") for l in lines)


def test_rs_004_10_cached_token_not_accepted_with_other_keys(default_conf):
    """A token verified (and cached) at one location fails at one trusting other keys."""
    tok = cc_token(default_conf, cc_client(default_conf))
    assert get(default_conf, "/flickr/photos", tok).status_code == 200
    r = get(default_conf, "/other/", tok)
    assert r.status_code == 401 and 'error="invalid_token"' in challenge(r)


@pytest.mark.parametrize("header,status", [
    ("Bearer", 400), ("Bearer a b", 400), ("Bearer tok%en", 400), ("Bearer ====", 400),
])
def test_rs_004_11_malformed_header(default_conf, header, status):
    r = requests.get(default_conf.url + "/flickr/photos", headers={"Authorization": header},
                     timeout=5)
    assert r.status_code == status
    assert 'error="invalid_request"' in challenge(r)


def test_rs_004_12_token_in_query(default_conf):
    tok = cc_token(default_conf, cc_client(default_conf))
    # not accepted by default: as if no token was sent
    r = requests.get(default_conf.url + "/flickr/photos?access_token=" + tok, timeout=5)
    assert r.status_code == 401 and challenge(r) == 'Bearer realm="oauth2"'
    # accepted where enabled, but never twice
    r = requests.get(default_conf.url + "/query/?access_token=" + tok, timeout=5)
    assert r.status_code == 404            # authorized; no such file
    r = requests.get(default_conf.url + "/query/?access_token=" + tok,
                     headers={"Authorization": "Bearer " + tok}, timeout=5)
    assert r.status_code == 400 and 'error="invalid_request"' in challenge(r)


def test_rs_004_13_oversized_token(default_conf):
    r = get(default_conf, "/flickr/photos", "a" * 20000)
    assert r.status_code == 401 and 'error="invalid_token"' in challenge(r)


def test_rs_004_14_open_location_untouched(default_conf):
    assert get(default_conf, "/open/index.json").status_code == 200


def test_rs_004_15_claim_headers_stripped_everywhere(default_conf):
    """Even an unprotected location never passes a client's OAuth2-Claim-* header on."""
    r = requests.get(default_conf.url + "/cgi-bin/echo", headers={"OAuth2-Claim-sub": "mallory"},
                     timeout=5)
    assert r.status_code == 401                 # /cgi-bin/echo is protected...
    conf = default_conf.default_test_conf() + """
<Location /cgi-bin/open-echo>
    Require all granted
</Location>
"""
    import shutil
    shutil.copy(default_conf.root + "/cgi-bin/echo", default_conf.root + "/cgi-bin/open-echo")
    default_conf.restart(conf)
    try:
        r = requests.get(default_conf.url + "/cgi-bin/open-echo",
                         headers={"OAuth2-Claim-sub": "mallory"}, timeout=5)
        assert r.status_code == 200 and "mallory" not in r.text
    finally:
        default_conf.restart(default_conf.default_test_conf())


def test_rs_004_16_cache_respects_location_algorithms(default_conf, keys):
    """A token cached after RS256 verification is refused where only PS256 is allowed."""
    tok = forge(load_key(keys.path("rs256.pem")), iss=default_conf.url, kid="k2", alg="RS256")
    assert get(default_conf, "/flickr/photos", tok).status_code == 200
    conf = default_conf.default_test_conf() + """
<Location /ps-only>
    OAuthRequireScope photos
    OAuthRSAlgorithms PS256
</Location>
"""
    default_conf.restart(conf)
    try:
        assert get(default_conf, "/flickr/photos", tok).status_code == 200     # cached
        r = get(default_conf, "/ps-only/", tok)
        assert r.status_code == 401 and 'error="invalid_token"' in challenge(r)
    finally:
        default_conf.restart(default_conf.default_test_conf())


def test_rs_004_17_cors_preflight_passes(default_conf):
    """A CORS preflight has no token by design: OAuthRequireScope lets it through."""
    r = requests.options(default_conf.url + "/flickr/photos", timeout=5, headers={
        "Origin": "https://spa.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert r.status_code != 401
    # a plain OPTIONS without the preflight headers still needs a token
    assert requests.options(default_conf.url + "/flickr/photos", timeout=5).status_code == 401


def _answer(r):
    """What a request decided: the status and, from the echo CGI, what reached the backend."""
    seen = sorted(l for l in r.text.splitlines()
                  if l.startswith(("OAUTH2_CLAIM_", "HTTP_OAUTH2_CLAIM_", "REMOTE_USER=",
                                   "AUTH_TYPE="))) if r.status_code == 200 else []
    return r.status_code, challenge(r), seen


def test_rs_004_18_cache_hit_answers_as_the_first_validation(default_conf, as_key):
    """After the first request a token is served from the validation cache, which keeps a
    digest of the claims instead of the JSON: every later request, at any location, must get
    the answer the first validation gave, with the same claims for the backend."""
    httpd = default_conf
    now = int(time.time())

    def tokens():
        return {
            "plain": forge(as_key, iss=httpd.url, sub="bob", client_id="trusted-app"),
            # an array "scp" (only its valid tokens count) and an array "aud"
            "scp": forge(as_key, iss=httpd.url, scope=None, aud=["https://api.example.com", 5],
                         scp=["photos", "bad scope", 7, "admin"]),
            "odd": forge(as_key, iss=httpd.url, sub=None, client_id="app-9",
                         nested={"a": [1, {"b": "c"}]}, flag=True, f=1.5,
                         roles=["r1", "r2"], **{"odd name\t": "x\r\ny"}),
            "no_scope": forge(as_key, iss=httpd.url, scope="read"),
            "wrong_iss": forge(as_key, iss="https://evil.example"),
            "future_nbf": forge(as_key, iss=httpd.url, nbf=now + 3600),
            "expired": forge(as_key, iss=httpd.url, exp=now - 120),
        }
    paths = ["/cgi-bin/echo", "/api/index.json", "/aud/index.json", "/flickr/photos"]
    expected = {  # the statuses at each path, whatever the order
        "plain": [200, 200, 401, 200], "scp": [200, 200, 200, 200],
        "odd": [200, 403, 401, 200], "no_scope": [403, 403, 401, 403],
        "wrong_iss": [401] * 4, "future_nbf": [401] * 4, "expired": [401] * 4,
    }
    for order in (paths, paths[::-1]):
        for name, tok in tokens().items():
            first = {p: _answer(get(httpd, p, tok)) for p in order}
            for _ in range(2):
                again = {p: _answer(get(httpd, p, tok)) for p in order}
                assert again == first, name
            assert [first[p][0] for p in paths] == expected[name], (name, first)
            if name == "odd":
                seen = first["/cgi-bin/echo"][2]
                assert "REMOTE_USER=app-9" in seen
                assert 'OAUTH2_CLAIM_nested={"a":[1,{"b":"c"}]}' in seen
                assert "OAUTH2_CLAIM_odd_name_=x  y" in seen
                assert "OAUTH2_CLAIM_roles=r1 r2" in seen
                assert "OAUTH2_CLAIM_flag=true" in seen
                assert "OAUTH2_CLAIM_f=1.5" in seen
            if name == "scp":
                assert "OAUTH2_CLAIM_aud=https://api.example.com 5" in first["/cgi-bin/echo"][2]
    httpd.expect_log("AH01631")   # mod_authz_core logs the 403s of /api


def _cache_events(httpd):
    """(pid, "verified" | "cached") for each token the RS validated since mark_log()."""
    events = []
    for line in httpd.recent_log().splitlines():
        m = re.search(r"\[pid (\d+):tid \d+\].*(token signature verified|"
                      r"token found in the validation cache)", line)
        if m:
            events.append((m.group(1), "cached" if "cache" in m.group(2) else "verified"))
    return events


@pytest.mark.parametrize("spec", [None, "shm:64", "shmcb", "none"])
def test_rs_004_19_cache_shared_by_processes(httpd, as_key, spec):
    """A token verified in one httpd child is found in the cache by the others: every
    connection goes to a new child (MaxConnectionsPerChild 1), so each request after the
    first one is served by a process that has never seen the token. With none, every
    request verifies the signature again."""
    conf = httpd.default_test_conf() + "\nMaxConnectionsPerChild 1\n" \
        "LogLevel info oauth2_as:debug oauth2_rs:trace1\n"
    if spec is not None:
        conf += f"OAuthRSCache {spec}\n"
    httpd.restart(conf)
    try:
        httpd.mark_log()
        tok = forge(as_key, iss=httpd.url)
        for _ in range(8):
            # a new connection each time (no session), so a new child when one has exited
            assert get(httpd, "/flickr/photos", tok).status_code == 200
            time.sleep(0.15)
        events = _cache_events(httpd)
        assert len(events) == 8, events
        pids = {pid for pid, _ in events}
        assert len(pids) >= 2, events      # the requests did reach several processes
        if spec == "none":
            assert all(kind == "verified" for _, kind in events), events
        else:
            assert events[0][1] == "verified", events
            first_pid = events[0][0]
            assert [e for e in events[1:] if e[1] == "verified"] == [], events
            assert any(pid != first_pid for pid, kind in events[1:] if kind == "cached"), events
    finally:
        httpd.restart(httpd.default_test_conf())


@pytest.mark.parametrize("spec,message", [
    ("shm:0", "from 64 to 1048576"), ("shm:63", "from 64 to 1048576"),
    ("shm:1048577", "from 64 to 1048576"), ("shm:", "from 64 to 1048576"),
    ("shm:12x", "from 64 to 1048576"), ("shm:-100", "from 64 to 1048576"),
    ("shm:99999999999999999999999", "from 64 to 1048576"),
])
def test_rs_004_20_cache_directive_refused(httpd, spec, message):
    httpd.stop()
    httpd.write_test_conf(httpd.default_test_conf() + f"\nOAuthRSCache {spec}\n")
    rc, out = httpd.config_test()
    assert rc != 0 and "OAuthRSCache" in out and message in out, out
    httpd.restart(httpd.default_test_conf())
