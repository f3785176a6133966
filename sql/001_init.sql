-- 001_init: schema version bookkeeping and registered clients.
-- Applied by mod_oauth2_as at startup under an advisory lock, or by hand:
--   psql -v ON_ERROR_STOP=1 -1 -f sql/001_init.sql
-- All times are seconds since the epoch (bigint); all credentials are
-- stored as base64url SHA-256 digests (columns ending in _hash).

CREATE TABLE IF NOT EXISTS oauth2_schema_version (
    version     integer PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth2_client (
    client_id               text PRIMARY KEY,
    secret_hash             text,                 -- NULL for public clients
    registration_token_hash text NOT NULL,        -- RFC 7592 access token
    metadata                jsonb NOT NULL,       -- normalised RFC 7591 metadata
    enabled                 boolean NOT NULL DEFAULT true,
    created_at              bigint NOT NULL,
    updated_at              bigint NOT NULL,
    secret_rotated_at       bigint,
    created_by              text                  -- admin user or 'register'
);
CREATE UNIQUE INDEX oauth2_client_regtoken_idx
    ON oauth2_client (registration_token_hash);

INSERT INTO oauth2_schema_version (version) VALUES (1);
