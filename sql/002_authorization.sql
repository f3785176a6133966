-- 002_authorization: consents, authorization codes, refresh tokens, used
-- CSRF nonces and revoked access-token ids (authorization code flow).

-- What a user allowed a client: remembered so the consent page is shown
-- once per user, client and scope set.
CREATE TABLE oauth2_consent (
    username    text NOT NULL,
    client_id   text NOT NULL REFERENCES oauth2_client ON DELETE CASCADE,
    scope       text NOT NULL,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL,
    PRIMARY KEY (username, client_id)
);
CREATE INDEX oauth2_consent_client_idx ON oauth2_consent (client_id);

-- Authorization codes: single use, seconds long, bound to everything the
-- authorization request said. family_id and access_jti name what the first
-- redemption issued, so that a replay can revoke it.
CREATE TABLE oauth2_code (
    code_hash             text PRIMARY KEY,
    client_id             text NOT NULL REFERENCES oauth2_client ON DELETE CASCADE,
    username              text NOT NULL,
    redirect_uri          text NOT NULL,
    redirect_uri_given    boolean NOT NULL,
    scope                 text NOT NULL,
    audience              text NOT NULL,
    code_challenge        text,
    code_challenge_method text,
    created_at            bigint NOT NULL,
    expires_at            bigint NOT NULL,
    used_at               bigint,
    family_id             text,
    access_jti            text,
    access_exp            bigint
);
CREATE INDEX oauth2_code_expires_idx ON oauth2_code (expires_at);

-- Refresh tokens rotate on every use; all the tokens descending from one
-- grant share a family_id, revoked as a whole when a rotated one is reused.
CREATE TABLE oauth2_refresh_token (
    token_hash  text PRIMARY KEY,
    family_id   text NOT NULL,
    client_id   text NOT NULL REFERENCES oauth2_client ON DELETE CASCADE,
    username    text NOT NULL,
    scope       text NOT NULL,
    audience    text NOT NULL,
    created_at  bigint NOT NULL,
    expires_at  bigint NOT NULL,
    rotated_at  bigint,
    revoked_at  bigint
);
CREATE INDEX oauth2_refresh_family_idx ON oauth2_refresh_token (family_id);
CREATE INDEX oauth2_refresh_owner_idx ON oauth2_refresh_token (client_id, username);
CREATE INDEX oauth2_refresh_expires_idx ON oauth2_refresh_token (expires_at);

-- CSRF tokens are single use on every node: their nonce is kept until expiry.
CREATE TABLE oauth2_used_nonce (
    nonce       text PRIMARY KEY,
    expires_at  bigint NOT NULL
);
CREATE INDEX oauth2_used_nonce_expires_idx ON oauth2_used_nonce (expires_at);

-- Access tokens (JWT ids) revoked before their expiry.
CREATE TABLE oauth2_revoked_jti (
    jti         text PRIMARY KEY,
    expires_at  bigint NOT NULL
);
CREATE INDEX oauth2_revoked_jti_expires_idx ON oauth2_revoked_jti (expires_at);

INSERT INTO oauth2_schema_version (version) VALUES (2);
