-- Foundation: accounts, local users, OAuth tokens, the job queue, id-generator nodes, instance secrets.
-- Timestamps are Unix milliseconds (BIGINT) in both engines, so that SQL stays portable.
-- Keep this file and ../sqlite/0001_foundation.sql in step: a test compares the two schemas.

CREATE TABLE account (
    id              BIGINT  PRIMARY KEY,
    username        TEXT    NOT NULL,
    domain          TEXT,
    display_name    TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    locked          BOOLEAN NOT NULL DEFAULT FALSE,
    bot             BOOLEAN NOT NULL DEFAULT FALSE,
    discoverable    BOOLEAN NOT NULL DEFAULT TRUE,
    indexable       BOOLEAN NOT NULL DEFAULT TRUE,
    public_key_pem  TEXT    NOT NULL,
    statuses_count  BIGINT  NOT NULL DEFAULT 0,
    followers_count BIGINT  NOT NULL DEFAULT 0,
    following_count BIGINT  NOT NULL DEFAULT 0,
    last_status_at  BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX account_username_domain ON account (lower(username), coalesce(lower(domain), ''));

CREATE TABLE local_user (
    account_id        BIGINT  PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    email             TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL,
    role              TEXT    NOT NULL,
    private_key_pem   TEXT    NOT NULL,
    approved          BOOLEAN NOT NULL DEFAULT TRUE,
    default_privacy   TEXT    NOT NULL DEFAULT 'public',
    default_sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    default_language  TEXT,
    last_active_at    BIGINT,
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX local_user_email ON local_user (lower(email));

CREATE TABLE oauth_token (
    id           BIGINT  PRIMARY KEY,
    token_sha256 TEXT    NOT NULL,
    account_id   BIGINT  REFERENCES account (id) ON DELETE CASCADE,
    scopes       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
CREATE UNIQUE INDEX oauth_token_sha256 ON oauth_token (token_sha256);
CREATE INDEX oauth_token_account ON oauth_token (account_id);

CREATE TABLE job (
    id           BIGINT  PRIMARY KEY,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    run_at       BIGINT  NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error   TEXT,
    locked_by    TEXT,
    locked_until BIGINT,
    created_at   BIGINT  NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX job_queued ON job (run_at) WHERE state = 'queued';
CREATE INDEX job_running ON job (locked_until) WHERE state = 'running';
CREATE INDEX job_state_kind ON job (state, kind);

CREATE TABLE id_node (
    node        BIGINT  PRIMARY KEY,
    holder      TEXT,
    lease_until BIGINT  NOT NULL
);
INSERT INTO id_node (node, holder, lease_until) SELECT n, NULL, 0 FROM generate_series(0, 255) AS n;

CREATE TABLE instance_secret (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
