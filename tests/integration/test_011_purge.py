"""Expired rows are purged (OAuthASPurgeInterval) and live ones are kept."""
import time

import requests

from conftest import register


def test_as_011_01_purge(httpd, pg):
    httpd.restart(httpd.default_test_conf() + "\nOAuthASPurgeInterval 1\n")
    try:
        c = register(httpd, client_name="P", redirect_uris=["https://p.example/cb"],
                     grant_types=["authorization_code", "refresh_token"])
        cid = c["client_id"]
        now = int(time.time())
        old, live = now - 100000, now + 100000
        pg.psql(f"""
INSERT INTO oauth2_code (code_hash, client_id, username, redirect_uri, redirect_uri_given,
  scope, audience, created_at, expires_at) VALUES
  ('old-code', '{cid}', 'u', 'x', true, '', 'a', {old}, {old}),
  ('live-code', '{cid}', 'u', 'x', true, '', 'a', {now}, {live});
INSERT INTO oauth2_refresh_token (token_hash, family_id, client_id, username, scope, audience,
  created_at, expires_at) VALUES ('old-rt', 'f', '{cid}', 'u', '', 'a', {old}, {old}),
  ('live-rt', 'f', '{cid}', 'u', '', 'a', {now}, {live});
INSERT INTO oauth2_access_token (token_hash, jti, client_id, scope, audience, issued_at,
  expires_at) VALUES ('old-at', 'j1', '{cid}', '', 'a', {old}, {old}),
  ('live-at', 'j2', '{cid}', '', 'a', {now}, {live});
INSERT INTO oauth2_used_nonce VALUES ('old-n', {old}), ('live-n', {live});
INSERT INTO oauth2_revoked_jti VALUES ('old-j', {old}), ('live-j', {live});
INSERT INTO oauth2_throttle VALUES ('user:old', 3, {old}), ('user:live', 1, {now});
""")
        time.sleep(1.5)
        for _ in range(20):
            requests.get(httpd.url + "/oauth2/jwks", timeout=5)
        time.sleep(0.5)
        for table, key in (("oauth2_code", "code_hash"), ("oauth2_refresh_token", "token_hash"),
                           ("oauth2_access_token", "token_hash"), ("oauth2_used_nonce", "nonce"),
                           ("oauth2_revoked_jti", "jti"), ("oauth2_throttle", "key")):
            left = sorted(r[0] for r in pg.psql(f"SELECT {key} FROM {table}"))
            assert left and all("live" in k for k in left), (table, left)
    finally:
        httpd.restart(httpd.default_test_conf())
