-- OAuth 2 applications, authorization codes, and the application a token belongs to.
-- Client secrets and codes are stored as SHA-256 digests only, like tokens.

CREATE TABLE oauth_app (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT   NOT NULL,
    website              TEXT,
    redirect_uris        TEXT   NOT NULL,
    scopes               TEXT   NOT NULL,
    client_id            TEXT   NOT NULL,
    client_secret_sha256 TEXT   NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE UNIQUE INDEX oauth_app_client_id ON oauth_app (client_id);

CREATE TABLE oauth_code (
    code_sha256    TEXT   PRIMARY KEY,
    app_id         BIGINT NOT NULL REFERENCES oauth_app (id) ON DELETE CASCADE,
    account_id     BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    scopes         TEXT   NOT NULL,
    redirect_uri   TEXT   NOT NULL,
    code_challenge TEXT,
    expires_at     BIGINT NOT NULL
);

ALTER TABLE oauth_token ADD COLUMN app_id BIGINT REFERENCES oauth_app (id) ON DELETE CASCADE;
CREATE INDEX oauth_token_app ON oauth_token (app_id);
