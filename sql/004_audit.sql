-- 004_audit: who did what and when: client administration, consents,
-- revocations and failed client authentications, written as they happen.
CREATE TABLE oauth2_audit (
    id          bigserial PRIMARY KEY,
    at          bigint NOT NULL,
    actor       text NOT NULL,     -- the admin, the user or the client acting
    action      text NOT NULL,     -- client.create, consent.revoke, ...
    client_id   text,              -- kept after the client is deleted
    username    text,
    detail      text,
    ip          text
);
CREATE INDEX oauth2_audit_at_idx ON oauth2_audit (at DESC);
CREATE INDEX oauth2_audit_client_idx ON oauth2_audit (client_id, at DESC);
CREATE INDEX oauth2_audit_user_idx ON oauth2_audit (username, at DESC);

INSERT INTO oauth2_schema_version (version) VALUES (4);
