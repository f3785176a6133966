-- 003_token_services: opaque access tokens (OAuthASAccessTokenFormat opaque)
-- and failure counters for throttling (password grant, client auth).

CREATE TABLE oauth2_access_token (
    token_hash  text PRIMARY KEY,
    jti         text NOT NULL UNIQUE,
    client_id   text NOT NULL REFERENCES oauth2_client ON DELETE CASCADE,
    username    text,                 -- NULL when the client acts for itself
    scope       text NOT NULL,
    audience    text NOT NULL,
    issued_at   bigint NOT NULL,
    expires_at  bigint NOT NULL,
    revoked_at  bigint
);
CREATE INDEX oauth2_access_token_expires_idx ON oauth2_access_token (expires_at);
CREATE INDEX oauth2_access_token_client_idx ON oauth2_access_token (client_id);

-- Failed attempts per key ("user:<name>", "client:<id>", "ip:<addr>") within
-- a window; a key at its limit is refused until the window ends.
CREATE TABLE oauth2_throttle (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    window_start  bigint NOT NULL
);

INSERT INTO oauth2_schema_version (version) VALUES (3);
