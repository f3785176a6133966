-- 005_grant_links: which access token each refresh token came with, and
-- the family of opaque access tokens, so that revoking a grant (refresh
-- token revoked or reused, code replayed, consent withdrawn) also revokes
-- the access tokens it produced (RFC 7009 §2.1, RFC 9700 §4.14).
ALTER TABLE oauth2_refresh_token ADD COLUMN access_jti text;
ALTER TABLE oauth2_refresh_token ADD COLUMN access_exp bigint;
ALTER TABLE oauth2_access_token ADD COLUMN family_id text;
CREATE INDEX oauth2_access_token_family_idx ON oauth2_access_token (family_id);

INSERT INTO oauth2_schema_version (version) VALUES (5);
