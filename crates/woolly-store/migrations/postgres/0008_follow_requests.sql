-- Follow requests to locked accounts, waiting for the account to authorize or reject them.
CREATE TABLE follow_request (
    id                BIGINT  PRIMARY KEY,
    account_id        BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    target_account_id BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    show_reblogs      BOOLEAN NOT NULL DEFAULT TRUE,
    notify            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX follow_request_pair ON follow_request (account_id, target_account_id);
CREATE INDEX follow_request_target ON follow_request (target_account_id, id);
